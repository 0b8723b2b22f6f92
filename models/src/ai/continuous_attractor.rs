//! `ContinuousAttractorNeuron` — a ring of rate units with Gaussian-minus-constant recurrent
//! weights and a saturating activation, which holds a localised bump of activity after the cue
//! that placed it is gone.
//!
//! **What it is.** SC-NeuroCore's own design (an "AI-optimised" model, spec §33), not a model
//! from a paper: it is written in the style of ring attractors (Amari 1977, Biol. Cybern.
//! 27:77, doi:10.1007/BF00337259; Zhang 1996, J. Neurosci. 16:2112,
//! doi:10.1523/JNEUROSCI.16-06-02112.1996), but its weights, activation and constants are
//! SC-NeuroCore's, and SC-NeuroCore's description is the only authority for them.
//!
//! **How the field maps onto entities.** One neuron of this model (one entity in a network) is
//! the *whole ring*: its state is the 16 rate units u_0 … u_15. The `current`
//! port is one scalar added equally to every unit, so a network can excite or inhibit the ring
//! as a whole but cannot place a bump; the bump's position (the stored "memory") is set by the
//! state — a cue is a state change, e.g. `state_mut().u_5 = 3.0`, or an initial value in a
//! scene. The output is a spike-like flag, 1 while max(u) > 1 (a bump or a uniformly raised
//! ring), so downstream neurons see "activity present", not its position;
//! [`ContinuousAttractorNeuron::bump_position`] reads the position in standalone use.
//!
//! **Equations.** d_ij = min(|i − j|, n − |i − j|); W_ij = A·e^{−d_ij²/(2σ_e²)} − B (i = j
//! included); f(x) = x₊²/(1 + x₊²), x₊ = max(0, x); τ du_i/dt = −u_i + Σ_j W_ij f(u_j) + I, all
//! units at once. Output: [max_i u_i > 1] after the update.
//!
//! **Numerics.** Forward Euler, as SC-NeuroCore, in substeps of at most `substep` (1 ms, its
//! dt), the output condition tested after every substep (1 if it held after any); a standalone
//! step spans `span` = 1 ms.
//!
//! **State.** `u`: the 16 units, one state variable of type [`RingUnits`] (a model's state has at
//! most 15 scalar variables, so the units cannot each be one). As a number — `get_state()`,
//! recorders, a network's `state()` — it reads as max(u); a scene's initial value x sets the
//! uniform ring u_i = x. In Rust the units are `state().u.0`.
//!
//! **Units.** Dimensionless u and input; time in ms.
//!
//! **Reference.** None for the model itself: SC-NeuroCore's `ContinuousAttractorNeuron`
//! (ai_optimized.py), spec `shared/models/stochastic_rate_ai.md` §33.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → 0/1, `bump_position()`),
//! parameters, defaults and map at the default step; the activation is applied to each u_j
//! before weighting, as its code does (its docstring writes f outside the sum). Differences:
//! `n_units` must be 16 (the units are a fixed-size state value); `get_state()` reports u as
//! max(u) (see **State**); `dt` is split into `span` (the step) and `substep`.
//!
//! **Facts tested** (re-derived in the tests). Weight row sum A·Σ_d e^{−d²/2} − 16B = 2.02651;
//! from u = 0 with I = 0 nothing happens (f(0) = 0); the bump seeded by the cue (2, 3, 2) at
//! units 4–6 is held with I = 0 at the fixed point of u = W f(u) found independently by
//! Newton's method (peak 6.425 at unit 5, positive at 2–8, floor −3.35; spec §33.8), at every
//! one of the 16 positions (translation invariance); without recurrence (A = B = 0) the cue
//! decays as e^{−t/τ} instead (Euler: 0.9ⁿ).

use neurocore_engine::model::StateScalar;
use neurocore_engine::prelude::*;

/// Largest ring size.
pub const MAX_UNITS: usize = 16;

