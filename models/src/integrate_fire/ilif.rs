//! `InhibitoryLIFNeuron` — the temporal Inhibitory LIF neuron (ILIF): a discrete soft-reset LIF
//! with two inhibitory units, one on the membrane (a memory of the potentials it fired at that
//! deepens every reset) and one on the current (a fast trace of the input that made it fire,
//! subtracted from the next inputs).
//!
//! **Equations** (the authors' code; one step = one time step t; input X[t]; S[t−1] and X[t−1]
//! the previous step's spike and input; σ the logistic function):
//! c[t] = λ·(c[t−1] + X[t−1]·S[t−1]) (current inhibitory unit, λ = 0.03);
//! H[t] = (1 − 1/τ)·V[t−1] + X[t] − max(c[t], 0);  S[t] = Θ(H[t] − V_th) (Θ(0) = 1);
//! V′ = H[t] − S[t]·V_th (soft reset);  m[t] = m[t−1] + S[t]·V′ (membrane inhibitory memory);
//! V[t] = V′ − S[t]·σ(m[t]) (membrane inhibition).
//! Every spike subtracts at least V_th + 1/2 from the membrane, and more the more residual
//! potential the neuron carried over its past spikes; the step after a spike also loses
//! λ·X[t−1] (≈ 3 %) of its input. Together they suppress the paper's "overactivation".
//! The authors' first call sets V = X − max(c, 0) (no previous potential); from the reset state
//! V = 0 the map above gives the same H, so no special first step is needed.
//! In a network X[t] is whatever arrives on the `current` port that step.
//!
//! **Added state** (not in SC-NeuroCore's spec): `c`, the current inhibitory memory, and
//! `prev_xs` = X[t−1]·S[t−1], the previous step's input if that step spiked, else 0 (the
//! authors keep the previous input and spike separately; only their product is used).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless; τ in time steps.
//!
//! **Reference.** Sun, K., Duan, P., Kuhlmann, L., Wang, B. & Zhang, B. (2025) "ILIF: Temporal
//! Inhibitory Leaky Integrate-and-Fire Neuron for Overactivation in Spiking Neural Networks",
//! Proc. IJCAI 2025 (arXiv:2505.10371). The paper's method text could not be consulted here;
//! the equations are the authors' code: repository github.com/KaiSUN1/ILIF (commit e0fde15),
//! `modules/neuron.py`, class `InhibitoryLIFNeuron` (a spikingjelly `LIFNode`), the neuron
//! `train.py` selects by default (`-neuron_model ILIF`): τ = 2 by default (the training script's
//! `-tau` default is 1.1), no input decay, V_th = 1, `v_reset = None` (soft reset), λ = 0.03 and
//! the memory factor 1 written as constants in its `forward`. The same file also has a class
//! `ILIFSpike` ("the symbol is corresponding to the paper"), which is exactly the CLIF neuron
//! (see `ComplementaryLIFNeuron`: M ← M·σ(H/τ) + S, V ← H − S·(V_th + σ(M))) and is never
//! used by `train.py`; it is not implemented here.
//!
//! **Relation to SC-NeuroCore** (spec §10). Same class name, `step(current)` → spike and state
//! names (`v`, `inh_trace`). SC-NeuroCore's model, cited to Fourcaud-Trocmé 2003 (the EIF
//! paper), is not the 2025 ILIF: it has a single spike trace (trace ← e^(−dt/τ_inh)·trace each
//! step, +1 per spike, τ_inh = 5) subtracted from the input as inh_strength·trace
//! (inh_strength = 0.5), retention e^(−dt/τ_m) with τ_m = 10, a hard reset to v_reset = 0, and
//! no membrane inhibition. Here the authors' neuron is implemented: (a) retention 1 − 1/τ_m and
//! a soft reset by V_th, τ_m = 2; (b) `inh_trace` holds the membrane inhibitory memory m (it
//! only grows, by the post-reset potential at each spike, and deepens every reset by σ(m));
//! (c) the current unit c replaces SC-NeuroCore's input-subtracting trace: it is fed by the
//! input that made the neuron fire (λ·X[t−1]·S[t−1], not a constant +1), decays by λ = 0.03 per
//! step (not e^(−1/5)), is clipped at 0 and is not scaled by inh_strength; it adds the state
//! variables `c` and `prev_xs` (the spec's "current-based LIF with an explicit current state"
//! guess is not what the authors' code does: there is no synaptic current state);
//! (d) `tau_inh`, `inh_strength`, `v_reset` and `dt` are dropped (one step is one time step).
//!
//! **Paper facts tested** (the authors' equations, by hand, τ = 2, V_th = 1, X = 1): spikes at
//! t = 1, 3, 5 with V = −0.5, 0.72, −0.229723, 0.855112, −0.260264, m = 0, 0, 0.3591, 0.3591,
//! 0.785755 and c = 0, 0.03, 0.0009, 0.030027, 0.000901, where the same soft-reset LIF without
//! the inhibitory units fires every step; over a long run at X = 1 the ILIF rate is half the
//! LIF rate (no two consecutive spikes); at the training setting τ = 1.1, X = 1.2 it fires
//! every step.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`InhibitoryLIFNeuron`].
    pub struct InhibitoryLIFParams {
        /// Membrane time constant, τ (≥ 1; retention 1 − 1/τ) [steps].
        tau_m: f64 = 2.0,
        /// Firing threshold (and soft-reset amount), V_th [1].
        v_threshold: f64 = 1.0,
        /// Current inhibitory unit factor, λ (c ← λ·(c + X[t−1]·S[t−1]); 0 turns the unit off;
        /// 0.03, the constant in the authors' `InhibitoryLIFNeuron.forward`, KaiSUN1/ILIF
        /// `modules/neuron.py`) [1].
        lambda_c: f64 = 0.03,
    }
}

