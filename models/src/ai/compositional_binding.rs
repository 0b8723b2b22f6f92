//! `CompositionalBindingNeuron` — a phase oscillator times a low-pass amplitude: the unit is
//! "on" while amplitude·cos(phase) exceeds a threshold, so units driven from a common phase
//! fire in the same phase windows ("binding by synchrony").
//!
//! **What it is.** SC-NeuroCore's own invention (an "AI-optimised" model, spec §31), not
//! established neuroscience: no paper describes it; SC-NeuroCore's description is the only
//! authority. It alludes to binding by synchrony, but the phase is a free-running clock: every
//! unit advances its phase at the same rate ω from its last reset, whatever its input, and the
//! input sets only the amplitude. Units reset together (a common clock, e.g. a network started
//! at once) are therefore in phase and their "on" windows, centred on φ ≡ 0 (mod 2π), coincide
//! ("bound"); a unit reset at another time is out of phase. SC-NeuroCore's docstring promises a
//! phase coupling κ·sin(φ_in − φ); its code does not implement it, and neither does this model
//! (`coupling` is accepted and unused, as in SC-NeuroCore).
//!
//! **Equations.** dφ/dt = ω; τ dA/dt = −A + I; output = [A·cos φ > θ] (strict; no reset, so the
//! output stays 1 for consecutive steps).
//!
//! **Numerics.** Forward Euler on A, as SC-NeuroCore, in substeps of at most `substep` (1 ms, its
//! dt); φ advances by ωh per substep and is wrapped to [0, 2π) (the spec's recommendation; it
//! does not change the output, and keeps cos accurate forever). The output of a step is 1 if
//! the condition held after any of its substeps. A standalone step spans `span` = 1 ms.
//!
//! **Units.** φ in rad, ω in rad/ms (SC-NeuroCore's rad per step at dt = 1); A and the input
//! dimensionless.
//!
//! **Reference.** None: SC-NeuroCore's `CompositionalBindingNeuron` (ai_optimized.py), spec
//! `shared/models/stochastic_rate_ai.md` §31.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → 0/1, state `phi`, `amplitude`
//! from 0), parameters (including the unused `coupling`), defaults and map at the default step.
//! Differences: φ is wrapped to [0, 2π); `dt` is split into `span` (the step) and `substep`.
//!
//! **Facts tested** (closed form in the tests). I = 2: A_n = 2(1 − 0.9ⁿ), φ_n = 0.1n, and the
//! output is 1 exactly at steps 52–74 in the first 100 (spec §31.8); at steady state (A = I)
//! the on-windows are |φ − 2πk| < arccos(θ/I), so units with different inputs, started
//! together, are on in windows centred on the same phases (in phase, bound), and a unit started
//! half a cycle later is on only where the first is off.

use neurocore_engine::prelude::*;
use std::f64::consts::TAU;

params! {
    /// Parameters of [`CompositionalBindingNeuron`].
    pub struct CompositionalBindingParams {
        /// Angular frequency of the phase, ω [rad/ms].
        omega: f64 = 0.1,
        /// Phase-coupling strength of SC-NeuroCore's docstring; unused, as in its code [1].
        coupling: f64 = 0.5,
        /// Amplitude time constant, τ [ms].
        tau: f64 = 10.0,
        /// Output threshold on A·cos φ, θ [1].
        theta: f64 = 0.8,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal Euler step [ms].
        substep: f64 = 1.0,
    }
}

impl CompositionalBindingParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)?;
        check::less("substep", self.substep, "tau", self.tau * (1.0 + 1e-12))
    }
}

neuron_state! {
    /// State of [`CompositionalBindingNeuron`].
    pub struct CompositionalBindingState {
        /// Phase, φ, wrapped to [0, 2π) [rad].
        phi: f64 => CbnPhi,
        /// Low-pass amplitude, A [1].
        amplitude: f64 => CbnAmplitude,
    }
}

/// Constants of [`CompositionalBindingNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct CompositionalBindingConsts {
    n: u32,
    /// ωh and h/τ.
    dphi: f64,
    k: f64,
    theta: f64,
}

/// One step: `k.n` substeps; 1 if A·cos φ > θ after any of them.
#[inline(always)]
pub fn compositional_binding_step(
    k: &CompositionalBindingConsts,
    s: &mut CompositionalBindingState,
    i: f64,
) -> bool {
    let mut on = false;
    for _ in 0..k.n {
        s.phi = (s.phi + k.dphi).rem_euclid(TAU);
        s.amplitude += k.k * (i - s.amplitude);
        on |= s.amplitude * s.phi.cos() > k.theta;
    }
    on
}

standalone! {
/// SC-NeuroCore's phase-times-amplitude "binding" unit (its own design).
pub struct CompositionalBindingNeuron;
}

