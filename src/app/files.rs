//! Where documents come from and go: file dialogs, recent files, settings that
//! outlive the window.

use std::path::{Path, PathBuf};

/// The file dialogs, behind a trait so tests can answer them.
pub trait Dialogs {
    /// The model file to open, or `None` when the user cancels.
    fn open(&mut self) -> Option<PathBuf>;
    /// Where to save, or `None` when the user cancels.
    fn save_as(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// The AsyncAPI document to import, or `None` when the user cancels; by default
    /// the same dialog as [`Dialogs::open`].
    fn open_asyncapi(&mut self) -> Option<PathBuf> {
        self.open()
    }
}

/// The platform's own dialogs (rfd). Without a desktop they return `None`.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open model")
            .add_filter("Eventscape model", &["ron"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn open_asyncapi(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Import AsyncAPI document")
            .add_filter("AsyncAPI document", &["yaml", "yml", "json"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn save_as(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Save model as")
            .add_filter("Eventscape model", &["ron"])
            .set_file_name(suggested_name)
            .save_file()
            .map(with_ron_extension)
    }
}

/// `order` becomes `order.ron`; a name with an extension is kept.
pub fn with_ron_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension("ron")
    }
}

/// A file name for a model: its name in lower case, words joined by dashes.
pub fn suggested_file_name(model_name: &str) -> String {
    let slug: Vec<String> = model_name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if slug.is_empty() {
        "model.ron".into()
    } else {
        format!("{}.ron", slug.join("-"))
    }
}

/// What the app remembers between runs (the window's size and panels are kept by
/// eframe and egui).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened or saved files, the latest first (at most [`Settings::RECENT`]).
    pub recent: Vec<PathBuf>,
    /// The light theme is on (the dark one is the default).
    pub light_theme: bool,
}

impl Settings {
    /// The key the settings are stored under in eframe's storage.
    pub const KEY: &'static str = "eventscape-settings";
    /// Most recent files kept.
    pub const RECENT: usize = 8;

    /// Put `path` first in the recent files.
    pub fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(Self::RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut s = Settings::default();
        for i in 0..10 {
            s.remember(Path::new(&format!("/nowhere/m{i}.ron")));
        }
        s.remember(Path::new("/nowhere/m5.ron"));
        assert_eq!(s.recent.len(), Settings::RECENT);
        assert_eq!(s.recent[0], Path::new("/nowhere/m5.ron"));
        assert_eq!(s.recent.iter().filter(|p| p.ends_with("m5.ron")).count(), 1);
    }

    #[test]
    fn file_names_for_models() {
        assert_eq!(
            suggested_file_name("Order fulfilment (saga)"),
            "order-fulfilment-saga.ron"
        );
        assert_eq!(suggested_file_name("  "), "model.ron");
        assert_eq!(with_ron_extension("a/b".into()), PathBuf::from("a/b.ron"));
        assert_eq!(
            with_ron_extension("a/b.txt".into()),
            PathBuf::from("a/b.txt")
        );
    }
}
