//! `SelfReferentialNeuron` — a leaky integrator whose time constant grows with its own recent
//! firing rate, a homeostatic self-slowing.
//!
//! **What it is.** SC-NeuroCore's own invention (an "AI-optimised" model, spec §30), not
//! established neuroscience: no paper describes it; SC-NeuroCore's description is the only
//! authority. The neuron "observes itself" only through the fraction of recent steps with a
//! spike.
//!
//! **Equations** (one step = one iteration of h = `span`): the history holds the last W spike
//! flags (W = `window`, 50), empty at the start; rate = (spikes in the history)/max(len, 1),
//! where len = min(steps so far, W) counts the flags stored before this step;
//! τ_eff = τ(1 + rate/target_rate); v ← v + h(−v + I)/τ_eff; a spike when v ≥ θ, then v ← 0;
//! the step's flag (1 or 0) is appended, dropping the oldest beyond W.
//!
//! **Numerics.** Forward Euler, as SC-NeuroCore. Because the history counts *steps*, the model is
//! a map: one step is one iteration of `span` (1 ms) whatever the network's dt (a 1-ms network
//! runs it in model time; at 0.1 ms it runs ten times faster than the network's clock). It is
//! therefore `Timing::Iteration`.
//!
//! **State.** `v`; `_history`: the spike flags as bits, bit 0 the newest (at most 63 of them, so
//! the pattern is exact as a float); `_step_count`: steps since the last reset (its minimum
//! with W is the history's length).
//!
//! **Units.** Dimensionless v and input; h and τ in ms; rates in spikes per step.
//!
//! **Reference.** None: SC-NeuroCore's `SelfReferentialNeuron` (ai_optimized.py), spec
//! `shared/models/stochastic_rate_ai.md` §30.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → spike; state `v`, `_history`,
//! `_step_count`), parameters, defaults and map, following its Python class (the rate divides
//! by the current history length, not by a zero-filled 50-slot window as its Rust engine does).
//! Differences: `window` sets the history length here (SC-NeuroCore accepts it and ignores it,
//! with 50 hard-coded; the default is 50, so nothing changes) and is limited to 1–63; the
//! history is stored as a bit pattern instead of a deque; SC-NeuroCore's `dt` is `span`. The
//! docstring's threshold modulation by "regularity" is not implemented, as in SC-NeuroCore.
//!
//! **Facts tested** (re-derived in the tests). I = 2: spikes at steps 7, 20, 33, 46, 59, 71, 84,
//! 97 in the first 100 (spec §30 lists the first six and says 8 in total; recomputed here from
//! the map typed again: the first from 2(1 − 0.9ⁿ) ≥ 1 at n = 7, the second from the product of
//! the per-step factors (1 − 1/τ_eff,k)); homeostasis: at I = 10 a plain LIF (τ = 10) fires
//! every step or two, this one settles on period 4, the only period P for which the window's
//! spike count k ∈ {⌊50/P⌋, ⌈50/P⌉} gives back P = ⌈ln(1 − θ/I)/ln(1 − 1/τ_eff(k))⌉.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`SelfReferentialNeuron`].
    pub struct SelfReferentialParams {
        /// Base membrane time constant, τ [ms].
        tau: f64 = 10.0,
        /// Threshold, θ [1].
        theta: f64 = 1.0,
        /// Firing rate (spikes per step) at which τ_eff = 2τ, target_rate [1].
        target_rate: f64 = 0.1,
        /// Length of the spike history, W (1–63) [steps].
        window: u32 = 50,
        /// Time one step (one iteration) represents, the Euler step h [ms].
        span: f64 = 1.0,
    }
}

impl SelfReferentialParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("target_rate", self.target_rate)?;
        check::in_range("window", self.window as f64, 1.0, 63.0)?;
        check::positive("span", self.span)?;
        check::less("span", self.span, "tau", self.tau * (1.0 + 1e-12))
    }
}

neuron_state! {
    /// State of [`SelfReferentialNeuron`].
    pub struct SelfReferentialState {
        /// Membrane variable, v [1].
        v: f64 => SrnV,
        /// Recent spike flags as bits, bit 0 the newest [bits].
        _history: u64 => SrnHistory,
        /// Steps since the last reset [steps].
        _step_count: u64 => SrnStepCount,
    }
}

/// Constants of [`SelfReferentialNeuron`].
#[derive(Clone, Debug)]
pub struct SelfReferentialConsts {
    h: f64,
    tau: f64,
    inv_target: f64,
    theta: f64,
    window: u64,
    mask: u64,
}

/// One iteration.
#[inline(always)]
pub fn self_referential_step(
    k: &SelfReferentialConsts,
    s: &mut SelfReferentialState,
    i: f64,
) -> bool {
    let len = s._step_count.min(k.window).max(1);
    s._step_count += 1;
    let rate = s._history.count_ones() as f64 / len as f64;
    let tau_eff = k.tau * (1.0 + rate * k.inv_target);
    let v = s.v + k.h * (i - s.v) / tau_eff;
    let fire = v >= k.theta;
    s.v = if fire { 0.0 } else { v };
    s._history = ((s._history << 1) | fire as u64) & k.mask;
    fire
}

