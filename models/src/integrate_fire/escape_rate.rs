//! `EscapeRateNeuron` — leaky integrate-and-fire neuron with stochastic firing by exponential
//! escape noise (a hazard that grows exponentially with the distance to threshold).
//!
//! **Equations.** τ_m du/dt = −(u − v_rest) + R·(I + I_syn(u)), I_syn(u) = Σ gₖ(Eₖ − u). Spikes
//! are an inhomogeneous point process with hazard ρ(u) = ρ₀·exp((u − ϑ)/Δu): the probability of
//! firing in [t, t + h] is 1 − exp(−∫ρ(u(s))ds). After a spike u ← v_reset. No refractory period
//! beyond the reset (the reset makes the hazard drop).
//!
//! **Numerics.** u follows its exact relaxation (input held constant over the step). Each
//! substep of at most `substep` ms (0.1 ms default) integrates the hazard along that exact
//! trajectory with Simpson's rule (u at the start, middle and end of the substep) and draws one
//! uniform number U: a spike iff U < 1 − e^(−∫ρ), then u ← v_reset at the end of the substep;
//! otherwise u continues. For a stationary u the product over substeps gives exactly the
//! per-step probability 1 − e^(−ρh). A standalone step spans `dt` = 1 ms as SC-NeuroCore's does
//! and reports whether any substep fired. Random numbers come from the counter-based stream of
//! the `rng` argument (53-bit uniforms), so a network gives the same spikes for any thread
//! count and `reset()` rewinds the stream.
//!
//! **Units.** u in mV, τ in ms, R in MΩ, I in nA (R·I in mV), ρ₀ in 1/ms, Δu in mV.
//!
//! **Reference.** Gerstner, W. (2000) "Population dynamics of spiking neurons: fast transients,
//! asynchronous states, and locking", Neural Comput. 12:43–89, doi:10.1162/089976600300015899;
//! Gerstner, W., Kistler, W.M., Naud, R. & Paninski, L. (2014) *Neuronal Dynamics*, CUP, ch. 9
//! (escape noise), doi:10.1017/CBO9781107447615.
//!
//! **Relation to SC-NeuroCore** (spec §8). Same interface (`step(current)`, state `v`, defaults
//! v_rest = v_reset −70, ϑ −50, τ_m 10, ρ₀ 0.001/ms, Δu 3, R 1, dt 1 ms). Differences:
//! (a) SC-NeuroCore draws from a 16-bit LFSR (advanced 8 times per trial) and quantises the
//! probability to ⌊P·65535⌋/65535, so any P < 1.53·10⁻⁵ becomes 0: at rest (P ≈ 1.3·10⁻⁶ per
//! 1-ms step) it **cannot fire at all**, although subthreshold escapes are the point of escape
//! noise. Here the uniform has 53 bits, so the neuron fires at rest at ρ₀e^(−20/3) ≈ 1.3·10⁻⁶
//! per ms; the `seed` parameter and the LFSR state are replaced by the engine's (seed, neuron,
//! step)-keyed stream (`set_seed`), which `reset()` rewinds. (b) The firing probability of a
//! step is 1 − exp(−∫ρ(u)dt) along the trajectory (Simpson per 0.1-ms substep), not
//! 1 − exp(−ρ(u_end)·dt) from the end-of-step potential; at 1-ms steps with τ_m = 10 ms the
//! latter misjudges the hazard while u moves. (c) Conductance receptors are supported.
//!
//! **Paper facts tested.** With exponential escape noise the firing probability in Δt at a
//! constant potential u is 1 − exp(−ρ₀e^((u−ϑ)/Δu)Δt): at u = ϑ the rate is ρ₀ and each Δu
//! above ϑ multiplies it by e (Gerstner et al. 2014, ch. 9). At u = ϑ + 3Δu = −41 mV
//! (I = 29 nA) the per-millisecond probability is 1 − e^(−0.020086) = 0.019885 (spec §8), and
//! intervals are geometric; at rest (u = −70 mV) the neuron still fires, at 1.27·10⁻⁶ per ms.

