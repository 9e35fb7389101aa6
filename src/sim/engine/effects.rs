//! Choreographed compensations: per workload item, which events that another event
//! `compensates` it published, and which of them a later failure made due.
//!
//! The model declares the pairs: an event type with `compensates: "E"` undoes `E`,
//! and event types with `failure: true` report that the process failed
//! (`Plan::compensations`, `TypeInfo::failure`). While an item runs, every event it
//! publishes or appends is noted in order:
//! - `E` published: the item has an effect that may need undoing;
//! - a failure event published: every effect noted so far becomes *due*;
//! - the compensating event published: its effect is undone (no longer noted or due).
//!
//! When the item's last work is done, each compensation still due is an orphaned
//! effect: counted in `Stats::choreography`, with an `OrphanedEffect` record at the
//! item's source. A model without `compensates` costs nothing here.

use super::{NONE, Simulation};
use crate::sim::plan::TypeId;
use crate::sim::stats::{ChoreographyStats, EXAMPLES};
use crate::sim::trace::{Record, TraceKind, Where};

/// One item slot's notes: bit `j` is `Plan::compensations[j]`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ItemEffects {
    /// The correlation id the notes belong to (a slot is reused by later items).
    corr_id: u64,
    /// Effects published and not undone.
    seen: u64,
    /// Effects a later failure made due for compensation.
    due: u64,
}

impl Simulation {
    /// An item published (or appended) an event of type `ty`.
    #[inline]
    pub(crate) fn note_event(&mut self, ty: TypeId, corr: u32) {
        if self.plan.compensations.is_empty() || corr == NONE {
            return;
        }
        self.note_event_slow(ty, corr);
    }

    fn note_event_slow(&mut self, ty: TypeId, corr: u32) {
        let id = self.corr_id(corr);
        let slot = corr as usize;
        if self.item_effects.len() <= slot {
            self.item_effects.resize(slot + 1, ItemEffects::default());
        }
        let notes = &mut self.item_effects[slot];
        if notes.corr_id != id {
            *notes = ItemEffects {
                corr_id: id,
                ..ItemEffects::default()
            };
        }
        for (j, &(effect, undo)) in self.plan.compensations.iter().enumerate() {
            let bit = 1u64 << j;
            if ty == undo {
                notes.seen &= !bit;
                notes.due &= !bit;
            }
            if ty == effect {
                notes.seen |= bit;
            }
        }
        let failure = self.plan.types.get(ty as usize).is_some_and(|t| t.failure);
        if failure {
            let newly = notes.seen & !notes.due;
            notes.due |= notes.seen;
            if newly != 0 {
                let n = self.plan.compensations.len();
                let stats = &mut self.stats.choreography;
                stats.resize(n, ChoreographyStats::default());
                for (j, s) in stats.iter_mut().enumerate() {
                    if newly & (1 << j) != 0 {
                        s.due += 1;
                    }
                }
            }
        }
    }

    /// The item in slot `corr` has ended (its `ItemCompleted` record is `cause`):
    /// count the compensations still due as orphaned effects.
    #[inline]
    pub(crate) fn judge_item_effects(&mut self, corr: u32, cause: u64) {
        if self.plan.compensations.is_empty() {
            return;
        }
        let id = self.corr_id(corr);
        let Some(notes) = self.item_effects.get_mut(corr as usize) else {
            return;
        };
        if notes.corr_id != id || notes.due == 0 {
            return;
        }
        let due = std::mem::take(&mut notes.due);
        notes.seen = 0;
        let source = self.corrs[corr as usize].source;
        for j in 0..self.plan.compensations.len() {
            if due & (1 << j) == 0 {
                continue;
            }
            let (effect, undo) = self.plan.compensations[j];
            let s = &mut self.stats.choreography[j];
            s.orphaned += 1;
            if s.examples.len() < EXAMPLES {
                s.examples.push(id);
            }
            self.record(Record {
                cause,
                kind: TraceKind::OrphanedEffect,
                at: Where::Source,
                element: source.0,
                correlation: id,
                message_type: effect,
                detail: undo,
                ..Record::BLANK
            });
        }
    }
}
