//! `PoissonNeuron` — a homogeneous Poisson spike generator, one Bernoulli trial per bin.
//!
//! **Equations.** In a bin of Δ ms at rate r Hz the spike probability is p = 1 − e^(−rΔ/1000)
//! (computed as −expm1(−rΔ/1000)), the exact probability of at least one event of a Poisson
//! process in Δ. One uniform draw U per step, taken even when p = 0; spike iff U < p. No
//! refractoriness, at most one spike per bin.
//!
//! **Input.** The port `rate` is added to `rate_hz` (the effective rate is clamped at 0), so a
//! population can be modulated by projections or stimuli (e.g. a rate unit driving it). The
//! standalone `step(rate_override)` keeps SC-NeuroCore's meaning: a negative value (the
//! default sentinel −1) uses `rate_hz`, a value ≥ 0 replaces it for this step.
//!
//! **Randomness.** Counter-based: the draw is a pure function of (seed, neuron id, step), so
//! a network gives the same spikes for any thread count; `reset()` rewinds the stream.
//!
//! **Reference.** Gerstner, Kistler, Naud & Paninski (2014) *Neuronal Dynamics*, CUP, ch. 7;
//! Dayan & Abbott (2001) *Theoretical Neuroscience*, §1.4.
//!
//! **Relation to SC-NeuroCore** (spec §1). Same interface and defaults (rate 100 Hz, 1-ms bins,
//! no state variables). Differences: the generator is seeded and `reset()` rewinds it
//! (SC-NeuroCore's Python class cannot be seeded and does not rewind); the stream is ours, not
//! numpy's PCG64 or the Rust engine's 16-bit LFSR, so individual spikes differ while the
//! statistics are the same.
//!
//! **Paper facts tested.** At 100 Hz in 1-ms bins p = 0.09516: 1000 bins hold 95.2 spikes on
//! average, intervals are geometric with mean 1/p = 10.51 bins, and the Fano factor of bin
//! counts is 1 − p = 0.905 (Gerstner et al. 2014, §7.2) — checked on 10-bin windows, which also
//! checks that bins are independent.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PoissonNeuron`].
    pub struct PoissonParams {
        /// Firing rate, λ [Hz].
        rate_hz: f64 = 100.0,
        /// Bin width = time spanned by one standalone `step()`, Δ [ms].
        dt_ms: f64 = 1.0,
    }
}

impl PoissonParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("rate_hz", self.rate_hz)?;
        check::positive("dt_ms", self.dt_ms)
    }
}

neuron_state! {
    /// State of [`PoissonNeuron`]: none (the random stream is keyed by seed, id and step).
    pub struct PoissonState {}
}

/// Constants of [`PoissonNeuron`] for one bin.
#[derive(Clone, Debug)]
pub struct PoissonConsts {
    rate_hz: f64,
    bin_s: f64,
}

/// One bin: one uniform draw; spike iff it falls below 1 − e^(−rΔ).
#[inline(always)]
pub fn poisson_step(k: &PoissonConsts, rate_delta: f64, rng: &mut NeuronRng) -> bool {
    let r = (k.rate_hz + rate_delta).max(0.0);
    let p = -(-r * k.bin_s).exp_m1();
    rng.uniform() < p
}

standalone! {
/// Homogeneous Poisson spike generator.
pub struct PoissonNeuron;
}

impl PoissonNeuron {
    /// One bin. `rate_override` < 0 (SC-NeuroCore's sentinel, e.g. −1) uses `rate_hz`; a value
    /// ≥ 0 [Hz] replaces it for this bin. `true` on a spike.
    pub fn step(&mut self, rate_override: f64) -> bool {
        let delta = if rate_override < 0.0 {
            0.0
        } else {
            rate_override - self.params().rate_hz
        };
        self.step_or_none([delta])
    }
}

impl Model for PoissonNeuron {
    const NAME: &'static str = "PoissonNeuron";
    const FAMILY: Family = Family::Stochastic;
    const SUMMARY: &'static str = "Homogeneous Poisson spike generator (Bernoulli per bin)";
    const REFERENCE: &'static str =
        "Gerstner, Kistler, Naud & Paninski 2014, Neuronal Dynamics, CUP, ch. 7";
    const PORTS: &'static [&'static str] = &["rate"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = PoissonParams;
    type State = PoissonState;
    type Consts = PoissonConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &PoissonParams) -> PoissonState {
        PoissonState {}
    }
    fn standalone_span(p: &PoissonParams) -> f64 {
        p.dt_ms
    }
    fn prepare(p: &PoissonParams, span: f64) -> PoissonConsts {
        PoissonConsts {
            rate_hz: p.rate_hz,
            bin_s: span / 1000.0,
        }
    }
    #[inline(always)]
    fn update(
        k: &PoissonConsts,
        _: &mut PoissonState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        poisson_step(k, x.ports[0], rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bernoulli_statistics_at_100_hz() {
        // p = 1 − e^−0.1 = 0.095163; over 10^6 bins the count is within 5 sd of 95,163.
        let mut n = PoissonNeuron::new();
        n.set_seed(42, 0);
        let bins = 1_000_000usize;
        let spikes: Vec<usize> = (0..bins).filter(|_| n.step(-1.0)).collect();
        let p = -(-0.1f64).exp_m1();
        let mean = p * bins as f64;
        let sd = (bins as f64 * p * (1.0 - p)).sqrt();
        assert!(
            (spikes.len() as f64 - mean).abs() < 5.0 * sd,
            "{} vs {mean}",
            spikes.len()
        );
        // Geometric intervals: mean 1/p = 10.508 bins.
        let isi = spikes.windows(2).map(|w| (w[1] - w[0]) as f64).sum::<f64>()
            / (spikes.len() - 1) as f64;
        assert!((isi - 1.0 / p).abs() < 0.1, "mean interval {isi}");
        // Counts in 10-bin windows are Binomial(10, p) if bins are independent: Fano 1 − p.
        let mut counts = vec![0f64; bins / 10];
        for &t in &spikes {
            counts[t / 10] += 1.0;
        }
        let m = counts.iter().sum::<f64>() / counts.len() as f64;
        let v = counts.iter().map(|c| (c - m).powi(2)).sum::<f64>() / counts.len() as f64;
        assert!((v / m - (1.0 - p)).abs() < 0.02, "Fano {}", v / m);
    }

    #[test]
    fn override_replaces_the_rate_and_reset_rewinds() {
        let mut n = PoissonNeuron::new();
        assert!((0..10_000).all(|_| !n.step(0.0)), "rate 0 must never fire");
        let mut n = PoissonNeuron::new();
        assert!(
            (0..1000).filter(|_| n.step(1e6)).count() == 1000,
            "p = 1 at 1 MHz"
        );
        let mut a = PoissonNeuron::new();
        let first: Vec<bool> = (0..500).map(|_| a.step(-1.0)).collect();
        a.reset();
        let again: Vec<bool> = (0..500).map(|_| a.step(-1.0)).collect();
        assert_eq!(first, again);
    }
}
