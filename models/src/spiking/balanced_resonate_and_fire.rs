//! `BalancedResonateAndFireNeuron` — the balanced resonate-and-fire (BRF) neuron of Higuchi,
//! Kairat, Bohté & Otte (2024): a discrete-time resonator with a refractory trace that raises
//! the threshold and adds damping (a "smooth reset").
//!
//! **Equations** (Algorithm 1 of the paper; one iteration t with step δ, input I_t):
//! p(ω) = (−1 + √(1 − (δω)²))/δ (the divergence boundary of the Euler map);
//! b_t = p(ω) − b_offset − q_{t−1}; u = x + iy;
//! u_t = u_{t−1} + δ[(b_t + iω) u_{t−1} + I_t] (x_t = x + δ(b_t x − ωy + I), y_t = y + δ(ωx + b_t y));
//! θ_t = θ_c + q_{t−1}; z_t = H(x_t − θ_t) with H(0) = 1; q_t = γ q_{t−1} + z_t.
//! There is no hard reset: after a spike the raised threshold and damping let u relax.
//!
//! **Numerics.** The forward-Euler map *is* the model (p(ω) is tuned to it), so it is iterated
//! exactly, not replaced by a better integrator. A step of span T is ⌈T/δ⌉ iterations of step
//! h = T/⌈T/δ⌉ ≤ δ, with p(ω) computed for h (so the map stays on its divergence boundary) and
//! γ applied per iteration; each iteration is tested for a spike. A standalone step is one
//! iteration of δ = `dt` = 0.01, as in SC-NeuroCore.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond (ω in rad per ms,
//! so a 0.1-ms network step is 10 iterations of δ = 0.01) and I is the `current` port.
//!
//! **Reference.** Higuchi, S., Kairat, S., Bohté, S.M. & Otte, S. (2024) "Balanced
//! Resonate-and-Fire Neurons", Proc. 41st ICML, PMLR 235, arXiv:2402.14603.
//!
//! **Relation to SC-NeuroCore** (spec §5). Same interface, state (`x`, `y`, `q` from 0) and
//! defaults (ω = 10, b_offset = 1, θ_c = 1, γ = 0.9, δ = 0.01). Differences: a network step is
//! split into iterations of at most δ as above; `b_offset` = 0 is accepted (the divergence
//! boundary itself: a sustained oscillation); in the paper ω and b_offset are trained per
//! neuron, here they are parameters (as in SC-NeuroCore); SC-NeuroCore's `state()` dictionary
//! of parameters and derived quantities is not ported (`get_state()` gives x, y, q).
//!
//! **Paper facts tested** (analytic, from the construction of p(ω); spec §5.8). With
//! b_offset = 0 and q = 0 the map preserves |u| exactly (|1 + δ(p + iω)| = 1); with the
//! defaults p(10) = −0.501256, free oscillations shrink by |1 + δ(p − 1 + iω)| = 0.990051 per
//! iteration and turn by atan(δω/(1 + δ(p − 1))) = 0.1012 rad, 62.1 iterations per cycle; a
//! spike sets q to 1 (threshold θ_c + 1) and q then decays by γ per iteration.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`BalancedResonateAndFireNeuron`].
    pub struct BalancedResonateAndFireParams {
        /// Angular frequency, ω [rad/time unit].
        omega: f64 = 10.0,
        /// Extra damping below the divergence boundary, b_offset [1/time unit].
        b_offset: f64 = 1.0,
        /// Base threshold on Re u, θ_c [1].
        threshold: f64 = 1.0,
        /// Per-iteration decay of the refractory trace, γ [1].
        gamma: f64 = 0.9,
        /// Iteration step of the map, δ, and the time spanned by one standalone `step()` [time units; ms in a network].
        dt: f64 = 0.01,
    }
}

impl BalancedResonateAndFireParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("omega", self.omega)?;
        check::non_negative("b_offset", self.b_offset)?;
        check::positive("threshold", self.threshold)?;
        check::in_range("gamma", self.gamma, 0.0, 1.0)?;
        if self.gamma >= 1.0 {
            return Err(ParamError::new("gamma", "must be below 1"));
        }
        check::positive("dt", self.dt)?;
        if self.dt * self.omega > 1.0 {
            return Err(ParamError::new(
                "dt, omega",
                format!(
                    "dt·omega must be at most 1 (p(ω) is undefined beyond), got {}",
                    self.dt * self.omega
                ),
            ));
        }
        Ok(())
    }
}

neuron_state! {
    /// State of [`BalancedResonateAndFireNeuron`].
    pub struct BalancedResonateAndFireState {
        /// Real part of u (the thresholded, voltage-like component), x [1].
        x: f64 => BrfX,
        /// Imaginary part of u, y [1].
        y: f64 => BrfY,
        /// Refractory trace, q [1].
        q: f64 => BrfQ,
    }
}

/// Constants of [`BalancedResonateAndFireNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct BalancedResonateAndFireConsts {
    n: u32,
    h: f64,
    /// p(ω) − b_offset for the iteration step h.
    b0: f64,
    omega: f64,
    threshold: f64,
    gamma: f64,
}

/// The divergence boundary p(ω) = (−1 + √(1 − (hω)²))/h of the Euler map with step `h`.
pub fn divergence_boundary(omega: f64, h: f64) -> f64 {
    (-1.0 + (1.0 - (h * omega) * (h * omega)).max(0.0).sqrt()) / h
}

