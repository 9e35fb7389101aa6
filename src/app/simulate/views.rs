//! Views of the run: the findings and the emergent process (one item's journey is in
//! `views_trace` and `views_waterfall`).

use eframe::egui::{self, RichText};

use super::{Session, SimViews};
use crate::analysis::Process;
use crate::app::commands::{Command, CommandQueue};
use crate::app::theme;
use crate::model::Model;

/// The engine's findings at this point of the run; clicking one selects its element.
pub fn findings_ui(
    ui: &mut egui::Ui,
    views: &mut SimViews,
    session: &Session,
    model: &Model,
    queue: &mut CommandQueue,
) {
    if session.playback().is_none_or(|p| p.steps() == 0) {
        ui.label("Play or step the run: its bottlenecks appear here and on the canvas.");
        return;
    }
    let findings = views.findings(session, model);
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            if findings.is_empty() {
                ui.label(RichText::new("No bottleneck so far.").weak());
            }
            for b in findings {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!("{}.", b.rank))
                            .strong()
                            .color(theme::ERROR),
                    );
                    let text = format!("{} ({}): {}", b.element, b.kind.label(), b.evidence);
                    if ui
                        .add(egui::Label::new(text).wrap().sense(egui::Sense::click()))
                        .on_hover_text("Click to select it")
                        .clicked()
                    {
                        queue.push(Command::Select(Some(b.element.clone())));
                    }
                });
            }
        });
}

/// The process as it actually ran: variants with counts and shares, the
/// directly-follows relation with frequencies, and where it departs from the model.
/// A variant's "trace" button shows one of its items in the trace view.
pub fn process_ui(
    ui: &mut egui::Ui,
    views: &mut SimViews,
    session: &Session,
    model: &Model,
    queue: &mut CommandQueue,
) {
    let Some(p) = session.playback() else {
        ui.label("The model cannot run; see Problems.");
        return;
    };
    if p.steps() == 0 {
        ui.label("Play or step the run: the process it takes is mined from its trace.");
        return;
    }
    let steps = p.steps();
    if views.process().is_none() {
        views.mine(session, model);
    }
    let Some((at, process)) = views.process() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Mined from the first {at} events.")).weak());
        if at != steps
            && ui
                .button(format!("Mine the run so far ({steps} events)"))
                .on_hover_text(Command::MineProcess.hover_text(ui.ctx()))
                .clicked()
        {
            queue.push(Command::MineProcess);
        }
    });
    ui.label(format!(
        "{} cases (workload items), {} activities, {} hand-offs, {} variants",
        process.cases,
        process.activities.len(),
        process.flows.len(),
        process.variants.len()
    ));
    let places = &views.process_places;
    let mut open = views.dfg_window;
    if ui.button("Show the directly-follows graph").clicked() {
        open = true;
    }
    let mut scene = views.dfg_scene;
    let mut boxes = Vec::new();
    let screen = ui.ctx().content_rect();
    egui::Window::new("Emergent process: directly-follows graph")
        .open(&mut open)
        .default_size([screen.width() * 0.8, screen.height() * 0.75])
        .resizable(true)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(
                        "Arrows as thick as they are frequent; red: hand-offs the model does not \
                         have. Ctrl+scroll or pinch to zoom, scroll or drag to pan; hover for counts.",
                    )
                    .weak(),
                );
                if ui.button("Fit").clicked() {
                    scene = None;
                }
            });
            boxes = super::dfg::dfg_ui(ui, process, places, &mut scene);
        });
    egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
        variants_ui(ui, process, queue);
        handoffs_ui(ui, process);
    });
    views.dfg_window = open;
    views.dfg_scene = scene;
    views.dfg_boxes = boxes;
}

/// The variants (paths items took), most common first, each with a button that shows
/// one of its items in the trace view.
fn variants_ui(ui: &mut egui::Ui, process: &Process, queue: &mut CommandQueue) {
    egui::CollapsingHeader::new("Variants")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("variants").striped(true).show(ui, |ui| {
                for h in ["kind", "cases", "share", "path", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for v in process.variants.iter().take(50) {
                    ui.label(v.kind.label());
                    ui.label(v.count.to_string());
                    ui.label(format!("{:.1}%", v.share * 100.0));
                    let path: Vec<&str> = v
                        .path
                        .iter()
                        .map(|&i| process.activities[i].name.as_str())
                        .collect();
                    ui.label(if path.is_empty() {
                        "(nothing handled)".to_owned()
                    } else {
                        path.join(" > ")
                    });
                    if ui
                        .small_button("trace")
                        .on_hover_text(format!("Show item {}", v.example))
                        .clicked()
                    {
                        queue.push(Command::ShowTrace(Some(v.example)));
                    }
                    ui.end_row();
                }
            });
            if process.variants.len() > 50 {
                ui.label(
                    RichText::new(format!(
                        "... and {} rarer variants",
                        process.variants.len() - 50
                    ))
                    .weak(),
                );
            }
        });
}

/// The hand-offs that happened, most frequent first (those the model does not have
/// in red), and the modelled ones never taken.
fn handoffs_ui(ui: &mut egui::Ui, process: &Process) {
    egui::CollapsingHeader::new("Directly-follows (hand-offs, most frequent first)")
        .default_open(true)
        .show(ui, |ui| {
            let mut flows: Vec<_> = process.flows.iter().collect();
            flows.sort_by_key(|f| std::cmp::Reverse(f.count));
            for f in flows {
                let text = format!(
                    "{} > {}   ×{}",
                    process.activities[f.from].name, process.activities[f.to].name, f.count
                );
                if f.unmodelled {
                    ui.label(
                        RichText::new(format!("{text}   not in the model")).color(theme::ERROR),
                    );
                } else {
                    ui.label(text);
                }
            }
        });
    if !process.never_seen.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Modelled hand-offs never taken ({})",
            process.never_seen.len()
        ))
        .show(ui, |ui| {
            for (a, b) in &process.never_seen {
                ui.label(RichText::new(format!("{a} > {b}")).color(theme::WARNING));
            }
        });
    }
}
