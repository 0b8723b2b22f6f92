//! `ArcaneNeuron` — SC-NeuroCore's three-compartment "self-modelling" neuron: a gated fast
//! compartment, a spike-driven working memory and a novelty-driven deep compartment, with a
//! linear predictor of its own fast state whose learning rate rises with novelty.
//!
//! **What it is.** SC-NeuroCore's own invention (spec §26, "Šotek & Arcane Sapience 2026"),
//! not established neuroscience: no paper describes it and SC-NeuroCore's description is the
//! only authority for its dynamics. It is a discrete-time map (one iteration per step); its
//! histories are counted in steps.
//!
//! **Equations** (one step; "old" = the value at the start of the step; R_τ(s, d) =
//! e^(−dt/τ) s + (1 − e^(−dt/τ)) d is exact relaxation towards a drive held over the step):
//! 1. r = mean of the last 50 spikes; c = 1 − mean of the last 20 novelties (`confidence`).
//! 2. gate = σ(w_g0 I + w_g1 v_fast + w_g2 v_work + w_g3 c); v_f* = R_τf(v_fast, gate·I − w_inh r).
//! 3. prediction = w_p0 v_f* + w_p1 v_work(old) + w_p2 v_deep(old); surprise = |v_f* − prediction|;
//!    novelty = σ(κ (surprise − surprise_baseline)).
//! 4. θ_eff = max(θ (1 + γ v_deep(old)) (1 − δ_conf c), 0.1); spike iff v_f* ≥ θ_eff; v_fast =
//!    0 after a spike, else v_f*.
//! 5. v_work = R_τw(v_work, α_w v_f* if spike else 0); v_deep = R_τd(v_deep, α_d v_work novelty).
//! 6. meta_lr = lr_base (1 + η novelty); e = v_fast − prediction; w_p0 += meta_lr e v_fast,
//!    w_p1 += meta_lr e v_work, w_p2 += meta_lr e v_deep; then w_pred is scaled to unit length.
//! 7. novelty and the spike enter their ring buffers; identity_drift += |Δv_deep|;
//!    total_steps += 1.
//!
//! **State.** The spec's `get_state()` keys (`v_fast, v_work, v_deep, confidence, novelty,
//! surprise, prediction, identity_drift, meta_lr, total_steps`) plus the learned predictor
//! weights `w_p0..w_p2`, the 50-step spike history as a 50-bit mask `spike_bits` (an exact
//! integer in an f64; the spike rate is its population count / 50, which does not depend on
//! the ring's order), the 20-step novelty ring `nov_0..nov_19` and its write index `nov_idx`.
//!
//! **Relation to SC-NeuroCore** (spec §26). Same class name, `step(current)` → spike, state
//! names, parameters and defaults, and the same map (spec §26.5). Differences: `w_gate`, a list
//! in SC-NeuroCore, is the four parameters `w_gate0..w_gate3`; `reset()` restores the whole
//! initial state (the catalogue contract), while SC-NeuroCore's reset keeps v_deep, w_pred,
//! the novelty history, confidence and total_steps — that partial reset is
//! [`ArcaneNeuron::reset_fast`]; `meta_lr` is stored as state instead of a property;
//! `get_recent_pre_activity()` is bit 0 of `spike_bits`.
//!
//! **Facts tested** (hand-derived from the equations, spec §26.8, re-derived in the tests):
//! the first step from rest with I = 0 (novelty σ(−0.5), meta_lr 0.017551, w_pred normalised
//! to [0.884652, 0.442326, 0.147442]); period 4 at I = 2 (50 spikes in 200 steps) and period
//! 2 at I = 3; the three compartments' time constants — v_fast relaxes with τ_fast = 5,
//! v_work decays with τ_work = 200 once spiking stops, v_deep with τ_deep = 10 000 once the
//! working memory is empty — each against its closed form.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ArcaneNeuron`].
    pub struct ArcaneParams {
        /// Fast compartment time constant, τ_fast [steps·dt].
        tau_fast: f64 = 5.0,
        /// Working-memory time constant, τ_work [steps·dt].
        tau_work: f64 = 200.0,
        /// Spike-gated drive into working memory, α_w [1].
        alpha_w: f64 = 0.3,
        /// Deep compartment time constant, τ_deep [steps·dt].
        tau_deep: f64 = 10000.0,
        /// Novelty-gated drive into the deep compartment, α_d [1].
        alpha_d: f64 = 0.05,
        /// Base threshold, θ [1].
        theta: f64 = 1.0,
        /// Threshold scaling by v_deep, γ [1].
        gamma: f64 = 0.2,
        /// Threshold reduction by confidence, δ_conf [1].
        delta_conf: f64 = 0.3,
        /// Gate weight of the input current, w_gate[0] [1].
        w_gate0: f64 = 0.8,
        /// Gate weight of v_fast, w_gate[1] [1].
        w_gate1: f64 = 0.1,
        /// Gate weight of v_work, w_gate[2] [1].
        w_gate2: f64 = 0.05,
        /// Gate weight of confidence, w_gate[3] [1].
        w_gate3: f64 = 0.05,
        /// Novelty sigmoid slope, κ [1].
        kappa: f64 = 5.0,
        /// Novelty sigmoid centre [1].
        surprise_baseline: f64 = 0.1,
        /// Base meta learning rate [1].
        lr_base: f64 = 0.01,
        /// Novelty boost of the learning rate, η [1].
        eta: f64 = 2.0,
        /// Self-inhibition by the recent spike rate, w_inh [1].
        w_inh: f64 = 0.3,
        /// Time per step used by the relaxations, dt [1].
        dt: f64 = 1.0,
    }
}

