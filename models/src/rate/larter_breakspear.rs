//! `LarterBreakspearNeuron` — the Larter–Breakspear conductance-based neural mass of a
//! cortical column (Breakspear, Terry & Friston 2003), in the form of The Virtual Brain.
//!
//! **Equations** (BTF 2003, Eqs. 1–5; dimensionless voltages and conductances):
//! m_ion(V) = ½(1 + tanh((V − T_ion)/δ_ion)) for Ca, Na, K;
//! Q_V = Q_V,max ½(1 + tanh((V − V_T)/δ_V)), Q_Z = Q_Z,max ½(1 + tanh((Z − Z_T)/δ_Z));
//! E = a_ee [(1 − C) Q_V + C·coupling];
//! dV/dt = t_s[−(g_Ca + r_NMDA E) m_Ca (V − V_Ca) − g_K W (V − V_K) − g_L (V − V_L)
//!          − (g_Na m_Na + E)(V − V_Na) − a_ie Z Q_Z + a_ne I];
//! dW/dt = t_s φ (m_K − W)/τ_K; dZ/dt = t_s b (a_ni I + a_ei V Q_V).
//! V is the mean excitatory membrane potential, W the fraction of open K⁺ channels, Z the
//! mean inhibitory potential. `coupling` (the single port) is the mean excitatory firing rate
//! ⟨Q_V⟩ arriving from other nodes; it enters only the a_ee term, as in BTF 2003 and TVB. The
//! unit emits V after the step (a value output), so a network of nodes is N entities coupled
//! by value projections of V (or of Q_V computed by the receiver).
//!
//! **Numerics.** `integrator = "rk4"` (default): classical RK4 in substeps of at most
//! `substep` (0.01), coupling held over the step; `"euler"`: forward Euler. A standalone step
//! spans `span` = 0.01 time units (SC-NeuroCore's `dt`). One model time unit is one engine
//! millisecond (TVB's convention), rescaled by `t_scale`.
//!
//! **Reference.** Breakspear, M., Terry, J.R. & Friston, K.J. (2003) Modulation of excitatory
//! synaptic coupling facilitates synchronization and complex dynamics in a biophysical model
//! of neuronal dynamics. Network: Comput. Neural Syst. 14:703–732,
//! doi:10.1088/0954-898X_14_4_305; Larter, R., Speelman, B. & Worth, R.M. (1999) A coupled
//! ordinary differential equation lattice model for the simulation of epileptic seizures.
//! Chaos 9:795–804, doi:10.1063/1.166455. Defaults are BTF 2003's Table 1 (TVB's defaults).
//!
//! **Relation to SC-NeuroCore** (spec §13). Same class name, `step(coupling) -> V`, state
//! (`v, w, z`, all 0.1), parameter names and defaults, RK4 default. SC-NeuroCore fails the step
//! when W leaves [0, 1]; here W cannot leave [0, 1] under the exact flow (dW/dt points inwards
//! at both ends since 0 ≤ m_K ≤ 1) and is not checked. `dt` is named `span`, with `substep`
//! the integration step.
//!
//! **Facts tested.** One RK4 step of 0.01 from the defaults gives V = 0.108510239033113
//! (spec §13.8, computed independently from the equations); sustained oscillation at
//! δ_V = 0.57 (TVB's oscillatory band; here a mixed-mode cycle too); at the defaults V in ≈ [−0.52, 0.36] (spec §13.8) on a
//! five-peak mixed-mode cycle; and agreement with an independent RK4 integration. Below
//! δ_V ≈ 0.55, where TVB's documentation places a fixed point, these equations have none
//! (dZ/dt = b(a_ni I + a_ei V Q_V) cannot vanish once Q_V is small at negative V) and V, Z
//! drift without bound (at δ_V = 0.5, V ≈ −140 by t = 3000); no test claims a fixed point.
//!
//! **Not chaotic at the defaults.** The spec (§13.8) reads the default trajectory as
//! aperiodic with irregular peaks. It is not: for t in (1000, 3000] it is a mixed-mode cycle
//! of five unequal peaks that repeats exactly (checked here and with an independent script),
//! and the largest Lyapunov exponent estimated by two-trajectory renormalisation is zero
//! within ±0.006 for every δ_V from 0.55 to 0.75, with C = 0.1 or 0. The chaotic single-node
//! regime that TVB's documentation places above δ_V ≈ 0.59 was not found with these
//! parameters; no test claims chaos.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`LarterBreakspearNeuron`].
    pub struct LarterBreakspearParams {
        /// Maximal Ca²⁺ conductance, g_Ca [1].
        g_ca: f64 = 1.1,
        /// Maximal Na⁺ conductance, g_Na [1].
        g_na: f64 = 6.7,
        /// Maximal K⁺ conductance, g_K [1].
        g_k: f64 = 2.0,
        /// Leak conductance, g_L [1].
        g_l: f64 = 0.5,
        /// Ca²⁺ reversal potential, V_Ca [1].
        v_ca: f64 = 1.0,
        /// Na⁺ reversal potential, V_Na [1].
        v_na: f64 = 0.53,
        /// K⁺ reversal potential, V_K [1].
        v_k: f64 = -0.7,
        /// Leak reversal potential, V_L [1].
        v_l: f64 = -0.5,
        /// Ca²⁺ gate threshold, T_Ca [1].
        t_ca: f64 = -0.01,
        /// Na⁺ gate threshold, T_Na [1].
        t_na: f64 = 0.3,
        /// K⁺ gate threshold, T_K [1].
        t_k: f64 = 0.0,
        /// Ca²⁺ gate width, δ_Ca [1].
        delta_ca: f64 = 0.15,
        /// Na⁺ gate width, δ_Na [1].
        delta_na: f64 = 0.15,
        /// K⁺ gate width, δ_K [1].
        delta_k: f64 = 0.3,
        /// K⁺ temperature factor, φ [1].
        phi: f64 = 0.7,
        /// K⁺ relaxation time, τ_K [1].
        tau_k: f64 = 1.0,
        /// Time-scale ratio of the inhibitory population, b [1].
        b: f64 = 0.1,
        /// Excitatory-to-excitatory synaptic strength, a_ee [1].
        a_ee: f64 = 0.4,
        /// Excitatory-to-inhibitory synaptic strength, a_ei [1].
        a_ei: f64 = 2.0,
        /// Inhibitory-to-excitatory synaptic strength, a_ie [1].
        a_ie: f64 = 2.0,
        /// Non-specific input strength onto the excitatory cells, a_ne [1].
        a_ne: f64 = 1.0,
        /// Non-specific input strength onto the inhibitory cells, a_ni [1].
        a_ni: f64 = 0.4,
        /// NMDA/AMPA receptor ratio, r_NMDA [1].
        r_nmda: f64 = 0.25,
        /// Share of the excitatory input coming from other nodes, C in [0, 1] [1].
        coupling_balance: f64 = 0.1,
        /// Threshold of the excitatory firing-rate sigmoid, V_T [1].
        v_t: f64 = 0.0,
        /// Width of the excitatory firing-rate sigmoid, δ_V [1].
        delta_v: f64 = 0.65,
        /// Threshold of the inhibitory firing-rate sigmoid, Z_T [1].
        z_t: f64 = 0.0,
        /// Width of the inhibitory firing-rate sigmoid, δ_Z [1].
        delta_z: f64 = 0.7,
        /// Maximal excitatory firing rate, Q_V,max [1].
        q_v_max: f64 = 1.0,
        /// Maximal inhibitory firing rate, Q_Z,max [1].
        q_z_max: f64 = 1.0,
        /// Non-specific (subcortical) input, I [1].
        i_ext: f64 = 0.3,
        /// Factor multiplying all derivatives, t_s [1].
        t_scale: f64 = 1.0,
        /// Time spanned by one standalone `step()` (SC-NeuroCore's `dt`) [ms].
        span: f64 = 0.01,
        /// Largest internal integration step [ms].
        substep: f64 = 0.01,
        /// Integrator: "rk4" or "euler" [choice].
        integrator: Method = Method::Rk4,
    }
}

