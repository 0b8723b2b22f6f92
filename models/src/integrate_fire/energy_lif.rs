//! `EnergyLIFNeuron` — the energy-dependent leaky integrate-and-fire neuron (eLIF): an available
//! energy ε is produced at a saturating rate, consumed in proportion to depolarisation and by
//! every spike, and shifts the leak reversal when it runs low.
//!
//! **Equations.** τ_m dV/dt = E_L(ε) − V + R·(I + I_syn(V)), E_L(ε) = E_0 + (E_u − E_0)(1 − ε/ε₀);
//! τ_e dε/dt = (1 − ε/(α·ε₀))³ − (V − E_f)/(E_d − E_f).
//! Spike iff V > V_th **and** ε > ε_c; then V ← V_reset, ε ← ε − δ. (With τ_m = C_m/g_L and
//! R = 1/g_L this is the paper's C_m dV/dt = g_L(E_L(ε) − V) + I.) Low energy depolarises the
//! rest (E_L rises toward E_u); depolarisation consumes energy; below ε_c the neuron cannot
//! fire, so strong drive ends in a depolarisation block, and the two equations admit two stable
//! resting states (bistability).
//!
//! **Numerics.** Classical RK4 on (V, ε) in substeps of at most `substep` ms (0.1 ms, the
//! authors' Brian2 step and method); the spike condition is tested after every substep and the
//! reset applied there. A standalone step spans `dt` = 1 ms as in SC-NeuroCore.
//!
//! **Units.** V in mV, I in pA, R in GΩ (mV/pA), τ in ms, ε dimensionless.
//!
//! **Reference.** Fardet, T. & Levina, A. (2020) "Simple models including energy and spike
//! constraints reproduce complex activity patterns and metabolic disruptions", PLoS Comput.
//! Biol. 16(12):e1008503, doi:10.1371/journal.pcbi.1008503. Defaults are the authors' Brian2
//! eLIF example: C_m 100 pF, g_L 9 nS (τ_m = 100/9 ms, R = 1/9 GΩ), E_0 −62.5, E_u −58.5,
//! E_d −40, E_f −62, V_th −59, V_reset −62 mV, ε₀ 0.5, ε_c 0.18, α 1, δ 0.01, τ_e 200 ms;
//! no refractory period. The initial state is V = E_0 and ε = α·ε₀ (the initial energy of the
//! authors' NESTML model, spec §16).
//!
//! **Relation to SC-NeuroCore** (spec §16). Same interface (`step(current)`, state `v`,
//! `epsilon`, 1-ms step). SC-NeuroCore scales the input by ε, restores ε linearly to ε₀, has no
//! voltage-dependent consumption, gates firing at a fixed ε = 0.1 and uses its own defaults
//! (v_rest −70, θ −50 mV, τ_m 10 ms, τ_e 500 ms, ε₀ 1, spike cost "alpha" 0.1). Here the paper's
//! eLIF is implemented: (a) energy shifts the leak reversal instead of scaling the input
//! (parameter `e_u`), with cubic production and voltage-dependent consumption (`e_d`, `e_f`);
//! (b) `alpha` is the paper's "energetic health" α, the spike cost is `delta`, the firing gate
//! is `epsilon_c`; (c) `v_rest` is E_0, `resistance` is 1/g_L; (d) RK4 substeps replace the
//! closed-form step (the energy equation is nonlinear). The paper's NESTML version has a 2-ms
//! refractory period; the authors' Brian2 example, followed here, has none (the class's state
//! has no refractory variable).
//!
//! **Paper facts tested.** Bistability of rest: with I = 0 the fixed points satisfy V = E_L(ε)
//! and (1 − 2ε)³ = (V − E_f)/(E_d − E_f), i.e. 22u³ − 4u + 1/2 = 0 with u = 1 − 2ε; the outer
//! roots are stable: ε = 0.3307 (V = −61.15 mV) reached from the authors' initial condition
//! (V = −61 mV, ε = 0.32) and ε = 0.7394 (V = −64.42 mV) reached from ε = ε₀; and the energy
//! gate: under strong drive (I = 300 pA) the neuron fires, exhausts its energy below ε_c and
//! stops firing while V stays far above V_th (depolarisation block, Fardet & Levina 2020),
//! whereas a moderate drive (30 pA) fires tonically.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`EnergyLIFNeuron`].
    pub struct EnergyLIFParams {
        /// Resting potential at full energy, E_0 [mV].
        v_rest: f64 = -62.5,
        /// Upper potential (leak reversal at zero energy), E_u [mV].
        e_u: f64 = -58.5,
        /// Energy-depletion potential, E_d [mV].
        e_d: f64 = -40.0,
        /// Energy-inflexion potential (no consumption), E_f [mV].
        e_f: f64 = -62.0,
        /// Spike threshold, V_th [mV].
        v_threshold: f64 = -59.0,
        /// Reset potential, V_reset [mV].
        v_reset: f64 = -62.0,
        /// Membrane time constant C_m/g_L, τ_m [ms].
        tau_m: f64 = 100.0 / 9.0,
        /// Membrane resistance 1/g_L, R [GΩ].
        resistance: f64 = 1.0 / 9.0,
        /// Energy production time constant, τ_e [ms].
        tau_e: f64 = 200.0,
        /// Standard resting energy level, ε₀ [1].
        epsilon_0: f64 = 0.5,
        /// Energy below which no spike can be generated, ε_c [1].
        epsilon_c: f64 = 0.18,
        /// Energetic health (scales the production set point), α [1].
        alpha: f64 = 1.0,
        /// Energy consumed per spike, δ [1].
        delta: f64 = 0.01,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.1,
    }
}

