//! `BendaHerzNeuron` — Benda & Herz's (2003) universal model of spike-frequency adaptation,
//! with a deterministic phase spike generator.
//!
//! **Equations.** Firing rate f = f₀(I − a) with the onset f–I curve
//! f₀(x) = g·√max(x − x₀, 0) (Hz); adaptation τ_a da/dt = A∞(f) − a with A∞(f) = γ_A·f;
//! spike generator dφ/dt = f/1000 (per ms). When φ reaches 1 the neuron spikes and φ ← φ − 1.
//! The steady-state rate solves f∞ = f₀(I − γ_A f∞).
//!
//! **Numerics.** Classical RK4 on (a, φ) in substeps of at most `dt` (0.1 ms; φ' depends on a
//! only, so this is RK4 on a with the phase advanced by the RK4-weighted rate); the phase is
//! tested after every substep and keeps its overshoot. A standalone step spans `dt`.
//!
//! **Units.** t in ms, f in Hz, I and a in the stimulus units of f₀'s argument, γ_A in
//! stimulus/Hz.
//!
//! **Reference.** Benda, J. & Herz, A.V.M. (2003) "A universal model for spike-frequency
//! adaptation", Neural Comput. 15:2523–2564, doi:10.1162/089976603322385063. The square-root
//! onset curve and the linear A∞ are one concrete choice of the paper's generic f₀ and A∞.
//!
//! **Relation to SC-NeuroCore** (spec §9). Same interface, state (`a`, `phase` from 0),
//! parameters and defaults. Differences: (a) after a spike φ ← φ − 1 keeps the overshoot
//! (SC-NeuroCore resets to 0, which rounds every interval up to the step grid and biases rates
//! low); (b) if φ would pass 2 in one substep (rates above 10 kHz at 0.1 ms) it keeps its
//! fractional part and one spike is reported instead of an error; (c) a network step is split
//! into RK4 substeps of at most `dt`, each tested; (d) a is not checked to stay ≥ 0 (A∞ ≥ 0
//! keeps it there from any a ≥ 0).
//!
//! **Paper facts tested** (the paper's theory applied to the defaults, spec §9.8). Onset rate
//! f₀(1) = 60 Hz; steady-state rate f∞(1) = (−g²γ_A + √(g⁴γ_A² + 4g²I))/2 = 9.7367 Hz (A* =
//! 0.97367), reached with mean interval 1000/f∞ = 102.70 ms; the effective adaptation time
//! constant τ_eff = τ_a f∞'(I)/f₀'(I − A*) = τ_a/(1 + γ_A f₀'(I − A*)) = 5.13 ms at I = 1
//! (2.67 ms at 0.5, 9.55 ms at 2), the rate of relaxation of a near its steady state.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`BendaHerzNeuron`].
    pub struct BendaHerzParams {
        /// Gain of the onset f–I curve f₀(x) = g√(x − x₀), g [Hz/√stimulus].
        onset_gain: f64 = 60.0,
        /// Onset threshold of f₀, x₀ [stimulus].
        rheobase: f64 = 0.0,
        /// Slope of the steady-state adaptation A∞(f) = γ_A·f, γ_A [stimulus/Hz].
        adaptation_slope: f64 = 0.1,
        /// Adaptation time constant, τ_a [ms].
        tau_a: f64 = 100.0,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [ms].
        dt: f64 = 0.1,
    }
}

impl BendaHerzParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("onset_gain", self.onset_gain)?;
        check::non_negative("adaptation_slope", self.adaptation_slope)?;
        check::positive("tau_a", self.tau_a)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`BendaHerzNeuron`].
    pub struct BendaHerzState {
        /// Adaptation level, a [stimulus].
        a: f64 => BhA,
        /// Phase of the spike generator, φ ∈ [0, 1) [1].
        phase: f64 => BhPhase,
    }
}

/// Constants of [`BendaHerzNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct BendaHerzConsts {
    p: BendaHerzParams,
    n: u32,
    h: f64,
}

/// The onset f–I curve f₀(x) = g√max(x − x₀, 0) [Hz].
#[inline(always)]
pub fn onset_rate(p: &BendaHerzParams, x: f64) -> f64 {
    p.onset_gain * (x - p.rheobase).max(0.0).sqrt()
}

