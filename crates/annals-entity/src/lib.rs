//! The entity stage: who and where in one document.
//!
//! Reads the token and sentence layers; writes the entity and place layers:
//!
//! 1. [`mentions`]: the tagger's mentions (`annals-ner`), typed with the knowledge
//!    base (a LOC that is a country or city is a GPE, a MISC that is a demonym a
//!    NORP), plus knowledge-base names the tagger missed and pronouns.
//! 2. [`coding`]: a CAMEO actor code per mention — a known person's role on the
//!    document's date, else a title or role phrase around the name, else an
//!    organisation, capital or country — citing the lines that decided it.
//! 3. [`coref`]: later mentions point at the first mention of the same thing
//!    (surnames, repeated names, pronouns) and inherit its code.
//! 4. [`places`]: toponyms resolved to gazetteer rows in context.
//!
//! Knowledge lives in `annals-kb`'s files; this crate holds mechanisms only.

pub mod coding;
pub mod coref;
pub mod gazetteer;
pub mod mentions;
pub mod places;

use annals_doc::Document;
use annals_kb::{ActorBase, PlaceTable};
use annals_ner::{Gazetteer, NerModel};

/// Everything the stage needs, built once per run.
pub struct EntityStage {
    ner: &'static NerModel,
    actors: ActorBase,
    places: &'static PlaceTable,
    gazetteer: Gazetteer,
}

impl EntityStage {
    /// The stage over the shipped model and knowledge, plus `extra_actor_files`
    /// (`--actors`). An error names the file that failed.
    pub fn new(extra_actor_files: &[std::path::PathBuf]) -> Result<EntityStage, String> {
        let ner = NerModel::builtin()?;
        let mut actors = ActorBase::from_builtin_files().map_err(|e| e.to_string())?;
        for f in extra_actor_files {
            actors.add_file(f).map_err(|e| e.to_string())?;
        }
        let places = PlaceTable::builtin()?;
        let gazetteer = gazetteer::build(&actors, places);
        Ok(EntityStage {
            ner,
            actors,
            places,
            gazetteer,
        })
    }

    /// The tagger's gazetteer (for training with the same features).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Annotate `doc` (which must be segmented): entity and place layers.
    pub fn annotate(&self, doc: &mut Document) {
        let day = doc
            .meta
            .date
            .as_deref()
            .and_then(|d| annals_kb::Day::parse(d, false));
        let found = self.ner.tag_document(doc, &self.gazetteer);
        let mut ms = mentions::build(doc, &found, &self.actors, self.places);
        coding::code(doc, &mut ms, &self.actors, day);
        coref::resolve(doc, &mut ms);
        let places = places::resolve(doc, &ms, &self.actors, self.places);
        doc.entities = Some(ms.into_iter().map(|m| m.entity).collect());
        doc.places = Some(places);
    }
}