impl InhibitoryLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        if self.tau_m < 1.0 {
            return Err(ParamError::new(
                "tau_m",
                format!("must be >= 1 (retention 1 − 1/τ), got {}", self.tau_m),
            ));
        }
        check::positive("v_threshold", self.v_threshold)?;
        check::in_range("lambda_c", self.lambda_c, 0.0, 1.0)
    }
}

neuron_state! {
    /// State of [`InhibitoryLIFNeuron`].
    pub struct InhibitoryLIFState {
        /// Membrane potential, V [1].
        v: f64 => IlifV,
        /// Membrane inhibitory memory, m (sum of post-reset potentials at spikes) [1].
        inh_trace: f64 => IlifInhTrace,
        /// Current inhibitory memory, c (subtracted, clipped at 0, from the input) [1].
        c: f64 => IlifC,
        /// Previous step's input times its spike, X[t−1]·S[t−1] (feeds c) [1].
        prev_xs: f64 => IlifPrevXs,
    }
}

/// Constants of [`InhibitoryLIFNeuron`].
#[derive(Clone, Debug)]
pub struct InhibitoryLIFConsts {
    retain: f64,
    v_threshold: f64,
    lambda_c: f64,
}

/// One time step: current inhibition, charge, fire, soft reset, inhibitory memory, membrane
/// inhibition.
#[inline(always)]
pub fn ilif_step(k: &InhibitoryLIFConsts, s: &mut InhibitoryLIFState, x: f64) -> bool {
    s.c = k.lambda_c * (s.c + s.prev_xs);
    let h = k.retain * s.v + x - s.c.max(0.0);
    if h >= k.v_threshold {
        let v = h - k.v_threshold;
        s.inh_trace += v;
        s.v = v - sigmoid(s.inh_trace);
        s.prev_xs = x;
        true
    } else {
        s.v = h;
        s.prev_xs = 0.0;
        false
    }
}

standalone! {
/// Temporal inhibitory LIF (Sun et al. 2025), membrane and current inhibitory units.
pub struct InhibitoryLIFNeuron;
}