/// One step: `k.n` RK4 substeps of (a, φ), a spike when φ reaches 1 (φ ← φ − 1).
#[inline(always)]
pub fn bh_step(k: &BendaHerzConsts, s: &mut BendaHerzState, i: f64) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.a, s.phase];
        rk4(&mut y, k.h, |y| {
            let f = onset_rate(p, i - y[0]);
            [(p.adaptation_slope * f - y[0]) / p.tau_a, f * 1e-3]
        });
        s.a = y[0];
        s.phase = y[1];
        if s.phase >= 1.0 {
            s.phase = if s.phase < 2.0 {
                s.phase - 1.0
            } else {
                s.phase.fract()
            };
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Benda–Herz (2003) adapting phase neuron.
pub struct BendaHerzNeuron;
}

impl BendaHerzNeuron {
    /// Advance one step (0.1 ms by default) with stimulus `current` [stimulus]; `true` on a
    /// spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for BendaHerzNeuron {
    const NAME: &'static str = "BendaHerzNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Benda-Herz universal spike-frequency adaptation model (phase generator)";
    const REFERENCE: &'static str =
        "Benda & Herz 2003, Neural Comput 15:2523, doi:10.1162/089976603322385063";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = BendaHerzParams;
    type State = BendaHerzState;
    type Consts = BendaHerzConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &BendaHerzParams) -> BendaHerzState {
        BendaHerzState { a: 0.0, phase: 0.0 }
    }
    fn standalone_span(p: &BendaHerzParams) -> f64 {
        p.dt
    }
    fn prepare(p: &BendaHerzParams, span: f64) -> BendaHerzConsts {
        let (n, h) = substeps(span, p.dt);
        BendaHerzConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &BendaHerzConsts,
        s: &mut BendaHerzState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        bh_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steady-state rate: the positive root of f² + g²γ f − g² I = 0 (x₀ = 0).
    fn f_inf(i: f64) -> f64 {
        let (g2, gamma) = (3600.0, 0.1);
        (-g2 * gamma + (g2 * g2 * gamma * gamma + 4.0 * g2 * i).sqrt()) / 2.0
    }

    /// τ_eff = τ_a/(1 + γ_A f₀'(I − A*)), with f₀'(x) = g/(2√x) = g²/(2 f∞).
    fn tau_eff(i: f64) -> f64 {
        100.0 / (1.0 + 0.1 * 3600.0 / (2.0 * f_inf(i)))
    }

    #[test]
    fn onset_rate_is_60_hz() {
        // First 0.1 ms at I = 1: φ ≈ f₀(1)·0.1/1000 = 0.006 (a has grown only ≈ 0.0003).
        let mut n = BendaHerzNeuron::new();
        n.step(1.0);
        assert!(
            (n.state().phase - 0.006).abs() < 1e-5,
            "{}",
            n.state().phase
        );
    }

    #[test]
    fn steady_state_rate_and_adaptation() {
        // Spec §9.8: f∞(1) ≈ 9.74 Hz, A* ≈ 0.974.
        let f = f_inf(1.0);
        assert!((f - 9.7367).abs() < 1e-4, "{f}");
        let mut n = BendaHerzNeuron::new();
        let t: Vec<usize> = (0..30_000).filter(|_| n.step(1.0)).collect();
        assert!((n.state().a - 0.1 * f).abs() < 1e-6, "{}", n.state().a);
        // Mean of the late intervals: 1000/f∞ = 102.70 ms (the overshoot is kept, so the
        // 0.1-ms grid does not bias the mean; a reset to 0 would give 102.8).
        let late: Vec<&usize> = t.iter().filter(|&&k| k > 10_000).collect();
        let mean = (*late[late.len() - 1] - *late[0]) as f64 * 0.1 / (late.len() - 1) as f64;
        assert!(
            (mean - 1000.0 / f).abs() < 0.02,
            "mean ISI {mean} ms, expected {}",
            1000.0 / f
        );
    }

    #[test]
    fn effective_adaptation_time_constant() {
        // Spec §9.8: ≈ 5.13 ms at I = 1, 2.67 ms at 0.5, 9.55 ms at 2.
        for (i, expected) in [(1.0, 5.13), (0.5, 2.67), (2.0, 9.55)] {
            let tau = tau_eff(i);
            assert!((tau - expected).abs() < 0.01, "I = {i}: {tau}");
            // The model relaxes a small displacement of a from A* at that rate.
            let a_star = 0.1 * f_inf(i);
            let mut n = BendaHerzNeuron::new();
            n.state_mut().a = a_star + 1e-4 * a_star;
            for _ in 0..50 {
                n.step(i);
            }
            let measured = -5.0 / ((n.state().a - a_star) / (1e-4 * a_star)).ln();
            assert!(
                (measured - tau).abs() < 0.01 * tau,
                "I = {i}: measured {measured}, theory {tau}"
            );
        }
    }
}
