//! `ChialvoMapNeuron` — Chialvo's (1995) generic excitable two-dimensional map.
//!
//! **Equations** (one step = one iteration n → n+1, simultaneous update; input I_n):
//! x_{n+1} = x_n²·e^(y_n − x_n) + k + I_n, y_{n+1} = a·y_n − b·x_n + c. The input is the
//! time-dependent part of the bias k (Chialvo 1995), so a constant current shifts k and acts as
//! a DC control. The step returns `true` when x crosses `x_threshold` upward (x_n < θ ≤ x_{n+1});
//! the paper defines no spike, this is SC-NeuroCore's event convention.
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//! The exponent y − x is capped at 500 so that a huge negative x (an absurd input) cannot
//! overflow to infinity; trajectories of the map never come near the cap.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Chialvo, D.R. (1995) "Generic excitable dynamics on a two-dimensional map",
//! Chaos, Solitons & Fractals 5(3–4):461–479, doi:10.1016/0960-0779(93)E0056-H. Parameter
//! set a = 0.89, c = 0.28, k = 0.03 with b = 0.6 (oscillations) or b = 0.18 (aperiodic
//! bursting), as quoted from the paper (spec §22; the paper text itself was not available);
//! corroborated by the third-party implementation `wuwywu/snnpy`, `models/nodes/Chialvo.py`
//! (a 0.89, b 0.6 (0.18 aperiodic bursting), c 0.28, k 0.03, citing Chialvo 1995), which is
//! still not the paper's own text.
//!
//! **Relation to SC-NeuroCore** (spec §22). Same map, interface (`step(current)`), state `x`,
//! `y` (both 0 initially) and event convention. One difference: the default bias is the paper's
//! k = 0.03 instead of SC-NeuroCore's k = 0.04, which matches no parameter set quoted from the
//! paper; SC-NeuroCore's operating point is k = 0.03 plus the typical drive 0.01 (`DRIVE`).
//!
//! **Paper facts tested.** The fixed point (x*, y*) with y* = (c − b·x*)/(1 − a) and its
//! Jacobian J = [[(2x* − x*²)E, x*²E], [−b, a]], E = e^(y* − x*), give the stability
//! boundary by the Jury conditions (|det J| < 1, |tr J| < 1 + det J); the boundary k_c ≈ 0.0302
//! (det J = 1, a Neimark–Sacker point) is computed in the test by bisection on these closed
//! forms, and the map stays at / leaves the fixed point just below / above it. At k = 0.02 the
//! cell is quiescent and excitable (x* ≈ 0.0288); from (0, 0) the paper's set b = 0.6,
//! k = 0.03 oscillates regularly (134 crossings of x = 1 per 10⁴ iterations, x up to 1.63, spec
//! §22 [computed]; the oscillation coexists with the still-stable fixed point) and b = 0.18
//! bursts aperiodically with excursions up to x ≈ 5 (Chialvo 1995).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ChialvoMapNeuron`].
    pub struct ChialvoMapParams {
        /// Recovery time constant, a [1].
        a: f64 = 0.89,
        /// Activation dependence of the recovery, b [1].
        b: f64 = 0.6,
        /// Recovery offset, c [1].
        c: f64 = 0.28,
        /// Constant bias (DC control), k [1].
        k: f64 = 0.03,
        /// Level whose upward crossing by x is reported as a spike, θ [1].
        x_threshold: f64 = 1.0,
    }
}

impl ChialvoMapParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("a", self.a, -1.0, 1.0)
    }
}

neuron_state! {
    /// State of [`ChialvoMapNeuron`].
    pub struct ChialvoMapState {
        /// Activation (membrane-potential-like) variable, x [1].
        x: f64 => ChialvoX,
        /// Recovery variable, y [1].
        y: f64 => ChialvoY,
    }
}

/// One iteration with input `input`; `true` when x crosses the threshold upward.
#[inline(always)]
pub fn chialvo_step(p: &ChialvoMapParams, s: &mut ChialvoMapState, input: f64) -> bool {
    let (x, y) = (s.x, s.y);
    let x_next = x * x * (y - x).min(500.0).exp() + p.k + input;
    s.y = p.a * y - p.b * x + p.c;
    s.x = x_next;
    x < p.x_threshold && x_next >= p.x_threshold
}

standalone! {
/// Chialvo (1995) excitable map.
pub struct ChialvoMapNeuron;
}