/// One step: `k.n` iterations of Algorithm 1, each tested for a spike.
#[inline(always)]
pub fn brf_step(
    k: &BalancedResonateAndFireConsts,
    s: &mut BalancedResonateAndFireState,
    i: f64,
) -> bool {
    let h = k.h;
    let mut spiked = false;
    for _ in 0..k.n {
        let b = k.b0 - s.q;
        let x = s.x + h * (b * s.x - k.omega * s.y + i);
        let y = s.y + h * (k.omega * s.x + b * s.y);
        let z = x >= k.threshold + s.q;
        s.x = x;
        s.y = y;
        s.q = k.gamma * s.q + if z { 1.0 } else { 0.0 };
        spiked |= z;
    }
    spiked
}

standalone! {
/// Balanced resonate-and-fire neuron (Higuchi et al. 2024).
pub struct BalancedResonateAndFireNeuron;
}

impl BalancedResonateAndFireNeuron {
    /// One iteration (δ = 0.01 by default) with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for BalancedResonateAndFireNeuron {
    const NAME: &'static str = "BalancedResonateAndFireNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Balanced resonate-and-fire neuron (discrete resonator, smooth reset)";
    const REFERENCE: &'static str =
        "Higuchi, Kairat, Bohte & Otte 2024, ICML (PMLR 235), arXiv:2402.14603";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[20.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = BalancedResonateAndFireParams;
    type State = BalancedResonateAndFireState;
    type Consts = BalancedResonateAndFireConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &BalancedResonateAndFireParams) -> BalancedResonateAndFireState {
        BalancedResonateAndFireState::default()
    }
    fn standalone_span(p: &BalancedResonateAndFireParams) -> f64 {
        p.dt
    }
    fn prepare(p: &BalancedResonateAndFireParams, span: f64) -> BalancedResonateAndFireConsts {
        let (n, h) = substeps(span, p.dt);
        BalancedResonateAndFireConsts {
            n,
            h,
            b0: divergence_boundary(p.omega, h) - p.b_offset,
            omega: p.omega,
            threshold: p.threshold,
            gamma: p.gamma,
        }
    }
    #[inline(always)]
    fn update(
        k: &BalancedResonateAndFireConsts,
        s: &mut BalancedResonateAndFireState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        brf_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modulus(s: &BalancedResonateAndFireState) -> f64 {
        s.x.hypot(s.y)
    }

    #[test]
    fn divergence_boundary_preserves_the_modulus() {
        // p(10) = (−1 + √0.99)/0.01 = −0.501256 (spec §5.8).
        assert!((divergence_boundary(10.0, 0.01) + 0.501_256).abs() < 1e-6);
        // b_offset = 0, q = 0: |1 + δ(p + iω)| = 1, so |u| is conserved iteration after iteration.
        let p = BalancedResonateAndFireParams {
            b_offset: 0.0,
            ..Default::default()
        };
        let mut n = BalancedResonateAndFireNeuron::with_params(p).unwrap();
        n.state_mut().x = 0.5;
        for _ in 0..10_000 {
            assert!(!n.step(0.0));
        }
        assert!(
            (modulus(n.state()) - 0.5).abs() < 1e-10,
            "{}",
            modulus(n.state())
        );
    }

    #[test]
    fn default_decay_and_rotation_per_iteration() {
        // |1 + δ(p − 1 + iω)| = √(0.98498744² + 0.1²) = 0.990051; rotation
        // atan(0.1/0.98498744) = 0.10118 rad → 2π/0.10118 = 62.10 iterations per cycle.
        let re = 1.0 + 0.01 * (divergence_boundary(10.0, 0.01) - 1.0);
        let (decay, turn) = (re.hypot(0.1), (0.1 / re).atan());
        assert!(
            (decay - 0.990_051).abs() < 1e-6
                && (2.0 * std::f64::consts::PI / turn - 62.10).abs() < 0.01
        );
        let mut n = BalancedResonateAndFireNeuron::new();
        n.state_mut().x = 0.5;
        let mut ups = Vec::new();
        for k in 0..620 {
            let (m0, y0) = (modulus(n.state()), n.state().y);
            n.step(0.0);
            assert!((modulus(n.state()) / m0 - 0.990_051).abs() < 1e-6);
            let y1 = n.state().y;
            if y0 < 0.0 && y1 >= 0.0 {
                ups.push(k as f64 + y0 / (y0 - y1));
            }
        }
        let per_cycle = (ups[ups.len() - 1] - ups[0]) / (ups.len() - 1) as f64;
        assert!((per_cycle - 62.10).abs() < 0.05, "{per_cycle}");
    }

    #[test]
    fn refractory_trace_raises_threshold_and_decays_by_gamma() {
        let mut n = BalancedResonateAndFireNeuron::new();
        let first = (0..1000).position(|_| n.step(20.0));
        assert!(first.is_some());
        assert_eq!(n.state().q, 1.0);
        // No spike on the next iteration (threshold now θ_c + 1 = 2, x just crossed 1):
        // q decays by γ exactly.
        assert!(!n.step(20.0));
        assert!((n.state().q - 0.9).abs() < 1e-15);
    }
}
