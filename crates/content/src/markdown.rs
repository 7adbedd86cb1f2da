//! Markdown to HTML with pulldown-cmark: tables, footnotes, definition lists, stable German
//! heading ids, `{{ variable }}` placeholders, raw HTML shown as text, links checked and
//! rewritten.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::Page;
use super::links::Resolver;
use formwerk_base::diagnostics::{Diagnostic, LineIndex, code};
use formwerk_config::Config;
use formwerk_text::slug::{UniqueIds, slugify};

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A `#fragment` to look up on another page once all pages are rendered.
#[derive(Debug)]
pub struct AnchorCheck {
    pub target: usize,
    pub fragment: String,
    pub file: PathBuf,
    pub source: Arc<str>,
    pub range: Range<usize>,
}

#[derive(Debug, Default)]
pub struct PageRender {
    pub html: String,
    pub toc: Vec<Heading>,
    pub anchors: Vec<String>,
    /// Rendered Markdown of a form's texts, in [`formwerk_form::Form::markdown_texts`] order.
    pub form_html: Vec<String>,
    pub errors: Vec<Diagnostic>,
    pub anchor_checks: Vec<AnchorCheck>,
    /// Output paths of the content files the page links (its downloads, images): their
    /// sizes are inputs of the page (a download's label, "PDF, 1,2 MB").
    pub linked_files: Vec<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

struct Renderer<'a> {
    config: &'a Config,
    page: &'a Page,
    /// The page's file as read for this rendering.
    text: &'a Arc<str>,
    resolver: &'a Resolver,
    /// The theme's strings: titles of callouts ("Hinweis", "Wichtig").
    strings: &'a toml::Table,
    ids: UniqueIds,
    /// Headings by id: where each starts in the file, for "first used at line …".
    heading_at: HashMap<String, usize>,
    /// Ids written as `{#id}`, with where they are written.
    explicit: Vec<(String, Range<usize>)>,
    /// The id each heading without `{#id}` would get from its title, with where it starts.
    automatic: HashMap<String, usize>,
    /// Where each line of `text` starts, made when an error first needs it.
    lines: Option<LineIndex<'a>>,
    /// "Did you mean" suggestions left for this page (see [`formwerk_base::diagnostics::SUGGESTIONS`]).
    suggestions: usize,
    out: PageRender,
}

/// Renders a page's Markdown body (in `text` from byte `body`), or a form's Markdown texts,
/// and checks their links.
pub fn render_page(
    config: &Config,
    page: &Page,
    text: &Arc<str>,
    body: usize,
    resolver: &Resolver,
    strings: &toml::Table,
) -> PageRender {
    let mut r = Renderer {
        config,
        page,
        text,
        resolver,
        strings,
        ids: UniqueIds::default(),
        heading_at: HashMap::new(),
        explicit: Vec::new(),
        automatic: HashMap::new(),
        lines: None,
        suggestions: formwerk_base::diagnostics::SUGGESTIONS,
        out: PageRender::default(),
    };
    if let Some(form) = &page.form {
        for id in form.element_ids() {
            r.ids.reserve(&id);
            r.out.anchors.push(id);
        }
        for (text, offset) in form.markdown_texts() {
            let html = r.render(text, offset);
            r.out.form_html.push(html);
        }
    } else {
        r.out.html = r.render(text.get(body..).unwrap_or_default(), body);
    }
    r.explicit_ids_against_automatic();
    // Same-page fragments can be checked right away.
    let mut remaining = Vec::new();
    let mut anchors: Option<HashSet<&str>> = None;
    let mut errors = Vec::new();
    for check in std::mem::take(&mut r.out.anchor_checks) {
        if resolver.is_same_page(page, check.target) {
            formwerk_base::work::add(1);
            let anchors =
                anchors.get_or_insert_with(|| r.out.anchors.iter().map(String::as_str).collect());
            if !anchors.contains(check.fragment.as_str()) {
                let mut d = Diagnostic::at(
                    &check.file,
                    &check.source,
                    check.range,
                    format!("there is no `#{}` on this page", check.fragment),
                )
                .with_code(formwerk_base::diagnostics::code::BROKEN_ANCHOR);
                let names = r.out.anchors.iter().map(String::as_str);
                if r.suggestions > 0 {
                    r.suggestions -= 1;
                    if let Some(best) = formwerk_base::diagnostics::closest(&check.fragment, names)
                    {
                        d = d.with_help(format!("did you mean `#{best}`?"));
                    }
                }
                if d.help.is_empty() {
                    d = d.with_help(
                        "link to a heading's id; headings get ids like \"Übersicht\" → #uebersicht",
                    );
                }
                errors.push(d);
            }
        } else {
            remaining.push(check);
        }
    }
    r.out.errors.extend(errors);
    r.out.anchor_checks = remaining;
    r.out
}

