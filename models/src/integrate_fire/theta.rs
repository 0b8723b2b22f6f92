//! `ThetaNeuron` — the Ermentrout–Kopell theta neuron (canonical type-I model on the circle),
//! advanced by its exact flow.
//!
//! **Equations.** dθ/dt = (1 − cos θ) + (1 + cos θ)·I. A spike is the passage of θ through π
//! (where dθ/dt = 2 > 0 whatever I, so every passage is upward); θ is not reset, it keeps
//! rotating, and is stored wrapped to [−π, π).
//!
//! **Numerics.** Exact for input held constant over the step, computed in θ-space without the
//! singular substitution y = tan(θ/2): with p = sin(θ/2), q = cos(θ/2) the flow is linear,
//! dp/dt = I·q, dq/dt = −p, and θ = 2·atan2(p, q); a spike is a zero of q.
//! * I > 0 (r = √I): (q, p/r) rotates at angular speed r; with ψ = atan2(p/r, q) the spikes
//!   are the passages of ψ through π/2 (mod π), so the step spikes iff ψ + r·h ≥ π/2 for
//!   ψ ∈ [−π/2, π/2).
//! * I < 0 (r = √−I): a = q + p/r decays as e^(−rt), b = q − p/r grows as e^(rt); q vanishes once,
//!   at e^(2rt) = −a/b, if that time lies in (0, h].
//! * I = 0: p is constant, q = q₀ − p·t.
//!
//! A step is the parameter `dt` (0.01 time units, SC-NeuroCore's step); in a network one time
//! unit is one millisecond. At most one spike is reported per step (two need √I·dt ≥ π).
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Ermentrout, G.B. & Kopell, N. (1986) "Parabolic bursting in an excitable
//! system coupled with a slow oscillation", SIAM J. Appl. Math. 46(2):233–253,
//! doi:10.1137/0146017; Ermentrout, G.B. (1996) Neural Comput. 8:979–1001,
//! doi:10.1162/neco.1996.8.5.979.
//!
//! **Relation to SC-NeuroCore** (spec §2). Same interface (`step(current)`, state `theta`,
//! initial 0, dt 0.01) and the same exact dynamics. Difference: SC-NeuroCore maps θ to
//! y = tan(θ/2), advances the quadratic integrate-and-fire closed forms and maps back, which is
//! singular at θ = ±π (it relies on tan(−π/2) being a huge finite double and on ad-hoc
//! tolerances); here the flow is computed in the homogeneous coordinates (sin θ/2, cos θ/2),
//! which have no singularity, so every θ (including −π) is handled by the same formula.
//!
//! **Paper facts tested.** For I > 0 the period is π/√I, the rate √I/π (Ermentrout & Kopell
//! 1986; Ermentrout 1996): started at θ = 0, the number of spikes after time t is
//! ⌊(π/2 + t√I)/π⌋ exactly. For I < 0 the neuron rests at θ* = −2·atan√−I and never fires.

use neurocore_engine::prelude::*;
use std::f64::consts::{FRAC_PI_2, PI, TAU};

params! {
    /// Parameters of [`ThetaNeuron`].
    pub struct ThetaParams {
        /// Time spanned by one standalone `step()`, dt [time units; ms in a network].
        dt: f64 = 0.01,
    }
}

impl ThetaParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`ThetaNeuron`].
    pub struct ThetaState {
        /// Phase, θ ∈ [−π, π) [rad].
        theta: f64 => ThetaTheta,
    }
}

/// Constants of [`ThetaNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ThetaConsts {
    h: f64,
}

/// θ wrapped to [−π, π).
#[inline(always)]
pub fn wrap_phase(theta: f64) -> f64 {
    let w = (theta + PI).rem_euclid(TAU) - PI;
    if w >= PI { w - TAU } else { w }
}

/// One exact step of length `h` with input `i`; `true` if θ passed π during the step.
#[inline(always)]
pub fn theta_step(h: f64, s: &mut ThetaState, i: f64) -> bool {
    // Half-angle in [−π/2, π/2): q = cos ≥ 0.
    let (p, q) = (0.5 * wrap_phase(s.theta)).sin_cos();
    let (spiked, p1, q1) = if i > 0.0 {
        let r = i.sqrt();
        let psi0 = (p / r).atan2(q);
        let psi1 = psi0 + r * h;
        let spiked = psi1 >= FRAC_PI_2;
        // (q, p) and (−q, −p) are the same θ: reduce ψ by whole half-turns.
        let psi = psi1 - PI * ((psi1 + FRAC_PI_2) / PI).floor();
        let (sn, cs) = psi.sin_cos();
        (spiked, r * sn, cs)
    } else if i < 0.0 {
        let r = (-i).sqrt();
        let a = q + p / r;
        let b = q - p / r;
        let e2 = (-2.0 * r * h).exp();
        // q(t) ∝ a·e^(−2rt) + b vanishes at e^(2rt) = −a/b.
        let ratio = -a / b;
        let spiked = b != 0.0 && ratio > 1.0 && ratio * e2 <= 1.0;
        // Both components scaled by e^(−rh) > 0, which leaves θ unchanged.
        let (a1, b1) = (a * e2, b);
        (spiked, 0.5 * r * (a1 - b1), 0.5 * (a1 + b1))
    } else {
        let q1 = q - p * h;
        (p > 0.0 && q > 0.0 && q1 <= 0.0, p, q1)
    };
    s.theta = wrap_phase(2.0 * p1.atan2(q1));
    spiked
}

