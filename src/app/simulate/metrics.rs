//! The live inspector: the selected element's metrics at this point of the run, with
//! small charts (egui_plot).

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Line, Plot, PlotPoints};

use super::names;
use crate::analysis::live;
use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::Playback;

const CHART_HEIGHT: f32 = 110.0;

fn chart(ui: &mut egui::Ui, id: &str, title: &str, points: Vec<[f64; 2]>) {
    ui.label(RichText::new(title).small());
    Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .show_x(true)
        .x_axis_label("s")
        .show(ui, |plot| {
            plot.line(Line::new(title, PlotPoints::from(points)));
        });
}

/// The selected element's figures at this point of the run, with charts (the
/// figures themselves come from `analysis::live` and the engine's statistics).
pub fn live_metrics_ui(
    ui: &mut egui::Ui,
    el: &ElementRef,
    model: &Model,
    p: &Playback,
    throughput: &mut live::Throughput,
) {
    let stats = p.sim().stats();
    let t = p.time();
    let now_s = t.as_secs_f64();
    egui::CollapsingHeader::new(format!("Live at {}", names::secs(t)))
        .default_open(true)
        .show(ui, |ui| match el.kind {
            ElementKind::Service => {
                let Some(i) = model.services.iter().position(|s| s.name == el.name) else { return };
                let s = &stats.services[i];
                let workers = p.sim().plan().services[i].servers.max(1);
                ui.label(format!(
                    "busy {}/{workers} · queue {} (max {}) · {} completed · {} failed attempts · {} dead-lettered",
                    s.busy.now, s.queue.now, s.queue.max, s.completed, s.failed_attempts, s.dead_lettered
                ));
                ui.label(format!(
                    "utilisation so far {:.0}% · time in system p50 {:.1} ms, p99 {:.1} ms",
                    live::utilisation_so_far(p.sim()).get(i).copied().unwrap_or(0.0) * 100.0,
                    s.time_in_system.percentile_secs(50.0) * 1e3,
                    s.time_in_system.percentile_secs(99.0) * 1e3,
                ));
                let mut q: Vec<[f64; 2]> = s.samples.iter().map(|(x, y)| [x.as_secs_f64(), *y as f64]).collect();
                q.push([now_s, s.queue.now as f64]);
                chart(ui, &format!("queue-{}", el.name), "queue depth", q);
                throughput.update(p.records(), i as u32);
                let per_second = throughput
                    .completed_per_second(t)
                    .iter()
                    .enumerate()
                    .map(|(s, n)| [s as f64, *n as f64])
                    .collect();
                chart(ui, &format!("tp-{}", el.name), "completed per second", per_second);
                ui.label(RichText::new("time in system: histogram (ms)").small());
                let hist = s.time_in_system.histogram(24);
                let width = hist.first().map_or(1.0, |(upper, _)| upper * 1e3);
                let bars: Vec<Bar> = hist
                    .iter()
                    .map(|(upper, n)| Bar::new(upper * 1e3 - width / 2.0, *n as f64).width(width * 0.9))
                    .collect();
                Plot::new(format!("lat-{}", el.name))
                    .height(CHART_HEIGHT)
                    .allow_scroll(false)
                    .allow_drag(false)
                    .allow_zoom(false)
                    .show(ui, |plot| plot.bar_chart(BarChart::new("time in system", bars)));
            }
            ElementKind::Topic => {
                let Some(ti) = model.topics.iter().position(|x| x.name == el.name) else { return };
                let plan = p.sim().plan();
                let ts = &stats.topics[ti];
                ui.label(format!("{} appended · {} duplicated · {} reordered", ts.appended, ts.duplicated, ts.reordered));
                for (gi, g) in plan.groups.iter().enumerate().filter(|(_, g)| g.topic.index() == ti) {
                    let gs = &stats.groups[gi];
                    ui.label(format!(
                        "group {}: lag {} (max {}) · {} consumed · {} given up",
                        g.name, gs.lag.now, gs.lag.max, gs.consumed, gs.given_up
                    ));
                    let mut pts: Vec<[f64; 2]> =
                        gs.samples.iter().map(|(x, y, _)| [x.as_secs_f64(), *y as f64]).collect();
                    pts.push([now_s, gs.lag.now as f64]);
                    chart(ui, &format!("lag-{}-{}", el.name, g.name), &format!("lag of {}", g.name), pts);
                }
            }
            ElementKind::Saga => {
                let Some(si) = model.sagas.iter().position(|x| x.name == el.name) else { return };
                let s = &stats.sagas[si];
                let outcomes: Vec<String> = crate::sim::SagaOutcome::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, o)| format!("{} {}", s.outcomes[i], o.label().replace('_', " ")))
                    .collect();
                ui.label(format!(
                    "{} started · {} · {} compensations · {} step timeouts",
                    s.started,
                    outcomes.join(", "),
                    s.compensations,
                    s.step_timeouts
                ));
            }
            ElementKind::Source => {
                let Some(si) = model.sources.iter().position(|x| x.name == el.name) else { return };
                let s = &stats.sources[si];
                ui.label(format!(
                    "{} emitted · {} completed · {} failed · end to end p99 {:.1} ms",
                    s.emitted,
                    s.completed,
                    s.failed,
                    s.end_to_end.percentile_secs(99.0) * 1e3
                ));
            }
            _ => {
                ui.label(RichText::new("No live metrics for this kind.").weak());
            }
        });
}
