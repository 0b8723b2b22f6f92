//! `WongWangUnit` — the reduced two-variable decision circuit of Wong & Wang (2006): two
//! NMDA gating variables, self-excitation, cross-inhibition and AMPA-filtered input noise.
//!
//! **Equations** (Wong & Wang 2006, reduced model; time in seconds, currents in nA):
//! x1 = J_N s1 − J_cross s2 + I0 + I1 + n1, x2 = J_N s2 − J_cross s1 + I0 + I2 + n2;
//! H(x) = (a x − b) / (1 − e^(−d (a x − b))) [Hz];
//! ds_i/dt = −s_i/τ_S + (1 − s_i) γ H(x_i);
//! τ_AMPA dn_i/dt = −n_i + σ √τ_AMPA η_i(t) (η white noise: stationary SD of n_i is σ/√2).
//! I1, I2 = `stim1`, `stim2` (the paper's stimulus is J_A,ext μ0 (1 ± c′/100), formed by the
//! caller). The unit emits H(x1), the rate of population 1, computed from the state at the
//! start of the step (as SC-NeuroCore does); the standalone `step` returns (H(x1), H(x2)).
//!
//! **Numerics.** Over one step the noise is held at its value at the start of the step (as
//! in Euler–Maruyama) and s1, s2 are integrated with RK4 in substeps of at most `substep`
//! (0.1 ms); then the noise takes the exact Ornstein–Uhlenbeck update
//! n ← n e^(−Δ/τ_AMPA) + σ √((1 − e^(−2Δ/τ_AMPA))/2) ξ, stable for any step Δ. Engine time is
//! in ms (a standalone step spans `span` = 0.1 ms, SC-NeuroCore's dt = 1e−4 s); the
//! constants are per second as in the paper.
//!
//! **Randomness.** Exactly two standard normals per step, ξ1 then ξ2, from the `rng`
//! argument.
//!
//! **Reference.** Wong, K.-F. & Wang, X.-J. (2006) A recurrent network mechanism of time
//! integration in perceptual decisions. J. Neurosci. 26:1314–1328,
//! doi:10.1523/JNEUROSCI.3733-05.2006. Constants as listed in the spec (§10) from the paper's
//! reduced model: a = 270 Hz/nA, b = 108 Hz, d = 0.154 s, γ = 0.641, τ_S = 100 ms,
//! τ_AMPA = 2 ms, J_N,11 = 0.2609 nA, J_N,12 = 0.0497 nA, I0 = 0.3255 nA, σ = 0.02 nA;
//! stimulus J_A,ext = 5.2e−4 nA/Hz, μ0 = 30 Hz. Decision threshold 15 Hz (Wong & Wang 2006).
//!
//! **Relation to SC-NeuroCore** (spec §10). Same ports (`stim1`, `stim2`), states (`s1`,
//! `s2`, `noise1`, `noise2`; initial 0.1, 0.1, 0, 0), parameter names and defaults; the
//! transfer constants a, b, d are parameters here (`a`, `b`, `d`). Differences: the step
//! length is `span` in ms instead of `dt` in s; s is integrated with RK4 substeps instead of
//! Euler, and the noise with the exact OU update instead of Euler–Maruyama (the spec names it
//! the better option; identical in distribution in the limit of small steps); the network
//! output is only population 1's rate (an entity emits one value); the explicit-sample entry
//! point `step_with_gaussian_samples` is not provided (the normals come from the engine's
//! counter-based `rng`); a step that would leave s outside [0, 1] is not refused (the exact
//! flow keeps s in [0, 1]).
//!
//! **Paper facts tested** (spec §10, computed from the reduced equations with noise off;
//! re-derived in the tests by solving the steady-state equations): spontaneous symmetric state
//! S ≈ 0.1027, H ≈ 1.78 Hz; memory attractor winner S ≈ 0.567, H ≈ 20.4 Hz, loser ≈ 0.51 Hz;
//! with μ0 = 30 Hz, c′ = 0 the decision attractor winner ≈ 30.1 Hz (S ≈ 0.659), loser ≈ 0.85 Hz.
//! With noise and c′ = 25.6 % population 1 wins most trials (Wong & Wang 2006, Fig. 2–3), its
//! rate crossing the 15-Hz decision threshold; the stationary SD of the noise is σ/√2.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`WongWangUnit`].
    pub struct WongWangParams {
        /// NMDA gating time constant, τ_S [s].
        tau_s: f64 = 0.1,
        /// Noise (AMPA) time constant, τ_AMPA [s].
        tau_ampa: f64 = 0.002,
        /// NMDA kinetic factor, γ [1].
        gamma: f64 = 0.641,
        /// Self-coupling, J_N,11 = J_N,22 [nA].
        j_n: f64 = 0.2609,
        /// Cross-inhibition magnitude, J_N,12 = J_N,21 [nA].
        j_cross: f64 = 0.0497,
        /// Background current, I0 [nA].
        i_0: f64 = 0.3255,
        /// Noise amplitude, σ_noise [nA].
        sigma: f64 = 0.02,
        /// Transfer-function gain, a [Hz/nA].
        a: f64 = 270.0,
        /// Transfer-function offset, b [Hz].
        b: f64 = 108.0,
        /// Transfer-function curvature, d [s].
        d: f64 = 0.154,
        /// Time spanned by one standalone `step()` (SC-NeuroCore's `dt` = 1e−4 s) [ms].
        span: f64 = 0.1,
        /// Largest internal RK4 substep for s1, s2 [ms].
        substep: f64 = 0.1,
    }
}

