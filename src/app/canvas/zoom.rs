//! Zooming and scrolling the canvas: Ctrl+wheel and pinch zoom by as much as the
//! gesture (about 10% per wheel notch, smoothly on a trackpad), the wheel and
//! two-finger scroll pan, Ctrl+= / Ctrl+- zoom by [`KEY_STEP`]; the zoom stays within
//! [`MIN_ZOOM`]..=[`MAX_ZOOM`] and keeps the point under the pointer in place.
//!
//! egui_graphs' own zoom moves a fixed 10% on every frame a gesture lasts (egui spreads
//! one wheel notch over several frames, so one notch zoomed about 2×): the canvas sets
//! its speed to 0 and zooms here, before the view draws.

use eframe::egui::{self, Pos2, Vec2};
use egui_graphs::MetadataFrame;

/// How close the view can zoom.
pub const MAX_ZOOM: f32 = 4.0;
/// How far the view can zoom out: a 1,000-service model, its domains collapsed
/// (`domains::DOMAIN_ZOOM`), fits a window.
pub const MIN_ZOOM: f32 = 0.02;
/// How much one notch of the mouse wheel (with Ctrl) zooms.
pub const NOTCH_STEP: f32 = 1.1;
/// How much Ctrl+= and Ctrl+- zoom.
pub const KEY_STEP: f32 = 1.25;

/// Zoom `meta` by `factor` about `at` (a point of the canvas, relative to its top-left
/// corner), within the bounds; the canvas point under `at` stays there.
pub fn zoom_about(meta: &mut MetadataFrame, at: Pos2, factor: f32) {
    if !factor.is_finite() || factor <= 0.0 {
        return;
    }
    let new_zoom = (meta.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
    let under = (at.to_vec2() - meta.pan) / meta.zoom;
    meta.pan = at.to_vec2() - under * new_zoom;
    meta.zoom = new_zoom;
}

/// This frame's zoom gesture as a factor: a pinch as the fingers moved, the Ctrl+wheel
/// scaled so one notch is [`NOTCH_STEP`] (egui makes it `exp(scroll_zoom_speed ×
/// line_scroll_speed)`, 1.22 by default).
pub fn gesture_factor(ctx: &egui::Context) -> f32 {
    let options = ctx.options(|o| o.input_options);
    ctx.input(|i| {
        let total = i.zoom_delta();
        if total == 1.0 || i.multi_touch().is_some() {
            return total;
        }
        let pinch: f32 = i
            .events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Zoom(f) => Some(*f),
                _ => None,
            })
            .product();
        let notch = options.scroll_zoom_speed * options.line_scroll_speed;
        if notch <= 0.0 {
            return total;
        }
        pinch * (total / pinch).powf(NOTCH_STEP.ln() / notch)
    })
}

/// This frame's scroll (wheel without Ctrl, two fingers on a trackpad), in points.
pub fn scroll_delta(ctx: &egui::Context) -> Vec2 {
    ctx.input(egui::InputState::smooth_scroll_delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(zoom: f32, pan: Vec2) -> MetadataFrame {
        let mut m = MetadataFrame::new(None);
        m.zoom = zoom;
        m.pan = pan;
        m
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_in_place() {
        let mut m = meta(0.5, Vec2::new(10.0, 20.0));
        let at = Pos2::new(300.0, 200.0);
        let before = m.screen_to_canvas_pos(at);
        zoom_about(&mut m, at, 1.1);
        assert!((m.zoom - 0.55).abs() < 1e-6);
        let after = m.screen_to_canvas_pos(at);
        assert!((before - after).length() < 1e-3, "{before:?} → {after:?}");
    }

    #[test]
    fn zoom_is_bounded() {
        let mut m = meta(3.5, Vec2::ZERO);
        zoom_about(&mut m, Pos2::ZERO, KEY_STEP);
        assert_eq!(m.zoom, MAX_ZOOM);
        let mut m = meta(MIN_ZOOM * 1.1, Vec2::ZERO);
        zoom_about(&mut m, Pos2::ZERO, 1.0 / KEY_STEP);
        assert_eq!(m.zoom, MIN_ZOOM);
    }
}
