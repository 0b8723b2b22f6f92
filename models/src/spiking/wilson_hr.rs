//! `WilsonHRNeuron` — Wilson's two-variable polynomial model of human/mammalian neocortical
//! neurons (Wilson 1999).
//!
//! **Equations.** C dV/dt = −(17.81 + 47.71 V + 32.63 V²)(V − 0.55) − 26 R (V + 0.92) + I;
//! τ_R dR/dt = −R + 1.35 V + 1.03. V is in units of 100 mV (0.55 ≈ E_Na, −0.92 ≈ E_K), R is the
//! recovery (K⁺) variable. Continuous, no reset: the step returns `true` when V crosses
//! `v_peak` (0) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.05 ms; the upstroke is fast, so
//! dt ≤ 0.05 ms); a standalone step spans `dt`, as SC-NeuroCore's does. The crossing is tested
//! after every substep.
//!
//! **Units.** V in units of 100 mV, I in the model's current units (µA/cm² scaled like V), C in
//! µF/cm², t in ms. V is not in mV, so the model declares no membrane for the engine's
//! conductance or voltage-jump receptors; synaptic input arrives as current on `current`.
//!
//! **Reference.** Wilson, H.R. (1999) "Simplified dynamics of human and mammalian neocortical
//! neurons", J. Theor. Biol. 200:375–388, doi:10.1006/jtbi.1999.1002; Wilson, H.R. (1999)
//! *Spikes, Decisions, and Actions*, Oxford University Press, ch. 9 (C = 0.8 µF/cm²,
//! τ_R = 1.9 ms).
//!
//! **Relation to SC-NeuroCore** (spec §13). Same interface, state (`v` −0.7, `r` 0.085) and
//! defaults; the newest continuous version (with C, no reset) is ported, not the older
//! resetting one (`SCResettingWilsonHRNeuron`). Differences: a network step is split into RK4
//! substeps of at most `dt`, each tested for the crossing (SC-NeuroCore samples the step end,
//! marginal for 1-ms spikes).
//!
//! **Paper facts tested.** Rest at I = 0 is the root of the steady-state current balance,
//! V = −0.6980 (≈ −70 mV), R = 0.0878 (spec §13.8, re-derived in the test); the rest state
//! loses stability where the trace of the Jacobian vanishes on the steady-state curve (Hopf at
//! I_H ≈ 0.085, derived in the test); the Hopf point is subcritical, so firing already starts
//! abruptly at ≈ 165–175 Hz between I = 0.06 and 0.08 (class-II-like onset, spec §13.8
//! [computed]) and coexists with the stable rest state up to I_H; ≈ 300 Hz at I = 1 and
//! ≈ 400 Hz at I = 2 with
//! spike peaks ≈ +0.29 at I = 1 (spec §13.8 [computed], re-derived by an independent
//! integration).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`WilsonHRNeuron`].
    pub struct WilsonHRParams {
        /// Membrane capacitance, C [µF/cm²].
        capacitance: f64 = 0.8,
        /// Recovery time constant, τ_R [ms].
        tau_r: f64 = 1.9,
        /// Event level (upward crossing of V), V_peak [100 mV].
        v_peak: f64 = 0.0,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [ms].
        dt: f64 = 0.05,
    }
}

impl WilsonHRParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("capacitance", self.capacitance)?;
        check::positive("tau_r", self.tau_r)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`WilsonHRNeuron`].
    pub struct WilsonHRState {
        /// Membrane potential, V [100 mV].
        v: f64 => WhrV,
        /// Recovery variable, R [1].
        r: f64 => WhrR,
    }
}

/// Constants of [`WilsonHRNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct WilsonHRConsts {
    p: WilsonHRParams,
    n: u32,
    h: f64,
}

