//! The engine on the example models: runs, conserves messages, is deterministic.

use eventscape::examples::ALL;
use eventscape::sim::{RunOptions, Simulation};

#[test]
fn every_example_runs_and_accounts_for_every_message() {
    for e in ALL {
        let model = e.model().unwrap();
        let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
        sim.run();
        let m = &sim.stats().messages;
        assert!(m.produced > 1000, "{}: {m:?}", e.name);
        assert!(m.balanced(), "{}: {m:?}", e.name);
        eprintln!("{}: {m:?} events {}", e.name, sim.stats().events);
    }
}
