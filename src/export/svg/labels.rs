//! Arrow labels on plates (placed by `diagram::route::place_labels`).

use std::fmt::Write as _;

use super::text::text;
use super::{Rect, n};
use crate::diagram::style::LABEL_SIZE;

/// The label `content` in its `color` on a plate at `r`.
pub(super) fn label(out: &mut String, content: &str, color: &str, r: Rect) {
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.88"/>"##,
        n(r.x0),
        n(r.y0),
        n(r.x1 - r.x0),
        n(r.y1 - r.y0)
    );
    text(
        out,
        (r.x0 + r.x1) / 2.0,
        r.y1 - 4.5,
        LABEL_SIZE,
        &format!(r#" text-anchor="middle" fill="{color}""#),
        content,
    );
}