impl ChialvoMapNeuron {
    /// One iteration with input `current` (added to k); `true` on an upward threshold crossing.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ChialvoMapNeuron {
    const NAME: &'static str = "ChialvoMapNeuron";
    const FAMILY: Family = Family::Maps;
    const SUMMARY: &'static str = "Chialvo 1995 two-dimensional excitable map";
    const REFERENCE: &'static str =
        "Chialvo 1995, Chaos Solitons Fractals 5:461, doi:10.1016/0960-0779(93)E0056-H";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.01];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ChialvoMapParams;
    type State = ChialvoMapState;
    type Consts = ChialvoMapParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ChialvoMapParams) -> ChialvoMapState {
        ChialvoMapState { x: 0.0, y: 0.0 }
    }
    fn standalone_span(_: &ChialvoMapParams) -> f64 {
        1.0
    }
    fn prepare(p: &ChialvoMapParams, _: f64) -> ChialvoMapParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &ChialvoMapParams,
        s: &mut ChialvoMapState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        chialvo_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixed point of the map for (b, k) with a = 0.89, c = 0.28, by bisection on
    /// g(x) = x²·e^(y*(x) − x) + k − x, y*(x) = (c − b·x)/(1 − a), on the low branch [0, 0.5].
    fn fixed_point(b: f64, k: f64) -> (f64, f64) {
        let (a, c) = (0.89, 0.28);
        let ys = |x: f64| (c - b * x) / (1.0 - a);
        let g = |x: f64| x * x * (ys(x) - x).exp() + k - x;
        let (mut lo, mut hi) = (0.0, 0.5);
        assert!(
            g(lo) > 0.0 && g(hi) < 0.0,
            "no fixed point bracketed for k = {k}"
        );
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if g(mid) > 0.0 { lo = mid } else { hi = mid }
        }
        (lo, ys(lo))
    }

    /// Jury stability of the fixed point from the closed-form Jacobian.
    fn stable(b: f64, k: f64) -> bool {
        let a = 0.89;
        let (x, y) = fixed_point(b, k);
        let e = (y - x).exp();
        let (j11, j12, j21, j22) = ((2.0 * x - x * x) * e, x * x * e, -b, a);
        let det = j11 * j22 - j12 * j21;
        let tr = j11 + j22;
        det.abs() < 1.0 && tr.abs() < 1.0 + det
    }

    fn crossings(b: f64, k: f64, n: usize) -> (usize, f64) {
        let p = ChialvoMapParams {
            b,
            k,
            ..Default::default()
        };
        let mut m = ChialvoMapNeuron::with_params(p).unwrap();
        let mut xmax = f64::MIN;
        let c = (0..n)
            .filter(|&t| {
                let s = m.step(0.0);
                if t > n / 2 {
                    xmax = xmax.max(m.state().x);
                }
                s && t > n / 2
            })
            .count();
        (c, xmax)
    }

    #[test]
    fn fixed_point_loses_stability_at_the_closed_form_boundary() {
        // Closed-form Jury test: k = 0.02 stable; the boundary k_c (det J = 1, a
        // Neimark–Sacker point) by bisection lies just above the paper's k = 0.03.
        assert!(stable(0.6, 0.02));
        assert!(!stable(0.6, 0.04));
        let (mut lo, mut hi) = (0.02, 0.04);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if stable(0.6, mid) { lo = mid } else { hi = mid }
        }
        let kc = lo;
        assert!(kc > 0.03 && kc < 0.031, "k_c = {kc}");
        // Started next to the fixed point: stays below k_c, leaves and fires above it.
        let near = |k: f64| {
            let p = ChialvoMapParams {
                k,
                ..Default::default()
            };
            let mut m = ChialvoMapNeuron::with_params(p).unwrap();
            let (xs, ys) = fixed_point(0.6, k);
            m.state_mut().x = xs + 1e-4;
            m.state_mut().y = ys;
            let n = (0..20_000).filter(|_| m.step(0.0)).count();
            (n, m.state().x - xs)
        };
        let (n, dx) = near(kc - 0.001);
        assert!(n == 0 && dx.abs() < 1e-9, "{n} {dx}");
        assert!(near(kc + 0.001).0 > 100);
    }

    #[test]
    fn excitable_rest_at_k_002() {
        // Spec §22: k = 0.02 → stable fixed point at x ≈ 0.0288 (from the closed form here).
        let (xs, _) = fixed_point(0.6, 0.02);
        assert!((xs - 0.0288).abs() < 5e-4, "{xs}");
        let p = ChialvoMapParams {
            k: 0.02,
            ..Default::default()
        };
        let mut m = ChialvoMapNeuron::with_params(p).unwrap();
        for _ in 0..5000 {
            m.step(0.0);
        }
        assert!((m.state().x - xs).abs() < 1e-9);
        // Excitable: a single suprathreshold kick produces one spike, then rest again.
        let spikes = (0..3000)
            .filter(|&t| m.step(if t == 0 { 0.5 } else { 0.0 }))
            .count();
        assert_eq!(spikes, 1);
    }

    #[test]
    fn oscillations_at_b_06_and_aperiodic_bursting_at_b_018() {
        // Chialvo 1995 (spec §22 [computed] from the published map): from (0, 0), b = 0.6,
        // k = 0.03 oscillates with 134 crossings of x = 1 per 10⁴ iterations and x within
        // [0.03, 1.63] (the fixed point is still stable there: the oscillation coexists with
        // it); b = 0.18 gives aperiodic bursting with excursions up to x ≈ 5.
        let (osc, xmax) = crossings(0.6, 0.03, 20_000);
        assert!((125..=145).contains(&osc), "{osc}");
        assert!(xmax > 1.55 && xmax < 1.7, "{xmax}");
        let isis = |b: f64| {
            let p = ChialvoMapParams {
                b,
                ..Default::default()
            };
            let mut m = ChialvoMapNeuron::with_params(p).unwrap();
            let t: Vec<usize> = (0..40_000).filter(|&t| m.step(0.0) && t > 20_000).collect();
            let mut d: Vec<usize> = t.windows(2).map(|w| w[1] - w[0]).collect();
            d.sort_unstable();
            d.dedup();
            d
        };
        assert!(
            isis(0.6).len() <= 2,
            "oscillation not regular: {:?}",
            isis(0.6)
        );
        let d = isis(0.18);
        assert!(
            d.len() > 10 && d[d.len() - 1] > 2 * d[0],
            "not aperiodic: {d:?}"
        );
        let (_, xmax_b) = crossings(0.18, 0.03, 40_000);
        assert!(xmax_b > 4.0, "bursting excursions stay small: {xmax_b}");
    }
}
