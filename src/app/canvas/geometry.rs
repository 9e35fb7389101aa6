//! Where things are on the screen, as of the last frame the canvas drew: boxes,
//! arrows, label plates, the canvas itself, and the text hidden at this zoom under a
//! point (for the tooltip). Overlays and tests place themselves by these.

use eframe::egui::{self, Pos2, Vec2};
use petgraph::stable_graph::NodeIndex;

use super::{Canvas, edges, labels, nodes};
use crate::model::ElementRef;

impl Canvas {
    /// Where a box is drawn on the screen (its centre), as of the last frame.
    pub fn screen_pos(&self, element: &ElementRef) -> Option<Pos2> {
        let (zoom, pan, origin) = self.view?;
        let n = self.graph.node(self.index_of(element)?)?;
        if n.payload().hidden {
            return None;
        }
        Some((n.location().to_vec2() * zoom + pan + origin).to_pos2())
    }

    /// The screen points the arrow `arch.edges[edge]` runs through, as of the last
    /// frame: its route from its first box to its tip (before it has one, the line
    /// between the boxes' centres).
    pub fn arrow_path(&self, edge: usize) -> Option<Vec<Pos2>> {
        let (zoom, pan, origin) = self.view?;
        let e = self.arch.edges.get(edge)?;
        let hidden = |i: usize| {
            self.graph
                .node(self.ids[i])
                .is_none_or(|n| n.payload().hidden)
        };
        if hidden(e.from) || hidden(e.to) {
            return None;
        }
        let route = self
            .edge_ids
            .get(edge)
            .copied()
            .flatten()
            .and_then(|id| self.graph.edge(id))
            .and_then(|e| e.payload().route.clone());
        match route {
            Some(r) => Some(
                r.points
                    .iter()
                    .map(|p| (Vec2::new(p.x, p.y) * zoom + pan + origin).to_pos2())
                    .collect(),
            ),
            None => Some(vec![
                self.screen_pos(&self.arch.nodes[e.from].element)?,
                self.screen_pos(&self.arch.nodes[e.to].element)?,
            ]),
        }
    }

    /// The screen rectangle of an arrow's label plate, as of the last frame (where
    /// overlays must not draw).
    pub fn label_rect(&self, edge: usize) -> Option<egui::Rect> {
        let (zoom, pan, origin) = self.view?;
        let id = self.edge_ids.get(edge).copied().flatten()?;
        let plate = self.graph.edge(id)?.payload().plate?;
        let at = |x: f32, y: f32| (Vec2::new(x, y) * zoom + pan + origin).to_pos2();
        Some(egui::Rect::from_min_max(
            at(plate.x0, plate.y0),
            at(plate.x1, plate.y1),
        ))
    }

    /// The screen rectangle of a box, as of the last frame.
    pub fn box_rect(&self, element: &ElementRef) -> Option<egui::Rect> {
        let center = self.screen_pos(element)?;
        let (zoom, _, _) = self.view?;
        Some(egui::Rect::from_center_size(
            center,
            nodes::half_size(element.kind) * 2.0 * zoom,
        ))
    }

    /// The screen rectangle the canvas occupies.
    pub fn screen_rect(&self) -> Option<egui::Rect> {
        let (_, _, origin) = self.view?;
        Some(egui::Rect::from_min_size(origin.to_pos2(), self.size))
    }

    /// The current zoom (1.0 = canvas units are points).
    pub fn zoom(&self) -> Option<f32> {
        self.view.map(|v| v.0)
    }

    /// The box under a screen point, by last frame's view.
    pub(super) fn box_at(&self, screen: Pos2) -> Option<NodeIndex<u32>> {
        let (zoom, pan, origin) = self.view?;
        let canvas = ((screen.to_vec2() - origin - pan) / zoom).to_pos2();
        self.graph
            .nodes_iter()
            .find(|(_, n)| {
                if n.payload().hidden {
                    return false;
                }
                let half = nodes::half_size(n.payload().kind);
                egui::Rect::from_center_size(n.location(), half * 2.0).contains(canvas)
            })
            .map(|(idx, _)| idx)
    }

    /// The text hidden at this zoom (`labels`) of what is under a screen point: a box's
    /// name and detail line, or the nearest arrow's label and kind.
    pub(super) fn hidden_text_at(&self, p: Pos2) -> Option<(String, String)> {
        use crate::diagram::style::{self, DETAIL_SIZE, LABEL_SIZE, NAME_SIZE};
        let (zoom, _, _) = self.view?;
        if let Some(idx) = self.box_at(p) {
            let n = self.graph.node(idx)?.payload();
            let whole = labels::readable(NAME_SIZE, zoom) && labels::readable(DETAIL_SIZE, zoom);
            return (!whole).then(|| (n.name.clone(), n.detail.clone()));
        }
        if labels::readable(LABEL_SIZE, zoom) {
            return None;
        }
        let (_, nearest) = (0..self.arch.edges.len())
            .filter(|&i| !self.arch.edges[i].label.is_empty())
            .filter_map(|i| {
                let path = self.arrow_path(i)?;
                let d = path
                    .windows(2)
                    .map(|w| edges::distance_to_segment(p, w[0], w[1]))
                    .fold(f32::INFINITY, f32::min);
                (d <= 6.0).then_some((d, i))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        let e = &self.arch.edges[nearest];
        Some((e.label.clone(), style::edge_label(e.kind).to_owned()))
    }
}
