//! `LiquidTimeConstantNeuron` — one liquid time-constant (LTC) unit (Hasani et al. 2021) with
//! SC-NeuroCore's threshold-and-reset read-out.
//!
//! **Equations.** Hasani et al. (2021), Eq. 1, for one unit:
//! dx/dt = −[1/τ + f(x, I)]·x + f(x, I)·A, with the positive gate
//! f(x, I) = σ(w_x·x + w_in·I + μ) (σ the logistic function) and the bias (reversal) A.
//! The system time constant τ_sys = τ/(1 + τf) varies with the input ("liquid"). Read-out (not
//! in the paper; SC-NeuroCore's interface returns a spike): when x reaches `v_threshold` the
//! unit emits a spike and x is reset to 0.
//!
//! **Numerics.** The paper's fused semi-implicit step (Eq. 3),
//! x ← (x + Δt·f·A)/(1 + Δt·(1/τ + f)), with f evaluated at the old x, in substeps of at most
//! `substep` (0.1 ms); the threshold is tested after every substep. A standalone step spans
//! 1 ms (SC-NeuroCore's dt = 1). The fused step keeps x inside [min(0, A), max(0, A)] for any
//! Δt (the paper's Theorem 2).
//!
//! **Reference.** Hasani, R., Lechner, M., Amini, A., Rus, D. & Grosu, R. (2021) Liquid
//! time-constant networks. Proc. AAAI 35(9):7657–7666, doi:10.1609/aaai.v35i9.16936.
//!
//! **Relation to SC-NeuroCore** (spec §19). Same interface (`step(current) -> spike`), state
//! `x` (initially 0) and parameter names `tau_base`, `w_x`, `w_in`, `bias`, `v_threshold`.
//! SC-NeuroCore's equation is not the LTC equation: it relaxes x to tanh(w_x x + w_in I) with a
//! sigmoid-gated τ (weight `w_tau`) by explicit Euler, and its spikes are an artefact of Euler
//! overshoot (silent for I < 4.395, firing every step above, spec §19.7). Here the paper's
//! equation and solver are implemented: `w_tau` is dropped, the gate multiplies (A − x), and
//! the bias A (`a_rev`, 2.0) is added; spikes happen when the LTC equilibrium
//! x* = fA/(1/τ + f) lies above the threshold, whatever the step.
//!
//! **Paper facts tested.** Theorem 1 (τ_sys = τ/(1 + τf) within [τ/(1 + τ), τ]) via the
//! relaxation of x with a constant gate; Theorem 2 (x stays in [min(0, A), max(0, A)] for any
//! Δt with the fused solver); agreement with an independent RK4 integration of Eq. 1.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`LiquidTimeConstantNeuron`].
    pub struct LiquidTimeConstantParams {
        /// Leak time constant, τ [ms].
        tau_base: f64 = 10.0,
        /// Recurrent weight of x in the gate, w_x [1].
        w_x: f64 = 0.8,
        /// Input weight in the gate, w_in [1].
        w_in: f64 = 1.0,
        /// Gate bias, μ [1].
        bias: f64 = 0.0,
        /// LTC bias (the value x is driven toward by the gate), A [1].
        a_rev: f64 = 2.0,
        /// Read-out threshold (x ≥ θ: spike, x ← 0), θ [1].
        v_threshold: f64 = 1.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest fused-solver substep, Δt [ms].
        substep: f64 = 0.1,
    }
}

impl LiquidTimeConstantParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_base", self.tau_base)?;
        check::finite("w_x", self.w_x)?;
        check::finite("w_in", self.w_in)?;
        check::finite("bias", self.bias)?;
        check::finite("a_rev", self.a_rev)?;
        check::finite("v_threshold", self.v_threshold)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`LiquidTimeConstantNeuron`].
    pub struct LiquidTimeConstantState {
        /// LTC state, x [1].
        x: f64 => LtcX,
    }
}

