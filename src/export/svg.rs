//! The diagram as SVG, drawn like the app's canvas: each kind of box in its shape and
//! colour with its name and detail line, each kind of arrow in its colour and line,
//! labels on plates, a legend below; with an overlay, the run's heat, lag and findings.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::overlay::Overlay;
use crate::diagram::style::{
    BOX_KINDS, EDGE_KINDS, FINDING, INK, LAG, Line, OUTLINE, edge_label, edge_style, element_color,
    half_size, heat_color, placed, text_width,
};
use super::xml_escape;
use crate::diagram::EdgeKind;
use crate::model::{ElementKind, Model};

/// The font the SVG asks for, with fallbacks. The PNG export renders with DejaVu Sans.
const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
const MARGIN: f32 = 24.0;
const NAME_SIZE: f32 = 14.0;
const MIN_NAME_SIZE: f32 = 10.0;
const DETAIL_SIZE: f32 = 11.0;
const LABEL_SIZE: f32 = 11.0;
const LEGEND_SIZE: f32 = 12.0;
/// Width of a topic's partition log, at its right end.
const LOG_WIDTH: f32 = 22.0;
/// How far a saga's or a source's point reaches in from the box.
const POINT: f32 = 12.0;
/// Height of a store's top ellipse.
const LID: f32 = 6.0;
/// Arrow head length.
const TIP: f32 = 10.0;
/// Sideways distance between parallel arrows.
const PARALLEL_GAP: f32 = 16.0;

