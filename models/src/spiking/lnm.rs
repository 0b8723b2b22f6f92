//! `LearnableNeuronModel` — a generic discrete-time threshold unit with trainable scalars: a
//! leaky accumulator with a sigmoidal self-excitation term, hard reset.
//!
//! **Equations** (one update n with input I_n; S the logistic sigmoid):
//! v_{n+1} = α v_n + β I_n + γ S(f_slope·(v_n − f_shift)); if v_{n+1} ≥ v_th: spike,
//! v_{n+1} ← v_reset. The sigmoid reads the old v.
//!
//! **Numerics.** Exact: the recurrence is the model. In a network one step is one update,
//! whatever the network's dt.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** None: SC-NeuroCore's docstring cites Jolivet, R., Rauch, A., Lüscher, H.-R. &
//! Gerstner, W. (2006) "Predicting spike timing of neocortical pyramidal neurons by simple
//! threshold models", J. Comput. Neurosci. 21:35–49, as the
//! family it "generalises", but that paper fits spike-response / adaptive-threshold models with
//! escape noise and does not contain this recurrence (spec §20.7). The model is therefore
//! SC-NeuroCore's own definition, ported as specified.
//!
//! **Relation to SC-NeuroCore** (spec §20). Same interface (`step(current)`, one update), state
//! (`v`, 0 after `reset()` whatever `v_reset` is), parameters, defaults and recurrence; the
//! sigmoid is evaluated in overflow-safe form. No departure: there is no paper to follow.
//!
//! **Fact tested** (derived). The DC rheobase: with the sigmoid's slope at most
//! γ·f_slope/4 = 0.0625 < 1 − α = 0.1, the map v ↦ αv + βI + γS(·) − v is decreasing on [0, 1], so
//! v climbs from 0 to the threshold iff the fixed-point condition holds at v = 1:
//! 1 = 0.9 + 0.1 I + 0.05 S(2.5), i.e. I* = 1 − 0.5 S(2.5) = 0.537929 (spec §20.8).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`LearnableNeuronModel`].
    pub struct LearnableNeuronParams {
        /// Leak (retention) factor per update, α [1].
        alpha: f64 = 0.9,
        /// Input gain, β [1].
        beta: f64 = 0.1,
        /// Gain of the sigmoidal self-excitation, γ [1].
        gamma: f64 = 0.05,
        /// Threshold, v_th [1].
        v_threshold: f64 = 1.0,
        /// Reset value after a spike, v_reset [1].
        v_reset: f64 = 0.0,
        /// Slope of the sigmoid, f_slope [1].
        f_slope: f64 = 5.0,
        /// Centre of the sigmoid, f_shift [1].
        f_shift: f64 = 0.5,
    }
}

impl LearnableNeuronParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("v_threshold", self.v_threshold)?;
        check::positive("f_slope", self.f_slope)
    }
}

neuron_state! {
    /// State of [`LearnableNeuronModel`].
    pub struct LearnableNeuronState {
        /// Membrane variable, v [1].
        v: f64 => LnmV,
    }
}

/// One update with input `i`.
#[inline(always)]
pub fn lnm_step(p: &LearnableNeuronParams, s: &mut LearnableNeuronState, i: f64) -> bool {
    let drive = p.gamma * sigmoid(p.f_slope * (s.v - p.f_shift));
    s.v = p.alpha * s.v + p.beta * i + drive;
    if s.v >= p.v_threshold {
        s.v = p.v_reset;
        true
    } else {
        false
    }
}

standalone! {
/// SC-NeuroCore's learnable discrete-time threshold unit.
pub struct LearnableNeuronModel;
}

impl LearnableNeuronModel {
    /// One update with input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for LearnableNeuronModel {
    const NAME: &'static str = "LearnableNeuronModel";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Discrete-time leaky threshold unit with sigmoidal self-excitation (SC-NeuroCore's own)";
    const REFERENCE: &'static str = "SC-NeuroCore-defined recurrence; cites Jolivet et al. 2006, J Comput Neurosci 21:35, which does not contain it";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.8];
    const SUBSTEP: Option<&'static str> = None;
    type Params = LearnableNeuronParams;
    type State = LearnableNeuronState;
    type Consts = LearnableNeuronParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &LearnableNeuronParams) -> LearnableNeuronState {
        LearnableNeuronState { v: 0.0 }
    }
    fn standalone_span(_: &LearnableNeuronParams) -> f64 {
        1.0
    }
    fn prepare(p: &LearnableNeuronParams, _: f64) -> LearnableNeuronParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        k: &LearnableNeuronParams,
        s: &mut LearnableNeuronState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        lnm_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dc_rheobase() {
        // I* = 1 − 0.5·S(2.5), S(2.5) = 1/(1 + e^−2.5) = 0.9241418.
        let s = 1.0 / (1.0 + (-2.5f64).exp());
        let rh = 1.0 - 0.5 * s;
        assert!((rh - 0.537929).abs() < 1e-6, "{rh}");
        let mut n = LearnableNeuronModel::new();
        assert!((0..10_000).all(|_| !n.step(rh - 1e-4)));
        let mut n = LearnableNeuronModel::new();
        assert!((0..10_000).any(|_| n.step(rh + 1e-4)));
    }

    #[test]
    fn one_update_by_hand_and_reset() {
        // From v = 0 with I = 2: v = 0.1·2 + 0.05·S(−2.5).
        let mut n = LearnableNeuronModel::new();
        n.step(2.0);
        let want = 0.2 + 0.05 / (1.0 + 2.5f64.exp());
        assert!((n.state().v - want).abs() < 1e-15);
        // A large input fires and resets to v_reset; reset() returns v to 0.
        let p = LearnableNeuronParams {
            v_reset: -0.3,
            ..Default::default()
        };
        let mut n = LearnableNeuronModel::with_params(p).unwrap();
        assert!(n.step(20.0));
        assert_eq!(n.state().v, -0.3);
        n.reset();
        assert_eq!(n.state().v, 0.0);
    }
}
