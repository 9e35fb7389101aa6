//! Where the arrows run and where their labels go, for a diagram whose boxes are
//! placed: the one routing shared by the app's canvas and the SVG export.
//!
//! An arrow runs straight between its two boxes when that line passes no other box;
//! otherwise it bends around the boxes in its way, along the shortest path through
//! points just outside their corners ([`routes`]). Parallel arrows between the same
//! two boxes keep [`PARALLEL_GAP`](super::shape::PARALLEL_GAP) apart where the boxes
//! leave room, closer where they do not, so every arrow starts and ends on its box.
//! Labels then go along their arrow where they cover no box and no label placed
//! before them ([`place_labels`]); [`problems`] says what still collides.

mod check;
mod labels;
mod path;
#[cfg(test)]
mod tests;

pub use check::problems;
pub use labels::{label_size, place_labels};

use super::ArchGraph;
use super::shape::{Head, Point, Rect, TIP, arrow_head, bundles, outline, ray_exit};

/// How far arrows keep from the boxes they pass.
pub const CLEARANCE: f32 = 3.0;
/// How far outside a box's corner a bent arrow turns.
pub const DETOUR: f32 = 14.0;
/// The least distance from a parallel arrow to the side of its box.
const SIDE_MARGIN: f32 = 5.0;

/// One arrow as drawn: a line through `points`, from where it leaves its first box to
/// its tip on the second, and its head.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// The start on the first box, the bends, the tip on the second box.
    pub points: Vec<Point>,
    /// The head at the tip.
    pub head: Head,
    /// Where along the line its label would best sit, 0 to 1.
    pub label_t: f32,
    /// The two boxes it joins (node indexes, the lower first), which it shares with
    /// its parallel arrows.
    pub ends: (usize, usize),
}

impl Route {
    /// The line as drawn: `points` with the last one moved back to the head's base.
    pub fn line(&self) -> Vec<Point> {
        let mut line = self.points.clone();
        if let Some(last) = line.last_mut() {
            *last = self.head.base;
        }
        line
    }

    /// Where it points to, on its second box.
    pub fn tip(&self) -> Point {
        self.points.last().copied().unwrap_or_default()
    }

    /// Its segments, tip included.
    pub fn segments(&self) -> impl Iterator<Item = (Point, Point)> + '_ {
        self.points.windows(2).map(|w| (w[0], w[1]))
    }

    /// The point `t` (0 to 1) of the way along the drawn line, and the direction of
    /// the segment it is on.
    pub fn at(&self, t: f32) -> (Point, Point) {
        let line = self.line();
        let total: f32 = line.windows(2).map(|w| (w[1] - w[0]).length()).sum();
        let mut left = total * t.clamp(0.0, 1.0);
        let mut last = (
            line.first().copied().unwrap_or_default(),
            Point::new(1.0, 0.0),
        );
        for w in line.windows(2) {
            let d = w[1] - w[0];
            let len = d.length();
            if len <= 0.0 {
                continue;
            }
            if left <= len {
                return (w[0] + d * (left / len), d);
            }
            left -= len;
            last = (w[1], d);
        }
        last
    }

    /// The smallest rectangle holding the whole arrow.
    pub fn bounds(&self) -> Rect {
        let dot = |p: &Point| Rect::centred(p.x, p.y, 0.0, 0.0);
        let first = self.points.first().map(dot).unwrap_or_default();
        self.points.iter().map(dot).fold(first, |r, p| r.union(&p))
    }
}

/// The boxes arrows are drawn between: each box's centre and half size, in node order.
#[derive(Clone, Debug)]
pub struct Placed<'a> {
    /// The diagram.
    pub graph: &'a ArchGraph,
    /// Each box's centre, in node order.
    pub centres: &'a [Point],
    /// Each box's half width and height, in node order.
    pub halves: &'a [Point],
}

impl Placed<'_> {
    /// Each box's bounding rectangle, in node order.
    pub fn boxes(&self) -> Vec<Rect> {
        self.centres
            .iter()
            .zip(self.halves)
            .map(|(c, h)| Rect::centred(c.x, c.y, h.x, h.y))
            .collect()
    }
}

/// Where the line through `side` (from the box's centre) in direction `dir` leaves
/// the convex outline `poly` around the centre.
fn exit(poly: &[Point], side: Point, dir: Point) -> Point {
    let moved: Vec<Point> = poly.iter().map(|&p| p - side).collect();
    side + ray_exit(&moved, dir)
}

/// How far the outline `poly` reaches from its centre across the unit direction `u`
/// (the nearer of the two sides).
fn reach(poly: &[Point], u: Point) -> f32 {
    ray_exit(poly, u).length().min(ray_exit(poly, -u).length())
}

/// Every arrow of the diagram, in edge order: `None` for an arrow from a box to
/// itself or between boxes at one point.
pub fn routes(placed: &Placed) -> Vec<Option<Route>> {
    let graph = placed.graph;
    let boxes = placed.boxes();
    let outlines: Vec<Vec<Point>> = graph
        .nodes
        .iter()
        .zip(placed.halves)
        .map(|(n, &h)| outline(n.element.kind, h))
        .collect();
    let mut out = vec![None; graph.edges.len()];
    for bundle in bundles(graph.edges.iter().map(|e| (e.from, e.to))) {
        let (lo, hi) = bundle.ends;
        let d = placed.centres[hi] - placed.centres[lo];
        let len = d.length();
        if len < 1e-3 {
            continue;
        }
        let normal = Point::new(-d.y / len, d.x / len);
        // Parallel arrows closer together where the boxes are too narrow for them.
        let room =
            (reach(&outlines[lo], normal).min(reach(&outlines[hi], normal)) - SIDE_MARGIN).max(0.0);
        let widest = bundle
            .arrows
            .iter()
            .map(|(_, o)| o.abs())
            .fold(0.0f32, f32::max);
        let squeeze = if widest > room { room / widest } else { 1.0 };
        for &(i, offset) in &bundle.arrows {
            let e = &graph.edges[i];
            let side = normal * (offset * squeeze);
            let ends = path::Ends {
                from: e.from,
                to: e.to,
                side,
            };
            out[i] = Some(route(placed, &boxes, &outlines, &ends));
        }
    }
    out
}

/// One arrow: straight when nothing is in the way, else around what is.
fn route(placed: &Placed, boxes: &[Rect], outlines: &[Vec<Point>], ends: &path::Ends) -> Route {
    let (a, b) = (placed.centres[ends.from], placed.centres[ends.to]);
    let bends = path::bends(placed.centres, boxes, ends);
    let first = bends.first().copied().unwrap_or(b);
    let last = bends.last().copied().unwrap_or(a);
    let mut points = Vec::with_capacity(bends.len() + 2);
    points.push(a + exit(&outlines[ends.from], ends.side, first - a));
    points.extend(bends.iter().map(|&w| w + ends.side));
    let tip = b + exit(&outlines[ends.to], ends.side, last - b);
    let before = *points.last().unwrap_or(&tip);
    points.push(tip);
    Route {
        head: arrow_head(before, tip, TIP),
        points,
        label_t: 0.5,
        ends: (ends.from.min(ends.to), ends.from.max(ends.to)),
    }
}
