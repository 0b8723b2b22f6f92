//! `McKeanNeuron` — McKean's (1970) piecewise-linear caricature of the FitzHugh–Nagumo model,
//! space-clamped.
//!
//! **Equations.** dv/dt = −λv + μH(v − a) − w + I, dw/dt = b v, with the Heaviside step H
//! right-continuous (H(0) = 1). No reset: the step returns `true` when v crosses the switching
//! level a upward (the start of an excursion to the upper branch).
//!
//! **Numerics.** Event-exact. On either side of v = a the system is linear with the same
//! matrix A = [[−λ, −1], [b, 0]] and the fixed point (0, μH + I), so the exact flow is
//! (v, w) ← (0, μH + I) + e^{At}((v, w) − (0, μH + I)), e^{At} in closed form (real, repeated
//! or complex eigenvalues). Inside each substep (at most `dt`, and at most a quarter of the
//! oscillation period if the eigenvalues are complex, so v has at most one extremum in it) the
//! switching time is located (sign change at the end or beyond the extremum, then bisection on
//! the closed-form v(t) to machine precision); the flow stops there, H switches and the flow
//! restarts. The result does not depend on the step length (tested). A standalone step spans
//! `dt` = 0.1.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond and I is the value
//! of the `current` port.
//!
//! **Reference.** McKean, H.P. (1970) "Nagumo's equation", Adv. Math. 4:209–223,
//! doi:10.1016/0001-8708(70)90023-X; the same two-parameter (a, b) system with recovery
//! dw/dt = b v is Rinzel, J. & Keller, J.B. (1973) "Traveling wave solutions of a nerve
//! conduction equation", Biophys. J. 13:1313–1337, doi:10.1016/S0006-3495(73)86065-5;
//! SC-NeuroCore cites Tonnelier, A. (2003) "The McKean's caricature of the FitzHugh–Nagumo
//! model I. The space-clamped system", SIAM J. Appl. Math. 63:459–484, for the λ, μ form.
//!
//! **Relation to SC-NeuroCore** (spec §7). Same interface (`step(current=0)`, event on the
//! upward crossing of a), state (`v`, `w` from 0), defaults (a 0.25, λ 1, μ 1, b 0.01,
//! dt 0.1) and equations. Differences: (a) the flow is event-exact instead of RK4 straight
//! across the discontinuity (first order on switching steps, with event times off by a step);
//! (b) dt > 1 is allowed (the flow is exact for any step) and the |v|, |w| ≤ 10⁶ envelope is not
//! enforced (only non-finite results are refused). The recovery law dw/dt = b v (no decay of
//! w) is kept: it is McKean's and Rinzel & Keller's. Tonnelier's SIAM paper could not be
//! consulted; his own summary (Tonnelier, A. (2007) "McKean model", Scholarpedia 2(4):2795,
//! doi:10.4249/scholarpedia.2795) writes dv/dt = f(v) − w + I, dw/dt = b(v − c·w) with
//! f(v) = −v + H(v − a), 0 < a < 1: the form here with λ = μ = 1 and c = 0 (λ, μ are
//! SC-NeuroCore's generalisation; c > 0 would add a decay of w). Consequence (spec §7.7a): for constant I the only equilibrium (0, I) is stable
//! (trace −λ, determinant b), so a DC current gives one excursion, never repetitive firing.
//!
//! **Paper facts tested** (analytic for the stated system, spec §7.8). At I = 0 the rest state
//! (0, 0) is a stable node with eigenvalues (−λ ± √(λ² − 4b))/2 = −0.0101 and −0.9899, and a
//! displaced state relaxes exactly as their two exponentials; with w = 0 a state v₀ ≥ a runs to
//! the upper branch v → μ/λ − w while v₀ < a decays back to 0 (threshold a); a 0.1-unit current
//! pulse fires iff its amplitude exceeds ≈ a/(1 − e^{−0.1λ}) = 2.63; a DC current of 0.5 gives
//! exactly one excursion.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`McKeanNeuron`].
    pub struct McKeanParams {
        /// Switching threshold of the Heaviside step, a [1].
        a: f64 = 0.25,
        /// Leak slope of both linear branches, λ [1/time unit].
        lambda_: f64 = 1.0,
        /// Jump height of the nonlinearity, μ [1/time unit].
        mu: f64 = 1.0,
        /// Recovery rate, b [1/time unit²].
        b: f64 = 0.01,
        /// Time spanned by one standalone `step()`, and the largest substep, dt [time units; ms in a network].
        dt: f64 = 0.1,
    }
}

