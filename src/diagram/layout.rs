//! Left-to-right layered layout (Sugiyama, via `rust-sugiyama`): sources on the left,
//! the flow to the right, few crossings.

use super::graph::{ArchGraph, EdgeKind, arch_graph};
use crate::model::{ElementKind, ElementRef, Model, Pos};

/// Horizontal distance between layers: room for a box and, between two layers, the
/// labels of a saga's commands, replies, failures and compensations.
pub const LAYER_GAP: f32 = 240.0;
/// Box size used for spacing within a layer.
pub const BOX: (f64, f64) = (140.0, 52.0);
/// Vertical gap between disconnected parts of the diagram.
const COMPONENT_GAP: f32 = 80.0;

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
        let mut bottom = top;
        for (id, (x, y)) in &nodes {
            let layer = layers
                .iter()
                .position(|l| (l - y).abs() < 1e-6)
                .unwrap_or(0);
            let pos = Pos {
                x: layer as f32 * LAYER_GAP,
                y: top + (x - min_x) as f32,
            };
            bottom = bottom.max(pos.y + BOX.1 as f32);
            if let Some(slot) = out.get_mut(*id) {
                *slot = pos;
            }
        }
        top = bottom + COMPONENT_GAP;
    }
    out
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
/// saved files stay tidy).
pub fn apply_layout(model: &mut Model) {
    let graph = arch_graph(model);
    let positions = layout(&graph);
    for (node, pos) in graph.nodes.iter().zip(positions) {
        let pos = Pos {
            x: pos.x.round(),
            y: pos.y.round(),
        };
        set_pos(model, &node.element, Some(pos));
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