impl<'a> Renderer<'a> {
    /// 1-based line and column of a byte offset in the page's file.
    fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let text: &'a str = self.text;
        self.lines
            .get_or_insert_with(|| LineIndex::new(text))
            .line_col(offset)
    }

    fn error(
        &mut self,
        code: formwerk_base::diagnostics::code::Code,
        range: Range<usize>,
        message: String,
        help: String,
    ) {
        self.out.errors.push(
            Diagnostic::at(&self.page.source, self.text, range, message)
                .with_code(code)
                .with_help(help),
        );
    }

    /// Renders one Markdown text found at byte `offset` of the page's file.
    fn render(&mut self, markdown: &str, offset: usize) -> String {
        let mut walk = Walk::new(markdown.len());
        for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
            let event = match event {
                Event::Text(t) if walk.code_depth == 0 => {
                    walk.text.push(t, range);
                    continue;
                }
                Event::Html(t) | Event::InlineHtml(t) if !self.config.raw_html => {
                    walk.text.push(t, range);
                    continue;
                }
                other => other,
            };
            self.flush_text(&mut walk.text, markdown, offset, &mut walk.events);
            let at = offset + range.start..offset + range.end;
            if let Some(event) = self.rewrite_event(event, at, &mut walk) {
                walk.events.push(event);
            }
        }
        self.flush_text(&mut walk.text, markdown, offset, &mut walk.events);
        let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut html_out, walk.events.into_iter());
        aligned_by_class(html_out)
    }

    /// One event (other than text) as it goes into the HTML, written at `at` in the page's
    /// file: headings get their ids, links and images their resolved targets (and are
    /// checked), callouts their box and title. `None` where the event is already pushed.
    fn rewrite_event<'m>(
        &mut self,
        event: Event<'m>,
        at: Range<usize>,
        walk: &mut Walk<'m>,
    ) -> Option<Event<'m>> {
        Some(match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                walk.code_depth += 1;
                Event::Start(Tag::CodeBlock(kind))
            }
            Event::End(TagEnd::CodeBlock) => {
                walk.code_depth -= 1;
                Event::End(TagEnd::CodeBlock)
            }
            Event::Start(tag @ Tag::Heading { .. }) => {
                walk.heading_start = Some(walk.events.len());
                walk.heading_range = at;
                Event::Start(tag)
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = walk.heading_start.take() {
                    let range = walk.heading_range.clone();
                    self.finish_heading(&mut walk.events, start, level as u8, range);
                }
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                Event::Start(self.start_link(tag, at, walk))
            }
            Event::End(TagEnd::Image) => {
                self.end_image(walk);
                Event::End(TagEnd::Image)
            }
            Event::End(TagEnd::Link) => {
                end_link(walk);
                return None;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => self.start_callout(kind),
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from("</div>\n")),
            other => other,
        })
    }

    /// A link or image with its target resolved (see [`Renderer::link`]), remembered as open
    /// until its end: an image to check its alternative text, a link for its download's
    /// type and size.
    fn start_link<'m>(
        &mut self,
        mut tag: Tag<'m>,
        at: Range<usize>,
        walk: &mut Walk<'m>,
    ) -> Tag<'m> {
        let mut download = None;
        if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
            let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
            let (href, file) = self.link(written, at.clone());
            *dest_url = href;
            download = file;
        }
        match tag {
            Tag::Image { .. } => walk.images.push((walk.events.len(), at)),
            _ => walk.downloads.push(download),
        }
        tag
    }

    /// Closes the innermost open image: an error if its alternative text is empty.
    fn end_image(&mut self, walk: &mut Walk<'_>) {
        if let Some((start, at)) = walk.images.pop() {
            let alt = plain_text(&walk.events[start + 1..]);
            if alt.trim().is_empty() {
                self.error(code::IMAGE_WITHOUT_ALT,
                    at,
                    "this image has no alternative text".into(),
                    "describe the image between the brackets, for example ![Organigramm der Koordinierungsstelle](organigramm.png)".into(),
                );
            }
        }
    }

    /// The start of a callout (`> [!NOTE]`): its box, and its title in the theme's words.
    fn start_callout<'m>(&self, kind: BlockQuoteKind) -> Event<'m> {
        let (class, key) = callout(kind);
        let title = self
            .strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key);
        Event::Html(CowStr::from(format!(
            "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{}</p>\n",
            formwerk_text::html::escape(title)
        )))
    }

    /// Emits collected text as one event, with `{{ variables }}` filled in.
    fn flush_text<'m>(
        &mut self,
        text: &mut TextRun<'m>,
        markdown: &str,
        offset: usize,
        events: &mut Vec<Event<'m>>,
    ) {
        let Some(r) = text.range.take() else { return };
        let collected = match text.first.take() {
            Some(only) if text.joined.is_empty() => only,
            _ => CowStr::from(std::mem::take(&mut text.joined)),
        };
        // Most text has no placeholder: it goes on as the parser gave it, not copied.
        let expanded = if !collected.contains("{{") {
            collected
        } else {
            let collected = collected.into_string();
            CowStr::from(self.expand_text(collected, &markdown[r.clone()], offset, r.start))
        };
        events.push(Event::Text(expanded));
    }

    /// `collected` with its placeholders replaced, or as it is with an error for each
    /// placeholder that fails (found in `written`, the Markdown at `start`).
    fn expand_text(
        &mut self,
        collected: String,
        written: &str,
        offset: usize,
        start: usize,
    ) -> String {
        match self.config.variables.expand(&collected) {
            Ok(s) => s,
            Err(errs) => {
                for e in errs {
                    let token = &collected[e.range.clone()];
                    let at = written
                        .find(token)
                        .map_or(0..written.len(), |i| i..i + token.len());
                    self.error(
                        e.code,
                        offset + start + at.start..offset + start + at.end,
                        e.message,
                        e.help,
                    );
                }
                collected
            }
        }
    }

    /// Gives the heading that starts at `events[start]` its id and records it for the TOC.
    /// An id written as `{#id}` that is already taken on the page is an error.
    fn finish_heading(
        &mut self,
        events: &mut [Event<'_>],
        start: usize,
        level: u8,
        at: Range<usize>,
    ) {
        let title = plain_text(&events[start + 1..]);
        let Event::Start(Tag::Heading { id, .. }) = &mut events[start] else {
            return;
        };
        let chosen = match id.take() {
            Some(explicit) => {
                let explicit = explicit.to_string();
                let written = self.text[at.clone()]
                    .rfind(&format!("#{explicit}"))
                    .map_or(at.clone(), |i| {
                        at.start + i..at.start + i + explicit.len() + 1
                    });
                if self.ids.reserve(&explicit) {
                    self.explicit.push((explicit.clone(), written));
                } else {
                    self.taken_id(&explicit, written);
                }
                explicit
            }
            None => {
                let wanted = slugify(&title);
                self.automatic.entry(wanted.clone()).or_insert(at.start);
                self.ids.claim(&wanted)
            }
        };
        self.heading_at.entry(chosen.clone()).or_insert(at.start);
        *id = Some(CowStr::from(chosen.clone()));
        self.out.anchors.push(chosen.clone());
        self.out.toc.push(Heading {
            level,
            id: chosen,
            title,
        });
    }

    /// Reports an id written as `{#id}` that an earlier heading or a form control has.
    fn taken_id(&mut self, id: &str, written: Range<usize>) {
        let (message, help) = match self.heading_at.get(id).copied() {
            Some(first) => {
                let (line, col) = self.line_col(first);
                (
                    format!(
                        "the id `{id}` is already the id of the heading at line {line}, column {col}"
                    ),
                    "ids must be unique on a page: choose another id in {#…}".to_string(),
                )
            }
            None => (
                format!("the id `{id}` is already used by a control of this form"),
                "choose another id in {#…}, for example one starting with `abschnitt-`".to_string(),
            ),
        };
        self.error(code::DUPLICATE_HEADING_ID, written, message, help);
    }

    /// An id written as `{#id}` may not be the id another heading gets from its title: a
    /// link to `#ziele` would then lead to the wrong heading (or the other one would quietly
    /// become `ziele-1`).
    fn explicit_ids_against_automatic(&mut self) {
        for (id, written) in std::mem::take(&mut self.explicit) {
            let Some(&other) = self.automatic.get(&id) else {
                continue;
            };
            let (line, col) = self.line_col(other);
            self.error(
                code::HEADING_ID_COLLISION,
                written,
                format!("the id `{id}` is also the id the heading at line {line}, column {col} gets from its title"),
                "choose another id in {#…}, or give that heading an id of its own".to_string(),
            );
        }
    }

    /// The link's new target, and for a download its type and size ("PDF, 1,2 MB").
    fn link<'e>(&mut self, dest: CowStr<'e>, range: Range<usize>) -> (CowStr<'e>, Option<String>) {
        match self
            .resolver
            .resolve(self.page, &dest, self.suggestions > 0)
        {
            Ok(None) => (dest, None),
            Ok(Some(resolved)) => {
                if let Some((target, fragment)) = resolved.anchor {
                    self.out.anchor_checks.push(AnchorCheck {
                        target,
                        fragment,
                        file: self.page.source.clone(),
                        source: self.text.clone(),
                        range,
                    });
                }
                if let Some(file) = resolved.file
                    && !self.out.linked_files.contains(&file)
                {
                    self.out.linked_files.push(file);
                }
                (CowStr::from(resolved.href), resolved.download)
            }
            Err(e) => {
                self.suggestions = self.suggestions.saturating_sub(1);
                self.error(e.code, range, e.message, e.help);
                (dest, None)
            }
        }
    }
}

