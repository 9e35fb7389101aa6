//! The canvas's egui_graphs layout: none. Every box stays where the document put
//! it, and an idle canvas asks for no frames.

use eframe::egui;
use egui_graphs::{DisplayEdge, DisplayNode, Graph, Layout, LayoutState};
use petgraph::EdgeType;
use petgraph::stable_graph::IndexType;

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

    /// Boxes move only on input or edits, which repaint by themselves: an idle canvas
    /// needs no frames (the patched egui_graphs asks, see vendor/egui_graphs).
    fn needs_repaint(&self) -> bool {
        false
    }
}
