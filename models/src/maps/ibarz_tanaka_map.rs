//! `IbarzTanakaMapNeuron` — the Rulkov-type spiking–bursting map with a quadratic
//! subthreshold branch of Ibarz, Tanaka, Sanjuán & Aihara (2007).
//!
//! **Equations** (one step = one iteration, simultaneous update; h = u_n + β^e·I_n):
//! v_{n+1} = −α²/4 − α + h if v_n < −1 − α/2; α·v_n + (v_n + 1)² + h if −1 − α/2 ≤ v_n ≤ 0;
//! 1 + h if 0 < v_n < 1 + h; −1 if v_n ≥ 1 + h (the reset branch). The slow variable follows
//! u_{n+1} = u_n − μ(v_n + 1 − σ − σ^e·I_n). The constant branch equals the parabola's minimum,
//! so the map is continuous up to the spike. The step returns `true` when the pre-step state is
//! on the reset branch (once per spike).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Ibarz, B., Tanaka, G., Sanjuán, M.A.F. & Aihara, K. (2007) "Sensitivity
//! versus resonance in two-dimensional spiking-bursting neuron models", Phys. Rev. E
//! 75:041902, doi:10.1103/PhysRevE.75.041902, Eqs. 2–3 (as transcribed in spec §24; the paper
//! text was not available to check them, nor whether it adds Rulkov's x_{n−1} memory condition;
//! a search did not find Eqs. 2–3).
//!
//! **Relation to SC-NeuroCore** (spec §24). Same map, interface (`step(current)`, the input
//! I_v of the fast equation), state `v` = −1, `u` = −0.1 and defaults α 1, μ 0.001, σ 0.1.
//! Difference: as in Rulkov's (2002) input scheme, which this map family shares, the input also
//! enters the slow equation through σ^e (`sigma_e`, default 1), so a DC current moves the fixed
//! point v* = σ − 1 + σ^e·I and can start or stop firing. SC-NeuroCore feeds the fast equation
//! only (`sigma_e = 0`), where u absorbs any constant current and it can never sustain firing.
//! The σ^e channel is an extension by analogy, not from the Ibarz paper: it follows Rulkov's
//! scheme (Rulkov 2002: β^e = 1, σ^e = 1; corroborated by `GNB-UAM/electromotor-nmodel`,
//! `thirdparty/Neun/models/BistableRulkovMapModel.h`) and the project issue's instruction that
//! the DC drive belongs in σ for this map family.
//!
//! **Paper facts tested** (closed forms of the map). The fixed point v* = σ − 1 lies on the
//! quadratic branch for σ ∈ [−α/2, 1]; its Jacobian [[α + 2(v* + 1), 1], [−μ, 1]] has
//! det = α + 2σ + μ and tr = 1 + α + 2σ, so it is stable iff σ < (1 − α − μ)/2 (−0.0005 for
//! α = 1): below that the map is quiescent, and close to it (|1 − α − 2σ| < 2√μ) it returns
//! through damped subthreshold oscillations of period 2π/θ, cos θ = tr/(2√det) (the resonance
//! of the title); above it (the default σ = 0.1) it fires by itself. A DC current through σ^e
//! starts firing from a quiescent σ, the fast channel alone cannot.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`IbarzTanakaMapNeuron`].
    pub struct IbarzTanakaMapParams {
        /// Curvature of the subthreshold branch, α [1].
        alpha: f64 = 1.0,
        /// Slow time scale, μ [1].
        mu: f64 = 0.001,
        /// Slow-variable target (DC control), σ [1].
        sigma: f64 = 0.1,
        /// Gain of the input into the fast equation, β^e [1].
        beta_e: f64 = 1.0,
        /// Gain of the input into the slow equation, σ^e [1].
        sigma_e: f64 = 1.0,
    }
}

impl IbarzTanakaMapParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("alpha", self.alpha)?;
        check::positive("mu", self.mu)
    }
}

neuron_state! {
    /// State of [`IbarzTanakaMapNeuron`].
    pub struct IbarzTanakaMapState {
        /// Fast (membrane-potential-like) variable, v [1].
        v: f64 => IbarzTanakaV,
        /// Slow variable, u [1].
        u: f64 => IbarzTanakaU,
    }
}

/// One iteration; `true` when the iteration starts on the reset branch (one per spike).
#[inline(always)]
pub fn ibarz_tanaka_step(p: &IbarzTanakaMapParams, s: &mut IbarzTanakaMapState, i: f64) -> bool {
    let (v, u, a) = (s.v, s.u, p.alpha);
    let h = u + p.beta_e * i;
    let mut spike = false;
    let v_next = if v < -1.0 - 0.5 * a {
        -0.25 * a * a - a + h
    } else if v <= 0.0 {
        a * v + (v + 1.0) * (v + 1.0) + h
    } else if v < 1.0 + h {
        1.0 + h
    } else {
        spike = true;
        -1.0
    };
    s.u = u - p.mu * (v + 1.0 - p.sigma - p.sigma_e * i);
    s.v = v_next;
    spike
}

standalone! {
/// Ibarz–Tanaka (2007) spiking–bursting map with a quadratic subthreshold branch.
pub struct IbarzTanakaMapNeuron;
}

