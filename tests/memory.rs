//! A large download among the content (and a large script in static/, whose name carries a
//! hash of its content) costs no memory: files are hashed, compared and copied in pieces.
//! Peak memory is read from the kernel's accounting of the build process (wait4).

mod common;

use std::path::Path;

use common::Site;

const SIZE: u64 = 128 * 1024 * 1024;

/// Runs `formwerk build` and returns its exit status and peak resident memory in bytes.
// The child is reaped by wait4, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn build_peak(root: &Path) -> (i32, u64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_formwerk"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both pointers are valid for the call.
    let rc = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(rc, child.id() as i32);
    // ru_maxrss is in KiB on Linux.
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64 * 1024)
}

#[test]
fn a_large_download_is_copied_and_compared_without_reading_it_whole() {
    let site = Site::bundled();
    let file = site.path("content/hinweise/foerderdaten.zip");
    // Mostly a hole (no disk blocks), with data at both ends so it is not all zeros.
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(SIZE).unwrap();
    use std::os::unix::fs::FileExt;
    f.write_all_at(b"PK start", 0).unwrap();
    f.write_all_at(b"end", SIZE - 3).unwrap();
    drop(f);
    site.write(
        "content/hinweise/daten.md",
        "+++\ntitle = \"Daten\"\n+++\n\n[Förderdaten](foerderdaten.zip)\n",
    );
    // A large script in static/ gets a name with a hash of its content: hashed in pieces too.
    std::fs::create_dir_all(site.path("static")).unwrap();
    let script = std::fs::File::create(site.path("static/bibliothek.js")).unwrap();
    script.set_len(SIZE).unwrap();
    script.write_all_at(b"/* Bibliothek */", 0).unwrap();
    drop(script);

    // First build: copied. Second (the page changed, so it is not skipped): compared.
    let (status, first) = build_peak(site.root());
    assert_eq!(status, 0);
    assert_eq!(
        std::fs::metadata(site.out().join("hinweise/foerderdaten.zip"))
            .unwrap()
            .len(),
        SIZE
    );
    site.write(
        "content/hinweise/daten.md",
        "+++\ntitle = \"Daten\"\n+++\n\n[Die Förderdaten](foerderdaten.zip)\n",
    );
    let (status, second) = build_peak(site.root());
    assert_eq!(status, 0);
    for (what, peak) in [("copy", first), ("compare", second)] {
        assert!(
            // A third of the file: the program itself (fonts for every script, the crypto)
            // takes some MiB before a byte of the download is read.
            peak < SIZE / 3,
            "{what}: peak memory {} MiB for a {} MiB file",
            peak >> 20,
            SIZE >> 20
        );
    }
    let hashed = std::fs::read_dir(site.out())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| {
            n.starts_with("bibliothek.")
                && n.ends_with(".js")
                && n.len() == "bibliothek.12345678.js".len()
        });
    assert!(hashed.is_some(), "the script has a hashed name");
    let copied = std::fs::read(site.out().join("hinweise/foerderdaten.zip")).unwrap();
    assert!(copied.starts_with(b"PK start") && copied.ends_with(b"end"));
}
