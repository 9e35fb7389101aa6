//! The overlay's arrows against the engine: every hop the engine reports lands on
//! the arrow into its receiver; tokens advance through their hop; traffic is a rate.

use super::tokens::{self, progress};
use super::*;
use crate::diagram::EdgeKind;
use crate::examples;
use crate::model::{Duration, ElementKind, Fault, FaultKind};
use crate::sim::{SimTime, Token};

fn playback(model: &Model, secs: f64) -> Playback {
    let mut p = Playback::new(model, None).unwrap();
    p.seek(SimTime::from_nanos((secs * 1e9) as u64));
    p
}

#[test]
fn tokens_run_along_a_bent_arrow() {
    let path = [
        Pos2::new(0.0, 0.0),
        Pos2::new(10.0, 0.0),
        Pos2::new(10.0, 30.0),
    ];
    assert_eq!(along(&path, 0.0), Pos2::new(0.0, 0.0));
    assert_eq!(along(&path, 0.25), Pos2::new(10.0, 0.0));
    assert_eq!(along(&path, 0.5), Pos2::new(10.0, 10.0));
    assert_eq!(along(&path, 1.0), Pos2::new(10.0, 30.0));
}

/// Every hop with messages on it, in every example (a delay fault added so that
/// held publishes occur too), is drawn on an arrow that ends at its receiver.
#[test]
fn every_hop_lands_on_the_arrow_into_its_receiver() {
    let mut kinds = std::collections::HashSet::new();
    for e in examples::ALL {
        let mut model = e.model().unwrap();
        model.duration = Duration::from_secs(60);
        if e.name == "saga" {
            // A participant down for a while: the saga's commands wait in its queue.
            model.faults.push(Fault {
                kind: FaultKind::SlowDown {
                    service: "payment".into(),
                    factor: 20.0,
                },
                at: Duration::from_secs(30),
                lasting: Duration::from_secs(10),
            });
        }
        if let Some(topic) = model.topics.first() {
            model.faults.push(Fault {
                kind: FaultKind::Delay {
                    topic: topic.name.clone(),
                    extra: Duration::from_millis(500),
                },
                at: Duration::from_secs(20),
                lasting: Duration::from_secs(5),
            });
        }
        let canvas = Canvas::new(&model);
        let mut state = OverlayState::default();
        for secs in [0.3, 5.0, 21.0, 22.5, 36.0, 39.0, 50.0] {
            let p = playback(&model, secs);
            let plan = p.sim().plan();
            for load in p.sim().in_flight(5) {
                let arrow = state
                    .hop_arrow(&canvas, plan, load.hop)
                    .unwrap_or_else(|| panic!("{}: no arrow for {:?}", e.name, load.hop));
                let edge = &canvas.arch.edges[arrow];
                let head = &canvas.arch.nodes[edge.to].element;
                let ok = match load.hop {
                    Hop::Group(g) => {
                        let gp = &plan.groups[g.index()];
                        edge.kind == EdgeKind::Consume
                            && (head.name == plan.services[gp.service].name
                                || head.kind == ElementKind::Saga)
                    }
                    Hop::Request { service, saga, .. } => {
                        head.name == plan.services[service].name
                            || saga.is_some_and(|s| head.name == plan.sagas[s].name)
                            || plan
                                .sagas
                                .iter()
                                .any(|s| s.orchestrator == service && s.name == head.name)
                    }
                    Hop::Held { topic, .. } => head.name == plan.topics[topic].name,
                    Hop::Projection(pr) => head.name == plan.projections[pr].name,
                };
                assert!(ok, "{}: {:?} drawn on {edge:?}", e.name, load.hop);
                kinds.insert(std::mem::discriminant(&load.hop));
            }
        }
    }
    // Groups, requests, held publishes and projections were all seen.
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

/// A message due at a known time moves from tail to head as its hop passes; waiting
/// ones queue from the head backwards, the oldest first.
#[test]
fn tokens_advance_through_their_hop() {
    let s = SimTime::from_nanos;
    let held = Token {
        since: s(1_000),
        due: Some(s(2_000)),
    };
    assert_eq!(progress(&held, 0, s(1_000)), 0.0);
    assert_eq!(progress(&held, 0, s(1_500)), 0.5);
    assert_eq!(progress(&held, 3, s(2_000)), 1.0);
    let waiting = Token {
        since: s(0),
        due: None,
    };
    let places: Vec<f32> = (0..5).map(|r| progress(&waiting, r, s(9))).collect();
    assert!(
        places.windows(2).all(|w| w[0] > w[1]) && places[4] > 0.0,
        "{places:?}"
    );
}

/// The band's width is the arrow's traffic per simulated second: averaged over
/// many instants, the source's arrow carries the source's rate.
#[test]
fn traffic_is_messages_per_simulated_second() {
    let mut model = examples::find("choreography").unwrap().model().unwrap();
    model.duration = Duration::from_secs(120);
    let rate = model.sources[0].rate.mean_per_sec();
    let canvas = Canvas::new(&model);
    let mut state = OverlayState::default();
    let mut p = Playback::new(&model, None).unwrap();
    let source = canvas
        .arch
        .node(&crate::model::ElementRef::new(
            ElementKind::Source,
            &model.sources[0].name,
        ))
        .unwrap();
    let mut sum = 0.0;
    let n = 40;
    for k in 1..=n {
        // Half-way between seconds: no window holds the flash sale's burst at 60 s.
        p.seek(SimTime::from_nanos(k * 2_000_000_000 + 1_500_000_000));
        let traffic = tokens::traffic(&mut state, &canvas, &model, &p);
        sum += traffic
            .iter()
            .filter(|(i, _)| canvas.arch.edges[**i].from == source)
            .map(|(_, r)| r)
            .sum::<f64>();
    }
    let mean = sum / n as f64;
    assert!(
        (mean - rate).abs() < 0.2 * rate,
        "measured {mean}/s, source {rate}/s"
    );
    assert!(tokens::band_width(1.0, 1.0) < tokens::band_width(1000.0, 1.0));
}
