//! Everything the app can do, as commands. A widget never changes the app's state: it
//! pushes a [`Command`] onto the frame's [`CommandQueue`], and
//! [`EventscapeApp::apply`](super::EventscapeApp::apply) applies the queue once per
//! frame, after every panel has been drawn.
//!
//! Commands without data are the ones a user can name: each has a label and maybe a
//! shortcut, and all of them ([`Command::ALL`], made by the same declaration as the
//! enum, so none can be missing) are in the command palette (Ctrl+K); menus, buttons'
//! hover texts and the palette read the same table. Commands with data are made by
//! the widget that knows the data (a recent file, a point on the canvas, the model the
//! inspector edited).

use std::path::PathBuf;

use eframe::egui::{Context, Key, KeyboardShortcut, Modifiers};

use super::BottomTab;
use super::canvas::CanvasAction;
use super::simulate::Breakpoints;
use crate::diagram::Focus;
use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::SimTime;

/// Declares [`Command`] and [`Command::ALL`] together: every parameterless variant is
/// in `ALL`, in declaration order (the palette's order).
macro_rules! commands {
    (
        parameterless { $( $(#[$udoc:meta])* $unit:ident, )* }
        with_data { $( $(#[$ddoc:meta])* $data:ident ( $($ty:ty),+ ), )* }
    ) => {
        /// Something the user asked for: see the module's documentation.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Command {
            $( $(#[$udoc])* $unit, )*
            $( $(#[$ddoc])* $data($($ty),+), )*
        }

        impl Command {
            /// Every command without data, in the order the palette lists them.
            pub const ALL: &'static [Command] = &[$(Command::$unit),*];
        }
    };
}

commands! {
    parameterless {
        /// Start a new, empty model (asks first about unsaved changes).
        New,
        /// Open a model file chosen in a dialog.
        Open,
        /// Start a new, untitled model from an AsyncAPI document chosen in a dialog.
        ImportAsyncapi,
        /// Save to the document's file, or ask where.
        Save,
        /// Save to a file chosen in a dialog.
        SaveAs,
        /// Open the export dialog.
        Export,
        /// Export again with the export dialog's options, to a file chosen in a dialog.
        ExportAgain,
        /// Undo the last change of the model.
        Undo,
        /// Redo what was undone.
        Redo,
        /// Delete the selected element and its arrows.
        Delete,
        /// Start connecting the selected element: the next click picks the target.
        Connect,
        /// Stop connecting, and close the command palette.
        StopConnecting,
        /// Add a service.
        AddService,
        /// Add a topic.
        AddTopic,
        /// Add a saga.
        AddSaga,
        /// Add an event store.
        AddStore,
        /// Add a projection.
        AddProjection,
        /// Add a workload source.
        AddSource,
        /// Add an event type.
        AddEvent,
        /// Fit the diagram to the view.
        FitView,
        /// Zoom the canvas in, about the middle of the view.
        ZoomIn,
        /// Zoom the canvas out, about the middle of the view.
        ZoomOut,
        /// Lay the diagram out left to right (one undo step).
        AutoLayout,
        /// Find an element by name: select it and centre the view on it.
        Search,
        /// Fade everything but the selected element and what is near it (a view).
        FocusSelected,
        /// Show the whole diagram again.
        ClearFocus,
        /// Show the context map: the domains and the messages between them.
        ShowContextMap,
        /// Show the diagram (the boxes and arrows) in front of the context map.
        ShowDiagram,
        /// Switch between the dark and the light theme.
        ToggleTheme,
        /// Put the window's tiles (list, diagram, inspector, views) back where they start.
        ResetLayout,
        /// Play or pause the simulation.
        PlayPause,
        /// Run the simulation one event on.
        StepForward,
        /// Take the simulation back one event, exactly.
        StepBack,
        /// Start the simulation over, with the seed shown.
        ResetRun,
        /// Play the run to its end (or a breakpoint) in the background.
        RunToEnd,
        /// Stop the run playing in the background, where it is.
        CancelRun,
        /// Play the simulation faster.
        Faster,
        /// Play the simulation slower.
        Slower,
        /// Mine the emergent process from the run so far.
        MineProcess,
        /// Run this model and the one chosen in the Compare tab, side by side.
        RunComparison,
        /// Stop the comparison's runs.
        CancelComparison,
        /// Open the command palette.
        CommandPalette,
        /// Close the window (asks first about unsaved changes).
        Quit,
    }
    with_data {
        /// Open this file of the recent files.
        OpenRecent(PathBuf),
        /// Open the built-in example of this name (see `examples::ALL`).
        OpenExample(&'static str),
        /// Select an element, or the model itself (`None`).
        Select(Option<ElementRef>),
        /// Select an element and centre the view on it (what the search finds).
        Find(ElementRef),
        /// Fade everything this focus does not keep (a view, not an edit).
        SetFocus(Focus),
        /// What the user did on the canvas (or asked for in the inspector).
        Canvas(CanvasAction),
        /// Replace the model by the inspector's edit of it (one undo step); select this
        /// element afterwards (a renamed element keeps its selection).
        Replace(Box<Model>, Option<ElementRef>),
        /// Move the run to this simulated time (nanoseconds).
        Seek(SimTime),
        /// Play at this speed: an index into `simulate::SPEEDS`.
        SetSpeed(usize),
        /// Run with this seed (starts the run over).
        SetSeed(u64),
        /// Pause the run on these conditions.
        SetBreakpoints(Breakpoints),
        /// Show this tab of the bottom panel.
        ShowTab(BottomTab),
        /// Show this domain on the diagram: focused, fitted to the view.
        ShowDomain(String),
        /// Show this correlation id's journey (or none) in the Trace tab.
        ShowTrace(Option<u64>),
        /// The answer to the dialog that is open.
        Answer(Answer),
        /// The path typed in the app's own path field (`None`: cancelled), when the
        /// system's file dialog could not open.
        PathTyped(Option<PathBuf>),
    }
}

/// An answer to one of the app's modal dialogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Unsaved changes: save them, then go on.
    SaveFirst,
    /// Unsaved changes: drop them and go on.
    Discard,
    /// Unsaved changes: stay where you are.
    Cancel,
    /// The load error has been read.
    CloseError,
    /// Unsaved work of an earlier run: restore it.
    Restore,
    /// Unsaved work of an earlier run: drop it for good.
    DiscardRecovered,
}

/// Kinds of element the palette adds, in its order.
pub const ADDABLE: [ElementKind; 7] = [
    ElementKind::Service,
    ElementKind::Topic,
    ElementKind::Saga,
    ElementKind::Store,
    ElementKind::Projection,
    ElementKind::Source,
    ElementKind::Event,
];

/// Commands without a shortcut: they act on a view or a background job the user
/// looks at when asking for them, or are asked for rarely (Reset layout). Every other
/// command of [`Command::ALL`] has one.
pub const NO_SHORTCUT: &[Command] = &[
    Command::ExportAgain,
    Command::CancelRun,
    Command::MineProcess,
    Command::RunComparison,
    Command::CancelComparison,
    Command::ResetLayout,
    // Esc clears the focus when nothing else takes it (`EventscapeApp::escape`); the
    // key is StopConnecting's in the table.
    Command::ClearFocus,
];

/// The frame's commands, in the order they were asked for.
#[derive(Debug, Default)]
pub struct CommandQueue(Vec<Command>);

impl CommandQueue {
    /// Ask for `command`: it is applied at the end of the frame.
    pub fn push(&mut self, command: Command) {
        self.0.push(command);
    }

    /// Everything asked for so far, emptying the queue.
    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.0)
    }

    /// Is nothing asked for?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Command {
    /// The command that adds an element of this kind.
    pub fn add(kind: ElementKind) -> Command {
        match kind {
            ElementKind::Service => Command::AddService,
            ElementKind::Topic => Command::AddTopic,
            ElementKind::Saga => Command::AddSaga,
            ElementKind::Store => Command::AddStore,
            ElementKind::Projection => Command::AddProjection,
            ElementKind::Source => Command::AddSource,
            ElementKind::Event => Command::AddEvent,
        }
    }

    /// The kind of element this command adds, if it adds one.
    pub fn added_kind(&self) -> Option<ElementKind> {
        ADDABLE.into_iter().find(|&k| Command::add(k) == *self)
    }

    /// What the menus and the palette call it.
    pub fn label(&self) -> String {
        if let Some(kind) = self.added_kind() {
            return format!("Add {}", add_word(kind));
        }
        match self {
            Command::New => "New model".into(),
            Command::Open => "Open...".into(),
            Command::ImportAsyncapi => "Import AsyncAPI...".into(),
            Command::Save => "Save".into(),
            Command::SaveAs => "Save As...".into(),
            Command::Export => "Export...".into(),
            Command::ExportAgain => "Export again with the same options...".into(),
            Command::Quit => "Quit".into(),
            Command::Undo => "Undo".into(),
            Command::Redo => "Redo".into(),
            Command::Delete => "Delete selected".into(),
            Command::Connect => "Connect selected to...".into(),
            Command::StopConnecting => "Stop connecting".into(),
            Command::AddService
            | Command::AddTopic
            | Command::AddSaga
            | Command::AddStore
            | Command::AddProjection
            | Command::AddSource
            | Command::AddEvent => "Add".into(),
            Command::FitView => "Fit to view".into(),
            Command::ZoomIn => "Zoom in".into(),
            Command::ZoomOut => "Zoom out".into(),
            Command::AutoLayout => "Auto layout".into(),
            Command::Search => "Find an element by name...".into(),
            Command::FocusSelected => "Focus on the selected element and its neighbours".into(),
            Command::ClearFocus => "Clear the focus".into(),
            Command::ShowContextMap => "Show the context map (domains)".into(),
            Command::ShowDiagram => "Show the diagram".into(),
            Command::ToggleTheme => "Toggle dark/light theme".into(),
            Command::ResetLayout => "Reset layout".into(),
            Command::CommandPalette => "Command palette".into(),
            Command::PlayPause => "Play / pause the simulation".into(),
            Command::StepForward => "Step one event".into(),
            Command::StepBack => "Step back one event".into(),
            Command::ResetRun => "Reset the simulation".into(),
            Command::RunToEnd => "Run the simulation to its end".into(),
            Command::CancelRun => "Cancel the run in the background".into(),
            Command::Faster => "Simulate faster".into(),
            Command::Slower => "Simulate slower".into(),
            Command::MineProcess => "Mine the emergent process of the run so far".into(),
            Command::RunComparison => "Compare with the chosen model: run both".into(),
            Command::CancelComparison => "Cancel the comparison's runs".into(),
            Command::OpenRecent(path) => format!("Open {}", path.display()),
            Command::OpenExample(name) => format!("Open the example {name}"),
            Command::Select(Some(el)) => format!("Select {el}"),
            Command::Select(None) => "Select the model".into(),
            Command::Find(el) => format!("Find {el}"),
            Command::SetFocus(focus) => format!("Focus on {}", focus.describe()),
            Command::Canvas(action) => format!("{action:?}"),
            Command::Replace(..) => "Edit the model".into(),
            Command::Seek(t) => format!("Move the run to {}", super::simulate::secs(*t)),
            Command::SetSpeed(i) => format!("Play at speed {i}"),
            Command::SetSeed(seed) => format!("Run with seed {seed}"),
            Command::SetBreakpoints(_) => "Set the breakpoints".into(),
            Command::ShowTab(tab) => format!("Show the {tab:?} tab"),
            Command::ShowDomain(d) => format!("Show domain \"{d}\" on the diagram"),
            Command::ShowTrace(Some(c)) => format!("Show the journey of item {c}"),
            Command::ShowTrace(None) => "Show no item's journey".into(),
            Command::Answer(a) => format!("Answer {a:?}"),
            Command::PathTyped(p) => format!("Path typed: {p:?}"),
        }
    }

    /// More about what it does, for hover texts.
    fn detail(&self) -> Option<&'static str> {
        match self {
            Command::StepBack => Some("exactly: the run is replayed to the event before"),
            Command::RunToEnd => {
                Some("in the background, stopping at breakpoints; the window keeps working")
            }
            Command::ResetRun => Some("from the start, with the seed shown"),
            Command::FocusSelected => {
                Some("a view: the rest is faded, nothing is saved or undone; Esc clears it")
            }
            Command::ImportAsyncapi => {
                Some("3.0 or 3.1: topics, events and services as a new model, with default timings")
            }
            _ => None,
        }
    }

    /// The shortcuts, the one shown first. Single keys without a modifier only act
    /// when no text field has the keyboard.
    pub fn shortcuts(&self) -> Vec<KeyboardShortcut> {
        let cmd = |k| KeyboardShortcut::new(Modifiers::COMMAND, k);
        let cmd_shift = |k| KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, k);
        let key = |k| KeyboardShortcut::new(Modifiers::NONE, k);
        if let Some(kind) = self.added_kind() {
            return vec![key(add_key(kind))];
        }
        match self {
            Command::New => vec![cmd(Key::N)],
            Command::Open => vec![cmd(Key::O)],
            Command::ImportAsyncapi => vec![cmd(Key::I)],
            Command::Save => vec![cmd(Key::S)],
            Command::SaveAs => vec![cmd_shift(Key::S)],
            Command::Export => vec![cmd(Key::E)],
            Command::Quit => vec![cmd(Key::Q)],
            Command::Undo => vec![cmd(Key::Z)],
            Command::Redo => vec![cmd_shift(Key::Z), cmd(Key::Y)],
            Command::Delete => vec![key(Key::Delete)],
            Command::Connect => vec![key(Key::C)],
            Command::StopConnecting => vec![key(Key::Escape)],
            // Ctrl+0 as in browsers and drawing tools ("back to the whole page").
            Command::FitView => vec![key(Key::F), cmd(Key::Num0)],
            // Ctrl+= zooms in without Shift on keyboards where + is Shift+=.
            Command::ZoomIn => vec![cmd(Key::Plus), cmd(Key::Equals)],
            Command::ZoomOut => vec![cmd(Key::Minus)],
            Command::AutoLayout => vec![cmd(Key::L)],
            Command::Search => vec![cmd(Key::F)],
            // As "local view" in Blender: the selection alone.
            Command::FocusSelected => vec![key(Key::Slash)],
            Command::ShowContextMap => vec![key(Key::M)],
            Command::ShowDiagram => vec![key(Key::D)],
            Command::ToggleTheme => vec![cmd_shift(Key::T)],
            Command::CommandPalette => vec![cmd(Key::K)],
            Command::PlayPause => vec![key(Key::Space)],
            Command::StepForward => vec![key(Key::ArrowRight)],
            Command::StepBack => vec![key(Key::ArrowLeft)],
            Command::ResetRun => vec![cmd(Key::R)],
            Command::RunToEnd => vec![key(Key::End)],
            Command::Faster => vec![key(Key::CloseBracket)],
            Command::Slower => vec![key(Key::OpenBracket)],
            _ => Vec::new(),
        }
    }

    /// The shortcut shown in menus and hover texts (the first of
    /// [`Command::shortcuts`]), if any.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        self.shortcuts().into_iter().next()
    }

    /// The shortcut as this platform writes it ("Ctrl+S", "]"), or nothing.
    pub fn shortcut_text(&self, ctx: &Context) -> String {
        self.shortcut()
            .map(|s| shortcut_words(ctx, &s))
            .unwrap_or_default()
    }

    /// A button's hover text: its command's label and shortcut, e.g. "Step one event (Right)".
    pub fn hover_text(&self, ctx: &Context) -> String {
        let mut text = self.label();
        let shortcut = self.shortcut_text(ctx);
        if !shortcut.is_empty() {
            text.push_str(&format!(" ({shortcut})"));
        }
        if let Some(more) = self.detail() {
            text.push_str(&format!(": {more}"));
        }
        text
    }
}

/// How the palette names a kind: "service", "topic", "saga", "event store"…
pub fn add_word(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Event => "event type",
        ElementKind::Source => "workload source",
        other => other.label(),
    }
}

fn add_key(kind: ElementKind) -> Key {
    match kind {
        ElementKind::Service => Key::S,
        ElementKind::Topic => Key::T,
        ElementKind::Saga => Key::G,
        ElementKind::Store => Key::E,
        ElementKind::Projection => Key::P,
        ElementKind::Source => Key::W,
        ElementKind::Event => Key::V,
    }
}

/// Shortcuts in the order to test them: more modifiers first, so Ctrl+Shift+Z is
/// not taken for Ctrl+Z.
pub fn shortcut_table() -> Vec<(KeyboardShortcut, Command)> {
    let mut table: Vec<_> = Command::ALL
        .iter()
        .flat_map(|c| c.shortcuts().into_iter().map(move |s| (s, c.clone())))
        .collect();
    table.sort_by_key(|(s, _)| {
        std::cmp::Reverse(
            u8::from(s.modifiers.shift) + u8::from(s.modifiers.command) + u8::from(s.modifiers.alt),
        )
    });
    table
}

#[cfg(test)]
mod tests;

/// A shortcut as this platform writes it ("Ctrl+S"), with a punctuation key as its
/// symbol: "]" where egui writes "CloseBracket".
pub fn shortcut_words(ctx: &Context, shortcut: &KeyboardShortcut) -> String {
    let text = ctx.format_shortcut(shortcut);
    let key = shortcut.logical_key;
    let symbol = key.symbol_or_name();
    let punctuation = symbol.len() == 1 && symbol.chars().all(|c| c.is_ascii_punctuation());
    match text.strip_suffix(key.name()) {
        Some(head) if punctuation => format!("{head}{symbol}"),
        _ => text,
    }
}
