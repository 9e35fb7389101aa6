//! Canvas frame time (criterion). Run with `cargo bench --bench canvas`.
//!
//! The whole editor window (element list, inspector, problems, canvas) at 1280×800 on
//! a model of 200 boxes and 400+ arrows, laid out by the layered layout:
//! - `frame_cpu`: one egui frame (the app's UI, egui_graphs drawing every box and
//!   arrow) and its tessellation into triangles: the work done on the UI thread.
//! - `frame_rendered`: the same plus rasterising it with wgpu on the software Vulkan
//!   driver (lavapipe), and reading the image back: no GPU involved.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use eventscape::app::{Document, EventscapeApp};
use eventscape::model::{Action, Distribution, Handler, Model, Service, Source, Topic, Trigger};
use eventscape::model::{EventType, Rate};

/// 100 services, 80 topics, 20 sources: 200 boxes. Each service consumes two topics
/// and publishes to two (400 arrows), each source publishes to one (20 more).
fn big_model() -> Model {
    let mut m = Model::new("canvas bench");
    for t in 0..80 {
        m.topics.push(Topic {
            partitions: 4,
            ..Topic::new(format!("topic-{t:02}"))
        });
        m.events.push(EventType::new(format!("Event{t:02}")));
    }
    let event = |t: usize| format!("Event{:02}", t % 80);
    let topic = |t: usize| format!("topic-{:02}", t % 80);
    for s in 0..100usize {
        let mut svc = Service::new(format!("service-{s:03}"));
        for k in 0..2 {
            let from = (s + k * 37) % 80;
            let mut h = Handler::new(
                Trigger::event(event(from), topic(from)),
                Distribution::Constant("5ms".parse().unwrap()),
            );
            let to = (s * 7 + k * 11 + 1) % 80;
            h.emit.push(Action::Publish {
                event: event(to),
                topic: topic(to),
                version: None,
            });
            svc.handlers.push(h);
        }
        m.services.push(svc);
    }
    for i in 0..20usize {
        m.sources.push(Source {
            name: format!("source-{i:02}"),
            description: String::new(),
            emit: Action::Publish {
                event: event(i * 4),
                topic: topic(i * 4),
                version: None,
            },
            rate: Rate::Poisson { per_sec: 10.0 },
            keys: 1000,
            start: None,
            stop: None,
            pos: None,
        });
    }
    m
}

fn harness(render: bool) -> Harness<'static, EventscapeApp> {
    let model = big_model();
    let mut builder = Harness::builder().with_size(egui::vec2(1280.0, 800.0));
    if render {
        builder = builder.wgpu();
    }
    let mut h = builder.build_ui_state(
        |ui, app: &mut EventscapeApp| app.window_ui(ui),
        EventscapeApp::new(Document::new(model, None)),
    );
    let arch = eventscape::diagram::arch_graph(&h.state().document().model);
    assert_eq!(arch.nodes.len(), 200);
    assert!(arch.edges.len() >= 400, "{} arrows", arch.edges.len());
    h.run_steps(3);
    h
}

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("canvas_200_boxes");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    let mut h = harness(false);
    g.bench_function("frame_cpu", |b| {
        b.iter(|| {
            h.step();
            let out = h.output();
            let shapes = out.shapes.clone();
            black_box(h.ctx.tessellate(shapes, out.pixels_per_point));
        })
    });
    let mut h = harness(true);
    g.bench_function("frame_rendered", |b| {
        b.iter(|| {
            h.step();
            black_box(h.render().unwrap());
        })
    });
    g.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
