//! The form's rendered Markdown (intros, info texts) as blocks the PDF lays out: paragraphs,
//! headings and lists of styled runs. It reads the HTML the Markdown stage produced for the
//! form page, so variables, links and callouts are resolved exactly once; only the few
//! elements that stage emits are given meaning, any other tag is looked through.

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Run>),
    Heading(Vec<Run>),
    List {
        ordered: bool,
        start: usize,
        items: Vec<Vec<Block>>,
    },
}

enum Frame {
    Blocks(Vec<Block>),
    List {
        ordered: bool,
        start: usize,
        items: Vec<Vec<Block>>,
    },
}

struct Parser {
    stack: Vec<Frame>,
    runs: Vec<Run>,
    bold: usize,
    italic: usize,
    heading: bool,
}

impl Parser {
    fn text(&mut self, text: &str) {
        let mut collapsed = String::new();
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{A0}' {
                // A space only after text, and never two.
                let after_space = if collapsed.is_empty() {
                    self.runs.iter().all(|r| r.text.trim().is_empty())
                        || self
                            .runs
                            .last()
                            .is_some_and(|r| r.text.ends_with([' ', '\n']))
                } else {
                    collapsed.ends_with(' ')
                };
                if !after_space {
                    collapsed.push(' ');
                }
            } else {
                collapsed.push(c);
            }
        }
        if collapsed.is_empty() {
            return;
        }
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        match self.runs.last_mut() {
            Some(r) if r.bold == bold && r.italic == italic => r.text.push_str(&collapsed),
            _ => self.runs.push(Run {
                text: collapsed,
                bold,
                italic,
            }),
        }
    }

    /// Ends the paragraph being collected, if it has any text.
    fn flush(&mut self) {
        let mut runs = std::mem::take(&mut self.runs);
        if let Some(last) = runs.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        runs.retain(|r| !r.text.is_empty());
        if runs.is_empty() {
            return;
        }
        let block = if self.heading {
            Block::Heading(runs)
        } else {
            Block::Paragraph(runs)
        };
        self.push(block);
    }

    fn push(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Blocks(blocks)) => blocks.push(block),
            // Text directly inside a list (not in an item) starts an item of its own.
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            None => unreachable!("the root frame stays"),
        }
    }

    fn tag(&mut self, raw: &str) {
        let closing = raw.starts_with('/');
        let body = raw.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("em" | "i", false) => self.italic += 1,
            ("em" | "i", true) => self.italic = self.italic.saturating_sub(1),
            ("strong" | "b", false) => self.bold += 1,
            ("strong" | "b", true) => self.bold = self.bold.saturating_sub(1),
            ("br", _) => {
                self.text(" ");
                if let Some(r) = self.runs.last_mut() {
                    r.text.pop();
                    r.text.push('\n');
                }
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                self.flush();
                self.heading = !closing;
            }
            ("ul" | "ol", false) => {
                self.flush();
                let start = attribute(body, "start")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                self.stack.push(Frame::List {
                    ordered: name == "ol",
                    start,
                    items: Vec::new(),
                });
            }
            ("ul" | "ol", true) => {
                self.flush();
                self.close_list();
            }
            ("li", false) => {
                self.flush();
                self.stack.push(Frame::Blocks(Vec::new()));
            }
            ("li", true) => {
                self.flush();
                // Only an open item closes: a stray `</li>` leaves its list open.
                if self.stack.len() > 1
                    && matches!(self.stack.last(), Some(Frame::Blocks(_)))
                    && let Some(Frame::Blocks(blocks)) = self.stack.pop()
                {
                    match self.stack.last_mut() {
                        Some(Frame::List { items, .. }) => items.push(blocks),
                        _ => blocks.into_iter().for_each(|b| self.push(b)),
                    }
                }
            }
            ("p" | "div" | "blockquote" | "table" | "tr" | "dt" | "dd" | "pre" | "hr", _) => {
                self.flush()
            }
            ("td" | "th", true) => self.text(" "),
            _ => {}
        }
    }

    /// Closes the innermost list (and its open items) into a block of its parent.
    fn close_list(&mut self) {
        if let Some(Frame::List {
            ordered,
            start,
            items,
        }) = self.pop_to_list()
        {
            self.push(Block::List {
                ordered,
                start,
                items,
            });
        }
    }

    /// Closes open items up to the innermost list and returns it.
    fn pop_to_list(&mut self) -> Option<Frame> {
        while self.stack.len() > 1 {
            match self.stack.pop() {
                Some(list @ Frame::List { .. }) => return Some(list),
                Some(Frame::Blocks(blocks)) => match self.stack.last_mut() {
                    Some(Frame::List { items, .. }) => items.push(blocks),
                    _ => blocks.into_iter().for_each(|b| self.push(b)),
                },
                None => break,
            }
        }
        None
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    Some(tag[at..].split('"').next()?.to_string())
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    u32::from_str_radix(&entity[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The blocks of rendered Markdown.
pub fn blocks(html: &str) -> Vec<Block> {
    let mut p = Parser {
        stack: vec![Frame::Blocks(Vec::new())],
        runs: Vec::new(),
        bold: 0,
        italic: 0,
        heading: false,
    };
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                // A tag left open at the end (raw HTML such as an unclosed `<!--`) runs
                // to the end of the text.
                let end = rest.find('>').unwrap_or(rest.len());
                p.tag(&rest[1..end]);
                rest = rest.get(end + 1..).unwrap_or("");
            }
            Some(at) => {
                p.text(&decode_entities(&rest[..at]));
                rest = &rest[at..];
            }
            None => {
                p.text(&decode_entities(rest));
                rest = "";
            }
        }
    }
    p.flush();
    while p.stack.len() > 1 {
        p.close_list();
    }
    match p.stack.pop() {
        Some(Frame::Blocks(blocks)) => blocks,
        _ => Vec::new(),
    }
}

