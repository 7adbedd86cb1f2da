//! Text rules that every output shares, each stated once: [`slug`] (Unicode composition,
//! slugs and the one folding table), [`search`] (folding, stemming and the index format),
//! [`names`] (the names of the files a build writes besides the pages), [`html`] (the one
//! escaper), [`size`] (file sizes read and written), [`url`] (absolute addresses, for a site with a `base_url`) and [`vars`] (site
//! variables and their placeholders).
//! escaper), [`space`] (white space as JavaScript counts it), [`url`] (absolute addresses, for
//! a site with a `base_url`) and [`vars`] (site variables and their placeholders).

pub mod html;
pub mod names;
pub mod search;
pub mod size;
pub mod slug;
pub mod space;
pub mod url;
pub mod vars;
