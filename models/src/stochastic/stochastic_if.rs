//! `StochasticIFNeuron` — a leaky integrate-and-fire neuron driven by white noise (its free
//! membrane is an Ornstein–Uhlenbeck process), with Brunel's reset and refractory period.
//!
//! **Equations** (Brunel & Hakim 1999; Brunel 2000, whose noise convention this is):
//! τ dV/dt = −(V − V_rest) + μ + I + Σgₖ(Eₖ − V) + σ√τ·η(t), η unit white noise, so the free
//! membrane's stationary SD is σ/√2. Threshold: V ≥ θ → spike, V ← V_r, and V is held at V_r
//! for the absolute refractory period τ_rp. `current` (I, like μ) is in mV: the product R·I.
//! Conductance inputs gₖ are in units of the leak conductance [1].
//!
//! **Numerics.** Exact OU update over substeps of at most `substep` ms (0.1 ms default), input
//! held constant over the step: with a = (1 + g)/τ and V∞ = (V_rest + μ + I + Σg·E)/(1 + g),
//! V ← V∞ + (V − V∞)e^(−ah) + σ√((1 − e^(−2ah))/(2(1 + g)))·ξ, ξ ~ N(0, 1). A crossing between
//! two sub-threshold samples is caught by the Brownian-bridge test (spec §4.6): one uniform U
//! per substep, spike iff U < exp(−2(θ − V_n)(θ − V_{n+1})/s²), s² = σ²h/τ. Without it,
//! sampling the threshold only at the grid acts like raising θ by ≈ 0.58σ√(h/τ). The spike and
//! the reset apply on the substep where they happen; a standalone step (`span`, 1 ms) reports
//! whether any substep fired.
//!
//! **Randomness.** Every substep draws exactly one normal (two uniforms, Box–Muller) and then
//! the bridge uniform — also while refractory — from the counter-based stream of the `rng`
//! argument: 3 uniforms per substep, 30 per default step. Reproducible at any thread count;
//! `reset()` rewinds the stream.
//!
//! **Added state.** `refractory`: the refractory time left [ms] (SC-NeuroCore has no
//! refractory period). Listed in `ADDED_STATE` of `tests/catalogue.rs`.
//!
//! **Reference.** Brunel, N. & Hakim, V. (1999) Neural Comput. 11:1621–1671,
//! doi:10.1162/089976699300016179; Brunel, N. (2000) J. Comput. Neurosci. 8:183–208,
//! doi:10.1023/A:1008925309027 (θ = 20 mV and V_r = 10 mV above rest, τ_rp = 2 ms, τ = 20 ms);
//! Tuckwell (1988) *Introduction to Theoretical Neurobiology*, vol. 2, CUP.
//!
//! **Relation to SC-NeuroCore** (spec §4). Same interface (`step(current) -> spike`, state
//! `v`, v_rest −70, θ −50, τ_m 20, μ 0, σ 3 mV in Brunel's convention). Differences, following
//! Brunel 2000: (a) reset V_r = 10 mV above rest (`v_reset` −60, SC-NeuroCore −70 = rest) and an
//! absolute refractory period `t_ref` = 2 ms (SC-NeuroCore has none; `t_ref` 0 and `v_reset`
//! −70 give its rule back); (b) exact OU update in 0.1-ms substeps with a Brownian-bridge
//! crossing test instead of Euler–Maruyama at 1 ms checked only at the step's end, which
//! misses crossings (its rates are ≈ 1.5 Hz below the Siegert value, spec §4.7); (c) one more
//! uniform per substep (the bridge); seeded per neuron, and `reset()` rewinds the stream;
//! (d) conductance receptors are supported. SC-NeuroCore's `dt` is `span` here.
//!
//! **Paper facts tested.** The stationary rate is Brunel 2000's Eq. 21 (Siegert):
//! 1/ν = τ_rp + τ√π ∫_{(V_r−μ)/σ}^{(θ−μ)/σ} e^{u²}(1 + erf u) du, evaluated in the test by
//! quadrature, for μ = 15, 20, 25, 30 mV; the free membrane's SD is σ/√2 = 2.12 mV; with σ = 0
//! the interval is τ_rp + τ ln((μ − V_r)/(μ − θ)) (potentials from rest).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`StochasticIFNeuron`].
    pub struct StochasticIFParams {
        /// Resting potential, V_rest [mV].
        v_rest: f64 = -70.0,
        /// Reset potential, V_r (Brunel 2000: 10 mV above rest) [mV].
        v_reset: f64 = -60.0,
        /// Threshold, θ (20 mV above rest) [mV].
        v_threshold: f64 = -50.0,
        /// Membrane time constant, τ [ms].
        tau_m: f64 = 20.0,
        /// Constant mean drive added to `current`, μ [mV].
        mu: f64 = 0.0,
        /// Noise amplitude in Brunel's convention (free SD σ/√2), σ [mV].
        sigma: f64 = 3.0,
        /// Absolute refractory period, τ_rp [ms].
        t_ref: f64 = 2.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal substep, h [ms].
        substep: f64 = 0.1,
    }
}

