//! `GatedLIFNeuron` — the gated leaky integrate-and-fire neuron (GLIF) of Yao et al. (2022),
//! with its gates held at fixed values.
//!
//! **Equations** (one step = one time step t; X[t] the input, S the spike, U the potential):
//! * integration: I[t] = κ·X[t]·(1 − β(1 − g)), with g the synaptic conductance gate;
//! * leak and reset: U[t] = (1 − α(1 − τ̃))·U[t−1]·(1 − γS[t−1]) − (1 − α)ℓ + I[t]
//!   − (1 − γ)·V_re·S[t−1];
//! * fire: S[t] = H(U[t] − V_th), spike iff U[t] > V_th.
//!
//! α fuses an exponential leak (retention τ̃, α = 1) with a linear leak ℓ (α = 0); β fuses a
//! plain input (β = 0) with a conductance-gated one (β = 1); γ fuses a hard reset to 0 (γ = 1)
//! with a soft reset that subtracts V_re (γ = 0). As in the paper the reset is applied in the
//! step after the spike, from the potential and spike of that step; S[t−1] is recomputed from
//! U[t−1], so the state is U alone. In the paper every gate, τ̃, ℓ, g, V_th and V_re are
//! learned (sigmoids of trainable logits, g per time step); here they are fixed parameters.
//! Reductions: α = 1, β = 0, γ = 1 is the discrete LIF with hard reset
//! U[t] = τ̃U[t−1](1 − S[t−1]) + X[t]; α = 1, β = 0, γ = 0 the discrete LIF with soft reset;
//! α = 0 a non-leaky integrator with a linear leak ℓ per step.
//!
//! **Numerics.** A discrete map, exact by definition. In a network it iterates once per network
//! step whatever `dt`.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Yao, X., Li, F., Mo, Z. & Cheng, J. (2022) "GLIF: A Unified Gated Leaky
//! Integrate-and-Fire Neuron for Spiking Neural Networks", Advances in Neural Information
//! Processing Systems 35 (NeurIPS 2022), arXiv:2210.13768. Default gates α = 1, β = 0, γ = 0
//! and gate_v = 0.9, κ = 1, V_th = V_re = 1 are SC-NeuroCore's model (the paper has no fixed
//! values: all are learned); ℓ = V_th/(2T) with T = 4 time steps and g = 0.5 are the authors'
//! initial values.
//!
//! **Relation to SC-NeuroCore** (spec §4). Same interface (`step(current)`, state `v`, initial
//! 0, gate_v 0.9, gate_i 1, v_threshold 1). SC-NeuroCore implements none of the gating:
//! v ← gate_v·v + gate_i·I, soft reset v ← v − θ at once. Differences: (a) the three gates and
//! the linear leak, conductance and reset-amount parameters (`alpha`, `beta`, `gamma`,
//! `linear_decay`, `conduct`, `v_subreset`) are added; (b) `v` is the paper's U[t], the
//! potential before the reset that the next step applies (SC-NeuroCore stores it after the
//! reset), so after a spike `v` is above threshold for one step; (c) the paper's soft reset
//! subtracts V_re without leaking it: SC-NeuroCore's map is GLIF with V_re = gate_v·θ, not
//! V_re = θ (derived: v[t] = gate_v(U[t−1] − θS[t−1]) + I[t]); (d) the threshold is strict
//! (U > V_th, as in the authors' code) where SC-NeuroCore fires at equality; (e) the unused
//! `dt` parameter is dropped (one step is one time step).
//!
//! **Paper facts tested** (from the paper's equations). α = 1, β = 0, γ = 1 reproduces the
//! hard-reset discrete LIF (τ̃ = 0.5, X = 0.6, V_th = 1: U = 0.6, 0.9, 1.05 → a spike every 3rd
//! step); α = 0 gives U[n] = n(X − ℓ) until the first spike; β = 1 scales the input by g; γ = 0
//! is a soft reset by V_re. With SC-NeuroCore's defaults and X = 0.5: U = 0.5, 0.95, 1.355 →
//! spike at step 3 (spec §4), then U = 0.9·1.355 + 0.5 − 1 = 0.7195.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`GatedLIFNeuron`].
    pub struct GatedLIFParams {
        /// Leak gate: 1 = exponential leak, 0 = linear leak, α [1].
        alpha: f64 = 1.0,
        /// Integration gate: 0 = plain input, 1 = conductance-gated input, β [1].
        beta: f64 = 0.0,
        /// Reset gate: 1 = hard reset to 0, 0 = soft reset by V_re, γ [1].
        gamma: f64 = 0.0,
        /// Exponential retention factor per step, τ̃ [1].
        gate_v: f64 = 0.9,
        /// Input gain, κ [1].
        gate_i: f64 = 1.0,
        /// Linear leak per step, ℓ [1].
        linear_decay: f64 = 0.125,
        /// Synaptic conductance gate, g [1].
        conduct: f64 = 0.5,
        /// Firing threshold, V_th [1].
        v_threshold: f64 = 1.0,
        /// Soft-reset amount, V_re [1].
        v_subreset: f64 = 1.0,
    }
}

