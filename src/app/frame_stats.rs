//! `EVENTSCAPE_FRAME_STATS=1`: the real frame times of the app, on stderr.

/// Wall-clock time between frames (everything: UI, tessellation, rendering, swap),
/// summarised on stderr every 200 frames.
#[derive(Default)]
pub(super) struct FrameStats {
    last: Option<std::time::Instant>,
    times: Vec<f64>,
}

impl FrameStats {
    pub(super) fn tick(&mut self) {
        let now = std::time::Instant::now();
        if let Some(last) = self.last.replace(now) {
            self.times.push((now - last).as_secs_f64() * 1e3);
        }
        if self.times.len() == 200 {
            let mut t = std::mem::take(&mut self.times);
            t.sort_by(f64::total_cmp);
            let mean = t.iter().sum::<f64>() / t.len() as f64;
            eprintln!(
                "frame time over 200 frames: mean {mean:.1} ms, median {:.1} ms, p95 {:.1} ms",
                t[100], t[190]
            );
        }
    }
}
