//! `formwerk keys new`: the ministry's key pair for encrypted submissions (issue 27; editors'
//! guide docs/schluessel.md). RSA 4096 (BSI TR-02102-1), the public key as a JWK for the site,
//! the private key as a passphrase-protected key file for the clerks, both named by the
//! key's RFC 7638 thumbprint.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use formwerk_seal::{PrivateJwk, keyfile};

#[derive(clap::Subcommand)]
pub enum KeysCommand {
    /// Make a new key pair (RSA 4096): DIR/<Fingerabdruck>.public.jwk.json for the site and
    /// DIR/<Fingerabdruck>.key.jwe, the private key protected by a passphrase (asked twice,
    /// not shown). Never overwrites a file.
    New {
        /// The folder to write both files into (made if missing); not the site's folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Read the passphrase from the first line of this file instead of asking (scripts).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
}

pub fn run(command: &KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::New {
            out,
            passphrase_file,
        } => new(out, passphrase_file.as_deref()),
    }
}

fn new(out: &Path, passphrase_file: Option<&Path>) -> anyhow::Result<()> {
    let passphrase = crate::passphrase::read(passphrase_file, true)?;
    let chars = passphrase.chars().count();
    if chars < keyfile::MIN_PASSPHRASE_CHARS {
        bail!(
            "Die Passphrase hat {chars} Zeichen; verlangt sind mindestens {}",
            keyfile::MIN_PASSPHRASE_CHARS
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    eprintln!("Erzeuge RSA-Schlüssel ({} Bit) …", formwerk_seal::KEY_BITS);
    let key = PrivateJwk::generate(formwerk_seal::KEY_BITS)?;
    let kid = key.kid().to_string();
    let public_path = out.join(format!("{kid}.public.jwk.json"));
    let private_path = out.join(format!("{kid}{}", keyfile::EXTENSION));
    for path in [&public_path, &private_path] {
        if path.symlink_metadata().is_ok() {
            bail!("{} gibt es schon; nichts geschrieben", path.display());
        }
    }
    let sealed = keyfile::seal(&key, &passphrase)?;
    write_new(&private_path, sealed.as_bytes(), true)?;
    write_new(&public_path, key.public().to_json().as_bytes(), false)?;
    println!("{}", next_steps(&kid, &public_path, &private_path));
    Ok(())
}

/// Writes a file that must not exist yet (never overwrites, never follows a link); the key
/// file readable by its owner only.
fn write_new(path: &Path, bytes: &[u8], private: bool) -> anyhow::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn next_steps(kid: &str, public: &Path, private: &Path) -> String {
    format!(
        "Neues Schlüsselpaar (RSA {bits} Bit):
  öffentlicher Schlüssel:  {public}
  privater Schlüssel:      {private} (mit der Passphrase geschützt)

Fingerabdruck (SHA-256, RFC 7638):
  {kid}

Nächste Schritte:
  1. Den öffentlichen Schlüssel in den Ordner der Website legen und in formwerk.toml unter
     [submission] als encrypt_to nennen.
  2. Den Fingerabdruck im Aufruf zur Antragstellung abdrucken: das Formular zeigt ihn an.
  3. Die Schlüsseldatei niemals in den Ordner der Website legen. Eine zweite Kopie auf einem
     Datenträger in den Tresor; die Passphrase getrennt davon verwahren.
  4. Ohne Schlüsseldatei und Passphrase lassen sich die Anträge nicht mehr öffnen.
Mehr dazu: formwerk help schluessel",
        bits = formwerk_seal::KEY_BITS,
        public = public.display(),
        private = private.display(),
    )
}
