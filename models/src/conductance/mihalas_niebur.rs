//! `MihalasNieburNeuron` — the generalized linear integrate-and-fire neuron of Mihalaş & Niebur
//! (2009): a leaky membrane, a threshold that follows the voltage, and two spike-induced
//! currents; linear between spikes, so it is integrated exactly.
//!
//! **Equations** (Mihalaş & Niebur 2009, eqs. 2.1–2.2; input and currents divided by C, in V/ms):
//! dI_j/dt = −k_j I_j (j = 1, 2); dV/dt = I_e + I₁ + I₂ − (G/C)(V − E_L);
//! dΘ/dt = a(V − E_L) − b(Θ − Θ_∞).
//! **Spike** when V reaches Θ: V ← V_r, Θ ← max(Θ_r, Θ), I_j ← R_j·I_j + A_j. No refractory
//! period.
//!
//! **Numerics.** Between spikes the state (V − E_L, Θ − Θ_∞, I₁, I₂, I_e) obeys a constant
//! linear system; its exact propagator over one substep, e^(A·h), is computed once per step
//! length (scaling and squaring of the Taylor series, [`expm`]), so the trajectory is exact at
//! every substep boundary for input held over the step. V ≥ Θ is tested on every substep
//! (`substep` = 0.01 ms: spike times are located to 0.01 ms; the paper solves for the crossing
//! time) and the reset applied there. A standalone step spans `span` = 0.1 ms, as
//! SC-NeuroCore's.
//!
//! **Units.** V, Θ in volts; t in ms; rates in 1/ms; I_e, I_j, A_j in V/ms (already divided by
//! C). The paper's tables give rates in s⁻¹ and currents in V/s: divide by 1000.
//!
//! **Reference.** Mihalaş, Ş. & Niebur, E. (2009) A generalized linear integrate-and-fire neural
//! model produces diverse spiking behaviors. Neural Comput. 21(3):704–718,
//! doi:10.1162/neco.2008.12-07-680. The per-pattern parameters (a, A₁, A₂, I_e of Table 1 /
//! Fig. 1) are as tabulated in the replication of Detorakis (ReScience submission
//! `article/detorakis-2017.md`, tables 4–5, which state they are the paper's Table 1); general
//! parameters (G/C = 50 s⁻¹, b = 10 s⁻¹, k₁ = 200 s⁻¹, k₂ = 20 s⁻¹, R₁ = 0, R₂ = 1, E_L = V_r =
//! −70 mV, Θ_r = −60 mV, Θ_∞ = −50 mV) are the defaults.
//!
//! **Relation to SC-NeuroCore** (spec §13). Same interface, state (`v`, `theta`, `i1`, `i2`,
//! volts and V/ms) and parameter names, 0.1 ms per call. Differences: the flow between spikes is
//! exact instead of one RK4 step per call, and the threshold is tested on every 0.01-ms substep
//! instead of at the end of the call (SC-NeuroCore can only spike at 0.1-ms boundaries). Added
//! parameters: `substep`, `span`. The model works in volts, so it takes no conductance input
//! and exposes no membrane to delta receptors (`MEMBRANE = None`, `CONDUCTANCE_INPUT = false`):
//! a network drives it through its current port (V/ms).
//!
//! **Paper facts tested.** With a = 0 (Fig. 1A, tonic spiking, I_e = 1.5 V/s) the model is a
//! LIF with τ = 20 ms and ISI 20·ln 3 = 21.97 ms [derived in the test]; Fig. 1C (a = 5 s⁻¹,
//! I_e = 2 V/s): spike-frequency adaptation (obtained: ISIs lengthen from 15.6 to 21.2 ms over
//! the panel's 0.2 s); Fig. 1D (a = 5 s⁻¹, I_e = 1.5 V/s): phasic spiking (obtained: five
//! spikes in the first 180 ms, then silence for good, since the steady threshold −35 mV lies
//! above the steady voltage −40 mV; the paper's panel shows only an onset response); Fig. 1M (a = 5 s⁻¹, A₁ = 10 V/s,
//! A₂ = −0.6 V/s, I_e = 2 V/s): tonic bursting; the exact flow against closed forms.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MihalasNieburNeuron`].
    pub struct MihalasNieburParams {
        /// Resting (leak reversal) potential, E_L [V].
        v_rest: f64 = -0.07,
        /// Reset potential, V_r [V].
        v_reset: f64 = -0.07,
        /// Threshold after a spike is at least this, Θ_r [V].
        theta_reset: f64 = -0.06,
        /// Threshold at rest, Θ_∞ [V].
        theta_inf: f64 = -0.05,
        /// Membrane leak rate, G/C [1/ms].
        leak_rate: f64 = 0.05,
        /// Coupling of the threshold to V − E_L, a [1/ms].
        threshold_voltage_coupling: f64 = 0.005,
        /// Threshold relaxation rate, b [1/ms].
        threshold_decay_rate: f64 = 0.01,
        /// Decay rate of spike-induced current 1, k₁ [1/ms].
        current_decay_rate_1: f64 = 0.2,
        /// Decay rate of spike-induced current 2, k₂ [1/ms].
        current_decay_rate_2: f64 = 0.02,
        /// Fraction of current 1 kept at a spike, R₁ [1].
        current_retention_1: f64 = 0.0,
        /// Fraction of current 2 kept at a spike, R₂ [1].
        current_retention_2: f64 = 1.0,
        /// Jump of current 1 at a spike, A₁/C [V/ms].
        current_jump_1: f64 = 0.0,
        /// Jump of current 2 at a spike, A₂/C [V/ms].
        current_jump_2: f64 = 0.0,
        /// Largest internal substep (threshold-test resolution) [ms].
        substep: f64 = 0.01,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
    }
}

