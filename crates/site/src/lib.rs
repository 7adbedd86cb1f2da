//! One build of a site and rebuilding it: [`output`] writes into a staging folder and swaps
//! it in, [`cache`] keeps the render cache beside it, [`stamps`] tells from files' sizes and times
//! that nothing changed, [`collisions`] finds outputs that would land on each other,
//! [`inputs`] fingerprints what every
//! output depends on, [`sitewide`] writes the outputs made from the whole site,
//! [`pipeline`] ties the steps together for `build` and `check`, [`incremental`] keeps the
//! last good site in memory for [`watch`] and [`serve`].

mod cache;
mod collisions;
pub mod incremental;
mod inputs;
mod output;
pub mod pipeline;
mod secrets;
pub mod serve;
mod settle;
mod sitewide;
mod stamps;
pub mod watch;
