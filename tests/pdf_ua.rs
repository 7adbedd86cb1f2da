//! PDF/UA-1 by the machine-checkable failure conditions of the Matterhorn Protocol 1.1, one
//! test each, for the blank, the filled, the flattened PDF of the guide's Kosten- und
//! Finanzierungsplan and the bundled site's form (tests/pdf/pdf_ua.py, pikepdf). Spoiled
//! copies show that the checks find what they look for, and docs/pdf.md lists exactly these
//! conditions.
//!
//! Needs Python with pikepdf (test.sh installs it).

mod common;
#[path = "pdf/papers.rs"]
mod papers;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use common::repo;
use papers::{papers, pdf_ua};
use serde_json::Value;

/// The checks' results for every PDF, read once.
fn results() -> &'static Vec<(&'static str, BTreeMap<String, Value>)> {
    static RESULTS: OnceLock<Vec<(&'static str, BTreeMap<String, Value>)>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        papers()
            .all()
            .iter()
            .map(|(name, path)| {
                let r = pdf_ua(&["check", path.to_str().unwrap()]);
                (*name, serde_json::from_value(r).unwrap())
            })
            .collect()
    })
}

fn passes(id: &str) {
    for (name, r) in results() {
        let problems = r.get(id).unwrap_or_else(|| panic!("{id} is not checked"));
        assert_eq!(problems, &Value::Array(vec![]), "{name} PDF fails {id}");
    }
}

macro_rules! matterhorn {
    ($($test:ident => $id:literal,)*) => {
        $(
            #[test]
            #[cfg_attr(
                not(feature = "external-tools"),
                ignore = "needs python3 with pikepdf: ./test.sh installs it"
            )]
            fn $test() {
                passes($id);
            }
        )*

        /// The conditions the tests above check, in order.
        const CHECKED: &[&str] = &[$($id),*];
    };
}

matterhorn! {
    artifact_not_inside_tagged_content_01_003 => "01-003",
    tagged_content_not_inside_an_artifact_01_004 => "01-004",
    all_content_tagged_or_artifact_and_structure_tree_whole_01_005 => "01-005",
    no_suspects_01_007 => "01-007",
    every_tag_maps_to_a_standard_type_02_001 => "02-001",
    no_circular_role_mapping_02_003 => "02-003",
    standard_types_not_remapped_02_004 => "02-004",
    xmp_metadata_06_001 => "06-001",
    pdfua_identifier_06_002 => "06-002",
    dc_title_06_003 => "06-003",
    display_doc_title_present_07_001 => "07-001",
    display_doc_title_true_07_002 => "07-002",
    tables_tagged_by_iso_32000_09_004 => "09-004",
    lists_tagged_by_iso_32000_09_005 => "09-005",
    toc_tags_09_006 => "09-006",
    ruby_tags_09_007 => "09-007",
    warichu_tags_09_008 => "09-008",
    every_character_maps_to_unicode_10_001 => "10-001",
    language_of_page_text_11_001 => "11-001",
    language_of_alt_and_actual_text_11_002 => "11-002",
    language_of_outline_11_003 => "11-003",
    language_of_annotation_contents_11_004 => "11-004",
    language_of_field_tooltips_11_005 => "11-005",
    language_of_metadata_11_006 => "11-006",
    figures_have_alt_text_13_004 => "13-004",
    first_heading_is_h1_14_002 => "14-002",
    no_heading_level_skipped_14_003 => "14-003",
    at_most_one_h_per_node_14_006 => "14-006",
    not_both_h_and_hn_14_007 => "14-007",
    table_headers_have_scope_or_ids_15_003 => "15-003",
    formulas_have_alt_17_002 => "17-002",
    formulas_map_to_unicode_17_003 => "17-003",
    notes_have_ids_19_003 => "19-003",
    note_ids_unique_19_004 => "19-004",
    optional_content_configs_named_20_001 => "20-001",
    optional_content_default_named_20_002 => "20-002",
    optional_content_without_as_20_003 => "20-003",
    embedded_files_named_21_001 => "21-001",
    no_dynamic_xfa_25_001 => "25-001",
    encryption_has_p_26_001 => "26-001",
    encryption_allows_assistive_technology_26_002 => "26-002",
    annotations_in_annot_tags_28_002 => "28-002",
    annotations_have_contents_28_004 => "28-004",
    fields_have_tooltips_28_005 => "28-005",
    annotation_types_defined_28_006 => "28-006",
    no_trapnet_28_007 => "28-007",
    pages_with_annotations_have_tabs_28_008 => "28-008",
    tab_order_follows_structure_28_009 => "28-009",
    widgets_in_form_tags_28_010 => "28-010",
    links_in_link_tags_28_011 => "28-011",
    links_have_contents_28_012 => "28-012",
    media_clips_have_ct_28_014 => "28-014",
    media_clips_have_alt_28_015 => "28-015",
    file_attachments_conform_28_016 => "28-016",
    printer_marks_not_in_structure_28_017 => "28-017",
    printer_mark_appearances_are_artifacts_28_018 => "28-018",
    no_reference_xobjects_30_001 => "30-001",
    no_form_xobject_with_mcids_used_twice_30_002 => "30-002",
    cmap_registry_matches_31_001 => "31-001",
    cmap_ordering_matches_31_002 => "31-002",
    cmap_supplement_matches_31_003 => "31-003",
    cid_to_gid_map_valid_31_004 => "31-004",
    cid_to_gid_map_present_31_005 => "31-005",
    cmaps_predefined_or_embedded_31_006 => "31-006",
    cmap_wmode_matches_31_007 => "31-007",
    used_cmaps_predefined_31_008 => "31-008",
    fonts_embedded_31_009 => "31-009",
    embedded_fonts_have_every_glyph_shown_31_011 => "31-011",
    type1_charset_complete_31_012 => "31-012",
    type1_charset_exact_31_013 => "31-013",
    cidset_complete_31_014 => "31-014",
    cidset_exact_31_015 => "31-015",
    widths_match_the_font_program_31_016 => "31-016",
    truetype_has_a_unicode_cmap_31_017 => "31-017",
    every_glyph_found_by_the_cmap_31_018 => "31-018",
    truetype_has_an_encoding_31_019 => "31-019",
    encoding_dictionary_has_base_encoding_31_020 => "31-020",
    encoding_is_winansi_or_macroman_31_021 => "31-021",
    differences_use_glyph_list_names_31_022 => "31-022",
    differences_need_a_unicode_cmap_31_023 => "31-023",
    symbolic_truetype_without_encoding_31_024 => "31-024",
    symbolic_truetype_has_a_cmap_31_025 => "31-025",
    symbolic_truetype_has_a_symbol_cmap_31_026 => "31-026",
    tounicode_where_needed_31_027 => "31-027",
    tounicode_without_zero_31_028 => "31-028",
    tounicode_without_byte_order_marks_31_029 => "31-029",
    no_notdef_glyph_shown_31_030 => "31-030",
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf: ./test.sh installs it"
)]
fn the_script_checks_exactly_the_conditions_tested() {
    let (_, first) = &results()[0];
    let script: Vec<&str> = first.keys().map(String::as_str).collect();
    let mut tested = CHECKED.to_vec();
    tested.sort();
    assert_eq!(script, tested);
}

