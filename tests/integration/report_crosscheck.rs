//! One truth in the report: every example is run once and its report rendered as
//! JSON, terminal text, Markdown and HTML. Every figure the three readable forms show
//! is read back from what they print (unit and precision included) and compared with
//! the JSON field of the same meaning, and a figure's column has the same name in
//! every form. A column this test cannot map to a field fails it, so a new figure
//! cannot be added without saying what it is.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use eventscape::analysis::{Report, process::emergent_process, render_text};
use eventscape::export::{review_html, review_markdown};
use eventscape::model::Model;
use eventscape::sim::{Record, RunOptions, Simulation};
use serde_json::Value;

/// A table as a reader sees it: its header and its rows of cells.
#[derive(Debug)]
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn run(model: &Model) -> (Report, String, String, String) {
    let mut sim = Simulation::new(
        model,
        RunOptions {
            seed: None,
            duration_nanos: Some(60_000_000_000),
            trace_capacity: 0,
        },
    )
    .unwrap();
    let records = Arc::new(Mutex::new(Vec::<Record>::new()));
    let sink = records.clone();
    sim.trace_mut()
        .set_sink(Box::new(move |r| sink.lock().unwrap().push(*r)));
    sim.run();
    let report = Report::new(model, &mut sim);
    let records = records.lock().unwrap().clone();
    let process = emergent_process(model, sim.plan(), &records);
    let md = review_markdown(model, &report, &process, "diagram.png");
    let html = review_html(model, &report, &process, "<svg></svg>");
    let text = render_text(&report);
    (report, text, md, html)
}

fn unescape(cell: &str) -> String {
    cell.replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace('\\', "")
        .trim()
        .to_owned()
}

fn md_tables(md: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut lines = md.lines().peekable();
    while let Some(line) = lines.next() {
        let cells = |l: &str| -> Vec<String> {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(unescape)
                .collect()
        };
        if line.starts_with('|') && lines.peek().is_some_and(|l| l.starts_with("|---")) {
            lines.next();
            let head = cells(line);
            let mut rows = Vec::new();
            while let Some(l) = lines.next_if(|l| l.starts_with('|')) {
                rows.push(cells(l));
            }
            tables.push(Table { head, rows });
        }
    }
    tables
}

fn html_tables(html: &str) -> Vec<Table> {
    let cells = |row: &str, tag: &str| -> Vec<String> {
        row.split(&format!("<{tag}"))
            .skip(1)
            .map(|c| {
                let body = &c[c.find('>').unwrap() + 1..];
                unescape(&body[..body.find(&format!("</{tag}>")).unwrap()])
            })
            .collect()
    };
    html.split("<table>")
        .skip(1)
        .map(|t| {
            let t = &t[..t.find("</table>").unwrap()];
            let mut rows = t.split("<tr>").skip(1);
            let head = cells(rows.next().unwrap(), "th");
            Table {
                head,
                rows: rows.map(|r| cells(r, "td")).collect(),
            }
        })
        .collect()
}

/// The terminal's aligned tables: a block whose first line starts with `first`.
/// Columns are right-aligned, so a header ends where its values end; the name in
/// the first column is one of `names` (it may hold spaces).
fn text_table(text: &str, first: &str, names: &[String]) -> Option<Table> {
    let start = text.find(&format!("\n{first} "))? + 1;
    let block = text[start..].split("\n\n").next()?;
    let mut lines = block.lines();
    let header = lines.next()?;
    let mut head = vec![first.to_owned()];
    let mut rows = Vec::new();
    for line in lines {
        let name = names
            .iter()
            .filter(|n| line.starts_with(n.as_str()))
            .max_by_key(|n| n.len())
            .unwrap_or_else(|| panic!("a row of no known element: {line:?}"));
        let mut row = vec![name.clone()];
        let mut from = name.len();
        for token in line[name.len()..].split_whitespace() {
            let end = line[from..].find(token).unwrap() + from + token.len();
            if rows.is_empty() {
                head.push(
                    header[from.min(header.len())..end.min(header.len())]
                        .trim()
                        .to_owned(),
                );
            }
            row.push(token.to_owned());
            from = end;
        }
        rows.push(row);
    }
    Some(Table { head, rows })
}

