//! Writing the output: everything goes into a fresh folder beside the output folder, which is
//! swapped in only when it is complete. A failed build leaves the old output untouched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One file of the finished site.
pub enum OutputFile {
    /// Rendered text.
    Text(String),
    /// A file copied unchanged from the site's sources.
    Copy(PathBuf),
}

/// Writes `files` (path relative to the output folder → content) and replaces `output` with
/// the result in one rename; on any error the temporary folder is removed and `output` is
/// left as it was.
pub fn write_site(output: &Path, files: &[(String, OutputFile)]) -> io::Result<()> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let staging = parent.join(format!(".{name}.formwerk-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.formwerk-old-{}", std::process::id()));
    for stale in [&staging, &retired] {
        if stale.exists() {
            fs::remove_dir_all(stale)?;
        }
    }
    if let Err(e) = write_all(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        fs::rename(output, &retired)?;
        if let Err(e) = fs::rename(&staging, output) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&retired, output);
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        fs::remove_dir_all(&retired)?;
    } else {
        fs::rename(&staging, output)?;
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[(String, OutputFile)]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut made = std::collections::BTreeSet::new();
    for (rel, file) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent()
            && made.insert(parent.to_path_buf())
        {
            fs::create_dir_all(parent)?;
        }
        match file {
            OutputFile::Text(text) => {
                let mut f = io::BufWriter::new(fs::File::create(&path)?);
                f.write_all(text.as_bytes())?;
                f.flush()?;
            }
            OutputFile::Copy(src) => {
                fs::copy(src, &path)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_output_and_leaves_no_staging_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(
            &out,
            &[("a/index.html".into(), OutputFile::Text("one".into()))],
        )
        .unwrap();
        write_site(&out, &[("b.html".into(), OutputFile::Text("two".into()))]).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn failed_write_keeps_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(
            &out,
            &[("index.html".into(), OutputFile::Text("old".into()))],
        )
        .unwrap();
        let missing = OutputFile::Copy(tmp.path().join("does-not-exist"));
        assert!(write_site(&out, &[("x".into(), missing)]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
