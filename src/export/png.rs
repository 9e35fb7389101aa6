//! SVG to PNG with resvg, with the system's fonts.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::ExportError;

/// The family the exports ask for first.
const PREFERRED: &str = "DejaVu Sans";

/// The system's fonts, loaded once (a scan of the font folders takes a while), with
/// the generic `sans-serif` set to DejaVu Sans if present, else the first family
/// found. `None` when the system has no font at all.
fn fonts() -> Option<(Arc<usvg::fontdb::Database>, String)> {
    static FONTS: OnceLock<Option<(Arc<usvg::fontdb::Database>, String)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            let has = |name: &str| {
                db.faces()
                    .any(|f| f.families.iter().any(|(family, _)| family == name))
            };
            let family = if has(PREFERRED) {
                PREFERRED.to_owned()
            } else {
                // The alphabetically first family: the same choice on every run.
                db.faces()
                    .filter_map(|f| f.families.first().map(|(family, _)| family.clone()))
                    .min()?
            };
            db.set_sans_serif_family(family.clone());
            Some((Arc::new(db), family))
        })
        .clone()
}

/// Rasterise SVG text (from `svg`) at `scale` (1.0, 2.0) with resvg, using a font
/// that exists on the system (fontdb system fonts; DejaVu Sans preferred); errors if
/// no font is found. The PNG is the SVG's size times `scale`, rounded up.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| ExportError::Png(e.to_string()))
}

/// The same image as `(width, height, RGBA pixels)`, not premultiplied (for a preview
/// in the app).
pub fn rasterise(svg: &str, scale: f32) -> Result<(u32, u32, Vec<u8>), ExportError> {
    let pixmap = pixmap(svg, scale)?;
    let rgba = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Ok((pixmap.width(), pixmap.height(), rgba))
}

fn pixmap(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, ExportError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(ExportError::Png(format!(
            "scale must be a positive number, not {scale}"
        )));
    }
    let (fontdb, family) = fonts().ok_or(ExportError::NoFont)?;
    let options = usvg::Options {
        font_family: family,
        fontdb,
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Png(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| {
        ExportError::Png(format!(
            "cannot make a {w} × {h} image (too large or empty)"
        ))
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}
