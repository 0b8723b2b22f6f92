//! `MultiTimescaleNeuron` — a fast leaky integrator whose threshold is lowered by a slow
//! context variable fed by a medium-time-scale spike-rate trace.
//!
//! **What it is.** SC-NeuroCore's own invention (an "AI-optimised" model, spec §27), not
//! established neuroscience: no paper describes it, and SC-NeuroCore's description is the only
//! authority for its dynamics. It is a toy of three time scales (5 ms, 200 ms, 10 s): the fast
//! compartment integrates the input, the medium one counts recent spikes, the slow one
//! accumulates that count into a context that makes the neuron easier to fire.
//!
//! **Equations.** τ_f dv_fast/dt = −v_fast + I; θ_eff = θ_base − γ·v_slow; a spike when
//! v_fast ≥ θ_eff, after which v_fast ← 0; τ_m dv_medium/dt = −v_medium + α·T·S(t), where
//! S(t) = Σ δ(t − t_k) is the spike train and T = 1 ms (each spike raises v_medium by α/τ_m, so
//! v_medium is α times the firing rate in spikes per ms); τ_s dv_slow/dt = −v_slow + β·v_medium.
//! Within a substep the order is SC-NeuroCore's: v_fast, threshold test, v_medium, v_slow, then
//! the reset. θ_eff has no floor (it can reach 0 for large v_slow).
//!
//! **Numerics.** Forward Euler, as SC-NeuroCore (its spike times are those of the Euler map; an
//! exact relaxation would move them), in substeps of at most `substep` (1 ms, SC-NeuroCore's
//! dt), the threshold tested after every substep. A standalone step spans `span` = 1 ms, so
//! with the defaults one step is exactly SC-NeuroCore's step; in a 0.1-ms network the same
//! equations are integrated with h = 0.1 ms and converge to the ODE above.
//!
//! **Units.** Dimensionless v; time in ms.
//!
//! **Reference.** None: SC-NeuroCore's `MultiTimescaleNeuron` (ai_optimized.py), described in
//! the spec `shared/models/stochastic_rate_ai.md` §27.
//!
//! **Relation to SC-NeuroCore.** Same interface (`step(current)` → spike), state (`v_fast`,
//! `v_medium`, `v_slow` from 0), parameters and defaults, and the same map at the default step.
//! Difference: SC-NeuroCore adds α·fired·dt/τ_m to v_medium; here a spike adds α/τ_m whatever
//! the substep (identical at dt = 1 ms), so the rate trace does not shrink with the step.
//! `dt` is named `span` (the step) and `substep` (the Euler step).
//!
//! **Facts tested** (hand-derived from the equations, spec §27.8, re-derived in the tests):
//! with I = 2, v_fast = 2(1 − 0.8ⁿ) crosses 1 at n = 4, so spikes at steps 4, 8, 12, …; the
//! medium trace's mean over a period-P cycle is exactly α/P, so v_slow relaxes toward β·α/4 and
//! the period drops from 4 to 3 steps when γ·v_slow reaches 1 − 2(1 − 0.8³) = 0.024, at
//! t ≈ −τ_s ln(0.36·(τ_s − τ_m)/τ_s) = 10,418 ms (closed form of the two cascaded low-passes);
//! convergence of the first spike time to the ODE's τ_f ln 2 as the substep shrinks.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MultiTimescaleNeuron`].
    pub struct MultiTimescaleParams {
        /// Fast compartment time constant, τ_f [ms].
        tau_fast: f64 = 5.0,
        /// Medium (spike-rate trace) time constant, τ_m [ms].
        tau_medium: f64 = 200.0,
        /// Slow (context) time constant, τ_s [ms].
        tau_slow: f64 = 10000.0,
        /// Spike weight of the rate trace: each spike raises v_medium by α/τ_m, α [ms].
        alpha: f64 = 10.0,
        /// Drive of the slow compartment by the rate trace, β [1].
        beta: f64 = 0.05,
        /// Threshold lowering per unit of v_slow, γ [1].
        gamma: f64 = 0.3,
        /// Base threshold, θ_base [1].
        theta_base: f64 = 1.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal Euler step [ms].
        substep: f64 = 1.0,
    }
}

