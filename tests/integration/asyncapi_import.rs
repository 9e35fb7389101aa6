//! AsyncAPI both ways: the export's Kafka bindings, `eventscape import asyncapi` on
//! every example's export (the round trip), on hand-written 3.0 and 3.1 documents, and
//! on documents it cannot use.
//!
//! The round trip is checked two ways. (1) export → import → export gives the same
//! document up to what AsyncAPI cannot carry: sagas. A saga's operations are the
//! orchestrator's, marked `x-eventscape-saga` and titled "checkout (saga checkout)
//! sends to …"; the import makes the orchestrator a plain service (AsyncAPI has no
//! steps or compensations), so those two fields are removed before comparing the
//! parsed documents (semantic equality: every channel, binding, operation, message
//! and reference is compared). (2) After one import the document is a fixed point:
//! import → export of the second document gives it back byte for byte.

use std::path::Path;

use eventscape::examples::ALL;
use eventscape::export::asyncapi;
use eventscape::import::asyncapi::{ImportError, from_yaml, import};
use eventscape::model::{Severity, Trigger, effective_group, validate};
use eventscape::sim::{RunOptions, Simulation};
use serde_yaml_ng::Value;

use super::{eventscape, root};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/asyncapi").join(name)).unwrap()
}

/// The document without what only a saga gives (see the module documentation).
fn without_sagas(doc: &str) -> Value {
    let mut v: Value = serde_yaml_ng::from_str(doc).unwrap();
    if let Some(ops) = v.get_mut("operations").and_then(Value::as_mapping_mut) {
        for (_, op) in ops.iter_mut() {
            if let Some(op) = op.as_mapping_mut() {
                op.remove("x-eventscape-saga");
                op.remove("title");
            }
        }
    }
    v
}

#[test]
fn every_example_round_trips_through_import() {
    for e in ALL {
        let model = e.model().unwrap();
        let first = asyncapi(&model);
        let imported = from_yaml(&first).unwrap_or_else(|err| panic!("{}: {err}", e.name));
        let problems = validate(&imported);
        assert!(
            problems.is_empty(),
            "{}: the imported model is not clean: {problems:?}",
            e.name
        );
        // What an event means for the process survives the trip.
        for ev in &model.events {
            let back = imported.event(&ev.name);
            assert_eq!(
                back.map(|b| (b.failure, b.compensates.clone())),
                Some((ev.failure, ev.compensates.clone())),
                "{}: {}'s failure mark or compensation was lost",
                e.name,
                ev.name
            );
        }
        let second = asyncapi(&imported);
        assert_eq!(
            without_sagas(&first),
            without_sagas(&second),
            "{}: export → import → export changed the document",
            e.name
        );
        if model.sagas.is_empty() {
            assert_eq!(first, second, "{}: without sagas, byte for byte", e.name);
        }
        let third = asyncapi(&from_yaml(&second).unwrap());
        assert_eq!(second, third, "{}: not a fixed point", e.name);

        // The imported model runs.
        let mut sim = Simulation::new(&imported, RunOptions::default()).unwrap();
        sim.run();
        let handled: u64 = sim.stats().services.iter().map(|s| s.completed).sum();
        assert!(handled > 0, "{}: nothing handled", e.name);
    }
}

