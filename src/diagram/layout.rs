//! Left-to-right layered layout (Sugiyama, via `rust-sugiyama`): sources on the left,
//! the flow to the right, few crossings. A long flow (a pipeline of dozens of
//! services) is folded into bands, one below the other, so it fits a window.

use std::collections::HashMap;

use super::graph::{ArchGraph, EdgeKind, arch_graph};
use crate::model::{ElementKind, ElementRef, Model, Pos};

/// Horizontal distance between layers: room for a box and, between two layers, the
/// labels of a saga's commands, replies, failures and compensations.
pub const LAYER_GAP: f32 = 240.0;
/// Box size used for spacing within a layer.
pub const BOX: (f64, f64) = (140.0, 52.0);
/// Vertical gap between disconnected parts of the diagram.
const COMPONENT_GAP: f32 = 80.0;
/// Unconnected parts are stacked unless that is more than this many times taller
/// than wide; then they are put in rows.
const STACK_UP_TO: f32 = 3.0;
/// About how much wider than tall parts put in rows are.
const PARTS_ASPECT: f32 = 1.6;
/// How much wider than tall a part may be before it is folded into bands.
const FOLD_FROM: f32 = 10.0;
/// About how much wider than tall a folded part is.
const FOLDED_ASPECT: f32 = 2.0;
/// Vertical gap between the bands of a folded part.
const BAND_GAP: f32 = 120.0;

/// Does any box lack a position, or sit on top of another? (An arrow between two
/// boxes at one point has no length to draw along.)
pub fn needs_layout(model: &Model) -> bool {
    let graph = arch_graph(model);
    let mut points = Vec::with_capacity(graph.nodes.len());
    for n in &graph.nodes {
        match n.pos {
            Some(p) => points.push(((p.x * 10.0) as i64, (p.y * 10.0) as i64)),
            None => return true,
        }
    }
    points.sort_unstable();
    points.windows(2).any(|w| w[0] == w[1])
}

/// Positions for every node of the graph, in node order.
pub fn layout(graph: &ArchGraph) -> Vec<Pos> {
    let n = graph.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    // Flow edges only: replies, compensations and callbacks point back and would only
    // add cycles for the layering to break.
    let mut edges: Vec<(u32, u32)> = graph
        .edges
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                EdgeKind::Reply | EdgeKind::Compensation | EdgeKind::Callback
            )
        })
        .filter(|e| e.from != e.to)
        .map(|e| (e.from as u32, e.to as u32))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let edges = without_back_edges(n, &edges);
    // Layers run top to bottom in the algorithm: give it boxes turned on their side
    // and swap the axes afterwards.
    let vertices: Vec<(u32, (f64, f64))> = (0..n as u32).map(|i| (i, (BOX.1, BOX.0))).collect();
    let config = rust_sugiyama::configure::Config {
        // Room between the boxes of a layer for the labels of the arrows fanning out
        // between them.
        vertex_spacing: 100.0,
        // Everything as far up (left) as it can go: sources form the first layer.
        ranking_type: rust_sugiyama::configure::RankingType::Up,
        ..Default::default()
    };
    let mut parts = rust_sugiyama::from_vertices_and_edges(&vertices, &edges, &config);
    // A stable order of the disconnected parts: by their first node.
    parts.sort_by_key(|(nodes, _, _)| nodes.iter().map(|(id, _)| *id).min().unwrap_or(usize::MAX));
    let mut out = vec![Pos::default(); n];
    let mut sizes = Vec::with_capacity(parts.len());
    let mut top = 0.0f32;
    for (nodes, _, _) in parts {
        // Layer coordinates → layer numbers, so every layer gets the same gap.
        let mut layers: Vec<f64> = nodes.iter().map(|(_, (_, y))| *y).collect();
        layers.sort_by(f64::total_cmp);
        layers.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
        let min_x = nodes
            .iter()
            .map(|(_, (x, _))| *x)
            .fold(f64::INFINITY, f64::min);
        let placed: Vec<(usize, usize, f32)> = nodes
            .iter()
            .map(|(id, (x, y))| {
                let layer = layers.partition_point(|l| *l < y - 1e-6);
                (*id, layer, (x - min_x) as f32)
            })
            .collect();
        let height = placed.iter().map(|p| p.2).fold(0.0, f32::max) + BOX.1 as f32;
        let bands = bands(layers.len(), height);
        let per_band = layers.len().div_ceil(bands);
        let mut part = Part {
            nodes: Vec::with_capacity(placed.len()),
            size: (0.0, bands as f32 * (height + BAND_GAP) - BAND_GAP),
        };
        for (id, layer, y) in placed {
            let band = (layer / per_band) as f32;
            let x = (layer % per_band) as f32 * LAYER_GAP;
            part.size.0 = part.size.0.max(x + BOX.0 as f32);
            part.nodes.push((id, x, band * (height + BAND_GAP) + y));
        }
        top += part.size.1 + COMPONENT_GAP;
        sizes.push(part);
    }
    // Parts one below the other, or, when that would be far taller than wide (many
    // unconnected flows), in rows.
    let widest = sizes.iter().map(|p| p.size.0).fold(0.0, f32::max);
    let offsets: Vec<(f32, f32)> = if sizes.len() > 1 && top > STACK_UP_TO * widest {
        let dims: Vec<(f32, f32)> = sizes.iter().map(|p| p.size).collect();
        shelve(&dims, COMPONENT_GAP, PARTS_ASPECT).0
    } else {
        let mut y = 0.0;
        sizes
            .iter()
            .map(|p| {
                let at = (0.0, y);
                y += p.size.1 + COMPONENT_GAP;
                at
            })
            .collect()
    };
    for (part, (dx, dy)) in sizes.iter().zip(offsets) {
        for &(id, x, y) in &part.nodes {
            if let Some(slot) = out.get_mut(id) {
                *slot = Pos {
                    x: dx + x,
                    y: dy + y,
                };
            }
        }
    }
    out
}

