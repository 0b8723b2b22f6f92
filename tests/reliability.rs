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

// ---------------------------------------------------------------------------------------------
// Validation gaps found in issue 13: each refused before anything runs, at its place.
// ---------------------------------------------------------------------------------------------

use neurocore::engine::scene::load::{self, LoadedScene};

/// Write `text` as a scene file and load it.
fn load_text(
    name: &str,
    text: &str,
) -> Result<LoadedScene, neurocore::engine::scene::load::SceneError> {
    let dir = std::env::temp_dir().join(format!("nc-reliability-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    load::load(&path)
}

/// Two LIF populations `a` (20) and `b` (10); `{PROJ}`, `{A}` (extra fields of `a`) and `{REC}`
/// are filled in by each case.
fn two_pops(a: &str, proj: &str, rec: &str) -> String {
    format!(
        r#"Scene(
    dt: 0.1,
    duration: 10.0,
    populations: [
        (name: "a", model: "LIFNeuron", size: 20{a}),
        (name: "b", model: "LIFNeuron", size: 10, receptors: [(name: "e", kind: exp_conductance(tau: 5.0, e_rev: 0.0))]),
    ],
    projections: [{proj}],
    recorders: [{rec}],
)"#
    )
}

fn check_err(name: &str, text: &str) -> neurocore::engine::scene::load::SceneError {
    let l = load_text(name, text).unwrap_or_else(|e| panic!("loads: {e}"));
    l.check(&registry()).expect_err("refused by check")
}

#[test]
fn explicit_delays_are_checked_without_weights() {
    for (d, words) in [
        ("-1.0", "got -1"),
        ("1000000.0", "6553.5 ms"),
        ("NaN", "got NaN"),
        ("inf", "got inf"),
    ] {
        let t = two_pops(
            "",
            &format!(
                r#"(source: "a", target: "b", rule: explicit(pairs: [(0, 1), (1, 2)], delays: [1.0, {d}]))"#
            ),
            "",
        );
        let e = check_err("delays.ron", &t);
        assert!(e.message.contains(words), "{d}: {e}");
        assert!(e.message.contains("65535 steps"), "{e}");
        assert_eq!(e.line, 8, "{e}");
    }
}

#[test]
fn a_key_given_twice_in_a_map_is_an_error_at_its_second_place() {
    let t = two_pops(r#", params: {"tau_m": 12.0, "tau_m": 13.0}"#, "", "");
    let e = load_text("dup.ron", &t).expect_err("refused at load");
    let line5 = t.lines().nth(4).expect("line 5");
    let second = line5.rfind(r#""tau_m""#).expect("second key") + 1;
    assert_eq!((e.line, e.col), (5, second), "{e}");
    assert!(e.message.contains("`tau_m` appears twice"), "{e}");
}

#[test]
fn a_distance_rule_whose_probability_peaks_above_one_is_refused() {
    let placed = r#", position: grid(shape: (20, 1, 1), spacing: (10.0, 1.0, 1.0))"#;
    let t = two_pops(
        placed,
        r#"(source: "a", target: "a", rule: distance(probability: gaussian(peak: 2.0, sigma: 30.0)))"#,
        "",
    );
    let e = check_err("peak.ron", &t);
    assert!(e.message.contains("between 0 and 1"), "{e}");
    assert!(e.message.contains("is 2"), "{e}");
}

#[test]
fn a_state_recorder_listing_a_variable_twice_is_refused_by_check() {
    let t = two_pops(
        "",
        "",
        r#"state(target: (population: "a"), vars: ["v", "v"])"#,
    );
    let e = check_err("vars.ron", &t);
    assert!(e.message.contains("`v` is listed twice"), "{e}");
}

#[test]
fn a_population_name_too_long_for_a_file_name_is_refused_by_check() {
    let long = "x".repeat(300);
    let t = two_pops("", "", "").replace(r#"name: "a""#, &format!(r#"name: "{long}""#));
    let e = check_err("long.ron", &t);
    assert!(
        e.message.contains("300 bytes") && e.message.contains("128"),
        "{e}"
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let t = format!("\u{feff}{}", two_pops("", "", ""));
    let l = load_text("bom.ron", &t).unwrap_or_else(|e| panic!("{e}"));
    l.check(&registry()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn drawn_weights_and_initial_values_must_be_finite_like_constants() {
    // lognormal(mu: 800) overflows to inf: refused at build, naming the item.
    let t = two_pops(
        "",
        r#"(source: "a", target: "b", rule: all_to_all, weight: lognormal(mu: 800.0, sigma: 1.0))"#,
        "",
    );
    let l = load_text("w.ron", &t).unwrap_or_else(|e| panic!("{e}"));
    let e = l.build(&registry()).err().expect("refused");
    assert!(e.message.contains("drawn weights must be finite"), "{e}");
    assert_eq!(e.line, 8, "{e}");

    let t = two_pops(r#", init: {"v": lognormal(mu: 800.0, sigma: 1.0)}"#, "", "");
    let l = load_text("init.ron", &t).unwrap_or_else(|e| panic!("{e}"));
    let e = l.build(&registry()).err().expect("refused");
    assert!(e.message.contains("drawn values must be finite"), "{e}");
    assert_eq!(e.line, 5, "{e}");
}

#[test]
fn a_negative_constant_weight_into_a_conductance_receptor_is_refused() {
    let t = two_pops(
        "",
        r#"(source: "a", target: "b", rule: all_to_all, weight: -1.0)"#,
        "",
    );
    let e = check_err("neg.ron", &t);
    assert!(
        e.message.contains("conductance weights must be >= 0"),
        "{e}"
    );
}

/// With the NaN check fused into the Integrate system (each block checked after its kernel)
/// and the population split over two threads, the fault still names the lowest id whose state
/// is non-finite at the time of the check: found here by reading every neuron's state.
#[test]
fn the_fault_names_the_first_bad_neuron_on_any_thread_count() {
    for threads in [1, 2] {
        // 600 neurons (more than two blocks of 256), the first 300 stable (substep 0.01 ms),
        // the rest at substep 0.1 ms: the first bad id is 300 or later.
        let mut sim = Simulation::builder(&registry())
            .dt(0.1)
            .seed(1)
            .threads(threads)
            .population(PopulationSpec::new("ok", "HodgkinHuxleyNeuron", 300).param("dt", 0.01))
            .population(PopulationSpec::new("hh", "HodgkinHuxleyNeuron", 300).param("dt", 0.1))
            .stimulus(StimulusSpec::new(
                Target::all("ok"),
                StimulusKind::Dc { amplitude: 10.0 },
            ))
            .stimulus(StimulusSpec::new(
                Target::all("hh"),
                StimulusKind::Dc { amplitude: 10.0 },
            ))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        sim.set_parallel_min(64);
        sim.set_watchdog_interval(1.0).expect("interval");
        let f = sim.try_run(200.0).expect_err("fault");
        let first = (0..600u32)
            .find(|&id| {
                let s = sim.state(id).expect("state");
                s.values.iter().any(|x| !x.is_finite())
            })
            .expect("a non-finite state");
        assert_eq!(f.neuron, first, "{threads} threads");
        assert_eq!(f.population, "hh");
        let st = sim.state(f.neuron).expect("state");
        assert!(!st[f.var].is_finite());
        assert_eq!(f.substep, Some(("dt", 0.1)));
    }
}
