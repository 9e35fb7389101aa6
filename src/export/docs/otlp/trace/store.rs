//! An event store's records: each append a zero-length span.

use std::borrow::Cow;

use super::TraceBuilder;
use crate::export::docs::otlp::{AttrValue, KIND_INTERNAL, SpanKind};
use crate::sim::Record;

impl TraceBuilder<'_> {
    /// The span of an append to an event store, a zero-length child of its cause.
    pub(super) fn store_record(&mut self, r: &Record) -> usize {
        let store = self.plan.stores.get(r.element as usize).map_or_else(
            || Cow::Owned(format!("store {}", r.element)),
            |s| Cow::Borrowed(s.name.as_str()),
        );
        let ty_name = self.type_name(r.message_type);
        let parent = self.parent_of(r);
        let resource = self.spans[parent].resource.clone();
        let s = self.add(
            SpanKind::Append,
            r.message,
            r.element,
            Some(parent),
            KIND_INTERNAL,
            format!("append {ty_name} to {store}"),
            resource,
            r.time.as_nanos(),
            r.message_type,
        );
        self.common(s, r.message);
        self.set(s, "eventscape.event_store", AttrValue::Str(store));
        self.set(s, "eventscape.message_type", AttrValue::str(ty_name));
        self.close(s, r.time.as_nanos(), None);
        s
    }
}
