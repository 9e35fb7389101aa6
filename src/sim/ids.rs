//! Typed indices of what the engine keeps in lists.
//!
//! The model's elements keep the ids the model layer gives them (a service of the
//! plan is at the same position as in the model); the engine adds its own for what
//! only it has: consumer groups and the slots of messages in flight. Each indexes its
//! own kind of `Vec` directly (`plan.services[id]`), so a topic id can never be used
//! where a service id is meant, and no lookup falls back to element 0.

use std::ops::{Index, IndexMut};

pub use crate::model::{ProjectionId, SagaId, ServiceId, SourceId, StoreId, TopicId};

/// A consumer group (one per topic and group name), by position in `Plan::groups`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u32);

/// A message in flight: its slot in the engine's message slab (slots are reused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgId(pub u32);

/// A fault of the model, by position in `Plan::faults`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaultId(pub u32);

/// A position as an id: lists of the model and the engine never approach 2³² entries.
pub(crate) fn id32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

macro_rules! positions {
    ($($id:ident),* $(,)?) => {$(
        impl $id {
            /// Position in its list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

positions!(GroupId, MsgId, FaultId);

macro_rules! indexes {
    ($($id:ty),* $(,)?) => {$(
        impl<T> Index<$id> for Vec<T> {
            type Output = T;

            #[inline]
            fn index(&self, id: $id) -> &T {
                &self[id.0 as usize]
            }
        }

        impl<T> IndexMut<$id> for Vec<T> {
            #[inline]
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0 as usize]
            }
        }
    )*};
}

indexes!(
    ServiceId,
    TopicId,
    SagaId,
    SourceId,
    StoreId,
    ProjectionId,
    GroupId,
    MsgId,
    FaultId,
);
