//! A form file as a page of the site: the form model checked by `formwerk_form`, placed in the
//! section tree like any page. Content uses the form model; the form model knows nothing of
//! pages (docs/architecture.md).

use std::sync::Arc;

use super::{FORM_SUFFIX, Page, PageKind, SourceFile};
use formwerk_base::diagnostics::{Diagnostics, hash_text, read_text};
use formwerk_config::Config;

/// Loads a form file as a page; `None` for a draft.
pub(crate) fn load_form(config: &Config, file: &SourceFile) -> Result<Option<Page>, Diagnostics> {
    let text = read_text(&file.path, &file.shown).map_err(|d| Diagnostics(vec![d]))?;
    parse_form(config, file, text)
}

/// The page of a form file's text (`file` names it and its output); `None` for a draft.
/// Errors point into `text`.
pub fn parse_form(
    config: &Config,
    file: &SourceFile,
    text: Arc<str>,
) -> Result<Option<Page>, Diagnostics> {
    let stem = file
        .content_path
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .trim_end_matches(FORM_SUFFIX)
                .to_string()
        })
        .unwrap_or_default();
    let Some(parsed) = formwerk_form::parse(config, &file.shown, &stem, &text)? else {
        return Ok(None);
    };
    let template = parsed.template;
    // The key that `encrypt_to` names is an input of the page beside its source: a new key
    // renders the page again even when the form file is unchanged.
    let key = parsed
        .form
        .submission
        .as_ref()
        .and_then(|s| s.encrypt.as_ref());
    let hash = match key {
        Some(k) => hash_text(&format!("{text}\0{}\0{}", k.kid, k.thumbprint)),
        None => hash_text(&text),
    };
    Ok(Some(Page {
        kind: PageKind::Form,
        source: file.shown.clone(),
        content_path: file.content_path.clone(),
        output: file.output.clone(),
        title: parsed.form.title.clone(),
        description: parsed.description,
        weight: parsed.weight,
        template_span: template.as_ref().map(|t| t.span()),
        template: template.map_or_else(|| "form.html".to_string(), |t| t.into_inner()),
        extra: toml::Table::new(),
        body_offset: 0,
        form: Some(Box::new(parsed.form)),
        parent: None,
        children: Vec::new(),
        hash,
        head: text,
        text: None,
        pending: None,
    }))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::parse_form;
    use crate::{SourceFile, SourceKind};
    use formwerk_config::Config;

    #[test]
    fn a_form_file_is_a_page_with_form_html_and_a_draft_is_none() {
        let config = Config::parse(Path::new("/site"), "title = \"Amt\"\n").unwrap();
        let file = SourceFile {
            kind: SourceKind::Form,
            path: PathBuf::from("/nowhere/antrag-neu.form.toml"),
            shown: PathBuf::from("content/antrag-neu.form.toml"),
            content_path: PathBuf::from("antrag/antrag-neu.form.toml"),
            output: "antrag/antrag-neu/index.html".into(),
        };
        let text = "title = \"Antrag\"\nversion = \"1\"\nweight = 3\n\n[[sections]]\nid = \"a\"\ntitle = \"A\"\n\n\
                    [[sections.fields]]\nid = \"b\"\nkind = \"yes_no\"\nlabel = \"B\"\n";
        let page = parse_form(&config, &file, text.into()).unwrap().unwrap();
        assert_eq!(page.template, "form.html");
        assert_eq!((page.title.as_str(), page.weight), ("Antrag", 3));
        assert_eq!(page.output, "antrag/antrag-neu/index.html");
        assert_eq!(
            page.form.as_ref().map(|f| f.id.as_str()),
            Some("antrag_neu")
        );
        let draft = format!("draft = true\n{text}");
        assert!(parse_form(&config, &file, draft.into()).unwrap().is_none());
    }
}
