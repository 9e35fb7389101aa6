//! The diagram's geometry, shared by the app's canvas and the SVG export: each kind's
//! outline, where an arrow leaves a box, how parallel arrows spread apart, arrow heads,
//! and the sizes they are built from. Pure arithmetic on [`Point`]s in diagram units,
//! y pointing down; each renderer maps the points to its own primitives (egui shapes,
//! SVG paths). How each kind looks (colours, lines, box sizes) is in
//! [`style`](super::style).
//!
//! The formulas are written once, in the order the SVG export has always computed
//! them: the exported SVG is compared byte for byte, so reordering the arithmetic here
//! would move a number's last decimal.

use std::collections::BTreeMap;
use std::ops::{Add, Mul, Neg, Sub};

use crate::model::ElementKind;

/// A point, or a vector between two points, in diagram units (y points down).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Rightwards.
    pub x: f32,
    /// Downwards.
    pub y: f32,
}

impl Point {
    /// The origin, or no displacement.
    pub const ZERO: Point = Point { x: 0.0, y: 0.0 };

    /// The point at (`x`, `y`).
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// The length of the vector from the origin to here.
    pub fn length(self) -> f32 {
        (self.x * self.x + self.y * self.y).sqrt()
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, o: Point) -> Point {
        Point::new(self.x + o.x, self.y + o.y)
    }
}

impl Sub for Point {
    type Output = Point;
    fn sub(self, o: Point) -> Point {
        Point::new(self.x - o.x, self.y - o.y)
    }
}

impl Neg for Point {
    type Output = Point;
    fn neg(self) -> Point {
        Point::new(-self.x, -self.y)
    }
}

impl Mul<f32> for Point {
    type Output = Point;
    fn mul(self, k: f32) -> Point {
        Point::new(self.x * k, self.y * k)
    }
}

impl From<(f32, f32)> for Point {
    fn from((x, y): (f32, f32)) -> Self {
        Point::new(x, y)
    }
}

/// An upright rectangle in diagram units: a box's bounds, a label's plate, a mark;
/// what arrows and labels keep clear of.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

impl Rect {
    /// The rectangle centred at (`cx`, `cy`) with half width `hw` and half height `hh`.
    pub fn centred(cx: f32, cy: f32, hw: f32, hh: f32) -> Self {
        Self {
            x0: cx - hw,
            y0: cy - hh,
            x1: cx + hw,
            y1: cy + hh,
        }
    }

