//! The corpus in `tests/malformed/`: each file gets a clear error at the right place
//! and the right exit code from `eventscape check`.

use std::process::Command;

use eventscape::model::{LoadError, load_file, validate};

use super::{ron_files, root};

/// What `check` must say about a file.
struct Expect {
    file: &'static str,
    /// 2: cannot be read as a model; 1: a model with problems.
    exit: i32,
    /// For exit 2, where the error points (line, column).
    at: Option<(usize, usize)>,
    /// Text the message (or, for exit 1, some problem) contains.
    says: &'static str,
    /// Text the hint contains.
    hint: &'static str,
}

const CORPUS: &[Expect] = &[
    Expect {
        file: "empty.ron",
        exit: 2,
        at: Some((1, 1)),
        says: "the file is empty",
        hint: "Model(",
    },
    Expect {
        file: "only-comments.ron",
        exit: 2,
        at: Some((1, 1)),
        says: "the file is empty",
        hint: "Model(",
    },
    Expect {
        file: "truncated.ron",
        exit: 2,
        at: Some((7, 39)),
        says: "the file ends too early",
        hint: "cut short",
    },
    Expect {
        file: "binary-junk.ron",
        exit: 2,
        at: Some((1, 1)),
        says: "not a text file",
        hint: "UTF-8",
    },
    Expect {
        file: "json-not-ron.ron",
        exit: 2,
        at: Some((1, 1)),
        says: "expected `Model(…)`",
        hint: "looks like JSON",
    },
    Expect {
        file: "wrong-type-number.ron",
        exit: 2,
        at: Some((4, 48)),
        says: "expected a whole number",
        hint: "without quotes",
    },
    Expect {
        file: "wrong-type-name.ron",
        exit: 2,
        at: Some((2, 11)),
        says: "expected text in double quotes",
        hint: "quoted",
    },
    Expect {
        file: "unknown-field.ron",
        exit: 2,
        at: Some((4, 36)),
        says: "unknown field `partitons` in `Topic`",
        hint: "did you mean `partitions`?",
    },
    Expect {
        file: "unknown-field-in-trigger.ron",
        exit: 2,
        at: Some((7, 70)),
        says: "unknown field `grop` in `Event`",
        hint: "did you mean `group`?",
    },
    Expect {
        file: "unknown-variant.ron",
        exit: 2,
        at: Some((7, 80)),
        says: "unknown kind `Fixed` in `Distribution`",
        hint: "`Constant`",
    },
    Expect {
        file: "bad-duration-unit.ron",
        exit: 2,
        at: Some((7, 89)),
        says: "invalid duration \"10 sekunden\": unknown unit \"sekunden\"",
        hint: "\"250ms\"",
    },
    Expect {
        file: "bad-duration-no-unit.ron",
        exit: 2,
        at: Some((7, 89)),
        says: "the number has no unit",
        hint: "\"30s\"",
    },
    Expect {
        file: "duration-not-quoted.ron",
        exit: 2,
        at: Some((7, 89)),
        says: "expected text in double quotes",
        hint: "\"2s\"",
    },
    Expect {
        file: "negative-partitions.ron",
        exit: 2,
        at: Some((4, 48)),
        says: "out of range",
        hint: "cannot be negative",
    },
    Expect {
        file: "missing-field.ron",
        exit: 2,
        at: None,
        says: "missing field `rate` in `Source`",
        hint: "add `rate: …`",
    },
    Expect {
        file: "trailing-text.ron",
        exit: 2,
        at: Some((11, 2)),
        says: "unexpected text after the end of the model",
        hint: "exactly one",
    },
    Expect {
        file: "unclosed-string.ron",
        exit: 2,
        at: Some((10, 57)),
        says: "expected a comma",
        hint: "closing quote",
    },
    Expect {
        file: "negative-rate.ron",
        exit: 1,
        at: None,
        says: "sources[shop].rate.per_sec: -5 is not an arrival rate",
        hint: "above zero",
    },
    Expect {
        file: "zero-partitions.ron",
        exit: 1,
        at: None,
        says: "topics[orders].partitions: a topic needs at least 1 partition",
        hint: "",
    },
    Expect {
        file: "unknown-reference.ron",
        exit: 1,
        at: None,
        says: "services[billing].handlers[0].on.topic: unknown topic \"order\"",
        hint: "did you mean \"orders\"?",
    },
    Expect {
        file: "duplicate-name.ron",
        exit: 1,
        at: None,
        says: "topics[1].name: duplicate topic name \"orders\"",
        hint: "unique",
    },
    Expect {
        file: "probabilities-not-summing.ron",
        exit: 1,
        at: None,
        says: "sum to 0.9, not 1",
        hint: "0.7 + 0.2",
    },
    Expect {
        file: "missing-compensation.ron",
        exit: 1,
        at: None,
        says: "sagas[checkout].steps[0].compensate: step \"reserve\" has no compensation, but step \"charge\" after it can fail",
        hint: "undoes",
    },
];

#[test]
fn every_corpus_file_has_an_expectation() {
    let mut listed: Vec<&str> = CORPUS.iter().map(|e| e.file).collect();
    listed.sort_unstable();
    let files: Vec<String> = ron_files("tests/malformed")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, listed);
}

#[test]
fn each_file_gets_a_clear_error_in_the_right_place() {
    for e in CORPUS {
        let path = root().join("tests/malformed").join(e.file);
        match (load_file(&path), e.exit) {
            (Err(LoadError::Parse { error, .. }), 2) => {
                assert!(
                    error.message.contains(e.says),
                    "{}: message {:?}",
                    e.file,
                    error.message
                );
                let hint = error.hint.as_deref().unwrap_or("");
                assert!(hint.contains(e.hint), "{}: hint {hint:?}", e.file);
                if let Some(at) = e.at {
                    assert_eq!((error.line, error.col), at, "{}: position", e.file);
                }
            }
            (Ok(model), 1) => {
                let problems = validate(&model);
                let found = problems.iter().find(|p| p.to_string().contains(e.says));
                let found = found.unwrap_or_else(|| {
                    panic!("{}: no problem says {:?} in {problems:#?}", e.file, e.says)
                });
                assert!(
                    found.hint.as_deref().unwrap_or("").contains(e.hint),
                    "{}: hint {:?}",
                    e.file,
                    found.hint
                );
            }
            (other, _) => panic!("{}: unexpected {other:?}", e.file),
        }
    }
}

#[test]
fn check_exits_with_the_right_code_and_shows_the_offending_line() {
    for e in CORPUS {
        let out = Command::new(env!("CARGO_BIN_EXE_eventscape"))
            .arg("check")
            .arg(root().join("tests/malformed").join(e.file))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(e.exit), "{}", e.file);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(e.says), "{}: {stdout}", e.file);
        if let Some((line, col)) = e.at {
            assert!(
                stdout.contains(&format!("{}:{line}:{col}: ", e.file)),
                "{}: no file:line:col in {stdout}",
                e.file
            );
            // The offending line is quoted with a marker under the position, except
            // for files with no text to quote.
            let quotes_source = !matches!(e.file, "empty.ron" | "binary-junk.ron");
            assert_eq!(
                stdout.contains("╰── here"),
                quotes_source,
                "{}: {stdout}",
                e.file
            );
        }
    }
}
