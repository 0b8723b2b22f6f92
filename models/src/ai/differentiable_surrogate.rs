//! `DifferentiableSurrogateNeuron` — a discrete leaky integrator with hard reset and a
//! fast-sigmoid-squared surrogate gradient, 1/(1 + β|v − θ|)².
//!
//! **What it is.** SC-NeuroCore's own packaging (an "AI-optimised" model, spec §32), not
//! established neuroscience and not taken from a paper: a discrete LIF of the kind used for
//! surrogate-gradient training, with a surrogate derivative of the fast-sigmoid family. The
//! spike is reported one step after the threshold crossing (see below), which differs from
//! the usual "update, then threshold" ordering; SC-NeuroCore's description is the authority.
//!
//! **Equations** (one step = one iteration t; input I[t]): S[t] = [v[t−1] ≥ θ] (the *previous*
//! v); v[t] = α·v[t−1]·(1 − S[t]) + I[t]; the step returns S[t]. Surrogate gradient
//! ∂S/∂v ≈ 1/(1 + β|v − θ|)² at the current v ([`DifferentiableSurrogateNeuron::surrogate_grad`]).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** None: SC-NeuroCore's `DifferentiableSurrogateNeuron` (ai_optimized.py), spec
//! `shared/models/stochastic_rate_ai.md` §32. (Surrogate gradients of this fast-sigmoid form
//! appear in Zenke & Ganguli 2018, Neural Comput. 30:1514, doi:10.1162/neco_a_01086; this model
//! is not from that paper.)
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → spike, `surrogate_grad()`,
//! state `v` from 0), parameters (`alpha`, `beta`, `theta`), defaults and map, including the
//! one-step output lag.
//!
//! **Facts tested** (closed form in the tests). I = 0.5: between resets v_k = 0.5(1 − 0.9ᵏ)/0.1,
//! i.e. 0.5, 0.95, 1.355, so the outputs are 0, 0, 0, 1, 0, 0, 1, … (spec §32.8), period 3; the
//! period for constant I is 1 + the first k with I(1 − αᵏ)/(1 − α) ≥ θ; the surrogate is 1 at
//! v = θ, 1/4 at |v − θ| = 1/β, symmetric, and 0.64 at v = 0.95.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`DifferentiableSurrogateNeuron`].
    pub struct DifferentiableSurrogateParams {
        /// Membrane retention per step, α [1].
        alpha: f64 = 0.9,
        /// Sharpness of the surrogate gradient, β [1].
        beta: f64 = 5.0,
        /// Threshold, θ [1].
        theta: f64 = 1.0,
    }
}

impl DifferentiableSurrogateParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("alpha", self.alpha, 0.0, 1.0)?;
        check::non_negative("beta", self.beta)
    }
}

neuron_state! {
    /// State of [`DifferentiableSurrogateNeuron`].
    pub struct DifferentiableSurrogateState {
        /// Membrane variable, v [1].
        v: f64 => DsnV,
    }
}

/// One iteration: threshold on the previous v, then leak-and-integrate with hard reset.
#[inline(always)]
pub fn differentiable_surrogate_step(
    p: &DifferentiableSurrogateParams,
    s: &mut DifferentiableSurrogateState,
    i: f64,
) -> bool {
    let spike = s.v >= p.theta;
    s.v = if spike { i } else { p.alpha * s.v + i };
    spike
}

/// The surrogate gradient 1/(1 + β|v − θ|)².
#[inline(always)]
pub fn surrogate(p: &DifferentiableSurrogateParams, v: f64) -> f64 {
    let d = 1.0 + p.beta * (v - p.theta).abs();
    1.0 / (d * d)
}

standalone! {
/// SC-NeuroCore's discrete LIF with a fast-sigmoid surrogate gradient (its own packaging).
pub struct DifferentiableSurrogateNeuron;
}

impl DifferentiableSurrogateNeuron {
    /// One iteration with input `current` [1]; `true` if the *previous* v was at threshold.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// The surrogate gradient at the current v, 1/(1 + β|v − θ|)² [1].
    pub fn surrogate_grad(&self) -> f64 {
        surrogate(self.params(), self.state().v)
    }
}

