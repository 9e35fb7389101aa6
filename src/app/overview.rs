//! The element list: every element of the model grouped by kind; clicking one
//! selects it. Only the rows in view are drawn.

use std::collections::HashSet;

use eframe::egui::{self, RichText};

use super::Document;
use super::commands::{Command, CommandQueue};
use crate::model::{Action, ElementKind, ElementRef, Model, Rate, Trigger};

/// The model's name, its file, and a list of its elements. Clicking one selects it
/// (or the model itself). A list kept for one frame only; the app keeps an
/// [`ElementList`] so a big model's list is built once per edit.
pub fn overview_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    selection: Option<&ElementRef>,
    queue: &mut CommandQueue,
) {
    ElementList::default().ui(ui, doc, selection, queue);
}

/// The element list's rows, built once per revision of the document, and what the
/// user folded. Only the rows in view are drawn, so a model of thousands of
/// elements costs a screenful of widgets a frame.
#[derive(Default)]
pub struct ElementList {
    rows: Vec<Row>,
    built_for: Option<u64>,
    /// Sections folded by the user, by title.
    folded: HashSet<&'static str>,
    /// The selection the list last scrolled to.
    shown: Option<ElementRef>,
}

/// One line of the list.
#[derive(Clone, Debug)]
enum Row {
    /// A section's title ("Services (12)"), which folds it.
    Header { title: &'static str, count: usize },
    /// An element: clicking selects it.
    Item {
        section: &'static str,
        kind: ElementKind,
        name: String,
        text: String,
    },
    /// A line about the element above it (a handler, a saga's step), or a fault or
    /// an assertion.
    Line {
        section: &'static str,
        text: String,
        indent: bool,
    },
}

impl Row {
    fn section(&self) -> &'static str {
        match self {
            Row::Header { title, .. } => title,
            Row::Item { section, .. } | Row::Line { section, .. } => section,
        }
    }
}

impl ElementList {
    /// The model's name, its file, and the list of its elements.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        selection: Option<&ElementRef>,
        queue: &mut CommandQueue,
    ) {
        let model = &doc.model;
        ui.heading(&model.name);
        let origin = match &doc.path {
            Some(p) => p.display().to_string(),
            None => "not saved yet".to_owned(),
        };
        ui.label(RichText::new(origin).weak());
        ui.label(format!("seed {} · runs {}", model.seed, model.duration));
        if ui
            .selectable_label(selection.is_none(), "Model properties, faults, assertions")
            .clicked()
        {
            queue.push(Command::Select(None));
        }
        ui.separator();
        if self.built_for != Some(doc.revision()) {
            self.rows = rows_of(model);
            self.built_for = Some(doc.revision());
        }
        if let Some(el) = self.rows_ui(ui, selection) {
            queue.push(Command::Select(Some(el)));
        }
    }

    /// The rows in view, scrolled to a selection made elsewhere; the element clicked.
    fn rows_ui(&mut self, ui: &mut egui::Ui, selection: Option<&ElementRef>) -> Option<ElementRef> {
        let shown: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Header { .. }) || !self.folded.contains(r.section()))
            .collect();
        let row_height = ui.spacing().interact_size.y;
        let mut area = egui::ScrollArea::vertical().auto_shrink(false);
        if selection != self.shown.as_ref() {
            self.shown = selection.cloned();
            let at = selection.and_then(|el| shown.iter().position(|r| is(r, el)));
            if let Some(at) = at {
                let step = row_height + ui.spacing().item_spacing.y;
                let room = ui.available_height();
                let offset = ui
                    .ctx()
                    .memory(|m| m.data.get_temp::<f32>(self.offset_id(ui)))
                    .unwrap_or(0.0);
                let y = at as f32 * step;
                if y < offset || y + step > offset + room {
                    area = area.vertical_scroll_offset((y - room / 3.0).max(0.0));
                }
            }
        }
        let mut clicked = None;
        let mut fold = None;
        let out = area.show_rows(ui, row_height, shown.len(), |ui, range| {
            for row in &shown[range] {
                ui.horizontal(|ui| {
                    ui.set_min_height(row_height);
                    match row {
                        Row::Header { title, count } => {
                            let open = !self.folded.contains(title);
                            let arrow = if open { "⏷" } else { "⏵" };
                            let hint = if open { "Fold" } else { "Unfold" };
                            let icon = ui.add(egui::Label::new(arrow).sense(egui::Sense::click()));
                            let text = RichText::new(format!("{title} ({count})")).strong();
                            let header = ui
                                .add(egui::Button::selectable(false, text))
                                .on_hover_text(hint);
                            if icon.clicked() || header.clicked() {
                                fold = Some(*title);
                            }
                        }
                        Row::Item {
                            kind, name, text, ..
                        } => {
                            ui.add_space(ui.spacing().indent);
                            let selected =
                                selection.is_some_and(|s| s.kind == *kind && s.name == *name);
                            let button =
                                egui::Button::selectable(selected, text.as_str()).truncate();
                            if ui.add(button).on_hover_text(text.as_str()).clicked() {
                                clicked = Some(ElementRef::new(*kind, name));
                            }
                        }
                        Row::Line { text, indent, .. } => {
                            let room = ui.spacing().indent * if *indent { 2.0 } else { 1.0 };
                            ui.add_space(room);
                            ui.add(egui::Label::new(text.as_str()).truncate());
                        }
                    }
                });
            }
        });
        let id = self.offset_id(ui);
        ui.ctx()
            .memory_mut(|m| m.data.insert_temp(id, out.state.offset.y));
        if let Some(title) = fold
            && !self.folded.remove(title)
        {
            self.folded.insert(title);
        }
        clicked
    }

    fn offset_id(&self, ui: &egui::Ui) -> egui::Id {
        ui.id().with("element-list-offset")
    }
}

