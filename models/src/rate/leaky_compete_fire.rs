//! `LeakyCompeteFireNeuron` — one unit of a soft winner-take-all group of leaky
//! integrate-and-fire units with subtractive lateral inhibition.
//!
//! **Equations.** τ dv/dt = −v + I (I the `currents` port); when v ≥ θ the unit spikes and v ← 0.
//! Every spike of another unit of the group subtracts w_inh from v, and v is kept ≥ 0 after
//! inhibition: v ← max(0, v − w_inh).
//!
//! **Entity mapping.** SC-NeuroCore holds the whole group (n_units = 4 potentials, a list of
//! currents in, a list of spikes out) in one object. Here one unit is one entity: a group of n
//! units is a population of n `LeakyCompeteFireNeuron`s with an all-to-all (no self-connection)
//! projection of weight −w_inh onto the delta receptor (which jumps `v`). The kernel clamps
//! v at 0 at the start of each step, which is where the inhibition of the previous step's
//! spikes has just arrived (one-step delay). State is the one potential `v` (fixed-size).
//!
//! **Numerics.** Exact relaxation for input held constant over a step,
//! v ← I + (v − I)·e^(−h/τ); the threshold is tested at the end of the step (the trajectory is
//! monotone within a step, so no crossing is missed). A standalone step spans 1 (τ units; ms
//! in a network).
//!
//! **Reference.** SC-NeuroCore cites Oster, M., Douglas, R. & Liu, S.-C. (2009) Computation with
//! spikes in a winner-take-all network. Neural Comput. 21:2437–2465,
//! doi:10.1162/neco.2009.07-08-829; their network is non-leaky with a global inhibitory neuron
//! (hard WTA). This class is the soft, leaky variant; the leaky unit is the textbook LIF
//! (Gerstner et al. 2014, §1.3).
//!
//! **Relation to SC-NeuroCore** (spec §25). Same dynamics, defaults (τ 10, θ 1, w_inh 0.5, step
//! 1), port name `currents` and state name `v`; but a unit per entity (above) instead of a list.
//! Consequences: inhibition from a spike acts from the next step (SC-NeuroCore: within the same
//! step, in index order), so units crossing in the same step all fire — the order-independent
//! rule the spec recommends instead of SC-NeuroCore's index-order bias; the clamp at 0 applies at
//! the start of every step (SC-NeuroCore: only right after inhibition), which differs only for
//! negative currents. `n_units` is the population size, not a parameter.
//!
//! **Paper fact tested.** From v(t) = I(1 − e^(−t/τ)) (spec §25.8): with I = 2 the unit first
//! crosses at τ ln 2 = 6.93, i.e. it spikes at step 7 and every 7 steps; with currents (2, 1.5)
//! unit 1 is at 1.5(1 − e^(−0.7)) = 0.755 when unit 0 fires and 0.255 after the inhibition.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`LeakyCompeteFireNeuron`].
    pub struct LeakyCompeteFireParams {
        /// Membrane time constant, τ [τ units; ms in a network].
        tau: f64 = 10.0,
        /// Firing threshold, θ [1].
        v_threshold: f64 = 1.0,
        /// Subtractive inhibition per spike of another unit (the weight of the lateral
        /// projection is −w_inh) [1].
        w_inh: f64 = 0.5,
        /// Time spanned by one standalone `step()` [τ units; ms in a network].
        span: f64 = 1.0,
    }
}

impl LeakyCompeteFireParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::positive("v_threshold", self.v_threshold)?;
        check::non_negative("w_inh", self.w_inh)?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`LeakyCompeteFireNeuron`].
    pub struct LeakyCompeteFireState {
        /// Potential, v [1].
        v: f64 => LcfV,
    }
}

/// Constants of [`LeakyCompeteFireNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct LeakyCompeteFireConsts {
    decay: f64,
    theta: f64,
}

