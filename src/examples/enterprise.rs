//! Generated models of any size: pipelines of services in domains, with sagas across
//! domains (`eventscape example enterprise --services N --domains D`), for scale
//! checks and benchmarks.
//!
//! The services form pipelines: service `k` of pipeline `p` (`p{p}-s{k}`) consumes
//! event `E{p}x{k}` from the keyed 4-partition topic `p{p}.t{k}` and publishes
//! `E{p}x{k+1}` to the next topic; a Poisson source feeds the first topic. There is no
//! randomness: the same parameters give the same model, byte for byte once saved.

use crate::model::{
    Action, Distribution, Duration, EventType, Handler, Model, Outcome, Rate, Saga, Service,
    Source, Step, Topic, Trigger,
};

/// Services in one pipeline of an enterprise model.
pub const PIPELINE_LENGTH: usize = 10;
/// Most services an enterprise model is generated with.
pub const MAX_SERVICES: usize = 100_000;
/// Most domains an enterprise model is generated with.
pub const MAX_DOMAINS: usize = 1_000;
/// Most sagas an enterprise model has (one per fifth pipeline up to this).
pub const MAX_SAGAS: usize = 20;

/// How one pipeline is built: [`Pipeline::new`] gives the model's defaults (one
/// instance per service, default payload, no domain, no source).
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// Services in the pipeline.
    pub length: usize,
    /// Handling time of every handler of the pipeline.
    pub latency: Distribution,
    /// Instances of each service.
    pub instances: u32,
    /// Payload of each event type.
    pub payload_bytes: u32,
    /// Domain of its services and topics.
    pub domain: Option<String>,
    /// A Poisson source of this many items a second over `keys` keys feeding its
    /// first topic.
    pub source: Option<(f64, u64)>,
    /// Also declare the event type the last service would publish next (an unused
    /// event type, as enterprise models have).
    pub spare_event: bool,
}

impl Pipeline {
    /// A pipeline of `length` services taking `latency` each.
    pub fn new(length: usize, latency: Distribution) -> Self {
        Self {
            length,
            latency,
            instances: 1,
            payload_bytes: EventType::new("").payload_bytes,
            domain: None,
            source: None,
            spare_event: false,
        }
    }

    /// Append pipeline number `p` to `m`: its event types, topics, services and
    /// source, each after those already there.
    pub fn add_to(&self, m: &mut Model, p: usize) {
        let events = self.length + usize::from(self.spare_event);
        for k in 0..events {
            let mut e = EventType::new(format!("E{p}x{k}"));
            e.payload_bytes = self.payload_bytes;
            m.events.push(e);
        }
        for k in 0..self.length {
            let mut t = Topic::new(format!("p{p}.t{k}"));
            t.partitions = 4;
            t.key = Some("id".into());
            t.domain.clone_from(&self.domain);
            m.topics.push(t);
        }
        for k in 0..self.length {
            let mut h = Handler::new(
                Trigger::event(format!("E{p}x{k}"), format!("p{p}.t{k}")),
                self.latency.clone(),
            );
            if k + 1 < self.length {
                h.emit.push(publish(p, k + 1));
            }
            let mut s = Service::new(format!("p{p}-s{k}"));
            s.instances = self.instances;
            s.domain.clone_from(&self.domain);
            s.handlers.push(h);
            m.services.push(s);
        }
        if let Some((per_sec, keys)) = self.source {
            let mut s = Source::new(
                format!("p{p} traffic"),
                publish(p, 0),
                Rate::Poisson { per_sec },
            );
            s.keys = keys;
            m.sources.push(s);
        }
    }
}

fn publish(p: usize, k: usize) -> Action {
    Action::Publish {
        event: format!("E{p}x{k}"),
        topic: format!("p{p}.t{k}"),
        version: None,
    }
}

/// An enterprise model's size: `services` (rounded up to whole pipelines of ten) in
/// `domains` bounded contexts. Pipeline `p` and its topics belong to domain
/// `p mod domains`; every fifth pipeline (up to 20) starts a saga, orchestrated by
/// its sixth service, whose one step commands the last service of the next pipeline
/// (so another domain when there are several).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enterprise {
    services: usize,
    domains: usize,
    seed: u64,
}

