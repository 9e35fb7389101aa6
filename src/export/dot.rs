//! Graphviz DOT.

use std::fmt::Write as _;

use crate::diagram::style::{INK, Line, OUTLINE, edge_style, element_color, placed};
use crate::model::{ElementKind, ElementRef, Model};

/// A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`
/// (so a name cannot end the string or start an escape like `\N` or `\l`).
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A node's id: its kind and name, quoted ("service:payment"), unique because names
/// are unique per kind.
fn node_id(e: &ElementRef) -> String {
    let kind = match e.kind {
        ElementKind::Source => "source",
        ElementKind::Service => "service",
        ElementKind::Saga => "saga",
        ElementKind::Topic => "topic",
        ElementKind::Store => "store",
        ElementKind::Projection => "projection",
        ElementKind::Event => "event",
    };
    quote(&format!("{kind}:{}", e.name))
}

/// The shape and style of a kind (close to the app's).
fn node_look(kind: ElementKind) -> (&'static str, &'static str) {
    match kind {
        ElementKind::Source => ("cds", "filled"),
        ElementKind::Service => ("box", "rounded,filled"),
        ElementKind::Saga => ("hexagon", "filled"),
        ElementKind::Topic => ("box", "filled"),
        ElementKind::Store => ("cylinder", "filled"),
        ElementKind::Projection => ("parallelogram", "filled"),
        ElementKind::Event => ("box", "filled"),
    }
}

/// One box: its id, name and detail line, shape and colour.
fn node_line(out: &mut String, indent: &str, node: &crate::diagram::Node) {
    let kind = node.element.kind;
    let (shape, style) = node_look(kind);
    let label = if node.detail.is_empty() {
        node.element.name.clone()
    } else {
        format!("{}\n{}", node.element.name, node.detail)
    };
    let _ = writeln!(
        out,
        "{indent}{} [label={}, shape={shape}, style=\"{style}\", fillcolor=\"{}\"];",
        node_id(&node.element),
        quote(&label),
        element_color(kind)
    );
}

/// The model's architecture as a Graphviz digraph, left to right: the app's shapes,
/// colours and line styles per kind, quoted ids and labels. Graphviz lays it out
/// itself (positions in the model are not used). Each domain (bounded context) is a
/// cluster: a labelled dashed box around its elements.
pub fn dot(model: &Model) -> String {
    let (graph, _) = placed(model);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&model.name));
    let _ = writeln!(
        out,
        "    graph [rankdir=LR, fontname=\"DejaVu Sans\", label={}, labelloc=t, nodesep=0.4, ranksep=0.9];",
        quote(&model.name)
    );
    let _ = writeln!(
        out,
        "    node [fontname=\"DejaVu Sans\", fontsize=12, fontcolor=\"{INK}\", color=\"{OUTLINE}\", penwidth=1, margin=\"0.15,0.06\"];"
    );
    out.push_str("    edge [fontname=\"DejaVu Sans\", fontsize=10, arrowsize=0.8];\n");
    for group in super::domains::by_domain(model, &graph.nodes) {
        let indent = match group.domain {
            None => "    ",
            Some(d) => {
                // A bounded context: a labelled, dashed box around its elements.
                let _ = writeln!(out, "    subgraph {} {{", quote(&format!("cluster_{d}")));
                let _ = writeln!(
                    out,
                    "        label={}; labeljust=l; style=\"rounded,dashed\"; color=\"{OUTLINE}\"; fontcolor=\"{INK}\"; fontsize=13;",
                    quote(d)
                );
                "        "
            }
        };
        for &i in &group.nodes {
            node_line(&mut out, indent, &graph.nodes[i]);
        }
        if group.domain.is_some() {
            out.push_str("    }\n");
        }
    }
    for e in &graph.edges {
        let (line, width, color) = edge_style(e.kind);
        let style = match line {
            Line::Solid => "solid",
            Line::Dashed => "dashed",
            Line::Dotted => "dotted",
        };
        let _ = writeln!(
            out,
            "    {} -> {} [label={}, color=\"{color}\", fontcolor=\"{color}\", style={style}, penwidth={width}];",
            node_id(&graph.nodes[e.from].element),
            node_id(&graph.nodes[e.to].element),
            quote(&e.label),
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote(r#"a"b"#), r#""a\"b""#);
        assert_eq!(quote(r"x\N"), r#""x\\N""#);
        assert_eq!(quote("web shop"), r#""web shop""#);
        assert_eq!(quote("a\nb"), r#""a\nb""#);
    }
}