impl MultiTimescaleParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_fast", self.tau_fast)?;
        check::positive("tau_medium", self.tau_medium)?;
        check::positive("tau_slow", self.tau_slow)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)?;
        // Forward Euler is stable (and monotone) only for h ≤ τ.
        check::less(
            "substep",
            self.substep,
            "tau_fast",
            self.tau_fast * (1.0 + 1e-12),
        )
    }
}

neuron_state! {
    /// State of [`MultiTimescaleNeuron`].
    pub struct MultiTimescaleState {
        /// Fast compartment, v_fast [1].
        v_fast: f64 => MtsVFast,
        /// Medium compartment (spike-rate trace), v_medium [1].
        v_medium: f64 => MtsVMedium,
        /// Slow compartment (context), v_slow [1].
        v_slow: f64 => MtsVSlow,
    }
}

/// Constants of [`MultiTimescaleNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct MultiTimescaleConsts {
    n: u32,
    /// h/τ_f, h/τ_m, h/τ_s.
    kf: f64,
    km: f64,
    ks: f64,
    /// Jump of v_medium per spike, α/τ_m.
    jump: f64,
    beta: f64,
    gamma: f64,
    theta_base: f64,
}

/// One step: `k.n` Euler substeps, the threshold tested after each.
#[inline(always)]
pub fn multi_timescale_step(k: &MultiTimescaleConsts, s: &mut MultiTimescaleState, i: f64) -> bool {
    let mut spiked = false;
    for _ in 0..k.n {
        let vf = s.v_fast + k.kf * (i - s.v_fast);
        let fired = vf >= k.theta_base - k.gamma * s.v_slow;
        s.v_medium += -k.km * s.v_medium + if fired { k.jump } else { 0.0 };
        s.v_slow += k.ks * (k.beta * s.v_medium - s.v_slow);
        s.v_fast = if fired { 0.0 } else { vf };
        spiked |= fired;
    }
    spiked
}

standalone! {
/// SC-NeuroCore's three-time-scale neuron (its own design; fast / medium / slow compartments).
pub struct MultiTimescaleNeuron;
}

