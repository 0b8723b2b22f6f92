//! `NonResettingLIFNeuron` — a leaky integrator that is never reset, with a spike-triggered
//! threshold that relaxes to its resting value (the single-time-scale case of the
//! multi-timescale adaptive threshold model, MAT).
//!
//! **Equations.** τ_m dv/dt = −(v − v_rest) + r_m·(I + I_syn(v)); τ_θ dθ/dt = −(θ − θ_rest).
//! Spike when v ≥ θ; then θ ← θ + Δθ. v is never reset and there is no refractory period.
//!
//! **Numerics.** Exact: both equations are linear, so for input held over a substep
//! v ← v∞ + (v − v∞)·e^(−h·λ) with λ = (1 + r_m·g)/τ_m and v∞ = (v_rest + r_m(I + Σg·E))/(1 + r_m·g),
//! and θ ← θ_rest + (θ − θ_rest)·e^(−h/τ_θ). The threshold is tested after every substep of at
//! most `substep` ms (0.1 ms); a standalone step spans `dt` = 0.1 ms as in SC-NeuroCore.
//!
//! **Units.** v, θ in mV; τ in ms; I in mV/r_m (r_m = 1: I in mV).
//!
//! **Reference.** Kobayashi, R., Tsubo, Y. & Shinomoto, S. (2009) "Made-to-order spiking neuron
//! model equipped with a multi-timescale adaptive threshold", Front. Comput. Neurosci. 3:9,
//! doi:10.3389/neuro.10.009.2009 (non-resetting leaky integrator, threshold jumping at spikes
//! and decaying to a resting value; here one time scale); see also Gerstner, Kistler, Naud &
//! Paninski (2014) *Neuronal Dynamics*, Cambridge Univ. Press, §1.3 and ch. 6.
//!
//! **Relation to SC-NeuroCore** (spec §13). Same interface (`step(current)`, state `v`, `theta`),
//! parameters, defaults and exact update. Differences: (a) the threshold is tested after every
//! substep, and conductance inputs enter the exact update; (b) like SC-NeuroCore, and unlike
//! MAT's 2 ms absolute refractory period, there is no refractory period (the state has no
//! refractory variable), so with a small Δθ consecutive steps can fire; (c) SC-NeuroCore calls it
//! an "aMAT variant", but aMAT (Yamauchi, Kim & Shinomoto 2011) adds a voltage-dependent
//! threshold term, absent here.
//!
//! **Paper fact tested** (spec §13, derived): for constant input with U = v∞ − θ_rest > 0, v
//! settles at v∞ and the threshold, jumping by Δθ at each spike and relaxing to θ_rest, crosses
//! v∞ periodically: T = τ_θ·ln(1 + Δθ/U). Defaults, I = 20 (U = 5): T = 50·ln 2 = 34.66 ms;
//! I = 30 (U = 15): T = 50·ln(4/3) = 14.38 ms.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`NonResettingLIFNeuron`].
    pub struct NonResettingLIFParams {
        /// Resting potential, v_rest [mV].
        v_rest: f64 = -65.0,
        /// Resting threshold, θ_rest [mV].
        theta_rest: f64 = -50.0,
        /// Threshold jump per spike, Δθ [mV].
        delta_theta: f64 = 5.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 10.0,
        /// Threshold relaxation time constant, τ_θ [ms].
        tau_theta: f64 = 50.0,
        /// Membrane resistance (input gain), r_m [mV per input unit].
        r_m: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal substep (threshold test interval), h [ms].
        substep: f64 = 0.1,
    }
}

impl NonResettingLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("delta_theta", self.delta_theta)?;
        check::positive("tau_m", self.tau_m)?;
        check::positive("tau_theta", self.tau_theta)?;
        check::non_negative("r_m", self.r_m)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`NonResettingLIFNeuron`].
    pub struct NonResettingLIFState {
        /// Membrane potential (never reset), v [mV].
        v: f64 => NrlifV,
        /// Adaptive threshold, θ [mV].
        theta: f64 => NrlifTheta,
    }
}

/// Constants of [`NonResettingLIFNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct NonResettingLIFConsts {
    p: NonResettingLIFParams,
    n: u32,
    h: f64,
    decay_v: f64,
    decay_theta: f64,
}

