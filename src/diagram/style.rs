//! How the diagram looks, in one place: colours, box sizes, text sizes and line styles
//! per kind (the app's canvas and every export draw from these), text widths for the
//! SVG, and the diagram with a position for every box. The shapes themselves are
//! [`shape`](super::shape)'s.

use super::{ArchGraph, EdgeKind, arch_graph, needs_layout};
use crate::model::{ElementKind, Model};

/// Box kinds in the order the legends list them.
pub const BOX_KINDS: [ElementKind; 6] = [
    ElementKind::Source,
    ElementKind::Service,
    ElementKind::Saga,
    ElementKind::Topic,
    ElementKind::Store,
    ElementKind::Projection,
];

/// Arrow kinds in the order the legends list them.
pub const EDGE_KINDS: [EdgeKind; 10] = [
    EdgeKind::Publish,
    EdgeKind::Consume,
    EdgeKind::Command,
    EdgeKind::Reply,
    EdgeKind::Failure,
    EdgeKind::Compensation,
    EdgeKind::Callback,
    EdgeKind::DeadLetter,
    EdgeKind::Store,
    EdgeKind::Orchestrates,
];

/// The fill of an element kind.
pub fn element_color(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Source => "#b3a6f0",
        ElementKind::Service => "#7db8eb",
        ElementKind::Saga => "#f0ab6a",
        ElementKind::Topic => "#7ccfa8",
        ElementKind::Store => "#de9cc0",
        ElementKind::Projection => "#d8d078",
        ElementKind::Event => "#bbbbbb",
    }
}

/// Text on a filled box (`app::theme::INK_ON_FILL`).
pub const INK: &str = "#1a1d24";
/// The plain outline of a box in the light theme (`app::theme::outline_color`).
pub const OUTLINE: &str = "#5a5a5a";
/// Finding markers (`app::theme::ERROR`).
pub const FINDING: &str = "#e03c3c";
/// Lag badges (as in the app's simulation overlay).
pub const LAG: &str = "#2f6f9f";

/// The line of an arrow kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// One unbroken line.
    Solid,
    /// Dashes [`DASH`] long with gaps of [`DASH_GAP`].
    Dashed,
    /// Dots [`DOT_GAP`] apart.
    Dotted,
}

/// Length of a dashed arrow's dashes.
pub const DASH: f32 = 7.0;
/// The gap between a dashed arrow's dashes.
pub const DASH_GAP: f32 = 4.0;
/// The distance between a dotted arrow's dots.
pub const DOT_GAP: f32 = 5.0;
/// [`DASH`], [`DASH_GAP`] and [`DOT_GAP`] in the legends' short samples.
pub const LEGEND_DASH: (f32, f32, f32) = (5.0, 3.0, 4.0);

/// Size of a box's name (the largest; long names may shrink in the exports).
pub const NAME_SIZE: f32 = 14.0;
/// Size of a box's detail line ("6 partitions", "2 × 4 workers"…).
pub const DETAIL_SIZE: f32 = 11.0;
/// Size of an arrow's label.
pub const LABEL_SIZE: f32 = 11.0;

/// How an arrow kind is drawn: line, width, colour.
pub fn edge_style(kind: EdgeKind) -> (Line, f32, &'static str) {
    match kind {
        EdgeKind::Publish => (Line::Solid, 1.8, "#5b84c4"),
        EdgeKind::Consume => (Line::Solid, 1.8, "#3a9e70"),
        EdgeKind::Command => (Line::Solid, 2.4, "#d97b29"),
        EdgeKind::Reply => (Line::Dashed, 1.8, "#c89a3c"),
        EdgeKind::Failure => (Line::Dotted, 2.2, "#c0392b"),
        EdgeKind::Compensation => (Line::Dashed, 2.2, "#d04848"),
        EdgeKind::Callback => (Line::Dotted, 2.0, "#9a6bd4"),
        EdgeKind::DeadLetter => (Line::Dashed, 1.8, "#8e2c2c"),
        EdgeKind::Store => (Line::Dotted, 2.0, "#c96b9b"),
        EdgeKind::Orchestrates => (Line::Dotted, 2.0, "#e08a3c"),
    }
}

/// Human name of an arrow kind, for legends.
pub fn edge_label(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Publish => "publish",
        EdgeKind::Consume => "consume (group)",
        EdgeKind::Command => "command",
        EdgeKind::Reply => "reply",
        EdgeKind::Failure => "failure reply",
        EdgeKind::Compensation => "compensation",
        EdgeKind::Callback => "callback",
        EdgeKind::DeadLetter => "dead letter",
        EdgeKind::Store => "store",
        EdgeKind::Orchestrates => "runs saga",
    }
}

