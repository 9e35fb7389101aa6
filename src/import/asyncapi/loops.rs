//! Endless loops the import would create: AsyncAPI says what a service receives and
//! sends, not which input causes which output, so hanging every send on one handler
//! can close a cycle (A → B → A for every message). Such a handler's sends are made
//! conditional (one of two outcomes), as the validator suggests.

use crate::model::{Model, Outcome, Severity, validate};

/// Make the sends of every handler in an endless loop conditional, noting each.
pub(super) fn break_loops(model: &mut Model, notes: &mut Vec<String>) {
    // Each round fixes one handler, so there are at most as many rounds as handlers.
    let handlers: usize = model.services.iter().map(|s| s.handlers.len()).sum();
    for _ in 0..handlers {
        let problems = validate(model);
        let found = problems
            .iter()
            .filter(|p| p.severity == Severity::Error && p.message.contains("endless loop"))
            .find_map(|p| handler_at(model, &p.path));
        let Some((s, h)) = found else {
            return;
        };
        let service = &mut model.services[s];
        let name = service.name.clone();
        let handler = &mut service.handlers[h];
        let emit = std::mem::take(&mut handler.emit);
        if emit.is_empty() {
            return;
        }
        if handler.outcomes.is_empty() {
            handler.outcomes.push(Outcome {
                probability: 0.5,
                emit: Vec::new(),
            });
        } else {
            for o in &mut handler.outcomes {
                o.probability /= 2.0;
            }
        }
        handler.outcomes.push(Outcome {
            probability: 0.5,
            emit,
        });
        notes.push(format!(
            "{name}: its sends on handling {} would loop back for every message, so they \
             happen half the time (an outcome with probability 0.5)",
            handler.on.describe()
        ));
    }
}

/// `(service, handler)` of a path `services[NAME].handlers[I]…`.
fn handler_at(model: &Model, path: &str) -> Option<(usize, usize)> {
    let rest = path.strip_prefix("services[")?;
    let split = rest.rfind("].handlers[")?;
    let name = &rest[..split];
    let tail = &rest[split + "].handlers[".len()..];
    let index: usize = tail[..tail.find(']')?].parse().ok()?;
    let s = model.services.iter().position(|s| s.name == name)?;
    (index < model.services[s].handlers.len()).then_some((s, index))
}
