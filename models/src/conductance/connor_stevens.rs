//! `ConnorStevensNeuron` — the Connor–Stevens model (Na, K-DR, A-type K, leak) in the form of
//! Dayan & Abbott (2001): a type-I neuron whose A-current allows arbitrarily low firing rates.
//!
//! **Equations.** C dV/dt = −g_Na m³h(V − E_Na) − g_K n⁴(V − E_K) − g_A a³b(V − E_A)
//! − g_L(V − E_L) + I + I_syn(V), with (V in mV, rates in 1/ms)
//! α_m = 0.38·lin(V+29.7, 10), β_m = 15.2·e^(−0.0556(V+54.7)),
//! α_h = 0.266·e^(−0.05(V+48)), β_h = 3.8/(1 + e^(−0.1(V+18))),
//! α_n = 0.02·lin(V+45.7, 10), β_n = 0.25·e^(−0.0125(V+55.7)),
//! a∞ = [0.0761·e^(0.0314(V+94.22))/(1 + e^(0.0346(V+1.17)))]^(1/3),
//! τ_a = 0.3632 + 1.158/(1 + e^(0.0497(V+55.96))),
//! b∞ = [1/(1 + e^(0.0688(V+53.3)))]⁴, τ_b = 1.24 + 2.678/(1 + e^(0.0624(V+50))),
//! da/dt = (a∞ − a)/τ_a, db/dt = (b∞ − b)/τ_b (Dayan & Abbott 2001, §6.2 and its appendix),
//! with D&A's slope factors as printed (0.0556, 0.0314, …).
//!
//! **Spike.** Upward crossing of `v_threshold` (0 mV), tested after every substep; no reset.
//!
//! **Numerics.** `method = "rk4"` (default): RK4 on (V, m, h, n, a, b) in substeps of at most
//! `substep` = 0.01 ms; `"exp_euler"`: Rush–Larsen gates and exponential-Euler voltage.
//! Forward Euler is refused. A standalone step spans `span` = 1 ms, as SC-NeuroCore's step.
//!
//! **Units.** V in mV, I in µA/cm², g in mS/cm², C in µF/cm².
//!
//! **References.** Connor, J.A. & Stevens, C.F. (1971) J. Physiol. 213:31–53,
//! doi:10.1113/jphysiol.1971.sp009366; Connor, J.A., Walter, D. & McKown, R. (1977) Biophys. J.
//! 18:81–102, doi:10.1016/S0006-3495(77)85598-7; Dayan, P. & Abbott, L.F. (2001) *Theoretical
//! Neuroscience*, MIT Press, §6.2.
//!
//! **Relation to SC-NeuroCore** (spec §4). Kinetics, parameters, state (`v, m, h, n, a, b`,
//! initial −68/0.01/0.99/0.1/0.5/0.1) and the 1-ms step match. Differences: the slope factors
//! are D&A's printed ones (e^(−0.0556(V+54.7)), 0.0314, 0.0346, 0.0497, 0.0688, 0.0624) where
//! SC-NeuroCore divides by rounded reciprocals (18, 31.84, 28.93, 20.12, 14.54, 16.027); spikes are detected
//! on every 0.01-ms substep instead of once per 1-ms call; exponential Euler is offered besides
//! RK4; the substep parameter is named `substep` (SC-NeuroCore: `dt`); added `span`, `method`.
//! SC-NeuroCore's `simulate()` and its validity envelope are not reproduced (non-finite inputs
//! are refused by the engine).
//!
//! **Paper facts tested** (Dayan & Abbott 2001, §6.2). With the A-current the f–I
//! curve rises continuously from 0 Hz, with a long first-spike latency near threshold; the
//! onset itself is [computed] with an independent integration in the test (≈ 8.07 µA/cm² from
//! the initial state above). With g_A = 0 the same Na/K core starts firing at a rate far from
//! zero (≈ 75 Hz [computed]).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ConnorStevensNeuron`].
    pub struct ConnorStevensParams {
        /// Maximal sodium conductance, g_Na [mS/cm²].
        g_na: f64 = 120.0,
        /// Maximal delayed-rectifier potassium conductance, g_K [mS/cm²].
        g_k: f64 = 20.0,
        /// Maximal A-type potassium conductance, g_A [mS/cm²].
        g_a: f64 = 47.7,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.3,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 55.0,
        /// Potassium (delayed rectifier) reversal potential, E_K [mV].
        e_k: f64 = -72.0,
        /// A-current reversal potential, E_A [mV].
        e_a: f64 = -75.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -17.0,
        /// Membrane capacitance, C_m [µF/cm²].
        c_m: f64 = 1.0,
        /// Largest internal integration step [ms].
        substep: f64 = 0.01,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = 0.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl ConnorStevensParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        for (n, g) in [
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_a", self.g_a),
            ("g_l", self.g_l),
        ] {
            check::non_negative(n, g)?;
        }
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
    /// State of [`ConnorStevensNeuron`].
    pub struct ConnorStevensState {
        /// Membrane potential, V [mV].
        v: f64 => CsV,
        /// Na activation, m [1].
        m: f64 => CsM,
        /// Na inactivation, h [1].
        h: f64 => CsH,
        /// K-DR activation, n [1].
        n: f64 => CsN,
        /// A-current activation, a [1].
        a: f64 => CsA,
        /// A-current inactivation, b [1].
        b: f64 => CsB,
    }
}

