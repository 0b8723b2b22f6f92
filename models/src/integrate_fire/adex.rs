//! `AdExNeuron` — the adaptive exponential integrate-and-fire neuron.
//!
//! **Equations.** C dv/dt = −g_L(v − E_L) + g_L·Δ_T·exp((v − V_T)/Δ_T) − w + I + I_syn(v);
//! τ_w dw/dt = a(v − E_L) − w. If v ≥ V_peak: v ← V_r, w ← w + b. Written with τ = C/g_L as
//! SC-NeuroCore does: dv/dt = [−(v − E_L) + Δ_T·e^((v − V_T)/Δ_T)]/τ + (I − w + I_syn)/C.
//!
//! **Numerics.** Classical RK4 on (v, w) in substeps of at most `substep` ms (0.025 ms default;
//! a standalone step spans `dt` = 0.1 ms as in SC-NeuroCore). In the RK4 stages v is clamped at
//! V_peak, so the exponential upswing cannot overflow; the threshold is tested after every
//! substep and the reset applied there.
//!
//! **Units.** v in mV, w and I in pA, C in pF, a in nS, τ in ms.
//!
//! **Reference.** Brette, R. & Gerstner, W. (2005) J. Neurophysiol. 94:3637–3642,
//! doi:10.1152/jn.00686.2005. Defaults are the paper's fit (C 281 pF, g_L 30 nS → τ = 9.367 ms,
//! E_L = V_r = −70.6 mV, V_T −50.4 mV, Δ_T 2 mV, τ_w 144 ms, a 4 nS, b 80.5 pA). Firing
//! patterns: Naud, Marcille, Clopath & Gerstner (2008) Biol. Cybern. 99:335–347,
//! doi:10.1007/s00422-008-0264-7.
//!
//! **Relation to SC-NeuroCore** (spec §19). Same names and interface (`step(current)` in pA,
//! one 0.1-ms step, state `v`, `w`). Differences, following the paper: (a) the defaults above
//! replace SC-NeuroCore's (v_rest −65, v_reset −68, V_T −55, τ 20, τ_w 100, a 0.5, b 7, C 200),
//! which are neither the 2005 fit nor a Naud pattern; (b) the spike cut V_peak (`v_threshold`)
//! is 0 mV (NEST's default and Naud et al.'s detection level) instead of −50 mV, which sat only
//! 2.5·Δ_T above V_T and truncated the upswing; (c) RK4 substeps with clamped stages replace
//! forward Euler, and SC-NeuroCore's exponent clip to [−20, 20] is unnecessary (the clamp keeps
//! the exponent finite); it is kept only as a guard against absurd Δ_T at 50.
//!
//! **Paper facts tested.** Naud et al. (2008, Table 1): tonic spiking (regular intervals),
//! adaptation (intervals lengthen), initial burst (short first intervals, then long), regular
//! bursting (repeating bursts).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`AdExNeuron`].
    pub struct AdExParams {
        /// Leak reversal potential, E_L [mV].
        v_rest: f64 = -70.6,
        /// Reset potential, V_r [mV].
        v_reset: f64 = -70.6,
        /// Spike cut-off (numerical peak), V_peak [mV].
        v_threshold: f64 = 0.0,
        /// Soft threshold (rheobase potential), V_T [mV].
        v_rh: f64 = -50.4,
        /// Slope factor, Δ_T [mV].
        delta_t: f64 = 2.0,
        /// Membrane time constant, τ = C/g_L [ms].
        tau: f64 = 281.0 / 30.0,
        /// Adaptation time constant, τ_w [ms].
        tau_w: f64 = 144.0,
        /// Subthreshold adaptation conductance, a [nS].
        a: f64 = 4.0,
        /// Spike-triggered adaptation increment, b [pA].
        b: f64 = 80.5,
        /// Membrane capacitance, C [pF].
        c_m: f64 = 281.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.025,
    }
}

impl AdExParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("delta_t", self.delta_t)?;
        check::positive("tau", self.tau)?;
        check::positive("tau_w", self.tau_w)?;
        check::positive("c_m", self.c_m)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("v_rh", self.v_rh, "v_threshold", self.v_threshold)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`AdExNeuron`].
    pub struct AdExState {
        /// Membrane potential, v [mV].
        v: f64 => AdExV,
        /// Adaptation current, w [pA].
        w: f64 => AdExW,
    }
}

/// Constants of [`AdExNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct AdExConsts {
    p: AdExParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps with threshold and reset after each.
