//! The inspector form of a service.

use eframe::egui;

use super::{Form, name_and_description, parse, ron_block, service};
use crate::model::{Distribution, ElementRef, Handler, Model, Service, Trigger};

/// The properties of a service: its capacity (instances, workers, queue bound) and its
/// handlers, each edited as RON, removed, or added with a fresh command name.
pub(super) fn service_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, s: &Service) {
    let model = f.model;
    let n = el.name.clone();
    name_and_description(ui, f, el, &s.description, |m, n| {
        Ok(&mut service(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Instances", "", "instances"),
        &s.instances.to_string(),
        parse::whole_u32,
        move |m, v| {
            service(m, &k)?.instances = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Workers per instance", "", "concurrency"),
        &s.concurrency.to_string(),
        parse::whole_u32,
        move |m, v| {
            service(m, &k)?.concurrency = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.line(
        ui,
        ("Queue bound", "unbounded", "queue"),
        &s.queue.map(|q| q.to_string()).unwrap_or_default(),
        parse::optional(parse::whole_u32),
        move |m, v| {
            service(m, &k)?.queue = v;
            Ok(())
        },
    );
    for (i, h) in s.handlers.iter().enumerate() {
        let k = n.clone();
        let label = format!("Handler {}: on {}", i + 1, h.on.describe());
        let header = egui::CollapsingHeader::new(&label).id_salt(("handler", i));
        header.show(ui, |ui| {
            f.block(
                ui,
                "Handler (RON)",
                &format!("handlers[{i}]"),
                &ron_block(h),
                parse::ron,
                move |m, v| {
                    let s = service(m, &k)?;
                    *s.handlers
                        .get_mut(i)
                        .ok_or("the handler no longer exists")? = v;
                    Ok(())
                },
            );
            if ui
                .small_button(format!("Remove handler {}", i + 1))
                .clicked()
            {
                let mut m = model.clone();
                if let Ok(s) = service(&mut m, &n) {
                    s.handlers.remove(i);
                    f.changed = Some((m, String::new()));
                }
            }
        });
    }
    if ui.button("Add handler").clicked() {
        let mut m = model.clone();
        let command = fresh_command(model, &n);
        if let Ok(s) = service(&mut m, &n) {
            s.handlers.push(Handler::new(
                Trigger::Command(command),
                Distribution::Constant("10ms".parse().unwrap_or_default()),
            ));
            f.changed = Some((m, String::new()));
        }
    }
}

/// A command name no handler takes yet, made from the service's name
/// (`"order-api"` → `OrderApiCommand`, then `OrderApiCommand2`, …).
fn fresh_command(model: &Model, service: &str) -> String {
    let base: String = service
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    let taken = |name: &str| {
        model
            .services
            .iter()
            .flat_map(|s| &s.handlers)
            .any(|h| matches!(&h.on, Trigger::Command(c) | Trigger::Query(c) if c == name))
    };
    let mut name = format!("{base}Command");
    let mut i = 2;
    while taken(&name) {
        name = format!("{base}Command{i}");
        i += 1;
    }
    name
}
