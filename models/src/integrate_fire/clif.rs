//! `ComplementaryLIFNeuron` — the Complementary LIF neuron (CLIF): a discrete LIF with a
//! complementary potential that strengthens the reset after clustered spikes.
//!
//! **Equations** (one step = one time step t; input X[t]; σ the logistic function):
//! H[t] = (1 − 1/τ)·V[t−1] + X[t];  S[t] = Θ(H[t] − V_th) (Θ(0) = 1);
//! M[t] = M[t−1]·σ(H[t]/τ) + S[t];  V[t] = H[t] − S[t]·(V_th + σ(M[t])).
//! The membrane potential V has a soft reset by the threshold plus σ(M); the complementary
//! potential M decays by σ(H/τ) each step (slowly while the membrane is depolarised) and grows
//! by one per spike, so a neuron that has just fired resets deeper.
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless; τ in time steps.
//!
//! **Reference.** Huang, Y., Lin, X., Ren, H., Fu, H., Zhou, Y., Liu, Z., Pan, B. & Cheng, B.
//! (2024) "CLIF: Complementary Leaky Integrate-and-Fire Neuron for Spiking Neural Networks",
//! Proc. 41st ICML, PMLR vol. 235 (arXiv:2402.04663). Equations as in the authors' code
//! (github.com/HuuYuLong/Complementary-LIF, `ComplementaryLIFNeuron`: charge, M ← M·σ(V/τ),
//! fire, M ← M + S, soft reset, V ← V − S·σ(M)); defaults τ = 2, V_th = 1, V = M = 0.
//!
//! **Relation to SC-NeuroCore** (spec §11). Same class name, `step(current)` and signed-event
//! output (`i8`). SC-NeuroCore's model is unrelated to the paper (two rectified accumulators of
//! the positive and negative input parts, ternary output, hard reset, retention e^(−dt/τ),
//! τ = 10); here the paper's CLIF is implemented: (a) the two state variables keep
//! SC-NeuroCore's names but hold the paper's quantities: `v_pos` is the membrane potential V
//! and `v_neg` the complementary potential M; (b) the paper's neuron is binary, so the output
//! is +1 on a spike and 0 otherwise (−1 is never emitted); (c) retention is 1 − 1/τ (paper)
//! with τ = 2, and `dt` is dropped (one step is one time step).
//!
//! **Paper facts tested** (spec §11, derived from the paper's equations, checked by hand):
//! τ = 2, V_th = 1, X = 1: t1 H = 1 → spike, M = 1, V = −σ(1) = −0.7311; t2 H = 0.6345, no
//! spike, M = σ(0.3172) = 0.5787; t3 H = 1.3172 → spike, M = 1.3813, V = −0.4820; t4 no spike;
//! t5 spike (spikes at t = 1, 3, 5, where a soft-reset LIF fires every step).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ComplementaryLIFNeuron`].
    pub struct ComplementaryLIFParams {
        /// Membrane time constant, τ (> 1; retention 1 − 1/τ) [steps].
        tau: f64 = 2.0,
        /// Firing threshold, V_th [1].
        v_threshold: f64 = 1.0,
    }
}

impl ComplementaryLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        if self.tau <= 1.0 {
            return Err(ParamError::new(
                "tau",
                format!("must be > 1 (retention 1 − 1/τ), got {}", self.tau),
            ));
        }
        check::positive("v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`ComplementaryLIFNeuron`].
    pub struct ComplementaryLIFState {
        /// Membrane potential V (the paper's V; SC-NeuroCore's positive path) [1].
        v_pos: f64 => ClifVPos,
        /// Complementary potential M (the paper's M; SC-NeuroCore's negative path) [1].
        v_neg: f64 => ClifVNeg,
    }
}

/// Constants of [`ComplementaryLIFNeuron`].
#[derive(Clone, Debug)]
pub struct ComplementaryLIFConsts {
    retain: f64,
    inv_tau: f64,
    v_threshold: f64,
}

