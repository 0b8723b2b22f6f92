//! `RallCableNeuron` — a passive uniform cable of up to five isopotential compartments (sealed
//! ends) with an integrate-and-fire threshold on compartment 0, the "soma"; input enters the
//! most distal compartment.
//!
//! **Equations** (u_i = V_i − V_rest, i = 0 … N−1, N = `n_comp`, g = `g_ratio` = (λ/Δx)²):
//! τ_m du_i/dt = −u_i + g(u_{i−1} − 2u_i + u_{i+1}) + I·δ_{i,N−1}, sealed ends u_{−1} ≡ u_0,
//! u_N ≡ u_{N−1}: Rall's compartmental form of the passive cable equation
//! τ ∂V/∂t = λ²∂²V/∂x² − V. Spike: V_0 crosses `v_threshold` upward → V_0 ← `v_reset` (other
//! compartments unchanged; no refractory period).
//!
//! **Numerics.** Exact. The matrix −1 + gL (L the sealed-end second difference) has the
//! eigenvectors φ_k(i) = cos(kπ(i + ½)/N) and eigenvalues −(1 + 4g·sin²(kπ/2N)); the propagator
//! e^{Ah} and the input response A⁻¹(e^{Ah} − 1)e_{N−1} are built from them once per step
//! length, so one substep is a 5 × 5 matrix–vector product. The threshold is tested after every
//! substep (`substep` = 0.1 ms by default, SC-NeuroCore's step); a standalone step spans
//! `span` = 0.1 ms.
//!
//! **Units.** V in mV, t in ms, input in mV (R·I with the compartment's membrane resistance).
//!
//! **State mapping.** SC-NeuroCore's state is the list `v` of n_comp potentials. The engine
//! stores scalar state variables, so the state here is five fixed variables: `v` = v[0] (the
//! soma, also the membrane variable synapses act on) and `v_1` … `v_4` = v[1] … v[4].
//! `n_comp` may be 1 … 5; compartments at or beyond `n_comp` stay at V_rest. (`v_1` … `v_4`
//! are listed in `ADDED_STATE` of the catalogue tests.)
//!
//! **Reference.** Rall, W. (1959) "Branching dendritic trees and motoneuron membrane
//! resistivity", Exp. Neurol. 1:491–527, doi:10.1016/0014-4886(59)90046-9; Rall, W. (1964)
//! "Theoretical significance of dendritic trees for neuronal input-output relations", in
//! *Neural Theory and Modeling* (R.F. Reiss, ed.), Stanford Univ. Press, pp. 73–97 (the
//! compartmental model). Finite sealed cable: Koch, C. (1999) *Biophysics of Computation*, ch. 2.
//!
//! **Relation to SC-NeuroCore** (spec §24). Same interface (`step(current)`, input into the
//! last compartment, 0.1 ms per call), parameters (`n_comp` 5, τ_m 20 ms, V_rest −65 mV,
//! g_ratio 0.5, threshold −50 mV, reset −65 mV) and reset rule. Differences: exact propagation
//! instead of one backward-Euler step (SC-NeuroCore's first-order scheme lags the true
//! solution); the state is five scalars (above), so `n_comp` is limited to 1 … 5. As in
//! SC-NeuroCore (not Rall), the soma is just the end compartment of the uniform cable and the
//! threshold/reset is an addition to the passive theory.
//!
//! **Facts tested.** Rall's steady-state attenuation: the discrete steady state
//! u_i ∝ cosh(μ(i + ½)), cosh μ = 1 + 1/(2g), and, for a finely divided cable of electrotonic
//! length L, the continuous sealed-cable solution V(X) = I·R_∞·cosh(X)/sinh(L) (attenuation
//! 1/cosh L from the injection site to the sealed end), both computed in the test; the spec's
//! two-compartment example (u_soma = 0.25 I, threshold reached only for I ≥ 60 mV);
//! agreement of the transient with an independent RK4 integration.

use neurocore_engine::prelude::*;

/// Number of compartments held in the state.
pub const MAX_COMP: usize = 5;

