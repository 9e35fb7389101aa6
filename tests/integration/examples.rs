//! Every example model loads, checks clean and round-trips; the embedded examples
//! are exactly the files in `models/`.

use eventscape::examples::{ALL, DEFAULT};
use eventscape::model::{load_file, parse, to_ron, validate};

use super::{ron_files, root};

/// Load, validate and round-trip one example file.
fn check_example(file: &str) {
    let path = root().join("models").join(file);
    let model = load_file(&path).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let problems = validate(&model);
    assert!(problems.is_empty(), "{file} is not clean:\n{problems:#?}");

    // Saving is canonical: saving what was loaded from a save gives the same bytes,
    // and loading a save gives the same model.
    let saved = to_ron(&model).unwrap();
    let reloaded = parse(&saved).unwrap_or_else(|e| panic!("{file}: {e}\n{saved}"));
    assert_eq!(reloaded, model, "{file}: load(save(m)) != m");
    assert_eq!(
        to_ron(&reloaded).unwrap(),
        saved,
        "{file}: save is not stable"
    );
}

#[test]
fn order_choreography() {
    check_example("order-choreography.ron");
}

#[test]
fn order_saga() {
    check_example("order-saga.ron");
}

#[test]
fn cqrs_event_sourcing() {
    check_example("cqrs-event-sourcing.ron");
}

#[test]
fn notification_vs_state_transfer() {
    check_example("notification-vs-state-transfer.ron");
}

#[test]
fn every_model_file_is_an_embedded_example_with_a_test() {
    let files: Vec<String> = ron_files("models")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut embedded: Vec<String> = ALL.iter().map(|e| e.file.to_owned()).collect();
    embedded.sort();
    assert_eq!(
        files, embedded,
        "add new models to examples::ALL and give them a test above"
    );
    for e in ALL {
        let on_disk = std::fs::read_to_string(root().join("models").join(e.file)).unwrap();
        assert_eq!(
            on_disk, e.text,
            "{} embedded text differs from the file",
            e.file
        );
    }
}

#[test]
fn the_default_example_is_the_orchestrated_saga() {
    let model = DEFAULT.model().unwrap();
    assert_eq!(model.sagas.len(), 1);
    assert!(model.sagas[0].steps.iter().any(|s| s.compensate.is_some()));
}

#[test]
fn examples_cover_the_concepts_of_the_design() {
    use eventscape::model::{EventStyle, FaultKind, Rate, Trigger};
    let models: Vec<_> = ALL.iter().map(|e| e.model().unwrap()).collect();
    let any = |f: &dyn Fn(&eventscape::model::Model) -> bool| models.iter().any(f);
    assert!(any(&|m| !m.sagas.is_empty()), "an orchestrated saga");
    assert!(
        any(&|m| m.sagas.is_empty() && m.services.len() >= 3),
        "a choreography"
    );
    assert!(
        any(&|m| !m.stores.is_empty() && !m.projections.is_empty()),
        "event sourcing + CQRS"
    );
    assert!(
        any(&|m| m.events.iter().any(|e| e.style == EventStyle::Notification)),
        "a notification"
    );
    assert!(
        any(&|m| m
            .services
            .iter()
            .flat_map(|s| &s.handlers)
            .any(|h| h.callback.is_some())),
        "a callback"
    );
    assert!(
        any(&|m| m
            .services
            .iter()
            .flat_map(|s| &s.handlers)
            .any(|h| h.dead_letter.is_some())),
        "a DLQ"
    );
    assert!(
        any(&|m| m
            .sources
            .iter()
            .any(|s| matches!(s.rate, Rate::Bursts { .. }))),
        "bursts"
    );
    assert!(
        any(&|m| m
            .faults
            .iter()
            .any(|f| matches!(f.kind, FaultKind::Crash { .. }))),
        "a crash"
    );
    assert!(
        any(&|m| m.topics.iter().any(|t| t.archive)),
        "an archive tier"
    );
    assert!(
        any(&|m| m
            .services
            .iter()
            .flat_map(|s| &s.handlers)
            .any(|h| matches!(h.on, Trigger::Query(_)))),
        "a query"
    );
}

#[test]
fn the_model_in_the_readme_checks_clean() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("```ron\n").expect("README has a ron block") + "```ron\n".len();
    let len = readme[start..].find("```").unwrap();
    let model = parse(&readme[start..start + len]).unwrap_or_else(|e| panic!("README model: {e}"));
    assert_eq!(validate(&model), vec![], "the README's model has problems");
}
