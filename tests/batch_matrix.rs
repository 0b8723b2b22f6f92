//! The network (ECS batch) path equals the standalone path bit for bit, for every registered
//! model, over a matrix of the conditions the batch path treats differently:
//!
//! - population sizes 1, 257 and 1,003 (one block, a block and a bit, several blocks and a
//!   partial one; the batch path works in blocks of 256);
//! - every value of each model's named-choice parameters (`[choice]` fields, e.g. `method`)
//!   and of its `[bool]` switches, one at a time, so each `update_block` fast path runs;
//! - shared parameters (the `update_block` path) and per-neuron parameters (one parameter given
//!   as a list: the per-neuron `update` path);
//! - port input that differs per neuron and per step, conductance input (Poisson events into an
//!   exponential conductance receptor) where the model takes it, and membrane jumps (two delta
//!   receptors, excitatory and inhibitory) where the model has a membrane potential;
//! - 1 thread, and 2 threads with parallel chunks forced on (`set_parallel_min(1)`).
//!
//! The independent side is the model's standalone type (`Standalone<M>`, what SC-NeuroCore's
//! `step()` is), one instance per neuron, fed with the inputs the network delivered to that
//! neuron in that step (read with the input probe of a third, serial network). Each step the
//! test compares every state variable's bits, the spikes and the emitted values.

use std::collections::BTreeMap;

use neurocore::engine::model::{Family, OutputKind, Timing};
use neurocore::engine::registry::{DynNeuron, ModelEntry};
use neurocore::engine::scene::{ParamValue, PopulationSpec, StimulusKind, StimulusSpec, Target};
use neurocore::engine::sim::Simulation;
use neurocore::engine::synapse::ReceptorKind;
use neurocore::registry;

const DT: f64 = 0.1;
const SEED: u64 = 11;
const STEPS: usize = 120;
const SIZES: [u32; 3] = [1, 257, 1003];

/// The drive of neuron `i` at step `t` on port `k`: the model's typical drive, modulated so
/// that inputs differ between neurons and change every step (integers stay integers for
/// iteration models whose drive is integral).
fn drive(e: &dyn ModelEntry, t: usize, i: usize, k: usize) -> f64 {
    let d = e.drive()[k];
    let m = 1.0 + 0.25 * ((t as f64) * 0.37 + (i as f64) * 1.3 + k as f64).sin();
    if e.timing() == Timing::Iteration && d.fract() == 0.0 {
        (d * m).round()
    } else {
        d * m
    }
}

/// The quoted names in a `[choice]` field's doc: the values it accepts.
fn choices(doc: &str) -> Vec<String> {
    doc.split('"')
        .enumerate()
        .filter(|(k, w)| k % 2 == 1 && !w.is_empty())
        .map(|(_, w)| w.to_string())
        .collect()
}

/// Parameter maps to test: the defaults, then every other value of each choice or switch
/// field (one field at a time) that the model accepts.
fn variants(e: &dyn ModelEntry) -> Vec<BTreeMap<String, ParamValue>> {
    let mut out = vec![BTreeMap::new()];
    let defaults: BTreeMap<&str, String> = e.default_params().into_iter().collect();
    for f in e.param_fields() {
        let default = defaults.get(f.name).cloned().unwrap_or_default();
        let values: Vec<ParamValue> = match (f.unit(), default.as_str()) {
            ("choice" | "bool", "true" | "false") => {
                vec![ParamValue::Bool(true), ParamValue::Bool(false)]
            }
            // Integer-coded choices (e.g. TrueNorth's reset mode): the small codes it accepts.
            ("choice", d) if d.parse::<u32>().is_ok() => {
                (0..4).map(|c| ParamValue::Num(c as f64)).collect()
            }
            ("choice", _) => choices(f.doc).into_iter().map(ParamValue::Text).collect(),
            _ => continue,
        };
        for v in values {
            let same = match &v {
                ParamValue::Text(s) => *s == default,
                ParamValue::Bool(b) => b.to_string() == default,
                ParamValue::Num(x) => x.to_string() == default,
                _ => false,
            };
            if same {
                continue;
            }
            let mut p = BTreeMap::new();
            p.insert(f.name.to_string(), v);
            if e.standalone(&p, Some(DT)).is_ok() {
                out.push(p);
            }
        }
    }
    out
}

