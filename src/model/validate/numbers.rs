//! Numbers in range: counts at least 1, probabilities in [0, 1], alternatives summing
//! to 1, well-formed distributions, rates above zero.

use super::Cx;
use crate::model::{Assertion, Distribution, Duration, ElementKind, FaultKind, Handler, Rate};

/// Most workers (instances × concurrency) one service may have.
pub const MAX_WORKERS: u64 = 1_000_000;

/// Tolerance for probabilities that should sum to 1.
const SUM_TOLERANCE: f64 = 1e-6;

/// Every number of the model, element by element in model order, then faults and
/// assertions.
pub(super) fn check(cx: &mut Cx) {
    positions(cx);
    if cx.model.duration.is_zero() {
        cx.error("duration", "the run duration is zero")
            .hint("e.g. `duration: \"10m\"`");
    }
    events_and_topics(cx);
    services(cx);
    sagas(cx);
    stores_and_projections(cx);
    sources(cx);
    cx.off();
    faults(cx);
    assertions(cx);
}

/// Event schema versions; topic partitions and retention.
fn events_and_topics(cx: &mut Cx) {
    let m = cx.model;
    for e in &m.events {
        cx.on(ElementKind::Event, &e.name);
        if e.version == 0 {
            cx.error(
                format!("events[{}].version", e.name),
                "schema versions start at 1",
            );
        }
    }
    for t in &m.topics {
        cx.on(ElementKind::Topic, &t.name);
        let path = format!("topics[{}]", t.name);
        if t.partitions < 1 {
            cx.error(
                format!("{path}.partitions"),
                "a topic needs at least 1 partition",
            );
        }
        if t.retention.is_some_and(Duration::is_zero) {
            cx.error(
                format!("{path}.retention"),
                "retention is zero: every message would expire at once",
            )
            .hint("leave `retention` out to keep messages forever");
        }
    }
}

/// Service worker counts and queue bounds, then each handler.
fn services(cx: &mut Cx) {
    let m = cx.model;
    for s in &m.services {
        cx.on(ElementKind::Service, &s.name);
        let path = format!("services[{}]", s.name);
        at_least_one(cx, &format!("{path}.instances"), s.instances, "instance");
        at_least_one(
            cx,
            &format!("{path}.concurrency"),
            s.concurrency,
            "worker per instance",
        );
        if u64::from(s.instances) * u64::from(s.concurrency) > MAX_WORKERS {
            cx.error(
                format!("{path}.concurrency"),
                format!(
                    "{} instances × {} workers is more than {MAX_WORKERS} workers",
                    s.instances, s.concurrency
                ),
            )
            .hint("model a large fleet with fewer, faster workers");
        }
        for (i, h) in s.handlers.iter().enumerate() {
            handler(cx, &format!("{path}.handlers[{i}]"), h);
        }
    }
}

/// Saga latencies, step counts and step timeouts.
fn sagas(cx: &mut Cx) {
    let m = cx.model;
    for saga in &m.sagas {
        cx.on(ElementKind::Saga, &saga.name);
        distribution(cx, &format!("sagas[{}].latency", saga.name), &saga.latency);
        if saga.steps.is_empty() {
            cx.error(
                format!("sagas[{}].steps", saga.name),
                "a saga needs at least one step",
            );
        }
        for (i, step) in saga.steps.iter().enumerate() {
            if step.timeout.is_zero() {
                cx.error(
                    format!("sagas[{}].steps[{i}].timeout", saga.name),
                    "the timeout is zero",
                )
                .hint("every reply would be late; e.g. `timeout: \"2s\"`");
            }
        }
    }
}

/// Event store append costs and snapshots; projection update costs and read rates.
fn stores_and_projections(cx: &mut Cx) {
    let m = cx.model;
    for st in &m.stores {
        cx.on(ElementKind::Store, &st.name);
        let path = format!("stores[{}]", st.name);
        distribution(cx, &format!("{path}.append"), &st.append);
        if st.snapshot_every == Some(0) {
            cx.error(
                format!("{path}.snapshot_every"),
                "a snapshot every 0 events is not possible",
            )
            .hint("leave it out for no snapshots");
        }
    }
    for p in &m.projections {
        cx.on(ElementKind::Projection, &p.name);
        let path = format!("projections[{}]", p.name);
        distribution(cx, &format!("{path}.update"), &p.update);
        if !(p.reads_per_sec.is_finite() && p.reads_per_sec >= 0.0) {
            cx.error(
                format!("{path}.reads_per_sec"),
                format!("{} is not a read rate", p.reads_per_sec),
            )
            .hint("use a number of reads per second, 0 or more");
        }
    }
}