/// A printed figure read back: its value in the JSON's unit and half its last digit.
fn read(cell: &str) -> Option<(f64, f64)> {
    let (number, scale) = if let Some(n) = cell.strip_suffix(" ms") {
        (n, 1e-3)
    } else if let Some(n) = cell.strip_suffix('%') {
        (n, 1e-2)
    } else if let Some(n) = cell.strip_suffix("/s") {
        (n, 1.0)
    } else if let Some(n) = cell.strip_suffix('s') {
        (n, 1.0)
    } else {
        (cell, 1.0)
    };
    let value: f64 = number.parse().ok()?;
    let decimals = number.split('.').nth(1).map_or(0, str::len);
    let half_digit = 0.5 * 10f64.powi(-i32::try_from(decimals).unwrap());
    Some((value * scale, half_digit * scale + 1e-12))
}

/// The JSON field a column shows, for the tables of run figures: `None` for a
/// column that holds no figure (a name).
fn field(table: &str, header: &str) -> Result<Option<&'static str>, String> {
    Ok(Some(match (table, header) {
        (_, "service" | "topic" | "consumer group" | "source" | "saga" | "topic / group") => {
            return Ok(None);
        }
        ("service", "utilisation" | "util") => "/utilisation",
        ("service", "throughput") => "/throughput_per_sec",
        ("service", "mean queue") => "/mean_queue",
        ("service", "max queue") => "/max_queue",
        ("service", "mean wait") => "/mean_wait_secs",
        ("service", "in system") => "/mean_time_in_system_secs",
        ("service", "time in system p50") => "/time_in_system/p50_secs",
        ("service", "p99") => "/time_in_system/p99_secs",
        ("service", "retries") => "/retries",
        ("service", "dead-lettered") => "/dead_lettered",
        ("group", "consumed") => "/consumed",
        ("group", "max lag") => "/max_lag",
        ("group", "mean lag") => "/mean_lag",
        ("group", "expired") => "/expired",
        ("group", "rebalances") => "/rebalances",
        ("source", "items") => "/emitted",
        ("source", "completed") => "/completed",
        ("source", "failed") => "/failed",
        ("source", "mean") => "/end_to_end/mean_secs",
        ("source", "p50" | "end to end p50") => "/end_to_end/p50_secs",
        ("source", "p95") => "/end_to_end/p95_secs",
        ("source", "p99") => "/end_to_end/p99_secs",
        ("saga", "started") => "/started",
        ("saga", "completed") => "/outcomes/completed",
        ("saga", "compensated") => "/outcomes/compensated",
        ("saga", "timed out") => "/outcomes/timed_out",
        ("saga", "compensation failed") => "/outcomes/compensation_failed",
        ("saga", "stuck") => "/outcomes/stuck",
        ("saga", "in progress") => "/outcomes/in_progress",
        ("saga", "p99 duration") => "/duration/p99_secs",
        ("saga", "duration mean") => "/duration/mean_secs",
        ("saga", "compensations") => "/compensations",
        ("saga", "step timeouts") => "/step_timeouts",
        ("saga", "late replies") => "/late_replies",
        _ => {
            return Err(format!(
                "the {table} column {header:?} names no field of the report"
            ));
        }
    }))
}

/// Which report element a row of a run table is, as a JSON pointer.
fn element(json: &Value, table: &str, row: &[String]) -> String {
    let index = |list: &str, name: &str| -> usize {
        json[list]
            .as_array()
            .unwrap()
            .iter()
            .position(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no {list} named {name:?} in the report"))
    };
    match table {
        "service" => format!("/services/{}", index("services", &row[0])),
        "source" => format!("/sources/{}", index("sources", &row[0])),
        "saga" => format!("/sagas/{}", index("sagas", &row[0])),
        "group" => {
            let (topic, group) = row[0]
                .split_once(" / ")
                .map_or((row[0].as_str(), row[1].as_str()), |(t, g)| (t, g));
            let t = index("topics", topic);
            let g = json["topics"][t]["groups"]
                .as_array()
                .unwrap()
                .iter()
                .position(|e| e["name"] == group)
                .unwrap();
            format!("/topics/{t}/groups/{g}")
        }
        _ => unreachable!(),
    }
}

/// Which kind of run table this is, from its header; `None` for the model's tables
/// and the findings (checked elsewhere).
fn run_table(head: &[String]) -> Option<&'static str> {
    let has = |h: &str| head.iter().any(|x| x == h);
    match head[0].as_str() {
        "service" if !has("instances × workers") => Some("service"),
        "topic" if has("consumer group") => Some("group"),
        "topic / group" => Some("group"),
        "source" => Some("source"),
        "saga" if has("started") => Some("saga"),
        _ => None,
    }
}