/// One unconnected part laid out: its nodes at their places from its top-left, and
/// its size.
struct Part {
    nodes: Vec<(usize, f32, f32)>,
    size: (f32, f32),
}

/// Where blocks of these sizes (width, height) go when put in rows, left to right,
/// `gap` apart, each row as wide as makes the whole about `aspect` times as wide as
/// tall (never narrower than the widest block): each one's top-left, and the size of
/// the whole.
pub(super) fn shelve(sizes: &[(f32, f32)], gap: f32, aspect: f32) -> (Vec<(f32, f32)>, (f32, f32)) {
    let area: f32 = sizes.iter().map(|(w, h)| (w + gap) * (h + gap)).sum();
    let widest = sizes.iter().map(|s| s.0).fold(0.0, f32::max);
    let row_width = (area * aspect).sqrt().max(widest);
    let (mut x, mut y, mut row_height, mut width) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    let mut at = Vec::with_capacity(sizes.len());
    for &(w, h) in sizes {
        if x > 0.0 && x + w > row_width {
            (x, y, row_height) = (0.0, y + row_height + gap, 0.0);
        }
        at.push((x, y));
        width = width.max(x + w);
        x += w + gap;
        row_height = row_height.max(h);
    }
    (at, (width, y + row_height))
}

/// How many bands a part of `layers` layers, `height` tall, is folded into: a part
/// far wider than a window (from [`FOLD_FROM`] times as wide as tall) runs on in
/// bands below one another, as text wraps, until it is about [`FOLDED_ASPECT`] times
/// as wide as tall; others stay in one band.
fn bands(layers: usize, height: f32) -> usize {
    let aspect = layers as f32 * LAYER_GAP / height.max(BOX.1 as f32);
    if aspect < FOLD_FROM {
        return 1;
    }
    ((aspect / FOLDED_ASPECT).sqrt().round() as usize).clamp(1, layers.max(1))
}

