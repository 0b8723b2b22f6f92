//! `JansenRitUnit` — cortical-column neural mass of pyramidal cells, excitatory and
//! inhibitory interneurons with second-order synaptic kernels (Jansen & Rit 1995).
//!
//! **Equations** (Jansen & Rit 1995, Eq. 6; time in seconds, potentials in mV):
//! ẏ0 = y3, ẏ3 = A a S(y1 − y2) − 2a y3 − a² y0;
//! ẏ1 = y4, ẏ4 = A a [p + C2 S(C1 y0)] − 2a y4 − a² y1;
//! ẏ2 = y5, ẏ5 = B b C4 S(C3 y0) − 2b y5 − b² y2;
//! S(v) = 2e0 / (1 + e^(r (v0 − v))), C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C.
//! p = `p_ext` is the external pulse density [s⁻¹]. The unit emits the EEG proxy y1 − y2
//! [mV] every step (a value output).
//!
//! **Numerics.** Classical RK4 on the six states in substeps of at most `substep` (0.1 ms),
//! p held constant over the step. Engine time is in ms (a standalone step spans `span` =
//! 0.1 ms, SC-NeuroCore's dt = 1e−4 s); the rate constants are per second as in the paper
//! and the substep is converted to seconds internally.
//!
//! **Reference.** Jansen, B.H. & Rit, V.G. (1995) Electroencephalogram and visual evoked
//! potential generation in a mathematical model of coupled cortical columns. Biol. Cybern.
//! 73:357–366, doi:10.1007/BF00199471. Defaults are the paper's: A = 3.25 mV, B = 22 mV,
//! a = 100 s⁻¹, b = 50 s⁻¹, C = 135, e0 = 2.5 s⁻¹, v0 = 6 mV, r = 0.56 mV⁻¹.
//!
//! **Relation to SC-NeuroCore** (spec §9). Same interface (`step(p_ext) -> y1 − y2`, states
//! `y0, y3, y1, y4, y2, y5`, all 0 initially, same parameter names and defaults). The step
//! length is the parameter `span` in ms (default 0.1 ms) instead of `dt` in seconds (1e−4 s);
//! SC-NeuroCore integrates with forward Euler, here RK4 substeps are used (the spec calls
//! RK4 more accurate).
//!
//! **Paper facts tested** (values computed from Eq. 6 in spec §9; fixed points re-derived in
//! the test by bisection of the steady-state equation): at constant p = 220 s⁻¹ an alpha-like
//! limit cycle of ≈ 10.9 Hz with y1 − y2 between ≈ 6.1 and 9.0 mV (the alpha activity of
//! Jansen & Rit 1995); at p = 90 s⁻¹ a stable fixed point y1 − y2 ≈ 1.145 mV.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`JansenRitUnit`].
    pub struct JansenRitParams {
        /// Excitatory PSP amplitude, A [mV].
        a_exc: f64 = 3.25,
        /// Inhibitory PSP amplitude, B [mV].
        b_exc: f64 = 22.0,
        /// Excitatory inverse time constant, a [1/s].
        a_rate: f64 = 100.0,
        /// Inhibitory inverse time constant, b [1/s].
        b_rate: f64 = 50.0,
        /// Connectivity constant C (C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C) [1].
        c: f64 = 135.0,
        /// Half the maximum firing rate, e0 [1/s].
        e0: f64 = 2.5,
        /// Sigmoid midpoint, v0 [mV].
        v0: f64 = 6.0,
        /// Sigmoid slope, r [1/mV].
        r: f64 = 0.56,
        /// Time spanned by one standalone `step()` (SC-NeuroCore's `dt` = 1e−4 s) [ms].
        span: f64 = 0.1,
        /// Largest internal RK4 substep [ms].
        substep: f64 = 0.1,
    }
}

impl JansenRitParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("a_exc", self.a_exc),
            ("b_exc", self.b_exc),
            ("a_rate", self.a_rate),
            ("b_rate", self.b_rate),
            ("e0", self.e0),
            ("r", self.r),
            ("span", self.span),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        check::non_negative("c", self.c)
    }
}

neuron_state! {
    /// State of [`JansenRitUnit`].
    pub struct JansenRitState {
        /// Pyramidal-cell PSP from the interneurons' output, y0 [mV].
        y0: f64 => JrY0,
        /// dy0/dt, y3 [mV/s].
        y3: f64 => JrY3,
        /// Excitatory PSP on the pyramidal cells, y1 [mV].
        y1: f64 => JrY1,
        /// dy1/dt, y4 [mV/s].
        y4: f64 => JrY4,
        /// Inhibitory PSP on the pyramidal cells, y2 [mV].
        y2: f64 => JrY2,
        /// dy2/dt, y5 [mV/s].
        y5: f64 => JrY5,
    }
}

