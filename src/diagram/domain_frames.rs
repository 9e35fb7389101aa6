//! Where each domain's frame goes around its boxes: the bounds of the boxes of the
//! domain (the grouping of [`node_groups`], as the layout by domain uses), grown by a
//! margin and with room above for the domain's name. Shared by the SVG export and
//! the canvas, which draws a collapsed domain as one box in its frame.

use super::graph::ArchGraph;
use super::shape::Rect;
use crate::model::Model;

/// Room between a domain's boxes and its frame.
pub const FRAME_PAD: f32 = 28.0;
/// Room above the boxes for the domain's name.
pub const FRAME_TITLE: f32 = 30.0;

/// One domain's frame.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainFrame {
    /// The domain's name.
    pub name: String,
    /// Around its boxes, the title's room included.
    pub rect: Rect,
    /// Its boxes, as indices of the graph's nodes.
    pub members: Vec<usize>,
}

/// The names of the model's domains, in the order of [`node_groups`]' indices.
pub fn domain_names(model: &Model) -> Vec<String> {
    model.domains().into_keys().map(str::to_owned).collect()
}

/// The frame of each domain that has a box, in domain order, for nodes in `groups`
/// (from [`node_groups`]) with bounds `boxes` (in node order).
///
/// [`node_groups`]: super::node_groups
pub fn frames_of(names: &[String], groups: &[Option<usize>], boxes: &[Rect]) -> Vec<DomainFrame> {
    let mut out: Vec<Option<DomainFrame>> = vec![None; names.len()];
    for (i, (g, r)) in groups.iter().zip(boxes).enumerate() {
        let Some(slot) = g.and_then(|g| out.get_mut(g)) else {
            continue;
        };
        let f = slot.get_or_insert_with(|| DomainFrame {
            name: names[g.unwrap_or_default()].clone(),
            rect: *r,
            members: Vec::new(),
        });
        f.rect = f.rect.union(r);
        f.members.push(i);
    }
    out.into_iter()
        .flatten()
        .map(|mut f| {
            f.rect = Rect {
                y0: f.rect.y0 - FRAME_TITLE,
                ..f.rect
            }
            .expand(FRAME_PAD);
            f
        })
        .collect()
}

/// The frames of `graph` (the diagram of `model`) for boxes with bounds `boxes`.
pub fn domain_frames(model: &Model, graph: &ArchGraph, boxes: &[Rect]) -> Vec<DomainFrame> {
    frames_of(
        &domain_names(model),
        &super::node_groups(model, graph),
        boxes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_holds_its_boxes_with_room_for_the_title_and_skips_empty_domains() {
        let names = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let groups = [Some(0), None, Some(2), Some(0)];
        let boxes = [
            Rect::centred(0.0, 0.0, 10.0, 10.0),
            Rect::centred(500.0, 0.0, 10.0, 10.0),
            Rect::centred(900.0, 900.0, 10.0, 10.0),
            Rect::centred(100.0, 50.0, 10.0, 10.0),
        ];
        let frames = frames_of(&names, &groups, &boxes);
        assert_eq!(frames.len(), 2, "b has no box: no frame");
        let a = &frames[0];
        assert_eq!(a.name, "a");
        assert_eq!(a.members, vec![0, 3]);
        let want = Rect {
            x0: -10.0 - FRAME_PAD,
            y0: -10.0 - FRAME_TITLE - FRAME_PAD,
            x1: 110.0 + FRAME_PAD,
            y1: 60.0 + FRAME_PAD,
        };
        assert_eq!(a.rect, want);
        assert_eq!(frames[1].name, "c");
        assert!(!a.rect.overlaps(&boxes[1]), "a loose box stays outside");
    }
}
