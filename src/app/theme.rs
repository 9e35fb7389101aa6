//! The app's colours, in one place.

use eframe::egui::Color32;

use crate::model::ElementKind;

/// The colour of an element kind on the canvas and in the legend.
pub fn element_color(kind: ElementKind) -> Color32 {
    match kind {
        ElementKind::Source => Color32::from_rgb(0xb3, 0xa6, 0xf0),
        ElementKind::Service => Color32::from_rgb(0x7d, 0xb8, 0xeb),
        ElementKind::Saga => Color32::from_rgb(0xf0, 0xab, 0x6a),
        ElementKind::Topic => Color32::from_rgb(0x7c, 0xcf, 0xa8),
        ElementKind::Store => Color32::from_rgb(0xde, 0x9c, 0xc0),
        ElementKind::Projection => Color32::from_rgb(0xd8, 0xd0, 0x78),
        ElementKind::Event => Color32::from_rgb(0xbb, 0xbb, 0xbb),
    }
}

/// Text drawn on a filled box: dark on every fill above, in both themes.
pub const INK_ON_FILL: Color32 = Color32::from_rgb(0x1a, 0x1d, 0x24);

/// Validation errors.
pub const ERROR: Color32 = Color32::from_rgb(0xe0, 0x3c, 0x3c);

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
