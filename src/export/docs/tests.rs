//! Every example through every document: deterministic and well-formed. AsyncAPI is
//! validated against the official 3.0.0 JSON Schema (vendored under `tests/schemas`),
//! OTLP is parsed back and its ids and links checked, the catalogue is checked
//! against the model; the saga example's catalogue and AsyncAPI are golden files
//! (`UPDATE_GOLDEN=1` rewrites them).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{asyncapi, catalogue, otlp_json};
use crate::examples::ALL;
use crate::model::{Action, Model, Trigger, effective_group};
use crate::sim::{Record, RunOptions, Simulation};

fn models() -> Vec<(&'static str, Model)> {
    ALL.iter()
        .map(|e| (e.name, e.model().expect("examples parse")))
        .collect()
}

fn yaml_to_json(doc: &str) -> Value {
    serde_yaml_ng::from_str(doc).expect("the AsyncAPI document is valid YAML")
}

#[test]
fn asyncapi_is_deterministic_and_valid_against_the_official_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../../../tests/schemas/asyncapi-3.0.0.json"))
            .expect("the vendored schema is JSON");
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles offline");
    for (name, model) in models() {
        let doc = asyncapi(&model);
        assert_eq!(doc, asyncapi(&model), "{name}: not deterministic");
        let json = yaml_to_json(&doc);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
        // The validator does look inside: a v2-style action is refused.
        let mut broken = json.clone();
        if let Some(op) = broken["operations"]
            .as_object_mut()
            .and_then(|o| o.values_mut().next())
        {
            op["action"] = Value::from("publish");
            assert!(!validator.is_valid(&broken), "{name}: schema not applied");
        }

        // Every $ref points into the document; operations use their channel's messages.
        let mut refs = Vec::new();
        collect_refs(&json, &mut refs);
        for r in &refs {
            let pointer = r.strip_prefix('#').expect("local ref");
            assert!(json.pointer(pointer).is_some(), "{name}: dangling $ref {r}");
        }
        for (key, op) in json["operations"].as_object().expect("operations") {
            let channel = op["channel"]["$ref"].as_str().expect("channel ref");
            for m in op["messages"].as_array().expect("messages") {
                let m = m["$ref"].as_str().expect("message ref");
                assert!(
                    m.starts_with(&format!("{channel}/messages/")),
                    "{name}: {key} sends {m}, not a message of {channel}"
                );
            }
        }

        // One channel per topic, addressed by the topic's name, carrying its events.
        let channels = json["channels"].as_object().expect("channels");
        for t in &model.topics {
            let c = channels
                .values()
                .find(|c| c["address"] == t.name.as_str())
                .unwrap_or_else(|| panic!("{name}: no channel for topic {}", t.name));
            assert_eq!(c["bindings"]["kafka"]["partitions"], t.partitions);
            for h in model.services.iter().flat_map(|s| &s.handlers) {
                if let Trigger::Event { event, topic, .. } = &h.on
                    && topic == &t.name
                {
                    assert!(
                        c["messages"].get(event).is_some(),
                        "{name}: {event} on {topic}"
                    );
                }
            }
        }
        // One channel per command.
        for s in &model.services {
            for h in &s.handlers {
                if let Trigger::Command(c) = &h.on {
                    let address = format!("commands.{c}");
                    assert!(
                        channels
                            .values()
                            .any(|ch| ch["address"] == address.as_str()),
                        "{name}: no channel {address}"
                    );
                    let receive = json["operations"].as_object().unwrap().values().any(|op| {
                        op["action"] == "receive"
                            && op["x-eventscape-service"] == s.name.as_str()
                            && op["channel"]["$ref"] == format!("#/channels/{address}").as_str()
                    });
                    assert!(receive, "{name}: {} does not receive {address}", s.name);
                }
            }
        }
        // Every event of the registry is a message with its version and rule.
        for e in &model.events {
            let m = &json["components"]["messages"][&e.name];
            assert_eq!(
                m["x-eventscape-schema-version"], e.version,
                "{name}: {}",
                e.name
            );
            assert_eq!(
                m["x-eventscape-compatibility"],
                format!("{:?}", e.compatibility).as_str()
            );
            assert_eq!(m["x-eventscape-payload-bytes"], e.payload_bytes);
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap_or_default().to_owned());
                } else {
                    collect_refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// The lines of the section of the catalogue about one event.
fn event_section<'a>(cat: &'a str, event: &str) -> &'a str {
    let heading = format!("\n### {event}\n");
    let start = cat
        .find(&heading)
        .unwrap_or_else(|| panic!("no section for {event}"));
    let rest = &cat[start + heading.len()..];
    let end = ["\n### ", "\n## ", "\n<a id="]
        .iter()
        .filter_map(|h| rest.find(h))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
