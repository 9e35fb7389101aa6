//! The bends of an arrow that would pass through a box: the shortest way around,
//! through points just outside the corners of the boxes near it.

use super::{CLEARANCE, DETOUR};
use crate::diagram::shape::{Point, Rect};

/// What each bend costs on top of its length, so a route bends only to gain.
const BEND_COST: f32 = 24.0;
/// How far beyond the rectangle around its two ends an arrow looks for corners to
/// turn at.
const REACH: f32 = 120.0;

/// The two boxes of an arrow (node indexes) and its sideways shift from their
/// centres (parallel arrows).
#[derive(Clone, Copy, Debug)]
pub(super) struct Ends {
    /// The box it leaves.
    pub(super) from: usize,
    /// The box it points to.
    pub(super) to: usize,
    /// Its shift sideways, the same at both ends.
    pub(super) side: Point,
}

/// Does the segment `p`–`q` pass through any of the boxes `among` but those in
/// `skip`, kept `margin` away?
fn blocked(
    boxes: &[Rect],
    among: &[usize],
    (p, q): (Point, Point),
    skip: [Option<usize>; 2],
    margin: f32,
) -> bool {
    among
        .iter()
        .any(|&i| !skip.contains(&Some(i)) && boxes[i].expand(margin).crossed_by(p, q))
}

/// The bends (in the frame of the boxes' centres, before the sideways shift) of the
/// arrow between the centres of `ends`' boxes: none when the shifted straight line
/// passes no other box, else the shortest path around the boxes in the way (none
/// either when there is no way around).
pub(super) fn bends(centres: &[Point], boxes: &[Rect], ends: &Ends) -> Vec<Point> {
    let (a, b) = (centres[ends.from], centres[ends.to]);
    let both = [Some(ends.from), Some(ends.to)];
    let span = Rect {
        x0: a.x.min(b.x),
        y0: a.y.min(b.y),
        x1: a.x.max(b.x),
        y1: a.y.max(b.y),
    };
    let shift = ends.side.length();
    let margin = CLEARANCE + shift;
    let within = |area: Rect| -> Vec<usize> {
        (0..boxes.len())
            .filter(|&i| boxes[i].expand(margin).overlaps(&area))
            .collect()
    };
    let straight = (a + ends.side, b + ends.side);
    if !blocked(
        boxes,
        &within(span.expand(margin)),
        straight,
        both,
        CLEARANCE,
    ) {
        return Vec::new();
    }
    let near = within(span.expand(REACH));
    // Nodes: 0 the start, 1 the end, then the corners to turn at.
    let mut nodes = vec![a, b];
    for r in near.iter().map(|&i| &boxes[i]) {
        let c = r.expand(DETOUR + shift);
        for p in [
            Point::new(c.x0, c.y0),
            Point::new(c.x1, c.y0),
            Point::new(c.x1, c.y1),
            Point::new(c.x0, c.y1),
        ] {
            if !near.iter().any(|&o| boxes[o].expand(margin).contains(p)) {
                nodes.push(p);
            }
        }
    }
    let free = |i: usize, j: usize| {
        let skip = |k: usize| match k {
            0 => Some(ends.from),
            1 => Some(ends.to),
            _ => None,
        };
        let s = [skip(i).or(skip(j)), skip(j).or(skip(i))];
        !blocked(boxes, &near, (nodes[i], nodes[j]), s, margin)
    };
    shortest(&nodes, free).unwrap_or_default()
}

/// A* from node 0 to node 1 over the segments `free` allows, each costing its length
/// plus [`BEND_COST`] per bend (the straight distance left is the estimate); the
/// bends of the cheapest path.
fn shortest(nodes: &[Point], free: impl Fn(usize, usize) -> bool) -> Option<Vec<Point>> {
    let n = nodes.len();
    let mut cost = vec![f32::INFINITY; n];
    let mut prev = vec![usize::MAX; n];
    let mut done = vec![false; n];
    cost[0] = 0.0;
    loop {
        let estimate = |i: usize| cost[i] + (nodes[1] - nodes[i]).length();
        let here = (0..n)
            .filter(|&i| !done[i] && cost[i].is_finite())
            .min_by(|&i, &j| estimate(i).total_cmp(&estimate(j)))?;
        if here == 1 {
            break;
        }
        done[here] = true;
        for next in 1..n {
            if done[next] || next == here {
                continue;
            }
            let bend = if next == 1 { 0.0 } else { BEND_COST };
            let c = cost[here] + (nodes[next] - nodes[here]).length() + bend;
            if c < cost[next] && free(here, next) {
                cost[next] = c;
                prev[next] = here;
            }
        }
    }
    let mut bends = Vec::new();
    let mut at = prev[1];
    while at != 0 && at != usize::MAX {
        bends.push(nodes[at]);
        at = prev[at];
    }
    bends.reverse();
    Some(bends)
}
