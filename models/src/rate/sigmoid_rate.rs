//! `SigmoidRateNeuron` — a rate relaxing to a logistic function of its input (Wilson & Cowan
//! 1972).
//!
//! **Equations.** τ dr/dt = −r + σ(β(I − θ)), with σ(z) = 1/(1 + e^(−z)) (overflow-safe), the
//! first-order relaxation-to-sigmoid element of Wilson & Cowan (1972) without the refractory
//! factor. The output is r, every step (a value output).
//!
//! **Numerics.** Exact for input held constant over a step:
//! r ← σ + (r − σ)·e^(−h/τ). A standalone step spans `span` = 0.1 (τ units; ms in a network).
//!
//! **Reference.** Wilson, H.R. & Cowan, J.D. (1972) Biophys. J. 12:1–24,
//! doi:10.1016/S0006-3495(72)86068-5.
//!
//! **Relation to SC-NeuroCore** (spec §15). Same equations, interface (`step(current) -> r`),
//! state `r` (initially 0) and defaults (τ 10, β 1, θ 0, step 0.1); the step parameter is
//! called `span` here (SC-NeuroCore: `dt`).
//!
//! **Paper facts tested.** The closed-form relaxation r(t) = σ + (r₀ − σ)e^(−t/τ) (spec §15.8:
//! r = 0.0049751 after one step and 0.316060 after t = τ at I = 0, both recomputed in the test),
//! the relaxation time constant τ (an independent RK4 integration of the equation), and the
//! fixed point σ(β(I − θ)).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`SigmoidRateNeuron`].
    pub struct SigmoidRateParams {
        /// Relaxation time constant, τ [ms].
        tau: f64 = 10.0,
        /// Logistic gain, β [1].
        beta: f64 = 1.0,
        /// Logistic threshold, θ [1].
        theta: f64 = 0.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
    }
}

impl SigmoidRateParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::finite("beta", self.beta)?;
        check::finite("theta", self.theta)?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`SigmoidRateNeuron`].
    pub struct SigmoidRateState {
        /// Rate, r [1] (in [0, 1]).
        r: f64 => SigmoidRateR,
    }
}

/// Constants of [`SigmoidRateNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct SigmoidRateConsts {
    decay: f64,
    beta: f64,
    theta: f64,
}

/// One exact step with input `current`; returns r.
#[inline(always)]
pub fn sigmoid_rate_step(k: &SigmoidRateConsts, s: &mut SigmoidRateState, current: f64) -> f64 {
    let target = sigmoid(k.beta * (current - k.theta));
    s.r = target + (s.r - target) * k.decay;
    s.r
}

standalone! {
/// First-order relaxation to a logistic function of the input (Wilson & Cowan 1972).
pub struct SigmoidRateNeuron;
}

impl SigmoidRateNeuron {
    /// Advance one step (`span`) with input `current`; returns the rate r.
    pub fn step(&mut self, current: f64) -> f64 {
        self.step_or_none([current])
    }
}

impl Model for SigmoidRateNeuron {
    const NAME: &'static str = "SigmoidRateNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str = "Rate relaxing to a logistic of its input (value output r)";
    const REFERENCE: &'static str =
        "Wilson & Cowan 1972, Biophys J 12:1, doi:10.1016/S0006-3495(72)86068-5";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = SigmoidRateParams;
    type State = SigmoidRateState;
    type Consts = SigmoidRateConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &SigmoidRateParams) -> SigmoidRateState {
        SigmoidRateState { r: 0.0 }
    }
    fn standalone_span(p: &SigmoidRateParams) -> f64 {
        p.span
    }
    fn prepare(p: &SigmoidRateParams, span: f64) -> SigmoidRateConsts {
        SigmoidRateConsts {
            decay: (-span / p.tau).exp(),
            beta: p.beta,
            theta: p.theta,
        }
    }
    #[inline(always)]
    fn update(
        k: &SigmoidRateConsts,
        s: &mut SigmoidRateState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        sigmoid_rate_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    #[test]
    fn closed_form_relaxation_at_zero_input() {
        // Spec §15.8: r(t) = σ(0)(1 − e^(−t/τ)) from r₀ = 0; σ(0) = 1/2.
        let mut n = SigmoidRateNeuron::new();
        let r1 = n.step(0.0);
        let want1 = 0.5 * (1.0 - (-0.1f64 / 10.0).exp());
        assert!(
            (r1 - want1).abs() < 1e-15 && (r1 - 0.0049751).abs() < 1e-7,
            "{r1}"
        );
        let r100 = (1..100).map(|_| n.step(0.0)).last().unwrap();
        let want = 0.5 * (1.0 - (-1.0f64).exp());
        assert!(
            (r100 - want).abs() < 1e-12 && (r100 - 0.316060).abs() < 1e-6,
            "{r100}"
        );
    }

    #[test]
    fn agrees_with_an_independent_integration_and_relaxes_with_tau() {
        // τ dr/dt = −r + 1/(1 + e^(−β(I − θ))) with β = 2, θ = 1, I = 1.7, τ = 10, from r = 0.
        let p = SigmoidRateParams {
            beta: 2.0,
            theta: 1.0,
            ..Default::default()
        };
        let (i, tau): (f64, f64) = (1.7, 10.0);
        let f =
            move |_t: f64, y: &[f64]| vec![(-y[0] + 1.0 / (1.0 + (-2.0 * (i - 1.0)).exp())) / tau];
        let reference = Reference::rk4(0.01, f).trace(&[0.0], 50.0, 0, 100);
        let mut n = SigmoidRateNeuron::with_params(p).unwrap();
        let mut mine = vec![n.state().r];
        for k in 1..=500 {
            let r = n.step(i);
            if k % 10 == 0 {
                mine.push(r);
            }
        }
        for (a, b) in mine.iter().zip(&reference) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        // Fixed point σ(β(I − θ)) and the e-folding time τ: after one τ, (σ − r)/σ = e^(−1).
        let target = 1.0 / (1.0 + (-1.4f64).exp());
        let r_tau = reference[10];
        assert!(((target - r_tau) / target - (-1.0f64).exp()).abs() < 1e-9);
    }
}
