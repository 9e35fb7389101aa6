//! OTLP as a stream: JSON Lines written while the model runs, the same spans as the
//! single document, only the items in flight held in memory, and the messaging
//! semantic conventions the module docs pin.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::Command;

use eventscape::export::docs::otlp::{
    ERROR_TYPES, OtlpForm, OtlpSummary, SEMCONV_SCHEMA_URL, export_run, otlp_json,
};
use eventscape::model::Model;
use eventscape::sim::{Record, RunOptions, Simulation, TraceKind, Where};
use serde_json::Value;

use super::root;

fn sim(model: &Model, secs: u64) -> Simulation {
    let options = RunOptions {
        duration_nanos: Some(secs * 1_000_000_000),
        ..RunOptions::default()
    };
    Simulation::new(model, options).unwrap()
}

fn example(name: &str) -> Model {
    eventscape::examples::find(name).unwrap().model().unwrap()
}

/// The export of `secs` simulated seconds of `model` in `form`, with its summary.
fn export(model: &Model, secs: u64, form: OtlpForm) -> (String, OtlpSummary) {
    let mut out = Vec::new();
    let summary = export_run(
        model,
        &mut sim(model, secs),
        form,
        &eventscape::sim::budget::Budget::default(),
        &mut out,
    )
    .unwrap();
    (String::from_utf8(out).unwrap(), summary)
}

/// Every record of the same run, as a sink sees them.
fn records(model: &Model, secs: u64) -> Vec<Record> {
    let mut s = sim(model, secs);
    let all = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = all.clone();
    s.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    s.run();
    all.lock().unwrap().clone()
}

/// One span, as the checks compare it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Span {
    trace: String,
    id: String,
    parent: Option<String>,
    name: String,
    kind: i64,
    start: String,
    end: String,
}

/// The spans of one request, each with its resource's service name and its JSON.
fn spans(request: &Value) -> Vec<(String, Span, Value)> {
    let mut out = Vec::new();
    for rs in request["resourceSpans"].as_array().expect("resourceSpans") {
        assert_eq!(rs["schemaUrl"], SEMCONV_SCHEMA_URL);
        let service = rs["resource"]["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == "service.name")
            .and_then(|a| a["value"]["stringValue"].as_str())
            .expect("service.name")
            .to_owned();
        for ss in rs["scopeSpans"].as_array().unwrap() {
            assert_eq!(ss["schemaUrl"], SEMCONV_SCHEMA_URL);
            for s in ss["spans"].as_array().unwrap() {
                let text = |k: &str| s[k].as_str().unwrap().to_owned();
                let span = Span {
                    trace: text("traceId"),
                    id: text("spanId"),
                    parent: s["parentSpanId"].as_str().map(str::to_owned),
                    name: text("name"),
                    kind: s["kind"].as_i64().unwrap(),
                    start: text("startTimeUnixNano"),
                    end: text("endTimeUnixNano"),
                };
                out.push((service.clone(), span, s.clone()));
            }
        }
    }
    out
}

fn lines(text: &str) -> Vec<Value> {
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "the last line ends"
    );
    text.lines()
        .map(|l| serde_json::from_str(l).expect("every line is one JSON request"))
        .collect()
}

fn attr<'v>(span: &'v Value, key: &str) -> Option<&'v Value> {
    span["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
        .map(|a| &a["value"])
}

fn str_attr<'v>(span: &'v Value, key: &str) -> Option<&'v str> {
    attr(span, key).and_then(|v| v["stringValue"].as_str())
}