impl StochasticIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::non_negative("sigma", self.sigma)?;
        check::non_negative("t_ref", self.t_ref)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`StochasticIFNeuron`].
    pub struct StochasticIFState {
        /// Membrane potential, V [mV].
        v: f64 => SifV,
        /// Refractory time left (added, Brunel 2000's τ_rp) [ms].
        refractory: f64 => SifRefractory,
    }
}

/// Constants of [`StochasticIFNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct StochasticIFConsts {
    p: StochasticIFParams,
    n: u32,
    h: f64,
    /// σ²h/τ, the bridge's increment variance.
    s2: f64,
}

/// One step: `k.n` substeps of exact OU update plus bridge test; refractory hold; spike and
/// reset on the substep where the threshold is reached. Returns whether any substep fired.
#[inline(always)]
pub fn stochastic_if_step(
    k: &StochasticIFConsts,
    s: &mut StochasticIFState,
    x: &Input<[f64; 1]>,
    rng: &mut NeuronRng,
) -> bool {
    let p = &k.p;
    let leak = 1.0 + x.g;
    let a = leak / p.tau_m;
    let v_inf = (p.v_rest + p.mu + x.ports[0] + x.ge) / leak;
    let decay = (-a * k.h).exp();
    let sd = p.sigma * ((1.0 - decay * decay) / (2.0 * leak)).sqrt();
    let mut fired = false;
    for _ in 0..k.n {
        let z = rng.normal();
        let u = rng.uniform();
        if s.refractory > 0.5 * k.h {
            s.refractory -= k.h;
            continue;
        }
        s.refractory = 0.0;
        let v0 = s.v;
        let v1 = v_inf + (v0 - v_inf) * decay + sd * z;
        let cross = v1 >= p.v_threshold
            || u < (-2.0 * (p.v_threshold - v0) * (p.v_threshold - v1) / k.s2).exp();
        if cross {
            s.v = p.v_reset;
            s.refractory = p.t_ref;
            fired = true;
        } else {
            s.v = v1;
        }
    }
    fired
}

standalone! {
/// Leaky integrate-and-fire neuron with white-noise input (Brunel 2000).
pub struct StochasticIFNeuron;
}

