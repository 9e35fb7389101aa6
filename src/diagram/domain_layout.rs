//! The layered layout per bounded context (domain), then across domains: each
//! domain's boxes are laid out on their own ([`layout`]) into a block, and the blocks
//! are packed in rows so that the whole diagram is about 16:10 — a 1,000-service
//! model reads as a mosaic of domains, not one long strip. A model that names no
//! domain is laid out by [`layout`] alone, exactly as before.

use std::collections::HashMap;

use super::graph::{ArchGraph, Edge};
use super::layout::{BOX, layout, shelve};
use crate::model::{ElementKind, ElementRef, Model, Pos};

/// Room between two domains' blocks (and for a frame and its title around each).
pub const DOMAIN_GAP: f32 = 200.0;
/// The width:height the packed diagram aims at.
const ASPECT: f32 = 1.6;
/// Room between two unconnected parts of one domain.
const PART_GAP: f32 = 120.0;

/// Positions for every node of `graph` (the diagram of `model`), in node order.
pub fn layout_for(model: &Model, graph: &ArchGraph) -> Vec<Pos> {
    let groups = node_groups(model, graph);
    let count = groups.iter().flatten().max().map_or(0, |g| g + 1);
    if count == 0 {
        return layout(graph);
    }
    // Each group's nodes (the loose ones, `None`, last) laid out on their own.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count + 1];
    for (i, g) in groups.iter().enumerate() {
        members[g.unwrap_or(count)].push(i);
    }
    let blocks: Vec<Block> = members
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| Block::of(graph, m))
        .collect();
    pack(graph.nodes.len(), &blocks)
}

/// Each node's domain as an index (domains in name order), `None` for none. A node
/// of no domain of its own (a source, a topic without one) goes with the domain of
/// the boxes it is drawn next to when they are all of one domain.
pub fn node_groups(model: &Model, graph: &ArchGraph) -> Vec<Option<usize>> {
    let domains = model.domains();
    let of: HashMap<&ElementRef, usize> = domains
        .values()
        .enumerate()
        .flat_map(|(k, els)| els.iter().map(move |e| (e, k)))
        .collect();
    let mut groups: Vec<Option<usize>> = graph
        .nodes
        .iter()
        .map(|n| of.get(&n.element).copied())
        .collect();
    // (the one domain next to it, or `usize::MAX` when several).
    let mut next: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    for e in &graph.edges {
        for (a, b) in [(e.from, e.to), (e.to, e.from)] {
            if groups[a].is_some() || graph.nodes[a].element.kind == ElementKind::Event {
                continue;
            }
            if let Some(d) = groups[b] {
                next[a] = match next[a] {
                    None => Some(d),
                    Some(x) if x == d => Some(d),
                    Some(_) => Some(usize::MAX),
                };
            }
        }
    }
    for (g, n) in groups.iter_mut().zip(next) {
        if g.is_none() && n != Some(usize::MAX) {
            *g = n;
        }
    }
    groups
}

/// One group laid out alone: its nodes and their positions from its top-left.
struct Block {
    nodes: Vec<(usize, Pos)>,
    width: f32,
    height: f32,
}

impl Block {
    /// A domain's nodes: each of its connected parts laid out alone, the parts
    /// shelved about [`ASPECT`] (the layered layout would stack them in one tall
    /// column).
    fn of(graph: &ArchGraph, members: &[usize]) -> Self {
        let parts = parts(graph, members);
        if parts.len() == 1 {
            return Self::laid_out(graph, members);
        }
        let blocks: Vec<Block> = parts.iter().map(|p| Self::laid_out(graph, p)).collect();
        Self::shelved(&blocks, PART_GAP)
    }

    /// `members` laid out by [`layout`] alone.
    fn laid_out(graph: &ArchGraph, members: &[usize]) -> Self {
        let mut local = vec![usize::MAX; graph.nodes.len()];
        for (j, &i) in members.iter().enumerate() {
            local[i] = j;
        }
        let sub = ArchGraph {
            nodes: members.iter().map(|&i| graph.nodes[i].clone()).collect(),
            edges: graph
                .edges
                .iter()
                .filter(|e| local[e.from] != usize::MAX && local[e.to] != usize::MAX)
                .map(|e| Edge {
                    from: local[e.from],
                    to: local[e.to],
                    ..e.clone()
                })
                .collect(),
        };
        let at = layout(&sub);
        let (min_x, min_y) = at
            .iter()
            .fold((f32::MAX, f32::MAX), |(x, y), p| (x.min(p.x), y.min(p.y)));
        let nodes: Vec<(usize, Pos)> = members
            .iter()
            .zip(&at)
            .map(|(&i, p)| {
                let p = Pos {
                    x: p.x - min_x,
                    y: p.y - min_y,
                };
                (i, p)
            })
            .collect();
        let width = nodes.iter().map(|(_, p)| p.x).fold(0.0, f32::max) + BOX.0 as f32;
        let height = nodes.iter().map(|(_, p)| p.y).fold(0.0, f32::max) + BOX.1 as f32;
        Self {
            nodes,
            width,
            height,
        }
    }
}

impl Block {
    /// The blocks as one: in rows, left to right, `gap` apart, each row as wide as
    /// makes the whole about [`ASPECT`] (never narrower than the widest block).
    fn shelved(blocks: &[Block], gap: f32) -> Self {
        let sizes: Vec<(f32, f32)> = blocks.iter().map(|b| (b.width, b.height)).collect();
        let (at, (width, height)) = shelve(&sizes, gap, ASPECT);
        let nodes = blocks
            .iter()
            .zip(at)
            .flat_map(|(b, (x, y))| {
                b.nodes.iter().map(move |&(i, p)| {
                    let p = Pos {
                        x: x + p.x,
                        y: y + p.y,
                    };
                    (i, p)
                })
            })
            .collect();
        Self {
            nodes,
            width,
            height,
        }
    }
}

/// The blocks shelved [`DOMAIN_GAP`] apart, as positions of all `n` nodes.
fn pack(n: usize, blocks: &[Block]) -> Vec<Pos> {
    let mut out = vec![Pos::default(); n];
    for (i, p) in Block::shelved(blocks, DOMAIN_GAP).nodes {
        out[i] = p;
    }
    out
}

/// `members`' connected parts (by any arrow between two of them), each in
/// `members`' order, the parts by their first node.
fn parts(graph: &ArchGraph, members: &[usize]) -> Vec<Vec<usize>> {
    let mut local = vec![usize::MAX; graph.nodes.len()];
    for (j, &i) in members.iter().enumerate() {
        local[i] = j;
    }
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for e in &graph.edges {
        let (a, b) = (local[e.from], local[e.to]);
        if a != usize::MAX && b != usize::MAX {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (j, &i) in members.iter().enumerate() {
        let r = root(&mut parent, j);
        by_root[r].push(i);
    }
    by_root.into_iter().filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests;
