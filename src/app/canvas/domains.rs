//! Domains (bounded contexts) on the canvas. An expanded domain is a labelled frame
//! behind its boxes (`diagram::domain_frames`, as the SVG export draws it); a
//! collapsed one is a single box in that frame's place, with what it holds and,
//! during a run, its figures (worst utilisation, queued, lag, findings), its boxes
//! and the arrows between them hidden. Arrows from outside run to its edge.
//!
//! Level of detail by zoom: farther out than [`DOMAIN_ZOOM`], where boxes are too
//! small to tell apart, every domain is drawn collapsed; closer, expanded. A click on
//! a collapsed domain expands it, a click on an expanded one's title collapses it;
//! either choice then holds at any zoom. Folding is a view: the document does not
//! change.

use std::collections::{BTreeMap, HashMap};

use eframe::egui::text::{LayoutJob, TextFormat, TextWrapping};
use eframe::egui::{self, Align2, FontId, Pos2, Rect, Sense, Stroke, Vec2};

use super::Canvas;
use crate::analysis::live::DomainFigures;
use crate::app::context_map::{contents_text, figures_text};
use crate::app::theme;
use crate::diagram::shape;
use crate::diagram::{DomainFrame, FRAME_TITLE, domain_names, frames_of, node_groups};
use crate::model::{ElementKind, Model};

/// Farther out than this zoom, domains not folded by hand are drawn collapsed (a
/// service's box is under 30 points wide there).
pub const DOMAIN_ZOOM: f32 = 0.2;

/// A domain folded by hand, whatever the zoom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    Collapsed,
    Expanded,
}

/// What the canvas keeps of the domains of its diagram.
#[derive(Default)]
pub struct Domains {
    /// The domains' names, in the order of `groups`' indices.
    names: Vec<String>,
    /// Each node's domain (`diagram::node_groups`).
    groups: Vec<Option<usize>>,
    /// Each domain's frame, for where the boxes are now.
    pub(super) frames: Vec<DomainFrame>,
    /// Domains folded by hand, by name.
    folds: BTreeMap<String, Fold>,
    /// Whether each of `frames` is drawn collapsed, as of the last frame.
    pub(super) collapsed: Vec<bool>,
    /// Each domain's figures in the run (by name), when there is one.
    figures: HashMap<String, DomainFigures>,
}

impl Domains {
    /// The domains of the diagram of `model` whose nodes are `graph`'s; folds are
    /// kept for the domains that are still there.
    pub(super) fn rebuild(&mut self, model: &Model, graph: &crate::diagram::ArchGraph) {
        self.names = domain_names(model);
        self.groups = node_groups(model, graph);
        self.folds.retain(|name, _| self.names.contains(name));
        self.frames.clear();
        self.collapsed.clear();
    }

    /// The frames again, for the boxes `boxes` (in node order).
    pub(super) fn place(&mut self, boxes: &[shape::Rect]) {
        if !self.names.is_empty() {
            self.frames = frames_of(&self.names, &self.groups, boxes);
        }
    }

    /// Is domain `name` drawn collapsed at `zoom`?
    fn is_collapsed(&self, name: &str, zoom: f32) -> bool {
        match self.folds.get(name) {
            Some(Fold::Collapsed) => true,
            Some(Fold::Expanded) => false,
            None => zoom < DOMAIN_ZOOM,
        }
    }

    /// Fold `name` by hand.
    pub(super) fn fold(&mut self, name: &str, fold: Fold) {
        if self.names.iter().any(|n| n == name) {
            self.folds.insert(name.to_owned(), fold);
        }
    }

    /// The domain node `node` belongs to, if it has one.
    pub(super) fn domain_of(&self, node: usize) -> Option<&str> {
        let g = self.groups.get(node).copied().flatten()?;
        self.names.get(g).map(String::as_str)
    }

    /// Which nodes are hidden (in a collapsed domain) at `zoom`, if that changed
    /// since the last frame.
    pub(super) fn hidden_changes(&mut self, zoom: f32) -> Option<Vec<bool>> {
        let collapsed: Vec<bool> = self
            .frames
            .iter()
            .map(|f| self.is_collapsed(&f.name, zoom))
            .collect();
        if collapsed == self.collapsed {
            return None;
        }
        let mut hidden = vec![false; self.groups.len()];
        for (f, c) in self.frames.iter().zip(&collapsed) {
            if *c {
                for &m in &f.members {
                    hidden[m] = true;
                }
            }
        }
        self.collapsed = collapsed;
        Some(hidden)
    }

    /// Is any domain drawn collapsed, as of the last frame?
    pub fn any_collapsed(&self) -> bool {
        self.collapsed.iter().any(|c| *c)
    }

    /// Show these figures (by domain name) on the collapsed domains.
    pub fn set_figures(&mut self, figures: HashMap<String, DomainFigures>) {
        self.figures = figures;
    }
}

