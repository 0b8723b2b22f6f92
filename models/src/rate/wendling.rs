//! `WendlingNeuron` — the Wendling et al. (2002) neural mass of a hippocampal/cortical
//! column with slow dendritic and fast somatic GABA_A inhibition, the Jansen–Rit model
//! extended to four populations.
//!
//! **Equations** (Wendling, Bartolomei, Bellanger & Chauvel 2002, Fig. 2 and Eq. 1; time in
//! seconds, potentials in mV; S(v) = 2e0 / (1 + e^(r (v0 − v)))):
//! ẏ0 = y5, ẏ5 = A a S(y1 − y2 − y3) − 2a y5 − a² y0 (pyramidal cells);
//! ẏ1 = y6, ẏ6 = A a [p + C2 S(C1 y0)] − 2a y6 − a² y1 (excitatory feedback);
//! ẏ2 = y7, ẏ7 = B b C4 S(C3 y0) − 2b y7 − b² y2 (slow dendritic GABA_A,slow);
//! ẏ3 = y8, ẏ8 = G g C7 S(C5 y0 − C6 y4) − 2g y8 − g² y3 (fast somatic GABA_A,fast);
//! ẏ4 = y9, ẏ9 = B b S(C3 y0) − 2b y9 − b² y4 (slow inhibition onto the fast interneurons),
//! with C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C, C5 = 0.3 C, C6 = 0.1 C, C7 = 0.8 C. The unit emits
//! the EEG proxy y1 − y2 − y3 [mV] every step (a value output).
//!
//! **Input.** p = `p_ext` + `p_sigma`·ξ, where ξ is one standard normal drawn per step from the
//! engine's counter-based generator (so runs are reproducible at any thread count) and held over
//! the step; `p_sigma` = 0 (default) makes the model deterministic. The paper's input is white
//! noise of mean 90 and SD 30 pulses/s sampled at the simulation step: set `p_ext` = 90,
//! `p_sigma` = 30. As in the paper, the noise's effect depends on the step (document the span).
//!
//! **Numerics.** Classical RK4 on the ten states in substeps of at most `substep` (0.1 ms;
//! g = 500 s⁻¹ makes the fast kernel stiff for coarse explicit steps), p held constant over the
//! step. Engine time is in ms; the rate constants are per second as in the paper.
//!
//! **Reference.** Wendling, F., Bartolomei, F., Bellanger, J.J. & Chauvel, P. (2002) Epileptic
//! fast activity can be explained by a model of impaired GABAergic dendritic inhibition. Eur. J.
//! Neurosci. 15:1499–1508, doi:10.1046/j.1460-9568.2002.01985.x. Defaults: A = 3.25 mV,
//! B = 22 mV, G = 10 mV, a = 100 s⁻¹, b = 50 s⁻¹, g = 500 s⁻¹, C = 135, e0 = 2.5 s⁻¹,
//! v0 = 6 mV, r = 0.56 mV⁻¹.
//!
//! **Relation to SC-NeuroCore** (spec §12). Same class name, `step(p_ext) -> y1 − y2 − y3`,
//! state names (`y0, y5, y1, y6, y2, y7, y3, y8, y4, y9`, all 0) and parameter names. The
//! dynamics are the paper's, not SC-NeuroCore's, which differ in four ways:
//! 1. SC-NeuroCore pairs the gain 22 mV with 500 s⁻¹ and 10 mV with 20 s⁻¹. Here, as in the
//!    paper, the dendritic (slow) population has B = `b_fast` = 22 mV with b = `b_rate` =
//!    50 s⁻¹ and the somatic (fast) one has G = `g_slow` = 10 mV with g = `g_rate` = 500 s⁻¹.
//!    The parameter names are SC-NeuroCore's and are misleading: `b_fast` is the gain of the
//!    *slow* dendritic inhibition and `g_slow` the gain of the *fast* somatic inhibition.
//! 2. The y4/y9 pathway (slow interneurons inhibiting fast ones, the paper's key mechanism)
//!    is integrated; SC-NeuroCore leaves y4, y9 at 0.
//! 3. Sigmoid arguments are the paper's: C1·y0 for the excitatory interneurons (not 0.8C·y0)
//!    and C5 y0 − C6 y4 with gain C7 for the fast interneurons (not 0.1C·y0, gain 0.1C).
//! 4. RK4 substeps of 0.1 ms instead of forward Euler at 1 ms. The step is `span` [ms]
//!    (default 1 ms = SC-NeuroCore's dt of 0.001 s). The driving port keeps SC-NeuroCore's
//!    typical value 220 as `DRIVE`; the paper's drive is 90 ± 30 (see Input).
//!
//! **Paper facts tested** (the spec §12.8 values, computed from the paper's equations; fixed
//! points re-derived in the test by bisection): at p = 90 a stable fixed point with EEG
//! ≈ 0.875 mV; at p = 220 an oscillation of ≈ 11 Hz with EEG between ≈ 6.8 and 8.3 mV; with
//! noisy p ~ N(90, 30²) the activity types of Wendling 2002 (Fig. 4) as the gains vary:
//! (A, B, G) = (5, 25, 15) gives large rhythmic spikes at ≈ 4–5 Hz, (5, 5, 25) — impaired
//! dendritic inhibition — low-voltage fast activity above 15 Hz; and agreement with an
//! independent RK4 integration of the equations.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`WendlingNeuron`].
    pub struct WendlingParams {
        /// Excitatory PSP amplitude, A [mV].
        a_exc: f64 = 3.25,
        /// Gain of the slow dendritic GABA_A inhibition, B [mV] (SC-NeuroCore's name).
        b_fast: f64 = 22.0,
        /// Gain of the fast somatic GABA_A inhibition, G [mV] (SC-NeuroCore's name).
        g_slow: f64 = 10.0,
        /// Excitatory inverse time constant, a [1/s].
        a_rate: f64 = 100.0,
        /// Slow dendritic inhibition inverse time constant, b [1/s].
        b_rate: f64 = 50.0,
        /// Fast somatic inhibition inverse time constant, g [1/s].
        g_rate: f64 = 500.0,
        /// Connectivity constant C (C1..C7 = 1, 0.8, 0.25, 0.25, 0.3, 0.1, 0.8 times C) [1].
        c: f64 = 135.0,
        /// Half the maximum firing rate, e0 [1/s].
        e0: f64 = 2.5,
        /// Sigmoid midpoint, v0 [mV].
        v0: f64 = 6.0,
        /// Sigmoid slope, r [1/mV].
        r: f64 = 0.56,
        /// Standard deviation of the input noise added to `p_ext` each step [1/s].
        p_sigma: f64 = 0.0,
        /// Time spanned by one standalone `step()` (SC-NeuroCore's `dt` = 0.001 s) [ms].
        span: f64 = 1.0,
        /// Largest internal RK4 substep [ms].
        substep: f64 = 0.1,
    }
}

