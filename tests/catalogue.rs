//! Catalogue-wide properties, iterating the registry: every model registered now or later is
//! covered without a new test.
//!
//! - defaults validate; `reset()` restores the initial state (and the random stream);
//! - `get_state()` names are stable and are the names the model's spec gives;
//! - no NaN or infinity over 1 s of the model's typical drive;
//! - a network neuron starts in the standalone neuron's initial state (the batch path equals
//!   the standalone path bit for bit: `tests/batch_matrix.rs`);
//! - results do not depend on the thread count;
//! - deterministic continuous models converge as the step shrinks.

use std::collections::BTreeMap;

use neurocore::engine::model::{OutputKind, Timing};
use neurocore::engine::registry::{DynNeuron, ModelEntry};
use neurocore::engine::scene::{
    ParamValue, PopulationSpec, ProjectionSpec, RecorderSpec, Rule, StimulusKind, StimulusSpec,
    Target,
};
use neurocore::engine::sim::Simulation;
use neurocore::registry;

fn no_params() -> BTreeMap<String, ParamValue> {
    BTreeMap::new()
}

fn neuron(e: &dyn ModelEntry) -> Box<dyn DynNeuron> {
    e.standalone(&no_params(), None)
        .unwrap_or_else(|err| panic!("{}: defaults do not build: {err}", e.name()))
}

/// Steps that make up about 1 s (continuous models) or 10,000 iterations (maps, chips).
fn one_second(e: &dyn ModelEntry) -> usize {
    match e.timing() {
        Timing::Continuous => (1000.0 / e.default_span()).ceil() as usize,
        Timing::Iteration => 10_000,
    }
}

/// The drive of step `t`: the model's typical drive, modulated so inputs change every step.
fn drive(e: &dyn ModelEntry, t: usize) -> Vec<f64> {
    e.drive()
        .iter()
        .enumerate()
        .map(|(k, &d)| {
            let m = 1.0 + 0.25 * ((t as f64) * 0.37 + k as f64).sin();
            if e.timing() == Timing::Iteration && d.fract() == 0.0 {
                (d * m).round()
            } else {
                d * m
            }
        })
        .collect()
}

#[test]
fn registry_holds_the_engine_core_models() {
    let reg = registry();
    for name in [
        "LIFNeuron",
        "IzhikevichNeuron",
        "AdExNeuron",
        "HodgkinHuxleyNeuron",
        "TraubMilesNeuron",
        "COBALIFNeuron",
        "RulkovMapNeuron",
        "PinskyRinzelNeuron",
        "PoissonNeuron",
        "WilsonCowanUnit",
        "LoihiCUBANeuron",
    ] {
        assert!(reg.get(name).is_some(), "{name} is not registered");
    }
    let mut names = reg.names();
    names.sort_unstable();
    let n = names.len();
    names.dedup();
    assert_eq!(names.len(), n, "a model is registered twice");
}

#[test]
fn defaults_validate_and_describe_themselves() {
    for e in registry().iter() {
        let _ = neuron(e);
        assert!(!e.reference().is_empty(), "{}: no reference", e.name());
        assert_eq!(
            e.drive().len(),
            e.ports().len(),
            "{}: DRIVE per port",
            e.name()
        );
        for f in e.param_fields() {
            assert!(
                !f.unit().is_empty(),
                "{}.{}: its doc gives no unit in [brackets]: {:?}",
                e.name(),
                f.name,
                f.doc
            );
        }
        if let Some(sub) = e.substep_param() {
            assert!(
                e.param_fields().iter().any(|f| f.name == sub),
                "{}: substep parameter `{sub}` does not exist",
                e.name()
            );
        }
        if let Some(m) = e.membrane() {
            assert!(e.state_names().contains(&m), "{}: membrane `{m}`", e.name());
        }
    }
}

