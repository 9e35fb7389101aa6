//! Property fields of the inspector. A field's text is checked as it is typed: first
//! parsed as the property's type, then the changed model is validated and any new
//! problem at that property refuses the value. A refused value is explained under the
//! field and changes nothing; nothing is clamped. An accepted value is applied when
//! the user presses Enter or leaves the field (one undo step per change).

use eframe::egui::{self, RichText, TextEdit};

use crate::app::theme;
use crate::model::{Model, Severity, validate};

#[derive(Clone, Default)]
struct FieldState {
    text: String,
    /// The user changed the text and it is not applied yet.
    pending: bool,
    /// Why the current text is refused.
    error: Option<String>,
}

/// Errors at `path` (or inside it) in `model`.
fn errors_at(model: &Model, path: &str) -> Vec<String> {
    validate(model)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .filter(|p| p.path == path || p.path.starts_with(&format!("{path}.")))
        .map(|p| p.message)
        .collect()
}

/// Check a text: parse it, apply it to a copy of the model, and refuse it if that
/// adds an error at `path`. Returns the changed model.
pub fn check<T>(
    model: &Model,
    path: &str,
    text: &str,
    parse: &dyn Fn(&str) -> Result<T, String>,
    apply: &dyn Fn(&mut Model, T) -> Result<(), String>,
) -> Result<Model, String> {
    let value = parse(text)?;
    let mut candidate = model.clone();
    apply(&mut candidate, value)?;
    let before = errors_at(model, path);
    if let Some(new) = errors_at(&candidate, path)
        .into_iter()
        .find(|e| !before.contains(e))
    {
        return Err(new);
    }
    Ok(candidate)
}

/// A form of properties for one part of the model (e.g. `services[payment]`).
pub struct Form<'a> {
    pub model: &'a Model,
    /// The validation path of the part.
    pub path: String,
    /// The changed model and the accepted text, when a field accepted a value.
    pub changed: Option<(Model, String)>,
}

impl<'a> Form<'a> {
    pub fn new(model: &'a Model, path: impl Into<String>) -> Self {
        Self {
            model,
            path: path.into(),
            changed: None,
        }
    }

    fn sub(&self, property: &str) -> String {
        if property.is_empty() {
            self.path.clone()
        } else if self.path.is_empty() {
            property.to_owned()
        } else {
            format!("{}.{property}", self.path)
        }
    }

    /// A one-line property: `(label, hint shown when empty, property path)`.
    pub fn line<T>(
        &mut self,
        ui: &mut egui::Ui,
        (label, hint, property): (&str, &str, &str),
        current: &str,
        parse: impl Fn(&str) -> Result<T, String>,
        apply: impl Fn(&mut Model, T) -> Result<(), String>,
    ) {
        let path = self.sub(property);
        if let Some(c) = field(
            ui, self.model, label, hint, &path, current, false, &parse, &apply,
        ) {
            self.changed = Some(c);
        }
    }

    /// A multi-line property (RON text of a nested part), applied with a button or
    /// Ctrl+Enter.
    pub fn block<T>(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        property: &str,
        current: &str,
        parse: impl Fn(&str) -> Result<T, String>,
        apply: impl Fn(&mut Model, T) -> Result<(), String>,
    ) {
        let path = self.sub(property);
        if let Some(c) = field(
            ui, self.model, label, "", &path, current, true, &parse, &apply,
        ) {
            self.changed = Some(c);
        }
    }

    /// A yes/no property, applied at once.
    pub fn flag(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        current: bool,
        apply: impl Fn(&mut Model, bool) -> Result<(), String>,
    ) {
        let mut value = current;
        if ui.checkbox(&mut value, label).changed() {
            let mut m = self.model.clone();
            if apply(&mut m, value).is_ok() {
                self.changed = Some((m, value.to_string()));
            }
        }
    }

