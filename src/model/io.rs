//! Reading and writing model files.
//!
//! Saving is canonical: the same model always gives the same bytes (fields in
//! declaration order, defaults left out, four-space indents, a final newline), and
//! `parse(&to_ron(m)?)? == m`. Comments in a hand-written file are not kept by a save;
//! lasting notes belong in `description` fields.

use std::io::Write;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::{Model, ParseError};

fn ron_options() -> ron::Options {
    // `implicit_some` lets files say `key: "order_id"` rather than `key: Some("order_id")`.
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

fn pretty() -> PrettyConfig {
    PrettyConfig::new()
        .indentor("    ")
        .new_line("\n")
        .struct_names(true)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
        .extensions(Extensions::IMPLICIT_SOME)
}

/// Parse a model from RON text.
pub fn parse(src: &str) -> Result<Model, ParseError> {
    // Some editors start UTF-8 files with a byte-order mark; it is not part of the text.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    ron_options()
        .from_str(src)
        .map_err(|e| ParseError::from_ron(src, &e))
}

/// Parse a model from raw file contents, which may not even be text.
pub fn parse_bytes(bytes: &[u8]) -> Result<Model, ParseError> {
    let src = std::str::from_utf8(bytes).map_err(|e| ParseError::not_utf8(bytes, e))?;
    parse(src)
}

/// The canonical RON text of a model.
pub fn to_ron(model: &Model) -> Result<String, SaveError> {
    let mut text = ron_options()
        .to_string_pretty(model, pretty())
        .map_err(|e| SaveError::Serialise(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Why a model file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but is not a valid model.
    #[error("{}:{error}", path.display())]
    Parse {
        /// The file that was read.
        path: PathBuf,
        /// The file's text for quoting the offending line; empty if it is not UTF-8.
        text: String,
        /// Where and why parsing failed.
        error: Box<ParseError>,
    },
}

impl LoadError {
    /// The full report: for a parse error, `file:line:col`, the offending line with a
    /// caret under it, and a hint.
    pub fn render(&self, color: bool) -> String {
        match self {
            LoadError::Read { .. } => format!("error: {self}\n"),
            LoadError::Parse { path, text, error } => {
                error.render(&path.display().to_string(), text, color)
            }
        }
    }
}

/// Read and parse a model file.
pub fn load_file(path: &Path) -> Result<Model, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_bytes(&bytes).map_err(|error| LoadError::Parse {
        path: path.to_owned(),
        // A file that is not text is not worth quoting back.
        text: String::from_utf8(bytes).unwrap_or_default(),
        error: Box::new(error),
    })
}

/// Why a model could not be saved. The file on disk is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The model could not be turned into RON text (the serialiser's message).
    #[error("cannot write the model as RON: {0}")]
    Serialise(String),
    /// The text could not be written, flushed or renamed into place.
    #[error("cannot save {}: {source}", path.display())]
    Write {
        /// The file that was to be written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

/// Save a model atomically: the text is serialised in full first, written to a
/// temporary file beside the target, flushed to disk, then renamed over the target.
/// A failure at any point leaves the existing file as it was.
pub fn save_file(path: &Path, model: &Model) -> Result<(), SaveError> {
    let text = to_ron(model)?;
    let write_err = |source| SaveError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".eventscape-save-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(write_err)?;
    tmp.write_all(text.as_bytes()).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Distribution, Duration, Handler, Service, Topic, Trigger};

    fn small() -> Model {
        let mut m = Model::new("small");
        let mut t = Topic::new("orders");
        t.partitions = 3;
        t.key = Some("order_id".into());
        m.topics.push(t);
        let mut s = Service::new("billing");
        s.handlers.push(Handler::new(
            Trigger::event("OrderPlaced", "orders"),
            Distribution::Exponential {
                mean: Duration::from_millis(20),
            },
        ));
        m.services.push(s);
        m
    }

    #[test]
    fn save_is_canonical_and_round_trips() {
        let m = small();
        let text = to_ron(&m).unwrap();
        assert!(text.starts_with("Model(\n    name: \"small\",\n"), "{text}");
        assert!(text.contains("key: \"order_id\""), "implicit Some: {text}");
        assert!(!text.contains("Some("), "{text}");
        assert!(
            !text.contains("idempotent"),
            "defaults are left out: {text}"
        );
        assert_eq!(parse(&text).unwrap(), m);
        assert_eq!(to_ron(&parse(&text).unwrap()).unwrap(), text);
    }

    #[test]
    fn save_file_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.ron");
        std::fs::write(&path, "old").unwrap();
        save_file(&path, &small()).unwrap();
        assert_eq!(load_file(&path).unwrap(), small());
        // Only the model file is left: no temporary files behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn save_into_a_missing_folder_fails_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("m.ron");
        assert!(matches!(
            save_file(&path, &small()),
            Err(SaveError::Write { .. })
        ));
        assert!(!path.exists());
    }
}