#[allow(clippy::too_many_lines)]
fn catalogue_lists_every_event_with_its_rule_producers_and_consumers() {
    for (name, model) in models() {
        let cat = catalogue(&model);
        assert_eq!(cat, catalogue(&model), "{name}: not deterministic");
        assert!(cat.contains("## Contents"), "{name}: no table of contents");
        for e in &model.events {
            assert!(
                cat.contains(&format!("  - [{}](#event-", e.name)),
                "{name}: {} not in the contents",
                e.name
            );
            let s = event_section(&cat, &e.name);
            assert!(
                s.contains(&format!(
                    "version {}, compatibility rule **{:?}**",
                    e.version, e.compatibility
                )),
                "{name}: {} without its version and rule:\n{s}",
                e.name
            );
            assert!(s.contains(&format!("**Payload:** {} bytes", e.payload_bytes)));
            assert_eq!(
                s.contains("**Failure outcome:**"),
                e.failure,
                "{name}: {} and its failure mark",
                e.name
            );
            match &e.compensates {
                Some(undone) => assert!(
                    s.contains(&format!("**Compensates:** `{undone}`")),
                    "{name}: {} does not say what it compensates:\n{s}",
                    e.name
                ),
                None => assert!(!s.contains("**Compensates:**")),
            }
        }
        // Producers and consumers, straight from the model.
        let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut publish = |who: String, a: &Action| {
            if let Action::Publish { event, topic, .. } = a {
                expected
                    .entry(event.clone())
                    .or_default()
                    .push(format!("| {who} | `{topic}` |"));
            }
        };
        for s in &model.services {
            for h in &s.handlers {
                for a in h.actions() {
                    publish(s.name.clone(), a);
                }
            }
        }
        for g in &model.sagas {
            for a in g.on_complete.iter().chain(&g.on_abort) {
                publish(format!("{} (saga {})", g.orchestrator, g.name), a);
            }
        }
        for src in &model.sources {
            publish(format!("source {}", src.name), &src.emit);
        }
        // An event store's change feed publishes each appended event once.
        let mut feeds = BTreeSet::new();
        for s in &model.services {
            for h in &s.handlers {
                for a in h.actions() {
                    if let Action::Append { event, store } = a
                        && let Some(st) = model.stores.iter().find(|x| &x.name == store)
                        && let Some(topic) = &st.publish_to
                    {
                        feeds.insert((event.clone(), store.clone(), topic.clone()));
                    }
                }
            }
        }
        for (event, store, topic) in &feeds {
            expected
                .entry(event.clone())
                .or_default()
                .push(format!("| event store {store} (change feed) | `{topic}` |"));
        }
        for s in &model.services {
            for h in &s.handlers {
                if let Trigger::Event {
                    event,
                    topic,
                    group,
                    ..
                } = &h.on
                {
                    let group = effective_group(group.as_deref(), &s.name);
                    expected
                        .entry(event.clone())
                        .or_default()
                        .push(format!("| {} | `{group}` | `{topic}` |", s.name));
                }
            }
        }
        for g in &model.sagas {
            if let Trigger::Event {
                event,
                topic,
                group,
                ..
            } = &g.trigger
            {
                let group = effective_group(group.as_deref(), &g.orchestrator);
                expected.entry(event.clone()).or_default().push(format!(
                    "| {} (starts saga {}) | `{group}` | `{topic}` |",
                    g.orchestrator, g.name
                ));
            }
        }
        for (event, rows) in &expected {
            let s = event_section(&cat, event);
            for row in rows {
                assert!(
                    s.contains(row.as_str()),
                    "{name}: {event} lacks {row}:\n{s}"
                );
            }
            // No producer or consumer that the model does not have.
            let table_rows = s
                .lines()
                .filter(|l| {
                    l.starts_with("| ")
                        && !l.starts_with("| Producer")
                        && !l.starts_with("| Service")
                })
                .count();
            let store_rows = s.lines().filter(|l| l.contains("| event store `")).count();
            assert_eq!(table_rows - store_rows, rows.len(), "{name}: {event}:\n{s}");
        }
        // Commands and replies are there too.
        for s in &model.services {
            for h in &s.handlers {
                if let Trigger::Command(c) = &h.on {
                    assert!(cat.contains(&format!("\n### {c}\n")), "{name}: command {c}");
                }
                for r in h.replies() {
                    assert!(cat.contains(&format!("\n### {r}\n")), "{name}: reply {r}");
                }
            }
        }
    }
}

