//! `AttentionGatedNeuron` — a leaky integrator whose input passes through a sigmoid gate of
//! the input and the membrane.
//!
//! **What it is.** SC-NeuroCore's own invention (an "AI-optimised" model, spec §28), not
//! established neuroscience: no paper describes it; SC-NeuroCore's description is the only
//! authority. The "attention" is a multiplicative gate σ(w_key·I + w_query·v) in (0, 1): strong
//! positive input opens it, negative input closes it.
//!
//! **Equations.** gate = σ(w_key·I + w_query·v), with v the value before the update;
//! τ dv/dt = −v + gate·I; a spike when v ≥ θ, then v ← 0.
//!
//! **Numerics.** Forward Euler, as SC-NeuroCore, in substeps of at most `substep` (1 ms, its
//! dt), the gate evaluated from the substep's starting v and the threshold tested after every
//! substep; a standalone step spans `span` = 1 ms (one SC-NeuroCore step). The logistic is
//! overflow-safe (SC-NeuroCore's raises OverflowError for arguments below about −709).
//!
//! **Units.** Dimensionless v and input; time in ms.
//!
//! **Reference.** None: SC-NeuroCore's `AttentionGatedNeuron` (ai_optimized.py), spec
//! `shared/models/stochastic_rate_ai.md` §28.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → spike, state `v` from 0),
//! parameters and defaults, and the same map at the default step. Only differences: the stable
//! logistic, and `dt` split into `span` (the step) and `substep` (the Euler step).
//!
//! **Facts tested** (re-derived in the tests). I = 2: spikes at steps 8, 16, 24, … (spec §28.8).
//! The subthreshold fixed point v* = I·σ(w_key·I + w_query·v*) (Euler keeps the ODE's fixed
//! points, and v rises monotonically to it), so the rheobase is the root of
//! I·σ(w_key·I + w_query·θ) = θ, I_r = 1.18537… for the defaults, found by bisection in the test;
//! the gate closes for negative input (v* = I·σ(w_key·I + w_query·v*) ≈ −0.033 at I = −5
//! instead of −5).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`AttentionGatedNeuron`].
    pub struct AttentionGatedParams {
        /// Gate weight of the input ("key"), w_key [1].
        w_key: f64 = 1.0,
        /// Gate weight of the membrane ("query"), w_query [1].
        w_query: f64 = 0.5,
        /// Membrane time constant, τ [ms].
        tau: f64 = 10.0,
        /// Threshold, θ [1].
        theta: f64 = 1.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal Euler step [ms].
        substep: f64 = 1.0,
    }
}

impl AttentionGatedParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)?;
        check::less("substep", self.substep, "tau", self.tau * (1.0 + 1e-12))
    }
}

neuron_state! {
    /// State of [`AttentionGatedNeuron`].
    pub struct AttentionGatedState {
        /// Membrane variable, v [1].
        v: f64 => AgnV,
    }
}

/// Constants of [`AttentionGatedNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct AttentionGatedConsts {
    n: u32,
    /// h/τ.
    k: f64,
    w_key: f64,
    w_query: f64,
    theta: f64,
}

/// One step: `k.n` Euler substeps, the threshold tested after each.
#[inline(always)]
pub fn attention_gated_step(k: &AttentionGatedConsts, s: &mut AttentionGatedState, i: f64) -> bool {
    let mut spiked = false;
    for _ in 0..k.n {
        let gate = sigmoid(k.w_key * i + k.w_query * s.v);
        let v = s.v + k.k * (gate * i - s.v);
        let fire = v >= k.theta;
        s.v = if fire { 0.0 } else { v };
        spiked |= fire;
    }
    spiked
}

standalone! {
/// SC-NeuroCore's attention-gated leaky integrator (its own design).
pub struct AttentionGatedNeuron;
}