/// Why an enterprise model cannot be made with the numbers given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// The number of services is 0 or above [`MAX_SERVICES`].
    #[error("--services must be from 1 to {MAX_SERVICES}, not {0}")]
    Services(usize),
    /// The number of domains is 0 or above [`MAX_DOMAINS`].
    #[error("--domains must be from 1 to {MAX_DOMAINS}, not {0}")]
    Domains(usize),
}

impl Enterprise {
    /// The size of a model of `services` services in `domains` domains, seed 1.
    pub fn new(services: usize, domains: usize) -> Result<Self, SizeError> {
        if services == 0 || services > MAX_SERVICES {
            return Err(SizeError::Services(services));
        }
        if domains == 0 || domains > MAX_DOMAINS {
            return Err(SizeError::Domains(domains));
        }
        Ok(Self {
            services,
            domains,
            seed: 1,
        })
    }

    /// The same size with another default seed for its runs.
    #[must_use]
    pub fn with_seed(self, seed: u64) -> Self {
        Self { seed, ..self }
    }

    /// Number of pipelines: the services rounded up to tens.
    pub fn pipelines(&self) -> usize {
        self.services.div_ceil(PIPELINE_LENGTH)
    }

    /// The model: `E{p}x{k}`, `p{p}.t{k}` and `p{p}-s{k}` for pipeline `p`, sagas
    /// `saga-{j}`, domains `domain-00`, `domain-01`, …; one simulated second long.
    pub fn model(&self) -> Model {
        let pipelines = self.pipelines();
        let mut m = Model::new(format!(
            "Enterprise ({} services, {} domains)",
            pipelines * PIPELINE_LENGTH,
            self.domains
        ));
        m.seed = self.seed;
        m.duration = Duration::from_secs(1);
        let sagas = if pipelines < 2 {
            0
        } else {
            pipelines.div_ceil(5).min(MAX_SAGAS)
        };
        let mut spec = Pipeline::new(
            PIPELINE_LENGTH,
            Distribution::Exponential {
                mean: Duration::from_millis(2),
            },
        );
        spec.instances = 2;
        spec.payload_bytes = 500;
        spec.source = Some((50.0, 1000));
        spec.spare_event = true;
        for p in 0..pipelines {
            spec.domain = Some(domain(p % self.domains));
            spec.add_to(&mut m, p);
            // Saga j's participant is pipeline 5j + 1; its orchestrator pipeline 5j.
            if let Some(j) = (0..sagas).find(|j| (5 * j + 1) % pipelines == p) {
                let last = m.services.last_mut().map(|s| &mut s.handlers);
                last.into_iter().for_each(|h| h.push(participant(j)));
            }
            if p % 5 == 0 && p / 5 < sagas {
                m.sagas
                    .push(saga(p / 5, p, (p + 1) % pipelines, spec.domain.clone()));
            }
        }
        m
    }
}

/// The name of domain `i`: `domain-00`, `domain-01`, …
fn domain(i: usize) -> String {
    format!("domain-{i:02}")
}

/// Saga `j`'s step handler: reserves in 3 ms, refused one time in ten.
fn participant(j: usize) -> Handler {
    let mut h = Handler::new(
        Trigger::Command(format!("Reserve{j}")),
        Distribution::Constant(Duration::from_millis(3)),
    );
    let reply = |probability, name: String| Outcome {
        probability,
        emit: vec![Action::Reply(name)],
    };
    h.outcomes = vec![
        reply(0.9, format!("Reserved{j}")),
        reply(0.1, format!("Refused{j}")),
    ];
    h
}

/// Saga `j`, run by the sixth service of pipeline `p` when its third event passes,
/// whose step commands the last service of pipeline `target`.
fn saga(j: usize, p: usize, target: usize, domain: Option<String>) -> Saga {
    let trigger = Trigger::event(format!("E{p}x2"), format!("p{p}.t2"));
    let mut saga = Saga::new(format!("saga-{j}"), format!("p{p}-s5"), trigger);
    let mut step = Step::new("reserve", format!("p{target}-s9"), format!("Reserve{j}"));
    step.success = Some(format!("Reserved{j}"));
    step.failure = Some(format!("Refused{j}"));
    step.timeout = Duration::from_secs(1);
    saga.steps.push(step);
    saga.domain = domain;
    saga
}

#[cfg(test)]
mod tests;
