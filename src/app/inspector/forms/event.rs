//! The inspector form of an event type.

use eframe::egui;

use super::{Form, event, name_and_description, parse};
use crate::model::{Compatibility, ElementRef, EventStyle, EventType};

/// The properties of an event type: schema version and compatibility, payload size and
/// style.
pub(super) fn event_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, e: &EventType) {
    let n = el.name.clone();
    name_and_description(ui, f, el, &e.description, |m, n| {
        Ok(&mut event(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Schema version", "", "version"),
        &e.version.to_string(),
        parse::whole_u32,
        move |m, v| {
            event(m, &k)?.version = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.choice(
        ui,
        "Compatibility",
        e.compatibility,
        &[
            Compatibility::Backward,
            Compatibility::Forward,
            Compatibility::Full,
            Compatibility::None,
        ],
        move |m, v| {
            event(m, &k)?.compatibility = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Payload bytes", "", "payload_bytes"),
        &e.payload_bytes.to_string(),
        parse::whole_u32,
        move |m, v| {
            event(m, &k)?.payload_bytes = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.choice(
        ui,
        "Style",
        e.style,
        &[
            EventStyle::Notification,
            EventStyle::StateTransfer,
            EventStyle::DomainEvent,
        ],
        move |m, v| {
            event(m, &k)?.style = v;
            Ok(())
        },
    );
}
