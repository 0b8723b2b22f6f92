//! `EPropALIFNeuron` — the adaptive leaky integrate-and-fire (ALIF) neuron of e-prop (Bellec et
//! al. 2020), in discrete time, with its pseudo-derivative and the e-prop eligibility trace of
//! its input.
//!
//! **Equations** (one step t of δt; input I^t, the summed weighted input of the step):
//! v^t = α v^{t−1} + I^t − z^{t−1} v_th (reset by subtraction); a^t = ρ a^{t−1} + z^{t−1};
//! A^t = v_th + β a^t; z^t = H(v^t − A^t), forced to 0 for `t_ref` after a spike;
//! α = e^{−δt/τ_m}, ρ = e^{−δt/τ_a}. Pseudo-derivative
//! ψ^t = (γ_pd/v_th)·max(0, 1 − |(v^t − A^t)/v_th|), 0 while refractory (z is clamped to 0
//! then, so it has no derivative). Eligibility (e-prop's ALIF recursions for a synapse whose
//! presynaptic signal is this neuron's input I, i.e. a gain on the whole input):
//! ε_v^t = α ε_v^{t−1} + I^t; e^t = ψ^t(ε_v^t − β ε_a^t); ε_a^{t+1} = ψ^t ε_v^t + (ρ − ψ^t β) ε_a^t.
//! A per-synapse trace replaces I^t by the presynaptic spike train z_i^{t−1} (learning code can
//! keep ε_v per synapse and reuse ψ, β, ρ from here); `e_trace` is e^t.
//!
//! **Numerics.** Exact: this is a discrete-time model, iterated as written. In a network one
//! step is one iteration of δt = `dt` (1 ms) whatever the network's dt (a 1-ms network runs it
//! in real time).
//!
//! **Units.** Dimensionless voltage (v_th = 1); I in the same units per step; δt, τ in ms.
//!
//! **Reference.** Bellec, G., Scherr, F., Subramoney, A., Hajek, E., Salaj, D., Legenstein, R. &
//! Maass, W. (2020) "A solution to the learning dilemma for recurrent networks of spiking
//! neurons", Nat. Commun. 11:3625, doi:10.1038/s41467-020-17236-y (Methods: ALIF dynamics,
//! pseudo-derivative with γ_pd = 0.3, eligibility traces; the same equations are documented
//! in NEST's `eprop_iaf_adapt_bsshslm_2020`, whose refractory default is 2 ms).
//!
//! **Relation to SC-NeuroCore** (spec §18). Same class, `step(current)` (input added to v, one
//! step of 1 ms) and state names `v`, `a`, `e_trace`, defaults τ_m = 20, τ_a = 200, v_th = 1,
//! β = 0.07, δt = 1. Differences, following the paper: (a) reset by subtraction of v_th in the
//! step after a spike instead of a hard reset to `v_reset` (the parameter is dropped); the
//! adaptation variable also takes the spike in the next step (a^t = ρa^{t−1} + z^{t−1}),
//! SC-NeuroCore adds it at once; (b) ψ = (γ_pd/v_th)·max(0, 1 − |(v − A)/v_th|) (equal to
//! SC-NeuroCore's 0.3·max(0, 1 − |v − A|) only for v_th = 1), zero while refractory; (c)
//! `e_trace` is e-prop's eligibility e^t = ψ(ε_v − βε_a) instead of a low-pass of ψ alone;
//! (d) an absolute refractory period `t_ref` = 2 ms. Added state (listed in `ADDED_STATE`):
//! `z` (the previous step's spike, needed by the next step's reset and adaptation), `eps_v`
//! and `eps_a` (ε_v, ε_a) and `refractory` (steps left). α and ρ are derived from the
//! parameters when the neuron is built, as in SC-NeuroCore.
//!
//! **Paper facts tested.** DC rheobase (1 − e^{−δt/τ_m})·v_th = 0.04877 (a constant input I
//! drives v to I/(1 − α)); reset by subtraction and the adaptive threshold A = v_th + βa with a
//! decaying by ρ per step (hand-computed sequences); refractoriness; lengthening intervals
//! under constant drive (adaptation); ψ = γ_pd/v_th = 0.3 at v = A; the eligibility recursions
//! against a hand-computed three-step sequence and, for β = 0, the closed form
//! e^t = ψ^t·I(1 − α^t)/(1 − α).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`EPropALIFNeuron`].
    pub struct EPropALIFParams {
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 20.0,
        /// Threshold-adaptation time constant, τ_a [ms].
        tau_a: f64 = 200.0,
        /// Baseline threshold, v_th [1].
        v_threshold_base: f64 = 1.0,
        /// Adaptation strength, β [1].
        beta: f64 = 0.07,
        /// Height of the pseudo-derivative, γ_pd [1].
        gamma_pd: f64 = 0.3,
        /// Absolute refractory period, t_ref (rounded to whole steps) [ms].
        t_ref: f64 = 2.0,
        /// Length of one step, δt [ms].
        dt: f64 = 1.0,
    }
}

