//! `TwoCompartmentLIFNeuron` — TC-LIF, the two-compartment (dendrite/soma) discrete-time spiking
//! neuron of Zhang et al. (2024) for long-term sequential learning.
//!
//! **Equations** (paper eqs. 10–12, one step = one iteration t − 1 → t, input I[t]):
//! U_D[t] = U_D[t−1] + β₁·U_S[t−1] + I[t] − γ·S[t−1];
//! U_S[t] = U_S[t−1] + β₂·U_D[t] − V_th·S[t−1];
//! S[t] = Θ(U_S[t] − V_th), Θ(0) = 1.
//! The resets are soft and act one iteration after the spike: the soma loses V_th and the
//! dendrite γ. β₁ < 0 is the soma→dendrite feedback and β₂ > 0 the dendrite→soma gain (in the
//! paper β₁ = −σ(c₁), β₂ = σ(c₂) with trained c₁, c₂; here they are fixed parameters).
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//! Without spikes and input the linear part [[1, β₁], [β₂, 1 + β₁β₂]] has determinant 1: the
//! compartments exchange charge without leaking, which is what lets the neuron hold
//! information over long sequences.
//!
//! **Units.** Dimensionless.
//!
//! **Reference.** Zhang, S., Yang, Q., Ma, C., Wu, J., Li, H. & Tan, K.C. (2024) "TC-LIF: a
//! two-compartment spiking neuron model for long-term sequential modelling", Proc. AAAI Conf.
//! Artif. Intell. 38(15):16838–16847, doi:10.1609/aaai.v38i15.29625.
//!
//! **Relation to SC-NeuroCore** (spec §27). Same interface (`step(i_ext)`, one iteration), state
//! (`u_d`, `u_s`, `s_prev`), defaults (β₁ −0.5, β₂ 0.5, γ 0.5, V_th 1), update order, Θ(0) = 1
//! and parameter bounds (β₁ ∈ (−1, 0), β₂ ∈ (0, 1), γ ∈ [0, 10], V_th ∈ (0, 100]). The named
//! hyper-parameter profiles of SC-NeuroCore's `from_profile(name)` are [`TwoCompartmentLIFNeuron::profile`].
//! Not ported: SC-NeuroCore's refusal of states with |u| > 10⁶ (a kernel cannot fail here; the
//! map's linear part is non-expanding, so the state stays bounded for bounded input).
//!
//! **Facts tested.** The spec's hand computation from the paper's recurrences (I = 0.6, zero
//! state: spikes at t = 3 and 5, states (0.6, 0.3), (1.05, 0.825), (1.2375, 1.44375), …),
//! re-derived in the test by exact rational arithmetic; the determinant-one (non-leaking)
//! subthreshold dynamics.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`TwoCompartmentLIFNeuron`].
    pub struct TwoCompartmentLIFParams {
        /// Soma→dendrite feedback, β₁ (paper: −σ(c₁)) [1].
        beta1: f64 = -0.5,
        /// Dendrite→soma gain, β₂ (paper: σ(c₂)) [1].
        beta2: f64 = 0.5,
        /// Dendritic soft-reset amount, γ [1].
        gamma: f64 = 0.5,
        /// Firing threshold (also the somatic soft reset), V_th [1].
        v_th: f64 = 1.0,
    }
}

impl TwoCompartmentLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        if !(self.beta1 > -1.0 && self.beta1 < 0.0) {
            return Err(ParamError::new("beta1", "must lie in (-1, 0)"));
        }
        if !(self.beta2 > 0.0 && self.beta2 < 1.0) {
            return Err(ParamError::new("beta2", "must lie in (0, 1)"));
        }
        check::in_range("gamma", self.gamma, 0.0, 10.0)?;
        check::positive("v_th", self.v_th)?;
        check::in_range("v_th", self.v_th, 0.0, 100.0)
    }
}

