//! The diagram's boxes grouped by bounded context (domain), for the exporters that
//! draw a domain as a cluster: the boxes of no domain first, then each domain by
//! name with its boxes in diagram order.
//!
//! A cluster holds only what the model puts in the domain: Graphviz and Mermaid lay
//! clusters out themselves, so an element of no domain can stand outside. Eventscape's
//! own pictures (SVG, canvas) draw a frame around where boxes are placed, and there a
//! domainless source or topic next to one domain only is laid out, framed and
//! collapsed with it (`diagram::node_groups`).

use std::collections::HashMap;

use crate::diagram::Node;
use crate::model::{ElementRef, Model};

/// One group of boxes: its domain (`None`: no domain) and the boxes' indices.
pub(super) struct Group<'a> {
    pub domain: Option<&'a str>,
    pub nodes: Vec<usize>,
}

/// The boxes of `nodes` by domain; a single group of every box when the model names
/// no domain.
pub(super) fn by_domain<'a>(model: &'a Model, nodes: &[Node]) -> Vec<Group<'a>> {
    let domains = model.domains();
    // Element → its group's index (domains in name order).
    let of: HashMap<&ElementRef, usize> = domains
        .values()
        .enumerate()
        .flat_map(|(k, members)| members.iter().map(move |el| (el, k)))
        .collect();
    let mut loose = Group {
        domain: None,
        nodes: Vec::new(),
    };
    let mut groups: Vec<Group> = domains
        .keys()
        .map(|d| Group {
            domain: Some(*d),
            nodes: Vec::new(),
        })
        .collect();
    for (i, n) in nodes.iter().enumerate() {
        match of.get(&n.element) {
            Some(&k) => groups[k].nodes.push(i),
            None => loose.nodes.push(i),
        }
    }
    std::iter::once(loose)
        .chain(groups)
        .filter(|g| !g.nodes.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{dot, mermaid_flowchart};
    use crate::model::Model;

    /// The choreography example with three bounded contexts; the dead-letter topic
    /// is left in none.
    fn with_domains() -> Model {
        let mut m = crate::examples::find("choreography")
            .unwrap()
            .model()
            .unwrap();
        let domain = |name: &str| match name {
            "payment" | "payments" => Some("payments"),
            "inventory" | "shipping" | "shipments" => Some("fulfilment"),
            "orders" => Some("sales"),
            _ => None,
        };
        for s in &mut m.services {
            s.domain = domain(&s.name).map(Into::into);
        }
        for t in &mut m.topics {
            t.domain = domain(&t.name).map(Into::into);
        }
        m
    }

    #[test]
    fn graphviz_draws_each_domain_as_a_labelled_cluster_around_its_elements() {
        let m = with_domains();
        let text = dot(&m);
        assert!(text.contains("subgraph \"cluster_payments\" {"), "{text}");
        let Some(svg) = crate::export::tests::graphviz_svg(&text) else {
            println!("note: Graphviz `dot` is not installed; clusters not drawn");
            return;
        };
        // Graphviz draws a cluster as <g class="cluster"> titled with its id and
        // labelled with the domain's name.
        for d in ["fulfilment", "payments", "sales"] {
            assert!(
                svg.contains(&format!("<title>cluster_{d}</title>")),
                "{d}\n{svg}"
            );
            assert!(svg.contains(&format!(">{d}</text>")), "{d}'s label");
        }
        assert_eq!(svg.matches("class=\"cluster\"").count(), 3);
        // Each domain's elements are drawn inside its box, the others outside it.
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&svg, options).unwrap();
        let title = |g: &roxmltree::Node| {
            g.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .map(str::to_owned)
        };
        let groups: Vec<_> = doc.descendants().filter(|g| g.has_tag_name("g")).collect();
        let box_of = |d: &str| {
            let g = groups
                .iter()
                .find(|g| title(g).as_deref() == Some(&format!("cluster_{d}")))
                .unwrap();
            let outline = g
                .children()
                .find(|c| c.has_tag_name("path") || c.has_tag_name("polygon"))
                .unwrap();
            let numbers = outline
                .attribute("d")
                .or(outline.attribute("points"))
                .unwrap();
            let xy: Vec<f64> = numbers
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|n| n.parse().ok())
                .collect();
            let (xs, ys): (Vec<f64>, Vec<f64>) = xy.chunks(2).map(|p| (p[0], p[1])).unzip();
            let span = |v: &[f64]| {
                (
                    v.iter().copied().fold(f64::MAX, f64::min),
                    v.iter().copied().fold(f64::MIN, f64::max),
                )
            };
            (span(&xs), span(&ys))
        };
        let at = |node: &str| {
            let g = groups
                .iter()
                .find(|g| title(g).as_deref() == Some(node))
                .unwrap_or_else(|| panic!("{node} drawn"));
            let t = g.children().find(|c| c.has_tag_name("text")).unwrap();
            let num = |a: &str| t.attribute(a).unwrap().parse::<f64>().unwrap();
            (num("x"), num("y"))
        };
        let inside = |(x, y): (f64, f64), ((x0, x1), (y0, y1)): ((f64, f64), (f64, f64))| {
            (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
        };
        let payments = box_of("payments");
        assert!(inside(at("service:payment"), payments));
        assert!(inside(at("topic:payments"), payments));
        assert!(!inside(at("service:inventory"), payments));
        assert!(inside(at("service:inventory"), box_of("fulfilment")));
        assert!(!inside(at("topic:payments-dlq"), payments));
    }

    #[test]
    fn mermaid_writes_each_domain_as_a_subgraph_and_none_without_domains() {
        let text = mermaid_flowchart(&with_domains());
        for d in ["fulfilment", "payments", "sales"] {
            assert_eq!(
                text.matches(&format!("[\"{d}\"]")).count(),
                1,
                "{d}\n{text}"
            );
        }
        assert_eq!(
            text.matches("\n    subgraph ").count(),
            text.matches("\n    end\n").count()
        );
        // The elements of no domain (the sources, the dead-letter topic) stand outside.
        let first = text.find("\n    subgraph ").unwrap();
        assert!(text[..first].contains("payments-dlq"));
        let plain = crate::examples::find("choreography")
            .unwrap()
            .model()
            .unwrap();
        assert!(!mermaid_flowchart(&plain).contains("subgraph"));
        assert!(!dot(&plain).contains("subgraph"));
    }
}
