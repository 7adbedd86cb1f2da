//! Pages of an A4 paper form: wrapped text in the theme's fonts, boxes to write in, and the
//! bookkeeping of a tagged PDF (each line's marked content belongs to a structure element)
//! and of the form fields placed on the pages.

use pdf_writer::Content;
use pdf_writer::Name;
use pdf_writer::types::StructRole;

use std::cell::RefCell;
use std::rc::Rc;

pub(crate) use super::fonts::Fonts;
use super::markup::Run;
use super::shape::{TextOut, Usage, width};

pub(crate) const PAGE_W: f32 = 595.276;
pub(crate) const PAGE_H: f32 = 841.89;
/// 25 mm on the left leave room for punching and filing; 20 mm elsewhere.
pub(crate) const LEFT: f32 = 70.87;
pub(crate) const RIGHT: f32 = 56.69;
pub(crate) const TOP: f32 = 76.0;
pub(crate) const BOTTOM: f32 = 66.0;
pub(crate) const WIDTH: f32 = PAGE_W - LEFT - RIGHT;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Style {
    /// The resource name of the form fields' simple font (`/FwR`, named in the default
    /// appearance): only regular text has one. Page text and appearances are drawn with
    /// the composite fonts of [`crate::shape`].
    pub(crate) fn resource(self) -> Name<'static> {
        Name(b"FwR")
    }
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kid {
    /// Marked content `mcid` on page `page`.
    Content {
        page: usize,
        mcid: i32,
    },
    Element(usize),
    /// A widget annotation, by its index in [`Layout::widgets`].
    Widget(usize),
}

pub(crate) struct Element {
    pub role: StructRole,
    pub parent: usize,
    pub kids: Vec<Kid>,
    /// A table cell's attributes (PDF/UA: a TH's scope, a TD's header cells).
    pub cell: Option<Cell>,
}

/// What a table cell's structure element says of its place in the table.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    /// A column's header cell with its structure id, which the column's data cells name.
    Header { id: String },
    /// A data cell and the ids of its column's header cells.
    Data { headers: Vec<String> },
}

/// A widget annotation: where it is and which field it shows.
pub(crate) struct Widget {
    pub page: usize,
    pub rect: [f32; 4],
    pub field: usize,
    /// The on-state of a checkbox or radio button.
    pub on: Option<String>,
    /// Tooltip of a radio button (its field's tooltip is the question).
    pub tooltip: Option<String>,
    pub element: usize,
}

pub struct Page {
    pub content: Content,
    /// The structure element of each marked-content id, in order.
    pub mcids: Vec<usize>,
    /// Widgets on this page, in reading order.
    pub widgets: Vec<usize>,
}

/// A wrapped line: pieces of text in one style each, and its width.
pub struct Line {
    pub pieces: Vec<(Style, String)>,
    pub width: f32,
}

impl Line {
    fn empty() -> Line {
        Line {
            pieces: Vec::new(),
            width: 0.0,
        }
    }

    /// Appends text of width `w`, to the last piece when it has the same style.
    fn push(&mut self, style: Style, text: &str, w: f32) {
        match self.pieces.last_mut() {
            Some((s, t)) if *s == style => t.push_str(text),
            _ => self.pieces.push((style, text.to_string())),
        }
        self.width += w;
    }
}

/// A word of a run in its style.
struct Word {
    style: Style,
    text: String,
    /// A space follows it. An empty word without one is a hard line break.
    spaced: bool,
}

/// The words of `runs` with the spaces that follow them, and their hard line breaks.
fn words(runs: &[Run]) -> Vec<Word> {
    let mut words = Vec::new();
    for run in runs {
        let style = match (run.bold, run.italic) {
            (true, _) => Style::Bold,
            (false, true) => Style::Italic,
            _ => Style::Regular,
        };
        for (i, hard) in run.text.split('\n').enumerate() {
            if i > 0 {
                words.push(Word {
                    style,
                    text: String::new(),
                    spaced: false,
                });
            }
            let parts: Vec<&str> = hard.split(' ').collect();
            for (j, word) in parts.iter().enumerate() {
                let spaced = j + 1 < parts.len();
                if word.is_empty() && !spaced {
                    continue;
                }
                words.push(Word {
                    style,
                    text: word.replace(['\t', '\r'], " "),
                    spaced,
                });
            }
        }
    }
    words
}

/// Fills lines of at most `width` word by word.
struct LineFiller<'f> {
    fonts: &'f Fonts,
    size: f32,
    width: f32,
    /// The lines finished so far.
    lines: Vec<Line>,
    /// The line being filled.
    line: Line,
}

