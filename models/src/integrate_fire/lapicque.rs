//! `LapicqueNeuron` — Lapicque's leaky integrate-and-fire neuron (an RC circuit with a
//! threshold), integrated exactly with exact spike times.
//!
//! **Equations.** τ dv/dt = −(v − v_rest) + R·(I + I_syn(v)), I_syn(v) = Σ gₖ(Eₖ − v) from
//! conductance receptors. When v reaches θ (`v_threshold`) a spike is emitted and v ← v_reset
//! at that instant; no refractory period, no noise.
//!
//! **Numerics.** Exact propagator for input held constant over the step: the equation is
//! dv/dt = a − b·v with a = (v_rest + R(I + Σg·E))/τ and b = (1 + RΣg)/τ, so
//! v(t) = v∞ + (v − v∞)e^(−bt) and the crossing time inside the step is closed-form,
//! t* = ln(1 + b(θ − v)/(a − bθ))/b. The neuron restarts from v_reset at t* and the rest of
//! the step is integrated exactly (whole reset→threshold cycles are skipped with an exact
//! floating remainder), so intervals are not rounded to the 1-ms step. A step that holds one
//! or more crossings returns `true` (at most one spike per step is reported).
//!
//! **Units.** v in mV (relative units with the defaults: rest 0, threshold 1), τ in ms, R in MΩ,
//! I in nA (R·I in mV), conductances in µS.
//!
//! **Reference.** Lapicque, L. (1907) J. Physiol. Pathol. Gén. 9:620–635; Abbott, L.F. (1999)
//! "Lapicque's introduction of the integrate-and-fire model neuron (1907)", Brain Res. Bull.
//! 50:303–304, doi:10.1016/S0361-9230(99)00161-6; Brunel, N. & van Rossum, M.C.W. (2007)
//! Biol. Cybern. 97:337–339, doi:10.1007/s00422-007-0190-0. Interval formula: Gerstner,
//! Kistler, Naud & Paninski (2014) *Neuronal Dynamics*, CUP, §1.3.
//!
//! **Relation to SC-NeuroCore** (spec §21). Same interface (`step(current)`, state `v`,
//! defaults v_rest 0, v_reset 0, θ 1, τ 20 ms, R 1, dt 1 ms, initial v = 0). Differences:
//! (a) the exact propagator replaces forward Euler (retention e^(−dt/τ) = 0.9512 instead of
//! 0.95); (b) the spike happens at the crossing time and the rest of the step continues from
//! v_reset instead of resetting at the end of the step (the paper's model is continuous in
//! time; SC-NeuroCore's intervals are rounded up to whole steps); (c) SC-NeuroCore raises an
//! error if v ≥ θ before a step; here such a state (e.g. after a delta-receptor jump) fires at
//! the start of the step; (d) conductance receptors are supported, integrated exactly.
//!
//! **Paper fact tested.** The interval for constant suprathreshold input is
//! T = τ·ln[(RI + v_rest − v_reset)/(RI + v_rest − θ)] for RI > θ − v_rest (Gerstner et al.
//! 2014, §1.3): with the defaults and I = 2, T = 20·ln 2 = 13.86 ms, so the first spike is on
//! step 14 and the k-th on step ⌈k·13.86⌉; no firing for RI ≤ θ − v_rest (rheobase I = 1).

use super::perfect_integrator::{linear_flow, linear_time_to};
use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`LapicqueNeuron`].
    pub struct LapicqueParams {
        /// Resting potential, v_rest [mV].
        v_rest: f64 = 0.0,
        /// Reset potential, v_reset [mV].
        v_reset: f64 = 0.0,
        /// Spike threshold, θ [mV].
        v_threshold: f64 = 1.0,
        /// Membrane time constant, τ = RC [ms].
        tau: f64 = 20.0,
        /// Membrane resistance, R [MΩ].
        resistance: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
    }
}

impl LapicqueParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("resistance", self.resistance)?;
        check::positive("dt", self.dt)?;
        check::less("v_rest", self.v_rest, "v_threshold", self.v_threshold)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`LapicqueNeuron`].
    pub struct LapicqueState {
        /// Membrane potential, v [mV].
        v: f64 => LapicqueV,
    }
}

/// Constants of [`LapicqueNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct LapicqueConsts {
    h: f64,
    inv_tau: f64,
    r_over_tau: f64,
    v_rest: f64,
    v_reset: f64,
    v_threshold: f64,
}