impl EPropALIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("tau_a", self.tau_a)?;
        check::positive("v_threshold_base", self.v_threshold_base)?;
        check::non_negative("beta", self.beta)?;
        check::non_negative("gamma_pd", self.gamma_pd)?;
        check::in_range("t_ref", self.t_ref, 0.0, 1e6)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`EPropALIFNeuron`].
    pub struct EPropALIFState {
        /// Membrane potential, v [1].
        v: f64 => EpropV,
        /// Threshold-adaptation variable, a [1].
        a: f64 => EpropA,
        /// Eligibility trace of the input, e^t = ψ(ε_v − βε_a) [1].
        e_trace: f64 => EpropE,
        /// Spike of the previous step, z^{t−1} (0 or 1) [1].
        z: f64 => EpropZ,
        /// Input trace ε_v (the input low-passed by α) [1].
        eps_v: f64 => EpropEpsV,
        /// Adaptation eligibility ε_a [1].
        eps_a: f64 => EpropEpsA,
        /// Refractory steps left [steps].
        refractory: i32 => EpropRefractory,
    }
}

/// Constants of [`EPropALIFNeuron`].
#[derive(Clone, Debug)]
pub struct EPropALIFConsts {
    /// α = e^{−δt/τ_m}.
    pub alpha: f64,
    /// ρ = e^{−δt/τ_a}.
    pub rho: f64,
    /// v_th.
    pub v_th: f64,
    /// β.
    pub beta: f64,
    /// γ_pd.
    pub gamma: f64,
    /// Refractory steps.
    pub n_ref: i32,
}

/// One step with input `i`: membrane, adaptation, spike, pseudo-derivative and traces.
#[inline(always)]
pub fn eprop_step(k: &EPropALIFConsts, s: &mut EPropALIFState, i: f64) -> bool {
    s.a = k.rho * s.a + s.z;
    s.v = k.alpha * s.v + i - s.z * k.v_th;
    let thr = k.v_th + k.beta * s.a;
    let (spike, psi) = if s.refractory > 0 {
        s.refractory -= 1;
        (false, 0.0)
    } else {
        let psi = k.gamma / k.v_th * (1.0 - ((s.v - thr) / k.v_th).abs()).max(0.0);
        (s.v >= thr, psi)
    };
    s.eps_v = k.alpha * s.eps_v + i;
    s.e_trace = psi * (s.eps_v - k.beta * s.eps_a);
    s.eps_a = psi * s.eps_v + (k.rho - psi * k.beta) * s.eps_a;
    s.z = if spike { 1.0 } else { 0.0 };
    if spike {
        s.refractory = k.n_ref;
    }
    spike
}

standalone! {
/// e-prop adaptive LIF neuron (Bellec et al. 2020).
pub struct EPropALIFNeuron;
}