impl WongWangParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("tau_s", self.tau_s),
            ("tau_ampa", self.tau_ampa),
            ("gamma", self.gamma),
            ("a", self.a),
            ("d", self.d),
            ("span", self.span),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        check::non_negative("sigma", self.sigma)
    }
}

neuron_state! {
    /// State of [`WongWangUnit`].
    pub struct WongWangState {
        /// NMDA gating variable of population 1, S1 [1].
        s1: f64 => WwS1,
        /// NMDA gating variable of population 2, S2 [1].
        s2: f64 => WwS2,
        /// AMPA-filtered noise current to population 1 [nA].
        noise1: f64 => WwNoise1,
        /// AMPA-filtered noise current to population 2 [nA].
        noise2: f64 => WwNoise2,
    }
}

/// Constants of [`WongWangUnit`] for one step.
#[derive(Clone, Debug)]
pub struct WongWangConsts {
    p: WongWangParams,
    n: u32,
    /// Substep [s].
    h: f64,
    /// e^(−Δ/τ_AMPA).
    decay: f64,
    /// σ √((1 − e^(−2Δ/τ_AMPA))/2).
    kick: f64,
}

/// The transfer function H(x) = (a x − b)/(1 − e^(−d (a x − b))) [Hz], ≥ 0.
#[inline(always)]
pub fn wong_wang_rate(p: &WongWangParams, x: f64) -> f64 {
    lin(p.a * x - p.b, 1.0 / p.d).max(0.0)
}

/// The two populations' input currents x1, x2 [nA] for the state `s` and stimuli.
#[inline(always)]
fn currents(p: &WongWangParams, s: &WongWangState, i1: f64, i2: f64) -> (f64, f64) {
    (
        p.j_n * s.s1 - p.j_cross * s.s2 + p.i_0 + i1 + s.noise1,
        p.j_n * s.s2 - p.j_cross * s.s1 + p.i_0 + i2 + s.noise2,
    )
}

/// The rates (H(x1), H(x2)) [Hz] of the state `s` under stimuli `i1`, `i2` [nA].
pub fn wong_wang_rates(p: &WongWangParams, s: &WongWangState, i1: f64, i2: f64) -> (f64, f64) {
    let (x1, x2) = currents(p, s, i1, i2);
    (wong_wang_rate(p, x1), wong_wang_rate(p, x2))
}