/// Source rates, keys and start/stop order.
fn sources(cx: &mut Cx) {
    let m = cx.model;
    for s in &m.sources {
        cx.on(ElementKind::Source, &s.name);
        let path = format!("sources[{}]", s.name);
        rate(cx, &format!("{path}.rate"), &s.rate);
        if s.keys == 0 {
            cx.error(format!("{path}.keys"), "a source needs at least 1 key");
        }
        if let (Some(start), Some(stop)) = (s.start, s.stop)
            && stop <= start
        {
            cx.error(
                format!("{path}.stop"),
                format!("stops at {stop}, not after it starts at {start}"),
            );
        }
    }
}

/// Fault windows (not tied to an element): durations, start times, factors and probabilities.
fn faults(cx: &mut Cx) {
    let m = cx.model;
    for (i, f) in m.faults.iter().enumerate() {
        let path = format!("faults[{i}]");
        if f.lasting.is_zero() {
            cx.error(format!("{path}.lasting"), "the fault lasts no time at all");
        }
        if f.at >= m.duration {
            cx.warning(
                format!("{path}.at"),
                format!("starts at {}, after the run ends at {}", f.at, m.duration),
            )
            .hint("it never happens in a default run; move it or lengthen `duration`");
        }
        match &f.kind {
            FaultKind::SlowDown { factor, .. } if !(factor.is_finite() && *factor > 0.0) => {
                cx.error(
                    format!("{path}.kind.factor"),
                    format!("{factor} is not a latency multiplier"),
                )
                .hint("e.g. `factor: 3.0` makes handling three times slower");
            }
            FaultKind::Duplicate { probability, .. }
            | FaultKind::Reorder { probability, .. }
            | FaultKind::Poison { probability, .. } => {
                probability_in_range(cx, &format!("{path}.kind.probability"), *probability);
            }
            _ => {}
        }
    }
}

/// Assertion percentiles and bounds.
fn assertions(cx: &mut Cx) {
    let m = cx.model;
    for (i, a) in m.assertions.iter().enumerate() {
        let path = format!("assertions[{i}]");
        match a {
            Assertion::Latency { percentile, .. }
                if !(*percentile > 0.0 && *percentile <= 100.0) =>
            {
                cx.error(
                    format!("{path}.percentile"),
                    format!("{percentile} is not a percentile"),
                )
                .hint("use a number in (0, 100], e.g. 99.0 for p99");
            }
            Assertion::MaxQueue { under: 0, .. } | Assertion::MaxLag { under: 0, .. } => {
                cx.error(format!("{path}.under"), "a bound of 0 can never be met")
                    .hint("the figure must stay under the bound; 1 means it must always be 0");
            }
            Assertion::MaxUtilisation { under, .. } if !(*under > 0.0 && *under <= 1.0) => {
                cx.error(
                    format!("{path}.under"),
                    format!("{under} is not a utilisation bound"),
                )
                .hint("utilisation is a fraction in (0, 1], e.g. 0.8");
            }
            _ => {}
        }
    }
}

fn at_least_one(cx: &mut Cx, path: &str, value: u32, what: &str) {
    if value < 1 {
        cx.error(path, format!("needs at least 1 {what}, has {value}"));
    }
}

fn probability_in_range(cx: &mut Cx, path: &str, p: f64) -> bool {
    if (0.0..=1.0).contains(&p) {
        return true;
    }
    cx.error(path, format!("probability {p} is outside [0, 1]"))
        .hint("probabilities are fractions: 0.05 means 5%");
    false
}