fn run(model: &Model) -> (Simulation, Vec<Record>) {
    let records = Arc::new(Mutex::new(Vec::new()));
    let sink = records.clone();
    let mut sim = Simulation::new(
        model,
        RunOptions {
            trace_capacity: 0,
            duration_nanos: Some(20_000_000_000),
            ..Default::default()
        },
    )
    .expect("examples simulate");
    sim.trace_mut().set_sink(Box::new(move |r| {
        sink.lock().expect("sink").push(*r);
    }));
    sim.run();
    let records = std::mem::take(&mut *records.lock().expect("records"));
    (sim, records)
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks an OTLP/JSON document; returns its spans by trace id.
fn check_otlp(name: &str, doc: &str) -> BTreeMap<String, Vec<Value>> {
    let json: Value = serde_json::from_str(doc).expect("OTLP output is JSON");
    let mut traces: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for rs in json["resourceSpans"].as_array().expect("resourceSpans") {
        let service = rs["resource"]["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == "service.name")
            .expect("service.name");
        assert!(service["value"]["stringValue"].is_string());
        for ss in rs["scopeSpans"].as_array().expect("scopeSpans") {
            for span in ss["spans"].as_array().expect("spans") {
                let t = span["traceId"].as_str().expect("traceId");
                assert!(is_hex(t, 32), "{name}: traceId {t}");
                assert!(t.bytes().any(|b| b != b'0'), "{name}: zero traceId");
                traces.entry(t.to_owned()).or_default().push(span.clone());
            }
        }
    }
    for (t, spans) in &traces {
        let ids: Vec<&str> = spans
            .iter()
            .map(|s| s["spanId"].as_str().unwrap())
            .collect();
        let set: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(set.len(), ids.len(), "{name}: duplicate span ids in {t}");
        let mut roots = 0;
        for s in spans {
            let id = s["spanId"].as_str().unwrap();
            assert!(
                is_hex(id, 16) && id != "0000000000000000",
                "{name}: spanId {id}"
            );
            match s.get("parentSpanId") {
                Some(p) => {
                    let p = p.as_str().unwrap();
                    assert!(set.contains(p), "{name}: {id} has parent {p} outside {t}");
                }
                None => roots += 1,
            }
            let start: u64 = s["startTimeUnixNano"].as_str().unwrap().parse().unwrap();
            let end: u64 = s["endTimeUnixNano"].as_str().unwrap().parse().unwrap();
            assert!(start <= end, "{name}: span {id} ends before it starts");
            assert!(start >= super::otlp::EPOCH_UNIX_NANOS);
            assert!((1..=5).contains(&s["kind"].as_i64().unwrap()));
            assert!(s["name"].as_str().is_some_and(|n| !n.is_empty()));
        }
        assert_eq!(roots, 1, "{name}: trace {t} has {roots} roots");
    }
    traces
}

#[test]
fn otlp_traces_are_deterministic_and_well_linked() {
    for (name, model) in models() {
        let (sim, records) = run(&model);
        let doc = otlp_json(&model, sim.plan(), &records, None);
        let (sim2, records2) = run(&model);
        assert_eq!(
            doc,
            otlp_json(&model, sim2.plan(), &records2, None),
            "{name}: not deterministic"
        );
        let traces = check_otlp(name, &doc);
        let corrs: BTreeSet<u64> = records
            .iter()
            .map(|r| r.correlation)
            .filter(|c| *c != 0)
            .collect();
        let expected: BTreeSet<String> = corrs.iter().map(|c| super::otlp::trace_id(*c)).collect();
        assert_eq!(
            traces.keys().cloned().collect::<BTreeSet<_>>(),
            expected,
            "{name}: one trace per correlation id"
        );
        assert!(!traces.is_empty(), "{name}: no traces");

        // Limited: the first correlation ids only.
        let few = otlp_json(&model, sim.plan(), &records, Some(5));
        let few_traces = check_otlp(name, &few);
        let first: BTreeSet<String> = corrs
            .iter()
            .take(5)
            .map(|c| super::otlp::trace_id(*c))
            .collect();
        assert_eq!(few_traces.keys().cloned().collect::<BTreeSet<_>>(), first);

        // Parent links follow causality: consumers of a published event hang off the
        // publish, commands of a saga off their step.
        let mut by_id: HashMap<(&str, &str), &Value> = HashMap::new();
        for (t, spans) in &traces {
            for s in spans {
                by_id.insert((t.as_str(), s["spanId"].as_str().unwrap()), s);
            }
        }
        let kind_of = |s: &Value| -> String {
            s["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["key"] == "eventscape.kind")
                .and_then(|a| a["value"]["stringValue"].as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let attr = |s: &Value, key: &str| -> Option<String> {
            s["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["key"] == key)
                .and_then(|a| a["value"]["stringValue"].as_str().map(str::to_owned))
        };
        let (mut hops, mut linked) = (0, 0);
        for (t, spans) in &traces {
            for s in spans {
                let Some(p) = s.get("parentSpanId").and_then(Value::as_str) else {
                    continue;
                };
                let parent = by_id[&(t.as_str(), p)];
                if kind_of(s) == "hop" {
                    hops += 1;
                    let mk = attr(s, "eventscape.message_kind").unwrap_or_default();
                    let pk = kind_of(parent);
                    let ok = match mk.as_str() {
                        "event" => pk == "publish",
                        "command" => matches!(
                            pk.as_str(),
                            "saga_step" | "compensation" | "hop" | "workload_item"
                        ),
                        "reply" | "query" => pk == "hop",
                        _ => false,
                    };
                    if ok {
                        linked += 1;
                    }
                    if mk == "event" {
                        assert_eq!(pk, "publish", "{name}: event hop under {pk}");
                    }
                }
            }
        }
        assert!(hops > 0, "{name}: no hops");
        assert_eq!(linked, hops, "{name}: hops with an unexpected parent");
    }
}

#[test]
fn otlp_marks_saga_failures_as_errors() {
    let model = crate::examples::find("saga").unwrap().model().unwrap();
    let (sim, records) = run(&model);
    let doc = otlp_json(&model, sim.plan(), &records, None);
    let json: Value = serde_json::from_str(&doc).unwrap();
    let spans: Vec<&Value> = json["resourceSpans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|rs| rs["scopeSpans"][0]["spans"].as_array().unwrap())
        .collect();
    let failed_steps = records
        .iter()
        .filter(|r| r.kind == crate::sim::TraceKind::StepFailed)
        .count();
    let failed_step_spans = spans
        .iter()
        .filter(|s| {
            s["status"]["code"] == 2
                && s["status"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("step failed"))
        })
        .count();
    assert!(
        failed_steps > 0,
        "the saga example has failing steps in 20 s"
    );
    assert_eq!(failed_step_spans, failed_steps);
    // Saga spans live on the orchestrator's resource.
    let checkout = json["resourceSpans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rs| rs["resource"]["attributes"][0]["value"]["stringValue"] == "checkout")
        .expect("a checkout resource");
    assert!(
        checkout["scopeSpans"][0]["spans"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "saga checkout")
    );
}

fn golden(file: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing {}: run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the output (run with UPDATE_GOLDEN=1 to accept)",
        path.display()
    );
}

#[test]
fn golden_saga_catalogue_and_asyncapi() {
    let model = crate::examples::find("saga").unwrap().model().unwrap();
    golden("saga.catalogue.md", &catalogue(&model));
    golden("saga.asyncapi.yaml", &asyncapi(&model));
}