#[test]
fn every_line_is_a_complete_request_and_holds_whole_traces() {
    for e in eventscape::examples::ALL {
        let model = e.model().unwrap();
        let (text, summary) = export(&model, 30, OtlpForm::Lines);
        let requests = lines(&text);
        assert!(requests.len() > 1, "{}: one line per batch", e.name);
        assert_eq!(requests.len() as u64, summary.requests);
        let mut line_of: HashMap<String, usize> = HashMap::new();
        let mut count = 0;
        for (i, request) in requests.iter().enumerate() {
            let mut roots: BTreeMap<String, usize> = BTreeMap::new();
            for (_, s, _) in spans(request) {
                count += 1;
                let first = *line_of.entry(s.trace.clone()).or_insert(i);
                assert_eq!(first, i, "{}: trace {} split over lines", e.name, s.trace);
                *roots.entry(s.trace).or_default() += usize::from(s.parent.is_none());
            }
            assert!(
                roots.values().all(|n| *n == 1),
                "{}: a trace without exactly one root",
                e.name
            );
        }
        assert_eq!(count, summary.spans, "{}", e.name);
        assert_eq!(line_of.len() as u64, summary.traces, "{}", e.name);
    }
}

#[test]
fn the_stream_has_the_spans_of_the_document() {
    for name in ["saga", "choreography"] {
        let model = example(name);
        let (text, streamed_summary) = export(&model, 60, OtlpForm::Lines);
        let streamed: BTreeSet<Span> = lines(&text)
            .iter()
            .flat_map(|r| spans(r).into_iter().map(|(_, s, _)| s))
            .collect();
        let (doc, doc_summary) = export(&model, 60, OtlpForm::Document { last: None });
        let document: BTreeSet<Span> = spans(&serde_json::from_str(&doc).unwrap())
            .into_iter()
            .map(|(_, s, _)| s)
            .collect();
        assert_eq!(streamed.len() as u64, streamed_summary.spans);
        assert_eq!(streamed, document, "{name}: streamed vs one document");
        assert_eq!(streamed_summary.traces, doc_summary.traces);
        // The document from the run's records says the same.
        let recs = records(&model, 60);
        let s = sim(&model, 60);
        let from_records: BTreeSet<Span> =
            spans(&serde_json::from_str(&otlp_json(&model, s.plan(), &recs, None)).unwrap())
                .into_iter()
                .map(|(_, s, _)| s)
                .collect();
        assert_eq!(from_records, document, "{name}: from the records");

        // The first N traces: exactly those of the stream, and the run stops early.
        let (few, few_summary) = export(&model, 60, OtlpForm::Document { last: Some(25) });
        let few: BTreeSet<Span> = spans(&serde_json::from_str(&few).unwrap())
            .into_iter()
            .map(|(_, s, _)| s)
            .collect();
        let first: BTreeSet<String> = (1..=25u64)
            .map(eventscape::export::docs::otlp::trace_id)
            .collect();
        let expected: BTreeSet<Span> = streamed
            .iter()
            .filter(|s| first.contains(&s.trace))
            .cloned()
            .collect();
        assert_eq!(few_summary.traces, 25);
        assert_eq!(few, expected, "{name}: the first 25 traces");
    }
}

/// The most items in flight at once, counted from the records themselves.
fn most_in_flight(records: &[Record]) -> usize {
    let (mut seen, mut done) = (BTreeSet::new(), BTreeSet::new());
    let mut most = 0;
    for r in records.iter().filter(|r| r.correlation != 0) {
        assert!(
            !done.contains(&r.correlation),
            "a record of item {} after its completion",
            r.correlation
        );
        seen.insert(r.correlation);
        most = most.max(seen.len() - done.len());
        if r.kind == TraceKind::ItemCompleted {
            done.insert(r.correlation);
        }
    }
    most
}