impl LarterBreakspearParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("delta_ca", self.delta_ca),
            ("delta_na", self.delta_na),
            ("delta_k", self.delta_k),
            ("delta_v", self.delta_v),
            ("delta_z", self.delta_z),
            ("tau_k", self.tau_k),
            ("span", self.span),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        for (n, x) in [
            ("g_ca", self.g_ca),
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_l", self.g_l),
            ("phi", self.phi),
            ("b", self.b),
            ("t_scale", self.t_scale),
        ] {
            check::non_negative(n, x)?;
        }
        if !(0.0..=1.0).contains(&self.coupling_balance) {
            return Err(ParamError::new(
                "coupling_balance",
                format!("must lie in [0, 1], got {}", self.coupling_balance),
            ));
        }
        check_method(
            "integrator",
            self.integrator,
            &[Method::Rk4, Method::Euler],
            "exponential Euler has no gate/voltage split in this mean-field model",
        )
    }
}

neuron_state! {
    /// State of [`LarterBreakspearNeuron`].
    pub struct LarterBreakspearState {
        /// Mean excitatory membrane potential, V [1].
        v: f64 => LbV,
        /// Fraction of open K⁺ channels, W [1].
        w: f64 => LbW,
        /// Mean inhibitory membrane potential, Z [1].
        z: f64 => LbZ,
    }
}

