//! The canvas legend: each kind of box and of arrow as drawn.

use eframe::egui::{self, Pos2, Sense, Shape, Stroke, vec2};

use super::edges::{ALL_KINDS, Line, kind_label, style};
use super::nodes::paint_icon;
use crate::model::ElementKind;

/// Box kinds in the legend.
const BOXES: [ElementKind; 6] = [
    ElementKind::Source,
    ElementKind::Service,
    ElementKind::Saga,
    ElementKind::Topic,
    ElementKind::Store,
    ElementKind::Projection,
];

pub fn legend_ui(ui: &mut egui::Ui) {
    egui::CollapsingHeader::new("Legend")
        .default_open(true)
        .show(ui, legend_body);
}

fn legend_body(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for kind in BOXES {
            let (rect, _) = ui.allocate_exact_size(vec2(26.0, 14.0), Sense::hover());
            paint_icon(ui.painter(), rect.center(), 0.15, kind);
            ui.label(kind.label());
            ui.add_space(8.0);
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for kind in ALL_KINDS {
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
                    painter.extend(Shape::dashed_line(&[a, b], stroke, 5.0, 3.0));
                }
                Line::Dotted => {
                    painter.extend(Shape::dotted_line(&[a, b], color, 4.0, width * 0.6));
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
            ui.label(kind_label(kind));
            ui.add_space(8.0);
        }
    });
}