/// Check every figure of every run table; returns what each column was called, per
/// field, so that names can be compared across forms.
fn check_tables(
    form: &str,
    json: &Value,
    tables: &[Table],
    names: &mut BTreeMap<String, Vec<(String, String)>>,
) -> usize {
    let mut checked = 0;
    for t in tables {
        let Some(kind) = run_table(&t.head) else {
            continue;
        };
        for row in &t.rows {
            let at = element(json, kind, row);
            for (header, cell) in t.head.iter().zip(row) {
                let Some(path) = field(kind, header).unwrap_or_else(|e| panic!("{form}: {e}"))
                else {
                    continue;
                };
                let want = json
                    .pointer(&format!("{at}{path}"))
                    .and_then(Value::as_f64)
                    .unwrap_or_else(|| panic!("{form}: no number at {at}{path}"));
                let (got, tolerance) = read(cell)
                    .unwrap_or_else(|| panic!("{form}: {kind} {header}: {cell:?} is no figure"));
                assert!(
                    (got - want).abs() <= tolerance,
                    "{form}: {kind} {:?} {header} shows {cell} but the report has {want}",
                    row[0]
                );
                names
                    .entry(format!("{kind}{path}"))
                    .or_default()
                    .push((form.to_owned(), header.clone()));
                checked += 1;
            }
        }
    }
    checked
}

/// The terminal's saga lines: "saga NAME: N started — N completed, …" and
/// "duration mean Xs p99 Ys; N compensations, …", as a one-row table per saga.
fn text_sagas(text: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("saga ") else {
            continue;
        };
        let (name, figures) = rest.split_once(": ").unwrap();
        let second = lines.next().unwrap().trim();
        let (durations, counts) = second.split_once("; ").unwrap();
        let mut head = vec!["saga".to_owned()];
        let mut row = vec![name.to_owned()];
        for part in figures
            .split(" — ")
            .flat_map(|p| p.split(", "))
            .chain(counts.split(", "))
        {
            let (n, label) = part.split_once(' ').unwrap();
            head.push(label.to_owned());
            row.push(n.to_owned());
        }
        let d: Vec<&str> = durations.split(' ').collect();
        assert_eq!((d[0], d[1], d[3]), ("duration", "mean", "p99"), "{second}");
        head.extend(["duration mean".to_owned(), "p99 duration".to_owned()]);
        row.extend([d[2].to_owned(), d[4].to_owned()]);
        tables.push(Table {
            head,
            rows: vec![row],
        });
    }
    tables
}

fn text_tables(text: &str, json: &Value) -> Vec<Table> {
    let list = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let groups: Vec<String> = json["topics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            t["groups"].as_array().unwrap().iter().map(move |g| {
                format!(
                    "{} / {}",
                    t["name"].as_str().unwrap(),
                    g["name"].as_str().unwrap()
                )
            })
        })
        .collect();
    let mut tables: Vec<Table> = [
        ("service", list("services")),
        ("source", list("sources")),
        ("topic / group", groups),
    ]
    .into_iter()
    .filter_map(|(first, names)| text_table(text, first, &names))
    .collect();
    tables.extend(text_sagas(text));
    tables
}