    /// Its centre.
    pub fn centre(&self) -> Point {
        Point::new((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// Do the two share any area (touching edges do not count)?
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// The area the two share.
    pub fn overlap_area(&self, o: &Rect) -> f32 {
        let w = (self.x1.min(o.x1) - self.x0.max(o.x0)).max(0.0);
        let h = (self.y1.min(o.y1) - self.y0.max(o.y0)).max(0.0);
        w * h
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    /// Grown by `d` on every side (shrunk for a negative `d`).
    pub fn expand(&self, d: f32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    /// Is `p` strictly inside?
    pub fn contains(&self, p: Point) -> bool {
        self.x0 < p.x && p.x < self.x1 && self.y0 < p.y && p.y < self.y1
    }

    /// Does the segment from `a` to `b` pass through the inside (running along an edge
    /// or touching a corner does not count)? Liang–Barsky clipping.
    pub fn crossed_by(&self, a: Point, b: Point) -> bool {
        let d = b - a;
        let (mut t0, mut t1) = (0.0f32, 1.0f32);
        for (p, q) in [
            (-d.x, a.x - self.x0),
            (d.x, self.x1 - a.x),
            (-d.y, a.y - self.y0),
            (d.y, self.y1 - a.y),
        ] {
            if p.abs() < 1e-9 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        // A stretch of positive length inside, not just a touch.
        if t1 - t0 <= 1e-4 {
            return false;
        }
        let mid = a + d * ((t0 + t1) / 2.0);
        self.contains(mid)
    }
}

/// How far a saga's or a source's point reaches in from its box.
pub const POINT: f32 = 12.0;
/// How far a projection's slanted sides lean, top against bottom.
pub const SLANT: f32 = 10.0;
/// Height of half a store's lid (the ellipse on top of the cylinder).
pub const LID: f32 = 6.0;
/// Straight pieces per half ellipse when a store's outline is a polygon.
pub const LID_STEPS: u32 = 12;
/// Width of a topic's partition log, at the right end of its box.
pub const LOG_WIDTH: f32 = 22.0;
/// Most cells a topic's partition log shows (one per partition).
pub const MAX_LOG_CELLS: u32 = 8;
/// Corner radius of a service's box.
pub const SERVICE_RADIUS: f32 = 9.0;
/// Corner radius of a topic's or an event's box.
pub const BOX_RADIUS: f32 = 2.0;
/// Padding between a box's sides and its text.
pub const TEXT_PAD: f32 = 5.0;
/// Gap between a topic's text and its partition log.
pub const LOG_GAP: f32 = 2.0;
/// Length of an arrow head.
pub const TIP: f32 = 10.0;
/// Half the width of an arrow head, as a share of its length.
pub const TIP_SPREAD: f32 = 0.45;
/// Sideways distance between parallel arrows.
pub const PARALLEL_GAP: f32 = 16.0;

/// What a kind's box is drawn as; its outline as a polygon is [`outline`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Body {
    /// A rectangle with corners rounded to this radius (services, topics, events).
    RoundedBox {
        /// The corners' radius.
        radius: f32,
    },
    /// A cylinder: a lid of half height [`LID`] on top, a half ellipse at the bottom
    /// (stores).
    Cylinder,
    /// The convex polygon [`outline`] (sagas, sources, projections).
    Polygon,
}

/// What a kind's box is drawn as.
pub fn body(kind: ElementKind) -> Body {
    match kind {
        ElementKind::Service => Body::RoundedBox {
            radius: SERVICE_RADIUS,
        },
        ElementKind::Topic | ElementKind::Event => Body::RoundedBox { radius: BOX_RADIUS },
        ElementKind::Store => Body::Cylinder,
        ElementKind::Saga | ElementKind::Source | ElementKind::Projection => Body::Polygon,
    }
}

/// The outline of a kind's shape around the origin with half size `half`, as a convex
/// polygon: a saga's hexagon, a source's arrow, a projection's slanted box, a store's
/// cylinder (its ellipses in [`LID_STEPS`] pieces each), the others' rectangle
/// (rounded corners left out).
pub fn outline(kind: ElementKind, half: Point) -> Vec<Point> {
    let Point { x, y } = half;
    let p = Point::new;
    match kind {
        ElementKind::Saga => vec![
            p(-x, 0.0),
            p(-x + POINT, -y),
            p(x - POINT, -y),
            p(x, 0.0),
            p(x - POINT, y),
            p(-x + POINT, y),
        ],
        ElementKind::Source => vec![
            p(-x, -y),
            p(x - POINT, -y),
            p(x, 0.0),
            p(x - POINT, y),
            p(-x, y),
        ],
        ElementKind::Projection => vec![p(-x + SLANT, -y), p(x, -y), p(x - SLANT, y), p(-x, y)],
        ElementKind::Store => {
            // The back of the lid, then the bottom half ellipse.
            let mut pts = Vec::with_capacity(2 * LID_STEPS as usize + 2);
            for i in 0..=LID_STEPS {
                let a = std::f32::consts::PI * (1.0 + i as f32 / LID_STEPS as f32);
                pts.push(p(x * a.cos(), -y + LID + LID * a.sin()));
            }
            for i in 0..=LID_STEPS {
                let a = std::f32::consts::PI * (i as f32 / LID_STEPS as f32);
                pts.push(p(x * a.cos(), y - LID + LID * a.sin()));
            }
            pts
        }
        ElementKind::Service | ElementKind::Topic | ElementKind::Event => {
            vec![p(-x, -y), p(x, -y), p(x, y), p(-x, y)]
        }
    }
}

/// The front edge of a store's lid around the origin with half size `half`, left to
/// right, in [`LID_STEPS`] pieces.
pub fn lid_front(half: Point) -> Vec<Point> {
    (0..=LID_STEPS)
        .map(|i| {
            let a = std::f32::consts::PI * (i as f32 / LID_STEPS as f32);
            Point::new(half.x * a.cos(), -half.y + LID + LID * a.sin())
        })
        .collect()
}

/// A topic's partition log in a box centred at `centre` with half size `half`, both
/// already scaled by `scale`: the x of the log's left side, and the y of each line
/// between two of its cells (one cell per partition, at most [`MAX_LOG_CELLS`]).
pub fn partition_log(centre: Point, half: Point, scale: f32, partitions: u32) -> (f32, Vec<f32>) {
    let x = centre.x + half.x - LOG_WIDTH * scale;
    let cells = partitions.clamp(1, MAX_LOG_CELLS);
    let lines = (1..cells)
        .map(|i| centre.y - half.y + 2.0 * half.y * i as f32 / cells as f32)
        .collect();
    (x, lines)
}

/// Where a ray from the origin in direction `dir` leaves the convex polygon `poly`
/// around the origin (straight right for no direction; the origin when it never
/// leaves).
pub fn ray_exit(poly: &[Point], dir: Point) -> Point {
    let len = dir.length();
    let d = if len > 0.0 {
        Point::new(dir.x / len, dir.y / len)
    } else {
        Point::new(1.0, 0.0)
    };
    let mut best = f32::INFINITY;
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + 1) % poly.len()];
        let e = b - a;
        let denom = d.x * e.y - d.y * e.x;
        if denom.abs() < 1e-6 {
            continue;
        }
        // Solve t·d = a + s·e.
        let t = (a.x * e.y - a.y * e.x) / denom;
        let s = (a.x * d.y - a.y * d.x) / denom;
        if t > 0.0 && (-1e-4..=1.0 + 1e-4).contains(&s) {
            best = best.min(t);
        }
    }
    if best.is_finite() {
        Point::new(d.x * best, d.y * best)
    } else {
        Point::ZERO
    }
}

/// Where an arrow leaving the centre of a `kind` box of half size `half` towards `dir`
/// crosses its outline, from the centre.
pub fn boundary(kind: ElementKind, half: Point, dir: Point) -> Point {
    ray_exit(&outline(kind, half), dir)
}

/// Arrows between the same two boxes (in either direction), spread sideways so they
/// stay apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    /// The two boxes, the lower index first.
    pub ends: (usize, usize),
    /// Each arrow's index and its sideways offset, in the order the arrows came.
    /// Offsets are [`PARALLEL_GAP`] apart and centred on zero, measured to the left
    /// of the direction from `ends.0` to `ends.1` (see [`arrow_ends`]).
    pub arrows: Vec<(usize, f32)>,
}

/// The arrows given by their (from, to) boxes, bundled by their two ends, in order of
/// those ends; arrows from a box to itself are left out.
pub fn bundles(arrows: impl IntoIterator<Item = (usize, usize)>) -> Vec<Bundle> {
    let mut by_ends: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, (from, to)) in arrows.into_iter().enumerate() {
        if from != to {
            by_ends
                .entry((from.min(to), from.max(to)))
                .or_default()
                .push(i);
        }
    }
    by_ends
        .into_iter()
        .map(|(ends, members)| {
            let k = members.len() as f32;
            let arrows = members
                .into_iter()
                .enumerate()
                .map(|(j, i)| (i, (j as f32 - (k - 1.0) / 2.0) * PARALLEL_GAP))
                .collect();
            Bundle { ends, arrows }
        })
        .collect()
}

