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
//! δ_V = 0.57 (TVB's oscillatory band; here a mixed-mode cycle too); at the defaults V in
//! ≈ [−0.52, 0.36] (spec §13.8) on a five-peak mixed-mode cycle; agreement with an
//! independent RK4 integration (defaults and the chaotic set below); and the single-node
//! sequence fixed point → limit cycle → chaos as δ_V grows (BTF 2003; TVB's documentation:
//! fixed point below δ_V ≈ 0.55, cycles to ≈ 0.59, chaos above), measured by the largest
//! Lyapunov exponent (two-trajectory renormalisation over 10⁴ time units) with the parameters
//! of Alstott, Breakspear, Hagmann, Cammoun & Sporns (2009, PLoS Comput. Biol. 5:e1000408;
//! "Table 2" in TVB's `LarterBreakspear` docstring): g_Ca = 1.0, a_ee = 0.36, δ_Z = δ_V, the
//! rest Table 1's, C = 0. λ = −0.0155 at δ_V = 0.55 (fixed point), ≈ 0 at 0.58 (cycle),
//! +0.0094 ± 0.0007 per time unit at 0.65 (chaos; six initial conditions, RK4 at 0.01 and
//! 0.005, in an independent C script). Chesebro, Mujica-Parodi & Weistuch ("Ion
//! gradient-driven bifurcations of a multi-scale neuronal model", code at
//! github.com/agchesebro/larter-breakspear-bifurcation) use the same set with δ_V = 0.66.
//!
//! **Why the defaults are not chaotic.** The equations here are the same as TVB's
//! (`larter_breakspear.py`) and as Breakspear & Heitmann's Brain Dynamics Toolbox
//! (`BTF2003.m`, "parameters from Table 1 of BTF 2003"): every term and constant was compared.
//! What decides is g_Ca. With Table 1's g_Ca = 1.1 (TVB's and the spec's default; a_ee = 0.4,
//! δ_Z = 0.7) the single node is a periodic mixed-mode cycle: for t in (1000, 3000] at
//! δ_V = 0.65 five unequal peaks repeat exactly (checked here and with an independent
//! script), and λ is 0 ± 0.006 for every δ_V from 0.55 to 0.75, with C = 0.1 or 0, with
//! δ_Z = 0.7 or δ_Z = δ_V, and at a_ee = 0.36. At δ_V = 0.65 with the other defaults, λ > 0
//! only for g_Ca ≲ 1.01 (λ ≈ 0.006–0.017 for g_Ca from 0.96 to 1.01; a fixed point at
//! 0.95). TVB's own chaotic example (δ_V = 0.6, a_ee = a_ie = 0.5, g_Na = 0, I = 0.165) is
//! periodic with these equations (λ ≈ 0), and the two-node set of BTF's Neurocomputing
//! companion (a_ei = 0.1, a_ie = 1.0, r_NMDA = 0.2) diverges for a single node. The
//! integration is not the cause (λ unchanged at half the step). Below δ_V ≈ 0.55, where
//! TVB's documentation places a fixed point, the defaults have none (dZ/dt = b(a_ni I +
//! a_ei V Q_V) cannot vanish once Q_V is small at negative V) and V, Z drift without bound
//! (at δ_V = 0.5, V ≈ −140 by t = 3000); with Alstott et al.'s g_Ca = 1.0 a fixed point
//! exists (V ≈ −0.172 at δ_V = 0.55). The defaults stay Table 1's (the spec's anchor value
//! depends on them).

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

    /// BTF 2003 Eqs. 1–5 typed again with Table 1's values, coupling 0, C = `c`, and
    /// g_Ca, a_ee, δ_V, δ_Z given.
    fn rhs_ref(gca: f64, aee: f64, c: f64, dv: f64, dz: f64, y: &[f64]) -> Vec<f64> {
        let g = |x: f64, t: f64, d: f64| 0.5 * (1.0 + ((x - t) / d).tanh());
        let (v, w, z) = (y[0], y[1], y[2]);
        let qv = g(v, 0.0, dv);
        let qz = g(z, 0.0, dz);
        let e = aee * (1.0 - c) * qv;
        vec![
            -(gca + 0.25 * e) * g(v, -0.01, 0.15) * (v - 1.0)
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

    /// The single-node parameter set of Alstott, Breakspear, Hagmann, Cammoun & Sporns (2009,
    /// PLoS Comput. Biol. 5:e1000408), as TVB's documentation lists it ("Table 2"): Table 1's
    /// values except g_Ca = 1.0, a_ee = 0.36 and δ_Z = δ_V; uncoupled (C = 0).
    fn alstott(delta_v: f64) -> LarterBreakspearParams {
        LarterBreakspearParams {
            g_ca: 1.0,
            a_ee: 0.36,
            delta_v,
            delta_z: delta_v,
            coupling_balance: 0.0,
            ..Default::default()
        }
    }

    /// Largest Lyapunov exponent [1/time unit] by two-trajectory renormalisation
    /// (Benettin et al. 1980): a copy displaced by 1e-8 in V, the separation measured and
    /// rescaled to 1e-8 every time unit, for `t_len` time units after a 1000-unit transient.
    fn largest_lyapunov(p: LarterBreakspearParams, t_len: f64) -> f64 {
        let mut a = LarterBreakspearNeuron::with_params(p).unwrap();
        for _ in 0..100_000 {
            a.step(0.0);
        }
        let d0 = 1e-8;
        let mut b = a.clone();
        b.state_mut().v += d0;
        let per = (1.0 / a.span()).round() as usize;
        let n = (t_len / 1.0) as usize;
        let mut sum = 0.0;
        for _ in 0..n {
            for _ in 0..per {
                a.step(0.0);
                b.step(0.0);
            }
            let (sa, sb) = (*a.state(), *b.state());
            let d = [sb.v - sa.v, sb.w - sa.w, sb.z - sa.z];
            let dist = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
            sum += (dist / d0).ln();
            let k = d0 / dist;
            let s = b.state_mut();
            (s.v, s.w, s.z) = (sa.v + k * d[0], sa.w + k * d[1], sa.z + k * d[2]);
        }
        sum / n as f64
    }

    #[test]
    fn chaos_fixed_point_and_cycle_as_delta_v_grows() {
        // BTF 2003 (single node, Fig. 2/text) and TVB's documentation: fixed point for small
        // δ_V, limit cycles above ≈ 0.55, chaos above ≈ 0.59. With Alstott et al.'s (2009)
        // parameters (g_Ca = 1.0, a_ee = 0.36, δ_Z = δ_V) these equations give it: a fixed
        // point at δ_V = 0.55, a cycle at 0.58, chaos at 0.65. Independent C script (RK4 at
        // 0.01 and 0.005, six initial conditions, 10⁴ time units): λ = 0.0094 ± 0.0007 at
        // 0.65, 0.0003 at 0.58 (zero up to the 1/T bias of a finite run), −0.0155 at 0.55.
        let chaos = largest_lyapunov(alstott(0.65), 10_000.0);
        assert!(chaos > 0.006, "δ_V = 0.65: λ = {chaos}");
        let cycle = largest_lyapunov(alstott(0.58), 10_000.0);
        assert!(cycle.abs() < 0.0015, "δ_V = 0.58: λ = {cycle}");
        let fixed = largest_lyapunov(alstott(0.55), 10_000.0);
        assert!(fixed < -0.01, "δ_V = 0.55: λ = {fixed}");
        // The same equations with Table 1's g_Ca = 1.1 (a_ee = 0.4, δ_Z = 0.7; the defaults)
        // are periodic at δ_V = 0.65: g_Ca decides (chaos only for g_Ca ≲ 1.01 there).
        let defaults = largest_lyapunov(LarterBreakspearParams::default(), 10_000.0);
        assert!(defaults.abs() < 0.0015, "defaults: λ = {defaults}");
    }

    /// Max |V − V_ref| over 50 time units: reference RK4 at 0.001 against the model at 0.01.
    fn worst_against_reference(
        n: &mut LarterBreakspearNeuron,
        f: impl Fn(&[f64]) -> Vec<f64>,
    ) -> f64 {
        let r = Reference::rk4(0.001, |_, y: &[f64]| f(y));
        let mut y = vec![0.1, 0.1, 0.1];
        let mut worst: f64 = 0.0;
        for k in 0..5000 {
            let v = n.step(0.0);
            for j in 0..10 {
                y = r.step((k * 10 + j) as f64 * 0.001, &y);
            }
            worst = worst.max((v - y[0]).abs());
        }
        worst
    }

    #[test]
    fn agrees_with_independent_rk4() {
        // The defaults (Table 1, C = 0.1).
        let mut n = LarterBreakspearNeuron::new();
        let worst = worst_against_reference(&mut n, |y| rhs_ref(1.1, 0.4, 0.1, 0.65, 0.7, y));
        assert!(worst < 1e-6, "defaults: max |V - V_ref| = {worst}");
        // Alstott et al.'s chaotic set (the Lyapunov test's), over a horizon short enough
        // that the divergence of nearby trajectories does not matter.
        let mut n = LarterBreakspearNeuron::with_params(alstott(0.65)).unwrap();
        let worst = worst_against_reference(&mut n, |y| rhs_ref(1.0, 0.36, 0.0, 0.65, 0.65, y));
        assert!(worst < 1e-6, "δ_V = 0.65 set: max |V - V_ref| = {worst}");
    }
}
