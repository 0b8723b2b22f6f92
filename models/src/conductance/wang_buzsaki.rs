//! `WangBuzsakiNeuron` — the Wang–Buzsáki hippocampal fast-spiking interneuron: Na with
//! instantaneous activation, K-DR, leak.
//!
//! **Equations.** C dV/dt = −g_Na m∞³ h (V − E_Na) − g_K n⁴ (V − E_K) − g_L (V − E_L) + I + I_syn(V);
//! dh/dt = φ[α_h(1 − h) − β_h h], dn/dt = φ[α_n(1 − n) − β_n n], m∞ = α_m/(α_m + β_m), with
//! (V in mV, rates in 1/ms) α_m = 0.1·lin(V+35, 10), β_m = 4·e^(−(V+60)/18),
//! α_h = 0.07·e^(−(V+58)/20), β_h = 1/(1 + e^(−(V+28)/10)), α_n = 0.01·lin(V+34, 10),
//! β_n = 0.125·e^(−(V+44)/80), φ = 5.
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV), tested after every substep; no reset.
//!
//! **Numerics.** `method = "rk4"` (default): RK4 on (V, h, n) in substeps of at most
//! `substep` = 0.01 ms; `"exp_euler"`: Rush–Larsen gates and exponential-Euler voltage.
//! Forward Euler is refused. A standalone step spans `span` = 0.5 ms, as SC-NeuroCore's step.
//!
//! **Units.** V in mV, I in µA/cm², g in mS/cm², C in µF/cm².
//!
//! **Reference.** Wang, X.-J. & Buzsáki, G. (1996) Gamma oscillation by synaptic inhibition in a
//! hippocampal interneuronal network model. J. Neurosci. 16:6402–6413,
//! doi:10.1523/JNEUROSCI.16-20-06402.1996.
//!
//! **Relation to SC-NeuroCore** (spec §3). Equations, parameters, state (`v, h, n`, initial
//! −65/0.8/0.1) and the 0.5-ms step match. Differences: RK4 (or exponential Euler) instead of
//! forward Euler; spikes detected on every substep instead of once per 0.5-ms call; the
//! substep parameter is named `substep` (SC-NeuroCore: `dt`); added `span` and `method`.
//!
//! **Paper facts tested.** Type-I excitability with threshold I_c ≈ 0.16 µA/cm² (Börgers 2017,
//! *An Introduction to Modeling Neuronal Dynamics*, ch. 5, WB neuron): silent at 0.15,
//! arbitrarily low rates just above 0.16, rate rising continuously; rest ≈ −64 mV at I = 0
//! and sustained rates above 100 Hz for strong drive (Wang & Buzsáki 1996, Fig. 1).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`WangBuzsakiNeuron`].
    pub struct WangBuzsakiParams {
        /// Maximal sodium conductance, g_Na [mS/cm²].
        g_na: f64 = 35.0,
        /// Maximal delayed-rectifier potassium conductance, g_K [mS/cm²].
        g_k: f64 = 9.0,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.1,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 55.0,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -90.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -65.0,
        /// Membrane capacitance, C_m [µF/cm²].
        c_m: f64 = 1.0,
        /// Temperature factor of the h and n kinetics, φ [1].
        phi: f64 = 5.0,
        /// Largest internal integration step [ms].
        substep: f64 = 0.01,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.5,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl WangBuzsakiParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        check::non_negative("g_na", self.g_na)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_l", self.g_l)?;
        check::positive("phi", self.phi)?;
        check::positive("substep", self.substep)?;
        check_method(
            "method",
            self.method,
            &[Method::Rk4, Method::ExpEuler],
            "forward Euler is unstable for Hodgkin-Huxley kinetics",
        )?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`WangBuzsakiNeuron`].
    pub struct WangBuzsakiState {
        /// Membrane potential, V [mV].
        v: f64 => WbV,
        /// Na inactivation, h [1].
        h: f64 => WbH,
        /// K activation, n [1].
        n: f64 => WbN,
    }
}

/// Constants of [`WangBuzsakiNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct WangBuzsakiConsts {
    p: WangBuzsakiParams,
    n: u32,
    h: f64,
}

