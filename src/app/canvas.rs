//! The model drawn as a diagram on a pannable, zoomable canvas (egui_graphs). The
//! positions come from the model (or the layered layout when it has none); the
//! canvas never moves boxes on its own.

use eframe::egui::{self, Pos2};
use egui_graphs::{
    DisplayEdge, DisplayNode, Graph, GraphView, Layout, LayoutState, SettingsInteraction,
    SettingsNavigation, SettingsStyle,
};
use petgraph::EdgeType;
use petgraph::stable_graph::IndexType;

use super::theme;
use crate::diagram::{ArchGraph, EdgeKind, apply_layout, arch_graph, needs_layout};
use crate::model::Model;

/// Layout state of a canvas whose positions come from the document.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FixedState;

impl LayoutState for FixedState {}

/// A "layout" that leaves every box where the document put it.
#[derive(Debug, Default)]
pub struct Fixed;

impl Layout<FixedState> for Fixed {
    fn from_state(_: FixedState) -> impl Layout<FixedState> {
        Fixed
    }

    fn next<N, E, Ty, Ix, Dn, De>(&mut self, _: &mut Graph<N, E, Ty, Ix, Dn, De>, _: &egui::Ui)
    where
        N: Clone,
        E: Clone,
        Ty: EdgeType,
        Ix: IndexType,
        Dn: DisplayNode<N, E, Ty, Ix>,
        De: DisplayEdge<N, E, Ty, Ix, Dn>,
    {
    }

    fn state(&self) -> FixedState {
        FixedState
    }
}

/// Radius of a box on the canvas, in canvas units; labels are drawn at this size.
const NODE_RADIUS: f32 = 13.0;

/// The diagram of one document.
pub struct Canvas {
    pub arch: ArchGraph,
    graph: Graph<usize, EdgeKind>,
}

impl Canvas {
    pub fn new(model: &Model) -> Self {
        let mut placed = model.clone();
        if needs_layout(&placed) {
            apply_layout(&mut placed);
        }
        let arch = arch_graph(&placed);
        let mut graph: Graph<usize, EdgeKind> = Graph::new();
        let ids: Vec<_> = arch
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let pos = n.pos.unwrap_or_default();
                let label = format!("{}\n{}", n.element.name, n.detail);
                let id = graph.add_node_with_label_and_location(i, label, Pos2::new(pos.x, pos.y));
                if let Some(node) = graph.node_mut(id) {
                    node.set_color(theme::element_color(n.element.kind));
                    // Labels are drawn at the node's size: big enough to read.
                    node.display_mut().radius = NODE_RADIUS;
                }
                id
            })
            .collect();
        for e in &arch.edges {
            if e.from != e.to {
                graph.add_edge_with_label(ids[e.from], ids[e.to], e.kind, e.label.clone());
            }
        }
        Self { arch, graph }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let view = GraphView::<FixedState, Fixed>::new()
            .with_interactions(
                &SettingsInteraction::new()
                    .with_node_selection_enabled(true)
                    .with_node_clicking_enabled(true),
            )
            .with_navigations(
                &SettingsNavigation::new()
                    .with_fit_to_screen_enabled(true)
                    .with_fit_to_screen_padding(0.3)
                    .with_zoom_and_pan_enabled(true),
            )
            .with_styles(&SettingsStyle::new().with_labels_always(true));
        view.show(ui, &mut self.graph);
    }
}

/// The colour legend of the canvas.
pub fn legend_ui(ui: &mut egui::Ui) {
    use crate::model::ElementKind::*;
    ui.horizontal_wrapped(|ui| {
        for kind in [Source, Service, Saga, Topic, Store, Projection] {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter()
                .circle_filled(rect.center(), 5.0, theme::element_color(kind));
            ui.label(kind.label());
            ui.add_space(8.0);
        }
    });
}
