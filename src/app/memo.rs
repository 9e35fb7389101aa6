//! Lookups of the model too slow for every frame on a big model, kept in egui's
//! memory once per document revision.

use std::hash::Hash;
use std::sync::Arc;

use eframe::egui;

/// What `make` gives, made once per document `revision` for `key`.
pub fn per_revision<T: Send + Sync + 'static>(
    ui: &egui::Ui,
    key: impl Hash + std::fmt::Debug,
    revision: u64,
    make: impl FnOnce() -> T,
) -> Arc<T> {
    let id = egui::Id::new(("per-revision", key));
    if let Some((r, value)) = ui.data(|d| d.get_temp::<(u64, Arc<T>)>(id))
        && r == revision
    {
        return value;
    }
    let value = Arc::new(make());
    ui.data_mut(|d| d.insert_temp(id, (revision, Arc::clone(&value))));
    value
}