impl Canvas {
    /// The domains of the diagram: their frames, folds and figures.
    pub fn domains_mut(&mut self) -> &mut Domains {
        &mut self.domains
    }

    /// Is domain `name` drawn collapsed, as of the last frame? `None` if the diagram
    /// has no such domain.
    pub fn is_collapsed(&self, name: &str) -> Option<bool> {
        let k = self.domains.frames.iter().position(|f| f.name == name)?;
        self.domains.collapsed.get(k).copied()
    }

    /// Where domain `name`'s frame (or, collapsed, its box) is on the screen, as of
    /// the last frame.
    pub fn domain_rect(&self, name: &str) -> Option<Rect> {
        let (zoom, pan, origin) = self.view?;
        let f = self.domains.frames.iter().find(|f| f.name == name)?;
        Some(screen_rect(&f.rect, |p| {
            (p.to_vec2() * zoom + pan + origin).to_pos2()
        }))
    }

    /// Expand the domain of this box, so that it can be seen (search, focus).
    pub(super) fn reveal(&mut self, node: usize) {
        if let Some(d) = self.domains.domain_of(node).map(str::to_owned) {
            self.domains.fold(&d, Fold::Expanded);
        }
    }

    /// Hide the boxes of collapsed domains, and the arrows between two hidden
    /// boxes, if what is collapsed changed.
    pub(super) fn apply_folds(&mut self, zoom: f32) {
        let Some(hidden) = self.domains.hidden_changes(zoom) else {
            return;
        };
        for (i, &id) in self.ids.iter().enumerate() {
            if let Some(n) = self.graph.node_mut(id) {
                n.payload_mut().hidden = hidden[i];
            }
        }
        for (e, id) in self.arch.edges.iter().zip(&self.edge_ids) {
            if let Some(edge) = id.and_then(|id| self.graph.edge_mut(id)) {
                edge.payload_mut().hidden = hidden[e.from] && hidden[e.to];
            }
        }
    }

    /// Paint the expanded domains' frames behind the diagram, for the view `to_screen`.
    pub(super) fn paint_frames(&self, ui: &egui::Ui, area: Rect, to_screen: impl Fn(Pos2) -> Pos2) {
        let painter = ui.painter_at(area);
        let visuals = ui.visuals();
        let fill = theme::faded(visuals.extreme_bg_color, visuals.panel_fill);
        let line = visuals
            .widgets
            .noninteractive
            .fg_stroke
            .color
            .gamma_multiply(0.6);
        for (f, collapsed) in self.domains.frames.iter().zip(&self.domains.collapsed) {
            if *collapsed {
                continue;
            }
            let r = screen_rect(&f.rect, &to_screen);
            painter.rect_filled(r, 10.0, fill);
            let outline = outline(r);
            painter.extend(egui::Shape::dashed_line(
                &outline,
                Stroke::new(1.2, line),
                6.0,
                4.0,
            ));
        }
    }

    /// Draw the collapsed domains over the diagram and the expanded ones' titles,
    /// each a button (expand, collapse) to screen readers and tests.
    pub(super) fn domain_widgets(
        &mut self,
        ui: &mut egui::Ui,
        area: Rect,
        to_screen: impl Fn(Pos2) -> Pos2,
    ) {
        let clip = area.intersect(ui.clip_rect());
        let mut toggled = None;
        for (k, f) in self.domains.frames.iter().enumerate() {
            let r = screen_rect(&f.rect, &to_screen);
            if !r.intersects(clip) {
                continue;
            }
            let collapsed = self.domains.collapsed.get(k).copied().unwrap_or(false);
            let clicked = if collapsed {
                self.cover(ui, r, clip, f)
            } else {
                let zoom = (to_screen(Pos2::new(1.0, 0.0)).x - to_screen(Pos2::ZERO).x).abs();
                title(ui, r, clip, &f.name, zoom)
            };
            if clicked {
                toggled = Some((f.name.clone(), collapsed));
            }
        }
        if let Some((name, collapsed)) = toggled {
            let fold = if collapsed {
                Fold::Expanded
            } else {
                Fold::Collapsed
            };
            self.domains.fold(&name, fold);
            ui.ctx().request_repaint();
        }
    }

