//! The event logs for process-mining tools: the XES is standard XML whose
//! directly-follows graph (of its `complete` events) is the built-in miner's, the
//! OCEL is valid against the OCEL 2.0 JSON schema and its view per item is the
//! miner's too, both deterministic; and, ignored by default, PM4Py reads both and
//! agrees (`tools/pm4py-check.sh`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use eventscape::analysis::process::{Process, emergent_process};
use eventscape::export::{ExportFormat, ExportOptions, write};
use eventscape::model::{Duration, Model, load_file};
use eventscape::sim::{Record, RunOptions, Simulation};
use serde_json::Value;

use super::{ron_files, root};

type Dfg = BTreeMap<(String, String), u64>;

/// What the miner found in a run of `model` (the seed is the model's).
fn mined(model: &Model, duration: Option<Duration>) -> Process {
    let options = RunOptions {
        seed: None,
        duration_nanos: duration.map(Duration::as_nanos),
        trace_capacity: 0,
    };
    let mut sim = Simulation::new(model, options).unwrap();
    let records = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Record>::new()));
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let records = records.lock().unwrap();
    emergent_process(model, sim.plan(), &records)
}

/// The miner's flows, starts and ends by activity name.
fn miner_dfg(p: &Process) -> (Dfg, BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let name = |i: usize| p.activities[i].name.clone();
    let flows = p
        .flows
        .iter()
        .map(|f| ((name(f.from), name(f.to)), f.count))
        .collect();
    let by = |v: &[(usize, u64)]| v.iter().map(|(i, n)| (name(*i), *n)).collect();
    (flows, by(&p.starts), by(&p.ends))
}

/// Directly-follows counts, starts and ends of activity sequences.
fn dfg_of<'a>(
    cases: impl Iterator<Item = &'a Vec<String>>,
) -> (Dfg, BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let (mut flows, mut starts, mut ends) = (Dfg::new(), BTreeMap::new(), BTreeMap::new());
    for seq in cases {
        for w in seq.windows(2) {
            *flows.entry((w[0].clone(), w[1].clone())).or_default() += 1;
        }
        if let (Some(a), Some(b)) = (seq.first(), seq.last()) {
            *starts.entry(a.clone()).or_default() += 1;
            *ends.entry(b.clone()).or_default() += 1;
        }
    }
    (flows, starts, ends)
}

fn export(model: &Model, format: ExportFormat, duration: Option<Duration>, out: &Path) {
    let options = ExportOptions {
        duration,
        ..ExportOptions::new(format)
    };
    write(model, &options, out).unwrap();
}

/// One XES event: activity, transition, timestamp, resource.
type XesEvent = (String, String, String, String);

/// Every trace of an XES log (name → events in order), checking on the way what
/// the standard requires of the log's head.
fn read_xes(text: &str) -> Vec<(String, Vec<XesEvent>)> {
    const XES: &str = "http://www.xes-standard.org/";
    let doc = roxmltree::Document::parse(text).expect("the XES is well-formed XML");
    let log = doc.root_element();
    assert_eq!(log.tag_name().name(), "log");
    assert_eq!(log.tag_name().namespace(), Some(XES));
    assert_eq!(log.attribute("xes.version"), Some("1849-2016"));
    let prefixes: BTreeSet<&str> = log
        .children()
        .filter(|n| n.has_tag_name((XES, "extension")))
        .filter_map(|n| n.attribute("prefix"))
        .collect();
    assert_eq!(
        prefixes,
        BTreeSet::from(["concept", "lifecycle", "org", "time"]),
        "the standard extensions are declared"
    );
    let attr = |n: roxmltree::Node, key: &str| {
        n.children()
            .find(|c| c.attribute("key") == Some(key))
            .and_then(|c| c.attribute("value"))
            .map(str::to_owned)
    };
    log.children()
        .filter(|n| n.has_tag_name((XES, "trace")))
        .map(|t| {
            let events = t
                .children()
                .filter(|n| n.has_tag_name((XES, "event")))
                .map(|e| {
                    let stamp = e
                        .children()
                        .find(|c| c.has_tag_name((XES, "date")))
                        .and_then(|c| c.attribute("value"));
                    (
                        attr(e, "concept:name").expect("concept:name"),
                        attr(e, "lifecycle:transition").expect("lifecycle:transition"),
                        stamp.expect("time:timestamp as a date").to_owned(),
                        attr(e, "org:resource").expect("org:resource"),
                    )
                })
                .collect();
            (attr(t, "concept:name").expect("trace name"), events)
        })
        .collect()
}