impl ArcaneParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("tau_fast", self.tau_fast),
            ("tau_work", self.tau_work),
            ("tau_deep", self.tau_deep),
            ("theta", self.theta),
            ("dt", self.dt),
        ] {
            check::positive(n, x)?;
        }
        for (n, x) in [
            ("alpha_w", self.alpha_w),
            ("alpha_d", self.alpha_d),
            ("lr_base", self.lr_base),
            ("w_inh", self.w_inh),
        ] {
            check::non_negative(n, x)?;
        }
        Ok(())
    }
}

neuron_state! {
    /// State of [`ArcaneNeuron`].
    pub struct ArcaneState {
        [
        /// Fast compartment [1].
        v_fast: f64 => ArcVFast,
        /// Working-memory compartment [1].
        v_work: f64 => ArcVWork,
        /// Deep (identity) compartment [1].
        v_deep: f64 => ArcVDeep,
        /// Confidence used in the last step, 1 − mean novelty [1].
        confidence: f64 => ArcConfidence,
        /// Novelty of the last step [1].
        novelty: f64 => ArcNovelty,
        /// Surprise of the last step, |v_f* − prediction| [1].
        surprise: f64 => ArcSurprise,
        /// Prediction of the last step [1].
        prediction: f64 => ArcPrediction,
        /// Accumulated |Δv_deep| [1].
        identity_drift: f64 => ArcIdentityDrift,
        /// Learning rate of the last step [1].
        meta_lr: f64 => ArcMetaLr,
        /// Steps taken [1].
        total_steps: f64 => ArcTotalSteps,
        /// Predictor weight of v_fast [1].
        w_p0: f64 => ArcWp0,
        /// Predictor weight of v_work [1].
        w_p1: f64 => ArcWp1,
        /// Predictor weight of v_deep [1].
        w_p2: f64 => ArcWp2,
        /// The last 50 spikes as a bit mask, newest in bit 0 [1].
        spike_bits: f64 => ArcSpikeBits,
        /// Next write slot of the novelty ring, 0..19 [1].
        nov_idx: f64 => ArcNovIdx,
        ]
        [
        /// Novelty ring buffer, slot 0 [1].
        nov_0: f64 => ArcNov0,
        /// Novelty ring buffer, slot 1 [1].
        nov_1: f64 => ArcNov1,
        /// Novelty ring buffer, slot 2 [1].
        nov_2: f64 => ArcNov2,
        /// Novelty ring buffer, slot 3 [1].
        nov_3: f64 => ArcNov3,
        /// Novelty ring buffer, slot 4 [1].
        nov_4: f64 => ArcNov4,
        /// Novelty ring buffer, slot 5 [1].
        nov_5: f64 => ArcNov5,
        /// Novelty ring buffer, slot 6 [1].
        nov_6: f64 => ArcNov6,
        /// Novelty ring buffer, slot 7 [1].
        nov_7: f64 => ArcNov7,
        /// Novelty ring buffer, slot 8 [1].
        nov_8: f64 => ArcNov8,
        /// Novelty ring buffer, slot 9 [1].
        nov_9: f64 => ArcNov9,
        /// Novelty ring buffer, slot 10 [1].
        nov_10: f64 => ArcNov10,
        /// Novelty ring buffer, slot 11 [1].
        nov_11: f64 => ArcNov11,
        /// Novelty ring buffer, slot 12 [1].
        nov_12: f64 => ArcNov12,
        /// Novelty ring buffer, slot 13 [1].
        nov_13: f64 => ArcNov13,
        /// Novelty ring buffer, slot 14 [1].
        nov_14: f64 => ArcNov14,
        ]
        [
        /// Novelty ring buffer, slot 15 [1].
        nov_15: f64 => ArcNov15,
        /// Novelty ring buffer, slot 16 [1].
        nov_16: f64 => ArcNov16,
        /// Novelty ring buffer, slot 17 [1].
        nov_17: f64 => ArcNov17,
        /// Novelty ring buffer, slot 18 [1].
        nov_18: f64 => ArcNov18,
        /// Novelty ring buffer, slot 19 [1].
        nov_19: f64 => ArcNov19,
        ]
    }
}