impl LineFiller<'_> {
    /// Adds a word to the line, or starts the next line with it when it does not fit.
    fn add(&mut self, word: Word) {
        let Word {
            style,
            text,
            spaced,
        } = word;
        if text.is_empty() && !spaced {
            // A hard line break.
            self.finish_line();
            return;
        }
        let w = width(self.fonts, style, &text, self.size);
        if self.line.width + w > self.width && !self.line.pieces.is_empty() {
            self.finish_line();
        }
        if w > self.width {
            self.break_word(style, &text);
        } else {
            self.line.push(style, &text, w);
        }
        if spaced {
            self.line
                .push(style, " ", width(self.fonts, style, " ", self.size));
        }
    }

    /// A word longer than the line: breaks it where it must, between any two characters.
    fn break_word(&mut self, style: Style, text: &str) {
        let mut buf = [0u8; 4];
        for c in text.chars() {
            let c = c.encode_utf8(&mut buf);
            let cw = width(self.fonts, style, c, self.size);
            if self.line.width + cw > self.width && !self.line.pieces.is_empty() {
                self.finish_line();
            }
            self.line.push(style, c, cw);
        }
    }

    /// Moves the line to the finished ones; its trailing spaces do not count.
    fn finish_line(&mut self) {
        if let Some((s, t)) = self.line.pieces.last_mut() {
            while t.ends_with(' ') {
                t.pop();
                self.line.width -= width(self.fonts, *s, " ", self.size);
            }
        }
        self.lines
            .push(std::mem::replace(&mut self.line, Line::empty()));
    }
}

pub(crate) struct Layout<'a> {
    pub fonts: &'a Fonts,
    pub pages: Vec<Page>,
    /// The top of the free space on the current page.
    pub y: f32,
    pub elements: Vec<Element>,
    pub widgets: Vec<Widget>,
    /// The glyphs drawn so far (pages, headers, field appearances) and the characters no
    /// face has.
    pub used: Rc<RefCell<Usage>>,
}

/// Text size, line height and colour of a kind of text.
#[derive(Clone, Copy)]
pub(crate) struct TextStyle {
    pub size: f32,
    pub leading: f32,
    pub gray: f32,
}

pub(crate) const BODY: TextStyle = TextStyle {
    size: 10.0,
    leading: 14.0,
    gray: 0.0,
};

impl<'a> Layout<'a> {
    pub fn new(fonts: &'a Fonts) -> Layout<'a> {
        let mut layout = Layout {
            fonts,
            pages: Vec::new(),
            y: 0.0,
            elements: vec![Element {
                role: StructRole::Document,
                parent: 0,
                kids: Vec::new(),
                cell: None,
            }],
            widgets: Vec::new(),
            used: Rc::default(),
        };
        layout.new_page();
        layout
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Page {
            content: Content::new(),
            mcids: Vec::new(),
            widgets: Vec::new(),
        });
        self.y = PAGE_H - TOP;
    }

    pub fn page(&self) -> usize {
        self.pages.len() - 1
    }

