//! How a Markdown page's file is read: every byte once. A page rendered in this build
//! whatever its hash (every page without a render cache, or after the theme or the
//! configuration changed; a page whose own file changed) waits as an open file: loading
//! reads it up to the end of its front matter, all that loading needs, and rendering reads
//! the rest through the same file (beyond the limit on open files it is opened again and
//! read on from there). The memory held per page is its front matter, not its text. The
//! other files, which a rebuild hashes to compare with the last build, are read whole;
//! their texts are held for rendering within [`HELD_TEXT_BUDGET`], and read again beyond it.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use formwerk_base::diagnostics::{Diagnostic, text_of, unreadable};

/// Up to how many bytes of Markdown a build holds from loading a page until rendering it
/// when its files are read whole (10,000 pages of 4 KB would otherwise hold 40 MB).
pub(crate) const HELD_TEXT_BUDGET: usize = 16 << 20;

/// How much of a file is read first: front matter is rarely longer. Smaller files are read
/// whole; what a page waiting open holds of its body is less than this.
const FIRST_READ: usize = 512;

/// Open files kept back for the rest of the process (output files, the theme, the cache).
const SPARE_FILES: usize = 256;

/// What loading may hold: open files within the process's limit (when every page is
/// rendered), texts within the budget.
pub(crate) struct Holding<'a> {
    held: AtomicUsize,
    open: AtomicUsize,
    /// Whether the page from a source (`content/…`) is rendered in this build whatever its
    /// hash: only then may it wait (a page taken over from the last build needs the hash of
    /// its whole file first).
    may_wait: &'a (dyn Fn(&Path) -> bool + Sync),
}

impl<'a> Holding<'a> {
    pub fn new(may_wait: &'a (dyn Fn(&Path) -> bool + Sync)) -> Holding<'a> {
        Holding {
            held: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            may_wait,
        }
    }

    /// Whether a text of `len` bytes still fits into the budget; counted if it does.
    pub fn hold(&self, len: usize) -> bool {
        let before = self.held.fetch_add(len, Ordering::Relaxed);
        before + len <= HELD_TEXT_BUDGET
    }

    /// Whether one more file may stay open until its page is rendered; counted if so.
    fn keep_open(&self) -> bool {
        self.open.fetch_add(1, Ordering::Relaxed) < open_file_allowance()
    }
}

/// How many files may wait open: the process's limit raised as far as the system allows
/// (most start at 1,024 with a hard limit far above), less [`SPARE_FILES`].
fn open_file_allowance() -> usize {
    static ALLOWANCE: OnceLock<usize> = OnceLock::new();
    *ALLOWANCE.get_or_init(|| raise_open_file_limit().saturating_sub(SPARE_FILES))
}

#[cfg(unix)]
fn raise_open_file_limit() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: the kernel writes one rlimit; on failure nothing is kept open.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 0;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            ..limit
        };
        // SAFETY: as above; the kernel reads one rlimit.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        }
    }
    usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX)
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> usize {
    0
}

/// A page's file, open, of which the start has been read.
#[derive(Debug)]
pub struct Pending {
    /// Closed when too many wait open.
    file: Option<File>,
    /// What has been read and not yet handed out.
    bytes: Vec<u8>,
    /// The file's size when it was opened.
    size: usize,
}

/// The start of a file: what the loading reads.
pub enum Start {
    /// The whole file, and whether its text is held for rendering.
    Whole { bytes: Vec<u8>, held: bool },
    /// The front matter, up to the body (`+++` line included), and the file to read on.
    Head(String, Pending),
}

/// Opens the file and reads it: up to its body if it is longer than the first read and
/// `holding` lets it wait open, else whole (its text held if the budget allows).
pub(crate) fn read_start(path: &Path, source: &Path, holding: &Holding) -> io::Result<Start> {
    let file = File::open(path)?;
    let size = file
        .metadata()
        .map_or(0, |m| usize::try_from(m.len()).unwrap_or(0));
    let mut pending = Pending {
        bytes: Vec::with_capacity(FIRST_READ.min(size + 1)),
        file: Some(file),
        size,
    };
    if size >= FIRST_READ
        && (holding.may_wait)(source)
        && let Some(head) = pending.read_head()?
    {
        if !holding.keep_open() {
            // Beyond the limit on open files: opened again when rendered, read on from here.
            pending.file = None;
        }
        return Ok(Start::Head(head, pending));
    }
    let bytes = pending.rest()?;
    let held = holding.hold(bytes.len());
    Ok(Start::Whole { bytes, held })
}