/// Constants of [`LarterBreakspearNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct LarterBreakspearConsts {
    p: LarterBreakspearParams,
    n: u32,
    h: f64,
}

/// ½(1 + tanh((x − t)/δ)).
#[inline(always)]
fn half_tanh(x: f64, t: f64, d: f64) -> f64 {
    0.5 * (1.0 + ((x - t) / d).tanh())
}

/// The right-hand side at `y = [V, W, Z]` with inter-node input `coupling`.
#[inline(always)]
fn rhs(p: &LarterBreakspearParams, coupling: f64, y: &[f64; 3]) -> [f64; 3] {
    let [v, w, z] = *y;
    let m_ca = half_tanh(v, p.t_ca, p.delta_ca);
    let m_na = half_tanh(v, p.t_na, p.delta_na);
    let m_k = half_tanh(v, p.t_k, p.delta_k);
    let q_v = p.q_v_max * half_tanh(v, p.v_t, p.delta_v);
    let q_z = p.q_z_max * half_tanh(z, p.z_t, p.delta_z);
    let e = p.a_ee * ((1.0 - p.coupling_balance) * q_v + p.coupling_balance * coupling);
    let dv = -(p.g_ca + p.r_nmda * e) * m_ca * (v - p.v_ca)
        - p.g_k * w * (v - p.v_k)
        - p.g_l * (v - p.v_l)
        - (p.g_na * m_na + e) * (v - p.v_na)
        - p.a_ie * z * q_z
        + p.a_ne * p.i_ext;
    let dw = p.phi * (m_k - w) / p.tau_k;
    let dz = p.b * (p.a_ni * p.i_ext + p.a_ei * v * q_v);
    [p.t_scale * dv, p.t_scale * dw, p.t_scale * dz]
}

/// One step of `k.n` substeps with the coupling held constant; returns V.
#[inline(always)]
pub fn larter_breakspear_step(
    k: &LarterBreakspearConsts,
    s: &mut LarterBreakspearState,
    coupling: f64,
) -> f64 {
    let p = &k.p;
    let mut y = [s.v, s.w, s.z];
    if p.integrator == Method::Rk4 {
        for _ in 0..k.n {
            rk4(&mut y, k.h, |y| rhs(p, coupling, y));
        }
    } else {
        for _ in 0..k.n {
            let d = rhs(p, coupling, &y);
            for (yi, di) in y.iter_mut().zip(d) {
                *yi += k.h * di;
            }
        }
    }
    [s.v, s.w, s.z] = y;
    s.v
}

standalone! {
/// Larter–Breakspear (Breakspear, Terry & Friston 2003) neural mass.
pub struct LarterBreakspearNeuron;
}

impl LarterBreakspearNeuron {
    /// Advance one step (0.01 by default) with inter-node excitatory input `coupling`
    /// (mean firing rate ⟨Q_V⟩ of the other nodes); returns V after the step.
    pub fn step(&mut self, coupling: f64) -> f64 {
        self.step_or_none([coupling])
    }
}

