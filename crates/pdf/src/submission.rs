//! The `[submission]` block at the end of the paper form: how to submit (deadline, recipient,
//! e-mail, form and enclosures — the ministry's texts from the form file) and, with
//! `signature = true`, ruled lines for place and date and for the signature.

use pdf_writer::types::StructRole;

use super::Strings;
use super::layout::*;
use formwerk_form::Form;

const HEADING: TextStyle = TextStyle {
    size: 13.0,
    leading: 18.0,
    gray: 0.0,
};

/// Height left free above a signature line for writing by hand.
const SIGNING_SPACE: f32 = 34.0;

/// Where the signature is written by hand, with `signature = true`: the page, the box
/// above the signature line, and the section it belongs to. The composer puts a signature
/// field there.
pub struct SignatureSpot {
    pub page: usize,
    pub rect: [f32; 4],
    pub sect: usize,
}

pub fn submission(l: &mut Layout, form: &Form, strings: &Strings) -> Option<SignatureSpot> {
    let sub = form.submission.as_ref()?;
    let sect = l.element(StructRole::Sect, 0);
    let heading = vec![styled(
        &strings.submission_title.replace("{title}", &form.title),
        true,
        false,
    )];
    l.space(18.0);
    l.keep(l.height(&heading, HEADING, WIDTH) + 3.0 * BODY.leading);
    l.text(StructRole::H2, sect, &heading, HEADING, 0.0, WIDTH);
    l.space(4.0);
    let fact = |l: &mut Layout, label: &str, value: &str| {
        let mut runs = vec![styled(label, true, false)];
        if !value.is_empty() {
            runs.push(styled(&format!(" {value}"), false, false));
        }
        l.keep(l.height(&runs, BODY, WIDTH));
        l.text(StructRole::P, sect, &runs, BODY, 0.0, WIDTH);
        l.space(4.0);
    };
    if let Some(date) = &sub.deadline_display {
        fact(l, &strings.submission_deadline, date);
    }
    if let Some(recipient) = &sub.recipient {
        fact(l, &strings.submission_recipient, "");
        super::prose::markdown(l, &recipient.html, sect, 0.0);
    }
    if let Some(email) = &sub.email {
        fact(l, &strings.submission_email, email);
    }
    if let Some(how) = &sub.how {
        fact(l, &strings.submission_how, "");
        super::prose::markdown(l, &how.html, sect, 0.0);
    }
    sub.signature.then(|| signature_lines(l, sect, strings))
}

/// Two ruled lines side by side, "Ort, Datum" and "Unterschrift" beneath them.
fn signature_lines(l: &mut Layout, sect: usize, strings: &Strings) -> SignatureSpot {
    let gap = 24.0;
    let width = (WIDTH - gap) / 2.0;
    l.space(8.0);
    l.keep(SIGNING_SPACE + HINT_LINE);
    let rule_y = l.y - SIGNING_SPACE;
    for i in 0..2 {
        let x = LEFT + i as f32 * (width + gap);
        l.artifact(|c| {
            c.set_line_width(0.6);
            c.move_to(x, rule_y);
            c.line_to(x + width, rule_y);
            c.stroke();
        });
    }
    let x = LEFT + width + gap;
    let spot = SignatureSpot {
        page: l.page(),
        rect: [x, rule_y + 1.0, x + width, rule_y + SIGNING_SPACE - 2.0],
        sect,
    };
    l.y = rule_y - 3.0;
    let top = l.y;
    for (i, caption) in [&strings.signature_place_date, &strings.signature]
        .into_iter()
        .enumerate()
    {
        l.y = top;
        let x = i as f32 * (width + gap);
        l.text(StructRole::P, sect, &plain(caption), CAPTION, x, width);
    }
    spot
}

const HINT_LINE: f32 = 14.0;

const CAPTION: TextStyle = TextStyle {
    size: 9.0,
    leading: 12.0,
    gray: 0.25,
};
