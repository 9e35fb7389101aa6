//! The properties of each kind of element, as inspector forms.

use eframe::egui;

mod event;
mod projection;
mod saga;
mod service;
mod source;
mod store;
mod topic;

use event::event_form;
use projection::projection_form;
use saga::saga_form;
use service::service_form;
use source::source_form;
use store::store_form;
use topic::topic_form;

use super::fields::{Form, parse, ron_block, ron_line};
use crate::model::{
    ElementKind, ElementRef, EventStore, EventType, Model, Projection, Saga, Service, Source,
    Topic, edit,
};

fn missing(kind: &str, name: &str) -> String {
    format!("the {kind} \"{name}\" no longer exists")
}

macro_rules! finder {
    ($fn:ident, $field:ident, $ty:ty, $kind:literal) => {
        fn $fn<'m>(m: &'m mut Model, name: &str) -> Result<&'m mut $ty, String> {
            m.$field
                .iter_mut()
                .find(|x| x.name == name)
                .ok_or_else(|| missing($kind, name))
        }
    };
}
finder!(service, services, Service, "service");
finder!(topic, topics, Topic, "topic");
finder!(event, events, EventType, "event type");
finder!(saga, sagas, Saga, "saga");
finder!(store, stores, EventStore, "event store");
finder!(projection, projections, Projection, "projection");
finder!(source, sources, Source, "source");

/// Name (renaming follows every reference) and description, common to every kind.
fn name_and_description(
    ui: &mut egui::Ui,
    f: &mut Form,
    el: &ElementRef,
    description: &str,
    find_description: for<'m> fn(&'m mut Model, &str) -> Result<&'m mut String, String>,
) {
    let target = el.clone();
    f.line(
        ui,
        ("Name", "", "name"),
        &el.name,
        parse::name,
        move |m, to: String| edit::rename(m, &target, &to).map_err(|e| e.to_string()),
    );
    let name = el.name.clone();
    f.line(
        ui,
        ("Description", "what it is for", "description"),
        description,
        |t| Ok(t.to_owned()),
        move |m, v| {
            *find_description(m, &name)? = v;
            Ok(())
        },
    );
}

/// The form of one element; returns the changed model and, after a rename, the new
/// name.
pub fn element_form(ui: &mut egui::Ui, model: &Model, el: &ElementRef) -> Option<(Model, String)> {
    let n = el.name.clone();
    let path = match el.kind {
        ElementKind::Service => format!("services[{n}]"),
        ElementKind::Topic => format!("topics[{n}]"),
        ElementKind::Event => format!("events[{n}]"),
        ElementKind::Saga => format!("sagas[{n}]"),
        ElementKind::Store => format!("stores[{n}]"),
        ElementKind::Projection => format!("projections[{n}]"),
        ElementKind::Source => format!("sources[{n}]"),
    };
    let mut f = Form::new(model, path);
    match el.kind {
        ElementKind::Service => {
            service_form(ui, &mut f, el, model.services.iter().find(|x| x.name == n)?);
        }
        ElementKind::Topic => {
            topic_form(ui, &mut f, el, model.topics.iter().find(|x| x.name == n)?);
        }
        ElementKind::Event => {
            event_form(ui, &mut f, el, model.events.iter().find(|x| x.name == n)?);
        }
        ElementKind::Saga => {
            saga_form(ui, &mut f, el, model.sagas.iter().find(|x| x.name == n)?);
        }
        ElementKind::Store => {
            store_form(ui, &mut f, el, model.stores.iter().find(|x| x.name == n)?);
        }
        ElementKind::Projection => {
            projection_form(
                ui,
                &mut f,
                el,
                model.projections.iter().find(|x| x.name == n)?,
            );
        }
        ElementKind::Source => {
            source_form(ui, &mut f, el, model.sources.iter().find(|x| x.name == n)?);
        }
    }
    f.changed
}

/// The model's own properties, faults and assertions (shown when nothing is selected).
pub fn model_form(ui: &mut egui::Ui, model: &Model) -> Option<Model> {
    let mut f = Form::new(model, "");
    f.line(
        ui,
        ("Model name", "", "name"),
        &model.name,
        parse::name,
        |m, v| {
            m.name = v;
            Ok(())
        },
    );
    f.line(
        ui,
        ("Description", "", "description"),
        &model.description,
        |t| Ok(t.to_owned()),
        |m, v| {
            m.description = v;
            Ok(())
        },
    );
    f.line(
        ui,
        ("Seed", "", "seed"),
        &model.seed.to_string(),
        parse::whole,
        |m, v| {
            m.seed = v;
            Ok(())
        },
    );
    f.line(
        ui,
        ("Run duration", "", "duration"),
        &model.duration.to_string(),
        parse::duration,
        |m, v| {
            m.duration = v;
            Ok(())
        },
    );
    egui::CollapsingHeader::new(format!("Faults ({})", model.faults.len())).show(ui, |ui| {
        f.block(
            ui,
            "Faults",
            "faults",
            &ron_block(&model.faults),
            parse::ron,
            |m, v| {
                m.faults = v;
                Ok(())
            },
        );
    });
    egui::CollapsingHeader::new(format!("Assertions ({})", model.assertions.len())).show(
        ui,
        |ui| {
            f.block(
                ui,
                "Assertions",
                "assertions",
                &ron_block(&model.assertions),
                parse::ron,
                |m, v| {
                    m.assertions = v;
                    Ok(())
                },
            );
        },
    );
    f.changed.map(|(m, _)| m)
}
