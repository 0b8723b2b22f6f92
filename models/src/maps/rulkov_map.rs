//! `RulkovMapNeuron` — Rulkov's (2002) two-dimensional spiking–bursting map.
//!
//! **Equations** (one step = one iteration n → n+1; input I_n):
//! x_{n+1} = f(x_n, x_{n−1}, y_n + β^e·I_n), y_{n+1} = y_n − μ(x_n + 1) + μσ + μσ^e·I_n, with
//! f(x, x_prev, u) = α/(1 − x) + u if x ≤ 0; α + u if 0 < x < α + u and x_prev ≤ 0; −1 if
//! x ≥ α + u or x_prev > 0. The memory condition (x_prev) ends every spike after its peak α + u;
//! the step returns `true` in the iteration that takes the reset branch (once per spike).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Rulkov, N.F. (2002) "Modeling of spiking-bursting neural behavior using
//! two-dimensional map", Phys. Rev. E 65:041922, doi:10.1103/PhysRevE.65.041922.
//!
//! **Relation to SC-NeuroCore** (spec §23). Same interface (`step(current)`, state `x`, `y`,
//! defaults α 4, σ −1.6, μ 0.001, x −1, y −3). Differences, following the paper: (a) the memory
//! condition is implemented, so the state has a third variable `x_prev` (SC-NeuroCore lets the
//! plateau last several iterations when y rises); (b) the input also enters the slow equation
//! through σ^e (`sigma_e`, default 1), so a DC current shifts σ and can sustain firing, as in
//! the paper; `sigma_e = 0` gives SC-NeuroCore's fast-channel-only input, which a constant
//! current cannot keep firing; (c) like SC-NeuroCore, the spike is reported on the reset branch,
//! which with the memory condition happens once per spike.
//!
//! **Paper facts tested.** The fixed point x* = σ − 1 is stable iff σ < 2 − √(α/(1 − μ)) (the
//! default σ = −1.6 is silent, relaxing to x* = −2.6, y* = −3.7111); for α < 4 and σ above that
//! threshold the map spikes tonically; for α > 4 it bursts (Rulkov 2002, Figs. 3–5).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`RulkovMapNeuron`].
    pub struct RulkovMapParams {
        /// Nonlinearity of the fast map, α [1].
        alpha: f64 = 4.0,
        /// Slow-variable target (DC control), σ [1].
        sigma: f64 = -1.6,
        /// Slow time scale, μ [1].
        mu: f64 = 0.001,
        /// Gain of the input into the fast equation, β^e [1].
        beta_e: f64 = 1.0,
        /// Gain of the input into the slow equation, σ^e [1].
        sigma_e: f64 = 1.0,
    }
}

impl RulkovMapParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("alpha", self.alpha)?;
        check::positive("mu", self.mu)
    }
}

neuron_state! {
    /// State of [`RulkovMapNeuron`].
    pub struct RulkovMapState {
        /// Fast variable (membrane-potential-like), x [1].
        x: f64 => RulkovX,
        /// Slow variable, y [1].
        y: f64 => RulkovY,
        /// Previous fast value x_{n−1} (the paper's memory condition) [1].
        x_prev: f64 => RulkovXPrev,
    }
}

/// One iteration. Returns `true` when the iteration takes the reset branch (the end of a spike),
/// which happens exactly once per spike.
#[inline(always)]
pub fn rulkov_step(p: &RulkovMapParams, s: &mut RulkovMapState, input: f64) -> bool {
    let u = s.y + p.beta_e * input;
    let x = s.x;
    let mut spike = false;
    let x_next = if x <= 0.0 {
        p.alpha / (1.0 - x) + u
    } else if x < p.alpha + u && s.x_prev <= 0.0 {
        p.alpha + u
    } else {
        spike = true;
        -1.0
    };
    s.y += -p.mu * (x + 1.0) + p.mu * p.sigma + p.mu * p.sigma_e * input;
    s.x_prev = x;
    s.x = x_next;
    spike
}

standalone! {
/// Rulkov (2002) spiking–bursting map.
pub struct RulkovMapNeuron;
}

