use super::*;
use crate::diagram::style::{half_size, placed};
use crate::diagram::{ArchGraph, Edge, EdgeKind, Node};
use crate::model::{ElementKind, ElementRef};

/// The diagram of a model drawn at its layout's positions with the canvas's box sizes:
/// its routes and labels, and what collides.
fn drawn(model: &crate::model::Model) -> (ArchGraph, Vec<Option<Route>>, Vec<String>) {
    let (graph, pos) = placed(model);
    let centres: Vec<Point> = pos.iter().map(|&p| p.into()).collect();
    let halves: Vec<Point> = graph
        .nodes
        .iter()
        .map(|n| half_size(n.element.kind).into())
        .collect();
    let placed = Placed {
        graph: &graph,
        centres: &centres,
        halves: &halves,
    };
    let routes = routes(&placed);
    let sizes: Vec<Option<Point>> = graph
        .edges
        .iter()
        .map(|e| Some(label_size(&e.label)))
        .collect();
    let boxes = placed.boxes();
    let obstacles: Vec<Rect> = boxes.iter().map(|b| b.expand(2.0)).collect();
    let labels = place_labels(&routes, &sizes, &obstacles);
    let problems = problems(&graph, &boxes, &routes, &labels);
    (graph, routes, problems)
}

/// Every model file under `models/`, the benchmarks' included.
fn every_model_file() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "ron") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn no_label_or_arrow_collides_in_any_model() {
    let files = every_model_file();
    assert!(files.len() >= 4);
    for file in files {
        let model = crate::model::load_file(&file).unwrap();
        let (graph, routes, problems) = drawn(&model);
        let name = file.display();
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        // Every arrow between two boxes is drawn.
        for (edge, r) in graph.edges.iter().zip(&routes) {
            assert!(r.is_some() || edge.from == edge.to, "{name}: {edge:?}");
        }
    }
}

#[test]
fn segments_cross_a_rectangle_only_through_its_inside() {
    let r = Rect::centred(0.0, 0.0, 10.0, 5.0);
    let p = Point::new;
    assert!(r.crossed_by(p(-20.0, 0.0), p(20.0, 0.0)));
    assert!(r.crossed_by(p(0.0, 0.0), p(0.0, 30.0)));
    // Along an edge, beside it, short of it.
    assert!(!r.crossed_by(p(-20.0, 5.0), p(20.0, 5.0)));
    assert!(!r.crossed_by(p(-20.0, 8.0), p(20.0, 8.0)));
    assert!(!r.crossed_by(p(-30.0, 0.0), p(-11.0, 0.0)));
    // Diagonally past a corner.
    assert!(!r.crossed_by(p(5.0, -20.0), p(25.0, 0.0)));
}

/// Three boxes in a row: an arrow from the first to the third bends around the
/// middle one; one from the first to the second runs straight.
#[test]
fn arrows_bend_around_a_box_in_their_way() {
    let node = |name: &str| Node {
        element: ElementRef::new(ElementKind::Service, name),
        detail: String::new(),
        pos: None,
    };
    let edge = |from, to| Edge {
        from,
        to,
        kind: EdgeKind::Command,
        label: "Go".to_owned(),
    };
    let graph = ArchGraph {
        nodes: vec![node("a"), node("b"), node("c")],
        edges: vec![edge(0, 2), edge(0, 1)],
    };
    let centres = [
        Point::new(0.0, 0.0),
        Point::new(220.0, 0.0),
        Point::new(440.0, 0.0),
    ];
    let halves = [Point::new(66.0, 23.0); 3];
    let placed = Placed {
        graph: &graph,
        centres: &centres,
        halves: &halves,
    };
    let routes = routes(&placed);
    let around = routes[0].as_ref().unwrap();
    assert!(around.points.len() > 2, "{around:?}");
    let straight = routes[1].as_ref().unwrap();
    assert_eq!(straight.points.len(), 2);
    assert_eq!(straight.points[0], Point::new(66.0, 0.0));
    assert_eq!(straight.points[1], Point::new(154.0, 0.0));
    let boxes = placed.boxes();
    assert!(problems(&graph, &boxes, &routes, &[None, None]).is_empty());
    // The straight line would have run through the middle box, and a label on it
    // would cover it: both are reported.
    let through = Route {
        points: vec![Point::new(66.0, 0.0), Point::new(374.0, 0.0)],
        head: crate::diagram::shape::arrow_head(
            Point::new(66.0, 0.0),
            Point::new(374.0, 0.0),
            10.0,
        ),
        label_t: 0.5,
        ends: (0, 2),
    };
    let on_b = Some(Rect::centred(220.0, 0.0, 20.0, 8.0));
    let found = problems(
        &graph,
        &boxes,
        &[Some(through), routes[1].clone()],
        &[on_b, on_b],
    );
    assert_eq!(found.len(), 4, "{found:#?}");
    // Both ends on their boxes' outlines.
    assert_eq!(
        around.points[0]
            .x
            .abs()
            .max(around.points[0].y.abs() * 66.0 / 23.0),
        66.0
    );
}
