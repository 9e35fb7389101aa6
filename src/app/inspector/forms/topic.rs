//! The inspector form of a topic.

use eframe::egui;

use super::{Form, name_and_description, parse, topic};
use crate::model::{ElementRef, Topic};

/// The properties of a topic: partitions, partition key, retention and archive tier.
pub(super) fn topic_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, t: &Topic) {
    let n = el.name.clone();
    name_and_description(ui, f, el, &t.description, |m, n| {
        Ok(&mut topic(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Partitions", "", "partitions"),
        &t.partitions.to_string(),
        parse::whole_u32,
        move |m, v| {
            topic(m, &k)?.partitions = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Partition key", "none: round robin", "key"),
        t.key.as_deref().unwrap_or_default(),
        parse::optional(|t| Ok(t.to_owned())),
        move |m, v| {
            topic(m, &k)?.key = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Retention", "forever", "retention"),
        &t.retention.map(|d| d.to_string()).unwrap_or_default(),
        parse::optional(parse::duration),
        move |m, v| {
            topic(m, &k)?.retention = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.flag(ui, "Archive tier", t.archive, move |m, v| {
        topic(m, &k)?.archive = v;
        Ok(())
    });
}
