//! Benchmark of the PDF writer (not a test; run by hand with `cargo bench --bench pdf`):
//! loading and subsetting the theme's fonts (once per build), writing the bundled form's PDF
//! (median of 50), and its size. bench/pdf.sh adds what PDFs cost a whole corpus build.

use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, theme, _) = formwerk_site::pipeline::prepare(root).expect("the bundled site loads");
    let index = site
        .pages
        .iter()
        .position(|p| p.form.is_some())
        .expect("a form");
    let body = site.render_body(index, theme.strings());
    let mut form = site.pages[index].form.clone().unwrap();
    form.apply_rendered(body.form_html);
    let strings = formwerk_pdf::Strings::from_theme(theme.strings());

    let fonts_dir = root.join("crates/render/theme/fonts");
    let started = Instant::now();
    let fonts = formwerk_pdf::Fonts::load(&fonts_dir).unwrap();
    let font_time = started.elapsed();

    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..50 {
        let started = Instant::now();
        let pdf = formwerk_pdf::form_pdf(&form, &fonts, &strings, &site.config.language);
        times.push(started.elapsed());
        size = pdf.len();
    }
    println!("fonts loaded and subset (once per build): {font_time:.2?}");
    println!(
        "bundled form's PDF: median {:.2?} (min {:.2?}, max {:.2?}) over 50 runs",
        median(times.clone()),
        times.iter().min().unwrap(),
        times.iter().max().unwrap()
    );
    println!("size: {} bytes ({:.0} KB)", size, size as f64 / 1024.0);
}
