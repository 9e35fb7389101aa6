//! IEEE XES (1849-2016) event log: one trace per correlation id.
//!
//! The log declares the standard Concept, Time, Lifecycle and Organizational
//! extensions, their global attributes and two classifiers. Each trace is named by
//! its correlation id (`concept:name`) and holds the case's activity occurrences in
//! trace order, each with `concept:name` (the miner's activity name),
//! `time:timestamp`, `lifecycle:transition` and `org:resource`:
//!
//! - a handled message is two events, `start` at the `Started` record of the
//!   handling that completed and `complete` at its `Completed` record, on the service;
//! - every other activity (saga milestones, timeouts, dead letters, rejections,
//!   retention losses) happened at an instant: one `complete` event, on the service
//!   (a saga's orchestrator) or, for a retention loss, the topic.
//!
//! Events of a trace are in trace order (time order; ties in the engine's order), a
//! `start` where its `Started` record is. The `complete` events alone give the
//! miner's directly-follows graph. Traces are written as items end, so the file is
//! in order of items' ends, then the items still in flight by correlation id; a
//! trace of an item still in flight has `in_flight` = true.
//!
//! Memory: the items in flight and the activity names (bounded by the model).

use std::io::{self, Write};

use super::{occurrences, resource, run_cases, timestamp};
use crate::analysis::process::ActivityNames;
use crate::export::cases::Case;
use crate::export::xml_escape;
use crate::sim::budget::{Budget, Stopped};
use crate::sim::{Plan, Simulation};

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="2026-01-01T00:00:00.000000000Z"/>
    <string key="lifecycle:transition" value="complete"/>
    <string key="org:resource" value="__INVALID__"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
  <string key="lifecycle:model" value="standard"/>
"#;

/// Run `sim` to the end (or until it has spent `budget`: then it says why) and write its XES event log to `out` as it runs (see the
/// module docs for the layout); `name` is the log's `concept:name`, normally the
/// model's name. Deterministic.
pub fn write_xes(
    sim: Simulation,
    name: &str,
    budget: &Budget,
    mut out: impl Write,
) -> io::Result<Option<Stopped>> {
    let plan = sim.plan().clone();
    let mut names = ActivityNames::new(&plan);
    out.write_all(HEADER.as_bytes())?;
    writeln!(
        out,
        "  <string key=\"concept:name\" value=\"{}\"/>",
        xml_escape(name)
    )?;
    let stopped = run_cases(sim, budget, |case| trace(&mut out, &plan, &mut names, case))?;
    out.write_all(b"</log>\n")?;
    out.flush()?;
    Ok(stopped)
}

/// One case as a `<trace>`.
fn trace(
    out: &mut impl Write,
    plan: &Plan,
    names: &mut ActivityNames,
    case: &Case,
) -> io::Result<()> {
    writeln!(out, "  <trace>")?;
    writeln!(
        out,
        "    <string key=\"concept:name\" value=\"{}\"/>",
        case.correlation
    )?;
    if !case.ended {
        writeln!(out, "    <boolean key=\"in_flight\" value=\"true\"/>")?;
    }
    // (position, activity, transition): a start sits where its `Started` record is.
    let mut events: Vec<(usize, usize, &str)> = Vec::new();
    for o in occurrences(case, names) {
        if let Some(s) = o.started {
            events.push((s, o.activity, "start"));
        }
        events.push((o.at, o.activity, "complete"));
    }
    events.sort_by_key(|e| e.0);
    for (at, activity, transition) in events {
        let r = &case.records[at];
        let activity = names.name(activity);
        write!(
            out,
            "    <event>\n      <string key=\"concept:name\" value=\"{}\"/>\n      \
             <string key=\"lifecycle:transition\" value=\"{transition}\"/>\n      \
             <date key=\"time:timestamp\" value=\"{}\"/>\n      \
             <string key=\"org:resource\" value=\"{}\"/>\n    </event>\n",
            xml_escape(activity),
            timestamp(r.time),
            xml_escape(resource(plan, r)),
        )?;
    }
    writeln!(out, "  </trace>")
}