#[test]
fn the_export_uses_the_standard_kafka_bindings() {
    for e in ALL {
        let model = e.model().unwrap();
        let doc: Value = serde_yaml_ng::from_str(&asyncapi(&model)).unwrap();
        let server = &doc["servers"]["kafka"];
        assert_eq!(server["protocol"], "kafka");
        assert_eq!(server["host"], "localhost:9092");
        let channels = doc["channels"].as_mapping().unwrap();
        for t in &model.topics {
            let c = channels
                .values()
                .find(|c| c["address"] == t.name.as_str())
                .unwrap();
            let k = &c["bindings"]["kafka"];
            assert_eq!(k["topic"], t.name.as_str());
            assert_eq!(k["partitions"], t.partitions);
            assert_eq!(k["bindingVersion"], "0.5.0");
            let ms = t
                .retention
                .map_or(-1, |r| (r.as_nanos() / 1_000_000) as i64);
            assert_eq!(k["topicConfiguration"]["retention.ms"], ms);
            assert!(c.get("x-partitions").is_none(), "the binding replaces it");
        }
        // Every subscription's consumer group is its operation's groupId.
        let ops = doc["operations"].as_mapping().unwrap();
        for s in &model.services {
            for h in &s.handlers {
                let Trigger::Event { topic, group, .. } = &h.on else {
                    continue;
                };
                let g = effective_group(group.as_deref(), &s.name);
                let found = ops.values().any(|op| {
                    op["action"] == "receive"
                        && op["x-eventscape-service"] == s.name.as_str()
                        && op["bindings"]["kafka"]["groupId"]["enum"][0] == g
                        && channels.iter().any(|(key, c)| {
                            c["address"] == topic.as_str()
                                && op["channel"]["$ref"]
                                    == format!("#/channels/{}", key.as_str().unwrap()).as_str()
                        })
                });
                assert!(found, "{}: no receive of {} in group {g}", e.name, s.name);
                assert!(ops.values().all(|op| op.get("x-consumer-group").is_none()));
            }
        }
        // Events on keyed topics carry the key's schema in their message binding.
        for t in model.topics.iter().filter(|t| t.key.is_some()) {
            let c = channels
                .values()
                .find(|c| c["address"] == t.name.as_str())
                .unwrap();
            for (key, _) in c["messages"].as_mapping().unwrap() {
                let m = &doc["components"]["messages"][key.as_str().unwrap()];
                let title = m["bindings"]["kafka"]["key"]["title"].as_str().unwrap();
                assert!(
                    title.contains(t.key.as_deref().unwrap()),
                    "{}: {title}",
                    e.name
                );
            }
        }
    }
}

#[test]
fn a_hand_written_3_0_document_imports() {
    let imported = import(&fixture("streetlights-3.0.yaml")).unwrap();
    let m = &imported.model;
    assert_eq!(m.name, "Streetlights Kafka API");
    let measured = m
        .topic("smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured")
        .unwrap();
    assert_eq!(measured.partitions, 12);
    assert_eq!(measured.key.as_deref(), Some("streetlightId"));
    assert_eq!(measured.retention.map(|r| r.to_string()), Some("1d".into()));
    // One application: the document's title; it reads in the binding's group and
    // sends the turn-on/off commands (events on their topics).
    let app = m.service("Streetlights Kafka API").unwrap();
    assert_eq!(app.handlers.len(), 1);
    assert!(matches!(&app.handlers[0].on,
        Trigger::Event { group: Some(g), .. } if g == "streetlights-monitor"));
    assert_eq!(app.handlers[0].emit.len(), 2);
    assert_eq!(
        m.events.len(),
        2,
        "turnOnOff is one message on two channels"
    );
    assert_eq!(m.sources[0].name, "lightMeasured producer");
    assert!(imported.notes.iter().any(|n| n.contains("payload schemas")));
    assert!(validate(m).is_empty(), "{:?}", validate(m));
}

#[test]
fn a_hand_written_3_1_document_with_several_services_imports() {
    let m = from_yaml(&fixture("shop-3.1.yaml")).unwrap();
    let names: Vec<&str> = m.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["payments", "shipping", "notifications"],
        "one per tag"
    );
    // The channel behind a components/channels $ref.
    let orders = m.topic("shop.orders").unwrap();
    assert_eq!(
        (orders.partitions, orders.key.as_deref()),
        (6, Some("orderId"))
    );
    assert_eq!(m.topic("shop.payments").unwrap().partitions, 3);
    let payments = m.service("payments").unwrap();
    assert!(matches!(&payments.handlers[0].on,
        Trigger::Event { group: Some(g), .. } if g == "payments-workers"));
    // storefront only sends: it is the workload.
    assert_eq!(m.sources.len(), 1);
    assert_eq!(m.sources[0].name, "storefront");
    // Shipping takes only PaymentSucceeded; notifications the whole channel.
    assert_eq!(m.service("shipping").unwrap().handlers.len(), 1);
    assert_eq!(m.service("notifications").unwrap().handlers.len(), 2);
    assert_eq!(
        m.events
            .iter()
            .find(|e| e.name == "OrderPlaced")
            .unwrap()
            .description,
        "A customer placed an order."
    );
    assert!(
        validate(&m).iter().all(|p| p.severity != Severity::Error),
        "{:?}",
        validate(&m)
    );
}