impl McKeanParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("a", self.a)?;
        check::positive("lambda_", self.lambda_)?;
        check::positive("mu", self.mu)?;
        check::positive("b", self.b)?;
        check::positive("dt", self.dt)?;
        check::less("lambda_·a", self.lambda_ * self.a, "mu", self.mu)
    }
}

neuron_state! {
    /// State of [`McKeanNeuron`].
    pub struct McKeanState {
        /// Fast, voltage-like variable, v [1].
        v: f64 => McKeanV,
        /// Recovery variable, w [1].
        w: f64 => McKeanW,
    }
}

/// e^{At} = e^{σt}[c0·1 + c1·(A − σ1)] for a 2×2 matrix with half-trace σ and discriminant
/// D = σ² − det: returns (e^{σt}·c0, e^{σt}·c1), with c0 = cosh(√D t), c1 = sinh(√D t)/√D
/// (cos / sin for D < 0, series near D t² = 0).
#[inline]
fn expm_coeffs(sigma: f64, disc: f64, t: f64) -> (f64, f64) {
    let z = disc * t * t;
    let (c0, s) = if z.abs() < 1e-8 {
        (1.0 + 0.5 * z, 1.0 + z / 6.0)
    } else if z > 0.0 {
        let r = z.sqrt();
        (r.cosh(), r.sinh() / r)
    } else {
        let r = (-z).sqrt();
        (r.cos(), r.sin() / r)
    };
    let e = (sigma * t).exp();
    (e * c0, e * s * t)
}

/// Constants of [`McKeanNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct McKeanConsts {
    p: McKeanParams,
    n: u32,
    h: f64,
    sigma: f64,
    disc: f64,
    /// Propagator e^{Ah} of a whole substep, row-major.
    prop: [f64; 4],
}

impl McKeanConsts {
    /// e^{At} as a row-major matrix.
    #[inline]
    fn expm(&self, t: f64) -> [f64; 4] {
        let (c0, c1) = expm_coeffs(self.sigma, self.disc, t);
        let l = self.p.lambda_;
        // A − σ1 with σ = −λ/2: [[−λ/2, −1], [b, λ/2]].
        [c0 - 0.5 * l * c1, -c1, self.p.b * c1, c0 + 0.5 * l * c1]
    }

    /// The deviation (dv, dw) from the fixed point after time `t` (whole substep: cached).
    #[inline]
    fn flow(&self, m: &[f64; 4], d: (f64, f64)) -> (f64, f64) {
        (m[0] * d.0 + m[1] * d.1, m[2] * d.0 + m[3] * d.1)
    }

    /// dv/dt of a deviation (the fixed point has v = 0, w = w*).
    #[inline]
    fn slope(&self, d: (f64, f64)) -> f64 {
        -self.p.lambda_ * d.0 - d.1
    }
}

/// Advance (v, w) by `t` on one side (fixed point (0, ws)), exactly.
#[inline]
fn advance(k: &McKeanConsts, v: f64, w: f64, ws: f64, t: f64, whole: bool) -> (f64, f64) {
    let m = if whole { k.prop } else { k.expm(t) };
    let (dv, dw) = k.flow(&m, (v, w - ws));
    (dv, ws + dw)
}

