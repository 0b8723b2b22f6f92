//! Synaptic plasticity (issue 16): STDP, Tsodyks-Markram short-term plasticity and
//! Vogels-Sprekeler inhibitory plasticity, checked against closed forms and against NEST 3.10's
//! own weight trajectories (`tests/data/plasticity/nest_reference.json`, written by
//! `benches/plasticity/nest_reference.py`).

use neurocore::engine::scene::{
    PopulationSpec, ProjectionSpec, Rule, StimulusKind, StimulusSpec, StpSpec, SynapseSpec, Target,
};
use neurocore::engine::sim::{SimBuilder, Simulation};
use neurocore::engine::synapse::ReceptorKind;
use neurocore::registry;
use serde_json::Value as Json;

const DT: f64 = 0.1;

/// One LIF neuron that fires exactly in the steps it is kicked (refractory 0) and whose
/// threshold (10⁶ mV above rest) no plastic input can reach.
fn spiker(name: &str) -> PopulationSpec {
    PopulationSpec::new(name, "LIFNeuron", 1)
        .param("v_rest", 0.0)
        .param("v_reset", 0.0)
        .param("v_threshold", 1e6)
        .param("refractory_period", 0.0)
        .init("v", 0.0)
        .receptor("kick", ReceptorKind::Delta)
        .receptor("syn", ReceptorKind::Delta)
}

/// Kicks making `pop` fire in the given steps.
fn fire_in(pop: &str, steps: &[u64]) -> StimulusSpec {
    StimulusSpec::new(
        Target::all(pop),
        StimulusKind::SpikeTimes {
            times: steps.iter().map(|&s| s as f64 * DT).collect(),
            weight: 1e7,
        },
    )
    .receptor("kick")
}

fn builder(reg: &neurocore::engine::registry::Registry) -> SimBuilder<'_> {
    Simulation::builder(reg).dt(DT).seed(1)
}

/// A pre → post network with one plastic synapse of weight `w0` and delay `delay` ms; the
/// neurons fire in the given steps. The post neuron is `post`; with `probe` the synapse ends
/// on a separate neuron that never fires (for short-term plasticity, to read its events).
fn pair_net(
    synapse: SynapseSpec,
    w0: f64,
    delay: f64,
    pre: &[u64],
    post: &[u64],
    probe: bool,
) -> Simulation {
    let reg = registry();
    let tgt = if probe { "probe" } else { "post" };
    let mut b = builder(&reg)
        .population(spiker("pre"))
        .population(spiker("post"))
        .population(spiker("probe"))
        .projection(
            ProjectionSpec::new("pre", tgt, Rule::AllToAll)
                .named("p")
                .receptor("syn")
                .weight(w0)
                .delay(delay)
                .synapse(synapse),
        )
        .stimulus(fire_in("pre", pre));
    if !post.is_empty() {
        b = b.stimulus(fire_in("post", post));
    }
    b.build().expect("the test network builds")
}

/// Spike stamps (step + 1) of neuron id `id` over `steps` steps, with `each` called after
/// every step.
fn run(sim: &mut Simulation, steps: u64, mut each: impl FnMut(u64, &Simulation)) {
    for s in 0..steps {
        sim.step();
        each(s, sim);
    }
}

fn stdp(mu: f64, w_max: f64) -> SynapseSpec {
    SynapseSpec::Stdp {
        tau_plus: 16.8,
        tau_minus: 33.7,
        lambda: 0.05,
        alpha: 1.2,
        mu_plus: mu,
        mu_minus: mu,
        w_max,
        stp: None,
    }
}