/// A steady system: orders fan out to two consumers with room to spare, a command
/// and its reply in between, so the items in flight stay few however long it runs.
const STEADY: &str = r#"
Model(
    name: "Steady",
    seed: 3,
    duration: "1m",
    events: [Event(name: "OrderPlaced"), Event(name: "Shipped")],
    topics: [
        Topic(name: "orders", partitions: 4, key: "order_id"),
        Topic(name: "shipping", partitions: 2),
    ],
    services: [
        Service(name: "billing", concurrency: 8, handlers: [
            Handler(on: Event(event: "OrderPlaced", topic: "orders"), latency: Exponential(mean: "20ms"),
                    emit: [Send(command: "Ship", to: "warehouse")]),
        ]),
        Service(name: "warehouse", concurrency: 8, handlers: [
            Handler(on: Command("Ship"), latency: Exponential(mean: "30ms"),
                    emit: [Publish(event: "Shipped", topic: "shipping")]),
        ]),
        Service(name: "mailer", concurrency: 8, handlers: [
            Handler(on: Event(event: "Shipped", topic: "shipping"), latency: Constant("5ms")),
        ]),
    ],
    sources: [
        Source(name: "shop", emit: Publish(event: "OrderPlaced", topic: "orders"),
               rate: Poisson(per_sec: 40.0), keys: 500),
    ],
)
"#;

#[test]
fn only_the_items_in_flight_are_held() {
    let model = eventscape::model::parse(STEADY).unwrap();
    let mut held = Vec::new();
    for secs in [60, 600] {
        let recs = records(&model, secs);
        let (_, summary) = export(&model, secs, OtlpForm::Lines);
        assert_eq!(
            summary.max_open_traces,
            most_in_flight(&recs),
            "exactly the items in flight are held"
        );
        held.push((summary.max_open_traces, summary.traces));
    }
    let ((short_held, short_traces), (long_held, long_traces)) = (held[0], held[1]);
    assert!(long_traces >= 9 * short_traces, "{held:?}");
    assert!(
        long_held <= 2 * short_held,
        "ten times the run, not ten times the traces held: {held:?}"
    );
    assert!((long_held as u64) * 100 < long_traces, "{held:?}");
    // The saga example's backlog grows (its inventory crashes and catches up), and
    // still only its items in flight are held.
    let saga = example("saga");
    let (_, summary) = export(&saga, 60, OtlpForm::Lines);
    assert_eq!(summary.max_open_traces, most_in_flight(&records(&saga, 60)));
}

