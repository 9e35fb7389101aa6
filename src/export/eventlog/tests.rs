use super::*;

#[test]
fn simulated_time_reads_from_the_fixed_epoch_with_nanoseconds() {
    assert_eq!(timestamp(SimTime::ZERO), "2026-01-01T00:00:00.000000000Z");
    assert_eq!(
        timestamp(SimTime::from_nanos(3_723_000_000_007)),
        "2026-01-01T01:02:03.000000007Z"
    );
}
