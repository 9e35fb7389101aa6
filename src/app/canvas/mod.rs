//! The model drawn as a diagram on a pannable, zoomable canvas (egui_graphs), and the
//! edits made on it: select, drag to move, Shift+drag or a context menu to connect,
//! add and delete from the context menu.
//!
//! The canvas is a view: it is rebuilt from the document whenever the document
//! changes, and it reports what the user did as [`CanvasAction`]s for the app to apply.

mod domains;
mod edges;
mod fixed;
mod focus;
mod geometry;
mod interact;
pub(in crate::app) mod labels;
mod legend;
mod minimap;
mod nodes;
mod zoom;

use eframe::egui::{self, Pos2, Vec2};
use egui_graphs::{
    Graph, GraphView, GraphViewResponse, MetadataFrame, SettingsInteraction, SettingsNavigation,
    SettingsStyle,
};
use petgraph::Directed;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

pub use domains::{DOMAIN_ZOOM, Domains, Fold};
pub use edges::{ArrowShape, EdgeInfo, style as edge_style};
pub use fixed::{Fixed, FixedState};
pub use legend::legend_ui;
pub use nodes::{ElementShape, NodeInfo};
use zoom::{MAX_ZOOM, MIN_ZOOM};

use interact::{Frame, PointerInput};

use super::document::Document;
use crate::diagram::route::{Placed, label_size, place_labels, routes};
use crate::diagram::shape::{Point, bundles};
use crate::diagram::{ArchGraph, Focus, apply_layout, arch_graph, needs_layout};
use crate::model::{ElementKind, ElementRef, Model, Pos, Severity};

/// The egui_graphs graph the canvas draws: a box per element, an arrow per relation.
pub type CanvasGraph = Graph<NodeInfo, EdgeInfo, Directed, u32, ElementShape, ArrowShape>;

/// What the user did on the canvas, for the app to apply to the document.
#[derive(Clone, Debug, PartialEq)]
pub enum CanvasAction {
    /// Select this element, or nothing.
    Select(Option<ElementRef>),
    /// Move an element's box to this place, in canvas units.
    Move(ElementRef, Pos),
    /// Connect the first element to the second (what that means depends on the kinds).
    Connect(ElementRef, ElementRef),
    /// Add a new element of this kind, its box at this place.
    Add(ElementKind, Pos),
    /// Delete the element and its connections.
    Delete(ElementRef),
    /// Enter "click the element to connect to" mode from this element.
    StartConnect(ElementRef),
    /// Zoom and pan so that every box is in view.
    FitView,
    /// Fade everything but this element and its neighbours (as far as last chosen).
    FocusNeighbours(ElementRef),
    /// Fade everything this focus does not keep.
    Focus(Focus),
    /// Show the whole diagram again.
    ClearFocus,
    /// Lay every box out again (the layered layout).
    AutoLayout,
}

/// The diagram of one document.
pub struct Canvas {
    /// The diagram drawn, as of the document's last change: its boxes and arrows.
    pub arch: ArchGraph,
    graph: CanvasGraph,
    /// The graph's node for each of `arch.nodes`.
    ids: Vec<NodeIndex<u32>>,
    /// The graph's edge for each of `arch.edges`.
    edge_ids: Vec<Option<EdgeIndex<u32>>>,
    /// The boxes' positions the arrows were last routed for.
    routed_for: Vec<Pos2>,
    built_for: Option<u64>,
    /// Frames left in which to fit the diagram to the view.
    fit_frames: u8,
    /// What the open context menu is about: a box, or empty canvas at a point.
    context: Option<(Option<ElementRef>, Pos)>,
    /// A Shift+drag from this box is drawing a connection.
    linking: Option<ElementRef>,
    /// Canvas-to-screen transform of the last frame: zoom and pan, and where the
    /// canvas is on the screen.
    view: Option<(f32, Vec2, Vec2)>,
    /// Size of the canvas on the screen, as of the last frame.
    size: Vec2,
    /// The zoom the last fit left, and whether the user has panned since: while the
    /// view is still the fitted one, a resized canvas is fitted again.
    last_fit: Option<(f32, bool)>,
    /// A box being moved: which, where it was, where the pointer grabbed it.
    moving: Option<(NodeIndex<u32>, Pos2, Pos2)>,
    /// Zoom asked for by a command (Ctrl+= / Ctrl+-), applied on the next frame about
    /// the middle of the view.
    zoom_request: f32,
    /// The focus the boxes are drawn for, and which of `arch.nodes` it keeps (the
    /// rest is faded); see `focus`.
    focus: Option<(Focus, Vec<bool>)>,
    /// A box to put in the middle of the view on the next frame.
    centre_request: Option<ElementRef>,
    /// The domains: their frames, which are collapsed, their figures.
    domains: Domains,
    /// The boxes' centres as of this frame, in node order.
    at: Vec<Pos2>,
    /// The bounds of the whole diagram (its boxes and domains' frames) for `at`.
    bounds: Option<egui::Rect>,
    /// A canvas point to put in the middle of the view on the next frame (a click on
    /// the minimap).
    look_at: Option<Pos2>,
}