/// The edges minus those that close a cycle, found by a depth-first search that
/// starts from the nodes nothing points to (the sources) in node order, so that the
/// flow keeps its direction and only the edges that lead back are dropped.
fn without_back_edges(n: usize, edges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut has_in = vec![false; n];
    for &(a, b) in edges {
        out[a as usize].push(b);
        has_in[b as usize] = true;
    }
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; n];
    let mut back = std::collections::BTreeSet::new();
    let roots = (0..n).filter(|&i| !has_in[i]).chain(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = out[node].get(*next) {
                *next += 1;
                match state[to as usize] {
                    0 => {
                        state[to as usize] = 1;
                        stack.push((to as usize, 0));
                    }
                    1 => {
                        back.insert((node as u32, to));
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    edges
        .iter()
        .copied()
        .filter(|e| !back.contains(e))
        .collect()
}

/// Lay the model out afresh: every box gets a position (rounded to whole units, so
/// saved files stay tidy), by domain when the model names domains
/// ([`layout_for`](super::domain_layout::layout_for)). Linear in the boxes.
pub fn apply_layout(model: &mut Model) {
    let graph = arch_graph(model);
    let positions = super::domain_layout::layout_for(model, &graph);
    let at: HashMap<(ElementKind, &str), Pos> = graph
        .nodes
        .iter()
        .zip(positions)
        .map(|(node, p)| {
            let p = Pos {
                x: p.x.round(),
                y: p.y.round(),
            };
            ((node.element.kind, node.element.name.as_str()), p)
        })
        .collect();
    let place = |kind, name: &str, pos: &mut Option<Pos>| {
        if let Some(p) = at.get(&(kind, name)) {
            *pos = Some(*p);
        }
    };
    for x in &mut model.services {
        place(ElementKind::Service, &x.name, &mut x.pos);
    }
    for x in &mut model.topics {
        place(ElementKind::Topic, &x.name, &mut x.pos);
    }
    for x in &mut model.sagas {
        place(ElementKind::Saga, &x.name, &mut x.pos);
    }
    for x in &mut model.stores {
        place(ElementKind::Store, &x.name, &mut x.pos);
    }
    for x in &mut model.projections {
        place(ElementKind::Projection, &x.name, &mut x.pos);
    }
    for x in &mut model.sources {
        place(ElementKind::Source, &x.name, &mut x.pos);
    }
}

/// Move one box (events have no box: nothing happens).
pub fn set_pos(model: &mut Model, element: &ElementRef, pos: Option<Pos>) {
    let name = element.name.as_str();
    let slot = match element.kind {
        ElementKind::Service => model
            .services
            .iter_mut()
            .find(|s| s.name == name)
            .map(|s| &mut s.pos),
        ElementKind::Topic => model
            .topics
            .iter_mut()
            .find(|s| s.name == name)
            .map(|s| &mut s.pos),
        ElementKind::Saga => model
            .sagas
            .iter_mut()
            .find(|s| s.name == name)
            .map(|s| &mut s.pos),
        ElementKind::Store => model
            .stores
            .iter_mut()
            .find(|s| s.name == name)
            .map(|s| &mut s.pos),
        ElementKind::Projection => model
            .projections
            .iter_mut()
            .find(|s| s.name == name)
            .map(|s| &mut s.pos),
        ElementKind::Source => model
            .sources
            .iter_mut()
            .find(|s| s.name == name)
            .map(|s| &mut s.pos),
        ElementKind::Event => None,
    };
    if let Some(slot) = slot {
        *slot = pos;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::ALL;

    #[test]
    fn every_example_lays_out_left_to_right_without_overlaps() {
        for e in ALL {
            let mut m = e.model().unwrap();
            apply_layout(&mut m);
            assert!(!needs_layout(&m));
            let g = arch_graph(&m);
            let pos: Vec<Pos> = g.nodes.iter().map(|n| n.pos.unwrap()).collect();
            // No two boxes overlap.
            for i in 0..pos.len() {
                for j in i + 1..pos.len() {
                    let apart = (pos[i].x - pos[j].x).abs() >= BOX.0 as f32
                        || (pos[i].y - pos[j].y).abs() >= BOX.1 as f32;
                    assert!(
                        apart,
                        "{}: {:?} and {:?} overlap",
                        e.name, g.nodes[i].element, g.nodes[j].element
                    );
                }
            }
            // Sources are in the leftmost layer; publishing flows to the right.
            let min_x = pos.iter().map(|p| p.x).fold(f32::INFINITY, f32::min);
            for (n, p) in g.nodes.iter().zip(&pos) {
                if n.element.kind == ElementKind::Source {
                    assert_eq!(
                        p.x, min_x,
                        "{}: source {} is not leftmost",
                        e.name, n.element.name
                    );
                }
            }
            // The flow runs to the right; only edges that close a loop (a choreographed
            // compensation, say) may point back.
            let flow: Vec<_> = g
                .edges
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EdgeKind::Publish | EdgeKind::Consume | EdgeKind::Command
                    )
                })
                .collect();
            let rightward = flow.iter().filter(|e| pos[e.from].x < pos[e.to].x).count();
            assert!(
                rightward * 4 >= flow.len() * 3,
                "{}: {rightward} of {} flow edges point right",
                e.name,
                flow.len()
            );
            // The layout is saved and loads back the same.
            let text = crate::model::to_ron(&m).unwrap();
            assert_eq!(crate::model::parse(&text).unwrap(), m);
        }
    }

    /// Twenty unconnected pipelines (the generator's, without domains or sagas) are
    /// put in rows, not stacked twenty high; no two boxes overlap.
    #[test]
    fn many_unconnected_flows_are_put_in_rows() {
        let mut m = crate::examples::enterprise::Enterprise::new(200, 1)
            .unwrap()
            .model();
        m.sagas.clear();
        for s in &mut m.services {
            s.domain = None;
        }
        for t in &mut m.topics {
            t.domain = None;
        }
        let g = arch_graph(&m);
        let pos = layout(&g);
        let (w, h) = extent(&pos);
        assert!(h <= 3.0 * w, "{w} x {h}: stacked");
        assert!(w <= 3.0 * h, "{w} x {h}: one long row");
        for (i, a) in pos.iter().enumerate() {
            for b in &pos[i + 1..] {
                assert!(
                    (a.x - b.x).abs() >= BOX.0 as f32 || (a.y - b.y).abs() >= BOX.1 as f32,
                    "{a:?} and {b:?} overlap"
                );
            }
        }
    }

    #[test]
    fn stacked_boxes_need_a_layout() {
        let mut m = crate::examples::ALL
            .iter()
            .find(|e| e.file == "order-choreography.ron")
            .unwrap()
            .model()
            .unwrap();
        assert!(!needs_layout(&m));
        let first = m.services[0].pos;
        m.services[1].pos = first;
        assert!(needs_layout(&m));
    }

    /// The 50-service bench model is one long flow: it is folded into bands, not a
    /// strip thirteen times as wide as tall, and still has no overlaps.
    #[test]
    fn a_long_flow_is_folded_into_bands_that_fit_a_window() {
        let text = include_str!("../../models/bench/large.ron");
        let mut m = crate::model::parse(text).unwrap();
        apply_layout(&mut m);
        let g = arch_graph(&m);
        let pos: Vec<Pos> = g.nodes.iter().map(|n| n.pos.unwrap()).collect();
        let (w, h) = extent(&pos);
        assert!(w / h <= 3.5, "{w} × {h}: {} to 1", w / h);
        let layers: std::collections::BTreeSet<i64> = pos.iter().map(|p| p.x as i64).collect();
        assert!(layers.len() >= 3, "several layers per band: {layers:?}");
        for i in 0..pos.len() {
            for j in i + 1..pos.len() {
                assert!(
                    (pos[i].x - pos[j].x).abs() >= BOX.0 as f32
                        || (pos[i].y - pos[j].y).abs() >= BOX.1 as f32,
                    "{:?} and {:?} overlap",
                    g.nodes[i].element,
                    g.nodes[j].element
                );
            }
        }
    }

    #[test]
    fn only_a_flow_far_wider_than_tall_is_folded() {
        // The choreography example: 9 layers, 280 tall, about 8 to 1: one band.
        assert_eq!(bands(9, 280.0), 1);
        assert_eq!(bands(1, 52.0), 1);
        // The bench model: 71 layers, about 14 to 1: three bands, about 1.6 to 1.
        assert_eq!(bands(71, 1192.0), 3);
        // However long, never more bands than layers.
        assert_eq!(bands(3, 1.0), 3);
    }

    fn extent(pos: &[Pos]) -> (f32, f32) {
        let (x0, x1) = pos
            .iter()
            .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
        let (y0, y1) = pos
            .iter()
            .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
        (x1 - x0 + BOX.0 as f32, y1 - y0 + BOX.1 as f32)
    }

    #[test]
    fn layout_is_deterministic() {
        let m = crate::examples::find("choreography")
            .unwrap()
            .model()
            .unwrap();
        let g = arch_graph(&m);
        let first = layout(&g);
        for _ in 0..10 {
            assert_eq!(layout(&g), first);
        }
    }
}