neuron_state! {
    /// State of [`TwoCompartmentLIFNeuron`].
    pub struct TwoCompartmentLIFState {
        /// Dendritic potential, U_D [1].
        u_d: f64 => TclifUd,
        /// Somatic potential, U_S [1].
        u_s: f64 => TclifUs,
        /// Previous output spike, S[t−1] (0 or 1) [1].
        s_prev: f64 => TclifSPrev,
    }
}

/// One iteration of the TC-LIF map with input `i`; `true` if S[t] = 1.
#[inline(always)]
pub fn tc_lif_step(p: &TwoCompartmentLIFParams, s: &mut TwoCompartmentLIFState, i: f64) -> bool {
    let u_d = s.u_d + p.beta1 * s.u_s + i - p.gamma * s.s_prev;
    let u_s = s.u_s + p.beta2 * u_d - p.v_th * s.s_prev;
    let fire = u_s >= p.v_th;
    s.u_d = u_d;
    s.u_s = u_s;
    s.s_prev = if fire { 1.0 } else { 0.0 };
    fire
}

standalone! {
/// TC-LIF two-compartment discrete-time neuron (Zhang et al. 2024).
pub struct TwoCompartmentLIFNeuron;
}

impl TwoCompartmentLIFNeuron {
    /// One iteration with external input `i_ext`; `true` on a spike.
    pub fn step(&mut self, i_ext: f64) -> bool {
        self.step_or_none([i_ext])
    }

    /// The named hyper-parameter profiles (β₁, β₂, γ, V_th) of SC-NeuroCore's `from_profile`,
    /// which it attributes to the paper's Table 5: `smnist_feedforward`, `smnist_recurrent`,
    /// `psmnist_feedforward`, `psmnist_recurrent`, `gsc_feedforward`, `gsc_recurrent`,
    /// `shd_feedforward`, `shd_recurrent`, `ssc_feedforward`, `ssc_recurrent`.
    pub fn profile(name: &str) -> Option<TwoCompartmentLIFParams> {
        let (beta1, beta2, gamma, v_th) = match name {
            "smnist_feedforward" => (-0.5, 0.5, 0.5, 1.0),
            "smnist_recurrent" => (-0.8, 0.4, 0.5, 1.0),
            "psmnist_feedforward" => (-0.5, 0.5, 0.7, 1.5),
            "psmnist_recurrent" => (-0.2, 0.8, 0.5, 1.8),
            "gsc_feedforward" => (-0.5, 0.5, 0.6, 1.2),
            "gsc_recurrent" => (-0.8, 0.8, 0.7, 1.25),
            "shd_feedforward" | "shd_recurrent" | "ssc_feedforward" | "ssc_recurrent" => {
                (-0.5, 0.5, 0.5, 1.5)
            }
            _ => return None,
        };
        Some(TwoCompartmentLIFParams {
            beta1,
            beta2,
            gamma,
            v_th,
        })
    }
}

