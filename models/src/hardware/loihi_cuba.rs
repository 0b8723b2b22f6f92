//! `LoihiCUBANeuron` — Intel Loihi's current-based LIF compartment, in the chip's integer
//! arithmetic (bit-accurate to Lava's `PyLifModelBitAcc`).
//!
//! **Equations** (one algorithmic timestep; all integers; `>>` an arithmetic shift):
//! u ← sgn(u·(4096 − du′))·(|u·(4096 − du′)| >> 12) + (a_in << 6), with du′ = du + 1, then u
//! wraps around 24 bits (values above 2²³ lose 2²⁴, values at or below −2²³ gain 2²⁴);
//! v ← clip(sgn(v·(4096 − dv))·(|v·(4096 − dv)| >> 12) + u + (bias_mant << bias_exp),
//! −2²³ + 1, 2²³ − 1); spike iff v > (vth << 6) (strict), then v ← 0. Decays round toward zero
//! (sign–magnitude), as the chip does; u is not reset by a spike. a_in is a 16-bit input.
//!
//! **Numerics.** Exact integer arithmetic in 64-bit intermediates. In a network one step is one
//! algorithmic timestep whatever `dt`; the port value is rounded to the nearest integer and
//! saturated to 16 bits (the width of Lava's `a_in` port).
//!
//! **Reference.** Davies, M. et al. (2018) "Loihi: A Neuromorphic Manycore Processor with
//! On-Chip Learning", IEEE Micro 38(1):82–99, doi:10.1109/MM.2018.112130359; arithmetic as in
//! Lava's `lava.proc.lif` bit-accurate model (`PyLifModelBitAcc`).
//!
//! **Relation to SC-NeuroCore** (spec §24). Same interface (`step(weighted_input: int)`, state
//! `u`, `v`, both 0 after `reset()`). SC-NeuroCore approximates the chip with divisor decays
//! u ← u − ⌊u/τ_u⌋ + x (floor rounding), a non-strict threshold, no 6-bit input/threshold
//! shifts, no 24-bit wrap or saturation and no bias. Here the chip's arithmetic is implemented;
//! the parameters are therefore the chip's (`du`, `dv` 12-bit decays, `vth`, `bias_mant`,
//! `bias_exp`). Defaults approximate SC-NeuroCore's τ_u = 5, τ_v = 10 (du′ = 819 ≈ 4096/5,
//! dv = 410 ≈ 4096/10) and its threshold 1000 (vth = 1000, in input units like SC-NeuroCore's).
//!
//! **Paper fact tested.** The decay matches the chip's integer formula exactly (values
//! computed independently, including negative states where floor and truncation differ), and
//! with du = 4095, dv = 0, vth = 10, a_in = 1 the neuron first spikes at step 11 and then every
//! 11 steps (u = 64 each step, v = 64n > 640; spec §24).

use neurocore_engine::prelude::*;

/// Lava's `max_uv_val`: 2²³ (u wraps beyond it; v saturates one inside it).
pub const MAX_UV: i64 = 1 << 23;

params! {
    /// Parameters of [`LoihiCUBANeuron`].
    pub struct LoihiCUBAParams {
        /// Current decay, du (12-bit; du + 1 is removed per 4096) [1/4096 per step].
        du: i32 = 818,
        /// Voltage decay, dv (12-bit) [1/4096 per step].
        dv: i32 = 410,
        /// Threshold mantissa, vth (compared with v >> 6, strictly) [input units].
        vth: i32 = 1000,
        /// Bias mantissa (signed 13-bit) [input units].
        bias_mant: i32 = 0,
        /// Bias exponent (3-bit) [shift].
        bias_exp: i32 = 0,
    }
}

impl LoihiCUBAParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("du", self.du as f64, 0.0, 4095.0)?;
        check::in_range("dv", self.dv as f64, 0.0, 4095.0)?;
        check::in_range("vth", self.vth as f64, 0.0, 131_071.0)?;
        check::in_range("bias_mant", self.bias_mant as f64, -4096.0, 4095.0)?;
        check::in_range("bias_exp", self.bias_exp as f64, 0.0, 7.0)
    }
}

neuron_state! {
    /// State of [`LoihiCUBANeuron`].
    pub struct LoihiCUBAState {
        /// Synaptic current, u (signed 24-bit) [chip units].
        u: i32 => LoihiU,
        /// Membrane voltage, v (signed 24-bit) [chip units].
        v: i32 => LoihiV,
    }
}

/// Sign–magnitude decay: sgn(x·(4096 − d))·(|x·(4096 − d)| >> 12).
#[inline(always)]
pub fn decay(x: i64, d: i64) -> i64 {
    let y = x * (4096 - d);
    y.signum() * (y.abs() >> 12)
}

