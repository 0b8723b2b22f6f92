//! `SpiNNakerLIFNeuron` — the leaky integrate-and-fire neuron of sPyNNaker on SpiNNaker, in
//! the machine's S16.15 fixed-point (`accum`) arithmetic.
//!
//! **Equations** (one machine timestep h; all quantities S16.15, i.e. integers in units of
//! 2⁻¹⁵; ⊗ the fixed-point product rounded to nearest, (a·b + 2¹⁴) >> 15):
//! if the refractory timer is > 0 it counts down by one and V is frozen (input ignored);
//! otherwise α = (I + I_offset) ⊗ R + V_rest with R = τ_m/C_m, and V ← α − e^(−h/τ_m) ⊗ (α − V),
//! the closed-form solution of τ_m dV/dt = −(V − V_rest) + R·I over h. Spike iff V ≥ V_thresh;
//! then V ← V_reset and the timer ← T_refract = ⌈τ_refrac/h⌉ steps.
//!
//! **Numerics.** Exact integer emulation: h, τ_m, C_m and the voltages are rounded to S16.15;
//! e^(−h/τ_m) and R are computed from them and rounded to nearest S16.15 once (on the chip
//! `expk`/`kdivk` do this; their results may differ from ours in the last bit); every update
//! uses the rounded product. In a network the machine timestep is the network's `dt` (sPyNNaker
//! supports 1 ms and 0.1 ms timesteps the same way). The input is saturated to the S16.15 range.
//!
//! **Units.** V in mV, I in nA, τ in ms, C_m in nF, R in MΩ.
//!
//! **Reference.** Furber, S.B., Galluppi, F., Temple, S. & Plana, L.A. (2014) "The SpiNNaker
//! Project", Proc. IEEE 102(5):652–665, doi:10.1109/JPROC.2014.2304638; the arithmetic is
//! sPyNNaker's `neuron_model_lif_impl.h` (closed-form update, `MULT_ROUND_NEAREST_ACCUM`,
//! integer refractory timer). Defaults are PyNN's `IF_curr_exp` defaults (v_rest −65, v_reset
//! −65, v_thresh −50 mV, τ_m 20 ms, cm 1 nF, τ_refrac 0.1 ms, i_offset 0).
//!
//! **Relation to SC-NeuroCore** (spec §28). Same interface (`step(current)`, one closed-form
//! step of dt = 1 ms) and state names `v`, `refrac_count`. Differences, following sPyNNaker:
//! (a) S16.15 fixed-point arithmetic with rounded products instead of float64; (b) the input is
//! a current in nA multiplied by R = τ_m/C_m (`c_m` added; SC-NeuroCore has no C_m and treats
//! the input as mV, which `c_m` = τ_m reproduces); (c) PyNN's defaults instead of
//! SC-NeuroCore's v_rest = v_reset = −70 mV and τ_refrac = 2 ms; (d) `refrac_count` counts
//! whole timesteps, ⌈τ_refrac/h⌉, as sPyNNaker's timer does, instead of milliseconds (the same
//! when τ_refrac is a multiple of h). No synaptic current state, as in SC-NeuroCore: synaptic
//! shaping belongs to the engine's receptors.
//!
//! **Paper facts tested.** The first two updates equal the hand-computed integer formula
//! (e^(−0.05) → 31170/2¹⁵, V = −2097960 and −2067559 in units of 2⁻¹⁵); with PyNN defaults and
//! 1 nA, V∞ = −45 mV, first spike at ⌈20·ln(20/5)⌉ = ⌈27.73⌉ = 28 ms, then one frozen step:
//! period 29 (spec §28); SC-NeuroCore's setting (−70 mV, 2 ms, R = 1) with I = 25: first spike
//! at ⌈20·ln 5⌉ = 33, period 35 (spec §28).

use neurocore_engine::prelude::*;

/// One in S16.15: 2¹⁵.
pub const S1615_ONE: f64 = 32_768.0;

/// A real number as the nearest S16.15 value (saturating).
#[inline(always)]
pub fn to_s1615(x: f64) -> i64 {
    (x * S1615_ONE)
        .round()
        .clamp(i32::MIN as f64, i32::MAX as f64) as i64
}