/// docs/pdf.md lists every condition checked, each with its result, and no other.
#[test]
fn docs_list_every_condition_checked() {
    let docs = std::fs::read_to_string(repo().join("docs/pdf.md")).unwrap();
    let listed: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(' ').next())
        .filter(|id| id.len() == 6 && id.as_bytes()[2] == b'-')
        .collect();
    assert_eq!(listed, CHECKED, "the Matterhorn table of docs/pdf.md");
    for line in docs.lines().filter(|l| {
        l.strip_prefix("| ")
            .is_some_and(|r| CHECKED.iter().any(|id| r.starts_with(id)))
    }) {
        assert!(
            line.contains("erfüllt") || line.contains("nicht verwendet"),
            "no result: {line}"
        );
    }
}

/// Copies spoiled one way each fail the condition that names the fault: the checks can fail.
#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf: ./test.sh installs it"
)]
fn spoiled_copies_fail_their_condition() {
    let dir = tempfile::tempdir().unwrap();
    let p = papers();
    for (fault, source, id) in [
        ("unmarked", &p.blank, "01-005"),
        ("parent-tree", &p.blank, "01-005"),
        ("artifact-in-tagged", &p.blank, "01-003"),
        ("no-title", &p.blank, "06-003"),
        ("doc-title", &p.blank, "07-002"),
        ("td-in-table", &p.blank, "09-004"),
        ("lbody", &p.bundled, "09-005"),
        ("lang", &p.blank, "11-006"),
        ("h3", &p.blank, "14-003"),
        ("scope", &p.blank, "15-003"),
        ("headers", &p.blank, "15-003"),
        ("tooltip", &p.blank, "28-005"),
        ("tabs", &p.blank, "28-009"),
        ("widget-in-p", &p.blank, "28-010"),
        ("not-embedded", &p.blank, "31-009"),
        ("glyph-missing", &p.flat, "31-011"),
        ("cidset-short", &p.flat, "31-014"),
        ("cidset-extra", &p.flat, "31-015"),
        ("widths", &p.flat, "31-016"),
        // The field font of the default appearance is the one simple TrueType font.
        ("encoding", &p.blank, "31-019"),
    ] {
        let out = dir.path().join(format!("{fault}.pdf"));
        pdf_ua(&[
            "spoil",
            source.to_str().unwrap(),
            out.to_str().unwrap(),
            fault,
        ]);
        let r = pdf_ua(&["check", out.to_str().unwrap()]);
        assert!(
            !r[id].as_array().unwrap().is_empty(),
            "{fault}: {id} finds nothing"
        );
    }
}