params! {
    /// Parameters of [`RallCableNeuron`].
    pub struct RallCableParams {
        /// Number of compartments, N (1 … 5) [1].
        n_comp: u32 = 5,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 20.0,
        /// Resting potential, V_rest [mV].
        v_rest: f64 = -65.0,
        /// Axial-to-leak conductance ratio per compartment, g = (λ/Δx)² [1].
        g_ratio: f64 = 0.5,
        /// Spike threshold of compartment 0, [mV].
        v_threshold: f64 = -50.0,
        /// Reset potential of compartment 0, [mV].
        v_reset: f64 = -65.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
        /// Largest internal step (threshold tested after each) [ms].
        substep: f64 = 0.1,
    }
}

impl RallCableParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("n_comp", self.n_comp as f64, 1.0, MAX_COMP as f64)?;
        check::positive("tau_m", self.tau_m)?;
        check::non_negative("g_ratio", self.g_ratio)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`RallCableNeuron`]: SC-NeuroCore's list `v`, one variable per compartment.
    pub struct RallCableState {
        /// Potential of compartment 0 (the soma), v[0] [mV].
        v: f64 => RallV0,
        /// Potential of compartment 1, v[1] [mV].
        v_1: f64 => RallV1,
        /// Potential of compartment 2, v[2] [mV].
        v_2: f64 => RallV2,
        /// Potential of compartment 3, v[3] [mV].
        v_3: f64 => RallV3,
        /// Potential of compartment 4, v[4] [mV].
        v_4: f64 => RallV4,
    }
}

/// Constants of [`RallCableNeuron`] for one step length.
#[derive(Clone, Debug)]
pub struct RallCableConsts {
    n: u32,
    /// Exact propagator e^{Ah} of the deviations from rest (zero outside `n_comp`).
    prop: [[f64; MAX_COMP]; MAX_COMP],
    /// Response to a unit input held over a substep: A⁻¹(e^{Ah} − 1)·e_{N−1}/τ_m.
    gain: [f64; MAX_COMP],
    v_rest: f64,
    v_threshold: f64,
    v_reset: f64,
}

/// Build the exact propagator and input gain for substep `h`.
fn propagator(p: &RallCableParams, h: f64) -> ([[f64; MAX_COMP]; MAX_COMP], [f64; MAX_COMP]) {
    let n = p.n_comp as usize;
    let nf = n as f64;
    let mut prop = [[0.0; MAX_COMP]; MAX_COMP];
    let mut gain = [0.0; MAX_COMP];
    for k in 0..n {
        let phi = |i: usize| (k as f64 * std::f64::consts::PI * (i as f64 + 0.5) / nf).cos();
        let norm2 = if k == 0 { nf } else { nf / 2.0 };
        let s = (k as f64 * std::f64::consts::PI / (2.0 * nf)).sin();
        let lambda = -(1.0 + 4.0 * p.g_ratio * s * s) / p.tau_m;
        let e = (lambda * h).exp();
        let resp = (e - 1.0) / lambda / p.tau_m;
        for i in 0..n {
            for (j, pij) in prop[i].iter_mut().enumerate().take(n) {
                *pij += phi(i) * phi(j) * e / norm2;
            }
            gain[i] += phi(i) * phi(n - 1) * resp / norm2;
        }
    }
    (prop, gain)
}

/// One step: `k.n` exact substeps, threshold test and reset of compartment 0 after each.
#[inline(always)]
pub fn rall_cable_step(k: &RallCableConsts, s: &mut RallCableState, x: &Input<[f64; 1]>) -> bool {
    let i = x.ports[0];
    let mut u = [
        s.v - k.v_rest,
        s.v_1 - k.v_rest,
        s.v_2 - k.v_rest,
        s.v_3 - k.v_rest,
        s.v_4 - k.v_rest,
    ];
    let th = k.v_threshold - k.v_rest;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = u[0];
        let mut next = [0.0; MAX_COMP];
        for (r, row) in next.iter_mut().zip(&k.prop) {
            *r = row.iter().zip(&u).map(|(a, b)| a * b).sum();
        }
        for (r, g) in next.iter_mut().zip(&k.gain) {
            *r += g * i;
        }
        u = next;
        if crossed(before, u[0], th) {
            u[0] = k.v_reset - k.v_rest;
            spiked = true;
        }
    }
    [s.v, s.v_1, s.v_2, s.v_3, s.v_4] = u.map(|x| x + k.v_rest);
    spiked
}

