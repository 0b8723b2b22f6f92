//! `ParametricLIFNeuron` — the discrete LIF with a learnable membrane time constant (PLIF).
//!
//! **Equations** (one step = one time step t; input X[t]):
//! H[t] = V[t−1] + k(a)·(X[t] − (V[t−1] − V_reset)), k(a) = σ(a) = 1/(1 + e^(−a)) = 1/τ;
//! S[t] = Θ(H[t] − V_th) (Θ(0) = 1); V[t] = H[t]·(1 − S[t]) + V_reset·S[t] (hard reset).
//! So the retention factor is 1 − σ(a) and the input is scaled by σ(a) ("decay input"); the
//! time constant is τ = 1/σ(a) > 1, initialised from a chosen τ₀ by a = −ln(τ₀ − 1)
//! (τ₀ = 2 → a = 0).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Fang, W., Yu, Z., Chen, Y., Masquelier, T., Huang, T. & Tian, Y. (2021)
//! "Incorporating Learnable Membrane Time Constant to Enhance Learning of Spiking Neural
//! Networks", Proc. IEEE/CVF ICCV 2021, pp. 2661–2671, doi:10.1109/ICCV48922.2021.00266
//! (the charge, fire and reset equations and the initialisation k(a₀) = 1/τ₀).
//!
//! **Relation to SC-NeuroCore** (spec §12). Same interface: `step(current)` → spike, state `v`,
//! parameters `a`, `threshold`. Differences, following the paper: (a) SC-NeuroCore retains
//! σ(a)·v and adds the unscaled input; the paper retains (1 − σ(a))·v and scales the input by
//! σ(a), so at a = 0 SC-NeuroCore's input is twice the paper's and for a ≠ 0 the dependence on
//! a is reversed; (b) the stored `v` after a spiking step is the reset value V_reset (SC-NeuroCore
//! stores the un-reset value and applies the reset at the start of the next step; the spikes are
//! the same); (c) the reset value V_reset is a parameter (`v_reset`, 0 as in the paper);
//! SC-NeuroCore's unused `dt` is dropped (one step is one time step). The citation is ICCV 2021,
//! not AAAI.
//!
//! **Paper facts tested** (spec §12, derived from the paper's equations): a = 0, X = 2 →
//! H = 1 → a spike every step; X = 1 → H = 0.5, 0.75, 0.875, … → never fires; τ₀ = 4
//! (a = −ln 3, k = 1/4), X = 2 → H = 0.5, 0.875, 1.156 → a spike every 3rd step.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ParametricLIFNeuron`].
    pub struct ParametricLIFParams {
        /// Time-constant parameter, a; k(a) = σ(a) = 1/τ [1].
        a: f64 = 0.0,
        /// Firing threshold, V_th [1].
        threshold: f64 = 1.0,
        /// Reset (and resting) potential, V_reset [1].
        v_reset: f64 = 0.0,
    }
}

impl ParametricLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::less("v_reset", self.v_reset, "threshold", self.threshold)
    }
}

neuron_state! {
    /// State of [`ParametricLIFNeuron`].
    pub struct ParametricLIFState {
        /// Membrane potential after the step's reset, V[t] [1].
        v: f64 => PlifV,
    }
}

/// Constants of [`ParametricLIFNeuron`].
#[derive(Clone, Debug)]
pub struct ParametricLIFConsts {
    k: f64,
    threshold: f64,
    v_reset: f64,
}

/// One time step: charge, fire, hard reset.
#[inline(always)]
pub fn plif_step(c: &ParametricLIFConsts, s: &mut ParametricLIFState, x: f64) -> bool {
    let h = s.v + c.k * (x - (s.v - c.v_reset));
    if h >= c.threshold {
        s.v = c.v_reset;
        true
    } else {
        s.v = h;
        false
    }
}

standalone! {
/// Parametric LIF (Fang et al. 2021): discrete LIF with a learnable time constant.
pub struct ParametricLIFNeuron;
}

impl ParametricLIFNeuron {
    /// One time step with input `current`; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// The decay parameter k(a) = σ(a) = 1/τ (SC-NeuroCore's `alpha` property is σ(a) too, but
    /// there it is the retention factor).
    pub fn alpha(&self) -> f64 {
        sigmoid(self.params().a)
    }
}

impl Model for ParametricLIFNeuron {
    const NAME: &'static str = "ParametricLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Discrete LIF with learnable time constant k(a) = sigmoid(a) (PLIF)";
    const REFERENCE: &'static str =
        "Fang et al. 2021, ICCV 2021 pp. 2661-2671, doi:10.1109/ICCV48922.2021.00266";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ParametricLIFParams;
    type State = ParametricLIFState;
    type Consts = ParametricLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &ParametricLIFParams) -> ParametricLIFState {
        ParametricLIFState { v: p.v_reset }
    }
    fn standalone_span(_: &ParametricLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &ParametricLIFParams, _: f64) -> ParametricLIFConsts {
        ParametricLIFConsts {
            k: sigmoid(p.a),
            threshold: p.threshold,
            v_reset: p.v_reset,
        }
    }
    #[inline(always)]
    fn update(
        c: &ParametricLIFConsts,
        s: &mut ParametricLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        plif_step(c, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(p: ParametricLIFParams, x: f64, n: usize) -> Vec<bool> {
        let mut m = ParametricLIFNeuron::with_params(p).unwrap();
        (0..n).map(|_| m.step(x)).collect()
    }

    #[test]
    fn a_zero_is_tau_two_with_decay_input() {
        // Fang et al. 2021: a₀ = −ln(τ₀ − 1) = 0 ↔ τ₀ = 2, k = 1/2. X = 2: H = 0 + (2 − 0)/2 = 1
        // ≥ V_th → spike, reset to 0, every step.
        assert!(spikes(Default::default(), 2.0, 10).iter().all(|&s| s));
        // X = 1: H_n = 1 − 2^−n = 0.5, 0.75, 0.875, … < 1: never fires.
        let mut m = ParametricLIFNeuron::new();
        for n in 1..=40 {
            assert!(!m.step(1.0));
            let expect = 1.0 - 0.5f64.powi(n);
            assert!((m.state().v - expect).abs() < 1e-15, "step {n}");
        }
    }

    #[test]
    fn larger_tau_integrates_longer() {
        // τ₀ = 4: a = −ln 3, k = σ(−ln 3) = 1/4. X = 2: H_n = 2(1 − 0.75^n) = 0.5, 0.875,
        // 1.15625 → spike at step 3, hard reset to 0, so period 3.
        let p = ParametricLIFParams {
            a: -(3.0f64).ln(),
            ..Default::default()
        };
        let m = ParametricLIFNeuron::with_params(p.clone()).unwrap();
        assert!((m.alpha() - 0.25).abs() < 1e-15);
        let s = spikes(p, 2.0, 9);
        assert_eq!(
            s,
            vec![false, false, true, false, false, true, false, false, true]
        );
    }
}