/// The findings and assertions, in the same words in every form.
fn check_findings(report: &Report, text: &str, md: &[Table], html: &[Table]) {
    for form in [md, html] {
        let findings = form.iter().find(|t| t.head[0] == "rank");
        let rows = findings.map_or(&[][..], |t| &t.rows[..]);
        assert_eq!(rows.len(), report.bottlenecks.len());
        for (b, row) in report.bottlenecks.iter().zip(rows) {
            assert_eq!(row[1], b.element.to_string());
            assert_eq!(
                row[2],
                b.kind.label(),
                "a finding is called what the text calls it"
            );
            assert_eq!(row[3], b.evidence);
            assert!(text.contains(&format!(
                "{} — {}: {}",
                b.element,
                b.kind.label(),
                b.evidence
            )));
        }
        let assertions = form.iter().find(|t| t.head[0] == "assertion");
        let rows = assertions.map_or(&[][..], |t| &t.rows[..]);
        assert_eq!(rows.len(), report.assertions.len());
        for (a, row) in report.assertions.iter().zip(rows) {
            assert_eq!(row[0], a.assertion);
            assert_eq!(row[1], if a.passed { "passed" } else { "FAILED" });
            assert_eq!(row[2], a.measured);
            let verdict = if a.passed { "PASS" } else { "FAIL" };
            assert!(text.contains(&format!("{verdict} {} ({})", a.assertion, a.measured)));
        }
    }
}

#[test]
fn every_figure_of_every_example_agrees_across_the_report_forms() {
    for example in eventscape::examples::ALL {
        let model = example.model().unwrap();
        let (report, text, md, html) = run(&model);
        let json = serde_json::to_value(&report).unwrap();
        let (md_t, html_t) = (md_tables(&md), html_tables(&html));
        let mut names = BTreeMap::new();
        let checked = [
            check_tables("markdown", &json, &md_t, &mut names),
            check_tables("html", &json, &html_t, &mut names),
            check_tables("text", &json, &text_tables(&text, &json), &mut names),
        ];
        assert!(
            checked.iter().all(|&n| n > 10),
            "{}: every form shows figures ({checked:?})",
            example.name
        );
        // A field is called the same in every form that shows it (the terminal may
        // abbreviate "utilisation" to fit).
        for (field, shown) in &names {
            let mut labels: Vec<&str> = shown
                .iter()
                .map(|(_, h)| {
                    if h == "util" {
                        "utilisation"
                    } else {
                        h.as_str()
                    }
                })
                .collect();
            labels.sort_unstable();
            labels.dedup();
            assert!(
                labels.len() == 1 || field.ends_with("p50_secs") || field.ends_with("p99_secs"),
                "{}: {field} goes by several names: {shown:?}",
                example.name
            );
        }
        let events = format!("{} engine events", report.events);
        assert!(text.contains(&events) && md.contains(&events) && html.contains(&events));
        check_findings(&report, &text, &md_t, &html_t);
    }
}

#[test]
fn a_run_stopped_at_its_budget_says_so_in_every_form() {
    use eventscape::export::{ExportFormat, ExportOptions, write_within};
    use eventscape::sim::budget::Budget;
    let model = eventscape::examples::DEFAULT.model().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (format, mark) in [
        (
            ExportFormat::Report,
            "Partial run: stopped at the event budget of 5000 events",
        ),
        (
            ExportFormat::Html,
            "Partial run: stopped at the event budget of 5000 events",
        ),
    ] {
        let out = dir.path().join(format!("r.{}", format.extension()));
        let options = ExportOptions {
            budget: Budget {
                max_events: Some(5_000),
                max_wall: None,
            },
            ..ExportOptions::new(format)
        };
        write_within(&model, &options, &out).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains(mark), "{format:?}: {mark}");
    }
    // The text and JSON forms carry the same words from the report.
    let out = super::eventscape(&[
        "simulate",
        "--max-events",
        "5000",
        "--format",
        "json",
        "models/order-saga.ron",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["partial"], true);
    let why = json["stopped"].as_str().unwrap();
    assert!(why.starts_with("stopped at the event budget of 5000 events; the figures cover"));
    let out = super::eventscape(&["simulate", "--max-events", "5000", "models/order-saga.ron"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("PARTIAL RUN: {why}\n")), "{text}");
}