impl CompositionalBindingNeuron {
    /// Advance one step (1 ms by default) with input `current` [1]; `true` while
    /// A·cos φ > θ.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for CompositionalBindingNeuron {
    const NAME: &'static str = "CompositionalBindingNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str = "SC-NeuroCore invention: free-running phase times low-pass amplitude, on while A cos(phi) > theta";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §31";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = CompositionalBindingParams;
    type State = CompositionalBindingState;
    type Consts = CompositionalBindingConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &CompositionalBindingParams) -> CompositionalBindingState {
        CompositionalBindingState::default()
    }
    fn standalone_span(p: &CompositionalBindingParams) -> f64 {
        p.span
    }
    fn prepare(p: &CompositionalBindingParams, span: f64) -> CompositionalBindingConsts {
        let (n, h) = substeps(span, p.substep);
        CompositionalBindingConsts {
            n,
            dphi: p.omega * h,
            k: h / p.tau,
            theta: p.theta,
        }
    }
    #[inline(always)]
    fn update(
        k: &CompositionalBindingConsts,
        s: &mut CompositionalBindingState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        compositional_binding_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    #[test]
    fn on_at_steps_52_to_74_for_i_2() {
        // Closed form of the map: A_n = 2(1 − 0.9ⁿ), φ_n = 0.1 n.
        let want: Vec<usize> = (1..=100usize)
            .filter(|&n| 2.0 * (1.0 - 0.9f64.powi(n as i32)) * (0.1 * n as f64).cos() > 0.8)
            .collect();
        assert_eq!(want, (52..=74).collect::<Vec<_>>(), "spec §31.8");
        let mut u = CompositionalBindingNeuron::new();
        let got: Vec<usize> = (1..=100).filter(|_| u.step(2.0)).collect();
        assert_eq!(got, want);
    }

    /// Steps (1-based) at which a unit started `delay` steps late is on, over `steps`.
    fn on_steps(i: f64, delay: usize, steps: usize) -> Vec<usize> {
        let mut u = CompositionalBindingNeuron::new();
        (1..=steps).filter(|&t| t > delay && u.step(i)).collect()
    }

    #[test]
    fn units_started_together_fire_in_phase_whatever_their_input() {
        // Steady state A = I: on iff cos(0.1 n) > θ/I, i.e. |0.1 n − 2πk| < arccos(θ/I).
        let window = |i: f64, n: usize| {
            let x = (0.1 * n as f64).rem_euclid(TAU);
            x.min(TAU - x) < (0.8 / i).acos()
        };
        for i in [1.2, 2.0, 5.0] {
            let got: Vec<usize> = on_steps(i, 0, 2000)
                .into_iter()
                .filter(|&n| n > 400)
                .collect();
            let want: Vec<usize> = (401..=2000).filter(|&n| window(i, n)).collect();
            assert_eq!(got, want, "I = {i}");
        }
        // Bound (started together): the windows of I = 1.2 lie inside those of I = 5, centred
        // on the same steps (φ ≡ 0 at n = 2πk/0.1).
        let a: Vec<usize> = on_steps(1.2, 0, 2000)
            .into_iter()
            .filter(|&n| n > 400)
            .collect();
        let b = on_steps(5.0, 0, 2000);
        assert!(a.iter().all(|n| b.contains(n)));
        // Unbound (a unit started 31 steps, half a cycle, later): no overlap with the narrow
        // windows of the first once both are at steady state.
        let c = on_steps(1.2, 31, 2000);
        assert!(c.iter().filter(|&&n| n > 400).all(|n| !a.contains(n)));
    }

    #[test]
    fn amplitude_agrees_with_the_ode_and_phase_is_wrapped() {
        // A(t) = I(1 − e^{−t/τ}) for the ODE; with h = 0.01 ms Euler is within 2·e⁻¹·5·10⁻⁴ ≈ 3.7·10⁻⁴ of it,
        // checked against an RK4 integration as well; φ = ωt mod 2π.
        let r = Reference::rk4(0.01, |_, y: &[f64]| vec![(2.0 - y[0]) / 10.0]);
        let p = CompositionalBindingParams {
            substep: 0.01,
            ..Default::default()
        };
        let mut u = CompositionalBindingNeuron::with_span(p, 1.0).unwrap();
        let mut y = vec![0.0];
        for t in 1..=100 {
            u.step(2.0);
            for _ in 0..100 {
                y = r.step(0.0, &y);
            }
            let exact = 2.0 * (1.0 - (-(t as f64) / 10.0).exp());
            assert!((y[0] - exact).abs() < 1e-9);
            assert!((u.state().amplitude - exact).abs() < 4e-4, "t = {t}");
            let phi = (0.1 * t as f64).rem_euclid(TAU);
            assert!((u.state().phi - phi).abs() < 1e-9, "t = {t}");
        }
    }
}
