//! `Loihi2Neuron` — an Intel Loihi 2 adaptive-threshold LIF neuron in the chip's fixed-point
//! arithmetic (Lava's Loihi-2 process models).
//!
//! **Equations** (one algorithmic timestep; integers; d(x, δ) = sgn(x(4096 − δ))·(|x(4096 − δ)|
//! >> 12) is Loihi's sign–magnitude 12-bit decay; a_in the 16-bit input):
//! - current s2 ← wrap₂₄(d(s2, du + 1) + (a_in << 6)) (24-bit wrap-around);
//! - voltage s1 ← clip₂₄(d(s1, dv) + s2 + (bias_mant << bias_exp));
//! - threshold adaptation s3 ← d(s3, d_theta) (the threshold θ = (vth << 6) + s3 relaxes to
//!   its baseline, Lava ATRLIF's θ ← d(θ − θ₀) + θ₀);
//! - spike iff s1 > (vth << 6) + s3 (strict); then s1 ← 0 and s3 ← s3 + (theta_step << 6).
//!
//! With `theta_step = 0` this is exactly Lava's bit-accurate CUBA LIF (`PyLifModelBitAcc`,
//! the model of [`LoihiCUBANeuron`](super::LoihiCUBANeuron)), which Lava runs on Loihi 2 too.
//!
//! **Numerics.** Exact integer arithmetic in 64-bit intermediates; s3 saturates at the 24-bit
//! range (Lava's ATRLIF leaves it unclipped — a "TODO" in its source). In a network one step is
//! one timestep whatever `dt`; the port value is rounded and saturated to 16 bits (the width of
//! Lava's `a_in` port).
//!
//! **Reference.** Orchard, G. et al. (2021) "Efficient Neuromorphic Signal Processing with
//! Loihi 2", IEEE SiPS 2021, pp. 254–259, doi:10.1109/SiPS52927.2021.00053; arithmetic as
//! Lava's Loihi-2 fixed-point process models: `lava.proc.lif` (`PyLifModelBitAcc`) and
//! `lava.proc.atrlif` (`PyATRLIFModelFixed`, threshold adaptation); decays as in Davies et al.
//! (2018) IEEE Micro 38(1):82–99, doi:10.1109/MM.2018.112130359.
//!
//! **Relation to SC-NeuroCore** (spec §25). Same interface (`step(weighted_input: int)`) and
//! state names `s1` (membrane), `s2` (current), `s3` (slow adaptation), all 0 after `reset()`.
//! SC-NeuroCore's neuron is a generic three-state integer neuron (divisor decays with floor
//! rounding, ≥ threshold, s3 coupled into s1/s2 by w13/w23, which default to 0 so s3 has no
//! effect) that is not a documented Loihi 2 neuron. Differences, following Lava: (a) Loihi's
//! 12-bit sign–magnitude decays, 6-bit input and threshold shifts, 24-bit wrap of the current
//! and saturation of the voltage, bias mantissa/exponent, strict threshold (the
//! [`LoihiCUBANeuron`](super::LoihiCUBANeuron) arithmetic); (b) s3 is Lava ATRLIF's adaptive
//! threshold (baseline-relative, jumps by θ_step per spike, decays with δ_θ) instead of an
//! adaptation current coupled through w13/w23; (c) parameters are the chip's: `du`, `dv`,
//! `d_theta` (12-bit decays), `vth`, `theta_step`, `bias_mant`, `bias_exp`. Defaults map
//! SC-NeuroCore's: τ₂ = 5 → du = 818, τ₁ = 10 → dv = 410, τ₃ = 50 → d_theta = 82,
//! threshold 1000 → vth = 1000, s3_incr 10 → theta_step = 10. ATRLIF's fourth state, the
//! refractory variable r (v − r ≥ θ, no voltage reset), needs a state SC-NeuroCore's three
//! names do not hold; the voltage reset to 0 of Lava's LIF is used instead.
//!
//! **Paper facts tested.** With theta_step = 0 the neuron is spike-for-spike Lava's CUBA LIF
//! (du = 4095, dv = 0, vth = 10, a_in = 1: first spike at step 11, then every 11 steps, spec
//! §24); the threshold decay follows the 12-bit integer formula exactly; with adaptation the
//! intervals lengthen step by step as θ = 640 + s3 computed by hand.

use neurocore_engine::prelude::*;

use super::loihi_cuba::{MAX_UV, decay};

params! {
    /// Parameters of [`Loihi2Neuron`].
    pub struct Loihi2Params {
        /// Current decay, du (12-bit; du + 1 is removed per 4096) [1/4096 per step].
        du: i32 = 818,
        /// Voltage decay, dv (12-bit) [1/4096 per step].
        dv: i32 = 410,
        /// Threshold-adaptation decay, δ_θ (12-bit) [1/4096 per step].
        d_theta: i32 = 82,
        /// Threshold mantissa, vth (compared with s1 >> 6, strictly) [input units].
        vth: i32 = 1000,
        /// Threshold increase per spike, θ_step (mantissa, << 6 on the chip) [input units].
        theta_step: i32 = 10,
        /// Bias mantissa (signed 13-bit) [input units].
        bias_mant: i32 = 0,
        /// Bias exponent (3-bit) [shift].
        bias_exp: i32 = 0,
    }
}

impl Loihi2Params {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("du", self.du as f64, 0.0, 4095.0)?;
        check::in_range("dv", self.dv as f64, 0.0, 4095.0)?;
        check::in_range("d_theta", self.d_theta as f64, 0.0, 4095.0)?;
        check::in_range("vth", self.vth as f64, 0.0, 131_071.0)?;
        check::in_range("theta_step", self.theta_step as f64, 0.0, 4095.0)?;
        check::in_range("bias_mant", self.bias_mant as f64, -4096.0, 4095.0)?;
        check::in_range("bias_exp", self.bias_exp as f64, 0.0, 7.0)
    }
}