/// Where an arrow from the box centred at `from` (outline `from_outline`, around its
/// centre) to the box at `to` starts and ends: where the line between the centres
/// leaves each outline, both shifted sideways by `offset`. The offset is measured in
/// the bundle's frame, to the left of the direction from its lower-numbered box to
/// its higher: `forward` says whether `from` is the lower. None when the centres
/// (nearly) coincide.
pub fn arrow_ends(
    (from, from_outline): (Point, &[Point]),
    (to, to_outline): (Point, &[Point]),
    offset: f32,
    forward: bool,
) -> Option<(Point, Point)> {
    let d = to - from;
    let len = d.length();
    if len < 1e-3 {
        return None;
    }
    let canonical = if forward { d } else { -d };
    let side = Point::new(-canonical.y / len * offset, canonical.x / len * offset);
    let a = ray_exit(from_outline, d);
    let b = ray_exit(to_outline, -d);
    Some((from + a + side, to + b + side))
}

/// An arrow's head: a triangle from the tip back to two wings beside the base.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Head {
    /// Where the line stops, on the arrow `length` back from the tip.
    pub base: Point,
    /// The head's two back corners, either side of the base.
    pub wings: [Point; 2],
}

/// The head of an arrow from `from` to `tip`, `length` long (usually [`TIP`] times the
/// zoom) and `2 × TIP_SPREAD × length` wide.
pub fn arrow_head(from: Point, tip: Point, length: f32) -> Head {
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let l = (dx * dx + dy * dy).sqrt().max(1e-3);
    let base = Point::new(tip.x - dx / l * length, tip.y - dy / l * length);
    let (dx, dy) = (tip.x - base.x, tip.y - base.y);
    let l = (dx * dx + dy * dy).sqrt().max(1e-3);
    let perp = Point::new(-dy / l * length * TIP_SPREAD, dx / l * length * TIP_SPREAD);
    Head {
        base,
        wings: [
            Point::new(base.x + perp.x, base.y + perp.y),
            Point::new(base.x - perp.x, base.y - perp.y),
        ],
    }
}

#[cfg(test)]
mod tests;