impl ArcaneState {
    fn novelties(&self) -> [f64; 20] {
        [
            self.nov_0,
            self.nov_1,
            self.nov_2,
            self.nov_3,
            self.nov_4,
            self.nov_5,
            self.nov_6,
            self.nov_7,
            self.nov_8,
            self.nov_9,
            self.nov_10,
            self.nov_11,
            self.nov_12,
            self.nov_13,
            self.nov_14,
            self.nov_15,
            self.nov_16,
            self.nov_17,
            self.nov_18,
            self.nov_19,
        ]
    }
    fn set_novelties(&mut self, h: [f64; 20]) {
        [
            self.nov_0,
            self.nov_1,
            self.nov_2,
            self.nov_3,
            self.nov_4,
            self.nov_5,
            self.nov_6,
            self.nov_7,
            self.nov_8,
            self.nov_9,
            self.nov_10,
            self.nov_11,
            self.nov_12,
            self.nov_13,
            self.nov_14,
            self.nov_15,
            self.nov_16,
            self.nov_17,
            self.nov_18,
            self.nov_19,
        ] = h;
    }
}

/// Constants of [`ArcaneNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ArcaneConsts {
    p: ArcaneParams,
    /// e^(−dt/τ) of the fast, working and deep compartments.
    decay: [f64; 3],
}

/// Bits of the 50-step spike history.
const HISTORY_MASK: u64 = (1 << 50) - 1;

