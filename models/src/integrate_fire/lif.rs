//! `LIFNeuron` — the plain leaky integrate-and-fire neuron, integrated exactly.
//!
//! **Equations.** τ_m dv/dt = −(v − E_L) + (τ_m/C_m)·(I + I_syn(v)), with I_syn(v) = Σ gₖ(Eₖ − v)
//! from conductance receptors. Threshold: v ≥ v_threshold → spike, v ← v_reset, and v is held at
//! v_reset for `refractory_period` ms (inputs arriving then are ignored, as in NEST's
//! `iaf_psc_delta`).
//!
//! **Numerics.** Exact for input held constant over the step: with the total leak rate
//! 1/τ' = 1/τ_m + g/C_m and v∞ = τ'(E_L/τ_m + (I + Σg·E)/C_m), v ← v∞ + (v − v∞)·e^(−h/τ').
//! Without conductance input the decay factor is precomputed, so a step costs a multiply-add.
//! For constant input v moves monotonically toward v∞ within a step, so testing the threshold
//! at the end of the step catches every crossing (spike time is quantised to the step). A
//! subnormal v (|v| < 2.2·10⁻³⁰⁸, reached only when E_L = 0 after ~708 τ_m of silence) is
//! flushed to 0: subnormal arithmetic is slow on x86.
//!
//! **Units.** v in mV, I in pA, C_m in pF, τ in ms (pA/pF = mV/ms).
//!
//! **Reference.** Lapicque (1907), J. Physiol. Pathol. Gén. 9:620–635; exact integration as in
//! Rotter & Diesmann (1999), Biol. Cybern. 81:381–402, doi:10.1007/s004220050570. Defaults are
//! NEST's `iaf_psc_delta`/`iaf_psc_exp` (C_m 250 pF, τ_m 10 ms, E_L = v_reset −70 mV, θ −55 mV,
//! t_ref 2 ms), the values benchmark scripts start from.
//!
//! **Relation to SC-NeuroCore.** SC-NeuroCore's float LIF (`StochasticLIFNeuron`) uses forward
//! Euler on τ dv/dt = −(v − v_rest) + R·I·τ (the input is not divided by τ, spec §22b) and a
//! refractory counter in steps that clamps v to v_rest. This model is the textbook LIF instead:
//! exact integration, input through the capacitance, refractory hold at v_reset, refractory
//! period in ms. Its interface is SC-NeuroCore's: `step(current) -> spike`, state `v`,
//! `refractory`.
//!
//! **Paper fact tested.** The interspike interval for constant suprathreshold current is
//! T = t_ref + τ_m·ln((RI + E_L − v_reset)/(RI + E_L − θ)) with R = τ_m/C_m (Gerstner et al. 2014,
//! *Neuronal Dynamics*, §1.3); spikes land on the step grid, so T is that value rounded up to a
//! whole number of steps.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`LIFNeuron`].
    pub struct LIFParams {
        /// Resting (leak reversal) potential, E_L [mV].
        v_rest: f64 = -70.0,
        /// Reset potential after a spike, V_reset [mV].
        v_reset: f64 = -70.0,
        /// Spike threshold, θ [mV].
        v_threshold: f64 = -55.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 10.0,
        /// Membrane capacitance, C_m [pF].
        c_m: f64 = 250.0,
        /// Absolute refractory period, t_ref [ms].
        refractory_period: f64 = 2.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
    }
}

impl LIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("c_m", self.c_m)?;
        check::non_negative("refractory_period", self.refractory_period)?;
        check::positive("dt", self.dt)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`LIFNeuron`].
    pub struct LIFState {
        /// Membrane potential, v [mV].
        v: f64 => LifV,
        /// Remaining refractory time [ms].
        refractory: f64 => LifRefractory,
    }
}

/// Constants of [`LIFNeuron`] for one step length.
#[derive(Clone, Debug)]
pub struct LIFConsts {
    h: f64,
    decay: f64,
    gain: f64,
    v_rest: f64,
    v_reset: f64,
    v_threshold: f64,
    inv_tau: f64,
    inv_c: f64,
    t_ref: f64,
}

/// One exact step of length `k.h`.
#[inline(always)]
pub fn lif_step(k: &LIFConsts, s: &mut LIFState, x: &Input<[f64; 1]>) -> bool {
    // Both outcomes are computed and one selected (no branch on the neuron's state), so that a
    // loop over neurons vectorises.
    let refractory = s.refractory > 0.5 * k.h;
    // Read unconditionally: a load under the `fire` condition compiles to a masked gather
    // (measured on the CUBA network: a third of the integrate system's time).
    let t_ref = k.t_ref;
    let v = if x.g == 0.0 {
        let v_inf = k.v_rest + k.gain * (x.ports[0] + x.ge);
        v_inf + (s.v - v_inf) * k.decay
    } else {
        let rate = k.inv_tau + x.g * k.inv_c;
        let v_inf = (k.v_rest * k.inv_tau + (x.ports[0] + x.ge) * k.inv_c) / rate;
        v_inf + (s.v - v_inf) * (-k.h * rate).exp()
    };
    let fire = !refractory & (v >= k.v_threshold);
    // Flushed: with E_L = 0 (Brunel's convention) a silent neuron's v decays toward 0 and would
    // go subnormal after ~708 τ_m, slowing every later step (see `flush_subnormal`).
    s.v = if refractory | fire {
        k.v_reset
    } else {
        flush_subnormal(v)
    };
    s.refractory = if refractory {
        s.refractory - k.h
    } else if fire {
        t_ref
    } else {
        0.0
    };
    fire
}

