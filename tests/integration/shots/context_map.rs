//! Pictures of the context map (not run by default): the generator's 1,000-service
//! model in 20 domains opens on its map; run a while, then one domain shown on the
//! diagram. `SHOTS=/tmp/shots-map cargo test --test integration -- --ignored shots::context_map`

use eventscape::app::Command;
use eventscape::sim::SimTime;

use super::focus::enterprise;
use super::{save, shots_dir};

#[test]
#[ignore]
fn context_map_shots() {
    std::fs::create_dir_all(shots_dir()).unwrap();
    let started = std::time::Instant::now();
    let mut h = crate::rendered_window(enterprise(1000));
    eprintln!("opened in {:?}", started.elapsed());
    save(&mut h, "map-1000-opened");
    h.state_mut()
        .send(Command::Seek(SimTime::from_nanos(500_000_000)));
    for _ in 0..50 {
        h.run_steps(2);
        if h.state()
            .session()
            .playback()
            .is_some_and(|p| p.time() >= SimTime::from_nanos(500_000_000))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    save(&mut h, "map-1000-running");
    h.state_mut().send(Command::ShowDomain("domain-03".into()));
    save(&mut h, "map-1000-domain-on-diagram");
    // The whole diagram: far out, every domain but the one expanded is one box.
    h.state_mut().send(Command::ClearFocus);
    h.state_mut().send(Command::FitView);
    save(&mut h, "canvas-1000-domains-collapsed");
}
