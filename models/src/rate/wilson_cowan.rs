//! `WilsonCowanUnit` — coupled excitatory/inhibitory population rates (Wilson & Cowan 1972).
//!
//! **Equations.** τ_e dE/dt = −E + (k_e − r_e E)·S_e(w_ee E − w_ei I + P);
//! τ_i dI/dt = −I + (k_i − r_i I)·S_i(w_ie E − w_ii I + Q), with the shifted logistic
//! S_x(z) = 1/(1 + e^(−a_x(z − θ_x))) − 1/(1 + e^(a_x θ_x)) (so S_x(0) = 0) and k_x = S_x(∞) =
//! 1 − 1/(1 + e^(a_x θ_x)). P is the input (`ext_input`), Q a constant input to I.
//! The unit emits E every step (a value output: projections from it carry weight·E).
//!
//! **Numerics.** Classical RK4 in substeps of at most `substep` (0.01 τ); a standalone step
//! spans `dt` = 0.1. Time is in units of τ; in a network one unit is one millisecond.
//!
//! **Reference.** Wilson, H.R. & Cowan, J.D. (1972) Biophys. J. 12:1–24,
//! doi:10.1016/S0006-3495(72)86068-5. Defaults are the paper's limit-cycle set: c1..c4 =
//! 16, 12, 15, 3; a_e 1.3, θ_e 4, a_i 2, θ_i 3.7; r_e = r_i = 1; τ = 1.
//!
//! **Relation to SC-NeuroCore** (spec §8). Same interface (`step(ext_input) -> E`, state `e`,
//! `i`, initial 0.1 and 0.05). SC-NeuroCore reduces the model: no refractory factor (r = 0,
//! k = 1), one sigmoid shared by E and I, no input to I, and its own couplings (10, 6, 10, 1;
//! a 1.2, θ 4, τ_i 2). Here the paper's equations are implemented: `a`, `theta` are the E
//! sigmoid, `a_i`, `theta_i` the I sigmoid, `r_e`, `r_i` the refractory factors, `q` the input
//! to I; r = 0 and a_i = a, θ_i = θ come close to the reduction (k stays S(∞) ≈ 1 − S(0)).
//!
//! **Paper facts tested** (computed from the published equations with RK4, spec §8): at
//! P = 1.25 a limit cycle with E between ≈ 0.103 and 0.270 and period ≈ 5.0 τ; at P = 1.0 a
//! stable fixed point with E ≈ 0.028.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`WilsonCowanUnit`].
    pub struct WilsonCowanParams {
        /// E→E coupling, c1 [1].
        w_ee: f64 = 16.0,
        /// I→E coupling (subtracted), c2 [1].
        w_ei: f64 = 12.0,
        /// E→I coupling, c3 [1].
        w_ie: f64 = 15.0,
        /// I→I coupling (subtracted), c4 [1].
        w_ii: f64 = 3.0,
        /// E time constant, τ_e [τ units; ms in a network].
        tau_e: f64 = 1.0,
        /// I time constant, τ_i [τ units; ms in a network].
        tau_i: f64 = 1.0,
        /// E sigmoid slope, a_e [1].
        a: f64 = 1.3,
        /// E sigmoid threshold, θ_e [1].
        theta: f64 = 4.0,
        /// I sigmoid slope, a_i [1].
        a_i: f64 = 2.0,
        /// I sigmoid threshold, θ_i [1].
        theta_i: f64 = 3.7,
        /// E refractory factor, r_e [1].
        r_e: f64 = 1.0,
        /// I refractory factor, r_i [1].
        r_i: f64 = 1.0,
        /// Constant input to the inhibitory population, Q [1].
        q: f64 = 0.0,
        /// Time spanned by one standalone `step()`, dt [τ units].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [τ units].
        substep: f64 = 0.01,
    }
}

impl WilsonCowanParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, w) in [
            ("w_ee", self.w_ee),
            ("w_ei", self.w_ei),
            ("w_ie", self.w_ie),
            ("w_ii", self.w_ii),
            ("r_e", self.r_e),
            ("r_i", self.r_i),
        ] {
            check::non_negative(n, w)?;
        }
        check::positive("tau_e", self.tau_e)?;
        check::positive("tau_i", self.tau_i)?;
        check::positive("a", self.a)?;
        check::positive("a_i", self.a_i)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`WilsonCowanUnit`].
    pub struct WilsonCowanState {
        /// Excitatory activity, E [fraction].
        e: f64 => WcE,
        /// Inhibitory activity, I [fraction].
        i: f64 => WcI,
    }
}

