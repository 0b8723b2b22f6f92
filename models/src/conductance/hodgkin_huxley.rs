//! `HodgkinHuxleyNeuron` — the squid giant axon (Na, K, leak), rest at −65 mV.
//!
//! **Equations.** C dV/dt = −g_Na m³h(V − E_Na) − g_K n⁴(V − E_K) − g_L(V − E_L) + I + I_syn(V);
//! dx/dt = α_x(V)(1 − x) − β_x(V)x for x ∈ {m, h, n}, with (V in mV, rates in 1/ms, 6.3 °C)
//! α_m = 0.1·lin(V+40, 10), β_m = 4·e^(−(V+65)/18), α_h = 0.07·e^(−(V+65)/20),
//! β_h = 1/(1 + e^(−(V+35)/10)), α_n = 0.01·lin(V+55, 10), β_n = 0.125·e^(−(V+65)/80),
//! where lin(x, k) = x/(1 − e^(−x/k)) handles the removable singularities.
//!
//! **Spike.** An upward crossing of `v_threshold` (0 mV), tested after every substep; there is
//! no reset. One step returns `true` if any substep crossed.
//!
//! **Numerics.** `method = "rk4"` (default): classical RK4 on (V, m, h, n) in substeps of at most
//! `dt` = 0.01 ms; `"exp_euler"`: Rush–Larsen gates and exponential-Euler voltage (first order,
//! unconditionally stable). A standalone step spans `span` = 1 ms (100 substeps), as
//! SC-NeuroCore's step does.
//!
//! **Units.** V in mV, I in µA/cm², conductances in mS/cm², C in µF/cm².
//!
//! **Reference.** Hodgkin, A.L. & Huxley, A.F. (1952) J. Physiol. 117:500–544,
//! doi:10.1113/jphysiol.1952.sp004764, in the modern rest = −65 mV convention.
//!
//! **Relation to SC-NeuroCore** (spec §1). Same interface (`step(current)`, 1 ms per call,
//! state `v, m, h, n`, initial 0.05/0.6/0.32). Differences: the spike is detected on every
//! 0.01-ms substep, not only between calls (SC-NeuroCore misses spikes whose supra-threshold
//! part falls inside one call and counts two spikes in one call as one); E_L is the classical
//! −54.387 mV (rest exactly −65 mV) instead of −54.4; RK4 is the default instead of forward
//! Euler.
//!
//! **Paper facts tested.** Repetitive firing from rest under a current step begins between
//! 6.1 and 6.4 µA/cm² (onset ≈ 6.2–6.3 µA/cm², Rinzel & Miller 1980, Math. Biosci. 49:27–59;
//! Rinzel & Ermentrout 1998 in Koch & Segev, *Methods in Neuronal Modeling*), at about 50 Hz
//! (type II: no low rates), and the rate at 10 µA/cm² is about 68 Hz.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`HodgkinHuxleyNeuron`].
    pub struct HodgkinHuxleyParams {
        /// Membrane capacitance, C_m [µF/cm²].
        c_m: f64 = 1.0,
        /// Maximal sodium conductance, g_Na [mS/cm²].
        g_na: f64 = 120.0,
        /// Maximal potassium conductance, g_K [mS/cm²].
        g_k: f64 = 36.0,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.3,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 50.0,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -77.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -54.387,
        /// Largest internal substep, dt [ms].
        dt: f64 = 0.01,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = 0.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused: unstable here) [choice].
        method: Method = Method::Rk4,
    }
}

impl HodgkinHuxleyParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        check::non_negative("g_na", self.g_na)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_l", self.g_l)?;
        check::positive("dt", self.dt)?;
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
    /// State of [`HodgkinHuxleyNeuron`].
    pub struct HodgkinHuxleyState {
        /// Membrane potential, V [mV].
        v: f64 => HhV,
        /// Na activation, m [1].
        m: f64 => HhM,
        /// Na inactivation, h [1].
        h: f64 => HhH,
        /// K activation, n [1].
        n: f64 => HhN,
    }
}

/// Constants of [`HodgkinHuxleyNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct HodgkinHuxleyConsts {
    p: HodgkinHuxleyParams,
    n: u32,
    h: f64,
}

/// Opening and closing rates (α, β) of m, h, n at `v`.
#[inline(always)]
pub fn hh_rates(v: f64) -> [(f64, f64); 3] {
    [
        (0.1 * lin(v + 40.0, 10.0), 4.0 * (-(v + 65.0) / 18.0).exp()),
        (
            0.07 * (-(v + 65.0) / 20.0).exp(),
            1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
        ),
        (
            0.01 * lin(v + 55.0, 10.0),
            0.125 * (-(v + 65.0) / 80.0).exp(),
        ),
    ]
}