/// One step; returns H(x1) from the state at the start of the step. Draws two normals.
#[inline(always)]
pub fn wong_wang_step(
    k: &WongWangConsts,
    s: &mut WongWangState,
    i1: f64,
    i2: f64,
    rng: &mut NeuronRng,
) -> f64 {
    let p = &k.p;
    let (x1, _) = currents(p, s, i1, i2);
    let out = wong_wang_rate(p, x1);
    let c1 = p.i_0 + i1 + s.noise1;
    let c2 = p.i_0 + i2 + s.noise2;
    let mut y = [s.s1, s.s2];
    for _ in 0..k.n {
        rk4(&mut y, k.h, |y| {
            let [a, b] = *y;
            let h1 = wong_wang_rate(p, p.j_n * a - p.j_cross * b + c1);
            let h2 = wong_wang_rate(p, p.j_n * b - p.j_cross * a + c2);
            [
                -a / p.tau_s + (1.0 - a) * p.gamma * h1,
                -b / p.tau_s + (1.0 - b) * p.gamma * h2,
            ]
        });
    }
    [s.s1, s.s2] = y;
    let (xi1, xi2) = (rng.normal(), rng.normal());
    s.noise1 = s.noise1 * k.decay + k.kick * xi1;
    s.noise2 = s.noise2 * k.decay + k.kick * xi2;
    out
}

standalone! {
/// Wong–Wang (2006) reduced two-population decision circuit.
pub struct WongWangUnit;
}

impl WongWangUnit {
    /// Advance one step (0.1 ms by default) with stimulus currents `stim1`, `stim2` [nA];
    /// returns the two populations' rates (H(x1), H(x2)) [Hz] from the state at the start of
    /// the step (NaN, NaN if the step is refused).
    pub fn step(&mut self, stim1: f64, stim2: f64) -> (f64, f64) {
        let before = wong_wang_rates(self.params(), self.state(), stim1, stim2);
        let out = self.step_or_none([stim1, stim2]);
        if out.is_nan() {
            (f64::NAN, f64::NAN)
        } else {
            before
        }
    }
}