impl Model for TwoCompartmentLIFNeuron {
    const NAME: &'static str = "TwoCompartmentLIFNeuron";
    const FAMILY: Family = Family::Compartmental;
    const SUMMARY: &'static str =
        "TC-LIF (Zhang et al. 2024) two-compartment discrete-time spiking neuron";
    const REFERENCE: &'static str =
        "Zhang et al. 2024, Proc AAAI 38(15):16838, doi:10.1609/aaai.v38i15.29625";
    const PORTS: &'static [&'static str] = &["i_ext"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.6];
    const SUBSTEP: Option<&'static str> = None;
    type Params = TwoCompartmentLIFParams;
    type State = TwoCompartmentLIFState;
    type Consts = TwoCompartmentLIFParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &TwoCompartmentLIFParams) -> TwoCompartmentLIFState {
        TwoCompartmentLIFState {
            u_d: 0.0,
            u_s: 0.0,
            s_prev: 0.0,
        }
    }
    fn standalone_span(_: &TwoCompartmentLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &TwoCompartmentLIFParams, _: f64) -> TwoCompartmentLIFParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &TwoCompartmentLIFParams,
        s: &mut TwoCompartmentLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        tc_lif_step(p, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_example_of_the_paper_recurrence() {
        // Spec §27.8 (hand-computed from Zhang et al. 2024 eqs. 10–12): defaults, I = 0.6.
        let expected = [
            (0.6, 0.3, false),
            (1.05, 0.825, false),
            (1.2375, 1.44375, true),
            (0.615625, 0.7515625, false),
            (0.83984375, 1.171484375, true),
            (0.354_101_562_5, 0.348_535_156_25, false),
        ];
        // Re-derived here in exact rationals (numerators over 2^k) with the equations typed again.
        let (mut ud, mut us, mut sp) = (0i128, 0i128, 0i128); // units of 2^-20
        let one = 1i128 << 20;
        let i = 6 * one / 10 + 1; // 0.6 is not dyadic: keep ±1 ulp and compare to 1e-6
        for &(d, s, f) in &expected {
            ud = ud - us / 2 + i - sp / 2;
            us = us + ud / 2 - sp;
            sp = if us >= one { one } else { 0 };
            assert!((ud as f64 / one as f64 - d).abs() < 1e-5, "U_D {d}");
            assert!((us as f64 / one as f64 - s).abs() < 1e-5, "U_S {s}");
            assert_eq!(sp == one, f);
        }
        let mut n = TwoCompartmentLIFNeuron::new();
        for (t, &(d, s, f)) in expected.iter().enumerate() {
            assert_eq!(n.step(0.6), f, "spike at t = {}", t + 1);
            let st = n.state();
            assert!(
                (st.u_d - d).abs() < 1e-12,
                "t={} U_D {} vs {d}",
                t + 1,
                st.u_d
            );
            assert!(
                (st.u_s - s).abs() < 1e-12,
                "t={} U_S {} vs {s}",
                t + 1,
                st.u_s
            );
        }
    }

    #[test]
    fn subthreshold_dynamics_neither_leak_nor_grow() {
        // The linear map [[1, β₁], [β₂, 1 + β₁β₂]] has determinant 1 and trace 2 + β₁β₂ ∈ (1, 2):
        // eigenvalues on the unit circle, so a charge placed in the dendrite circulates between
        // the compartments with conserved quadratic invariant instead of decaying (the paper's
        // argument for long-term memory). The quadratic form preserved by the map (solve
        // Q(Mx) = Q(x) for Q = a x² + b xy + c y²) is Q = β₂u_d² + β₁β₂u_d u_s − β₁u_s².
        let p = TwoCompartmentLIFParams {
            v_th: 100.0,
            ..Default::default()
        };
        let (b1, b2) = (p.beta1, p.beta2);
        let mut n = TwoCompartmentLIFNeuron::with_params(p).unwrap();
        n.step(0.3); // inject once
        let q = |x: f64, y: f64| b2 * x * x - b1 * y * y + b1 * b2 * x * y;
        let q0 = q(n.state().u_d, n.state().u_s);
        let mut max_abs = 0.0f64;
        for _ in 0..10_000 {
            assert!(!n.step(0.0));
            let s = *n.state();
            max_abs = max_abs.max(s.u_d.abs()).max(s.u_s.abs());
            assert!((q(s.u_d, s.u_s) - q0).abs() < 1e-9 * q0.abs().max(1.0));
        }
        // Bounded, and still carrying the injected charge after 10,000 iterations.
        assert!(max_abs < 10.0 && max_abs > 0.1, "{max_abs}");
    }

    #[test]
    fn profiles_and_bounds() {
        let p = TwoCompartmentLIFNeuron::profile("gsc_recurrent").unwrap();
        assert_eq!((p.beta1, p.beta2, p.gamma, p.v_th), (-0.8, 0.8, 0.7, 1.25));
        assert!(TwoCompartmentLIFNeuron::profile("nope").is_none());
        let bad = TwoCompartmentLIFParams {
            beta1: 0.1,
            ..Default::default()
        };
        assert!(TwoCompartmentLIFNeuron::with_params(bad).is_err());
    }
}