impl Model for LarterBreakspearNeuron {
    const NAME: &'static str = "LarterBreakspearNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Larter-Breakspear conductance-based neural mass (BTF 2003 / TVB; value output V)";
    const REFERENCE: &'static str =
        "Breakspear, Terry & Friston 2003, Network 14:703, doi:10.1088/0954-898X_14_4_305";
    const PORTS: &'static [&'static str] = &["coupling"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = LarterBreakspearParams;
    type State = LarterBreakspearState;
    type Consts = LarterBreakspearConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &LarterBreakspearParams) -> LarterBreakspearState {
        LarterBreakspearState {
            v: 0.1,
            w: 0.1,
            z: 0.1,
        }
    }
    fn standalone_span(p: &LarterBreakspearParams) -> f64 {
        p.span
    }
    fn prepare(p: &LarterBreakspearParams, span: f64) -> LarterBreakspearConsts {
        let (n, h) = substeps(span, p.substep);
        LarterBreakspearConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &LarterBreakspearConsts,
        s: &mut LarterBreakspearState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        larter_breakspear_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// BTF 2003 Eqs. 1–5 typed again with Table 1's values, coupling 0, δ_V given.
    fn rhs_ref(dv: f64, y: &[f64]) -> Vec<f64> {
        let g = |x: f64, t: f64, d: f64| 0.5 * (1.0 + ((x - t) / d).tanh());
        let (v, w, z) = (y[0], y[1], y[2]);
        let qv = g(v, 0.0, dv);
        let qz = g(z, 0.0, 0.7);
        let e = 0.4 * 0.9 * qv;
        vec![
            -(1.1 + 0.25 * e) * g(v, -0.01, 0.15) * (v - 1.0)
                - 2.0 * w * (v + 0.7)
                - 0.5 * (v + 0.5)
                - (6.7 * g(v, 0.3, 0.15) + e) * (v - 0.53)
                - 2.0 * z * qz
                + 0.3,
            0.7 * (g(v, 0.0, 0.3) - w),
            0.1 * (0.4 * 0.3 + 2.0 * v * qv),
        ]
    }

    fn node(delta_v: f64) -> LarterBreakspearNeuron {
        let p = LarterBreakspearParams {
            delta_v,
            ..Default::default()
        };
        LarterBreakspearNeuron::with_params(p).unwrap()
    }

    /// Local maxima of V for t in (1000, 3000], and V's range there.
    fn peaks(delta_v: f64) -> (Vec<f64>, f64, f64) {
        let mut n = node(delta_v);
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        let (mut a, mut b) = (f64::NAN, f64::NAN);
        let mut out = Vec::new();
        for k in 0..300_000 {
            let v = n.step(0.0);
            if k >= 100_000 {
                (lo, hi) = (lo.min(v), hi.max(v));
                if b > a && b > v {
                    out.push(b);
                }
            }
            (a, b) = (b, v);
        }
        (out, lo, hi)
    }

    #[test]
    fn first_step_value() {
        // Spec §13.8: one RK4 step of 0.01 from (0.1, 0.1, 0.1) gives V = 0.108510239033113.
        let mut n = LarterBreakspearNeuron::new();
        let v = n.step(0.0);
        assert!((v - 0.108510239033113).abs() < 1e-12, "V = {v}");
    }

    #[test]
    fn regimes_as_delta_v_grows() {
        // δ_V = 0.57 (TVB's oscillatory band): sustained large-amplitude oscillation.
        let (p, lo, hi) = peaks(0.57);
        assert!(hi - lo > 0.3 && p.len() > 20, "δ_V = 0.57: [{lo}, {hi}]");
        // The defaults (δ_V = 0.65): V in ≈ [−0.52, 0.36] (spec §13.8), in a mixed-mode cycle
        // of five unequal peaks repeating exactly (≈ −0.152, −0.124, 0.365, −0.159, −0.157;
        // an independent RK4 script at 0.01 gave these for t in (1000, 3000]).
        let (p, lo, hi) = peaks(0.65);
        assert!(
            (lo + 0.516).abs() < 0.01 && (hi - 0.365).abs() < 0.01,
            "[{lo}, {hi}]"
        );
        let big: Vec<usize> = (0..p.len()).filter(|&k| p[k] > 0.3).collect();
        assert!(
            big.len() > 10 && big.windows(2).all(|w| w[1] - w[0] == 5),
            "{big:?}"
        );
        let small: Vec<f64> = p[big[0] + 1..big[0] + 5].to_vec();
        for (a, b) in small.iter().zip([-0.1587, -0.1568, -0.1521, -0.1244]) {
            assert!((a - b).abs() < 2e-3, "{small:?}");
        }
    }

    #[test]
    fn agrees_with_independent_rk4() {
        // Reference RK4 at 0.001 against the model at 0.01, over 50 time units.
        let r = Reference::rk4(0.001, |_, y: &[f64]| rhs_ref(0.65, y));
        let mut y = vec![0.1, 0.1, 0.1];
        let mut n = LarterBreakspearNeuron::new();
        let mut worst: f64 = 0.0;
        for k in 0..5000 {
            let v = n.step(0.0);
            for j in 0..10 {
                y = r.step((k * 10 + j) as f64 * 0.001, &y);
            }
            worst = worst.max((v - y[0]).abs());
        }
        assert!(worst < 1e-6, "max |V - V_ref| = {worst}");
    }
}
