//! `GLMNeuron` — a Poisson generalized linear model (GLM) with an exponential link, a
//! stimulus filter and a post-spike history filter (Pillow et al. 2008, single neuron).
//!
//! **Equations.** In bin t (length Δ):
//! ℓ_t = μ + Σ_{i=0}^{n_k−1} k_i s_{t−i} + Σ_{j=0}^{n_h−1} h_j y_{t−1−j}, clipped to [−20, 20];
//! λ_t = e^(ℓ_t) [Hz]; the spike count of the bin is conditionally Poisson, so the bin holds a
//! spike with probability P = 1 − e^(−λ_t Δ) (at most one spike per bin is emitted). s is the
//! `stimulus` port, y ∈ {0, 1} the model's own spikes. Default filters (spec §7, illustrative,
//! not fitted): k_i = 0.5 e^(−i/3), h_j = −5 e^(−j/2) + 0.5 e^(−j/10) (h_0 = −4.5:
//! refractoriness), μ = −3. Filter lags count steps (bins).
//!
//! **State.** `_stim_buf`: the last n_k stimuli (element 0 the current one), one state
//! variable of type [`StimulusBuffer`] (as a number it reads as element 0); `_spike_buf`: the
//! last n_h spikes as a bitmask in a `u32` (bit j = the spike of lag j + 1).
//!
//! **Randomness.** Exactly one uniform U per step from the `rng` argument, drawn even when
//! P = 0; spike iff U < P.
//!
//! **Reference.** Pillow, J.W., Shlens, J., Paninski, L., Sher, A., Litke, A.M.,
//! Chichilnisky, E.J. & Simoncelli, E.P. (2008) Spatio-temporal correlations and visual
//! signalling in a complete neuronal population. Nature 454:995–999, doi:10.1038/nature07140.
//!
//! **Relation to SC-NeuroCore** (spec §7). Same port (`stimulus`), states (`_stim_buf`,
//! `_spike_buf`, both empty initially), parameters (`n_k`, `n_h`, `mu`) and default filters.
//! Differences: the spike probability is the conditionally-Poisson P = 1 − e^(−λΔ) of the
//! paper instead of SC-NeuroCore's linear min(λΔ, 1); the bin length is `span` [ms] instead of
//! `dt_ms`; the filters are given by their two exponential shapes (`k_amp`, `k_tau`,
//! `h_fast`, `h_fast_tau`, `h_slow`, `h_slow_tau`) rather than as arbitrary arrays; n_k is at
//! most 32 and n_h at most 32 (the buffers are fixed-size state values; SC-NeuroCore allows
//! 10000); the explicit-`uniform` argument is not provided (the draw comes from the engine's
//! counter-based `rng`, reproducible per seed, neuron and step); no coupling filters (as in
//! SC-NeuroCore).
//!
//! **Facts tested** (re-derived in the tests): Σk = 0.5 (1 − e^(−10/3))/(1 − e^(−1/3)) =
//! 1.70094, so a constant stimulus 3 with no recent spike gives λ = e^(1.70094·3 − 3) = 8.19 Hz;
//! the per-bin spike probability is 1 − e^(−λΔ) within binomial confidence bounds, both
//! without history and right after a spike (λ multiplied by e^(h_j) for a spike at lag j + 1:
//! e^(−4.5) = 0.011 for the previous bin, the refractoriness of spec §7).

use neurocore_engine::model::StateScalar;
use neurocore_engine::prelude::*;

/// Largest stimulus-filter length n_k.
pub const MAX_K: usize = 32;
/// Largest history-filter length n_h (the bits of the `u32` spike history).
pub const MAX_H: usize = 32;

params! {
    /// Parameters of [`GLMNeuron`].
    pub struct GlmParams {
        /// Stimulus filter length, n_k (1..=32) [bins].
        n_k: u32 = 10,
        /// History filter length, n_h (1..=32) [bins].
        n_h: u32 = 20,
        /// Baseline log-rate, μ [ln Hz].
        mu: f64 = -3.0,
        /// Stimulus filter amplitude: k_i = k_amp e^(−i/k_tau) [ln Hz per stimulus unit].
        k_amp: f64 = 0.5,
        /// Stimulus filter decay constant, k_tau [bins].
        k_tau: f64 = 3.0,
        /// Fast history component amplitude (h_j = h_fast e^(−j/h_fast_tau) + ...) [ln Hz].
        h_fast: f64 = -5.0,
        /// Fast history component decay constant [bins].
        h_fast_tau: f64 = 2.0,
        /// Slow history component amplitude (... + h_slow e^(−j/h_slow_tau)) [ln Hz].
        h_slow: f64 = 0.5,
        /// Slow history component decay constant [bins].
        h_slow_tau: f64 = 10.0,
        /// Time spanned by one standalone `step()`, the bin Δ (SC-NeuroCore's `dt_ms`) [ms].
        span: f64 = 1.0,
    }
}

