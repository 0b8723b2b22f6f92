//! `ThresholdLinearRateNeuron` — a memoryless threshold-linear (rectified linear) rate unit.
//!
//! **Equations.** r = g·[I − θ]₊ = g·max(0, I − θ), the piecewise-linear gain function of
//! Gerstner et al. (2014), ch. 15/18. The unit has no dynamics: each step maps the input to a
//! rate and keeps it as `r` (a value output). Timing is per iteration (there is no time
//! constant); in a network one iteration is one network step.
//!
//! **Reference.** Gerstner, W., Kistler, W.M., Naud, R. & Paninski, L. (2014) *Neuronal
//! Dynamics*, Cambridge University Press, doi:10.1017/CBO9781107447615 (piecewise-linear gain,
//! Eq. 18.23 as SC-NeuroCore cites it).
//!
//! **Relation to SC-NeuroCore** (spec §16). Same equation, interface (`step(current) -> r`),
//! state `r` (a cache of the last output) and defaults (θ 0, gain 1).
//!
//! **Paper fact tested.** The closed form: with θ = 1 and gain 2, I = 3 gives 4 and I = 0.5
//! gives 0 (spec §16.8), and r is linear above threshold with slope g.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ThresholdLinearRateNeuron`].
    pub struct ThresholdLinearRateParams {
        /// Threshold, θ [1].
        theta: f64 = 0.0,
        /// Slope above threshold, g [1].
        gain: f64 = 1.0,
    }
}

impl ThresholdLinearRateParams {
    fn check(&self) -> Result<(), ParamError> {
        check::finite("theta", self.theta)?;
        check::non_negative("gain", self.gain)
    }
}

neuron_state! {
    /// State of [`ThresholdLinearRateNeuron`].
    pub struct ThresholdLinearRateState {
        /// Last output rate, r [1].
        r: f64 => ThresholdLinearRateR,
    }
}

/// One step: r = gain·max(0, current − theta).
#[inline(always)]
pub fn threshold_linear_step(
    p: &ThresholdLinearRateParams,
    s: &mut ThresholdLinearRateState,
    current: f64,
) -> f64 {
    s.r = p.gain * (current - p.theta).max(0.0);
    s.r
}

standalone! {
/// Memoryless threshold-linear rate unit r = g·[I − θ]₊.
pub struct ThresholdLinearRateNeuron;
}

impl ThresholdLinearRateNeuron {
    /// Map `current` to the rate r and keep it.
    pub fn step(&mut self, current: f64) -> f64 {
        self.step_or_none([current])
    }
}

impl Model for ThresholdLinearRateNeuron {
    const NAME: &'static str = "ThresholdLinearRateNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Memoryless threshold-linear rate r = g[I - theta]+ (value output)";
    const REFERENCE: &'static str =
        "Gerstner et al. 2014, Neuronal Dynamics (CUP), doi:10.1017/CBO9781107447615";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = ThresholdLinearRateParams;
    type State = ThresholdLinearRateState;
    type Consts = ThresholdLinearRateParams;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &ThresholdLinearRateParams) -> ThresholdLinearRateState {
        ThresholdLinearRateState { r: 0.0 }
    }
    fn standalone_span(_: &ThresholdLinearRateParams) -> f64 {
        1.0
    }
    fn prepare(p: &ThresholdLinearRateParams, _: f64) -> ThresholdLinearRateParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &ThresholdLinearRateParams,
        s: &mut ThresholdLinearRateState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        threshold_linear_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_gain_function() {
        // Spec §16.8: θ = 1, gain 2: I = 3 → 4.0, I = 0.5 → 0.0.
        let mut n = ThresholdLinearRateNeuron::with_params(ThresholdLinearRateParams {
            theta: 1.0,
            gain: 2.0,
        })
        .unwrap();
        assert_eq!(n.step(3.0), 4.0);
        assert_eq!(n.state().r, 4.0);
        assert_eq!(n.step(0.5), 0.0);
        // Linear above θ with slope g, zero at and below θ.
        for i in [1.0, 1.25, 2.0, 10.0] {
            assert!((n.step(i) - 2.0 * (i - 1.0)).abs() < 1e-12);
        }
        assert_eq!(n.step(-5.0), 0.0);
    }
}
