//! Arrow labels, each on a plate placed along its arrow where it covers no box and no
//! label placed before it.

use super::Route;
use crate::diagram::shape::{Point, Rect};
use crate::diagram::style::{LABEL_SIZE, text_width};

/// The width and height of a label's plate: its text in [`LABEL_SIZE`] with a little
/// room around it.
pub fn label_size(text: &str) -> Point {
    Point::new(text_width(text, LABEL_SIZE, false) + 6.0, LABEL_SIZE + 5.0)
}

/// How much covering a box or a label weighs against the other costs (per unit of
/// area covered).
const COVER_COST: f32 = 1000.0;
/// What covering another arrow's line costs (the plate hides a piece of it).
const LINE_COST: f32 = 5.0;
/// What moving a label one unit away from its best spot costs.
const MOVE_COST: f32 = 0.6;

/// A piece of an arrow's line, with the two boxes the arrow joins.
type Line = ((usize, usize), Point, Point);

/// The cost of a label's plate at `r`: what it covers of `taken`, the lines it hides
/// of arrows other than its own and its parallels (ends `own`), and how far it is from
/// `anchor`. A bundle's labels thus stack beside it, each in its arrow's colour.
fn cost(r: &Rect, anchor: Point, taken: &[Rect], lines: &[Line], own: (usize, usize)) -> f32 {
    let covered: f32 = taken.iter().map(|o| o.overlap_area(r)).sum();
    let hidden = lines
        .iter()
        .filter(|(ends, p, q)| *ends != own && r.crossed_by(*p, *q))
        .count() as f32;
    covered * COVER_COST + hidden * LINE_COST + (r.centre() - anchor).length() * MOVE_COST
}

/// The places tried for a label of size `size` on `route`: points along the line
/// around its best point, each as it is and moved off the line across and along.
fn candidates(route: &Route, size: Point) -> Vec<(Rect, Point)> {
    let (anchor, _) = route.at(route.label_t);
    let mut out = Vec::new();
    for i in 0..9 {
        let step = (i + 1) / 2;
        let sign = if i % 2 == 1 { -1.0 } else { 1.0 };
        let t = (route.label_t + sign * 0.09 * step as f32).clamp(0.1, 0.9);
        let (p, dir) = route.at(t);
        let steep = dir.y.abs() > dir.x.abs();
        let mut shifts = vec![Point::ZERO];
        for k in 1..=4 {
            let k = k as f32;
            shifts.push(Point::new(0.0, k * (size.y + 2.0)));
            shifts.push(Point::new(0.0, -k * (size.y + 2.0)));
        }
        for k in 1..=2 {
            let dx = k as f32 * (size.x / 2.0 + 4.0);
            shifts.push(Point::new(dx, 0.0));
            shifts.push(Point::new(-dx, 0.0));
        }
        if steep {
            // Beside a steep line first.
            shifts[1..].rotate_left(8);
        }
        for s in shifts {
            let c = p + s;
            out.push((Rect::centred(c.x, c.y, size.x / 2.0, size.y / 2.0), anchor));
        }
    }
    out
}

/// A plate for each arrow's label, in edge order (`None` where the arrow has no
/// route or `sizes` gives it no label): each at the cheapest of its candidate spots,
/// which covers nothing of `obstacles` (the boxes, already placed marks) or of the
/// labels placed before it when any spot does, then hides as few other arrows'
/// lines and sits as close to its best point as it can.
pub fn place_labels(
    routes: &[Option<Route>],
    sizes: &[Option<Point>],
    obstacles: &[Rect],
) -> Vec<Option<Rect>> {
    let lines: Vec<Line> = routes
        .iter()
        .flatten()
        .flat_map(|r| {
            let line = r.line();
            (0..line.len().saturating_sub(1))
                .map(|k| (r.ends, line[k], line[k + 1]))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut taken = obstacles.to_vec();
    let mut out = vec![None; routes.len()];
    for (i, (route, size)) in routes.iter().zip(sizes).enumerate() {
        let (Some(route), Some(size)) = (route, size) else {
            continue;
        };
        let tried = candidates(route, *size);
        // Only what is near the places tried can be covered.
        let area = tried
            .iter()
            .map(|(r, _)| *r)
            .reduce(|a, b| a.union(&b))
            .unwrap_or_default();
        let near: Vec<Rect> = taken
            .iter()
            .filter(|t| t.overlaps(&area))
            .copied()
            .collect();
        let near_lines: Vec<Line> = lines
            .iter()
            .filter(|(_, p, q)| {
                let span = Rect {
                    x0: p.x.min(q.x),
                    y0: p.y.min(q.y),
                    x1: p.x.max(q.x),
                    y1: p.y.max(q.y),
                };
                span.expand(1.0).overlaps(&area)
            })
            .copied()
            .collect();
        let best = tried
            .into_iter()
            .map(|(r, anchor)| (cost(&r, anchor, &near, &near_lines, route.ends), r))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, r)| r);
        if let Some(r) = best {
            taken.push(r);
            out[i] = Some(r);
        }
    }
    out
}