impl GatedLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("alpha", self.alpha, 0.0, 1.0)?;
        check::in_range("beta", self.beta, 0.0, 1.0)?;
        check::in_range("gamma", self.gamma, 0.0, 1.0)?;
        check::in_range("gate_v", self.gate_v, 0.0, 1.0)?;
        check::in_range("conduct", self.conduct, 0.0, 1.0)?;
        check::positive("v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`GatedLIFNeuron`].
    pub struct GatedLIFState {
        /// Membrane potential before the pending reset, U[t] [1].
        v: f64 => GlifV,
    }
}

/// Constants of [`GatedLIFNeuron`] (the fused coefficients of the map).
#[derive(Clone, Debug)]
pub struct GatedLIFConsts {
    retention: f64,
    hard: f64,
    soft: f64,
    linear: f64,
    input_gain: f64,
    v_threshold: f64,
}

/// One time step with input `x`; `true` if U[t] > V_th.
#[inline(always)]
pub fn gated_lif_step(k: &GatedLIFConsts, s: &mut GatedLIFState, x: f64) -> bool {
    let prev_spike = if s.v > k.v_threshold { 1.0 } else { 0.0 };
    s.v = k.retention * s.v * (1.0 - k.hard * prev_spike) - k.linear + k.input_gain * x
        - k.soft * prev_spike;
    s.v > k.v_threshold
}

standalone! {
/// Gated LIF (GLIF, Yao et al. 2022) with fixed gates.
pub struct GatedLIFNeuron;
}

