//! `PernarowskiNeuron` — Pernarowski's (1994) slowly varying Liénard system: a second-order
//! fast equation with polynomial damping F and restoring force G, modulated by a slow variable
//! c, the minimal polynomial form of square-wave (β-cell) bursting.
//!
//! **Equations.** ü + F(u) u̇ + G(u, c) = I, ċ = ε H(u, c), written as the first-order system
//! u̇ = w, ẇ = −F(u) w − G(u, c) + I, ċ = ε H(u, c), with
//! F(u) = a((u − û)² − η²), G(u, c) = c + u³ − 3(u + 1), H(u, c) = β(u − ū) − c.
//! State names are SC-NeuroCore's: `v` = u, `w` = u̇, `z` = c. No reset: the step returns
//! `true` when u crosses `v_threshold` (0.5) upward.
//!
//! **Why it bursts** (the fast subsystem, c frozen). Equilibria (u*, 0) lie on the cubic
//! G(u*, c) = 0, i.e. c = −u*³ + 3u* + 3, with knees at u* = ±1 (c = 1 and 5): for 1 < c < 5
//! there is a lower branch (u* < −1), a middle one (|u*| < 1, saddles, since G_u = 3u*² − 3 < 0)
//! and an upper one (u* > 1). An equilibrium with G_u > 0 is stable iff F(u*) > 0; F < 0 exactly
//! on (û − η, û + η) = (−0.8, 2.8) with the defaults, so the lower branch is stable (silent
//! phase) and the upper branch unstable, surrounded by the spiking limit cycle (active phase)
//! that ends on a homoclinic orbit to the saddle. The slow nullcline c = β(u − ū) crosses the
//! cubic only at u = 0, c = 3 (β = 4, ū = −0.75: −u³ + 3u + 3 = 4u + 3 ⇔ u(u² + 1) = 0), on the
//! middle branch: the full system has no stable rest state; c falls on the lower branch
//! (β(u − ū) < c there) and rises during spiking, so it bursts.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.1 time units; the spiking cycle
//! has period ≈ 5); a standalone step spans `dt`, as SC-NeuroCore's does. The crossing is
//! tested after every substep.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond and I is the value
//! of the `current` port.
//!
//! **Reference.** Pernarowski, M. (1994) "Fast subsystem bifurcations in a slowly varying
//! Liénard system exhibiting bursting", SIAM J. Appl. Math. 54:814–832,
//! doi:10.1137/S003613999223449X.
//!
//! **Relation to SC-NeuroCore** (spec §21). Same class, `step(current=0)`, state names (`v`,
//! `w`, `z`, from −1, 0, 0), `dt` = 0.1 and event level 0.5. The dynamics are the paper's
//! Liénard system instead of SC-NeuroCore's FitzHugh–Nagumo-plus-slow-variable form
//! (v̇ = v − v³/3 − w − z + I, ẇ = ε₁(v − γw + α), ż = ε₂(β(v + 0.7) − z)), which is not in
//! Liénard form and, with its defaults, does not burst (it fires tonically every ≈ 30 time
//! units for any I in [−0.1, 0.5]: z absorbs I). Consequently `w` is u̇ (not a recovery
//! variable) and the parameters are F's, G's and H's: a, û (`u_hat`), η (`eta`), β (`beta`,
//! kept), ū (`u_bar`), ε (`eps`); SC-NeuroCore's `alpha`, `gamma`, `eps1`, `eps2` are dropped.
//!
//! **Not verified.** The paper's text was not available: a search (the SIAM J. Appl. Math.
//! 54(3):814 title and DOI in documentation and web-page corpora, public code) did not find it.
//! The polynomial forms of F, G and H are those the spec reports from a third-party
//! implementation (spec §21.7, unverified); one unattributed third-party MATLAB script uses the
//! same F, G, H forms (with a = −0.02, û = 0, β = 2, ū = −1.5, ε = 0.178, η scanned 5.15–5.3
//! for chaos) and an extra −εH term in the fast equation, so the forms rest on two unverified
//! sources. The coefficient values are not the paper's but chosen here from the square-wave
//! conditions above (lower branch stable, upper branch unstable, slow nullcline through the
//! middle branch, slow ε): a = 0.25, û = 1, η = 1.8, β = 4, ū = −0.75, ε = 0.005. No number of the
//! paper is tested; the tests check the derived fast-subsystem structure and the burst pattern
//! it implies.
//!
//! **Facts tested** (derived). The knees of the fast subsystem at (u, c) = (−1, 1) and (1, 5):
//! with c frozen (ε = 0) the neuron rests on the stable lower branch for c = 3 and fires for
//! c < 1, where that branch does not exist; the full system's only equilibrium (0, 0, 3) is a
//! saddle of the fast subsystem, so the neuron never settles; it bursts regularly with
//! intervals lengthening toward each burst's end (homoclinic termination), the same pattern
//! as an independent integration.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PernarowskiNeuron`].
    pub struct PernarowskiParams {
        /// Damping scale of F(u) = a((u − û)² − η²), a [1].
        a: f64 = 0.25,
        /// Centre of the negative-damping band, û [1].
        u_hat: f64 = 1.0,
        /// Half-width of the negative-damping band, η [1].
        eta: f64 = 1.8,
        /// Slope of the slow nullcline, H(u, c) = β(u − ū) − c, β [1].
        beta: f64 = 4.0,
        /// Offset of the slow nullcline, ū [1].
        u_bar: f64 = -0.75,
        /// Slow time scale, ε [1].
        eps: f64 = 0.005,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [time units; ms in a network].
        dt: f64 = 0.1,
        /// Event level (upward crossing of u), u_th [1].
        v_threshold: f64 = 0.5,
    }
}