impl Model for DifferentiableSurrogateNeuron {
    const NAME: &'static str = "DifferentiableSurrogateNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore packaging: discrete LIF (lagged spike) with fast-sigmoid surrogate gradient";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §32";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = DifferentiableSurrogateParams;
    type State = DifferentiableSurrogateState;
    type Consts = DifferentiableSurrogateParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &DifferentiableSurrogateParams) -> DifferentiableSurrogateState {
        DifferentiableSurrogateState::default()
    }
    fn standalone_span(_: &DifferentiableSurrogateParams) -> f64 {
        1.0
    }
    fn prepare(p: &DifferentiableSurrogateParams, _: f64) -> DifferentiableSurrogateParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &DifferentiableSurrogateParams,
        s: &mut DifferentiableSurrogateState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        differentiable_surrogate_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lagged_spikes_with_period_three_at_i_half() {
        // Spec §32.8: outputs 0, 0, 0, 1, 0, 0, 1, 0, 0, 1; v = 0.5, 0.95, 1.355, 0.5, …
        let mut n = DifferentiableSurrogateNeuron::new();
        let out: Vec<bool> = (0..10).map(|_| n.step(0.5)).collect();
        let want = [0, 0, 0, 1, 0, 0, 1, 0, 0, 1].map(|b| b == 1);
        assert_eq!(out, want);
        let mut n = DifferentiableSurrogateNeuron::new();
        for want in [0.5, 0.95, 1.355, 0.5] {
            n.step(0.5);
            assert!((n.state().v - want).abs() < 1e-12);
        }
    }

    #[test]
    fn period_from_the_geometric_sum() {
        // From reset (v = I) the value after k inputs is I(1 − αᵏ)/(1 − α); the crossing step
        // is reported one iteration later and v restarts at I: period = k*.
        for i in [0.15, 0.3, 0.5, 0.9, 1.5] {
            let k_star = (1..)
                .find(|&k| i * (1.0 - 0.9f64.powi(k)) / 0.1 >= 1.0)
                .unwrap() as usize;
            let mut n = DifferentiableSurrogateNeuron::new();
            let t: Vec<usize> = (1..=200).filter(|_| n.step(i)).collect();
            assert!(t.len() > 3, "I = {i}");
            assert_eq!(
                t[0],
                k_star + 1,
                "I = {i}: first output one step after the crossing"
            );
            assert!(
                t.windows(2).all(|w| w[1] - w[0] == k_star),
                "I = {i}: {t:?}"
            );
        }
        // Below (1 − α)θ = 0.1 the value never reaches θ.
        let mut n = DifferentiableSurrogateNeuron::new();
        assert!((0..10_000).all(|_| !n.step(0.099)));
    }

    #[test]
    fn surrogate_gradient_shape() {
        // 1/(1 + β|v − θ|)²: 1 at θ, 1/4 at θ ± 1/β, 1/(1 + 5·0.05)² = 0.64 at v = 0.95.
        let mut n = DifferentiableSurrogateNeuron::new();
        for (v, want) in [
            (1.0, 1.0),
            (1.2, 0.25),
            (0.8, 0.25),
            (0.95, 0.64),
            (0.0, 1.0 / 36.0),
            (3.0, 1.0 / 121.0),
        ] {
            n.state_mut().v = v;
            assert!((n.surrogate_grad() - want).abs() < 1e-12, "v = {v}");
        }
        // It is the derivative of the fast sigmoid x/(1 + |x|) at x = β(v − θ), divided by β…
        // times β: d/dv [ (v−θ) / (1 + β|v−θ|) ] = 1/(1 + β|v−θ|)², checked numerically.
        let f = |v: f64| (v - 1.0) / (1.0 + 5.0 * (v - 1.0).abs());
        for v in [0.3, 0.9, 1.1, 2.0] {
            let num = (f(v + 1e-6) - f(v - 1e-6)) / 2e-6;
            n.state_mut().v = v;
            assert!((n.surrogate_grad() - num).abs() < 1e-6, "v = {v}");
        }
    }
}