/// One pair at interval Δ = t_post + d − t_pre: the weight afterwards is the closed form of pair
/// STDP (e.g. Morrison, Diesmann &
/// Gerstner 2008, Biol Cybern 98:459, Eqs. 2–5 with the weight dependences of their Sec. 3):
/// Δ > 0: additive `+λ W e^(−Δ/τ₊)`, multiplicative `+λ (W − w) e^(−Δ/τ₊)`;
/// Δ < 0: additive `−αλ W e^(Δ/τ₋)`, multiplicative `−αλ w e^(Δ/τ₋)`.
#[test]
fn a_single_pair_changes_the_weight_by_the_closed_form() {
    let (tau_p, tau_m, lambda, alpha, w_max, w0) = (16.8, 33.7, 0.05, 1.2, 10.0, 4.0);
    for &mu in &[0.0, 1.0] {
        for &(delay, pre_step, post_step) in &[
            (1.0, 100u64, 130u64), // post after pre: Δ = 3.0 + 1.0 ms
            (1.0, 300, 250),       // post before pre: Δ = -5.0 + 1.0 ms
            (2.5, 100, 60),        // Δ = -4.0 + 2.5 ms
            (2.5, 100, 90),        // Δ = -1.0 + 2.5 ms > 0 thanks to the dendritic delay
            (0.5, 100, 95),        // Δ = 0: no change (NEST's convention)
        ] {
            let mut sim = pair_net(stdp(mu, w_max), w0, delay, &[pre_step], &[post_step], false);
            let mut seen = (None, None);
            run(&mut sim, 400, |s, sim| {
                if sim.spikes().contains(&0) {
                    seen.0 = Some(s);
                }
                if sim.spikes().contains(&1) {
                    seen.1 = Some(s);
                }
            });
            assert_eq!(seen, (Some(pre_step), Some(post_step)), "spike steps");
            let dd = (delay / DT).round();
            let delta = (post_step as f64 + dd - pre_step as f64) * DT;
            let expect = if delta > 0.0 {
                let f = lambda * (-delta / tau_p).exp();
                if mu == 0.0 {
                    w0 + f * w_max
                } else {
                    w0 + f * (w_max - w0)
                }
            } else if delta < 0.0 {
                let f = alpha * lambda * (delta / tau_m).exp();
                if mu == 0.0 {
                    w0 - f * w_max
                } else {
                    w0 - f * w0
                }
            } else {
                w0
            };
            let got = sim.weights("p").expect("projection p")[0];
            assert!(
                (got - expect).abs() <= 1e-12 * expect.abs(),
                "mu {mu}, delay {delay}, pre {pre_step}, post {post_step}: got {got}, closed form {expect}"
            );
        }
    }
}

/// Additive STDP clips at 0 and W (the hard bounds of Song, Miller & Abbott 2000).
#[test]
fn additive_weights_stop_at_their_bounds() {
    // Twenty post-after-pre pairs at +1 ms with λ = 0.2 would add 20·0.2·W·e^(−1/16.8) ≫ W.
    let pre: Vec<u64> = (0..20).map(|i| 100 + 500 * i).collect();
    let post: Vec<u64> = pre.iter().map(|s| s + 9).collect(); // Δ = 0.9 + 0.1 ms
    let syn = SynapseSpec::Stdp {
        tau_plus: 16.8,
        tau_minus: 33.7,
        lambda: 0.2,
        alpha: 1.0,
        mu_plus: 0.0,
        mu_minus: 0.0,
        w_max: 10.0,
        stp: None,
    };
    let mut sim = pair_net(syn.clone(), 5.0, 0.1, &pre, &post, false);
    run(&mut sim, 10_200, |_, _| {});
    assert_eq!(sim.weights("p").expect("p")[0], 10.0);
    // The mirror image (post 1 ms before pre) drives it to exactly 0.
    let post: Vec<u64> = pre.iter().map(|s| s - 11).collect(); // Δ = −1.1 + 0.1 ms
    let mut sim = pair_net(syn, 5.0, 0.1, &pre, &post, false);
    run(&mut sim, 10_200, |_, _| {});
    assert_eq!(sim.weights("p").expect("p")[0], 0.0);
}