impl WendlingParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("a_rate", self.a_rate),
            ("b_rate", self.b_rate),
            ("g_rate", self.g_rate),
            ("e0", self.e0),
            ("r", self.r),
            ("span", self.span),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        for (n, x) in [
            ("a_exc", self.a_exc),
            ("b_fast", self.b_fast),
            ("g_slow", self.g_slow),
            ("c", self.c),
            ("p_sigma", self.p_sigma),
        ] {
            check::non_negative(n, x)?;
        }
        Ok(())
    }
}

neuron_state! {
    /// State of [`WendlingNeuron`].
    pub struct WendlingState {
        /// Pyramidal-cell output PSP, y0 [mV].
        y0: f64 => WdY0,
        /// dy0/dt, y5 [mV/s].
        y5: f64 => WdY5,
        /// Excitatory PSP on the pyramidal cells, y1 [mV].
        y1: f64 => WdY1,
        /// dy1/dt, y6 [mV/s].
        y6: f64 => WdY6,
        /// Slow dendritic IPSP on the pyramidal cells, y2 [mV].
        y2: f64 => WdY2,
        /// dy2/dt, y7 [mV/s].
        y7: f64 => WdY7,
        /// Fast somatic IPSP on the pyramidal cells, y3 [mV].
        y3: f64 => WdY3,
        /// dy3/dt, y8 [mV/s].
        y8: f64 => WdY8,
        /// Slow IPSP on the fast interneurons, y4 [mV].
        y4: f64 => WdY4,
        /// dy4/dt, y9 [mV/s].
        y9: f64 => WdY9,
    }
}

