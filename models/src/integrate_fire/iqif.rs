//! `IntegerQIFNeuron` — the Integer Quadratic Integrate-and-Fire neuron (IQIF), a digital
//! integrate-and-fire neuron whose quadratic restoring force is approximated by two integer
//! linear pieces.
//!
//! **Equations** (one integer tick; integer input I; `>>` an arithmetic shift, i.e. floor
//! division by 8): branch point B = trunc((b·V_T + a·V_R)/(a + b)) (truncation toward zero, as
//! C integer division); force F = a·(V_R − v) if v < B, else b·(v − V_T); candidate
//! c = v + (F >> 3) + I. If c > v_max: spike, v ← v_reset; else v ← max(v_min, c). Below B the
//! force pulls v back to the rest V_R (stable); above it pushes v away from V_T, so V_T is the
//! unstable point of the parabola v ↦ (v − V_R)(v − V_T) that the two lines replace, and
//! v_max is the spike cut.
//!
//! **Numerics.** Exact integer recurrence in 64-bit intermediates. In a network one step is one
//! tick whatever `dt`; the port value is rounded to the nearest integer and saturated to the
//! 32-bit range.
//!
//! **Units.** Integer potential units; the coefficients a and b are Q0.3 numerators (a/8, b/8
//! per tick).
//!
//! **Reference.** Wu et al. (2021) "Integer Quadratic Integrate-and-Fire (IQIF): A Neuron Model
//! for Digital Neuromorphic Systems", IEEE AICAS 2021, doi:10.1109/AICAS51828.2021.9458572;
//! arithmetic as in the authors' public implementation (github.com/twetto/iq-neuron, the
//! revision SC-NeuroCore pins: Q0.3 coefficients, strict spike test c > v_max, hard reset).
//!
//! **Relation to SC-NeuroCore** (spec §17). Same interface (`step(current: int)`, state `v`,
//! `branch_point`) and the same integer dynamics. The source's noise term is omitted, as in
//! SC-NeuroCore. The name says "quadratic" but the force is piecewise linear, as in the source.
//!
//! **Paper facts tested** (the recurrence worked by hand): defaults, I = 10, from v = 128:
//! 138, 146, 153, 159, 165, 170, 176, 183, 190, 198, 207, 217, 229, 242, then 257 > 255 → spike
//! at tick 15, v = 128 (period 15); B = 164; with I = 0, v = 128 is a fixed point and v = 150
//! decays back to 128 in 14 ticks, the floor shift rounding small negative forces to −1.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`IntegerQIFNeuron`].
    pub struct IntegerQIFParams {
        /// Resting potential (stable point of the force), V_R [units].
        v_rest: i32 = 128,
        /// Upper reference of the force (its unstable point, not the spike cut), V_T [units].
        v_threshold: i32 = 200,
        /// Potential after a spike, v_reset [units].
        v_reset: i32 = 128,
        /// Slope of the force below the branch point (Q0.3 numerator), a [1/8 per tick].
        a: i32 = 1,
        /// Slope of the force above the branch point (Q0.3 numerator), b [1/8 per tick].
        b: i32 = 1,
        /// Spike cut: a candidate above it fires, v_max [units].
        v_max: i32 = 255,
        /// Lower clamp of the potential, v_min [units].
        v_min: i32 = 0,
    }
}

impl IntegerQIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("a", self.a as f64)?;
        check::non_negative("b", self.b as f64)?;
        if self.a == 0 && self.b == 0 {
            return Err(ParamError::new("a, b", "a and b must not both be 0"));
        }
        check::less("v_min", self.v_min as f64, "v_rest", self.v_rest as f64)?;
        check::less(
            "v_rest",
            self.v_rest as f64,
            "v_threshold",
            self.v_threshold as f64,
        )?;
        check::less(
            "v_threshold",
            self.v_threshold as f64,
            "v_max",
            self.v_max as f64,
        )?;
        check::in_range(
            "v_reset",
            self.v_reset as f64,
            self.v_min as f64,
            self.v_max as f64,
        )
    }

    /// The branch point B = trunc((b·V_T + a·V_R)/(a + b)) of the piecewise-linear force.
    pub fn branch_point(&self) -> i32 {
        let (a, b) = (self.a as i64, self.b as i64);
        ((b * self.v_threshold as i64 + a * self.v_rest as i64) / (a + b)) as i32
    }
}

