//! The print-all document (`gesamtdokument.html`): every page in reading order, forms blank,
//! with a table of contents and a page break before each chapter, to print the complete
//! offline copy at once. Each chapter's ids get the prefix `cN-`, so ids stay unique, and
//! links between pages become links between chapters; links to a form lead to its page.
//! Forms are printed as paper forms: ruled lines and empty boxes, every control disabled.
//! Built for sites of up to `print_all_limit` pages: a printed handbook has its limits, and
//! the document grows with the whole site.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::{Theme, templates::template_error};
use crate::SiteWide;
use formwerk_base::diagnostics::{Diagnostic, Diagnostics};
use formwerk_content::links::encode;
use formwerk_content::{Page, PageKind, Site};
use formwerk_form::Form;

pub use formwerk_text::names::PRINT_ALL;

/// The print-all document's template.
pub const PRINT_ALL_TEMPLATE: &str = "print-all.html";

#[derive(Serialize)]
struct Chapter {
    id: String,
    number: usize,
    title: String,
    kind: PageKind,
    html: String,
}

/// The pages in reading order: the start page, then each section's pages, depth first.
pub(crate) fn reading_order(site: &Site) -> Vec<usize> {
    let mut order = Vec::new();
    let mut stack = vec![site.root];
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(site.pages[i].children.iter().rev());
    }
    order
}

impl Theme {
    /// The print-all document, or nothing for a site above the configured size.
    pub fn render_print_all(
        &self,
        site: &Site,
        shared: &SiteWide,
    ) -> Result<Option<(String, String)>, Diagnostics> {
        if site.pages.len() > site.config.print_all_limit {
            return Ok(None);
        }
        let chapters = self.print_all_chapters(site)?;
        let html = self.render_print_all_document(site, shared, &chapters)?;
        Ok(Some((PRINT_ALL.to_string(), html)))
    }