params! {
    /// Parameters of [`ContinuousAttractorNeuron`].
    pub struct ContinuousAttractorParams {
        /// Number of units on the ring, n (only 16, SC-NeuroCore's default, is supported) [1].
        n_units: u32 = 16,
        /// Time constant of the units, τ [ms].
        tau: f64 = 10.0,
        /// Width of the excitatory Gaussian, σ_e [units].
        sigma_e: f64 = 1.0,
        /// Peak of the excitatory Gaussian, A [1].
        excitation: f64 = 4.0,
        /// Uniform inhibition subtracted from every weight, B [1].
        inhibition: f64 = 0.5,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal Euler step [ms].
        substep: f64 = 1.0,
    }
}

impl ContinuousAttractorParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("n_units", self.n_units as f64, 16.0, 16.0)?;
        check::positive("tau", self.tau)?;
        check::positive("sigma_e", self.sigma_e)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)?;
        check::less("substep", self.substep, "tau", self.tau * (1.0 + 1e-12))
    }
}

/// The ring's units u_0 … u_15: SC-NeuroCore's vector `u`, stored as one state variable.
///
/// A model's state has at most 15 scalar variables, so the 16 units are one value of this type.
/// As a number (`get_state()`, recorders) it reads as max(u), the quantity the output tests;
/// set from a number x (a scene's initial value) it is the uniform ring u_i = x. The units
/// themselves are `state().u.0` in Rust.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RingUnits(pub [f64; MAX_UNITS]);

impl StateScalar for RingUnits {
    fn to_f64(self) -> f64 {
        self.0.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }
    fn from_f64(x: f64) -> Self {
        RingUnits([x; MAX_UNITS])
    }
    const WORDS: usize = MAX_UNITS;
    fn put_words(self, out: &mut Vec<u64>) {
        out.extend(self.0.iter().map(|x| x.to_bits()));
    }
    fn from_words(w: &[u64]) -> Self {
        let mut a = [0.0; MAX_UNITS];
        for (x, b) in a.iter_mut().zip(w) {
            *x = f64::from_bits(*b);
        }
        RingUnits(a)
    }
}

neuron_state! {
    /// State of [`ContinuousAttractorNeuron`].
    pub struct ContinuousAttractorState {
        /// The ring's units u_0 … u_15 (as a number: max(u)) [1].
        u: RingUnits => CanU,
    }
}

/// Constants of [`ContinuousAttractorNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ContinuousAttractorConsts {
    /// Substeps per step.
    n: u32,
    /// Units on the ring.
    units: usize,
    /// h/τ.
    k: f64,
    /// Weights W_ij (zero outside the ring).
    w: [[f64; MAX_UNITS]; MAX_UNITS],
}

/// The saturating activation x₊²/(1 + x₊²).
#[inline(always)]
pub fn activation(x: f64) -> f64 {
    let p = x.max(0.0);
    let p2 = p * p;
    p2 / (1.0 + p2)
}

/// The ring's weights W_ij = A e^{−d²/(2σ²)} − B, d the ring distance (zero outside the ring).
pub fn ring_weights(p: &ContinuousAttractorParams) -> [[f64; MAX_UNITS]; MAX_UNITS] {
    let n = (p.n_units as usize).clamp(1, MAX_UNITS);
    let mut w = [[0.0; MAX_UNITS]; MAX_UNITS];
    for (i, row) in w.iter_mut().enumerate().take(n) {
        for (j, x) in row.iter_mut().enumerate().take(n) {
            let a = i.abs_diff(j);
            let d = a.min(n - a) as f64;
            *x = p.excitation * (-d * d / (2.0 * p.sigma_e * p.sigma_e)).exp() - p.inhibition;
        }
    }
    w
}

/// One step: `k.n` Euler substeps of the whole ring; 1 if max(u) > 1 after any of them.
#[inline(always)]
pub fn continuous_attractor_step(
    k: &ContinuousAttractorConsts,
    s: &mut ContinuousAttractorState,
    i: f64,
) -> bool {
    let mut u = s.u.0;
    let mut on = false;
    for _ in 0..k.n {
        let f = u.map(activation);
        let mut next = [0.0; MAX_UNITS];
        for (a, row) in k.w.iter().enumerate().take(k.units) {
            let drive: f64 = row.iter().zip(&f).map(|(w, f)| w * f).sum();
            next[a] = u[a] + k.k * (drive + i - u[a]);
        }
        u = next;
        on |= u[..k.units].iter().any(|&x| x > 1.0);
    }
    s.u = RingUnits(u);
    on
}

