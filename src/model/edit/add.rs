//! Adding elements: a fresh name and sensible defaults. A new element may refer to
//! nothing yet (a projection of no store when there is none); validation then reports
//! what is missing, and the editor shows it.

use super::{events_on_topic, fresh_command_name, pascal, unique};
use crate::model::{
    Action, Distribution, Duration, ElementKind, ElementRef, EventStore, EventType, Model, Pos,
    Projection, Rate, Saga, Service, Source, Topic, Trigger,
};

/// The short word new elements of a kind are named after.
fn word(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Event => "event",
        ElementKind::Topic => "topic",
        ElementKind::Service => "service",
        ElementKind::Saga => "saga",
        ElementKind::Store => "store",
        ElementKind::Projection => "projection",
        ElementKind::Source => "source",
    }
}

/// A fresh, unused name for a new element of `kind`: "service", "service-2",
/// "service-3"… (topic, saga, store, projection, source, event likewise).
pub fn fresh_name(model: &Model, kind: ElementKind) -> String {
    unique(word(kind), "-", |n| {
        model.contains(&ElementRef::new(kind, n))
    })
}

/// Add a new element of `kind` at `pos` with a fresh name and sensible defaults;
/// returns it.
///
/// - service: 1 instance × 1 worker, no handlers;
/// - topic: 3 partitions;
/// - saga: run by the first service (or `""`), started by a new command
///   `Start<Name>`, no steps yet;
/// - event store: the aggregate named after the store (`"Store2"`);
/// - projection: follows the first store (or `""`), 5 ms per update;
/// - source: Poisson 10/s, publishing the first event seen on the first topic (or the
///   first event, or `""`) to the first topic (or `""`);
/// - event type: version 1, state transfer, 256 bytes (events have no position).
///
/// A position that is not finite is left out, so the model always round-trips
/// through `to_ron`/`parse`.
pub fn add_element(model: &mut Model, kind: ElementKind, pos: Option<Pos>) -> ElementRef {
    let name = fresh_name(model, kind);
    let pos = pos.filter(|p| p.x.is_finite() && p.y.is_finite());
    match kind {
        ElementKind::Event => model.events.push(EventType::new(&name)),
        ElementKind::Topic => model.topics.push(Topic {
            partitions: 3,
            pos,
            ..Topic::new(&name)
        }),
        ElementKind::Service => model.services.push(Service {
            pos,
            ..Service::new(&name)
        }),
        ElementKind::Saga => {
            let orchestrator = model
                .services
                .first()
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let start = fresh_command_name(model, &format!("Start{}", pascal(&name, "Saga")));
            model.sagas.push(Saga {
                pos,
                ..Saga::new(&name, orchestrator, Trigger::Command(start))
            });
        }
        ElementKind::Store => model.stores.push(EventStore {
            pos,
            ..EventStore::new(&name, pascal(&name, "Aggregate"))
        }),
        ElementKind::Projection => {
            let store = model
                .stores
                .first()
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let update = Distribution::Constant(Duration::from_millis(5));
            model.projections.push(Projection {
                pos,
                ..Projection::new(&name, store, update)
            });
        }
        ElementKind::Source => {
            let topic = model
                .topics
                .first()
                .map(|t| t.name.clone())
                .unwrap_or_default();
            let event = events_on_topic(model, &topic)
                .into_iter()
                .next()
                .or_else(|| model.events.first().map(|e| e.name.clone()))
                .unwrap_or_default();
            let emit = Action::Publish {
                event,
                topic,
                version: None,
            };
            model.sources.push(Source {
                pos,
                ..Source::new(&name, emit, Rate::Poisson { per_sec: 10.0 })
            });
        }
    }
    ElementRef::new(kind, name)
}