/// The membrane at state `y = [V, h, n]`: currents, conductances and gate kinetics.
#[inline(always)]
fn wb_currents(p: &WangBuzsakiParams, y: &[f64; 3]) -> Currents<3> {
    let [v, h, n] = *y;
    let am = 0.1 * lin(v + 35.0, 10.0);
    let bm = 4.0 * exp(-(v + 60.0) / 18.0);
    let m = am / (am + bm);
    let ah = 0.07 * exp(-(v + 58.0) / 20.0);
    let bh = 1.0 / (1.0 + exp(-(v + 28.0) / 10.0));
    let an = 0.01 * lin(v + 34.0, 10.0);
    let bn = 0.125 * exp(-(v + 44.0) / 80.0);
    let gna = p.g_na * m * m * m * h;
    let n2 = n * n;
    let gk = p.g_k * n2 * n2;
    Currents {
        i_ion: gna * (v - p.e_na) + gk * (v - p.e_k) + p.g_l * (v - p.e_l),
        g: gna + gk + p.g_l,
        ge: gna * p.e_na + gk * p.e_k + p.g_l * p.e_l,
        gates: [
            Gate::FROZEN,
            Gate::rates(p.phi * ah, p.phi * bh),
            Gate::rates(p.phi * an, p.phi * bn),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn wb_substep<const M: u8>(
    k: &WangBuzsakiConsts,
    s: &mut WangBuzsakiState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.h, s.n];
    conductance_substep::<3, M>(
        &mut y,
        k.h,
        p.c_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| wb_currents(p, y),
    );
    [s.v, s.h, s.n] = y;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Wang–Buzsáki (1996) fast-spiking hippocampal interneuron.
pub struct WangBuzsakiNeuron;
}

impl WangBuzsakiNeuron {
    /// Advance one step (0.5 ms by default) with injected current density `current` [µA/cm²];
    /// `true` if the membrane crossed the threshold upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for WangBuzsakiNeuron {
    const NAME: &'static str = "WangBuzsakiNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str = "Wang-Buzsaki 1996 fast-spiking hippocampal interneuron";
    const REFERENCE: &'static str =
        "Wang & Buzsaki 1996, J Neurosci 16:6402, doi:10.1523/JNEUROSCI.16-20-06402.1996";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[1.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = WangBuzsakiParams;
    type State = WangBuzsakiState;
    type Consts = WangBuzsakiConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &WangBuzsakiParams) -> WangBuzsakiState {
        WangBuzsakiState {
            v: -65.0,
            h: 0.8,
            n: 0.1,
        }
    }
    fn standalone_span(p: &WangBuzsakiParams) -> f64 {
        p.span
    }
    fn prepare(p: &WangBuzsakiParams, span: f64) -> WangBuzsakiConsts {
        let (n, h) = substeps(span, p.substep);
        WangBuzsakiConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &WangBuzsakiConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &WangBuzsakiConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for WangBuzsakiNeuron {
    fn method(k: &WangBuzsakiConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &WangBuzsakiConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &WangBuzsakiConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        wb_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, late_rate_hz, spike_times};

    /// Spike times [ms] over `ms` of constant current `i` from the initial state.
    fn times(i: f64, ms: f64, method: &str) -> Vec<f64> {
        let mut p = WangBuzsakiParams::default();
        p.set_text("method", method).unwrap();
        let mut n = WangBuzsakiNeuron::with_params(p).unwrap();
        spike_times(&mut n, (ms / 0.5) as usize, |_| [i])
    }

    #[test]
    fn type_one_onset_near_0_16() {
        // Börgers 2017 (ch. 5): the WB neuron is type I with I_c ≈ 0.16 µA/cm².
        let silent = times(0.15, 2000.0, "rk4");
        assert!(
            silent.iter().all(|&t| t < 100.0),
            "fires at 0.15: {silent:?}"
        );
        let slow = late_rate_hz(&times(0.165, 3000.0, "rk4"), 3);
        assert!(slow > 0.0 && slow < 10.0, "just above onset: {slow} Hz");
        let r = [0.3, 1.0, 5.0].map(|i| late_rate_hz(&times(i, 1000.0, "rk4"), 5));
        assert!(slow < r[0] && r[0] < r[1] && r[1] < r[2], "{slow} {r:?}");
        // Wang & Buzsáki 1996, Fig. 1: high sustained rates (> 100 Hz) for strong drive.
        assert!(r[2] > 100.0, "rate at 5 µA/cm²: {}", r[2]);
    }

    #[test]
    fn rest_near_minus_64() {
        let mut n = WangBuzsakiNeuron::new();
        for _ in 0..1000 {
            assert!(!n.step(0.0));
        }
        let v = n.state().v;
        assert!((-65.0..=-63.5).contains(&v), "rest {v}");
    }

    /// The published equations typed again, integrated independently.
    fn reference(i: f64, ms: f64) -> Vec<f64> {
        let f = move |_t: f64, y: &[f64]| {
            let (v, h, n) = (y[0], y[1], y[2]);
            let am = 0.1 * (v + 35.0) / (1.0 - (-(v + 35.0) / 10.0).exp());
            let bm = 4.0 * (-(v + 60.0) / 18.0).exp();
            let m = am / (am + bm);
            let ah = 0.07 * (-(v + 58.0) / 20.0).exp();
            let bh = 1.0 / (1.0 + (-(v + 28.0) / 10.0).exp());
            let an = 0.01 * (v + 34.0) / (1.0 - (-(v + 34.0) / 10.0).exp());
            let bn = 0.125 * (-(v + 44.0) / 80.0).exp();
            vec![
                -35.0 * m.powi(3) * h * (v - 55.0)
                    - 9.0 * n.powi(4) * (v + 90.0)
                    - 0.1 * (v + 65.0)
                    + i,
                5.0 * (ah * (1.0 - h) - bh * h),
                5.0 * (an * (1.0 - n) - bn * n),
            ]
        };
        Reference::rk4(0.005, f)
            .run(&[-65.0, 0.8, 0.1], ms, 0, -20.0)
            .1
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        let r = reference(1.0, 300.0);
        assert!(r.len() > 5);
        // RK4 at 0.01 ms: every crossing lies in the 0.5-ms step the model reports it in.
        let m = times(1.0, 300.0, "rk4");
        assert_eq!(m.len(), r.len(), "{m:?} vs {r:?}");
        for (a, b) in m.iter().zip(&r) {
            assert!(*a <= b + 1e-6 && b - a <= 0.5 + 1e-6, "rk4: {a} vs {b}");
        }
        // First-order exponential Euler at 0.01 ms: the ISI within 3 %.
        let e = times(1.0, 300.0, "exp_euler");
        let (ie, ir) = (late_rate_hz(&e, 5), late_rate_hz(&r, 5));
        assert!((ie / ir - 1.0).abs() < 0.03, "exp_euler {ie} Hz vs {ir} Hz");
    }
}