#[test]
fn reset_restores_the_initial_state_and_the_random_stream() {
    for e in registry().iter() {
        let mut n = neuron(e);
        let initial = n.get_state();
        // A network neuron starts where the standalone one does (spawned through the
        // population path, not through `Standalone::new`).
        let sim = one_neuron_network(e);
        assert_eq!(
            sim.state(0),
            Some(initial.clone()),
            "{}: initial state",
            e.name()
        );
        let first: Vec<f64> = (0..300).map(|t| n.step_ports(&drive(e, t))).collect();
        let moved = n.get_state();
        n.reset();
        assert_eq!(n.get_state(), initial, "{}: reset", e.name());
        let again: Vec<f64> = (0..300).map(|t| n.step_ports(&drive(e, t))).collect();
        assert_eq!(
            first.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            again.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            "{}: outputs after reset differ",
            e.name()
        );
        assert_eq!(n.get_state(), moved, "{}: trajectory after reset", e.name());
    }
}

/// Where the model specs are: `$NEUROCORE_SPECS`, or the copy committed in `tests/data/specs`
/// (the project's specs, `shared/models/`, as of this commit), so a fresh clone tests alone.
fn spec_dir() -> std::path::PathBuf {
    match std::env::var_os("NEUROCORE_SPECS") {
        Some(p) => p.into(),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/specs"),
    }
}

/// The section of the specs that specifies `class`.
fn spec_section(class: &str) -> Option<String> {
    // Models added beyond the catalogue are specified under the SC-NeuroCore class they stand
    // in for (if_core_hardware.md §22b, §23b).
    let class = match class {
        "LIFNeuron" => "StochasticLIFNeuron",
        "IzhikevichNeuron" => "SCIzhikevichNeuron",
        c => c,
    };
    let dir = spec_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("model specs not found at {}: {e}", dir.display()));
    for f in entries.flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap_or_default();
        let head = format!(". `{class}`");
        if let Some(i) = text.find(&head) {
            let start = text[..i].rfind("\n## ").unwrap_or(0);
            let rest = &text[i..];
            let end = rest.find("\n## ").map_or(text.len(), |j| i + j);
            return Some(text[start..end].to_string());
        }
    }
    None
}

