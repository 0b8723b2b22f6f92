//! `GalvesLocherbachNeuron` — a discrete-time stochastic neuron with memory of variable length:
//! it fires with probability φ(U) of a potential U that integrates its inputs since its own
//! last spike (Galves & Löcherbach 2013).
//!
//! **Equations.** At step t the neuron fires with probability φ(U_t), independently of
//! everything else given the past, with the logistic φ(u) = 1/(1 + e^(−β(u − u½))). The
//! potential sums the inputs of the steps s = L_t … t − 1 since its last spike L_t, weighted by
//! the leak function g(t − s) = decay^(t−1−s); with w_t the weighted input of step t:
//! U_{t+1} = decay·U_t + w_t if the neuron did not fire at t, and U_{t+1} = v_rest + w_t if it
//! did (the sum restarts at its own spike; v_rest = 0 is the paper's). So the input of step t
//! acts on the firing probability of step t + 1, never on that of step t.
//!
//! **Numerics.** An exact map (one step = one iteration, `Timing::Iteration`).
//!
//! **Randomness.** One uniform per step from the counter-based stream of the `rng` argument;
//! spike iff U < φ(v). Reproducible at any thread count; `reset()` rewinds the stream.
//!
//! **Reference.** Galves, A. & Löcherbach, E. (2013) "Infinite systems of interacting chains
//! with memory of variable length — a stochastic model for biological neural nets",
//! J. Stat. Phys. 151:896–921, doi:10.1007/s10955-013-0733-9. The geometric leak g and the
//! logistic φ are SC-NeuroCore's choices within the paper's class (the paper leaves g and φ
//! general).
//!
//! **Relation to SC-NeuroCore** (spec §5). Same interface (`step(weighted_input) -> spike`,
//! state `v`, defaults v_rest 0, decay 0.95, u½ = `threshold_rate` 0.5, β = `steepness` 5).
//! Differences, following the paper: (a) SC-NeuroCore adds this step's input before computing
//! φ, so the input of step t changes the spike probability of step t; in the paper the
//! potential at t sums inputs up to t − 1, so here φ is computed from v first and the input is
//! added afterwards (for the next step). (b) SC-NeuroCore multiplies φ by a `dt` "probability
//! scale", which has no meaning in the discrete model; it is dropped (its default 1 is the
//! paper's model). (c) After a spike the potential restarts from v_rest plus the input of the
//! spike step (the paper's sum from L_t inclusive) instead of v_rest alone. (d) The generator
//! is seeded per neuron and `reset()` rewinds it.
//!
//! **Paper facts tested** (from the model definition, spec §5.8): with no input v stays 0 and
//! spikes are i.i.d. Bernoulli(φ(0) = 0.07586), 75.9 ± 8.4 per 1000 steps; with constant input
//! x the potential m steps after a spike is x(1 − decay^m)/(1 − decay), so the hazard at age m
//! is φ of that (→ φ(20x), 0.924 at x = 0.05); the input of a step does not affect that step.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`GalvesLocherbachNeuron`].
    pub struct GalvesLocherbachParams {
        /// Potential after the neuron's own spike, v_rest [1].
        v_rest: f64 = 0.0,
        /// Leak factor per step (geometric leak function g), in [0, 1] [1].
        decay: f64 = 0.95,
        /// Centre of the logistic firing probability φ, u½ [1].
        threshold_rate: f64 = 0.5,
        /// Slope of φ, β [1].
        steepness: f64 = 5.0,
    }
}

impl GalvesLocherbachParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("decay", self.decay, 0.0, 1.0)?;
        check::positive("steepness", self.steepness)
    }
}

neuron_state! {
    /// State of [`GalvesLocherbachNeuron`].
    pub struct GalvesLocherbachState {
        /// Potential U of the next step (inputs since the last spike, leaked) [1].
        v: f64 => GlV,
    }
}

/// Constants of [`GalvesLocherbachNeuron`].
#[derive(Clone, Debug)]
pub struct GalvesLocherbachConsts {
    p: GalvesLocherbachParams,
}

/// One step: fire with probability φ(v) (one uniform), then take in this step's input.
#[inline(always)]
pub fn galves_locherbach_step(
    k: &GalvesLocherbachConsts,
    s: &mut GalvesLocherbachState,
    input: f64,
    rng: &mut NeuronRng,
) -> bool {
    let p = &k.p;
    let phi = sigmoid(p.steepness * (s.v - p.threshold_rate));
    let spike = rng.uniform() < phi;
    s.v = if spike {
        p.v_rest + input
    } else {
        p.decay * s.v + input
    };
    spike
}

standalone! {
/// Galves–Löcherbach (2013) stochastic neuron with memory of variable length.
pub struct GalvesLocherbachNeuron;
}

impl GalvesLocherbachNeuron {
    /// One step with this step's summed weighted input [1] (it acts from the next step on);
    /// `true` on a spike.
    pub fn step(&mut self, weighted_input: f64) -> bool {
        self.step_or_none([weighted_input])
    }
}

