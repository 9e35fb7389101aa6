//! The one rule for text on the canvas: nothing is drawn under [`MIN_TEXT_PX`] points
//! on the screen. Text sized in canvas units shrinks with the zoom; where it would be
//! smaller it is hidden (boxes and arrows keep their shape and colour) and the canvas
//! shows it in a tooltip when the pointer is on its box or arrow. A box's name and
//! detail line, which have their box as room, are drawn at least this size while a
//! line that size fits in the box; an arrow's label sits on a plate the diagram
//! router placed off the boxes, so it is only drawn where it fits its plate at this
//! size or more.

/// The smallest text drawn on the canvas, in screen points.
pub const MIN_TEXT_PX: f32 = 11.0;

/// How tall a line of text is for its font size (egui's proportional font).
const LINE_HEIGHT: f32 = 1.2;

/// Is text of `px` screen points readable, so drawn?
pub fn readable_px(px: f32) -> bool {
    px >= MIN_TEXT_PX - 1e-3
}

/// Is text of `size` canvas units readable at `zoom`?
pub fn readable(size: f32, zoom: f32) -> bool {
    readable_px(size * zoom)
}

/// The size a box's text of `size` canvas units is drawn at, at `zoom`, in a text
/// area of `room` screen points (width, height): its own size on the screen but at
/// least [`MIN_TEXT_PX`], or `None` (hidden) when a line of that size does not fit
/// (lower than the line, or narrower than three letters).
pub fn box_text_px(size: f32, zoom: f32, room: (f32, f32)) -> Option<f32> {
    let px = (size * zoom).max(MIN_TEXT_PX);
    (px * LINE_HEIGHT <= room.1 + 0.5 && 3.0 * px <= room.0).then_some(px)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::style::{LABEL_SIZE, NAME_SIZE};

    #[test]
    fn arrow_labels_are_shown_from_the_zoom_that_makes_them_eleven_points() {
        assert!(readable(LABEL_SIZE, 1.0));
        assert!(readable(LABEL_SIZE, 2.0));
        assert!(!readable(LABEL_SIZE, 0.99));
        assert!(!readable(LABEL_SIZE, 0.45), "the old 5 px labels");
        assert!(readable(NAME_SIZE, 0.8));
        assert!(!readable(NAME_SIZE, 0.7));
        assert!(!readable_px(10.9));
    }

    #[test]
    fn box_text_is_at_least_eleven_points_while_it_fits_else_hidden() {
        // Zoomed in: its own size.
        assert_eq!(box_text_px(NAME_SIZE, 1.5, (180.0, 60.0)), Some(21.0));
        // Zoomed out: 11 points, in a box still tall enough for a line.
        assert_eq!(box_text_px(NAME_SIZE, 0.5, (60.0, 20.0)), Some(MIN_TEXT_PX));
        // Too low or too narrow for an 11-point line: hidden.
        assert_eq!(box_text_px(NAME_SIZE, 0.3, (40.0, 12.0)), None);
        assert_eq!(box_text_px(NAME_SIZE, 0.3, (30.0, 20.0)), None);
        // Never drawn smaller than the minimum.
        for zoom in [0.05, 0.1, 0.3, 0.6, 0.9, 1.0, 2.0, 4.0] {
            if let Some(px) = box_text_px(NAME_SIZE, zoom, (500.0, 500.0)) {
                assert!(readable_px(px), "{px} at {zoom}");
            }
        }
    }
}
