//! `HayL5PyramidalNeuron` — a three-compartment (soma, apical trunk, apical tuft) reduction of
//! the Hay et al. (2011) layer-5b thick-tufted pyramidal cell, with the paper's channel kinetics
//! (ModelDB 139653 `.mod` files) on the compartment structure of the specification.
//!
//! **Equations.** Per unit membrane of each compartment (area fractions p_s, p_t, p_a;
//! coupling conductances g_st, g_ta are per unit *total* membrane, hence the division by p):
//! C_s dV_s/dt = −ḡ_Na m∞³h (V_s − E_Na) − ḡ_Kv3.1 n (V_s − E_K) − g_L,s (V_s − E_pas)
//!               + g_st (V_t − V_s)/p_s + (I_s + I_syn(V_s))/p_s;
//! C_d dV_t/dt = −ḡ_CaLVA m²h (V_t − E_Ca) − ḡ_h m_h (V_t − E_h) − g_L,d (V_t − E_pas)
//!               + g_st (V_s − V_t)/p_t + g_ta (V_a − V_t)/p_t;
//! C_d dV_a/dt = −ḡ_CaHVA m_HVA∞² (V_a − E_Ca) − ḡ_SK z∞([Ca]) (V_a − E_K) − g_L,d (V_a − E_pas)
//!               + g_ta (V_t − V_a)/p_a + I_a/p_a;
//! d[Ca]/dt = −k_Ca·I_CaHVA − ([Ca] − [Ca]_min)/τ_Ca, k_Ca = 10·γ/(2F·depth) [mM/ms per µA/cm², depth in µm]
//! (the paper's 10⁴·γ/(2F·depth) per mA/cm²).
//!
//! Kinetics (Hay et al. 2011, ModelDB 139653; V in mV, rates in 1/ms, q_t = 2.3^((34−21)/10)):
//! * NaTa_t: α_m = 0.182·lin(V+38, 6), β_m = 0.124·lin(−(V+38), 6), m = m∞ = α_m/(α_m+β_m);
//!   α_h = 0.015·lin(−(V+66), 6), β_h = 0.015·lin(V+66, 6), dh/dt = q_t(α_h(1−h) − β_h h).
//! * SKv3_1: n∞ = 1/(1 + e^(−(V−18.7)/9.7)), τ_n = 4/(1 + e^(−(V+46.56)/44.14)).
//! * Ca_LVAst (u = V + 10): m∞ = 1/(1 + e^(−(u+30)/6)), τ_m = (5 + 20/(1 + e^((u+25)/5)))/q_t;
//!   h∞ = 1/(1 + e^((u+80)/6.4)), τ_h = (20 + 50/(1 + e^((u+40)/7)))/q_t.
//! * Ih (Kole et al. 2006): α = 0.00643·lin(−(V+154.9), 11.9), β = 0.193·e^(V/33.1).
//! * Ca_HVA: α_m = 0.055·lin(V+27, 3.8), β_m = 0.94·e^(−(V+75)/17), activation instantaneous.
//! * SK_E2: z∞ = 1/(1 + (0.00043/([Ca] + 10⁻⁷))^4.8) (the paper's τ_z = 1 ms is dropped).
//! * CaDynamics_E2 (apical): γ = 0.000509, τ_Ca = 122 ms, depth 0.1 µm, [Ca]_min = 10⁻⁴ mM.
//!
//! **Spike.** Upward crossing of `v_threshold` (−30 mV) by V_s, tested after every substep.
//!
//! **Numerics.** Classical RK4 on all nine variables in substeps of at most `dt` = 0.002 ms;
//! gates clamped to [0, 1] and [Ca] to ≥ 0 after each substep. The paper's somatic
//! densities (Na 2040, Kv3.1 693 mS/cm² at C = 1 µF/cm²) make the soma stiff: explicit RK4 is
//! unstable above ~0.005 ms during a spike, so the specification's 0.025-ms substep is not
//! used. A standalone step spans `span` = 0.1 ms, as SC-NeuroCore's step.
//!
//! **Units.** V in mV, currents in µA/cm² of *total* membrane (divided by p_s or p_a, as in the
//! specification), g in mS/cm², C in µF/cm², [Ca] in mM, t in ms.
//!
//! **Reference.** Hay, E., Hill, S., Schürmann, F., Markram, H. & Segev, I. (2011) Models of
//! neocortical layer 5b pyramidal cells capturing a wide range of dendritic and perisomatic
//! active properties. PLoS Comput. Biol. 7(7):e1002107, doi:10.1371/journal.pcbi.1002107
//! (kinetics and densities: ModelDB 139653, `L5PCbiophys3.hoc` and `mod/*.mod`).
//!
//! **Relation to SC-NeuroCore** (spec §22). Kept: class name, `step(current_soma,
//! current_tuft)`, the nine state names and their initial values, the compartment structure
//! (soma / trunk / tuft with area fractions 0.15 / 0.25 / 0.60, coupling 1.5 and 0.8 mS/cm²),
//! currents per total membrane divided by p, 0.1 ms per step, spike at −30 mV, E_Na 50, E_K
//! −85, E_h −45 mV. The paper replaces SC-NeuroCore's invented kinetics:
//! * soma: NaTa_t (m∞³h, 2040 mS/cm²) and Kv3.1 (single gate n, 693 mS/cm²) — SC-NeuroCore has
//!   an n⁴ K current of 40 mS/cm² and Na of 300 mS/cm² with invented curves; `h_na` and `n_k`
//!   are the paper's NaTa_t h and SKv3_1 m; leak 0.0338 mS/cm² at E_pas = −90 mV (SC-NeuroCore
//!   0.03 at −75);
//! * trunk: Ca_LVAst (m²h, the paper's kinetics with q_t; 3.9 mS/cm², the paper's 18.7 mS/cm²
//!   hot zone (685–885 µm) plus 1 % of it elsewhere, averaged over a ~1000-µm trunk — with the
//!   full hot-zone density on the whole compartment the trunk's Ca plateau drives the soma into
//!   depolarization block above ~4 µA/cm²) and Ih
//!   (Kole 2006 α/β, 2.0 mS/cm², about the paper's exponential density half-way up the trunk)
//!   instead of SC-NeuroCore's constant-τ gates; apical C = 2 µF/cm² and leak 0.0589 mS/cm²;
//! * tuft: Ca_HVA with the paper's activation curve (hot-zone density, instantaneous, as
//!   SC-NeuroCore keeps it) and SK_E2 with the paper's Hill curve (K_d 0.43 µM, n = 4.8)
//!   instead of Ca/(Ca + 1 µM); the Ca pool is the paper's CaDynamics_E2 (γ, depth, 122 ms,
//!   relaxing to 10⁻⁴ mM) instead of f_ca·I and a 200-ms decay to 0.
//!
//! Departures from the paper forced by the nine-variable structure (not SC-NeuroCore's choices):
//! no morphology (three isopotential compartments), no dendritic Na (no active
//! back-propagation), no Nap, K_P, K_T, Im, somatic SK/Ca or somatic Ih; Ca_HVA activation and
//! SK activation are instantaneous and Ca_HVA inactivation (τ ≥ 150 ms) is omitted; E_Ca is a
//! fixed 140 mV (the paper's Nernst value is ≈ 131 mV at rest). The temperature factor q_t
//! (34 °C, Q10 2.3 from 21 °C) is applied only where the paper's `.mod` files apply it (NaTa_t,
//! Ca_LVAst).
//!
//! **Paper facts tested.** Somatic current steps give regular firing whose rate rises with the
//! current from an onset rate of ~13 Hz, within the range of the L5b f–I curves of Hay et al.
//! 2011 (Fig. 2B, ~5–25 Hz over the tested steps; the mapping of nA to µA/cm² of the
//! reduction is not defined, so only the onset rates are compared); a strong tuft current evokes a dendritic Ca²⁺ spike
//! (tuft above −20 mV for ≥ 10 ms) that drives a burst of somatic spikes, while a weaker one
//! does not (all-or-none, Larkum et al. 1999; Hay et al. 2011 Figs. 1, 5); a somatic AP
//! paired with a tuft input just below that threshold evokes the Ca spike and a burst (the
//! coincidence of BAC firing; in this reduction only in a narrow window of tuft amplitudes);
//! results match an independent RK4 integration of the equations above. The paper's BAC
//! numbers (distal input alone: no AP; pairing: 2–3 APs) are not reproduced — the tuft input
//! alone gives one AP and the burst has 6–7 APs — and that test is `#[ignore]`d.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`HayL5PyramidalNeuron`].
    pub struct HayL5PyramidalParams {
        /// Somatic transient Na (NaTa_t) density, ḡ_Na [mS/cm²].
        g_na: f64 = 2040.0,
        /// Somatic Kv3.1 (SKv3_1) density, ḡ_K [mS/cm²].
        g_k: f64 = 693.0,
        /// Somatic leak conductance, g_L,s [mS/cm²].
        g_l_s: f64 = 0.0338,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 50.0,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -85.0,
        /// Leak (passive) reversal potential, E_pas [mV].
        e_l: f64 = -90.0,
        /// Trunk low-voltage-activated Ca (Ca_LVAst) density, ḡ_CaLVA [mS/cm²].
        g_ca_t: f64 = 3.9,
        /// Trunk Ih density, ḡ_h [mS/cm²].
        g_ih: f64 = 2.0,
        /// Trunk leak conductance, g_L,t [mS/cm²].
        g_l_t: f64 = 0.0589,
        /// Calcium reversal potential, E_Ca [mV].
        e_ca: f64 = 140.0,
        /// Ih reversal potential, E_h [mV].
        e_ih: f64 = -45.0,
        /// Tuft high-voltage-activated Ca (Ca_HVA) density, ḡ_CaHVA [mS/cm²].
        g_ca_a: f64 = 0.555,
        /// Tuft SK (SK_E2) density, ḡ_SK [mS/cm²].
        g_kca: f64 = 1.2,
        /// Tuft leak conductance, g_L,a [mS/cm²].
        g_l_a: f64 = 0.0589,
        /// Soma–trunk coupling per unit total membrane, g_st [mS/cm²].
        g_st: f64 = 1.5,
        /// Trunk–tuft coupling per unit total membrane, g_ta [mS/cm²].
        g_ta: f64 = 0.8,
        /// Somatic area fraction, p_s [1].
        p_s: f64 = 0.15,
        /// Trunk area fraction, p_t [1].
        p_t: f64 = 0.25,
        /// Tuft area fraction, p_a [1].
        p_a: f64 = 0.60,
        /// Tuft Ca removal time constant, τ_Ca [ms].
        ca_decay: f64 = 122.0,
        /// Free (unbuffered) Ca fraction of the tuft shell, γ [1].
        ca_gamma: f64 = 0.000509,
        /// Depth of the submembrane Ca shell [µm].
        ca_depth: f64 = 0.1,
        /// Resting (minimum) tuft Ca concentration, [Ca]_min [mM].
        ca_min: f64 = 0.0001,
        /// Somatic capacitance, C_s [µF/cm²].
        c_m: f64 = 1.0,
        /// Apical (trunk and tuft) capacitance, C_d [µF/cm²].
        c_m_d: f64 = 2.0,
        /// Temperature factor of NaTa_t and Ca_LVAst kinetics, q_t = 2.3^((34−21)/10) [1].
        q_t: f64 = 2.951_209_226_666_384,
        /// Largest internal RK4 substep, dt [ms].
        dt: f64 = 0.002,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
        /// Somatic spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -30.0,
    }
}