impl PernarowskiParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("eps", self.eps)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`PernarowskiNeuron`].
    pub struct PernarowskiState {
        /// Fast variable u (the membrane-potential-like coordinate) [1].
        v: f64 => PernarowskiV,
        /// Its rate of change, u̇ [1/time unit].
        w: f64 => PernarowskiW,
        /// Slow variable c [1].
        z: f64 => PernarowskiZ,
    }
}

/// Constants of [`PernarowskiNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct PernarowskiConsts {
    p: PernarowskiParams,
    n: u32,
    h: f64,
}

/// The vector field (u̇, ẇ, ċ) at `y` = (u, w, c) with input `i`.
#[inline(always)]
pub fn pernarowski_rhs(p: &PernarowskiParams, y: &[f64; 3], i: f64) -> [f64; 3] {
    let [u, w, c] = *y;
    let d = u - p.u_hat;
    let f = p.a * (d * d - p.eta * p.eta);
    let g = c + u * u * u - 3.0 * (u + 1.0);
    [w, -f * w - g + i, p.eps * (p.beta * (u - p.u_bar) - c)]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn pernarowski_step(k: &PernarowskiConsts, s: &mut PernarowskiState, i: f64) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.w, s.z];
        rk4(&mut y, k.h, |y| pernarowski_rhs(p, y, i));
        [s.v, s.w, s.z] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Pernarowski (1994) slowly varying Liénard burster.
pub struct PernarowskiNeuron;
}

