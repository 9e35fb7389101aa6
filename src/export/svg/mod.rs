//! The diagram as SVG, drawn like the app's canvas: each kind of box in its shape and
//! colour with its name and detail line, each kind of arrow in its colour and line,
//! labels on plates, a legend below; with an overlay, the run's heat, lag and findings.
//!
//! Shapes and sizes come from `diagram::shape`, colours and lines from
//! `diagram::style`; this module turns them into SVG text, in phases: the boxes'
//! sizes and the arrows' ends ([`nodes`], [`edges`]), the overlay's marks
//! ([`overlay`]), the arrows with their labels placed clear of everything drawn
//! before them ([`labels`]), the boxes, then the header, the legend and the frame
//! around it all ([`frame`], [`legend`]).

mod domains;
mod edges;
mod frame;
mod labels;
mod legend;
mod nodes;
mod overlay;
mod text;

use super::overlay::Overlay;
use crate::diagram::shape::Rect;
use crate::diagram::style::placed;
use crate::model::Model;

/// A number for SVG: one decimal at most, no "-0".
fn n(x: f32) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".to_owned();
    }
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// What has been drawn so far: the rectangles later labels keep clear of, and the
/// bounds of the diagram.
struct Taken {
    rects: Vec<Rect>,
    bounds: Rect,
}

impl Taken {
    /// Something drawn that later labels keep clear of.
    fn push(&mut self, r: Rect) {
        self.rects.push(r);
        self.grow(&r);
    }

    /// Something drawn that labels may cover.
    fn grow(&mut self, r: &Rect) {
        self.bounds = self.bounds.union(r);
    }
}

/// The model's diagram as SVG (real shapes and text), laid out as the model says (the
/// layered layout where positions are missing), with a legend; with the overlay: heat
/// outlines, lag badges, numbered finding markers, the caption and a heat legend.
pub fn svg(model: &Model, overlay: Option<&Overlay>) -> String {
    let (graph, pos) = placed(model);
    let halves = nodes::halves(&graph);
    let boxes: Vec<Rect> = halves
        .iter()
        .zip(&pos)
        .map(|(&(hw, hh), &(cx, cy))| Rect::centred(cx, cy, hw, hh))
        .collect();
    let arrows = edges::arrows(&graph, &pos, &halves);
    let (domains, frames) = domains::frames(model, &graph, &boxes);

    // The overlay's marks, placed first so arrow labels keep clear of them.
    let mut taken = Taken {
        rects: boxes.iter().map(|r| r.expand(2.0)).collect(),
        bounds: boxes
            .iter()
            .copied()
            .chain(frames.iter().copied())
            .reduce(|a, b| a.union(&b))
            .unwrap_or(Rect::centred(0.0, 0.0, 100.0, 30.0)),
    };
    let marks = overlay.map(|o| overlay::marks(o, &graph, &boxes, &arrows, &mut taken));
    let (lines, labels) = edges::draw(&arrows, &mut taken);
    let boxes = nodes::draw(model, &graph, &boxes, &pos);
    frame::picture(
        model,
        overlay,
        &graph,
        taken.bounds,
        &frame::Layers {
            domains,
            lines,
            boxes,
            labels,
            marks,
        },
    )
}

#[cfg(test)]
mod tests;
