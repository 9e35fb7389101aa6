//! Arrow labels on plates, each moved to where it covers nothing drawn before it.

use std::fmt::Write as _;

use super::edges::Arrow;
use super::text::text;
use super::{Rect, Taken, n};
use crate::diagram::style::{LABEL_SIZE, text_width};

/// The area two rectangles share.
fn overlap_area(a: &Rect, b: &Rect) -> f32 {
    let w = (a.x1.min(b.x1) - a.x0.max(b.x0)).max(0.0);
    let h = (a.y1.min(b.y1) - a.y0.max(b.y0)).max(0.0);
    w * h
}

/// Where a label `w` × `h` goes on the arrow: at its own point along the line if that
/// covers nothing `taken`, else the nearest free spot along the line; then, where
/// parallel arrows leave no room (three events on one short hop), stacked beside it;
/// failing all, the spot that covers the least.
fn place(arrow: &Arrow, w: f32, h: f32, taken: &[Rect]) -> Rect {
    let (a, base) = (arrow.a, arrow.head.base);
    let t0 = arrow.label_t;
    let at = |t: f32| (a.x + (base.x - a.x) * t, a.y + (base.y - a.y) * t);
    let along: Vec<f32> = (0..9)
        .map(|i| {
            let step = (i + 1) / 2;
            let sign = if i % 2 == 1 { -1.0 } else { 1.0 };
            (t0 + sign * 0.09 * step as f32).clamp(0.1, 0.9)
        })
        .collect();
    let candidates = [0.0f32, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0]
        .into_iter()
        .flat_map(|k| along.iter().map(move |&t| (t, k * (h + 1.0))));
    let mut best: Option<(f32, Rect)> = None;
    for (t, dy) in candidates {
        let (x, y) = at(t);
        let r = Rect::centred(x, y + dy, w / 2.0, h / 2.0);
        let covered: f32 = taken.iter().map(|o| overlap_area(o, &r)).sum();
        if best.is_none_or(|(b, _)| covered < b) {
            best = Some((covered, r));
        }
        if covered == 0.0 {
            break;
        }
    }
    best.map_or_else(
        || {
            let (x, y) = at(t0);
            Rect::centred(x, y, w / 2.0, h / 2.0)
        },
        |(_, r)| r,
    )
}

/// The arrow's label in its `color` on a plate, placed clear of what is `taken` (and
/// then taken itself).
pub(super) fn label(out: &mut String, arrow: &Arrow, color: &str, taken: &mut Taken) {
    let w = text_width(&arrow.label, LABEL_SIZE, false) + 6.0;
    let h = LABEL_SIZE + 5.0;
    let r = place(arrow, w, h, &taken.rects);
    taken.push(r);
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.88"/>"##,
        n(r.x0),
        n(r.y0),
        n(w),
        n(h)
    );
    text(
        out,
        (r.x0 + r.x1) / 2.0,
        r.y1 - 4.5,
        LABEL_SIZE,
        &format!(r#" text-anchor="middle" fill="{color}""#),
        &arrow.label,
    );
}