impl MihalasNieburParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("leak_rate", self.leak_rate)?;
        check::finite(
            "threshold_voltage_coupling",
            self.threshold_voltage_coupling,
        )?;
        check::positive("threshold_decay_rate", self.threshold_decay_rate)?;
        check::non_negative("current_decay_rate_1", self.current_decay_rate_1)?;
        check::non_negative("current_decay_rate_2", self.current_decay_rate_2)?;
        check::finite("current_retention_1", self.current_retention_1)?;
        check::finite("current_retention_2", self.current_retention_2)?;
        check::finite("current_jump_1", self.current_jump_1)?;
        check::finite("current_jump_2", self.current_jump_2)?;
        check::finite("v_rest", self.v_rest)?;
        check::finite("theta_inf", self.theta_inf)?;
        check::less("v_reset", self.v_reset, "theta_reset", self.theta_reset)?;
        check::positive("substep", self.substep)?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`MihalasNieburNeuron`].
    pub struct MihalasNieburState {
        /// Membrane potential, V [V].
        v: f64 => MnV,
        /// Threshold, Θ [V].
        theta: f64 => MnTheta,
        /// Spike-induced current 1 (divided by C), I₁ [V/ms].
        i1: f64 => MnI1,
        /// Spike-induced current 2 (divided by C), I₂ [V/ms].
        i2: f64 => MnI2,
    }
}

