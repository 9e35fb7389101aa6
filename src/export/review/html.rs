//! The review report as one self-contained HTML file: the diagram inline as SVG,
//! styles inline, no scripts, nothing fetched.

use super::build;
use super::sections::Table;
use crate::analysis::Report;
use crate::analysis::process::Process;
use crate::model::Model;

const STYLE: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1a1d24;line-height:1.45}\
h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}th,td{border:1px solid #d6d6d6;padding:.3em .6em;vertical-align:top}\
th{background:#f2f4f7;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}tr:nth-child(even) td{background:#fafbfc}\
.diagram{border:1px solid #ddd;border-radius:6px;padding:.5em;overflow-x:auto;background:#fff}.diagram svg{max-width:100%;height:auto}\
.failed{color:#c62828;font-weight:bold}.passed{color:#2e7d32}";

/// Text for HTML: `&`, `<`, `>` and quotes escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_table(t: &Table) -> String {
    let mut out = String::from("<table>\n<tr>");
    for h in &t.head {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let class = if t.numeric.contains(&i) {
                " class=\"n\""
            } else if c == "FAILED" {
                " class=\"failed\""
            } else if c == "passed" {
                " class=\"passed\""
            } else {
                ""
            };
            out.push_str(&format!("<td{class}>{}</td>", esc(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// The review report as self-contained HTML; `svg` is the diagram (inlined).
pub fn review_html(model: &Model, report: &Report, process: &Process, svg: &str) -> String {
    let doc = build(model, report, process);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", esc(&doc.title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", esc(&doc.title)));
    if !doc.intro.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", esc(&doc.intro)));
    }
    // The SVG document is inlined without its XML declaration.
    let svg = svg
        .trim_start()
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split_once("?>").map(|(_, body)| body))
        .unwrap_or(svg);
    out.push_str(&format!("<div class=\"diagram\">{}</div>\n", svg.trim()));
    for section in &doc.sections {
        out.push_str(&format!("<h2>{}</h2>\n", esc(&section.title)));
        for p in &section.paragraphs {
            out.push_str(&format!("<p>{}</p>\n", esc(p)));
        }
        for t in &section.tables {
            out.push_str(&html_table(t));
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