impl MultiTimescaleNeuron {
    /// Advance one step (1 ms by default) with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for MultiTimescaleNeuron {
    const NAME: &'static str = "MultiTimescaleNeuron";
    const FAMILY: Family = Family::Ai;
    const SUMMARY: &'static str =
        "SC-NeuroCore invention: fast integrator, threshold lowered by a slow spike-rate context";
    const REFERENCE: &'static str =
        "No paper: SC-NeuroCore's own design (ai_optimized.py), spec stochastic_rate_ai.md §27";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = MultiTimescaleParams;
    type State = MultiTimescaleState;
    type Consts = MultiTimescaleConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &MultiTimescaleParams) -> MultiTimescaleState {
        MultiTimescaleState::default()
    }
    fn standalone_span(p: &MultiTimescaleParams) -> f64 {
        p.span
    }
    fn prepare(p: &MultiTimescaleParams, span: f64) -> MultiTimescaleConsts {
        let (n, h) = substeps(span, p.substep);
        MultiTimescaleConsts {
            n,
            kf: h / p.tau_fast,
            km: h / p.tau_medium,
            ks: h / p.tau_slow,
            jump: p.alpha / p.tau_medium,
            beta: p.beta,
            gamma: p.gamma,
            theta_base: p.theta_base,
        }
    }
    #[inline(always)]
    fn update(
        k: &MultiTimescaleConsts,
        s: &mut MultiTimescaleState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        multi_timescale_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(n: &mut MultiTimescaleNeuron, i: f64, steps: usize) -> Vec<usize> {
        (1..=steps).filter(|_| n.step(i)).collect()
    }

    #[test]
    fn period_four_at_i_2_from_the_closed_form() {
        // v_fast after k Euler steps from 0 at I = 2: 2(1 − 0.8^k); the first k with ≥ 1 is 4
        // (2·(1 − 0.4096) = 1.18; k = 3 gives 0.976). v_slow stays < 10⁻³ over 100 steps, so
        // θ_eff ≈ 1 and the period is 4.
        let k = (1..)
            .find(|&k| 2.0 * (1.0 - 0.8f64.powi(k)) >= 1.0)
            .unwrap();
        assert_eq!(k, 4);
        let mut n = MultiTimescaleNeuron::new();
        let t = spikes(&mut n, 2.0, 100);
        assert_eq!(t, (1..=25).map(|j| 4 * j).collect::<Vec<_>>());
        // Medium trace: each spike adds α/τ_m = 0.05, between spikes it decays by (1 − 1/200)
        // per step; after the spike at step 100: 0.05·Σ_{j<25} 0.995^{4j}.
        let q = 0.995f64.powi(4);
        let want = 0.05 * (1.0 - q.powi(25)) / (1.0 - q);
        assert!((n.state().v_medium - want).abs() < 1e-12, "{:?}", n.state());
    }

    #[test]
    fn slow_context_shortens_the_period_at_the_closed_form_time() {
        // Over a period-P cycle the mean of v_medium is exactly α/P (geometric sums), so v_slow
        // is driven by β·α/4 = 0.125 through two cascaded low-passes:
        // v_slow(t) = 0.125·(1 − (τ_s e^{−t/τ_s} − τ_m e^{−t/τ_m})/(τ_s − τ_m)).
        // Period 3 becomes possible when γ·v_slow ≥ 1 − 2(1 − 0.8³) = 0.024, i.e. v_slow ≥ 0.08:
        // for t ≫ τ_m, e^{−t/τ_s} = (1 − 0.08/0.125)(τ_s − τ_m)/τ_s.
        let (ts, tm) = (10_000.0f64, 200.0f64);
        let v3 = 2.0 * (1.0 - 0.8f64.powi(3));
        let need = (1.0 - v3) / 0.3;
        let t_star = -ts * ((1.0 - need / 0.125) * (ts - tm) / ts).ln();
        assert!((t_star - 10_418.0).abs() < 1.0, "{t_star}");
        let mut n = MultiTimescaleNeuron::new();
        let t = spikes(&mut n, 2.0, 14_000);
        let first3 = t.windows(2).find(|w| w[1] - w[0] == 3).unwrap()[1] as f64;
        assert!(
            (first3 - t_star).abs() < 0.005 * t_star,
            "{first3} vs {t_star}"
        );
        assert!(t.windows(2).all(|w| w[1] - w[0] == 3 || w[1] - w[0] == 4));
        // After the switch the period is 3 throughout.
        assert!(
            t.windows(2)
                .filter(|w| w[0] as f64 > first3 + 500.0)
                .all(|w| w[1] - w[0] == 3)
        );
    }

    #[test]
    fn converges_to_the_ode_as_the_substep_shrinks() {
        // ODE: v_fast = 2(1 − e^{−t/5}) reaches 1 at t = 5 ln 2 = 3.466 ms.
        let exact = 5.0 * 2f64.ln();
        let first = |h: f64| {
            let p = MultiTimescaleParams {
                substep: h,
                ..Default::default()
            };
            let mut n = MultiTimescaleNeuron::with_span(p, h).unwrap();
            (1..).find(|_| n.step(2.0)).unwrap() as f64 * h
        };
        let (e1, e2, e3) = (
            (first(1.0) - exact).abs(),
            (first(0.1) - exact).abs(),
            (first(0.01) - exact).abs(),
        );
        assert!(e1 > 0.3 && e2 < 0.1 && e3 < 0.011, "{e1} {e2} {e3}");
    }

    #[test]
    fn rate_trace_does_not_depend_on_the_substep() {
        // One spike then silence: v_medium jumps by α/τ_m = 0.05 and decays as e^{−t/τ_m}; with
        // h = 0.01 ms Euler is within 10⁻⁶ of 0.05·e^{−t/200} after t = 100 ms.
        let p = MultiTimescaleParams {
            substep: 0.01,
            ..Default::default()
        };
        let mut n = MultiTimescaleNeuron::with_span(p, 0.01).unwrap();
        n.state_mut().v_fast = 0.999;
        assert!(n.step(2.0));
        for _ in 0..10_000 {
            n.step(0.0);
        }
        let want = 0.05 * (-100.0f64 / 200.0).exp();
        assert!(
            (n.state().v_medium - want).abs() < 1e-6,
            "{}",
            n.state().v_medium
        );
    }
}