impl StochasticIFNeuron {
    /// Advance one step (1 ms by default) with input `current` (R·I) [mV]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for StochasticIFNeuron {
    const NAME: &'static str = "StochasticIFNeuron";
    const FAMILY: Family = Family::Stochastic;
    const SUMMARY: &'static str =
        "Leaky IF with white noise (OU membrane), exact update + bridge crossing test";
    const REFERENCE: &'static str =
        "Brunel 2000, J Comput Neurosci 8:183, doi:10.1023/A:1008925309027";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[25.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = StochasticIFParams;
    type State = StochasticIFState;
    type Consts = StochasticIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &StochasticIFParams) -> StochasticIFState {
        StochasticIFState {
            v: p.v_rest,
            refractory: 0.0,
        }
    }
    fn standalone_span(p: &StochasticIFParams) -> f64 {
        p.span
    }
    fn prepare(p: &StochasticIFParams, span: f64) -> StochasticIFConsts {
        let (n, h) = substeps(span, p.substep);
        StochasticIFConsts {
            s2: p.sigma * p.sigma * h / p.tau_m,
            p: p.clone(),
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(
        k: &StochasticIFConsts,
        s: &mut StochasticIFState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        stochastic_if_step(k, s, x, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, isis, mean};

    /// e^{x²}·erfc(x) for x ≥ 0, as (2/√π)∫₀^∞ e^{−s² − 2xs} ds (Simpson on [0, 12]).
    fn erfcx(x: f64) -> f64 {
        let n = 4000;
        let h = 12.0 / n as f64;
        let f = |s: f64| (-s * s - 2.0 * x * s).exp();
        let mut sum = f(0.0) + f(12.0);
        for i in 1..n {
            sum += if i % 2 == 1 { 4.0 } else { 2.0 } * f(i as f64 * h);
        }
        sum * h / 3.0 * 2.0 / std::f64::consts::PI.sqrt()
    }

    /// Brunel 2000 Eq. 21 with potentials measured from rest [Hz].
    fn siegert(mu: f64, sigma: f64, theta: f64, vr: f64, t_ref_ms: f64, tau_ms: f64) -> f64 {
        // e^{u²}(1 + erf u) = erfcx(−u) for u < 0, 2e^{u²} − erfcx(u) for u ≥ 0.
        let g = |u: f64| {
            if u < 0.0 {
                erfcx(-u)
            } else {
                2.0 * (u * u).exp() - erfcx(u)
            }
        };
        let (lo, hi) = ((vr - mu) / sigma, (theta - mu) / sigma);
        let n = 400;
        let h = (hi - lo) / n as f64;
        let mut sum = g(lo) + g(hi);
        for i in 1..n {
            sum += if i % 2 == 1 { 4.0 } else { 2.0 } * g(lo + i as f64 * h);
        }
        let integral = sum * h / 3.0;
        1000.0 / (t_ref_ms + tau_ms * std::f64::consts::PI.sqrt() * integral)
    }

    #[test]
    fn siegert_formula_reproduces_the_spec_table() {
        // Spec §4.8 (V_r = rest, τ_rp = 0): 2.19, 17.3, 32.5, 46.3 Hz.
        for (mu, r) in [(15.0, 2.19), (20.0, 17.3), (25.0, 32.5), (30.0, 46.3)] {
            let s = siegert(mu, 3.0, 20.0, 0.0, 0.0, 20.0);
            assert!((s - r).abs() < 0.051, "{mu}: {s}");
        }
    }

    #[test]
    fn stationary_rate_is_brunels_siegert_rate() {
        let seconds = 200.0;
        for mu in [15.0, 20.0, 25.0, 30.0] {
            let mut n = StochasticIFNeuron::new();
            n.set_seed(31, mu as u32);
            let steps = (seconds * 1000.0) as usize;
            let count = (0..steps).filter(|_| n.step(mu)).count() as f64;
            let rate = count / seconds;
            let th = siegert(mu, 3.0, 20.0, 10.0, 2.0, 20.0);
            // Poisson-like count error (CV ≤ 1 for these intervals) plus 1.5 % for the
            // bridge's O(h) drift error.
            let se = count.sqrt() / seconds;
            assert!(
                (rate - th).abs() < 4.0 * se + 0.015 * th,
                "μ = {mu}: {rate} Hz vs Siegert {th} Hz"
            );
        }
    }

    #[test]
    fn free_membrane_sd_is_sigma_over_root_2() {
        let mut n = StochasticIFNeuron::new();
        n.set_seed(8, 0);
        let v: Vec<f64> = (0..400_000)
            .map(|_| {
                assert!(!n.step(0.0));
                n.state().v
            })
            .collect();
        let m = mean(&v[1000..]);
        let var = v[1000..].iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1000) as f64;
        // Samples 1 ms apart with correlation time τ = 20 ms: ≈ 10⁴ effective samples of the
        // variance, SE ≈ 1.4 %.
        let sd = var.sqrt();
        let th = 3.0 / 2f64.sqrt();
        assert!((sd - th).abs() < 0.03 * th, "SD {sd} vs {th}");
        assert!((m + 70.0).abs() < 0.1, "mean {m}");
    }

    #[test]
    fn noiseless_trajectory_and_interval_match_an_independent_integration() {
        // σ = 0: τ dV/dt = −(V − V_rest) + I(t), I changing every ms, RK4 reference at 1 μs.
        let p = StochasticIFParams {
            sigma: 0.0,
            ..Default::default()
        };
        let input = |t: f64| 12.0 + 6.0 * (0.3 * t.floor()).sin();
        let mut n = StochasticIFNeuron::with_params(p.clone()).unwrap();
        let mut y = vec![-70.0];
        for step in 0..100 {
            let i_now = input(step as f64 + 0.5);
            n.step(i_now);
            let r = Reference::rk4(0.001, move |_, y: &[f64]| {
                vec![(-(y[0] + 70.0) + i_now) / 20.0]
            });
            for k in 0..1000 {
                y = r.step(k as f64 * 0.001, &y);
            }
            assert!(
                (n.state().v - y[0]).abs() < 1e-9,
                "{step}: {} vs {}",
                n.state().v,
                y[0]
            );
        }
        // Interval at μ = 30 mV: 2 + 20 ln(20/10) = 15.863 ms, the free part rounded up to the
        // 0.1-ms substep grid: 2.0 + 13.9 = 15.9 ms.
        let mut n = StochasticIFNeuron::with_span(p, 0.1).unwrap();
        let t = crate::test_support::spike_times::<StochasticIFNeuron>(&mut n, 10_000, |_| [30.0]);
        let i = isis(&t);
        let th = 2.0 + 20.0 * 2f64.ln();
        for x in &i[1..] {
            assert!(*x >= th - 1e-9 && *x <= th + 0.1 + 1e-9, "ISI {x} vs {th}");
        }
    }
}