/// State variables a model adds beyond SC-NeuroCore's, each documented in the model's module
/// doc as a departure that follows the paper.
const ADDED_STATE: &[(&str, &str)] = &[
    ("RulkovMapNeuron", "x_prev"),
    ("ArcaneNeuron", "w_p0"),
    ("ArcaneNeuron", "w_p1"),
    ("ArcaneNeuron", "w_p2"),
    ("ArcaneNeuron", "spike_bits"),
    ("ArcaneNeuron", "nov_0"),
    ("ArcaneNeuron", "nov_1"),
    ("ArcaneNeuron", "nov_2"),
    ("ArcaneNeuron", "nov_3"),
    ("ArcaneNeuron", "nov_4"),
    ("ArcaneNeuron", "nov_5"),
    ("ArcaneNeuron", "nov_6"),
    ("ArcaneNeuron", "nov_7"),
    ("ArcaneNeuron", "nov_8"),
    ("ArcaneNeuron", "nov_9"),
    ("ArcaneNeuron", "nov_10"),
    ("ArcaneNeuron", "nov_11"),
    ("ArcaneNeuron", "nov_12"),
    ("ArcaneNeuron", "nov_13"),
    ("ArcaneNeuron", "nov_14"),
    ("ArcaneNeuron", "nov_15"),
    ("ArcaneNeuron", "nov_16"),
    ("ArcaneNeuron", "nov_17"),
    ("ArcaneNeuron", "nov_18"),
    ("ArcaneNeuron", "nov_19"),
    ("ArcaneNeuron", "nov_idx"),
    ("CompteWMNeuron", "ref_remaining"),
    ("EPropALIFNeuron", "z"),
    ("EPropALIFNeuron", "eps_v"),
    ("EPropALIFNeuron", "eps_a"),
    ("EPropALIFNeuron", "refractory"),
    ("SuperSpikeNeuron", "psp"),
    ("SuperSpikeNeuron", "rise"),
    ("InhibitoryLIFNeuron", "c"),
    ("InhibitoryLIFNeuron", "prev_xs"),
    ("DestexheThalamicNeuron", "m_na"),
    ("DestexheThalamicNeuron", "o1"),
    ("DestexheThalamicNeuron", "o2"),
    ("DestexheThalamicNeuron", "p1"),
    ("DestexheThalamicNeuron", "ca_i"),
    ("HuberBraunNeuron", "a_r"),
    ("GolombFSNeuron", "a"),
    ("GolombFSNeuron", "b"),
    ("PlantR15Neuron", "x"),
    ("GIFPopulationNeuron", "refractory"),
    ("MainenSejnowskiNeuron", "vd"),
    ("MainenSejnowskiNeuron", "m_d"),
    ("MainenSejnowskiNeuron", "h_d"),
    ("MainenSejnowskiNeuron", "m_ca"),
    ("MainenSejnowskiNeuron", "h_ca"),
    ("MainenSejnowskiNeuron", "n_kca"),
    ("MainenSejnowskiNeuron", "n_km"),
    ("MainenSejnowskiNeuron", "ca"),
    ("DurstewitzDopamineNeuron", "m_na"),
    ("DurstewitzDopamineNeuron", "m_nap"),
    ("DurstewitzDopamineNeuron", "h_nap"),
    ("DurstewitzDopamineNeuron", "a_ks"),
    ("DurstewitzDopamineNeuron", "b_ks"),
    ("YamadaNeuron", "m_na"),
    ("YamadaNeuron", "h_na"),
    ("YamadaNeuron", "y_k"),
    ("YamadaNeuron", "a_a"),
    ("YamadaNeuron", "b_a"),
    ("YamadaNeuron", "p_m"),
    ("YamadaNeuron", "m_ca"),
    ("YamadaNeuron", "c_kc"),
    ("YamadaNeuron", "ca"),
    ("RallCableNeuron", "v_1"),
    ("RallCableNeuron", "v_2"),
    ("RallCableNeuron", "v_3"),
    ("RallCableNeuron", "v_4"),
    ("StochasticIFNeuron", "refractory"),
    ("SpikeResponseNeuron", "h"),
    ("TsodyksMarkramNeuron", "y"),
    ("FractionalLIFNeuron", "refractory"),
    ("FractionalLIFNeuron", "mem0"),
    ("FractionalLIFNeuron", "mem1"),
    ("FractionalLIFNeuron", "mem2"),
    ("FractionalLIFNeuron", "mem3"),
    ("FractionalLIFNeuron", "mem4"),
    ("FractionalLIFNeuron", "mem5"),
    ("FractionalLIFNeuron", "mem6"),
    ("FractionalLIFNeuron", "mem7"),
    ("FractionalLIFNeuron", "mem8"),
    ("FractionalLIFNeuron", "mem9"),
    ("FractionalLIFNeuron", "mem10"),
    ("FractionalLIFNeuron", "mem11"),
    ("FractionalLIFNeuron", "mem_tail"),
    ("ParallelSpikingNeuron", "x1"),
    ("ParallelSpikingNeuron", "x2"),
    ("ParallelSpikingNeuron", "x3"),
    ("ParallelSpikingNeuron", "x4"),
    ("ParallelSpikingNeuron", "x5"),
    ("ParallelSpikingNeuron", "x6"),
    ("ParallelSpikingNeuron", "x7"),
    ("BoothRinzelNeuron", "m_n_s"),
    ("BoothRinzelNeuron", "h_n_s"),
    ("BoothRinzelNeuron", "m_n_d"),
    ("BoothRinzelNeuron", "h_n_d"),
    ("BoothRinzelNeuron", "m_l"),
    ("BoothRinzelNeuron", "ca_s"),
];

#[test]
fn state_names_are_stable_and_those_of_the_spec() {
    for e in registry().iter() {
        let mut n = neuron(e);
        let names = n.get_state().names;
        assert_eq!(names, e.state_names(), "{}", e.name());
        for t in 0..50 {
            n.step_ports(&drive(e, t));
        }
        assert_eq!(n.get_state().names, names, "{}: names changed", e.name());
        let section = spec_section(e.name())
            .unwrap_or_else(|| panic!("{}: no section in the model specs", e.name()));
        let named = named_in(&section);
        for v in names {
            if ADDED_STATE.contains(&(e.name(), v)) {
                continue;
            }
            assert!(
                named.contains(*v),
                "{}: state variable `{v}` is not named in its spec section",
                e.name()
            );
        }
    }
}

