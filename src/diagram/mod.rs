//! The architecture as a diagram: which boxes and which arrows a model draws, a
//! left-to-right layered layout for them, their geometry ([`shape`]), where arrows run
//! and labels go ([`route`]) and their look ([`style`]). Shared by the editor canvas and the exports; knows nothing of egui.

pub mod context_map;
mod domain_frames;
mod domain_layout;
mod focus;
mod graph;
mod layout;
pub mod route;
pub mod shape;
pub mod style;

pub use context_map::{ContextBox, ContextLink, ContextMap};
pub use domain_frames::{
    DomainFrame, FRAME_PAD, FRAME_TITLE, domain_frames, domain_names, frames_of,
};
pub use domain_layout::{DOMAIN_GAP, layout_for, node_groups};
pub use focus::Focus;
pub use graph::{ArchGraph, Edge, EdgeKind, Node, arch_graph};
pub use layout::{BOX, apply_layout, layout, needs_layout, set_pos};