/// One algorithmic timestep with integer input `a_in`.
#[inline(always)]
pub fn loihi_cuba_step(p: &LoihiCUBAParams, s: &mut LoihiCUBAState, a_in: i64) -> bool {
    let mut u = decay(s.u as i64, p.du as i64 + 1) + (a_in << 6);
    if u > MAX_UV {
        u -= 2 * MAX_UV;
    } else if u <= -MAX_UV {
        u += 2 * MAX_UV;
    }
    let bias = (p.bias_mant as i64) << p.bias_exp;
    let v = (decay(s.v as i64, p.dv as i64) + u + bias).clamp(-MAX_UV + 1, MAX_UV - 1);
    s.u = u as i32;
    if v > (p.vth as i64) << 6 {
        s.v = 0;
        true
    } else {
        s.v = v as i32;
        false
    }
}

standalone! {
/// Intel Loihi CUBA LIF compartment, bit-accurate integer arithmetic.
pub struct LoihiCUBANeuron;
}

impl LoihiCUBANeuron {
    /// One algorithmic timestep with integer synaptic input `weighted_input` (a_in; saturated
    /// to 16 bits as on the chip).
    pub fn step(&mut self, weighted_input: i32) -> bool {
        self.step_or_none([weighted_input as f64])
    }
}

impl Model for LoihiCUBANeuron {
    const NAME: &'static str = "LoihiCUBANeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str = "Intel Loihi CUBA LIF, bit-accurate integer arithmetic (Lava)";
    const REFERENCE: &'static str = "Davies et al. 2018, IEEE Micro 38(1):82, doi:10.1109/MM.2018.112130359; Lava PyLifModelBitAcc";
    const PORTS: &'static [&'static str] = &["weighted_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[50.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = LoihiCUBAParams;
    type State = LoihiCUBAState;
    type Consts = LoihiCUBAParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &LoihiCUBAParams) -> LoihiCUBAState {
        LoihiCUBAState { u: 0, v: 0 }
    }
    fn standalone_span(_: &LoihiCUBAParams) -> f64 {
        1.0
    }
    fn prepare(p: &LoihiCUBAParams, _: f64) -> LoihiCUBAParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &LoihiCUBAParams,
        s: &mut LoihiCUBAState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        let a_in = x.ports[0].round().clamp(i16::MIN as f64, i16::MAX as f64) as i64;
        loihi_cuba_step(p, s, a_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_is_sign_magnitude_truncation() {
        // u = −7 with du' = 819: −7·3277 = −22939; |·| >> 12 = 5 → −5 (floor would give −6).
        assert_eq!(decay(-7, 819), -5);
        assert_eq!(decay(7, 819), 5);
        // 1000·(4096 − 410) = 3,686,000; >> 12 = 899 (3,686,000 / 4096 = 899.9).
        assert_eq!(decay(1000, 410), 899);
        assert_eq!(decay(-1000, 410), -899);
    }

    #[test]
    fn full_current_decay_gives_period_11() {
        // Spec §24 from Lava's equations: du = 4095, dv = 0, vth = 10, a_in = 1.
        let p = LoihiCUBAParams {
            du: 4095,
            dv: 0,
            vth: 10,
            ..Default::default()
        };
        let mut n = LoihiCUBANeuron::with_params(p).unwrap();
        let t: Vec<usize> = (1..=60).filter(|_| n.step(1)).collect();
        assert_eq!(t, vec![11, 22, 33, 44, 55]);
        assert_eq!(n.state().u, 64);
    }

    #[test]
    fn current_wraps_at_24_bits_and_voltage_saturates() {
        // du = 0 keeps 4095/4096 of u per step; a_in = 32767 adds 2,097,088 per step.
        let p = LoihiCUBAParams {
            du: 0,
            dv: 0,
            vth: 131_071,
            ..Default::default()
        };
        let mut n = LoihiCUBANeuron::with_params(p).unwrap();
        let mut u: i64 = 0;
        for _ in 0..5 {
            n.step(32_767);
            // Independent reference: decay, add, wrap by 2^24 above 2^23.
            u = (u * 4095).signum() * ((u * 4095).abs() >> 12) + (32_767 << 6);
            if u > 1 << 23 {
                u -= 1 << 24;
            }
            assert_eq!(n.state().u as i64, u);
        }
        assert!(u < 0, "the 5th step must have wrapped: {u}");
        // v saturates: with full current decay u = a_in·64 each step and dv = 0, v sums the
        // inputs until it hits −(2^23 − 1) and stays there.
        let mut m = LoihiCUBANeuron::with_params(p_fast()).unwrap();
        for k in 1..=10i64 {
            m.step(-32_768);
            let expect = (k * -32_768 * 64).max(-((1 << 23) - 1));
            assert_eq!(m.state().v as i64, expect);
        }
        // Inputs saturate to 16 bits: 100,000 acts as 32,767.
        let mut a = LoihiCUBANeuron::with_params(p_fast()).unwrap();
        let mut b = LoihiCUBANeuron::with_params(p_fast()).unwrap();
        a.step(100_000);
        b.step(32_767);
        assert_eq!(a.state(), b.state());
    }

    fn p_fast() -> LoihiCUBAParams {
        LoihiCUBAParams {
            du: 4095,
            dv: 0,
            vth: 131_071,
            ..Default::default()
        }
    }
}
