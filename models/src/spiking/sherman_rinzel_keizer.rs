//! `ShermanRinzelKeizerNeuron` — the "S-model" β-cell burster of Sherman & Rinzel (1992) and
//! Sherman (1994): a fast Ca²⁺/K⁺ spike generator on the time scale τ = 20 ms and a slow,
//! voltage-dependent K⁺ conductance S (τ_S = 20 s) that switches it between active and silent
//! phases (square-wave bursting). The class name is SC-NeuroCore's; the spec (§16.5b) takes the
//! equations from Keener & Sneyd's *Mathematical Physiology*, which presents this reduced form
//! under the Sherman–Rinzel–Keizer (SRK) label. It is not the SRK 1988 single-cell model (that
//! one has a Ca²⁺-activated K⁺ current and the state (V, n, Ca)).
//!
//! **Equations.** τ dV/dt = −g_Ca m∞(V)(V − V_Ca) − g_K n (V − V_K) − g_S S (V − V_K) + I + I_syn;
//! τ dn/dt = λ(n∞(V) − n); τ_S dS/dt = S∞(V) − S; x∞(V) = 1/(1 + e^{(V_x − V)/θ_x}) for
//! x = m, n, S. The conductances are dimensionless (scaled by the τ of the voltage equation).
//! I (port `current`) and I_syn are additions for driving the cell; with I = 0 and no synapses
//! the equations are those of the reference file below. No reset: the step returns `true` when
//! V crosses `v_threshold` (−35 mV) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.5 ms; with the τ = 20 ms scaling
//! the fastest rate is ≈ (g_Ca + g_K + g_S)/τ ≈ 0.9 ms⁻¹); a standalone step spans `dt`, as
//! SC-NeuroCore's does. The crossing is tested after every substep.
//!
//! **Units.** V in mV, t in ms, g dimensionless, I (and the synaptic current) in mV (the
//! voltage-equation form τ dV/dt = … + I).
//!
//! **Reference.** Sherman, A. & Rinzel, J. (1992) "Rhythmogenic effects of weak electrotonic
//! coupling in neuronal models", Proc. Natl. Acad. Sci. USA 89:2471–2474,
//! doi:10.1073/pnas.89.6.2471; also used in Sherman, A. (1994) "Anti-phase, asymmetric, and
//! aperiodic oscillations in excitable cells I. Coupled bursters", Bull. Math. Biol.
//! 56:811–835. The parameter values and the initial state are those of A. Sherman's own XPPAUT
//! file for this model, `Models/SModel/burst.ode` in the GitHub repository
//! `artielbm/artielbm.github.io` ("Generic Beta-Cell model with slow V-dependent K+ current",
//! citing the 1992 paper): g_Ca 3.6, g_K 10, g_S 4, V_Ca 25 mV, V_K −75 mV, V_m −20/θ_m 12,
//! V_n −16/θ_n 5.6, V_S −40/θ_S 10 mV, τ (`taun`) 20 ms, λ 0.9, τ_S 20 000 ms; initial state
//! V −60 mV, n 0.001, S 0.18.
//!
//! **Relation to SC-NeuroCore** (spec §16). Same interface (`step(current)`, one step of
//! 0.5 ms), state names (`v`, `n`, `s`) and conductances/reversals (g_Ca 3.6, g_K 10, g_S 4,
//! V_Ca 25, V_K −75 mV, m∞ V −20/θ 12, n∞ V −16). Differences, following burst.ode:
//! - V and n carry the time constant τ = 20 ms; SC-NeuroCore has none, so its fast dynamics run
//!   ≈ 20× too fast relative to S.
//! - n relaxes at λ/τ with λ = 0.9 (τ_n = 22.2 ms); SC-NeuroCore has no λ and uses Bertram's
//!   τ_n = 9.09 ms. θ_n = 5.6 (SC-NeuroCore: 5).
//! - τ_S = 20 s (SC-NeuroCore: 5 s) and V_S = −40 mV (SC-NeuroCore's s∞ = σ((V + 35)/10), i.e.
//!   V_S = −35).
//! - Initial state V −60 mV, n 0.001, S 0.18 (SC-NeuroCore: −50, 0.1, 0.1), the file's `init`,
//!   which starts the cell in the silent phase.
//! - RK4 in both paths (SC-NeuroCore's Rust port uses Euler).
//! - Detection level −35 mV instead of −20 mV: the spikes of this model peak at ≈ −22.5 mV, so
//!   −20 mV would detect none.
//!
//! The spec's own recalled set (§16.5b: λ ≈ 0.85, τ_S = 35 s, V_S ≈ −35 mV) fires tonically
//! (spec §16.5b [computed], reproduced in the tests). The value that decides this is V_S: with
//! V_S = −40 the same λ = 0.85 and τ_S = 35 s burst (4 spikes per burst), so no special λ is
//! needed for bursting. The gate constants, τ, λ and τ_S are parameters.
//!
//! **Not verified.** The text of the 1988 and 1992 papers was not consulted; the numbers come
//! from the author's model file named above, not from a table in a paper.
//!
//! **Paper fact tested.** A. Sherman's burst.ode, simulated independently (RK4 at 0.5 and 0.1 ms,
//! detection at −35 and −40 mV alike): with no input the cell bursts with a period of 4.19 s,
//! 5 spikes per burst, V between −63.8 and −22.5 mV; the tests check these numbers and the
//! burst structure against an independent integration in the test (spike intervals lengthen
//! toward the end of a burst, the approach to the homoclinic orbit that ends a square-wave
//! burst).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ShermanRinzelKeizerNeuron`].
    pub struct ShermanRinzelKeizerParams {
        /// Ca²⁺ conductance (scaled by τ), g_Ca [1].
        g_ca: f64 = 3.6,
        /// Delayed-rectifier K⁺ conductance (scaled by τ), g_K [1].
        g_k: f64 = 10.0,
        /// Slow K⁺ conductance (scaled by τ), g_S [1].
        g_s: f64 = 4.0,
        /// Ca²⁺ reversal potential, V_Ca [mV].
        e_ca: f64 = 25.0,
        /// K⁺ reversal potential, V_K [mV].
        e_k: f64 = -75.0,
        /// Time constant of the voltage equation, τ [ms].
        tau: f64 = 20.0,
        /// Rate factor of the K⁺ gate, λ (τ_n = τ/λ) [1].
        lambda: f64 = 0.9,
        /// Time constant of the slow variable, τ_S [ms].
        tau_s: f64 = 20_000.0,
        /// Half-activation of m∞, V_m [mV].
        v_m: f64 = -20.0,
        /// Slope of m∞, θ_m [mV].
        theta_m: f64 = 12.0,
        /// Half-activation of n∞, V_n [mV].
        v_n: f64 = -16.0,
        /// Slope of n∞, θ_n [mV].
        theta_n: f64 = 5.6,
        /// Half-activation of S∞, V_S [mV].
        v_s: f64 = -40.0,
        /// Slope of S∞, θ_S [mV].
        theta_s: f64 = 10.0,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [ms].
        dt: f64 = 0.5,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -35.0,
    }
}

impl ShermanRinzelKeizerParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("g_ca", self.g_ca)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_s", self.g_s)?;
        check::positive("tau", self.tau)?;
        check::positive("lambda", self.lambda)?;
        check::positive("tau_s", self.tau_s)?;
        check::positive("theta_m", self.theta_m)?;
        check::positive("theta_n", self.theta_n)?;
        check::positive("theta_s", self.theta_s)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`ShermanRinzelKeizerNeuron`].
    pub struct ShermanRinzelKeizerState {
        /// Membrane potential, V [mV].
        v: f64 => SrkV,
        /// Delayed-rectifier K⁺ activation, n [1].
        n: f64 => SrkN,
        /// Slow K⁺ activation, S [1].
        s: f64 => SrkS,
    }
}

/// Constants of [`ShermanRinzelKeizerNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ShermanRinzelKeizerConsts {
    p: ShermanRinzelKeizerParams,
    n: u32,
    h: f64,
}

/// The vector field (dV/dt, dn/dt, dS/dt) at `y` with input `i` [mV] and the synaptic
/// conductance input `x`.
#[inline(always)]
pub fn srk_rhs(
    p: &ShermanRinzelKeizerParams,
    y: &[f64; 3],
    i: f64,
    x: &Input<[f64; 1]>,
) -> [f64; 3] {
    let [v, n, s] = *y;
    let m_inf = sigmoid((v - p.v_m) / p.theta_m);
    let n_inf = sigmoid((v - p.v_n) / p.theta_n);
    let s_inf = sigmoid((v - p.v_s) / p.theta_s);
    let i_ion = p.g_ca * m_inf * (v - p.e_ca) + (p.g_k * n + p.g_s * s) * (v - p.e_k);
    [
        (i + x.syn(v) - i_ion) / p.tau,
        p.lambda * (n_inf - n) / p.tau,
        (s_inf - s) / p.tau_s,
    ]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn srk_step(
    k: &ShermanRinzelKeizerConsts,
    s: &mut ShermanRinzelKeizerState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let i = x.ports[0];
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.n, s.s];
        rk4(&mut y, k.h, |y| srk_rhs(p, y, i, x));
        [s.v, s.n, s.s] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Sherman & Rinzel (1992) S-model β-cell burster (SC-NeuroCore's SRK name).
pub struct ShermanRinzelKeizerNeuron;
}

impl ShermanRinzelKeizerNeuron {
    /// Advance one step (0.5 ms by default) with applied current `current` [mV]; `true` if V
    /// crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ShermanRinzelKeizerNeuron {
    const NAME: &'static str = "ShermanRinzelKeizerNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Sherman-Rinzel (1992) S-model beta-cell square-wave burster, tau = 20 ms, tau_S = 20 s";
    const REFERENCE: &'static str = "Sherman & Rinzel 1992, PNAS 89:2471, doi:10.1073/pnas.89.6.2471; parameters from A. Sherman's burst.ode (github.com/artielbm/artielbm.github.io, Models/SModel)";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[5.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = ShermanRinzelKeizerParams;
    type State = ShermanRinzelKeizerState;
    type Consts = ShermanRinzelKeizerConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ShermanRinzelKeizerParams) -> ShermanRinzelKeizerState {
        ShermanRinzelKeizerState {
            v: -60.0,
            n: 0.001,
            s: 0.18,
        }
    }
    fn standalone_span(p: &ShermanRinzelKeizerParams) -> f64 {
        p.dt
    }
    fn prepare(p: &ShermanRinzelKeizerParams, span: f64) -> ShermanRinzelKeizerConsts {
        let (n, h) = substeps(span, p.dt);
        ShermanRinzelKeizerConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &ShermanRinzelKeizerConsts,
        s: &mut ShermanRinzelKeizerState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        srk_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of `t_end` ms at I = 0: spike times [ms] (step ends) and the range of V [mV] after
    /// `t_from` ms.
    struct Run {
        spikes: Vec<f64>,
        v_min: f64,
        v_max: f64,
    }

    fn model_run(p: ShermanRinzelKeizerParams, t_end: f64, t_from: f64) -> Run {
        let mut n = ShermanRinzelKeizerNeuron::with_params(p).unwrap();
        let mut r = Run {
            spikes: Vec::new(),
            v_min: f64::INFINITY,
            v_max: f64::NEG_INFINITY,
        };
        for k in 1..=(t_end / 0.5) as usize {
            let t = k as f64 * 0.5;
            if n.step(0.0) {
                r.spikes.push(t);
            }
            if t >= t_from {
                r.v_min = r.v_min.min(n.state().v);
                r.v_max = r.v_max.max(n.state().v);
            }
        }
        r
    }

    /// Spike times [ms] from an independent integration (Heun, 0.05 ms) of burst.ode's
    /// equations, written in its own form g(V_x − v), from its initial state (−60, 0.001, 0.18)
    /// with λ, τ_S and V_S as given.
    fn reference_spikes(lambda: f64, tau_s: f64, v_s: f64, t_end: f64) -> Vec<f64> {
        let b = |v: f64, vh: f64, sl: f64| 1.0 / (1.0 + ((vh - v) / sl).exp());
        let f = |v: f64, n: f64, s: f64| {
            (
                (3.6 * b(v, -20.0, 12.0) * (25.0 - v)
                    + 10.0 * n * (-75.0 - v)
                    + 4.0 * s * (-75.0 - v))
                    / 20.0,
                lambda * (b(v, -16.0, 5.6) - n) / 20.0,
                (b(v, v_s, 10.0) - s) / tau_s,
            )
        };
        let (mut v, mut n, mut s, h) = (-60.0f64, 0.001f64, 0.18f64, 0.05);
        let mut t = Vec::new();
        for k in 1..=(t_end / h) as usize {
            let (a1, b1, c1) = f(v, n, s);
            let (a2, b2, c2) = f(v + h * a1, n + h * b1, s + h * c1);
            let vn = v + 0.5 * h * (a1 + a2);
            n += 0.5 * h * (b1 + b2);
            s += 0.5 * h * (c1 + c2);
            if v < -35.0 && vn >= -35.0 {
                t.push(k as f64 * h);
            }
            v = vn;
        }
        t
    }

    /// Complete bursts as (first spike, last spike, spike count); silences > 1 s separate
    /// bursts. The last group of spikes is left out (the run may cut it short).
    fn bursts(t: &[f64]) -> Vec<(f64, f64, usize)> {
        let mut out = Vec::new();
        let (mut start, mut count) = (t[0], 1);
        for w in t.windows(2) {
            if w[1] - w[0] > 1000.0 {
                out.push((start, w[0], count));
                start = w[1];
                count = 1;
            } else {
                count += 1;
            }
        }
        out
    }

    #[test]
    fn bursts_every_4_19_s_with_5_spikes() {
        // A. Sherman's burst.ode, simulated independently: period 4.19 s, 5 spikes per burst,
        // V between −63.8 and −22.5 mV.
        let r = model_run(ShermanRinzelKeizerParams::default(), 30_000.0, 10_000.0);
        let b = bursts(&r.spikes);
        // After a transient of two bursts, at least three more.
        let late = &b[2..];
        assert!(late.len() >= 3, "{b:?}");
        for w in late.windows(2) {
            let period = w[1].0 - w[0].0;
            assert!(
                (period - 4190.0).abs() < 0.03 * 4190.0,
                "{period} ms: {b:?}"
            );
        }
        // Same detection rule and numerics as the independent run, so the count is exact.
        assert!(late.iter().all(|x| x.2 == 5), "{b:?}");
        assert!((r.v_min + 63.8).abs() < 0.2, "{}", r.v_min);
        assert!((r.v_max + 22.5).abs() < 0.2, "{}", r.v_max);
    }

    #[test]
    fn square_wave_burst_structure() {
        let t_end = 30_000.0;
        let t = model_run(ShermanRinzelKeizerParams::default(), t_end, 0.0).spikes;
        let b = bursts(&t);
        // Silent phases of seconds, longer than the active phases.
        for w in b.windows(2).skip(1) {
            let (active, silent) = (w[0].1 - w[0].0, w[1].0 - w[0].1);
            assert!(silent > 2000.0 && silent > 2.0 * active, "{b:?}");
        }
        // Intervals lengthen toward the end of a burst (approach to the homoclinic orbit).
        let within: Vec<f64> = t
            .windows(2)
            .filter(|w| w[0] >= b[2].0 && w[1] <= b[2].1)
            .map(|w| w[1] - w[0])
            .collect();
        assert!(within.windows(2).all(|w| w[1] > w[0]), "{within:?}");
        assert!(within[within.len() - 1] > 1.4 * within[0], "{within:?}");
        // An independent integration gives the same bursts.
        let r = bursts(&reference_spikes(0.9, 20_000.0, -40.0, t_end));
        assert_eq!(r.len(), b.len(), "{r:?} vs {b:?}");
        for (x, y) in r.iter().zip(&b) {
            assert_eq!(x.2, y.2, "{r:?} vs {b:?}");
            assert!((x.0 - y.0).abs() < 0.01 * y.0, "{r:?} vs {b:?}");
        }
    }

    #[test]
    fn v_s_decides_between_tonic_firing_and_bursting() {
        // Spec §16.5b [computed]: its recalled set (λ 0.85, τ_S 35 s, V_S −35 mV) fires
        // tonically, no silent phases; re-derived here by the independent integration.
        let p = ShermanRinzelKeizerParams {
            lambda: 0.85,
            tau_s: 35_000.0,
            v_s: -35.0,
            ..Default::default()
        };
        let late = |t: Vec<f64>| -> Vec<f64> { t.into_iter().filter(|&x| x > 10_000.0).collect() };
        let m = late(model_run(p.clone(), 40_000.0, 0.0).spikes);
        assert!(m.len() > 50, "{}", m.len());
        assert!(m.windows(2).all(|w| w[1] - w[0] < 1000.0));
        let r = late(reference_spikes(0.85, 35_000.0, -35.0, 40_000.0));
        assert!(r.windows(2).all(|w| w[1] - w[0] < 1000.0));
        assert!(r.len().abs_diff(m.len()) <= 2, "{} vs {}", r.len(), m.len());
        // The same λ and τ_S with burst.ode's V_S = −40 mV burst, 4 spikes per burst (model
        // and independent integration alike): V_S, not λ, decides.
        let p = ShermanRinzelKeizerParams { v_s: -40.0, ..p };
        let b = bursts(&model_run(p, 40_000.0, 0.0).spikes);
        let r = bursts(&reference_spikes(0.85, 35_000.0, -40.0, 40_000.0));
        assert!(b.len() >= 5, "{b:?}");
        assert!(b.iter().all(|x| x.2 == 4), "{b:?}");
        assert!(
            r.iter().all(|x| x.2 == 4) && r.len() == b.len(),
            "{r:?} vs {b:?}"
        );
    }
}
