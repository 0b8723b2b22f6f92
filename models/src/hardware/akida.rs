//! `AkidaNeuron` — a rank-order-coding integrate-once neuron, the scheme of SpikeNet
//! (Thorpe's company, acquired by BrainChip, the maker of Akida).
//!
//! **Equations** (one step = one input event of integer weight w; rank r = number of earlier
//! events of this presentation): if w ≠ 0, V ← V + trunc(w·modʳ) and r ← r + 1. The neuron
//! emits one spike, the first time V ≥ θ, and never again until `reset()` (one spike per
//! presentation). No leak and no reset of V. Earlier inputs count more (modʳ, 0 < mod < 1), so
//! the response depends on the order of the inputs — the defining property of rank-order
//! coding: activation Σ_j mod^order(j)·w_j, maximal when inputs arrive in the order of their
//! weights (Thorpe & Gautrais 1998; Delorme & Thorpe 2001).
//!
//! **Numerics.** V is an integer; each contribution is truncated toward zero (integer
//! accumulation). In a network one step is one event slot whatever `dt`: a step whose summed
//! input rounds to 0 is "no event" and does not advance the rank; the port value is rounded
//! and saturated to the i32 range.
//!
//! **Reference.** Thorpe, S. & Gautrais, J. (1998) "Rank order coding", in Computational
//! Neuroscience: Trends in Research (J. Bower, ed.), Plenum, pp. 113–118,
//! doi:10.1007/978-1-4615-4831-7_19; Delorme, A. & Thorpe, S.J. (2001) "Face identification
//! using one spike per neuron: resistance to image degradations", Neural Networks
//! 14(6–7):795–803, doi:10.1016/S0893-6080(01)00049-1.
//!
//! **Relation to SC-NeuroCore** (spec §31). Same interface (`step(weight: int)`), state names
//! `v`, `_rank`, `_spiked` (0, 0, false after `reset()`), parameters (threshold 100,
//! modulation 0.75) and dynamics: SC-NeuroCore's Python class already implements the
//! rank-order scheme. SC-NeuroCore attributes it to BrainChip Akida, but BrainChip's own
//! documentation describes a different neuron (MetaTF user guide, `akida_examples`
//! repository, `user_guide/aee.html` and `api_reference/aee_apis.html`, Akida 1.x): an
//! integer potential p = Σ w·x over a packet of input events (independent of their order),
//! compared with a threshold T after the packet (an event when p > T, strictly), emitting
//! either a binary event or a value quantised to 1, 2 or 4 bits (Q[n] for
//! T + n·s < p ≤ T + (n + 1)·s, at most 15), with 1–8-bit integer weights and one event per
//! neuron per packet. The class's rank-order modulation, its threshold 100 and modulation
//! 0.75 appear nowhere in BrainChip's documentation; they are SpikeNet's (Thorpe et al. 2001,
//! Neural Networks 14:715: activation is maximal when the inputs arrive in the order of their
//! weights). What is implemented is therefore the rank-order neuron the class defines, under
//! its SC-NeuroCore name; an emulator of Akida's documented quantised integrate unit would be
//! a different model. Unlike SC-NeuroCore's Rust engine, the neuron
//! keeps integrating after its spike and zero weights do not advance the rank (as the Python
//! class).
//!
//! **Paper facts tested.** modulation 0.75, four events of weight 40: contributions 40, 30,
//! 22, 16, cumulative 40, 70, 92, 108 → a spike on the 4th event (spec §31); the activation is
//! order-dependent and, over all orders of a set of weights, maximal for the descending order
//! (the rank-order code's selectivity, by the rearrangement inequality); one spike per
//! presentation.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`AkidaNeuron`].
    pub struct AkidaParams {
        /// Firing threshold, θ [weight units].
        threshold: i64 = 100,
        /// Rank modulation factor, mod (0 < mod ≤ 1) [1].
        modulation: f64 = 0.75,
    }
}

impl AkidaParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("modulation", self.modulation, f64::MIN_POSITIVE, 1.0)
    }
}

neuron_state! {
    /// State of [`AkidaNeuron`].
    pub struct AkidaState {
        /// Accumulated activation, V [weight units].
        v: i64 => AkidaV,
        /// Number of input events so far in this presentation, r [events].
        _rank: i32 => AkidaRank,
        /// Whether the neuron has fired in this presentation [flag].
        _spiked: bool => AkidaSpiked,
    }
}

