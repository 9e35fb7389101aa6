use super::*;
use crate::model::load_file;

/// The choreography example with its services in three domains, its topics in none.
fn choreography() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/order-choreography.ron");
    let mut m = load_file(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
    for s in &mut m.services {
        let d = match s.name.as_str() {
            "payment" => "billing",
            "inventory" | "shipping" => "fulfilment",
            _ => "sales",
        };
        s.domain = Some(d.into());
    }
    m
}

fn events(map: &ContextMap, from: &str, to: &str) -> Vec<String> {
    let (f, t) = (map.by_name(from).unwrap(), map.by_name(to).unwrap());
    map.links
        .iter()
        .find(|l| l.from == f && l.to == t)
        .map(|l| l.messages.iter().map(|(_, n)| n.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_model_without_domains_has_no_map() {
    let m = crate::examples::DEFAULT
        .model()
        .expect("the default example parses");
    assert_eq!(ContextMap::of(&m), ContextMap::default());
}

#[test]
fn domains_are_boxes_and_elements_without_one_are_a_box_too() {
    let map = ContextMap::of(&choreography());
    let names: Vec<&str> = map.boxes.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["billing", "fulfilment", "sales", NO_DOMAIN]);
    let fulfilment = &map.boxes[1];
    assert_eq!(fulfilment.count(ElementKind::Service), 2);
    let loose = &map.boxes[3];
    assert!(loose.loose);
    assert_eq!(loose.count(ElementKind::Topic), 5, "{:?}", loose.members);
}

#[test]
fn links_carry_the_events_one_domain_sends_another() {
    let map = ContextMap::of(&choreography());
    assert_eq!(events(&map, "billing", "fulfilment"), ["PaymentCompleted"]);
    assert_eq!(
        events(&map, "billing", "sales"),
        ["PaymentFailed", "PaymentRefunded"]
    );
    assert_eq!(events(&map, "fulfilment", "billing"), ["OutOfStock"]);
    assert_eq!(events(&map, "fulfilment", "sales"), ["OrderShipped"]);
    // Within a domain (inventory → shipping) nothing is drawn; the sources' orders
    // are the workload, not a domain's message.
    assert!(map.links.iter().all(|l| l.from != l.to));
    assert_eq!(map.links.len(), 4);
}

#[test]
fn commands_cross_as_well_as_events() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/order-saga.ron");
    let mut m = load_file(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
    let orchestrator = m.sagas[0].orchestrator.clone();
    m.sagas[0].domain = Some("sales".into());
    for s in &mut m.services {
        let d = if s.name == orchestrator {
            "sales"
        } else {
            "operations"
        };
        s.domain = Some(d.into());
    }
    let map = ContextMap::of(&m);
    let (sales, ops) = (
        map.by_name("sales").unwrap(),
        map.by_name("operations").unwrap(),
    );
    let commands = map
        .links
        .iter()
        .find(|l| l.from == sales && l.to == ops)
        .expect("the saga's commands cross to operations");
    assert!(
        commands
            .messages
            .contains(&(MessageKind::Command, "ReserveStock".to_owned())),
        "{commands:?}"
    );
}

#[test]
fn boxes_do_not_overlap() {
    let map = ContextMap::of(&choreography());
    for (i, a) in map.boxes.iter().enumerate() {
        for b in &map.boxes[i + 1..] {
            let apart = (a.pos.x - b.pos.x).abs() >= CONTEXT_BOX.0
                || (a.pos.y - b.pos.y).abs() >= CONTEXT_BOX.1;
            assert!(
                apart,
                "{} at {:?} and {} at {:?}",
                a.name, a.pos, b.name, b.pos
            );
        }
    }
}

#[test]
fn the_map_is_the_same_each_time() {
    assert_eq!(
        ContextMap::of(&choreography()),
        ContextMap::of(&choreography())
    );
}

#[test]
fn many_domains_are_packed_about_16_by_10_without_overlaps() {
    // 20 domains: pairs linked by a command, the other twelve alone.
    let mut text = String::from("Model(name: \"many\", services: [");
    for d in 0..20 {
        let send = if d % 5 == 0 {
            format!(
                ", emit: [Send(command: \"C{}\", to: \"s{}\")]",
                d + 1,
                d + 1
            )
        } else {
            String::new()
        };
        text.push_str(&format!(
            "Service(name: \"s{d}\", domain: \"d{d:02}\", handlers: [Handler(on: Command(\"C{d}\"), latency: Constant(\"1ms\"){send})]),"
        ));
    }
    text.push_str("])");
    let m = crate::model::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let map = ContextMap::of(&m);
    assert_eq!(map.boxes.len(), 20);
    assert_eq!(map.links.len(), 4);
    for (i, a) in map.boxes.iter().enumerate() {
        for b in &map.boxes[i + 1..] {
            let apart = (a.pos.x - b.pos.x).abs() >= CONTEXT_BOX.0
                || (a.pos.y - b.pos.y).abs() >= CONTEXT_BOX.1;
            assert!(
                apart,
                "{} at {:?} and {} at {:?}",
                a.name, a.pos, b.name, b.pos
            );
        }
    }
    let w = map.boxes.iter().map(|b| b.pos.x).fold(0.0, f32::max) + CONTEXT_BOX.0;
    let h = map.boxes.iter().map(|b| b.pos.y).fold(0.0, f32::max) + CONTEXT_BOX.1;
    let aspect = w / h;
    assert!((1.0..=3.0).contains(&aspect), "{w} × {h}");
}
