use super::*;
use crate::model::{parse, to_ron, validate};

fn model(services: usize, domains: usize) -> Model {
    Enterprise::new(services, domains).unwrap().model()
}

#[test]
fn pipelines_of_ten_with_a_source_each_and_up_to_twenty_sagas() {
    let m = model(1000, 20);
    assert_eq!(m.name, "Enterprise (1000 services, 20 domains)");
    assert_eq!((m.services.len(), m.topics.len()), (1000, 1000));
    assert_eq!((m.events.len(), m.sources.len()), (1100, 100));
    assert_eq!(m.sagas.len(), 20);
    assert_eq!(m.duration, Duration::from_secs(1));
    // Rounded up to whole pipelines; a single pipeline has no saga.
    assert_eq!(model(95, 3).services.len(), 100);
    assert_eq!(model(10, 1).sagas.len(), 0);
    assert_eq!(model(60, 2).sagas.len(), 2);
    let s = m.service("p3-s4").unwrap();
    assert_eq!(s.domain.as_deref(), Some("domain-03"));
    assert_eq!(s.handlers[0].on, Trigger::event("E3x4", "p3.t4"));
    assert_eq!(s.handlers[0].emit, vec![publish(3, 5)]);
    assert!(m.service("p3-s9").unwrap().handlers[0].emit.is_empty());
    assert_eq!(m.topic("p3.t4").unwrap().partitions, 4);
}

#[test]
fn a_saga_commands_a_service_of_the_next_domain() {
    let m = model(1000, 20);
    let saga = &m.sagas[3];
    assert_eq!(saga.orchestrator, "p15-s5");
    assert_eq!(saga.domain.as_deref(), Some("domain-15"));
    let step = &saga.steps[0];
    let participant = m.service(&step.service).unwrap();
    assert_eq!(participant.domain.as_deref(), Some("domain-16"));
    let handler = participant.handler_for_request(&step.command).unwrap();
    let replies: Vec<_> = handler.replies().collect();
    assert_eq!(replies, ["Reserved3", "Refused3"]);
    // The last orchestrator of a small model wraps round to the first pipeline.
    let m = model(60, 2);
    assert_eq!(m.sagas[1].steps[0].service, "p0-s9");
}

#[test]
fn the_model_is_valid_indexable_and_saved_the_same_every_time() {
    for (n, d) in [(10, 1), (100, 20), (1000, 20), (130, 4)] {
        let m = model(n, d);
        assert_eq!(validate(&m), vec![], "{n} services, {d} domains");
        let text = to_ron(&m).unwrap();
        assert_eq!(parse(&text).unwrap(), m);
        assert_eq!(to_ron(&model(n, d)).unwrap(), text);
    }
    let seeded = Enterprise::new(100, 2).unwrap().with_seed(7).model();
    assert_eq!(seeded.seed, 7);
}

#[test]
fn sizes_out_of_range_are_refused() {
    assert_eq!(Enterprise::new(0, 20), Err(SizeError::Services(0)));
    assert_eq!(
        Enterprise::new(MAX_SERVICES + 1, 20),
        Err(SizeError::Services(MAX_SERVICES + 1))
    );
    assert_eq!(Enterprise::new(100, 0), Err(SizeError::Domains(0)));
    assert_eq!(
        SizeError::Domains(0).to_string(),
        "--domains must be from 1 to 1000, not 0"
    );
    assert!(Enterprise::new(MAX_SERVICES, MAX_DOMAINS).is_ok());
}