/// One event slot with integer weight `w`; `true` on the presentation's single spike.
#[inline(always)]
pub fn akida_step(p: &AkidaParams, s: &mut AkidaState, w: i64) -> bool {
    if w != 0 {
        let c = (w as f64 * p.modulation.powi(s._rank)).trunc() as i64;
        s.v = s.v.saturating_add(c);
        s._rank = s._rank.saturating_add(1);
    }
    if !s._spiked && s.v >= p.threshold {
        s._spiked = true;
        true
    } else {
        false
    }
}

standalone! {
/// Rank-order-coding neuron (one spike per presentation).
pub struct AkidaNeuron;
}

impl AkidaNeuron {
    /// One input event of integer weight `weight` (0 = no event); `true` on the spike.
    pub fn step(&mut self, weight: i32) -> bool {
        self.step_or_none([weight as f64])
    }
}

impl Model for AkidaNeuron {
    const NAME: &'static str = "AkidaNeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str =
        "Rank-order-coding integrate-once neuron (SpikeNet scheme, attributed to Akida)";
    const REFERENCE: &'static str = "Thorpe & Gautrais 1998, doi:10.1007/978-1-4615-4831-7_19; Delorme & Thorpe 2001, Neural Netw 14:795, doi:10.1016/S0893-6080(01)00049-1";
    const PORTS: &'static [&'static str] = &["weight"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[40.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = AkidaParams;
    type State = AkidaState;
    type Consts = AkidaParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &AkidaParams) -> AkidaState {
        AkidaState {
            v: 0,
            _rank: 0,
            _spiked: false,
        }
    }
    fn standalone_span(_: &AkidaParams) -> f64 {
        1.0
    }
    fn prepare(p: &AkidaParams, _: f64) -> AkidaParams {
        p.clone()
    }
    #[inline(always)]
    fn update(p: &AkidaParams, s: &mut AkidaState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        let w = x.ports[0].round().clamp(i32::MIN as f64, i32::MAX as f64) as i64;
        akida_step(p, s, w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activation(weights: &[i32]) -> (i64, Option<usize>) {
        let mut n = AkidaNeuron::new();
        let mut first = None;
        for (k, &w) in weights.iter().enumerate() {
            if n.step(w) {
                first = Some(k + 1);
            }
        }
        (n.state().v, first)
    }

    #[test]
    fn four_events_of_40_fire_on_the_fourth() {
        // Spec §31: 40·0.75^r truncated = 40, 30, 22 (22.5), 16 (16.875); cumulative 40, 70,
        // 92, 108 ≥ 100 → spike on the 4th event.
        let mut n = AkidaNeuron::new();
        let mut cum = Vec::new();
        let mut spikes = Vec::new();
        for k in 1..=4 {
            if n.step(40) {
                spikes.push(k);
            }
            cum.push(n.state().v);
        }
        assert_eq!(cum, vec![40, 70, 92, 108]);
        assert_eq!(spikes, vec![4]);
        // One spike per presentation: more input never fires again until reset().
        assert!((0..20).all(|_| !n.step(40)));
        n.reset();
        assert_eq!(
            (n.state().v, n.state()._rank, n.state()._spiked),
            (0, 0, false)
        );
    }

    #[test]
    fn activation_depends_on_order_and_peaks_for_descending_weights() {
        // Ascending 10, 20, 40, 80: 10 + 15 + 22 + 33 = 80 < 100, silent.
        // Descending 80, 40, 20, 10: 80 + 30 + 11 + 4 = 125, spike on the 2nd event (110).
        assert_eq!(activation(&[10, 20, 40, 80]), (80, None));
        assert_eq!(activation(&[80, 40, 20, 10]), (125, Some(2)));
        // Over all 24 orders the descending one has the largest activation.
        let w = [10, 20, 40, 80];
        let mut best = (i64::MIN, vec![]);
        for a in 0..4 {
            for b in 0..4 {
                for c in 0..4 {
                    for d in 0..4 {
                        let idx = [a, b, c, d];
                        let mut u = idx.to_vec();
                        u.sort_unstable();
                        u.dedup();
                        if u.len() < 4 {
                            continue;
                        }
                        let order: Vec<i32> = idx.iter().map(|&i| w[i]).collect();
                        let (v, _) = activation(&order);
                        if v > best.0 {
                            best = (v, order);
                        }
                    }
                }
            }
        }
        assert_eq!(best, (125, vec![80, 40, 20, 10]));
    }

    #[test]
    fn zero_weight_is_no_event() {
        // A 0 between events does not advance the rank: 40, 0, 40 → 40 + 30.
        let mut n = AkidaNeuron::new();
        n.step(40);
        n.step(0);
        n.step(40);
        assert_eq!((n.state().v, n.state()._rank), (70, 2));
    }
}
