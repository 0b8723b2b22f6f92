//! `CourageNekorkinMapNeuron` — the discontinuous two-dimensional spiking–bursting map of
//! Courbage, Nekorkin & Vdovin (2007) (the class name misspells Courbage).
//!
//! **Equations** (one step = one iteration, simultaneous update; input I):
//! x′ = x + F(x) − y − β·H(x − d) + I, y′ = y + ε(x − J − J^e·I), with
//! F(x) = −m₀x for x ≤ J_min, m₁(x − a) for J_min < x < J_max, −m₀(x − 1) for x ≥ J_max,
//! J_min = a·m₁/(m₀ + m₁), J_max = (m₀ + a·m₁)/(m₀ + m₁), and H(z) = 1 for z ≥ 0, else 0.
//! The map is a discrete FitzHugh–Nagumo system whose fast equation carries a Lorenz-type
//! discontinuity at the excitation threshold x = d. J is the paper's control parameter (the
//! fixed point is x* = J); the step returns `true` when x crosses `x_threshold` upward
//! (SC-NeuroCore's event convention).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Courbage, M., Nekorkin, V.I. & Vdovin, L.V. (2007) "Chaotic oscillations in
//! a map-based model of neural activity", Chaos 17:043109, doi:10.1063/1.2795435
//! (arXiv:0712.2097), eqs. 3–5; defaults are the Figure-4 chaotic spiking–bursting profile as
//! transcribed in spec §27 (the paper text was not available to check the values). The
//! Figure-4 constants remain unconfirmed: the one third-party implementation found (Toso's CNV
//! scripts, `cnv_force_var.py`) uses a different set (a 0.002, m₀ 0.4, m₁ 0.3, d 0.3, ε 0.01,
//! J 0.1123, β 0.1).
//!
//! **Relation to SC-NeuroCore** (spec §27). Same map, interface (`step(current)`, an additive
//! fast-equation input), state `x`, `y` (0, 0), defaults and event. Difference: a constant
//! current in the fast equation alone is absorbed by y (the fixed point stays x* = J), so it
//! can never start or stop firing; as with Rulkov's σ, the input here also shifts the paper's
//! control J through the gain J^e (`j_e`, default 1), so a DC current moves x* to J + J^e·I.
//! `j_e = 0` gives SC-NeuroCore's behaviour. The J^e channel is an extension by analogy with
//! Rulkov's σ^e, not from the Courbage–Nekorkin paper: the project's issue places the DC drive
//! in J for this map.
//!
//! **Paper facts tested** (closed forms of the map). The fixed point x* = J,
//! y* = F(J) − β·H(J − d) has the Jacobian [[1 + F′(J), −1], [ε, 1]], det = 1 + F′(J) + ε,
//! tr = 2 + F′(J). For J < J_min (F′ = −m₀) it is stable iff ε < m₀: the cell is silent and
//! excitable; for J_min < J < J_max (F′ = m₁ > 0) det > 1 and the cell oscillates by itself.
//! With the Figure-4 values J_min = 0.12381 < J = 0.13: self-sustained chaotic
//! spiking–bursting (irregular interspike intervals).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`CourageNekorkinMapNeuron`].
    pub struct CourageNekorkinMapParams {
        /// Slope of the outer branches of F, m₀ [1].
        m0: f64 = 0.4,
        /// Slope of the middle branch of F, m₁ [1].
        m1: f64 = 0.65,
        /// Zero of the middle branch of F, a [1].
        a: f64 = 0.2,
        /// Excitation threshold (position of the discontinuity), d [1].
        d: f64 = 0.3,
        /// Control parameter: the fixed point x* (DC control), J [1].
        j: f64 = 0.13,
        /// Size of the discontinuity, β [1].
        beta: f64 = 0.25,
        /// Slow time scale, ε [1].
        eps: f64 = 0.002,
        /// Level whose upward crossing by x is reported as a spike [1].
        x_threshold: f64 = 0.3,
        /// Gain of the input into J (the slow equation), J^e [1].
        j_e: f64 = 1.0,
    }
}

impl CourageNekorkinMapParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("m0", self.m0, f64::MIN_POSITIVE, 1.0 - f64::EPSILON)?;
        check::positive("m1", self.m1)?;
        check::in_range("a", self.a, f64::MIN_POSITIVE, 1.0 - f64::EPSILON)?;
        check::positive("beta", self.beta)?;
        check::positive("eps", self.eps)
    }

    /// The breakpoints (J_min, J_max) of F.
    pub fn breakpoints(&self) -> (f64, f64) {
        let s = self.m0 + self.m1;
        (self.a * self.m1 / s, (self.m0 + self.a * self.m1) / s)
    }
}

neuron_state! {
    /// State of [`CourageNekorkinMapNeuron`].
    pub struct CourageNekorkinMapState {
        /// Fast (membrane-potential-like) variable, x [1].
        x: f64 => CourbageX,
        /// Slow recovery variable, y [1].
        y: f64 => CourbageY,
    }
}

/// Constants of [`CourageNekorkinMapNeuron`]: the parameters and the breakpoints of F.
#[derive(Clone, Debug)]
pub struct CourbageConsts {
    p: CourageNekorkinMapParams,
    j_min: f64,
    j_max: f64,
}

