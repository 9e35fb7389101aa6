//! Upper bounds: values no real system has, which would make a run allocate without
//! end or never finish (4,294,967,295 partitions, 1e308 arrivals a second). Each
//! message says the bound and why it is there. What a run may cost as a whole is
//! the run budget's to judge (`sim::budget`), not validation's.

use super::Cx;
use crate::model::{ElementKind, Rate};

/// Most partitions of one topic. Kafka advises some 4,000 partitions per broker and
/// 200,000 per cluster; one topic beyond 100,000 is not a design, and the engine keeps
/// per partition and consumer group an offset and a lag series.
pub const MAX_PARTITIONS: u32 = 100_000;
/// Most arrivals a second of one source: the engine's clock ticks in nanoseconds, so
/// more than one arrival per nanosecond cannot be told apart.
pub const MAX_RATE_PER_SEC: f64 = 1e9;
/// Most items in one burst: a burst is one engine event, which does all its items'
/// work at once, so a huge one could not be interrupted by a run budget.
pub const MAX_BURST: u32 = 1_000_000;
/// Most attempts of a retry policy (the first included), and most re-sends of a saga
/// step: a client that retries more than 10,000 times is a loop, not a policy.
pub const MAX_ATTEMPTS: u32 = 10_000;

/// Every bound, element by element in model order.
pub(super) fn check(cx: &mut Cx) {
    let m = cx.model;
    for t in &m.topics {
        cx.on(ElementKind::Topic, &t.name);
        if t.partitions > MAX_PARTITIONS {
            cx.error(
                format!("topics[{}].partitions", t.name),
                format!(
                    "{} partitions is more than the {MAX_PARTITIONS} one topic may have \
                     (Kafka advises at most 200,000 in a whole cluster)",
                    t.partitions
                ),
            )
            .hint("partitions bound a consumer group's parallelism: a few times its instances is plenty");
        }
    }
    for s in &m.services {
        cx.on(ElementKind::Service, &s.name);
        for (i, h) in s.handlers.iter().enumerate() {
            if h.retry.attempts > MAX_ATTEMPTS {
                cx.error(
                    format!("services[{}].handlers[{i}].retry.attempts", s.name),
                    format!(
                        "{} attempts is more than the {MAX_ATTEMPTS} a retry policy may have",
                        h.retry.attempts
                    ),
                )
                .hint("give up sooner and dead-letter the message");
            }
        }
    }
    for g in &m.sagas {
        cx.on(ElementKind::Saga, &g.name);
        for s in &g.steps {
            if s.retries >= MAX_ATTEMPTS {
                cx.error(
                    format!("sagas[{}].steps[{}].retries", g.name, s.name),
                    format!(
                        "{} re-sends is more than the {} a step may have",
                        s.retries,
                        MAX_ATTEMPTS - 1
                    ),
                );
            }
        }
    }
    for s in &m.sources {
        cx.on(ElementKind::Source, &s.name);
        rate(cx, &format!("sources[{}].rate", s.name), &s.rate);
    }
    cx.off();
}

fn rate(cx: &mut Cx, path: &str, r: &Rate) {
    match *r {
        Rate::Poisson { per_sec } | Rate::Constant { per_sec } => {
            if per_sec.is_finite() && per_sec > MAX_RATE_PER_SEC {
                cx.error(
                    format!("{path}.per_sec"),
                    format!(
                        "{per_sec:e} arrivals a second is more than one a nanosecond, the \
                         engine's time step (at most {MAX_RATE_PER_SEC:e})"
                    ),
                );
            }
        }
        Rate::Bursts { size, every } => {
            if size > MAX_BURST {
                cx.error(
                    format!("{path}.size"),
                    format!(
                        "a burst of {size} items is more than the {MAX_BURST} one burst may \
                         have (a burst is one engine event)"
                    ),
                )
                .hint("use smaller, more frequent bursts");
            } else if !every.is_zero() && r.mean_per_sec() > MAX_RATE_PER_SEC {
                cx.error(
                    format!("{path}.every"),
                    format!(
                        "{size} items every {every} is more than one arrival a nanosecond, \
                         the engine's time step"
                    ),
                );
            }
        }
    }
}
