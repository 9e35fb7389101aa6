//! The docked layout: one [`egui_tiles`] tree holds the element list (left), the
//! diagram (centre), the inspector (right) and the views of the run as tabs below the
//! diagram. Tiles are resized by dragging the gaps between them and never cover each
//! other; the bottom tabs can be dragged into another place. The tree is remembered
//! between runs (eframe's storage, [`Dock::KEY`]) and View > Reset layout puts it back.
//!
//! This module owns only the arrangement: every pane's content is drawn by the view
//! that already draws it ([`EventscapeApp::pane_ui`]).

use eframe::egui;
use egui_tiles::{Container, Linear, LinearDir, Tabs, Tile, TileId, Tiles, Tree, UiResponse};
use serde::{Deserialize, Serialize};

use super::{BottomTab, EventscapeApp};

/// What a tile shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pane {
    /// The palette of elements to add and the element list.
    Elements,
    /// The simulation controls, the legend and the diagram.
    Canvas,
    /// The domains and the messages between them.
    ContextMap,
    /// The live figures of the selection and its properties.
    Inspector,
    /// One of the views of the model and its run.
    Bottom(BottomTab),
}

impl Pane {
    /// Every pane, each once in any layout.
    pub const ALL: [Pane; 11] = [
        Pane::Elements,
        Pane::Canvas,
        Pane::ContextMap,
        Pane::Inspector,
        Pane::Bottom(BottomTab::Problems),
        Pane::Bottom(BottomTab::Assertions),
        Pane::Bottom(BottomTab::Bottlenecks),
        Pane::Bottom(BottomTab::EventLog),
        Pane::Bottom(BottomTab::Trace),
        Pane::Bottom(BottomTab::Process),
        Pane::Bottom(BottomTab::Compare),
    ];
}

/// The window's tile tree.
pub struct Dock {
    tree: Tree<Pane>,
}

impl Default for Dock {
    fn default() -> Self {
        Self {
            tree: default_tree(),
        }
    }
}

/// The default arrangement at any window size, as shares of the room: the list and
/// the inspector narrow at the sides, the diagram with ~75% of the height above the
/// bottom views.
fn default_tree() -> Tree<Pane> {
    let mut tiles = Tiles::default();
    let elements = tiles.insert_pane(Pane::Elements);
    let diagram = tiles.insert_pane(Pane::Canvas);
    let map = tiles.insert_pane(Pane::ContextMap);
    let canvas = tiles.insert_new(Tile::Container(Container::Tabs(Tabs::new(vec![
        diagram, map,
    ]))));
    let inspector = tiles.insert_pane(Pane::Inspector);
    let views: Vec<TileId> = Pane::ALL[4..]
        .iter()
        .map(|p| tiles.insert_pane(*p))
        .collect();
    let bottom = tiles.insert_new(Tile::Container(Container::Tabs(Tabs::new(views))));
    let mut centre = Linear::new(LinearDir::Vertical, vec![canvas, bottom]);
    centre.shares.set_share(canvas, 0.75);
    centre.shares.set_share(bottom, 0.25);
    let centre = tiles.insert_new(Tile::Container(Container::Linear(centre)));
    let mut row = Linear::new(LinearDir::Horizontal, vec![elements, centre, inspector]);
    row.shares.set_share(elements, 0.15);
    row.shares.set_share(centre, 0.63);
    row.shares.set_share(inspector, 0.22);
    let root = tiles.insert_new(Tile::Container(Container::Linear(row)));
    Tree::new("dock", root, tiles)
}

impl Dock {
    /// The key of the layout in eframe's storage.
    pub const KEY: &'static str = "eventscape-layout";

    /// The layout as remembered, if it is one this version can show (every pane once).
    pub fn restored(text: &str) -> Option<Self> {
        let tree: Tree<Pane> = ron::from_str(text).ok()?;
        let mut seen: Vec<Pane> = tree.tiles.tiles().filter_map(pane_of).collect();
        seen.sort_by_key(|p| Pane::ALL.iter().position(|q| q == p));
        (seen == Pane::ALL && tree.root.is_some()).then_some(Self { tree })
    }

    /// The layout as it is remembered.
    pub fn persisted(&self) -> String {
        ron::to_string(&self.tree).unwrap_or_default()
    }

    /// Back to the default arrangement.
    pub fn reset(&mut self) {
        self.tree = default_tree();
    }

    /// Bring `tab` to the front of its tab group.
    pub fn show(&mut self, tab: BottomTab) {
        self.show_pane(Pane::Bottom(tab));
    }