impl RulkovMapNeuron {
    /// One iteration with input `current`; `true` in the spike iteration.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for RulkovMapNeuron {
    const NAME: &'static str = "RulkovMapNeuron";
    const FAMILY: Family = Family::Maps;
    const SUMMARY: &'static str = "Rulkov 2002 two-dimensional spiking-bursting map";
    const REFERENCE: &'static str =
        "Rulkov 2002, Phys Rev E 65:041922, doi:10.1103/PhysRevE.65.041922";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.7];
    const SUBSTEP: Option<&'static str> = None;
    type Params = RulkovMapParams;
    type State = RulkovMapState;
    type Consts = RulkovMapParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &RulkovMapParams) -> RulkovMapState {
        RulkovMapState {
            x: -1.0,
            y: -3.0,
            x_prev: -1.0,
        }
    }
    fn standalone_span(_: &RulkovMapParams) -> f64 {
        1.0
    }
    fn prepare(p: &RulkovMapParams, _: f64) -> RulkovMapParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &RulkovMapParams,
        s: &mut RulkovMapState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        rulkov_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spike_times(alpha: f64, sigma: f64, n: usize) -> Vec<usize> {
        let p = RulkovMapParams {
            alpha,
            sigma,
            ..Default::default()
        };
        let mut m = RulkovMapNeuron::with_params(p).unwrap();
        (0..n).filter(|_| m.step(0.0)).collect()
    }

    #[test]
    fn default_is_silent_at_the_fixed_point() {
        let mut m = RulkovMapNeuron::new();
        assert!((0..50_000).all(|_| !m.step(0.0)));
        let s = m.state();
        // x* = σ − 1 = −2.6, y* = x* − α/(1 − x*) = −3.7111.
        assert!(
            (s.x + 2.6).abs() < 1e-6 && (s.y + 3.711_111).abs() < 1e-5,
            "{s:?}"
        );
    }

    #[test]
    fn stability_threshold_of_the_fixed_point() {
        // σ_th = 2 − √(α/(1 − μ)); α = 3.5: σ_th = 0.1282. Below: silent; above: spiking.
        let th = 2.0 - (3.5f64 / 0.999).sqrt();
        assert!(spike_times(3.5, th - 0.02, 100_000).len() <= 2);
        assert!(spike_times(3.5, th + 0.05, 100_000).len() > 50);
    }

    #[test]
    fn small_alpha_spikes_tonically_large_alpha_bursts() {
        // Rulkov 2002: α < 4 gives tonic spiking, α > 4 bursting (σ above threshold).
        let isis = |t: &[usize]| -> Vec<usize> { t.windows(2).map(|w| w[1] - w[0]).collect() };
        let tonic = isis(&spike_times(3.5, 0.3, 60_000)[10..]);
        let (lo, hi) = (tonic.iter().min().unwrap(), tonic.iter().max().unwrap());
        assert!(*hi <= 2 * *lo, "tonic spiking is not regular: {lo}..{hi}");
        let burst = isis(&spike_times(5.0, 0.1, 60_000)[10..]);
        let (lo, hi) = (*burst.iter().min().unwrap(), *burst.iter().max().unwrap());
        assert!(hi > 10 * lo, "no bursts: ISIs {lo}..{hi}");
        let gaps = burst.iter().filter(|&&d| d > hi / 2).count();
        assert!(
            gaps >= 5 && burst.len() >= 3 * gaps,
            "bursts: {gaps} gaps in {} ISIs",
            burst.len()
        );
    }

    #[test]
    fn dc_input_through_sigma_sustains_firing() {
        // With σ^e = 1 a current of 1.7 moves σ from −1.6 to 0.1 > σ_th: the map keeps firing.
        let mut m = RulkovMapNeuron::new();
        let late = (0..100_000).filter(|&t| m.step(1.7) && t > 50_000).count();
        assert!(late > 10, "{late}");
        // Fast channel only (SC-NeuroCore): the slow variable cancels the DC input.
        let p = RulkovMapParams {
            sigma_e: 0.0,
            ..Default::default()
        };
        let mut m = RulkovMapNeuron::with_params(p).unwrap();
        let late = (0..100_000).filter(|&t| m.step(1.7) && t > 50_000).count();
        assert_eq!(late, 0);
    }
}