#[test]
fn the_command_writes_a_model_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["streetlights-3.0.yaml", "shop-3.1.yaml"] {
        let out = dir.path().join(format!("{f}.ron"));
        let input = Path::new("tests/fixtures/asyncapi").join(f);
        let o = eventscape(&[
            "import",
            "asyncapi",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{f}: {stderr}");
        assert!(stderr.contains("wrote"), "{stderr}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("// Imported from an AsyncAPI document"));
        assert!(
            text.contains("Exponential(mean: \"10ms\")"),
            "defaults named"
        );
        let check = eventscape(&["check", out.to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{f}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

#[test]
fn documents_it_cannot_use_are_errors_that_say_where() {
    let cases = [
        (
            "petstore-2.6.yaml",
            "asyncapi: version 2.6.0 is not supported: AsyncAPI 3.0 or 3.1 is needed",
        ),
        ("broken-yaml.yaml", "broken-yaml.yaml:8:4: not valid YAML"),
        (
            "no-address.yaml",
            "no-address.yaml: channels.orders: no address",
        ),
        (
            "dangling-ref.yaml",
            "channels.orders.messages.OrderPlaced: $ref \"#/components/messages/OrderPlacd\" does not resolve",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (f, said) in cases {
        let out = dir.path().join("m.ron");
        let input = format!("tests/fixtures/asyncapi/{f}");
        let o = eventscape(&["import", "asyncapi", &input, "-o", out.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{f}: {stderr}");
        assert!(stderr.contains(said), "{f}: {stderr}");
        assert!(!out.exists(), "{f}: nothing written");
    }
    // The library gives the same, typed.
    assert!(matches!(
        from_yaml(&fixture("broken-yaml.yaml")),
        Err(ImportError::Syntax(e)) if e.line == 8
    ));
}

/// File > Import AsyncAPI… in the app, with the file dialog answered by the test.
#[cfg(feature = "gui")]
mod app {
    use std::cell::RefCell;
    use std::path::PathBuf;
    use std::rc::Rc;

    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use eventscape::app::{Command, Dialogs, Document, EventscapeApp};
    use eventscape::examples::DEFAULT;

    use super::root;

    /// Answers the import dialog with the next path of its list.
    #[derive(Clone, Default)]
    struct Scripted(Rc<RefCell<Vec<Option<PathBuf>>>>);

    impl Dialogs for Scripted {
        fn open(&mut self) -> Option<PathBuf> {
            panic!("the import uses its own dialog")
        }
        fn save_as(&mut self, _suggested: &str) -> Option<PathBuf> {
            None
        }
        fn open_asyncapi(&mut self) -> Option<PathBuf> {
            self.0.borrow_mut().remove(0)
        }
    }

    fn app() -> (Harness<'static, EventscapeApp>, Scripted) {
        let dialogs = Scripted::default();
        let app = EventscapeApp::with_dialogs(
            Document::new(DEFAULT.model().unwrap(), None),
            Box::new(dialogs.clone()),
        );
        let harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(|ui, app: &mut EventscapeApp| app.window_ui(ui), app);
        (harness, dialogs)
    }

    fn fixture(name: &str) -> Option<PathBuf> {
        Some(root().join("tests/fixtures/asyncapi").join(name))
    }

    #[test]
    fn the_import_command_opens_the_document_as_a_new_untitled_model() {
        let (mut h, dialogs) = app();
        dialogs.0.borrow_mut().push(fixture("shop-3.1.yaml"));
        // From the File menu, as a user would.
        h.get_by_label("File").click();
        h.run_steps(2);
        h.get_by_label_contains("Import AsyncAPI...").click();
        h.run_steps(3);
        let doc = h.state().document();
        assert_eq!(doc.model.name, "Shop events");
        assert!(doc.path.is_none(), "a new, untitled document");
        assert_eq!(doc.model.services.len(), 3);
        h.get_by_label_contains("Imported");
        h.get_by_label("No problems");

        // A cancelled dialog changes nothing.
        dialogs.0.borrow_mut().push(None);
        h.state_mut().send(Command::ImportAsyncapi);
        h.run_steps(2);
        assert_eq!(h.state().document().model.name, "Shop events");
    }

    #[test]
    fn a_document_it_cannot_use_is_shown_with_its_line_and_the_model_stays() {
        let (mut h, dialogs) = app();
        dialogs.0.borrow_mut().push(fixture("broken-yaml.yaml"));
        h.state_mut().send(Command::ImportAsyncapi);
        h.run_steps(3);
        assert_eq!(
            h.state().document().model.name,
            DEFAULT.model().unwrap().name
        );
        h.get_by_label("The file could not be opened");
        h.get_by_label_contains("broken-yaml.yaml:8:4: not valid YAML");
    }
}
