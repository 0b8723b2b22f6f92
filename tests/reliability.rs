//! Reliability: a state that becomes NaN or infinite is caught and named (issue 13's reproducers),
//! and a healthy network raises no false alarm.

use neurocore::engine::scene::{PopulationSpec, StimulusKind, StimulusSpec, Target};
use neurocore::engine::sim::{NanPolicy, Simulation};
use neurocore::registry;

/// Ten Hodgkin–Huxley neurons with 10 µA/cm² DC and internal substep `h` (network dt 0.1 ms).
fn hh(h: f64) -> Simulation {
    Simulation::builder(&registry())
        .dt(0.1)
        .seed(1)
        .population(PopulationSpec::new("hh", "HodgkinHuxleyNeuron", 10).param("dt", h))
        .stimulus(StimulusSpec::new(
            Target::all("hh"),
            StimulusKind::Dc { amplitude: 10.0 },
        ))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Issue 13: HH with its substep raised to the network's dt (0.1 ms) has NaN voltage after a few
/// ms (classical RK4 on HH is unstable above ~0.05 ms at the spike's fastest rates). The run
/// stops at the first check after it and the fault names what went wrong.
#[test]
fn hh_with_a_substep_of_dt_stops_with_a_fault_naming_the_substep() {
    let mut sim = hh(0.1);
    let fault = sim
        .try_run(200.0)
        .expect_err("the watchdog must stop the run");
    assert_eq!(fault.population, "hh");
    assert_eq!(fault.model, "HodgkinHuxleyNeuron");
    assert_eq!(fault.substep, Some(("dt", 0.1)));
    // The named variable really is non-finite in the named neuron.
    let st = sim.state(fault.neuron).expect("state");
    assert!(
        !st[fault.var].is_finite(),
        "{} = {}",
        fault.var,
        st[fault.var]
    );
    // It stopped at the check (every 10 ms) right after the state went bad, not at the end.
    assert!(fault.time_ms <= 50.0, "found at {} ms", fault.time_ms);
    assert_eq!(sim.time(), fault.time_ms);
    assert_eq!(fault.time_ms - fault.since_ms, 10.0);
    let msg = fault.to_string();
    assert!(
        msg.contains("`hh`") && msg.contains("substep `dt` = 0.1 ms"),
        "{msg}"
    );
}

/// The same network at HH's own substep (0.01 ms) stays finite: no fault over 200 ms, and it
/// fires (HH at 10 µA/cm² fires tonically at ~68 Hz; Hodgkin & Huxley 1952 kinetics).
#[test]
fn a_healthy_network_raises_no_fault() {
    let mut sim = hh(0.01);
    sim.enable_stats();
    sim.try_run(200.0).expect("no fault");
    assert!(sim.fault().is_none());
    let rate = sim.population_stats()[0].rate_hz;
    assert!((50.0..90.0).contains(&rate), "rate {rate} Hz");
}

/// Under `NanPolicy::Warn` the run goes to its end and the first fault is kept; with
/// `NanPolicy::Off` nothing is checked.
#[test]
fn warn_runs_to_the_end_and_off_does_not_check() {
    let mut sim = hh(0.1);
    sim.set_nan_policy(NanPolicy::Warn);
    sim.try_run(100.0).expect("warn does not stop");
    assert_eq!(sim.time(), 100.0);
    let f = sim.fault().expect("fault kept");
    assert!(f.time_ms < 100.0);

    let mut sim = hh(0.1);
    sim.set_nan_policy(NanPolicy::Off);
    sim.try_run(100.0).expect("off does not stop");
    assert!(sim.fault().is_none());
    let st = sim.state(0).expect("state");
    assert!(!st["v"].is_finite(), "the state did go bad");
}

/// A finer watchdog interval finds the fault earlier: within one interval of the first
/// non-finite step, which is found here by stepping the same network one step at a time.
#[test]
fn the_fault_is_found_within_one_interval_of_the_first_bad_step() {
    let mut probe = hh(0.1);
    probe.set_nan_policy(NanPolicy::Off);
    let mut first_bad = None;
    for _ in 0..2000 {
        probe.step();
        if (0..10).any(|id| {
            let s = probe.state(id).expect("state");
            s.values.iter().any(|x| !x.is_finite())
        }) {
            first_bad = Some(probe.time());
            break;
        }
    }
    let first_bad = first_bad.expect("HH at substep 0.1 ms goes non-finite within 200 ms");
    let mut sim = hh(0.1);
    sim.set_watchdog_interval(1.0).expect("interval");
    let f = sim.try_run(200.0).expect_err("fault");
    assert!(
        f.time_ms >= first_bad - 1e-9 && f.time_ms < first_bad + 1.0 + 1e-9,
        "found at {} ms, first bad step ends at {first_bad} ms",
        f.time_ms
    );
    assert!(sim.set_watchdog_interval(0.0).is_err());
}
