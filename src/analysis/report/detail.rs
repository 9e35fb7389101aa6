//! A report of bounded size for big models: the elements a reader needs in detail,
//! every element's headline figures in one compact table.
//!
//! A model of 5,000 services gave a 455 MB JSON report, nearly all of it time series of
//! elements nobody would look at. [`Report::bound`] keeps in detail (every figure and
//! series, as in a full report) the services and topics a finding names and the
//! busiest [`DETAIL_PER_KIND`] services (by utilisation) and consumer groups (by
//! maximum lag); the other services and groups keep their headline figures, as one
//! row each of [`Report::service_table`] and [`Report::group_table`]. The first
//! [`MAX_FINDINGS`] findings are kept. A model with no more services and groups than
//! that is reported whole, exactly as before. Sources, sagas, stores and projections
//! are always reported whole: they are few, and the end-to-end figures live there.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{GroupReport, Report, ServiceReport};
use crate::model::ElementKind;

/// Services, and consumer groups, kept in detail besides those a finding names.
pub const DETAIL_PER_KIND: usize = 20;
/// Findings kept in a bounded report (they are ranked, the worst first).
pub const MAX_FINDINGS: usize = 50;

/// What a bounded report left out, and how to get it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bounded {
    /// Services in the model.
    pub services: usize,
    /// Of those, in detail in `services`.
    pub services_in_detail: usize,
    /// Consumer groups in the model.
    pub groups: usize,
    /// Of those, in detail under `topics`.
    pub groups_in_detail: usize,
    /// Findings found; the first [`MAX_FINDINGS`] are in `bottlenecks`.
    pub findings: usize,
    /// How to get every element in detail.
    pub hint: String,
}

/// One cell of a table: a name or a figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// A name.
    Text(String),
    /// A count.
    Count(u64),
    /// A measured figure (seconds, shares, rates).
    Figure(f64),
}

/// Rows of headline figures, one per element, under named columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// The columns' names, the fields of the detailed form they come from.
    pub columns: Vec<&'static str>,
    /// One row per element, in the model's order.
    pub rows: Vec<Vec<Cell>>,
}

const SERVICE_COLUMNS: [&str; 12] = [
    "name",
    "workers",
    "arrivals",
    "completed",
    "utilisation",
    "mean_queue",
    "max_queue",
    "mean_wait_secs",
    "p99_secs",
    "failed_attempts",
    "rejected",
    "dead_lettered",
];

fn service_row(s: &ServiceReport) -> Vec<Cell> {
    use Cell::{Count, Figure, Text};
    vec![
        Text(s.name.clone()),
        Count(u64::from(s.workers)),
        Count(s.arrivals),
        Count(s.completed),
        Figure(s.utilisation),
        Figure(s.mean_queue),
        Count(s.max_queue),
        Figure(s.mean_wait_secs),
        Figure(s.time_in_system.p99_secs),
        Count(s.failed_attempts),
        Count(s.rejected),
        Count(s.dead_lettered),
    ]
}

const GROUP_COLUMNS: [&str; 8] = [
    "topic",
    "name",
    "service",
    "consumed",
    "given_up",
    "max_lag",
    "mean_lag",
    "final_lag",
];

fn group_row(topic: &str, g: &GroupReport) -> Vec<Cell> {
    use Cell::{Count, Figure, Text};
    vec![
        Text(topic.to_owned()),
        Text(g.name.clone()),
        Text(g.service.clone()),
        Count(g.consumed),
        Count(g.given_up),
        Count(g.max_lag),
        Figure(g.mean_lag),
        Count(g.final_lag),
    ]
}

/// The indices of the `n` largest by `key` (ties: model order).
fn busiest(keys: &[f64], n: usize) -> impl Iterator<Item = usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[b].total_cmp(&keys[a]).then(a.cmp(&b)));
    order.into_iter().take(n)
}

/// Keep the items whose index is in `keep`.
fn retain_indices<T>(items: &mut Vec<T>, keep: impl Fn(usize) -> bool) {
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        keep(i - 1)
    });
}

impl Report {
    /// Bound the report for a big model (see the module documentation); a report
    /// with nothing to leave out is not changed.
    pub fn bound(&mut self) {
        // Every consumer group as (topic index, group index).
        let groups: Vec<(usize, usize)> = self
            .topics
            .iter()
            .enumerate()
            .flat_map(|(t, topic)| (0..topic.groups.len()).map(move |g| (t, g)))
            .collect();
        let findings = self.bottlenecks.len();
        if self.services.len() <= DETAIL_PER_KIND
            && groups.len() <= DETAIL_PER_KIND
            && findings <= MAX_FINDINGS
        {
            return;
        }
        self.bottlenecks.truncate(MAX_FINDINGS);
        let named = |kind: ElementKind| -> BTreeSet<String> {
            self.bottlenecks
                .iter()
                .filter(|b| b.element.kind == kind)
                .map(|b| b.element.name.clone())
                .collect()
        };
        let (named_services, named_topics) =
            (named(ElementKind::Service), named(ElementKind::Topic));
        let utilisation: Vec<f64> = self.services.iter().map(|s| s.utilisation).collect();
        let keep_services: BTreeSet<usize> = busiest(&utilisation, DETAIL_PER_KIND)
            .chain(
                (0..self.services.len())
                    .filter(|&i| named_services.contains(&self.services[i].name)),
            )
            .collect();
        let lag: Vec<f64> = groups
            .iter()
            .map(|&(t, g)| self.topics[t].groups[g].max_lag as f64)
            .collect();
        let keep_groups: BTreeSet<(usize, usize)> = busiest(&lag, DETAIL_PER_KIND)
            .map(|i| groups[i])
            .chain(
                groups
                    .iter()
                    .copied()
                    .filter(|&(t, _)| named_topics.contains(&self.topics[t].name)),
            )
            .collect();
        self.service_table = Some(Table {
            columns: SERVICE_COLUMNS.to_vec(),
            rows: self.services.iter().map(service_row).collect(),
        });
        self.group_table = Some(Table {
            columns: GROUP_COLUMNS.to_vec(),
            rows: groups
                .iter()
                .map(|&(t, g)| group_row(&self.topics[t].name, &self.topics[t].groups[g]))
                .collect(),
        });
        self.bounded = Some(Bounded {
            services: self.services.len(),
            services_in_detail: keep_services.len(),
            groups: groups.len(),
            groups_in_detail: keep_groups.len(),
            findings,
            hint: "run with --full for every element in detail".to_owned(),
        });
        retain_indices(&mut self.services, |i| keep_services.contains(&i));
        for (t, topic) in self.topics.iter_mut().enumerate() {
            retain_indices(&mut topic.groups, |g| keep_groups.contains(&(t, g)));
        }
        self.topics
            .retain(|t| !t.groups.is_empty() || named_topics.contains(&t.name));
    }
}