/// The vector field (dV/dt, dR/dt) at (v, r) with input `i`.
#[inline(always)]
pub fn wilson_rhs(p: &WilsonHRParams, v: f64, r: f64, i: f64) -> [f64; 2] {
    let i_na = (17.81 + 47.71 * v + 32.63 * v * v) * (v - 0.55);
    let i_k = 26.0 * r * (v + 0.92);
    [
        (i - i_na - i_k) / p.capacitance,
        (-r + 1.35 * v + 1.03) / p.tau_r,
    ]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_peak` tested after each.
#[inline(always)]
pub fn wilson_step(k: &WilsonHRConsts, s: &mut WilsonHRState, i: f64) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.r];
        rk4(&mut y, k.h, |y| wilson_rhs(p, y[0], y[1], i));
        [s.v, s.r] = y;
        if before < p.v_peak && s.v >= p.v_peak {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Wilson's (1999) polynomial neocortical neuron.
pub struct WilsonHRNeuron;
}

impl WilsonHRNeuron {
    /// Advance one step (0.05 ms by default) with input `current`; `true` if V crossed
    /// `v_peak` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for WilsonHRNeuron {
    const NAME: &'static str = "WilsonHRNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "Wilson (1999) two-variable polynomial neocortical neuron";
    const REFERENCE: &'static str = "Wilson 1999, J Theor Biol 200:375, doi:10.1006/jtbi.1999.1002";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = WilsonHRParams;
    type State = WilsonHRState;
    type Consts = WilsonHRConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &WilsonHRParams) -> WilsonHRState {
        WilsonHRState { v: -0.7, r: 0.085 }
    }
    fn standalone_span(p: &WilsonHRParams) -> f64 {
        p.dt
    }
    fn prepare(p: &WilsonHRParams, span: f64) -> WilsonHRConsts {
        let (n, h) = substeps(span, p.dt);
        WilsonHRConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &WilsonHRConsts,
        s: &mut WilsonHRState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        wilson_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steady-state input current at V (R at its nullcline 1.35V + 1.03).
    fn i_ss(v: f64) -> f64 {
        (17.81 + 47.71 * v + 32.63 * v * v) * (v - 0.55) + 26.0 * (1.35 * v + 1.03) * (v + 0.92)
    }

    /// Root of `f` in [a, b] by bisection.
    fn bisect(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
        let fa = f(a);
        for _ in 0..200 {
            let m = 0.5 * (a + b);
            if (f(m) > 0.0) == (fa > 0.0) {
                a = m;
            } else {
                b = m;
            }
        }
        0.5 * (a + b)
    }

    /// Trace of the Jacobian at the steady state with potential V.
    fn trace(v: f64) -> f64 {
        let r = 1.35 * v + 1.03;
        let df_dv = -(47.71 + 2.0 * 32.63 * v) * (v - 0.55)
            - (17.81 + 47.71 * v + 32.63 * v * v)
            - 26.0 * r;
        df_dv / 0.8 - 1.0 / 1.9
    }

    /// Spike times [ms] and the largest V over the second half of `t_end`.
    fn run(i: f64, t_end: f64) -> (Vec<f64>, f64) {
        let mut n = WilsonHRNeuron::new();
        let steps = (t_end / 0.05) as usize;
        let mut t = Vec::new();
        let mut peak = f64::MIN;
        for k in 0..steps {
            if n.step(i) {
                t.push(k as f64 * 0.05);
            }
            if k > steps / 2 {
                peak = peak.max(n.state().v);
            }
        }
        (t, peak)
    }

    fn rate(t: &[f64]) -> f64 {
        1000.0 / (t[t.len() - 1] - t[t.len() - 2])
    }

    /// Independent integration (Heun, 0.001 ms): the last interspike interval's rate.
    fn reference_rate(i: f64, t_end: f64) -> f64 {
        let f = |v: f64, r: f64| {
            (
                (i - (17.81 + 47.71 * v + 32.63 * v * v) * (v - 0.55) - 26.0 * r * (v + 0.92))
                    / 0.8,
                (-r + 1.35 * v + 1.03) / 1.9,
            )
        };
        let (mut v, mut r, h) = (-0.7f64, 0.085f64, 0.001);
        let mut t = Vec::new();
        for k in 0..(t_end / h) as usize {
            let (a1, b1) = f(v, r);
            let (a2, b2) = f(v + h * a1, r + h * b1);
            let vn = v + 0.5 * h * (a1 + a2);
            r += 0.5 * h * (b1 + b2);
            if v < 0.0 && vn >= 0.0 {
                t.push(k as f64 * h);
            }
            v = vn;
        }
        rate(&t)
    }

    #[test]
    fn rest_state_at_zero_current() {
        // Spec §13.8: V = −0.6980, R = 0.0878 at I = 0.
        let v = bisect(i_ss, -0.9, -0.6);
        assert!((v + 0.6980).abs() < 5e-5, "{v}");
        assert!((1.35 * v + 1.03 - 0.0878).abs() < 5e-5);
        let mut n = WilsonHRNeuron::new();
        for _ in 0..20_000 {
            n.step(0.0);
        }
        assert!((n.state().v - v).abs() < 1e-6 && (n.state().r - (1.35 * v + 1.03)).abs() < 1e-6);
    }

    #[test]
    fn firing_starts_abruptly_at_a_high_rate() {
        // The rest state is stable while the Jacobian's trace is negative; it first vanishes at
        // the Hopf point I_H. Firing onset is abrupt (class II): between I = 0.06 and 0.08 the
        // neuron jumps from rest to ≈ 165–175 Hz (spec §13.8 [computed]).
        let v_h = bisect(trace, -0.698, -0.5);
        let i_h = i_ss(v_h);
        assert!(trace(-0.6980) < 0.0);
        assert!(i_h > 0.06, "I_H {i_h}");
        let (quiet, _) = run(0.06, 300.0);
        assert!(quiet.iter().all(|&t| t < 20.0), "{quiet:?}");
        let (t, _) = run(0.08, 300.0);
        let f = rate(&t);
        assert!(f > 150.0 && f < 190.0, "{f} Hz");
        let (t, _) = run(i_h + 0.01, 300.0);
        assert!(rate(&t) > 150.0);
        // The Hopf point is subcritical: just below it (I = 0.075) the rest state is stable —
        // a neuron placed on it stays there — while a neuron started at (−0.7, 0.085) fires.
        let i = 0.075;
        assert!(i < i_h);
        let v = bisect(|v| i_ss(v) - i, -0.698, -0.687);
        let mut n = WilsonHRNeuron::new();
        *n.state_mut() = WilsonHRState {
            v,
            r: 1.35 * v + 1.03,
        };
        assert!((0..6000).all(|_| !n.step(i)));
        let (t, _) = run(i, 300.0);
        assert!(t.len() > 30, "{}", t.len());
    }

    #[test]
    fn rates_and_spike_peak() {
        // Spec §13.8 [computed]: ≈ 300 Hz at I = 1 (peak ≈ +0.29), ≈ 400 Hz at I = 2.
        for (i, hz) in [(1.0, 300.0), (2.0, 400.0)] {
            let (t, peak) = run(i, 200.0);
            let f = rate(&t);
            let reference = reference_rate(i, 200.0);
            assert!(
                (f - reference).abs() < 0.01 * reference,
                "{f} vs {reference}"
            );
            assert!((f - hz).abs() < 0.03 * hz, "I = {i}: {f} Hz");
            if i == 1.0 {
                assert!((peak - 0.29).abs() < 0.01, "peak {peak}");
            }
        }
    }
}
