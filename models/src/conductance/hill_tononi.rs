//! `HillTononiNeuron` — the Hill & Tononi (2005) hybrid integrate-and-fire neuron (cortical
//! excitatory cell, waking profile), in the form of NEST's `ht_neuron`.
//!
//! **Equations** (conductances dimensionless, currents in mV; NEST `ht_neuron` documentation
//! and Hill & Tononi 2005, Methods):
//! dV/dt = (I_NaL + I_KL + I_NaP + I_DK + I_h + I_T + I + I_syn(V))/τ_m + I_spike,
//! I_NaL = −g_NaL(V − E_Na), I_KL = −g_KL(V − E_K),
//! I_NaP = −g_NaP m_NaP(V)^n_NaP (V − E_NaP), m_NaP = 1/(1 + e^(−(V + 55.7)/7.7)),
//! I_DK = −g_DK m_DK(D)(V − E_DK), m_DK = 1/(1 + (d_half/D)^3.5),
//! I_h = −g_h m_h(V − E_h), I_T = −g_T m_T^n_T h_T(V − E_T),
//! I_spike = −g_spike(V − E_K)/τ_spike while the spike timer runs, else 0;
//! dθ/dt = −(θ − θ_eq)/τ_θ; dD/dt = D_influx_peak/(1 + e^(−(V − d_threshold)/d_slope))
//! − (D − D_eq)/τ_D;
//! m_h∞ = 1/(1 + e^((V + 75)/5.5)), τ_mh = 1/(e^(−14.59 − 0.086V) + e^(−1.87 + 0.0701V));
//! m_T∞ = 1/(1 + e^(−(V + 59)/6.2)),
//! τ_mT = 0.13 + 0.22/(e^(−(V + 132)/16.7) + e^((V + 16.8)/18.2)); h_T∞ = 1/(1 + e^((V + 83)/4)),
//! τ_hT = 8.2 + (56.6 + 0.27e^((V + 115.2)/5))/(1 + e^((V + 86)/3.2)).
//!
//! **Spike and reset.** Tested after every substep: if the neuron was not refractory at the
//! substep's start (timer = 0) and V ≥ θ, it spikes: V ← E_Na, θ ← E_Na, timer ← t_spike. The
//! timer counts down by the substep; while it runs the spike current I_spike pulls V back
//! toward E_K and no new spike can occur.
//!
//! **Numerics.** `method = "rk4"` (default) or `"exp_euler"` (exact linear relaxation of V, θ,
//! D and the gates with coefficients frozen over the substep), substeps of at most `substep` =
//! 0.25 ms (the paper's step); a standalone step spans `span` = 0.25 ms. Forward Euler is
//! refused.
//!
//! **Units.** V, θ, E in mV; t in ms; conductances dimensionless (relative to the leak scale,
//! as in NEST: currents are divided by τ_m); the input current in mV; D dimensionless.
//!
//! **Reference.** Hill, S. & Tononi, G. (2005) Modeling sleep and wakefulness in the
//! thalamocortical system. J. Neurophysiol. 93:1671–1698, doi:10.1152/jn.00915.2004; NEST
//! `ht_neuron` model documentation (which fixes the printed formulas of the paper).
//!
//! **Relation to SC-NeuroCore** (spec §18). Same interface (`step(current)`, 0.25 ms per
//! call, state `v, theta, d_k, m_h, m_t, h_t, spike_timer`), equations and defaults.
//! Differences: the threshold test, reset and timer run on every substep (so a `span` longer
//! than `substep` keeps the dynamics of the 0.25-ms step); the internal step is a parameter
//! and exponential Euler is available; synaptic conductances (dimensionless, as in NEST)
//! enter V's equation like the intrinsic currents.
//!
//! **Paper facts tested.** Rest at the root of the current balance (≈ −70 mV = (g_NaL·E_Na +
//! g_KL·E_K)/(g_NaL + g_KL) without I_NaP and I_DK, re-derived by bisection with them); at a
//! spike V and θ jump to E_Na = +30 mV and the spike current brings V to about −57 mV (closed form, checked within −65..−50) within
//! t_spike = 2 ms; sustained depolarization raises D and activates I_DK, so the firing rate
//! adapts over seconds (τ_D = 1.25 s) (Hill & Tononi 2005; NEST `ht_neuron`).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`HillTononiNeuron`].
    pub struct HillTononiParams {
        /// Na⁺ leak conductance, g_NaL [1].
        g_na_l: f64 = 0.2,
        /// K⁺ leak conductance, g_KL [1].
        g_k_l: f64 = 1.0,
        /// Persistent Na⁺ conductance, g_NaP [1].
        g_na_p: f64 = 0.5,
        /// Depolarization-activated K⁺ conductance, g_DK [1].
        g_dk: f64 = 0.5,
        /// Hyperpolarization-activated cation conductance, g_h [1].
        g_h: f64 = 0.0,
        /// Low-threshold Ca²⁺ conductance, g_T [1].
        g_t: f64 = 0.0,
        /// Na⁺ reversal potential (also the spike peak), E_Na [mV].
        e_na: f64 = 30.0,
        /// K⁺ reversal potential (also the spike current's), E_K [mV].
        e_k: f64 = -90.0,
        /// Persistent Na⁺ reversal potential, E_NaP [mV].
        e_na_p: f64 = 30.0,
        /// I_DK reversal potential, E_DK [mV].
        e_dk: f64 = -90.0,
        /// I_h reversal potential, E_h [mV].
        e_h: f64 = -40.0,
        /// I_T reversal potential, E_T [mV].
        e_t: f64 = 0.0,
        /// Activation exponent of I_NaP, n_NaP [1].
        n_na_p: f64 = 3.0,
        /// Activation exponent of I_T, n_T [1].
        n_t: f64 = 2.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 16.0,
        /// Equilibrium threshold, θ_eq [mV].
        theta_eq: f64 = -51.0,
        /// Threshold relaxation time constant, τ_θ [ms].
        tau_theta: f64 = 2.0,
        /// Spike-current conductance, g_spike [1].
        g_spike: f64 = 1.0,
        /// Duration of the spike current (refractory time), t_spike [ms].
        t_spike: f64 = 2.0,
        /// Time constant of the spike current, τ_spike [ms].
        tau_spike: f64 = 1.75,
        /// Time constant of D, τ_D [ms].
        tau_d: f64 = 1250.0,
        /// Peak influx of D, D_influx_peak [1/ms].
        d_influx_peak: f64 = 0.025,
        /// Half-activation voltage of the D influx, d_threshold [mV].
        d_threshold: f64 = -10.0,
        /// Slope of the D influx sigmoid, d_slope [mV].
        d_slope: f64 = 5.0,
        /// Resting value of D, D_eq [1].
        d_eq: f64 = 0.001,
        /// Half-activation of I_DK in D, d_half [1].
        d_half: f64 = 0.25,
        /// Largest internal integration step [ms].
        substep: f64 = 0.25,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.25,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl HillTononiParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, g) in [
            ("g_na_l", self.g_na_l),
            ("g_k_l", self.g_k_l),
            ("g_na_p", self.g_na_p),
            ("g_dk", self.g_dk),
            ("g_h", self.g_h),
            ("g_t", self.g_t),
            ("g_spike", self.g_spike),
            ("t_spike", self.t_spike),
            ("d_influx_peak", self.d_influx_peak),
            ("n_na_p", self.n_na_p),
            ("n_t", self.n_t),
        ] {
            check::non_negative(n, g)?;
        }
        for (n, t) in [
            ("tau_m", self.tau_m),
            ("tau_theta", self.tau_theta),
            ("tau_spike", self.tau_spike),
            ("tau_d", self.tau_d),
            ("d_slope", self.d_slope),
            ("d_eq", self.d_eq),
            ("d_half", self.d_half),
            ("substep", self.substep),
        ] {
            check::positive(n, t)?;
        }
        check_method(
            "method",
            self.method,
            &[Method::Rk4, Method::ExpEuler],
            "forward Euler is not offered for this model",
        )?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`HillTononiNeuron`].
    pub struct HillTononiState {
        /// Membrane potential, V [mV].
        v: f64 => HtV,
        /// Dynamic threshold, θ [mV].
        theta: f64 => HtTheta,
        /// Depolarization variable of I_DK, D [1].
        d_k: f64 => HtD,
        /// I_h activation, m_h [1].
        m_h: f64 => HtMh,
        /// I_T activation, m_T [1].
        m_t: f64 => HtMt,
        /// I_T inactivation, h_T [1].
        h_t: f64 => HtHt,
        /// Remaining time of the spike current (refractory while > 0) [ms].
        spike_timer: f64 => HtTimer,
    }
}

