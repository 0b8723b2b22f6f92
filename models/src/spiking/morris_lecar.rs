//! `MorrisLecarNeuron` — the two-variable Ca/K conductance model of barnacle muscle (Morris &
//! Lecar 1981), with Rinzel & Ermentrout's class-I and class-II parameter sets.
//!
//! **Equations.** C dV/dt = I + I_syn(V) − g_Ca m∞(V)(V − E_Ca) − g_K w (V − E_K) − g_L (V − E_L);
//! dw/dt = λ(V)(w∞(V) − w), with m∞ = ½[1 + tanh((V − V1)/V2)], w∞ = ½[1 + tanh((V − V3)/V4)],
//! λ(V) = φ cosh((V − V3)/(2V4)). No reset: the step returns `true` when V crosses
//! `v_threshold` (0 mV) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.1 ms); a standalone step spans
//! `dt`, as SC-NeuroCore's does. The crossing is tested after every substep.
//!
//! **Units.** V in mV, I in µA/cm², conductances in mS/cm², C in µF/cm², t in ms, φ in 1/ms.
//!
//! **Reference.** Morris, C. & Lecar, H. (1981) "Voltage oscillations in the barnacle giant
//! muscle fiber", Biophys. J. 35:193–213, doi:10.1016/S0006-3495(81)84782-0. Parameter sets:
//! Rinzel, J. & Ermentrout, G.B. (1998) "Analysis of neural excitability and oscillations", in
//! Koch & Segev (eds.) *Methods in Neuronal Modeling*, 2nd ed., MIT Press, pp. 251–291
//! (Appendix A): C = 20, g_K = 8, g_L = 2, E_Ca = 120, E_K = −84, E_L = −60, V1 = −1.2,
//! V2 = 18; class I (saddle-node on invariant circle): g_Ca = 4, V3 = 12, V4 = 17.4, φ = 1/15
//! (the defaults); class II (Hopf): g_Ca = 4.4, V3 = 2, V4 = 30, φ = 0.04
//! ([`MorrisLecarNeuron::class_ii`]).
//!
//! **Relation to SC-NeuroCore** (spec §2). Same interface, state (`v` −60 mV, `w` 0) and
//! class-I defaults. Differences: only RK4 is offered (no `integrator` choice of Euler or
//! Rosenbrock–Euler); w leaving [0, 1] is not refused (the exact flow keeps it inside, RK4 at
//! 0.1 ms does too); the conductance input of a network enters the current balance inside
//! every RK4 stage.
//!
//! **Paper facts tested.** Class I: the steady-state I–V curve folds at V ≈ −29.4 mV,
//! I ≈ 39.96 µA/cm² (closed form, re-derived in the test), where repetitive firing starts with
//! arbitrarily low rate: ≈ 3.8 Hz at 40.5, ≈ 10 Hz at 45, ≈ 17 Hz at 60, ≈ 24 Hz at 100
//! µA/cm² (spec §2.8 [computed], one rate re-derived by an independent integration); rest at
//! I = 0 is −59.47 mV. Class II: the rest state loses stability at a Hopf point (trace of the
//! Jacobian = 0 on the steady-state curve, I_H ≈ 93.86 µA/cm², derived in the test) and
//! firing never starts at a low rate (> 8 Hz) — the class-I/class-II distinction of Rinzel &
//! Ermentrout (1998).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MorrisLecarNeuron`].
    pub struct MorrisLecarParams {
        /// Membrane capacitance, C [µF/cm²].
        c_m: f64 = 20.0,
        /// Maximal calcium conductance, g_Ca [mS/cm²].
        g_ca: f64 = 4.0,
        /// Maximal potassium conductance, g_K [mS/cm²].
        g_k: f64 = 8.0,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 2.0,
        /// Calcium reversal potential, E_Ca [mV].
        e_ca: f64 = 120.0,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -84.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -60.0,
        /// Half-activation of m∞, V1 [mV].
        v1: f64 = -1.2,
        /// Slope of m∞, V2 [mV].
        v2: f64 = 18.0,
        /// Half-activation of w∞, V3 [mV].
        v3: f64 = 12.0,
        /// Slope of w∞, V4 [mV].
        v4: f64 = 17.4,
        /// Rate scale of w, φ [1/ms].
        phi: f64 = 1.0 / 15.0,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [ms].
        dt: f64 = 0.1,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = 0.0,
    }
}

impl MorrisLecarParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        check::non_negative("g_ca", self.g_ca)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_l", self.g_l)?;
        check::positive("v2", self.v2)?;
        check::positive("v4", self.v4)?;
        check::positive("phi", self.phi)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`MorrisLecarNeuron`].
    pub struct MorrisLecarState {
        /// Membrane potential, V [mV].
        v: f64 => MlV,
        /// Fraction of open K channels, w [1].
        w: f64 => MlW,
    }
}

