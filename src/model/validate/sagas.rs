//! Sagas: the orchestrator and participants exist, each step's command is handled by
//! its service, the replies named are ones the service sends, and every step that a
//! later failure could need to undo has a compensation.

use super::Cx;
use super::refs::{action, command_ref, service_ref, subscription};
use crate::model::{ElementKind, Handler, Saga, Step, Trigger};

pub(super) fn check(cx: &mut Cx) {
    let m = cx.model;
    for saga in &m.sagas {
        cx.on(ElementKind::Saga, &saga.name);
        let path = format!("sagas[{}]", saga.name);
        service_ref(cx, &format!("{path}.orchestrator"), &saga.orchestrator);
        match &saga.trigger {
            Trigger::Event {
                event,
                topic,
                version,
                ..
            } => {
                subscription(cx, &format!("{path}.trigger"), event, topic, *version);
            }
            Trigger::Command(name) if name.trim().is_empty() => {
                cx.error(format!("{path}.trigger"), "the trigger command has no name");
            }
            Trigger::Command(name) => command_trigger(cx, &path, saga, name),
            Trigger::Query(_) => {
                cx.error(format!("{path}.trigger"), "a saga cannot be started by a query")
                    .hint("start it with an `Event(…)` from a topic or a `Command(…)` to the orchestrator");
            }
        }
        for (i, step) in saga.steps.iter().enumerate() {
            self::step(cx, &format!("{path}.steps[{i}]"), step);
        }
        for (i, a) in saga.on_complete.iter().enumerate() {
            action(cx, &format!("{path}.on_complete[{i}]"), a, false);
        }
        for (i, a) in saga.on_abort.iter().enumerate() {
            action(cx, &format!("{path}.on_abort[{i}]"), a, false);
        }
        compensations(cx, &path, saga);
        policies(cx, &path, saga);
    }
    cx.off();
}

/// `on_timeout: Compensate` and `on_late_success: Compensate` send a step's
/// compensation: on a step without one they do nothing, which is worth saying.
fn policies(cx: &mut Cx, path: &str, saga: &Saga) {
    use crate::model::{OnLateSuccess, OnTimeout};
    for (i, step) in saga.steps.iter().enumerate() {
        if step.compensate.is_some() {
            continue;
        }
        let own = |field: &str| format!("{path}.steps[{i}].{field}");
        if step.on_timeout == Some(OnTimeout::Compensate) {
            cx.warning(
                own("on_timeout"),
                format!(
                    "step \"{}\" has no compensation to send when it times out",
                    step.name
                ),
            )
            .hint("add `compensate: \"…\"` to the step, or drop `on_timeout`");
        }
        if step.on_late_success == Some(OnLateSuccess::Compensate) {
            cx.warning(
                own("on_late_success"),
                format!(
                    "step \"{}\" has no compensation to send after a late success",
                    step.name
                ),
            )
            .hint("add `compensate: \"…\"` to the step, or drop `on_late_success`");
        }
    }
}

/// The handler a step's command reaches, if the model is consistent there.
fn step_handler<'m>(cx: &Cx<'m>, step: &Step) -> Option<&'m Handler> {
    cx.model
        .service(&step.service)?
        .handler_for_request(&step.command)
}

fn step(cx: &mut Cx, path: &str, step: &Step) {
    if !service_ref(cx, &format!("{path}.service"), &step.service) {
        return;
    }
    if !command_ref(cx, &format!("{path}.command"), &step.command, &step.service) {
        return;
    }
    let handler = step_handler(cx, step);
    let replies: Vec<&str> = handler.map(|h| h.replies().collect()).unwrap_or_default();
    for (field, reply) in [("success", &step.success), ("failure", &step.failure)] {
        if let Some(reply) = reply
            && !replies.contains(&reply.as_str())
        {
            let sends = if replies.is_empty() {
                "it sends no replies".to_owned()
            } else {
                format!("it replies {}", super::quoted_list(replies.iter().copied()))
            };
            cx.error(
                format!("{path}.{field}"),
                format!(
                    "service \"{}\" never replies \"{reply}\" to \"{}\"",
                    step.service, step.command
                ),
            )
            .hint(format!(
                "{sends}; add `Reply(\"{reply}\")` to an outcome of its handler, or fix the name"
            ));
        }
    }
    if handler.is_some() && replies.is_empty() {
        cx.warning(
            format!("{path}.command"),
            format!(
                "service \"{}\" never replies to \"{}\": the step can only time out",
                step.service, step.command
            ),
        )
        .hint("add `emit: [Reply(\"…\")]` to the handler so the orchestrator learns the result");
    }
    if let Some(comp) = &step.compensate {
        command_ref(cx, &format!("{path}.compensate"), comp, &step.service);
    }
}

/// Can this step fail in a way the saga must compensate for?
fn can_fail(cx: &Cx, step: &Step) -> bool {
    if step.failure.is_some() {
        return true;
    }
    let Some(h) = step_handler(cx, step) else {
        return false;
    };
    h.fail_probability > 0.0
        || step
            .success
            .as_ref()
            .is_some_and(|ok| h.replies().any(|r| r != ok.as_str()))
}

fn compensations(cx: &mut Cx, path: &str, saga: &Saga) {
    for (i, step) in saga.steps.iter().enumerate() {
        if step.compensate.is_some() {
            continue;
        }
        let later_failure = saga.steps[i + 1..].iter().find(|later| can_fail(cx, later));
        if let Some(later) = later_failure {
            cx.error(
                format!("{path}.steps[{i}].compensate"),
                format!(
                    "step \"{}\" has no compensation, but step \"{}\" after it can fail",
                    step.name, later.name
                ),
            )
            .hint(format!(
                "add `compensate: \"…\"` naming a command of service \"{}\" that undoes \"{}\"",
                step.service, step.command
            ));
        }
    }
}

/// A saga started by a command: the orchestrator takes that command for this saga
/// alone, and someone should send it.
fn command_trigger(cx: &mut Cx, path: &str, saga: &Saga, name: &str) {
    let m = cx.model;
    if let Some(orch) = m.service(&saga.orchestrator)
        && let Some(i) = orch
            .handlers
            .iter()
            .position(|h| h.on == Trigger::Command(name.to_owned()))
    {
        cx.error(
            format!("{path}.trigger"),
            format!(
                "command \"{name}\" starts this saga, but services[{}].handlers[{i}] also takes it",
                orch.name
            ),
        )
        .hint(
            "a command has one handler: remove the handler or start the saga with another command",
        );
    }
    let earlier = m
        .sagas
        .iter()
        .take_while(|s| !std::ptr::eq(*s, saga))
        .find(|s| {
            s.orchestrator == saga.orchestrator && s.trigger == Trigger::Command(name.to_owned())
        });
    if let Some(other) = earlier {
        cx.error(
            format!("{path}.trigger"),
            format!("command \"{name}\" already starts saga \"{}\"", other.name),
        )
        .hint("give each saga its own start command");
    }
    let sent = cx
        .flows
        .requests()
        .any(|r| r.origin.is_action() && r.name == name && r.to == saga.orchestrator);
    if !sent {
        cx.warning(
            format!("{path}.trigger"),
            format!(
                "nothing sends command \"{name}\" to \"{}\"",
                saga.orchestrator
            ),
        )
        .hint(format!(
            "add e.g. a source with `emit: Send(command: \"{name}\", to: \"{}\")`",
            saga.orchestrator
        ));
    }
}
