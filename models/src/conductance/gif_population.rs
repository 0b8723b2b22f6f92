//! `GIFPopulationNeuron` — generalized integrate-and-fire neuron with a spike-triggered
//! adaptation current and exponential escape-rate (stochastic) spiking (Mensi et al. 2012; the
//! single-neuron model of Schwalger, Deger & Gerstner 2017's mesoscopic population theory).
//!
//! **Equations.** τ_m dV/dt = −(V − V_rest) − η + I + Σgₖ(Eₖ − V), dη/dt = −η/τ_η. `current`
//! (I) and η are in mV (R·I with R = 1); conductance inputs gₖ are in units of the leak
//! conductance [1]. Escape rate (hazard) λ(t) = λ₀·exp((V − θ)/ΔV), exponent clipped to
//! [−745, 20]; within a substep of length h the neuron fires with probability
//! p = 1 − exp(−λh), λ taken at the end of the substep. On a spike: V ← V_reset,
//! η ← η + `eta_increment`, and V is held at V_reset for the absolute refractory period
//! `t_ref` (no hazard while refractory).
//!
//! **Numerics.** Exact update for input held constant over the step: with a = (1 + g)/τ_m,
//! b = 1/τ_η, V∞ = (V_rest + I + Σg·E)/(1 + g) and x = V − V∞,
//! x(h) = x₀e^(−ah) − (η₀/τ_m)·(e^(−bh) − e^(−ah))/(a − b), η(h) = η₀e^(−bh); the quotient is
//! evaluated as e^(−ah)·h·expm1((a − b)h)/((a − b)h), which covers a = b (τ_m = τ_η) without a
//! special case. A step of `span` (0.5 ms, SC-NeuroCore's) is cut into substeps of at most
//! `substep` (0.5 ms); the hazard is evaluated, and a spike with its reset applied, on every
//! substep.
//!
//! **Randomness.** Exactly one uniform per substep (also while refractory) from the
//! counter-based stream of the `rng` argument: one draw per default step, as in the spec.
//! Reproducible at any thread count; `reset()` rewinds the stream.
//!
//! **Added state.** `refractory`: the refractory time left [ms]. Listed in `ADDED_STATE` of
//! `tests/catalogue.rs`.
//!
//! **Reference.** Mensi, S., Naud, R., Pozzorini, C., Avermann, M., Petersen, C.C.H. &
//! Gerstner, W. (2012) J. Neurophysiol. 107:1756–1775, doi:10.1152/jn.00408.2011 (escape rate
//! λ₀·exp((V − V_T)/ΔV), spike-triggered current η, reset and absolute refractoriness);
//! Schwalger, T., Deger, M. & Gerstner, W. (2017) PLoS Comput. Biol. 13:e1005507,
//! doi:10.1371/journal.pcbi.1005507 (stationary activity of a renewal population
//! A₀ = 1/∫S(τ)dτ with the survivor function S).
//!
//! **Relation to SC-NeuroCore** (spec §15). Same interface (`step(current) -> spike`, state
//! `v`, `eta`, defaults θ −50, τ_m 20, τ_η 100, ΔV 2, λ₀ 0.001/ms, η jump 5 mV, V_rest = V_reset
//! −65, 0.5 ms per step, exact subthreshold update, one Bernoulli draw per step with
//! p = 1 − e^(−λ·dt)). Differences: (a) an absolute refractory period `t_ref` (Mensi 2012) is
//! available; its default is 0 ms, SC-NeuroCore's rule, because the paper's fitted value could
//! not be checked in this session; (b) the random numbers come from the engine's counter-based
//! stream keyed by (seed, neuron id, step) instead of SC-NeuroCore's xorshift64* with `seed`
//! (no bit parity with SC-NeuroCore); (c) conductance receptors are supported; (d) `dt` is
//! `span` here and a `substep` lets a long step be split (each substep one draw). Not
//! implemented (spec §15.7 a, b): the moving threshold (γ kernel) and multi-exponential η
//! kernels of the paper — the spec's single-exponential η and fixed θ are kept.
//!
//! **Paper facts tested.** (1) Escape rate: with V clamped at a constant level by choosing
//! V_reset = V_rest + I (spikes do not move V) and no adaptation, spikes are Bernoulli with
//! p = 1 − exp(−λ₀e^((V−θ)/ΔV)·dt): at I = 15 mV p = 4.999·10⁻⁴ per 0.5 ms (≈ 1 Hz, spec
//! §15.8), at I = 25 mV p = 0.0715 (λ = 0.148/ms) — counts within 5 binomial SDs.
//! (2) Renewal population activity (Schwalger et al. 2017): without adaptation the neuron is a
//! renewal process; the stationary rate equals 1/E[ISI] with the ISI distribution computed in
//! the test from the survivor product of the hazard along the free trajectory after reset.
//! (3) The subthreshold trajectory (V, η) agrees with an independent RK4 integration, also for
//! τ_m = τ_η.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`GIFPopulationNeuron`].
    pub struct GIFPopulationParams {
        /// Fixed firing threshold, V_T (θ) [mV].
        theta: f64 = -50.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 20.0,
        /// Decay time constant of the adaptation current, τ_η [ms].
        tau_eta: f64 = 100.0,
        /// Softness of the escape rate, ΔV [mV].
        delta_v: f64 = 2.0,
        /// Escape rate at V = θ, λ₀ [1/ms].
        lambda_0: f64 = 0.001,
        /// Jump of η at each spike [mV].
        eta_increment: f64 = 5.0,
        /// Resting potential, V_rest [mV].
        v_rest: f64 = -65.0,
        /// Reset potential, V_reset [mV].
        v_reset: f64 = -65.0,
        /// Absolute refractory period (V held at V_reset, no hazard) [ms].
        t_ref: f64 = 0.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.5,
        /// Largest internal substep (one uniform draw each) [ms].
        substep: f64 = 0.5,
    }
}

