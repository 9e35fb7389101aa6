//! Turning RON syntax and type errors into errors people can act on: where
//! (line:col and the offending text), what, and what to do.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use ron::error::{Error as RonError, SpannedError};
use serde::Serialize;

use super::suggest::closest;

/// A model file that could not be read as a model: bad syntax, a wrong type, an
/// unknown field, a bad duration… Positions are 1-based; `col` counts characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParseError {
    /// What is wrong, in one sentence.
    pub message: String,
    /// Line of the offending text, 1-based.
    pub line: usize,
    /// Column of the offending text, 1-based, in characters.
    #[serde(rename = "column")]
    pub col: usize,
    /// What to do about it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Byte range of the offending text in the source.
    #[serde(skip)]
    pub offset: usize,
    /// Length in bytes of the offending text; 0 when none is pointed at.
    #[serde(skip)]
    pub len: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    pub(crate) fn from_ron(src: &str, err: &SpannedError) -> Self {
        let mut start = byte_offset(src, err.span.start.line, err.span.start.col);
        let end = byte_offset(src, err.span.end.line, err.span.end.col).max(start);
        // Point at the offending value itself: past blanks before it, and at its `-`
        // or opening quote rather than the digit or letter after it.
        if !matches!(err.code, RonError::Eof | RonError::TrailingCharacters) {
            while src[start..].starts_with([' ', '\t']) {
                start += 1;
            }
        }
        let before = src[..start].chars().next_back();
        let backs_up = match err.code {
            RonError::IntegerOutOfBounds | RonError::InvalidValueForType { .. } => {
                before == Some('-')
            }
            RonError::Message(_) => before == Some('"'),
            _ => false,
        };
        if backs_up {
            start -= 1;
        }
        let end = end.max(start);
        let (line, col) = line_col(src, start);
        if without_comments(src).trim().is_empty() {
            return ParseError {
                message: "the file is empty: there is no model in it".into(),
                line: 1,
                col: 1,
                hint: Some(
                    "a model file holds one `Model(name: \"…\", …)`; `eventscape example saga` prints a commented one".into(),
                ),
                offset: 0,
                len: 0,
            };
        }
        let (mut message, mut hint) = explain(&err.code);
        let line_text = src.lines().nth(line - 1).unwrap_or("");
        if src.trim_start().starts_with('{') {
            hint =
                Some("this looks like JSON; a model file is RON: `Model(name: \"…\", …)`".into());
        } else if unescaped_quotes(line_text) % 2 == 1 {
            hint = Some("a `\"` on this line has no partner: is a closing quote missing?".into());
        }
        let at_end = start.max(end) >= src.trim_end().len();
        if at_end && !matches!(err.code, RonError::Eof) {
            // The parser wanted more but the text stopped: the file was cut short.
            message = format!("the file ends too early: {message}");
            hint =
                Some("a closing `)` or `]` is probably missing, or the file was cut short".into());
        }
        let len = if end > start {
            end - start
        } else {
            token_len(&src[start..])
        };
        ParseError {
            message,
            line,
            col,
            hint,
            offset: start,
            len,
        }
    }

    pub(crate) fn not_utf8(bytes: &[u8], err: std::str::Utf8Error) -> Self {
        let good = &bytes[..err.valid_up_to()];
        // The valid prefix is UTF-8 by definition.
        let prefix = std::str::from_utf8(good).unwrap_or_default();
        let line = 1 + prefix.matches('\n').count();
        let col = 1 + prefix.rsplit('\n').next().map_or(0, |l| l.chars().count());
        ParseError {
            message: format!(
                "this is not a text file: byte {} is not valid UTF-8",
                err.valid_up_to()
            ),
            line,
            col,
            hint: Some("model files are UTF-8 text; is this the right file?".into()),
            offset: err.valid_up_to(),
            len: 0,
        }
    }

    /// The error as a report: `file:line:col`, the offending line with a caret under
    /// the position, and the hint. `color` adds terminal colours.
    pub fn render(&self, file_name: &str, src: &str, color: bool) -> String {
        if src.is_empty() {
            // Nothing worth quoting (a binary file): the position and hint alone.
            let hint = self
                .hint
                .as_deref()
                .map(|h| format!("  help: {h}\n"))
                .unwrap_or_default();
            return format!(
                "  × {file_name}:{}:{}: {}\n{hint}",
                self.line, self.col, self.message
            );
        }
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let report = Report {
            title: format!("{file_name}:{}:{}: {}", self.line, self.col, self.message),
            src: NamedSource::new(file_name, src.to_owned()),
            labels: vec![LabeledSpan::new_primary_with_span(
                Some("here".into()),
                (self.offset.min(src.len()), self.len),
            )],
            hint: self.hint.clone(),
        };
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        if handler.render_report(&mut out, &report).is_err() {
            // Rendering only fails on a formatter error; fall back to the plain line.
            out = format!("{}\n", report.title);
        }
        out
    }
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{title}")]
struct Report {
    title: String,
    #[source_code]
    src: NamedSource<String>,
    #[label(collection)]
    labels: Vec<LabeledSpan>,
    #[help]
    hint: Option<String>,
}

/// 1-based line and character column of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = 1 + before.matches('\n').count();
    let col = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, col)
}

/// Double quotes on a line that are not escaped with a backslash.
fn unescaped_quotes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => count += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    count
}