#[test]
fn spans_follow_the_messaging_conventions() {
    let model = example("saga");
    let recs = records(&model, 60);
    let (doc, _) = export(&model, 60, OtlpForm::Document { last: None });
    let all = spans(&serde_json::from_str(&doc).unwrap());
    let sources: BTreeSet<&str> = model.sources.iter().map(|s| s.name.as_str()).collect();
    // (correlation, message, service, time) of the records a process span may start
    // at, and of the deliveries a queue wait starts at.
    let service = |r: &Record| model.services[r.element as usize].name.clone();
    let at = |kinds: &[TraceKind]| -> BTreeSet<(u64, String, String, u64)> {
        recs.iter()
            .filter(|r| r.at == Where::Service && kinds.contains(&r.kind))
            .map(|r| {
                (
                    r.correlation,
                    r.message.to_string(),
                    service(r),
                    r.time.as_nanos(),
                )
            })
            .collect()
    };
    let processing = at(&[
        TraceKind::Started,
        TraceKind::DoubleEffect,
        TraceKind::Deduplicated,
    ]);
    let delivered = at(&[TraceKind::Delivered]);
    let epoch = eventscape::export::docs::otlp::EPOCH_UNIX_NANOS;
    let key = |s: &Span, v: &Value| {
        (
            attr(v, "eventscape.correlation_id").unwrap()["intValue"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .unwrap(),
            str_attr(v, "messaging.message.id").unwrap().to_owned(),
            str_attr(v, "eventscape.service").unwrap().to_owned(),
            s.start.parse::<u64>().unwrap() - epoch,
        )
    };
    let (mut hops, mut waits, mut errors) = (0, 0, 0);
    for (resource, s, v) in &all {
        assert!(attr(v, "messaging.operation").is_none(), "deprecated");
        if attr(v, "messaging.system").is_some() {
            for k in [
                "messaging.operation.name",
                "messaging.operation.type",
                "messaging.destination.name",
                "messaging.message.id",
                "messaging.message.conversation_id",
            ] {
                assert!(attr(v, k).is_some(), "{} lacks {k}", s.name);
            }
            let op = str_attr(v, "messaging.operation.type").unwrap();
            let kind = match op {
                "send" => 4,
                "process" => 5,
                _ => panic!("operation type {op}"),
            };
            assert_eq!(s.kind, kind, "{}: span kind of {op}", s.name);
            let name = format!(
                "{} {}",
                str_attr(v, "messaging.operation.name").unwrap(),
                str_attr(v, "messaging.destination.name").unwrap()
            );
            assert_eq!(s.name, name, "span name from operation and destination");
        }
        if str_attr(v, "messaging.system") == Some("kafka") && s.kind == 5 {
            assert!(attr(v, "messaging.consumer.group.name").is_some());
            assert!(attr(v, "messaging.destination.partition.id").is_some());
        }
        if v["status"]["code"] == 2 {
            errors += 1;
            let t = str_attr(v, "error.type").expect("error.type on an error span");
            assert!(ERROR_TYPES.contains(&t), "{t}");
        } else {
            assert!(attr(v, "error.type").is_none());
        }
        if s.parent.is_none() {
            assert!(sources.contains(resource.as_str()), "root on {resource}");
        }
        assert_ne!(resource, "workload");
        match str_attr(v, "eventscape.kind") {
            Some("hop") => {
                hops += 1;
                assert!(
                    processing.contains(&key(s, v)),
                    "{} does not start when processing starts",
                    s.name
                );
            }
            Some("queue_wait") => {
                waits += 1;
                assert!(delivered.contains(&key(s, v)), "a wait starts at delivery");
                assert!(s.end > s.start, "a wait is longer than zero");
            }
            _ => {}
        }
    }
    assert!(
        hops > 0 && waits > 0 && errors > 0,
        "{hops} {waits} {errors}"
    );
}

#[test]
fn the_cli_writes_json_lines_unless_a_trace_limit_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.jsonl");
    let run = |extra: &[&str], out: &std::path::Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_eventscape"))
            .args(["export", "models/order-saga.ron", "--format", "otlp"])
            .args(["--duration", "20s", "-o"])
            .arg(out)
            .args(extra)
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::read_to_string(out).unwrap()
    };
    let text = run(&[], &out);
    assert!(lines(&text).len() > 1);
    let doc = run(&["--max-traces", "7"], &dir.path().join("t.json"));
    assert_eq!(doc.lines().count(), 1);
    let traces: BTreeSet<String> = spans(&serde_json::from_str(&doc).unwrap())
        .into_iter()
        .map(|(_, s, _)| s.trace)
        .collect();
    assert_eq!(traces.len(), 7);
    // Deterministic: the same command writes the same bytes.
    assert_eq!(run(&[], &dir.path().join("again.jsonl")), text);
}

#[test]
fn a_streamed_export_stops_at_its_event_budget_and_says_so() {
    use eventscape::export::{ExportFormat, ExportOptions, write_within};
    use eventscape::sim::budget::{Budget, Stopped};
    let model = example("saga");
    let dir = tempfile::tempdir().unwrap();
    for format in [ExportFormat::Otlp, ExportFormat::Xes, ExportFormat::Ocel] {
        let out = dir.path().join(format!("log.{}", format.extension()));
        let options = ExportOptions {
            budget: Budget {
                max_events: Some(5_000),
                max_wall: None,
            },
            ..ExportOptions::new(format)
        };
        let (_, stopped) = write_within(&model, &options, &out).unwrap();
        assert_eq!(stopped, Some(Stopped::MaxEvents(5_000)), "{format:?}");
        let partial = std::fs::metadata(&out).unwrap().len();
        let options = ExportOptions {
            duration: Some("20s".parse().unwrap()),
            ..ExportOptions::new(format)
        };
        let (_, stopped) = write_within(&model, &options, &out).unwrap();
        assert_eq!(stopped, None);
        assert!(
            std::fs::metadata(&out).unwrap().len() > partial,
            "{format:?}: the budgeted log is the shorter"
        );
    }
}