    /// Bring `pane` to the front of its tab group.
    pub fn show_pane(&mut self, pane: Pane) {
        self.tree.make_active(|_, tile| pane_of(tile) == Some(pane));
    }

    /// The bottom view in front, if any is (the last one brought forward otherwise).
    pub fn shown(&self) -> Option<BottomTab> {
        self.tree
            .active_tiles()
            .into_iter()
            .find_map(|id| match self.tree.tiles.get_pane(&id) {
                Some(Pane::Bottom(tab)) => Some(*tab),
                _ => None,
            })
    }

    /// Where `pane` was drawn in the last frame (`None` when it is hidden behind
    /// another tab).
    pub fn rect(&self, pane: Pane) -> Option<egui::Rect> {
        let id = self.tree.tiles.find_pane(&pane)?;
        if !self.tree.active_tiles().contains(&id) {
            return None;
        }
        self.tree.tiles.rect(id)
    }

    /// Draw the tree in the room `ui` has; each pane is drawn by `app`.
    pub fn ui(app: &mut EventscapeApp, ui: &mut egui::Ui) {
        // The tree is taken out for the frame so the panes can borrow the app.
        let mut tree = std::mem::replace(&mut app.dock.tree, Tree::empty("dock"));
        tree.ui(&mut Behavior { app }, ui);
        app.dock.tree = tree;
    }
}

fn pane_of(tile: &Tile<Pane>) -> Option<Pane> {
    match tile {
        Tile::Pane(p) => Some(*p),
        Tile::Container(_) => None,
    }
}

struct Behavior<'a> {
    app: &'a mut EventscapeApp,
}

impl egui_tiles::Behavior<Pane> for Behavior<'_> {
    fn pane_ui(&mut self, ui: &mut egui::Ui, _tile: TileId, pane: &mut Pane) -> UiResponse {
        // Each pane keeps to its own tile, whatever its content.
        ui.set_clip_rect(ui.max_rect().intersect(ui.clip_rect()));
        egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(6, 4))
            .show(ui, |ui| {
                ui.set_min_size(ui.available_size());
                self.app.pane_ui(ui, *pane);
            });
        UiResponse::None
    }

    fn tab_title_for_pane(&mut self, pane: &Pane) -> egui::WidgetText {
        match pane {
            Pane::Elements => "Elements".into(),
            Pane::Canvas => "Diagram".into(),
            Pane::ContextMap => "Context map".into(),
            Pane::Inspector => "Inspector".into(),
            Pane::Bottom(tab) => self.app.bottom_tab_title(*tab).into(),
        }
    }

    fn simplification_options(&self) -> egui_tiles::SimplificationOptions {
        egui_tiles::SimplificationOptions {
            all_panes_must_have_tabs: false,
            ..Default::default()
        }
    }

    fn gap_width(&self, _style: &egui::Style) -> f32 {
        // Room for a visible line between tiles; the grab area is wider than this
        // (the style's `resize_grab_radius_side`).
        3.0
    }

    fn min_size(&self) -> f32 {
        80.0
    }

    fn tab_title_spacing(&self, _visuals: &egui::Visuals) -> f32 {
        10.0
    }

    fn resize_stroke(&self, style: &egui::Style, state: egui_tiles::ResizeState) -> egui::Stroke {
        match state {
            // A thin line where a tile ends, so the gaps can be found.
            egui_tiles::ResizeState::Idle => style.visuals.widgets.noninteractive.bg_stroke,
            egui_tiles::ResizeState::Hovering => style.visuals.widgets.hovered.fg_stroke,
            egui_tiles::ResizeState::Dragging => style.visuals.widgets.active.fg_stroke,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_layout_survives_being_remembered() {
        let dock = Dock::default();
        let back = Dock::restored(&dock.persisted()).expect("restored");
        // The same tree (its text form lists tiles in hash order, which varies).
        assert!(back.tree == dock.tree);
    }

    #[test]
    fn a_layout_without_every_pane_is_not_restored() {
        assert!(Dock::restored("").is_none());
        let mut tree = default_tree();
        let id = tree
            .tiles
            .find_pane(&Pane::Inspector)
            .expect("inspector in the tree");
        tree.remove_recursively(id);
        let text = ron::to_string(&tree).expect("serialised");
        assert!(Dock::restored(&text).is_none());
    }

    #[test]
    fn showing_a_tab_brings_it_forward() {
        let mut dock = Dock::default();
        assert_eq!(dock.shown(), Some(BottomTab::Problems));
        dock.show(BottomTab::Trace);
        assert_eq!(dock.shown(), Some(BottomTab::Trace));
    }
}
