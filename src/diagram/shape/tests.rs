use super::*;
use crate::diagram::style::half_size;

const KINDS: [ElementKind; 7] = [
    ElementKind::Event,
    ElementKind::Topic,
    ElementKind::Service,
    ElementKind::Saga,
    ElementKind::Store,
    ElementKind::Projection,
    ElementKind::Source,
];

fn half(kind: ElementKind) -> Point {
    half_size(kind).into()
}

/// The distance from `p` to the segment a–b.
fn distance_to_segment(p: Point, a: Point, b: Point) -> f32 {
    let ab = b - a;
    let t = (((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / (ab.x * ab.x + ab.y * ab.y).max(1e-9))
        .clamp(0.0, 1.0);
    (a + ab * t - p).length()
}

fn on_outline(poly: &[Point], p: Point) -> bool {
    (0..poly.len()).any(|i| distance_to_segment(p, poly[i], poly[(i + 1) % poly.len()]) < 1e-3)
}

#[test]
fn rays_leave_every_shape_on_its_boundary_in_every_direction() {
    for kind in KINDS {
        // The kind's own size, and a box widened for a long name (as the SVG does).
        for h in [half(kind), half(kind) + Point::new(27.0, 0.0)] {
            let poly = outline(kind, h);
            for i in 0..72 {
                let a = i as f32 / 72.0 * std::f32::consts::TAU;
                let dir = Point::new(a.cos(), a.sin()) * 3.0;
                let p = ray_exit(&poly, dir);
                assert!(
                    on_outline(&poly, p),
                    "{kind:?} at {a}: {p:?} not on the outline"
                );
                // Along the ray, not behind it or beside it.
                let cross = p.x * dir.y - p.y * dir.x;
                let dot = p.x * dir.x + p.y * dir.y;
                assert!(cross.abs() < 1e-3 && dot > 0.0, "{kind:?} at {a}: {p:?}");
                assert!(
                    p.x.abs() <= h.x + 1e-3 && p.y.abs() <= h.y + 1e-3,
                    "{kind:?}: {p:?} outside {h:?}"
                );
                assert_eq!(boundary(kind, h, dir), p);
            }
            // Straight right reaches the right end (the point, for sagas and sources;
            // a projection's slanted side is crossed half-way).
            let right = if kind == ElementKind::Projection {
                h.x - SLANT / 2.0
            } else {
                h.x
            };
            assert!((ray_exit(&poly, Point::new(1.0, 0.0)).x - right).abs() < 0.01);
            // Straight down reaches the bottom (a store's is the half ellipse's lowest point).
            assert!((ray_exit(&poly, Point::new(0.0, 1.0)).y - h.y).abs() < 0.01);
        }
    }
}

#[test]
fn no_direction_means_straight_right() {
    let poly = outline(ElementKind::Service, half(ElementKind::Service));
    assert_eq!(
        ray_exit(&poly, Point::ZERO),
        ray_exit(&poly, Point::new(1.0, 0.0))
    );
}

#[test]
fn outlines_are_convex_and_fit_their_box() {
    let (w, h) = crate::diagram::BOX;
    for kind in KINDS {
        let half = half(kind);
        assert!(
            2.0 * half.x <= w as f32 && 2.0 * half.y <= h as f32,
            "{kind:?}"
        );
        let poly = outline(kind, half);
        let turns: Vec<f32> = (0..poly.len())
            .map(|i| {
                let (a, b, c) = (
                    poly[i],
                    poly[(i + 1) % poly.len()],
                    poly[(i + 2) % poly.len()],
                );
                (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
            })
            .filter(|t| t.abs() > 1e-3)
            .collect();
        assert!(
            turns.iter().all(|&t| t > 0.0) || turns.iter().all(|&t| t < 0.0),
            "{kind:?} is not convex"
        );
        for p in poly {
            assert!(
                p.x.abs() <= half.x + 1e-4 && p.y.abs() <= half.y + 1e-4,
                "{kind:?}"
            );
        }
    }
}

#[test]
fn every_kind_has_a_body() {
    assert_eq!(
        body(ElementKind::Service),
        Body::RoundedBox {
            radius: SERVICE_RADIUS
        }
    );
    assert_eq!(body(ElementKind::Store), Body::Cylinder);
    assert_eq!(body(ElementKind::Saga), Body::Polygon);
    let lid = lid_front(half(ElementKind::Store));
    assert_eq!(lid.len(), LID_STEPS as usize + 1);
    let h = half(ElementKind::Store);
    assert!((lid[LID_STEPS as usize / 2].y - (-h.y + 2.0 * LID)).abs() < 1e-4);
}

#[test]
fn a_partition_log_has_a_cell_per_partition_up_to_eight() {
    let (x, lines) = partition_log(Point::new(100.0, 50.0), Point::new(68.0, 21.0), 1.0, 4);
    assert_eq!(x, 100.0 + 68.0 - LOG_WIDTH);
    assert_eq!(lines, vec![39.5, 50.0, 60.5]);
    assert!(
        partition_log(Point::ZERO, Point::new(1.0, 1.0), 1.0, 0)
            .1
            .is_empty()
    );
    assert_eq!(
        partition_log(Point::ZERO, Point::new(1.0, 1.0), 1.0, 40)
            .1
            .len(),
        7
    );
}

#[test]
fn bundled_offsets_are_symmetric_and_gap_apart() {
    // Three arrows between boxes 1 and 2 (both ways), one between 0 and 2, a loop.
    let arrows = [(1, 2), (0, 2), (2, 1), (2, 2), (1, 2)];
    let b = bundles(arrows);
    assert_eq!(b.len(), 2);
    assert_eq!(
        b[0],
        Bundle {
            ends: (0, 2),
            arrows: vec![(1, 0.0)]
        }
    );
    assert_eq!(b[1].ends, (1, 2));
    assert_eq!(
        b[1].arrows,
        vec![(0, -PARALLEL_GAP), (2, 0.0), (4, PARALLEL_GAP)]
    );
    for n in 1..7 {
        let b = bundles(std::iter::repeat_n((3, 5), n));
        let offsets: Vec<f32> = b[0].arrows.iter().map(|a| a.1).collect();
        for (j, o) in offsets.iter().enumerate() {
            assert_eq!(*o, -offsets[n - 1 - j], "{n} arrows");
        }
        for w in offsets.windows(2) {
            assert_eq!(w[1] - w[0], PARALLEL_GAP);
        }
    }
    // The same arrows, the same bundles.
    assert_eq!(bundles(arrows), bundles(arrows));
}

#[test]
fn arrows_both_ways_in_a_bundle_stay_apart() {
    let (ka, kb) = (ElementKind::Service, ElementKind::Topic);
    let (pa, pb) = (Point::new(0.0, 0.0), Point::new(300.0, 100.0));
    let (oa, ob) = (outline(ka, half(ka)), outline(kb, half(kb)));
    let b = bundles([(0, 1), (1, 0)]);
    let [(_, o0), (_, o1)] = b[0].arrows[..] else {
        panic!("two arrows")
    };
    let there = arrow_ends((pa, &oa), (pb, &ob), o0, true).unwrap();
    let back = arrow_ends((pb, &ob), (pa, &oa), o1, false).unwrap();
    // Parallel lines, PARALLEL_GAP apart.
    let d = pb - pa;
    let n = Point::new(-d.y, d.x) * (1.0 / d.length());
    let across = |p: Point| (p.x - pa.x) * n.x + (p.y - pa.y) * n.y;
    for (p, offset) in [(there.0, o0), (there.1, o0), (back.0, o1), (back.1, o1)] {
        assert!(
            (across(p) - offset).abs() < 1e-3,
            "{p:?} not {offset} across"
        );
    }
    assert_eq!(o1 - o0, PARALLEL_GAP);
    // An arrow between two boxes at one point has no ends.
    assert!(arrow_ends((pa, &oa), (pa, &ob), 0.0, true).is_none());
}

#[test]
fn an_arrow_head_points_at_its_tip() {
    let h = arrow_head(Point::new(0.0, 0.0), Point::new(100.0, 0.0), TIP);
    assert_eq!(h.base, Point::new(100.0 - TIP, 0.0));
    assert_eq!(h.wings[0], Point::new(100.0 - TIP, TIP * TIP_SPREAD));
    assert_eq!(h.wings[1], Point::new(100.0 - TIP, -TIP * TIP_SPREAD));
}