/// A short run of every example, to keep the tests quick.
const SHORT: Duration = Duration::from_secs(20);

#[test]
fn xes_of_every_example_is_standard_xes_whose_dfg_is_the_miners() {
    let dir = tempfile::tempdir().unwrap();
    for file in ron_files("models") {
        let model = load_file(&file).unwrap();
        let out = dir.path().join("log.xes");
        export(&model, ExportFormat::Xes, Some(SHORT), &out);
        let traces = read_xes(&std::fs::read_to_string(&out).unwrap());
        let process = mined(&model, Some(SHORT));
        let name = file.display();
        assert_eq!(
            traces.len() as u64,
            process.cases,
            "{name}: one trace per case"
        );
        let ids: BTreeSet<&str> = traces.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids.len(), traces.len(), "{name}: trace names are unique");

        let mut completes: Vec<Vec<String>> = Vec::new();
        for (id, events) in &traces {
            // Time never goes back within a trace (RFC 3339 UTC with nanoseconds
            // sorts as text), and each start is completed later in it.
            assert!(
                events.windows(2).all(|w| w[0].2 <= w[1].2),
                "{name}: trace {id} goes back in time"
            );
            let mut open: HashMap<(&str, &str), u32> = HashMap::new();
            for (activity, transition, _, resource) in events {
                let key = (activity.as_str(), resource.as_str());
                match transition.as_str() {
                    "start" => *open.entry(key).or_default() += 1,
                    "complete" => {
                        if let Some(n) = open.get_mut(&key).filter(|n| **n > 0) {
                            *n -= 1;
                        }
                    }
                    other => panic!("{name}: transition {other}"),
                }
            }
            assert!(
                open.values().all(|n| *n == 0),
                "{name}: trace {id} has a start without its complete"
            );
            completes.push(
                events
                    .iter()
                    .filter(|e| e.1 == "complete")
                    .map(|e| e.0.clone())
                    .collect(),
            );
        }
        let starts = traces
            .iter()
            .flat_map(|t| &t.1)
            .filter(|e| e.1 == "start")
            .count();
        assert!(starts > 0, "{name}: handled messages have their start");
        assert_eq!(
            dfg_of(completes.iter()),
            miner_dfg(&process),
            "{name}: the XES's directly-follows graph is the miner's"
        );
    }
}

