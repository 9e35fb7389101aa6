//! The report as readable text, for the terminal.

use std::fmt::Write;

use super::Report;

/// The width of a table's first column: the longest name, and at least `least`, so
/// the columns stay aligned under their headers.
fn name_width<'a>(names: impl Iterator<Item = &'a str>, least: usize) -> usize {
    names
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(least)
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A readable summary of a report.
pub fn render_text(r: &Report) -> String {
    let mut o = String::new();
    header(&mut o, r);
    messages(&mut o, r);
    sources(&mut o, r);
    services(&mut o, r);
    groups(&mut o, r);
    sagas_and_stores(&mut o, r);
    findings(&mut o, r);
    o
}

/// The run in one line, and its faults.
fn header(o: &mut String, r: &Report) {
    if let Some(why) = &r.stopped {
        let _ = writeln!(o, "PARTIAL RUN: {why}\n");
    }
    let _ = writeln!(
        o,
        "{} — seed {}, {:.0}s simulated, {} engine events",
        r.model, r.seed, r.duration_secs, r.events
    );
    if !r.faults.is_empty() {
        let _ = writeln!(o, "faults: {}", r.faults.join("; "));
    }
}

/// Message totals: the fate of every delivery.
fn messages(o: &mut String, r: &Report) {
    let m = &r.messages;
    let _ = writeln!(
        o,
        "\nmessages: {} produced, {} consumed, {} dead-lettered, {} failed, {} expired, {} rejected, {} dropped, {} in flight",
        m.produced,
        m.consumed,
        m.dead_lettered,
        m.failed,
        m.expired,
        m.rejected,
        m.dropped,
        m.in_flight
    );
    let _ = writeln!(
        o,
        "          {} duplicates skipped, {} double effects",
        m.deduplicated, m.double_effects
    );
}

/// A table of the workload sources: items and end-to-end latency.
fn sources(o: &mut String, r: &Report) {
    if !r.sources.is_empty() {
        let w = name_width(r.sources.iter().map(|s| s.name.as_str()), 24);
        let _ = writeln!(
            o,
            "\n{:<w$} {:>9} {:>10} {:>7}  {:>9} {:>9} {:>9} {:>9}",
            "source", "items", "completed", "failed", "mean", "p50", "p95", "p99"
        );
        for s in &r.sources {
            let e = &s.end_to_end;
            let _ = writeln!(
                o,
                "{:<w$} {:>9} {:>10} {:>7}  {:>8.3}s {:>8.3}s {:>8.3}s {:>8.3}s",
                s.name,
                s.emitted,
                s.completed,
                s.failed,
                e.mean_secs,
                e.p50_secs,
                e.p95_secs,
                e.p99_secs
            );
        }
    }
}

/// A table of the services: utilisation, queue, wait and time in system.
fn services(o: &mut String, r: &Report) {
    let w = name_width(r.services.iter().map(|s| s.name.as_str()), 24);
    let _ = writeln!(
        o,
        "\n{:<w$} {:>6} {:>11} {:>11} {:>10} {:>10} {:>10} {:>9} {:>8}",
        "service",
        "util",
        "throughput",
        "mean queue",
        "max queue",
        "mean wait",
        "in system",
        "p99",
        "retries"
    );
    for s in &r.services {
        let _ = writeln!(
            o,
            "{:<w$} {:>6} {:>11} {:>11.2} {:>10} {:>9.3}s {:>9.3}s {:>8.3}s {:>8}",
            s.name,
            pct(s.utilisation),
            format!("{:.2}/s", s.throughput_per_sec),
            s.mean_queue,
            s.max_queue,
            s.mean_wait_secs,
            s.mean_time_in_system_secs,
            s.time_in_system.p99_secs,
            s.retries
        );
    }
    if let Some(b) = r
        .bounded
        .as_ref()
        .filter(|b| b.services > b.services_in_detail)
    {
        let _ = writeln!(
            o,
            "… and {} more services, less busy and named by no finding ({})",
            b.services - b.services_in_detail,
            b.hint
        );
    }
}

/// A table of the consumer groups per topic: consumption and lag.
fn groups(o: &mut String, r: &Report) {
    let groups: Vec<_> = r
        .topics
        .iter()
        .flat_map(|t| t.groups.iter().map(move |g| (t, g)))
        .collect();
    if !groups.is_empty() {
        let names: Vec<String> = groups
            .iter()
            .map(|(t, g)| format!("{} / {}", t.name, g.name))
            .collect();
        let w = name_width(names.iter().map(String::as_str), 32);
        let _ = writeln!(
            o,
            "\n{:<w$} {:>9} {:>9} {:>9} {:>8} {:>11}",
            "topic / group", "consumed", "max lag", "mean lag", "expired", "rebalances"
        );
        for ((_, g), name) in groups.iter().zip(names) {
            let _ = writeln!(
                o,
                "{:<w$} {:>9} {:>9} {:>9.1} {:>8} {:>11}",
                name, g.consumed, g.max_lag, g.mean_lag, g.expired, g.rebalances
            );
        }
    }
    if let Some(b) = r.bounded.as_ref().filter(|b| b.groups > b.groups_in_detail) {
        let _ = writeln!(
            o,
            "… and {} more consumer groups, with less lag and named by no finding",
            b.groups - b.groups_in_detail
        );
    }
}

/// Each saga's outcomes, then each projection's lag and each store's cost.
fn sagas_and_stores(o: &mut String, r: &Report) {
    for s in &r.sagas {
        let oc = &s.outcomes;
        let _ = writeln!(
            o,
            "\nsaga {}: {} started — {} completed, {} compensated, {} timed out, {} compensation failed, {} stuck, {} in progress",
            s.name,
            s.started,
            oc.completed,
            oc.compensated,
            oc.timed_out,
            oc.compensation_failed,
            oc.stuck,
            oc.in_progress
        );
        let _ = writeln!(
            o,
            "  duration mean {:.3}s p99 {:.3}s; {} compensations, {} step timeouts, {} late replies",
            s.duration.mean_secs,
            s.duration.p99_secs,
            s.compensations,
            s.step_timeouts,
            s.late_replies
        );
        if s.orphaned_effects > 0 || s.late_compensations > 0 {
            let _ = writeln!(
                o,
                "  {} orphaned effects (e.g. correlation ids {}), {} compensations sent for late successes",
                s.orphaned_effects,
                ids(&s.orphan_examples),
                s.late_compensations
            );
        }
    }
    for c in &r.choreography {
        let _ = writeln!(
            o,
            "
compensation {} (undoes {}): due in {} items, never came in {} (e.g. correlation ids {})",
            c.compensation,
            c.effect,
            c.due,
            c.orphaned,
            ids(&c.examples)
        );
    }
    for p in &r.projections {
        let _ = writeln!(
            o,
            "\nprojection {}: max lag {}, {} of {} reads stale ({})",
            p.name,
            p.max_lag,
            p.stale_reads,
            p.reads,
            pct(p.stale_read_share)
        );
    }
    for s in &r.stores {
        let _ = writeln!(
            o,
            "store {}: {} appends over {} aggregates; rebuild one {:.4}s, replay all {:.1}s",
            s.name, s.appends, s.aggregates, s.rebuild_aggregate_secs, s.replay_all_secs
        );
    }
}

/// Correlation ids, comma-separated ("none" for none).
fn ids(ids: &[u64]) -> String {
    if ids.is_empty() {
        return "none".to_owned();
    }
    ids.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ranked bottlenecks, then the assertions as PASS/FAIL.
fn findings(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\nbottlenecks:");
    if r.bottlenecks.is_empty() {
        let _ = writeln!(o, "  none found");
    }
    for b in &r.bottlenecks {
        let _ = writeln!(
            o,
            "  {}. {} — {}: {}",
            b.rank,
            b.element,
            b.kind.label(),
            b.evidence
        );
    }
    if let Some(b) = r
        .bounded
        .as_ref()
        .filter(|b| b.findings > r.bottlenecks.len())
    {
        let _ = writeln!(
            o,
            "  … and {} more findings ({})",
            b.findings - r.bottlenecks.len(),
            b.hint
        );
    }
    if !r.assertions.is_empty() {
        let _ = writeln!(o, "\nassertions:");
        for a in &r.assertions {
            let _ = writeln!(
                o,
                "  {} {} ({})",
                if a.passed { "PASS" } else { "FAIL" },
                a.assertion,
                a.measured
            );
        }
    }
}
