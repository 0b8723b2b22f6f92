//! `ErmentroutKopellPopulation` — exact firing-rate / mean-voltage mean field of a population
//! of quadratic integrate-and-fire (theta) neurons with Lorentzian-distributed excitability
//! (Montbrió, Pazó & Roxin 2015).
//!
//! **Equations** (MPR 2015, Eqs. 12a,b):
//! τ dr/dt = Δ/(π τ) + 2 r v;
//! τ dv/dt = v² + η̄ + I + J τ r − (π τ r)²,
//! with r the population firing rate, v the mean membrane potential, Δ the half-width and η̄
//! the centre of the Lorentzian distribution of excitabilities, J the recurrent coupling and
//! I = `ext_input`. The unit emits r every step (a value output).
//!
//! **Numerics.** Classical RK4 in substeps of at most `substep` (0.01 τ) with I held
//! constant over the step; a standalone step spans `span` = 0.01 τ. Time is in units of τ; in a
//! network one unit is one millisecond.
//!
//! **Reference.** Montbrió, E., Pazó, D. & Roxin, A. (2015) Macroscopic description for
//! networks of spiking neurons. Phys. Rev. X 5:021028, doi:10.1103/PhysRevX.5.021028.
//! Defaults (Δ = 1, η̄ = −5, J = 15, τ = 1) are the bistable set of their Fig. 2.
//!
//! **Relation to SC-NeuroCore** (spec §11). Same interface (`step(ext_input) -> r`, state
//! `r`, `v`, initial 0.1 and −2.0, same parameter names and defaults, except that the step
//! length is called `span` instead of `dt`, same default 0.01). SC-NeuroCore integrates with
//! forward Euler at dt = 0.01; here RK4 substeps of at most `substep` are used (the spec
//! recommends RK4: v² makes transients stiff). The class name is historical: it is the MPR
//! mean field, not the Ermentrout–Kopell (1986) single theta neuron. Non-finite inputs are
//! refused by the engine; SC-NeuroCore's failure on r < 0 is not reproduced, since the exact
//! flow keeps r > 0 (dr/dt = Δ/(π τ²) > 0 at r = 0).
//!
//! **Paper facts tested** (MPR 2015 Fig. 2; the fixed points re-derived in the test by
//! bisection of the steady-state equation, spec §11 lists r ≈ 0.0811, 0.4730, 1.0306): from
//! the default state the unit settles on the low node r ≈ 0.0811; a pulse I = 3 during
//! t ∈ [10, 40) switches it to the high focus r ≈ 1.031, where it stays after the pulse.

use neurocore_engine::prelude::*;
use std::f64::consts::PI;

params! {
    /// Parameters of [`ErmentroutKopellPopulation`].
    pub struct ErmentroutKopellParams {
        /// Membrane time scale, τ [τ units; ms in a network].
        tau: f64 = 1.0,
        /// Half-width of the Lorentzian excitability distribution, Δ [1].
        delta: f64 = 1.0,
        /// Centre of the Lorentzian excitability distribution, η̄ [1].
        eta_bar: f64 = -5.0,
        /// Recurrent synaptic coupling, J [1].
        j: f64 = 15.0,
        /// Time spanned by one standalone `step()` (SC-NeuroCore's `dt`) [τ units].
        span: f64 = 0.01,
        /// Largest internal RK4 substep, h [τ units].
        substep: f64 = 0.01,
    }
}

impl ErmentroutKopellParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::non_negative("delta", self.delta)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`ErmentroutKopellPopulation`].
    pub struct ErmentroutKopellState {
        /// Population firing rate, r [1/τ].
        r: f64 => EkR,
        /// Mean membrane potential, v [1].
        v: f64 => EkV,
    }
}