impl EnergyLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::non_negative("resistance", self.resistance)?;
        check::positive("tau_e", self.tau_e)?;
        check::positive("epsilon_0", self.epsilon_0)?;
        check::positive("alpha", self.alpha)?;
        check::non_negative("delta", self.delta)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("e_f", self.e_f, "e_d", self.e_d)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`EnergyLIFNeuron`].
    pub struct EnergyLIFState {
        /// Membrane potential, V [mV].
        v: f64 => ElifV,
        /// Available energy, ε [1].
        epsilon: f64 => ElifEpsilon,
    }
}

/// Constants of [`EnergyLIFNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct EnergyLIFConsts {
    p: EnergyLIFParams,
    n: u32,
    h: f64,
    inv_prod: f64,
    inv_cons: f64,
}

/// One step: `k.n` RK4 substeps, spike test (V > V_th and ε > ε_c) and reset after each.
#[inline(always)]
pub fn energy_lif_step(k: &EnergyLIFConsts, s: &mut EnergyLIFState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v, s.epsilon];
        rk4(&mut y, k.h, |y| {
            let (v, e) = (y[0], y[1]);
            let e_l = p.v_rest + (p.e_u - p.v_rest) * (1.0 - e / p.epsilon_0);
            let prod = 1.0 - e * k.inv_prod;
            [
                (e_l - v + p.resistance * x.current(v)) / p.tau_m,
                (prod * prod * prod - (v - p.e_f) * k.inv_cons) / p.tau_e,
            ]
        });
        s.v = y[0];
        s.epsilon = y[1];
        if s.v > p.v_threshold && s.epsilon > p.epsilon_c {
            s.v = p.v_reset;
            s.epsilon -= p.delta;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Energy-dependent LIF (eLIF, Fardet & Levina 2020).
pub struct EnergyLIFNeuron;
}

