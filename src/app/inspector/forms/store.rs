//! The inspector form of an event store.

use eframe::egui;

use super::{Form, name_and_description, parse, ron_line, store};
use crate::model::{ElementRef, EventStore};

/// The properties of an event store: aggregate, append and replay times, snapshots and
/// the topic it publishes to.
pub(super) fn store_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, s: &EventStore) {
    let n = el.name.clone();
    name_and_description(ui, f, el, &s.description, |m, n| {
        Ok(&mut store(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Aggregate", "", "aggregate"),
        &s.aggregate,
        parse::name,
        move |m, v| {
            store(m, &k)?.aggregate = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Append time", "Constant(\"2ms\")", "append"),
        &ron_line(&s.append),
        parse::ron,
        move |m, v| {
            store(m, &k)?.append = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Replay per event", "", "replay_per_event"),
        &s.replay_per_event.to_string(),
        parse::duration,
        move |m, v| {
            store(m, &k)?.replay_per_event = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Snapshot every (events)", "no snapshots", "snapshot_every"),
        &s.snapshot_every.map(|x| x.to_string()).unwrap_or_default(),
        parse::optional(parse::whole_u32),
        move |m, v| {
            store(m, &k)?.snapshot_every = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Publishes to (topic)", "none", "publish_to"),
        s.publish_to.as_deref().unwrap_or_default(),
        parse::optional(parse::name),
        move |m, v| {
            store(m, &k)?.publish_to = v;
            Ok(())
        },
    );
}
