//! File and heading names written decomposed (NFD: "U" and a combining diaeresis, as macOS
//! writes file names) give the same ids, output paths and link targets as the composed
//! spelling (NFC) that editors type in links.

mod common;

use common::{Site, sel};

const NFD_UE: &str = "U\u{308}";
const NFD_AE: &str = "a\u{308}";

fn site() -> Site {
    let site = Site::fixture("invalid/broken-link");
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Start\"\n+++\n\n[Mängel](Übersicht.md#maengel), [Plan](Pläne.pdf), [auch](#uebersicht-der-maengel)\n\n## Übersicht der Mängel\n",
    );
    std::fs::remove_file(site.path("content/hilfen.md")).unwrap();
    site.write(
        &format!("content/{NFD_UE}bersicht.md"),
        &format!(
            "+++\ntitle = \"{NFD_UE}bersicht\"\n+++\n\n## M{NFD_AE}ngel\n\n[zurück](#maengel)\n"
        ),
    );
    site.write(&format!("content/Pl{NFD_AE}ne.pdf"), "%PDF-1.4\n");
    site
}

#[test]
fn decomposed_names_give_the_ids_and_paths_of_composed_ones() {
    let site = site();
    site.build_ok();
    let page = site.html("uebersicht/index.html");
    let ids: Vec<_> = page
        .select(&sel("h2"))
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids, ["maengel"]);
    let start = site.html("index.html");
    let hrefs: Vec<_> = start
        .select(&sel("main a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"uebersicht/index.html#maengel"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#uebersicht-der-maengel"), "{hrefs:?}");
    // The copied file gets the composed name the link uses (ä as UTF-8 bytes C3 A4).
    assert!(hrefs.contains(&"Pl%C3%A4ne.pdf"), "{hrefs:?}");
    assert!(site.path("site/Pläne.pdf").is_file());
}

#[test]
fn check_agrees() {
    let out = site().run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
