//! `PredictiveCodingNeuron` — a leaky integrator driven by the prediction error |I − pred| of
//! a running prediction of its own input, so it fires on novelty and falls silent on a
//! repeated stimulus.
//!
//! **What it is.** SC-NeuroCore's own invention (an "AI-optimised" model, spec §29), not
//! established neuroscience: no paper describes it; SC-NeuroCore's description is the only
//! authority. (It borrows the name of predictive coding, but it is a single unit with a
//! low-pass prediction, not a model from that literature.)
//!
//! **Equations.** surprise = |I − pred| (pred before the update); τ_pred dpred/dt = I − pred;
//! τ dv/dt = −v + surprise; a spike when v ≥ θ, then v ← 0.
//!
//! **Numerics.** Forward Euler, as SC-NeuroCore, in substeps of at most `substep` (1 ms, its
//! dt), the threshold tested after every substep; a standalone step spans `span` = 1 ms (one
//! SC-NeuroCore step).
//!
//! **Units.** Dimensionless v, pred and input; time in ms.
//!
//! **Reference.** None: SC-NeuroCore's `PredictiveCodingNeuron` (ai_optimized.py), spec
//! `shared/models/stochastic_rate_ai.md` §29.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → spike, state `v`, `pred` from
//! 0), parameters, defaults and map at the default step; `dt` is split into `span` (the step)
//! and `substep` (the Euler step).
//!
//! **Facts tested** (closed form, re-derived in the tests). After a step of size ΔI from an
//! adapted state, surprise_n = ΔI·q^{n−1} with q = 1 − h/τ_pred, and between resets (the last at
//! step m) v_{m+k} = (h/τ)ΔI·q^m·(q^k − a^k)/(q − a) with a = 1 − h/τ; so for I = 5 from rest
//! the spikes are at steps 3, 6, 9, 12, 15, 19, 23, 27, 32, 37, 43, 50, 59, 74 and then never
//! (spec §29.8); a repeated stimulus is silent; a novel one (any jump |ΔI| = 5, up or down)
//! gives the same 14 spikes again.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PredictiveCodingNeuron`].
    pub struct PredictiveCodingParams {
        /// Membrane time constant, τ [ms].
        tau: f64 = 10.0,
        /// Time constant of the running prediction, τ_pred [ms].
        tau_pred: f64 = 50.0,
        /// Threshold, θ [1].
        theta: f64 = 1.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal Euler step [ms].
        substep: f64 = 1.0,
    }
}

impl PredictiveCodingParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("tau_pred", self.tau_pred)?;
        check::positive("theta", self.theta)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)?;
        check::less("substep", self.substep, "tau", self.tau * (1.0 + 1e-12))
    }
}

neuron_state! {
    /// State of [`PredictiveCodingNeuron`].
    pub struct PredictiveCodingState {
        /// Membrane variable, v [1].
        v: f64 => PcnV,
        /// Running prediction of the input, pred [1].
        pred: f64 => PcnPred,
    }
}

/// Constants of [`PredictiveCodingNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct PredictiveCodingConsts {
    n: u32,
    /// h/τ and h/τ_pred.
    k: f64,
    kp: f64,
    theta: f64,
}

/// One step: `k.n` Euler substeps, the threshold tested after each.
#[inline(always)]
pub fn predictive_coding_step(
    k: &PredictiveCodingConsts,
    s: &mut PredictiveCodingState,
    i: f64,
) -> bool {
    let mut spiked = false;
    for _ in 0..k.n {
        let surprise = (i - s.pred).abs();
        s.pred += k.kp * (i - s.pred);
        let v = s.v + k.k * (surprise - s.v);
        let fire = v >= k.theta;
        s.v = if fire { 0.0 } else { v };
        spiked |= fire;
    }
    spiked
}

standalone! {
/// SC-NeuroCore's novelty-driven ("predictive coding") leaky integrator (its own design).
pub struct PredictiveCodingNeuron;
}