/// Half the width and height of a kind's shape.
pub fn half_size(kind: ElementKind) -> (f32, f32) {
    match kind {
        ElementKind::Service => (66.0, 23.0),
        ElementKind::Topic => (68.0, 21.0),
        ElementKind::Saga => (68.0, 23.0),
        ElementKind::Store => (58.0, 25.0),
        ElementKind::Projection => (64.0, 21.0),
        ElementKind::Source => (60.0, 21.0),
        ElementKind::Event => (56.0, 18.0),
    }
}

/// Heat from cool (idle, green) to hot (saturated, red), as red, green, blue.
pub fn heat_rgb(u: f64) -> (u8, u8, u8) {
    let u = u.clamp(0.0, 1.0) as f32;
    let (r, g) = if u < 0.5 {
        (u * 2.0, 1.0)
    } else {
        (1.0, 1.0 - (u - 0.5) * 2.0)
    };
    ((60.0 + 195.0 * r) as u8, (70.0 + 150.0 * g) as u8, 60u8)
}

/// [`heat_rgb`] as `#rrggbb`.
pub fn heat_color(u: f64) -> String {
    let (r, g, b) = heat_rgb(u);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A `#rrggbb` colour of this module as red, green, blue.
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .unwrap_or(0)
    };
    (channel(1), channel(3), channel(5))
}

/// Advance widths of DejaVu Sans for ASCII 32..=126, in 1/1000 em.
const DEJAVU_SANS: [u16; 95] = [
    317, 400, 459, 837, 636, 950, 779, 274, 390, 390, 500, 837, 317, 360, 317, 336, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 336, 336, 837, 837, 837, 530, 1000, 684, 686, 698, 770, 631,
    575, 774, 751, 294, 294, 655, 557, 862, 748, 787, 603, 787, 694, 634, 610, 731, 684, 988, 685,
    610, 685, 390, 336, 390, 837, 500, 500, 612, 634, 549, 634, 615, 352, 634, 633, 277, 277, 579,
    277, 974, 633, 611, 634, 634, 411, 520, 392, 633, 591, 817, 591, 591, 524, 636, 336, 636, 837,
];
/// The same for DejaVu Sans Bold.
const DEJAVU_SANS_BOLD: [u16; 95] = [
    348, 456, 520, 837, 695, 1001, 872, 306, 457, 457, 522, 837, 379, 415, 379, 365, 695, 695, 695,
    695, 695, 695, 695, 695, 695, 695, 399, 399, 837, 837, 837, 580, 1000, 773, 762, 733, 830, 683,
    683, 820, 836, 372, 372, 774, 637, 995, 836, 850, 732, 850, 770, 720, 682, 812, 773, 1103, 770,
    724, 725, 457, 365, 457, 837, 500, 500, 674, 715, 592, 715, 678, 435, 715, 711, 342, 342, 665,
    342, 1041, 711, 687, 715, 715, 493, 595, 478, 711, 651, 923, 645, 651, 582, 711, 365, 711, 837,
];

/// The width of `text` at `size` px in DejaVu Sans (the font the exports ask for).
/// A fixed table, not the system's fonts, so the SVG is the same on every machine;
/// characters outside ASCII count as one em (a little wide: text fits rather than
/// spills).
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold {
        &DEJAVU_SANS_BOLD
    } else {
        &DEJAVU_SANS
    };
    let units: u32 = text
        .chars()
        .map(|c| match c as u32 {
            c @ 32..=126 => u32::from(table[(c - 32) as usize]),
            0xb7 => 317,
            0xd7 => 837,
            _ => 1000,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// The model's diagram with every box placed: the model's own positions, or the
/// layered layout for every box when any box has none or two boxes share a point
/// (as the app does when it opens such a model).
pub fn placed(model: &Model) -> (ArchGraph, Vec<(f32, f32)>) {
    let graph = arch_graph(model);
    let positions = if needs_layout(model) {
        super::domain_layout::layout_for(model, &graph)
            .into_iter()
            .map(|p| (p.x.round(), p.y.round()))
            .collect()
    } else {
        graph
            .nodes
            .iter()
            .map(|n| n.pos.map_or((0.0, 0.0), |p| (p.x, p.y)))
            .collect()
    };
    (graph, positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_runs_from_green_to_red() {
        assert_eq!(heat_color(0.0), "#3cdc3c");
        assert_eq!(heat_color(1.0), "#ff463c");
        assert_eq!(heat_color(7.0), heat_color(1.0));
    }

    #[test]
    fn every_arrow_kind_has_its_own_look() {
        for (i, a) in EDGE_KINDS.iter().enumerate() {
            for b in &EDGE_KINDS[i + 1..] {
                let (sa, sb) = (edge_style(*a), edge_style(*b));
                assert!(sa.0 != sb.0 || sa.2 != sb.2, "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn text_widths_add_up() {
        assert_eq!(text_width("", 14.0, false), 0.0);
        assert!((text_width("ab", 10.0, false) - 12.46).abs() < 1e-3);
        assert!(text_width("ab", 10.0, true) > text_width("ab", 10.0, false));
    }
}
