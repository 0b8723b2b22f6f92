//! `CazellesMapNeuron` — the scalar piecewise-linear chaotic bursting map of Cazelles,
//! Courbage & Rabinovich (2001).
//!
//! **Equations** (one step = one iteration; input I): x′ = f(x) + α·x^m + I with the
//! piecewise-linear f = aᵢ + bᵢ·x on [x₀, x₁), [x₁, x₂), [x₂, x₃), [x₃, x₄] (i = 1..4; the
//! right-continuous breakpoint convention is SC-NeuroCore's, the paper leaves it open). With
//! the default constants [0, 0.4) is the slow "laminar" ramp x′ = 1.05·x, the branches
//! [0.4, 0.6) and [0.7, 1] form the burst (an expanding two-cycle around x = 0.4) and
//! [0.6, 0.7) re-injects into [0, 0.15), ending the burst. The step returns `true` on entry into
//! the slow regime (x ≥ x₁ before, x < x₁ after): one event per burst cycle.
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//! The result is clamped to the domain [x₀, x₄], which the autonomous map leaves invariant;
//! only an input can push it out.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Cazelles, B., Courbage, M. & Rabinovich, M. (2001) "Anti-phase
//! regularization of coupled chaotic maps modelling bursting neurons", Europhys. Lett.
//! 56(4):504–509, doi:10.1209/epl/i2001-00548-y (Figure-1 constants as transcribed in spec §26;
//! the paper text was not available to check them: a search found only the EPL abstract page,
//! so the constants are SC-NeuroCore's, unverified).
//!
//! **Relation to SC-NeuroCore** (spec §26). Same map, interface (`step(current)`), state `x`
//! (0.1 initially), parameters and event. Difference: SC-NeuroCore raises an error when a
//! current pushes x more than 8 ulp outside [x₀, x₄] (which aborts a run, spec §26.7); here x is
//! clamped to the domain, the clamp the spec recommends, so a network never stops.
//!
//! **Paper facts tested** (closed forms of the map). From x = 0.1 the laminar ramp x·1.05ⁿ
//! needs ⌈ln 4/ln 1.05⌉ = 29 iterations to leave [0, 0.4); after every re-injection to x_r the
//! laminar phase lasts ⌈ln(0.4/x_r)/ln 1.05⌉ iterations; the burst two-cycle expands by
//! b₂·b₄ = 1.25 per round trip; [0, 1] is invariant; the re-injection points are irregular
//! (chaotic bursting, the paper's regime).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`CazellesMapNeuron`].
    pub struct CazellesMapParams {
        /// Weight of the nonlinear term α·x^m, α [1].
        alpha: f64 = 0.0,
        /// Exponent of the nonlinear term, m (1 or 2) [1].
        exponent: u8 = 2,
        /// Lower domain bound, x₀ [1].
        x0: f64 = 0.0,
        /// First breakpoint (end of the slow regime), x₁ [1].
        x1: f64 = 0.4,
        /// Second breakpoint, x₂ [1].
        x2: f64 = 0.6,
        /// Third breakpoint, x₃ [1].
        x3: f64 = 0.7,
        /// Upper domain bound, x₄ [1].
        x4: f64 = 1.0,
        /// Offset of branch 1, a₁ [1].
        a1: f64 = 0.0,
        /// Slope of branch 1, b₁ [1].
        b1: f64 = 1.05,
        /// Offset of branch 2, a₂ [1].
        a2: f64 = 1.5,
        /// Slope of branch 2, b₂ [1].
        b2: f64 = -1.25,
        /// Offset of branch 3, a₃ [1].
        a3: f64 = -0.9,
        /// Slope of branch 3, b₃ [1].
        b3: f64 = 1.5,
        /// Offset of branch 4, a₄ [1].
        a4: f64 = 1.4,
        /// Slope of branch 4, b₄ [1].
        b4: f64 = -1.0,
    }
}

impl CazellesMapParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("alpha", self.alpha, 0.0, 1.0 - f64::EPSILON)?;
        if self.exponent != 1 && self.exponent != 2 {
            return Err(ParamError::new(
                "exponent",
                format!("must be 1 or 2, got {}", self.exponent),
            ));
        }
        check::less("x0", self.x0, "x1", self.x1)?;
        check::less("x1", self.x1, "x2", self.x2)?;
        check::less("x2", self.x2, "x3", self.x3)?;
        check::less("x3", self.x3, "x4", self.x4)
    }
}

neuron_state! {
    /// State of [`CazellesMapNeuron`].
    pub struct CazellesMapState {
        /// Membrane-potential-like variable, x ∈ [x₀, x₄] [1].
        x: f64 => CazellesX,
    }
}