/// Parameters that set the time step: never varied per neuron.
fn is_step_param(e: &dyn ModelEntry, name: &str) -> bool {
    ["dt", "dt_ms", "span", "substep"].contains(&name) || e.substep_param() == Some(name)
}

/// Ways to vary a parameter of default `default` per neuron (neuron `i`): a small relative
/// spread; an integer step (integer parameters); a small positive value (zero defaults that
/// must stay non-negative).
fn per_neuron_patterns(default: f64) -> Vec<Box<dyn Fn(usize) -> f64>> {
    let s = |i: usize| (i % 5) as f64 - 2.0;
    let mut v: Vec<Box<dyn Fn(usize) -> f64>> = Vec::new();
    if default != 0.0 {
        v.push(Box::new(move |i| default * (1.0 + 2e-3 * s(i))));
    } else {
        v.push(Box::new(move |i| 1e-3 * s(i)));
        v.push(Box::new(move |i| 1e-3 * (i % 5) as f64));
    }
    if default.fract() == 0.0 {
        v.push(Box::new(move |i| default + (i % 3) as f64));
    }
    v
}

/// What the network of one configuration contains beyond its ports.
#[derive(Clone, Copy)]
struct Syn {
    conductance: bool,
    jump: bool,
}

/// The value of the membrane potential in the model's default state (for receptor scales).
fn membrane_scale(e: &dyn ModelEntry) -> f64 {
    e.membrane()
        .and_then(|m| e.default_state().get(m))
        .unwrap_or(0.0)
}

/// A network of `n` neurons of `e` with `params` (plus `per_neuron`, one value per neuron),
/// an external stimulus per port, and the synaptic inputs of `syn`.
fn network(
    e: &dyn ModelEntry,
    n: u32,
    params: &BTreeMap<String, ParamValue>,
    per_neuron: Option<(&str, &[f64])>,
    syn: Syn,
    threads: usize,
) -> Result<Simulation, String> {
    let reg = registry();
    let mut pop = PopulationSpec::new("p", e.name(), n);
    for (k, v) in params {
        pop = pop.param(k.clone(), v.clone());
    }
    if let Some((name, vals)) = per_neuron {
        pop = pop.param(name, ParamValue::List(vals.to_vec()));
    }
    let v0 = membrane_scale(e);
    let mv = v0.abs() > 5.0;
    if syn.conductance {
        let e_rev = if mv { v0 + 40.0 } else { v0 + 1.0 };
        pop = pop.receptor("g", ReceptorKind::ExpConductance { tau: 2.0, e_rev });
    }
    if syn.jump {
        pop = pop
            .receptor("up", ReceptorKind::Delta)
            .receptor("down", ReceptorKind::Delta);
    }
    let mut b = Simulation::builder(&reg)
        .dt(DT)
        .seed(SEED)
        .threads(threads)
        .population(pop);
    for (k, port) in e.ports().iter().enumerate() {
        b = b.stimulus(
            StimulusSpec::new(Target::all("p"), StimulusKind::External { initial: 0.0 })
                .named(format!("in{k}"))
                .port(*port),
        );
    }
    let d0 = e.drive().first().copied().unwrap_or(1.0).abs();
    if syn.conductance {
        let w = 0.2 * d0 / 40.0 + 1e-3;
        b = b.stimulus(
            StimulusSpec::new(
                Target::all("p"),
                StimulusKind::Poisson {
                    rate: 500.0,
                    weight: w,
                },
            )
            .receptor("g"),
        );
    }
    if syn.jump {
        let w = if mv { 0.5 } else { 0.02 };
        for (r, sign, rate) in [("up", 1.0, 300.0), ("down", -1.0, 200.0)] {
            b = b.stimulus(
                StimulusSpec::new(
                    Target::all("p"),
                    StimulusKind::Poisson {
                        rate,
                        weight: sign * w,
                    },
                )
                .receptor(r),
            );
        }
    }
    b.build().map_err(|err| err.to_string())
}