/// Constants of [`WendlingNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct WendlingConsts {
    p: WendlingParams,
    n: u32,
    /// Substep [s].
    h: f64,
}

/// The wave-to-pulse sigmoid S(v) = 2e0 / (1 + e^(r (v0 − v))) [1/s].
#[inline(always)]
fn pulse(p: &WendlingParams, v: f64) -> f64 {
    2.0 * p.e0 * sigmoid(p.r * (v - p.v0))
}

/// The right-hand side at state `y = [y0..y4, y5..y9]` with input `pe` [1/s].
#[inline(always)]
fn rhs(p: &WendlingParams, pe: f64, y: &[f64; 10]) -> [f64; 10] {
    let [y0, y1, y2, y3, y4, y5, y6, y7, y8, y9] = *y;
    let (a, b, g) = (p.a_rate, p.b_rate, p.g_rate);
    let c = p.c;
    let s3 = pulse(p, 0.25 * c * y0);
    [
        y5,
        y6,
        y7,
        y8,
        y9,
        p.a_exc * a * pulse(p, y1 - y2 - y3) - 2.0 * a * y5 - a * a * y0,
        p.a_exc * a * (pe + 0.8 * c * pulse(p, c * y0)) - 2.0 * a * y6 - a * a * y1,
        p.b_fast * b * 0.25 * c * s3 - 2.0 * b * y7 - b * b * y2,
        p.g_slow * g * 0.8 * c * pulse(p, 0.3 * c * y0 - 0.1 * c * y4) - 2.0 * g * y8 - g * g * y3,
        p.b_fast * b * s3 - 2.0 * b * y9 - b * b * y4,
    ]
}

/// One step: `k.n` RK4 substeps with p held constant. Returns y1 − y2 − y3 [mV].
#[inline(always)]
pub fn wendling_step(k: &WendlingConsts, s: &mut WendlingState, pe: f64) -> f64 {
    let p = &k.p;
    let mut y = [s.y0, s.y1, s.y2, s.y3, s.y4, s.y5, s.y6, s.y7, s.y8, s.y9];
    for _ in 0..k.n {
        rk4(&mut y, k.h, |y| rhs(p, pe, y));
    }
    [s.y0, s.y1, s.y2, s.y3, s.y4, s.y5, s.y6, s.y7, s.y8, s.y9] = y;
    s.y1 - s.y2 - s.y3
}

standalone! {
/// Wendling et al. (2002) neural mass with slow dendritic and fast somatic inhibition.
pub struct WendlingNeuron;
}

impl WendlingNeuron {
    /// Advance one step (1 ms by default) with external pulse density `p_ext` [1/s] (plus
    /// `p_sigma` noise); returns the EEG proxy y1 − y2 − y3 [mV] after the step.
    pub fn step(&mut self, p_ext: f64) -> f64 {
        self.step_or_none([p_ext])
    }
}

