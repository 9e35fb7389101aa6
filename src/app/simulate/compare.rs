//! Compare two models under the same seed and run length: run both in the
//! background, then put their key metrics side by side.

use eframe::egui::{self, RichText};

use super::background::Job;
use crate::analysis::Report;
use crate::app::commands::{Command, CommandQueue};
use crate::model::Model;

/// The comparison view's state: the model chosen to compare with (the view's own
/// choice) and the two runs.
#[derive(Default)]
pub struct Compare {
    /// The other model: an index into `examples::ALL`.
    pub other: Option<usize>,
    jobs: Option<[Job; 2]>,
}

/// Key metrics of a run, as (label, value) rows.
fn rows(r: &Report) -> Vec<(String, String)> {
    let mut out = vec![("engine events".to_owned(), r.events.to_string())];
    for s in &r.sources {
        out.push((
            format!("{}: items done / failed", s.name),
            format!("{} / {}", s.completed, s.failed),
        ));
        out.push((
            format!("{}: end to end p50 / p99", s.name),
            format!(
                "{:.0} / {:.0} ms",
                s.end_to_end.p50_secs * 1e3,
                s.end_to_end.p99_secs * 1e3
            ),
        ));
    }
    for s in &r.sagas {
        let o = &s.outcomes;
        out.push((
            format!("saga {}: completed / compensated / timed out", s.name),
            format!("{} / {} / {}", o.completed, o.compensated, o.timed_out),
        ));
    }
    let busiest = r
        .services
        .iter()
        .max_by(|a, b| a.utilisation.total_cmp(&b.utilisation));
    if let Some(b) = busiest {
        out.push((
            "busiest service".into(),
            format!("{} at {:.0}%", b.name, b.utilisation * 100.0),
        ));
    }
    let max_lag = r
        .topics
        .iter()
        .flat_map(|t| &t.groups)
        .map(|g| g.max_lag)
        .max()
        .unwrap_or(0);
    out.push(("largest consumer lag".into(), max_lag.to_string()));
    out.push((
        "messages dead-lettered".into(),
        r.messages.dead_lettered.to_string(),
    ));
    out.push(("bottlenecks found".into(), r.bottlenecks.len().to_string()));
    out
}

impl Compare {
    /// Are the runs still going?
    fn busy(&self) -> bool {
        self.jobs
            .as_ref()
            .is_some_and(|j| j.iter().any(|j| !j.ended()))
    }

    /// Run `model` and the chosen example under the same seed and run length; says
    /// why not when there is nothing to compare with or the runs are still going.
    pub fn start(
        &mut self,
        rt: &tokio::runtime::Runtime,
        model: &Model,
        seed: u64,
    ) -> Result<(), String> {
        if self.busy() {
            return Err("The comparison is still running: cancel it first".into());
        }
        let Some(example) = self.other.and_then(|i| crate::examples::ALL.get(i)) else {
            return Err("Choose a model to compare with in the Compare tab".into());
        };
        let mut other = example
            .model()
            .map_err(|e| format!("The example does not load: {e}"))?;
        // The same seed and run length for both.
        other.duration = model.duration;
        self.jobs = Some([
            Job::start(rt, model.name.clone(), model.clone(), seed),
            Job::start(rt, other.name.clone(), other, seed),
        ]);
        Ok(())
    }

    /// Stop both runs.
    pub fn cancel(&self) {
        self.jobs.iter().flatten().for_each(Job::cancel);
    }

    /// Collect the runs that have ended.
    pub fn poll(&mut self, rt: &tokio::runtime::Runtime) {
        for job in self.jobs.iter_mut().flatten() {
            job.poll(rt);
        }
    }

    /// The choice of the other model, Run both / Cancel, progress, and the table.
    pub fn ui(&mut self, ui: &mut egui::Ui, model: &Model, seed: u64, queue: &mut CommandQueue) {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("This model ({})", model.name));
            let examples = crate::examples::ALL;
            egui::ComboBox::new("compare-with", "compared with")
                .selected_text(
                    self.other
                        .map_or("choose an example...", |i| examples[i].name),
                )
                .show_ui(ui, |ui| {
                    for (i, e) in examples.iter().enumerate() {
                        ui.selectable_value(&mut self.other, Some(i), e.name);
                    }
                });
            ui.label(format!("seed {seed}, {}", model.duration));
            let busy = self.busy();
            if ui
                .add_enabled(self.other.is_some() && !busy, egui::Button::new("Run both"))
                .on_hover_text(Command::RunComparison.hover_text(ui.ctx()))
                .clicked()
            {
                queue.push(Command::RunComparison);
            }
            if busy && ui.button("Cancel").clicked() {
                queue.push(Command::CancelComparison);
            }
        });
        let Some(jobs) = &self.jobs else {
            ui.label(RichText::new("Runs both models in the background under the same seed and run length; the window keeps working.").weak());
            return;
        };
        let mut reports = Vec::new();
        for job in jobs.iter() {
            match job.result() {
                None => {
                    let fraction = job.fraction();
                    ui.add(egui::ProgressBar::new(fraction).text(format!(
                        "{}: {:.0}%",
                        job.label,
                        fraction * 100.0
                    )));
                    ui.ctx().request_repaint();
                }
                Some(Err(e)) => {
                    ui.label(format!("{}: {e}", job.label));
                }
                Some(Ok(r)) => reports.push(r),
            }
        }
        if let [a, b] = reports.as_slice() {
            let (ra, rb) = (rows(a), rows(b));
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    egui::Grid::new("compare-grid")
                        .striped(true)
                        .show(ui, |ui| {
                            ui.label(RichText::new("metric").strong());
                            ui.label(RichText::new(&a.model).strong());
                            ui.label(RichText::new(&b.model).strong());
                            ui.end_row();
                            let mut labels: Vec<&String> = ra.iter().map(|(l, _)| l).collect();
                            for (l, _) in &rb {
                                if !labels.contains(&l) {
                                    labels.push(l);
                                }
                            }
                            for l in labels {
                                ui.label(l);
                                for r in [&ra, &rb] {
                                    ui.label(
                                        r.iter()
                                            .find(|(x, _)| x == l)
                                            .map_or("—", |(_, v)| v.as_str()),
                                    );
                                }
                                ui.end_row();
                            }
                        });
                });
        }
    }
}