/// Splits `+++\n…\n+++\n` from the body: (front matter, its offset, body offset).
pub fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n')?;
    if rest[..first_line_end].trim_end() != "+++" {
        return None;
    }
    let fm_start = start + first_line_end + 1;
    let mut pos = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&text[fm_start..pos], fm_start, pos + line.len()));
        }
        pos += line.len();
    }
    None
}

impl Pending {
    /// Reads up to the end of the front matter (the `+++` line) and hands it out; `None`
    /// when the front matter never ends or is not text, to be read whole for the error.
    fn read_head(&mut self) -> io::Result<Option<String>> {
        let mut wanted = FIRST_READ;
        loop {
            let at_end = self.read_up_to(wanted)?;
            let valid = match std::str::from_utf8(&self.bytes) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&self.bytes[..e.valid_up_to()]).unwrap_or_default(),
            };
            // Only a closing line that ends within what was read: "+++" cut off from "+++ x".
            let head = split_front_matter(valid)
                .map(|(_, _, body)| body)
                .filter(|&body| valid[..body].ends_with('\n'));
            if let Some(body) = head {
                let head = valid[..body].to_string();
                self.bytes.drain(..body);
                self.bytes.shrink_to_fit();
                return Ok(Some(head));
            }
            if at_end || self.bytes.len() > valid.len() + 3 {
                return Ok(None);
            }
            wanted *= 2;
        }
    }

    /// Reads until `len` bytes are held or the file ends; true at its end.
    fn read_up_to(&mut self, len: usize) -> io::Result<bool> {
        let have = self.bytes.len();
        if len <= have {
            return Ok(false);
        }
        let Some(file) = &mut self.file else {
            return Ok(true);
        };
        let got = file
            .take((len - have) as u64)
            .read_to_end(&mut self.bytes)?;
        Ok(self.bytes.len() < len || got == 0)
    }

    /// The whole file, read on to its end: one `read` for a file as long as its size says.
    /// Only before anything was handed out.
    fn rest(self) -> io::Result<Vec<u8>> {
        let Some(mut file) = self.file else {
            return Ok(self.bytes);
        };
        formwerk_base::diagnostics::read_on(&mut file, self.bytes, self.size)
    }

    /// The whole file: `head` (its front matter, as handed out when loading), what was read
    /// after it, and the rest read now into the same buffer. `None` when the file is no
    /// longer as long as it was: it was saved meanwhile, and its head may have changed too.
    pub fn finish(self, head: &str, path: &Path) -> io::Result<Option<Vec<u8>>> {
        use std::io::{Seek, SeekFrom};
        let read = head.len() + self.bytes.len();
        let mut file = match self.file {
            Some(file) => file,
            None => {
                let mut file = File::open(path)?;
                if file.metadata()?.len() != self.size as u64 {
                    return Ok(None);
                }
                file.seek(SeekFrom::Start(read as u64))?;
                file
            }
        };
        // One byte more than the size, as `read_on` reads to see the end.
        let mut whole = Vec::with_capacity(self.size.max(read) + 1);
        whole.extend_from_slice(head.as_bytes());
        whole.extend_from_slice(&self.bytes);
        let whole = formwerk_base::diagnostics::read_on(&mut file, whole, self.size)?;
        Ok((whole.len() == self.size).then_some(whole))
    }

    /// The page's whole text: its head as loaded and the rest read now. `None` when the file
    /// changed meanwhile (rendering then reads it anew); an error when the rest cannot be
    /// read or is not UTF-8.
    pub fn finish_text(
        self,
        page: &super::Page,
        root: &Path,
    ) -> Result<Option<Arc<str>>, Diagnostic> {
        match self.finish(&page.head, &root.join(&page.source)) {
            Ok(Some(bytes)) => text_of(bytes, &page.source).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(unreadable(&page.source, &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_closed_while_waiting_is_opened_again_and_read_on() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("page.md");
        let text = format!("+++\ntitle = \"A\"\n+++\n{}", "Absatz. ".repeat(500));
        std::fs::write(&path, &text).unwrap();
        let Start::Head(head, mut pending) = read_start(&path, Path::new("p"), &waiting()).unwrap()
        else {
            panic!("read whole");
        };
        pending.file = None;
        assert_eq!(
            pending.finish(&head, &path).unwrap().unwrap(),
            text.as_bytes()
        );
    }

    fn waiting() -> Holding<'static> {
        Holding::new(&|_| true)
    }

    fn start(text: &[u8]) -> (String, Vec<u8>) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("page.md");
        std::fs::write(&path, text).unwrap();
        match read_start(&path, Path::new("content/page.md"), &waiting()).unwrap() {
            Start::Whole { bytes, .. } => (String::new(), bytes),
            Start::Head(head, pending) => {
                let whole = pending.finish(&head, &path).unwrap().unwrap();
                (head, whole)
            }
        }
    }

    #[test]
    fn reads_the_head_first_and_the_rest_later_each_byte_once() {
        let body = "Text. ".repeat(1000);
        let text = format!("+++\ntitle = \"A\"\n+++\n{body}");
        let (head, whole) = start(text.as_bytes());
        assert_eq!(head, "+++\ntitle = \"A\"\n+++\n");
        assert_eq!(whole, text.as_bytes());
    }

    #[test]
    fn long_front_matter_is_read_on_until_it_ends() {
        let text = format!(
            "+++\ntitle = \"A\"\ndescription = \"{}\"\n+++\nBody {}",
            "x".repeat(5000),
            "y".repeat(3000)
        );
        let (head, whole) = start(text.as_bytes());
        assert!(head.ends_with("+++\n") && head.len() > 5000);
        assert_eq!(whole, text.as_bytes());
    }

    #[test]
    fn a_closing_line_cut_off_by_the_first_read_is_not_taken_for_one() {
        // The first read ends right after "+++" of the line "+++ not the end".
        let filler = "a".repeat(FIRST_READ - "+++\ntitle = \"\"\n+++".len());
        let text = format!("+++\ntitle = \"{filler}\"\n+++ not the end\nx = 1\n+++\nBody");
        let (head, whole) = start(text.as_bytes());
        assert!(head.ends_with("x = 1\n+++\n"), "{head}");
        assert_eq!(whole, text.as_bytes());
    }

    #[test]
    fn small_unclosed_and_broken_files_are_read_whole() {
        for text in [
            b"+++\ntitle = \"A\"\n+++\nsmall".to_vec(),
            format!("+++\ntitle = \"A\"\n{}", "b".repeat(4000)).into_bytes(),
            [b"+++\ntitle = \"\xff\xfe\"\n".as_slice(), &[b'c'; 3000]].concat(),
        ] {
            let (head, whole) = start(&text);
            assert_eq!(head, "");
            assert_eq!(whole, text);
        }
    }

    #[test]
    fn a_file_saved_meanwhile_is_not_pieced_together() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("page.md");
        let text = format!("+++\ntitle = \"A\"\n+++\n{}", "z".repeat(4000));
        std::fs::write(&path, &text).unwrap();
        let Start::Head(head, pending) =
            read_start(&path, Path::new("content/page.md"), &waiting()).unwrap()
        else {
            panic!("read whole");
        };
        std::fs::write(&path, "+++\ntitle = \"B\"\n+++\nshort").unwrap();
        assert_eq!(pending.finish(&head, &path).unwrap(), None);
    }

    #[test]
    fn the_budget_and_the_open_files_are_counted() {
        let holding = Holding::new(&|source| source == Path::new("content/neu.md"));
        assert!(holding.hold(HELD_TEXT_BUDGET - 10));
        assert!(!holding.hold(11));
        assert!(!(holding.may_wait)(Path::new("content/alt.md")));
        assert!((holding.may_wait)(Path::new("content/neu.md")));
        assert!(holding.keep_open());
        assert!(open_file_allowance() > 0);
    }
}