impl GatedLIFNeuron {
    /// Advance one time step with input `current` [1]; `true` on a spike. A non-finite input
    /// is refused: the state is kept and no spike is returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for GatedLIFNeuron {
    const NAME: &'static str = "GatedLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Gated LIF (GLIF, Yao et al. 2022) with fixed gates";
    const REFERENCE: &'static str = "Yao, Li, Mo & Cheng 2022, GLIF, NeurIPS 35, arXiv:2210.13768";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = GatedLIFParams;
    type State = GatedLIFState;
    type Consts = GatedLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &GatedLIFParams) -> GatedLIFState {
        GatedLIFState { v: 0.0 }
    }
    fn standalone_span(_: &GatedLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &GatedLIFParams, _: f64) -> GatedLIFConsts {
        GatedLIFConsts {
            retention: 1.0 - p.alpha * (1.0 - p.gate_v),
            hard: p.gamma,
            soft: (1.0 - p.gamma) * p.v_subreset,
            linear: (1.0 - p.alpha) * p.linear_decay,
            input_gain: p.gate_i * (1.0 - p.beta * (1.0 - p.conduct)),
            v_threshold: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        k: &GatedLIFConsts,
        s: &mut GatedLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        gated_lif_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: GatedLIFParams, x: f64, steps: usize) -> (Vec<usize>, Vec<f64>) {
        let mut n = GatedLIFNeuron::with_params(p).unwrap();
        let mut spikes = Vec::new();
        let mut trace = Vec::new();
        for t in 1..=steps {
            if n.step(x) {
                spikes.push(t);
            }
            trace.push(n.state().v);
        }
        (spikes, trace)
    }

    #[test]
    fn sc_neurocore_example_and_the_unleaked_soft_reset() {
        // Spec §4: defaults, X = 0.5: U = 0.5, 0.95, 1.355 → spike at step 3; the paper's soft
        // reset then gives 0.9·1.355 + 0.5 − 1.0 = 0.7195 (SC-NeuroCore: 0.9·0.355 + 0.5).
        let (spikes, u) = run(GatedLIFParams::default(), 0.5, 4);
        assert_eq!(spikes, vec![3]);
        for (got, want) in u.iter().zip([0.5, 0.95, 1.355, 0.7195]) {
            assert!((got - want).abs() < 1e-12, "{u:?}");
        }
        // SC-NeuroCore's map is GLIF with V_re = gate_v·θ: then U[4] = 0.8195.
        let p = GatedLIFParams {
            v_subreset: 0.9,
            ..Default::default()
        };
        let (_, u) = run(p, 0.5, 4);
        assert!((u[3] - 0.8195).abs() < 1e-12);
    }

    #[test]
    fn hard_reset_corner_is_the_discrete_lif() {
        // α = 1, β = 0, γ = 1: U[t] = τ̃U[t−1](1 − S[t−1]) + X. τ̃ = 0.5, X = 0.6:
        // U_n = 1.2(1 − 0.5ⁿ) = 0.6, 0.9, 1.05 → spike every 3rd step, U back to 0.6 after.
        let p = GatedLIFParams {
            gamma: 1.0,
            gate_v: 0.5,
            ..Default::default()
        };
        let (spikes, u) = run(p, 0.6, 30);
        assert_eq!(spikes, (1..=10).map(|k| 3 * k).collect::<Vec<_>>());
        assert!((u[3] - 0.6).abs() < 1e-12 && (u[5] - 1.05).abs() < 1e-12);
    }

    #[test]
    fn linear_leak_corner() {
        // α = 0 (linear leak ℓ, no exponential decay), γ = 1: U_n = n(X − ℓ) until U > 1.
        // X = 0.35, ℓ = 0.05: 0.3, 0.6, 0.9, 1.2 → spike at step 4; then U = 0.3 again.
        let p = GatedLIFParams {
            alpha: 0.0,
            gamma: 1.0,
            linear_decay: 0.05,
            ..Default::default()
        };
        let (spikes, u) = run(p, 0.35, 12);
        assert_eq!(spikes, vec![4, 8, 12]);
        assert!((u[2] - 0.9).abs() < 1e-12 && (u[4] - 0.3).abs() < 1e-12);
    }

    #[test]
    fn conductance_gate_scales_the_input() {
        // β = 1: I = X·g. With τ̃ = 0 (memoryless) and g = 0.5, X fires iff X·0.5 > 1.
        let p = GatedLIFParams {
            beta: 1.0,
            gamma: 1.0,
            gate_v: 0.0,
            ..Default::default()
        };
        assert!(run(p.clone(), 1.9, 10).0.is_empty());
        assert_eq!(run(p, 2.1, 10).0.len(), 10);
    }

    #[test]
    fn soft_reset_keeps_the_rate_of_a_perfect_integrator() {
        // α = 1, τ̃ = 1 (no leak), γ = 0, V_re = V_th = 1: spike count after n steps is
        // ⌊0.3n⌋ up to one (the strict threshold can delay a spike landing exactly on 1).
        let p = GatedLIFParams {
            gate_v: 1.0,
            ..Default::default()
        };
        let (spikes, _) = run(p, 0.3, 10_000);
        assert!(spikes.len().abs_diff(3000) <= 1, "{}", spikes.len());
    }
}