/// The source with `//` line comments blanked out (enough to tell an empty file).
fn without_comments(src: &str) -> String {
    src.lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Byte offset of a 1-based (line, char column) position, clamped to the source.
fn byte_offset(src: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, text) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within = text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(text.len(), |(b, _)| b);
            return offset + within;
        }
        offset += text.len();
    }
    src.len()
}

/// Length in bytes of the token at the start of `rest`: an identifier, a number, a
/// quoted string, or one character.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, '"')) => rest[1..].find('"').map_or(rest.len().min(1), |i| i + 2),
        Some((_, c)) if c.is_alphanumeric() || c == '_' || c == '-' || c == '.' => rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .map_or(rest.len(), |(i, _)| i),
        Some((_, c)) => c.len_utf8(),
    }
}

fn list(candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn in_outer(outer: &Option<String>) -> String {
    match outer {
        Some(o) if !o.is_empty() => format!(" in `{o}`"),
        _ => String::new(),
    }
}

/// A sentence and a hint for each kind of RON error.
fn explain(code: &RonError) -> (String, Option<String>) {
    let hint = |s: &str| Some(s.to_owned());
    match code {
        RonError::Eof => (
            "the file ends in the middle of the model".into(),
            hint("a closing `)` or `]` is probably missing, or the file was cut short"),
        ),
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let did_you_mean = closest(found, expected.iter().copied())
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            (
                format!("unknown field `{found}`{}", in_outer(outer)),
                Some(format!(
                    "{did_you_mean}the fields here are {}",
                    list(expected)
                )),
            )
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let did_you_mean = closest(found, expected.iter().copied())
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            (
                format!("unknown kind `{found}`{}", in_outer(outer)),
                Some(format!("{did_you_mean}expected one of {}", list(expected))),
            )
        }
        RonError::MissingStructField { field, outer } => (
            format!("missing field `{field}`{}", in_outer(outer)),
            Some(format!("add `{field}: …` before the closing `)`")),
        ),
        RonError::DuplicateStructField { field, outer } => (
            format!("field `{field}` is given twice{}", in_outer(outer)),
            hint("keep one of them"),
        ),
        RonError::Message(msg) if msg.starts_with("invalid duration") => (
            msg.clone(),
            hint("durations are strings with a unit: \"250ms\", \"30s\", \"5m\", \"2h\", \"7d\""),
        ),
        RonError::Message(msg) => (msg.clone(), None),
        RonError::InvalidValueForType { expected, found } => {
            let negative = found.contains('-') && expected.starts_with('u');
            (
                format!("expected {expected}, found {found}"),
                if negative {
                    hint("this number cannot be negative")
                } else {
                    None
                },
            )
        }
        RonError::IntegerOutOfBounds => (
            "this number is out of range here".into(),
            hint("counts cannot be negative, and must fit their type (u32 is at most 4294967295)"),
        ),
        RonError::ExpectedInteger => (
            "expected a whole number".into(),
            hint("e.g. `3`, without quotes"),
        ),
        RonError::ExpectedFloat => ("expected a number".into(), hint("e.g. `0.95` or `50.0`")),
        RonError::ExpectedString | RonError::ExpectedStringEnd => (
            "expected text in double quotes".into(),
            hint("names and durations are quoted: `name: \"orders\"`, `timeout: \"2s\"`"),
        ),
        RonError::ExpectedBoolean => ("expected `true` or `false`".into(), None),
        RonError::ExpectedComma => (
            "expected a comma".into(),
            hint("fields and list items are separated by `,`"),
        ),
        RonError::ExpectedArray => ("expected a list starting with `[`".into(), None),
        RonError::ExpectedArrayEnd => (
            "expected `]` to close the list".into(),
            hint("is a comma or a closing `)` missing before this?"),
        ),
        RonError::ExpectedStructLikeEnd => (
            "expected `)` to close this".into(),
            hint("is a comma missing, or a bracket closed too early?"),
        ),
        RonError::ExpectedNamedStructLike(name) if !name.is_empty() => {
            (format!("expected `{name}(…)` here"), None)
        }
        RonError::ExpectedDifferentStructName { expected, found } => (
            format!("expected `{expected}(…)` here, found `{found}(…)`"),
            None,
        ),
        RonError::TrailingCharacters => (
            "unexpected text after the end of the model".into(),
            hint("a file holds exactly one `Model(…)`; is there an extra `)`?"),
        ),
        RonError::ExceededRecursionLimit => (
            "the file nests too deeply".into(),
            hint("a model is at most a few levels deep; is this the right file?"),
        ),
        RonError::UnclosedBlockComment => (
            "a `/*` comment is never closed".into(),
            hint("add `*/` where the comment ends"),
        ),
        other => (other.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_count_characters_not_bytes() {
        let src = "ab\n€x\n";
        assert_eq!(byte_offset(src, 1, 1), 0);
        assert_eq!(byte_offset(src, 2, 2), 6); // after the 3-byte euro sign
        assert_eq!(byte_offset(src, 9, 9), src.len());
    }

    #[test]
    fn tokens() {
        assert_eq!(token_len("partitons: 3"), 9);
        assert_eq!(token_len("\"abc\", x"), 5);
        assert_eq!(token_len(")"), 1);
        assert_eq!(token_len(""), 0);
    }
}
