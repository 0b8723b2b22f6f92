//! `InhomogeneousPoissonNeuron` — an inhomogeneous Poisson spike generator whose rate is given
//! at every step.
//!
//! **Equations.** In a bin of Δ ms at rate r(t) ≥ 0 Hz (negative rates count as 0) the spike
//! probability is p = 1 − e^(−rΔ/1000) (computed as −expm1(−rΔ/1000)), the exact probability of
//! at least one event of a Poisson process of intensity r held constant over the bin (rectangle
//! rule; passing the bin-averaged rate makes it exact for any r(t)). One uniform draw U per
//! step, always taken; spike iff U < p. No refractoriness, at most one spike per bin.
//!
//! **Input.** The port `rate_hz` is the rate [Hz] of this bin; in a network, projections and
//! stimuli onto it add up to the rate.
//!
//! **Randomness.** One uniform per step from the counter-based stream of the `rng` argument
//! (keyed by seed, neuron id and step), so a run is reproducible and the same at any thread
//! count; `reset()` rewinds the stream.
//!
//! **Reference.** Gerstner, Kistler, Naud & Paninski (2014) *Neuronal Dynamics*, CUP, §7.3,
//! doi:10.1017/CBO9781107447615; Cox (1955) J. R. Stat. Soc. B 17:129–164 (doubly stochastic
//! processes, which this becomes only if the caller makes the rate random).
//!
//! **Relation to SC-NeuroCore** (spec §2). Same interface (`step(rate_hz) -> spike`, bin
//! `dt_ms` = 1 ms, no state variables) and the same exponential bin probability as its Python
//! class (its Rust engine variant uses the linear r·Δ, which exceeds the Poisson probability at
//! high rates). Differences: the generator is seeded per neuron (`set_seed`) and `reset()`
//! rewinds it (the Python class draws from numpy's global state); the stream is ours, so
//! individual spikes differ while the statistics are the same.
//!
//! **Paper facts tested.** For r(t) = r₀(1 + m sin 2πft) over whole periods the expected count
//! is r₀T (20 Hz × 10 s ≈ 200 spikes, Gerstner et al. 2014 §7.3); counts of disjoint windows
//! are independent with Fano factor Σp(1−p)/Σp (Bernoulli bins); the spike density follows
//! r(t) bin by bin; at a constant rate the intervals are geometric with CV √(1−p).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`InhomogeneousPoissonNeuron`].
    pub struct InhomogeneousPoissonParams {
        /// Bin width = time spanned by one standalone `step()`, Δ [ms].
        dt_ms: f64 = 1.0,
    }
}

impl InhomogeneousPoissonParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("dt_ms", self.dt_ms)
    }
}

neuron_state! {
    /// State of [`InhomogeneousPoissonNeuron`]: none (the random stream is keyed by seed, id
    /// and step).
    pub struct InhomogeneousPoissonState {}
}

/// Constants of [`InhomogeneousPoissonNeuron`] for one bin.
#[derive(Clone, Debug)]
pub struct InhomogeneousPoissonConsts {
    bin_s: f64,
}

/// One bin at rate `rate_hz`: one uniform draw; spike iff it falls below 1 − e^(−max(0, r)Δ).
#[inline(always)]
pub fn inhomogeneous_poisson_step(
    k: &InhomogeneousPoissonConsts,
    rate_hz: f64,
    rng: &mut NeuronRng,
) -> bool {
    let p = -(-rate_hz.max(0.0) * k.bin_s).exp_m1();
    rng.uniform() < p
}

standalone! {
/// Inhomogeneous Poisson spike generator (rate supplied every step).
pub struct InhomogeneousPoissonNeuron;
}

impl InhomogeneousPoissonNeuron {
    /// One bin at rate `rate_hz` [Hz] (negative counts as 0). `true` on a spike.
    pub fn step(&mut self, rate_hz: f64) -> bool {
        self.step_or_none([rate_hz])
    }
}