neuron_state! {
    /// State of [`IntegerQIFNeuron`].
    pub struct IntegerQIFState {
        /// Membrane potential, v (in [v_min, v_max]) [units].
        v: i32 => IqifV,
    }
}

/// Constants of [`IntegerQIFNeuron`].
#[derive(Clone, Debug)]
pub struct IntegerQIFConsts {
    p: IntegerQIFParams,
    branch: i64,
}

/// One tick with integer input `i`.
#[inline(always)]
pub fn iqif_step(k: &IntegerQIFConsts, s: &mut IntegerQIFState, i: i64) -> bool {
    let p = &k.p;
    let v = s.v as i64;
    let f = if v < k.branch {
        p.a as i64 * (p.v_rest as i64 - v)
    } else {
        p.b as i64 * (v - p.v_threshold as i64)
    };
    let c = v + (f >> 3) + i;
    if c > p.v_max as i64 {
        s.v = p.v_reset;
        true
    } else {
        s.v = c.max(p.v_min as i64) as i32;
        false
    }
}

standalone! {
/// Integer quadratic integrate-and-fire neuron (Wu et al. 2021).
pub struct IntegerQIFNeuron;
}

impl IntegerQIFNeuron {
    /// One tick with integer input `current`; `true` on a spike.
    pub fn step(&mut self, current: i32) -> bool {
        self.step_or_none([current as f64])
    }

    /// The branch point of the piecewise-linear force (164 with the defaults).
    pub fn branch_point(&self) -> i32 {
        self.params().branch_point()
    }
}

impl Model for IntegerQIFNeuron {
    const NAME: &'static str = "IntegerQIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Integer quadratic IF (IQIF): piecewise-linear integer force, digital neuromorphic";
    const REFERENCE: &'static str = "Wu et al. 2021, IEEE AICAS 2021, doi:10.1109/AICAS51828.2021.9458572; github.com/twetto/iq-neuron";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[10.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = IntegerQIFParams;
    type State = IntegerQIFState;
    type Consts = IntegerQIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &IntegerQIFParams) -> IntegerQIFState {
        IntegerQIFState { v: p.v_rest }
    }
    fn standalone_span(_: &IntegerQIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &IntegerQIFParams, _: f64) -> IntegerQIFConsts {
        IntegerQIFConsts {
            p: p.clone(),
            branch: p.branch_point() as i64,
        }
    }
    #[inline(always)]
    fn update(
        k: &IntegerQIFConsts,
        s: &mut IntegerQIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        let i = x.ports[0].round().clamp(i32::MIN as f64, i32::MAX as f64) as i64;
        iqif_step(k, s, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_fifteen_at_i_ten() {
        // By hand (spec §17): B = trunc((200 + 128)/2) = 164. From 128 with I = 10, e.g.
        // v = 138: F = −10, −10 >> 3 = −2 → 146; v = 165 ≥ B: F = −35 >> 3 = −5 → 170;
        // v = 242: F = 42 >> 3 = 5 → 257 > 255 → spike, v = 128.
        let mut n = IntegerQIFNeuron::new();
        assert_eq!(n.branch_point(), 164);
        let expect = [
            138, 146, 153, 159, 165, 170, 176, 183, 190, 198, 207, 217, 229, 242,
        ];
        for &v in &expect {
            assert!(!n.step(10));
            assert_eq!(n.state().v, v);
        }
        assert!(n.step(10), "tick 15 must spike");
        assert_eq!(n.state().v, 128);
        let t: Vec<usize> = (16..=60).filter(|_| n.step(10)).collect();
        assert_eq!(t, vec![30, 45, 60]);
    }

    #[test]
    fn rest_is_a_fixed_point_and_decay_floors() {
        let mut n = IntegerQIFNeuron::new();
        for _ in 0..100 {
            assert!(!n.step(0));
            assert_eq!(n.state().v, 128);
        }
        // From 150: F = −22 >> 3 = −3 → 147; −19 → −3 → 144; −16 → −2 → 142; −14 → −2 → 140;
        // −12 → −2 → 138; −10 → −2 → 136; −8 → −1 → 135; then −7 … −1 each floor to −1.
        n.state_mut().v = 150;
        let expect = [
            147, 144, 142, 140, 138, 136, 135, 134, 133, 132, 131, 130, 129, 128, 128,
        ];
        for &v in &expect {
            n.step(0);
            assert_eq!(n.state().v, v);
        }
        // Below v_min the potential is clamped: a large negative input stops at 0.
        n.step(-1000);
        assert_eq!(n.state().v, 0);
    }
}
