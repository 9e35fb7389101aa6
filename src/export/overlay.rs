//! What a simulation run adds to a diagram.

use std::collections::BTreeMap;

use crate::analysis::Report;
use crate::model::{ElementRef, Model};

/// What a simulation adds to a diagram: heat, lag, findings, a caption.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    /// Utilisation 0..=1 per service name.
    pub utilisation: BTreeMap<String, f64>,
    /// Consumer lag per topic name: the largest lag any one consumer group of the
    /// topic reached during the run (a group's lag summed over the partitions; the
    /// max over the groups, not their sum, since groups read independently).
    pub lag: BTreeMap<String, u64>,
    /// Ranked findings: (rank, element, one-line evidence).
    pub findings: Vec<(u32, ElementRef, String)>,
    /// "seed 42 · 10 min · 2 faults" style caption.
    pub caption: String,
}

impl Overlay {
    /// The overlay of one run's report. Findings about elements the model no longer
    /// has are kept (the SVG lists them but has no box to mark); services and topics
    /// the model no longer has are left out.
    pub fn from_report(model: &Model, report: &Report) -> Self {
        let utilisation = report
            .services
            .iter()
            .filter(|s| model.services.iter().any(|m| m.name == s.name))
            .map(|s| (s.name.clone(), s.utilisation.clamp(0.0, 1.0)))
            .collect();
        let lag = report
            .topics
            .iter()
            .filter(|t| model.topics.iter().any(|m| m.name == t.name))
            .map(|t| {
                let max = t.groups.iter().map(|g| g.max_lag).max().unwrap_or(0);
                (t.name.clone(), max)
            })
            .collect();
        let findings = report
            .bottlenecks
            .iter()
            .map(|b| {
                (
                    b.rank,
                    b.element.clone(),
                    format!("{}: {}", b.kind.label(), b.evidence),
                )
            })
            .collect();
        let faults = report.faults.len();
        let caption = format!(
            "seed {} · {} · {} fault{}",
            report.seed,
            duration_text(report.duration_secs),
            faults,
            if faults == 1 { "" } else { "s" }
        );
        Self {
            utilisation,
            lag,
            findings,
            caption,
        }
    }
}

/// "10 min", "1 h 30 min", "45 s", "2.5 s".
fn duration_text(secs: f64) -> String {
    let whole = secs.round();
    if (secs - whole).abs() > 1e-6 || whole < 60.0 {
        let text = format!("{secs:.1}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        return format!("{text} s");
    }
    let whole = whole as u64;
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(duration_text(600.0), "10 min");
        assert_eq!(duration_text(5400.0), "1 h 30 min");
        assert_eq!(duration_text(45.0), "45 s");
        assert_eq!(duration_text(2.5), "2.5 s");
        assert_eq!(duration_text(90.0), "1 min 30 s");
    }
}