impl Canvas {
    /// How much Ctrl+= and Ctrl+- zoom.
    pub const KEY_STEP: f32 = zoom::KEY_STEP;
    /// How much one Ctrl+wheel notch zooms.
    pub const NOTCH_STEP: f32 = zoom::NOTCH_STEP;
    /// How far out and how close the view zooms.
    pub const ZOOM_RANGE: (f32, f32) = (MIN_ZOOM, MAX_ZOOM);

    /// The diagram of `model`, fitted to the view on its first frames.
    pub fn new(model: &Model) -> Self {
        let mut canvas = Self {
            arch: ArchGraph::default(),
            graph: Graph::new(),
            ids: Vec::new(),
            edge_ids: Vec::new(),
            routed_for: Vec::new(),
            built_for: None,
            fit_frames: 2,
            context: None,
            linking: None,
            view: None,
            size: Vec2::ZERO,
            last_fit: None,
            moving: None,
            zoom_request: 1.0,
            focus: None,
            centre_request: None,
            domains: Domains::default(),
            at: Vec::new(),
            bounds: None,
            look_at: None,
        };
        canvas.rebuild(model, &crate::model::validate(model));
        canvas
    }

    /// Fit the diagram to the view on the next frames.
    pub fn fit(&mut self) {
        self.fit_frames = 2;
    }

    /// Zoom by `factor` about the middle of the view on the next frame (within
    /// [`MIN_ZOOM`]..=[`MAX_ZOOM`]).
    pub fn zoom_by(&mut self, factor: f32) {
        self.zoom_request *= factor;
    }

    /// Rebuild the view of `model` (with its validation `problems`, for the red
    /// outlines); boxes without a place get the layered layout.
    fn rebuild(&mut self, model: &Model, problems: &[crate::model::Problem]) {
        let placed;
        let model = if needs_layout(model) {
            let mut copy = model.clone();
            apply_layout(&mut copy);
            placed = copy;
            &placed
        } else {
            model
        };
        let errors: Vec<&ElementRef> = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .filter_map(|p| p.element.as_ref())
            .collect();
        let arch = arch_graph(model);
        let mut graph = CanvasGraph::new();
        let ids: Vec<_> = arch
            .nodes
            .iter()
            .map(|n| {
                let pos = n.pos.unwrap_or_default();
                let info = NodeInfo {
                    kind: n.element.kind,
                    name: n.element.name.clone(),
                    detail: n.detail.clone(),
                    partitions: partitions(model, &n.element),
                    has_error: errors.contains(&&n.element),
                    faded: false,
                    hidden: false,
                };
                graph.add_node_custom(info, |node| {
                    node.set_location(Pos2::new(pos.x, pos.y));
                    node.set_label(n.element.name.clone());
                })
            })
            .collect();
        // Parallel arrows between the same two boxes (either way) spread sideways, in
        // bundle order (the order they are drawn in).
        let mut edge_ids = vec![None; arch.edges.len()];
        for bundle in bundles(arch.edges.iter().map(|e| (e.from, e.to))) {
            for (i, offset) in bundle.arrows {
                let e = &arch.edges[i];
                let info = EdgeInfo {
                    kind: e.kind,
                    offset,
                    route: None,
                    plate: None,
                    faded: false,
                    hidden: false,
                };
                edge_ids[i] =
                    Some(graph.add_edge_with_label(ids[e.from], ids[e.to], info, e.label.clone()));
            }
        }
        self.graph = graph;
        self.ids = ids;
        self.edge_ids = edge_ids;
        self.routed_for.clear();
        self.at.clear();
        self.domains.rebuild(model, &arch);
        self.arch = arch;
        // The new boxes are drawn unfaded until the focus is applied to them.
        self.focus = None;
    }