/// The plain text of runs.
#[cfg(test)]
fn plain(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool, italic: bool) -> Run {
        Run {
            text: text.into(),
            bold,
            italic,
        }
    }

    #[test]
    fn paragraphs_lists_and_emphasis() {
        let html = "<p>Ein <strong>fetter</strong> und\n<em>schräger</em> Text &amp; mehr.</p>\n<ul>\n<li>eins</li>\n<li><p>zwei</p>\n<ol start=\"3\"><li>drei</li></ol></li>\n</ul>\n";
        let b = blocks(html);
        assert_eq!(
            b[0],
            Block::Paragraph(vec![
                run("Ein ", false, false),
                run("fetter", true, false),
                run(" und ", false, false),
                run("schräger", false, true),
                run(" Text & mehr.", false, false),
            ])
        );
        let Block::List { ordered, items, .. } = &b[1] else {
            panic!("{b:?}")
        };
        assert!(!ordered);
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            vec![Block::Paragraph(vec![run("eins", false, false)])]
        );
        assert!(matches!(
            &items[1][1],
            Block::List {
                ordered: true,
                start: 3,
                ..
            }
        ));
    }

    #[test]
    fn raw_markup_shown_as_text_stays_text() {
        let b = blocks("<p>Abschnitt mit &lt;b&gt;Text&lt;/b&gt;feldern.</p>");
        assert_eq!(
            plain(match &b[0] {
                Block::Paragraph(r) => r,
                _ => panic!(),
            }),
            "Abschnitt mit <b>Text</b>feldern."
        );
    }

    #[test]
    fn raw_html_left_open_at_the_end_is_read_without_a_panic() {
        // `[markdown] raw_html = true` passes an unclosed comment or tag through as is.
        for html in [
            "<",
            "x<",
            "<ä",
            "<p>Text</p>\n<!-- ä",
            "<ol start=\"3\"><li>a<h2 ä",
        ] {
            blocks(html);
        }
        assert_eq!(
            blocks("<p>eins</p>\n<em"),
            vec![Block::Paragraph(vec![run("eins", false, false)])]
        );
    }

    #[test]
    fn a_stray_closing_item_tag_leaves_its_list_open() {
        let b = blocks("<ul></li><li>a</li><li>b</li></ul>");
        let [Block::List { items, .. }] = &b[..] else {
            panic!("{b:?}")
        };
        assert_eq!(items.len(), 2);
    }
}