impl HayL5PyramidalParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, g) in [
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_l_s", self.g_l_s),
            ("g_ca_t", self.g_ca_t),
            ("g_ih", self.g_ih),
            ("g_l_t", self.g_l_t),
            ("g_ca_a", self.g_ca_a),
            ("g_kca", self.g_kca),
            ("g_l_a", self.g_l_a),
            ("g_st", self.g_st),
            ("g_ta", self.g_ta),
            ("ca_gamma", self.ca_gamma),
            ("ca_min", self.ca_min),
        ] {
            check::non_negative(n, g)?;
        }
        for (n, x) in [("p_s", self.p_s), ("p_t", self.p_t), ("p_a", self.p_a)] {
            check::in_range(n, x, 1e-6, 1.0)?;
        }
        for (n, x) in [
            ("ca_decay", self.ca_decay),
            ("ca_depth", self.ca_depth),
            ("c_m", self.c_m),
            ("c_m_d", self.c_m_d),
            ("q_t", self.q_t),
            ("dt", self.dt),
        ] {
            check::positive(n, x)?;
        }
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`HayL5PyramidalNeuron`].
    pub struct HayL5PyramidalState {
        /// Somatic potential, V_s [mV].
        v_s: f64 => HayVs,
        /// Somatic NaTa_t inactivation, h [1].
        h_na: f64 => HayHNa,
        /// Somatic Kv3.1 activation, n [1].
        n_k: f64 => HayNK,
        /// Trunk potential, V_t [mV].
        v_t: f64 => HayVt,
        /// Trunk Ca_LVAst activation, m [1].
        m_ca: f64 => HayMCa,
        /// Trunk Ca_LVAst inactivation, h [1].
        h_ca: f64 => HayHCa,
        /// Trunk Ih activation, m_h [1].
        m_ih: f64 => HayMIh,
        /// Tuft potential, V_a [mV].
        v_a: f64 => HayVa,
        /// Tuft submembrane Ca concentration, [Ca] [mM].
        ca_a: f64 => HayCaA,
    }
}