    /// Route the arrows and place their labels (`diagram::route`, as the SVG export
    /// does) for where the boxes are now, if they moved since the last time. While a
    /// box is being moved its arrows run straight, their labels half-way (routing a
    /// large diagram on every frame of a drag would make it stutter); they are routed
    /// when it is let go.
    fn route(&mut self) {
        let at: Vec<Pos2> = self
            .ids
            .iter()
            .map(|&id| {
                self.graph
                    .node(id)
                    .map_or(Pos2::ZERO, egui_graphs::Node::location)
            })
            .collect();
        if at != self.at {
            self.placed(&at);
        }
        if let Some((moving, _, _)) = self.moving {
            let Some(node) = self.ids.iter().position(|&id| id == moving) else {
                return;
            };
            for (e, id) in self.arch.edges.iter().zip(&self.edge_ids) {
                if e.from != node && e.to != node {
                    continue;
                }
                if let Some(edge) = id.and_then(|id| self.graph.edge_mut(id)) {
                    let info = edge.payload_mut();
                    info.route = None;
                    info.plate = None;
                }
            }
            self.routed_for.clear();
            return;
        }
        if at == self.routed_for {
            return;
        }
        let centres: Vec<Point> = at.iter().map(|p| Point::new(p.x, p.y)).collect();
        let halves: Vec<Point> = self
            .arch
            .nodes
            .iter()
            .map(|n| crate::diagram::style::half_size(n.element.kind).into())
            .collect();
        let placed = Placed {
            graph: &self.arch,
            centres: &centres,
            halves: &halves,
        };
        let routes = routes(&placed);
        let sizes: Vec<Option<Point>> = self
            .arch
            .edges
            .iter()
            .map(|e| (!e.label.is_empty()).then(|| label_size(&e.label)))
            .collect();
        let boxes: Vec<_> = placed.boxes().iter().map(|b| b.expand(2.0)).collect();
        let plates = place_labels(&routes, &sizes, &boxes);
        for ((id, route), plate) in self.edge_ids.iter().zip(routes).zip(plates) {
            if let Some(e) = id.and_then(|id| self.graph.edge_mut(id)) {
                let info = e.payload_mut();
                info.route = route;
                info.plate = plate;
            }
        }
        self.routed_for = at;
    }

    fn element_of(&self, idx: NodeIndex<u32>) -> Option<ElementRef> {
        let i = self.ids.iter().position(|&x| x == idx)?;
        Some(self.arch.nodes[i].element.clone())
    }

    fn index_of(&self, element: &ElementRef) -> Option<NodeIndex<u32>> {
        self.arch.node(element).map(|i| self.ids[i])
    }

    /// Mark the selected box in the view.
    fn show_selection(&mut self, selection: Option<&ElementRef>) {
        let want = selection.and_then(|s| self.index_of(s));
        let in_sync = self
            .graph
            .nodes_iter()
            .all(|(idx, n)| n.selected() == (Some(idx) == want));
        if in_sync {
            return;
        }
        for &idx in &self.ids {
            if let Some(n) = self.graph.node_mut(idx) {
                n.set_selected(Some(idx) == want);
            }
        }
        self.graph.set_selected_nodes(want.into_iter().collect());
    }