/// One step of the map with input `current`; `true` on a spike.
pub fn arcane_step(k: &ArcaneConsts, s: &mut ArcaneState, current: f64) -> bool {
    let p = &k.p;
    let [df, dw, dd] = k.decay;
    let relax = |x: f64, d: f64, drive: f64| d * x + (1.0 - d) * drive;
    let bits = s.spike_bits as u64 & HISTORY_MASK;
    let rate = f64::from(bits.count_ones()) / 50.0;
    let mut nov = s.novelties();
    let confidence = 1.0 - nov.iter().sum::<f64>() / 20.0;
    let gate = sigmoid(
        p.w_gate0 * current + p.w_gate1 * s.v_fast + p.w_gate2 * s.v_work + p.w_gate3 * confidence,
    );
    let vf = relax(s.v_fast, df, gate * current - p.w_inh * rate);
    let prediction = s.w_p0 * vf + s.w_p1 * s.v_work + s.w_p2 * s.v_deep;
    let surprise = (vf - prediction).abs();
    let novelty = sigmoid(p.kappa * (surprise - p.surprise_baseline));
    let theta_eff =
        (p.theta * (1.0 + p.gamma * s.v_deep) * (1.0 - p.delta_conf * confidence)).max(0.1);
    let spike = vf >= theta_eff;
    let v_fast = if spike { 0.0 } else { vf };
    let v_work = relax(s.v_work, dw, if spike { p.alpha_w * vf } else { 0.0 });
    let v_deep = relax(s.v_deep, dd, p.alpha_d * v_work * novelty);
    let meta_lr = p.lr_base * (1.0 + p.eta * novelty);
    let err = v_fast - prediction;
    let mut w = [
        s.w_p0 + meta_lr * err * v_fast,
        s.w_p1 + meta_lr * err * v_work,
        s.w_p2 + meta_lr * err * v_deep,
    ];
    let norm = (w[0] * w[0] + w[1] * w[1] + w[2] * w[2]).sqrt();
    if norm > 0.0 {
        w = w.map(|x| x / norm);
    }
    let idx = (s.nov_idx as usize) % 20;
    nov[idx] = novelty;
    s.set_novelties(nov);
    s.nov_idx = ((idx + 1) % 20) as f64;
    s.spike_bits = (((bits << 1) | u64::from(spike)) & HISTORY_MASK) as f64;
    s.identity_drift += (v_deep - s.v_deep).abs();
    [s.w_p0, s.w_p1, s.w_p2] = w;
    s.v_fast = v_fast;
    s.v_work = v_work;
    s.v_deep = v_deep;
    s.prediction = prediction;
    s.surprise = surprise;
    s.novelty = novelty;
    s.confidence = confidence;
    s.meta_lr = meta_lr;
    s.total_steps += 1.0;
    spike
}

standalone! {
/// SC-NeuroCore's three-compartment self-modelling neuron.
pub struct ArcaneNeuron;
}

impl ArcaneNeuron {
    /// One step with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// SC-NeuroCore's `reset()`: clears the fast and working compartments, the last
    /// prediction/surprise/novelty, the spike history and identity_drift, and keeps v_deep, the
    /// predictor weights, the novelty history, confidence and total_steps.
    pub fn reset_fast(&mut self) {
        let s = self.state_mut();
        s.v_fast = 0.0;
        s.v_work = 0.0;
        s.prediction = 0.0;
        s.surprise = 0.0;
        s.novelty = 0.0;
        s.spike_bits = 0.0;
        s.identity_drift = 0.0;
    }
}