/// One time step; returns +1 on a spike, else 0.
#[inline(always)]
pub fn clif_step(c: &ComplementaryLIFConsts, s: &mut ComplementaryLIFState, x: f64) -> i8 {
    let h = c.retain * s.v_pos + x;
    let spike = h >= c.v_threshold;
    let mut m = s.v_neg * sigmoid(h * c.inv_tau);
    if spike {
        m += 1.0;
        s.v_pos = h - (c.v_threshold + sigmoid(m));
    } else {
        s.v_pos = h;
    }
    s.v_neg = m;
    spike as i8
}

standalone! {
/// Complementary LIF (Huang et al. 2024).
pub struct ComplementaryLIFNeuron;
}

impl ComplementaryLIFNeuron {
    /// One time step with input `current`; returns +1 on a spike, 0 otherwise.
    pub fn step(&mut self, current: f64) -> i8 {
        self.step_or_none([current])
    }
}

impl Model for ComplementaryLIFNeuron {
    const NAME: &'static str = "ComplementaryLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Complementary LIF (CLIF): discrete LIF whose reset deepens with a complementary potential";
    const REFERENCE: &'static str = "Huang et al. 2024, ICML 2024, PMLR 235 (arXiv:2402.04663)";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.2];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ComplementaryLIFParams;
    type State = ComplementaryLIFState;
    type Consts = ComplementaryLIFConsts;
    type Ports = [f64; 1];
    type Output = i8;

    fn init(_: &ComplementaryLIFParams) -> ComplementaryLIFState {
        ComplementaryLIFState {
            v_pos: 0.0,
            v_neg: 0.0,
        }
    }
    fn standalone_span(_: &ComplementaryLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &ComplementaryLIFParams, _: f64) -> ComplementaryLIFConsts {
        ComplementaryLIFConsts {
            retain: 1.0 - 1.0 / p.tau,
            inv_tau: 1.0 / p.tau,
            v_threshold: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        c: &ComplementaryLIFConsts,
        s: &mut ComplementaryLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> i8 {
        clif_step(c, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_of_the_paper_equations() {
        // Spec §11 (Huang et al. 2024 equations, τ = 2, V_th = 1, X = 1), values by hand:
        // σ(1) = 0.731059, σ(0.317235) = 0.578650, σ(0.658618) = 0.658950,
        // σ(1.381302) = 0.799200.
        let mut n = ComplementaryLIFNeuron::new();
        let out: Vec<i8> = (0..5)
            .map(|t| {
                let o = n.step(1.0);
                let s = *n.state();
                match t {
                    0 => {
                        assert!((s.v_neg - 1.0).abs() < 1e-12);
                        assert!((s.v_pos + 0.731_059).abs() < 1e-6);
                    }
                    1 => {
                        assert!((s.v_pos - 0.634_471).abs() < 1e-6);
                        assert!((s.v_neg - 0.578_650).abs() < 1e-6);
                    }
                    2 => {
                        assert!((s.v_neg - 1.381_302).abs() < 1e-6);
                        assert!((s.v_pos + 0.481_965).abs() < 1e-6);
                    }
                    _ => {}
                }
                o
            })
            .collect();
        assert_eq!(out, vec![1, 0, 1, 0, 1]);
    }

    #[test]
    fn complementary_reset_lowers_the_rate_of_a_soft_reset_lif() {
        // Without M the soft-reset LIF at X = 1 fires every step (H = 1 each time); CLIF's
        // extra reset σ(M) ≥ 1/2 forbids two spikes in a row at this input:
        // after a spike V ≤ H − 1.5 and H' = V/2 + 1 ≤ H/2 + 0.25 < 1 for H < 1.5.
        let mut n = ComplementaryLIFNeuron::new();
        let out: Vec<i8> = (0..200).map(|_| n.step(1.0)).collect();
        assert!(out.windows(2).all(|w| !(w[0] == 1 && w[1] == 1)));
        assert!(out.iter().filter(|&&o| o == 1).count() >= 60);
        assert!(out.iter().all(|&o| o >= 0), "CLIF never emits −1");
    }
}
