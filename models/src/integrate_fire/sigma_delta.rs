//! `SigmaDeltaNeuron` — a bipolar, leak-free integrate-and-fire pulse modulator (first-order
//! asynchronous sigma–delta modulation).
//!
//! **Equations** (one step = one sample x_n): σ ← σ + x_n; if σ ≥ θ: σ ← σ − θ, emit +1; else if
//! σ ≤ −θ: σ ← σ + θ, emit −1; else emit 0. The residual is carried (subtractive reset), so θ
//! times the signed pulse count tracks the running sum of the input: the error
//! Σx − θ·Σpulses equals the residual σ, which stays inside (−θ, θ) while |x_n| < θ. At most one
//! pulse per step; |x_n| > θ overloads the modulator (σ grows).
//!
//! **Numerics.** An exact map: in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless (input and threshold in the same units).
//!
//! **Reference.** Yoon, Y.C. (2017) "LIF and simplified SRM neurons encode signals into spikes
//! via a form of asynchronous pulse sigma–delta modulation", IEEE Trans. Neural Netw. Learn.
//! Syst. 28:1192–1205, doi:10.1109/TNNLS.2016.2526029. The model is the leak-free,
//! symmetric-threshold special case of the modulators analysed there (a first-order ΣΔ
//! modulator with a bipolar one-bit quantiser).
//!
//! **Relation to SC-NeuroCore** (spec §15). Same interface and dynamics: `step(current)` returns
//! −1/0/+1 (`i8`), state `sigma`, parameter `v_threshold`. No departures. It is not Loihi's
//! graded sigma–delta neuron.
//!
//! **Paper facts tested.** Constant input x = 0.25, θ = 1 gives one +1 every 4 steps (pulse rate
//! |x|/θ); for any input sequence with |x| < θ the reconstruction error |Σx − θ·Σpulses| stays
//! below θ (the defining property of the modulator; Yoon 2017); negative input gives −1
//! pulses at the mirrored rate.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`SigmaDeltaNeuron`].
    pub struct SigmaDeltaParams {
        /// Quantisation threshold (pulse weight), θ [1].
        v_threshold: f64 = 1.0,
    }
}

impl SigmaDeltaParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`SigmaDeltaNeuron`].
    pub struct SigmaDeltaState {
        /// Integrator residual, σ [1].
        sigma: f64 => SigmaDeltaSigma,
    }
}

/// One sample: integrate, compare with ±θ, subtract the emitted pulse.
#[inline(always)]
pub fn sigma_delta_step(p: &SigmaDeltaParams, s: &mut SigmaDeltaState, x: f64) -> i8 {
    s.sigma += x;
    if s.sigma >= p.v_threshold {
        s.sigma -= p.v_threshold;
        1
    } else if s.sigma <= -p.v_threshold {
        s.sigma += p.v_threshold;
        -1
    } else {
        0
    }
}

standalone! {
/// Bipolar leak-free integrate-and-fire pulse modulator (first-order sigma–delta).
pub struct SigmaDeltaNeuron;
}

impl SigmaDeltaNeuron {
    /// One sample `current`; returns +1, −1 or 0. A non-finite sample is refused (0, state kept).
    pub fn step(&mut self, current: f64) -> i8 {
        self.step_or_none([current])
    }
}

impl Model for SigmaDeltaNeuron {
    const NAME: &'static str = "SigmaDeltaNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Leak-free bipolar IF pulse modulator (first-order sigma-delta), signed events";
    const REFERENCE: &'static str = "Yoon 2017, IEEE TNNLS 28:1192, doi:10.1109/TNNLS.2016.2526029";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.25];
    const SUBSTEP: Option<&'static str> = None;
    type Params = SigmaDeltaParams;
    type State = SigmaDeltaState;
    type Consts = SigmaDeltaParams;
    type Ports = [f64; 1];
    type Output = i8;

    fn init(_: &SigmaDeltaParams) -> SigmaDeltaState {
        SigmaDeltaState { sigma: 0.0 }
    }
    fn standalone_span(_: &SigmaDeltaParams) -> f64 {
        1.0
    }
    fn prepare(p: &SigmaDeltaParams, _: f64) -> SigmaDeltaParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &SigmaDeltaParams,
        s: &mut SigmaDeltaState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> i8 {
        sigma_delta_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_input_gives_rate_x_over_theta() {
        // x = 0.25, θ = 1 (spec §15): σ = 0.25, 0.5, 0.75, 1.0 → +1 on every 4th step.
        let mut n = SigmaDeltaNeuron::new();
        let out: Vec<i8> = (0..12).map(|_| n.step(0.25)).collect();
        assert_eq!(out, vec![0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
        // Negative input: mirrored, −1 pulses. x = −0.4: σ = −0.4, −0.8, −1.2 → −1, σ = −0.2, …
        let mut n = SigmaDeltaNeuron::new();
        let out: Vec<i8> = (0..5).map(|_| n.step(-0.4)).collect();
        assert_eq!(out, vec![0, 0, -1, 0, -1]);
    }

    #[test]
    fn reconstruction_error_stays_below_threshold() {
        // Yoon 2017: θ·(signed pulse count) tracks the integral of the input; for a first-order
        // modulator with |x| < θ the error equals the residual, bounded by θ.
        let p = SigmaDeltaParams { v_threshold: 0.5 };
        let mut n = SigmaDeltaNeuron::with_params(p).unwrap();
        let (mut sum_x, mut sum_pulses) = (0.0f64, 0.0f64);
        for k in 0..5000 {
            let x = 0.45 * ((k as f64) * 0.013).sin() + 0.04 * ((k as f64) * 0.7).cos();
            sum_x += x;
            sum_pulses += n.step(x) as f64;
            assert!(
                (sum_x - 0.5 * sum_pulses).abs() < 0.5,
                "error too large at {k}"
            );
        }
        // The mean pulse rate of a slow input equals its mean over θ: here Σx/θ over the run.
        assert!((sum_pulses - sum_x / 0.5).abs() < 1.0);
    }
}