impl IbarzTanakaMapNeuron {
    /// One iteration with input `current` (I_v); `true` in the spike (reset) iteration.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for IbarzTanakaMapNeuron {
    const NAME: &'static str = "IbarzTanakaMapNeuron";
    const FAMILY: Family = Family::Maps;
    const SUMMARY: &'static str =
        "Ibarz-Tanaka 2007 Rulkov-type map with quadratic subthreshold branch";
    const REFERENCE: &'static str = "Ibarz, Tanaka, Sanjuan & Aihara 2007, Phys Rev E 75:041902, doi:10.1103/PhysRevE.75.041902";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.05];
    const SUBSTEP: Option<&'static str> = None;
    type Params = IbarzTanakaMapParams;
    type State = IbarzTanakaMapState;
    type Consts = IbarzTanakaMapParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &IbarzTanakaMapParams) -> IbarzTanakaMapState {
        IbarzTanakaMapState { v: -1.0, u: -0.1 }
    }
    fn standalone_span(_: &IbarzTanakaMapParams) -> f64 {
        1.0
    }
    fn prepare(p: &IbarzTanakaMapParams, _: f64) -> IbarzTanakaMapParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &IbarzTanakaMapParams,
        s: &mut IbarzTanakaMapState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ibarz_tanaka_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sigma: f64, current: f64, n: usize) -> (IbarzTanakaMapNeuron, Vec<usize>) {
        let p = IbarzTanakaMapParams {
            sigma,
            ..Default::default()
        };
        let mut m = IbarzTanakaMapNeuron::with_params(p).unwrap();
        let t = (0..n).filter(|_| m.step(current)).collect();
        (m, t)
    }

    #[test]
    fn stability_threshold_of_the_fixed_point() {
        // σ_th = (1 − α − μ)/2 = −0.0005 for α = 1, μ = 0.001.
        let th = (1.0 - 1.0 - 0.001) / 2.0;
        assert!((th + 0.0005f64).abs() < 1e-15);
        // Below: quiescent at v* = σ − 1, u* = v* − α v* − (v* + 1)².
        let sigma = th - 0.02;
        let (m, t) = run(sigma, 0.0, 200_000);
        assert!(
            t.iter().all(|&k| k < 5000),
            "fires below threshold: {:?}",
            &t[..t.len().min(5)]
        );
        let vs = sigma - 1.0;
        let us = vs - vs - (vs + 1.0) * (vs + 1.0);
        assert!(
            (m.state().v - vs).abs() < 1e-6 && (m.state().u - us).abs() < 1e-6,
            "{:?}",
            m.state()
        );
        // Above (the default σ = 0.1): self-sustained firing.
        let (_, t) = run(0.1, 0.0, 200_000);
        assert!(
            t.iter().filter(|&&k| k > 100_000).count() > 20,
            "{}",
            t.len()
        );
    }

    #[test]
    fn damped_subthreshold_oscillation_has_the_linear_period() {
        // Below threshold and close to it the eigenvalues are complex ((1 − α − 2σ)² < 4μ):
        // the distance to the fixed point rotates by θ per iteration, cos θ = tr/(2√det),
        // tr = 1 + α + 2σ, det = α + 2σ + μ.
        let (alpha, mu, sigma) = (1.0f64, 0.001f64, -0.02f64);
        let tr = 1.0 + alpha + 2.0 * sigma;
        let det = alpha + 2.0 * sigma + mu;
        assert!(tr * tr < 4.0 * det && det < 1.0);
        let theta = (tr / (2.0 * det.sqrt())).acos();
        let period = 2.0 * std::f64::consts::PI / theta;
        let p = IbarzTanakaMapParams {
            sigma,
            ..Default::default()
        };
        let mut m = IbarzTanakaMapNeuron::with_params(p).unwrap();
        let vs = sigma - 1.0;
        // Start close to the fixed point; record upward zero crossings of v − v* while the
        // oscillation is well above rounding.
        m.state_mut().v = vs + 1e-2;
        m.state_mut().u = vs - alpha * vs - (vs + 1.0) * (vs + 1.0);
        let mut prev = m.state().v - vs;
        let mut ups = Vec::new();
        for n in 0..5000 {
            assert!(!m.step(0.0));
            let d = m.state().v - vs;
            if d.abs() < 1e-11 {
                break;
            }
            if prev < 0.0 && d >= 0.0 {
                ups.push(n);
            }
            prev = d;
        }
        assert!(ups.len() >= 3, "{ups:?}");
        let measured = (ups[ups.len() - 1] - ups[0]) as f64 / (ups.len() - 1) as f64;
        assert!(
            (measured - period).abs() < 1.5,
            "period {measured} vs {period}"
        );
    }

    #[test]
    fn dc_input_through_sigma_starts_firing() {
        // σ = −0.05 is quiescent; a DC current of 0.15 moves σ + σ^e·I to 0.1 (active).
        let (_, t) = run(-0.05, 0.15, 200_000);
        assert!(t.iter().filter(|&&k| k > 100_000).count() > 20);
        // Fast channel only (SC-NeuroCore): u absorbs the current, no sustained firing.
        let p = IbarzTanakaMapParams {
            sigma: -0.05,
            sigma_e: 0.0,
            ..Default::default()
        };
        let mut m = IbarzTanakaMapNeuron::with_params(p).unwrap();
        let late = (0..200_000)
            .filter(|&k| m.step(0.15) && k > 100_000)
            .count();
        assert_eq!(late, 0);
    }
}