/// Constants of [`ErmentroutKopellPopulation`] for one step.
#[derive(Clone, Debug)]
pub struct ErmentroutKopellConsts {
    inv_tau: f64,
    /// Δ/(π τ).
    drive_r: f64,
    eta_bar: f64,
    /// J τ.
    j_tau: f64,
    /// π τ.
    pi_tau: f64,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps with input I held constant. Returns r.
#[inline(always)]
pub fn ermentrout_kopell_step(
    k: &ErmentroutKopellConsts,
    s: &mut ErmentroutKopellState,
    input: f64,
) -> f64 {
    let mut y = [s.r, s.v];
    let c = k.eta_bar + input;
    for _ in 0..k.n {
        rk4(&mut y, k.h, |y| {
            let [r, v] = *y;
            let pr = k.pi_tau * r;
            [
                (k.drive_r + 2.0 * r * v) * k.inv_tau,
                (v * v + c + k.j_tau * r - pr * pr) * k.inv_tau,
            ]
        });
    }
    [s.r, s.v] = y;
    s.r
}

standalone! {
/// Montbrió–Pazó–Roxin (2015) QIF population mean field (SC-NeuroCore's name).
pub struct ErmentroutKopellPopulation;
}

impl ErmentroutKopellPopulation {
    /// Advance one step (0.01 τ by default) with external input I; returns r after the step.
    pub fn step(&mut self, ext_input: f64) -> f64 {
        self.step_or_none([ext_input])
    }
}

impl Model for ErmentroutKopellPopulation {
    const NAME: &'static str = "ErmentroutKopellPopulation";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Montbrio-Pazo-Roxin 2015 QIF population mean field (r, v; value output r)";
    const REFERENCE: &'static str =
        "Montbrio, Pazo & Roxin 2015, Phys Rev X 5:021028, doi:10.1103/PhysRevX.5.021028";
    const PORTS: &'static [&'static str] = &["ext_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = ErmentroutKopellParams;
    type State = ErmentroutKopellState;
    type Consts = ErmentroutKopellConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &ErmentroutKopellParams) -> ErmentroutKopellState {
        ErmentroutKopellState { r: 0.1, v: -2.0 }
    }
    fn standalone_span(p: &ErmentroutKopellParams) -> f64 {
        p.span
    }
    fn prepare(p: &ErmentroutKopellParams, span: f64) -> ErmentroutKopellConsts {
        let (n, h) = substeps(span, p.substep);
        ErmentroutKopellConsts {
            inv_tau: 1.0 / p.tau,
            drive_r: p.delta / (PI * p.tau),
            eta_bar: p.eta_bar,
            j_tau: p.j * p.tau,
            pi_tau: PI * p.tau,
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(
        k: &ErmentroutKopellConsts,
        s: &mut ErmentroutKopellState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        ermentrout_kopell_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// Steady-state residual of MPR Eqs. 12 (Δ = 1, η̄ = −5, J = 15, τ = 1, I = 0) after
    /// eliminating v = −Δ/(2π τ r): Δ²/(4π² r²) + η̄ + J r − π² r².
    fn residual(r: f64) -> f64 {
        1.0 / (4.0 * PI * PI * r * r) - 5.0 + 15.0 * r - PI * PI * r * r
    }

    fn bisect(mut a: f64, mut b: f64) -> f64 {
        let fa = residual(a);
        assert!(fa * residual(b) < 0.0, "no sign change in [{a}, {b}]");
        for _ in 0..200 {
            let m = 0.5 * (a + b);
            if (residual(m) > 0.0) == (fa > 0.0) {
                a = m;
            } else {
                b = m;
            }
        }
        0.5 * (a + b)
    }

    /// The three fixed points r*, re-derived (spec §11: 0.0811, 0.4730, 1.0306).
    fn fixed_points() -> [f64; 3] {
        [bisect(0.01, 0.2), bisect(0.2, 0.7), bisect(0.7, 2.0)]
    }

    /// r over the MPR Fig. 2 protocol: I = 3 during [10, 40), else 0; sampled every step.
    fn protocol(span: f64, t_end: f64) -> Vec<f64> {
        let p = ErmentroutKopellParams::default();
        let mut u = ErmentroutKopellPopulation::with_span(p, span).unwrap();
        (0..(t_end / span).round() as usize)
            .map(|k| {
                let t = k as f64 * span;
                u.step(if (10.0..40.0).contains(&t) { 3.0 } else { 0.0 })
            })
            .collect()
    }

    #[test]
    fn fixed_points_match_spec_values() {
        let [lo, mid, hi] = fixed_points();
        assert!((lo - 0.0811).abs() < 5e-4, "node {lo}");
        assert!((mid - 0.4730).abs() < 5e-4, "saddle {mid}");
        assert!((hi - 1.0306).abs() < 5e-4, "focus {hi}");
    }

    #[test]
    fn pulse_switches_node_to_focus() {
        let [lo, _, hi] = fixed_points();
        let r = protocol(0.01, 100.0);
        let before = r[(10.0 / 0.01) as usize - 1];
        assert!(
            (before - lo).abs() < 1e-3,
            "before the pulse r = {before}, node {lo}"
        );
        let after = *r.last().unwrap();
        assert!(
            (after - hi).abs() < 1e-3,
            "after the pulse r = {after}, focus {hi}"
        );
        // Without the pulse it stays on the node.
        let mut u =
            ErmentroutKopellPopulation::with_span(ErmentroutKopellParams::default(), 0.01).unwrap();
        let mut last = 0.0;
        for _ in 0..10_000 {
            last = u.step(0.0);
        }
        assert!((last - lo).abs() < 1e-3, "unpulsed r = {last}");
    }

    #[test]
    fn agrees_with_independent_rk4() {
        // MPR Eqs. 12 typed again, integrated by the reference RK4 at h = 0.001 piecewise
        // (I = 0, 3, 0 on [0, 10), [10, 40), [40, 60)), sampled every 0.1.
        let rhs = |i: f64| {
            move |_: f64, y: &[f64]| {
                let (r, v) = (y[0], y[1]);
                vec![
                    1.0 / PI + 2.0 * r * v,
                    v * v - 5.0 + i + 15.0 * r - (PI * r).powi(2),
                ]
            }
        };
        let mut reference = Vec::new();
        let mut y = vec![0.1, -2.0];
        for (i, len) in [(0.0, 10.0), (3.0, 30.0), (0.0, 20.0)] {
            let solver = Reference::rk4(0.001, rhs(i));
            for _ in 0..(len / 0.1f64).round() as usize {
                reference.push(y[0]);
                for _ in 0..100 {
                    y = solver.step(0.0, &y);
                }
            }
        }
        let model = protocol(0.1, 60.0);
        // model[k] is r after step k (time (k+1)·0.1); reference[k] is r at time k·0.1.
        let worst = model
            .iter()
            .enumerate()
            .filter(|(k, _)| k + 1 < reference.len())
            .map(|(k, x)| (x - reference[k + 1]).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-4, "max |r - r_ref| = {worst}");
    }
}
