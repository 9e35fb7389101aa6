//! Fuzzing `check` and `simulate`: structure-aware mutations of the example models
//! (numbers to extremes, durations to extremes, names swapped, lines dropped or
//! duplicated) are loaded and validated, and whatever checks clean is simulated for a
//! little simulated time within an event budget. Nothing may panic or abort, and the
//! work is bounded by the budget (events, not wall time), with every message
//! accounted for.
//!
//! `cargo test` runs a short version; for a long one:
//! `PROPTEST_CASES=5000 cargo test --test integration fuzz`.

use eventscape::examples::ALL;
use eventscape::model::{Severity, parse, validate};
use eventscape::sim::budget::{self, Budget, NotStarted};
use eventscape::sim::{RunOptions, Simulation};
use proptest::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Events one fuzzed run may take.
const MAX_EVENTS: u64 = 20_000;
/// Simulated time of one fuzzed run, at most: 30 s.
const MAX_RUN_NANOS: u64 = 30_000_000_000;
/// Cases of the short version in `cargo test` (PROPTEST_CASES overrides).
const SHORT_CASES: u32 = 64;

/// One change to a model's text, aware of its tokens.
#[derive(Debug, Clone)]
enum Mutation {
    /// The k-th number becomes the j-th extreme of its kind (whole or fraction).
    Number(usize, usize),
    /// The k-th duration string becomes this.
    Duration(usize, &'static str),
    /// The i-th and j-th quoted strings (names, references) trade places.
    SwapNames(usize, usize),
    /// The k-th quoted string becomes the j-th (two elements get the same name, or a
    /// reference points elsewhere).
    CopyName(usize, usize),
    /// Line k goes.
    DropLine(usize),
    /// Line k appears twice.
    DuplicateLine(usize),
}

/// Extremes for a whole number (counts, sizes, seeds, keys).
const INTEGERS: &[&str] = &[
    "0",
    "1",
    "2",
    "100000",
    "1000000",
    "100000000",
    "4294967295",
    "18446744073709551615",
];

/// Extremes for a fraction (probabilities, rates, factors, positions).
const FLOATS: &[&str] = &[
    "0.0",
    "1.0",
    "0.5",
    "0.999999",
    "1e-300",
    "1000000.0",
    "1e9",
    "1e308",
];

const DURATIONS: &[&str] = &[
    "\"0s\"",
    "\"1ns\"",
    "\"1ms\"",
    "\"1s\"",
    "\"1h\"",
    "\"10000d\"",
    "\"584y\"",
];

/// Byte ranges of the number literals (not inside names).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            in_string = !in_string;
        } else if !in_string && c.is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
            continue;
        }
        i += 1;
    }
    out
}

/// Byte ranges of the quoted strings, quotes included.
fn strings(text: &str) -> Vec<(usize, usize)> {
    let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    quotes.chunks_exact(2).map(|q| (q[0], q[1] + 1)).collect()
}

/// Quoted strings that are durations ("250ms", "2s").
fn durations(text: &str) -> Vec<(usize, usize)> {
    strings(text)
        .into_iter()
        .filter(|&(a, b)| {
            let s = &text[a + 1..b - 1];
            s.starts_with(|c: char| c.is_ascii_digit())
                && s.ends_with(|c: char| c.is_ascii_alphabetic())
                && s.len() < 12
        })
        .collect()
}

fn replace(text: &str, (a, b): (usize, usize), with: &str) -> String {
    format!("{}{with}{}", &text[..a], &text[b..])
}

