//! The layered layout per bounded context (domain), then across domains: each
//! domain's boxes are laid out on their own ([`layout`]) into a block, and the blocks
//! are packed in rows so that the whole diagram is about 16:10 — a 1,000-service
//! model reads as a mosaic of domains, not one long strip. A model that names no
//! domain is laid out by [`layout`] alone, exactly as before.

use std::collections::HashMap;

use super::graph::{ArchGraph, Edge};
use super::layout::{BOX, layout};
use crate::model::{ElementKind, ElementRef, Model, Pos};

/// Room between two domains' blocks (and for a frame and its title around each).
pub const DOMAIN_GAP: f32 = 200.0;
/// The width:height the packed diagram aims at.
const ASPECT: f32 = 1.6;

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
    fn of(graph: &ArchGraph, members: &[usize]) -> Self {
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

/// The blocks in rows, left to right, each row as wide as makes the whole about
/// [`ASPECT`] (never narrower than the widest block).
fn pack(n: usize, blocks: &[Block]) -> Vec<Pos> {
    let area: f32 = blocks
        .iter()
        .map(|b| (b.width + DOMAIN_GAP) * (b.height + DOMAIN_GAP))
        .sum();
    let widest = blocks.iter().map(|b| b.width).fold(0.0, f32::max);
    let row_width = (area * ASPECT).sqrt().max(widest);
    let mut out = vec![Pos::default(); n];
    let (mut x, mut y, mut row_height) = (0.0f32, 0.0f32, 0.0f32);
    for b in blocks {
        if x > 0.0 && x + b.width > row_width {
            (x, y, row_height) = (0.0, y + row_height + DOMAIN_GAP, 0.0);
        }
        for &(i, p) in &b.nodes {
            out[i] = Pos {
                x: x + p.x,
                y: y + p.y,
            };
        }
        x += b.width + DOMAIN_GAP;
        row_height = row_height.max(b.height);
    }
    out
}

#[cfg(test)]
mod tests;