/// Constants of [`HillTononiNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct HillTononiConsts {
    p: HillTononiParams,
    n: u32,
    h: f64,
}

/// Steady states (m_h∞, m_T∞, h_T∞) at `v`.
#[inline(always)]
pub fn ht_gates_inf(v: f64) -> [f64; 3] {
    [
        1.0 / (1.0 + exp((v + 75.0) / 5.5)),
        1.0 / (1.0 + exp(-(v + 59.0) / 6.2)),
        1.0 / (1.0 + exp((v + 83.0) / 4.0)),
    ]
}

/// The membrane at `y = [v, θ, D, m_h, m_T, h_T]`; `spike` = 1 while the spike current runs.
#[inline(always)]
fn currents(p: &HillTononiParams, y: &[f64; 6], spike: f64) -> Currents<6> {
    let [v, _, d, m_h, m_t, h_t] = *y;
    let m_nap = 1.0 / (1.0 + exp(-(v + 55.7) / 7.7));
    let g_nap = p.g_na_p * m_nap.powf(p.n_na_p);
    // m_DK = 1/(1 + (d_half/D)^3.5); D > 0 (D_eq > 0), guarded for robustness.
    let m_dk = 1.0 / (1.0 + exp(3.5 * (p.d_half / d.max(1e-300)).ln()));
    let g_dk = p.g_dk * m_dk;
    let g_h = p.g_h * m_h;
    let g_t = p.g_t * m_t.powf(p.n_t) * h_t;
    // The spike current −g_spike(V − E_K)/τ_spike, written as a conductance on the τ_m scale.
    let g_sp = spike * p.g_spike * p.tau_m / p.tau_spike;
    let g_k = p.g_k_l + g_sp;
    let g = p.g_na_l + g_k + g_nap + g_dk + g_h + g_t;
    let ge = p.g_na_l * p.e_na
        + g_k * p.e_k
        + g_nap * p.e_na_p
        + g_dk * p.e_dk
        + g_h * p.e_h
        + g_t * p.e_t;
    let [mh_inf, mt_inf, ht_inf] = ht_gates_inf(v);
    let tau_mh = 1.0 / (exp(-14.59 - 0.086 * v) + exp(-1.87 + 0.0701 * v));
    let tau_mt = 0.22 / (exp(-(v + 132.0) / 16.7) + exp((v + 16.8) / 18.2)) + 0.13;
    let tau_ht = 8.2 + (56.6 + 0.27 * exp((v + 115.2) / 5.0)) / (1.0 + exp((v + 86.0) / 3.2));
    let influx = p.d_influx_peak / (1.0 + exp(-(v - p.d_threshold) / p.d_slope));
    Currents {
        i_ion: g * v - ge,
        g,
        ge,
        gates: [
            Gate::FROZEN,
            Gate::relax(p.theta_eq, p.tau_theta),
            Gate::relax(p.d_eq + p.tau_d * influx, p.tau_d),
            Gate::relax(mh_inf, tau_mh),
            Gate::relax(mt_inf, tau_mt),
            Gate::relax(ht_inf, tau_ht),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`: integrate, count the spike timer down,
/// then test V ≥ θ (if not refractory at the substep's start) and reset. `true` on a spike.
#[inline(always)]
pub fn ht_substep<const M: u8>(
    k: &HillTononiConsts,
    s: &mut HillTononiState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let refractory = s.spike_timer > 0.0;
    let spike_on = if refractory { 1.0 } else { 0.0 };
    let mut y = [s.v, s.theta, s.d_k, s.m_h, s.m_t, s.h_t];
    conductance_substep::<6, M>(
        &mut y,
        k.h,
        p.tau_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| currents(p, y, spike_on),
    );
    [s.v, s.theta, s.d_k, s.m_h, s.m_t, s.h_t] = y;
    s.spike_timer = (s.spike_timer - k.h).max(0.0);
    let fire = !refractory & (s.v >= s.theta);
    if fire {
        s.v = p.e_na;
        s.theta = p.e_na;
        s.spike_timer = p.t_spike;
    }
    fire
}

standalone! {
/// Hill & Tononi (2005) hybrid integrate-and-fire neuron (NEST `ht_neuron`).
pub struct HillTononiNeuron;
}

impl HillTononiNeuron {
    /// Advance one step (0.25 ms by default) with input `current` [mV] (divided by τ_m like
    /// the intrinsic currents); `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for HillTononiNeuron {
    const NAME: &'static str = "HillTononiNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str =
        "Hill & Tononi 2005 hybrid integrate-and-fire neuron (NEST ht_neuron)";
    const REFERENCE: &'static str =
        "Hill & Tononi 2005, J Neurophysiol 93:1671, doi:10.1152/jn.00915.2004";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[40.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = HillTononiParams;
    type State = HillTononiState;
    type Consts = HillTononiConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &HillTononiParams) -> HillTononiState {
        let v = -70.0;
        let [m_h, m_t, h_t] = ht_gates_inf(v);
        HillTononiState {
            v,
            theta: p.theta_eq,
            d_k: p.d_eq,
            m_h,
            m_t,
            h_t,
            spike_timer: 0.0,
        }
    }
    fn standalone_span(p: &HillTononiParams) -> f64 {
        p.span
    }
    fn prepare(p: &HillTononiParams, span: f64) -> HillTononiConsts {
        let (n, h) = substeps(span, p.substep);
        HillTononiConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &HillTononiConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &HillTononiConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for HillTononiNeuron {
    fn method(k: &HillTononiConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &HillTononiConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &HillTononiConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        ht_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// The published current balance typed again (g_h = g_T = 0 as in the defaults), as
    /// dV/dt·τ_m at voltage `v` with D = `d` and input `i`.
    fn balance(v: f64, d: f64, i: f64) -> f64 {
        let m_nap = 1.0 / (1.0 + (-(v + 55.7) / 7.7).exp());
        let m_dk = 1.0 / (1.0 + (0.25 / d).powf(3.5));
        -0.2 * (v - 30.0) - (v + 90.0) - 0.5 * m_nap.powi(3) * (v - 30.0) - 0.5 * m_dk * (v + 90.0)
            + i
    }

    #[test]
    fn rests_at_the_root_of_the_current_balance_near_minus_70() {
        // Without I_NaP and I_DK: (0.2·30 − 90)/1.2 = −70 mV (spec §18, analytic). With them
        // (D = D_eq): the root of the balance, by bisection.
        assert!(((0.2 * 30.0 - 90.0) / 1.2f64 + 70.0).abs() < 1e-12);
        let (mut lo, mut hi) = (-90.0, -60.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if balance(mid, 0.001, 0.0) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let mut n = HillTononiNeuron::new();
        for _ in 0..8000 {
            assert!(!n.step(0.0));
        }
        let s = n.state();
        assert!((s.v - lo).abs() < 1e-3, "rest {} vs root {lo}", s.v);
        assert!((lo + 70.0).abs() < 1.0, "root {lo}");
        assert!((s.theta + 51.0).abs() < 1e-9);
    }

    #[test]
    fn spike_resets_to_e_na_and_the_spike_current_repolarizes_within_t_spike() {
        let mut n = HillTononiNeuron::new();
        let mut k = 0;
        while !n.step(40.0) {
            k += 1;
            assert!(k < 4000, "no spike");
        }
        // Hill & Tononi 2005 / NEST: V and θ jump to E_Na = +30 mV at the spike.
        assert_eq!(n.state().v, 30.0);
        assert_eq!(n.state().theta, 30.0);
        assert_eq!(n.state().spike_timer, 2.0);
        // Within t_spike = 2 ms (8 steps) the spike current pulls V far down, and no spike.
        for _ in 0..8 {
            assert!(!n.step(40.0));
        }
        // Closed form of the pull: V + 90 ≈ 120·e^(−2(1/1.75 + 1.2/16)) ≈ 33 mV, V ≈ −57 mV.
        let v2 = n.state().v;
        assert!(v2 < -50.0 && v2 > -65.0, "V after 2 ms: {v2}");
        assert_eq!(n.state().spike_timer, 0.0);
    }

    #[test]
    fn firing_adapts_over_seconds_through_d() {
        // Hill & Tononi 2005: D accumulates with activity (τ_D = 1.25 s) and I_DK slows firing.
        let mut n = HillTononiNeuron::new();
        let spikes: Vec<usize> = (0..20_000).filter(|_| n.step(40.0)).collect();
        let early = spikes.iter().filter(|&&k| k < 800).count() as f64 / 0.2;
        let late = spikes.iter().filter(|&&k| k >= 16_000).count() as f64 / 1.0;
        assert!(
            late < 0.8 * early && late > 0.0,
            "early {early} Hz, late {late} Hz"
        );
        assert!(n.state().d_k > 0.05, "D = {}", n.state().d_k);
        // Without I_DK no such adaptation.
        let p = HillTononiParams {
            g_dk: 0.0,
            ..Default::default()
        };
        let mut m = HillTononiNeuron::with_params(p).unwrap();
        let spikes: Vec<usize> = (0..20_000).filter(|_| m.step(40.0)).collect();
        let early0 = spikes.iter().filter(|&&k| k < 800).count() as f64 / 0.2;
        let late0 = spikes.iter().filter(|&&k| k >= 16_000).count() as f64 / 1.0;
        assert!(
            late0 > 0.9 * early0,
            "no I_DK: early {early0} Hz, late {late0} Hz"
        );
    }

    #[test]
    fn first_spike_agrees_with_an_independent_integration() {
        // Published equations typed again with u = V − θ (spike when u crosses 0), input 40.
        let f = |_: f64, y: &[f64]| {
            let (u, th, d) = (y[0], y[1], y[2]);
            let v = u + th;
            let influx = 0.025 / (1.0 + (-(v + 10.0) / 5.0).exp());
            let dth = -(th + 51.0) / 2.0;
            let dv = balance(v, d, 40.0) / 16.0;
            vec![dv - dth, dth, influx - (d - 0.001) / 1250.0]
        };
        let (_, t) = Reference::rk4(0.001, f).run(&[-70.0 + 51.0, -51.0, 0.001], 100.0, 0, 0.0);
        let p = HillTononiParams {
            substep: 0.01,
            span: 0.01,
            ..Default::default()
        };
        let mut n = HillTononiNeuron::with_params(p).unwrap();
        let k = (0..10_000).position(|_| n.step(40.0)).unwrap();
        let t_model = (k + 1) as f64 * 0.01;
        assert!(!t.is_empty());
        assert!((t_model - t[0]).abs() < 0.02, "{t_model} vs {}", t[0]);
    }
}
