//! What the pointer does on the canvas: clicks and selection, moving a box,
//! connecting by Shift+drag or by clicking, and the context menu.

use eframe::egui::{self, Pos2, Vec2};
use egui_graphs::{GraphChange, MetadataFrame};

use super::{Canvas, CanvasAction};
use crate::app::commands::{ADDABLE, add_word};
use crate::app::memo::per_revision;
use crate::app::theme;
use crate::model::{ElementKind, ElementRef, Model, Pos, edit};

/// This frame's pointer and modifiers, read before the graph view takes its input.
#[derive(Clone, Copy)]
pub(super) struct PointerInput {
    /// Shift is held (a drag from a box connects instead of moving it).
    pub(super) shift: bool,
    /// The primary button is down.
    pub(super) primary_down: bool,
    /// Where the current press started, in screen points.
    pub(super) press_origin: Option<Pos2>,
    /// The latest pointer position, in screen points.
    pub(super) pointer: Option<Pos2>,
}

/// This frame's canvas-to-screen transform: the view's zoom and pan, and where the
/// canvas is on the screen.
pub(super) struct Frame {
    pub(super) meta: MetadataFrame,
    /// The canvas's top-left corner on the screen.
    pub(super) origin: Vec2,
}

impl Frame {
    /// The canvas point under a screen point.
    pub(super) fn to_canvas(&self, screen: Pos2) -> Pos2 {
        self.meta.screen_to_canvas_pos(screen - self.origin)
    }

    /// The screen point of a canvas point.
    pub(super) fn to_screen(&self, canvas: Pos2) -> Pos2 {
        self.meta.canvas_to_screen_pos(canvas) + self.origin
    }
}

impl Canvas {
    /// Clicks and selection changes on boxes: a click selects the box (or, while
    /// connecting, connects to it); a click on the background clears the selection.
    pub(super) fn clicks(
        &self,
        changes: Vec<GraphChange<u32>>,
        connecting: Option<&ElementRef>,
    ) -> Vec<CanvasAction> {
        let mut actions = Vec::new();
        let mut selected_now = false;
        let mut deselected = false;
        for change in changes {
            match change {
                GraphChange::NodeClicked { node } => {
                    if let (Some(from), Some(to)) = (connecting, self.element_of(node)) {
                        actions.push(CanvasAction::Connect(from.clone(), to));
                    } else {
                        selected_now = true;
                        actions.push(CanvasAction::Select(self.element_of(node)));
                    }
                }
                GraphChange::NodeSelected { node } => {
                    selected_now = true;
                    actions.push(CanvasAction::Select(self.element_of(node)));
                }
                GraphChange::NodeDeselected { .. } => deselected = true,
                _ => {}
            }
        }
        if deselected && !selected_now && self.graph.nodes_iter().all(|(_, n)| !n.selected()) {
            actions.push(CanvasAction::Select(None));
        }
        actions
    }

    /// Moving a box: it follows the pointer from where it was grabbed (`zoom` turns
    /// screen points into canvas units); the document changes once, when it is let go.
    pub(super) fn move_box(
        &mut self,
        response: &egui::Response,
        input: PointerInput,
        zoom: f32,
        actions: &mut Vec<CanvasAction>,
    ) {
        if response.drag_started_by(egui::PointerButton::Primary)
            && !input.shift
            && let Some(idx) = input.press_origin.and_then(|p| self.box_at(p))
            && let (Some(n), Some(p)) = (self.graph.node(idx), input.press_origin)
        {
            self.moving = Some((idx, n.location(), p));
        }
        if let Some((idx, start, grabbed)) = self.moving {
            let delta = input.pointer.map_or(Vec2::ZERO, |p| (p - grabbed) / zoom);
            if let Some(n) = self.graph.node_mut(idx) {
                n.set_location(start + delta);
            }
            if !response.dragged() {
                self.moving = None;
                if let Some(el) = self.element_of(idx)
                    && delta.length() > 0.5
                {
                    let p = start + delta;
                    actions.push(CanvasAction::Move(
                        el,
                        Pos {
                            x: p.x.round(),
                            y: p.y.round(),
                        },
                    ));
                }
            }
        }
    }

