//! The inspector form of a saga.

use eframe::egui;

use super::{Form, name_and_description, parse, ron_block, ron_line, saga};
use crate::model::{ElementRef, OnLateSuccess, OnTimeout, Saga};

/// The properties of a saga: its orchestrator, trigger and per-step work, what it does
/// on a timeout and with a late success reply, each step as RON, and the actions on
/// completion and on abort.
pub(super) fn saga_form(ui: &mut egui::Ui, f: &mut Form, el: &ElementRef, s: &Saga) {
    let n = el.name.clone();
    name_and_description(ui, f, el, &s.description, |m, n| {
        Ok(&mut saga(m, n)?.description)
    });
    let k = n.clone();
    f.line(
        ui,
        ("Orchestrator (service)", "", "orchestrator"),
        &s.orchestrator,
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
        &ron_line(&s.trigger),
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
        &ron_line(&s.latency),
        parse::ron,
        move |m, v| {
            saga(m, &k)?.latency = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.choice(
        ui,
        "When a step times out",
        s.on_timeout,
        &[OnTimeout::GiveUp, OnTimeout::Compensate],
        move |m, v| {
            saga(m, &k)?.on_timeout = v;
            Ok(())
        },
    );
    let k = n.clone();
    f.choice(
        ui,
        "A success reply after the saga stopped waiting",
        s.on_late_success,
        &[OnLateSuccess::Ignore, OnLateSuccess::Compensate],
        move |m, v| {
            saga(m, &k)?.on_late_success = v;
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
                &ron_block(st),
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
        &ron_block(&s.on_complete),
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
        &ron_block(&s.on_abort),
        parse::ron,
        move |m, v| {
            saga(m, &k)?.on_abort = v;
            Ok(())
        },
    );
}