/// The identifiers a spec section names: words inside `backticks`, inside "double quotes",
/// and in the first column of its tables.
fn named_in(section: &str) -> std::collections::HashSet<String> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut out = std::collections::HashSet::new();
    for delim in ['`', '"'] {
        for (k, part) in section.split(delim).enumerate() {
            if k % 2 == 1 {
                out.extend(words(part));
            }
        }
    }
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').collect();
        if line.trim_start().starts_with('|') && cells.len() > 2 {
            out.extend(words(cells[1]));
        }
    }
    out
}

#[test]
fn no_nan_or_infinity_over_one_second_of_drive() {
    for e in registry().iter() {
        let mut n = neuron(e);
        for t in 0..one_second(e) {
            let out = n.step_ports(&drive(e, t));
            assert!(out.is_finite(), "{}: output {out} at step {t}", e.name());
            let s = n.get_state();
            if let Some((name, x)) = s.iter().find(|(_, x)| !x.is_finite()) {
                panic!("{}: {name} = {x} at step {t}", e.name());
            }
        }
    }
}

#[test]
fn refuses_non_finite_input_and_keeps_its_state() {
    for e in registry().iter() {
        let mut n = neuron(e);
        for t in 0..20 {
            n.step_ports(&drive(e, t));
        }
        let before = n.get_state();
        let mut bad = drive(e, 0);
        if bad.is_empty() {
            continue;
        }
        bad[0] = f64::NAN;
        assert!(
            n.try_step_ports(&bad).is_err(),
            "{}: NaN accepted",
            e.name()
        );
        assert_eq!(n.get_state(), before, "{}: state changed", e.name());
    }
}

/// A network of one neuron of `e` with default parameters.
fn one_neuron_network(e: &dyn ModelEntry) -> Simulation {
    Simulation::builder(&registry())
        .dt(0.1)
        .population(PopulationSpec::new("p", e.name(), 1))
        .build()
        .unwrap_or_else(|err| panic!("{}: network does not build: {err}", e.name()))
}

/// A recurrent network of 400 neurons of `e` with independent noise on port 0 (the other ports
/// held at their typical drive), run for 1000 steps of 0.1 ms; returns the recorded spikes and
/// the final states.
fn noisy_network(e: &dyn ModelEntry, threads: usize) -> (Vec<(u32, u64)>, Vec<Vec<u64>>) {
    let reg = registry();
    let d0 = e.drive()[0];
    let port = e.ports()[0];
    let mut b = Simulation::builder(&reg)
        .dt(0.1)
        .seed(99)
        .threads(threads)
        .population(PopulationSpec::new("p", e.name(), 400))
        .stimulus(
            StimulusSpec::new(
                Target::all("p"),
                StimulusKind::Noise {
                    mean: d0,
                    std: 0.3 * d0.abs() + 0.1,
                    tau: 2.0,
                },
            )
            .port(port),
        )
        .recorder(RecorderSpec::Spikes {
            target: Target::all("p"),
        });
    if e.output() != OutputKind::Value || e.timing() == Timing::Continuous {
        b = b.projection(
            ProjectionSpec::new("p", "p", Rule::PairwiseBernoulli { p: 0.05 })
                .port(port)
                .weight(0.02 * d0.abs() + 0.01)
                .delay(0.5),
        );
    }
    let mut sim = b.build().unwrap();
    for (port, &d) in e.ports().iter().zip(e.drive()).skip(1) {
        sim.set_port("p", port, d).unwrap();
    }
    sim.set_parallel_min(1);
    for _ in 0..1000 {
        sim.step();
    }
    let rec = &sim.recorders().spikes[0];
    let spikes = rec
        .ids
        .iter()
        .copied()
        .zip(rec.steps.iter().copied())
        .collect();
    let states = (0..400)
        .map(|i| {
            sim.state(i)
                .unwrap()
                .values
                .iter()
                .map(|x| x.to_bits())
                .collect()
        })
        .collect();
    (spikes, states)
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    for e in registry().iter() {
        let one = noisy_network(e, 1);
        let two = noisy_network(e, 2);
        if e.output() != OutputKind::Value {
            assert!(!one.0.is_empty(), "{}: silent in the network", e.name());
        }
        if !e.state_names().is_empty() {
            assert!(
                one.1.iter().any(|s| *s != one.1[0]),
                "{}: independent noise left every neuron in the same state",
                e.name()
            );
        }
        assert_eq!(
            one.0,
            two.0,
            "{}: spikes differ between 1 and 2 threads",
            e.name()
        );
        assert_eq!(
            one.1,
            two.1,
            "{}: states differ between 1 and 2 threads",
            e.name()
        );
    }
}

