//! Property tests over generated scenes (proptest): random valid networks of several models,
//! connection rules, receptors, stimuli and recorders. For each one:
//!
//! - building never panics (it succeeds: the generator only makes valid scenes);
//! - the scene survives RON: written as RON text and loaded back, it is the same scene;
//! - recorded spikes are in step order, and in id order within a step, and every id belongs to
//!   the recorded population;
//! - the per-population spike counts of the statistics equal the recorded spike counts;
//! - 1 thread and 2 threads (parallel chunks forced) give identical spikes and states;
//! - a run checkpointed half-way and resumed equals the straight run.

use neurocore::engine::numerics::dist::Value;
use neurocore::engine::scene::load;
use neurocore::engine::scene::{
    PopulationSpec, ProjectionSpec, RecorderSpec, Rule, Scene, StimulusKind, StimulusSpec, Target,
};
use neurocore::engine::sim::Simulation;
use neurocore::engine::synapse::ReceptorKind;
use neurocore::registry;
use proptest::prelude::*;

/// Models with a membrane potential and one current port, cheap enough for many cases, and
/// the drive (port units) that makes each fire.
const MODELS: &[(&str, f64)] = &[
    ("LIFNeuron", 500.0),
    ("IzhikevichNeuron", 12.0),
    ("AdExNeuron", 800.0),
    ("HodgkinHuxleyNeuron", 12.0),
    ("ExpIFNeuron", 800.0),
];

#[derive(Clone, Debug)]
struct Pop {
    model: usize,
    size: u32,
    drive: f64,
    noise: bool,
}

#[derive(Clone, Debug)]
struct Proj {
    source: usize,
    target: usize,
    rule: u8,
    p: f64,
    k: u32,
    weight: f64,
    delay_steps: u32,
    receptor: u8,
}

fn pop() -> impl Strategy<Value = Pop> {
    (0..MODELS.len(), 1u32..60, 0.5f64..1.5, any::<bool>()).prop_map(|(model, size, d, noise)| {
        Pop {
            model,
            size,
            drive: d,
            noise,
        }
    })
}

fn proj(n: usize) -> impl Strategy<Value = Proj> {
    (
        0..n,
        0..n,
        0u8..4,
        0.0f64..0.5,
        1u32..8,
        -1.0f64..1.0,
        1u32..30,
        0u8..3,
    )
        .prop_map(
            |(source, target, rule, p, k, weight, delay_steps, receptor)| Proj {
                source,
                target,
                rule,
                p,
                k,
                weight,
                delay_steps,
                receptor,
            },
        )
}

fn scene_strategy() -> impl Strategy<Value = (Vec<Pop>, Vec<Proj>, u64)> {
    prop::collection::vec(pop(), 1..4).prop_flat_map(|pops| {
        let n = pops.len();
        (
            Just(pops),
            prop::collection::vec(proj(n), 0..5),
            any::<u64>(),
        )
    })
}

/// The scene of a generated network.
fn make_scene(pops: &[Pop], projs: &[Proj], seed: u64) -> Scene {
    let reg = registry();
    let mut b = Simulation::builder(&reg).dt(0.1).seed(seed);
    for (i, p) in pops.iter().enumerate() {
        let (model, drive) = MODELS[p.model];
        b = b.population(
            PopulationSpec::new(format!("p{i}"), model, p.size)
                .receptor("fast", ReceptorKind::ExpCurrent { tau: 2.0 })
                .receptor("jump", ReceptorKind::Delta),
        );
        let kind = if p.noise {
            StimulusKind::Noise {
                mean: drive * p.drive,
                std: 0.2 * drive,
                tau: 3.0,
            }
        } else {
            StimulusKind::Dc {
                amplitude: drive * p.drive,
            }
        };
        b = b.stimulus(StimulusSpec::new(Target::all(format!("p{i}")), kind));
        b = b.recorder(RecorderSpec::Spikes {
            target: Target::all(format!("p{i}")),
        });
    }
    for pr in projs {
        let (s, t) = (&pops[pr.source], &pops[pr.target]);
        let rule = match pr.rule {
            0 => Rule::PairwiseBernoulli { p: pr.p },
            1 => Rule::FixedIndegree {
                k: pr.k.min(s.size),
            },
            2 if s.size == t.size && pr.source != pr.target => Rule::OneToOne,
            _ => Rule::AllToAll,
        };
        let drive = MODELS[t.model].1;
        // Inputs per target neuron, so that the summed input stays within a few drives.
        let indegree = match rule {
            Rule::PairwiseBernoulli { p } => p * s.size as f64,
            Rule::FixedIndegree { k } => k as f64,
            Rule::OneToOne => 1.0,
            _ => s.size as f64,
        }
        .max(1.0);
        let (receptor, w) = match pr.receptor {
            0 => ("fast", pr.weight * drive / indegree),
            _ => ("jump", pr.weight * 5.0 / indegree),
        };
        b = b.projection(
            ProjectionSpec::new(format!("p{}", pr.source), format!("p{}", pr.target), rule)
                .weight(Value::Const(w))
                .delay(Value::Const(pr.delay_steps as f64 * 0.1))
                .receptor(receptor)
                .autapses(true),
        );
    }
    b.scene().clone()
}