/// One step: `k.n` exact substeps, threshold test after each.
#[inline(always)]
pub fn non_resetting_lif_step(
    k: &NonResettingLIFConsts,
    s: &mut NonResettingLIFState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let (v_inf, decay) = if x.g == 0.0 {
        (p.v_rest + p.r_m * (x.ports[0] + x.ge), k.decay_v)
    } else {
        let gain = 1.0 + p.r_m * x.g;
        (
            (p.v_rest + p.r_m * (x.ports[0] + x.ge)) / gain,
            (-k.h * gain / p.tau_m).exp(),
        )
    };
    let mut spiked = false;
    for _ in 0..k.n {
        s.v = v_inf + (s.v - v_inf) * decay;
        s.theta = p.theta_rest + (s.theta - p.theta_rest) * k.decay_theta;
        if s.v >= s.theta {
            s.theta += p.delta_theta;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Non-resetting leaky integrator with a spike-triggered relaxing threshold.
pub struct NonResettingLIFNeuron;
}

impl NonResettingLIFNeuron {
    /// Advance one step (`dt` ms) with input `current` [mV/r_m]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for NonResettingLIFNeuron {
    const NAME: &'static str = "NonResettingLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Non-resetting leaky integrator with spike-triggered relaxing threshold (single-timescale MAT)";
    const REFERENCE: &'static str = "Kobayashi, Tsubo & Shinomoto 2009, Front Comput Neurosci 3:9, doi:10.3389/neuro.10.009.2009";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[20.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = NonResettingLIFParams;
    type State = NonResettingLIFState;
    type Consts = NonResettingLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &NonResettingLIFParams) -> NonResettingLIFState {
        NonResettingLIFState {
            v: p.v_rest,
            theta: p.theta_rest,
        }
    }
    fn standalone_span(p: &NonResettingLIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &NonResettingLIFParams, span: f64) -> NonResettingLIFConsts {
        let (n, h) = substeps(span, p.substep);
        NonResettingLIFConsts {
            p: p.clone(),
            n,
            h,
            decay_v: (-h / p.tau_m).exp(),
            decay_theta: (-h / p.tau_theta).exp(),
        }
    }
    #[inline(always)]
    fn update(
        k: &NonResettingLIFConsts,
        s: &mut NonResettingLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        non_resetting_lif_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mean interspike interval (ms) over 500–3000 ms of constant input.
    fn mean_isi(i: f64) -> f64 {
        let mut n = NonResettingLIFNeuron::new();
        let t: Vec<f64> = (1..=30_000)
            .filter(|_| n.step(i))
            .map(|k| k as f64 * 0.1)
            .filter(|&t| t > 500.0)
            .collect();
        (t[t.len() - 1] - t[0]) / (t.len() - 1) as f64
    }

    #[test]
    fn period_is_tau_theta_log_one_plus_jump_over_drive() {
        // T = τ_θ ln(1 + Δθ/U), U = v∞ − θ_rest (spec §13). On a 0.1-ms grid the threshold is
        // caught up to one step's drift (U/τ_θ·0.1 ms ≤ 0.03 mV) below v∞, which lengthens the
        // mean period by at most 0.05 ms.
        for (i, u) in [(20.0, 5.0), (30.0, 15.0)] {
            let t: f64 = 50.0 * (1.0f64 + 5.0 / u).ln();
            let m = mean_isi(i);
            assert!(
                m >= t - 0.01 && m <= t + 0.06,
                "I = {i}: mean ISI {m}, T = {t}"
            );
        }
    }

    #[test]
    fn subthreshold_response_is_exact_and_v_is_never_reset() {
        // I = 10: v(t) = −55 − 10·e^(−t/10) (below θ_rest = −50: no spike).
        let mut n = NonResettingLIFNeuron::new();
        for _ in 0..100 {
            assert!(!n.step(10.0));
        }
        let expect = -55.0 - 10.0 * (-1.0f64).exp();
        assert!((n.state().v - expect).abs() < 1e-10, "{}", n.state().v);
        // Suprathreshold: v keeps following its exponential through the spikes.
        let mut n = NonResettingLIFNeuron::new();
        let spikes = (0..1000).filter(|_| n.step(20.0)).count();
        assert!(spikes >= 2);
        let expect = -45.0 - 20.0 * (-10.0f64).exp();
        assert!((n.state().v - expect).abs() < 1e-9, "{}", n.state().v);
    }
}
