//! The canvas legend: each kind of box and of arrow as drawn.

use eframe::egui::{self, Pos2, Sense, Shape, Stroke, vec2};

use super::edges::style;
use super::nodes::paint_icon;
use crate::diagram::style::{BOX_KINDS, EDGE_KINDS, LEGEND_DASH, Line, edge_label};

pub fn legend_ui(ui: &mut egui::Ui) {
    // Folded at first: the canvas gets the room; one click shows what shapes and
    // line styles mean (and egui remembers it open).
    egui::CollapsingHeader::new("Legend")
        .default_open(false)
        .show(ui, legend_body);
}

fn legend_body(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for kind in BOX_KINDS {
            let (rect, _) = ui.allocate_exact_size(vec2(26.0, 14.0), Sense::hover());
            paint_icon(ui.painter(), rect.center(), 0.15, kind);
            ui.label(kind.label());
            ui.add_space(8.0);
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for kind in EDGE_KINDS {
            let (rect, _) = ui.allocate_exact_size(vec2(30.0, 14.0), Sense::hover());
            let (line, width, color) = style(kind);
            let (a, b) = (
                Pos2::new(rect.left(), rect.center().y),
                Pos2::new(rect.right() - 6.0, rect.center().y),
            );
            let stroke = Stroke::new(width, color);
            let painter = ui.painter();
            match line {
                Line::Solid => {
                    painter.line_segment([a, b], stroke);
                }
                Line::Dashed => {
                    let (dash, gap, _) = LEGEND_DASH;
                    painter.extend(Shape::dashed_line(&[a, b], stroke, dash, gap));
                }
                Line::Dotted => {
                    let (_, _, dot_gap) = LEGEND_DASH;
                    painter.extend(Shape::dotted_line(&[a, b], color, dot_gap, width * 0.6));
                }
            }
            painter.add(Shape::convex_polygon(
                vec![
                    Pos2::new(rect.right(), rect.center().y),
                    Pos2::new(rect.right() - 6.0, rect.center().y - 3.5),
                    Pos2::new(rect.right() - 6.0, rect.center().y + 3.5),
                ],
                color,
                Stroke::NONE,
            ));
            ui.label(edge_label(kind));
            ui.add_space(8.0);
        }
    });
}