impl PredictiveCodingNeuron {
    /// Advance one step (1 ms by default) with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for PredictiveCodingNeuron {
    const NAME: &'static str = "PredictiveCodingNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore invention: leaky integrator of |input - running prediction| (novelty)";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §29";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[5.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = PredictiveCodingParams;
    type State = PredictiveCodingState;
    type Consts = PredictiveCodingConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &PredictiveCodingParams) -> PredictiveCodingState {
        PredictiveCodingState::default()
    }
    fn standalone_span(p: &PredictiveCodingParams) -> f64 {
        p.span
    }
    fn prepare(p: &PredictiveCodingParams, span: f64) -> PredictiveCodingConsts {
        let (n, h) = substeps(span, p.substep);
        PredictiveCodingConsts {
            n,
            k: h / p.tau,
            kp: h / p.tau_pred,
            theta: p.theta,
        }
    }
    #[inline(always)]
    fn update(
        k: &PredictiveCodingConsts,
        s: &mut PredictiveCodingState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        predictive_coding_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// Spike steps (counted from the jump) after an input jump of size `di` from an adapted,
    /// resting state, from the closed form between resets, over `steps` steps (h = 1 ms).
    fn closed_form_spikes(di: f64, steps: usize) -> Vec<usize> {
        let (q, a) = (1.0f64 - 1.0 / 50.0, 1.0f64 - 1.0 / 10.0);
        let mut out = Vec::new();
        let mut m = 0usize; // step of the last reset (0: the jump)
        for n in 1..=steps {
            let k = (n - m) as i32;
            let v = 0.1 * di * q.powi(m as i32) * (q.powi(k) - a.powi(k)) / (q - a);
            if v >= 1.0 - 1e-12 {
                out.push(n);
                m = n;
            }
        }
        out
    }

    #[test]
    fn step_input_fires_fourteen_times_then_falls_silent() {
        let want = closed_form_spikes(5.0, 200);
        assert_eq!(
            want,
            [3, 6, 9, 12, 15, 19, 23, 27, 32, 37, 43, 50, 59, 74],
            "closed form vs spec §29.8"
        );
        let mut n = PredictiveCodingNeuron::new();
        let t: Vec<usize> = (1..=200).filter(|_| n.step(5.0)).collect();
        assert_eq!(t, want);
    }

    #[test]
    fn silent_on_a_repeated_stimulus_firing_on_a_novel_one() {
        let mut n = PredictiveCodingNeuron::new();
        for _ in 0..3000 {
            n.step(5.0);
        }
        // Adapted: pred = 5 (to rounding), v ≈ 0.
        assert!((n.state().pred - 5.0).abs() < 1e-12 && n.state().v.abs() < 1e-12);
        assert!(
            (0..2000).all(|_| !n.step(5.0)),
            "fired on a repeated stimulus"
        );
        // Novel stimuli: a jump to 10 or to 0 (|ΔI| = 5) repeats the 14-spike response; a small
        // jump (ΔI = 0.5: v peaks below 1) stays silent.
        let want = closed_form_spikes(5.0, 300);
        for target in [10.0, 0.0] {
            let mut m = n.clone();
            let t: Vec<usize> = (1..=300).filter(|_| m.step(target)).collect();
            assert_eq!(t, want, "jump to {target}");
        }
        assert!(closed_form_spikes(0.5, 300).is_empty());
        let mut m = n.clone();
        assert!((0..300).all(|_| !m.step(5.5)));
    }

    #[test]
    fn agrees_with_an_independent_integration_of_the_ode() {
        // h = 0.01 ms against RK4 (0.001 ms) of τ dv/dt = −v + |I − pred|, τ_p dpred/dt = I − pred,
        // for I = 0.8 (subthreshold: v peaks near 0.5).
        let r = Reference::rk4(0.001, |_, y: &[f64]| {
            vec![(-y[0] + (0.8 - y[1]).abs()) / 10.0, (0.8 - y[1]) / 50.0]
        });
        let p = PredictiveCodingParams {
            substep: 0.01,
            ..Default::default()
        };
        let mut n = PredictiveCodingNeuron::with_span(p, 0.01).unwrap();
        let mut y = vec![0.0, 0.0];
        for k in 1..=5000 {
            assert!(!n.step(0.8));
            for _ in 0..10 {
                y = r.step(0.0, &y);
            }
            if k % 500 == 0 {
                let s = n.state();
                assert!(
                    (s.v - y[0]).abs() < 1e-3 && (s.pred - y[1]).abs() < 1e-3,
                    "t = {k}: {s:?} vs {y:?}"
                );
            }
        }
    }
}