impl Model for GalvesLocherbachNeuron {
    const NAME: &'static str = "GalvesLocherbachNeuron";
    const FAMILY: Family = Family::Stochastic;
    const SUMMARY: &'static str =
        "Galves-Locherbach discrete-time neuron: fires with prob. phi(potential since last spike)";
    const REFERENCE: &'static str =
        "Galves & Locherbach 2013, J Stat Phys 151:896, doi:10.1007/s10955-013-0733-9";
    const PORTS: &'static [&'static str] = &["weighted_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.05];
    const SUBSTEP: Option<&'static str> = None;
    type Params = GalvesLocherbachParams;
    type State = GalvesLocherbachState;
    type Consts = GalvesLocherbachConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &GalvesLocherbachParams) -> GalvesLocherbachState {
        GalvesLocherbachState { v: 0.0 }
    }
    fn standalone_span(_: &GalvesLocherbachParams) -> f64 {
        1.0
    }
    fn prepare(p: &GalvesLocherbachParams, _: f64) -> GalvesLocherbachConsts {
        GalvesLocherbachConsts { p: p.clone() }
    }
    #[inline(always)]
    fn update(
        k: &GalvesLocherbachConsts,
        s: &mut GalvesLocherbachState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        galves_locherbach_step(k, s, x.ports[0], rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The logistic, typed again.
    fn phi(u: f64) -> f64 {
        1.0 / (1.0 + (-5.0 * (u - 0.5)).exp())
    }

    #[test]
    fn no_input_gives_iid_bernoulli_phi_of_zero() {
        // φ(0) = σ(−2.5) = 0.07586: 75.9 ± 8.4 per 1000 steps (spec §5.8).
        let p0 = phi(0.0);
        assert!((p0 - 0.07586).abs() < 1e-5);
        let mut n = GalvesLocherbachNeuron::new();
        n.set_seed(4, 2);
        let steps = 200_000usize;
        let s: Vec<bool> = (0..steps).map(|_| n.step(0.0)).collect();
        let count = s.iter().filter(|&&b| b).count() as f64;
        let sd = (steps as f64 * p0 * (1.0 - p0)).sqrt();
        assert!((count - p0 * steps as f64).abs() < 4.0 * sd, "{count}");
        // Independence: P(spike | spike before) = P(spike).
        let pairs = s.windows(2).filter(|w| w[0]).count() as f64;
        let both = s.windows(2).filter(|w| w[0] && w[1]).count() as f64;
        let se = (p0 * (1.0 - p0) / pairs).sqrt();
        assert!((both / pairs - p0).abs() < 4.0 * se, "{}", both / pairs);
    }

    #[test]
    fn hazard_at_age_m_is_phi_of_the_leaked_input_sum() {
        // Constant x = 0.05: m steps after a spike U = x(1 − 0.95^m)/0.05; φ → φ(1) = 0.924.
        let x = 0.05;
        assert!((phi(x / 0.05) - 0.924).abs() < 5e-4);
        let mut n = GalvesLocherbachNeuron::new();
        n.set_seed(9, 0);
        let ages = 12usize;
        let (mut at_risk, mut fired) = (vec![0f64; ages + 1], vec![0f64; ages + 1]);
        let mut age = 0usize; // steps since the last spike (0 = no spike yet)
        for _ in 0..400_000 {
            let f = n.step(x);
            if (1..=ages).contains(&age) {
                at_risk[age] += 1.0;
                fired[age] += f as u8 as f64;
            }
            age = if f {
                1
            } else if age > 0 {
                age + 1
            } else {
                0
            };
        }
        for m in 1..=ages {
            // At age m (m steps after the spike step) the potential is x(1 − 0.95^m)/0.05.
            let u = x * (1.0 - 0.95f64.powi(m as i32)) / 0.05;
            let p = phi(u);
            let emp = fired[m] / at_risk[m];
            let se = (p * (1.0 - p) / at_risk[m]).sqrt();
            assert!(
                (emp - p).abs() < 4.5 * se,
                "age {m}: {emp} vs {p} (n {})",
                at_risk[m]
            );
        }
    }

    #[test]
    fn the_input_of_a_step_acts_from_the_next_step() {
        // Same seed, inputs differing only at step 50: identical spikes up to step 50.
        let run = |bump: f64| {
            let mut n = GalvesLocherbachNeuron::new();
            n.set_seed(3, 3);
            (0..60)
                .map(|t| n.step(if t == 50 { bump } else { 0.01 }))
                .collect::<Vec<bool>>()
        };
        let (a, b) = (run(0.01), run(100.0));
        assert_eq!(a[..=50], b[..=50]);
        // ... and a huge input at step 50 makes step 51 fire with φ ≈ 1.
        assert!(b[51]);
    }
}