/// The bits of neuron `i`'s state in `sim`.
fn bits_of(sim: &Simulation, i: u32) -> Vec<u64> {
    sim.state(i)
        .map(|s| s.values.iter().map(|x| x.to_bits()).collect())
        .unwrap_or_default()
}

/// One cell of the matrix: run the probed serial network, the plain 1-thread network and the
/// forced-parallel 2-thread network side by side with `n` standalone neurons.
fn run_cell(
    e: &dyn ModelEntry,
    n: u32,
    params: &BTreeMap<String, ParamValue>,
    per_neuron: Option<(&str, Vec<f64>)>,
    syn: Syn,
) {
    let label = format!(
        "{} n={n} params={params:?} per-neuron={:?} conductance={} jump={}",
        e.name(),
        per_neuron.as_ref().map(|(p, _)| *p),
        syn.conductance,
        syn.jump
    );
    let pn = per_neuron.as_ref().map(|(p, v)| (*p, &v[..]));
    let build = |threads| {
        network(e, n, params, pn, syn, threads)
            .unwrap_or_else(|err| panic!("{label}: network does not build: {err}"))
    };
    let mut probed = build(1);
    probed.probe_inputs(true);
    let mut serial = build(1);
    let mut parallel = build(2);
    parallel.set_parallel_min(1);
    let mut alone: Vec<Box<dyn DynNeuron>> = (0..n as usize)
        .map(|i| {
            let mut p = params.clone();
            if let Some((name, vals)) = &per_neuron {
                p.insert(name.to_string(), ParamValue::Num(vals[i]));
            }
            let mut s = e
                .standalone(&p, Some(DT))
                .unwrap_or_else(|err| panic!("{label}: standalone {i}: {err}"));
            s.set_seed(SEED, i as u32);
            s
        })
        .collect();
    let np = e.ports().len();
    let synaptic = syn.conductance || syn.jump;
    for t in 0..STEPS {
        for k in 0..np {
            let vals: Vec<f64> = (0..n as usize).map(|i| drive(e, t, i, k)).collect();
            for sim in [&mut probed, &mut serial, &mut parallel] {
                sim.set_external(&format!("in{k}"), &vals)
                    .unwrap_or_else(|err| panic!("{label}: {err}"));
            }
        }
        probed.step();
        serial.step();
        parallel.step();
        let ports: Vec<Vec<f64>> = e
            .ports()
            .iter()
            .map(|p| {
                probed
                    .port_values("p", p)
                    .unwrap_or_else(|| panic!("{label}: no probe of port {p}"))
                    .to_vec()
            })
            .collect();
        let g = probed
            .conductance_input("p")
            .map(|(g, ge)| (g.to_vec(), ge.to_vec()));
        let jump = probed.jump_input("p").map(<[f64]>::to_vec);
        assert_eq!(g.is_some(), syn.conductance, "{label}: conductance probe");
        assert_eq!(jump.is_some(), syn.jump, "{label}: jump probe");
        let spikes = [
            probed.spikes().to_vec(),
            serial.spikes().to_vec(),
            parallel.spikes().to_vec(),
        ];
        for (i, s) in alone.iter_mut().enumerate() {
            let x: Vec<f64> = ports.iter().map(|p| p[i]).collect();
            let out = if synaptic {
                let (gi, gei) = g.as_ref().map_or((0.0, 0.0), |(g, ge)| (g[i], ge[i]));
                let ji = jump.as_ref().map_or(0.0, |j| j[i]);
                s.step_synaptic(&x, gi, gei, ji)
            } else {
                s.step_ports(&x)
            };
            let own: Vec<u64> = s.get_state().values.iter().map(|v| v.to_bits()).collect();
            for (which, sim) in [
                ("probed", &probed),
                ("1 thread", &serial),
                ("2 threads", &parallel),
            ] {
                let net = bits_of(sim, i as u32);
                if net != own {
                    panic!(
                        "{label}: {which}: neuron {i} differs from its standalone twin at step {t}: \
                         {:?} vs {:?}",
                        sim.state(i as u32),
                        s.get_state()
                    );
                }
            }
            match e.output() {
                OutputKind::Value => {
                    for (which, sim) in [
                        ("probed", &probed),
                        ("1 thread", &serial),
                        ("2 threads", &parallel),
                    ] {
                        let v = sim.values("p").map(|v| v[i]).unwrap_or(f64::NAN);
                        assert_eq!(
                            v.to_bits(),
                            out.to_bits(),
                            "{label}: {which}: value of {i} at {t}"
                        );
                    }
                }
                _ => {
                    for (which, sp) in ["probed", "1 thread", "2 threads"].iter().zip(&spikes) {
                        let fired = sp.contains(&(i as u32));
                        assert_eq!(
                            fired,
                            out != 0.0,
                            "{label}: {which}: spike of {i} at step {t}"
                        );
                    }
                }
            }
        }
    }
}