standalone! {
/// SC-NeuroCore's ring attractor of rate units holding an activity bump (its own design).
pub struct ContinuousAttractorNeuron;
}

impl ContinuousAttractorNeuron {
    /// Advance one step (1 ms by default) with `current` [1] added to every unit; `true` while
    /// some unit exceeds 1.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// The index of the most active unit (the first on ties) [unit].
    pub fn bump_position(&self) -> usize {
        let n = (self.params().n_units as usize).clamp(1, MAX_UNITS);
        let u = self.state().u.0;
        let mut best = 0;
        for (j, &x) in u.iter().enumerate().take(n) {
            if x > u[best] {
                best = j;
            }
        }
        best
    }
}

impl Model for ContinuousAttractorNeuron {
    const NAME: &'static str = "ContinuousAttractorNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore invention: 16-unit ring attractor (one entity = one ring), output max(u) > 1";
    const REFERENCE: &'static str = "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §33; in the style of Amari 1977, doi:10.1007/BF00337259";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = ContinuousAttractorParams;
    type State = ContinuousAttractorState;
    type Consts = ContinuousAttractorConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ContinuousAttractorParams) -> ContinuousAttractorState {
        ContinuousAttractorState::default()
    }
    fn standalone_span(p: &ContinuousAttractorParams) -> f64 {
        p.span
    }
    fn prepare(p: &ContinuousAttractorParams, span: f64) -> ContinuousAttractorConsts {
        let (n, h) = substeps(span, p.substep);
        ContinuousAttractorConsts {
            n,
            units: (p.n_units as usize).clamp(1, MAX_UNITS),
            k: h / p.tau,
            w: ring_weights(p),
        }
    }
    #[inline(always)]
    fn update(
        k: &ContinuousAttractorConsts,
        s: &mut ContinuousAttractorState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        continuous_attractor_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // the tests index as the equations do
mod tests {
    use super::*;

    const N: usize = 16;

    /// Weights typed again: 4 e^{−d²/2} − 0.5 on the 16-ring.
    fn weight(i: usize, j: usize) -> f64 {
        let d = (i as i64 - j as i64).rem_euclid(N as i64);
        let d = d.min(N as i64 - d) as f64;
        4.0 * (-d * d / 2.0).exp() - 0.5
    }

    fn f(x: f64) -> f64 {
        if x > 0.0 { x * x / (1.0 + x * x) } else { 0.0 }
    }

    fn df(x: f64) -> f64 {
        if x > 0.0 {
            2.0 * x / ((1.0 + x * x) * (1.0 + x * x))
        } else {
            0.0
        }
    }

    /// Solve −u + W f(u) = 0 by Newton's method from `u`, Gaussian elimination with pivoting.
    fn newton(mut u: Vec<f64>) -> Vec<f64> {
        for _ in 0..100 {
            let r: Vec<f64> = (0..N)
                .map(|i| -u[i] + (0..N).map(|j| weight(i, j) * f(u[j])).sum::<f64>())
                .collect();
            // J = −I + W diag(f′(u)); solve J δ = −r.
            let mut a: Vec<Vec<f64>> = (0..N)
                .map(|i| {
                    let mut row: Vec<f64> = (0..N)
                        .map(|j| weight(i, j) * df(u[j]) - if i == j { 1.0 } else { 0.0 })
                        .collect();
                    row.push(-r[i]);
                    row
                })
                .collect();
            for c in 0..N {
                let p = (c..N)
                    .max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))
                    .unwrap();
                a.swap(c, p);
                for r2 in c + 1..N {
                    let m = a[r2][c] / a[c][c];
                    for k in c..=N {
                        a[r2][k] -= m * a[c][k];
                    }
                }
            }
            let mut d = [0.0; N];
            for c in (0..N).rev() {
                let s: f64 = (c + 1..N).map(|k| a[c][k] * d[k]).sum();
                d[c] = (a[c][N] - s) / a[c][c];
            }
            for i in 0..N {
                u[i] += d[i];
            }
            if d.iter().all(|x| x.abs() < 1e-14) {
                break;
            }
        }
        u
    }

    fn seeded(center: usize) -> ContinuousAttractorNeuron {
        let mut n = ContinuousAttractorNeuron::new();
        let mut u = [0.0; N];
        u[(center + N - 1) % N] = 2.0;
        u[center] = 3.0;
        u[(center + 1) % N] = 2.0;
        n.state_mut().u = RingUnits(u);
        n
    }

    #[test]
    fn weight_row_sum() {
        // 4 (1 + 2 Σ_{d=1..7} e^{−d²/2} + e^{−32}) − 16·0.5 = 2.02651 (spec §33.8).
        let s = 4.0
            * (1.0
                + 2.0 * (1..=7).map(|d| (-(d * d) as f64 / 2.0).exp()).sum::<f64>()
                + (-32.0f64).exp())
            - 8.0;
        assert!((s - 2.026_51).abs() < 1e-5, "{s}");
        let w = ring_weights(&ContinuousAttractorParams::default());
        for (i, row) in w.iter().enumerate() {
            assert!((row.iter().sum::<f64>() - s).abs() < 1e-12);
            for (j, &x) in row.iter().enumerate() {
                assert!((x - weight(i, j)).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn silent_from_rest_without_input() {
        let mut n = ContinuousAttractorNeuron::new();
        assert!((0..1000).all(|_| !n.step(0.0)));
        assert_eq!(n.state().u.0, [0.0; N]);
    }

    #[test]
    fn holds_the_cued_bump_at_the_newton_fixed_point() {
        // Fixed point of u = W f(u) near a bump centred at 5, from a crude start.
        let guess: Vec<f64> = (0..N)
            .map(|i| match (i as i64 - 5).abs() {
                0..=2 => 6.0,
                3 => 3.0,
                _ => -3.0,
            })
            .collect();
        let star = newton(guess);
        assert!((star[5] - 6.425).abs() < 1e-3, "{star:?}");
        assert!((2..=8).all(|i| star[i] > 0.0) && (9..N).chain(0..2).all(|i| star[i] < 0.0));
        let floor = star.iter().cloned().fold(f64::INFINITY, f64::min);
        assert!((floor + 3.35).abs() < 0.01, "{floor}");
        // The cue (2, 3, 2) at 4–6, then no input: the bump is held there.
        for c in 0..N {
            let mut n = seeded(c);
            for _ in 0..2000 {
                assert!(n.step(0.0));
            }
            assert_eq!(n.bump_position(), c);
            let u = n.state().u.0;
            for i in 0..N {
                let want = star[(i + N + 5 - c) % N];
                assert!(
                    (u[i] - want).abs() < 1e-6,
                    "centre {c}, unit {i}: {} vs {want}",
                    u[i]
                );
            }
        }
    }

    #[test]
    fn without_recurrence_the_cue_decays() {
        // A = B = 0: u_i(n) = u_i(0)·0.9ⁿ (Euler of τ du/dt = −u), so the cue is forgotten.
        let p = ContinuousAttractorParams {
            excitation: 0.0,
            inhibition: 0.0,
            ..Default::default()
        };
        let mut n = ContinuousAttractorNeuron::with_params(p).unwrap();
        n.state_mut().u.0[5] = 3.0;
        for k in 1..=100 {
            n.step(0.0);
            assert!((n.state().u.0[5] - 3.0 * 0.9f64.powi(k)).abs() < 1e-12);
        }
    }

    #[test]
    fn uniform_input_raises_the_ring_uniformly() {
        // Uniform input keeps the units equal: u → the root of u = 2.02651 f(u) + I.
        let mut n = ContinuousAttractorNeuron::new();
        for _ in 0..3000 {
            n.step(2.0);
        }
        let u = n.state().u.0;
        let rs: f64 = (0..N).map(|j| weight(0, j)).sum();
        assert!(u.iter().all(|&x| (x - u[0]).abs() < 1e-12));
        assert!((u[0] - (rs * f(u[0]) + 2.0)).abs() < 1e-9, "{}", u[0]);
    }
}