impl GIFPopulationParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("tau_eta", self.tau_eta)?;
        check::positive("delta_v", self.delta_v)?;
        check::positive("lambda_0", self.lambda_0)?;
        check::non_negative("t_ref", self.t_ref)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`GIFPopulationNeuron`].
    pub struct GIFPopulationState {
        /// Membrane potential, V [mV].
        v: f64 => GifV,
        /// Spike-triggered adaptation current, η [mV].
        eta: f64 => GifEta,
        /// Refractory time left (added, Mensi 2012's absolute refractoriness) [ms].
        refractory: f64 => GifRefractory,
    }
}

/// Constants of [`GIFPopulationNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct GIFPopulationConsts {
    p: GIFPopulationParams,
    n: u32,
    h: f64,
    /// e^(−h/τ_η).
    eb: f64,
}

/// One step: `k.n` substeps of exact update, hazard and one uniform draw each; spike and reset
/// on the substep where they happen. Returns whether any substep fired.
#[inline(always)]
pub fn gif_population_step(
    k: &GIFPopulationConsts,
    s: &mut GIFPopulationState,
    x: &Input<[f64; 1]>,
    rng: &mut NeuronRng,
) -> bool {
    let p = &k.p;
    let h = k.h;
    let leak = 1.0 + x.g;
    let a = leak / p.tau_m;
    let v_inf = (p.v_rest + x.ports[0] + x.ge) / leak;
    let ea = (-a * h).exp();
    let dh = (a - 1.0 / p.tau_eta) * h;
    let ratio = if dh == 0.0 { 1.0 } else { dh.exp_m1() / dh };
    // (e^(−bh) − e^(−ah))/(a − b) divided by τ_m.
    let couple = ea * h * ratio / p.tau_m;
    let mut fired = false;
    for _ in 0..k.n {
        let u = rng.uniform();
        if s.refractory > 0.5 * h {
            s.refractory -= h;
            s.eta *= k.eb;
            s.v = p.v_reset;
            continue;
        }
        s.refractory = 0.0;
        let xv = s.v - v_inf;
        s.v = v_inf + xv * ea - s.eta * couple;
        s.eta *= k.eb;
        let lambda = p.lambda_0 * ((s.v - p.theta) / p.delta_v).clamp(-745.0, 20.0).exp();
        let prob = -(-lambda * h).exp_m1();
        if u < prob {
            s.v = p.v_reset;
            s.eta += p.eta_increment;
            s.refractory = p.t_ref;
            fired = true;
        }
    }
    fired
}