/// Constants of [`HayL5PyramidalNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct HayL5PyramidalConsts {
    p: HayL5PyramidalParams,
    /// Ca influx per unit inward Ca current density, 10γ/(2F·depth) [mM/ms per µA/cm²].
    k_ca: f64,
    n: u32,
    h: f64,
}

/// Faraday constant [C/mol] (the NMODL value used by ModelDB 139653).
const FARADAY: f64 = 96485.309;

/// Right-hand side of the nine equations.
#[inline(always)]
fn rhs(
    k: &HayL5PyramidalConsts,
    y: &[f64; 9],
    i_s: f64,
    i_a: f64,
    x: &Input<[f64; 2]>,
) -> [f64; 9] {
    let p = &k.p;
    let [vs, h, n, vt, mc, hc, mih, va, ca] = *y;
    // Soma: NaTa_t, SKv3_1, leak.
    let am = 0.182 * lin(vs + 38.0, 6.0);
    let bm = 0.124 * lin(-(vs + 38.0), 6.0);
    let m = am / (am + bm);
    let ah = 0.015 * lin(-(vs + 66.0), 6.0);
    let bh = 0.015 * lin(vs + 66.0, 6.0);
    let n_inf = boltzmann(vs, 18.7, 9.7);
    let tau_n = 4.0 / (1.0 + exp(-(vs + 46.56) / 44.14));
    // Trunk: Ca_LVAst (shifted by +10 mV), Ih.
    let u = vt + 10.0;
    let mc_inf = boltzmann(u, -30.0, 6.0);
    let tau_mc = (5.0 + 20.0 / (1.0 + exp((u + 25.0) / 5.0))) / p.q_t;
    let hc_inf = 1.0 / (1.0 + exp((u + 80.0) / 6.4));
    let tau_hc = (20.0 + 50.0 / (1.0 + exp((u + 40.0) / 7.0))) / p.q_t;
    let a_ih = 0.00643 * lin(-(vt + 154.9), 11.9);
    let b_ih = 0.193 * exp(vt / 33.1);
    // Tuft: Ca_HVA (instantaneous activation), SK_E2 (instantaneous), Ca shell.
    let a_hva = 0.055 * lin(va + 27.0, 3.8);
    let b_hva = 0.94 * exp(-(va + 75.0) / 17.0);
    let m_hva = a_hva / (a_hva + b_hva);
    let z = 1.0 / (1.0 + (0.00043 / (ca + 1e-7)).powf(4.8));
    let i_hva = p.g_ca_a * m_hva * m_hva * (va - p.e_ca);

    let dvs = (-p.g_na * m * m * m * h * (vs - p.e_na)
        - p.g_k * n * (vs - p.e_k)
        - p.g_l_s * (vs - p.e_l)
        + p.g_st * (vt - vs) / p.p_s
        + (i_s + x.syn(vs)) / p.p_s)
        / p.c_m;
    let dvt = (-p.g_ca_t * mc * mc * hc * (vt - p.e_ca)
        - p.g_ih * mih * (vt - p.e_ih)
        - p.g_l_t * (vt - p.e_l)
        + p.g_st * (vs - vt) / p.p_t
        + p.g_ta * (va - vt) / p.p_t)
        / p.c_m_d;
    let dva = (-i_hva - p.g_kca * z * (va - p.e_k) - p.g_l_a * (va - p.e_l)
        + p.g_ta * (vt - va) / p.p_a
        + i_a / p.p_a)
        / p.c_m_d;
    [
        dvs,
        p.q_t * (ah * (1.0 - h) - bh * h),
        (n_inf - n) / tau_n,
        dvt,
        (mc_inf - mc) / tau_mc,
        (hc_inf - hc) / tau_hc,
        a_ih * (1.0 - mih) - b_ih * mih,
        dva,
        -k.k_ca * i_hva - (ca - p.ca_min) / p.ca_decay,
    ]
}