impl Model for InhomogeneousPoissonNeuron {
    const NAME: &'static str = "InhomogeneousPoissonNeuron";
    const FAMILY: Family = Family::Stochastic;
    const SUMMARY: &'static str =
        "Inhomogeneous Poisson spike generator, rate given per step (Bernoulli per bin)";
    const REFERENCE: &'static str = "Gerstner, Kistler, Naud & Paninski 2014, Neuronal Dynamics, CUP, §7.3, doi:10.1017/CBO9781107447615";
    const PORTS: &'static [&'static str] = &["rate_hz"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[100.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = InhomogeneousPoissonParams;
    type State = InhomogeneousPoissonState;
    type Consts = InhomogeneousPoissonConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &InhomogeneousPoissonParams) -> InhomogeneousPoissonState {
        InhomogeneousPoissonState {}
    }
    fn standalone_span(p: &InhomogeneousPoissonParams) -> f64 {
        p.dt_ms
    }
    fn prepare(_: &InhomogeneousPoissonParams, span: f64) -> InhomogeneousPoissonConsts {
        InhomogeneousPoissonConsts {
            bin_s: span / 1000.0,
        }
    }
    #[inline(always)]
    fn update(
        k: &InhomogeneousPoissonConsts,
        _: &mut InhomogeneousPoissonState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        inhomogeneous_poisson_step(k, x.ports[0], rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// r(t) = r₀(1 + m sin 2πft) at the midpoint of 1-ms bin `n` [Hz].
    fn rate(r0: f64, m: f64, f_hz: f64, n: usize) -> f64 {
        r0 * (1.0 + m * (std::f64::consts::TAU * f_hz * (n as f64 + 0.5) / 1000.0).sin())
    }

    #[test]
    fn sinusoidal_rate_gives_r0_t_spikes_and_follows_r_of_t() {
        // r₀ = 20 Hz, m = 0.8, f = 10 Hz (period 100 bins), 1000 s = 10^4 periods.
        let (r0, m, f) = (20.0, 0.8, 10.0);
        let period = 100usize;
        let periods = 10_000usize;
        let mut n = InhomogeneousPoissonNeuron::new();
        n.set_seed(2024, 3);
        let mut per_phase = vec![0f64; period];
        let mut per_window = vec![0f64; periods];
        for (w, win) in per_window.iter_mut().enumerate() {
            for (ph, c) in per_phase.iter_mut().enumerate() {
                if n.step(rate(r0, m, f, w * period + ph)) {
                    *c += 1.0;
                    *win += 1.0;
                }
            }
        }
        // Bernoulli theory, re-derived: p_n = 1 − e^(−r_n Δ).
        let p: Vec<f64> = (0..period)
            .map(|ph| 1.0 - (-rate(r0, m, f, ph) / 1000.0).exp())
            .collect();
        let sum_p: f64 = p.iter().sum();
        let var_p: f64 = p.iter().map(|q| q * (1.0 - q)).sum();
        let total: f64 = per_window.iter().sum();
        let expect = sum_p * periods as f64;
        let sd = (var_p * periods as f64).sqrt();
        assert!(
            (total - expect).abs() < 4.0 * sd,
            "count {total} vs {expect} ± {sd}"
        );
        // The paper's r₀T: 20 Hz × 10 s = 200 spikes per 10 s (here per 100 periods); the
        // rectangle-rule and 1 − e^(−x) corrections are below 1 %.
        let per_10_s = total / (periods as f64 / 100.0);
        assert!((per_10_s - 200.0).abs() < 3.0, "{per_10_s} spikes per 10 s");
        // Fano factor of one-period windows: Σp(1−p)/Σp = 0.990 (windows independent).
        let mw = total / periods as f64;
        let vw = per_window.iter().map(|c| (c - mw).powi(2)).sum::<f64>() / (periods - 1) as f64;
        let fano = vw / mw;
        let fano_th = var_p / sum_p;
        let se = fano_th * (2.0 / periods as f64).sqrt();
        assert!(
            (fano - fano_th).abs() < 4.0 * se + 0.01,
            "Fano {fano} vs {fano_th}"
        );
        // The spike density follows r(t): every phase bin within 5 SE of p_n·periods.
        for (ph, &c) in per_phase.iter().enumerate() {
            let e = p[ph] * periods as f64;
            let s = (periods as f64 * p[ph] * (1.0 - p[ph])).sqrt();
            assert!((c - e).abs() < 5.0 * s, "phase {ph}: {c} vs {e} ± {s}");
        }
        // ... and the modulation is really there: peak and trough phases differ by > 10 SE.
        assert!(per_phase[25] - per_phase[75] > 10.0 * (2.0 * p[25] * periods as f64).sqrt());
    }

    #[test]
    fn constant_rate_intervals_are_geometric() {
        // 100 Hz in 1-ms bins: p = 0.09516, ISI mean 1/p = 10.51 bins, CV √(1 − p) = 0.951.
        let mut n = InhomogeneousPoissonNeuron::new();
        n.set_seed(5, 0);
        let bins = 2_000_000usize;
        let t: Vec<f64> = (0..bins)
            .filter(|_| n.step(100.0))
            .map(|k| k as f64)
            .collect();
        let isi = crate::test_support::isis(&t);
        let p = 1.0 - (-0.1f64).exp();
        let mean = crate::test_support::mean(&isi);
        let cv = crate::test_support::cv(&isi);
        // SE of the mean: sd/√N with sd = √(1−p)/p; SE of the CV ≈ CV·√((1 + CV²)/(2N))
        // would be the Gaussian value; geometric tails are heavier, so allow 5 SE of that.
        let nn = isi.len() as f64;
        let se_mean = (1.0 - p).sqrt() / p / nn.sqrt();
        assert!((mean - 1.0 / p).abs() < 4.0 * se_mean, "mean ISI {mean}");
        let cv_th = (1.0 - p).sqrt();
        assert!(
            (cv - cv_th).abs() < 5.0 * cv_th * ((1.0 + cv_th * cv_th) / (2.0 * nn)).sqrt(),
            "CV {cv} vs {cv_th}"
        );
        // Negative rates count as 0: never fires.
        assert!((0..10_000).all(|_| !n.step(-50.0)));
    }
}
