//! A small scoped-thread map: pages are independent once loaded, so loading, Markdown and
//! template rendering spread over the machine's cores without a thread-pool dependency.

use std::num::NonZeroUsize;

/// Maps `f` over `items` on up to one thread per core, keeping the order of `items`.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    if threads < 2 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        out
    })
}

/// [`par_map`], with a panic while mapping one item caught and returned as that item's
/// error message: one page hitting a bug fails that page, not the program.
pub fn par_map_caught<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Result<R, String>> {
    par_map(items, |item| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item)))
            .map_err(|payload| crate::fault::panic_message(&*payload))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_fails_its_item_only() {
        let items: Vec<u32> = (0..100).collect();
        let out = super::par_map_caught(&items, |&x| {
            assert!(x != 42, "bad item");
            x
        });
        assert_eq!(out.iter().filter(|r| r.is_err()).count(), 1);
        assert_eq!(out[42].as_ref().unwrap_err(), "bad item");
        assert_eq!(out[43], Ok(43));
    }

    #[test]
    fn keeps_order() {
        let items: Vec<u32> = (0..1000).collect();
        let out = super::par_map(&items, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }
}