/// Constants of [`MorrisLecarNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct MorrisLecarConsts {
    p: MorrisLecarParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn ml_step(k: &MorrisLecarConsts, s: &mut MorrisLecarState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.w];
        rk4(&mut y, k.h, |y| {
            let [v, w] = *y;
            let m_inf = 0.5 * (1.0 + ((v - p.v1) / p.v2).tanh());
            let u = (v - p.v3) / p.v4;
            let w_inf = 0.5 * (1.0 + u.tanh());
            let lambda = p.phi * (0.5 * u).cosh();
            let i_ion =
                p.g_ca * m_inf * (v - p.e_ca) + p.g_k * w * (v - p.e_k) + p.g_l * (v - p.e_l);
            [(x.current(v) - i_ion) / p.c_m, lambda * (w_inf - w)]
        });
        [s.v, s.w] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Morris–Lecar neuron (Morris & Lecar 1981), class-I parameters of Rinzel & Ermentrout.
pub struct MorrisLecarNeuron;
}

impl MorrisLecarNeuron {
    /// Rinzel & Ermentrout's (1998) class-II (Hopf) parameter set: g_Ca = 4.4 mS/cm²,
    /// V3 = 2 mV, V4 = 30 mV, φ = 0.04 /ms, the rest as the defaults.
    pub fn class_ii() -> MorrisLecarParams {
        MorrisLecarParams {
            g_ca: 4.4,
            v3: 2.0,
            v4: 30.0,
            phi: 0.04,
            ..Default::default()
        }
    }