impl Model for WongWangUnit {
    const NAME: &'static str = "WongWangUnit";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Wong-Wang 2006 reduced two-population decision circuit (value output: rate 1, Hz)";
    const REFERENCE: &'static str =
        "Wong & Wang 2006, J Neurosci 26:1314, doi:10.1523/JNEUROSCI.3733-05.2006";
    const PORTS: &'static [&'static str] = &["stim1", "stim2"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.0177, 0.0135];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = WongWangParams;
    type State = WongWangState;
    type Consts = WongWangConsts;
    type Ports = [f64; 2];
    type Output = f64;

    fn init(_: &WongWangParams) -> WongWangState {
        WongWangState {
            s1: 0.1,
            s2: 0.1,
            noise1: 0.0,
            noise2: 0.0,
        }
    }
    fn standalone_span(p: &WongWangParams) -> f64 {
        p.span
    }
    fn prepare(p: &WongWangParams, span: f64) -> WongWangConsts {
        let (n, h) = substeps(span, p.substep);
        let decay = (-span * 1e-3 / p.tau_ampa).exp();
        WongWangConsts {
            p: p.clone(),
            n,
            h: h * 1e-3,
            decay,
            kick: p.sigma * (0.5 * (1.0 - decay * decay)).sqrt(),
        }
    }
    #[inline(always)]
    fn update(
        k: &WongWangConsts,
        s: &mut WongWangState,
        x: &Input<[f64; 2]>,
        rng: &mut NeuronRng,
    ) -> f64 {
        wong_wang_step(k, s, x.ports[0], x.ports[1], rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// H typed again from the paper, without the engine's `lin`.
    fn h_ref(x: f64) -> f64 {
        let z = 270.0 * x - 108.0;
        z / (1.0 - (-0.154 * z).exp())
    }

    /// Reduced equations typed again (noise off): d(s1, s2)/dt [1/s].
    fn rhs(i1: f64, i2: f64, y: &[f64]) -> Vec<f64> {
        let x1 = 0.2609 * y[0] - 0.0497 * y[1] + 0.3255 + i1;
        let x2 = 0.2609 * y[1] - 0.0497 * y[0] + 0.3255 + i2;
        vec![
            -y[0] / 0.1 + (1.0 - y[0]) * 0.641 * h_ref(x1),
            -y[1] / 0.1 + (1.0 - y[1]) * 0.641 * h_ref(x2),
        ]
    }

    /// Newton's method on rhs = 0 (numerical Jacobian) from `y`.
    fn newton(i1: f64, i2: f64, mut y: [f64; 2]) -> [f64; 2] {
        for _ in 0..50 {
            let f = rhs(i1, i2, &y);
            let e = 1e-7;
            let mut jac = [[0.0; 2]; 2];
            for c in 0..2 {
                let mut yp = y;
                yp[c] += e;
                let fp = rhs(i1, i2, &yp);
                for r in 0..2 {
                    jac[r][c] = (fp[r] - f[r]) / e;
                }
            }
            let det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
            y[0] -= (jac[1][1] * f[0] - jac[0][1] * f[1]) / det;
            y[1] -= (jac[0][0] * f[1] - jac[1][0] * f[0]) / det;
        }
        let f = rhs(i1, i2, &y);
        assert!(
            f[0].abs() + f[1].abs() < 1e-9,
            "Newton did not converge: {f:?}"
        );
        y
    }

    /// A noiseless unit at 1-ms steps (0.1-ms substeps).
    fn quiet(s1: f64, s2: f64) -> WongWangUnit {
        let p = WongWangParams {
            sigma: 0.0,
            ..Default::default()
        };
        let mut u = WongWangUnit::with_span(p, 1.0).unwrap();
        u.state_mut().s1 = s1;
        u.state_mut().s2 = s2;
        u
    }

    /// Settle a noiseless unit for `t` seconds; returns its final (r1, r2) and (s1, s2).
    fn settle(u: &mut WongWangUnit, i1: f64, i2: f64, t: f64) -> ((f64, f64), (f64, f64)) {
        let mut r = (0.0, 0.0);
        for _ in 0..(t * 1000.0) as usize {
            r = u.step(i1, i2);
        }
        (r, (u.state().s1, u.state().s2))
    }

    #[test]
    fn transfer_function_matches_closed_form() {
        let p = WongWangParams::default();
        for x in [0.2, 0.35, 0.39, 0.4 + 1e-6, 0.41, 0.5, 0.7] {
            let (m, r) = (wong_wang_rate(&p, x), h_ref(x));
            assert!(
                (m - r).abs() <= 1e-9 * r.abs().max(1.0),
                "H({x}) = {m} vs {r}"
            );
        }
        // The removable point a x = b: H = 1/d.
        assert!((wong_wang_rate(&p, 0.4) - 1.0 / 0.154).abs() < 1e-9);
    }

    #[test]
    fn spontaneous_and_memory_states() {
        // Spontaneous symmetric state (spec §10: S ≈ 0.1027, H ≈ 1.78 Hz).
        let (r, s) = settle(&mut quiet(0.1, 0.1), 0.0, 0.0, 3.0);
        let fp = newton(0.0, 0.0, [s.0, s.1]);
        assert!((s.0 - fp[0]).abs() < 1e-6 && (s.1 - fp[1]).abs() < 1e-6);
        assert!((fp[0] - 0.1027).abs() < 5e-4, "S = {}", fp[0]);
        assert!(
            (r.0 - 1.78).abs() < 0.01 && (r.1 - 1.78).abs() < 0.01,
            "{r:?}"
        );
        // Memory attractor from a winner-biased start (spec §10: S ≈ 0.567, 20.4 / 0.51 Hz).
        let (r, s) = settle(&mut quiet(0.6, 0.05), 0.0, 0.0, 3.0);
        let fp = newton(0.0, 0.0, [s.0, s.1]);
        assert!((s.0 - fp[0]).abs() < 1e-6 && (s.1 - fp[1]).abs() < 1e-6);
        assert!((fp[0] - 0.567).abs() < 1e-3, "S = {}", fp[0]);
        assert!(
            (r.0 - 20.4).abs() < 0.1 && (r.1 - 0.51).abs() < 0.02,
            "{r:?}"
        );
    }

    #[test]
    fn decision_attractor_at_zero_coherence() {
        // μ0 = 30 Hz, c′ = 0: I = 5.2e−4 · 30 = 0.0156 nA to both (spec §10: winner ≈ 30.1 Hz,
        // S ≈ 0.659, loser ≈ 0.85 Hz). A slight initial bias picks the winner.
        let i = 5.2e-4 * 30.0;
        let (r, s) = settle(&mut quiet(0.11, 0.1), i, i, 3.0);
        let fp = newton(i, i, [s.0, s.1]);
        assert!((s.0 - fp[0]).abs() < 1e-6 && (s.1 - fp[1]).abs() < 1e-6);
        assert!((fp[0] - 0.659).abs() < 1e-3, "S = {}", fp[0]);
        assert!(
            (r.0 - 30.1).abs() < 0.15 && (r.1 - 0.85).abs() < 0.03,
            "{r:?}"
        );
        // The symmetric state is unstable there: a perturbation of 1e−3 grows.
        let sym = newton(i, i, [0.3, 0.3]);
        let (_, s) = settle(&mut quiet(sym[0] + 1e-3, sym[1]), i, i, 3.0);
        assert!(s.0 - s.1 > 0.3, "symmetric state did not split: {s:?}");
    }

    #[test]
    fn agrees_with_independent_rk4() {
        // Noise off, stimulus c′ = 25.6 %: the model at 0.1-ms substeps vs the reference
        // RK4 at 0.01 ms over 1 s.
        let (i1, i2) = (5.2e-4 * 30.0 * 1.256, 5.2e-4 * 30.0 * 0.744);
        let r = Reference::rk4(1e-5, |_, y: &[f64]| rhs(i1, i2, y));
        let mut y = vec![0.1, 0.1];
        let mut u = quiet(0.1, 0.1);
        let mut worst: f64 = 0.0;
        for k in 0..1000 {
            u.step(i1, i2);
            for j in 0..100 {
                y = r.step((k * 100 + j) as f64 * 1e-5, &y);
            }
            worst = worst
                .max((u.state().s1 - y[0]).abs())
                .max((u.state().s2 - y[1]).abs());
        }
        assert!(worst < 1e-6, "max |s - s_ref| = {worst}");
    }

    #[test]
    fn noisy_decisions_favour_the_stronger_stimulus() {
        // c′ = 25.6 %, μ0 = 30 Hz; 40 trials of up to 2 s at 0.5-ms steps; the decision is
        // the first population whose rate crosses 15 Hz (Wong & Wang 2006).
        let (i1, i2) = (5.2e-4 * 30.0 * 1.256, 5.2e-4 * 30.0 * 0.744);
        let (mut wins, mut decided) = (0, 0);
        for trial in 0..40 {
            let mut u = WongWangUnit::with_span(WongWangParams::default(), 0.5).unwrap();
            u.set_seed(7, trial);
            for _ in 0..4000 {
                let (r1, r2) = u.step(i1, i2);
                if r1 > 15.0 || r2 > 15.0 {
                    decided += 1;
                    if r1 > r2 {
                        wins += 1;
                    }
                    break;
                }
            }
        }
        assert!(decided >= 38, "only {decided} of 40 trials decided");
        assert!(wins >= 32, "population 1 won {wins} of {decided}");
        // And the noise has stationary SD σ/√2 = 0.01414 nA (τ_AMPA = 2 ms, 1e4 samples
        // 5 ms apart, nearly independent: the SD estimate has ≈ 0.7 % error).
        let mut u = WongWangUnit::with_span(WongWangParams::default(), 0.5).unwrap();
        u.set_seed(3, 0);
        let mut v = Vec::new();
        for k in 0..100_000 {
            u.step(0.0, 0.0);
            if k % 10 == 9 {
                v.push(u.state().noise1);
            }
        }
        let m = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
        assert!((sd - 0.02 / 2f64.sqrt()).abs() < 0.0005, "noise SD {sd}");
    }
}