fn handler(cx: &mut Cx, path: &str, h: &Handler) {
    distribution(cx, &format!("{path}.latency"), &h.latency);
    probability_in_range(cx, &format!("{path}.fail_probability"), h.fail_probability);
    if !h.outcomes.is_empty() {
        let mut all_valid = true;
        for (i, o) in h.outcomes.iter().enumerate() {
            all_valid &= probability_in_range(
                cx,
                &format!("{path}.outcomes[{i}].probability"),
                o.probability,
            );
        }
        let sum: f64 = h.outcomes.iter().map(|o| o.probability).sum();
        // Shown rounded: 0.9 + 0.05 is 0.9500000000000001 in binary.
        let shown = (sum * 1e9).round() / 1e9;
        if all_valid && (sum - 1.0).abs() > SUM_TOLERANCE {
            let listed = h
                .outcomes
                .iter()
                .map(|o| o.probability.to_string())
                .collect::<Vec<_>>()
                .join(" + ");
            cx.error(
                format!("{path}.outcomes"),
                format!("the alternatives' probabilities sum to {shown}, not 1"),
            )
            .hint(format!(
                "{listed} = {shown}; exactly one outcome happens, so they must add up to 1"
            ));
        }
    }
    let r = &h.retry;
    if r.attempts < 1 {
        cx.error(
            format!("{path}.retry.attempts"),
            "at least 1 attempt is needed",
        )
        .hint("`attempts` counts the first try too: 3 means the first try and 2 retries");
    }
    if !(r.multiplier.is_finite() && r.multiplier >= 1.0) {
        cx.error(
            format!("{path}.retry.multiplier"),
            format!("{} would shrink or break the backoff", r.multiplier),
        )
        .hint("use 1.0 for a constant backoff, 2.0 to double it each time");
    }
}

pub(super) fn distribution(cx: &mut Cx, path: &str, d: &Distribution) {
    match *d {
        Distribution::Constant(_) => {}
        Distribution::Exponential { mean } => {
            if mean.is_zero() {
                cx.error(
                    format!("{path}.mean"),
                    "an exponential needs a mean above zero",
                )
                .hint("for no delay at all use `Constant(\"0s\")`");
            }
        }
        Distribution::Uniform { min, max } => {
            if min > max {
                cx.error(
                    format!("{path}.max"),
                    format!("max {max} is below min {min}"),
                );
            }
        }
        Distribution::LogNormal { p50, p99 } => {
            if p50.is_zero() {
                cx.error(
                    format!("{path}.p50"),
                    "a log-normal needs a median above zero",
                );
            } else if p99 < p50 {
                cx.error(
                    format!("{path}.p99"),
                    format!("p99 {p99} is below p50 {p50}"),
                )
                .hint("the 99th percentile is at least the median");
            }
        }
    }
}

fn rate(cx: &mut Cx, path: &str, r: &Rate) {
    match *r {
        Rate::Poisson { per_sec } | Rate::Constant { per_sec } => {
            if !(per_sec.is_finite() && per_sec > 0.0) {
                cx.error(
                    format!("{path}.per_sec"),
                    format!("{per_sec} is not an arrival rate"),
                )
                .hint("use a number of arrivals per second above zero, e.g. 50.0");
            }
        }
        Rate::Bursts { size, every } => {
            if size == 0 {
                cx.error(format!("{path}.size"), "a burst needs at least 1 item");
            }
            if every.is_zero() {
                cx.error(format!("{path}.every"), "bursts need a period above zero");
            }
        }
    }
}

/// Diagram positions are finite numbers (NaN would not even survive a save and load).
fn positions(cx: &mut Cx) {
    let m = cx.model;
    let nodes = m
        .services
        .iter()
        .map(|s| (ElementKind::Service, "services", s.name.as_str(), s.pos))
        .chain(
            m.topics
                .iter()
                .map(|t| (ElementKind::Topic, "topics", t.name.as_str(), t.pos)),
        )
        .chain(
            m.sagas
                .iter()
                .map(|s| (ElementKind::Saga, "sagas", s.name.as_str(), s.pos)),
        )
        .chain(
            m.stores
                .iter()
                .map(|s| (ElementKind::Store, "stores", s.name.as_str(), s.pos)),
        )
        .chain(m.projections.iter().map(|p| {
            (
                ElementKind::Projection,
                "projections",
                p.name.as_str(),
                p.pos,
            )
        }))
        .chain(
            m.sources
                .iter()
                .map(|s| (ElementKind::Source, "sources", s.name.as_str(), s.pos)),
        );
    for (kind, list, name, pos) in nodes {
        if let Some(p) = pos
            && !(p.x.is_finite() && p.y.is_finite())
        {
            cx.on(kind, name);
            cx.error(
                format!("{list}[{name}].pos"),
                format!("({}, {}) is not a position", p.x, p.y),
            )
            .hint("positions are finite numbers; remove `pos` to have the layout place it");
        }
    }
    cx.off();
}
