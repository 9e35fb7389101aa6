//! The live inspector: the selected element's metrics at this point of the run, with
//! small charts (egui_plot).

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Line, Plot, PlotPoints, uniform_grid_spacer};

use super::names;
use crate::analysis::live;
use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::Playback;

const CHART_HEIGHT: f32 = 110.0;

/// Grid steps for an x axis spanning `span`: the labelled step is 1, 2 or 5 × 10ⁿ
/// with two or three of them across, so an inspector-wide chart always labels
/// more than its 0 (egui_plot's default steps are powers of ten only, and it drops
/// labels closer than 60 points: 0…5,000 ms across 200 points showed just "0").
fn x_steps(span: f64) -> [f64; 3] {
    let target = (span / 2.5).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(target.log10().floor());
    let major = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&m| m >= target)
        .unwrap_or(10.0 * power);
    [major / 5.0, major, major * 10.0]
}

/// A line over simulated time. The title names the quantity and its unit, the x
/// axis is seconds of simulated time; the y axis starts at 0 and spans at least 1,
/// so a flat zero reads as zero (not as the middle of −100…100).
/// `peak` is the true maximum when the engine keeps one (samples can miss a short
/// spike); the axis reaches it.
fn chart(ui: &mut egui::Ui, id: &str, title: &str, points: Vec<[f64; 2]>, peak: Option<f64>) {
    let sampled = points.iter().map(|p| p[1]).fold(0.0_f64, f64::max);
    let peak = peak.unwrap_or(sampled).max(sampled);
    let top = peak.max(1.0);
    let now = points.last().map_or(0.0, |p| p[1]);
    ui.label(
        RichText::new(format!(
            "{title}: now {now:.0}, peak {peak:.0} · over simulated time (s)"
        ))
        .small(),
    );
    Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .include_x(0.0)
        .include_y(0.0)
        .include_y(top * 1.1)
        .y_axis_min_width(28.0)
        .x_grid_spacer(uniform_grid_spacer(|g| x_steps(g.bounds.1 - g.bounds.0)))
        .show(ui, |plot| {
            plot.line(Line::new(title, PlotPoints::from(points)));
        });
}

/// A bar chart of counts (a histogram, or outcomes): `bars` at their x, labelled in
/// the title with the unit of x.
fn bars(ui: &mut egui::Ui, id: &str, title: &str, bars: Vec<Bar>) {
    ui.label(RichText::new(title).small());
    let top = bars.iter().map(|b| b.value).fold(1.0_f64, f64::max);
    Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .include_y(top * 1.1)
        .y_axis_min_width(28.0)
        .x_grid_spacer(uniform_grid_spacer(|g| x_steps(g.bounds.1 - g.bounds.0)))
        .show(ui, |plot| plot.bar_chart(BarChart::new(title, bars)));
}

/// A latency histogram in milliseconds, from the engine's histogram.
fn latency_bars(ui: &mut egui::Ui, id: &str, title: &str, l: &crate::sim::Latencies) {
    let hist = l.histogram(24);
    let width = hist.first().map_or(1.0, |(upper, _)| upper * 1e3);
    let b = hist
        .iter()
        .map(|(upper, n)| Bar::new(upper * 1e3 - width / 2.0, *n as f64).width(width * 0.9))
        .collect();
    bars(ui, id, title, b);
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
                let mut q: Vec<[f64; 2]> = stats.points(&s.queue_samples).map(|(x, y)| [x.as_secs_f64(), y as f64]).collect();
                q.push([now_s, s.queue.now as f64]);
                chart(
                    ui,
                    &format!("queue-{}", el.name),
                    "queue depth",
                    q,
                    Some(s.queue.max as f64),
                );
                throughput.update(p.records(), i as u32);
                let per_second = throughput
                    .completed_per_second(t)
                    .iter()
                    .enumerate()
                    .map(|(s, n)| [s as f64, *n as f64])
                    .collect();
                chart(
                    ui,
                    &format!("tp-{}", el.name),
                    "completed per second",
                    per_second,
                    None,
                );
                latency_bars(
                    ui,
                    &format!("lat-{}", el.name),
                    "time in system: items per bucket of milliseconds",
                    &s.time_in_system,
                );
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
                        stats.points(&gs.lag_samples).map(|(x, y)| [x.as_secs_f64(), y as f64]).collect();
                    pts.push([now_s, gs.lag.now as f64]);
                    chart(
                        ui,
                        &format!("lag-{}-{}", el.name, g.name),
                        &format!("lag of {}", g.name),
                        pts,
                        Some(gs.lag.max as f64),
                    );
                }
            }
            ElementKind::Saga => saga_ui(ui, el, model, p),
            ElementKind::Source => source_ui(ui, el, model, p),
            _ => {
                ui.label(RichText::new("No live metrics for this kind.").weak());
            }
        });
}

/// A saga's outcomes so far, as words and a chart, and its durations.
fn saga_ui(ui: &mut egui::Ui, el: &ElementRef, model: &Model, p: &Playback) {
    let stats = p.sim().stats();
    let Some(si) = model.sagas.iter().position(|x| x.name == el.name) else {
        return;
    };
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
    let b = s
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let name = crate::sim::SagaOutcome::ALL[i].label().replace('_', " ");
            Bar::new(i as f64, *n as f64).width(0.7).name(name)
        })
        .collect();
    bars(
        ui,
        &format!("outcomes-{}", el.name),
        "instances by outcome (hover a bar)",
        b,
    );
    latency_bars(
        ui,
        &format!("saga-lat-{}", el.name),
        "duration: instances per bucket of milliseconds",
        &s.duration,
    );
}

/// A source's items so far and their end-to-end times.
fn source_ui(ui: &mut egui::Ui, el: &ElementRef, model: &Model, p: &Playback) {
    let stats = p.sim().stats();
    let Some(si) = model.sources.iter().position(|x| x.name == el.name) else {
        return;
    };
    let s = &stats.sources[si];
    ui.label(format!(
        "{} emitted · {} completed · {} failed · end to end p99 {:.1} ms",
        s.emitted,
        s.completed,
        s.failed,
        s.end_to_end.percentile_secs(99.0) * 1e3
    ));
    latency_bars(
        ui,
        &format!("e2e-{}", el.name),
        "end to end: items per bucket of milliseconds",
        &s.end_to_end,
    );
}

#[cfg(test)]
mod tests {
    use super::x_steps;

    #[test]
    fn an_x_axis_is_labelled_two_or_three_times_at_round_values() {
        for (span, major) in [
            (5_000.0, 2_000.0),
            (195.0, 100.0),
            (30_000.0, 20_000.0),
            (0.8, 0.5),
            (1.0, 0.5),
        ] {
            let steps = x_steps(span);
            assert!((steps[1] - major).abs() < 1e-9 * major, "{span}: {steps:?}");
            let labels = span / steps[1];
            assert!(
                (1.0..=2.5).contains(&labels),
                "{span}: {labels} labelled steps"
            );
        }
    }
}
