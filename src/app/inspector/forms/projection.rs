//! The inspector form of a projection.

use eframe::egui;

use super::{Form, name_and_description, parse, projection, ron_line};
use crate::model::{ElementRef, Projection};

/// The properties of a projection: the store it reads, update time and read load.
pub(super) fn projection_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, p: &Projection) {
    let n = el.name.clone();
    name_and_description(ui, f, el, &p.description, |m, n| {
        Ok(&mut projection(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Store", "", "store"),
        &p.store,
        parse::name,
        move |m, v| {
            projection(m, &k)?.store = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Update time", "Constant(\"1ms\")", "update"),
        &ron_line(&p.update),
        parse::ron,
        move |m, v| {
            projection(m, &k)?.update = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Reads per second", "", "reads_per_sec"),
        &p.reads_per_sec.to_string(),
        parse::number,
        move |m, v| {
            projection(m, &k)?.reads_per_sec = v;
            Ok(())
        },
    );
}
