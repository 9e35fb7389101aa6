use super::*;
use crate::diagram::arch_graph;
use crate::examples::enterprise::Enterprise;

/// Each group's bounding box: (min, max) corners.
fn extents(groups: &[Option<usize>], at: &[Pos]) -> HashMap<Option<usize>, (Pos, Pos)> {
    let mut out: HashMap<Option<usize>, (Pos, Pos)> = HashMap::new();
    for (g, p) in groups.iter().zip(at) {
        let e = out.entry(*g).or_insert((*p, *p));
        e.0 = Pos {
            x: e.0.x.min(p.x),
            y: e.0.y.min(p.y),
        };
        e.1 = Pos {
            x: e.1.x.max(p.x),
            y: e.1.y.max(p.y),
        };
    }
    out
}

#[test]
fn a_model_without_domains_is_laid_out_as_before() {
    let m = crate::examples::DEFAULT.model().unwrap();
    let g = arch_graph(&m);
    assert_eq!(layout_for(&m, &g), layout(&g));
}

#[test]
fn each_domain_is_a_block_of_its_own_and_the_whole_is_about_16_by_10() {
    let m = Enterprise::new(200, 5).unwrap().model();
    let g = arch_graph(&m);
    let groups = node_groups(&m, &g);
    assert!(
        groups.iter().all(Option::is_some),
        "every box has a domain here"
    );
    let at = layout_for(&m, &g);
    let boxes = extents(&groups, &at);
    assert_eq!(boxes.len(), 5);
    let all: Vec<_> = boxes.values().collect();
    for (i, (a0, a1)) in all.iter().enumerate() {
        for (b0, b1) in &all[i + 1..] {
            // Blocks are apart by at least the gap (less a box) one way or the other.
            let apart = a1.x + BOX.0 as f32 <= b0.x
                || b1.x + BOX.0 as f32 <= a0.x
                || a1.y + BOX.1 as f32 <= b0.y
                || b1.y + BOX.1 as f32 <= a0.y;
            assert!(apart, "{a0:?}..{a1:?} overlaps {b0:?}..{b1:?}");
        }
    }
    let w = at.iter().map(|p| p.x).fold(0.0, f32::max);
    let h = at.iter().map(|p| p.y).fold(0.0, f32::max);
    let aspect = w / h;
    assert!((0.8..=3.2).contains(&aspect), "{w} × {h}");
}

#[test]
fn a_source_goes_with_the_domain_it_feeds() {
    let m = Enterprise::new(20, 2).unwrap().model();
    let g = arch_graph(&m);
    let groups = node_groups(&m, &g);
    for (n, grp) in g.nodes.iter().zip(&groups) {
        if n.element.kind == ElementKind::Source {
            assert!(grp.is_some(), "{} has no domain", n.element);
        }
    }
}