impl Model for ArcaneNeuron {
    const NAME: &'static str = "ArcaneNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "Three-compartment self-modelling neuron with novelty-gated learning (SC-NeuroCore's own)";
    const REFERENCE: &'static str =
        "None: SC-NeuroCore's ArcaneNeuron (arcane_neuron.py), spec stochastic_rate_ai.md s26";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v_fast");
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ArcaneParams;
    type State = ArcaneState;
    type Consts = ArcaneConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ArcaneParams) -> ArcaneState {
        ArcaneState {
            v_fast: 0.0,
            v_work: 0.0,
            v_deep: 0.0,
            confidence: 0.5,
            novelty: 0.0,
            surprise: 0.0,
            prediction: 0.0,
            identity_drift: 0.0,
            meta_lr: 0.0,
            total_steps: 0.0,
            w_p0: 0.6,
            w_p1: 0.3,
            w_p2: 0.1,
            spike_bits: 0.0,
            nov_0: 0.5,
            nov_1: 0.5,
            nov_2: 0.5,
            nov_3: 0.5,
            nov_4: 0.5,
            nov_5: 0.5,
            nov_6: 0.5,
            nov_7: 0.5,
            nov_8: 0.5,
            nov_9: 0.5,
            nov_10: 0.5,
            nov_11: 0.5,
            nov_12: 0.5,
            nov_13: 0.5,
            nov_14: 0.5,
            nov_15: 0.5,
            nov_16: 0.5,
            nov_17: 0.5,
            nov_18: 0.5,
            nov_19: 0.5,
            nov_idx: 0.0,
        }
    }
    fn standalone_span(_: &ArcaneParams) -> f64 {
        1.0
    }
    fn prepare(p: &ArcaneParams, _: f64) -> ArcaneConsts {
        ArcaneConsts {
            p: p.clone(),
            decay: [p.tau_fast, p.tau_work, p.tau_deep].map(|t| exp(-p.dt / t)),
        }
    }
    #[inline(always)]
    fn update(
        k: &ArcaneConsts,
        s: &mut ArcaneState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        arcane_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    #[test]
    fn first_step_from_rest() {
        // Spec §26.8: I = 0 → no spike, confidence 0.5, novelty σ(−0.5), meta_lr 0.017551,
        // w_pred = [0.6, 0.3, 0.1] / |[0.6, 0.3, 0.1]|.
        let mut n = ArcaneNeuron::new();
        assert!(!n.step(0.0));
        let s = n.state();
        assert_eq!(s.confidence, 0.5);
        assert!((s.novelty - sig(-0.5)).abs() < 1e-12 && (s.novelty - 0.377541).abs() < 1e-6);
        assert!((s.meta_lr - 0.017551).abs() < 1e-6, "{}", s.meta_lr);
        let w = [s.w_p0, s.w_p1, s.w_p2];
        for (a, b) in w.iter().zip([0.884652, 0.442326, 0.147442]) {
            assert!((a - b).abs() < 1e-6, "{w:?}");
        }
    }

    #[test]
    fn firing_periods_at_constant_drive() {
        // Spec §26.8: I = 2 → spikes at steps 4, 8, 12, … (50 in 200 steps); I = 3 → period 2.
        let mut n = ArcaneNeuron::new();
        let s2: Vec<usize> = (1..=200).filter(|_| n.step(2.0)).collect();
        assert_eq!(s2.len(), 50, "{s2:?}");
        assert!(
            s2.iter().enumerate().all(|(k, &t)| t == 4 * (k + 1)),
            "{s2:?}"
        );
        let mut n = ArcaneNeuron::new();
        assert_eq!((0..1000).filter(|_| n.step(3.0)).count(), 500);
    }

    #[test]
    fn compartment_time_constants() {
        // Fast: with an unreachable threshold and I = 0 the fast compartment decays as
        // e^(−t/5) from any start (no drive, no spike history).
        let p = ArcaneParams {
            theta: 1e9,
            ..Default::default()
        };
        let mut n = ArcaneNeuron::with_params(p).unwrap();
        n.state_mut().v_fast = 1.0;
        for t in 1..=20 {
            n.step(0.0);
            let want = (-(t as f64) / 5.0).exp();
            assert!((n.state().v_fast - want).abs() < 1e-12, "t {t}");
        }
        // Working memory: drive it by spiking, then silence: v_work ∝ e^(−t/200) exactly.
        let mut n = ArcaneNeuron::new();
        for _ in 0..200 {
            n.step(2.0);
        }
        let w0 = n.state().v_work;
        assert!(w0 > 0.01, "working memory not driven: {w0}");
        for t in 1..=400 {
            n.step(0.0);
            let want = w0 * (-(t as f64) / 200.0).exp();
            assert!(
                (n.state().v_work - want).abs() < 1e-12 * w0.max(1.0),
                "t {t}"
            );
        }
        // Deep: with the working memory emptied the deep compartment decays as e^(−t/10⁴).
        n.state_mut().v_work = 0.0;
        let d0 = n.state().v_deep;
        assert!(d0 > 0.0, "deep compartment not driven");
        for t in 1..=1000 {
            n.step(0.0);
            let want = d0 * (-(t as f64) / 10_000.0).exp();
            assert!((n.state().v_deep - want).abs() < 1e-12, "t {t}");
        }
    }

    #[test]
    fn sc_neurocore_reset_keeps_the_deep_state() {
        let mut n = ArcaneNeuron::new();
        for _ in 0..300 {
            n.step(2.0);
        }
        let before = *n.state();
        n.reset_fast();
        let s = n.state();
        assert_eq!((s.v_fast, s.v_work, s.spike_bits), (0.0, 0.0, 0.0));
        assert_eq!(
            (s.v_deep, s.w_p0, s.total_steps),
            (before.v_deep, before.w_p0, 300.0)
        );
        n.reset();
        assert_eq!(n.state().v_deep, 0.0);
    }
}