/// Short-term plasticity on a regular train of period T: the events follow the recursion of
/// Tsodyks, Uziel & Markram (2000) / Markram et al. (1998), `u₁ = U`, `x₁ = 1`,
/// `u_{n+1} = U + u_n (1 − U) e^(−T/τ_fac)`, `x_{n+1} = 1 − (1 − x_n + u_n x_n) e^(−T/τ_rec)`, and
/// approach its closed-form fixed point `u* = U / (1 − (1 − U) e^(−T/τ_fac))`,
/// `x* = (1 − e^(−T/τ_rec)) / (1 − (1 − u*) e^(−T/τ_rec))`.
#[test]
fn tsodyks_markram_events_follow_the_recursion_and_its_fixed_point() {
    let t_ms = 20.0;
    for &(big_u, tau_rec, tau_fac, grows) in &[
        (0.5, 800.0, 0.0, false), // depressing (Tsodyks & Markram 1997's cortical synapse)
        (0.03, 100.0, 1000.0, true), // facilitating (Markram et al. 1998's E→I set)
    ] {
        let n = 250;
        let pre: Vec<u64> = (0..n).map(|i| 50 + i * (t_ms / DT) as u64).collect();
        let syn = SynapseSpec::TsodyksMarkram {
            big_u,
            tau_rec,
            tau_fac,
            u0: None,
            x0: 1.0,
        };
        let w = 3.0;
        let mut sim = pair_net(syn, w, 1.0, &pre, &[], true);
        sim.probe_inputs(true);
        let mut events = Vec::new();
        let last = *pre.last().expect("train") + 20;
        run(&mut sim, last, |_, sim| {
            let x = sim.jump_input("probe").expect("probe")[0];
            if x != 0.0 {
                events.push(x);
            }
        });
        assert_eq!(events.len(), n as usize);
        let (ed, ef) = ((-t_ms / tau_rec).exp(), (-t_ms / tau_fac).exp());
        let (mut u, mut x) = (big_u, 1.0);
        for (i, &e) in events.iter().enumerate() {
            let want = w * u * x;
            assert!((e - want).abs() <= 1e-12 * want, "{i}: {e} vs {want}");
            let un = big_u + u * (1.0 - big_u) * ef;
            x = 1.0 - (1.0 - x + u * x) * ed;
            u = un;
        }
        let us = big_u / (1.0 - (1.0 - big_u) * ef);
        let xs = (1.0 - ed) / (1.0 - (1.0 - us) * ed);
        let last_ev = *events.last().expect("events");
        assert!(
            (last_ev - w * us * xs).abs() < 1e-3 * w * us * xs,
            "steady state {last_ev} vs {}",
            w * us * xs
        );
        assert_eq!(last_ev > events[0], grows);
    }
}

fn num(v: &Json, k: &str) -> f64 {
    v[k].as_f64()
        .unwrap_or_else(|| panic!("reference field {k} is not a number"))
}

/// The spec of a reference case, from NEST's parameter names.
fn spec_of(case: &Json) -> SynapseSpec {
    let p = &case["params"];
    match case["nest_model"].as_str().expect("nest_model") {
        "stdp_synapse" => SynapseSpec::Stdp {
            tau_plus: num(p, "tau_plus"),
            tau_minus: num(case, "tau_minus"),
            lambda: num(p, "lambda_"),
            alpha: num(p, "alpha"),
            mu_plus: num(p, "mu_plus"),
            mu_minus: num(p, "mu_minus"),
            w_max: num(p, "Wmax"),
            stp: None,
        },
        "tsodyks2_synapse" => SynapseSpec::TsodyksMarkram {
            big_u: num(p, "U"),
            tau_rec: num(p, "tau_rec"),
            tau_fac: num(p, "tau_fac"),
            u0: Some(num(p, "u")),
            x0: num(p, "x"),
        },
        "vogels_sprekeler_synapse" => SynapseSpec::VogelsSprekeler {
            tau: num(p, "tau"),
            eta: num(p, "eta"),
            alpha: num(p, "alpha"),
            w_max: num(p, "Wmax"),
            stp: None,
        },
        m => panic!("unknown reference model {m}"),
    }
}

