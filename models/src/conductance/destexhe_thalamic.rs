//! `DestexheThalamicNeuron` — the thalamocortical (TC) relay cell of Destexhe, Bal, McCormick &
//! Sejnowski (1996): Traub-type Na/K, T-type Ca²⁺ current (low-threshold spike), Ca²⁺-regulated
//! h-current, leak and K⁺ leak, with intracellular Ca²⁺.
//!
//! **Equations** (C = 1 µF/cm²). C dV/dt = −I_Na − I_K − I_T − I_h − I_L − I_KL + I + I_syn(V).
//! - I_Na = g_Na m³h(V − E_Na), I_K = g_K n⁴(V − E_K), with u = V − V_T:
//!   α_m = 0.32·lin(u − 13, 4), β_m = 0.28·lin(−(u − 40), 5), α_h = 0.128·e^(−(u − 17)/18),
//!   β_h = 4/(1 + e^(−(u − 40)/5)), α_n = 0.032·lin(u − 15, 5), β_n = 0.5·e^(−(u − 10)/40).
//! - I_T = g_T m_T² h_T (V − E_Ca), with V_s = V + 2 mV (screening-charge shift):
//!   m_T = m_T∞ = 1/(1 + e^(−(V_s + 57)/6.2)) (instantaneous), h_T∞ = 1/(1 + e^((V_s + 81)/4)),
//!   τ_hT = [30.8 + (211.4 + e^((V_s + 113.2)/5))/(1 + e^((V_s + 84)/3.2))]/φ_h,
//!   φ_h = Q10^((T − 24)/10) = 3^1.2 ≈ 3.74; E_Ca = (RT/2F)·ln([Ca]_o/[Ca]_i) (Nernst).
//! - I_h = g_h (o₁ + g_inc·o₂)(V − E_h): closed ⇄ o₁ with α = h∞/τ_s, β = (1 − h∞)/τ_s,
//!   h∞ = 1/(1 + e^((V + 75)/5.5)), τ_s = 20 + 1000/(e^((V + 71.5)/14.2) + e^(−(V + 89)/11.6));
//!   Ca²⁺ binds a protein, p₀ ⇄ p₁ with k₁[Ca]_i⁴ = k₂([Ca]_i/c_ac)⁴ and k₂; the bound protein
//!   locks open channels, o₁ ⇄ o₂ with k₃p₁ = k₄(p₁/P_c) and k₄ (closed c₁ = 1 − o₁ − o₂).
//! - I_L = g_L(V − E_L), I_KL = g_KL(V − E_K).
//! - d[Ca]_i/dt = max(0, −I_T/(2F·d)) + ([Ca]_∞ − [Ca]_i)/τ_Ca (shell depth d = 1 µm; in these
//!   units 10⁴/(2F·d) per mA/cm², i.e. 5.18·10⁻⁵ mM/ms per µA/cm²).
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV), tested after every substep; no reset.
//!
//! **Numerics.** `method = "rk4"` (default): RK4 on (V, m, h, n, h_T, o₁, o₂, p₁, [Ca]_i) in
//! substeps of at most `substep` = 0.02 ms; `"exp_euler"`: exponential Euler (each variable's
//! linear relaxation at frozen voltage) — τ_hT reaches hundreds of ms, which RK4 at 0.02 ms and
//! exponential Euler both handle. Forward Euler is refused. A standalone step spans `span` =
//! 0.1 ms, as SC-NeuroCore's step.
//!
//! **Units.** V in mV, I in µA/cm², g in mS/cm², concentrations in mM, t in ms.
//!
//! **References.** Destexhe, A., Bal, T., McCormick, D.A. & Sejnowski, T.J. (1996) Ionic
//! mechanisms underlying synchronized oscillations and propagating waves in a model of ferret
//! thalamic slices. J. Neurophysiol. 76:2049–2070, doi:10.1152/jn.1996.76.3.2049; T-current data
//! of Huguenard & McCormick (1992) J. Neurophysiol. 68:1373–1383. Constants from the authors'
//! ModelDB code (accession 3343: `TC.tem`, `IT.mod`; the `iar` h-current mechanism of the same
//! model family, whose parameters `TC.tem` overrides): V_T = −25 mV, g_Na = 90, g_K = 10,
//! g_T = 2, g_h = 0.02, g_L = 0.01, g_KL = 0.004 µS / 0.29 (mS/cm²)/µS ≈ 0.0138 mS/cm²,
//! E_K = −100, E_Na = 50, E_L = −70, E_h = −40 mV, [Ca]_o = 2 mM, [Ca]_∞ = 2.4·10⁻⁴ mM,
//! τ_Ca = 5 ms, d = 1 µm, c_ac = 0.002 mM, k₂ = 0.0004/ms, P_c = 0.01, k₄ = 0.001/ms,
//! g_inc = 2, 4 Ca²⁺ binding sites, 1 protein binding site, T = 36 °C.
//!
//! **Added state** (beyond SC-NeuroCore's `v, h_na, n_k, m_t, h_t`): `m_na` (Na activation,
//! integrated as in the paper's Traub kinetics), `o1`, `o2`, `p1` (h-channel open, locked-open
//! and Ca²⁺-bound-protein fractions) and `ca_i` (intracellular Ca²⁺ [mM]).
//!
//! **Relation to SC-NeuroCore** (spec §5). SC-NeuroCore's interface is kept (`step(current)`,
//! 0.1 ms per call, state `v, h_na, n_k, m_t, h_t` with its initial values; `m_t` holds
//! m_T∞(V) after every substep). The dynamics are the paper's, not SC-NeuroCore's:
//! (a) τ_hT is the paper's smooth function (SC-NeuroCore multiplies 211.4 by the exponential,
//! uses 10 ms above −81 mV, omits the +2 mV shift and the Q10 factor 3.74); (b) m_T∞ has slope
//! 6.2 and the shift (SC-NeuroCore: 6.5, no shift); (c) the Ca²⁺-regulated I_h, the K⁺ leak
//! and intracellular Ca²⁺ are added; (d) Na/K are Traub's α/β kinetics with V_T = −25 mV and an
//! integrated m (SC-NeuroCore: ad-hoc m∞/h∞/n∞); (e) defaults are the paper's TC cell
//! (g_Na 90, E_K −100, g_L 0.01) instead of 100/−90/0.05; (f) E_Ca follows [Ca]_i by Nernst,
//! so SC-NeuroCore's fixed `e_ca` parameter is replaced by `ca_o` (it gives ≈ 120 mV at rest);
//! (g) RK4 or exponential Euler with detection on every substep, instead of forward Euler with
//! detection per call; the substep parameter is named `substep` (SC-NeuroCore: `dt`).
//!
//! **Paper facts tested** (Destexhe et al. 1996; McCormick & Huguenard 1992 J. Neurophysiol.
//! 68:1384). Release from a hyperpolarisation that holds V below −75 mV for 500 ms produces a
//! rebound low-threshold spike crowned by a burst of fast spikes (ISIs of a few ms) within
//! tens of ms — absent without I_T; from a depolarised baseline a step gives tonic firing.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`DestexheThalamicNeuron`].
    pub struct DestexheThalamicParams {
        /// Maximal sodium conductance, g_Na [mS/cm²].
        g_na: f64 = 90.0,
        /// Maximal delayed-rectifier potassium conductance, g_K [mS/cm²].
        g_k: f64 = 10.0,
        /// Maximal T-type calcium conductance, g_T [mS/cm²].
        g_t: f64 = 2.0,
        /// Maximal h-current conductance, g_h [mS/cm²].
        g_h: f64 = 0.02,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.01,
        /// Potassium leak conductance, g_KL [mS/cm²].
        g_kl: f64 = 0.004 / 0.29,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 50.0,
        /// Potassium reversal potential (K-DR and K leak), E_K [mV].
        e_k: f64 = -100.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -70.0,
        /// h-current reversal potential, E_h [mV].
        e_h: f64 = -40.0,
        /// Threshold offset of the Na/K kinetics, V_T [mV].
        v_t: f64 = -25.0,
        /// Screening-charge shift of the T-current kinetics [mV].
        shift_t: f64 = 2.0,
        /// Q10 of T-current inactivation (from 24 °C) [1].
        q10_t: f64 = 3.0,
        /// Temperature [°C].
        celsius: f64 = 36.0,
        /// Extracellular calcium, [Ca]_o [mM].
        ca_o: f64 = 2.0,
        /// Resting intracellular calcium, [Ca]_∞ [mM].
        ca_inf: f64 = 2.4e-4,
        /// Calcium removal time constant, τ_Ca [ms].
        tau_ca: f64 = 5.0,
        /// Depth of the submembrane calcium shell, d [µm].
        depth: f64 = 1.0,
        /// Half-activation of Ca²⁺ binding to the h-regulating protein, c_ac [mM].
        cac: f64 = 0.002,
        /// Unbinding rate of Ca²⁺ from the protein, k₂ [1/ms].
        k2: f64 = 0.0004,
        /// Half-activation of protein binding to h-channels, P_c [1].
        pc: f64 = 0.01,
        /// Unbinding rate of the protein from h-channels, k₄ [1/ms].
        k4: f64 = 0.001,
        /// Conductance factor of protein-bound (locked-open) h-channels, g_inc [1].
        ginc: f64 = 2.0,
        /// Largest internal integration step [ms].
        substep: f64 = 0.02,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl DestexheThalamicParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, g) in [
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_t", self.g_t),
            ("g_h", self.g_h),
            ("g_l", self.g_l),
            ("g_kl", self.g_kl),
            ("ginc", self.ginc),
        ] {
            check::non_negative(n, g)?;
        }
        for (n, x) in [
            ("q10_t", self.q10_t),
            ("ca_o", self.ca_o),
            ("ca_inf", self.ca_inf),
            ("tau_ca", self.tau_ca),
            ("depth", self.depth),
            ("cac", self.cac),
            ("k2", self.k2),
            ("pc", self.pc),
            ("k4", self.k4),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        check::in_range("celsius", self.celsius, -273.15, 100.0)?;
        check_method(
            "method",
            self.method,
            &[Method::Rk4, Method::ExpEuler],
            "forward Euler is unstable for Hodgkin-Huxley kinetics",
        )?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`DestexheThalamicNeuron`].
    pub struct DestexheThalamicState {
        /// Membrane potential, V [mV].
        v: f64 => DtV,
        /// Na inactivation, h [1].
        h_na: f64 => DtHNa,
        /// K-DR activation, n [1].
        n_k: f64 => DtNK,
        /// T-current activation, m_T = m_T∞(V) (algebraic) [1].
        m_t: f64 => DtMT,
        /// T-current inactivation, h_T [1].
        h_t: f64 => DtHT,
        /// Na activation, m [1].
        m_na: f64 => DtMNa,
        /// Open h-channels, o₁ [1].
        o1: f64 => DtO1,
        /// Locked-open (protein-bound) h-channels, o₂ [1].
        o2: f64 => DtO2,
        /// Ca²⁺-bound regulating protein, p₁ [1].
        p1: f64 => DtP1,
        /// Intracellular calcium, [Ca]_i [mM].
        ca_i: f64 => DtCaI,
    }
}

