//! The app's colours, in one place.

use eframe::egui::Color32;

use crate::diagram::style;
use crate::model::ElementKind;

/// A colour of the shared diagram style (`diagram::style`) for egui.
pub fn hex(hex: &str) -> Color32 {
    let (r, g, b) = style::rgb(hex);
    Color32::from_rgb(r, g, b)
}

/// The colour of an element kind on the canvas and in the legend (the exports use
/// the same table).
pub fn element_color(kind: ElementKind) -> Color32 {
    hex(style::element_color(kind))
}

/// Heat from cool (idle) to hot (saturated), as in the exports.
pub fn heat_color(u: f64) -> Color32 {
    let (r, g, b) = style::heat_rgb(u);
    Color32::from_rgb(r, g, b)
}

/// Text drawn on a filled box: dark on every fill above, in both themes.
pub const INK_ON_FILL: Color32 = Color32::from_rgb(0x1a, 0x1d, 0x24); // style::INK

/// Dark text on a light fill, white on a dark one.
pub fn ink_on(fill: Color32) -> Color32 {
    let [r, g, b, _] = fill.to_array();
    let luma = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
    if luma > 110.0 {
        INK_ON_FILL
    } else {
        Color32::WHITE
    }
}

/// Validation errors.
pub const ERROR: Color32 = Color32::from_rgb(0xe0, 0x3c, 0x3c);

/// Passing checks (assertions that hold).
pub const PASS: Color32 = Color32::from_rgb(0x3f, 0xa8, 0x5c);

/// Warnings.
pub const WARNING: Color32 = Color32::from_rgb(0xd8, 0x9b, 0x1a);

/// The outline of a selected box or arrow.
pub fn selection_color(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgb(0xff, 0xe0, 0x66)
    } else {
        Color32::from_rgb(0x1f, 0x5f, 0xd6)
    }
}

/// The plain outline of a box.
pub fn outline_color(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_gray(30)
    } else {
        Color32::from_gray(90)
    }
}

/// How much of an element's or arrow's colour is left when it is outside a focus.
pub const FADED_SHARE: f32 = 0.22;

/// A colour faded towards `background` (what lies outside a focus): a fifth of it
/// left, opaque, so faded boxes still hide the arrows behind them.
pub fn faded(color: Color32, background: Color32) -> Color32 {
    background.lerp_to_gamma(color, FADED_SHARE).to_opaque()
}