/// One iteration; `true` when x crosses the threshold upward.
#[inline(always)]
pub fn courbage_step(k: &CourbageConsts, s: &mut CourageNekorkinMapState, input: f64) -> bool {
    let p = &k.p;
    let (x, y) = (s.x, s.y);
    let f = if x <= k.j_min {
        -p.m0 * x
    } else if x < k.j_max {
        p.m1 * (x - p.a)
    } else {
        -p.m0 * (x - 1.0)
    };
    let h = if x >= p.d { 1.0 } else { 0.0 };
    let x_next = x + f - y - p.beta * h + input;
    s.y = y + p.eps * (x - p.j - p.j_e * input);
    s.x = x_next;
    x < p.x_threshold && x_next >= p.x_threshold
}

standalone! {
/// Courbage–Nekorkin–Vdovin (2007) discontinuous spiking–bursting map.
pub struct CourageNekorkinMapNeuron;
}

impl CourageNekorkinMapNeuron {
    /// One iteration with input `current`; `true` on an upward threshold crossing.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for CourageNekorkinMapNeuron {
    const NAME: &'static str = "CourageNekorkinMapNeuron";
    const FAMILY: Family = Family::Maps;
    const SUMMARY: &'static str =
        "Courbage-Nekorkin-Vdovin 2007 discontinuous spiking-bursting map";
    const REFERENCE: &'static str =
        "Courbage, Nekorkin & Vdovin 2007, Chaos 17:043109, doi:10.1063/1.2795435";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.005];
    const SUBSTEP: Option<&'static str> = None;
    type Params = CourageNekorkinMapParams;
    type State = CourageNekorkinMapState;
    type Consts = CourbageConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &CourageNekorkinMapParams) -> CourageNekorkinMapState {
        CourageNekorkinMapState { x: 0.0, y: 0.0 }
    }
    fn standalone_span(_: &CourageNekorkinMapParams) -> f64 {
        1.0
    }
    fn prepare(p: &CourageNekorkinMapParams, _: f64) -> CourbageConsts {
        let (j_min, j_max) = p.breakpoints();
        CourbageConsts {
            p: p.clone(),
            j_min,
            j_max,
        }
    }
    #[inline(always)]
    fn update(
        k: &CourbageConsts,
        s: &mut CourageNekorkinMapState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        courbage_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(j: f64, j_e: f64, current: f64, n: usize) -> Vec<usize> {
        let p = CourageNekorkinMapParams {
            j,
            j_e,
            ..Default::default()
        };
        let mut m = CourageNekorkinMapNeuron::with_params(p).unwrap();
        (0..n).filter(|_| m.step(current)).collect()
    }

    #[test]
    fn breakpoints_of_the_figure_4_profile() {
        let (lo, hi) = CourageNekorkinMapParams::default().breakpoints();
        // J_min = 0.2·0.65/1.05 = 0.123810, J_max = (0.4 + 0.13)/1.05 = 0.504762.
        assert!((lo - 0.13 / 1.05).abs() < 1e-15 && (lo - 0.123810).abs() < 1e-6);
        assert!((hi - 0.53 / 1.05).abs() < 1e-15);
    }

    #[test]
    fn silent_below_j_min_oscillating_above() {
        let p = CourageNekorkinMapParams::default();
        let (j_min, _) = p.breakpoints();
        // J < J_min with ε = 0.002 < m₀ = 0.4: stable fixed point (x*, y*) = (J, −m₀J).
        let j = j_min - 0.005;
        let pp = CourageNekorkinMapParams {
            j,
            ..Default::default()
        };
        let mut m = CourageNekorkinMapNeuron::with_params(pp).unwrap();
        let late = (0..200_000).filter(|&t| m.step(0.0) && t > 100_000).count();
        assert_eq!(late, 0);
        assert!(
            (m.state().x - j).abs() < 1e-9 && (m.state().y + p.m0 * j).abs() < 1e-9,
            "{:?}",
            m.state()
        );
        // The Figure-4 J = 0.13 > J_min: det = 1 + m₁ + ε > 1, self-sustained firing.
        let t = spikes(0.13, 1.0, 0.0, 200_000);
        assert!(
            t.iter().filter(|&&k| k > 100_000).count() > 20,
            "{}",
            t.len()
        );
    }

    #[test]
    fn figure_4_firing_is_irregular_spiking_bursting() {
        let t = spikes(0.13, 1.0, 0.0, 400_000);
        let isi: Vec<usize> = t.windows(2).map(|w| w[1] - w[0]).collect();
        let (lo, hi) = (*isi.iter().min().unwrap(), *isi.iter().max().unwrap());
        assert!(hi > 3 * lo, "regular spiking: {lo}..{hi}");
        let mut distinct = isi.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 5, "periodic: {distinct:?}");
    }

    #[test]
    fn dc_input_through_j_starts_firing() {
        // J = 0.11 < J_min is silent; a DC current of 0.02 with J^e = 1 moves x* to 0.13.
        assert!(
            spikes(0.11, 1.0, 0.02, 200_000)
                .iter()
                .filter(|&&k| k > 100_000)
                .count()
                > 20
        );
        // Fast channel only (SC-NeuroCore): y absorbs the current, no sustained firing.
        assert_eq!(
            spikes(0.11, 0.0, 0.02, 200_000)
                .iter()
                .filter(|&&k| k > 100_000)
                .count(),
            0
        );
    }
}
