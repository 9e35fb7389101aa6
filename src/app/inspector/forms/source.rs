//! The inspector form of a source.

use eframe::egui;

use super::{Form, name_and_description, parse, ron_line, source};
use crate::model::{ElementRef, Source};

/// The properties of a source: what it emits, at what rate, over how many keys, and
/// when it starts and stops.
pub(super) fn source_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, s: &Source) {
    let n = el.name.clone();
    name_and_description(ui, f, el, &s.description, |m, n| {
        Ok(&mut source(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Emits", "Publish(event: ..., topic: ...)", "emit"),
        &ron_line(&s.emit),
        parse::ron,
        move |m, v| {
            source(m, &k)?.emit = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Rate", "Poisson(per_sec: 10.0)", "rate"),
        &ron_line(&s.rate),
        parse::ron,
        move |m, v| {
            source(m, &k)?.rate = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Distinct keys", "", "keys"),
        &s.keys.to_string(),
        parse::whole,
        move |m, v| {
            source(m, &k)?.keys = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Starts at", "time zero", "start"),
        &s.start.map(|d| d.to_string()).unwrap_or_default(),
        parse::optional(parse::duration),
        move |m, v| {
            source(m, &k)?.start = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Stops at", "end of run", "stop"),
        &s.stop.map(|d| d.to_string()).unwrap_or_default(),
        parse::optional(parse::duration),
        move |m, v| {
            source(m, &k)?.stop = v;
            Ok(())
        },
    );
}