/// One exact step of length `k.h`; `true` if v reached θ in the step.
#[inline(always)]
pub fn lapicque_step(k: &LapicqueConsts, s: &mut LapicqueState, x: &Input<[f64; 1]>) -> bool {
    let a = k.v_rest * k.inv_tau + (x.ports[0] + x.ge) * k.r_over_tau;
    let b = k.inv_tau + x.g * k.r_over_tau;
    let t = linear_time_to(s.v, k.v_threshold, a, b);
    if t <= k.h {
        let mut rem = k.h - t;
        let cycle = linear_time_to(k.v_reset, k.v_threshold, a, b);
        if cycle.is_finite() && cycle > 0.0 {
            rem %= cycle;
        }
        s.v = linear_flow(k.v_reset, rem, a, b);
        true
    } else {
        s.v = linear_flow(s.v, k.h, a, b);
        false
    }
}

standalone! {
/// Lapicque's (1907) leaky integrate-and-fire neuron, exact propagator and spike times.
pub struct LapicqueNeuron;
}

impl LapicqueNeuron {
    /// Advance one step (`dt`, 1 ms by default) with injected current `current` [nA]; `true`
    /// on a spike. A non-finite current is refused: the state is kept and no spike returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for LapicqueNeuron {
    const NAME: &'static str = "LapicqueNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Lapicque 1907 leaky integrate-and-fire, exact propagator and spike times";
    const REFERENCE: &'static str = "Lapicque 1907, J Physiol Pathol Gen 9:620; Brunel & van Rossum 2007, Biol Cybern 97:337, doi:10.1007/s00422-007-0190-0";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = LapicqueParams;
    type State = LapicqueState;
    type Consts = LapicqueConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &LapicqueParams) -> LapicqueState {
        LapicqueState { v: p.v_rest }
    }
    fn standalone_span(p: &LapicqueParams) -> f64 {
        p.dt
    }
    fn prepare(p: &LapicqueParams, h: f64) -> LapicqueConsts {
        LapicqueConsts {
            h,
            inv_tau: 1.0 / p.tau,
            r_over_tau: p.resistance / p.tau,
            v_rest: p.v_rest,
            v_reset: p.v_reset,
            v_threshold: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        k: &LapicqueConsts,
        s: &mut LapicqueState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        lapicque_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_is_tau_log_ri_over_ri_minus_theta() {
        // Gerstner et al. 2014 §1.3 with v_rest = v_reset = 0, θ = 1, τ = 20, R = 1, I = 2:
        // T = 20·ln(2/(2 − 1)) = 13.863 ms; the k-th spike is on step ⌈k·T⌉ (spec §21: 14).
        let t = 20.0 * std::f64::consts::LN_2;
        let mut n = LapicqueNeuron::new();
        let got: Vec<usize> = (1..=1000usize).filter(|_| n.step(2.0)).collect();
        assert_eq!(got[0], 14);
        assert_eq!(got.len(), (1000.0 / t).floor() as usize);
        for (k, &step) in got.iter().enumerate() {
            assert_eq!(step, ((k + 1) as f64 * t).ceil() as usize, "spike {k}");
        }
        // Another operating point, reset below rest: v_reset = −0.5, R = 2, I = 0.8.
        let p = LapicqueParams {
            v_reset: -0.5,
            resistance: 2.0,
            dt: 0.1,
            ..Default::default()
        };
        let ri: f64 = 1.6;
        let t = 20.0 * ((ri + 0.5) / (ri - 1.0)).ln();
        let mut n = LapicqueNeuron::with_params(p).unwrap();
        // From v = 0 the first crossing takes τ·ln(RI/(RI − θ)); then T each.
        let t0 = 20.0 * (ri / (ri - 1.0)).ln();
        let got: Vec<usize> = (1..=20_000usize).filter(|_| n.step(0.8)).collect();
        for (k, &step) in got.iter().enumerate() {
            let exact = (t0 + k as f64 * t) / 0.1;
            assert!(step as f64 >= exact - 1e-6 && (step as f64) < exact + 1.0 + 1e-6);
        }
    }

    #[test]
    fn rheobase_is_theta_over_r() {
        // RI must exceed θ − v_rest = 1: I = 0.999 never fires (v → 0.999), I = 1.001 does.
        let mut n = LapicqueNeuron::new();
        assert!((0..100_000).all(|_| !n.step(0.999)));
        assert!((n.state().v - 0.999).abs() < 1e-12);
        let mut n = LapicqueNeuron::new();
        assert!((0..1000).any(|_| n.step(1.001)));
    }

    #[test]
    fn subthreshold_flow_is_the_exact_exponential() {
        // v(t) = RI(1 − e^(−t/τ)): after 5 steps of 1 ms at I = 0.5, v = 0.5(1 − e^(−1/4)).
        let mut n = LapicqueNeuron::new();
        for _ in 0..5 {
            n.step(0.5);
        }
        let expected = 0.5 * (1.0 - (-0.25f64).exp());
        assert!((n.state().v - expected).abs() < 1e-14, "{}", n.state().v);
    }
}