/// (recorded spikes per recorder as (id, step)), every neuron's state bits, stats counts.
type Run = (Vec<Vec<(u32, u64)>>, Vec<Vec<u64>>, Vec<u64>);

fn observe(sim: &Simulation) -> Run {
    let rec = sim.recorders();
    let spikes = rec
        .spikes
        .iter()
        .map(|r| r.ids.iter().copied().zip(r.steps.iter().copied()).collect())
        .collect();
    let n = sim.populations().last().map_or(0, |p| p.end());
    let states = (0..n)
        .map(|i| {
            sim.state(i)
                .map(|s| s.values.iter().map(|x| x.to_bits()).collect())
                .unwrap_or_default()
        })
        .collect();
    let counts = sim.population_stats().iter().map(|p| p.spikes).collect();
    (spikes, states, counts)
}

fn run(scene: &Scene, threads: usize, ms: f64) -> Run {
    let mut s = scene.clone();
    s.threads = threads;
    let mut sim = Simulation::from_scene(&s, &registry()).expect("a generated scene builds");
    sim.set_parallel_min(1);
    sim.enable_stats();
    sim.run(ms);
    observe(&sim)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn generated_scenes_keep_the_invariants((pops, projs, seed) in scene_strategy()) {
        let scene = make_scene(&pops, &projs, seed);
        // RON round trip: the text a user would write loads as the same scene.
        let text = ron::to_string(&scene).unwrap();
        let dir = std::env::temp_dir().join(format!("nc-props-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("g.ron");
        std::fs::write(&path, &text).unwrap();
        let loaded = load::load(&path).unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(&loaded.scene, &scene);

        let one = run(&scene, 1, 30.0);
        // Spikes in step order, then id order, ids inside their population.
        let reg = registry();
        let sim = Simulation::from_scene(&scene, &reg).unwrap();
        for (k, rec) in one.0.iter().enumerate() {
            let p = &sim.populations()[k];
            for w in rec.windows(2) {
                prop_assert!((w[0].1, w[0].0) < (w[1].1, w[1].0), "order: {:?}", w);
            }
            for &(id, _) in rec {
                prop_assert!(p.contains(id));
            }
            prop_assert_eq!(one.2[k], rec.len() as u64, "stats count of p{}", k);
        }
        // Thread count does not matter.
        let two = run(&scene, 2, 30.0);
        prop_assert!(one == two, "1 and 2 threads differ");
        // A checkpoint half-way resumes to the same result.
        let mut first = Simulation::from_scene(&scene, &reg).unwrap();
        first.enable_stats();
        first.run(15.0);
        let ck = dir.join("ck");
        if first.fault().is_some() {
            // A network stopped by the watchdog is not resumable, and says so.
            let e = first.save(&ck).err();
            prop_assert!(e.is_some_and(|e| e.to_string().contains("fault")));
            return Ok(());
        }
        first.save(&ck).unwrap();
        let mut resumed = Simulation::load(&scene, &reg, &ck).unwrap();
        resumed.run(15.0);
        prop_assert!(observe(&resumed) == one, "resumed run differs");
    }
}
