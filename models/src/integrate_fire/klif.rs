//! `KLIFNeuron` — the k-based leaky integrate-and-fire neuron (KLIF) of Jiang & Zhang (2023):
//! a discrete LIF whose charged membrane potential is scaled by k and rectified before firing.
//!
//! **Equations** (one step = one time step t; X[t] the input):
//! * charge: H[t] = V[t−1] + (X[t] − (V[t−1] − V_reset))/τ;
//! * scale and rectify: F[t] = ReLU(k·H[t]);
//! * fire: S[t] = H(F[t] − V_th) (spike iff F[t] ≥ V_th);
//! * hard reset: V[t] = F[t](1 − S[t]) + V_reset·S[t].
//!
//! k scales the membrane potential (in the paper this is what tunes the surrogate-gradient
//! slope and width during training; here k is a fixed parameter) and the ReLU keeps the
//! potential from going negative.
//!
//! **Numerics.** A discrete map, exact by definition. In a network it iterates once per network
//! step whatever `dt`.
//!
//! **Units.** Dimensionless; τ in time steps.
//!
//! **Reference.** Jiang, C. & Zhang, Y. (2023) "KLIF: An optimized spiking neuron unit for
//! tuning surrogate gradient slope and membrane potential", arXiv:2302.09238. Defaults τ = 2,
//! V_th = 1, V_reset = 0, k = 1 (k's initial value) as in the paper's implementation
//! (SpikingJelly `KLIFNode`, input decayed by 1/τ). The spec's journal venue "Neural Comput.
//! 36(8)" could not be verified: a search (paperswithcode, emergentmind, deepai listings) found
//! only the arXiv version (arXiv:2302.09238, 18 Feb 2023) and no journal record, so only arXiv
//! is cited.
//!
//! **Relation to SC-NeuroCore** (spec §9). Same interface (`step(current)`, state `v`, initial
//! 0, parameter names k, tau, v_threshold, v_reset). SC-NeuroCore's map is v ← e^(−dt/τ)·v + k·I
//! with a hard reset. Differences, following the paper: (a) k multiplies the charged membrane
//! potential, not the input; (b) the ReLU clips negative potentials; (c) the input is scaled by
//! 1/τ and the leak is toward V_reset with factor 1 − 1/τ (not e^(−dt/τ)); (d) τ defaults to the
//! paper's 2 steps instead of 10; (e) the unused `dt` parameter is dropped (one step is one
//! time step), and non-finite input is refused (SC-NeuroCore accepts NaN). The citation is
//! corrected: the model is Jiang & Zhang's arXiv:2302.09238 (not "Eshraghian et al. 2021").
//!
//! **Paper facts tested** (from the paper's equations, spec §9). k = 1, τ = 2, constant X = 2:
//! H = 1 → a spike every step; X = 1.5: H = 0.75, 1.125 → a spike every second step;
//! negative input never drives V below 0; with X = 1 and k = 1 the potential tends to 1 from
//! below and never fires, while k = 1.2 fires on step 3 (F = 0.6, 0.96, 1.176).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`KLIFNeuron`].
    pub struct KLIFParams {
        /// Membrane-potential scale, k [1].
        k: f64 = 1.0,
        /// Membrane time constant, τ [time steps].
        tau: f64 = 2.0,
        /// Firing threshold, V_th [1].
        v_threshold: f64 = 1.0,
        /// Reset potential, V_reset [1].
        v_reset: f64 = 0.0,
    }
}

impl KLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("k", self.k)?;
        if self.tau < 1.0 {
            return Err(ParamError::new(
                "tau",
                format!("must be >= 1 time step, got {}", self.tau),
            ));
        }
        check::positive("v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`KLIFNeuron`].
    pub struct KLIFState {
        /// Membrane potential, V [1].
        v: f64 => KlifV,
    }
}

/// Constants of [`KLIFNeuron`].
#[derive(Clone, Debug)]
pub struct KLIFConsts {
    k: f64,
    inv_tau: f64,
    v_threshold: f64,
    v_reset: f64,
}