/// The membrane at state `y` = (V, m, h, n): ionic current, conductances and gate kinetics.
#[inline(always)]
pub fn hh_currents(p: &HodgkinHuxleyParams, y: &[f64; 4]) -> Currents<4> {
    let [v, m, h, n] = *y;
    let [(am, bm), (ah, bh), (an, bn)] = hh_rates(v);
    let gna = p.g_na * m * m * m * h;
    let gk = p.g_k * n * n * n * n;
    Currents {
        i_ion: gna * (v - p.e_na) + gk * (v - p.e_k) + p.g_l * (v - p.e_l),
        g: gna + gk + p.g_l,
        ge: gna * p.e_na + gk * p.e_k + p.g_l * p.e_l,
        gates: [
            Gate::FROZEN,
            Gate::rates(am, bm),
            Gate::rates(ah, bh),
            Gate::rates(an, bn),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn hh_substep<const M: u8>(
    k: &HodgkinHuxleyConsts,
    s: &mut HodgkinHuxleyState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.m, s.h, s.n];
    conductance_substep::<4, M>(
        &mut y,
        k.h,
        p.c_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| hh_currents(p, y),
    );
    [s.v, s.m, s.h, s.n] = y;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Hodgkin–Huxley (1952) squid axon model.
///
/// ```
/// use neurocore_models::HodgkinHuxleyNeuron;
/// let mut n = HodgkinHuxleyNeuron::new();
/// let spikes = (0..1000).filter(|_| n.step(10.0)).count(); // 1 s at 10 µA/cm²
/// assert!((60..75).contains(&spikes));
/// ```
pub struct HodgkinHuxleyNeuron;
}

impl HodgkinHuxleyNeuron {
    /// Advance one step (1 ms by default) with injected current density `current` [µA/cm²];
    /// `true` if the membrane crossed the threshold upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for HodgkinHuxleyNeuron {
    const NAME: &'static str = "HodgkinHuxleyNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str = "Hodgkin-Huxley 1952 squid axon (Na, K, leak)";
    const REFERENCE: &'static str =
        "Hodgkin & Huxley 1952, J Physiol 117:500, doi:10.1113/jphysiol.1952.sp004764";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[10.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = HodgkinHuxleyParams;
    type State = HodgkinHuxleyState;
    type Consts = HodgkinHuxleyConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &HodgkinHuxleyParams) -> HodgkinHuxleyState {
        HodgkinHuxleyState {
            v: -65.0,
            m: 0.05,
            h: 0.6,
            n: 0.32,
        }
    }
    fn standalone_span(p: &HodgkinHuxleyParams) -> f64 {
        p.span
    }
    fn prepare(p: &HodgkinHuxleyParams, span: f64) -> HodgkinHuxleyConsts {
        let (n, h) = substeps(span, p.dt);
        HodgkinHuxleyConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &HodgkinHuxleyConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &HodgkinHuxleyConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for HodgkinHuxleyNeuron {
    fn method(k: &HodgkinHuxleyConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &HodgkinHuxleyConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &HodgkinHuxleyConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        hh_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spikes in the last `ms - 200` ms of a current step of `ms` ms from rest.
    fn late_spikes(i: f64, ms: usize, method: &str) -> usize {
        let mut p = HodgkinHuxleyParams::default();
        p.set_text("method", method).unwrap();
        let mut n = HodgkinHuxleyNeuron::with_params(p).unwrap();
        (0..ms).filter(|&t| n.step(i) && t >= 200).count()
    }

    #[test]
    fn rest_is_minus_65_with_classical_leak() {
        let mut n = HodgkinHuxleyNeuron::new();
        for _ in 0..200 {
            assert!(!n.step(0.0));
        }
        assert!((n.state().v + 65.0).abs() < 0.01, "{}", n.state().v);
    }

    #[test]
    fn repetitive_firing_starts_near_6_2_abruptly() {
        // Rinzel & Miller 1980: onset of repetitive firing at I ≈ 6.2–6.3 µA/cm², type II.
        assert_eq!(late_spikes(6.1, 1200, "rk4"), 0);
        let n = late_spikes(6.4, 1200, "rk4");
        // Type II: the onset rate is already high (≈ 50 Hz), no arbitrarily low rates.
        assert!((45..=60).contains(&n), "rate at 6.4 µA/cm²: {n} Hz");
    }

    #[test]
    fn rate_at_10_ua_is_about_68_hz() {
        // Rinzel & Ermentrout 1998 (f–I curve of HH): ≈ 68 Hz at 10 µA/cm².
        let hz = late_spikes(10.0, 1200, "rk4");
        assert!((66..=70).contains(&hz), "{hz} Hz");
        // The first-order exponential-Euler method agrees within 1 Hz at dt = 0.01 ms.
        let hz2 = late_spikes(10.0, 1200, "exp_euler");
        assert!(hz.abs_diff(hz2) <= 1, "rk4 {hz} Hz vs exp_euler {hz2} Hz");
    }
}
