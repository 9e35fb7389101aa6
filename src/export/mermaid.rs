//! Mermaid: the architecture as a flowchart (one correlation id's trace as a sequence
//! diagram is in `sequence`).
//!
//! Ids are generated (`n0`, `p0`…), so no name can break the syntax; names appear only
//! in quoted labels, where Mermaid's entity codes stand for the characters it would
//! otherwise read (`#quot;` for `"`, `#35;` for `#`, …).

use std::fmt::Write as _;

use crate::diagram::EdgeKind;
use crate::diagram::style::{BOX_KINDS, Line, edge_style, element_color, placed};
use crate::model::{ElementKind, Model};

/// Text for a Mermaid label or message: the characters Mermaid reads as syntax become
/// entity codes; line breaks become spaces.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            ';' => out.push_str("#59;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The class name of an element kind.
fn class(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Source => "source",
        ElementKind::Service => "service",
        ElementKind::Saga => "saga",
        ElementKind::Topic => "topic",
        ElementKind::Store => "store",
        ElementKind::Projection => "projection",
        ElementKind::Event => "event",
    }
}

/// The flowchart shape around a quoted label, per kind (close to the app's shapes).
fn node_shape(kind: ElementKind, label: &str) -> String {
    match kind {
        // A flag, pointing like the app's source.
        ElementKind::Source => format!(">\"{label}\"]"),
        ElementKind::Service => format!("(\"{label}\")"),
        ElementKind::Saga => format!("{{{{\"{label}\"}}}}"),
        // A box with side bars: a log.
        ElementKind::Topic => format!("[[\"{label}\"]]"),
        ElementKind::Store => format!("[(\"{label}\")]"),
        ElementKind::Projection => format!("[/\"{label}\"/]"),
        ElementKind::Event => format!("[\"{label}\"]"),
    }
}

/// The longest text Mermaid renders with its default settings (`maxTextSize`); a
/// longer diagram renders as "Maximum text size in diagram exceeded".
pub const MERMAID_MAX_TEXT: usize = 50_000;

/// The model's architecture as a Mermaid flowchart, left to right: node shapes per
/// kind with the name and the detail line, edges with their labels (every flow the
/// diagram has, replies, failures and compensations included), the app's colours
/// as class definitions and link styles. Boxes are listed in diagram order, which
/// Mermaid lays out itself (positions in the model are not used). Each domain
/// (bounded context) is a subgraph titled with its name.
pub fn mermaid_flowchart(model: &Model) -> String {
    let (graph, _) = placed(model);
    let mut out = String::new();
    // Curves that stay monotone left to right keep each label on its own arrow
    // (Mermaid's default curve draws a saga's many parallel replies through each
    // other's labels).
    let _ = writeln!(
        out,
        "---\ntitle: \"{}\"\nconfig:\n  flowchart:\n    curve: monotoneX\n---",
        escape(&model.name)
    );
    out.push_str("flowchart LR\n");
    for (k, group) in super::domains::by_domain(model, &graph.nodes)
        .iter()
        .enumerate()
    {
        let indent = match group.domain {
            None => "    ",
            Some(d) => {
                // A bounded context: a subgraph titled with its name.
                let _ = writeln!(out, "    subgraph d{k} [\"{}\"]", escape(d));
                "        "
            }
        };
        for &i in &group.nodes {
            let node = &graph.nodes[i];
            let label = if node.detail.is_empty() {
                escape(&node.element.name)
            } else {
                format!(
                    "{}<br/><small>{}</small>",
                    escape(&node.element.name),
                    escape(&node.detail)
                )
            };
            let _ = writeln!(out, "{indent}n{i}{}", node_shape(node.element.kind, &label));
        }
        if group.domain.is_some() {
            out.push_str("    end\n");
        }
    }
    for e in &graph.edges {
        let arrow = match (e.kind, edge_style(e.kind).0) {
            (EdgeKind::Command, _) => "==>",
            (_, Line::Solid) => "-->",
            (_, Line::Dashed | Line::Dotted) => "-.->",
        };
        if e.label.is_empty() {
            let _ = writeln!(out, "    n{} {arrow} n{}", e.from, e.to);
        } else {
            let _ = writeln!(
                out,
                "    n{} {arrow}|\"{}\"| n{}",
                e.from,
                escape(&e.label),
                e.to
            );
        }
    }
    for kind in BOX_KINDS {
        let members: Vec<String> = graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.element.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "    classDef {} fill:{},stroke:#5a5a5a,color:#1a1d24",
            class(kind),
            element_color(kind)
        );
        let _ = writeln!(out, "    class {} {}", members.join(","), class(kind));
    }
    for (i, e) in graph.edges.iter().enumerate() {
        let (line, width, color) = edge_style(e.kind);
        let dash = match line {
            Line::Solid => "",
            Line::Dashed => ",stroke-dasharray:6 4",
            Line::Dotted => ",stroke-dasharray:2 4",
        };
        let _ = writeln!(
            out,
            "    linkStyle {i} stroke:{color},stroke-width:{width}px,color:{color}{dash}"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_the_syntax() {
        assert_eq!(escape(r#"a"b"#), "a#quot;b");
        assert_eq!(escape("x; y # z"), "x#59; y #35; z");
        assert_eq!(escape("<b>&|`"), "#lt;b#gt;#amp;#124;#96;");
        assert_eq!(escape("web shop"), "web shop");
        assert_eq!(escape("order-status"), "order-status");
    }

    #[test]
    fn every_kind_has_a_class() {
        let classes: std::collections::BTreeSet<_> = BOX_KINDS.iter().map(|k| class(*k)).collect();
        assert_eq!(classes.len(), BOX_KINDS.len());
    }
}