/// NEST 3.10's `stdp_synapse` (additive, multiplicative, Gütig, mixed; delays 0.1–5 ms),
/// `tsodyks2_synapse` (depressing, facilitating) and `vogels_sprekeler_synapse`, driven by the
/// same presynaptic and postsynaptic trains: every event's weight agrees within 1e-9 relative.
#[test]
fn weights_match_nest_event_by_event() {
    let text = include_str!("data/plasticity/nest_reference.json");
    let doc: Json = serde_json::from_str(text).expect("reference JSON");
    assert_eq!(num(&doc, "dt"), DT);
    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 7);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let stamps = |k: &str| -> Vec<u64> {
            case[k]
                .as_array()
                .expect("stamps")
                .iter()
                .map(|x| x.as_u64().expect("stamp"))
                .collect()
        };
        // A NEST stamp S is the end of our step S − 1.
        let pre: Vec<u64> = stamps("pre").iter().map(|s| s - 1).collect();
        let post: Vec<u64> = stamps("post").iter().map(|s| s - 1).collect();
        let stp_only = case["nest_model"] == "tsodyks2_synapse";
        let w0 = num(case, "weight");
        let delay = num(case, "delay_ms");
        let d_steps = (delay / DT).round() as u64;
        let mut sim = pair_net(spec_of(case), w0, delay, &pre, &post, stp_only);
        sim.probe_inputs(true);
        let events: Vec<(u64, f64)> = case["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| (e[0].as_u64().expect("t"), e[1].as_f64().expect("w")))
            .collect();
        assert_eq!(
            events.len(),
            pre.len(),
            "{name}: one event per presynaptic spike"
        );
        let last = pre.iter().chain(&post).copied().max().unwrap_or(0) + d_steps + 2;
        let mut got: Vec<(u64, f64)> = Vec::new();
        let mut fired = (Vec::new(), Vec::new());
        run(&mut sim, last, |s, sim| {
            if sim.spikes().contains(&0) {
                fired.0.push(s);
                if !stp_only {
                    got.push((s + 1, sim.weights("p").expect("p")[0]));
                }
            }
            if sim.spikes().contains(&1) {
                fired.1.push(s);
            }
            if stp_only {
                let x = sim.jump_input("probe").expect("probe")[0];
                if x != 0.0 {
                    // Arrived d steps after the spike of stamp s + 1 − d.
                    got.push((s + 1 - d_steps, x));
                }
            }
        });
        assert_eq!(fired.0, pre, "{name}: presynaptic train");
        assert_eq!(fired.1, post, "{name}: postsynaptic train");
        assert_eq!(got.len(), events.len(), "{name}");
        for (i, ((ts, w), (nt, nw))) in got.iter().zip(&events).enumerate() {
            assert_eq!(ts, nt, "{name}: event {i} time");
            assert!(
                (w - nw).abs() <= 1e-9 * nw.abs().max(1e-300),
                "{name}: event {i} at stamp {nt}: {w} vs NEST {nw}"
            );
        }
    }
}

/// STDP and short-term plasticity on one projection: each event carries the STDP weight times
/// the Tsodyks-Markram factor `u x` (with the pair rule of the first test and the recursion of
/// the third, each computed here on its own).
#[test]
fn stdp_and_short_term_plasticity_combine() {
    let (tau_p, lambda, w_max, w0) = (16.8, 0.05, 10.0, 4.0);
    let stp = StpSpec {
        big_u: 0.4,
        tau_rec: 300.0,
        tau_fac: 0.0,
        u0: None,
        x0: 1.0,
    };
    let syn = SynapseSpec::Stdp {
        tau_plus: tau_p,
        tau_minus: 33.7,
        lambda,
        alpha: 1.0,
        mu_plus: 0.0,
        mu_minus: 0.0,
        w_max,
        stp: Some(stp),
    };
    // Pre at steps 100 and 300; post at 120.
    let reg = registry();
    let mut sim = builder(&reg)
        .population(spiker("pre"))
        .population(spiker("post"))
        .projection(
            ProjectionSpec::new("pre", "post", Rule::AllToAll)
                .named("p")
                .receptor("syn")
                .weight(w0)
                .delay(0.1)
                .synapse(syn),
        )
        .stimulus(fire_in("pre", &[100, 300]))
        .stimulus(fire_in("post", &[120]))
        .build()
        .expect("builds");
    sim.probe_inputs(true);
    let mut ev = Vec::new();
    run(&mut sim, 310, |s, sim| {
        // The post neuron's kicks (10⁷) dwarf the synaptic jumps: take only small inputs.
        let x = sim.jump_input("post").expect("post")[0];
        if x != 0.0 && x.abs() < 1e3 {
            ev.push((s, x));
        }
    });
    // Facilitation by the post spike 2.1 ms after the first pre spike, then depression at the
    // second pre spike, 17.9 ms after the post spike met the synapse (α = 1, τ₋ = 33.7 ms).
    let w1 = w0 + lambda * w_max * (-(2.0 + 0.1) / tau_p).exp();
    let w2 = w1 - lambda * w_max * (-17.9 / 33.7f64).exp();
    let x2 = 1.0 - 0.4 * (-(200.0 * DT) / 300.0).exp();
    assert_eq!(ev.len(), 2);
    assert!((ev[0].1 - w0 * 0.4).abs() < 1e-12);
    assert!((ev[1].1 - w2 * 0.4 * x2).abs() < 1e-12 * w2, "{:?}", ev);
}