    /// Draw the canvas, faded but for what `focus` keeps; returns what the user did.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        selection: Option<&ElementRef>,
        connecting: Option<&ElementRef>,
        focus: Option<&Focus>,
    ) -> Vec<CanvasAction> {
        if self.built_for != Some(doc.revision()) {
            self.rebuild(&doc.model, &doc.problems);
            self.built_for = Some(doc.revision());
            self.moving = None;
        }
        self.follow_focus(focus, &doc.model);
        self.show_selection(selection);
        self.route();
        let input = ui.input(|i| PointerInput {
            shift: i.modifiers.shift,
            primary_down: i.pointer.primary_down(),
            press_origin: i.pointer.press_origin(),
            pointer: i.pointer.latest_pos(),
        });
        let (out, frame) = self.show_graph(ui, input);
        let response = out.response;
        let mut actions = self.clicks(out.changes, connecting);
        self.move_box(&response, input, frame.meta.zoom, &mut actions);
        self.connect_by_drag(ui, &response, input, &frame, connecting, &mut actions);
        if response.secondary_clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            let on = self.box_at(p).and_then(|n| self.element_of(n));
            let c = frame.to_canvas(p);
            self.context = Some((on, Pos { x: c.x, y: c.y }));
        }
        if self.moving.is_none()
            && self.linking.is_none()
            && let Some((title, more)) = response.hover_pos().and_then(|p| self.hidden_text_at(p))
        {
            response.clone().on_hover_ui_at_pointer(|ui| {
                ui.strong(title);
                ui.label(more);
            });
        }
        response.context_menu(|ui| self.context_menu(ui, &doc.model, &mut actions));
        actions
    }

    /// Show the graph view (fitted on the frames that ask for it, the zoom kept within
    /// bounds) and remember its transform; returns the view's output and this frame's
    /// transform.
    fn show_graph(
        &mut self,
        ui: &mut egui::Ui,
        input: PointerInput,
    ) -> (GraphViewResponse<u32>, Frame) {
        // A press on a box moves the box (or, with Shift, draws a connection); a press
        // on the background pans.
        let pressed_box = input
            .press_origin
            .filter(|_| input.primary_down)
            .and_then(|p| self.box_at(p));
        let fit = self.fit_frames > 0;
        self.fit_frames = self.fit_frames.saturating_sub(1);
        let canvas_size = ui.available_size();
        let navigable = pressed_box.is_none() && self.moving.is_none();
        self.navigate(ui, canvas_size, navigable);
        let drawn = MetadataFrame::new(None).load(ui);
        let area = egui::Rect::from_min_size(ui.available_rect_before_wrap().min, canvas_size);
        self.apply_folds(drawn.zoom);
        let to_screen = |p: Pos2| drawn.canvas_to_screen_pos(p) + area.min.to_vec2();
        self.paint_frames(ui, area, to_screen);
        // egui_graphs' own dragging snaps a box's centre to the pointer, even on a
        // plain click; boxes are moved here instead, by exactly how far the pointer went.
        let view = GraphView::<FixedState, Fixed>::new()
            .with_interactions(
                &SettingsInteraction::new()
                    .with_dragging_enabled(false)
                    .with_hover_enabled(true)
                    .with_node_selection_enabled(true)
                    .with_node_clicking_enabled(true),
            )
            .with_navigations(
                &SettingsNavigation::new()
                    .with_fit_to_screen_enabled(false)
                    .with_zoom_and_pan_enabled(navigable)
                    // Zooming is done before the view draws (`navigate`).
                    .with_zoom_speed(0.0),
            )
            .with_styles(&SettingsStyle::new().with_labels_always(true));
        let out = view.show(ui, &mut self.graph);
        self.domain_widgets(ui, area, to_screen);
        self.minimap(ui, area, &drawn);
        let mut meta = MetadataFrame::new(None).load(ui);
        // A window resized or a panel folded: fit again, unless the user has moved
        // the view since the last fit.
        let resized = self.size != Vec2::ZERO && (canvas_size - self.size).length() > 1.0;
        if out.response.dragged()
            && let Some((_, panned)) = &mut self.last_fit
        {
            *panned = true;
        }
        let untouched = self
            .last_fit
            .is_some_and(|(zoom, panned)| !panned && (zoom - meta.zoom).abs() < 1e-6);
        let refit = fit || (resized && untouched);
        if refit {
            self.fit_to(&mut meta, canvas_size);
        }
        // Never so close that a label would be larger than the screen.
        if meta.zoom > MAX_ZOOM || meta.zoom < MIN_ZOOM {
            let center = meta.screen_to_canvas_pos((canvas_size / 2.0).to_pos2());
            meta.zoom = meta.zoom.clamp(MIN_ZOOM, MAX_ZOOM);
            meta.pan = (canvas_size / 2.0) - center.to_vec2() * meta.zoom;
        }
        if refit {
            self.last_fit = Some((meta.zoom, false));
        }
        // After the view has drawn (it moves the view with the canvas when a bar above
        // appears); drawn so on the next frame.
        if self.centre(&mut meta, canvas_size) || self.look(&mut meta, canvas_size) {
            ui.ctx().request_repaint();
        }
        meta.clone().save(ui);
        let origin = out.response.rect.left_top().to_vec2();
        self.view = Some((meta.zoom, meta.pan, origin));
        self.size = canvas_size;
        (out, Frame { meta, origin })
    }

    /// Apply this frame's zoom and scroll (when `navigable`: the pointer is over the
    /// canvas and no box is being moved) and the zoom asked for by commands to the
    /// view's transform, before the view draws with it.
    fn navigate(&mut self, ui: &mut egui::Ui, size: Vec2, navigable: bool) {
        let rect = egui::Rect::from_min_size(ui.available_rect_before_wrap().min, size);
        let mut meta = MetadataFrame::new(None).load(ui);
        let before = (meta.zoom, meta.pan);
        let hover = ui
            .ctx()
            .pointer_hover_pos()
            .filter(|_| navigable && ui.rect_contains_pointer(rect));
        if let Some(p) = hover {
            let at = (p - rect.min).to_pos2();
            zoom::zoom_about(&mut meta, at, zoom::gesture_factor(ui.ctx()));
            meta.pan += zoom::scroll_delta(ui.ctx());
        }
        if self.zoom_request != 1.0 {
            zoom::zoom_about(&mut meta, (size / 2.0).to_pos2(), self.zoom_request);
            self.zoom_request = 1.0;
        }
        if (meta.zoom, meta.pan) != before {
            if let Some((_, panned)) = &mut self.last_fit {
                *panned = true;
            }
            meta.save(ui);
        }
    }

    /// Zoom and pan so that every box is in view (not closer than 1.5×); with a
    /// focus, every box it keeps.
    fn fit_to(&self, meta: &mut MetadataFrame, size: Vec2) {
        let mut bounds = egui::Rect::NOTHING;
        for (_, n) in self.graph.nodes_iter().filter(|(_, n)| !n.payload().faded) {
            let half = nodes::half_size(n.payload().kind);
            bounds = bounds.union(egui::Rect::from_center_size(n.location(), half * 2.0));
        }
        if !bounds.is_positive() {
            return;
        }
        let margin = 24.0;
        let zoom = ((size.x - 2.0 * margin) / bounds.width())
            .min((size.y - 2.0 * margin) / bounds.height())
            .clamp(MIN_ZOOM, 1.5);
        meta.zoom = zoom;
        meta.pan = size / 2.0 - bounds.center().to_vec2() * zoom;
    }

    /// A free spot near the middle of the view for a new box, in canvas units.
    pub fn free_spot(&self, model: &Model) -> Pos {
        let mut at = match self.view {
            Some((zoom, pan, _)) => ((self.size / 2.0 - pan) / zoom).to_pos2(),
            None => Pos2::ZERO,
        };
        let taken: Vec<Pos2> = arch_graph(model)
            .nodes
            .iter()
            .filter_map(|n| n.pos)
            .map(|p| Pos2::new(p.x, p.y))
            .collect();
        // Step down, then across, until nothing is in the way.
        let mut tries = 0;
        while taken
            .iter()
            .any(|p| (p.x - at.x).abs() < 160.0 && (p.y - at.y).abs() < 60.0)
            && tries < 200
        {
            at += Vec2::new(0.0, 70.0);
            tries += 1;
            if tries % 6 == 0 {
                at += Vec2::new(180.0, -420.0);
            }
        }
        Pos {
            x: at.x.round(),
            y: at.y.round(),
        }
    }
}

fn partitions(model: &Model, el: &ElementRef) -> u32 {
    if el.kind != ElementKind::Topic {
        return 0;
    }
    model
        .topics
        .iter()
        .find(|t| t.name == el.name)
        .map_or(0, |t| t.partitions)
}
