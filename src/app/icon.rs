//! The app's icon for the window and the taskbar: `assets/icon.png`, embedded at
//! build time. It is `assets/icon.svg` rendered by resvg at 256×256; after changing
//! the SVG, render it again with
//! `cargo test --lib app::icon -- --ignored render_the_icon`.

use eframe::egui::IconData;

/// The PNG, as shipped in `assets/`.
pub const PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// The icon as pixels; `None` (the platform's default icon) should the embedded PNG
/// not decode.
pub fn icon() -> Option<IconData> {
    match eframe::icon_data::from_png_bytes(PNG) {
        Ok(icon) => Some(icon),
        Err(e) => {
            tracing::warn!("the app's icon does not decode: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SVG the PNG is drawn from.
    const SVG: &str = include_str!("../../assets/icon.svg");

    #[test]
    fn the_icon_is_a_square_of_256_pixels() {
        let icon = icon().expect("the embedded icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Transparent corners, an opaque middle.
        assert_eq!(icon.rgba[3], 0);
        assert_eq!(icon.rgba[(128 * 256 + 128) * 4 + 3], 255);
    }

    #[test]
    fn the_png_is_the_svg_rendered() {
        let (w, h, rgba) = match crate::export::rasterise(SVG, 1.0) {
            Ok(image) => image,
            // No font on this machine: resvg is not set up, nothing to compare.
            Err(crate::export::ExportError::NoFont) => return,
            Err(e) => panic!("the icon's SVG does not render: {e}"),
        };
        let icon = icon().expect("the embedded icon decodes");
        assert_eq!((w, h), (icon.width, icon.height));
        let worst = rgba
            .iter()
            .zip(&icon.rgba)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        assert!(
            worst <= 8,
            "assets/icon.png is not assets/icon.svg rendered (render it again)"
        );
    }

    /// Writes `assets/icon.png` from `assets/icon.svg`.
    #[test]
    #[ignore]
    fn render_the_icon() {
        let png = crate::export::png(SVG, 1.0).expect("the SVG renders");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/icon.png");
        std::fs::write(path, png).expect("assets/icon.png is written");
    }
}