standalone! {
/// Generalized integrate-and-fire neuron with escape noise and spike-triggered adaptation.
pub struct GIFPopulationNeuron;
}

impl GIFPopulationNeuron {
    /// Advance one step (0.5 ms by default) with input `current` (R·I) [mV]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for GIFPopulationNeuron {
    const NAME: &'static str = "GIFPopulationNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str =
        "GIF neuron: exact leaky membrane + adaptation current, exponential escape-rate spiking";
    const REFERENCE: &'static str =
        "Mensi et al. 2012, J Neurophysiol 107:1756, doi:10.1152/jn.00408.2011";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[30.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = GIFPopulationParams;
    type State = GIFPopulationState;
    type Consts = GIFPopulationConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &GIFPopulationParams) -> GIFPopulationState {
        GIFPopulationState {
            v: p.v_rest,
            eta: 0.0,
            refractory: 0.0,
        }
    }
    fn standalone_span(p: &GIFPopulationParams) -> f64 {
        p.span
    }
    fn prepare(p: &GIFPopulationParams, span: f64) -> GIFPopulationConsts {
        let (n, h) = substeps(span, p.substep);
        GIFPopulationConsts {
            eb: (-h / p.tau_eta).exp(),
            p: p.clone(),
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(
        k: &GIFPopulationConsts,
        s: &mut GIFPopulationState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        gif_population_step(k, s, x, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// Spike count over `steps` standalone steps at constant `current`.
    fn count(p: GIFPopulationParams, current: f64, steps: usize, seed: u64) -> f64 {
        let mut n = GIFPopulationNeuron::with_params(p).unwrap();
        n.set_seed(seed, 3);
        (0..steps).filter(|_| n.step(current)).count() as f64
    }

    #[test]
    fn clamped_voltage_fires_bernoulli_with_the_escape_rate() {
        // Spec §15.8 / Mensi 2012's escape rate: V = V_rest + I stays put when V_reset equals
        // it and η does not jump.
        for (i, steps) in [(15.0, 2_000_000usize), (25.0, 200_000)] {
            let p = GIFPopulationParams {
                v_reset: -65.0 + i,
                v_rest: -65.0,
                eta_increment: 0.0,
                ..Default::default()
            };
            let mut n = GIFPopulationNeuron::with_params(p).unwrap();
            n.state_mut().v = -65.0 + i;
            n.set_seed(11, 0);
            let c = (0..steps).filter(|_| n.step(i)).count() as f64;
            let lambda = 0.001 * ((-65.0 + i + 50.0) / 2.0f64).exp();
            let prob = 1.0 - (-lambda * 0.5f64).exp();
            if i == 15.0 {
                assert!((prob - 4.9988e-4).abs() < 1e-7, "{prob}");
            } else {
                assert!((lambda - 0.14841).abs() < 1e-4 && (prob - 0.07153).abs() < 1e-4);
            }
            let m = steps as f64 * prob;
            let sd = (m * (1.0 - prob)).sqrt();
            assert!(
                (c - m).abs() < 5.0 * sd,
                "I = {i}: {c} spikes vs {m} ± {sd}"
            );
        }
    }

    /// Mean ISI [ms] of the renewal process without adaptation, from the survivor product of
    /// the hazard along the free trajectory after reset (grid of `h` ms), with refractory
    /// period `t_ref` (a multiple of h).
    fn renewal_mean_isi(i: f64, t_ref: f64, h: f64) -> f64 {
        let v_inf = -65.0 + i;
        let n_ref = (t_ref / h).round() as usize;
        let mut survive = 1.0;
        let mut mean = 0.0;
        for k in 1..2_000_000usize {
            if k <= n_ref {
                continue;
            }
            let t_free = (k - n_ref) as f64 * h;
            let v = v_inf + (-65.0 - v_inf) * (-t_free / 20.0).exp();
            let haz = 0.001 * ((v + 50.0) / 2.0).exp();
            let pk = 1.0 - (-haz * h).exp();
            mean += survive * pk * k as f64 * h;
            survive *= 1.0 - pk;
            if survive < 1e-15 {
                break;
            }
        }
        mean
    }

    #[test]
    fn renewal_rate_is_the_inverse_mean_interval() {
        // Schwalger et al. 2017: stationary activity A₀ = 1/∫S = 1/E[ISI].
        for (i, t_ref) in [(25.0, 0.0), (30.0, 4.0)] {
            let p = GIFPopulationParams {
                eta_increment: 0.0,
                t_ref,
                ..Default::default()
            };
            let steps = 400_000; // 200 s
            let c = count(p, i, steps, 5 + t_ref as u64);
            let th = 200_000.0 / renewal_mean_isi(i, t_ref, 0.5);
            // CV of these intervals is < 1: Poisson bound on the count, 5 SDs.
            assert!(
                (c - th).abs() < 5.0 * th.sqrt(),
                "I = {i}: {c} spikes vs {th}"
            );
        }
    }

    #[test]
    fn spike_resets_v_and_increments_eta() {
        // Mensi 2012's spike rule: V ← V_reset, η ← η + Δη on the substep of the spike; and
        // the adaptation lowers the rate (mean η ≈ r·Δη·τ_η ≈ 2.5 mV at 5 Hz lowers the
        // hazard ≈ e^1.2-fold; measured 960 → 486 spikes in 50 s at I = 25 mV, seed 1).
        let mut n = GIFPopulationNeuron::new();
        n.set_seed(2, 0);
        let mut seen = 0;
        for _ in 0..20_000 {
            let eta0 = n.state().eta;
            if n.step(25.0) {
                let s = n.state();
                assert_eq!(s.v, -65.0);
                assert!((s.eta - (eta0 * (-0.5f64 / 100.0).exp() + 5.0)).abs() < 1e-12);
                seen += 1;
            }
        }
        assert!(seen > 50, "{seen}");
        let base = GIFPopulationParams {
            eta_increment: 0.0,
            ..Default::default()
        };
        let free = count(base, 25.0, 100_000, 1);
        let adapted = count(GIFPopulationParams::default(), 25.0, 100_000, 1);
        assert!(adapted < 0.7 * free, "{adapted} vs {free}");
    }

    #[test]
    fn subthreshold_trajectory_matches_an_independent_integration() {
        for tau_eta in [100.0, 20.0] {
            let p = GIFPopulationParams {
                lambda_0: 1e-300,
                tau_eta,
                ..Default::default()
            };
            let input = |t: f64| 10.0 + 8.0 * (0.2 * t.floor()).sin();
            let mut n = GIFPopulationNeuron::with_params(p).unwrap();
            n.state_mut().eta = 6.0;
            n.state_mut().v = -60.0;
            let mut y = vec![-60.0, 6.0];
            for step in 0..400 {
                let i_now = input(step as f64 * 0.5);
                assert!(!n.step(i_now));
                let r = Reference::rk4(0.001, move |_, y: &[f64]| {
                    vec![(-(y[0] + 65.0) - y[1] + i_now) / 20.0, -y[1] / tau_eta]
                });
                for k in 0..500 {
                    y = r.step(k as f64 * 0.001, &y);
                }
                let s = n.state();
                assert!(
                    (s.v - y[0]).abs() < 1e-9 && (s.eta - y[1]).abs() < 1e-9,
                    "τ_η {tau_eta}, step {step}: ({}, {}) vs {y:?}",
                    s.v,
                    s.eta
                );
            }
        }
    }
}
