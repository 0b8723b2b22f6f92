//! The reference networks of `scenes/` reproduce their published firing statistics.
//!
//! Each scene is defined as the docstring of its peer script in `../shared/peers` defines it
//! (the same parameters, initial state and stimulus NEST's and Brian2's runs use); the accepted
//! ranges below cite where the numbers come from. `shared/peers/RESULTS.md` holds the rates NEST
//! 3.10, Brian2 2.9 and NEURON 9 produce for the same networks on this kind of machine.
//!
//! The 400,000-neuron scaled COBA takes minutes: it is `#[ignore]`d; run it with
//! `cargo test --release --test reference -- --ignored`.

use std::path::Path;

use neurocore::engine::scene::load;
use neurocore::engine::sim::PopulationStats;
use neurocore::registry;

/// Run a scene file for `ms` (its own duration if `None`) with optional seed override; the
/// per-population statistics.
fn run(file: &str, ms: Option<f64>, seed: Option<u64>) -> Vec<PopulationStats> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes")
        .join(file);
    let mut scene = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    if let Some(s) = seed {
        scene.scene.seed = s;
    }
    let mut sim = scene.build(&registry()).unwrap_or_else(|e| panic!("{e}"));
    sim.enable_stats();
    sim.run(ms.unwrap_or(scene.scene.duration));
    sim.population_stats()
}

fn rate(stats: &[PopulationStats], pop: &str) -> f64 {
    stats
        .iter()
        .find(|p| p.name == pop)
        .map(|p| p.rate_hz)
        .unwrap()
}

#[test]
fn coba_sustains_asynchronous_irregular_activity() {
    // Brette et al. 2007 (bm. 1) / Vogels & Abbott 2005: self-sustained AI activity without
    // input; the exc. rate expected is 15–25 Hz (RESULTS.md: Brian2 21.5 Hz, NEST 17.4 Hz).
    let s = run("vogels_abbott_coba.ron", None, None);
    let r = rate(&s, "exc");
    assert!((15.0..=25.0).contains(&r), "exc rate {r} Hz");
    // Irregular: interspike intervals vary at least as much as a Poisson process' (CV ≈ 1).
    let cv = s[0].cv_isi;
    assert!(cv > 0.8, "CV of ISI {cv}");
}

#[test]
fn coba_activity_survives_in_most_network_instances() {
    // The sustained state is not guaranteed for every random instance: on this machine NEST's
    // 4000-neuron fixed-in-degree instance fell silent with its seed (RESULTS.md, "scale/nest/
    // n4000"). Most instances must sustain the AI rate; 1.2 s of 6 seeds here.
    let alive = (1..=6)
        .filter(|&seed| {
            let r = rate(
                &run("vogels_abbott_coba.ron", Some(1200.0), Some(seed)),
                "exc",
            );
            (15.0..=25.0).contains(&r)
        })
        .count();
    assert!(alive >= 4, "only {alive} of 6 instances sustained 15–25 Hz");
}

#[test]
fn cuba_fires_at_its_low_spontaneous_rate() {
    // Brette et al. 2007 (bm. 2): E_L above threshold gives a low spontaneous rate; ANNarchy's
    // reference notebook 5.6 Hz, RESULTS.md Brian2 5.68 Hz, NEST 5.1–5.7 Hz.
    let s = run("vogels_abbott_cuba.ron", None, None);
    let r = rate(&s, "exc");
    assert!((4.5..=7.0).contains(&r), "exc rate {r} Hz");
}

#[test]
fn cobahh_matches_the_peers_rate() {
    // Brette et al. 2007 (bm. 3), original weights: RESULTS.md Brian2 37.4 Hz, NEURON 37.2 Hz,
    // NEST 31.0 Hz (the paper states no rate).
    let s = run("cobahh.ron", None, None);
    let r = rate(&s, "exc");
    assert!((30.0..=42.0).contains(&r), "exc rate {r} Hz");
}

#[test]
fn cobahh_dense_fires_at_the_intrinsic_rate() {
    // Stimberg et al. 2020 (Brian2GeNN) variant: near-zero weights, so the rate is the
    // neurons' own: 13.0–13.3 Hz in Brian2, NEST and NEURON (RESULTS.md).
    let s = run("cobahh_dense.ron", Some(500.0), None);
    let r = rate(&s, "exc");
    assert!((12.0..=14.5).contains(&r), "exc rate {r} Hz");
}

