//! The app's colours, in one place.

use eframe::egui::Color32;

use crate::model::ElementKind;

/// The colour of an element kind on the canvas and in the legend.
pub fn element_color(kind: ElementKind) -> Color32 {
    match kind {
        ElementKind::Source => Color32::from_rgb(0x9c, 0x8c, 0xe8),
        ElementKind::Service => Color32::from_rgb(0x4f, 0x9d, 0xde),
        ElementKind::Saga => Color32::from_rgb(0xe0, 0x8a, 0x3c),
        ElementKind::Topic => Color32::from_rgb(0x4c, 0xb8, 0x8a),
        ElementKind::Store => Color32::from_rgb(0xc9, 0x6b, 0x9b),
        ElementKind::Projection => Color32::from_rgb(0xb8, 0xb0, 0x4c),
        ElementKind::Event => Color32::GRAY,
    }
}
