//! `McCullochPittsNeuron` — the all-or-none formal neuron of McCulloch & Pitts (1943).
//!
//! **Equations.** A pure map, one step = one synaptic delay: the neuron fires (output 1) iff no
//! inhibitory afferent is active and at least θ excitatory afferents are active,
//! y = [inhibitory_active = 0]·[excitatory_count ≥ θ]. Inhibition is absolute (a veto), as in
//! the paper's assumption 4. No state, no randomness.
//!
//! **Numerics and units.** None: `excitatory_count` is a count [1], `inhibitory_active` a flag
//! (any value > 0 counts as an active inhibitory afferent, so a network projection of positive
//! weight onto it acts as a veto). Timing is per iteration.
//!
//! **Reference.** McCulloch, W.S. & Pitts, W. (1943) A logical calculus of the ideas immanent in
//! nervous activity. Bull. Math. Biophys. 5:115–133, doi:10.1007/BF02478259.
//!
//! **Relation to SC-NeuroCore** (spec §14). Same interface (`step(excitatory_count,
//! inhibitory_active)`, parameter `theta`, no state). SC-NeuroCore refuses non-integer counts
//! and non-boolean flags; here ports are numbers (a network sums incoming spikes into them), the
//! count is compared with θ as a real number (identical for integer counts) and the flag is
//! active when > 0.
//!
//! **Paper fact tested.** The truth tables of the paper's logical functions: with θ = 2 two
//! excitatory afferents give AND, with θ = 1 OR, and an excitatory plus an inhibitory afferent
//! AND-NOT (McCulloch & Pitts 1943, Fig. 1); the spec's cases (2, false) → 1, (1, false) → 0,
//! (5, true) → 0 at θ = 2.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`McCullochPittsNeuron`].
    pub struct McCullochPittsParams {
        /// Number of simultaneously active excitatory afferents needed to fire, θ [1].
        theta: u32 = 1,
    }
}

impl McCullochPittsParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("theta", self.theta as f64)
    }
}

neuron_state! {
    /// State of [`McCullochPittsNeuron`] (none: the unit is a pure map).
    pub struct McCullochPittsState {}
}

/// One step of the formal neuron: fire iff not inhibited and `count ≥ theta`.
#[inline(always)]
pub fn mcculloch_pitts_step(theta: f64, count: f64, inhibitory: f64) -> bool {
    (inhibitory <= 0.0) & (count >= theta)
}

standalone! {
/// McCulloch–Pitts (1943) all-or-none formal neuron with absolute inhibition.
pub struct McCullochPittsNeuron;
}

impl McCullochPittsNeuron {
    /// One synaptic delay: `excitatory_count` active excitatory afferents and whether any
    /// inhibitory afferent is active; `true` if the neuron fires.
    pub fn step(&mut self, excitatory_count: f64, inhibitory_active: bool) -> bool {
        self.step_or_none([excitatory_count, if inhibitory_active { 1.0 } else { 0.0 }])
    }
}

impl Model for McCullochPittsNeuron {
    const NAME: &'static str = "McCullochPittsNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "McCulloch-Pitts 1943 formal neuron: threshold count, absolute inhibitory veto";
    const REFERENCE: &'static str =
        "McCulloch & Pitts 1943, Bull Math Biophys 5:115, doi:10.1007/BF02478259";
    const PORTS: &'static [&'static str] = &["excitatory_count", "inhibitory_active"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.0, 0.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = McCullochPittsParams;
    type State = McCullochPittsState;
    type Consts = f64;
    type Ports = [f64; 2];
    type Output = bool;

    fn init(_: &McCullochPittsParams) -> McCullochPittsState {
        McCullochPittsState {}
    }
    fn standalone_span(_: &McCullochPittsParams) -> f64 {
        1.0
    }
    fn prepare(p: &McCullochPittsParams, _: f64) -> f64 {
        p.theta as f64
    }
    #[inline(always)]
    fn update(
        theta: &f64,
        _: &mut McCullochPittsState,
        x: &Input<[f64; 2]>,
        _: &mut NeuronRng,
    ) -> bool {
        mcculloch_pitts_step(*theta, x.ports[0], x.ports[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(theta: u32) -> McCullochPittsNeuron {
        McCullochPittsNeuron::with_params(McCullochPittsParams { theta }).unwrap()
    }

    #[test]
    fn spec_cases_at_theta_2() {
        // Spec §14.8: (2, false) → 1, (1, false) → 0, (5, true) → 0.
        let mut n = unit(2);
        assert!(n.step(2.0, false));
        assert!(!n.step(1.0, false));
        assert!(!n.step(5.0, true));
    }

    #[test]
    fn and_or_and_not_truth_tables() {
        // McCulloch & Pitts 1943, Fig. 1: two excitatory afferents a, b onto θ = 2 is a AND b,
        // onto θ = 1 is a OR b; excitatory a with inhibitory b onto θ = 1 is a AND NOT b.
        for a in [false, true] {
            for b in [false, true] {
                let c = a as u32 as f64 + b as u32 as f64;
                assert_eq!(unit(2).step(c, false), a && b, "AND({a}, {b})");
                assert_eq!(unit(1).step(c, false), a || b, "OR({a}, {b})");
                let e = a as u32 as f64;
                assert_eq!(unit(1).step(e, b), a && !b, "AND-NOT({a}, {b})");
            }
        }
    }

    #[test]
    fn theta_zero_is_refused() {
        assert!(McCullochPittsNeuron::with_params(McCullochPittsParams { theta: 0 }).is_err());
    }
}