    /// Shift+drag from one box to another connects them; while dragging, or while
    /// `connecting` from a box, a line follows the pointer.
    pub(super) fn connect_by_drag(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        input: PointerInput,
        frame: &Frame,
        connecting: Option<&ElementRef>,
        actions: &mut Vec<CanvasAction>,
    ) {
        let pointer = input.pointer;
        if input.shift
            && response.drag_started()
            && let Some(p) = input.press_origin
        {
            self.linking = self.box_at(p).and_then(|n| self.element_of(n));
        }
        if let Some(from) = self.linking.clone() {
            if let (Some(p), Some(idx)) = (pointer, self.index_of(&from))
                && let Some(n) = self.graph.node(idx)
            {
                rubber_band(ui, frame.to_screen(n.location()), p);
            }
            if !response.dragged() {
                if let Some(to) = pointer
                    .and_then(|p| self.box_at(p))
                    .and_then(|n| self.element_of(n))
                    .filter(|to| *to != from)
                {
                    actions.push(CanvasAction::Connect(from, to));
                }
                self.linking = None;
            }
        }
        if let (Some(from), None) = (connecting, &self.linking)
            && let (Some(p), Some(idx)) = (pointer, self.index_of(from))
            && let Some(n) = self.graph.node(idx)
        {
            rubber_band(ui, frame.to_screen(n.location()), p);
        }
    }

    /// The context menu opened by a right click: on a box, connecting and deleting it;
    /// on empty canvas, adding a box there, fitting and laying out.
    pub(super) fn context_menu(
        &mut self,
        ui: &mut egui::Ui,
        model: &Model,
        actions: &mut Vec<CanvasAction>,
    ) {
        let Some((on, at)) = self.context.clone() else {
            ui.close();
            return;
        };
        match on {
            Some(el) => {
                ui.label(egui::RichText::new(el.to_string()).strong());
                ui.separator();
                // Worked out when the submenu opens (a trial edit per element).
                let revision = self.built_for.unwrap_or_default();
                ui.menu_button("Connect to", |ui| {
                    let targets = per_revision(ui, ("targets", &el), revision, || {
                        edit::connect_targets(model, &el)
                    });
                    if targets.is_empty() {
                        ui.label("Nothing this can connect to yet");
                    }
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for t in targets.iter().cloned() {
                                if ui.button(t.to_string()).clicked() {
                                    actions.push(CanvasAction::Connect(el.clone(), t));
                                    ui.close();
                                }
                            }
                        });
                });
                if ui.button("Connect by clicking... (C)").clicked() {
                    actions.push(CanvasAction::StartConnect(el.clone()));
                    ui.close();
                }
                if ui.button("Delete (Del)").clicked() {
                    actions.push(CanvasAction::Delete(el.clone()));
                    ui.close();
                }
                ui.separator();
                self.focus_menu(ui, &el, actions);
            }
            None => {
                for kind in ADDABLE {
                    if kind == ElementKind::Event {
                        continue;
                    }
                    if ui.button(format!("Add {} here", add_word(kind))).clicked() {
                        actions.push(CanvasAction::Add(kind, at));
                        ui.close();
                    }
                }
                ui.separator();
                if ui.button("Fit to view (F)").clicked() {
                    actions.push(CanvasAction::FitView);
                    ui.close();
                }
                if ui.button("Auto layout (Ctrl+L)").clicked() {
                    actions.push(CanvasAction::AutoLayout);
                    ui.close();
                }
            }
        }
    }
}

impl Canvas {
    /// The context menu's focuses for a box: its neighbours, a saga's participants, a
    /// topic's producers and consumers.
    fn focus_menu(&self, ui: &mut egui::Ui, el: &ElementRef, actions: &mut Vec<CanvasAction>) {
        for (text, action) in crate::app::focus::offers(el) {
            let text = match action {
                CanvasAction::FocusNeighbours(_) => format!("{text} (/)"),
                _ => text.to_owned(),
            };
            if ui.button(text).clicked() {
                actions.push(action);
                ui.close();
            }
        }
        if self.focus.is_some() && ui.button("Clear focus (Esc)").clicked() {
            actions.push(CanvasAction::ClearFocus);
            ui.close();
        }
    }
}

/// The line from a box to the pointer while connecting.
fn rubber_band(ui: &egui::Ui, from: Pos2, to: Pos2) {
    let color = theme::selection_color(ui.visuals().dark_mode);
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::new("connect-line"),
    ));
    painter.extend(egui::Shape::dashed_line(
        &[from, to],
        egui::Stroke::new(2.0, color),
        8.0,
        5.0,
    ));
    painter.circle_filled(to, 4.0, color);
}