use super::perfect_integrator::linear_flow;
use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`EscapeRateNeuron`].
    pub struct EscapeRateParams {
        /// Resting potential, v_rest [mV].
        v_rest: f64 = -70.0,
        /// Reset potential, v_reset [mV].
        v_reset: f64 = -70.0,
        /// Soft threshold of the hazard, ϑ [mV].
        v_threshold: f64 = -50.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 10.0,
        /// Hazard at the threshold, ρ₀ [1/ms].
        rho_0: f64 = 0.001,
        /// Escape-noise width, Δu [mV].
        delta_u: f64 = 3.0,
        /// Membrane resistance, R [MΩ].
        resistance: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
        /// Largest internal substep (one Bernoulli trial each), h [ms].
        substep: f64 = 0.1,
    }
}

impl EscapeRateParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("rho_0", self.rho_0)?;
        check::positive("delta_u", self.delta_u)?;
        check::positive("resistance", self.resistance)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`EscapeRateNeuron`].
    pub struct EscapeRateState {
        /// Membrane potential, u [mV].
        v: f64 => EscapeV,
    }
}

/// Constants of [`EscapeRateNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct EscapeRateConsts {
    n: u32,
    h: f64,
    inv_tau: f64,
    r_over_tau: f64,
    v_rest: f64,
    v_reset: f64,
    theta: f64,
    rho_0: f64,
    inv_delta_u: f64,
}

impl EscapeRateConsts {
    /// The hazard ρ(u) = ρ₀·exp((u − ϑ)/Δu) [1/ms] (exponent capped far beyond certainty).
    #[inline(always)]
    pub fn hazard(&self, u: f64) -> f64 {
        self.rho_0 * ((u - self.theta) * self.inv_delta_u).min(700.0).exp()
    }
}

/// One step: `k.n` substeps, each an exact membrane update with a Bernoulli trial on the
/// hazard integrated along it.
#[inline(always)]
pub fn escape_rate_step(
    k: &EscapeRateConsts,
    s: &mut EscapeRateState,
    x: &Input<[f64; 1]>,
    rng: &mut NeuronRng,
) -> bool {
    let a = k.v_rest * k.inv_tau + (x.ports[0] + x.ge) * k.r_over_tau;
    let b = k.inv_tau + x.g * k.r_over_tau;
    let mut spiked = false;
    let mut rho_start = k.hazard(s.v);
    for _ in 0..k.n {
        let u_mid = linear_flow(s.v, 0.5 * k.h, a, b);
        let u_end = linear_flow(s.v, k.h, a, b);
        let rho_end = k.hazard(u_end);
        let integral = k.h / 6.0 * (rho_start + 4.0 * k.hazard(u_mid) + rho_end);
        let p = -(-integral).exp_m1();
        if rng.uniform() < p {
            s.v = k.v_reset;
            rho_start = k.hazard(k.v_reset);
            spiked = true;
        } else {
            s.v = u_end;
            rho_start = rho_end;
        }
    }
    spiked
}

standalone! {
/// LIF with exponential escape noise (stochastic firing, Gerstner 2000).
pub struct EscapeRateNeuron;
}