/// A numeric parameter that can differ per neuron: the first one (with the first pattern of
/// values) that the model accepts. `Err` lists the candidates tried when none was accepted;
/// `Ok(None)` when the model has no numeric parameter besides its time step.
type PerNeuron = Option<(&'static str, Vec<f64>)>;
fn per_neuron_param(e: &dyn ModelEntry, n: u32) -> Result<PerNeuron, Vec<&'static str>> {
    let defaults: BTreeMap<&str, String> = e.default_params().into_iter().collect();
    let mut tried = Vec::new();
    for f in e.param_fields() {
        if matches!(f.unit(), "choice" | "bool") || is_step_param(e, f.name) {
            continue;
        }
        let Some(d) = defaults.get(f.name).and_then(|s| s.parse::<f64>().ok()) else {
            continue;
        };
        tried.push(f.name);
        for pattern in per_neuron_patterns(d) {
            let vals: Vec<f64> = (0..n as usize).map(&pattern).collect();
            let ok = vals.iter().all(|&v| {
                let mut p = BTreeMap::new();
                p.insert(f.name.to_string(), ParamValue::Num(v));
                e.standalone(&p, Some(DT)).is_ok()
            }) && network(
                e,
                n,
                &BTreeMap::new(),
                Some((f.name, &vals)),
                Syn {
                    conductance: false,
                    jump: false,
                },
                1,
            )
            .is_ok();
            if ok {
                return Ok(Some((f.name, vals)));
            }
        }
    }
    if tried.is_empty() {
        Ok(None)
    } else {
        Err(tried)
    }
}

/// The whole matrix for every registered model of `family`.
fn matrix(family: Family) {
    let reg = registry();
    let mut cells = 0;
    for e in reg.iter().filter(|e| e.family() == family) {
        let syn = Syn {
            conductance: e.conductance_input(),
            jump: e.membrane().is_some(),
        };
        let plain = Syn {
            conductance: false,
            jump: false,
        };
        for params in variants(e) {
            for n in SIZES {
                // Port input alone (the path without synaptic channels) ...
                run_cell(e, n, &params, None, plain);
                // ... and with every synaptic input the model takes.
                if syn.conductance || syn.jump {
                    run_cell(e, n, &params, None, syn);
                }
                cells += 1;
            }
        }
        // Per-neuron parameters (the per-neuron `update` path), at the default variant.
        let n = SIZES[1];
        match per_neuron_param(e, n) {
            Ok(Some(pn)) => {
                run_cell(e, n, &BTreeMap::new(), Some(pn), syn);
                cells += 1;
            }
            // Only a time-step parameter: nothing to vary per neuron.
            Ok(None) => {}
            Err(tried) => panic!(
                "{}: no parameter accepts per-neuron values (tried {tried:?})",
                e.name()
            ),
        }
    }
    assert!(cells > 0, "no model of family {family:?} is registered");
}

#[test]
fn integrate_and_fire() {
    matrix(Family::IntegrateFire);
}

#[test]
fn simple_spiking() {
    matrix(Family::Spiking);
}

#[test]
fn maps() {
    matrix(Family::Maps);
}

#[test]
fn conductance_based() {
    matrix(Family::Conductance);
}

#[test]
fn multi_compartment() {
    matrix(Family::Compartmental);
}

#[test]
fn stochastic() {
    matrix(Family::Stochastic);
}

#[test]
fn rate_and_neural_mass() {
    matrix(Family::Rate);
}

#[test]
fn chip_emulators() {
    matrix(Family::Hardware);
}

#[test]
fn ai_oriented() {
    matrix(Family::Ai);
}
