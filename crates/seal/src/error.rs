//! Why a key or a file is refused, in words for the clerk (German: the CLI's per-file report
//! and the inbox show them as they are).

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SealError {
    #[error("Datei ist zu groß ({size} Bytes, höchstens {max})")]
    TooLarge { size: u64, max: u64 },
    #[error("Keine gültige verschlüsselte Datei (JWE): {0}")]
    Malformed(&'static str),
    #[error("Verschlüsselungsverfahren „{found}“ wird nicht angenommen (erwartet: {expected})")]
    ForeignAlg {
        found: String,
        expected: &'static str,
    },
    #[error("Inhaltsverschlüsselung „{0}“ wird nicht angenommen (erwartet: A256GCM)")]
    ForeignEnc(String),
    #[error("Komprimierte verschlüsselte Dateien (zip) werden nicht angenommen")]
    Zip,
    #[error("Verschlüsselte Dateien mit kritischen Erweiterungen (crit) werden nicht angenommen")]
    Crit,
    #[error("Datei ist für einen anderen Schlüssel verschlüsselt (kid {0})")]
    WrongKey(String),
    #[error("Schlüssel passt nicht zur Datei (RSA-OAEP-Entschlüsselung fehlgeschlagen)")]
    KeyUnwrap,
    #[error("Datei wurde verändert (GCM-Prüfung fehlgeschlagen)")]
    Tampered,
    #[error("Passphrase ist falsch (oder die Schlüsseldatei wurde verändert)")]
    WrongPassphrase,
    #[error("Iterationszahl p2c {0} liegt außerhalb von 1.000 bis 10.000.000")]
    Iterations(u64),
    #[error("Kein gültiger Schlüssel (JWK): {0}")]
    BadKey(String),
    #[error("Schlüssel hat {0} Bit; verlangt sind mindestens 3072 (BSI TR-02102-1)")]
    KeyTooSmall(usize),
    #[error("Zufallszahlen des Betriebssystems nicht verfügbar")]
    Random,
}
