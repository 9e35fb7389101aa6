//! The importer on small documents: what each construct becomes, and the errors.

use super::{ImportError, from_yaml, import};
use crate::model::{Action, Severity, Trigger, validate};

fn doc(version: &str, channels: &str, operations: &str) -> String {
    format!(
        "asyncapi: {version}\ninfo:\n  title: App\n  version: 1.0.0\nchannels:\n{channels}\noperations:\n{operations}\n"
    )
}

const ORDERS: &str = "  orders:
    address: orders
    messages:
      OrderPlaced:
        $ref: '#/components/messages/OrderPlaced'
    bindings:
      kafka:
        partitions: 4
        topicConfiguration:
          retention.ms: -1
";

fn with_components(d: String) -> String {
    d + "components:\n  messages:\n    OrderPlaced:\n      name: OrderPlaced\n      payload:\n        type: object\n"
}

fn document_error(src: &str) -> (String, String) {
    match from_yaml(src) {
        Err(ImportError::Document { path, message, .. }) => (path, message),
        other => panic!("expected a document error, got {other:?}"),
    }
}

#[test]
fn a_receive_is_a_handler_in_the_bindings_group_and_the_topic_keeps_its_partitions() {
    let src = with_components(doc(
        "3.0.0",
        ORDERS,
        "  billing:
    action: receive
    channel:
      $ref: '#/channels/orders'
    bindings:
      kafka:
        groupId:
          type: string
          enum: [billing-workers]
",
    ));
    let m = from_yaml(&src).unwrap();
    let t = m.topic("orders").unwrap();
    assert_eq!(t.partitions, 4);
    assert_eq!(t.retention, None, "retention.ms -1 is kept forever");
    let s = m
        .service("App")
        .expect("the document's title names the service");
    assert_eq!(
        s.handlers[0].on,
        Trigger::Event {
            event: "OrderPlaced".into(),
            topic: "orders".into(),
            group: Some("billing-workers".into()),
            version: None,
        }
    );
    // Nothing publishes OrderPlaced, so a source does and the model runs.
    assert_eq!(m.sources.len(), 1);
    assert_eq!(m.sources[0].name, "OrderPlaced producer");
    let errors: Vec<_> = validate(&m)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_service_that_only_sends_becomes_a_source_and_tags_name_services() {
    let src = with_components(doc(
        "3.1.0",
        ORDERS,
        "  place:
    action: send
    channel:
      $ref: '#/channels/orders'
    tags:
      - name: shop
  take:
    action: receive
    channel:
      $ref: '#/channels/orders'
    tags:
      - name: billing
",
    ));
    let imported = import(&src).unwrap();
    let m = &imported.model;
    assert!(m.service("shop").is_none(), "a pure sender is a source");
    assert_eq!(m.sources.len(), 1);
    assert_eq!(m.sources[0].name, "shop");
    assert_eq!(
        m.sources[0].emit,
        Action::Publish {
            event: "OrderPlaced".into(),
            topic: "orders".into(),
            version: None
        }
    );
    assert!(m.service("billing").is_some());
    let text = imported.to_ron().unwrap();
    assert!(text.starts_with("// Imported from an AsyncAPI document"));
    assert!(text.contains("//   - sources (shop): Poisson 10 a second each"));
    assert_eq!(
        crate::model::parse(&text).unwrap(),
        *m,
        "comments parse away"
    );
}

#[test]
fn sends_that_would_loop_for_ever_become_conditional() {
    // One service reads orders and writes orders: every message would come back.
    let src = with_components(doc(
        "3.0.0",
        ORDERS,
        "  take:
    action: receive
    channel:
      $ref: '#/channels/orders'
  put:
    action: send
    channel:
      $ref: '#/channels/orders'
",
    ));
    let imported = import(&src).unwrap();
    let h = &imported.model.services[0].handlers[0];
    assert!(h.emit.is_empty());
    assert_eq!(h.outcomes.len(), 2);
    assert!(imported.notes.iter().any(|n| n.contains("loop back")));
    assert!(
        validate(&imported.model)
            .iter()
            .all(|p| p.severity != Severity::Error)
    );
}

#[test]
fn json_is_yaml_too() {
    let src = r#"{"asyncapi": "3.0.0", "info": {"title": "J", "version": "1"},
        "channels": {"c": {"address": "c", "messages": {"E": {"payload": {"type": "object"}}}}}}"#;
    let m = from_yaml(src).unwrap();
    assert_eq!(m.topics[0].name, "c");
    assert_eq!(m.events[0].name, "E");
}

#[test]
fn version_2_is_refused_with_what_is_needed() {
    let (path, message) =
        document_error("asyncapi: 2.6.0\ninfo:\n  title: Old\n  version: 1.0.0\nchannels: {}\n");
    assert_eq!(path, "asyncapi");
    assert!(message.contains("2.6.0"), "{message}");
    assert!(message.contains("3.0 or 3.1 is needed"), "{message}");
    let (_, message) = document_error("info:\n  title: x\n");
    assert!(message.contains("not an AsyncAPI document"), "{message}");
}

#[test]
fn yaml_errors_say_line_and_column() {
    let src = "asyncapi: 3.0.0\ninfo:\n  title: x\n  version: 1\nchannels:\n  a:\n    address: a\n   messages: {}\n";
    match from_yaml(src) {
        Err(ImportError::Syntax(e)) => {
            assert_eq!((e.line, e.col), (8, 4), "{e}");
            let shown = ImportError::Syntax(e).render("doc.yaml", src, false);
            assert!(shown.contains("doc.yaml:8:4"), "{shown}");
            assert!(shown.contains("messages: {}"), "quotes the line: {shown}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn semantic_errors_name_the_path_in_the_document() {
    let (path, message) = document_error(&doc("3.0.0", "  orders:\n    title: x\n", "  {}"));
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("channels.orders", "no address")
    );

    let (path, message) = document_error(&doc(
        "3.0.0",
        "  orders:\n    address: orders\n    messages:\n      E:\n        $ref: '#/components/messages/Nope'\n",
        "  {}",
    ));
    assert_eq!(path, "channels.orders.messages.E");
    assert!(message.contains("does not resolve"), "{message}");

    let (path, message) = document_error(&with_components(doc(
        "3.0.0",
        ORDERS,
        "  o:\n    action: send\n    channel:\n      $ref: '#/channels/ordres'\n",
    )));
    assert_eq!(path, "operations.o.channel");
    assert!(message.contains("#/channels/ordres"), "{message}");

    let (path, message) = document_error(&with_components(doc(
        "3.0.0",
        ORDERS,
        "  o:\n    action: publish\n    channel:\n      $ref: '#/channels/orders'\n",
    )));
    assert_eq!(path, "operations.o.action");
    assert!(message.contains("send` or `receive"), "{message}");

    let (path, message) = document_error(&doc(
        "3.0.0",
        "  a:\n    $ref: '#/channels/b'\n  b:\n    $ref: '#/channels/a'\n",
        "  {}",
    ));
    assert_eq!(path, "channels.a");
    assert!(message.contains("circle"), "{message}");

    let (_, message) = document_error(&doc(
        "3.0.0",
        "  a:\n    $ref: 'other.yaml#/channels/a'\n",
        "  {}",
    ));
    assert!(message.contains("outside the document"), "{message}");
}