/// One time step with input `x`; `true` if F[t] ≥ V_th.
#[inline(always)]
pub fn klif_step(k: &KLIFConsts, s: &mut KLIFState, x: f64) -> bool {
    let h = s.v + (x - (s.v - k.v_reset)) * k.inv_tau;
    let f = (k.k * h).max(0.0);
    if f >= k.v_threshold {
        s.v = k.v_reset;
        true
    } else {
        s.v = f;
        false
    }
}

standalone! {
/// KLIF neuron (Jiang & Zhang 2023): k-scaled, rectified discrete LIF.
pub struct KLIFNeuron;
}

impl KLIFNeuron {
    /// Advance one time step with input `current` [1]; `true` on a spike. A non-finite input is
    /// refused: the state is kept and no spike is returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for KLIFNeuron {
    const NAME: &'static str = "KLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "k-scaled rectified discrete LIF (KLIF, Jiang & Zhang 2023)";
    const REFERENCE: &'static str = "Jiang & Zhang 2023, KLIF, arXiv:2302.09238";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = KLIFParams;
    type State = KLIFState;
    type Consts = KLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &KLIFParams) -> KLIFState {
        KLIFState { v: 0.0 }
    }
    fn standalone_span(_: &KLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &KLIFParams, _: f64) -> KLIFConsts {
        KLIFConsts {
            k: p.k,
            inv_tau: 1.0 / p.tau,
            v_threshold: p.v_threshold,
            v_reset: p.v_reset,
        }
    }
    #[inline(always)]
    fn update(k: &KLIFConsts, s: &mut KLIFState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        klif_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(p: KLIFParams, x: f64, steps: usize) -> (Vec<usize>, KLIFNeuron) {
        let mut n = KLIFNeuron::with_params(p).unwrap();
        let s = (1..=steps).filter(|_| n.step(x)).collect();
        (s, n)
    }

    #[test]
    fn paper_equations_constant_input() {
        // Spec §9: k = 1, τ = 2. X = 2: H = 0 + (2 − 0)/2 = 1 ≥ 1 → every step.
        let (s, _) = spikes(KLIFParams::default(), 2.0, 10);
        assert_eq!(s, (1..=10).collect::<Vec<_>>());
        // X = 1.5: H₁ = 0.75, H₂ = 0.75 + (1.5 − 0.75)/2 = 1.125 → every second step.
        let (s, _) = spikes(KLIFParams::default(), 1.5, 10);
        assert_eq!(s, vec![2, 4, 6, 8, 10]);
    }

    #[test]
    fn relu_keeps_the_potential_non_negative() {
        let mut n = KLIFNeuron::new();
        for x in [-5.0, -0.1, 0.3, -2.0, -100.0] {
            assert!(!n.step(x));
            assert!(n.state().v >= 0.0);
        }
        // After X = 0.3 from 0: V = 0.15; then any negative input gives F = 0.
        assert_eq!(n.state().v, 0.0);
    }

    #[test]
    fn k_scales_the_membrane_potential() {
        // X = 1, k = 1: V_n = 1 − 2⁻ⁿ < 1, never fires (checked over 40 steps: beyond ~53
        // the double rounds 1 − 2⁻ⁿ up to 1). k = 1.2: F = 0.6, 0.96, 1.176 → step 3.
        let (s, n) = spikes(KLIFParams::default(), 1.0, 40);
        assert!(s.is_empty());
        assert!(n.state().v < 1.0 && n.state().v > 0.999);
        let p = KLIFParams {
            k: 1.2,
            ..Default::default()
        };
        let mut n = KLIFNeuron::with_params(p).unwrap();
        let f: Vec<(bool, f64)> = (0..3).map(|_| (n.step(1.0), n.state().v)).collect();
        assert!(!f[0].0 && (f[0].1 - 0.6).abs() < 1e-12);
        assert!(!f[1].0 && (f[1].1 - 0.96).abs() < 1e-12);
        assert!(f[2].0 && f[2].1 == 0.0);
    }
}
