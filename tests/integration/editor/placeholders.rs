//! Connecting makes up an event type; deleting what used it takes it away again.

use egui::{Key, Modifiers};
use eventscape::examples::DEFAULT;
use eventscape::model::{ElementKind, ElementRef};

use super::{app_with, click, menu, model};

#[test]
fn deleting_a_connected_topic_leaves_no_made_up_event_and_undo_brings_both_back() {
    let (mut h, _) = app_with(DEFAULT.model().unwrap(), None);
    h.run_steps(3);
    menu(&mut h, "File", "New model");
    click(&mut h, "Service");
    click(&mut h, "Topic");
    let service = model(&h).services[0].name.clone();
    click(&mut h, "Connect to");
    click(
        &mut h,
        &ElementRef::new(ElementKind::Service, &service).to_string(),
    );
    click(&mut h, "Connect");
    assert_eq!(model(&h).events.len(), 1, "connecting made an event type");
    assert!(model(&h).events[0].placeholder);
    let connected = model(&h).clone();

    click(&mut h, "Delete topic");
    assert!(model(&h).topics.is_empty());
    assert!(model(&h).events.is_empty(), "no orphaned placeholder event");

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        model(&h),
        &connected,
        "one undo brings back the topic and its event"
    );
}