#[test]
fn brunel_model_a_fires_at_the_mean_field_rate() {
    // Brunel 2000, g = 5, η = 2 (Fig. 8C): the Siegert mean-field rate is 37.9 Hz (RESULTS.md;
    // Brian2 36.9 Hz, NEST 37.7 Hz).
    let s = run("brunel_2000.ron", Some(500.0), None);
    for pop in ["exc", "inh"] {
        let r = rate(&s, pop);
        assert!((34.0..=41.0).contains(&r), "{pop} rate {r} Hz");
    }
    // Model A's excitatory and inhibitory neurons are identical and receive statistically
    // identical input, so the mean-field theory gives them one rate.
    assert!((rate(&s, "exc") - rate(&s, "inh")).abs() < 1.0);
}

#[test]
fn scaled_coba_40k_matches_the_peers_rate() {
    // RESULTS.md: Brian2 14.8 Hz, NEST 14.3 Hz (fixed in-degree 64 + 16, 40,000 neurons).
    let s = run("coba_scaled_40k.ron", Some(500.0), None);
    let r = rate(&s, "exc");
    assert!((12.5..=17.0).contains(&r), "exc rate {r} Hz");
}

#[test]
#[ignore = "400,000 neurons for 1 s: run with --release -- --ignored"]
fn scaled_coba_400k_matches_the_peers_rate() {
    // RESULTS.md: Brian2 14.8 Hz, NEST 13.2 Hz (400,000 neurons, 32 M synapses).
    let s = run("coba_scaled_400k.ron", None, None);
    let r = rate(&s, "exc");
    assert!((12.5..=17.0).contains(&r), "exc rate {r} Hz");
}

#[test]
fn a_reference_network_is_identical_on_one_and_two_threads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/vogels_abbott_coba.ron");
    let spikes = |threads: usize| {
        let mut scene = load::load(&path).unwrap();
        scene.scene.threads = threads;
        let mut sim = scene.build(&registry()).unwrap();
        sim.set_parallel_min(1);
        let mut all = Vec::new();
        for _ in 0..2000 {
            sim.step();
            all.extend_from_slice(sim.spikes());
            all.push(u32::MAX);
        }
        all
    };
    assert_eq!(spikes(1), spikes(2));
}

/// `scenes/lif_uncoupled_1m.ron` (issue 15's update-only row; the peers'
/// brian2_lif_uncoupled.py) with only its 1,000 recorded neurons: every interval between two
/// spikes is the closed-form t_ref + tau_m ln(RI / (RI - (V_th - E_L))) = 2 + 10 ln 16 =
/// 29.73 ms, rounded up to the 0.1-ms grid (29.8 ms), and the rate is that of the interval
/// (33.6 Hz; Brian2 33.4 Hz, RESULTS.md).
#[test]
fn uncoupled_lif_fires_at_the_closed_form_interval() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/lif_uncoupled_1m.ron");
    let mut l = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    l.scene.populations.retain(|p| p.name == "rec");
    l.scene.stimuli.retain(|s| s.target.population == "rec");
    let mut sim = l.build(&registry()).unwrap_or_else(|e| panic!("{e}"));
    let mut last = vec![None::<u64>; 1000];
    let mut isis = Vec::new();
    for step in 0..10_000u64 {
        sim.step();
        for &id in sim.spikes() {
            if let Some(prev) = last[id as usize] {
                isis.push(step - prev);
            }
            last[id as usize] = Some(step);
        }
    }
    let t = 2.0 + 10.0 * 16f64.ln();
    assert!(isis.len() > 30_000, "{} intervals", isis.len());
    for &k in &isis {
        assert_eq!(k, (t / 0.1).ceil() as u64, "interval {k} steps vs {t} ms");
    }
}

/// `scenes/hh_uncoupled_10k.ron` (the peers' brian2_hh_uncoupled.py) with 200 of its recorded
/// neurons for 1 s: the rate Brian2 gives for the same network (31-32 Hz, RESULTS.md).
#[test]
fn uncoupled_hh_fires_at_the_peers_rate() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/hh_uncoupled_10k.ron");
    let mut l = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    l.scene.populations.retain(|p| p.name == "rec");
    l.scene.populations[0].size = 200;
    l.scene.stimuli.retain(|s| s.target.population == "rec");
    let mut sim = l.build(&registry()).unwrap_or_else(|e| panic!("{e}"));
    sim.enable_stats();
    sim.run(1000.0);
    let r = rate(&sim.population_stats(), "rec");
    assert!((30.5..=32.5).contains(&r), "rate {r} Hz");
}
