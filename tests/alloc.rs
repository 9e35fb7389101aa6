//! The engine allocates nothing per event in steady state: a counting global
//! allocator watches a warmed-up run of the tandem benchmark model.
//!
//! (A separate test binary, because the global allocator applies to all of it.)

// A global allocator is unsafe by nature; it only forwards to the system one.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use eventscape::model::load_file;
use eventscape::sim::{RunOptions, SimTime, Simulation};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn no_heap_allocation_per_event_in_steady_state() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/bench/tandem.ron");
    let model = load_file(&path).unwrap();
    let mut sim = Simulation::new(&model, RunOptions::default()).unwrap();
    // Warm up: queues, slabs, the trace ring and histograms reach their working size.
    sim.step_until(SimTime::from_nanos(50_000_000_000_000));
    let events_before = sim.stats().events;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    sim.step_until(SimTime::from_nanos(100_000_000_000_000));
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    let events = sim.stats().events - events_before;
    assert!(events > 200_000, "{events}");
    eprintln!("{allocations} allocations over {events} events");
    // What remains is amortised growth (queue and lag samples, a rare new queue
    // high-water mark): far below one allocation per thousand events.
    assert!(
        allocations * 1000 < events,
        "{allocations} allocations over {events} events"
    );
}
