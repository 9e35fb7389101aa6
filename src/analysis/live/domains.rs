//! A run's figures summed up per box of the context map ([`ContextMap`]): the
//! busiest service, the consumer lag of the groups its services read with, and how
//! many of the engine's findings name one of its elements. Linear in the services,
//! groups and findings.

use std::collections::HashMap;

use crate::analysis::Bottleneck;
use crate::diagram::ContextMap;
use crate::model::{ElementKind, ElementRef, Model};
use crate::sim::Simulation;

/// One box's figures at a moment of the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DomainFigures {
    /// The busiest service and its utilisation (0 to 1), if the box has services.
    pub busiest: Option<(String, f64)>,
    /// Messages waiting now in the queues of its services.
    pub queued: u64,
    /// Consumer lag now, summed over the groups its services read with.
    pub lag: u64,
    /// Findings naming one of its elements.
    pub findings: usize,
}

/// The figures of each box of `map` (in box order), from the run `sim` of `model`,
/// each service's utilisation `util` (in model order) and the engine's `findings`.
pub fn domain_figures(
    map: &ContextMap,
    model: &Model,
    sim: &Simulation,
    util: &[f64],
    findings: &[Bottleneck],
) -> Vec<DomainFigures> {
    let mut out = vec![DomainFigures::default(); map.boxes.len()];
    let box_of: HashMap<&ElementRef, usize> = map
        .boxes
        .iter()
        .enumerate()
        .flat_map(|(k, b)| b.members.iter().map(move |m| (m, k)))
        .collect();
    // Service index (model order, as the engine's) → its box.
    let service_box: Vec<Option<usize>> = model
        .services
        .iter()
        .map(|s| {
            box_of
                .get(&ElementRef::new(ElementKind::Service, s.name.as_str()))
                .copied()
        })
        .collect();
    let stats = sim.stats();
    for (i, k) in service_box.iter().enumerate() {
        let Some(k) = *k else { continue };
        let u = util.get(i).copied().unwrap_or(0.0);
        let f = &mut out[k];
        if f.busiest.as_ref().is_none_or(|(_, b)| u > *b) {
            f.busiest = Some((model.services[i].name.clone(), u));
        }
        f.queued += stats.services.get(i).map_or(0, |s| s.queue.now);
    }
    for (g, s) in sim.plan().groups.iter().zip(&stats.groups) {
        if let Some(Some(k)) = service_box.get(g.service.index()) {
            out[*k].lag += s.lag.now;
        }
    }
    for b in findings {
        if let Some(&k) = box_of.get(&b.element) {
            out[k].findings += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::live::utilisation_so_far;
    use crate::model::load_file;
    use crate::sim::{RunOptions, SimTime};

    #[test]
    fn a_domains_figures_are_those_of_its_services() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/order-choreography.ron");
        let mut m = load_file(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        for s in &mut m.services {
            let d = if s.name == "payment" {
                "billing"
            } else {
                "rest"
            };
            s.domain = Some(d.into());
        }
        let map = ContextMap::of(&m);
        let mut sim = Simulation::new(&m, RunOptions::default()).expect("simulates");
        sim.step_until(SimTime::from_secs_f64(30.0));
        let util = utilisation_so_far(&sim);
        let figures = domain_figures(&map, &m, &sim, &util, &[]);
        let billing = &figures[map.by_name("billing").unwrap()];
        let payment = m.services.iter().position(|s| s.name == "payment").unwrap();
        let (name, u) = billing.busiest.clone().expect("billing has a service");
        assert_eq!(name, "payment");
        assert!((u - util[payment]).abs() < 1e-12 && u > 0.0, "{u}");
        let rest = &figures[map.by_name("rest").unwrap()];
        let busiest_rest = m
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.name != "payment")
            .map(|(i, _)| util[i])
            .fold(0.0, f64::max);
        assert_eq!(rest.busiest.as_ref().map(|b| b.1), Some(busiest_rest));
        let lag_all: u64 = sim.stats().groups.iter().map(|g| g.lag.now).sum();
        assert_eq!(billing.lag + rest.lag, lag_all);
        // The topics have no domain: their box has no service.
        let loose = &figures[map.by_name(crate::diagram::context_map::NO_DOMAIN).unwrap()];
        assert_eq!(loose.busiest, None);
    }
}