/// One step: `k.n` RK4 substeps, clamping gates and Ca, detecting somatic up-crossings.
#[inline(always)]
pub fn hay_l5_step(
    k: &HayL5PyramidalConsts,
    st: &mut HayL5PyramidalState,
    x: &Input<[f64; 2]>,
) -> bool {
    let (i_s, i_a) = (x.ports[0], x.ports[1]);
    let mut spiked = false;
    let mut y = [
        st.v_s, st.h_na, st.n_k, st.v_t, st.m_ca, st.h_ca, st.m_ih, st.v_a, st.ca_a,
    ];
    for _ in 0..k.n {
        let before = y[0];
        rk4(&mut y, k.h, |y| rhs(k, y, i_s, i_a, x));
        for i in [1, 2, 4, 5, 6] {
            y[i] = y[i].clamp(0.0, 1.0);
        }
        y[8] = y[8].max(0.0);
        spiked |= crossed(before, y[0], k.p.v_threshold);
    }
    [
        st.v_s, st.h_na, st.n_k, st.v_t, st.m_ca, st.h_ca, st.m_ih, st.v_a, st.ca_a,
    ] = y;
    spiked
}

standalone! {
/// Hay et al. (2011) layer-5b pyramidal cell, reduced to soma, apical trunk and tuft.
pub struct HayL5PyramidalNeuron;
}