/// Constants of [`WilsonCowanUnit`] for one step.
#[derive(Clone, Debug)]
pub struct WilsonCowanConsts {
    p: WilsonCowanParams,
    s0_e: f64,
    s0_i: f64,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps with input P held constant. Returns E.
#[inline(always)]
pub fn wilson_cowan_step(k: &WilsonCowanConsts, s: &mut WilsonCowanState, input: f64) -> f64 {
    let p = &k.p;
    let (ke, ki) = (1.0 - k.s0_e, 1.0 - k.s0_i);
    let mut y = [s.e, s.i];
    for _ in 0..k.n {
        rk4(&mut y, k.h, |y| {
            let [e, i] = *y;
            let se = sigmoid(p.a * (p.w_ee * e - p.w_ei * i + input - p.theta)) - k.s0_e;
            let si = sigmoid(p.a_i * (p.w_ie * e - p.w_ii * i + p.q - p.theta_i)) - k.s0_i;
            [
                (-e + (ke - p.r_e * e) * se) / p.tau_e,
                (-i + (ki - p.r_i * i) * si) / p.tau_i,
            ]
        });
    }
    [s.e, s.i] = y;
    s.e
}

standalone! {
/// Wilson–Cowan (1972) excitatory/inhibitory population unit.
pub struct WilsonCowanUnit;
}

impl WilsonCowanUnit {
    /// Advance one step (0.1 τ by default) with external input P to the excitatory
    /// population; returns E after the step.
    pub fn step(&mut self, ext_input: f64) -> f64 {
        self.step_or_none([ext_input])
    }
}

impl Model for WilsonCowanUnit {
    const NAME: &'static str = "WilsonCowanUnit";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str = "Wilson-Cowan 1972 E/I population rates (value output E)";
    const REFERENCE: &'static str =
        "Wilson & Cowan 1972, Biophys J 12:1, doi:10.1016/S0006-3495(72)86068-5";
    const PORTS: &'static [&'static str] = &["ext_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.25];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = WilsonCowanParams;
    type State = WilsonCowanState;
    type Consts = WilsonCowanConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &WilsonCowanParams) -> WilsonCowanState {
        WilsonCowanState { e: 0.1, i: 0.05 }
    }
    fn standalone_span(p: &WilsonCowanParams) -> f64 {
        p.dt
    }
    fn prepare(p: &WilsonCowanParams, span: f64) -> WilsonCowanConsts {
        let (n, h) = substeps(span, p.substep);
        WilsonCowanConsts {
            s0_e: sigmoid(-p.a * p.theta),
            s0_i: sigmoid(-p.a_i * p.theta_i),
            p: p.clone(),
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(
        k: &WilsonCowanConsts,
        s: &mut WilsonCowanState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        wilson_cowan_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// E over `t` τ units at constant input P, sampled every 0.01 τ (span 0.01).
    fn trace(p_in: f64, t: f64) -> Vec<f64> {
        let mut u = WilsonCowanUnit::with_span(WilsonCowanParams::default(), 0.01).unwrap();
        (0..(t / 0.01) as usize).map(|_| u.step(p_in)).collect()
    }

    #[test]
    fn limit_cycle_at_p_1_25() {
        let e = trace(1.25, 200.0);
        let tail = &e[e.len() / 2..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(
            (lo - 0.103).abs() < 0.005 && (hi - 0.270).abs() < 0.005,
            "E in [{lo}, {hi}]"
        );
        // Period from upward crossings of the midpoint.
        let mid = 0.5 * (lo + hi);
        let ups: Vec<usize> = (1..tail.len())
            .filter(|&k| tail[k - 1] < mid && tail[k] >= mid)
            .collect();
        let period = (ups[ups.len() - 1] - ups[0]) as f64 * 0.01 / (ups.len() - 1) as f64;
        assert!((period - 5.0).abs() < 0.2, "period {period}");
    }

    #[test]
    fn fixed_point_at_p_1() {
        let e = trace(1.0, 200.0);
        let tail = &e[e.len() * 3 / 4..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(hi - lo < 1e-4, "not settled: [{lo}, {hi}]");
        assert!((hi - 0.028).abs() < 0.002, "E* = {hi}");
    }
}