/// Whether the row is this element's.
fn is(row: &Row, el: &ElementRef) -> bool {
    matches!(row, Row::Item { kind, name, .. } if *kind == el.kind && *name == el.name)
}

/// Collects the list's rows, section by section.
struct Rows {
    rows: Vec<Row>,
    section: &'static str,
}

impl Rows {
    fn section(&mut self, title: &'static str, count: usize) -> bool {
        self.section = title;
        if count > 0 {
            self.rows.push(Row::Header { title, count });
        }
        count > 0
    }

    fn item(&mut self, kind: ElementKind, name: &str, text: String) {
        self.rows.push(Row::Item {
            section: self.section,
            kind,
            name: name.to_owned(),
            text,
        });
    }

    fn line(&mut self, text: String, indent: bool) {
        self.rows.push(Row::Line {
            section: self.section,
            text,
            indent,
        });
    }
}

fn action_text(a: &Action) -> String {
    match a {
        Action::Publish { event, topic, .. } => format!("publishes {event} to {topic}"),
        Action::Send { command, to } => format!("sends {command} to {to}"),
        Action::Reply(r) => format!("replies {r}"),
        Action::Append { event, store } => format!("appends {event} to {store}"),
    }
}

/// Every element of the model as rows, grouped by kind.
fn rows_of(m: &Model) -> Vec<Row> {
    let mut r = Rows {
        rows: Vec::new(),
        section: "",
    };
    if r.section("Sources", m.sources.len()) {
        for s in &m.sources {
            let rate = match &s.rate {
                Rate::Poisson { per_sec } => format!("Poisson {per_sec}/s"),
                Rate::Constant { per_sec } => format!("constant {per_sec}/s"),
                Rate::Bursts { size, every } => format!("bursts of {size} every {every}"),
            };
            let text = format!("{} — {}, {}", s.name, action_text(&s.emit), rate);
            r.item(ElementKind::Source, &s.name, text);
        }
    }
    if r.section("Services", m.services.len()) {
        for s in &m.services {
            let text = format!("{} — {} × {} workers", s.name, s.instances, s.concurrency);
            r.item(ElementKind::Service, &s.name, text);
            for h in &s.handlers {
                r.line(format!("on {}", h.on.describe()), true);
            }
        }
    }
    if r.section("Topics", m.topics.len()) {
        for t in &m.topics {
            let unit = if t.partitions == 1 {
                "partition"
            } else {
                "partitions"
            };
            let text = format!("{} — {} {unit}", t.name, t.partitions);
            r.item(ElementKind::Topic, &t.name, text);
        }
    }
    if r.section("Events", m.events.len()) {
        for e in &m.events {
            let text = format!(
                "{} v{} — {}, {} bytes",
                e.name,
                e.version,
                e.style.label(),
                e.payload_bytes
            );
            r.item(ElementKind::Event, &e.name, text);
        }
    }
    if r.section("Sagas", m.sagas.len()) {
        for s in &m.sagas {
            let trigger = match &s.trigger {
                Trigger::Event { event, .. } => event.clone(),
                other => other.describe(),
            };
            let text = format!(
                "{} — run by {}, started by {trigger}",
                s.name, s.orchestrator
            );
            r.item(ElementKind::Saga, &s.name, text);
            for (i, step) in s.steps.iter().enumerate() {
                let comp = step
                    .compensate
                    .as_deref()
                    .map(|c| format!(", undone by {c}"))
                    .unwrap_or_default();
                let text = format!(
                    "{}. {}: {} to {}{comp}",
                    i + 1,
                    step.name,
                    step.command,
                    step.service
                );
                r.line(text, true);
            }
        }
    }
    if r.section("Event stores", m.stores.len()) {
        for s in &m.stores {
            let text = format!("{} — aggregate {}", s.name, s.aggregate);
            r.item(ElementKind::Store, &s.name, text);
        }
    }
    if r.section("Projections", m.projections.len()) {
        for p in &m.projections {
            let text = format!("{} — from {}", p.name, p.store);
            r.item(ElementKind::Projection, &p.name, text);
        }
    }
    if r.section("Faults", m.faults.len()) {
        for f in &m.faults {
            r.line(f.describe(), false);
        }
    }
    if r.section("Assertions", m.assertions.len()) {
        for a in &m.assertions {
            r.line(a.describe(), false);
        }
    }
    r.rows
}