standalone! {
/// Rall passive cable (up to five compartments, sealed ends) with threshold/reset at the soma.
pub struct RallCableNeuron;
}

impl RallCableNeuron {
    /// Advance one step (0.1 ms by default) with input `current` [mV, R·I] into the most
    /// distal compartment; `true` when compartment 0 crosses the threshold.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for RallCableNeuron {
    const NAME: &'static str = "RallCableNeuron";
    const FAMILY: Family = Family::Compartmental;
    const SUMMARY: &'static str =
        "Rall passive compartmental cable (sealed ends) with threshold/reset at the soma";
    const REFERENCE: &'static str = "Rall 1959, Exp Neurol 1:491, doi:10.1016/0014-4886(59)90046-9; Rall 1964, Neural Theory and Modeling";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[6000.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = RallCableParams;
    type State = RallCableState;
    type Consts = RallCableConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &RallCableParams) -> RallCableState {
        RallCableState {
            v: p.v_rest,
            v_1: p.v_rest,
            v_2: p.v_rest,
            v_3: p.v_rest,
            v_4: p.v_rest,
        }
    }
    fn standalone_span(p: &RallCableParams) -> f64 {
        p.span
    }
    fn prepare(p: &RallCableParams, span: f64) -> RallCableConsts {
        let (n, h) = substeps(span, p.substep);
        let (prop, gain) = propagator(p, h);
        RallCableConsts {
            n,
            prop,
            gain,
            v_rest: p.v_rest,
            v_threshold: p.v_threshold,
            v_reset: p.v_reset,
        }
    }
    #[inline(always)]
    fn update(
        k: &RallCableConsts,
        s: &mut RallCableState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        rall_cable_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    fn volts(s: &RallCableState) -> [f64; MAX_COMP] {
        [s.v, s.v_1, s.v_2, s.v_3, s.v_4]
    }

    /// Deviations from rest after `ms` of constant input `i` (threshold out of reach).
    fn settle(n_comp: u32, g: f64, i: f64, ms: f64) -> [f64; MAX_COMP] {
        let p = RallCableParams {
            n_comp,
            g_ratio: g,
            v_threshold: 1e9,
            ..Default::default()
        };
        let mut n = RallCableNeuron::with_params(p).unwrap();
        for _ in 0..(ms * 10.0) as usize {
            n.step(i);
        }
        volts(n.state()).map(|v| v + 65.0)
    }

    #[test]
    fn two_compartment_steady_state_and_threshold() {
        // Spec §24.8: N = 2, g = 0.5 → u_soma = gI/(1 + 2g) = 0.25 I, u_distal = 0.75 I;
        // re-derived: −u0 + g(u1 − u0) = 0, −u1 + g(u0 − u1) + I = 0.
        let (g, i) = (0.5, 10.0);
        let u0 = g * i / (1.0 + 2.0 * g);
        let u1 = (1.0 + g) * i / (1.0 + 2.0 * g);
        let u = settle(2, g, i, 1000.0);
        assert!(
            (u[0] - u0).abs() < 1e-9 && (u[1] - u1).abs() < 1e-9,
            "{u:?}"
        );
        assert!((u0 - 0.25 * i).abs() < 1e-12);
        assert_eq!(u[2], 0.0);
        // Threshold 15 mV above rest: I = 59.8 never fires, I = 60.2 does.
        let fires = |i: f64| {
            let p = RallCableParams {
                n_comp: 2,
                ..Default::default()
            };
            let mut n = RallCableNeuron::with_params(p).unwrap();
            (0..20_000).any(|_| n.step(i))
        };
        assert!(!fires(59.8) && fires(60.2));
    }

    #[test]
    fn steady_state_follows_rall_cosh_attenuation() {
        // Discrete sealed cable (default N = 5, g = 0.5): u_i = A cosh(μ(i + ½)),
        // cosh μ = 1 + 1/(2g), A from the last row −u_{N−1} + g(u_{N−2} − u_{N−1}) + I = 0.
        let (g, i): (f64, f64) = (0.5, 100.0);
        let mu = (1.0 + 1.0 / (2.0 * g)).acosh();
        let c = |k: f64| (mu * (k + 0.5)).cosh();
        let a = i / (c(4.0) - g * (c(3.0) - c(4.0)));
        let u = settle(5, g, i, 2000.0);
        for (k, uk) in u.iter().enumerate() {
            let want = a * c(k as f64);
            assert!(
                (uk - want).abs() < 1e-9 * a,
                "u_{k} = {uk}, closed form {want}"
            );
        }
        // Soma/injection-site ratio ≈ 0.0065 for this electrotonically long cable (spec §24.7c).
        assert!((u[0] / u[4] - c(0.0) / c(4.0)).abs() < 1e-12 && u[0] / u[4] < 0.01);

        // A finely divided cable approaches Rall's continuous solution. L = 1 λ in N = 5
        // compartments: Δx = 0.2 λ, g = (λ/Δx)² = 25. Sealed end at X = 0 (soma), current I
        // into the last compartment (X ≈ L): V(X) = I R∞ cosh X / sinh L with R∞ = Δx/λ = 1/√g
        // in units of one compartment's membrane resistance.
        let (g, big_l): (f64, f64) = (25.0, 1.0);
        let u = settle(5, g, i, 2000.0);
        let r_inf = 1.0 / g.sqrt();
        for (k, uk) in u.iter().enumerate() {
            let x = (k as f64 + 0.5) * 0.2;
            let v = i * r_inf * x.cosh() / big_l.sinh();
            assert!((uk - v).abs() < 0.02 * v, "X = {x}: {uk} vs cable {v}");
        }
        // Rall's attenuation along a sealed cable, V(X₁)/V(X₂) = cosh X₁/cosh X₂, between the
        // soma and injection compartments (X = 0.1 and 0.9), to 1 %.
        let want = (0.1f64).cosh() / (0.9f64).cosh();
        let ratio = u[0] / u[4];
        assert!((ratio / want - 1.0).abs() < 0.01, "{ratio} vs {want}");
    }

    #[test]
    fn transient_agrees_with_an_independent_integration() {
        // The compartmental equations typed again, RK4 at 0.001 ms.
        let (g, tau, i) = (0.5, 20.0, 300.0);
        let f = |_: f64, u: &[f64]| {
            (0..5)
                .map(|k| {
                    let left = if k == 0 { u[0] } else { u[k - 1] };
                    let right = if k == 4 { u[4] } else { u[k + 1] };
                    let inj = if k == 4 { i } else { 0.0 };
                    (-u[k] + g * (left - 2.0 * u[k] + right) + inj) / tau
                })
                .collect()
        };
        let p = RallCableParams {
            v_threshold: 1e9,
            ..Default::default()
        };
        let mut n = RallCableNeuron::with_params(p).unwrap();
        let mut y = vec![0.0; 5];
        for ms in [1.0, 5.0, 20.0] {
            while (n.steps() as f64) * 0.1 < ms - 1e-9 {
                n.step(i);
            }
            let (ry, _) = Reference::rk4(0.001, f).run(&[0.0; 5], ms, 0, 1e9);
            y.clone_from(&ry);
            let u = volts(n.state()).map(|v| v + 65.0);
            for k in 0..5 {
                assert!(
                    (u[k] - y[k]).abs() < 1e-8 * (1.0 + y[k].abs()),
                    "t {ms} u{k}"
                );
            }
        }
        assert!(y[0] > 0.0 && y[0] < y[4]);
    }
}
