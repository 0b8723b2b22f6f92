//! `SpiNNaker2Neuron` — the LIF neuron of the SpiNNaker2 software stack (py-spinnaker2 `lif`),
//! in the single-precision floating point of the chip's Arm Cortex-M4F cores.
//!
//! **Equations** (one timestep; all arithmetic in IEEE-754 binary32): if the refractory counter
//! is > 0 it counts down and the step is skipped (V unchanged, input dropped); otherwise
//! V ← α_decay·V + I + i_offset, and the neuron spikes iff V > threshold, then V ← v_reset
//! (`reset_by_subtraction = false`) or V ← V − threshold, and the counter ← `refrac_steps`.
//! I is the timestep's summed integer synaptic input (py-spinnaker2 `lif` weights are
//! integers in [−15, 15]).
//!
//! **Numerics.** Every operation is rounded to binary32 as on the M4F FPU; the state holds the
//! binary32 value (exactly representable in the f64 of `get_state()`). In a network one step
//! is one timestep whatever `dt`; the port value is rounded to an integer and saturated to
//! ±2²⁴ (integers binary32 represents exactly).
//!
//! **Reference.** Mayr, C., Höppner, S. & Furber, S. (2019) "SpiNNaker 2: A 10 Million Core
//! Processor System for Brain Simulation and Machine Learning", arXiv:1911.02385; Höppner, S.
//! et al. (2021) arXiv:2103.08392. Parameters as the public py-spinnaker2 `lif` model takes
//! them (`threshold`, `alpha_decay`, `i_offset`, `v_init`, `v_reset`, `reset` =
//! "reset_to_v_reset" | "reset_by_subtraction"); it has no refractory parameter.
//!
//! **Relation to SC-NeuroCore** (spec §29). Same interface (`step(current: int)`), state
//! names `v` and `_refrac_count` (both 0 after `reset()`) and refractory mechanism.
//! Differences, following the platform: (a) binary32 multiply-add V·α_decay + I instead of the
//! integer multiply-shift (((V − V_rest)·243) >> 8) (which floors toward −∞ and is not the
//! platform's model); `decay_mult`/`decay_shift` become `alpha_decay` = 243/256 by default (the
//! same factor); (b) strict threshold V > threshold (SC-NeuroCore: ≥) and optional reset by
//! subtraction; (c) `i_offset` added; v_rest (0 in SC-NeuroCore) is the origin of V;
//! (d) `refrac_steps` defaults to 0 because py-spinnaker2's `lif` has no refractory period
//! (SC-NeuroCore: 2); the mechanism is kept.
//!
//! **Paper facts tested.** V_n = I(1 − αⁿ)/(1 − α) from 0: with α = 243/256, threshold 1024,
//! I = 100 it first exceeds the threshold at n = 15 (V₁₄ = 1020.4 < 1024 < V₁₅ = 1068.7; spec
//! §29 finds tick 15 for the integer form too); binary32 rounding: α = 0.9 (0.89999998 in
//! binary32), I = 1 gives V₂ = 1.89999997615814208984375 exactly; subtraction reset keeps the
//! excess, so the long-run rate is I/threshold.

use neurocore_engine::prelude::*;

/// Largest input magnitude: integers up to 2²⁴ are exact in binary32.
pub const S2_MAX_INPUT: f64 = 16_777_216.0;

params! {
    /// Parameters of [`SpiNNaker2Neuron`].
    pub struct SpiNNaker2Params {
        /// Decay factor per timestep, α_decay (rounded to binary32) [1].
        alpha_decay: f64 = 243.0 / 256.0,
        /// Threshold (strict: V > threshold) [input units].
        threshold: f64 = 1024.0,
        /// Reset value (reset_to_v_reset mode) [input units].
        v_reset: f64 = 0.0,
        /// Constant input added every timestep, i_offset [input units].
        i_offset: f64 = 0.0,
        /// Initial value of V (`reset()` restores it), v_init [input units].
        v_init: f64 = 0.0,
        /// Reset by subtracting the threshold instead of setting v_reset [choice].
        reset_by_subtraction: bool = false,
        /// Timesteps skipped after a spike [steps].
        refrac_steps: u32 = 0,
    }
}

impl SpiNNaker2Params {
    fn check(&self) -> Result<(), ParamError> {
        let lim = f32::MAX as f64;
        check::in_range("alpha_decay", self.alpha_decay, 0.0, 1.0)?;
        for (n, x) in [
            ("threshold", self.threshold),
            ("v_reset", self.v_reset),
            ("i_offset", self.i_offset),
            ("v_init", self.v_init),
        ] {
            check::in_range(n, x, -lim, lim)?;
        }
        check::in_range(
            "refrac_steps",
            self.refrac_steps as f64,
            0.0,
            i32::MAX as f64,
        )
    }
}

neuron_state! {
    /// State of [`SpiNNaker2Neuron`].
    pub struct SpiNNaker2State {
        /// Membrane variable, V (a binary32 value) [input units].
        v: f64 => SpiNNaker2V,
        /// Refractory timesteps left [steps].
        _refrac_count: i32 => SpiNNaker2Refrac,
    }
}

/// Constants of [`SpiNNaker2Neuron`] in binary32.
#[derive(Clone, Debug)]
pub struct SpiNNaker2Consts {
    alpha: f32,
    threshold: f32,
    v_reset: f32,
    i_offset: f32,
    subtract: bool,
    refrac: i32,
}