/// Constants of [`DestexheThalamicNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct DestexheThalamicConsts {
    p: DestexheThalamicParams,
    n: u32,
    h: f64,
    /// 1/φ_h.
    inv_phi: f64,
    /// RT/2F [mV].
    rt_2f: f64,
    /// Ca²⁺ influx per unit inward current, 10⁴/(2F·d)·10⁻³ [mM/ms per µA/cm²].
    ca_per_i: f64,
}

/// Faraday constant [C/mol].
const FARADAY: f64 = 96_485.332;
/// Gas constant [J/(mol·K)].
const GAS_R: f64 = 8.314_462_6;

/// m_T∞ at `v` for screening shift `shift`.
#[inline(always)]
fn m_t_inf(v: f64, shift: f64) -> f64 {
    1.0 / (1.0 + exp(-(v + shift + 57.0) / 6.2))
}

/// The membrane at `y = [V, m, h, n, h_T, o₁, o₂, p₁, Ca]`.
#[inline(always)]
fn dt_currents(k: &DestexheThalamicConsts, y: &[f64; 9]) -> Currents<9> {
    let p = &k.p;
    let [v, m, h, n, ht, o1, o2, p1, ca] = *y;
    let u = v - p.v_t;
    let am = 0.32 * lin(u - 13.0, 4.0);
    let bm = 0.28 * lin(-(u - 40.0), 5.0);
    let ah = 0.128 * exp(-(u - 17.0) / 18.0);
    let bh = 4.0 / (1.0 + exp(-(u - 40.0) / 5.0));
    let an = 0.032 * lin(u - 15.0, 5.0);
    let bn = 0.5 * exp(-(u - 10.0) / 40.0);
    // T-current.
    let vs = v + p.shift_t;
    let mt = m_t_inf(v, p.shift_t);
    let ht_inf = 1.0 / (1.0 + exp((vs + 81.0) / 4.0));
    let tau_ht =
        (30.8 + (211.4 + exp((vs + 113.2) / 5.0)) / (1.0 + exp((vs + 84.0) / 3.2))) * k.inv_phi;
    let e_ca = k.rt_2f * (p.ca_o / ca).ln();
    // h-current.
    let h_inf = 1.0 / (1.0 + exp((v + 75.0) / 5.5));
    let tau_s = 20.0 + 1000.0 / (exp((v + 71.5) / 14.2) + exp(-(v + 89.0) / 11.6));
    let (alpha, beta) = (h_inf / tau_s, (1.0 - h_inf) / tau_s);
    let r = ca / p.cac;
    let r2 = r * r;
    let k1 = p.k2 * r2 * r2;
    let k3 = p.k4 * p1 / p.pc;
    // Conductances.
    let gna = p.g_na * m * m * m * h;
    let n2 = n * n;
    let gk = p.g_k * n2 * n2;
    let gt = p.g_t * mt * mt * ht;
    let gh = p.g_h * (o1 + p.ginc * o2);
    let i_t = gt * (v - e_ca);
    // Linear relaxations dx/dt = a − b·x written as gates (α = a, β = b − a).
    let lin_gate = |a: f64, b: f64| Gate::rates(a, b - a);
    let o1_a = alpha * (1.0 - o2) + p.k4 * o2;
    let influx = (-k.ca_per_i * i_t).max(0.0);
    Currents {
        i_ion: gna * (v - p.e_na)
            + (gk + p.g_kl) * (v - p.e_k)
            + i_t
            + gh * (v - p.e_h)
            + p.g_l * (v - p.e_l),
        g: gna + gk + p.g_kl + gt + gh + p.g_l,
        ge: gna * p.e_na + (gk + p.g_kl) * p.e_k + gt * e_ca + gh * p.e_h + p.g_l * p.e_l,
        gates: [
            Gate::FROZEN,
            Gate::rates(am, bm),
            Gate::rates(ah, bh),
            Gate::rates(an, bn),
            Gate::relax(ht_inf, tau_ht),
            lin_gate(o1_a, alpha + beta + k3),
            lin_gate(k3 * o1, p.k4),
            Gate::rates(k1, p.k2),
            lin_gate(influx + p.ca_inf / p.tau_ca, 1.0 / p.tau_ca),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn dt_substep<const M: u8>(
    k: &DestexheThalamicConsts,
    s: &mut DestexheThalamicState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.m_na, s.h_na, s.n_k, s.h_t, s.o1, s.o2, s.p1, s.ca_i];
    conductance_substep::<9, M>(
        &mut y,
        k.h,
        1.0,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| dt_currents(k, y),
    );
    [s.v, s.m_na, s.h_na, s.n_k, s.h_t, s.o1, s.o2, s.p1, s.ca_i] = y;
    s.m_t = m_t_inf(s.v, p.shift_t);
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Destexhe et al. (1996) thalamocortical relay cell (I_T, Ca²⁺-regulated I_h, Traub Na/K).
pub struct DestexheThalamicNeuron;
}

impl DestexheThalamicNeuron {
    /// Advance one step (0.1 ms by default) with injected current density `current` [µA/cm²];
    /// `true` if the membrane crossed the threshold upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for DestexheThalamicNeuron {
    const NAME: &'static str = "DestexheThalamicNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str = "Destexhe et al. 1996 thalamocortical relay cell (T-current rebound bursts, Ca-regulated Ih)";
    const REFERENCE: &'static str = "Destexhe, Bal, McCormick & Sejnowski 1996, J Neurophysiol 76:2049, doi:10.1152/jn.1996.76.3.2049";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = DestexheThalamicParams;
    type State = DestexheThalamicState;
    type Consts = DestexheThalamicConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &DestexheThalamicParams) -> DestexheThalamicState {
        DestexheThalamicState {
            v: -65.0,
            h_na: 0.6,
            n_k: 0.3,
            m_t: 0.0,
            h_t: 1.0,
            m_na: 0.0,
            o1: 0.0,
            o2: 0.0,
            p1: 0.0,
            ca_i: p.ca_inf,
        }
    }
    fn standalone_span(p: &DestexheThalamicParams) -> f64 {
        p.span
    }
    fn prepare(p: &DestexheThalamicParams, span: f64) -> DestexheThalamicConsts {
        let (n, h) = substeps(span, p.substep);
        DestexheThalamicConsts {
            p: p.clone(),
            n,
            h,
            inv_phi: 1.0 / q10(p.q10_t, p.celsius, 24.0),
            rt_2f: 1e3 * GAS_R * (p.celsius + 273.15) / (2.0 * FARADAY),
            ca_per_i: 1e4 / (2.0 * FARADAY * p.depth) * 1e-3,
        }
    }
    #[inline(always)]
    fn update(
        k: &DestexheThalamicConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &DestexheThalamicConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for DestexheThalamicNeuron {
    fn method(k: &DestexheThalamicConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &DestexheThalamicConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &DestexheThalamicConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        dt_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, cv, isis, late_rate_hz, spike_times};

    /// Protocol: 1000 ms at `base`, `hyp_ms` at `hyp`, then `post_ms` at `post` (steps of
    /// 0.1 ms); spike times [ms] of the last phase, relative to its start.
    fn protocol(
        p: DestexheThalamicParams,
        base: f64,
        hyp: f64,
        hyp_ms: f64,
        post: f64,
        post_ms: f64,
    ) -> Vec<f64> {
        let mut n = DestexheThalamicNeuron::with_params(p).unwrap();
        let (a, b) = (10_000, 10_000 + (hyp_ms * 10.0) as usize);
        let total = b + (post_ms * 10.0) as usize;
        spike_times(&mut n, total, |k| {
            [if k < a {
                base
            } else if k < b {
                hyp
            } else {
                post
            }]
        })
        .into_iter()
        .filter(|&t| t >= b as f64 * 0.1)
        .map(|t| t - b as f64 * 0.1)
        .collect()
    }

    #[test]
    fn t_inactivation_time_constant_is_the_papers() {
        // Destexhe et al. 1996 / ModelDB 3343 IT.mod at V = −80 mV (V_s = −78), 36 °C:
        // τ = [30.8 + (211.4 + e^(35.2/5))/(1 + e^(6/3.2))]/3^1.2.
        let phi = 3f64.powf(1.2);
        let want = (30.8 + (211.4 + (35.2f64 / 5.0).exp()) / (1.0 + (6.0f64 / 3.2).exp())) / phi;
        let k = DestexheThalamicNeuron::prepare(&DestexheThalamicParams::default(), 0.1);
        let c = dt_currents(&k, &[-80.0, 0.0, 0.5, 0.3, 0.5, 0.0, 0.0, 0.0, 2.4e-4]);
        let g = c.gates[4];
        assert!(
            (1.0 / (g.alpha + g.beta) - want).abs() < 1e-9 * want,
            "{want}"
        );
        assert!((phi - 3.737_192_818_846_552).abs() < 1e-12);
    }

    #[test]
    fn rebound_burst_after_hyperpolarisation_needs_the_t_current() {
        let p = DestexheThalamicParams::default();
        // Hyperpolarised below −75 mV for 500 ms, then released to 0.
        let mut n = DestexheThalamicNeuron::new();
        for _ in 0..10_000 {
            n.step(0.0);
        }
        for _ in 0..5_000 {
            n.step(-1.0);
        }
        assert!(n.state().v < -75.0, "held at {}", n.state().v);
        let burst = protocol(p.clone(), 0.0, -1.0, 500.0, 0.0, 300.0);
        // A burst of fast spikes riding the LTS within tens of ms (Destexhe et al. 1996).
        assert!((2..=10).contains(&burst.len()), "rebound {burst:?}");
        assert!(burst.iter().all(|&t| t < 60.0), "rebound {burst:?}");
        assert!(isis(&burst)[0] < 8.0, "rebound {burst:?}");
        // Without I_T there is no rebound.
        let none = protocol(
            DestexheThalamicParams { g_t: 0.0, ..p },
            0.0,
            -1.0,
            500.0,
            0.0,
            300.0,
        );
        assert!(none.is_empty(), "g_T = 0: {none:?}");
    }

    #[test]
    fn tonic_firing_from_a_depolarised_baseline() {
        // No preceding hyperpolarisation: I_T is inactivated, a step gives regular single spikes.
        let t = protocol(DestexheThalamicParams::default(), 0.0, 3.0, 0.0, 3.0, 500.0);
        let i = isis(&t);
        assert!(t.len() >= 10, "{t:?}");
        assert!(
            i.iter().all(|&d| d > 10.0) && cv(&i) < 0.1,
            "tonic ISIs {i:?}"
        );
    }

    /// The published equations (IT.mod, iar, HH2 of ModelDB 3343 with TC.tem's values) typed
    /// again.
    fn rhs(i: f64) -> impl Fn(f64, &[f64]) -> Vec<f64> {
        move |_t, y| {
            let (v, m, h, n, ht, o1, o2, p1, ca) =
                (y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7], y[8]);
            let u = v + 25.0;
            let am = 0.32 * (13.0 - u) / (((13.0 - u) / 4.0).exp() - 1.0);
            let bm = 0.28 * (u - 40.0) / (((u - 40.0) / 5.0).exp() - 1.0);
            let ah = 0.128 * ((17.0 - u) / 18.0).exp();
            let bh = 4.0 / (1.0 + ((40.0 - u) / 5.0).exp());
            let an = 0.032 * (15.0 - u) / (((15.0 - u) / 5.0).exp() - 1.0);
            let bn = 0.5 * ((10.0 - u) / 40.0).exp();
            let vs = v + 2.0;
            let mt = 1.0 / (1.0 + (-(vs + 57.0) / 6.2).exp());
            let hti = 1.0 / (1.0 + ((vs + 81.0) / 4.0).exp());
            let tht = (30.8
                + (211.4 + ((vs + 113.2) / 5.0).exp()) / (1.0 + ((vs + 84.0) / 3.2).exp()))
                / 3f64.powf(1.2);
            let eca = 8.314_462_6 * 309.15 / (2.0 * 96_485.332) * 1e3 * (2.0 / ca).ln();
            let hi = 1.0 / (1.0 + ((v + 75.0) / 5.5).exp());
            let ts = 20.0 + 1000.0 / (((v + 71.5) / 14.2).exp() + (-(v + 89.0) / 11.6).exp());
            let k1 = 0.0004 * (ca / 0.002).powi(4);
            let k3 = 0.001 * p1 / 0.01;
            let it = 2.0 * mt * mt * ht * (v - eca);
            let drive = (-1e4 * it * 1e-3 / (2.0 * 96_485.332)).max(0.0);
            vec![
                -90.0 * m.powi(3) * h * (v - 50.0)
                    - 10.0 * n.powi(4) * (v + 100.0)
                    - it
                    - 0.02 * (o1 + 2.0 * o2) * (v + 40.0)
                    - 0.01 * (v + 70.0)
                    - 0.004 / 0.29 * (v + 100.0)
                    + i,
                am * (1.0 - m) - bm * m,
                ah * (1.0 - h) - bh * h,
                an * (1.0 - n) - bn * n,
                (hti - ht) / tht,
                hi / ts * (1.0 - o1 - o2) - (1.0 - hi) / ts * o1 - k3 * o1 + 0.001 * o2,
                k3 * o1 - 0.001 * o2,
                k1 * (1.0 - p1) - 0.0004 * p1,
                drive + (2.4e-4 - ca) / 5.0,
            ]
        }
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        let y0 = [-65.0, 0.0, 0.6, 0.3, 1.0, 0.0, 0.0, 0.0, 2.4e-4];
        let r = Reference::rk4(0.005, rhs(3.0)).run(&y0, 300.0, 0, -20.0).1;
        assert!(r.len() > 8);
        let mut n = DestexheThalamicNeuron::new();
        let m = spike_times(&mut n, 3000, |_| [3.0]);
        assert_eq!(m.len(), r.len(), "{m:?} vs {r:?}");
        for (a, b) in m.iter().zip(&r) {
            assert!(*a <= b + 1e-6 && b - a <= 0.1 + 1e-6, "{a} vs {b}");
        }
        let mut p = DestexheThalamicParams::default();
        p.set_text("method", "exp_euler").unwrap();
        let mut n = DestexheThalamicNeuron::with_params(p).unwrap();
        // First-order exponential Euler at 0.02 ms: the initial burst's spike count and the
        // tonic ISI within 5 %.
        let e = spike_times(&mut n, 3000, |_| [3.0]);
        let burst = |t: &[f64]| isis(t).iter().take_while(|&&d| d < 10.0).count();
        assert_eq!(burst(&e), burst(&r), "exp_euler {e:?} vs {r:?}");
        let (ie, ir) = (late_rate_hz(&e, 5), late_rate_hz(&r, 5));
        assert!((ie / ir - 1.0).abs() < 0.05, "exp_euler {ie} Hz vs {ir} Hz");
    }
}
