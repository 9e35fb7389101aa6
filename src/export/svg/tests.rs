use super::text::{fit, wrap};
use super::*;
use crate::diagram::route::{Placed, problems};
use crate::diagram::shape::Point;
use crate::diagram::style::text_width;
use crate::export::{dot, mermaid_flowchart};
use crate::model::flows::{Flow, Origin, Receiver};

#[test]
fn numbers_are_short() {
    assert_eq!(n(1.0), "1");
    assert_eq!(n(-0.01), "0");
    assert_eq!(n(2.25), "2.3");
    assert_eq!(n(-3.5), "-3.5");
}

#[test]
fn long_text_is_cut_and_short_text_kept() {
    assert_eq!(fit("abc", 14.0, false, 100.0), "abc");
    let cut = fit("a very long name indeed for one box", 14.0, false, 100.0);
    assert!(cut.ends_with('…'));
    assert!(text_width(&cut, 14.0, false) <= 100.0);
}

#[test]
fn words_wrap() {
    let lines = wrap("one two three four five six seven", 12.0, 60.0);
    assert!(lines.len() > 2);
    assert_eq!(lines.join(" "), "one two three four five six seven");
}

/// The label each flow of a model draws on its arrow: the message, the consumer
/// group, or what a store or a dead-letter topic does. `None` for the flows that draw
/// no arrow of their own (a store's republished events, a service's handling of a
/// command someone else sends).
fn flow_label<'m>(f: &Flow<'m>) -> Option<&'m str> {
    match f {
        Flow::Publish(p) if matches!(p.origin, Origin::Feed(_)) => None,
        Flow::Publish(p) => Some(p.event),
        Flow::Subscription(s) => Some(s.group),
        Flow::Handling(h) => matches!(h.receiver, Receiver::Saga(_)).then_some(h.name),
        Flow::Request(r) => Some(r.name),
        Flow::Await(a) => Some(a.reply),
        Flow::Handoff(h) => h.reply,
        Flow::Append(a) => Some(a.event),
        Flow::Feed(_) => Some("change feed"),
        Flow::Projects(_) => Some("projects"),
        Flow::DeadLetter(_) => Some("dead letters"),
    }
}

