//! `[look]` in formwerk.toml: a ministry's name, logo, colour and footer lines without a
//! template of its own, on every page and in the offline copy; a colour too light to read or a
//! logo that is not there is refused (the low-contrast case is an invalid fixture too).

mod common;

use common::{Site, hashed};
use scraper::Selector;

fn site_with(look: &str) -> Site {
    let site = Site::fixture("valid");
    let config = site.read("formwerk.toml");
    site.write("formwerk.toml", &format!("{config}\n[look]\n{look}\n"));
    site
}

#[test]
fn organisation_logo_colour_and_footer_reach_every_page_and_the_offline_copy() {
    let site = site_with(
        "organisation = \"Landkreis Lüchow-Dannenberg\"\nlogo = \"wappen.svg\"\naccent = \"#8a1538\"\nfooter = [\"Königsberger Straße 10, 29439 Lüchow\", \"Telefon 05841 120-0\"]",
    );
    site.write(
        "static/wappen.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    site.build_ok();
    let out = site.out();
    let page = site.html("index.html");
    let one = |css: &str| {
        let s = Selector::parse(css).unwrap();
        page.select(&s)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        one("header .site-organisation"),
        ["Landkreis Lüchow-Dannenberg"]
    );
    assert_eq!(
        one("footer .footer-line"),
        [
            "Königsberger Straße 10, 29439 Lüchow",
            "Telefon 05841 120-0"
        ]
    );
    let logo = Selector::parse("header img.site-logo").unwrap();
    let src = page
        .select(&logo)
        .next()
        .unwrap()
        .value()
        .attr("src")
        .unwrap()
        .to_string();
    assert_eq!(src, "wappen.svg");
    assert!(out.join(&src).is_file());
    let css = std::fs::read_to_string(out.join(hashed(&out, "formwerk.css"))).unwrap();
    assert!(
        css.ends_with(":root { --accent: #8a1538; --accent-dark: #650f29; }\n"),
        "{css}"
    );
    // The offline copy inlines the same style sheet.
    let offline = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with("-offline.html"))
        .unwrap();
    let offline = std::fs::read_to_string(offline.path()).unwrap();
    assert!(offline.contains("--accent: #8a1538"));
    assert!(offline.contains("Landkreis Lüchow-Dannenberg"));
}

#[test]
fn without_look_nothing_is_added() {
    let site = Site::fixture("valid");
    site.build_ok();
    let out = site.out();
    let css = std::fs::read_to_string(out.join(hashed(&out, "formwerk.css"))).unwrap();
    assert!(!css.contains(":root { --accent:"));
    let html = site.read("site/index.html");
    assert!(
        !html.contains("site-organisation")
            && !html.contains("site-logo")
            && !html.contains("footer-line")
    );
}

#[test]
fn a_missing_logo_or_a_colour_that_is_none_is_refused_with_its_place() {
    let site = site_with("logo = \"logo.svg\"");
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("error[invalid-look]: the logo `logo.svg` is not in static/"),
        "{stderr}"
    );
    let site = site_with("accent = \"blau\"");
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`blau` is not a colour"), "{stderr}");
    assert!(stderr.contains("formwerk.toml:"), "{stderr}");
    let site = site_with("logo = \"../geheim.svg\"");
    let stderr = String::from_utf8_lossy(&site.build().stderr).into_owned();
    assert!(stderr.contains("cannot be the logo"), "{stderr}");
}