    /// Every page as a chapter, in reading order, its ids and links rewritten for the one
    /// document. Errors in the pages' bodies are collected from all pages; a form's template
    /// error ends the work at once.
    fn print_all_chapters(&self, site: &Site) -> Result<Vec<Chapter>, Diagnostics> {
        let order = reading_order(site);
        // Links to a form lead to the form page, where it can be filled in; the chapter only
        // holds the paper form.
        let chapters_of: BTreeMap<&str, usize> = order
            .iter()
            .enumerate()
            .filter(|&(_, &i)| site.pages[i].form.is_none())
            .map(|(n, &i)| (site.pages[i].output.as_str(), n + 1))
            .collect();
        let mut chapters = Vec::new();
        let mut errors = Diagnostics::default();
        let chapter_word = self.string_or("chapter", "Chapter");
        let form_page_word = self.string_or("form_page", "form page");
        let form_pages: Vec<String> = site
            .pages
            .iter()
            .filter(|p| p.form.is_some())
            .map(|p| encode(&p.output))
            .collect();
        for (n, &i) in order.iter().enumerate() {
            let page = &site.pages[i];
            let body = site.render_body(i, &self.strings);
            if !body.errors.is_empty() {
                errors.0.extend(body.errors);
                continue;
            }
            let html = match &page.form {
                Some(form) => self.paper_form(page, form, body.form_html)?,
                None => body.html,
            };
            let prefix = format!("c{}-", n + 1);
            let html = rewrite(&html, &prefix, &page.output, &chapters_of);
            chapters.push(Chapter {
                id: format!("c{}", n + 1),
                number: n + 1,
                title: page.title.clone(),
                kind: page.kind,
                html: name_form_pages(
                    &name_chapters(&html, n + 1, chapter_word),
                    &form_pages,
                    form_page_word,
                ),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(chapters)
    }

    /// A form as a chapter: its introduction and its sections as a paper form, with the
    /// texts rendered for this build (`form_html`).
    fn paper_form(
        &self,
        page: &Page,
        form: &Form,
        form_html: Vec<String>,
    ) -> Result<String, Diagnostics> {
        let mut form = form.clone();
        form.apply_rendered(form_html);
        let mut context = Context::new();
        context.insert("form", &form);
        context.insert("t", &self.strings);
        context.insert("paper", &true);
        let intro = form
            .intro
            .as_ref()
            .map(|i| i.html.clone())
            .unwrap_or_default();
        let sections = self
            .tera
            .render("partials/form-sections.html", &context)
            .map_err(|e| Diagnostics(vec![template_error(&self.sources, &e, Some(page))]))?;
        Ok(format!(
            "<div class=\"prose\">{intro}</div>\n<div class=\"fw-form print-form paper\">{sections}</div>"
        ))
    }

    /// The document around the chapters, from the `print-all.html` template with the
    /// sitemap's context (without its entries).
    fn render_print_all_document(
        &self,
        site: &Site,
        shared: &SiteWide,
        chapters: &[Chapter],
    ) -> Result<String, Diagnostics> {
        let name = PRINT_ALL_TEMPLATE;
        if !self.sources.contains_key(name) {
            return Err(Diagnostics(vec![
                Diagnostic::file("templates", "the template `print-all.html` does not exist")
                    .with_code(formwerk_base::diagnostics::code::MISSING_TEMPLATE),
            ]));
        }
        let title = self.string_or("print_all", "Print all");
        let description = self.strings.get("print_all_hint").and_then(|v| v.as_str());
        let mut context = super::context::SitemapContext::new(
            site,
            shared,
            &self.strings,
            title,
            &self.statics.names,
        )
        .with_path(site, PRINT_ALL, description);
        context.entries.clear();
        let mut context = Context::from_serialize(&context).map_err(|e| {
            Diagnostics(vec![
                Diagnostic::file(name, format!("cannot prepare the document: {e}"))
                    .with_code(formwerk_base::diagnostics::code::TEMPLATE_ERROR),
            ])
        })?;
        context.insert("chapters", chapters);
        self.render_html(name, &context, None)
            .map_err(|d| Diagnostics(vec![d]))
    }

    /// The theme's string `key`, or `default` where the theme has none.
    fn string_or<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(default)
    }
}

/// Gives a chapter's ids the chapter's prefix and turns its links into links within the
/// document (to other chapters) or from the output root (to files).
fn rewrite(
    html: &str,
    prefix: &str,
    page_output: &str,
    chapters: &BTreeMap<&str, usize>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    let attributes = [
        " id",
        " for",
        " name",
        " aria-describedby",
        " aria-labelledby",
        " aria-controls",
        " href",
        " src",
    ];
    // One pass: every `="` is looked at once, and rewritten if it ends one of the attributes.
    let mut searched = 0;
    while let Some(eq) = rest[searched..].find("=\"").map(|i| searched + i) {
        formwerk_base::work::add(eq + 2 - searched);
        let Some(attr) = attributes.iter().find(|a| rest[..eq].ends_with(*a)) else {
            searched = eq + 2;
            continue;
        };
        out.push_str(&rest[..eq + 2]);
        rest = &rest[eq + 2..];
        searched = 0;
        let end = rest.find('"').unwrap_or(rest.len());
        formwerk_base::work::add(end);
        let value = &rest[..end];
        rest = &rest[end..];
        match *attr {
            " href" | " src" => out.push_str(&link(value, prefix, page_output, chapters)),
            _ => {
                let prefixed: Vec<String> = value
                    .split(' ')
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{prefix}{v}"))
                    .collect();
                out.push_str(&prefixed.join(" "));
            }
        }
    }
    out.push_str(rest);
    out
}

/// Adds " (note)" to the text of every link for which `note` gives one, by its `href`.
fn note_links(html: &str, note: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("<a href=\"") {
        let after = &rest[at + "<a href=\"".len()..];
        let href = &after[..after.find('"').unwrap_or(0)];
        match (note(href), rest[at..].find("</a>")) {
            (Some(text), Some(close)) => {
                out.push_str(&rest[..at + close]);
                out.push_str(&format!(" ({text})"));
                rest = &rest[at + close..];
            }
            _ => {
                out.push_str(&rest[..at + 1]);
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Adds "(Kapitel N)" to the text of every link to another chapter: a page's links to the
/// same page from different chapters become links to different places in this document, and
/// on paper the number is what the reader can follow.
fn name_chapters(html: &str, own: usize, word: &str) -> String {
    note_links(html, |href| {
        let after = href.strip_prefix("#c")?;
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = after[..digits].parse::<usize>().ok()?;
        let ends_id = after[digits..].is_empty() || after[digits..].starts_with('-');
        (ends_id && n != own).then(|| format!("{word} {n}"))
    })
}

/// Adds "(Formularseite)" to the text of every link to a form page: the paper form in this
/// document is not where the form is filled in, and the link text says where it leads.
fn name_form_pages(html: &str, pages: &[String], word: &str) -> String {
    note_links(html, |href| {
        pages
            .iter()
            .any(|p| href == p || href.starts_with(&format!("{p}#")))
            .then(|| word.to_string())
    })
}

fn link(value: &str, prefix: &str, page_output: &str, chapters: &BTreeMap<&str, usize>) -> String {
    if let Some(fragment) = value.strip_prefix('#') {
        return format!("#{prefix}{fragment}");
    }
    if value.contains("://") || value.starts_with("mailto:") || value.starts_with("tel:") {
        return value.to_string();
    }
    let (path, fragment) = value.split_once('#').unwrap_or((value, ""));
    // Resolve against the page's folder to a path from the output root.
    let mut parts: Vec<&str> = page_output.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let target = parts.join("/");
    let decoded = target.replace("%20", " ");
    match chapters.get(decoded.as_str()) {
        Some(n) if fragment.is_empty() => format!("#c{n}"),
        Some(n) => format!("#c{n}-{fragment}"),
        None if fragment.is_empty() => encode(&decoded),
        None => format!("{}#{fragment}", encode(&decoded)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_other_chapters_name_the_chapter() {
        let html = r##"<a href="#c2">Formular</a> <a href="#c3-ziele">Ziele</a> <a href="#c3">hier</a> <a href="#c12x">x</a>"##;
        assert_eq!(
            name_chapters(html, 3, "Kapitel"),
            r##"<a href="#c2">Formular (Kapitel 2)</a> <a href="#c3-ziele">Ziele</a> <a href="#c3">hier</a> <a href="#c12x">x</a>"##
        );
    }

    #[test]
    fn ids_and_links_are_rewritten_per_chapter() {
        let chapters: BTreeMap<&str, usize> = [("index.html", 1), ("hilfe/a/index.html", 2)].into();
        let html = r##"<h2 id="ziele">Ziele</h2><a href="#ziele">x</a><a href="../../index.html">s</a><a href="../a/index.html#z">a</a><a href="../Plan%20A.pdf">p</a><input id="n" aria-describedby="n-hint n-error"><img src="bild.png" alt="B">"##;
        let out = rewrite(html, "c3-", "hilfe/b/index.html", &chapters);
        assert_eq!(
            out,
            r##"<h2 id="c3-ziele">Ziele</h2><a href="#c3-ziele">x</a><a href="#c1">s</a><a href="#c2-z">a</a><a href="hilfe/Plan%20A.pdf">p</a><input id="c3-n" aria-describedby="c3-n-hint c3-n-error"><img src="hilfe/b/bild.png" alt="B">"##
        );
    }

    /// 40,000 links to headings on the page: each byte is looked at a bounded number of
    /// times (searching every attribute anew after each match looked at all of them again).
    #[test]
    fn rewriting_is_linear_in_the_page() {
        let cost = |n: usize| {
            let mut html = String::new();
            for i in 0..n {
                html.push_str(&format!(
                    "<h2 id=\"h{i}\">H</h2><p><a href=\"#h{i}\">x</a></p>\n"
                ));
            }
            formwerk_base::work::take();
            let out = rewrite(&html, "c1-", "index.html", &BTreeMap::new());
            assert!(out.contains(&format!("href=\"#c1-h{}\"", n - 1)));
            (formwerk_base::work::take(), html.len() as u64)
        };
        for n in [400, 40_000] {
            let (work, len) = cost(n);
            assert!(work <= 2 * len, "{n} links: {work} units for {len} bytes");
        }
    }
}