/// One exact step with input `i`; returns the spike.
#[inline(always)]
pub fn leaky_compete_fire_step(
    k: &LeakyCompeteFireConsts,
    s: &mut LeakyCompeteFireState,
    i: f64,
) -> bool {
    let v0 = s.v.max(0.0);
    let v = i + (v0 - i) * k.decay;
    let fire = v >= k.theta;
    s.v = if fire { 0.0 } else { v };
    fire
}

standalone! {
/// One leaky integrate-and-fire unit of a soft winner-take-all group.
pub struct LeakyCompeteFireNeuron;
}

impl LeakyCompeteFireNeuron {
    /// Advance one step with input `currents` (this unit's entry of the group's currents);
    /// `true` on a spike.
    pub fn step(&mut self, currents: f64) -> bool {
        self.step_or_none([currents])
    }
}

impl Model for LeakyCompeteFireNeuron {
    const NAME: &'static str = "LeakyCompeteFireNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Leaky IF unit of a soft winner-take-all group (lateral subtractive inhibition)";
    const REFERENCE: &'static str =
        "Oster, Douglas & Liu 2009, Neural Comput 21:2437, doi:10.1162/neco.2009.07-08-829";
    const PORTS: &'static [&'static str] = &["currents"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = LeakyCompeteFireParams;
    type State = LeakyCompeteFireState;
    type Consts = LeakyCompeteFireConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &LeakyCompeteFireParams) -> LeakyCompeteFireState {
        LeakyCompeteFireState { v: 0.0 }
    }
    fn standalone_span(p: &LeakyCompeteFireParams) -> f64 {
        p.span
    }
    fn prepare(p: &LeakyCompeteFireParams, span: f64) -> LeakyCompeteFireConsts {
        LeakyCompeteFireConsts {
            decay: (-span / p.tau).exp(),
            theta: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        k: &LeakyCompeteFireConsts,
        s: &mut LeakyCompeteFireState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        leaky_compete_fire_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_unit_fires_every_seven_steps() {
        // Spec §25.8: v(t) = 2(1 − e^(−t/10)) crosses 1 at 10 ln 2 = 6.93: spikes at steps
        // 7, 14, 21, ...
        let mut n = LeakyCompeteFireNeuron::new();
        let first = (10.0f64 * 2f64.ln()).ceil() as usize;
        assert_eq!(first, 7);
        let fired: Vec<usize> = (1..=50).filter(|_| n.step(2.0)).collect();
        let want: Vec<usize> = (1..=50).filter(|t| t % first == 0).collect();
        assert_eq!(fired, want);
    }

    #[test]
    fn two_units_with_lateral_inhibition() {
        // Spec §25.8 with currents (2, 1.5): unit 0 fires at step 7; unit 1 is then at
        // 1.5(1 − e^(−0.7)) = 0.755 and is inhibited to 0.255. Here the inhibition arrives as
        // the lateral projection delivers it: a jump of −w_inh on v before the next step.
        let mut a = LeakyCompeteFireNeuron::new();
        let mut b = LeakyCompeteFireNeuron::new();
        let (mut fa, mut fb) = (false, false);
        for _ in 0..7 {
            if fa {
                b.state_mut().v -= 0.5;
            }
            if fb {
                a.state_mut().v -= 0.5;
            }
            fa = a.step(2.0);
            fb = b.step(1.5);
        }
        assert!(fa && !fb);
        let want = 1.5 * (1.0 - (-0.7f64).exp());
        assert!((b.state().v - want).abs() < 1e-12 && (want - 0.755).abs() < 5e-4);
        b.state_mut().v -= 0.5;
        assert!((b.state().v - 0.255).abs() < 5e-4);
        // Next step: relaxation from the inhibited value.
        b.step(1.5);
        let next = 1.5 + (want - 0.5 - 1.5) * (-0.1f64).exp();
        assert!((b.state().v - next).abs() < 1e-12);
        // Inhibition below 0 is clamped: from v = 0.1, a jump of −0.5 leaves 0 before relaxing.
        b.state_mut().v = 0.1 - 0.5;
        b.step(1.5);
        assert!((b.state().v - 1.5 * (1.0 - (-0.1f64).exp())).abs() < 1e-12);
    }
}