impl GlmParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("n_k", self.n_k as f64, 1.0, MAX_K as f64)?;
        check::in_range("n_h", self.n_h as f64, 1.0, MAX_H as f64)?;
        check::positive("k_tau", self.k_tau)?;
        check::positive("h_fast_tau", self.h_fast_tau)?;
        check::positive("h_slow_tau", self.h_slow_tau)?;
        check::positive("span", self.span)
    }
}

/// The last n_k stimuli, element 0 the current one (lag i at element i). As a number it
/// reads as element 0; set from a number x it is filled with x.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StimulusBuffer(pub [f64; MAX_K]);

impl StateScalar for StimulusBuffer {
    fn to_f64(self) -> f64 {
        self.0[0]
    }
    fn from_f64(x: f64) -> Self {
        StimulusBuffer([x; MAX_K])
    }
    const WORDS: usize = MAX_K;
    fn put_words(self, out: &mut Vec<u64>) {
        out.extend(self.0.iter().map(|x| x.to_bits()));
    }
    fn from_words(w: &[u64]) -> Self {
        let mut a = [0.0; MAX_K];
        for (x, b) in a.iter_mut().zip(w) {
            *x = f64::from_bits(*b);
        }
        StimulusBuffer(a)
    }
}

neuron_state! {
    /// State of [`GLMNeuron`].
    pub struct GlmState {
        /// Stimulus history, element i = the stimulus of lag i (as a number: element 0) [1].
        _stim_buf: StimulusBuffer => GlmStimBuf,
        /// Spike history bitmask, bit j = the spike of lag j + 1 [bits].
        _spike_buf: u32 => GlmSpikeBuf,
    }
}

/// Constants of [`GLMNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct GlmConsts {
    /// Stimulus filter, zero beyond n_k.
    k: [f64; MAX_K],
    /// History filter, zero beyond n_h.
    h: [f64; MAX_H],
    /// Mask of the n_h history bits.
    mask: u32,
    mu: f64,
    /// Bin length [s].
    bin_s: f64,
}

/// The default-shaped filters (k_i, h_j) of the parameters, zero beyond n_k, n_h.
pub fn glm_filters(p: &GlmParams) -> ([f64; MAX_K], [f64; MAX_H]) {
    let mut k = [0.0; MAX_K];
    let mut h = [0.0; MAX_H];
    for (i, x) in k.iter_mut().enumerate().take(p.n_k as usize) {
        *x = p.k_amp * (-(i as f64) / p.k_tau).exp();
    }
    for (j, x) in h.iter_mut().enumerate().take(p.n_h as usize) {
        let j = j as f64;
        *x = p.h_fast * (-j / p.h_fast_tau).exp() + p.h_slow * (-j / p.h_slow_tau).exp();
    }
    (k, h)
}

/// One bin: shift in the stimulus, one uniform draw, spike with P = 1 − e^(−λΔ).
#[inline(always)]
pub fn glm_step(k: &GlmConsts, s: &mut GlmState, stimulus: f64, rng: &mut NeuronRng) -> bool {
    let buf = &mut s._stim_buf.0;
    buf.copy_within(0..MAX_K - 1, 1);
    buf[0] = stimulus;
    let mut ell = k.mu;
    for (w, x) in k.k.iter().zip(buf.iter()) {
        ell += w * x;
    }
    let bits = s._spike_buf;
    for (j, w) in k.h.iter().enumerate() {
        ell += w * ((bits >> j) & 1) as f64;
    }
    let lambda = ell.clamp(-20.0, 20.0).exp();
    let p = -(-lambda * k.bin_s).exp_m1();
    let spike = rng.uniform() < p;
    s._spike_buf = ((bits << 1) | spike as u32) & k.mask;
    spike
}

standalone! {
/// Pillow et al. (2008) Poisson GLM neuron with stimulus and spike-history filters.
pub struct GLMNeuron;
}

impl GLMNeuron {
    /// Advance one bin (1 ms by default) with `stimulus` [1]; `true` if the bin holds a spike.
    pub fn step(&mut self, stimulus: f64) -> bool {
        self.step_or_none([stimulus])
    }
}