neuron_state! {
    /// State of [`Loihi2Neuron`].
    pub struct Loihi2State {
        /// Membrane voltage, v (signed 24-bit) [chip units].
        s1: i32 => Loihi2S1,
        /// Synaptic current, u (signed 24-bit, wraps) [chip units].
        s2: i32 => Loihi2S2,
        /// Threshold adaptation above the baseline vth << 6 (slow adaptation) [chip units].
        s3: i32 => Loihi2S3,
    }
}

/// One algorithmic timestep with integer input `a_in`.
#[inline(always)]
pub fn loihi2_step(p: &Loihi2Params, s: &mut Loihi2State, a_in: i64) -> bool {
    let mut u = decay(s.s2 as i64, p.du as i64 + 1) + (a_in << 6);
    if u > MAX_UV {
        u -= 2 * MAX_UV;
    } else if u <= -MAX_UV {
        u += 2 * MAX_UV;
    }
    let bias = (p.bias_mant as i64) << p.bias_exp;
    let v = (decay(s.s1 as i64, p.dv as i64) + u + bias).clamp(-MAX_UV + 1, MAX_UV - 1);
    let theta_adapt = decay(s.s3 as i64, p.d_theta as i64);
    s.s2 = u as i32;
    if v > ((p.vth as i64) << 6) + theta_adapt {
        s.s1 = 0;
        s.s3 = (theta_adapt + ((p.theta_step as i64) << 6)).min(MAX_UV - 1) as i32;
        true
    } else {
        s.s1 = v as i32;
        s.s3 = theta_adapt as i32;
        false
    }
}

standalone! {
/// Intel Loihi 2 adaptive-threshold LIF, fixed-point arithmetic (Lava).
pub struct Loihi2Neuron;
}

impl Loihi2Neuron {
    /// One timestep with integer synaptic input `weighted_input` (saturated to 16 bits).
    pub fn step(&mut self, weighted_input: i32) -> bool {
        self.step_or_none([weighted_input as f64])
    }
}

impl Model for Loihi2Neuron {
    const NAME: &'static str = "Loihi2Neuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str =
        "Intel Loihi 2 adaptive-threshold LIF, fixed-point arithmetic (Lava)";
    const REFERENCE: &'static str = "Orchard et al. 2021, IEEE SiPS, doi:10.1109/SiPS52927.2021.00053; Lava PyLifModelBitAcc, PyATRLIFModelFixed";
    const PORTS: &'static [&'static str] = &["weighted_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[50.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = Loihi2Params;
    type State = Loihi2State;
    type Consts = Loihi2Params;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &Loihi2Params) -> Loihi2State {
        Loihi2State {
            s1: 0,
            s2: 0,
            s3: 0,
        }
    }
    fn standalone_span(_: &Loihi2Params) -> f64 {
        1.0
    }
    fn prepare(p: &Loihi2Params, _: f64) -> Loihi2Params {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &Loihi2Params,
        s: &mut Loihi2State,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        let a_in = x.ports[0].round().clamp(i16::MIN as f64, i16::MAX as f64) as i64;
        loihi2_step(p, s, a_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_adaptation_it_is_lavas_cuba_lif() {
        // Spec §24 from Lava's equations: du = 4095, dv = 0, vth = 10, a_in = 1: u = 64 each
        // step, v = 64n, first spike when v > 640 → step 11, then every 11 steps.
        let p = Loihi2Params {
            du: 4095,
            dv: 0,
            vth: 10,
            theta_step: 0,
            ..Default::default()
        };
        let mut n = Loihi2Neuron::with_params(p).unwrap();
        let t: Vec<usize> = (1..=60).filter(|_| n.step(1)).collect();
        assert_eq!(t, vec![11, 22, 33, 44, 55]);
        assert_eq!((n.state().s2, n.state().s3), (64, 0));
    }

    #[test]
    fn threshold_adaptation_decays_by_the_12_bit_formula() {
        // s3 = 640 (θ_step 10 << 6) after one spike; with δ_θ = 82 each step keeps
        // sgn·(|s3·4014| >> 12): 640·4014 = 2,568,960 >> 12 = 627 (627.19), then
        // 627·4014 = 2,516,778 >> 12 = 614 (614.45), 614·4014 = 2,464,596 >> 12 = 601.
        let p = Loihi2Params {
            du: 4095,
            dv: 4095,
            vth: 10,
            ..Default::default()
        };
        let mut n = Loihi2Neuron::with_params(p).unwrap();
        assert!(n.step(20)); // v = 20·64 = 1280 > 640: spike, s3 = 640.
        assert_eq!(n.state().s3, 640);
        for expect in [627, 614, 601] {
            assert!(!n.step(0));
            assert_eq!(n.state().s3, expect);
        }
    }

    #[test]
    fn adaptation_lengthens_the_intervals() {
        // du = 4095 (u = 64·a_in), dv = 0 (perfect integrator), no θ decay (δ_θ = 0):
        // with a_in = 1, v = 64n; the k-th spike needs v > 640 + 640(k − 1), i.e. the k-th
        // interval is 10k + 1 steps: 11, 21, 31, ...
        let p = Loihi2Params {
            du: 4095,
            dv: 0,
            d_theta: 0,
            vth: 10,
            theta_step: 10,
            ..Default::default()
        };
        let mut n = Loihi2Neuron::with_params(p).unwrap();
        let t: Vec<usize> = (1..=200).filter(|_| n.step(1)).collect();
        assert_eq!(t, vec![11, 32, 63, 104, 155]);
    }
}
