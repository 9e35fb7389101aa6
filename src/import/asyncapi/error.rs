//! Why an AsyncAPI document could not be imported, and how that is shown.

use std::fmt;

use crate::model::ParseError;

/// A document that cannot be made into a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The text is not YAML (or JSON): where the YAML parser stopped, 1-based.
    Syntax(ParseError),
    /// The document is YAML but not one this importer reads: the path in the
    /// document (`channels.orders`, `operations.x.channel`) and what is wrong there.
    Document {
        /// Where in the document, dotted (`channels.orders`); empty for the root.
        path: String,
        /// What is wrong, in one sentence.
        message: String,
        /// What to do about it, when there is something useful to say.
        hint: Option<String>,
    },
}

impl ImportError {
    /// A problem at `path` in the document.
    pub(super) fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        ImportError::Document {
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// The same problem with a hint.
    pub(super) fn hint(self, text: impl Into<String>) -> Self {
        match self {
            ImportError::Document { path, message, .. } => ImportError::Document {
                path,
                message,
                hint: Some(text.into()),
            },
            ImportError::Syntax(mut e) => {
                e.hint = Some(text.into());
                ImportError::Syntax(e)
            }
        }
    }

    /// A YAML syntax error, with its position.
    pub(super) fn from_yaml(src: &str, err: &serde_yaml_ng::Error) -> Self {
        let text = err.to_string();
        // The parser appends " at line L column C"; the position is given apart.
        let message = match text.find(" at line ") {
            Some(i) => text[..i].to_owned(),
            None => text,
        };
        let (line, col, offset) = match err.location() {
            Some(l) => (l.line(), l.column(), l.index().min(src.len())),
            None => (1, 1, 0),
        };
        ImportError::Syntax(ParseError {
            message: format!("not valid YAML: {message}"),
            line: line.max(1),
            col: col.max(1),
            hint: Some("an AsyncAPI document is YAML (or JSON); check the indentation and quotes around this line".into()),
            offset,
            len: 0,
        })
    }

    /// The error as a report: for a syntax error `file:line:col`, the offending line
    /// with a caret and the hint (as model parse errors are shown); for a document
    /// problem `file: path: message` and the hint. `color` adds terminal colours.
    pub fn render(&self, file_name: &str, src: &str, color: bool) -> String {
        match self {
            ImportError::Syntax(e) => e.render(file_name, src, color),
            ImportError::Document { hint, .. } => {
                let hint = hint
                    .as_deref()
                    .map(|h| format!("  help: {h}\n"))
                    .unwrap_or_default();
                format!("  × {file_name}: {self}\n{hint}")
            }
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Syntax(e) => write!(f, "{e}"),
            ImportError::Document { path, message, .. } if path.is_empty() => {
                write!(f, "{message}")
            }
            ImportError::Document { path, message, .. } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}
