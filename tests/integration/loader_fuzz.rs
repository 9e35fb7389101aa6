//! The loader never panics: arbitrary bytes, and near-valid RON made by mutating the
//! examples, either load or give an error with a position inside the file. Whatever
//! loads also validates and round-trips without panicking.

use eventscape::examples::ALL;
use eventscape::model::{parse, to_ron, validate};
use proptest::prelude::*;

fn check_no_panic(text: &str) {
    match parse(text) {
        Ok(model) => {
            let _ = validate(&model);
            let saved = to_ron(&model).expect("a loaded model saves");
            let again = parse(&saved).expect("a saved model loads");
            // NaN != NaN, so compare the canonical text rather than the models.
            assert_eq!(to_ron(&again).unwrap(), saved);
        }
        Err(e) => {
            let lines = text.split('\n').count();
            assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
            assert!(e.offset <= text.len());
            assert!(!e.message.is_empty());
            let _ = e.render("fuzz.ron", text, false);
        }
    }
}

/// A way to damage a valid model file.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
    ReplaceNumber(usize, String),
}

fn char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> String {
    let at = |i: usize| char_boundary(text, i % (text.len() + 1));
    match m {
        Mutation::Truncate(i) => text[..at(*i)].to_owned(),
        Mutation::Delete(i, n) => {
            let a = at(*i);
            let b = char_boundary(text, (a + n).min(text.len()));
            format!("{}{}", &text[..a], &text[b..])
        }
        Mutation::Insert(i, s) => {
            let a = at(*i);
            format!("{}{s}{}", &text[..a], &text[a..])
        }
        Mutation::Duplicate(i, n) => {
            let a = at(*i);
            let b = char_boundary(text, (a + n).min(text.len()));
            format!("{}{}", &text[..b], &text[a..])
        }
        Mutation::ReplaceNumber(k, with) => {
            // Replace the k-th number in the file.
            let starts: Vec<usize> = text
                .char_indices()
                .filter(|&(i, c)| {
                    c.is_ascii_digit()
                        && (i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric())
                })
                .map(|(i, _)| i)
                .collect();
            if starts.is_empty() {
                return text.to_owned();
            }
            let a = starts[k % starts.len()];
            let b = text[a..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .map_or(text.len(), |n| a + n);
            format!("{}{with}{}", &text[..a], &text[b..])
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens = prop::sample::select(vec![
        "(",
        ")",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "//",
        "/*",
        "Some(",
        "None",
        "-1",
        "1e309",
        "NaN",
        "inf",
        "\"0s\"",
        "\"-5ms\"",
        "name: \"x\",",
        "Topic(name: \"orders\")",
        "\u{feff}",
        "é",
        "\0",
        "#![enable(implicit_some)]",
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), tokens).prop_map(|(i, s)| Mutation::Insert(i, s.to_owned())),
        (any::<usize>(), 1..200usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "0",
                "-3",
                "4294967296",
                "18446744073709551616",
                "0.0",
                "1.5",
                "99999999999"
            ])
        )
            .prop_map(|(k, s)| Mutation::ReplaceNumber(k, s.to_owned())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        match eventscape::model::parse_bytes(&bytes) {
            Ok(model) => { let _ = validate(&model); }
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        check_no_panic(&text);
    }

    #[test]
    fn near_valid_ron_never_panics(
        example in 0..ALL.len(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut text = ALL[example].text.to_owned();
        for m in &mutations {
            text = apply(&text, m);
        }
        check_no_panic(&text);
    }
}