    /// One of a few choices, applied at once.
    pub fn choice<T: PartialEq + Copy + std::fmt::Debug>(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        current: T,
        options: &[T],
        apply: impl Fn(&mut Model, T) -> Result<(), String>,
    ) {
        let mut value = current;
        let label_response = ui.label(label);
        egui::ComboBox::from_id_salt((label, &self.path))
            .selected_text(format!("{current:?}"))
            .show_ui(ui, |ui| {
                for &o in options {
                    ui.selectable_value(&mut value, o, format!("{o:?}"));
                }
            })
            .response
            .labelled_by(label_response.id);
        if value != current {
            let mut m = self.model.clone();
            if apply(&mut m, value).is_ok() {
                self.changed = Some((m, format!("{value:?}")));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn field<T>(
    ui: &mut egui::Ui,
    model: &Model,
    label: &str,
    hint: &str,
    path: &str,
    current: &str,
    multiline: bool,
    parse: &dyn Fn(&str) -> Result<T, String>,
    apply: &dyn Fn(&mut Model, T) -> Result<(), String>,
) -> Option<(Model, String)> {
    let id = ui.make_persistent_id(("field", path, label));
    let mut state: FieldState = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    if !state.pending {
        current.clone_into(&mut state.text);
        state.error = None;
    }
    let mut out = None;
    let label_response = ui.label(label);
    let edit = if multiline {
        TextEdit::multiline(&mut state.text)
            .code_editor()
            .desired_rows(3)
            .desired_width(f32::INFINITY)
    } else {
        TextEdit::singleline(&mut state.text)
            .hint_text(hint)
            .desired_width(f32::INFINITY)
    };
    let response = ui.add(edit.id(id)).labelled_by(label_response.id);
    if response.changed() {
        state.pending = state.text != current;
        state.error = if state.pending {
            check(model, path, state.text.trim(), parse, apply).err()
        } else {
            None
        };
    }
    // egui takes the focus away on Escape before any widget runs: the field has just
    // lost it, in the frame Escape was pressed.
    let escaped = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape));
    if escaped {
        state.pending = false;
        state.error = None;
        current.clone_into(&mut state.text);
    }
    let commit = if multiline {
        let ctrl_enter = response.has_focus()
            && ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Enter));
        let mut apply_clicked = false;
        if state.pending {
            ui.horizontal(|ui| {
                apply_clicked = ui.button("Apply").clicked();
                if ui.button("Revert").clicked() {
                    state.pending = false;
                    state.error = None;
                    current.clone_into(&mut state.text);
                }
            });
        }
        ctrl_enter || apply_clicked
    } else {
        response.lost_focus() && !escaped
    };
    if commit && state.pending {
        match check(model, path, state.text.trim(), parse, apply) {
            Ok(changed) => {
                state.pending = false;
                state.error = None;
                out = Some((changed, state.text.trim().to_owned()));
            }
            Err(e) => state.error = Some(e),
        }
    }
    if let Some(e) = &state.error {
        ui.label(RichText::new(format!("Refused: {e}")).color(theme::ERROR));
    }
    ui.data_mut(|d| d.insert_temp(id, state));
    out
}

/// Parsers for the common property types; errors say what is expected.
pub mod parse {
    use crate::model::Duration;

    pub fn whole(text: &str) -> Result<u64, String> {
        text.replace('_', "")
            .parse::<u64>()
            .map_err(|_| format!("\"{text}\" is not a whole number (0, 1, 2, ...)"))
    }

    pub fn whole_u32(text: &str) -> Result<u32, String> {
        let n = whole(text)?;
        u32::try_from(n).map_err(|_| format!("{n} is too large (at most {})", u32::MAX))
    }

    pub fn number(text: &str) -> Result<f64, String> {
        let x: f64 = text
            .parse()
            .map_err(|_| format!("\"{text}\" is not a number"))?;
        if x.is_finite() {
            Ok(x)
        } else {
            Err("the number must be finite".into())
        }
    }

    pub fn duration(text: &str) -> Result<Duration, String> {
        text.parse::<Duration>().map_err(|e| e.to_string())
    }

    /// Empty text means "none".
    pub fn optional<T>(
        f: impl Fn(&str) -> Result<T, String>,
    ) -> impl Fn(&str) -> Result<Option<T>, String> {
        move |text| {
            if text.is_empty() {
                Ok(None)
            } else {
                f(text).map(Some)
            }
        }
    }

    pub fn name(text: &str) -> Result<String, String> {
        if text.is_empty() {
            Err("a name cannot be empty".into())
        } else {
            Ok(text.to_owned())
        }
    }

    /// A nested part written as RON, e.g. `Exponential(mean: "10ms")`.
    pub fn ron<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .map_err(|e| {
                format!(
                    "line {}, column {}: {}",
                    e.span.start.line, e.span.start.col, e.code
                )
            })
    }
}

/// A nested part as compact RON, for its field.
pub fn ron_line<T: serde::Serialize>(value: &T) -> String {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string(value)
        .unwrap_or_default()
}

/// A nested part as indented RON, for a block field.
pub fn ron_block<T: serde::Serialize>(value: &T) -> String {
    let pretty = ron::ser::PrettyConfig::new()
        .indentor("  ")
        .struct_names(true)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(value, pretty)
        .unwrap_or_default()
}
