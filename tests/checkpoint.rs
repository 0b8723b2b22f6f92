//! Checkpoints resume bit-identically: for every scene in `scenes/` (all the reference networks
//! and the zoo scenes, which hold every registered model), a run of T equals a run of T/2,
//! `save`, `load` into a fresh simulation, and T/2 more — spikes, state traces, rates, spike
//! statistics and every neuron's final state, bit for bit — also when the resumed run uses
//! another thread count. Checkpoints of another scene or format are refused with the reason.

use std::path::{Path, PathBuf};

use neurocore::engine::scene::Scene;
use neurocore::engine::scene::load;
use neurocore::engine::sim::Simulation;
use neurocore::registry;

fn scenes() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nc-ckpt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Everything observable about a run: recorders, statistics, last spikes, all states (bits).
#[derive(Debug, PartialEq)]
struct Observed {
    time: u64,
    spikes: Vec<(Vec<u32>, Vec<u64>, Vec<i8>)>,
    traces: Vec<(Vec<u64>, Vec<u64>)>,
    rates: Vec<Vec<u64>>,
    stats: Vec<(u64, u64)>,
    last: Vec<u32>,
    states: Vec<Vec<u64>>,
    events: u64,
    /// Every projection's current weights (plastic ones change).
    weights: Vec<Vec<u64>>,
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn observe(sim: &Simulation) -> Observed {
    let rec = sim.recorders();
    let n = sim.populations().last().map_or(0, |p| p.end());
    Observed {
        time: sim.time().to_bits(),
        spikes: rec
            .spikes
            .iter()
            .map(|r| (r.ids.clone(), r.steps.clone(), r.signs.clone()))
            .collect(),
        traces: rec
            .states
            .iter()
            .map(|r| (bits(&r.times), bits(&r.data)))
            .collect(),
        rates: rec.rates.iter().map(|r| bits(&r.rates)).collect(),
        stats: sim
            .population_stats()
            .iter()
            .map(|p| (p.spikes, p.cv_isi.to_bits()))
            .collect(),
        last: sim.spikes().to_vec(),
        states: (0..n)
            .map(|i| bits(&sim.state(i).map(|s| s.values).unwrap_or_default()))
            .collect(),
        events: sim.synaptic_events(),
        weights: sim
            .world()
            .resource::<neurocore::engine::synapse::Synapses>()
            .projections
            .iter()
            .map(|p| bits(&p.current_weights(sim.steps())))
            .collect(),
    }
}

/// Run time per scene: long enough for spikes, rate bins and traces on both sides of the
/// checkpoint, short enough for the big networks.
fn t_total(scene: &Scene) -> f64 {
    let n: u32 = scene.populations.iter().map(|p| p.size).sum();
    if n > 20_000 { 10.0 } else { 40.0 }
}

#[test]
fn every_scene_resumes_bit_identically_at_any_thread_count() {
    let reg = registry();
    let mut checked = 0;
    for f in scenes() {
        let l = load::load(&f).unwrap_or_else(|e| panic!("{e}"));
        let n: u32 = l.scene.populations.iter().map(|p| p.size).sum();
        if n > 50_000 {
            // coba_scaled_400k: the same network as coba_scaled_40k, ten times larger.
            continue;
        }
        let t = t_total(&l.scene);
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        // Straight through.
        let mut whole = l.build(&reg).unwrap_or_else(|e| panic!("{e}"));
        whole.enable_stats();
        whole.run(t);
        let want = observe(&whole);
        // Half, checkpoint, resume (1 thread, then 2 threads with parallel chunks forced).
        let mut first = l.build(&reg).unwrap_or_else(|e| panic!("{e}"));
        first.enable_stats();
        first.run(t / 2.0);
        let dir = tmp(&name);
        first
            .save(&dir)
            .unwrap_or_else(|e| panic!("{name}: save: {e}"));
        for threads in [1usize, 2] {
            let mut scene = l.scene.clone();
            scene.threads = threads;
            let mut resumed =
                Simulation::load(&scene, &reg, &dir).unwrap_or_else(|e| panic!("{name}: {e}"));
            resumed.set_parallel_min(1);
            assert_eq!(resumed.time(), first.time(), "{name}: resumed clock");
            resumed.run(t / 2.0);
            let got = observe(&resumed);
            assert!(
                got == want,
                "{name}: resumed at {threads} thread(s) differs from the straight run \
                 (spikes equal: {}, traces equal: {}, rates equal: {}, states equal: {}, \
                 weights equal: {})",
                got.spikes == want.spikes,
                got.traces == want.traces,
                got.rates == want.rates,
                got.states == want.states,
                got.weights == want.weights
            );
        }
        let spikes: usize = want.spikes.iter().map(|s| s.0.len()).sum();
        assert!(
            spikes > 0 || want.spikes.is_empty(),
            "{name}: no spike recorded: the comparison would be empty"
        );
        let _ = std::fs::remove_dir_all(&dir);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} scenes checked");
}

/// A small scene of two LIF populations with Poisson drive.
fn small(seed: u64) -> Scene {
    let text = format!(
        r#"Scene(dt: 0.1, duration: 20.0, seed: {seed},
        populations: [(name: "a", model: "LIFNeuron", size: 50)],
        stimuli: [(target: (population: "a"), kind: poisson(rate: 8000.0, weight: 0.4))],
        recorders: [spikes(target: (population: "a"))])"#
    );
    let dir = tmp(&format!("small-{seed}.ron"));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("s.ron");
    std::fs::write(&p, text).unwrap();
    load::load(&p).unwrap_or_else(|e| panic!("{e}")).scene
}