standalone! {
/// Ermentrout–Kopell theta neuron (exact flow on the circle).
pub struct ThetaNeuron;
}

impl ThetaNeuron {
    /// Advance one step (`dt`, 0.01 time units by default) with input `current` [1]; `true`
    /// when θ passes π. A non-finite current is refused: the state is kept, no spike returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ThetaNeuron {
    const NAME: &'static str = "ThetaNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Ermentrout-Kopell theta neuron, exact flow on the circle";
    const REFERENCE: &'static str =
        "Ermentrout & Kopell 1986, SIAM J Appl Math 46:233, doi:10.1137/0146017";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ThetaParams;
    type State = ThetaState;
    type Consts = ThetaConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ThetaParams) -> ThetaState {
        ThetaState { theta: 0.0 }
    }
    fn standalone_span(p: &ThetaParams) -> f64 {
        p.dt
    }
    fn prepare(_: &ThetaParams, h: f64) -> ThetaConsts {
        ThetaConsts { h }
    }
    #[inline(always)]
    fn update(k: &ThetaConsts, s: &mut ThetaState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        theta_step(k.h, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_is_pi_over_sqrt_i() {
        // Ermentrout & Kopell 1986: T = π/√I. From θ = 0 (half-way, in time, from −π to π) the
        // spike count after t is ⌊(π/2 + t√I)/π⌋; check it after every step.
        for (i, dt) in [(1.0, 0.01), (0.3, 0.01), (17.0, 0.001), (1.0, 0.37)] {
            let p = ThetaParams { dt };
            let mut n = ThetaNeuron::with_params(p).unwrap();
            let mut count = 0u64;
            for k in 1..=200_000u64 {
                if n.step(i) {
                    count += 1;
                }
                let t = k as f64 * dt;
                let expected = ((FRAC_PI_2 + t * f64::sqrt(i)) / PI).floor() as u64;
                // Exactly, except within rounding of a spike landing on a step boundary.
                let frac = ((FRAC_PI_2 + t * f64::sqrt(i)) / PI).fract();
                if frac > 1e-9 && frac < 1.0 - 1e-9 {
                    assert_eq!(count, expected, "I = {i}, dt = {dt}, step {k}");
                }
            }
        }
        // Defaults, I = 1: period π = 314.16 steps; the rate is √I/π per time unit.
        let mut n = ThetaNeuron::new();
        let spikes = (0..1_000_000).filter(|_| n.step(1.0)).count();
        assert_eq!(spikes, ((FRAC_PI_2 + 10_000.0) / PI).floor() as usize);
    }

    #[test]
    fn negative_input_rests_at_the_stable_phase() {
        // I < 0: stable fixed point θ* = −2·atan(√−I); no spikes.
        for i in [-0.25, -4.0] {
            let mut n = ThetaNeuron::new();
            assert!((0..100_000).all(|_| !n.step(i)));
            let expected = -2.0 * f64::sqrt(-i).atan();
            assert!(
                (n.state().theta - expected).abs() < 1e-12,
                "{}",
                n.state().theta
            );
        }
        // Started just past the unstable point +2·atan√−I it rotates once through π and stops.
        let mut n = ThetaNeuron::new();
        n.state_mut().theta = 2.0 * 0.5f64.atan() + 1e-3;
        assert_eq!((0..100_000).filter(|_| n.step(-0.25)).count(), 1);
    }

    #[test]
    fn zero_input_creeps_to_the_saddle_node() {
        // I = 0: dθ/dt = 1 − cos θ; from θ = 0 nothing moves, from θ = 1 it passes π once and
        // creeps back toward 0 from below (the saddle-node at θ = 0).
        let mut n = ThetaNeuron::new();
        assert!((0..1000).all(|_| !n.step(0.0)));
        assert_eq!(n.state().theta, 0.0);
        n.state_mut().theta = 1.0;
        assert_eq!((0..1_000_000).filter(|_| n.step(0.0)).count(), 1);
        assert!(n.state().theta < 0.0 && n.state().theta > -1e-2);
    }

    #[test]
    fn phase_is_wrapped_and_minus_pi_is_regular() {
        let mut n = ThetaNeuron::new();
        n.state_mut().theta = -PI;
        // From −π (just after a spike) with I = 1 the next spike is a full period π later.
        let first = (1..=1000).find(|_| n.step(1.0)).unwrap();
        assert_eq!(first, 315);
        assert!(n.state().theta >= -PI && n.state().theta < PI);
        assert_eq!(wrap_phase(PI), -PI);
        assert!((wrap_phase(3.0 * PI + 0.5) - (-PI + 0.5)).abs() < 1e-12);
    }
}