impl EnergyLIFNeuron {
    /// Advance one step (`dt` ms) with injected current `current` [pA]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for EnergyLIFNeuron {
    const NAME: &'static str = "EnergyLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Energy-dependent LIF (eLIF): energy shifts the rest, depolarisation and spikes consume it";
    const REFERENCE: &'static str =
        "Fardet & Levina 2020, PLoS Comput Biol 16(12):e1008503, doi:10.1371/journal.pcbi.1008503";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[40.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = EnergyLIFParams;
    type State = EnergyLIFState;
    type Consts = EnergyLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &EnergyLIFParams) -> EnergyLIFState {
        EnergyLIFState {
            v: p.v_rest,
            epsilon: p.alpha * p.epsilon_0,
        }
    }
    fn standalone_span(p: &EnergyLIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &EnergyLIFParams, span: f64) -> EnergyLIFConsts {
        let (n, h) = substeps(span, p.substep);
        EnergyLIFConsts {
            p: p.clone(),
            n,
            h,
            inv_prod: 1.0 / (p.alpha * p.epsilon_0),
            inv_cons: 1.0 / (p.e_d - p.e_f),
        }
    }
    #[inline(always)]
    fn update(
        k: &EnergyLIFConsts,
        s: &mut EnergyLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        energy_lif_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Root of 22u³ − 4u + 1/2 = 0 in [lo, hi] by bisection (the I = 0 fixed-point condition
    /// with the default parameters: E_u − E_0 = 4, E_0 − E_f = −0.5, E_d − E_f = 22 mV).
    fn root(mut lo: f64, mut hi: f64) -> f64 {
        let f = |u: f64| 22.0 * u * u * u - 4.0 * u + 0.5;
        for _ in 0..200 {
            let m = 0.5 * (lo + hi);
            if (f(lo) > 0.0) == (f(m) > 0.0) {
                lo = m
            } else {
                hi = m
            }
        }
        lo
    }

    #[test]
    fn two_stable_resting_states() {
        // Fixed points: V = E_L(ε) = −62.5 + 4u and u³ = (V + 62)/22, u = 1 − 2ε.
        for (v0, e0, lo, hi) in [(-61.0, 0.32, 0.2, 1.0), (-62.5, 0.5, -1.0, 0.0)] {
            let u = root(lo, hi);
            let (e_star, v_star) = ((1.0 - u) / 2.0, -62.5 + 4.0 * u);
            let mut n = EnergyLIFNeuron::new();
            *n.state_mut() = EnergyLIFState { v: v0, epsilon: e0 };
            assert!((0..5000).all(|_| !n.step(0.0)), "fired at rest");
            let s = n.state();
            assert!((s.epsilon - e_star).abs() < 1e-4, "{s:?} vs ε* = {e_star}");
            assert!((s.v - v_star).abs() < 1e-3, "{s:?} vs V* = {v_star}");
        }
        // The two states: ε ≈ 0.3307 (V ≈ −61.15 mV) and ε ≈ 0.7394 (V ≈ −64.42 mV).
        assert!(((1.0 - root(0.2, 1.0)) / 2.0 - 0.3307).abs() < 1e-4);
        assert!(((1.0 - root(-1.0, 0.0)) / 2.0 - 0.7394).abs() < 1e-4);
    }

    #[test]
    fn strong_drive_exhausts_energy_into_a_depolarisation_block() {
        // I = 300 pA: V∞ = E_L + R·I ≈ −27 mV consumes (V − E_f)/(E_d − E_f) ≈ 1.6 > the
        // production's maximum near ε = 0, so ε falls below ε_c = 0.18 and spiking stops while V
        // sits far above V_th = −59 mV.
        let mut n = EnergyLIFNeuron::new();
        let spikes: Vec<usize> = (0..3000).filter(|_| n.step(300.0)).collect();
        assert!(spikes.len() >= 10, "{} spikes", spikes.len());
        assert!(
            *spikes.last().unwrap() < 2000,
            "still firing at {:?}",
            spikes.last()
        );
        let s = n.state();
        assert!(s.epsilon <= 0.18 && s.v > -40.0, "{s:?}");
        // A moderate drive (30 pA) keeps firing tonically, the energy hovering near ε_c.
        let mut n = EnergyLIFNeuron::new();
        let late = (0..3000).filter(|&t| n.step(30.0) && t >= 2000).count();
        assert!(late >= 5, "{late}");
    }
}