fn apply(text: &str, m: &Mutation) -> String {
    let pick = |v: &[(usize, usize)], k: usize| (!v.is_empty()).then(|| v[k % v.len()]);
    match *m {
        Mutation::Number(k, j) => pick(&numbers(text), k).map_or_else(
            || text.to_owned(),
            |r| {
                let pool = if text[r.0..r.1].contains('.') {
                    FLOATS
                } else {
                    INTEGERS
                };
                replace(text, r, pool[j % pool.len()])
            },
        ),
        Mutation::Duration(k, with) => {
            pick(&durations(text), k).map_or_else(|| text.to_owned(), |r| replace(text, r, with))
        }
        Mutation::SwapNames(i, j) => {
            let s = strings(text);
            match (pick(&s, i), pick(&s, j)) {
                (Some(x), Some(y)) if x.0 != y.0 => {
                    let (x, y) = if x.0 < y.0 { (x, y) } else { (y, x) };
                    format!(
                        "{}{}{}{}{}",
                        &text[..x.0],
                        &text[y.0..y.1],
                        &text[x.1..y.0],
                        &text[x.0..x.1],
                        &text[y.1..]
                    )
                }
                _ => text.to_owned(),
            }
        }
        Mutation::CopyName(k, j) => {
            let s = strings(text);
            match (pick(&s, k), pick(&s, j)) {
                (Some(to), Some(from)) => {
                    let name = text[from.0..from.1].to_owned();
                    replace(text, to, &name)
                }
                _ => text.to_owned(),
            }
        }
        Mutation::DropLine(k) | Mutation::DuplicateLine(k) => {
            let lines: Vec<&str> = text.lines().collect();
            let k = k % lines.len().max(1);
            let mut out: Vec<&str> = Vec::with_capacity(lines.len() + 1);
            for (i, l) in lines.iter().enumerate() {
                let drop = i == k && matches!(m, Mutation::DropLine(_));
                if !drop {
                    out.push(l);
                }
                if i == k && matches!(m, Mutation::DuplicateLine(_)) {
                    out.push(l);
                }
            }
            out.join("\n")
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(k, j)| Mutation::Number(k, j)),
        2 => (any::<usize>(), prop::sample::select(DURATIONS))
            .prop_map(|(k, s)| Mutation::Duration(k, s)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::SwapNames(i, j)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::CopyName(i, j)),
        1 => any::<usize>().prop_map(Mutation::DropLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

/// What one case did, for the counts.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Unparsable,
    Invalid,
    Refused,
    Ran,
}

/// Check the text, and simulate it briefly if it checks clean.
fn check_then_simulate(text: &str) -> Outcome {
    let Ok(model) = parse(text) else {
        return Outcome::Unparsable;
    };
    let problems = validate(&model);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Outcome::Invalid;
    }
    let options = RunOptions {
        duration_nanos: Some(model.duration.as_nanos().min(MAX_RUN_NANOS)),
        trace_capacity: 64,
        ..RunOptions::default()
    };
    let limits = Budget {
        max_events: Some(MAX_EVENTS),
        ..Budget::default()
    };
    let mut sim: Simulation = match budget::start(&model, options, &limits) {
        Ok(sim) => sim,
        Err(NotStarted::Refused(why)) => {
            assert!(!why.to_string().is_empty());
            return Outcome::Refused;
        }
        Err(NotStarted::Invalid(e)) => panic!("validated clean, yet the plan refuses: {e}"),
    };
    budget::run(&mut sim, &limits, &mut |_| {});
    let stats = sim.stats();
    assert!(stats.events <= MAX_EVENTS, "{} events", stats.events);
    assert!(sim.is_done());
    assert!(stats.messages.balanced(), "{:?}", stats.messages);
    Outcome::Ran
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SHORT_CASES)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_check_and_simulate_within_budget(
        example in 0..ALL.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let mut text = ALL[example].text.to_owned();
        for m in &mutations {
            text = apply(&text, m);
        }
        let outcome = check_then_simulate(&text);
        count(&outcome);
    }
}

/// Cases by outcome (unparsable, invalid, refused, ran), shown every 1,000 cases
/// (`--nocapture` to see them).
static COUNTS: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

fn count(outcome: &Outcome) {
    let i = match outcome {
        Outcome::Unparsable => 0,
        Outcome::Invalid => 1,
        Outcome::Refused => 2,
        Outcome::Ran => 3,
    };
    COUNTS[i].fetch_add(1, Ordering::Relaxed);
    let n: Vec<u64> = COUNTS.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    if n.iter().sum::<u64>() % 1000 == 0 {
        eprintln!(
            "fuzz: {} unparsable, {} invalid, {} refused, {} ran",
            n[0], n[1], n[2], n[3]
        );
    }
}

/// Every example checks clean and runs within the fuzz budget unmutated, so the fuzz
/// starts from models that run.
#[test]
fn the_unmutated_examples_run_within_the_fuzz_budget() {
    for e in ALL {
        assert_eq!(check_then_simulate(e.text), Outcome::Ran, "{}", e.name);
    }
}

/// The hostile inputs of issue 12, each answered at once with a validation error or
/// (without an event budget) a refusal: never an abort or a hang.
#[test]
fn hostile_numbers_are_refused_at_once() {
    let saga = ALL.iter().find(|e| e.name == "saga").unwrap().text;
    let cases = [
        (
            "partitions: 6",
            "partitions: 4294967295",
            "topics[orders].partitions",
        ),
        (
            "partitions: 6",
            "partitions: 100000000",
            "topics[orders].partitions",
        ),
        (
            "per_sec: 50.0",
            "per_sec: 4294967295.0",
            "sources[web shop].rate.per_sec",
        ),
        (
            "per_sec: 50.0",
            "per_sec: 1e308",
            "sources[web shop].rate.per_sec",
        ),
        (
            "Poisson(per_sec: 50.0)",
            "Bursts(size: 4000000000, every: \"1s\")",
            "sources[web shop].rate.size",
        ),
        ("per_sec: 50.0", "per_sec: 10000000.0", "refused"),
    ];
    for (from, to, expected) in cases {
        let text = saga.replacen(from, to, 1);
        assert_ne!(text, saga);
        let t = std::time::Instant::now();
        let model = parse(&text).unwrap();
        let errors: Vec<String> = validate(&model)
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.path)
            .collect();
        if expected == "refused" {
            assert!(errors.is_empty(), "{to}: {errors:?}");
            let refused = budget::start(&model, RunOptions::default(), &Budget::default());
            assert!(matches!(refused, Err(NotStarted::Refused(_))), "{to}");
        } else {
            assert_eq!(errors, [expected], "{to}");
        }
        assert!(t.elapsed().as_secs() < 1, "{to}: {:?}", t.elapsed());
    }
}
