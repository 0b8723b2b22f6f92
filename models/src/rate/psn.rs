//! `ParallelSpikingNeuron` — the sliding k-order Parallel Spiking Neuron (PSN) of Fang et al.
//! (2023).
//!
//! **Equations.** Fang et al. (2023), Eqs. 14–15: H[t] = Σ_{i=0}^{k−1} W_i·X[t − k + 1 + i],
//! S[t] = Θ(H[t] − θ) with Θ(0) = 1: a learnable linear filter over the last k inputs followed
//! by a Heaviside step. No reset, no leak; one step is one time step of the paper (Timing:
//! iteration). Inputs before the first step are 0.
//!
//! **Entity mapping.** One PSN is one entity (the paper's neuron); its input window is part of
//! its state. The window is fixed-size: k ≤ 8 (the engine's state is a fixed set of scalar
//! components), held as `x1` … `x7` (the inputs 1 … 7 steps ago) beside `hidden` (= H).
//!
//! **Reference.** Fang, W., Yu, Z., Zhou, Z., Chen, D., Chen, Y., Ma, Z., Masquelier, T. &
//! Tian, Y. (2023) Parallel spiking neurons with high efficiency and ability to learn long-term
//! dependencies. NeurIPS 36, arXiv:2304.12760.
//!
//! **Relation to SC-NeuroCore** (spec §23). Same interface (`step(current) -> spike`), dynamics
//! and defaults (k = 8, θ = 1, uniform weights 1/k); state `hidden` as there. SC-NeuroCore's
//! `_history` list becomes the fixed components `x1` … `x7` (in `ADDED_STATE`), so k is limited
//! to 8; the weight tuple becomes `uniform_weights` (true: W_i = 1/k) or the explicit `w0` …
//! `w7`.
//!
//! **Paper fact tested.** With uniform weights and constant input c from an empty window,
//! H_t = c·min(t, k)/k (from the PSN definition, spec §23.8): c = 1, k = 8 fires first at t = 8
//! and then every step; c = 2 from t = 4; and H equals the filter sum for arbitrary weights
//! and inputs, computed independently in the test.

use neurocore_engine::prelude::*;

/// Largest supported kernel size.
const K_MAX: usize = 8;

params! {
    /// Parameters of [`ParallelSpikingNeuron`].
    pub struct ParallelSpikingParams {
        /// Kernel size (window length), k ≤ 8 [steps].
        kernel_size: u32 = 8,
        /// Firing threshold, θ [1].
        v_threshold: f64 = 1.0,
        /// Use W_i = 1/k (SC-NeuroCore's default) instead of `w0` … `w7` [choice].
        uniform_weights: bool = true,
        /// Weight W_0 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w0: f64 = 0.125,
        /// Weight W_1 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w1: f64 = 0.125,
        /// Weight W_2 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w2: f64 = 0.125,
        /// Weight W_3 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w3: f64 = 0.125,
        /// Weight W_4 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w4: f64 = 0.125,
        /// Weight W_5 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w5: f64 = 0.125,
        /// Weight W_6 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w6: f64 = 0.125,
        /// Weight W_7 (W_{k−1} multiplies the newest input; used when `uniform_weights` is false) [1].
        w7: f64 = 0.125,
    }
}

impl ParallelSpikingParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("kernel_size", self.kernel_size as f64, 1.0, K_MAX as f64)?;
        check::finite("v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`ParallelSpikingNeuron`].
    pub struct ParallelSpikingState {
        /// Last hidden state, H [1].
        hidden: f64 => PsnHidden,
        /// Input received 1 step ago (sliding window) [1].
        x1: f64 => PsnX1,
        /// Input received 2 steps ago (sliding window) [1].
        x2: f64 => PsnX2,
        /// Input received 3 steps ago (sliding window) [1].
        x3: f64 => PsnX3,
        /// Input received 4 steps ago (sliding window) [1].
        x4: f64 => PsnX4,
        /// Input received 5 steps ago (sliding window) [1].
        x5: f64 => PsnX5,
        /// Input received 6 steps ago (sliding window) [1].
        x6: f64 => PsnX6,
        /// Input received 7 steps ago (sliding window) [1].
        x7: f64 => PsnX7,
    }
}

/// Constants of [`ParallelSpikingNeuron`]: the weight of the input `l` steps old, `lag[l]`
/// (0 beyond the kernel), and the threshold.
#[derive(Clone, Debug)]
pub struct ParallelSpikingConsts {
    lag: [f64; K_MAX],
    theta: f64,
}