impl EPropALIFNeuron {
    /// Advance one step (1 ms by default) with summed input `current` [1]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for EPropALIFNeuron {
    const NAME: &'static str = "EPropALIFNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "e-prop adaptive LIF (Bellec 2020): reset by subtraction, adaptive threshold, eligibility";
    const REFERENCE: &'static str =
        "Bellec et al. 2020, Nat Commun 11:3625, doi:10.1038/s41467-020-17236-y";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.1];
    const SUBSTEP: Option<&'static str> = None;
    type Params = EPropALIFParams;
    type State = EPropALIFState;
    type Consts = EPropALIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &EPropALIFParams) -> EPropALIFState {
        EPropALIFState::default()
    }
    fn standalone_span(p: &EPropALIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &EPropALIFParams, _: f64) -> EPropALIFConsts {
        EPropALIFConsts {
            alpha: (-p.dt / p.tau_m).exp(),
            rho: (-p.dt / p.tau_a).exp(),
            v_th: p.v_threshold_base,
            beta: p.beta,
            gamma: p.gamma_pd,
            n_ref: (p.t_ref / p.dt).round() as i32,
        }
    }
    #[inline(always)]
    fn update(
        k: &EPropALIFConsts,
        s: &mut EPropALIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        eprop_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALPHA: f64 = 0.951_229_424_500_714; // e^{−1/20}
    const RHO: f64 = 0.995_012_479_192_682_4; // e^{−1/200}

    #[test]
    fn decay_factors() {
        assert!((ALPHA - (-1.0f64 / 20.0).exp()).abs() < 1e-15);
        assert!((RHO - (-1.0f64 / 200.0).exp()).abs() < 1e-15);
    }

    #[test]
    fn dc_rheobase() {
        // A constant I drives v to I/(1 − α): threshold 1 is reached iff I ≥ 1 − e^{−1/20}.
        let rh = 1.0 - ALPHA;
        assert!((rh - 0.04877).abs() < 1e-5);
        let mut n = EPropALIFNeuron::new();
        assert!((0..5000).all(|_| !n.step(rh * 0.999)));
        let mut n = EPropALIFNeuron::new();
        assert!((0..5000).any(|_| n.step(rh * 1.003)));
    }

    #[test]
    fn reset_by_subtraction_adaptation_and_refractoriness() {
        let mut n = EPropALIFNeuron::new();
        assert!(n.step(1.5)); // v = 1.5 ≥ A = 1
        // Next step: v = α·1.5 + 0.2 − 1 (subtraction), a = 1, refractory (no spike).
        assert!(!n.step(0.2));
        let s = *n.state();
        assert!((s.v - (ALPHA * 1.5 + 0.2 - 1.0)).abs() < 1e-12, "{s:?}");
        assert!((s.a - 1.0).abs() < 1e-15);
        // A huge input during the second refractory step does not fire either.
        assert!(!n.step(10.0));
        // After t_ref = 2 steps it may fire again: v ≈ 10α far above 1 + 0.07·ρ².
        assert!(n.step(0.0));
        // a decays geometrically by ρ per step, jumping by one the step after each spike.
        let mut n = EPropALIFNeuron::new();
        n.step(1.5);
        let mut a = Vec::new();
        for _ in 0..5 {
            n.step(0.0);
            a.push(n.state().a);
        }
        for (k, &x) in a.iter().enumerate() {
            assert!((x - RHO.powi(k as i32)).abs() < 1e-12, "{a:?}");
        }
    }

    #[test]
    fn adaptation_lengthens_the_intervals() {
        let mut n = EPropALIFNeuron::new();
        let t: Vec<usize> = (0..2000).filter(|_| n.step(0.12)).collect();
        let first = t[1] - t[0];
        let last = t[t.len() - 1] - t[t.len() - 2];
        assert!(last > first, "{first} → {last}");
    }

    #[test]
    fn eligibility_trace_by_hand() {
        // Inputs 0.8, 0.5, 0 from rest (v_th = 1, β = 0.07, γ_pd = 0.3).
        let mut n = EPropALIFNeuron::new();
        // t = 1: v = 0.8 < 1, ψ = 0.3(1 − 0.2) = 0.24, ε_v = 0.8, e = 0.24·0.8, ε_a = 0.24·0.8.
        assert!(!n.step(0.8));
        assert!((n.state().e_trace - 0.192).abs() < 1e-12);
        assert!((n.state().eps_a - 0.192).abs() < 1e-12);
        // t = 2: v = ε_v = 0.8α + 0.5 ≥ 1 (spike), ψ = 0.3(1 − (v − 1)),
        // e = ψ(ε_v − 0.07·0.192), ε_a = ψ ε_v + (ρ − 0.07ψ)·0.192.
        assert!(n.step(0.5));
        let v2 = 0.8 * ALPHA + 0.5;
        let psi2 = 0.3 * (1.0 - (v2 - 1.0));
        let s = *n.state();
        assert!((s.v - v2).abs() < 1e-12);
        assert!((s.e_trace - psi2 * (v2 - 0.07 * 0.192)).abs() < 1e-12);
        let eps_a2 = psi2 * v2 + (RHO - 0.07 * psi2) * 0.192;
        assert!((s.eps_a - eps_a2).abs() < 1e-12);
        // t = 3: refractory, ψ = 0: e = 0, ε_a decays by ρ, ε_v by α.
        assert!(!n.step(0.0));
        let s = *n.state();
        assert_eq!(s.e_trace, 0.0);
        assert!((s.eps_a - RHO * eps_a2).abs() < 1e-12);
        assert!((s.eps_v - ALPHA * v2).abs() < 1e-12);
    }

    #[test]
    fn without_adaptation_the_trace_is_psi_times_the_filtered_input() {
        // β = 0, subthreshold constant input I from rest: v^t = ε_v^t = I(1 − α^t)/(1 − α)
        // and e^t = ψ^t ε_v^t with ψ^t = 0.3·max(0, 1 − |v^t − 1|).
        let p = EPropALIFParams {
            beta: 0.0,
            ..Default::default()
        };
        let mut n = EPropALIFNeuron::with_params(p).unwrap();
        let i = 0.04;
        for t in 1..200 {
            assert!(!n.step(i));
            let ev = i * (1.0 - ALPHA.powi(t)) / (1.0 - ALPHA);
            let psi = 0.3 * (1.0 - (ev - 1.0).abs()).max(0.0);
            let s = n.state();
            assert!((s.eps_v - ev).abs() < 1e-12 && (s.v - ev).abs() < 1e-12);
            assert!((s.e_trace - psi * ev).abs() < 1e-12, "t = {t}");
        }
        // At v = A the pseudo-derivative peaks at γ_pd/v_th = 0.3.
        let mut n = EPropALIFNeuron::new();
        n.step(1.0);
        assert!((n.state().e_trace - 0.3).abs() < 1e-12);
    }
}