#[test]
fn every_declared_flow_is_a_labelled_arrow_in_every_diagram() {
    for e in crate::examples::ALL {
        let model = e.model().unwrap();
        let (svg, mermaid, dot) = (svg(&model, None), mermaid_flowchart(&model), dot(&model));
        let flows = model.flows();
        let labels: std::collections::BTreeSet<&str> =
            flows.all().iter().filter_map(flow_label).collect();
        assert!(!labels.is_empty());
        // The SVG's arrow labels: the text on each label plate.
        let lines: Vec<&str> = svg.lines().collect();
        let plates: Vec<&str> = lines
            .windows(2)
            .filter(|w| w[0].ends_with(r##"rx="3" fill="#ffffff" fill-opacity="0.88"/>"##))
            .map(|w| w[1])
            .collect();
        for label in labels {
            let text = format!(">{label}</text>");
            assert!(
                plates.iter().any(|p| p.ends_with(&text)),
                "{}: no arrow labelled {label} in the SVG",
                e.name
            );
            assert!(
                mermaid.contains(&format!("|\"{label}\"|")),
                "{}: no arrow labelled {label} in the Mermaid flowchart",
                e.name
            );
            assert!(
                dot.contains(&format!("[label=\"{label}\"")),
                "{}: no arrow labelled {label} in the DOT graph",
                e.name
            );
        }
    }
}

#[test]
fn the_saga_draws_its_failures_and_compensation_replies() {
    let model = crate::examples::DEFAULT.model().unwrap();
    let mermaid = mermaid_flowchart(&model);
    for reply in [
        "OutOfStock",
        "CardDeclined",
        "AddressInvalid",
        "StockReleased",
        "CardRefunded",
    ] {
        assert!(mermaid.contains(&format!("|\"{reply}\"|")), "{reply}");
    }
}

/// The SVG's own box sizes (widened for long names) and plates, checked as the
/// diagram layer checks the canvas's: no label over a box or a label, no arrow through
/// a box it does not join.
#[test]
fn nothing_collides_in_any_example_svg() {
    for e in crate::examples::ALL {
        let model = e.model().unwrap();
        let (graph, pos) = placed(&model);
        let halves = nodes::halves(&graph);
        let boxes: Vec<Rect> = halves
            .iter()
            .zip(&pos)
            .map(|(&(hw, hh), &(cx, cy))| Rect::centred(cx, cy, hw, hh))
            .collect();
        let centres: Vec<Point> = pos.iter().map(|&p| p.into()).collect();
        let half_points: Vec<Point> = halves.iter().map(|&h| h.into()).collect();
        let routes = crate::diagram::route::routes(&Placed {
            graph: &graph,
            centres: &centres,
            halves: &half_points,
        });
        let arrows = edges::arrows(&graph, &pos, &halves);
        assert_eq!(arrows.len(), routes.iter().flatten().count());
        let taken: Vec<Rect> = boxes.iter().map(|r| r.expand(2.0)).collect();
        let mut plates = edges::plates(&arrows, &taken).into_iter();
        let labels: Vec<Option<Rect>> = routes
            .iter()
            .map(|r| r.as_ref().and_then(|_| plates.next().flatten()))
            .collect();
        let found = problems(&graph, &boxes, &routes, &labels);
        assert!(found.is_empty(), "{}:\n{}", e.name, found.join("\n"));
    }
}

/// The domain frames of an SVG, read back with an XML parser: (name, x0, y0, x1, y1).
fn domain_frames(svg: &str) -> Vec<(String, f32, f32, f32, f32)> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let num = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f32>().unwrap();
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("domain"))
        .map(|g| {
            let rect = g.children().find(|c| c.has_tag_name("rect")).unwrap();
            let name = g.children().find(|c| c.has_tag_name("text")).unwrap();
            let (x, y) = (num(rect, "x"), num(rect, "y"));
            let name = name.text().unwrap().to_owned();
            (name, x, y, x + num(rect, "width"), y + num(rect, "height"))
        })
        .collect()
}

#[test]
fn each_domain_is_a_labelled_frame_around_its_boxes_only() {
    let m = crate::examples::enterprise::Enterprise::new(60, 3)
        .unwrap()
        .model();
    let text = svg(&m, None);
    let frames = domain_frames(&text);
    let names: Vec<&str> = frames.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, m.domains().into_keys().collect::<Vec<_>>());
    for (i, a) in frames.iter().enumerate() {
        for b in &frames[i + 1..] {
            let apart = a.3 <= b.1 || b.3 <= a.1 || a.4 <= b.2 || b.4 <= a.2;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
    // Every service's name (its box's text) lies in its domain's frame and no other.
    let doc = roxmltree::Document::parse(&text).unwrap();
    let boxes = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("boxes"))
        .unwrap();
    let mut seen = 0;
    for t in boxes.descendants().filter(|n| n.has_tag_name("text")) {
        let Some(s) = t.text().and_then(|name| m.service(name)) else {
            continue;
        };
        let (x, y): (f32, f32) = (
            t.attribute("x").unwrap().parse().unwrap(),
            t.attribute("y").unwrap().parse().unwrap(),
        );
        let inside: Vec<&str> = frames
            .iter()
            .filter(|f| f.1 <= x && x <= f.3 && f.2 <= y && y <= f.4)
            .map(|f| f.0.as_str())
            .collect();
        assert_eq!(inside, [s.domain.as_deref().unwrap()], "{}", s.name);
        seen += 1;
    }
    assert_eq!(seen, m.services.len());
}

#[test]
fn a_model_without_domains_draws_no_frame() {
    let m = crate::examples::DEFAULT.model().unwrap();
    assert!(domain_frames(&svg(&m, None)).is_empty());
}
