//! The properties of each kind of element, as inspector forms.

use eframe::egui;

use super::fields::{Form, parse, ron_block, ron_line};
use crate::model::{
    Compatibility, ElementKind, ElementRef, EventStore, EventStyle, EventType, Model, Projection,
    Saga, Service, Source, Topic, edit,
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
        el.name.clone(),
        parse::name,
        move |m, to: String| edit::rename(m, &target, &to).map_err(|e| e.to_string()),
    );
    let name = el.name.clone();
    f.line(
        ui,
        ("Description", "what it is for", "description"),
        description.to_owned(),
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
            let s = model.services.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &s.description, |m, n| {
                Ok(&mut service(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Instances", "", "instances"),
                s.instances.to_string(),
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
                s.concurrency.to_string(),
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
                s.queue.map(|q| q.to_string()).unwrap_or_default(),
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
                        ron_block(h),
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
                    s.handlers.push(crate::model::Handler::new(
                        crate::model::Trigger::Command(command),
                        crate::model::Distribution::Constant("10ms".parse().unwrap_or_default()),
                    ));
                    f.changed = Some((m, String::new()));
                }
            }
        }
        ElementKind::Topic => {
            let t = model.topics.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &t.description, |m, n| {
                Ok(&mut topic(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Partitions", "", "partitions"),
                t.partitions.to_string(),
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
                t.key.clone().unwrap_or_default(),
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
                t.retention.map(|d| d.to_string()).unwrap_or_default(),
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
        ElementKind::Event => {
            let e = model.events.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &e.description, |m, n| {
                Ok(&mut event(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Schema version", "", "version"),
                e.version.to_string(),
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
                e.payload_bytes.to_string(),
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
        ElementKind::Saga => {
            let s = model.sagas.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &s.description, |m, n| {
                Ok(&mut saga(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Orchestrator (service)", "", "orchestrator"),
                s.orchestrator.clone(),
                parse::name,
                move |m, v| {
                    saga(m, &k)?.orchestrator = v;
                    Ok(())
                },
            );
            let k = n.clone();
            f.line(
                ui,
                (
                    "Started by",
                    "Event(event: ..., topic: ...) or Command(\"...\")",
                    "trigger",
                ),
                ron_line(&s.trigger),
                parse::ron,
                move |m, v| {
                    saga(m, &k)?.trigger = v;
                    Ok(())
                },
            );
            let k = n.clone();
            f.line(
                ui,
                ("Orchestrator work per step", "Constant(\"1ms\")", "latency"),
                ron_line(&s.latency),
                parse::ron,
                move |m, v| {
                    saga(m, &k)?.latency = v;
                    Ok(())
                },
            );
            for (i, st) in s.steps.iter().enumerate() {
                let k = n.clone();
                let header = egui::CollapsingHeader::new(format!("Step {}: {}", i + 1, st.name))
                    .id_salt(("step", i));
                header.show(ui, |ui| {
                    f.block(
                        ui,
                        "Step (RON)",
                        &format!("steps[{i}]"),
                        ron_block(st),
                        parse::ron,
                        move |m, v| {
                            *saga(m, &k)?
                                .steps
                                .get_mut(i)
                                .ok_or("the step no longer exists")? = v;
                            Ok(())
                        },
                    );
                });
            }
            let k = n.clone();
            f.block(
                ui,
                "On complete (actions)",
                "on_complete",
                ron_block(&s.on_complete),
                parse::ron,
                move |m, v| {
                    saga(m, &k)?.on_complete = v;
                    Ok(())
                },
            );
            let k = n.clone();
            f.block(
                ui,
                "On abort (actions)",
                "on_abort",
                ron_block(&s.on_abort),
                parse::ron,
                move |m, v| {
                    saga(m, &k)?.on_abort = v;
                    Ok(())
                },
            );
        }
        ElementKind::Store => {
            let s = model.stores.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &s.description, |m, n| {
                Ok(&mut store(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Aggregate", "", "aggregate"),
                s.aggregate.clone(),
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
                ron_line(&s.append),
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
                s.replay_per_event.to_string(),
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
                s.snapshot_every.map(|x| x.to_string()).unwrap_or_default(),
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
                s.publish_to.clone().unwrap_or_default(),
                parse::optional(parse::name),
                move |m, v| {
                    store(m, &k)?.publish_to = v;
                    Ok(())
                },
            );
        }
        ElementKind::Projection => {
            let p = model.projections.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &p.description, |m, n| {
                Ok(&mut projection(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Store", "", "store"),
                p.store.clone(),
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
                ron_line(&p.update),
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
                p.reads_per_sec.to_string(),
                parse::number,
                move |m, v| {
                    projection(m, &k)?.reads_per_sec = v;
                    Ok(())
                },
            );
        }
        ElementKind::Source => {
            let s = model.sources.iter().find(|x| x.name == n)?;
            name_and_description(ui, &mut f, el, &s.description, |m, n| {
                Ok(&mut source(m, n)?.description)
            });
            let k = n.clone();
            f.line(
                ui,
                ("Emits", "Publish(event: ..., topic: ...)", "emit"),
                ron_line(&s.emit),
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
                ron_line(&s.rate),
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
                s.keys.to_string(),
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
                s.start.map(|d| d.to_string()).unwrap_or_default(),
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
                s.stop.map(|d| d.to_string()).unwrap_or_default(),
                parse::optional(parse::duration),
                move |m, v| {
                    source(m, &k)?.stop = v;
                    Ok(())
                },
            );
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
        model.name.clone(),
        parse::name,
        |m, v| {
            m.name = v;
            Ok(())
        },
    );
    f.line(
        ui,
        ("Description", "", "description"),
        model.description.clone(),
        |t| Ok(t.to_owned()),
        |m, v| {
            m.description = v;
            Ok(())
        },
    );
    f.line(
        ui,
        ("Seed", "", "seed"),
        model.seed.to_string(),
        parse::whole,
        |m, v| {
            m.seed = v;
            Ok(())
        },
    );
    f.line(
        ui,
        ("Run duration", "", "duration"),
        model.duration.to_string(),
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
            ron_block(&model.faults),
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
                ron_block(&model.assertions),
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
            .any(|h| matches!(&h.on, crate::model::Trigger::Command(c) | crate::model::Trigger::Query(c) if c == name))
    };
    let mut name = format!("{base}Command");
    let mut i = 2;
    while taken(&name) {
        name = format!("{base}Command{i}");
        i += 1;
    }
    name
}