#[inline(always)]
pub fn adex_step(k: &AdExConsts, s: &mut AdExState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v, s.w];
        rk4(&mut y, k.h, |y| {
            let v = y[0].min(p.v_threshold);
            let ex = ((v - p.v_rh) / p.delta_t).min(50.0).exp();
            [
                (-(v - p.v_rest) + p.delta_t * ex) / p.tau + (x.current(v) - y[1]) / p.c_m,
                (p.a * (v - p.v_rest) - y[1]) / p.tau_w,
            ]
        });
        s.v = y[0];
        s.w = y[1];
        if s.v >= p.v_threshold {
            s.v = p.v_reset;
            s.w += p.b;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005).
pub struct AdExNeuron;
}

impl AdExNeuron {
    /// The Naud et al. (2008, Table 1) parameter set of a firing pattern and its step current
    /// (pA): `tonic`, `adaptation`, `initial_burst`, `regular_bursting`.
    pub fn pattern(name: &str) -> Option<(AdExParams, f64)> {
        // (C pF, g_L nS, E_L, V_T, a nS, τ_w ms, b pA, V_r, I pA); Δ_T = 2 mV throughout.
        let (c, gl, el, vt, a, tw, b, vr, i) = match name {
            "tonic" => (200.0, 10.0, -70.0, -50.0, 2.0, 30.0, 0.0, -58.0, 500.0),
            "adaptation" => (200.0, 12.0, -70.0, -50.0, 2.0, 300.0, 60.0, -58.0, 500.0),
            "initial_burst" => (130.0, 18.0, -58.0, -50.0, 4.0, 150.0, 120.0, -50.0, 400.0),
            "regular_bursting" => (200.0, 10.0, -58.0, -50.0, 2.0, 120.0, 100.0, -46.0, 210.0),
            _ => return None,
        };
        Some((
            AdExParams {
                v_rest: el,
                v_reset: vr,
                v_rh: vt,
                tau: c / gl,
                tau_w: tw,
                a,
                b,
                c_m: c,
                ..Default::default()
            },
            i,
        ))
    }

    /// Advance one step (0.1 ms by default) with injected current `current` [pA].
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for AdExNeuron {
    const NAME: &'static str = "AdExNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Adaptive exponential integrate-and-fire (Brette & Gerstner 2005)";
    const REFERENCE: &'static str =
        "Brette & Gerstner 2005, J Neurophysiol 94:3637, doi:10.1152/jn.00686.2005";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[800.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = AdExParams;
    type State = AdExState;
    type Consts = AdExConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &AdExParams) -> AdExState {
        AdExState {
            v: p.v_rest,
            w: 0.0,
        }
    }
    fn standalone_span(p: &AdExParams) -> f64 {
        p.dt
    }
    fn prepare(p: &AdExParams, span: f64) -> AdExConsts {
        let (n, h) = substeps(span, p.substep);
        AdExConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(k: &AdExConsts, s: &mut AdExState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        adex_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interspike intervals (ms) over 600 ms of the pattern's step current, as in Naud et al.
    fn isis(pattern: &str) -> Vec<f64> {
        let (p, i) = AdExNeuron::pattern(pattern).unwrap();
        let mut n = AdExNeuron::with_params(p).unwrap();
        let t: Vec<f64> = (0..6000)
            .filter(|_| n.step(i))
            .map(|k| (k + 1) as f64 * 0.1)
            .collect();
        t.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[test]
    fn tonic_spiking_is_regular() {
        let d = isis("tonic");
        assert!(d.len() > 10, "{d:?}");
        // Regular once settled (intervals equal to the step grid), and almost no transient:
        // the first interval is within 10 % of the last (adaptation: a factor ~7, below).
        let tail = &d[d.len() / 2..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(hi - lo <= 0.11, "tonic ISIs vary: {d:?}");
        assert!(d[0] > 0.9 * d[d.len() - 1], "tonic pattern adapts: {d:?}");
    }

    #[test]
    fn adaptation_lengthens_intervals() {
        let d = isis("adaptation");
        assert!(d.len() > 5, "{d:?}");
        assert!(
            d.windows(2).all(|w| w[1] >= w[0] - 0.11),
            "not monotone: {d:?}"
        );
        assert!(d[d.len() - 1] > 2.0 * d[0], "weak adaptation: {d:?}");
    }

    #[test]
    fn initial_burst_then_single_spikes() {
        let d = isis("initial_burst");
        let last = d[d.len() - 1];
        assert!(d[0] < 0.25 * last, "no initial burst: {d:?}");
        assert!(d[d.len() / 2..].iter().all(|&x| x > 0.6 * last), "{d:?}");
    }

    #[test]
    fn regular_bursting_repeats_bursts() {
        let d = isis("regular_bursting");
        let max = d.iter().cloned().fold(0.0, f64::max);
        let long = d.iter().filter(|&&x| x > 0.5 * max).count();
        let short = d.iter().filter(|&&x| x < 0.2 * max).count();
        assert!(long >= 3, "fewer than 3 inter-burst gaps: {d:?}");
        assert!(short >= long, "bursts of single spikes: {d:?}");
    }
}