fn ocel_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../../tests/fixtures/ocel20-schema-json.json")).unwrap();
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn ocel_of_every_example_is_valid_ocel_2_and_its_view_per_item_is_the_miners() {
    let validator = ocel_validator();
    let dir = tempfile::tempdir().unwrap();
    for file in ron_files("models") {
        let model = load_file(&file).unwrap();
        let name = file.display();
        let out = dir.path().join("log.json");
        export(&model, ExportFormat::Ocel, Some(SHORT), &out);
        let ocel: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&ocel)
            .take(5)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));

        let declared = |key: &str| -> BTreeSet<String> {
            ocel[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let (event_types, object_types) = (declared("eventTypes"), declared("objectTypes"));
        let objects: HashMap<&str, &str> = ocel["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["id"].as_str().unwrap(), o["type"].as_str().unwrap()))
            .collect();
        assert_eq!(
            objects.len(),
            ocel["objects"].as_array().unwrap().len(),
            "{name}: object ids are unique"
        );
        assert!(objects.values().all(|t| object_types.contains(*t)));
        for o in ocel["objects"].as_array().unwrap() {
            for r in o["relationships"].as_array().into_iter().flatten() {
                let target = r["objectId"].as_str().unwrap();
                assert!(
                    objects.contains_key(target),
                    "{name}: {target} is an object"
                );
            }
        }

        // The events per item, in file order (time order within an item).
        let mut per_item: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut qualifiers: BTreeSet<(String, String)> = BTreeSet::new();
        let mut last_time: HashMap<&str, &str> = HashMap::new();
        for e in ocel["events"].as_array().unwrap() {
            let ty = e["type"].as_str().unwrap();
            assert!(event_types.contains(ty), "{name}: event type {ty} declared");
            let time = e["time"].as_str().unwrap();
            let mut items = 0;
            for r in e["relationships"].as_array().unwrap() {
                let target = r["objectId"].as_str().unwrap();
                let q = r["qualifier"].as_str().unwrap();
                let kind = objects.get(target).copied();
                assert!(kind.is_some(), "{name}: {target} is an object");
                qualifiers.insert((q.to_owned(), kind.unwrap_or_default().to_owned()));
                if q == "item" {
                    items += 1;
                    per_item.entry(target).or_default().push(ty.to_owned());
                    let before = last_time.insert(target, time).unwrap_or("");
                    assert!(before <= time, "{name}: {target} goes back in time");
                }
            }
            assert_eq!(items, 1, "{name}: every event is about one item");
        }
        let process = mined(&model, Some(SHORT));
        let (flows, starts, ends) = miner_dfg(&process);
        assert_eq!(
            dfg_of(per_item.values()),
            (flows, starts, ends),
            "{name}: the OCEL's view per item is the miner's directly-follows graph"
        );
        let items = objects.values().filter(|t| **t == "item").count();
        assert_eq!(items as u64, process.cases, "{name}: an item per case");
        for q in [("consumes", "message"), ("produces", "message")] {
            assert!(
                qualifiers.contains(&(q.0.to_owned(), q.1.to_owned())),
                "{name}: no {q:?}"
            );
        }
        if !model.sagas.is_empty() {
            assert!(qualifiers.contains(&("saga".to_owned(), "saga".to_owned())));
        }
        if !model.topics.is_empty() {
            assert!(qualifiers.contains(&("partition".to_owned(), "partition".to_owned())));
        }
    }
}

#[test]
fn event_logs_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let model = load_file(&root().join("models/order-saga.ron")).unwrap();
    for format in [ExportFormat::Xes, ExportFormat::Ocel] {
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        export(&model, format, Some(Duration::from_secs(5)), &a);
        export(&model, format, Some(Duration::from_secs(5)), &b);
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{format:?}"
        );
    }
}

/// PM4Py (a real reader, AGPL: run as an external tool, never linked) loads the XES
/// and the OCEL of every example, over the model's own duration, and its
/// directly-follows graph equals the miner's. Needs Python 3 and network for the
/// first `pip install pm4py`; `EVENTSCAPE_PM4PY_DURATION=30s` shortens the runs.
#[test]
#[ignore = "installs and runs PM4Py (tools/pm4py-check.sh); slow"]
fn pm4py_agrees_with_the_miner() {
    let duration: Option<Duration> = std::env::var("EVENTSCAPE_PM4PY_DURATION")
        .ok()
        .map(|d| d.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for file in ron_files("models") {
        let model = load_file(&file).unwrap();
        let at = |n: &str| dir.path().join(n);
        export(&model, ExportFormat::Xes, duration, &at("log.xes"));
        export(&model, ExportFormat::Ocel, duration, &at("log.json"));
        let process = serde_json::to_vec(&mined(&model, duration)).unwrap();
        std::fs::write(at("process.json"), process).unwrap();
        let o = std::process::Command::new(root().join("tools/pm4py-check.sh"))
            .args([at("log.xes"), at("log.json"), at("process.json")])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&o.stdout);
        eprintln!("{}: {}", file.display(), said.trim());
        if !o.status.success() {
            failures.push(format!("{}: {said}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// From the command line: written with `--seed`/`--duration`, options for other
/// formats refused.
#[test]
fn the_cli_writes_both_logs_and_refuses_options_they_do_not_take() {
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str, extra: &[&str]| {
        let out = dir.path().join(format!("log.{format}"));
        let mut args = vec!["export", "models/order-saga.ron", "--format", format];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", out.to_str().unwrap()]);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_eventscape"))
            .args(&args)
            .current_dir(root())
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
            out,
        )
    };
    for format in ["xes", "ocel"] {
        let (code, err, out) = run(format, &["--seed", "7", "--duration", "3s"]);
        assert_eq!(code, Some(0), "{err}");
        assert!(std::fs::metadata(out).unwrap().len() > 1000);
        let (code, err, _) = run(format, &["--max-traces", "3"]);
        assert_eq!(code, Some(2));
        assert!(err.contains("--max-traces does not apply"), "{err}");
    }
}