impl HayL5PyramidalNeuron {
    /// Advance one step (0.1 ms by default) with somatic and tuft current densities
    /// [µA/cm² of total membrane]; `true` if the soma crossed the threshold upward.
    pub fn step(&mut self, current_soma: f64, current_tuft: f64) -> bool {
        self.step_or_none([current_soma, current_tuft])
    }
}

impl Model for HayL5PyramidalNeuron {
    const NAME: &'static str = "HayL5PyramidalNeuron";
    const FAMILY: Family = Family::Compartmental;
    const SUMMARY: &'static str =
        "Hay et al. 2011 L5b pyramidal cell, reduced to soma/trunk/tuft with the paper's kinetics";
    const REFERENCE: &'static str =
        "Hay et al. 2011, PLoS Comput Biol 7:e1002107, doi:10.1371/journal.pcbi.1002107";
    const PORTS: &'static [&'static str] = &["current_soma", "current_tuft"];
    const MEMBRANE: Option<&'static str> = Some("v_s");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[3.0, 0.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = HayL5PyramidalParams;
    type State = HayL5PyramidalState;
    type Consts = HayL5PyramidalConsts;
    type Ports = [f64; 2];
    type Output = bool;

    fn init(p: &HayL5PyramidalParams) -> HayL5PyramidalState {
        HayL5PyramidalState {
            v_s: -75.0,
            h_na: 0.9,
            n_k: 0.1,
            v_t: -75.0,
            m_ca: 0.0,
            h_ca: 1.0,
            m_ih: 0.0,
            v_a: -75.0,
            ca_a: p.ca_min,
        }
    }
    fn standalone_span(p: &HayL5PyramidalParams) -> f64 {
        p.span
    }
    fn prepare(p: &HayL5PyramidalParams, span: f64) -> HayL5PyramidalConsts {
        let (n, h) = substeps(span, p.dt);
        HayL5PyramidalConsts {
            p: p.clone(),
            k_ca: 10.0 * p.ca_gamma / (2.0 * FARADAY * p.ca_depth),
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(
        k: &HayL5PyramidalConsts,
        s: &mut HayL5PyramidalState,
        x: &Input<[f64; 2]>,
        _: &mut NeuronRng,
    ) -> bool {
        hay_l5_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, late_rate_hz, spike_times};

    /// Steady rate [Hz] over 1 s of constant somatic current `i` [µA/cm²].
    fn rate(i: f64) -> f64 {
        let mut n = HayL5PyramidalNeuron::new();
        let t = spike_times(&mut n, 10_000, |_| [i, 0.0]);
        if t.len() < 2 {
            0.0
        } else {
            late_rate_hz(&t, 3)
        }
    }

    /// Response to a 10-ms tuft pulse `ia` at t = 100 ms, with an optional 5-ms somatic pulse
    /// `is` at t = 95 ms: (somatic spikes, ms the tuft spends above −20 mV).
    fn pulse(is: f64, ia: f64) -> (usize, f64) {
        let mut n = HayL5PyramidalNeuron::new();
        let (mut spikes, mut above) = (0, 0);
        for k in 0..3000 {
            let t = k as f64 * 0.1;
            let i_s = if (95.0..100.0).contains(&t) { is } else { 0.0 };
            let i_a = if (100.0..110.0).contains(&t) { ia } else { 0.0 };
            spikes += n.step(i_s, i_a) as usize;
            above += (n.state().v_a > -20.0) as usize;
        }
        (spikes, above as f64 * 0.1)
    }

    #[test]
    fn somatic_steps_fire_regularly_at_rates_rising_with_current() {
        // Hay et al. 2011, Fig. 2B: L5b PCs fire regularly, from a few Hz just above rheobase
        // to ~5–25 Hz over the tested steps (0.4–1.5 nA). Units here are µA/cm² of total
        // membrane; the onset lies between 1.75 and 2 µA/cm².
        assert_eq!(rate(1.75), 0.0, "fires at 1.75");
        let r = [2.0, 2.25, 2.5, 3.0, 4.0, 5.0].map(rate);
        assert!(r.windows(2).all(|w| w[1] > w[0]), "f-I not monotone: {r:?}");
        assert!((5.0..30.0).contains(&r[0]), "near-onset rate {}", r[0]);
        assert!((5.0..30.0).contains(&r[1]), "rate at 2.25: {}", r[1]);
        assert!(r[5] < 150.0, "rate at 5: {}", r[5]);
    }

    #[test]
    fn tuft_input_evokes_an_all_or_none_calcium_spike_and_a_burst() {
        // Larkum et al. 1999 / Hay et al. 2011 Figs. 1, 5: distal input above a threshold
        // triggers a dendritic Ca2+ spike (tuft depolarised for ~tens of ms) that drives a
        // burst of somatic APs; below it there is no Ca spike.
        let (s_weak, ca_weak) = pulse(0.0, 5.0);
        let (s_strong, ca_strong) = pulse(0.0, 10.0);
        assert_eq!(ca_weak, 0.0, "Ca spike from weak tuft input ({s_weak} APs)");
        assert!(
            ca_strong >= 10.0,
            "tuft above -20 mV for only {ca_strong} ms"
        );
        assert!(s_strong >= 3 && s_weak <= 1, "{s_strong} vs {s_weak} APs");
    }

    #[test]
    fn a_somatic_spike_lowers_the_tuft_calcium_spike_threshold() {
        // The coincidence at the heart of BAC firing (Larkum et al. 1999; Hay et al. 2011
        // Fig. 1): a somatic AP (5-ms pulse just before the tuft input) plus a tuft input that
        // alone is below the Ca-spike threshold evokes a Ca spike and a burst.
        // In this reduction the window is narrow (tuft 6.5 µA/cm², threshold alone ≈ 6.75).
        let (s_soma, ca_soma) = pulse(20.0, 0.0);
        let (_, ca_tuft) = pulse(0.0, 6.5);
        let (s_pair, ca_pair) = pulse(20.0, 6.5);
        assert_eq!((s_soma, ca_soma, ca_tuft), (1, 0.0, 0.0));
        assert!(
            ca_pair >= 10.0 && s_pair >= 3,
            "{s_pair} APs, {ca_pair} ms above -20"
        );
    }

    #[test]
    #[ignore = "the reduction does not give the paper's BAC numbers: tuft input just below the \
                Ca-spike threshold already evokes one somatic AP on its own (the paper: none), \
                and the Ca spike drives 6-7 APs (the paper: 2-3), since the tuft Ca spike is \
                not shaped by the paper's Im/Kv3.1/Na in the dendrite"]
    fn bac_firing_as_published() {
        // Hay et al. 2011 Fig. 1 (Larkum 1999): distal EPSP alone → no somatic AP; soma pulse +
        // EPSP ≈5 ms later → Ca spike and a burst of 2–3 APs.
        let (s_tuft, _) = pulse(0.0, 6.5);
        let (s_pair, ca_pair) = pulse(20.0, 6.5);
        assert_eq!(s_tuft, 0);
        assert!(
            ca_pair >= 5.0 && (2..=3).contains(&s_pair),
            "{s_pair} APs, {ca_pair} ms"
        );
    }

    /// The equations of the module doc typed again (plain `f64::exp`, explicit removable
    /// singularities handled by offsetting), integrated by the reference RK4.
    fn reference(i_s: f64, ms: f64) -> Vec<f64> {
        let qt = 2.3f64.powf(1.3);
        let ratefn = |a: f64, x: f64, k: f64| {
            // a·x/(1 − e^(−x/k)), with the limit a·k at x = 0.
            if x.abs() < 1e-9 {
                a * k
            } else {
                a * x / (1.0 - (-x / k).exp())
            }
        };
        let f = move |_t: f64, y: &[f64]| {
            let (vs, h, n, vt, mc, hc, mh, va, ca) =
                (y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7], y[8]);
            let am = ratefn(0.182, vs + 38.0, 6.0);
            let bm = ratefn(0.124, -vs - 38.0, 6.0);
            let m = am / (am + bm);
            let ah = ratefn(0.015, -vs - 66.0, 6.0);
            let bh = ratefn(0.015, vs + 66.0, 6.0);
            let ninf = 1.0 / (1.0 + ((vs - 18.7) / -9.7).exp());
            let ntau = 0.2 * 20.0 / (1.0 + ((vs + 46.56) / -44.14).exp());
            let u = vt + 10.0;
            let mcinf = 1.0 / (1.0 + ((u + 30.0) / -6.0).exp());
            let mctau = (5.0 + 20.0 / (1.0 + ((u + 25.0) / 5.0).exp())) / qt;
            let hcinf = 1.0 / (1.0 + ((u + 80.0) / 6.4).exp());
            let hctau = (20.0 + 50.0 / (1.0 + ((u + 40.0) / 7.0).exp())) / qt;
            let aih = 0.001 * 6.43 * (vt + 154.9) / (((vt + 154.9) / 11.9).exp() - 1.0);
            let bih = 0.001 * 193.0 * (vt / 33.1).exp();
            let ahva = 0.055 * (-27.0 - va) / (((-27.0 - va) / 3.8).exp() - 1.0);
            let bhva = 0.94 * ((-75.0 - va) / 17.0).exp();
            let mhva = ahva / (ahva + bhva);
            let z = 1.0 / (1.0 + (0.00043 / (ca + 1e-7)).powf(4.8));
            let ica = 0.555 * mhva * mhva * (va - 140.0);
            vec![
                (-2040.0 * m.powi(3) * h * (vs - 50.0)
                    - 693.0 * n * (vs + 85.0)
                    - 0.0338 * (vs + 90.0)
                    + 1.5 * (vt - vs) / 0.15
                    + i_s / 0.15)
                    / 1.0,
                qt * (ah * (1.0 - h) - bh * h),
                (ninf - n) / ntau,
                (-3.9 * mc * mc * hc * (vt - 140.0)
                    - 2.0 * mh * (vt + 45.0)
                    - 0.0589 * (vt + 90.0)
                    + 1.5 * (vs - vt) / 0.25
                    + 0.8 * (va - vt) / 0.25)
                    / 2.0,
                (mcinf - mc) / mctau,
                (hcinf - hc) / hctau,
                aih * (1.0 - mh) - bih * mh,
                (-ica - 1.2 * z * (va + 85.0) - 0.0589 * (va + 90.0) + 0.8 * (vt - va) / 0.6) / 2.0,
                -10000.0 * (ica / 1000.0) * 0.000509 / (2.0 * 96485.309 * 0.1)
                    - (ca - 1e-4) / 122.0,
            ]
        };
        Reference::rk4(0.001, f)
            .run(
                &[-75.0, 0.9, 0.1, -75.0, 0.0, 1.0, 0.0, -75.0, 1e-4],
                ms,
                0,
                -30.0,
            )
            .1
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        let r = reference(3.0, 200.0);
        assert!(r.len() >= 5, "{r:?}");
        let mut n = HayL5PyramidalNeuron::new();
        let m = spike_times(&mut n, 2000, |_| [3.0, 0.0]);
        assert_eq!(m.len(), r.len(), "{m:?} vs {r:?}");
        // Each reference crossing lies in (within 0.02 ms of) the 0.1-ms step the model
        // reports it in.
        for (a, b) in m.iter().zip(&r) {
            assert!(*a <= b + 0.02 && b - a <= 0.12, "{a} vs {b}");
        }
    }
}