/// One iteration; `true` on entry into the slow regime (x crosses x₁ downward).
#[inline(always)]
pub fn cazelles_step(p: &CazellesMapParams, s: &mut CazellesMapState, input: f64) -> bool {
    let x = s.x;
    let f = if x < p.x1 {
        p.a1 + p.b1 * x
    } else if x < p.x2 {
        p.a2 + p.b2 * x
    } else if x < p.x3 {
        p.a3 + p.b3 * x
    } else {
        p.a4 + p.b4 * x
    };
    let nl = if p.exponent == 1 { x } else { x * x };
    let x_next = (f + p.alpha * nl + input).clamp(p.x0, p.x4);
    s.x = x_next;
    x >= p.x1 && x_next < p.x1
}

standalone! {
/// Cazelles–Courbage–Rabinovich (2001) piecewise-linear bursting map.
pub struct CazellesMapNeuron;
}

impl CazellesMapNeuron {
    /// One iteration with additive input `current`; `true` when a burst ends (entry into the
    /// slow regime).
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for CazellesMapNeuron {
    const NAME: &'static str = "CazellesMapNeuron";
    const FAMILY: Family = Family::Maps;
    const SUMMARY: &'static str =
        "Cazelles-Courbage-Rabinovich 2001 piecewise-linear chaotic bursting map";
    const REFERENCE: &'static str =
        "Cazelles, Courbage & Rabinovich 2001, Europhys Lett 56:504, doi:10.1209/epl/i2001-00548-y";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = CazellesMapParams;
    type State = CazellesMapState;
    type Consts = CazellesMapParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &CazellesMapParams) -> CazellesMapState {
        let x = if (p.x0..=p.x4).contains(&0.1) {
            0.1
        } else {
            p.x0
        };
        CazellesMapState { x }
    }
    fn standalone_span(_: &CazellesMapParams) -> f64 {
        1.0
    }
    fn prepare(p: &CazellesMapParams, _: f64) -> CazellesMapParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &CazellesMapParams,
        s: &mut CazellesMapState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        cazelles_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laminar_length(x: f64) -> usize {
        // ⌈ln(x₁/x)/ln b₁⌉ iterations of x·1.05ⁿ to reach x₁ = 0.4.
        ((0.4 / x).ln() / 1.05f64.ln()).ceil() as usize
    }

    #[test]
    fn laminar_phase_from_01_lasts_29_iterations() {
        assert_eq!(laminar_length(0.1), 29);
        let mut m = CazellesMapNeuron::new();
        let mut n = 0;
        while m.state().x < 0.4 {
            assert!(!m.step(0.0));
            n += 1;
        }
        assert_eq!(n, 29);
    }

    #[test]
    fn every_laminar_phase_has_its_closed_form_length_and_bursts_are_chaotic() {
        let mut m = CazellesMapNeuron::new();
        let mut reinjections = Vec::new();
        let mut t = 0usize;
        while reinjections.len() < 40 && t < 1_000_000 {
            t += 1;
            if m.step(0.0) {
                let xr = m.state().x;
                assert!(
                    (0.0..0.15).contains(&xr),
                    "re-injection outside [0, 0.15): {xr}"
                );
                reinjections.push(xr);
                if xr <= 0.0 {
                    break;
                }
                // Count the laminar iterations until x leaves [0, 0.4).
                let mut n = 0;
                while m.state().x < 0.4 {
                    m.step(0.0);
                    n += 1;
                    t += 1;
                }
                assert_eq!(n, laminar_length(xr), "from x_r = {xr}");
            }
            assert!((0.0..=1.0).contains(&m.state().x), "left [0, 1]");
        }
        assert!(reinjections.len() >= 20, "{reinjections:?}");
        // Chaotic bursting: the re-injection points do not repeat.
        let mut sorted = reinjections.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        assert!(sorted.len() > reinjections.len() / 2, "{reinjections:?}");
    }

    #[test]
    fn burst_two_cycle_expands_by_b2_b4() {
        // Round trip [0.4, 0.6) → [0.7, 1] → back: x ↦ a₄ + b₄(a₂ + b₂x) = −0.1 + 1.25x,
        // fixed at 0.4: distances from 0.4 grow by b₂b₄ = 1.25 per round trip.
        let mut m = CazellesMapNeuron::new();
        m.state_mut().x = 0.41;
        let mut d = 0.01;
        for _ in 0..10 {
            m.step(0.0);
            assert!(m.state().x >= 0.7);
            m.step(0.0);
            d *= 1.25;
            assert!(
                (m.state().x - (0.4 + d)).abs() < 1e-12,
                "{} vs {}",
                m.state().x,
                0.4 + d
            );
        }
    }

    #[test]
    fn inputs_cannot_leave_the_domain() {
        let mut m = CazellesMapNeuron::new();
        m.step(5.0);
        assert_eq!(m.state().x, 1.0);
        m.step(-5.0);
        assert_eq!(m.state().x, 0.0);
    }
}