/// Constants of [`JansenRitUnit`] for one step.
#[derive(Clone, Debug)]
pub struct JansenRitConsts {
    p: JansenRitParams,
    n: u32,
    /// Substep [s].
    h: f64,
}

/// The wave-to-pulse sigmoid S(v) = 2e0 / (1 + e^(r (v0 − v))) [1/s].
#[inline(always)]
fn pulse(p: &JansenRitParams, v: f64) -> f64 {
    2.0 * p.e0 * sigmoid(p.r * (v - p.v0))
}

/// One step: `k.n` RK4 substeps with p held constant. Returns y1 − y2 [mV].
#[inline(always)]
pub fn jansen_rit_step(k: &JansenRitConsts, s: &mut JansenRitState, p_ext: f64) -> f64 {
    let p = &k.p;
    let (aa, bb) = (p.a_exc * p.a_rate, p.b_exc * p.b_rate);
    let (a2, b2) = (p.a_rate * p.a_rate, p.b_rate * p.b_rate);
    let (c1, c2, c34) = (p.c, 0.8 * p.c, 0.25 * p.c);
    let mut y = [s.y0, s.y1, s.y2, s.y3, s.y4, s.y5];
    for _ in 0..k.n {
        rk4(&mut y, k.h, |y| {
            let [y0, y1, y2, y3, y4, y5] = *y;
            [
                y3,
                y4,
                y5,
                aa * pulse(p, y1 - y2) - 2.0 * p.a_rate * y3 - a2 * y0,
                aa * (p_ext + c2 * pulse(p, c1 * y0)) - 2.0 * p.a_rate * y4 - a2 * y1,
                bb * c34 * pulse(p, c34 * y0) - 2.0 * p.b_rate * y5 - b2 * y2,
            ]
        });
    }
    [s.y0, s.y1, s.y2, s.y3, s.y4, s.y5] = y;
    s.y1 - s.y2
}

standalone! {
/// Jansen–Rit (1995) cortical-column neural mass.
pub struct JansenRitUnit;
}

impl JansenRitUnit {
    /// Advance one step (0.1 ms by default) with external pulse density `p_ext` [1/s];
    /// returns y1 − y2 [mV] after the step.
    pub fn step(&mut self, p_ext: f64) -> f64 {
        self.step_or_none([p_ext])
    }
}