/// S16.15 product rounded to nearest (ties up), saturating: (a·b + 2¹⁴) >> 15.
#[inline(always)]
pub fn mul_s1615(a: i64, b: i64) -> i64 {
    ((a * b + (1 << 14)) >> 15).clamp(i32::MIN as i64, i32::MAX as i64)
}

params! {
    /// Parameters of [`SpiNNakerLIFNeuron`].
    pub struct SpiNNakerLIFParams {
        /// Resting potential, V_rest [mV].
        v_rest: f64 = -65.0,
        /// Reset potential, V_reset [mV].
        v_reset: f64 = -65.0,
        /// Threshold, V_thresh [mV].
        v_threshold: f64 = -50.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 20.0,
        /// Membrane capacitance, C_m [nF].
        c_m: f64 = 1.0,
        /// Constant offset current, I_offset [nA].
        i_offset: f64 = 0.0,
        /// Refractory period, τ_refrac [ms].
        tau_refrac: f64 = 0.1,
        /// Time spanned by one standalone `step()` (the machine timestep), h [ms].
        dt: f64 = 1.0,
    }
}

impl SpiNNakerLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        let lim = 65_535.0;
        for (n, x) in [
            ("v_rest", self.v_rest),
            ("v_reset", self.v_reset),
            ("v_threshold", self.v_threshold),
            ("i_offset", self.i_offset),
        ] {
            check::in_range(n, x, -lim, lim)?;
        }
        check::in_range("tau_m", self.tau_m, 1.0 / S1615_ONE, lim)?;
        check::in_range("c_m", self.c_m, 1.0 / S1615_ONE, lim)?;
        check::in_range("tau_refrac", self.tau_refrac, 0.0, lim)?;
        check::in_range("dt", self.dt, 1.0 / S1615_ONE, lim)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`SpiNNakerLIFNeuron`].
    pub struct SpiNNakerLIFState {
        /// Membrane potential, V (an S16.15 value) [mV].
        v: f64 => SpiNNakerLifV,
        /// Refractory timer: timesteps left [steps].
        refrac_count: i32 => SpiNNakerLifRefrac,
    }
}

/// Constants of [`SpiNNakerLIFNeuron`] for one timestep, all S16.15 except `t_refract`.
#[derive(Clone, Debug)]
pub struct SpiNNakerLIFConsts {
    exp_tc: i64,
    r: i64,
    v_rest: i64,
    v_reset: i64,
    v_thresh: i64,
    i_offset: i64,
    t_refract: i32,
}

/// One machine timestep with input current `i_na` [nA]; `true` on a spike.
#[inline(always)]
pub fn spinnaker_lif_step(k: &SpiNNakerLIFConsts, s: &mut SpiNNakerLIFState, i_na: f64) -> bool {
    if s.refrac_count > 0 {
        s.refrac_count -= 1;
        return false;
    }
    let v = to_s1615(s.v);
    let input = (to_s1615(i_na) + k.i_offset).clamp(i32::MIN as i64, i32::MAX as i64);
    let alpha = mul_s1615(input, k.r) + k.v_rest;
    let mut v_new = alpha - mul_s1615(k.exp_tc, alpha - v);
    let spike = v_new >= k.v_thresh;
    if spike {
        v_new = k.v_reset;
        s.refrac_count = k.t_refract;
    }
    s.v = v_new.clamp(i32::MIN as i64, i32::MAX as i64) as f64 / S1615_ONE;
    spike
}

standalone! {
/// sPyNNaker LIF neuron in SpiNNaker's S16.15 fixed-point arithmetic.
pub struct SpiNNakerLIFNeuron;
}

