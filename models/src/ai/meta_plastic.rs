//! `MetaPlasticNeuron` — a leaky integrate-and-fire neuron plus a separate reward-prediction
//! learner whose learning rate follows a sigmoid of its smoothed prediction error.
//!
//! **What it is.** SC-NeuroCore's own invention (an "AI-optimised" model, spec §34), not
//! established neuroscience: no paper describes it; SC-NeuroCore's description is the only
//! authority. The "meta-plasticity" is a learning rate that rises when the learner is often
//! surprised and falls when rewards are predictable. The spiking neuron and the learner are not
//! coupled at all (as in SC-NeuroCore).
//!
//! **Equations.** Neuron: τ dv/dt = −v + I; a spike when v ≥ θ, then v ← 0. Learner, per call of
//! [`MetaPlasticNeuron::update_meta`] with reward R: e = |R − expected|;
//! error_trace += Δ(e − error_trace)/τ_meta (Δ = the standalone step span, 1 ms);
//! meta_lr = lr0·σ(κ(error_trace − target_error)) with the updated trace;
//! expected += meta_lr·(R − expected).
//!
//! **Numerics.** The neuron: forward Euler as SC-NeuroCore, in substeps of at most `substep`
//! (1 ms, its dt), the threshold tested after every substep; a standalone step spans `span` =
//! 1 ms. The learner is a map, one Euler step of the trace per reward.
//!
//! **Units.** Dimensionless v, reward and trace; time in ms.
//!
//! **Reference.** None: SC-NeuroCore's `MetaPlasticNeuron` (ai_optimized.py), spec
//! `shared/models/stochastic_rate_ai.md` §34.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → spike, `update_meta(reward)`,
//! `meta_lr`; state `v`, `error_trace`, `expected_reward` from 0), parameters, defaults and maps
//! at the default step. `dt` is split into `span` (the step, also the learner's Δ) and
//! `substep` (the neuron's Euler step). In a network only `step` runs (the learner has no port);
//! `update_meta` is for standalone use.
//!
//! **Facts tested** (closed form in the tests). I = 2: v_n = 2(1 − 0.9ⁿ) reaches 1 at n = 7, so
//! spikes at 7, 14, 21, … (spec §34.8); meta_lr = lr0·σ(κ(error_trace − target)) after every
//! update, 0.01·σ(−1.5) = 0.001824 at the start; with rewards ±1 (|e| ≈ 1 while expected stays
//! within lr0 of 0) the trace follows 1 − (1 − Δ/τ_meta)ⁿ and the learning rate passes lr0/2
//! when it reaches the target, after n* = ln(0.7)/ln(0.998) ≈ 178 rewards; with a constant,
//! learned reward the trace and the learning rate decay back.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MetaPlasticNeuron`].
    pub struct MetaPlasticParams {
        /// Membrane time constant, τ [ms].
        tau: f64 = 10.0,
        /// Time constant of the error trace, τ_meta [ms].
        tau_meta: f64 = 500.0,
        /// Threshold, θ [1].
        theta: f64 = 1.0,
        /// Largest learning rate, lr0 [1].
        lr0: f64 = 0.01,
        /// Slope of the learning-rate sigmoid, κ [1].
        kappa: f64 = 5.0,
        /// Error-trace level at which the learning rate is lr0/2 [1].
        target_error: f64 = 0.3,
        /// Time spanned by one standalone `step()` (and one `update_meta()`) [ms].
        span: f64 = 1.0,
        /// Largest internal Euler step of the membrane [ms].
        substep: f64 = 1.0,
    }
}

impl MetaPlasticParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("tau_meta", self.tau_meta)?;
        check::non_negative("lr0", self.lr0)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)?;
        check::less("substep", self.substep, "tau", self.tau * (1.0 + 1e-12))
    }
}

neuron_state! {
    /// State of [`MetaPlasticNeuron`].
    pub struct MetaPlasticState {
        /// Membrane variable, v [1].
        v: f64 => MetaV,
        /// Smoothed absolute reward-prediction error [1].
        error_trace: f64 => MetaErrorTrace,
        /// Predicted reward [1].
        expected_reward: f64 => MetaExpectedReward,
    }
}

/// Constants of [`MetaPlasticNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct MetaPlasticConsts {
    n: u32,
    /// h/τ.
    k: f64,
    theta: f64,
}

/// One step of the neuron: `k.n` Euler substeps, the threshold tested after each.
#[inline(always)]
pub fn meta_plastic_step(k: &MetaPlasticConsts, s: &mut MetaPlasticState, i: f64) -> bool {
    let mut spiked = false;
    for _ in 0..k.n {
        let v = s.v + k.k * (i - s.v);
        let fire = v >= k.theta;
        s.v = if fire { 0.0 } else { v };
        spiked |= fire;
    }
    spiked
}

/// The learning rate for an error trace: lr0·σ(κ(trace − target)).
pub fn meta_learning_rate(p: &MetaPlasticParams, error_trace: f64) -> f64 {
    p.lr0 * sigmoid(p.kappa * (error_trace - p.target_error))
}

standalone! {
/// SC-NeuroCore's LIF with a meta-plastic reward learner (its own design).
pub struct MetaPlasticNeuron;
}