impl Model for JansenRitUnit {
    const NAME: &'static str = "JansenRitUnit";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Jansen-Rit 1995 cortical-column neural mass (value output y1 - y2, mV)";
    const REFERENCE: &'static str = "Jansen & Rit 1995, Biol Cybern 73:357, doi:10.1007/BF00199471";
    const PORTS: &'static [&'static str] = &["p_ext"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[220.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = JansenRitParams;
    type State = JansenRitState;
    type Consts = JansenRitConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &JansenRitParams) -> JansenRitState {
        JansenRitState {
            y0: 0.0,
            y3: 0.0,
            y1: 0.0,
            y4: 0.0,
            y2: 0.0,
            y5: 0.0,
        }
    }
    fn standalone_span(p: &JansenRitParams) -> f64 {
        p.span
    }
    fn prepare(p: &JansenRitParams, span: f64) -> JansenRitConsts {
        let (n, h) = substeps(span, p.substep);
        JansenRitConsts {
            p: p.clone(),
            n,
            h: h * 1e-3,
        }
    }
    #[inline(always)]
    fn update(
        k: &JansenRitConsts,
        s: &mut JansenRitState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        jansen_rit_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// The paper's sigmoid, typed again: 2e0 / (1 + exp(r (v0 − v))).
    fn s_ref(v: f64) -> f64 {
        5.0 / (1.0 + (0.56 * (6.0 - v)).exp())
    }

    /// Eq. 6 typed again (state order y0..y5), time in seconds.
    fn rhs(p: f64, y: &[f64]) -> Vec<f64> {
        let (a, b, aa, bb, c) = (100.0, 50.0, 3.25, 22.0, 135.0);
        vec![
            y[3],
            y[4],
            y[5],
            aa * a * s_ref(y[1] - y[2]) - 2.0 * a * y[3] - a * a * y[0],
            aa * a * (p + 0.8 * c * s_ref(c * y[0])) - 2.0 * a * y[4] - a * a * y[1],
            bb * b * 0.25 * c * s_ref(0.25 * c * y[0]) - 2.0 * b * y[5] - b * b * y[2],
        ]
    }

    /// Steady state: y0 = (A/a) S(u), y1 = (A/a)(p + C2 S(C1 y0)), y2 = (B/b) C4 S(C3 y0);
    /// the residual of u = y1 − y2.
    fn residual(p: f64, u: f64) -> f64 {
        let y0 = 3.25 / 100.0 * s_ref(u);
        let y1 = 3.25 / 100.0 * (p + 108.0 * s_ref(135.0 * y0));
        let y2 = 22.0 / 50.0 * 33.75 * s_ref(33.75 * y0);
        y1 - y2 - u
    }

    /// All fixed points u* in [−20, 40] mV: sign changes on a fine grid, then bisection.
    fn fixed_points(p: f64) -> Vec<f64> {
        let grid: Vec<f64> = (0..=6000).map(|k| -20.0 + k as f64 * 0.01).collect();
        let mut out = Vec::new();
        for w in grid.windows(2) {
            let (mut a, mut b) = (w[0], w[1]);
            let fa = residual(p, a);
            if fa * residual(p, b) > 0.0 {
                continue;
            }
            for _ in 0..100 {
                let m = 0.5 * (a + b);
                if (residual(p, m) > 0.0) == (fa > 0.0) {
                    a = m;
                } else {
                    b = m;
                }
            }
            out.push(0.5 * (a + b));
        }
        out
    }

    /// y1 − y2 every 0.1 ms for `t` seconds at constant p, from rest.
    fn trace(p: f64, t: f64) -> Vec<f64> {
        let mut u = JansenRitUnit::with_params(JansenRitParams::default()).unwrap();
        (0..(t / 1e-4).round() as usize)
            .map(|_| u.step(p))
            .collect()
    }

    #[test]
    fn alpha_cycle_at_p_220() {
        let y = trace(220.0, 4.0);
        let tail = &y[y.len() / 2..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        // Spec §9: y1 − y2 between ≈ 6.1 and 9.0 mV.
        assert!(
            (lo - 6.1).abs() < 0.2 && (hi - 9.0).abs() < 0.2,
            "range [{lo}, {hi}]"
        );
        let mid = 0.5 * (lo + hi);
        let ups: Vec<usize> = (1..tail.len())
            .filter(|&k| tail[k - 1] < mid && tail[k] >= mid)
            .collect();
        let period = (ups[ups.len() - 1] - ups[0]) as f64 * 1e-4 / (ups.len() - 1) as f64;
        let f = 1.0 / period;
        // Spec §9: ≈ 10.9 Hz; alpha band 8–12 Hz (Jansen & Rit 1995).
        assert!(
            (f - 10.9).abs() < 0.2 && (8.0..12.0).contains(&f),
            "f = {f} Hz"
        );
        // The single fixed point at p = 220 is unstable: the cycle surrounds it.
        let fp = fixed_points(220.0);
        assert_eq!(fp.len(), 1, "fixed points at p = 220: {fp:?}");
        assert!(
            lo < fp[0] && fp[0] < hi,
            "fixed point {fp:?} outside [{lo}, {hi}]"
        );
    }

    #[test]
    fn fixed_point_at_p_90() {
        let fp = fixed_points(90.0);
        let y = trace(90.0, 3.0);
        let tail = &y[y.len() * 3 / 4..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(hi - lo < 1e-6, "not settled: [{lo}, {hi}]");
        // Spec §9: y1 − y2 ≈ 1.145 mV; the lowest re-derived fixed point.
        assert!((fp[0] - 1.145).abs() < 0.002, "fixed points {fp:?}");
        assert!(
            (hi - fp[0]).abs() < 1e-6,
            "settled {hi}, fixed point {}",
            fp[0]
        );
    }

    #[test]
    fn agrees_with_independent_rk4() {
        // Reference RK4 at 0.01 ms against the model at 0.1-ms substeps, 0.5 s at p = 220.
        let r = Reference::rk4(1e-5, |_, y: &[f64]| rhs(220.0, y));
        let mut y = vec![0.0; 6];
        let mut u = JansenRitUnit::with_params(JansenRitParams::default()).unwrap();
        let mut worst: f64 = 0.0;
        for k in 0..5000 {
            let out = u.step(220.0);
            for j in 0..10 {
                y = r.step((k * 10 + j) as f64 * 1e-5, &y);
            }
            worst = worst.max((out - (y[1] - y[2])).abs());
        }
        assert!(worst < 1e-3, "max |u - u_ref| = {worst} mV");
    }
}