impl SpiNNakerLIFNeuron {
    /// One timestep (1 ms by default) with injected current `current` [nA].
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for SpiNNakerLIFNeuron {
    const NAME: &'static str = "SpiNNakerLIFNeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str =
        "sPyNNaker LIF on SpiNNaker, S16.15 fixed-point closed-form update";
    const REFERENCE: &'static str = "Furber et al. 2014, Proc IEEE 102:652, doi:10.1109/JPROC.2014.2304638; sPyNNaker neuron_model_lif_impl";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = SpiNNakerLIFParams;
    type State = SpiNNakerLIFState;
    type Consts = SpiNNakerLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &SpiNNakerLIFParams) -> SpiNNakerLIFState {
        SpiNNakerLIFState {
            v: to_s1615(p.v_rest) as f64 / S1615_ONE,
            refrac_count: 0,
        }
    }
    fn standalone_span(p: &SpiNNakerLIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &SpiNNakerLIFParams, span: f64) -> SpiNNakerLIFConsts {
        let q = |x: f64| to_s1615(x).max(1) as f64 / S1615_ONE;
        let (h, tau, cm) = (q(span), q(p.tau_m), q(p.c_m));
        let t_refract = (p.tau_refrac / h - 1e-9).ceil().clamp(0.0, i32::MAX as f64) as i32;
        SpiNNakerLIFConsts {
            exp_tc: to_s1615((-h / tau).exp()),
            r: to_s1615(tau / cm),
            v_rest: to_s1615(p.v_rest),
            v_reset: to_s1615(p.v_reset),
            v_thresh: to_s1615(p.v_threshold),
            i_offset: to_s1615(p.i_offset),
            t_refract,
        }
    }
    #[inline(always)]
    fn update(
        k: &SpiNNakerLIFConsts,
        s: &mut SpiNNakerLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        spinnaker_lif_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_update_in_s1615_arithmetic() {
        // h = 1, τ = 20: e^(−0.05)·2¹⁵ = 31169.89 → 31170; R = 20 MΩ = 655360; 1 nA:
        // α = 32768 ⊗ 655360 − 65·2¹⁵ = −1474560 (−45 mV).
        // Step 1: α − V = 655360; 31170 ⊗ 655360 = 623400 → V = −2097960.
        // Step 2: α − V = 623400; (31170·623400 + 16384) >> 15 = 592999 (the rounding adds
        // one: the truncated product is 592998) → V = −2067559.
        let mut n = SpiNNakerLIFNeuron::new();
        n.step(1.0);
        assert_eq!(n.state().v, -2_097_960.0 / 32_768.0);
        n.step(1.0);
        assert_eq!(n.state().v, -2_067_559.0 / 32_768.0);
    }

    #[test]
    fn pynn_defaults_at_one_nanoampere() {
        // V∞ = −65 + 20 MΩ·1 nA = −45 mV; threshold −50: ⌈20 ln(20/5)⌉ = 28 steps; then
        // T_refract = ⌈0.1/1⌉ = 1 frozen step and 28 more: period 29.
        assert_eq!((20.0 * 4.0f64.ln()).ceil(), 28.0);
        let mut n = SpiNNakerLIFNeuron::new();
        let t: Vec<usize> = (1..=120).filter(|_| n.step(1.0)).collect();
        assert_eq!(t, vec![28, 57, 86, 115]);
    }

    #[test]
    fn sc_neurocore_setting_period_35() {
        // Spec §28: −70 mV rest/reset, τ_refrac 2 ms, input in mV (R = 1: c_m = τ_m),
        // I = 25: first spike at ⌈20 ln 5⌉ = 33, then 2 frozen steps: period 35.
        let p = SpiNNakerLIFParams {
            v_rest: -70.0,
            v_reset: -70.0,
            tau_refrac: 2.0,
            c_m: 20.0,
            ..Default::default()
        };
        let mut n = SpiNNakerLIFNeuron::with_params(p).unwrap();
        let t: Vec<usize> = (1..=110).filter(|_| n.step(25.0)).collect();
        assert_eq!(t, vec![33, 68, 103]);
        // Refractory steps ignore the input and keep V at the reset value.
        let mut n = SpiNNakerLIFNeuron::with_params(SpiNNakerLIFParams {
            tau_refrac: 2.0,
            ..Default::default()
        })
        .unwrap();
        while !n.step(5.0) {}
        assert_eq!((n.state().v, n.state().refrac_count), (-65.0, 2));
        n.step(1000.0);
        assert_eq!((n.state().v, n.state().refrac_count), (-65.0, 1));
    }
}