impl PernarowskiNeuron {
    /// Advance one step (0.1 time units by default) with forcing `current` [1]; `true` if u
    /// crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for PernarowskiNeuron {
    const NAME: &'static str = "PernarowskiNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Pernarowski (1994) slowly varying Lienard system, square-wave bursting";
    const REFERENCE: &'static str =
        "Pernarowski 1994, SIAM J Appl Math 54:814, doi:10.1137/S003613999223449X";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.2];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = PernarowskiParams;
    type State = PernarowskiState;
    type Consts = PernarowskiConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &PernarowskiParams) -> PernarowskiState {
        PernarowskiState {
            v: -1.0,
            w: 0.0,
            z: 0.0,
        }
    }
    fn standalone_span(p: &PernarowskiParams) -> f64 {
        p.dt
    }
    fn prepare(p: &PernarowskiParams, span: f64) -> PernarowskiConsts {
        let (n, h) = substeps(span, p.dt);
        PernarowskiConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &PernarowskiConsts,
        s: &mut PernarowskiState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        pernarowski_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lower-branch equilibrium u* < −1 of the fast subsystem for frozen c (1 < c < 5):
    /// the root of u³ − 3u − 3 + c = 0 below −1, by bisection.
    fn lower_branch(c: f64) -> f64 {
        let g = |u: f64| u * u * u - 3.0 * u - 3.0 + c;
        let (mut a, mut b) = (-3.0, -1.0);
        for _ in 0..200 {
            let m = 0.5 * (a + b);
            if g(m) < 0.0 {
                a = m;
            } else {
                b = m;
            }
        }
        0.5 * (a + b)
    }

    fn frozen(c: f64, u0: f64) -> PernarowskiNeuron {
        let p = PernarowskiParams {
            eps: 0.0,
            ..Default::default()
        };
        let mut n = PernarowskiNeuron::with_params(p).unwrap();
        *n.state_mut() = PernarowskiState {
            v: u0,
            w: 0.0,
            z: c,
        };
        n
    }

    #[test]
    fn fast_subsystem_knees_and_branch_stability() {
        let p = PernarowskiParams::default();
        let f = |u: f64| p.a * ((u - p.u_hat).powi(2) - p.eta * p.eta);
        // c = 3: the lower equilibrium exists and F > 0 there (stable): a nearby start rests.
        let u = lower_branch(3.0);
        assert!(u < -1.0 && f(u) > 0.0);
        let mut n = frozen(3.0, u + 0.1);
        assert!((0..20_000).all(|_| !n.step(0.0)));
        assert!((n.state().v - u).abs() < 1e-6, "{:?} vs {u}", n.state());
        // Below the lower knee (c < 1) no lower equilibrium exists: the neuron fires.
        let mut n = frozen(0.9, -1.0);
        assert!((0..20_000).filter(|_| n.step(0.0)).count() > 10);
        // The upper branch (1 < u* < 2 for 1 < c < 5) lies where F < 0: unstable.
        for c in [1.5, 3.0, 4.5] {
            let g = |u: f64| u * u * u - 3.0 * u - 3.0 + c;
            let (mut a, mut b) = (1.0, 2.5);
            for _ in 0..200 {
                let m = 0.5 * (a + b);
                if g(m) < 0.0 {
                    a = m;
                } else {
                    b = m;
                }
            }
            assert!(f(0.5 * (a + b)) < 0.0);
        }
    }

    #[test]
    fn no_rest_state_only_a_fast_saddle() {
        // The only equilibrium is (u, w, c) = (0, 0, 3): G_u(0) = −3 < 0, a saddle of the fast
        // subsystem. A start next to it leaves and keeps bursting.
        let y = [0.0, 0.0, 3.0];
        let r = pernarowski_rhs(&PernarowskiParams::default(), &y, 0.0);
        assert!(r.iter().all(|x| x.abs() < 1e-15), "{r:?}");
        let mut n = PernarowskiNeuron::new();
        *n.state_mut() = PernarowskiState {
            v: 1e-6,
            w: 0.0,
            z: 3.0,
        };
        let count = (0..30_000).filter(|_| n.step(0.0)).count();
        assert!(count > 100, "{count}");
    }

    /// Spike times and burst sizes (silences > 30 separate bursts), first burst dropped.
    fn bursts(t: &[f64]) -> (Vec<usize>, Vec<f64>) {
        let (mut sizes, mut gaps, mut cur) = (Vec::new(), Vec::new(), 1);
        for w in t.windows(2) {
            if w[1] - w[0] > 30.0 {
                sizes.push(cur);
                gaps.push(w[1] - w[0]);
                cur = 1;
            } else {
                cur += 1;
            }
        }
        (sizes.split_off(1.min(sizes.len())), gaps)
    }

    /// Independent integration: Heun's method at step 0.002 from (−1, 0, 0), I = 0.
    fn reference_spikes(t_end: f64) -> Vec<f64> {
        let f = |u: f64, w: f64, c: f64| {
            (
                w,
                -0.25 * ((u - 1.0).powi(2) - 3.24) * w - (c + u.powi(3) - 3.0 * u - 3.0),
                0.005 * (4.0 * (u + 0.75) - c),
            )
        };
        let (mut u, mut w, mut c, h) = (-1.0f64, 0.0f64, 0.0f64, 0.002);
        let mut t = Vec::new();
        for k in 0..(t_end / h) as usize {
            let (a1, b1, c1) = f(u, w, c);
            let (a2, b2, c2) = f(u + h * a1, w + h * b1, c + h * c1);
            let un = u + 0.5 * h * (a1 + a2);
            w += 0.5 * h * (b1 + b2);
            c += 0.5 * h * (c1 + c2);
            if u < 0.5 && un >= 0.5 {
                t.push(k as f64 * h);
            }
            u = un;
        }
        t
    }

    #[test]
    fn square_wave_bursts() {
        let t_end = 4000.0;
        let mut n = PernarowskiNeuron::new();
        let t: Vec<f64> = (0..(t_end / 0.1) as usize)
            .filter(|_| n.step(0.0))
            .map(|k| k as f64 * 0.1)
            .collect();
        let (sizes, gaps) = bursts(&t);
        assert!(sizes.len() >= 3, "{sizes:?}");
        assert!(sizes.iter().all(|&k| k == sizes[0] && k > 20), "{sizes:?}");
        assert!(
            gaps[1..].iter().all(|&g| (g - gaps[1]).abs() < 1.0),
            "{gaps:?}"
        );
        // Intervals lengthen toward the end of each burst.
        let isi: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
        let end = isi.iter().position(|&d| d > 30.0).unwrap_or(0);
        let next_end = end + 1 + isi[end + 1..].iter().position(|&d| d > 30.0).unwrap_or(0);
        assert!(
            isi[next_end - 1] > 1.2 * isi[end + 1],
            "{:?}",
            &isi[end..next_end]
        );
        let (ref_sizes, ref_gaps) = bursts(&reference_spikes(t_end));
        assert_eq!(ref_sizes[0], sizes[0]);
        assert!(
            (ref_gaps[1] - gaps[1]).abs() < 1.0,
            "{ref_gaps:?} vs {gaps:?}"
        );
    }
}
