//! The knowledge base: what Annals knows about the world, read from plain-text
//! files a political scientist can edit, every fact citing its `file:line`.
//!
//! | file                          | holds                                           |
//! |-------------------------------|-------------------------------------------------|
//! | `data/actors/countries.txt`   | `ISO3 name|adj|capital PHRASE`                  |
//! | `data/actors/organisations.txt` | `CODE PHRASE` (seats of power, media, IGOs)   |
//! | `data/actors/roles.txt`       | `SECTOR PHRASE` (role words, any case)          |
//! | `data/actors/people.txt`      | `CODE FROM..TO NAME | ALIAS   # role`           |
//! | `data/places/gazetteer.tsv`   | GeoNames rows (generated, see the README)       |
//!
//! Extra actor files (the project's format or PETRARCH/Phoenix `.actors.txt`
//! dictionaries) are added with [`ActorBase::add_file`]. This crate answers
//! "what does this phrase name?"; deciding which answer fits a mention in context
//! is the entity stage's job (`annals-entity`).

pub mod actors;
pub mod date;
pub mod phoenix;
pub mod places;

pub use actors::{ActorBase, Entry, EntryKind, KbError};
pub use date::Day;
pub use places::{PlaceRow, PlaceTable};