standalone! {
/// SC-NeuroCore's self-slowing leaky integrator (its own design).
pub struct SelfReferentialNeuron;
}

impl SelfReferentialNeuron {
    /// One step (one iteration of `span`) with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for SelfReferentialNeuron {
    const NAME: &'static str = "SelfReferentialNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore invention: leaky integrator whose time constant grows with its recent rate";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §30";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = SelfReferentialParams;
    type State = SelfReferentialState;
    type Consts = SelfReferentialConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &SelfReferentialParams) -> SelfReferentialState {
        SelfReferentialState::default()
    }
    fn standalone_span(p: &SelfReferentialParams) -> f64 {
        p.span
    }
    fn prepare(p: &SelfReferentialParams, _: f64) -> SelfReferentialConsts {
        let window = u64::from(p.window.clamp(1, 63));
        SelfReferentialConsts {
            h: p.span,
            tau: p.tau,
            inv_target: 1.0 / p.target_rate,
            theta: p.theta,
            window,
            mask: (1u64 << window) - 1,
        }
    }
    #[inline(always)]
    fn update(
        k: &SelfReferentialConsts,
        s: &mut SelfReferentialState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        self_referential_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// The map typed again with a deque, as the spec states it.
    fn reference(i: f64, steps: usize) -> Vec<usize> {
        let (mut v, mut hist, mut out) = (0.0f64, VecDeque::<u8>::new(), Vec::new());
        for t in 1..=steps {
            let sum: u32 = hist.iter().map(|&b| b as u32).sum();
            let rate = sum as f64 / hist.len().max(1) as f64;
            let tau_eff = 10.0 * (1.0 + rate / 0.1);
            v += (i - v) / tau_eff;
            let fire = v >= 1.0;
            if fire {
                v = 0.0;
                out.push(t);
            }
            hist.push_back(fire as u8);
            if hist.len() > 50 {
                hist.pop_front();
            }
        }
        out
    }

    #[test]
    fn spike_times_at_i_2() {
        // First spike: 2(1 − 0.9ⁿ) ≥ 1 at n = 7. Second: after the spike at 7 the history has
        // j + 7 entries with one spike at step 7 + j + 1, so v after m steps is
        // 2(1 − Π_{j<m}(1 − 1/τ_j)), τ_j = 10(1 + (1/(7 + j))/0.1).
        let first = (1..)
            .find(|&n| 2.0 * (1.0 - 0.9f64.powi(n)) >= 1.0)
            .unwrap();
        assert_eq!(first, 7);
        let mut prod = 1.0;
        let mut second = 0;
        for j in 0.. {
            prod *= 1.0 - 1.0 / (10.0 * (1.0 + 10.0 / (7 + j) as f64));
            if 2.0 * (1.0 - prod) >= 1.0 {
                second = 7 + j + 1;
                break;
            }
        }
        assert_eq!(second, 20);
        let want = reference(2.0, 100);
        assert_eq!(want, [7, 20, 33, 46, 59, 71, 84, 97]);
        let mut n = SelfReferentialNeuron::new();
        let t: Vec<usize> = (1..=100).filter(|_| n.step(2.0)).collect();
        assert_eq!(t, want);
        // And over a longer run, with the window full.
        let mut n = SelfReferentialNeuron::new();
        let t: Vec<usize> = (1..=3000).filter(|_| n.step(2.0)).collect();
        assert_eq!(t, reference(2.0, 3000));
    }

    #[test]
    fn homeostasis_settles_on_the_self_consistent_period() {
        let (i, theta) = (10.0f64, 1.0f64);
        // Period for k spikes in the 50-step window: P(k) = ⌈ln(1 − θ/I)/ln(1 − 1/τ_eff(k))⌉.
        let period = |k: usize| {
            let tau = 10.0 * (1.0 + (k as f64 / 50.0) / 0.1);
            ((1.0 - theta / i).ln() / (1.0 - 1.0 / tau).ln()).ceil() as usize
        };
        let consistent: Vec<usize> = (1..=50)
            .filter(|&p| period(50 / p) == p && period(50usize.div_ceil(p)) == p)
            .collect();
        assert_eq!(consistent, [4]);
        // A plain LIF (τ = 10) would fire every 1–2 steps: v₁ = 10·0.1 = 1.0 ≥ θ at most.
        assert!(period(0) <= 2);
        let mut n = SelfReferentialNeuron::new();
        let t: Vec<usize> = (1..=3000).filter(|_| n.step(i)).collect();
        let late: Vec<usize> = t
            .windows(2)
            .filter(|w| w[0] > 1000)
            .map(|w| w[1] - w[0])
            .collect();
        assert!(!late.is_empty() && late.iter().all(|&d| d == 4), "{late:?}");
    }

    #[test]
    fn history_holds_the_last_window_of_flags() {
        let mut n = SelfReferentialNeuron::new();
        let mut flags = Vec::new();
        for _ in 0..120 {
            flags.push(n.step(2.0));
        }
        let s = *n.state();
        assert_eq!(s._step_count, 120);
        let want = flags
            .iter()
            .rev()
            .take(50)
            .enumerate()
            .fold(0u64, |acc, (b, &f)| acc | ((f as u64) << b));
        assert_eq!(s._history, want);
    }
}