impl MetaPlasticNeuron {
    /// Advance one step (1 ms by default) with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// One update of the reward learner with reward `reward` [1]. A non-finite reward is
    /// refused and leaves the state unchanged.
    pub fn update_meta(&mut self, reward: f64) {
        if !reward.is_finite() {
            return;
        }
        let d = self.span();
        let p = self.params().clone();
        let s = self.state_mut();
        let e = (reward - s.expected_reward).abs();
        s.error_trace += d * (e - s.error_trace) / p.tau_meta;
        let lr = meta_learning_rate(&p, s.error_trace);
        s.expected_reward += lr * (reward - s.expected_reward);
    }

    /// The current learning rate, lr0·σ(κ(error_trace − target_error)) [1].
    pub fn meta_lr(&self) -> f64 {
        meta_learning_rate(self.params(), self.state().error_trace)
    }
}

impl Model for MetaPlasticNeuron {
    const NAME: &'static str = "MetaPlasticNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore invention: LIF plus a reward learner whose rate follows its error trace";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §34";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = MetaPlasticParams;
    type State = MetaPlasticState;
    type Consts = MetaPlasticConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &MetaPlasticParams) -> MetaPlasticState {
        MetaPlasticState::default()
    }
    fn standalone_span(p: &MetaPlasticParams) -> f64 {
        p.span
    }
    fn prepare(p: &MetaPlasticParams, span: f64) -> MetaPlasticConsts {
        let (n, h) = substeps(span, p.substep);
        MetaPlasticConsts {
            n,
            k: h / p.tau,
            theta: p.theta,
        }
    }
    #[inline(always)]
    fn update(
        k: &MetaPlasticConsts,
        s: &mut MetaPlasticState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        meta_plastic_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logistic(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    #[test]
    fn lif_spikes_every_seven_steps_at_i_2() {
        // v_n = 2(1 − 0.9ⁿ) ≥ 1 first at n = 7 (0.9⁷ = 0.478; 0.9⁶ = 0.531).
        let k = (1..)
            .find(|&k| 2.0 * (1.0 - 0.9f64.powi(k)) >= 1.0)
            .unwrap();
        assert_eq!(k, 7);
        let mut n = MetaPlasticNeuron::new();
        let t: Vec<usize> = (1..=70).filter(|_| n.step(2.0)).collect();
        assert_eq!(t, (1..=10).map(|j| 7 * j).collect::<Vec<_>>());
        // The learner is untouched by spiking.
        assert_eq!(
            (n.state().error_trace, n.state().expected_reward),
            (0.0, 0.0)
        );
    }

    #[test]
    fn learning_rate_follows_the_error_trace() {
        let mut n = MetaPlasticNeuron::new();
        // At the start: 0.01·σ(5·(0 − 0.3)) = 0.01·σ(−1.5) = 0.001824 (spec §34.8).
        assert!((n.meta_lr() - 0.01 * logistic(-1.5)).abs() < 1e-15);
        assert!((n.meta_lr() - 0.001_824).abs() < 5e-7);
        // Rewards ±1: expected stays within lr0·1.01 of 0, so e ∈ [0.98, 1.02] and the trace is
        // 1 − 0.998ⁿ to within 2 %; the rate passes lr0/2 when the trace passes 0.3, after
        // n* = ln 0.7 / ln 0.998 = 178.2 rewards.
        let n_star = 0.7f64.ln() / 0.998f64.ln();
        assert!((n_star - 178.2).abs() < 0.1);
        let mut crossed = None;
        for k in 1..=1000 {
            let r = if k % 2 == 0 { 1.0 } else { -1.0 };
            n.update_meta(r);
            let s = *n.state();
            assert!(s.expected_reward.abs() < 0.0102);
            let closed = 1.0 - 0.998f64.powi(k);
            assert!((s.error_trace - closed).abs() <= 0.02 * closed, "k = {k}");
            // The rate is the sigmoid of the trace, exactly.
            let lr = 0.01 * logistic(5.0 * (s.error_trace - 0.3));
            assert!((n.meta_lr() - lr).abs() < 1e-15);
            if crossed.is_none() && n.meta_lr() > 0.005 {
                crossed = Some(k as f64);
            }
        }
        let c = crossed.unwrap();
        assert!((c - n_star).abs() < 0.02 * n_star, "{c} vs {n_star}");
        let high = n.meta_lr();
        assert!(high > 0.009, "{high}");
        // Predictable rewards: R = 0.5 is learned, e → 0, the trace decays, and the rate falls
        // toward lr0·σ(−1.5).
        for _ in 0..20_000 {
            n.update_meta(0.5);
        }
        let s = *n.state();
        assert!((s.expected_reward - 0.5).abs() < 1e-3, "{s:?}");
        assert!(s.error_trace < 1e-3 && n.meta_lr() < 0.0019, "{s:?}");
    }

    #[test]
    fn update_meta_is_one_step_of_the_stated_map() {
        // From rest with R = 1: e = 1, trace = 1/500, lr = 0.01 σ(5(0.002 − 0.3)), expected = lr.
        let mut n = MetaPlasticNeuron::new();
        n.update_meta(1.0);
        let lr = 0.01 * logistic(5.0 * (0.002 - 0.3));
        assert!((n.state().error_trace - 0.002).abs() < 1e-16);
        assert!((n.state().expected_reward - lr).abs() < 1e-16);
        let before = *n.state();
        n.update_meta(f64::NAN);
        assert_eq!(*n.state(), before);
    }
}