impl Model for GLMNeuron {
    const NAME: &'static str = "GLMNeuron";
    const FAMILY: Family = Family::Stochastic;
    const SUMMARY: &'static str =
        "Pillow 2008 Poisson GLM: exponential link, stimulus and spike-history filters";
    const REFERENCE: &'static str = "Pillow et al. 2008, Nature 454:995, doi:10.1038/nature07140";
    const PORTS: &'static [&'static str] = &["stimulus"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[6.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = GlmParams;
    type State = GlmState;
    type Consts = GlmConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &GlmParams) -> GlmState {
        GlmState {
            _stim_buf: StimulusBuffer::default(),
            _spike_buf: 0,
        }
    }
    fn standalone_span(p: &GlmParams) -> f64 {
        p.span
    }
    fn prepare(p: &GlmParams, span: f64) -> GlmConsts {
        let (k, h) = glm_filters(p);
        let n_h = (p.n_h as usize).clamp(1, MAX_H);
        GlmConsts {
            k,
            h,
            mask: if n_h >= 32 {
                u32::MAX
            } else {
                (1u32 << n_h) - 1
            },
            mu: p.mu,
            bin_s: span / 1000.0,
        }
    }
    #[inline(always)]
    fn update(k: &GlmConsts, s: &mut GlmState, x: &Input<[f64; 1]>, rng: &mut NeuronRng) -> bool {
        glm_step(k, s, x.ports[0], rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Σk for the default filter, closed form (spec §7: 1.70094).
    fn sum_k() -> f64 {
        0.5 * (1.0 - (-10.0f64 / 3.0).exp()) / (1.0 - (-1.0f64 / 3.0).exp())
    }

    /// Spikes in `n` single bins, each from the state "stimulus `s` for ≥ n_k bins, history
    /// `bits`" (set before every bin).
    fn count(s: f64, bits: u32, n: usize, seed: u64) -> usize {
        let mut g = GLMNeuron::new();
        g.set_seed(seed, 0);
        (0..n)
            .filter(|_| {
                g.state_mut()._stim_buf = StimulusBuffer([s; MAX_K]);
                g.state_mut()._spike_buf = bits;
                g.step(s)
            })
            .count()
    }

    /// |count − nP| within 5 binomial standard deviations.
    fn check_binomial(got: usize, n: usize, p: f64, what: &str) {
        let mean = n as f64 * p;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        assert!(
            (got as f64 - mean).abs() < 5.0 * sd,
            "{what}: {got} spikes in {n}, expected {mean:.1} ± {sd:.1}"
        );
    }

    #[test]
    fn filter_sum_and_rate_at_stimulus_3() {
        let (k, h) = glm_filters(&GlmParams::default());
        let total: f64 = k.iter().sum();
        assert!((total - sum_k()).abs() < 1e-12 && (total - 1.70094).abs() < 1e-5);
        assert!((h[0] + 4.5).abs() < 1e-12, "h_0 = {}", h[0]);
        let lambda = (sum_k() * 3.0 - 3.0).exp();
        assert!((lambda - 8.19).abs() < 0.01, "λ = {lambda}");
    }

    #[test]
    fn spike_probability_without_history() {
        // Stimulus 5: λ = e^(1.70094·5 − 3) = 257 Hz, P = 1 − e^(−0.257) = 0.227 per 1-ms bin.
        let n = 40_000;
        for s in [3.0, 5.0] {
            let lambda = (sum_k() * s - 3.0f64).exp();
            let p = 1.0 - (-lambda * 1e-3).exp();
            check_binomial(count(s, 0, n, 11), n, p, &format!("s = {s}"));
        }
    }

    #[test]
    fn refractoriness_after_a_spike() {
        // Stimulus 6: λ0 = e^(1.70094·6 − 3) = 1360 Hz (P = 0.743 per bin). A spike j + 1 bins
        // ago multiplies λ by e^(h_j), h_j = −5 e^(−j/2) + 0.5 e^(−j/10).
        let n = 40_000;
        let lambda0 = (sum_k() * 6.0 - 3.0f64).exp();
        for j in [0u32, 1, 3, 8] {
            let hj = -5.0 * (-(j as f64) / 2.0).exp() + 0.5 * (-(j as f64) / 10.0).exp();
            let p = 1.0 - (-lambda0 * hj.exp() * 1e-3).exp();
            check_binomial(
                count(6.0, 1 << j, n, 5 + j as u64),
                n,
                p,
                &format!("lag {}", j + 1),
            );
        }
        // The previous bin's spike: λ falls by e^(−4.5) = 0.0111.
        let free = count(6.0, 0, n, 1) as f64;
        let refr = count(6.0, 1, n, 2) as f64;
        assert!(refr < 0.05 * free, "refractory {refr} vs free {free}");
    }

    #[test]
    fn free_running_history_is_kept() {
        // Run freely at stimulus 6 and check the spike buffer is the last n_h outputs.
        let mut g = GLMNeuron::new();
        g.set_seed(9, 0);
        let mut out = Vec::new();
        for _ in 0..500 {
            out.push(g.step(6.0));
        }
        let bits = g.state()._spike_buf;
        for j in 0..20 {
            assert_eq!((bits >> j) & 1 == 1, out[out.len() - 1 - j], "bit {j}");
        }
        assert_eq!(bits >> 20, 0);
        // No two spikes in consecutive bins is not guaranteed, but they are rare: the
        // conditional probability is ≈ 1 − e^(−1360·0.011·1e−3) = 0.015.
        let pairs = out.windows(2).filter(|w| w[0] && w[1]).count();
        let spikes = out.iter().filter(|&&x| x).count();
        assert!(
            spikes > 50 && pairs * 10 < spikes,
            "{spikes} spikes, {pairs} doublets"
        );
    }
}