#[test]
fn a_checkpoint_of_another_scene_or_format_is_refused() {
    let reg = registry();
    let mut sim = Simulation::from_scene(&small(1), &reg).unwrap();
    sim.run(5.0);
    let dir = tmp("refuse");
    sim.save(&dir).unwrap();
    // Another seed: another network.
    let e = Simulation::load(&small(2), &reg, &dir)
        .err()
        .expect("accepted");
    assert!(e.to_string().contains("another scene"), "{e}");
    // The same scene loads.
    assert!(Simulation::load(&small(1), &reg, &dir).is_ok());
    // A newer format.
    let m = dir.join("manifest.ron");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, text.replace("version: 1,", "version: 99,")).unwrap();
    let e = Simulation::load(&small(1), &reg, &dir)
        .err()
        .expect("accepted");
    assert!(e.to_string().contains("format version 99"), "{e}");
    // Not a checkpoint at all.
    let e = Simulation::load(&small(1), &reg, Path::new("/nonexistent/ckpt"))
        .err()
        .expect("accepted");
    assert!(
        e.to_string().contains("is this a checkpoint directory"),
        "{e}"
    );
    // A damaged array is named.
    std::fs::write(&m, text).unwrap();
    std::fs::write(dir.join("state_0.npy"), b"garbage").unwrap();
    let e = Simulation::load(&small(1), &reg, &dir)
        .err()
        .expect("accepted");
    assert!(e.to_string().contains("state_0.npy"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn saving_over_a_checkpoint_replaces_it() {
    let reg = registry();
    let mut sim = Simulation::from_scene(&small(3), &reg).unwrap();
    let dir = tmp("replace");
    sim.run(2.0);
    sim.save(&dir).unwrap();
    sim.run(3.0);
    sim.save(&dir).unwrap();
    let back = Simulation::load(&small(3), &reg, &dir).unwrap();
    assert_eq!(back.time(), sim.time());
    assert!(!PathBuf::from(format!("{}.tmp", dir.display())).exists());
    assert!(!PathBuf::from(format!("{}.old", dir.display())).exists());
    let _ = std::fs::remove_dir_all(&dir);
}