/// Constants of [`ConnorStevensNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ConnorStevensConsts {
    p: ConnorStevensParams,
    n: u32,
    h: f64,
}

/// The membrane at state `y = [V, m, h, n, a, b]`.
#[inline(always)]
fn cs_currents(p: &ConnorStevensParams, y: &[f64; 6]) -> Currents<6> {
    let [v, m, h, n, a, b] = *y;
    let am = 0.38 * lin(v + 29.7, 10.0);
    let bm = 15.2 * exp(-0.0556 * (v + 54.7));
    let ah = 0.266 * exp(-0.05 * (v + 48.0));
    let bh = 3.8 / (1.0 + exp(-0.1 * (v + 18.0)));
    let an = 0.02 * lin(v + 45.7, 10.0);
    let bn = 0.25 * exp(-0.0125 * (v + 55.7));
    let a_inf = (0.0761 * exp(0.0314 * (v + 94.22)) / (1.0 + exp(0.0346 * (v + 1.17)))).cbrt();
    let tau_a = 0.3632 + 1.158 / (1.0 + exp(0.0497 * (v + 55.96)));
    let b1 = 1.0 / (1.0 + exp(0.0688 * (v + 53.3)));
    let b1 = b1 * b1;
    let tau_b = 1.24 + 2.678 / (1.0 + exp(0.0624 * (v + 50.0)));
    let gna = p.g_na * m * m * m * h;
    let n2 = n * n;
    let gk = p.g_k * n2 * n2;
    let ga = p.g_a * a * a * a * b;
    Currents {
        i_ion: gna * (v - p.e_na) + gk * (v - p.e_k) + ga * (v - p.e_a) + p.g_l * (v - p.e_l),
        g: gna + gk + ga + p.g_l,
        ge: gna * p.e_na + gk * p.e_k + ga * p.e_a + p.g_l * p.e_l,
        gates: [
            Gate::FROZEN,
            Gate::rates(am, bm),
            Gate::rates(ah, bh),
            Gate::rates(an, bn),
            Gate::relax(a_inf, tau_a),
            Gate::relax(b1 * b1, tau_b),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn cs_substep<const M: u8>(
    k: &ConnorStevensConsts,
    s: &mut ConnorStevensState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.m, s.h, s.n, s.a, s.b];
    conductance_substep::<6, M>(
        &mut y,
        k.h,
        p.c_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| cs_currents(p, y),
    );
    [s.v, s.m, s.h, s.n, s.a, s.b] = y;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Connor–Stevens (1971/1977) model with the A-current, as in Dayan & Abbott (2001).
pub struct ConnorStevensNeuron;
}

impl ConnorStevensNeuron {
    /// Advance one step (1 ms by default) with injected current density `current` [µA/cm²];
    /// `true` if the membrane crossed the threshold upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ConnorStevensNeuron {
    const NAME: &'static str = "ConnorStevensNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str =
        "Connor-Stevens Na/K/A-current model (type I, Dayan & Abbott form)";
    const REFERENCE: &'static str = "Connor & Stevens 1971, J Physiol 213:31, doi:10.1113/jphysiol.1971.sp009366; Dayan & Abbott 2001, Theoretical Neuroscience, sec. 6.2";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[12.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = ConnorStevensParams;
    type State = ConnorStevensState;
    type Consts = ConnorStevensConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ConnorStevensParams) -> ConnorStevensState {
        ConnorStevensState {
            v: -68.0,
            m: 0.01,
            h: 0.99,
            n: 0.1,
            a: 0.5,
            b: 0.1,
        }
    }
    fn standalone_span(p: &ConnorStevensParams) -> f64 {
        p.span
    }
    fn prepare(p: &ConnorStevensParams, span: f64) -> ConnorStevensConsts {
        let (n, h) = substeps(span, p.substep);
        ConnorStevensConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &ConnorStevensConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &ConnorStevensConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for ConnorStevensNeuron {
    fn method(k: &ConnorStevensConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &ConnorStevensConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &ConnorStevensConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        cs_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, late_rate_hz, spike_times};

    /// Spike times [ms] over `ms` of constant current `i` from the initial state, with `g_a`.
    fn times(i: f64, ms: usize, g_a: f64, method: &str) -> Vec<f64> {
        let mut p = ConnorStevensParams {
            g_a,
            ..Default::default()
        };
        p.set_text("method", method).unwrap();
        let mut n = ConnorStevensNeuron::with_params(p).unwrap();
        spike_times(&mut n, ms, |_| [i])
    }

    /// The published equations (Dayan & Abbott 2001, §6.2) typed again, with D&A's slopes.
    fn rhs(i: f64, g_a: f64) -> impl Fn(f64, &[f64]) -> Vec<f64> {
        move |_t, y| {
            let (v, m, h, n, a, b) = (y[0], y[1], y[2], y[3], y[4], y[5]);
            let am = 0.38 * (v + 29.7) / (1.0 - (-0.1 * (v + 29.7)).exp());
            let bm = 15.2 * (-0.0556 * (v + 54.7)).exp();
            let ah = 0.266 * (-0.05 * (v + 48.0)).exp();
            let bh = 3.8 / (1.0 + (-0.1 * (v + 18.0)).exp());
            let an = 0.02 * (v + 45.7) / (1.0 - (-0.1 * (v + 45.7)).exp());
            let bn = 0.25 * (-0.0125 * (v + 55.7)).exp();
            let ainf = (0.0761 * (0.0314 * (v + 94.22)).exp()
                / (1.0 + (0.0346 * (v + 1.17)).exp()))
            .powf(1.0 / 3.0);
            let ta = 0.3632 + 1.158 / (1.0 + (0.0497 * (v + 55.96)).exp());
            let binf = (1.0 / (1.0 + (0.0688 * (v + 53.3)).exp())).powi(4);
            let tb = 1.24 + 2.678 / (1.0 + (0.0624 * (v + 50.0)).exp());
            vec![
                -120.0 * m.powi(3) * h * (v - 55.0)
                    - 20.0 * n.powi(4) * (v + 72.0)
                    - g_a * a.powi(3) * b * (v + 75.0)
                    - 0.3 * (v + 17.0)
                    + i,
                am * (1.0 - m) - bm * m,
                ah * (1.0 - h) - bh * h,
                an * (1.0 - n) - bn * n,
                (ainf - a) / ta,
                (binf - b) / tb,
            ]
        }
    }

    const Y0: [f64; 6] = [-68.0, 0.01, 0.99, 0.1, 0.5, 0.1];

    #[test]
    fn a_current_gives_arbitrarily_low_rates_and_long_latency_near_onset() {
        // Onset [computed]: bisect the current at which the independent integration first
        // fires repetitively within 1.5 s (≥ 3 spikes), between 7 and 9 µA/cm².
        let fires = |i: f64| {
            Reference::rk4(0.02, rhs(i, 47.7))
                .run(&Y0, 1500.0, 0, 0.0)
                .1
                .len()
                >= 3
        };
        let (mut lo, mut hi) = (7.0, 9.0);
        assert!(!fires(lo) && fires(hi));
        for _ in 0..7 {
            let mid = 0.5 * (lo + hi);
            if fires(mid) { hi = mid } else { lo = mid }
        }
        assert!((7.9..8.3).contains(&hi), "onset {hi}");
        // Dayan & Abbott 2001, §6.2: with the A-current the rate rises from 0 Hz — the
        // model just above onset fires at a few Hz, after a long latency; below it, not at all.
        assert!(times(lo - 0.05, 2000, 47.7, "rk4").is_empty());
        let near = times(hi + 0.05, 3000, 47.7, "rk4");
        let r = late_rate_hz(&near, 3);
        assert!(r > 0.0 && r < 5.0, "rate just above onset {r} Hz");
        assert!(near[0] > 80.0, "first-spike latency {} ms", near[0]);
        let r12 = late_rate_hz(&times(12.0, 1000, 47.7, "rk4"), 5);
        assert!(r12 > 5.0 * r, "rate at 12 µA/cm² {r12} Hz");
    }

    #[test]
    fn without_a_current_the_onset_rate_is_far_from_zero() {
        // D&A 2001, §6.2: with g_A = 0 the Na/K core is not type I. Scan across its onset
        // (between −10 and −7 µA/cm² [computed]): every current that fires repetitively does so
        // above 50 Hz.
        let mut fired = 0;
        let mut silent = 0;
        for k in 0..30 {
            let i = -10.0 + 0.1 * k as f64;
            let t = times(i, 800, 0.0, "rk4");
            if t.len() >= 3 {
                fired += 1;
                let r = late_rate_hz(&t, 3);
                assert!(r > 50.0, "g_A = 0, I = {i}: {r} Hz");
            } else {
                silent += 1;
            }
        }
        assert!(fired > 0 && silent > 0, "{fired} firing, {silent} silent");
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        let r = Reference::rk4(0.005, rhs(10.0, 47.7))
            .run(&Y0, 300.0, 0, 0.0)
            .1;
        assert!(r.len() > 5);
        let m = times(10.0, 300, 47.7, "rk4");
        assert_eq!(m.len(), r.len(), "{m:?} vs {r:?}");
        for (a, b) in m.iter().zip(&r) {
            assert!(*a <= b + 1e-6 && b - a <= 1.0 + 1e-6, "rk4: {a} vs {b}");
        }
        let e = times(10.0, 300, 47.7, "exp_euler");
        let (ie, ir) = (late_rate_hz(&e, 5), late_rate_hz(&r, 5));
        assert!((ie / ir - 1.0).abs() < 0.03, "exp_euler {ie} Hz vs {ir} Hz");
    }
}