/// One step with input `x`: shift the window, H = Σ weights·window (oldest first), spike iff
/// H ≥ θ.
#[inline(always)]
pub fn psn_step(k: &ParallelSpikingConsts, s: &mut ParallelSpikingState, x: f64) -> bool {
    let window = [s.x7, s.x6, s.x5, s.x4, s.x3, s.x2, s.x1, x];
    let mut h = 0.0;
    // Sequential accumulation from the oldest input to the newest (SC-NeuroCore's order).
    for (i, xi) in window.iter().enumerate() {
        h += k.lag[K_MAX - 1 - i] * xi;
    }
    [s.x7, s.x6, s.x5, s.x4, s.x3, s.x2, s.x1] = [s.x6, s.x5, s.x4, s.x3, s.x2, s.x1, x];
    s.hidden = h;
    h >= k.theta
}

standalone! {
/// Sliding k-order Parallel Spiking Neuron (Fang et al. 2023).
pub struct ParallelSpikingNeuron;
}

impl ParallelSpikingNeuron {
    /// One time step with input `current`; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ParallelSpikingNeuron {
    const NAME: &'static str = "ParallelSpikingNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Sliding Parallel Spiking Neuron (Fang 2023): linear filter over k inputs + Heaviside";
    const REFERENCE: &'static str = "Fang et al. 2023, NeurIPS 36, arXiv:2304.12760";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ParallelSpikingParams;
    type State = ParallelSpikingState;
    type Consts = ParallelSpikingConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ParallelSpikingParams) -> ParallelSpikingState {
        ParallelSpikingState::default()
    }
    fn standalone_span(_: &ParallelSpikingParams) -> f64 {
        1.0
    }
    fn prepare(p: &ParallelSpikingParams, _: f64) -> ParallelSpikingConsts {
        let k = (p.kernel_size as usize).clamp(1, K_MAX);
        let w = [p.w0, p.w1, p.w2, p.w3, p.w4, p.w5, p.w6, p.w7];
        let mut lag = [0.0; K_MAX];
        for (l, slot) in lag.iter_mut().enumerate().take(k) {
            // The input l steps old is window slot k − 1 − l, weighted by W_{k−1−l}.
            *slot = if p.uniform_weights {
                1.0 / k as f64
            } else {
                w[k - 1 - l]
            };
        }
        ParallelSpikingConsts {
            lag,
            theta: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        k: &ParallelSpikingConsts,
        s: &mut ParallelSpikingState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        psn_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // the tests index as the equations do
mod tests {
    use super::*;

    #[test]
    fn uniform_filter_ramps_to_the_threshold() {
        // Spec §23.8: H_t = c·min(t, k)/k; c = 1, k = 8: first spike at t = 8; c = 2: t = 4.
        for (c, first) in [(1.0, 8usize), (2.0, 4)] {
            let mut n = ParallelSpikingNeuron::new();
            for t in 1..=20usize {
                let s = n.step(c);
                let h = c * (t.min(8) as f64) / 8.0;
                assert!((n.state().hidden - h).abs() < 1e-12, "t {t}");
                assert_eq!(s, t >= first, "c {c}, t {t}");
            }
        }
    }

    #[test]
    fn hidden_state_is_the_weighted_window() {
        // k = 5, weights W = (0.5, −0.2, 0.1, 0.3, 0.9), W_4 on the newest input.
        let w = [0.5, -0.2, 0.1, 0.3, 0.9];
        let p = ParallelSpikingParams {
            kernel_size: 5,
            uniform_weights: false,
            w0: w[0],
            w1: w[1],
            w2: w[2],
            w3: w[3],
            w4: w[4],
            v_threshold: 0.4,
            ..Default::default()
        };
        let mut n = ParallelSpikingNeuron::with_params(p).unwrap();
        let xs: Vec<f64> = (0..40).map(|t| ((t * 7 % 11) as f64 - 5.0) * 0.3).collect();
        for t in 0..xs.len() {
            let s = n.step(xs[t]);
            let mut h = 0.0;
            for i in 0..5 {
                let idx = t as i64 - 4 + i as i64;
                if idx >= 0 {
                    h += w[i] * xs[idx as usize];
                }
            }
            assert!((n.state().hidden - h).abs() < 1e-12, "t {t}");
            assert_eq!(s, h >= 0.4);
        }
        assert!(
            ParallelSpikingNeuron::with_params(ParallelSpikingParams {
                kernel_size: 9,
                ..Default::default()
            })
            .is_err()
        );
    }
}
