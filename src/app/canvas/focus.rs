//! Views of a big diagram: a focus fades every box and arrow it does not keep
//! (`diagram::Focus`), and a box can be put in the middle of the view (what the search
//! does). Both are views: the document does not change.
//!
//! The boxes a focus keeps are worked out when the focus or the document changes,
//! not on every frame.

use eframe::egui::Vec2;
use egui_graphs::MetadataFrame;

use super::{Canvas, zoom};
use crate::diagram::Focus;
use crate::model::{ElementRef, Model};

/// The zoom a box put in the middle is shown at, at least: names and arrow labels
/// readable (`labels::MIN_TEXT_PX` at the diagram's text sizes).
pub const READABLE_ZOOM: f32 = 1.0;

impl Canvas {
    /// Fade what `focus` does not keep (nothing without a focus), if the focus or the
    /// boxes changed since the last frame.
    pub(super) fn follow_focus(&mut self, focus: Option<&Focus>, model: &Model) {
        if self.focus.as_ref().map(|(f, _)| f) == focus {
            return;
        }
        if let Some(Focus::Domain(d)) = focus {
            self.domains.fold(d, super::Fold::Expanded);
        }
        let keep = focus.map(|f| f.keeps(model, &self.arch));
        for (i, &id) in self.ids.iter().enumerate() {
            let faded = keep.as_ref().is_some_and(|k| !k[i]);
            if let Some(n) = self.graph.node_mut(id) {
                n.payload_mut().faded = faded;
            }
        }
        for (e, id) in self.arch.edges.iter().zip(&self.edge_ids) {
            let faded = keep.as_ref().is_some_and(|k| !(k[e.from] && k[e.to]));
            if let Some(edge) = id.and_then(|id| self.graph.edge_mut(id)) {
                edge.payload_mut().faded = faded;
            }
        }
        self.focus = focus.cloned().zip(keep);
    }

    /// The focus the canvas is drawn for, as of the last frame.
    pub fn focus(&self) -> Option<&Focus> {
        self.focus.as_ref().map(|(f, _)| f)
    }

    /// Is this element's box faded (outside the focus), as of the last frame? `None`
    /// when it has no box.
    pub fn is_faded(&self, element: &ElementRef) -> Option<bool> {
        let i = self.arch.node(element)?;
        Some(
            self.focus
                .as_ref()
                .is_some_and(|(_, keep)| !keep.get(i).copied().unwrap_or(false)),
        )
    }

    /// How many boxes the focus keeps, of how many: `None` without a focus.
    pub fn kept(&self) -> Option<(usize, usize)> {
        let (_, keep) = self.focus.as_ref()?;
        Some((keep.iter().filter(|k| **k).count(), keep.len()))
    }

    /// Put this element's box in the middle of the view on the next frame, zoomed in
    /// to [`READABLE_ZOOM`] if the view is farther out.
    pub fn centre_on(&mut self, element: &ElementRef) {
        if let Some(i) = self.arch.node(element) {
            self.reveal(i);
        }
        self.centre_request = Some(element.clone());
        self.fit_frames = 0;
    }

    /// Apply a centring asked for by [`Canvas::centre_on`] to the view's transform;
    /// returns whether it did.
    pub(super) fn centre(&mut self, meta: &mut MetadataFrame, size: Vec2) -> bool {
        let Some(el) = self.centre_request.take() else {
            return false;
        };
        let Some(at) = self
            .index_of(&el)
            .and_then(|id| self.graph.node(id))
            .map(egui_graphs::Node::location)
        else {
            return false;
        };
        meta.zoom = meta.zoom.clamp(READABLE_ZOOM, zoom::MAX_ZOOM);
        meta.pan = size / 2.0 - at.to_vec2() * meta.zoom;
        if let Some((_, panned)) = &mut self.last_fit {
            *panned = true;
        }
        true
    }
}