/// `e^(A·t)` of an N×N matrix by scaling and squaring of its Taylor series (accurate to a few
/// ulps for the small, well-conditioned systems of linear integrate-and-fire models; exact for
/// coincident eigenvalues too, where closed-form solutions divide by zero).
pub fn expm<const N: usize>(a: &[[f64; N]; N], t: f64) -> [[f64; N]; N] {
    let norm = a
        .iter()
        .map(|r| r.iter().map(|x| (x * t).abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let mut squarings = 0;
    let mut scale = t;
    while norm * (scale / t).abs() > 0.25 && squarings < 60 {
        scale *= 0.5;
        squarings += 1;
    }
    let mul = |x: &[[f64; N]; N], y: &[[f64; N]; N]| {
        let mut z = [[0.0; N]; N];
        for (i, zr) in z.iter_mut().enumerate() {
            for (j, zij) in zr.iter_mut().enumerate() {
                *zij = (0..N).map(|k| x[i][k] * y[k][j]).sum();
            }
        }
        z
    };
    let mut m = [[0.0; N]; N];
    for (i, r) in m.iter_mut().enumerate() {
        r[i] = 1.0;
    }
    // Horner form of Σ (A s)^k / k! to order 16 (remainder < 0.25^17/17! ≈ 10⁻²⁵).
    let mut sum = m;
    for k in (1..=16).rev() {
        let mut term = mul(&sum, a);
        for r in term.iter_mut() {
            for x in r.iter_mut() {
                *x *= scale / k as f64;
            }
        }
        for (i, r) in term.iter_mut().enumerate() {
            r[i] += 1.0;
        }
        sum = term;
    }
    m = sum;
    for _ in 0..squarings {
        m = mul(&m, &m);
    }
    m
}

/// Constants of [`MihalasNieburNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct MihalasNieburConsts {
    p: MihalasNieburParams,
    n: u32,
    /// Propagator over one substep of (V − E_L, Θ − Θ_∞, I₁, I₂, I_e).
    flow: [[f64; 5]; 5],
}

/// One step: `k.n` exact substeps, testing V ≥ Θ and resetting after each.
#[inline(always)]
pub fn mn_step(k: &MihalasNieburConsts, s: &mut MihalasNieburState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let mut y = [
        s.v - p.v_rest,
        s.theta - p.theta_inf,
        s.i1,
        s.i2,
        x.ports[0],
    ];
    let mut spiked = false;
    for _ in 0..k.n {
        let mut z = [0.0; 5];
        for (zi, row) in z.iter_mut().zip(&k.flow) {
            *zi = row.iter().zip(&y).map(|(a, b)| a * b).sum();
        }
        let fire = z[0] + p.v_rest >= z[1] + p.theta_inf;
        if fire {
            z[0] = p.v_reset - p.v_rest;
            z[1] = (p.theta_reset - p.theta_inf).max(z[1]);
            z[2] = p.current_retention_1 * z[2] + p.current_jump_1;
            z[3] = p.current_retention_2 * z[3] + p.current_jump_2;
        }
        spiked |= fire;
        y = z;
    }
    s.v = y[0] + p.v_rest;
    s.theta = y[1] + p.theta_inf;
    s.i1 = y[2];
    s.i2 = y[3];
    spiked
}

standalone! {
/// Mihalaş–Niebur (2009) generalized linear integrate-and-fire neuron (volts, exact flow).
pub struct MihalasNieburNeuron;
}

impl MihalasNieburNeuron {
    /// Advance one step (0.1 ms by default) with input `current` = I_e/C [V/ms]; `true` on a
    /// spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for MihalasNieburNeuron {
    const NAME: &'static str = "MihalasNieburNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str = "Mihalas-Niebur 2009 generalized linear IF: adaptive threshold, two spike-induced currents (exact flow)";
    const REFERENCE: &'static str =
        "Mihalas & Niebur 2009, Neural Comput 21:704, doi:10.1162/neco.2008.12-07-680";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.002];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = MihalasNieburParams;
    type State = MihalasNieburState;
    type Consts = MihalasNieburConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &MihalasNieburParams) -> MihalasNieburState {
        MihalasNieburState {
            v: p.v_rest,
            theta: p.theta_inf,
            i1: 0.0,
            i2: 0.0,
        }
    }
    fn standalone_span(p: &MihalasNieburParams) -> f64 {
        p.span
    }
    fn prepare(p: &MihalasNieburParams, span: f64) -> MihalasNieburConsts {
        let (n, h) = substeps(span, p.substep);
        let (g, a, b) = (
            p.leak_rate,
            p.threshold_voltage_coupling,
            p.threshold_decay_rate,
        );
        let m = [
            [-g, 0.0, 1.0, 1.0, 1.0],
            [a, -b, 0.0, 0.0, 0.0],
            [0.0, 0.0, -p.current_decay_rate_1, 0.0, 0.0],
            [0.0, 0.0, 0.0, -p.current_decay_rate_2, 0.0],
            [0.0; 5],
        ];
        MihalasNieburConsts {
            p: p.clone(),
            n,
            flow: expm(&m, h),
        }
    }
    #[inline(always)]
    fn update(
        k: &MihalasNieburConsts,
        s: &mut MihalasNieburState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        mn_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    /// Paper Fig. 1 parameters: a [1/s], A₁, A₂ [V/s] (Table 1), converted to ms.
    fn fig1(a: f64, a1: f64, a2: f64) -> MihalasNieburParams {
        MihalasNieburParams {
            threshold_voltage_coupling: a / 1000.0,
            current_jump_1: a1 / 1000.0,
            current_jump_2: a2 / 1000.0,
            ..Default::default()
        }
    }

    /// Spike times [ms] over `ms` with constant input `ie` [V/s].
    fn run(p: MihalasNieburParams, ie: f64, ms: f64) -> Vec<f64> {
        let mut n = MihalasNieburNeuron::with_params(p).unwrap();
        spike_times(&mut n, (ms / 0.1).round() as usize, |_| [ie / 1000.0])
    }

    #[test]
    fn tonic_spiking_is_a_lif_with_isi_20_ln_3() {
        // Fig. 1A (a = 0, I_e = 1.5 V/s): Θ stays at Θ∞ = −50 mV and V relaxes with τ = C/G =
        // 20 ms toward V∞ = E_L + I_e/(G/C) = −40 mV from V_r = −70 mV, so
        // ISI = 20·ln((V∞ − V_r)/(V∞ − Θ∞)) = 20·ln 3.
        let isi = 20.0 * ((-0.04f64 + 0.07) / (-0.04 + 0.05)).ln();
        assert!((isi - 21.972).abs() < 1e-3);
        let t = run(fig1(0.0, 0.0, 0.0), 1.5, 500.0);
        let d = isis(&t);
        assert!(d.len() >= 20);
        // Spikes are reported per 0.1-ms step; crossings located to the 0.01-ms substep.
        for x in &d {
            assert!((x - isi).abs() <= 0.1 + 1e-9, "ISI {x} vs {isi}");
        }
        assert!((mean(&d) - isi).abs() < 0.02, "mean ISI {}", mean(&d));
    }

    #[test]
    fn adaptation_and_phasic_spiking_with_the_published_sets() {
        // Fig. 1C (a = 5 s⁻¹, I_e = 2 V/s, 0.2 s): spike-frequency adaptation, the ISIs
        // lengthen throughout the panel (obtained: 15.6 ms first, 21.2 ms last).
        let t = run(fig1(5.0, 0.0, 0.0), 2.0, 200.0);
        let d = isis(&t);
        assert!(d.len() >= 5, "{t:?}");
        // Spike times are on the 0.1-ms step grid.
        assert!(d.windows(2).all(|w| w[1] >= w[0] - 0.1 - 1e-9), "{d:?}");
        assert!(d[d.len() - 1] > 1.25 * d[0], "{d:?}");
        // Fig. 1D (a = 5 s⁻¹, I_e = 1.5 V/s, 0.5 s): phasic spiking, firing at onset only.
        // Derived: at steady state V∞ = E_L + I_e/g = −40 mV lies below the steady threshold
        // Θ∞ + (a/b)(V∞ − E_L) = −35 mV, so firing must stop. Obtained: 5 spikes in the first
        // 180 ms, then silence (the paper's panel shows the onset response only).
        let (g, a, b, ie) = (0.05, 0.005, 0.01, 0.0015);
        let v_inf = -0.07 + ie / g;
        assert!(-0.05 + a / b * (v_inf + 0.07) > v_inf + 0.004);
        let t = run(fig1(5.0, 0.0, 0.0), 1.5, 500.0);
        assert!(!t.is_empty() && t[0] < 50.0, "{t:?}");
        assert!(t.iter().all(|&x| x < 250.0), "{t:?}");
    }

    #[test]
    fn tonic_bursting_with_the_published_set() {
        // Fig. 1M (a = 5 s⁻¹, A₁ = 10 V/s, A₂ = −0.6 V/s, I_e = 2 V/s): repeated bursts: the
        // ISIs fall into short intra-burst and long inter-burst intervals, each burst holding
        // more than one spike.
        let t = run(fig1(5.0, 10.0, -0.6), 2.0, 500.0);
        let d = isis(&t);
        let short = d.iter().filter(|&&x| x < 10.0).count();
        let long = d.iter().filter(|&&x| x > 30.0).count();
        assert!(long >= 3, "{d:?}");
        assert!(short >= long, "{d:?}");
        assert_eq!(short + long, d.len(), "no intermediate ISIs: {d:?}");
    }

    #[test]
    fn flow_matches_the_closed_form_between_spikes() {
        // From V = E_L, Θ = Θ∞, I_j = 0 and constant I_e: with u = V − E_L and θ = Θ − Θ∞,
        // u(t) = (I_e/g)(1 − e^(−gt)) and
        // θ(t) = a(I_e/g)[(1 − e^(−bt))/b − (e^(−gt) − e^(−bt))/(b − g)].
        let (g, a, b, ie) = (0.05, 0.005, 0.01, 0.0004);
        let mut n = MihalasNieburNeuron::new();
        for k in 1..=500 {
            assert!(!n.step(ie));
            let t = k as f64 * 0.1;
            let u = ie / g * (1.0 - (-g * t).exp());
            let th = a * ie / g
                * ((1.0 - (-b * t).exp()) / b - ((-g * t).exp() - (-b * t).exp()) / (b - g));
            let s = n.state();
            assert!((s.v - (-0.07 + u)).abs() < 1e-13, "t {t}: {} vs {}", s.v, u);
            assert!((s.theta - (-0.05 + th)).abs() < 1e-13, "t {t}");
        }
        // Spike-induced currents decay exactly: I_j(t) = I_j(0)e^(−k_j t) (and drive V).
        let mut n = MihalasNieburNeuron::new();
        n.state_mut().i1 = 0.001;
        n.state_mut().i2 = -0.0002;
        for _ in 0..100 {
            n.step(0.0);
        }
        let s = n.state();
        assert!((s.i1 - 0.001 * (-0.2f64 * 10.0).exp()).abs() < 1e-16);
        assert!((s.i2 + 0.0002 * (-0.02f64 * 10.0).exp()).abs() < 1e-16);
    }

    #[test]
    fn bursting_agrees_with_an_independent_integration() {
        // Fig. 1M again, the equations typed again and integrated by the test's RK4 at
        // 0.001 ms with the reset applied on the step that crosses.
        let (g, a, b, k1, k2) = (0.05, 0.005, 0.01, 0.2, 0.02);
        let ie = 0.002;
        let f = |_: f64, y: &[f64]| {
            vec![
                ie + y[2] + y[3] - g * (y[0] + 0.07),
                a * (y[0] + 0.07) - b * (y[1] + 0.05),
                -k1 * y[2],
                -k2 * y[3],
            ]
        };
        let r = Reference::rk4(0.001, f);
        let mut y = vec![-0.07, -0.05, 0.0, 0.0];
        let mut reference = Vec::new();
        let mut t = 0.0;
        while t < 300.0 {
            let z = r.step(t, &y);
            t += 0.001;
            y = if z[0] >= z[1] {
                reference.push(t);
                vec![-0.07, z[1].max(-0.06), 0.01, z[3] - 0.0006]
            } else {
                z
            };
        }
        let got = run(fig1(5.0, 10.0, -0.6), 2.0, 300.0);
        assert!(reference.len() >= 8, "{reference:?}");
        assert_eq!(got.len(), reference.len(), "{got:?} vs {reference:?}");
        for (g, r) in got.iter().zip(&reference) {
            assert!((g - r).abs() < 0.3, "{g} vs {r}");
        }
    }
}