impl Model for WendlingNeuron {
    const NAME: &'static str = "WendlingNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Wendling 2002 neural mass, slow dendritic + fast somatic GABA_A (value output, mV)";
    const REFERENCE: &'static str =
        "Wendling et al. 2002, Eur J Neurosci 15:1499, doi:10.1046/j.1460-9568.2002.01985.x";
    const PORTS: &'static [&'static str] = &["p_ext"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[220.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = WendlingParams;
    type State = WendlingState;
    type Consts = WendlingConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &WendlingParams) -> WendlingState {
        WendlingState {
            y0: 0.0,
            y5: 0.0,
            y1: 0.0,
            y6: 0.0,
            y2: 0.0,
            y7: 0.0,
            y3: 0.0,
            y8: 0.0,
            y4: 0.0,
            y9: 0.0,
        }
    }
    fn standalone_span(p: &WendlingParams) -> f64 {
        p.span
    }
    fn prepare(p: &WendlingParams, span: f64) -> WendlingConsts {
        let (n, h) = substeps(span, p.substep);
        WendlingConsts {
            p: p.clone(),
            n,
            h: h * 1e-3,
        }
    }
    #[inline(always)]
    fn update(
        k: &WendlingConsts,
        s: &mut WendlingState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> f64 {
        let pe = if k.p.p_sigma > 0.0 {
            x.ports[0] + k.p.p_sigma * rng.normal()
        } else {
            x.ports[0]
        };
        wendling_step(k, s, pe)
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

    /// The paper's equations typed again (state order y0..y9), time in seconds, standard gains.
    fn rhs_ref(p: f64, y: &[f64]) -> Vec<f64> {
        let (aa, bb, gg, a, b, g, c) = (3.25, 22.0, 10.0, 100.0, 50.0, 500.0, 135.0);
        let (c1, c2, c3, c4, c5, c6, c7) =
            (c, 0.8 * c, 0.25 * c, 0.25 * c, 0.3 * c, 0.1 * c, 0.8 * c);
        vec![
            y[5],
            y[6],
            y[7],
            y[8],
            y[9],
            aa * a * s_ref(y[1] - y[2] - y[3]) - 2.0 * a * y[5] - a * a * y[0],
            aa * a * (p + c2 * s_ref(c1 * y[0])) - 2.0 * a * y[6] - a * a * y[1],
            bb * b * c4 * s_ref(c3 * y[0]) - 2.0 * b * y[7] - b * b * y[2],
            gg * g * c7 * s_ref(c5 * y[0] - c6 * y[4]) - 2.0 * g * y[8] - g * g * y[3],
            bb * b * s_ref(c3 * y[0]) - 2.0 * b * y[9] - b * b * y[4],
        ]
    }

    /// Steady state as a function of u = y1 − y2 − y3: y0 = (A/a) S(u),
    /// y1 = (A/a)(p + C2 S(C1 y0)), y2 = (B/b) C4 S(C3 y0), y4 = (B/b) S(C3 y0),
    /// y3 = (G/g) C7 S(C5 y0 − C6 y4); returns y1 − y2 − y3 − u.
    fn residual(p: f64, u: f64) -> f64 {
        let y0 = 3.25 / 100.0 * s_ref(u);
        let y1 = 3.25 / 100.0 * (p + 108.0 * s_ref(135.0 * y0));
        let y2 = 22.0 / 50.0 * 33.75 * s_ref(33.75 * y0);
        let y4 = 22.0 / 50.0 * s_ref(33.75 * y0);
        let y3 = 10.0 / 500.0 * 108.0 * s_ref(40.5 * y0 - 13.5 * y4);
        y1 - y2 - y3 - u
    }

    /// The lowest fixed point u* in [−20, 40] mV: first sign change on a grid, then bisection.
    fn lowest_fixed_point(p: f64) -> f64 {
        let mut a = -20.0;
        while residual(p, a) * residual(p, a + 0.01) > 0.0 {
            a += 0.01;
        }
        let mut b = a + 0.01;
        let fa = residual(p, a);
        for _ in 0..100 {
            let m = 0.5 * (a + b);
            if (residual(p, m) > 0.0) == (fa > 0.0) {
                a = m;
            } else {
                b = m;
            }
        }
        0.5 * (a + b)
    }

    /// EEG every 0.1 ms (span 0.1 ms) for `t` seconds with the given gains and drive.
    fn trace(gains: (f64, f64, f64), p: f64, sigma: f64, t: f64, seed: u64) -> Vec<f64> {
        let mut par = WendlingParams::default();
        (par.a_exc, par.b_fast, par.g_slow) = gains;
        par.p_sigma = sigma;
        par.span = 0.1;
        let mut u = WendlingNeuron::with_params(par).unwrap();
        u.set_seed(seed, 0);
        (0..(t / 1e-4).round() as usize)
            .map(|_| u.step(p))
            .collect()
    }

    fn range(x: &[f64]) -> (f64, f64) {
        x.iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)))
    }

    fn mean_sd(x: &[f64]) -> (f64, f64) {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / x.len() as f64;
        (m, v.sqrt())
    }

    /// Upward crossings of the mean per second, samples every 0.1 ms.
    fn crossings_per_s(x: &[f64]) -> f64 {
        let (m, _) = mean_sd(x);
        let n = (1..x.len()).filter(|&k| x[k - 1] < m && x[k] >= m).count();
        n as f64 / (x.len() as f64 * 1e-4)
    }

    #[test]
    fn fixed_point_at_p_90() {
        let y = trace((3.25, 22.0, 10.0), 90.0, 0.0, 3.0, 0);
        let (lo, hi) = range(&y[y.len() * 3 / 4..]);
        assert!(hi - lo < 1e-6, "not settled: [{lo}, {hi}]");
        let fp = lowest_fixed_point(90.0);
        // Spec §12.8: EEG ≈ 0.875 mV.
        assert!((fp - 0.875).abs() < 0.005, "fixed point {fp}");
        assert!((hi - fp).abs() < 1e-6, "settled {hi}, fixed point {fp}");
    }

    #[test]
    fn alpha_like_cycle_at_p_220() {
        let y = trace((3.25, 22.0, 10.0), 220.0, 0.0, 4.0, 0);
        let tail = &y[y.len() / 2..];
        let (lo, hi) = range(tail);
        // Spec §12.8: EEG between ≈ 6.8 and 8.3 mV, ≈ 11 Hz (the spec's values come from
        // forward Euler at 0.1 ms, whose error on the 500 s⁻¹ kernel widens the cycle; RK4,
        // checked against the reference below, gives ≈ [6.94, 8.09]).
        assert!(
            (lo - 6.8).abs() < 0.25 && (hi - 8.3).abs() < 0.25,
            "range [{lo}, {hi}]"
        );
        let f = crossings_per_s(tail);
        assert!((f - 11.0).abs() < 1.0, "f = {f} Hz");
    }

    #[test]
    fn activity_types_as_the_gains_vary() {
        // Wendling 2002 Fig. 4 (values computed in spec §12.8): background noise around the
        // fixed point for the standard gains ...
        let bg = trace((3.25, 22.0, 10.0), 90.0, 30.0, 4.0, 7);
        let (m, sd) = mean_sd(&bg[bg.len() / 4..]);
        assert!((m - 0.88).abs() < 0.05 && sd < 0.2, "background {m} ± {sd}");
        // ... large rhythmic spikes at ≈ 4–5 Hz for (A, B, G) = (5, 25, 15) ...
        let rs = trace((5.0, 25.0, 15.0), 90.0, 30.0, 6.0, 7);
        let tail = &rs[rs.len() / 6..];
        let (_, sd_rs) = mean_sd(tail);
        let f_rs = crossings_per_s(tail);
        assert!(sd_rs > 1.0, "rhythmic spikes too small: sd {sd_rs}");
        assert!((3.0..6.5).contains(&f_rs), "rhythmic spikes at {f_rs} Hz");
        // ... and, with dendritic inhibition impaired, (5, 5, 25): low-voltage fast activity.
        let fast = trace((5.0, 5.0, 25.0), 90.0, 30.0, 4.0, 7);
        let tail = &fast[fast.len() / 4..];
        let (_, sd_f) = mean_sd(tail);
        let f_f = crossings_per_s(tail);
        assert!(
            sd_f < 0.3 && sd_f < 0.1 * sd_rs,
            "fast activity not low-voltage: {sd_f}"
        );
        assert!(f_f > 15.0, "fast activity at {f_f} Hz");
    }

    #[test]
    fn agrees_with_independent_rk4() {
        // Reference RK4 at 0.01 ms against the model's 0.1-ms substeps, 0.5 s at p = 220.
        let r = Reference::rk4(1e-5, |_, y: &[f64]| rhs_ref(220.0, y));
        let mut y = vec![0.0; 10];
        let mut u = WendlingNeuron::new();
        let mut worst: f64 = 0.0;
        for k in 0..500 {
            let out = u.step(220.0);
            for j in 0..100 {
                y = r.step((k * 100 + j) as f64 * 1e-5, &y);
            }
            worst = worst.max((out - (y[1] - y[2] - y[3])).abs());
        }
        assert!(worst < 1e-3, "max |u - u_ref| = {worst} mV");
    }

    #[test]
    fn noise_is_one_normal_per_step_and_reproducible() {
        // Same seed, same trace; the noise changes the trace; zero sigma draws nothing.
        let a = trace((3.25, 22.0, 10.0), 90.0, 30.0, 0.05, 3);
        let b = trace((3.25, 22.0, 10.0), 90.0, 30.0, 0.05, 3);
        let c = trace((3.25, 22.0, 10.0), 90.0, 30.0, 0.05, 4);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let d = trace((3.25, 22.0, 10.0), 90.0, 0.0, 0.05, 3);
        let e = trace((3.25, 22.0, 10.0), 90.0, 0.0, 0.05, 4);
        assert_eq!(d, e);
    }
}