/// The text of events as a reader sees it, without markup: a heading's title, an image's
/// alternative text.
fn plain_text(events: &[Event<'_>]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// The CSS class and theme string of a GFM alert (`> [!NOTE]`).
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "callout_note"),
        BlockQuoteKind::Tip => ("tip", "callout_tip"),
        BlockQuoteKind::Important => ("important", "callout_important"),
        BlockQuoteKind::Warning => ("warning", "callout_warning"),
        BlockQuoteKind::Caution => ("caution", "callout_caution"),
    }
}

/// What [`Renderer::render`] keeps while it walks the events of one Markdown text.
struct Walk<'m> {
    /// The events for the HTML writer, rewritten where needed.
    events: Vec<Event<'m>>,
    /// Text not yet emitted.
    text: TextRun<'m>,
    /// How many code blocks are open (their text is not looked at).
    code_depth: usize,
    /// Where the open heading's events start, and where it is written.
    heading_start: Option<usize>,
    heading_range: Range<usize>,
    /// Open images: where their events start, where they are written.
    images: Vec<(usize, Range<usize>)>,
    /// Open links: the type and size of a linked download.
    downloads: Vec<Option<String>>,
}

impl Walk<'_> {
    /// The start of a walk through `len` bytes of Markdown.
    fn new(len: usize) -> Self {
        Walk {
            // About one event per 16 bytes of Markdown: grown once or never, not by doubling.
            events: Vec::with_capacity(len / 16),
            text: TextRun::default(),
            code_depth: 0,
            heading_start: None,
            heading_range: 0..0,
            images: Vec::new(),
            downloads: Vec::new(),
        }
    }
}

