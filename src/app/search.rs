//! Find an element by name (Ctrl+F): a field over the diagram lists, as you type, the
//! boxes whose name contains the text (any case); Enter takes the first match (Up and
//! Down move through them), a click takes that one: it is selected and the view is
//! centred on it. Esc closes the field.
//!
//! It searches the diagram's own list of boxes (`Canvas::arch`, every kind drawn on
//! the canvas), and only when the text or the document changes: an open field costs
//! a frame the few lines it shows.

use eframe::egui::{self, RichText};

use crate::diagram::ArchGraph;
use crate::model::ElementRef;

/// How many matches the field lists at once.
const SHOWN: usize = 8;

/// The search field's state while it is open.
#[derive(Debug, Default)]
pub struct Search {
    /// What is typed.
    pub query: String,
    /// The match Enter takes (moved by Up and Down).
    chosen: usize,
    /// The matches of a query among the boxes of a document revision.
    found: Option<(String, u64, Vec<usize>)>,
    /// The field has been given the keyboard.
    focused: bool,
}

/// The boxes of `graph` whose name contains `query` (any case), best first: the name
/// itself, then names that start with it, then the rest; shorter names first, then
/// by name. Nothing for an empty query.
pub fn matches(graph: &ArchGraph, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(u8, usize, &str, usize)> = graph
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let name = n.element.name.as_str();
            let lower = name.to_lowercase();
            let rank = if lower == q {
                0
            } else if lower.starts_with(&q) {
                1
            } else if lower.contains(&q) {
                2
            } else {
                return None;
            };
            Some((rank, name.len(), name, i))
        })
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(.., i)| i).collect()
}

impl Search {
    /// The matches of the query among `graph`'s boxes (the diagram of document
    /// revision `revision`), found again only when either changed.
    fn found(&mut self, graph: &ArchGraph, revision: u64) -> &[usize] {
        let stale = self
            .found
            .as_ref()
            .is_none_or(|(q, r, _)| *q != self.query || *r != revision);
        if stale {
            self.found = Some((self.query.clone(), revision, matches(graph, &self.query)));
            self.chosen = 0;
        }
        self.found.as_ref().map_or(&[], |(_, _, f)| f.as_slice())
    }
}

/// The search field at the top right of `area` (the canvas), over it while open;
/// returns the element chosen. (Esc closes it: `Command::StopConnecting`.)
pub fn search_ui(
    ctx: &egui::Context,
    search: &mut Search,
    graph: &ArchGraph,
    revision: u64,
    area: egui::Rect,
) -> Option<ElementRef> {
    let width = 320.0_f32.min(area.width() - 16.0).max(120.0);
    let at = egui::pos2(area.right() - width - 8.0, area.top() + 8.0);
    let mut outcome = None;
    egui::Area::new(egui::Id::new("search"))
        .order(egui::Order::Foreground)
        .fixed_pos(at)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(width);
                outcome = search_body_ui(ui, search, graph, revision);
            });
        });
    outcome
}

fn search_body_ui(
    ui: &mut egui::Ui,
    search: &mut Search,
    graph: &ArchGraph,
    revision: u64,
) -> Option<ElementRef> {
    let field = ui.add(
        egui::TextEdit::singleline(&mut search.query)
            .hint_text("Find an element by name")
            .desired_width(f32::INFINITY),
    );
    if !search.focused {
        field.request_focus();
        search.focused = true;
    }
    let (enter, down, up) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::ArrowUp),
        )
    });
    let found = search.found(graph, revision).to_vec();
    if down {
        search.chosen = (search.chosen + 1).min(found.len().saturating_sub(1));
    }
    if up {
        search.chosen = search.chosen.saturating_sub(1);
    }
    let first = search.chosen.min(found.len().saturating_sub(1)) / SHOWN * SHOWN;
    let mut outcome = None;
    for (k, &i) in found.iter().enumerate().skip(first).take(SHOWN) {
        let el = &graph.nodes[i].element;
        let text = format!("{} — {}", el.name, el.kind.label());
        if ui.selectable_label(k == search.chosen, text).clicked() {
            outcome = Some(el.clone());
        }
    }
    let hint = if search.query.trim().is_empty() {
        "Names of services, topics, sagas, stores, projections, sources".to_owned()
    } else if found.is_empty() {
        "No element's name contains this".to_owned()
    } else if found.len() > SHOWN {
        format!(
            "{} of {} matches · Up/Down for more · Enter selects",
            (found.len() - first).min(SHOWN),
            found.len()
        )
    } else {
        "Enter selects · Esc closes".to_owned()
    };
    ui.label(RichText::new(hint).weak());
    if enter && let Some(&i) = found.get(search.chosen) {
        outcome = Some(graph.nodes[i].element.clone());
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::arch_graph;

    fn names(graph: &ArchGraph, found: &[usize]) -> Vec<String> {
        found
            .iter()
            .map(|&i| graph.nodes[i].element.name.clone())
            .collect()
    }

    #[test]
    fn matches_any_case_best_first() {
        let g = arch_graph(&crate::examples::DEFAULT.model().unwrap());
        assert_eq!(names(&g, &matches(&g, "PAY")), ["payment", "payment-dlq"]);
        // The name itself, then names starting with it, then the rest.
        assert_eq!(
            names(&g, &matches(&g, "orders")),
            ["orders"],
            "{:?}",
            names(&g, &matches(&g, "order"))
        );
        assert_eq!(names(&g, &matches(&g, "order")), ["orders", "order-status"]);
        assert_eq!(names(&g, &matches(&g, "ment")), ["payment", "payment-dlq"]);
        assert!(matches(&g, "  ").is_empty());
        assert!(matches(&g, "zzz").is_empty());
    }

    #[test]
    fn every_kind_on_the_canvas_is_found() {
        let g = arch_graph(&crate::examples::DEFAULT.model().unwrap());
        let kinds: std::collections::BTreeSet<_> = matches(&g, "e")
            .iter()
            .map(|&i| g.nodes[i].element.kind)
            .collect();
        // The built-in example has sources, services, sagas and topics.
        assert!(kinds.len() >= 4, "{kinds:?}");
    }
}