/// One step: `k.n` substeps, each integrated exactly with every switch of H located.
/// Returns `true` if v crossed a upward in the step.
pub fn mckean_step(k: &McKeanConsts, s: &mut McKeanState, i: f64) -> bool {
    let p = &k.p;
    let mut event = false;
    for _ in 0..k.n {
        let mut upper = s.v >= p.a;
        let mut left = k.h;
        let mut whole = true;
        let mut done = false;
        // Each pass either finishes the substep or stops at a switch of H; a bounded number of
        // switches per substep (one is the norm) guards against round-off ping-pong at v = a.
        for _ in 0..8 {
            let ws = if upper { p.mu + i } else { i };
            let (v0, w0) = (s.v, s.w);
            let (v1, w1) = advance(k, v0, w0, ws, left, whole);
            // Side of a: lower side crosses if v reaches a, upper side if v drops below a.
            let beyond = |v: f64| if upper { v < p.a } else { v >= p.a };
            let mut t_hi = None;
            if beyond(v1) {
                t_hi = Some(left);
            } else {
                // An extremum inside the interval may reach a and come back.
                let s0 = k.slope((v0, w0 - ws));
                let s1 = k.slope((v1, w1 - ws));
                let towards = if upper { s0 < 0.0 } else { s0 > 0.0 };
                if towards && s0 * s1 < 0.0 {
                    let (mut lo, mut hi) = (0.0, left);
                    for _ in 0..80 {
                        let mid = 0.5 * (lo + hi);
                        let (dv, dw) = k.flow(&k.expm(mid), (v0, w0 - ws));
                        if k.slope((dv, dw)) * s0 > 0.0 {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    let (ve, _) = advance(k, v0, w0, ws, hi, false);
                    if beyond(ve) {
                        t_hi = Some(hi);
                    }
                }
            }
            match t_hi {
                None => {
                    s.v = v1;
                    s.w = w1;
                    done = true;
                    break;
                }
                Some(t1) => {
                    // Bisection for the first time v(t) = a in (0, t1].
                    let (mut lo, mut hi) = (0.0, t1);
                    for _ in 0..80 {
                        let mid = 0.5 * (lo + hi);
                        let (vm, _) = advance(k, v0, w0, ws, mid, false);
                        if beyond(vm) {
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                    let (_, wc) = advance(k, v0, w0, ws, hi, false);
                    s.v = p.a;
                    s.w = wc;
                    if !upper {
                        event = true;
                    }
                    upper = !upper;
                    left -= hi;
                    whole = false;
                    if left <= 0.0 {
                        done = true;
                        break;
                    }
                }
            }
        }
        if !done {
            // Switch budget spent (v pinned at a by round-off): finish on the current side.
            let ws = if upper { p.mu + i } else { i };
            (s.v, s.w) = advance(k, s.v, s.w, ws, left, false);
        }
    }
    event
}

standalone! {
/// McKean's piecewise-linear caricature of FitzHugh–Nagumo (McKean 1970).
pub struct McKeanNeuron;
}

impl McKeanNeuron {
    /// Advance one step (0.1 time units by default) with drive `current` [1]; `true` if v
    /// crossed the switching level a upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for McKeanNeuron {
    const NAME: &'static str = "McKeanNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "McKean piecewise-linear FitzHugh-Nagumo caricature (event-exact flow)";
    const REFERENCE: &'static str = "McKean 1970, Adv Math 4:209, doi:10.1016/0001-8708(70)90023-X; Rinzel & Keller 1973, Biophys J 13:1313";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = McKeanParams;
    type State = McKeanState;
    type Consts = McKeanConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &McKeanParams) -> McKeanState {
        McKeanState { v: 0.0, w: 0.0 }
    }
    fn standalone_span(p: &McKeanParams) -> f64 {
        p.dt
    }
    fn prepare(p: &McKeanParams, span: f64) -> McKeanConsts {
        let sigma = -0.5 * p.lambda_;
        let disc = sigma * sigma - p.b;
        // With complex eigenvalues keep a substep within a quarter period (one extremum of v).
        let h_max = if disc < 0.0 {
            p.dt.min(0.5 * std::f64::consts::PI / (-disc).sqrt())
        } else {
            p.dt
        };
        let (n, h) = substeps(span, h_max);
        let mut k = McKeanConsts {
            p: p.clone(),
            n,
            h,
            sigma,
            disc,
            prop: [0.0; 4],
        };
        k.prop = k.expm(h);
        k
    }
    #[inline(always)]
    fn update(
        k: &McKeanConsts,
        s: &mut McKeanState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        mckean_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_is_a_stable_node_and_relaxation_is_exact() {
        // Eigenvalues (−1 ± √0.96)/2 = −0.010102, −0.989898 (spec §7.8).
        let (l1, l2) = ((-1.0 + 0.96f64.sqrt()) / 2.0, (-1.0 - 0.96f64.sqrt()) / 2.0);
        assert!((l1 + 0.0101).abs() < 1e-4 && (l2 + 0.9899).abs() < 1e-4);
        // From (v0, 0) below a: v(t) = α e^{l1 t} + β e^{l2 t} with α + β = v0 and
        // α l1 + β l2 = v'(0) = −v0 (eigen-decomposition written here).
        let v0 = 0.2;
        let beta = (-v0 - l1 * v0) / (l2 - l1);
        let alpha = v0 - beta;
        let mut n = McKeanNeuron::new();
        *n.state_mut() = McKeanState { v: v0, w: 0.0 };
        for k in 1..=100 {
            assert!(!n.step(0.0));
            let t = k as f64 * 0.1;
            let exact = alpha * (l1 * t).exp() + beta * (l2 * t).exp();
            assert!(
                (n.state().v - exact).abs() < 1e-12,
                "t = {t}: {} vs {exact}",
                n.state().v
            );
        }
    }

    #[test]
    fn threshold_of_excitation_is_a() {
        // w = 0: v0 ≥ a runs up towards μ/λ − w = 1; v0 < a decays to 0.
        let run = |v0: f64| {
            let mut n = McKeanNeuron::new();
            *n.state_mut() = McKeanState { v: v0, w: 0.0 };
            (0..300)
                .map(|_| {
                    n.step(0.0);
                    n.state().v
                })
                .fold(f64::MIN, f64::max)
        };
        assert!(run(0.26) > 0.9);
        assert!(run(0.24) <= 0.24);
    }

    #[test]
    fn pulse_threshold() {
        // A 0.1-unit pulse from rest lifts v to ≈ I(1 − e^{−0.1}) (w stays ≈ 0): it fires iff
        // I > a/(1 − e^{−0.1}) = 2.627.
        let fires = |i: f64| {
            let mut n = McKeanNeuron::new();
            let first = n.step(i);
            first || (0..200).any(|_| n.step(0.0))
        };
        let threshold = 0.25 / (1.0 - (-0.1f64).exp());
        assert!((threshold - 2.627).abs() < 1e-3);
        assert!(!fires(threshold * 0.99) && fires(threshold * 1.01));
    }

    #[test]
    fn dc_current_gives_a_single_excursion() {
        // dw/dt = b v: the only equilibrium (0, I) is stable, so firing does not repeat.
        let mut n = McKeanNeuron::new();
        let events = (0..50_000).filter(|_| n.step(0.5)).count();
        assert_eq!(events, 1);
        assert!(
            n.state().v.abs() < 1e-3 && (n.state().w - 0.5).abs() < 1e-2,
            "{:?}",
            n.state()
        );
    }

    #[test]
    fn the_flow_does_not_depend_on_the_step() {
        // Up and down switches inside one long step land where short steps do.
        // One substep of 150 units (dt = 150) against 15 000 steps of 0.01.
        let p = McKeanParams {
            dt: 150.0,
            ..Default::default()
        };
        let mut long = McKeanNeuron::with_params(p.clone()).unwrap();
        let mut short = McKeanNeuron::with_span(p, 0.01).unwrap();
        assert!(long.step(0.5));
        let events = (0..15_000).filter(|_| short.step(0.5)).count();
        assert_eq!(events, 1);
        let (a, b) = (long.state(), short.state());
        assert!(
            (a.v - b.v).abs() < 1e-10 && (a.w - b.w).abs() < 1e-10,
            "{a:?} vs {b:?}"
        );
    }
}