    /// Advance one step (0.1 ms by default) with injected current density `current`
    /// [µA/cm²]; `true` if V crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for MorrisLecarNeuron {
    const NAME: &'static str = "MorrisLecarNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "Morris-Lecar Ca/K model (Rinzel-Ermentrout class I set)";
    const REFERENCE: &'static str = "Morris & Lecar 1981, Biophys J 35:193, doi:10.1016/S0006-3495(81)84782-0; Rinzel & Ermentrout 1998, Methods in Neuronal Modeling (2nd ed.)";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[80.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = MorrisLecarParams;
    type State = MorrisLecarState;
    type Consts = MorrisLecarConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &MorrisLecarParams) -> MorrisLecarState {
        MorrisLecarState { v: -60.0, w: 0.0 }
    }
    fn standalone_span(p: &MorrisLecarParams) -> f64 {
        p.dt
    }
    fn prepare(p: &MorrisLecarParams, span: f64) -> MorrisLecarConsts {
        let (n, h) = substeps(span, p.dt);
        MorrisLecarConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &MorrisLecarConsts,
        s: &mut MorrisLecarState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ml_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steady-state current I_ss(V) = g_Ca m∞(V)(V − E_Ca) + g_K w∞(V)(V − E_K) + g_L(V − E_L).
    fn i_ss(p: &MorrisLecarParams, v: f64) -> f64 {
        let m = 0.5 * (1.0 + ((v - p.v1) / p.v2).tanh());
        let w = 0.5 * (1.0 + ((v - p.v3) / p.v4).tanh());
        p.g_ca * m * (v - p.e_ca) + p.g_k * w * (v - p.e_k) + p.g_l * (v - p.e_l)
    }

    /// Bisection for a sign change of `f` on [lo, hi].
    fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
        let s = f(lo).signum();
        for _ in 0..100 {
            let m = 0.5 * (lo + hi);
            if f(m).signum() == s {
                lo = m;
            } else {
                hi = m;
            }
        }
        0.5 * (lo + hi)
    }

    /// Firing rate (Hz) over the last second of 3 s at constant `i`, from state `s0`.
    fn rate(p: MorrisLecarParams, i: f64, s0: Option<MorrisLecarState>) -> f64 {
        let mut n = MorrisLecarNeuron::with_params(p).unwrap();
        if let Some(s) = s0 {
            *n.state_mut() = s;
        }
        let t: Vec<usize> = (0..30_000).filter(|_| n.step(i)).collect();
        let late: Vec<&usize> = t.iter().filter(|&&k| k >= 20_000).collect();
        if late.len() < 2 {
            return 0.0;
        }
        let span = (*late[late.len() - 1] - *late[0]) as f64 * 1e-4;
        (late.len() - 1) as f64 / span
    }

    #[test]
    fn rest_at_zero_current() {
        // Spec §2.8: rest at I = 0 is −59.47 mV (the root of I_ss, derived here).
        let p = MorrisLecarParams::default();
        let v_rest = bisect(|v| i_ss(&p, v), -70.0, -50.0);
        assert!((v_rest + 59.47).abs() < 0.01, "{v_rest}");
        let mut n = MorrisLecarNeuron::new();
        for _ in 0..10_000 {
            assert!(!n.step(0.0));
        }
        assert!((n.state().v - v_rest).abs() < 1e-3, "{}", n.state().v);
    }

    #[test]
    fn class_i_fold_and_arbitrarily_low_rates() {
        // The I–V curve folds (local maximum of I_ss) at V ≈ −29.4 mV, I ≈ 39.96 µA/cm²
        // (spec §2.8; Rinzel & Ermentrout 1998: saddle-node on invariant circle).
        let p = MorrisLecarParams::default();
        let dv = |v: f64| i_ss(&p, v + 1e-6) - i_ss(&p, v - 1e-6);
        let v_fold = bisect(dv, -40.0, -20.0);
        let i_fold = i_ss(&p, v_fold);
        assert!(
            (v_fold + 29.39).abs() < 0.05 && (i_fold - 39.963).abs() < 0.01,
            "{v_fold} {i_fold}"
        );
        assert_eq!(rate(p.clone(), i_fold - 0.5, None), 0.0);
        // Spec §2.8 [computed] rates; the lowest is far below any class-II onset rate.
        for (i, hz, tol) in [
            (40.5, 3.8, 0.3),
            (45.0, 10.0, 0.5),
            (60.0, 17.0, 0.5),
            (100.0, 24.0, 0.5),
        ] {
            let r = rate(p.clone(), i, None);
            assert!((r - hz).abs() < tol, "I = {i}: {r} Hz, expected ≈ {hz}");
        }
    }

    #[test]
    fn rate_at_60_agrees_with_an_independent_integration() {
        // Heun's method at 0.002 ms (written here), period from the last two crossings.
        let p = MorrisLecarParams::default();
        let f = |v: f64, w: f64| {
            let m = 0.5 * (1.0 + ((v + 1.2) / 18.0).tanh());
            let wi = 0.5 * (1.0 + ((v - 12.0) / 17.4).tanh());
            let lam = (1.0 / 15.0) * ((v - 12.0) / 34.8).cosh();
            (
                (60.0 - 4.0 * m * (v - 120.0) - 8.0 * w * (v + 84.0) - 2.0 * (v + 60.0)) / 20.0,
                lam * (wi - w),
            )
        };
        let (mut v, mut w, h) = (-60.0f64, 0.0f64, 0.002);
        let mut t = Vec::new();
        for k in 0..1_000_000 {
            let (a1, b1) = f(v, w);
            let (a2, b2) = f(v + h * a1, w + h * b1);
            let vn = v + 0.5 * h * (a1 + a2);
            w += 0.5 * h * (b1 + b2);
            if v < 0.0 && vn >= 0.0 {
                t.push(k as f64 * h);
            }
            v = vn;
        }
        let reference = 1000.0 / (t[t.len() - 1] - t[t.len() - 2]);
        let model = rate(p, 60.0, None);
        assert!(
            (model - reference).abs() < 0.05,
            "model {model} Hz, reference {reference} Hz"
        );
    }

    #[test]
    fn class_ii_hopf_onset_at_nonzero_rate() {
        let p = MorrisLecarNeuron::class_ii();
        // Trace of the Jacobian on the steady-state curve (w = w∞(V)):
        // J11 = −[g_Ca m∞'(V)(V − E_Ca) + g_Ca m∞ + g_K w∞ + g_L]/C, J22 = −λ(V).
        let trace = |v: f64| {
            let m = 0.5 * (1.0 + ((v - p.v1) / p.v2).tanh());
            let dm = 0.5 / p.v2 / ((v - p.v1) / p.v2).cosh().powi(2);
            let w = 0.5 * (1.0 + ((v - p.v3) / p.v4).tanh());
            let lam = p.phi * ((v - p.v3) / (2.0 * p.v4)).cosh();
            -(p.g_ca * dm * (v - p.e_ca) + p.g_ca * m + p.g_k * w + p.g_l) / p.c_m - lam
        };
        let v_h = bisect(trace, -40.0, -10.0);
        let i_h = i_ss(&p, v_h);
        assert!(
            (i_h - 93.86).abs() < 0.05,
            "Hopf at {i_h} µA/cm² (V = {v_h})"
        );
        // Start on the rest state: stable below I_H, repetitive firing above.
        let at_rest = |i: f64| {
            let v = bisect(|v| i_ss(&p, v) - i, -80.0, 20.0);
            let w = 0.5 * (1.0 + ((v - p.v3) / p.v4).tanh());
            Some(MorrisLecarState { v: v + 0.1, w })
        };
        assert_eq!(rate(p.clone(), i_h - 1.0, at_rest(i_h - 1.0)), 0.0);
        assert!(rate(p.clone(), i_h + 1.0, at_rest(i_h + 1.0)) > 8.0);
        // Class II: wherever it fires, it fires at > 8 Hz (no arbitrarily low rates).
        let rates: Vec<f64> = (80..=110)
            .step_by(2)
            .map(|i| rate(p.clone(), i as f64, None))
            .collect();
        assert!(rates.iter().all(|&r| r == 0.0 || r > 8.0), "{rates:?}");
        assert!(
            rates.contains(&0.0) && rates.iter().any(|&r| r > 8.0),
            "{rates:?}"
        );
    }
}