/// Whether the model draws random numbers (two seeds give different outputs).
fn is_stochastic(e: &dyn ModelEntry) -> bool {
    let run = |seed| {
        let mut n = neuron(e);
        n.set_seed(seed, 0);
        (0..2000)
            .map(|t| n.step_ports(&drive(e, t)).to_bits())
            .collect::<Vec<_>>()
    };
    run(1) != run(2)
}

/// First event time (or the trajectory of the first state variable sampled every unit of
/// time when the model never fires) with integration step `h` over `t_end`.
fn run_with_step(e: &dyn ModelEntry, h: f64, t_end: f64) -> (Option<f64>, Vec<f64>) {
    let mut params = no_params();
    if let Some(sub) = e.substep_param() {
        params.insert(sub.to_string(), ParamValue::Num(h));
    }
    let mut n = e.standalone(&params, Some(h)).unwrap();
    let steps = (t_end / h).round() as usize;
    let per_unit = (1.0 / h).round() as usize;
    let mut first = None;
    let mut traj = Vec::new();
    let d = e.drive().to_vec();
    for k in 0..steps {
        let out = n.step_ports(&d);
        if first.is_none() && e.output() != OutputKind::Value && out != 0.0 {
            first = Some((k + 1) as f64 * h);
        }
        if (k + 1) % per_unit == 0 {
            traj.push(n.get_state().values[0]);
        }
    }
    (first, traj)
}

#[test]
fn deterministic_continuous_models_converge_as_the_step_shrinks() {
    for e in registry().iter() {
        if e.timing() != Timing::Continuous || is_stochastic(e) {
            continue;
        }
        let h0 = match e.substep_param() {
            Some(sub) => e
                .default_params()
                .iter()
                .find(|(n, _)| *n == sub)
                .and_then(|(_, v)| v.parse::<f64>().ok())
                .unwrap(),
            None => e.default_span(),
        };
        let t_end = 200.0;
        let (f0, tr0) = run_with_step(e, h0, t_end);
        let (f1, tr1) = run_with_step(e, h0 / 4.0, t_end);
        let (fr, trr) = run_with_step(e, h0 / 32.0, t_end);
        match (f0, f1, fr) {
            (Some(a), Some(b), Some(r)) => {
                let (e0, e1) = ((a - r).abs(), (b - r).abs());
                assert!(
                    e1 <= (0.5 * e0).max(2.0 * h0 / 4.0) + 1e-9,
                    "{}: first spike at {a} (h {h0}), {b} (h/4), {r} (h/32): no convergence",
                    e.name()
                );
                assert!(e1 <= 0.05 * r + 2.0 * h0 / 4.0, "{}: {b} vs {r}", e.name());
            }
            (None, None, None) => {
                let err = |tr: &[f64]| {
                    tr.iter()
                        .zip(&trr)
                        .map(|(x, y)| (x - y).abs())
                        .fold(0.0, f64::max)
                };
                let scale = trr.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-12);
                let (e0, e1) = (err(&tr0), err(&tr1));
                assert!(
                    e1 <= (0.5 * e0).max(1e-9 * scale),
                    "{}: trajectory error {e0} at h {h0}, {e1} at h/4",
                    e.name()
                );
            }
            other => panic!("{}: firing depends on the step: {other:?}", e.name()),
        }
    }
}

#[test]
fn the_readme_table_lists_every_registered_model() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let begin = readme
        .find("<!-- catalogue-table:begin")
        .expect("README.md lacks the catalogue table");
    let end = readme[begin..]
        .find("<!-- catalogue-table:end")
        .map(|i| begin + i)
        .expect("README.md's catalogue table is not closed");
    let table = &readme[begin..end];
    let reg = registry();
    for e in reg.iter() {
        assert!(
            table.contains(&format!("| `{}` | ", e.name())),
            "README's catalogue table lacks {} (run python3 docs/gen_catalogue.py)",
            e.name()
        );
    }
    let rows = table.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows,
        reg.len(),
        "README's catalogue table has rows for unregistered models"
    );
}
