//! `InhibitoryLIFNeuron` — the temporal Inhibitory LIF neuron (ILIF): a discrete soft-reset LIF
//! whose reset is deepened by an inhibitory memory of the potentials it fired at.
//!
//! **Equations** (one step = one time step t; input X[t]; σ the logistic function):
//! H[t] = (1 − 1/τ)·V[t−1] + X[t];  S[t] = Θ(H[t] − V_th) (Θ(0) = 1);
//! V′ = H[t] − S[t]·V_th (soft reset);  m[t] = m[t−1] + S[t]·V′ (inhibitory memory);
//! V[t] = V′ − S[t]·σ(m[t]) (membrane inhibition).
//! Every spike subtracts at least V_th + 1/2, and more the more residual potential the neuron
//! carried over its past spikes, which is what suppresses the paper's "overactivation".
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless; τ in time steps.
//!
//! **Reference.** Sun, K., Duan, P., Kuhlmann, L., Wang, B. & Zhang, B. (2025) "ILIF: Temporal
//! Inhibitory Leaky Integrate-and-Fire Neuron for Overactivation in Spiking Neural Networks",
//! Proc. IJCAI 2025 (arXiv:2505.10371). The paper text could not be consulted here; the
//! equations were taken from the authors' code (github.com/kaisun1/ILIF, `modules/neuron.py`,
//! class `InhibitoryLIFNeuron`, the neuron `train.py` selects for `-neuron_model ILIF`:
//! τ = 2 by default (the training scripts pass τ = 1.1), no input decay, V_th = 1, soft reset).
//!
//! **Relation to SC-NeuroCore** (spec §10). Same class name, `step(current)` → spike and state
//! names (`v`, `inh_trace`). SC-NeuroCore's model (a trace with time constant τ_inh, +1 per
//! spike, subtracted from the input; hard reset; retention e^(−dt/τ_m)) and its citation
//! (Fourcaud-Trocmé 2003, the EIF paper) are not the 2025 ILIF; here the authors' neuron is
//! implemented: (a) retention 1 − 1/τ_m and a soft reset by V_th, τ_m = 2; (b) `inh_trace` holds
//! the paper's membrane inhibitory memory m (it only grows, by the post-reset potential at each
//! spike, and deepens every reset by σ(m)); (c) the authors' second, current inhibitory unit
//! (c[t] = 0.03·(c[t−1] + X[t−1]·S[t−1]), subtracted from the input) is **not** implemented:
//! it needs a third state variable, and the catalogue's state names for this class are only
//! `v` and `inh_trace` (it removes at most λ/(1 − λ) ≈ 3.1 % of the input, and only in the
//! few steps after a spike);
//! (d) `tau_inh`, `inh_strength`, `v_reset` and `dt` are dropped (one step is one time step).
//!
//! **Paper facts tested** (the authors' equations, by hand): τ = 2, X = 1 fires at t = 1, 3, 5
//! (V = −0.5, 0.75, −0.2177, 0.8912, −0.2488; m = 0, 0, 0.375, 0.375, 0.8206) where the same
//! soft-reset LIF without the inhibitory unit fires every step; and over a long run at X = 1
//! the ILIF rate is half the LIF rate (no two consecutive spikes).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`InhibitoryLIFNeuron`].
    pub struct InhibitoryLIFParams {
        /// Membrane time constant, τ (≥ 1; retention 1 − 1/τ) [steps].
        tau_m: f64 = 2.0,
        /// Firing threshold (and soft-reset amount), V_th [1].
        v_threshold: f64 = 1.0,
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
        check::positive("v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`InhibitoryLIFNeuron`].
    pub struct InhibitoryLIFState {
        /// Membrane potential, V [1].
        v: f64 => IlifV,
        /// Membrane inhibitory memory, m (sum of post-reset potentials at spikes) [1].
        inh_trace: f64 => IlifInhTrace,
    }
}

/// Constants of [`InhibitoryLIFNeuron`].
#[derive(Clone, Debug)]
pub struct InhibitoryLIFConsts {
    retain: f64,
    v_threshold: f64,
}

/// One time step: charge, fire, soft reset, inhibitory memory, membrane inhibition.
#[inline(always)]
pub fn ilif_step(c: &InhibitoryLIFConsts, s: &mut InhibitoryLIFState, x: f64) -> bool {
    let h = c.retain * s.v + x;
    if h >= c.v_threshold {
        let v = h - c.v_threshold;
        s.inh_trace += v;
        s.v = v - sigmoid(s.inh_trace);
        true
    } else {
        s.v = h;
        false
    }
}

standalone! {
    /// Temporal inhibitory LIF (Sun et al. 2025), membrane inhibitory unit.
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
    const SUMMARY: &'static str = "Temporal inhibitory LIF (ILIF): soft-reset discrete LIF with an inhibitory memory deepening the reset";
    const REFERENCE: &'static str = "Sun, Duan, Kuhlmann, Wang & Zhang 2025, IJCAI 2025 (arXiv:2505.10371); authors' code github.com/kaisun1/ILIF";
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
        }
    }
    fn standalone_span(_: &InhibitoryLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &InhibitoryLIFParams, _: f64) -> InhibitoryLIFConsts {
        InhibitoryLIFConsts {
            retain: 1.0 - 1.0 / p.tau_m,
            v_threshold: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        c: &InhibitoryLIFConsts,
        s: &mut InhibitoryLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ilif_step(c, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_of_the_authors_equations() {
        // τ = 2, V_th = 1, X = 1, by hand: t1 H = 1 → V′ = 0, m = 0, V = −σ(0) = −0.5;
        // t2 H = 0.75; t3 H = 1.375 → V′ = 0.375 = m, V = 0.375 − σ(0.375) = −0.217667;
        // t4 H = 0.891167; t5 H = 1.445583 → m = 0.820583, V = 0.445583 − 0.694364 = −0.248777.
        let mut n = InhibitoryLIFNeuron::new();
        let expect = [
            (true, -0.5, 0.0),
            (false, 0.75, 0.0),
            (true, -0.217_667, 0.375),
            (false, 0.891_167, 0.375),
            (true, -0.248_777, 0.820_583),
        ];
        for (t, &(spike, v, m)) in expect.iter().enumerate() {
            assert_eq!(n.step(1.0), spike, "t = {}", t + 1);
            assert!(
                (n.state().v - v).abs() < 1e-6,
                "t = {}: {:?}",
                t + 1,
                n.state()
            );
            assert!((n.state().inh_trace - m).abs() < 1e-6, "t = {}", t + 1);
        }
    }

    #[test]
    fn inhibition_halves_the_rate_of_the_plain_soft_reset_lif() {
        // Without the inhibitory unit H = 0.5·0 + 1 = 1 every step: a spike every step. With it
        // a spike leaves V = (H − 1) − σ(m) ∈ (−1, 0) (H < 1.5, σ(m) ≥ 1/2), so the next
        // H = V/2 + 1 < 1 is silent and leaves V = H > 1/2, so the step after fires again:
        // strict alternation, 500 spikes in 1000 steps.
        let mut n = InhibitoryLIFNeuron::new();
        let out: Vec<bool> = (0..1000).map(|_| n.step(1.0)).collect();
        assert!(out.windows(2).all(|w| !(w[0] && w[1])));
        assert_eq!(out.iter().filter(|&&s| s).count(), 500);
    }
}