impl InhibitoryLIFNeuron {
    /// One time step with input `current`; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for InhibitoryLIFNeuron {
    const NAME: &'static str = "InhibitoryLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Temporal inhibitory LIF (ILIF): soft-reset discrete LIF with membrane and current inhibitory units";
    const REFERENCE: &'static str = "Sun, Duan, Kuhlmann, Wang & Zhang 2025, IJCAI 2025 (arXiv:2505.10371); authors' code github.com/KaiSUN1/ILIF";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.2];
    const SUBSTEP: Option<&'static str> = None;
    type Params = InhibitoryLIFParams;
    type State = InhibitoryLIFState;
    type Consts = InhibitoryLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &InhibitoryLIFParams) -> InhibitoryLIFState {
        InhibitoryLIFState {
            v: 0.0,
            inh_trace: 0.0,
            c: 0.0,
            prev_xs: 0.0,
        }
    }
    fn standalone_span(_: &InhibitoryLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &InhibitoryLIFParams, _: f64) -> InhibitoryLIFConsts {
        InhibitoryLIFConsts {
            retain: 1.0 - 1.0 / p.tau_m,
            v_threshold: p.v_threshold,
            lambda_c: p.lambda_c,
        }
    }
    #[inline(always)]
    fn update(
        k: &InhibitoryLIFConsts,
        s: &mut InhibitoryLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ilif_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_run(n: &mut InhibitoryLIFNeuron, expect: &[(bool, f64, f64, f64)]) {
        for (t, &(spike, v, m, c)) in expect.iter().enumerate() {
            assert_eq!(n.step(1.0), spike, "t = {}", t + 1);
            let s = n.state();
            assert!((s.v - v).abs() < 1e-6, "t = {}: {s:?}", t + 1);
            assert!((s.inh_trace - m).abs() < 1e-6, "t = {}: {s:?}", t + 1);
            assert!((s.c - c).abs() < 1e-6, "t = {}: {s:?}", t + 1);
        }
    }

    #[test]
    fn worked_example_of_the_authors_equations() {
        // The authors' InhibitoryLIFNeuron (KaiSUN1/ILIF, modules/neuron.py), τ = 2, V_th = 1,
        // λ = 0.03, X = 1 every step, by hand (σ(z) = 1/(1 + e^(−z))). Their first call sets
        // V = X − max(c, 0) = 1, which is H = ½·0 + 1 from our reset state V = 0.
        // t1: c = 0.03·(0 + 0) = 0; H = 1 → S = 1, V′ = 0, m = 0, V = 0 − σ(0) = −0.5.
        // t2: c = 0.03·(0 + 1·1) = 0.03; H = −0.25 + 1 − 0.03 = 0.72 → S = 0, V = 0.72.
        // t3: c = 0.03·(0.03 + 1·0) = 0.0009; H = 0.36 + 0.9991 = 1.3591 → S = 1,
        //     V′ = 0.3591 = m, σ(0.3591) = 0.588823, V = −0.229723.
        // t4: c = 0.03·(0.0009 + 1) = 0.030027; H = −0.114861 + 0.969973 = 0.855112 → S = 0.
        // t5: c = 0.03·(0.030027 + 0) = 0.000901; H = 0.427556 + 0.999099 = 1.426655 → S = 1,
        //     V′ = 0.426655, m = 0.785755, σ(m) = 0.686919, V = −0.260264.
        let mut n = InhibitoryLIFNeuron::new();
        check_run(
            &mut n,
            &[
                (true, -0.5, 0.0, 0.0),
                (false, 0.72, 0.0, 0.03),
                (true, -0.229_723, 0.3591, 0.0009),
                (false, 0.855_112, 0.3591, 0.030_027),
                (true, -0.260_264, 0.785_755, 0.000_901),
            ],
        );
    }

    #[test]
    fn without_the_current_unit_only_the_membrane_unit_acts() {
        // λ = 0 (the same equations, c ≡ 0), τ = 2, V_th = 1, X = 1, by hand: t1 H = 1 →
        // V = −σ(0) = −0.5; t2 H = 0.75; t3 H = 1.375 → V′ = 0.375 = m,
        // V = 0.375 − σ(0.375) = −0.217667; t4 H = 0.891167; t5 H = 1.445583 → m = 0.820583,
        // V = 0.445583 − 0.694364 = −0.248777.
        let p = InhibitoryLIFParams {
            lambda_c: 0.0,
            ..Default::default()
        };
        let mut n = InhibitoryLIFNeuron::with_params(p).unwrap();
        check_run(
            &mut n,
            &[
                (true, -0.5, 0.0, 0.0),
                (false, 0.75, 0.0, 0.0),
                (true, -0.217_667, 0.375, 0.0),
                (false, 0.891_167, 0.375, 0.0),
                (true, -0.248_777, 0.820_583, 0.0),
            ],
        );
    }

    #[test]
    fn inhibition_halves_the_rate_of_the_plain_soft_reset_lif() {
        // Without the inhibitory units H = 0.5·0 + 1 = 1 every step: a spike every step. With
        // them (X = 1): c ≤ 0.03·(c + 1) keeps 0 ≤ c ≤ 0.03/0.97 < 0.031. A spike with H < 1.5
        // leaves V = (H − 1) − σ(m) ∈ (−1, 0) (m ≥ 0, so σ(m) ≥ 1/2), so the next
        // H = V/2 + 1 − c < 1 is silent and leaves V = H > −0.5 + 1 − 0.031 > 0.46; the step
        // after has c ≤ 0.03·0.031 and H > 0.23 + 0.999 > 1, H < 0.5 + 1: it fires again with
        // H < 1.5. Strict alternation from t = 1 (H = 1), 500 spikes in 1000 steps.
        let mut n = InhibitoryLIFNeuron::new();
        let out: Vec<bool> = (0..1000).map(|_| n.step(1.0)).collect();
        assert!(out.windows(2).all(|w| !(w[0] && w[1])));
        assert_eq!(out.iter().filter(|&&s| s).count(), 500);
    }

    #[test]
    fn the_training_setting_fires_every_step_at_input_1_2() {
        // τ = 1.1 (train.py's `-tau` default), X = 1.2: retention 1 − 1/1.1 = 1/11,
        // c ≤ 0.03·1.2/0.97 < 0.038. If every step so far fired, V = (H − 1) − σ(m) ≥ −1, so
        // H = V/11 + 1.2 − c > −0.091 + 1.2 − 0.038 > 1: it fires again (t1: H = 1.2).
        let p = InhibitoryLIFParams {
            tau_m: 1.1,
            ..Default::default()
        };
        let mut n = InhibitoryLIFNeuron::with_params(p).unwrap();
        assert!((0..1000).all(|_| n.step(1.2)));
    }
}
