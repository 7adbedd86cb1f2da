//! "Did you mean": the allowed name closest to a misspelt one, and lists of names for hints.

pub fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many "did you mean" suggestions one page (or one site-wide check) computes: each
/// looks at every candidate, so 100,000 broken links must not each compare themselves with
/// every page of the site. Later errors of the same kind get the general hint.
pub const SUGGESTIONS: usize = 50;

/// The candidate closest to `wrong` by edit distance, if it is plausibly a misspelling.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let wrong_len = wrong.chars().count();
    let limit = |len: usize| (len.max(wrong_len) / 3).max(2);
    candidates
        .into_iter()
        // The lengths alone rule most candidates out without computing a distance.
        .filter(|c| {
            let len = c.chars().count();
            len.abs_diff(wrong_len) <= limit(len)
        })
        .map(|c| (edit_distance(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= limit(c.chars().count()))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_suggestion_for_unrelated_words() {
        assert_eq!(closest("banana", ["title", "weight"]), None);
        assert_eq!(closest("textare", ["text", "textarea"]), Some("textarea"));
    }
}