/// Constants of [`LiquidTimeConstantNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct LiquidTimeConstantConsts {
    p: LiquidTimeConstantParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` fused substeps, threshold tested after each; returns the spike.
#[inline(always)]
pub fn ltc_step(k: &LiquidTimeConstantConsts, s: &mut LiquidTimeConstantState, i: f64) -> bool {
    let p = &k.p;
    let mut fired = false;
    for _ in 0..k.n {
        let f = sigmoid(p.w_x * s.x + p.w_in * i + p.bias);
        let x = (s.x + k.h * f * p.a_rev) / (1.0 + k.h * (1.0 / p.tau_base + f));
        let fire = x >= p.v_threshold;
        s.x = if fire { 0.0 } else { x };
        fired |= fire;
    }
    fired
}

standalone! {
/// Liquid time-constant unit (Hasani et al. 2021) with a threshold-and-reset read-out.
pub struct LiquidTimeConstantNeuron;
}

impl LiquidTimeConstantNeuron {
    /// Advance one step (`span` ms) with input `current`; `true` if x reached the threshold.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for LiquidTimeConstantNeuron {
    const NAME: &'static str = "LiquidTimeConstantNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Liquid time-constant unit (Hasani 2021, fused solver) with threshold-reset read-out";
    const REFERENCE: &'static str =
        "Hasani et al. 2021, AAAI 35(9):7657, doi:10.1609/aaai.v35i9.16936";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = LiquidTimeConstantParams;
    type State = LiquidTimeConstantState;
    type Consts = LiquidTimeConstantConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &LiquidTimeConstantParams) -> LiquidTimeConstantState {
        LiquidTimeConstantState { x: 0.0 }
    }
    fn standalone_span(p: &LiquidTimeConstantParams) -> f64 {
        p.span
    }
    fn prepare(p: &LiquidTimeConstantParams, span: f64) -> LiquidTimeConstantConsts {
        let (n, h) = substeps(span, p.substep);
        LiquidTimeConstantConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &LiquidTimeConstantConsts,
        s: &mut LiquidTimeConstantState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ltc_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    fn unit(p: LiquidTimeConstantParams) -> LiquidTimeConstantNeuron {
        LiquidTimeConstantNeuron::with_params(p).unwrap()
    }

    #[test]
    fn agrees_with_an_independent_integration_of_eq_1() {
        // dx/dt = −(1/τ + σ(0.8x + I))x + 2σ(0.8x + I), τ = 10, I = 0.5, no threshold.
        let f = |_t: f64, y: &[f64]| {
            let g = 1.0 / (1.0 + (-(0.8 * y[0] + 0.5)).exp());
            vec![-(0.1 + g) * y[0] + g * 2.0]
        };
        let reference = Reference::rk4(0.001, f).trace(&[0.0], 10.0, 0, 1000);
        let mut n = unit(LiquidTimeConstantParams {
            v_threshold: 1e9,
            substep: 0.0005,
            ..Default::default()
        });
        for (t, want) in reference.iter().enumerate().skip(1) {
            let _ = t;
            n.step(0.5);
            assert!(
                (n.state().x - want).abs() < 2e-3,
                "{} vs {want}",
                n.state().x
            );
        }
        let _ = reference;
    }

    #[test]
    fn system_time_constant_is_tau_over_one_plus_tau_f() {
        // Theorem 1: with a constant gate f (w_x = 0), x relaxes to fA/(1/τ + f) with
        // τ_sys = τ/(1 + τf), which lies in [τ/(1 + τ), τ] since 0 < f < 1.
        let (tau, i) = (10.0f64, 0.3f64);
        let f = 1.0 / (1.0 + (-i).exp());
        let tau_sys = tau / (1.0 + tau * f);
        assert!(tau_sys >= tau / (1.0 + tau) && tau_sys <= tau);
        let x_star = f * 2.0 / (1.0 / tau + f);
        let mut n = unit(LiquidTimeConstantParams {
            w_x: 0.0,
            v_threshold: 1e9,
            substep: 1e-4,
            span: 0.01,
            ..Default::default()
        });
        let steps = (tau_sys / 0.01).round() as usize;
        for _ in 0..steps {
            n.step(i);
        }
        let frac = (x_star - n.state().x) / x_star;
        assert!((frac - (-1.0f64).exp()).abs() < 2e-3, "{frac}");
    }

    #[test]
    fn fused_solver_keeps_x_within_the_bounds_for_any_step() {
        // Theorem 2: x ∈ [min(0, A), max(0, A)] whatever Δt; A = 2 and A = −1.5.
        for (a, dt) in [(2.0, 100.0), (-1.5, 50.0), (2.0, 0.7)] {
            let mut n = unit(LiquidTimeConstantParams {
                a_rev: a,
                v_threshold: 1e9,
                substep: dt,
                span: dt,
                ..Default::default()
            });
            for k in 0..500 {
                n.step(20.0 * ((k as f64) * 0.7).sin());
                let x = n.state().x;
                assert!(x >= a.min(0.0) - 1e-12 && x <= a.max(0.0) + 1e-12, "{x}");
            }
        }
    }

    #[test]
    fn fires_exactly_when_the_equilibrium_lies_above_threshold() {
        // With w_x = 0 the equilibrium is x* = 2f/(0.1 + f), f = σ(I): x* ≥ 1 iff f ≥ 0.1/1.0,
        // i.e. I ≥ ln(0.1/0.9) = −2.197; independent of the step.
        let i_star = (0.1f64 / 0.9).ln();
        for span in [0.1, 1.0] {
            for (i, fires) in [(i_star - 0.05, false), (i_star + 0.05, true)] {
                let mut n = unit(LiquidTimeConstantParams {
                    w_x: 0.0,
                    span,
                    ..Default::default()
                });
                let any = (0..(2000.0 / span) as usize).any(|_| n.step(i));
                assert_eq!(any, fires, "I = {i}, span {span}");
            }
        }
    }
}
