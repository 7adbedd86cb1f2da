//! The passphrase of the private key file: from a file (`--passphrase-file`, for scripts) or
//! typed at the terminal. Typing is read from /dev/tty with echo switched off by `stty -echo`
//! (no crate for it is on the agreed list, and the standard library has no termios); where
//! `stty` is missing the input stays visible and a warning says so.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use formwerk_seal::Zeroizing;

/// A passphrase file's largest size: a passphrase, not a document.
const FILE_MAX_BYTES: u64 = 4096;

/// Reads the passphrase from `file` (its first line) or, without one, from the terminal;
/// `confirm` asks twice (a new key).
pub fn read(file: Option<&Path>, confirm: bool) -> anyhow::Result<Zeroizing<String>> {
    match file {
        Some(path) => from_file(path),
        None => from_terminal(confirm),
    }
}

fn from_file(path: &Path) -> anyhow::Result<Zeroizing<String>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("Passphrase-Datei {} nicht lesbar", path.display()))?
        .len();
    if size > FILE_MAX_BYTES {
        bail!(
            "Passphrase-Datei {} ist zu groß ({size} Bytes, höchstens {FILE_MAX_BYTES})",
            path.display()
        );
    }
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("Passphrase-Datei {} nicht lesbar", path.display()))?,
    );
    let line = text.lines().next().unwrap_or_default();
    Ok(Zeroizing::new(line.to_string()))
}

/// Switches the terminal's echo off while alive, back on when dropped.
struct EchoOff {
    tty: Option<File>,
}

impl EchoOff {
    fn new(tty: &File) -> EchoOff {
        let off = stty(tty, "-echo");
        if !off {
            eprintln!(
                "Warnung: Die Eingabe kann nicht verborgen werden (stty fehlt); sie ist sichtbar."
            );
        }
        EchoOff {
            tty: off.then(|| tty.try_clone().ok()).flatten(),
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(tty) = &self.tty {
            stty(tty, "echo");
        }
    }
}

fn stty(tty: &File, setting: &str) -> bool {
    let Ok(stdin) = tty.try_clone() else {
        return false;
    };
    Command::new("stty")
        .arg(setting)
        .stdin(Stdio::from(stdin))
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn prompt(tty: &mut File, text: &str) -> anyhow::Result<Zeroizing<String>> {
    write!(tty, "{text}")?;
    tty.flush()?;
    let mut line = Zeroizing::new(String::new());
    {
        let _echo = EchoOff::new(tty);
        BufReader::new(tty.try_clone()?).read_line(&mut line)?;
    }
    writeln!(tty)?;
    let end = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(end);
    Ok(line)
}

fn from_terminal(confirm: bool) -> anyhow::Result<Zeroizing<String>> {
    let mut tty = File::options()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .context("kein Terminal für die Passphrase; --passphrase-file DATEI angeben")?;
    let first = prompt(&mut tty, "Passphrase: ")?;
    if confirm {
        let second = prompt(&mut tty, "Passphrase wiederholen: ")?;
        if first != second {
            bail!("Die beiden Eingaben der Passphrase stimmen nicht überein");
        }
    }
    Ok(first)
}
