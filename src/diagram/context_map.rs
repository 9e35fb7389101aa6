//! The context map: a model's bounded contexts (domains) as boxes and the messages
//! that cross between them as arrows — the view of a big model that fits a window.
//!
//! An arrow from domain A to domain B carries every event a service or saga of A
//! publishes to a topic that a consumer in B reads, and every command or query an
//! element of A sends to a service of B. Messages within one domain draw nothing;
//! elements of no domain are one more box, "no domain", so nothing is left out.
//! Sources (the workload) and stores' change feeds belong to no box's traffic.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::flows::{Flows, MessageKind, Who};
use crate::model::{ElementKind, ElementRef, Model, Pos};

/// What the box of elements without a domain is called.
pub const NO_DOMAIN: &str = "no domain";

/// One box of the map.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextBox {
    /// The domain's name ([`NO_DOMAIN`] for the elements without one).
    pub name: String,
    /// Is this the box of elements without a domain?
    pub loose: bool,
    /// Its elements, in model order (services, topics, sagas, stores, projections).
    pub members: Vec<ElementRef>,
    /// Where the box is drawn: its top-left corner.
    pub pos: Pos,
}

impl ContextBox {
    /// How many of its members are of this kind.
    pub fn count(&self, kind: ElementKind) -> usize {
        self.members.iter().filter(|m| m.kind == kind).count()
    }
}

/// The messages from one box to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextLink {
    /// Index of the sending box in [`ContextMap::boxes`].
    pub from: usize,
    /// Index of the receiving box.
    pub to: usize,
    /// What crosses: (kind, name), sorted, without repeats.
    pub messages: BTreeSet<(MessageKind, String)>,
}

/// The domains of a model and what crosses between them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContextMap {
    /// The domains by name, then the box of elements without one (when any).
    pub boxes: Vec<ContextBox>,
    /// The arrows between boxes, by (from, to).
    pub links: Vec<ContextLink>,
}

/// The size of a box on the map, in map units.
pub const CONTEXT_BOX: (f32, f32) = (170.0, 72.0);
/// Horizontal distance between the layers of the map.
const LAYER_GAP: f32 = 250.0;
/// Vertical distance between the boxes of a layer.
const ROW_GAP: f32 = 100.0;

impl ContextMap {
    /// The map of `model`; empty when the model names no domain.
    pub fn of(model: &Model) -> Self {
        let domains = model.domains();
        if domains.is_empty() {
            return Self::default();
        }
        let mut boxes: Vec<ContextBox> = domains
            .into_iter()
            .map(|(name, members)| ContextBox {
                name: name.to_owned(),
                loose: false,
                members,
                pos: Pos::default(),
            })
            .collect();
        let of: HashMap<&ElementRef, usize> = boxes
            .iter()
            .enumerate()
            .flat_map(|(k, b)| b.members.iter().map(move |m| (m, k)))
            .collect();
        let loose: Vec<ElementRef> = drawn_elements(model)
            .filter(|e| !of.contains_key(e))
            .collect();
        let loose_box = (!loose.is_empty()).then_some(boxes.len());
        let links = {
            let box_of = |kind: ElementKind, name: &str| {
                of.get(&ElementRef::new(kind, name)).copied().or(loose_box)
            };
            links(model, box_of)
        };
        if !loose.is_empty() {
            boxes.push(ContextBox {
                name: NO_DOMAIN.to_owned(),
                loose: true,
                members: loose,
                pos: Pos::default(),
            });
        }
        let positions = place(boxes.len(), &links);
        for (b, p) in boxes.iter_mut().zip(positions) {
            b.pos = p;
        }
        Self { boxes, links }
    }

    /// The box of a domain by name.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.boxes.iter().position(|b| b.name == name)
    }

    /// The links into and out of box `k`.
    pub fn links_of(&self, k: usize) -> impl Iterator<Item = &ContextLink> {
        self.links.iter().filter(move |l| l.from == k || l.to == k)
    }
}

/// Every element the diagram draws a box for that can have a domain.
fn drawn_elements(model: &Model) -> impl Iterator<Item = ElementRef> + '_ {
    let of = |kind: ElementKind| move |name: &String| ElementRef::new(kind, name.as_str());
    let services = model.services.iter().map(|x| &x.name);
    let topics = model.topics.iter().map(|x| &x.name);
    let sagas = model.sagas.iter().map(|x| &x.name);
    let stores = model.stores.iter().map(|x| &x.name);
    let projections = model.projections.iter().map(|x| &x.name);
    services
        .map(of(ElementKind::Service))
        .chain(topics.map(of(ElementKind::Topic)))
        .chain(sagas.map(of(ElementKind::Saga)))
        .chain(stores.map(of(ElementKind::Store)))
        .chain(projections.map(of(ElementKind::Projection)))
}

/// The box of whoever sends a message (sources and change feeds: none).
fn sender(who: Who<'_>, box_of: &impl Fn(ElementKind, &str) -> Option<usize>) -> Option<usize> {
    match who {
        Who::Service(s) => box_of(ElementKind::Service, s),
        Who::Saga { saga, .. } => box_of(ElementKind::Saga, saga),
        Who::Source(_) | Who::Store(_) => None,
    }
}