impl AttentionGatedNeuron {
    /// Advance one step (1 ms by default) with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for AttentionGatedNeuron {
    const NAME: &'static str = "AttentionGatedNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore invention: leaky integrator with a sigmoid input gate of (input, v)";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §28";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = AttentionGatedParams;
    type State = AttentionGatedState;
    type Consts = AttentionGatedConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &AttentionGatedParams) -> AttentionGatedState {
        AttentionGatedState::default()
    }
    fn standalone_span(p: &AttentionGatedParams) -> f64 {
        p.span
    }
    fn prepare(p: &AttentionGatedParams, span: f64) -> AttentionGatedConsts {
        let (n, h) = substeps(span, p.substep);
        AttentionGatedConsts {
            n,
            k: h / p.tau,
            w_key: p.w_key,
            w_query: p.w_query,
            theta: p.theta,
        }
    }
    #[inline(always)]
    fn update(
        k: &AttentionGatedConsts,
        s: &mut AttentionGatedState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        attention_gated_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    fn logistic(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    /// Root of g(x) = 0 on [lo, hi] by bisection (g(lo), g(hi) of opposite signs).
    fn bisect(g: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
        let s = g(lo).signum();
        for _ in 0..200 {
            let m = 0.5 * (lo + hi);
            if g(m).signum() == s { lo = m } else { hi = m }
        }
        0.5 * (lo + hi)
    }

    #[test]
    fn spikes_every_eight_steps_at_i_2() {
        // Spec §28.8. From v = 0 the gate is σ(2 + 0.5v) ≥ 0.88 and v rises to ≥ 1 in 8 steps.
        let mut n = AttentionGatedNeuron::new();
        let t: Vec<usize> = (1..=100).filter(|_| n.step(2.0)).collect();
        assert_eq!(t, (1..=12).map(|j| 8 * j).collect::<Vec<_>>());
    }

    #[test]
    fn rheobase_is_the_root_of_the_gated_fixed_point() {
        // Fires iff the fixed point v* = I σ(I + 0.5 v*) reaches θ = 1: I_r σ(I_r + 0.5) = 1.
        let ir = bisect(|i| i * logistic(i + 0.5) - 1.0, 0.0, 2.0);
        assert!((ir - 1.185_37).abs() < 1e-4, "{ir}");
        let fires = |i: f64| {
            let mut n = AttentionGatedNeuron::new();
            (0..5000).any(|_| n.step(i))
        };
        assert!(!fires(ir * 0.999) && fires(ir * 1.001));
        // Below the rheobase v settles on the fixed point.
        let i = 0.7;
        let vstar = bisect(|v| i * logistic(i + 0.5 * v) - v, 0.0, 1.0);
        let mut n = AttentionGatedNeuron::new();
        for _ in 0..2000 {
            n.step(i);
        }
        assert!(
            (n.state().v - vstar).abs() < 1e-12,
            "{} vs {vstar}",
            n.state().v
        );
    }

    #[test]
    fn the_gate_closes_for_negative_input() {
        // I = −5: v* = −5 σ(−5 + 0.5 v*) ≈ −0.0335 (a plain integrator would reach −5).
        let vstar = bisect(|v| -5.0 * logistic(-5.0 + 0.5 * v) - v, -5.0, 0.0);
        assert!(vstar > -0.04 && vstar < -0.03, "{vstar}");
        let mut n = AttentionGatedNeuron::new();
        for _ in 0..2000 {
            n.step(-5.0);
        }
        assert!((n.state().v - vstar).abs() < 1e-12);
    }

    #[test]
    fn agrees_with_an_independent_integration_of_the_ode() {
        // With h = 0.01 ms the Euler model follows the ODE τ dv/dt = −v + σ(I + 0.5v)·I
        // (integrated with RK4 at 0.001 ms) to within 10⁻³ over the first 7 ms (subthreshold).
        let r = Reference::rk4(0.001, |_, y: &[f64]| {
            vec![(-y[0] + logistic(1.5 + 0.5 * y[0]) * 1.5) / 10.0]
        });
        let p = AttentionGatedParams {
            substep: 0.01,
            ..Default::default()
        };
        let mut n = AttentionGatedNeuron::with_span(p, 0.01).unwrap();
        let mut y = vec![0.0];
        for k in 1..=700 {
            n.step(1.5);
            for _ in 0..10 {
                y = r.step(0.0, &y);
            }
            if k % 100 == 0 {
                assert!(
                    (n.state().v - y[0]).abs() < 1e-3,
                    "t = {k}: {} vs {}",
                    n.state().v,
                    y[0]
                );
            }
        }
    }
}