/// Closes the innermost open link, followed by its download's type and size if it has one
/// ("(PDF, 1,2 MB)").
fn end_link(walk: &mut Walk<'_>) {
    walk.events.push(Event::End(TagEnd::Link));
    if let Some(Some(info)) = walk.downloads.pop() {
        let info = formwerk_text::html::escape(&info);
        walk.events.push(Event::InlineHtml(CowStr::from(format!(
            " <span class=\"file-info\">({info})</span>"
        ))));
    }
}

/// Consecutive text events, emitted as one (placeholders may span them). A run of one event,
/// the usual case, keeps the parser's text (mostly borrowed from the page) instead of
/// copying it into a new string.
#[derive(Default)]
struct TextRun<'m> {
    first: Option<CowStr<'m>>,
    /// The run's text once it has more than one event.
    joined: String,
    range: Option<Range<usize>>,
}

impl<'m> TextRun<'m> {
    fn push(&mut self, text: CowStr<'m>, at: Range<usize>) {
        self.range = Some(self.range.take().map_or(at.clone(), |r| r.start..at.end));
        match &self.first {
            None => self.first = Some(text),
            Some(first) => {
                if self.joined.is_empty() {
                    self.joined.push_str(first);
                }
                self.joined.push_str(&text);
            }
        }
    }
}

/// Table cells aligned by classes instead of the `style` attributes pulldown-cmark writes: the
/// pages' Content Security Policy allows no inline styles.
fn aligned_by_class(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    ["left", "center", "right"].iter().fold(html, |h, side| {
        h.replace(
            &format!(" style=\"text-align: {side}\""),
            &format!(" class=\"align-{side}\""),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_alignment_uses_classes() {
        let mut html = String::new();
        let options = pulldown_cmark::Options::ENABLE_TABLES;
        let md = "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n";
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(md, options));
        let html = super::aligned_by_class(html);
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("<td class=\"align-center\">2</td>"), "{html}");
        assert!(html.contains("<th class=\"align-right\">c</th>"), "{html}");
    }
}