/// A number for SVG: one decimal at most, no "-0".
fn n(x: f32) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".to_owned();
    }
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Rect {
    fn centred(cx: f32, cy: f32, hw: f32, hh: f32) -> Self {
        Self {
            x0: cx - hw,
            y0: cy - hh,
            x1: cx + hw,
            y1: cy + hh,
        }
    }
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
    fn expand(&self, d: f32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
}

/// The outline of a kind's shape around the origin, as a polygon (the app's).
fn outline(kind: ElementKind, (x, y): (f32, f32)) -> Vec<(f32, f32)> {
    match kind {
        ElementKind::Saga => vec![
            (-x, 0.0),
            (-x + POINT, -y),
            (x - POINT, -y),
            (x, 0.0),
            (x - POINT, y),
            (-x + POINT, y),
        ],
        ElementKind::Source => vec![(-x, -y), (x - POINT, -y), (x, 0.0), (x - POINT, y), (-x, y)],
        ElementKind::Projection => vec![(-x + 10.0, -y), (x, -y), (x - 10.0, y), (-x, y)],
        ElementKind::Store => {
            let mut pts = Vec::new();
            let steps = 12;
            for i in 0..=steps {
                let a = std::f32::consts::PI * (1.0 + i as f32 / steps as f32);
                pts.push((x * a.cos(), -y + LID + LID * a.sin()));
            }
            for i in 0..=steps {
                let a = std::f32::consts::PI * (i as f32 / steps as f32);
                pts.push((x * a.cos(), y - LID + LID * a.sin()));
            }
            pts
        }
        _ => vec![(-x, -y), (x, -y), (x, y), (-x, y)],
    }
}

/// Where a ray from the centre in direction `dir` leaves a convex polygon.
fn ray_exit(poly: &[(f32, f32)], dir: (f32, f32)) -> (f32, f32) {
    let len = (dir.0 * dir.0 + dir.1 * dir.1).sqrt();
    let d = if len > 0.0 {
        (dir.0 / len, dir.1 / len)
    } else {
        (1.0, 0.0)
    };
    let mut best = f32::INFINITY;
    for i in 0..poly.len() {
        let a = poly[i];
        let b = poly[(i + 1) % poly.len()];
        let e = (b.0 - a.0, b.1 - a.1);
        let denom = d.0 * e.1 - d.1 * e.0;
        if denom.abs() < 1e-6 {
            continue;
        }
        let t = (a.0 * e.1 - a.1 * e.0) / denom;
        let s = (a.0 * d.1 - a.1 * d.0) / denom;
        if t > 0.0 && (-1e-4..=1.0 + 1e-4).contains(&s) {
            best = best.min(t);
        }
    }
    if best.is_finite() {
        (d.0 * best, d.1 * best)
    } else {
        (0.0, 0.0)
    }
}

/// A kind's shape (without text) centred at (cx, cy), scaled.
fn shape(
    out: &mut String,
    kind: ElementKind,
    (cx, cy): (f32, f32),
    (hw, hh): (f32, f32),
    scale: f32,
    partitions: u32,
) {
    let (hw, hh) = (hw * scale, hh * scale);
    let fill = element_color(kind);
    let stroke = format!(r#"fill="{fill}" stroke="{OUTLINE}" stroke-width="1""#);
    match kind {
        ElementKind::Service | ElementKind::Topic | ElementKind::Event => {
            let radius = if kind == ElementKind::Service {
                9.0
            } else {
                2.0
            } * scale;
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" {stroke}/>"#,
                n(cx - hw),
                n(cy - hh),
                n(2.0 * hw),
                n(2.0 * hh),
                n(radius)
            );
            if kind == ElementKind::Topic {
                // The partition log: one cell per partition, up to eight.
                let lx = cx + hw - LOG_WIDTH * scale;
                let mut d = format!("M{} {}V{}", n(lx), n(cy - hh), n(cy + hh));
                let cells = partitions.clamp(1, 8);
                for i in 1..cells {
                    let y = cy - hh + 2.0 * hh * i as f32 / cells as f32;
                    let _ = write!(d, "M{} {}H{}", n(lx), n(y), n(cx + hw));
                }
                let _ = writeln!(
                    out,
                    r##"<path d="{d}" fill="none" stroke="#000000" stroke-opacity="0.43" stroke-width="1"/>"##
                );
            }
        }
        ElementKind::Store => {
            let lid = LID * scale;
            let top = cy - hh + lid;
            let bottom = cy + hh - lid;
            let _ = writeln!(
                out,
                r#"<path d="M{x0} {top}A{rx} {lid} 0 0 1 {x1} {top}V{bottom}A{rx} {lid} 0 0 1 {x0} {bottom}Z" {stroke}/>"#,
                x0 = n(cx - hw),
                x1 = n(cx + hw),
                rx = n(hw),
                lid = n(lid),
                top = n(top),
                bottom = n(bottom),
            );
            let _ = writeln!(
                out,
                r#"<path d="M{x0} {top}A{rx} {lid} 0 0 0 {x1} {top}" fill="none" stroke="{OUTLINE}" stroke-width="1"/>"#,
                x0 = n(cx - hw),
                x1 = n(cx + hw),
                rx = n(hw),
                lid = n(lid),
                top = n(top),
            );
        }
        _ => {
            let pts: Vec<String> = outline(kind, (hw / scale, hh / scale))
                .into_iter()
                .map(|(x, y)| format!("{},{}", n(cx + x * scale), n(cy + y * scale)))
                .collect();
            let _ = writeln!(out, r#"<polygon points="{}" {stroke}/>"#, pts.join(" "));
        }
    }
}

/// Room for text across a kind's box of half width `hw`.
fn text_room(kind: ElementKind, hw: f32) -> f32 {
    let room = 2.0 * hw - 10.0;
    match kind {
        ElementKind::Topic => room - LOG_WIDTH - 2.0,
        ElementKind::Saga | ElementKind::Source => room - POINT,
        _ => room,
    }
}

/// Widest a box may grow for its name, half: layers are `diagram::layout`'s 220 apart.
const MAX_HALF_WIDTH: f32 = 95.0;

/// Half the size of a box: its kind's (the app's), widened for a name or detail that
/// would not fit even at the smallest name size (the app cuts them with "…"; an
/// export for a review shows them whole up to `MAX_HALF_WIDTH`).
fn box_half(kind: ElementKind, name: &str, detail: &str) -> (f32, f32) {
    let (hw, hh) = half_size(kind);
    let need = text_width(name, MIN_NAME_SIZE, false).max(text_width(detail, DETAIL_SIZE, false));
    let room = text_room(kind, hw);
    if need > room {
        (
            (hw + (need - room) / 2.0 + 1.0).min(MAX_HALF_WIDTH).ceil(),
            hh,
        )
    } else {
        (hw, hh)
    }
}

/// `text` cut to `width` px with "…" (never cut when it fits).
fn fit(text: &str, size: f32, bold: bool, width: f32) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && text_width(&cut, size, bold) + text_width("…", size, bold) > width {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// One line of text.
fn text(out: &mut String, x: f32, y: f32, size: f32, attrs: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{attrs}>{}</text>"#,
        n(x),
        n(y),
        n(size),
        xml_escape(content)
    );
}

/// A word or number on a rounded plate, centred at (cx, cy).
fn badge(out: &mut String, cx: f32, cy: f32, label: &str, fill: &str, ink: &str) -> Rect {
    let w = text_width(label, LABEL_SIZE, true) + 10.0;
    let r = Rect::centred(cx, cy, w / 2.0, 8.0);
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="16" rx="7" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.5"/>"#,
        n(r.x0),
        n(r.y0),
        n(w)
    );
    text(
        out,
        cx,
        cy + 4.0,
        LABEL_SIZE,
        &format!(r#" font-weight="bold" text-anchor="middle" fill="{ink}""#),
        label,
    );
    r
}

/// A numbered finding marker centred at (cx, cy).
fn marker(out: &mut String, cx: f32, cy: f32, rank: u32) -> Rect {
    let _ = writeln!(
        out,
        r##"<circle cx="{}" cy="{}" r="9" fill="{FINDING}" stroke="#ffffff" stroke-width="1.5"/>"##,
        n(cx),
        n(cy)
    );
    text(
        out,
        cx,
        cy + 4.0,
        LABEL_SIZE,
        r##" font-weight="bold" text-anchor="middle" fill="#ffffff""##,
        &rank.to_string(),
    );
    Rect::centred(cx, cy, 10.0, 10.0)
}

/// Words wrapped to lines of at most `width` px.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
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

/// The area two rectangles share.
fn overlap_area(a: &Rect, b: &Rect) -> f32 {
    let w = (a.x1.min(b.x1) - a.x0.max(b.x0)).max(0.0);
    let h = (a.y1.min(b.y1) - a.y0.max(b.y0)).max(0.0);
    w * h
}

/// Does the segment a–b pass through the rectangle? (Sampled every 2 px.)
fn crosses(a: (f32, f32), b: (f32, f32), r: &Rect) -> bool {
    let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    let steps = (len / 2.0).ceil().max(1.0) as u32;
    (0..=steps).any(|i| {
        let t = i as f32 / steps as f32;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1
    })
}

/// Arrows that carry their label: replies and compensations travel beside their
/// commands and, as in the app, go unlabelled (the legend tells them apart).
fn labelled(kind: EdgeKind, label: &str) -> bool {
    !label.is_empty() && !matches!(kind, EdgeKind::Reply | EdgeKind::Compensation)
}

struct Arrow {
    kind: EdgeKind,
    a: (f32, f32),
    tip: (f32, f32),
    base: (f32, f32),
    /// Where along its line the label sits, 0 to 1.
    label_t: f32,
    label: String,
}

/// The model's diagram as SVG (real shapes and text), laid out as the model says (the
/// layered layout where positions are missing), with a legend; with the overlay: heat
/// outlines, lag badges, numbered finding markers, the caption and a heat legend.
pub fn svg(model: &Model, overlay: Option<&Overlay>) -> String {
    let (graph, pos) = placed(model);
    let partitions: BTreeMap<&str, u32> = model
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.partitions))
        .collect();
    let halves: Vec<(f32, f32)> = graph
        .nodes
        .iter()
        .map(|node| box_half(node.element.kind, &node.element.name, &node.detail))
        .collect();
    let boxes: Vec<Rect> = halves
        .iter()
        .zip(&pos)
        .map(|(&(hw, hh), &(cx, cy))| Rect::centred(cx, cy, hw, hh))
        .collect();

    // Arrows: parallel ones between two boxes (either way) spread sideways, as in the app.
    let mut bundles: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, e) in graph.edges.iter().enumerate() {
        if e.from != e.to {
            bundles
                .entry((e.from.min(e.to), e.from.max(e.to)))
                .or_default()
                .push(i);
        }
    }
    let mut arrows = Vec::new();
    for members in bundles.values() {
        let k = members.len() as f32;
        // Labels of parallel arrows sit at different points along their lines.
        let labelled: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| labelled(graph.edges[i].kind, &graph.edges[i].label))
            .collect();
        for (j, &i) in members.iter().enumerate() {
            let e = &graph.edges[i];
            let m = labelled.len() as f32;
            let label_t = labelled.iter().position(|&l| l == i).map_or(0.5, |jl| {
                (0.5 + (jl as f32 - (m - 1.0) / 2.0) * 0.2).clamp(0.2, 0.8)
            });
            let offset = (j as f32 - (k - 1.0) / 2.0) * PARALLEL_GAP;
            let (ca, cb) = (pos[e.from], pos[e.to]);
            let d = (cb.0 - ca.0, cb.1 - ca.1);
            let len = (d.0 * d.0 + d.1 * d.1).sqrt();
            if len < 1e-3 {
                continue;
            }
            let canonical = if e.from < e.to { d } else { (-d.0, -d.1) };
            let side = (-canonical.1 / len * offset, canonical.0 / len * offset);
            let ka = graph.nodes[e.from].element.kind;
            let kb = graph.nodes[e.to].element.kind;
            let ea = ray_exit(&outline(ka, halves[e.from]), d);
            let eb = ray_exit(&outline(kb, halves[e.to]), (-d.0, -d.1));
            let a = (ca.0 + ea.0 + side.0, ca.1 + ea.1 + side.1);
            let tip = (cb.0 + eb.0 + side.0, cb.1 + eb.1 + side.1);
            let (dx, dy) = (tip.0 - a.0, tip.1 - a.1);
            let l = (dx * dx + dy * dy).sqrt().max(1e-3);
            let base = (tip.0 - dx / l * TIP, tip.1 - dy / l * TIP);
            arrows.push((
                i,
                Arrow {
                    kind: e.kind,
                    a,
                    tip,
                    base,
                    label_t,
                    label: e.label.clone(),
                },
            ));
        }
    }
    // Drawn in edge order, so the output does not depend on the bundling.
    arrows.sort_by_key(|(i, _)| *i);

    // The overlay's marks, placed first so arrow labels keep clear of them.
    let mut marks = String::new();
    let mut taken: Vec<Rect> = boxes.iter().map(|r| r.expand(2.0)).collect();
    let mut bounds = boxes
        .iter()
        .copied()
        .reduce(|a, b| a.union(&b))
        .unwrap_or(Rect::centred(0.0, 0.0, 100.0, 30.0));
    if let Some(o) = overlay {
        for (node, r) in graph.nodes.iter().zip(&boxes) {
            let name = &node.element.name;
            match node.element.kind {
                ElementKind::Service => {
                    if let Some(&u) = o.utilisation.get(name) {
                        let h = r.expand(5.0);
                        let _ = writeln!(
                            marks,
                            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="11" fill="none" stroke="{}" stroke-width="4"/>"#,
                            n(h.x0),
                            n(h.y0),
                            n(h.x1 - h.x0),
                            n(h.y1 - h.y0),
                            heat_color(u)
                        );
                        bounds = bounds.union(&h.expand(2.0));
                        let label = format!("{:.0}%", u * 100.0);
                        let b = badge(
                            &mut marks,
                            r.x1 - 14.0,
                            r.y0 - 8.0,
                            &label,
                            &heat_color(u),
                            INK,
                        );
                        taken.push(b);
                        bounds = bounds.union(&b);
                    }
                }
                ElementKind::Topic => {
                    if let Some(&lag) = o.lag.get(name).filter(|l| **l > 0) {
                        let b = badge(
                            &mut marks,
                            r.x1 - 14.0,
                            r.y0 - 8.0,
                            &format!("lag {lag}"),
                            LAG,
                            "#ffffff",
                        );
                        taken.push(b);
                        bounds = bounds.union(&b);
                    }
                }
                _ => {}
            }
        }
        // Markers in a row at a corner of their box: the first corner no arrow
        // crosses (top left, bottom left, bottom right).
        let mut per_element: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        for (rank, element, _) in &o.findings {
            if let Some(i) = graph.node(element) {
                per_element.entry(i).or_default().push(*rank);
            }
        }
        for (i, ranks) in per_element {
            let r = boxes[i];
            let row = |corner: usize| -> Vec<(f32, f32)> {
                (0..ranks.len())
                    .map(|k| {
                        let k = k as f32 * 21.0;
                        match corner {
                            0 => (r.x0 + 4.0 + k, r.y0 - 6.0),
                            1 => (r.x0 + 4.0 + k, r.y1 + 6.0),
                            _ => (r.x1 - 4.0 - k, r.y1 + 6.0),
                        }
                    })
                    .collect()
            };
            let clear = |spots: &[(f32, f32)]| {
                spots.iter().all(|&(x, y)| {
                    let m = Rect::centred(x, y, 12.0, 12.0);
                    !arrows.iter().any(|(_, a)| crosses(a.a, a.tip, &m))
                        && !taken
                            .iter()
                            .enumerate()
                            .any(|(j, t)| j != i && t.overlaps(&m))
                })
            };
            let spots = (0..3).map(row).find(|s| clear(s)).unwrap_or_else(|| row(0));
            for (&(x, y), rank) in spots.iter().zip(&ranks) {
                let m = marker(&mut marks, x, y, *rank);
                taken.push(m);
                bounds = bounds.union(&m);
            }
        }
    }

    // Arrows and their labels.
    let mut lines = String::new();
    let mut labels = String::new();
    for (_, arrow) in &arrows {
        let (line, width, color) = edge_style(arrow.kind);
        let dash = match line {
            Line::Solid => String::new(),
            Line::Dashed => r#" stroke-dasharray="7 4""#.to_owned(),
            Line::Dotted => r#" stroke-dasharray="0.5 5" stroke-linecap="round""#.to_owned(),
        };
        let (a, base, tip) = (arrow.a, arrow.base, arrow.tip);
        let _ = writeln!(
            lines,
            r#"<path d="M{} {}L{} {}" fill="none" stroke="{color}" stroke-width="{}"{dash}/>"#,
            n(a.0),
            n(a.1),
            n(base.0),
            n(base.1),
            n(if line == Line::Dotted {
                width * 1.3
            } else {
                width
            })
        );
        let (dx, dy) = (tip.0 - base.0, tip.1 - base.1);
        let l = (dx * dx + dy * dy).sqrt().max(1e-3);
        let perp = (-dy / l * TIP * 0.45, dx / l * TIP * 0.45);
        let _ = writeln!(
            lines,
            r#"<polygon points="{},{} {},{} {},{}" fill="{color}"/>"#,
            n(tip.0),
            n(tip.1),
            n(base.0 + perp.0),
            n(base.1 + perp.1),
            n(base.0 - perp.0),
            n(base.1 - perp.1)
        );
        bounds = bounds.union(&Rect {
            x0: a.0.min(tip.0),
            y0: a.1.min(tip.1),
            x1: a.0.max(tip.0),
            y1: a.1.max(tip.1),
        });
        if !labelled(arrow.kind, &arrow.label) {
            continue;
        }
        // A label that would cover a box, a mark or another label moves along its
        // line to a free spot.
        let w = text_width(&arrow.label, LABEL_SIZE, false) + 6.0;
        let h = LABEL_SIZE + 5.0;
        let t0 = arrow.label_t;
        let at = |t: f32| (a.0 + (base.0 - a.0) * t, a.1 + (base.1 - a.1) * t);
        // Along the line first; then, where parallel arrows leave no room (three
        // events on one short hop), stacked beside it; failing all, the spot that
        // covers the least.
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
        let r = best.map_or_else(
            || {
                let (x, y) = at(t0);
                Rect::centred(x, y, w / 2.0, h / 2.0)
            },
            |(_, r)| r,
        );
        taken.push(r);
        bounds = bounds.union(&r);
        let _ = writeln!(
            labels,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.88"/>"##,
            n(r.x0),
            n(r.y0),
            n(w),
            n(h)
        );
        text(
            &mut labels,
            (r.x0 + r.x1) / 2.0,
            r.y1 - 4.5,
            LABEL_SIZE,
            &format!(r#" text-anchor="middle" fill="{color}""#),
            &arrow.label,
        );
    }

    // Boxes with their name and detail line.
    let mut nodes = String::new();
    for (node, (r, &(cx, cy))) in graph.nodes.iter().zip(boxes.iter().zip(&pos)) {
        let kind = node.element.kind;
        let parts = partitions
            .get(node.element.name.as_str())
            .copied()
            .unwrap_or(1);
        let half = ((r.x1 - r.x0) / 2.0, (r.y1 - r.y0) / 2.0);
        shape(&mut nodes, kind, (cx, cy), half, 1.0, parts);
        let width = text_room(kind, half.0);
        let mut centre_x = cx;
        let mut centre_y = cy;
        match kind {
            ElementKind::Topic => centre_x -= (LOG_WIDTH + 2.0) / 2.0,
            ElementKind::Store => centre_y += LID / 2.0,
            _ => {}
        }
        let name = &node.element.name;
        let mut size = NAME_SIZE;
        while size > MIN_NAME_SIZE && text_width(name, size, false) > width {
            size -= 1.0;
        }
        let name = fit(name, size, false, width);
        let detail = fit(&node.detail, DETAIL_SIZE, false, width);
        let total = size * 1.16 + 2.0 + DETAIL_SIZE * 1.16;
        let top = centre_y - total / 2.0;
        let ink = format!(r#" text-anchor="middle" fill="{INK}""#);
        text(&mut nodes, centre_x, top + size * 0.95, size, &ink, &name);
        text(
            &mut nodes,
            centre_x,
            top + size * 1.16 + 2.0 + DETAIL_SIZE * 0.95,
            DETAIL_SIZE,
            &ink,
            &detail,
        );
    }

    // The header: the model's name and the run's caption.
    let mut header = String::new();
    let mut y = MARGIN + 16.0;
    text(
        &mut header,
        MARGIN,
        y,
        16.0,
        &format!(r#" font-weight="bold" fill="{INK}""#),
        &model.name,
    );
    let mut header_width = text_width(&model.name, 16.0, true);
    if let Some(o) = overlay.filter(|o| !o.caption.is_empty()) {
        y += 20.0;
        text(
            &mut header,
            MARGIN,
            y,
            LEGEND_SIZE,
            r##" fill="#444444""##,
            &o.caption,
        );
        header_width = header_width.max(text_width(&o.caption, LEGEND_SIZE, false));
    }
    let diagram_top = y + 28.0;
    let diagram_width = bounds.x1 - bounds.x0;
    let (dx, dy) = (MARGIN - bounds.x0, diagram_top - bounds.y0);

    // The legend, below the diagram: the kinds this diagram uses.
    let content_width = diagram_width.max(header_width).max(560.0);
    let mut legend = String::new();
    let mut y = diagram_top + (bounds.y1 - bounds.y0) + 32.0;
    let _ = writeln!(
        legend,
        r##"<path d="M{} {}H{}" stroke="#cccccc" stroke-width="1"/>"##,
        n(MARGIN),
        n(y - 16.0),
        n(MARGIN + content_width)
    );
    let kinds: Vec<ElementKind> = BOX_KINDS
        .into_iter()
        .filter(|k| graph.nodes.iter().any(|n| n.element.kind == *k))
        .collect();
    let mut x = MARGIN;
    for kind in kinds {
        let label = kind.label();
        let w = 44.0 + text_width(label, LEGEND_SIZE, false) + 18.0;
        if x + w > MARGIN + content_width && x > MARGIN {
            x = MARGIN;
            y += 24.0;
        }
        shape(&mut legend, kind, (x + 18.0, y), half_size(kind), 0.27, 3);
        text(
            &mut legend,
            x + 42.0,
            y + 4.0,
            LEGEND_SIZE,
            &format!(r#" fill="{INK}""#),
            label,
        );
        x += w;
    }
    y += 26.0;
    x = MARGIN;
    let edge_kinds: Vec<EdgeKind> = EDGE_KINDS
        .into_iter()
        .filter(|k| graph.edges.iter().any(|e| e.kind == *k && e.from != e.to))
        .collect();
    for kind in edge_kinds {
        let label = edge_label(kind);
        let w = 40.0 + text_width(label, LEGEND_SIZE, false) + 18.0;
        if x + w > MARGIN + content_width && x > MARGIN {
            x = MARGIN;
            y += 22.0;
        }
        let (line, width, color) = edge_style(kind);
        let dash = match line {
            Line::Solid => "",
            Line::Dashed => r#" stroke-dasharray="5 3""#,
            Line::Dotted => r#" stroke-dasharray="0.5 4" stroke-linecap="round""#,
        };
        let _ = writeln!(
            legend,
            r#"<path d="M{} {}H{}" fill="none" stroke="{color}" stroke-width="{}"{dash}/>"#,
            n(x),
            n(y),
            n(x + 26.0),
            n(if line == Line::Dotted {
                width * 1.3
            } else {
                width
            })
        );
        let _ = writeln!(
            legend,
            r#"<polygon points="{},{} {},{} {},{}" fill="{color}"/>"#,
            n(x + 34.0),
            n(y),
            n(x + 26.0),
            n(y - 4.0),
            n(x + 26.0),
            n(y + 4.0)
        );
        text(
            &mut legend,
            x + 40.0,
            y + 4.0,
            LEGEND_SIZE,
            &format!(r#" fill="{INK}""#),
            label,
        );
        x += w;
    }
    if let Some(o) = overlay {
        y += 30.0;
        let _ = writeln!(
            legend,
            r##"<defs><linearGradient id="heat" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="{}"/><stop offset="0.5" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient></defs>"##,
            heat_color(0.0),
            heat_color(0.5),
            heat_color(1.0)
        );
        text(
            &mut legend,
            MARGIN,
            y + 4.0,
            LEGEND_SIZE,
            &format!(r#" fill="{INK}""#),
            "utilisation",
        );
        let bar_x = MARGIN + text_width("utilisation", LEGEND_SIZE, false) + 10.0;
        let _ = writeln!(
            legend,
            r##"<rect x="{}" y="{}" width="160" height="10" fill="url(#heat)" stroke="{OUTLINE}" stroke-width="0.5"/>"##,
            n(bar_x),
            n(y - 5.0)
        );
        text(
            &mut legend,
            bar_x,
            y + 19.0,
            10.0,
            &format!(r#" fill="{INK}""#),
            "0%",
        );
        text(
            &mut legend,
            bar_x + 80.0,
            y + 19.0,
            10.0,
            &format!(r#" text-anchor="middle" fill="{INK}""#),
            "50%",
        );
        text(
            &mut legend,
            bar_x + 160.0,
            y + 19.0,
            10.0,
            &format!(r#" text-anchor="end" fill="{INK}""#),
            "100%",
        );
        let lag_x = bar_x + 190.0;
        badge(&mut legend, lag_x + 22.0, y, "lag N", LAG, "#ffffff");
        text(
            &mut legend,
            lag_x + 50.0,
            y + 4.0,
            LEGEND_SIZE,
            &format!(r#" fill="{INK}""#),
            "highest consumer-group lag in the run",
        );
        if !o.findings.is_empty() {
            y += 40.0;
            text(
                &mut legend,
                MARGIN,
                y,
                LEGEND_SIZE,
                &format!(r#" font-weight="bold" fill="{INK}""#),
                "Findings",
            );
            for (rank, element, evidence) in &o.findings {
                y += 24.0;
                marker(&mut legend, MARGIN + 9.0, y - 4.0, *rank);
                let head = format!("{element}: ");
                let head_w = text_width(&head, LEGEND_SIZE, true);
                text(
                    &mut legend,
                    MARGIN + 26.0,
                    y,
                    LEGEND_SIZE,
                    &format!(r#" font-weight="bold" fill="{INK}""#),
                    &head,
                );
                let room = (content_width - 26.0 - head_w).max(200.0);
                for (i, line) in wrap(evidence, LEGEND_SIZE, room).iter().enumerate() {
                    if i > 0 {
                        y += 16.0;
                    }
                    text(
                        &mut legend,
                        MARGIN + 26.0 + head_w,
                        y,
                        LEGEND_SIZE,
                        &format!(r#" fill="{INK}""#),
                        line,
                    );
                }
            }
        }
    }
    let width = (content_width + 2.0 * MARGIN).ceil();
    let height = (y + MARGIN + 8.0).ceil();

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#,
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>{}</title>", xml_escape(&model.name));
    out.push_str(r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    out.push('\n');
    out.push_str(&header);
    let _ = writeln!(out, r#"<g transform="translate({} {})">"#, n(dx), n(dy));
    out.push_str("<g class=\"arrows\">\n");
    out.push_str(&lines);
    out.push_str("</g>\n<g class=\"boxes\">\n");
    out.push_str(&nodes);
    out.push_str("</g>\n<g class=\"labels\">\n");
    out.push_str(&labels);
    out.push_str("</g>\n");
    if overlay.is_some() {
        out.push_str("<g class=\"overlay\">\n");
        out.push_str(&marks);
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n<g class=\"legend\">\n");
    out.push_str(&legend);
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(2.25), "2.3");
        assert_eq!(n(-3.5), "-3.5");
    }

    #[test]
    fn long_text_is_cut_and_short_text_kept() {
        assert_eq!(fit("abc", 14.0, false, 100.0), "abc");
        let cut = fit("a very long name indeed for one box", 14.0, false, 100.0);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 14.0, false) <= 100.0);
    }

    #[test]
    fn words_wrap() {
        let lines = wrap("one two three four five six seven", 12.0, 60.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.join(" "), "one two three four five six seven");
    }
}