/// One timestep with integer input `i`; `true` on a spike.
#[inline(always)]
pub fn spinnaker2_step(k: &SpiNNaker2Consts, s: &mut SpiNNaker2State, i: f32) -> bool {
    if s._refrac_count > 0 {
        s._refrac_count -= 1;
        return false;
    }
    let mut v = k.alpha * (s.v as f32) + i + k.i_offset;
    let spike = v > k.threshold;
    if spike {
        v = if k.subtract {
            v - k.threshold
        } else {
            k.v_reset
        };
        s._refrac_count = k.refrac;
    }
    s.v = v as f64;
    spike
}

standalone! {
/// SpiNNaker2 (py-spinnaker2 `lif`) neuron in binary32 arithmetic.
pub struct SpiNNaker2Neuron;
}

impl SpiNNaker2Neuron {
    /// One timestep with the summed integer synaptic input `current`; `true` on a spike.
    pub fn step(&mut self, current: i32) -> bool {
        self.step_or_none([current as f64])
    }
}

impl Model for SpiNNaker2Neuron {
    const NAME: &'static str = "SpiNNaker2Neuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str = "SpiNNaker2 LIF (py-spinnaker2 lif) in binary32 arithmetic";
    const REFERENCE: &'static str =
        "Mayr, Hoeppner & Furber 2019, arXiv:1911.02385; Hoeppner et al. 2021, arXiv:2103.08392";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[100.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = SpiNNaker2Params;
    type State = SpiNNaker2State;
    type Consts = SpiNNaker2Consts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &SpiNNaker2Params) -> SpiNNaker2State {
        SpiNNaker2State {
            v: p.v_init as f32 as f64,
            _refrac_count: 0,
        }
    }
    fn standalone_span(_: &SpiNNaker2Params) -> f64 {
        1.0
    }
    fn prepare(p: &SpiNNaker2Params, _: f64) -> SpiNNaker2Consts {
        SpiNNaker2Consts {
            alpha: p.alpha_decay as f32,
            threshold: p.threshold as f32,
            v_reset: p.v_reset as f32,
            i_offset: p.i_offset as f32,
            subtract: p.reset_by_subtraction,
            refrac: p.refrac_steps.min(i32::MAX as u32) as i32,
        }
    }
    #[inline(always)]
    fn update(
        k: &SpiNNaker2Consts,
        s: &mut SpiNNaker2State,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        let i = x.ports[0].round().clamp(-S2_MAX_INPUT, S2_MAX_INPUT) as f32;
        spinnaker2_step(k, s, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_spike_at_tick_15_for_input_100() {
        // V_n = 100(1 − αⁿ)/(1 − α), α = 243/256: V₁₄ = 1020.4, V₁₅ = 1068.7 > 1024.
        let a: f64 = 243.0 / 256.0;
        let vn = |n: i32| 100.0 * (1.0 - a.powi(n)) / (1.0 - a);
        assert!(vn(14) < 1024.0 && vn(15) > 1024.0);
        let mut n = SpiNNaker2Neuron::new();
        let t: Vec<usize> = (1..=30).filter(|_| n.step(100)).collect();
        assert_eq!(t, vec![15, 30]);
        // With SC-NeuroCore's 2 refractory ticks: spikes at 15, then 2 dropped ticks.
        let mut n = SpiNNaker2Neuron::with_params(SpiNNaker2Params {
            refrac_steps: 2,
            ..Default::default()
        })
        .unwrap();
        let t: Vec<usize> = (1..=40).filter(|_| n.step(100)).collect();
        assert_eq!(t, vec![15, 32]);
    }

    #[test]
    fn arithmetic_is_binary32() {
        // α = 0.9 is 15099494·2⁻²⁴ (0.89999997615814208984375) in binary32; from V = 1 with
        // I = 1: V = 31876710·2⁻²⁴ = 15938355·2⁻²³ = 1.89999997615814208984375 (exact in
        // binary32), where binary64 arithmetic would give 1.9.
        let mut n = SpiNNaker2Neuron::with_params(SpiNNaker2Params {
            alpha_decay: 0.9,
            ..Default::default()
        })
        .unwrap();
        n.step(1);
        assert_eq!(n.state().v, 1.0);
        n.step(1);
        assert_eq!(n.state().v, 15_938_355.0 / 8_388_608.0);
        assert_ne!(n.state().v, 1.9);
    }

    #[test]
    fn subtraction_reset_gives_rate_input_over_threshold() {
        // No leak (α = 1), I = 300, threshold 1000, reset by subtraction: after n steps
        // ⌊300n/1000⌋ spikes... except that the threshold is strict: a spike needs V > 1000,
        // so the k-th spike comes at the first n with 300n > 1000k.
        let mut n = SpiNNaker2Neuron::with_params(SpiNNaker2Params {
            alpha_decay: 1.0,
            threshold: 1000.0,
            reset_by_subtraction: true,
            ..Default::default()
        })
        .unwrap();
        let mut count = 0i64;
        for k in 1..=1000i64 {
            count += n.step(300) as i64;
            let expect = (300 * k - 1) / 1000;
            assert_eq!(count, expect, "step {k}");
        }
    }
}