impl EscapeRateNeuron {
    /// Advance one step (`dt`, 1 ms by default) with injected current `current` [nA]; `true`
    /// on a spike. A non-finite current is refused: the state is kept and no spike returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for EscapeRateNeuron {
    const NAME: &'static str = "EscapeRateNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "LIF with exponential escape noise (stochastic threshold)";
    const REFERENCE: &'static str = "Gerstner 2000, Neural Comput 12:43, doi:10.1162/089976600300015899; Gerstner et al. 2014, Neuronal Dynamics, ch. 9";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[29.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = EscapeRateParams;
    type State = EscapeRateState;
    type Consts = EscapeRateConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &EscapeRateParams) -> EscapeRateState {
        EscapeRateState { v: p.v_rest }
    }
    fn standalone_span(p: &EscapeRateParams) -> f64 {
        p.dt
    }
    fn prepare(p: &EscapeRateParams, span: f64) -> EscapeRateConsts {
        let (n, h) = substeps(span, p.substep);
        EscapeRateConsts {
            n,
            h,
            inv_tau: 1.0 / p.tau_m,
            r_over_tau: p.resistance / p.tau_m,
            v_rest: p.v_rest,
            v_reset: p.v_reset,
            theta: p.v_threshold,
            rho_0: p.rho_0,
            inv_delta_u: 1.0 / p.delta_u,
        }
    }
    #[inline(always)]
    fn update(
        k: &EscapeRateConsts,
        s: &mut EscapeRateState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        escape_rate_step(k, s, x, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike steps of a neuron whose potential is stationary at v_rest + R·I (v_reset set to
    /// that value, the neuron started there), over `steps` steps of 1 ms.
    fn stationary(i: f64, steps: usize, seed: u64) -> Vec<usize> {
        let p = EscapeRateParams {
            v_reset: -70.0 + i,
            ..Default::default()
        };
        let mut n = EscapeRateNeuron::with_params(p).unwrap();
        n.set_seed(seed, 0);
        n.state_mut().v = -70.0 + i;
        (0..steps).filter(|_| n.step(i)).collect()
    }

    #[test]
    fn firing_probability_at_a_constant_potential() {
        // Gerstner et al. 2014 ch. 9: P(spike in Δt) = 1 − exp(−ρ₀e^((u−ϑ)/Δu)Δt).
        // u = ϑ + 3Δu (I = 29): P = 1 − e^(−0.001·e³) = 0.019885 per ms (spec §8: ≈ 0.01989);
        // u = ϑ (I = 20): P = 1 − e^(−0.001) = 0.0009995 per ms: a factor e³ lower hazard.
        let steps = 1_000_000usize;
        for (i, hazard) in [(29.0, 0.001 * 3.0f64.exp()), (20.0, 0.001)] {
            let p = -(-hazard).exp_m1();
            let got = stationary(i, steps, 11);
            let mean = p * steps as f64;
            let sd = (steps as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (got.len() as f64 - mean).abs() < 5.0 * sd,
                "I = {i}: {} spikes, expected {mean} ± {sd}",
                got.len()
            );
            let isi = (got[got.len() - 1] - got[0]) as f64 / (got.len() - 1) as f64;
            // Geometric intervals: mean 1/p, standard error (1/p)/√n.
            let tol = 5.0 / (got.len() as f64).sqrt();
            assert!((isi * p - 1.0).abs() < tol, "I = {i}: mean interval {isi}");
        }
        assert!((-(-0.001 * 3.0f64.exp()).exp_m1() - 0.019885).abs() < 1e-6);
    }

    #[test]
    fn fires_at_rest_where_sc_neurocore_cannot() {
        // Defaults, no input, u = −70 mV: hazard ρ₀e^(−20/3) = 1.2726·10⁻⁶ per ms. SC-NeuroCore
        // realises ⌊P·65535⌋/65535 = 0. Over 2·10⁷ ms expect 25.5 ± 5.0 spikes.
        let p = EscapeRateParams {
            substep: 1.0,
            ..Default::default()
        };
        let mut n = EscapeRateNeuron::with_params(p).unwrap();
        n.set_seed(3, 0);
        let steps = 20_000_000usize;
        let count = (0..steps).filter(|_| n.step(0.0)).count();
        let rate = 0.001 * (-20.0f64 / 3.0).exp();
        let mean = rate * steps as f64;
        assert!((25.0..26.0).contains(&mean));
        assert!(
            (count as f64 - mean).abs() < 5.0 * mean.sqrt(),
            "{count} spikes, expected {mean}"
        );
        assert!(((rate * 65535.0).floor()) == 0.0);
    }

    #[test]
    fn seeds_and_reset_control_the_stream() {
        let a = stationary(29.0, 20_000, 1);
        let b = stationary(29.0, 20_000, 1);
        let c = stationary(29.0, 20_000, 2);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut n = EscapeRateNeuron::new();
        let first: Vec<bool> = (0..3000).map(|_| n.step(35.0)).collect();
        n.reset();
        let again: Vec<bool> = (0..3000).map(|_| n.step(35.0)).collect();
        assert_eq!(first, again);
        assert!(first.iter().any(|&s| s));
    }
}