    /// Starts a new page unless `height` fits below the cursor. A page that is still empty
    /// takes anything.
    pub fn keep(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < PAGE_H - TOP - 0.5 {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: f32) {
        if self.y < PAGE_H - TOP - 0.5 {
            self.y -= height;
        }
    }

    pub fn element(&mut self, role: StructRole, parent: usize) -> usize {
        self.elements.push(Element {
            role,
            parent,
            kids: Vec::new(),
            cell: None,
        });
        let id = self.elements.len() - 1;
        self.elements[parent].kids.push(Kid::Element(id));
        id
    }

    /// Wraps runs into lines no wider than `width`.
    pub fn wrap(&self, runs: &[Run], size: f32, width: f32) -> Vec<Line> {
        let mut filler = LineFiller {
            fonts: self.fonts,
            size,
            width,
            lines: Vec::new(),
            line: Line::empty(),
        };
        for word in words(runs) {
            filler.add(word);
        }
        if !filler.line.pieces.is_empty() {
            filler.finish_line();
        }
        filler.lines
    }

    /// Draws one line at the cursor as marked content of `element`, and moves down.
    pub(crate) fn draw_line(&mut self, element: usize, x: f32, line: &Line, style: TextStyle) {
        self.keep(style.leading);
        self.draw_line_at(element, x, self.y, line, style);
        self.y -= style.leading;
    }

    /// Draws one line whose line box begins at `top`, without moving the cursor.
    pub(crate) fn draw_line_at(
        &mut self,
        element: usize,
        x: f32,
        top: f32,
        line: &Line,
        style: TextStyle,
    ) {
        let (fonts, used) = (self.fonts, self.used.clone());
        self.marked(element, None, |c| {
            show_line(c, &TextOut { fonts, used: &used }, x, top, line, style)
        });
    }

    /// Draws one line whose line box begins at `top` as decoration (a repeated table header,
    /// "Fortsetzung von …"): read once where it is tagged, not again on every page.
    pub(crate) fn artifact_line(&mut self, x: f32, top: f32, line: &Line, style: TextStyle) {
        let (fonts, used) = (self.fonts, self.used.clone());
        self.artifact(|c| show_line(c, &TextOut { fonts, used: &used }, x, top, line, style));
    }

    /// Shows text with the fonts of this layout, its glyphs counted in [`Layout::used`]:
    /// for content drawn outside [`Layout::text`] (numbers, headers, field appearances).
    pub(crate) fn show(&self, c: &mut Content, style: Style, size: f32, text: &str) -> f32 {
        let out = TextOut {
            fonts: self.fonts,
            used: &self.used,
        };
        out.show(c, style, size, 0.0, text)
    }

    /// Draws content as the next marked-content id of `element` on the current page, read
    /// out as `actual_text` when given.
    fn marked(
        &mut self,
        element: usize,
        actual_text: Option<&str>,
        draw: impl FnOnce(&mut Content),
    ) {
        let page = self.page();
        let mcid = self.pages[page].mcids.len() as i32;
        self.pages[page].mcids.push(element);
        self.elements[element]
            .kids
            .push(Kid::Content { page, mcid });
        let role = self.elements[element].role.to_name();
        let c = &mut self.pages[page].content;
        {
            let mut mark = c.begin_marked_content_with_properties(role);
            let mut props = mark.properties();
            props.identify(mcid);
            if let Some(text) = actual_text {
                props.actual_text(pdf_writer::TextStr(text));
            }
        }
        draw(c);
        c.end_marked_content();
    }

    /// A paragraph of runs as a new element `role` under `parent`, from `x` (relative to
    /// the left margin) over `width`.
    pub fn text(
        &mut self,
        role: StructRole,
        parent: usize,
        runs: &[Run],
        style: TextStyle,
        x: f32,
        width: f32,
    ) -> usize {
        let element = self.element(role, parent);
        for line in self.wrap(runs, style.size, width) {
            self.draw_line(element, LEFT + x, &line, style);
        }
        element
    }

    /// The height of runs wrapped to `width`.
    pub(crate) fn height(&self, runs: &[Run], style: TextStyle, width: f32) -> f32 {
        self.wrap(runs, style.size, width).len() as f32 * style.leading
    }

    /// Draws graphics as marked content of `element`, read out as `text`.
    pub(crate) fn tagged(&mut self, element: usize, text: &str, draw: impl FnOnce(&mut Content)) {
        self.marked(element, Some(text), |c| {
            c.save_state();
            draw(c);
            c.restore_state();
        });
    }

    /// Draws decoration (boxes, rules) that carries no content of its own.
    pub(crate) fn artifact(&mut self, draw: impl FnOnce(&mut Content)) {
        let page = self.page();
        let c = &mut self.pages[page].content;
        c.begin_marked_content(Name(b"Artifact"));
        c.save_state();
        draw(c);
        c.restore_state();
        c.end_marked_content();
    }

    /// Regular text at (x, y) as decoration (a line's number: the field's tooltip names it).
    pub(crate) fn artifact_text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        let (fonts, used) = (self.fonts, self.used.clone());
        self.artifact(|c| {
            c.begin_text();
            c.next_line(x, y);
            TextOut { fonts, used: &used }.show(c, Style::Regular, size, 0.0, text);
            c.end_text();
        });
    }

    pub fn widget(&mut self, widget: Widget) -> usize {
        let id = self.widgets.len();
        self.elements[widget.element].kids.push(Kid::Widget(id));
        let page = widget.page;
        self.widgets.push(widget);
        self.pages[page].widgets.push(id);
        id
    }
}

/// Plain text as one regular run.
pub fn plain(text: &str) -> Vec<Run> {
    vec![Run {
        text: text.to_string(),
        bold: false,
        italic: false,
    }]
}

pub(crate) fn styled(text: &str, bold: bool, italic: bool) -> Run {
    Run {
        text: text.to_string(),
        bold,
        italic,
    }
}

/// A circle as four Bézier curves.
pub fn circle(c: &mut pdf_writer::Content, cx: f32, cy: f32, r: f32) {
    let k = 0.5523 * r;
    c.move_to(cx + r, cy);
    c.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    c.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    c.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    c.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    c.close_path();
}

/// The cross of a chosen checkbox whose 11 pt box has its corner at (x, y).
pub fn cross(c: &mut Content, x: f32, y: f32) {
    c.set_stroke_gray(0.0)
        .set_line_width(1.2)
        .move_to(x + 2.2, y + 2.2)
        .line_to(x + 8.8, y + 8.8)
        .move_to(x + 2.2, y + 8.8)
        .line_to(x + 8.8, y + 2.2)
        .stroke();
}

/// Draws `line` whose line box begins at `top`, its baseline placed in the box as every line
/// of text is.
fn show_line(c: &mut Content, out: &TextOut, x: f32, top: f32, line: &Line, style: TextStyle) {
    let baseline = top - style.leading + (style.leading - style.size) / 2.0 + 0.2 * style.size;
    c.begin_text();
    c.set_fill_gray(style.gray);
    c.next_line(x, baseline);
    for (s, text) in &line.pieces {
        out.show(c, *s, style.size, style.gray, text);
    }
    c.end_text();
}
