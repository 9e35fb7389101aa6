//! The time axis of the trace waterfall: round steps (1, 2 or 5 × 10ⁿ), labels in the
//! unit of the span with the decimals of the step, ticks that never overprint, and
//! durations that read at a glance.

/// The least gap between two tick labels.
const TICK_GAP: f32 = 14.0;

/// The smallest round step (1, 2 or 5 × 10^k nanoseconds) of at least `min_nanos`.
pub(super) fn round_step(min_nanos: f64) -> u64 {
    let mut decade = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = m * decade;
            if step as f64 >= min_nanos {
                return step;
            }
        }
        match decade.checked_mul(10) {
            Some(d) if d <= u64::MAX / 5 => decade = d,
            _ => return 5 * decade,
        }
    }
}

/// The unit of an axis over `span_nanos`: its size in nanoseconds and its name.
fn unit_of(span_nanos: u64) -> (u64, &'static str) {
    match span_nanos {
        1_000_000_000.. => (1_000_000_000, "s"),
        1_000_000.. => (1_000_000, "ms"),
        1_000.. => (1_000, "µs"),
        _ => (1, "ns"),
    }
}

/// A tick at `offset_nanos` on an axis of this step and span, e.g. "1.5 s", "20 ms".
pub(super) fn tick_label(offset_nanos: u64, step_nanos: u64, span_nanos: u64) -> String {
    let (unit, name) = unit_of(span_nanos);
    // As many decimals as the step needs: 0.5 s → 1, 0.02 s → 2, 20 ms → 0.
    let mut decimals = 0;
    let mut scale = unit;
    while !step_nanos.is_multiple_of(scale) && scale > 1 {
        decimals += 1;
        scale /= 10;
    }
    format!("{:.*} {name}", decimals, offset_nanos as f64 / unit as f64)
}

/// The ticks of an axis over `span_nanos` drawn `plot_w` wide: the smallest round step
/// whose labels (measured by `width_of`) do not overprint, and each tick's x from the
/// plot's left with its label.
pub(super) fn ticks(
    span_nanos: u64,
    plot_w: f32,
    width_of: impl Fn(&str) -> f32,
) -> (u64, Vec<(f32, String)>) {
    let px_per_nano = f64::from(plot_w) / span_nanos.max(1) as f64;
    let mut step = round_step(1.0 / px_per_nano);
    loop {
        let labels: Vec<(f32, String)> = (0..=span_nanos / step)
            .map(|k| {
                let t = k * step;
                (
                    (t as f64 * px_per_nano) as f32,
                    tick_label(t, step, span_nanos),
                )
            })
            .collect();
        let widest = labels.iter().map(|(_, l)| width_of(l)).fold(0.0, f32::max);
        if (step as f64 * px_per_nano) as f32 >= widest + TICK_GAP || step >= span_nanos {
            return (step, labels);
        }
        step = round_step(step as f64 + 1.0);
    }
}

/// A length of time people read at a glance: "27.0 ms", "1.250 s", "850 µs".
pub(super) fn duration(nanos: u64) -> String {
    match nanos {
        1_000_000_000.. => format!("{:.3} s", nanos as f64 / 1e9),
        1_000_000.. => format!("{:.1} ms", nanos as f64 / 1e6),
        1_000.. => format!("{:.1} µs", nanos as f64 / 1e3),
        0 => "0 ms".to_owned(),
        _ => format!("{nanos} ns"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(round_step(0.0), 1);
        assert_eq!(round_step(1.0), 1);
        assert_eq!(round_step(1.5), 2);
        assert_eq!(round_step(3.0), 5);
        assert_eq!(round_step(7.0), 10);
        assert_eq!(round_step(11.0), 20);
        assert_eq!(round_step(4_200_000.0), 5_000_000);
        assert_eq!(round_step(6e9), 10_000_000_000);
        assert_eq!(round_step(1e30), 5 * 1_000_000_000_000_000_000);
    }

    #[test]
    fn tick_labels_carry_the_unit_of_the_span_and_the_decimals_of_the_step() {
        let ms = 1_000_000;
        assert_eq!(tick_label(0, 10 * ms, 64 * ms), "0 ms");
        assert_eq!(tick_label(20 * ms, 10 * ms, 64 * ms), "20 ms");
        assert_eq!(tick_label(1500 * ms, 500 * ms, 3000 * ms), "1.5 s");
        assert_eq!(tick_label(40 * ms, 20 * ms, 1200 * ms), "0.04 s");
        assert_eq!(tick_label(2500, 500, 9000), "2.5 µs");
        assert_eq!(tick_label(7, 1, 9), "7 ns");
    }

    #[test]
    fn ticks_never_overprint_and_cover_the_span() {
        let ms = 1_000_000;
        // Labels 40 px wide: on 400 px over 64 ms, 10 ms steps (62 px) fit, 5 ms do not.
        let (step, ticks) = ticks(64 * ms, 400.0, |_| 40.0);
        assert_eq!(step, 10 * ms);
        assert_eq!(ticks.len(), 7);
        assert_eq!(ticks[6].1, "60 ms");
        for pair in ticks.windows(2) {
            assert!(pair[1].0 - pair[0].0 >= 40.0 + TICK_GAP);
        }
        // Narrower: the next round step.
        assert_eq!(super::ticks(64 * ms, 200.0, |_| 40.0).0, 20 * ms);
        // A span of a nanosecond still gets its origin.
        let (_, one) = super::ticks(1, 400.0, |_| 30.0);
        assert_eq!(one[0].1, "0 ns");
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(27_000_000), "27.0 ms");
        assert_eq!(duration(1_250_000_000), "1.250 s");
        assert_eq!(duration(850_000), "850.0 µs");
        assert_eq!(duration(0), "0 ms");
    }
}