    /// One collapsed domain as a box filling its frame: its name, what it holds, its
    /// figures; returns whether it was clicked.
    fn cover(&self, ui: &mut egui::Ui, r: Rect, clip: Rect, f: &DomainFrame) -> bool {
        let id = ui.id().with(("domain cover", &f.name));
        let response = ui.interact(r.intersect(clip), id, Sense::click());
        let label = format!("Expand domain {}", f.name);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::WidgetType::Button, true, label.clone())
        });
        let visuals = ui.visuals();
        let figures = self.domains.figures.get(&f.name);
        let busiest = figures.and_then(|f| f.busiest.as_ref());
        let fill = if response.hovered() {
            visuals.widgets.hovered.weak_bg_fill
        } else {
            visuals.extreme_bg_color
        };
        let stroke = match busiest {
            Some((_, u)) => Stroke::new(4.0, theme::heat_color(*u)),
            None => Stroke::new(1.5, visuals.widgets.noninteractive.fg_stroke.color),
        };
        let errors = f
            .members
            .iter()
            .filter(|&&m| {
                self.graph
                    .node(self.ids[m])
                    .is_some_and(|n| n.payload().has_error)
            })
            .count();
        let stroke = if errors > 0 {
            Stroke::new(2.5, theme::ERROR)
        } else {
            stroke
        };
        let painter = ui.painter().with_clip_rect(r.intersect(clip));
        painter.rect(r, 10.0, fill, stroke, egui::StrokeKind::Inside);
        let kinds: Vec<ElementKind> = f
            .members
            .iter()
            .map(|&m| self.arch.nodes[m].element.kind)
            .collect();
        // One figure a line, so that a narrow domain stays readable.
        let mut lines = vec![contents_text(|k| kinds.iter().filter(|&&x| x == k).count())];
        if let Some(fig) = figures {
            lines.push(figures_text(fig));
        }
        if errors > 0 {
            let s = if errors == 1 { "" } else { "s" };
            lines.push(format!("{errors} element{s} with errors"));
        }
        let lines: Vec<&str> = lines.iter().flat_map(|l| l.split(" · ")).collect();
        paint_lines(&painter, r, &f.name, &lines, ui.visuals().text_color());
        response
            .on_hover_text(format!("Domain {}: click to expand it in place", f.name))
            .clicked()
    }
}

/// An expanded domain's name at the top-left of its frame, a button that collapses
/// it; returns whether it was clicked. Drawn at the diagram's size down to a
/// readable one.
fn title(ui: &mut egui::Ui, frame: Rect, clip: Rect, name: &str, zoom: f32) -> bool {
    let px = (18.0 * zoom).max(super::labels::MIN_TEXT_PX);
    let ink = ui.visuals().text_color();
    let text = format!("⏷ {name}");
    let galley = ui
        .painter()
        .layout_no_wrap(text, FontId::proportional(px), ink);
    let at = frame.min
        + Vec2::new(
            14.0 * zoom.min(1.0),
            (FRAME_TITLE * zoom - px).max(0.0) / 2.0,
        );
    let rect = Rect::from_min_size(at, galley.size());
    if !clip.contains_rect(rect) {
        return false;
    }
    let response = ui.interact(rect, ui.id().with(("domain title", name)), Sense::click());
    let label = format!("Collapse domain {name}");
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, label.clone()));
    let ink = if response.hovered() {
        ui.visuals().widgets.hovered.fg_stroke.color
    } else {
        ink
    };
    ui.painter().galley(rect.min, galley, ink);
    response
        .on_hover_text(format!("Collapse domain {name} into one box"))
        .clicked()
}

/// A title and lines of text centred in `r`, each on one row cut with "…" where it
/// is wider, as many as fit.
fn paint_lines(painter: &egui::Painter, r: Rect, title: &str, lines: &[&str], ink: egui::Color32) {
    let width = (r.width() - 8.0).max(8.0);
    let row = |text: &str, px: f32| {
        let mut job = LayoutJob::single_section(
            text.to_owned(),
            TextFormat::simple(FontId::proportional(px), ink),
        );
        job.wrap = TextWrapping {
            max_width: width,
            max_rows: 1,
            break_anywhere: true,
            overflow_character: Some('…'),
        };
        painter.layout_job(job)
    };
    let galleys: Vec<_> = std::iter::once(row(title, 16.0))
        .chain(lines.iter().map(|l| row(l, 12.0)))
        .collect();
    let total: f32 = galleys.iter().map(|g| g.size().y + 4.0).sum();
    // The name first: from the top when not everything fits.
    let mut y = (r.center().y - total / 2.0).max(r.top() + 4.0);
    for g in galleys {
        let at = Align2::CENTER_TOP.align_size_within_rect(
            g.size(),
            Rect::from_min_size(Pos2::new(r.left(), y), Vec2::new(r.width(), g.size().y)),
        );
        y += g.size().y + 4.0;
        if at.bottom() > r.bottom() {
            break;
        }
        painter.galley(at.min, g, ink);
    }
}

/// A diagram rectangle on the screen.
fn screen_rect(r: &shape::Rect, to_screen: impl Fn(Pos2) -> Pos2) -> Rect {
    Rect::from_min_max(
        to_screen(Pos2::new(r.x0, r.y0)),
        to_screen(Pos2::new(r.x1, r.y1)),
    )
}

/// The corners of `r`, closed, for a dashed outline.
fn outline(r: Rect) -> Vec<Pos2> {
    vec![
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ]
}