/// What crosses between boxes: events from publishers to the consumers of the same
/// event on the same topic; commands and queries from senders to the service.
fn links(model: &Model, box_of: impl Fn(ElementKind, &str) -> Option<usize>) -> Vec<ContextLink> {
    let flows = Flows::new(model);
    let mut crossing: BTreeMap<(usize, usize), BTreeSet<(MessageKind, String)>> = BTreeMap::new();
    let mut readers: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for s in flows.subscriptions() {
        let reader = match s.receiver.saga() {
            Some(saga) => box_of(ElementKind::Saga, &saga.name),
            None => box_of(ElementKind::Service, s.service),
        };
        if let Some(k) = reader {
            readers.entry((s.event, s.topic)).or_default().push(k);
        }
    }
    for p in flows.publishes() {
        let Some(from) = sender(p.origin.who(), &box_of) else {
            continue;
        };
        for &to in readers.get(&(p.event, p.topic)).into_iter().flatten() {
            if to != from {
                let what = (MessageKind::Event, p.event.to_owned());
                crossing.entry((from, to)).or_default().insert(what);
            }
        }
    }
    for r in flows.requests() {
        let (Some(from), Some(to)) = (
            sender(r.origin.who(), &box_of),
            box_of(ElementKind::Service, r.to),
        ) else {
            continue;
        };
        if to != from {
            let what = (r.kind, r.name.to_owned());
            crossing.entry((from, to)).or_default().insert(what);
        }
    }
    crossing
        .into_iter()
        .map(|((from, to), messages)| ContextLink { from, to, messages })
        .collect()
}

/// Positions for `n` boxes: each group of linked boxes layered left to right along
/// its links (rust-sugiyama), the groups packed in rows as wide as makes the map
/// about 16:10, then the boxes with no link in a grid below.
fn place(n: usize, links: &[ContextLink]) -> Vec<Pos> {
    let mut out = vec![Pos::default(); n];
    let mut linked = vec![false; n];
    for l in links {
        linked[l.from] = true;
        linked[l.to] = true;
    }
    let parts = linked_parts(&linked, links);
    let fit = ((n as f32 * 1.6 * ROW_GAP / LAYER_GAP).sqrt().ceil() as usize).max(1);
    let cols = parts.iter().map(|p| p.columns).fold(fit, usize::max);
    // Shelves: parts left to right while they fit, then a new row below the tallest.
    let (mut col, mut top, mut shelf) = (0usize, 0.0f32, 0.0f32);
    for part in &parts {
        if col > 0 && col + part.columns > cols {
            (col, top, shelf) = (0, top + shelf, 0.0);
        }
        let x0 = col as f32 * LAYER_GAP;
        for &(i, p) in &part.boxes {
            out[i] = Pos {
                x: x0 + p.x,
                y: top + p.y,
            };
        }
        shelf = shelf.max(part.rows as f32 * ROW_GAP);
        col += part.columns;
    }
    top += shelf;
    let alone = (0..n).filter(|&i| !linked[i]);
    for (j, i) in alone.enumerate() {
        out[i] = Pos {
            x: (j % cols) as f32 * LAYER_GAP,
            y: top + (j / cols) as f32 * ROW_GAP,
        };
    }
    out
}

/// A group of boxes joined by links, laid out on its own.
struct Part {
    /// (box, position within the part).
    boxes: Vec<(usize, Pos)>,
    /// How many layers (columns) and rows it takes.
    columns: usize,
    rows: usize,
}

/// The linked boxes in groups, each laid out by rust-sugiyama, in order of their
/// first box.
fn linked_parts(linked: &[bool], links: &[ContextLink]) -> Vec<Part> {
    // The layout numbers its vertices 0.. in the order given: the linked boxes only.
    let ids: Vec<usize> = (0..linked.len()).filter(|&i| linked[i]).collect();
    if ids.is_empty() {
        return Vec::new();
    }
    let mut compact = vec![0u32; linked.len()];
    for (j, &i) in ids.iter().enumerate() {
        compact[i] = j as u32;
    }
    let edges: Vec<(u32, u32)> = links
        .iter()
        .map(|l| (compact[l.from], compact[l.to]))
        .collect();
    let vertices: Vec<(u32, (f64, f64))> = (0..ids.len() as u32)
        .map(|j| (j, (f64::from(CONTEXT_BOX.1), f64::from(CONTEXT_BOX.0))))
        .collect();
    let config = rust_sugiyama::configure::Config {
        vertex_spacing: f64::from(ROW_GAP - CONTEXT_BOX.1),
        ranking_type: rust_sugiyama::configure::RankingType::Up,
        ..Default::default()
    };
    let mut parts = rust_sugiyama::from_vertices_and_edges(&vertices, &edges, &config);
    parts.sort_by_key(|(nodes, _, _)| nodes.iter().map(|(id, _)| *id).min());
    parts
        .into_iter()
        .map(|(nodes, _, _)| {
            let mut layers: Vec<f64> = nodes.iter().map(|(_, (_, y))| *y).collect();
            layers.sort_by(f64::total_cmp);
            layers.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
            let min_x = nodes
                .iter()
                .map(|(_, (x, _))| *x)
                .fold(f64::INFINITY, f64::min);
            let boxes: Vec<(usize, Pos)> = nodes
                .iter()
                .map(|(id, (x, y))| {
                    let layer = layers.partition_point(|l| *l < y - 1e-6) as f32;
                    let p = Pos {
                        x: layer * LAYER_GAP,
                        y: (x - min_x) as f32,
                    };
                    (ids[*id], p)
                })
                .collect();
            let bottom = boxes.iter().map(|(_, p)| p.y).fold(0.0, f32::max);
            Part {
                boxes,
                columns: layers.len(),
                rows: (bottom / ROW_GAP).round() as usize + 1,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