standalone! {
/// The plain leaky integrate-and-fire neuron (exact integration, refractory period).
///
/// ```
/// use neurocore_models::LIFNeuron;
/// let mut n = LIFNeuron::new();
/// let spikes = (0..10_000).filter(|_| n.step(400.0)).count(); // 1 s at 400 pA
/// assert!(spikes > 20);
/// ```
pub struct LIFNeuron;
}

impl LIFNeuron {
    /// Advance one step (`dt` ms) with injected current `current` [pA]; `true` on a spike.
    /// A non-finite current is refused: the state is kept and no spike is returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for LIFNeuron {
    const NAME: &'static str = "LIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Leaky integrate-and-fire, exact integration, refractory period";
    const REFERENCE: &'static str = "Lapicque 1907, J Physiol Pathol Gen 9:620; exact integration: Rotter & Diesmann 1999, Biol Cybern 81:381, doi:10.1007/s004220050570";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[400.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = LIFParams;
    type State = LIFState;
    type Consts = LIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &LIFParams) -> LIFState {
        LIFState {
            v: p.v_rest,
            refractory: 0.0,
        }
    }
    fn standalone_span(p: &LIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &LIFParams, h: f64) -> LIFConsts {
        LIFConsts {
            h,
            decay: (-h / p.tau_m).exp(),
            gain: p.tau_m / p.c_m,
            v_rest: p.v_rest,
            v_reset: p.v_reset,
            v_threshold: p.v_threshold,
            inv_tau: 1.0 / p.tau_m,
            inv_c: 1.0 / p.c_m,
            t_ref: p.refractory_period,
        }
    }
    #[inline(always)]
    fn update(k: &LIFConsts, s: &mut LIFState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        lif_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steps between spikes under constant current, measured after the first spike.
    fn isi_steps(n: &mut LIFNeuron, i: f64) -> u64 {
        let mut t = 0u64;
        let mut spikes = Vec::new();
        while spikes.len() < 3 && t < 1_000_000 {
            if n.step(i) {
                spikes.push(t);
            }
            t += 1;
        }
        spikes[2] - spikes[1]
    }

    #[test]
    fn isi_matches_the_closed_form_on_the_step_grid() {
        // Gerstner et al. 2014, §1.3: T = t_ref + τ ln((RI + E_L − v_r)/(RI + E_L − θ)), R = τ/C.
        for (i, dt) in [(400.0, 0.1), (1000.0, 0.1), (400.0, 0.01)] {
            let p = LIFParams {
                dt,
                ..Default::default()
            };
            let mut n = LIFNeuron::with_params(p.clone()).unwrap();
            let ri = p.tau_m / p.c_m * i;
            let t = p.refractory_period
                + p.tau_m * ((ri + p.v_rest - p.v_reset) / (ri + p.v_rest - p.v_threshold)).ln();
            // The crossing happens inside step ceil((T − t_ref)/dt) after the refractory hold.
            let expected = (p.refractory_period / dt).round() as u64
                + ((t - p.refractory_period) / dt - 1e-9).ceil() as u64;
            assert_eq!(isi_steps(&mut n, i), expected, "I = {i} pA, dt = {dt}");
        }
    }

    #[test]
    fn rheobase_separates_silence_from_firing() {
        // Rheobase I = C(θ − E_L)/τ = 250·15/10 = 375 pA.
        let mut n = LIFNeuron::new();
        assert!((0..100_000).all(|_| !n.step(374.0)));
        let mut n = LIFNeuron::new();
        assert!((0..100_000).any(|_| n.step(376.0)));
    }

    #[test]
    fn conductance_input_relaxes_to_the_weighted_reversal() {
        // With g = 10 nS toward E = 0 mV and no leak difference, v∞ = (g_L E_L + g E)/(g_L + g)
        // where g_L = C/τ = 25 nS: v∞ = −70·25/35 = −50 mV (above θ, so raise θ here).
        let p = LIFParams {
            v_threshold: 0.0,
            ..Default::default()
        };
        let mut n = LIFNeuron::with_params(p).unwrap();
        for _ in 0..20_000 {
            n.advance_input(&Input {
                ports: [0.0],
                g: 10.0,
                ge: 0.0,
            });
        }
        assert!((n.state().v - (-50.0)).abs() < 1e-9, "{}", n.state().v);
    }
}