/// Bad synapse parameters are refused before the run with the field named.
#[test]
fn bad_synapse_parameters_are_refused_with_their_field() {
    let reg = registry();
    let cases: Vec<(SynapseSpec, f64, &str)> = vec![
        (
            SynapseSpec::Stdp {
                tau_plus: -1.0,
                tau_minus: 20.0,
                lambda: 0.01,
                alpha: 1.0,
                mu_plus: 0.0,
                mu_minus: 0.0,
                w_max: 10.0,
                stp: None,
            },
            1.0,
            "projections[0].synapse.tau_plus",
        ),
        (stdp(0.0, 10.0), 11.0, "projections[0].synapse.w_max"),
        (stdp(0.0, 10.0), -1.0, "projections[0].synapse.w_max"),
        (
            SynapseSpec::TsodyksMarkram {
                big_u: 1.5,
                tau_rec: 100.0,
                tau_fac: 0.0,
                u0: None,
                x0: 1.0,
            },
            1.0,
            "projections[0].synapse.U",
        ),
        (
            SynapseSpec::Stdp {
                tau_plus: 20.0,
                tau_minus: 20.0,
                lambda: 0.01,
                alpha: 1.0,
                mu_plus: 1.0,
                mu_minus: 1.0,
                w_max: 10.0,
                stp: Some(StpSpec {
                    tau_rec: 0.0,
                    ..StpSpec::default()
                }),
            },
            1.0,
            "projections[0].synapse.stp.tau_rec",
        ),
    ];
    for (syn, w, path) in cases {
        let e = builder(&reg)
            .population(spiker("a"))
            .projection(
                ProjectionSpec::new("a", "a", Rule::AllToAll)
                    .receptor("syn")
                    .weight(w)
                    .autapses(true)
                    .synapse(syn),
            )
            .build()
            .err()
            .expect("refused");
        assert_eq!(e.path, path, "{e}");
    }
}

/// Song, Miller & Abbott (2000) Nat Neurosci 3:919, Fig. 1b: 1000 Poisson inputs onto one
/// conductance-based integrate-and-fire neuron with additive STDP split into a bimodal weight
/// distribution, most weights near 0 or near g_max (`scenes/song_2000_stdp.ron`, 1000 s).
#[test]
fn song_2000_weights_become_bimodal() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/song_2000_stdp.ron");
    let l = neurocore::engine::scene::load::load(&path).expect("scene loads");
    let reg = registry();
    let mut sim = l.build(&reg).expect("builds");
    sim.run_scene();
    let w = sim.weights("stdp").expect("projection stdp");
    let g_max = 0.1875;
    let frac = |lo: f64, hi: f64| {
        w.iter()
            .filter(|&&x| x >= lo * g_max && x <= hi * g_max)
            .count() as f64
            / w.len() as f64
    };
    let (low, mid, high) = (frac(0.0, 0.1), frac(0.2, 0.8), frac(0.9, 1.0));
    // The initial uniform distribution has 0.1, 0.6, 0.1.
    assert!(low > 0.2 && high > 0.2, "low {low}, high {high}");
    assert!(mid < 0.35, "middle {mid}");
}

/// Plastic weights are the same bits at any thread count, and a run saved halfway and resumed
/// (1 or 2 threads) ends with the weights of a straight run: the checkpoint holds the weights,
/// traces, the postsynaptic archive and the spikes still on their way to the synapses.
#[test]
fn plastic_weights_resume_and_do_not_depend_on_threads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/song_2000_stdp.ron");
    let l = neurocore::engine::scene::load::load(&path).expect("scene loads");
    let reg = registry();
    let bits = |s: &Simulation| -> Vec<u64> {
        s.weights("stdp")
            .expect("stdp")
            .iter()
            .map(|w| w.to_bits())
            .collect()
    };
    let fresh = bits(&l.build(&reg).expect("builds"));
    let mut whole = l.build(&reg).expect("builds");
    whole.run(3000.0);
    let want = bits(&whole);
    let changed = want.iter().zip(&fresh).filter(|(a, b)| a != b).count();
    assert!(changed > 900, "only {changed} weights changed in 3 s");
    let mut first = l.build(&reg).expect("builds");
    first.run(1500.0);
    let dir = std::env::temp_dir().join(format!("nc-plastic-{}", std::process::id()));
    first.save(&dir).expect("saves");
    for threads in [1usize, 2] {
        let mut scene = l.scene.clone();
        scene.threads = threads;
        let mut par = Simulation::from_scene(&scene, &reg).expect("builds");
        par.set_parallel_min(1);
        par.run(3000.0);
        assert!(bits(&par) == want, "{threads} threads: weights differ");
        let mut resumed = Simulation::load(&scene, &reg, &dir).expect("loads");
        resumed.set_parallel_min(1);
        resumed.run(1500.0);
        assert!(
            bits(&resumed) == want,
            "resumed at {threads} threads: weights differ"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
