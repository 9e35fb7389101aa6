//! Lines of text: written, cut to fit, wrapped.

use std::fmt::Write as _;

use super::n;
use crate::diagram::style::text_width;
use crate::export::xml_escape;

/// One line of text at (x, y) (its baseline), with more attributes in `attrs`.
pub(super) fn text(out: &mut String, x: f32, y: f32, size: f32, attrs: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{attrs}>{}</text>"#,
        n(x),
        n(y),
        n(size),
        xml_escape(content)
    );
}

/// `text` cut to `width` px with "…" (never cut when it fits).
pub(super) fn fit(text: &str, size: f32, bold: bool, width: f32) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && text_width(&cut, size, bold) + text_width("…", size, bold) > width {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// Words wrapped to lines of at most `width` px.
pub(super) fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size, false) > width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
