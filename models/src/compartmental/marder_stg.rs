//! `MarderSTGNeuron` — the single-compartment crustacean stomatogastric ganglion (STG) model
//! neuron of the Marder lab: fast Na, transient and slow Ca (CaT, CaS), A-type K, Ca-activated
//! K, delayed-rectifier K, H and leak currents with an intracellular Ca pool.
//!
//! **Equations** (Prinz, Bucher & Marder 2004; kinetics of Prinz, Billimoria & Marder 2003,
//! Table 1, derived from Liu et al. 1998). With B(V; θ, σ) = 1/(1 + e^((V + θ)/σ)):
//! C dV/dt = I + I_syn(V) − Σ_i g_i m_i^p h_i (V − E_i), every gate dx/dt = (x∞ − x)/τ_x:
//!
//! | current | p | m∞ | τ_m (ms) | h∞ | τ_h (ms) |
//! |---|---|---|---|---|---|
//! | Na | 3 | B(V; 25.5, −5.29) | 2.64 − 2.52 B(V; 120, −25) | B(V; 48.9, 5.18) | 1.34 B(V; 62.9, −10)·(1.5 + B(V; 34.9, 3.6)) |
//! | CaT | 3 | B(V; 27.1, −7.2) | 43.4 − 42.6 B(V; 68.1, −20.5) | B(V; 32.1, 5.5) | 210 − 179.6 B(V; 55, −16.9) |
//! | CaS | 3 | B(V; 33, −8.1) | 2.8 + 14/(e^((V+27)/10) + e^(−(V+70)/13)) | B(V; 60, 6.2) | 120 + 300/(e^((V+55)/9) + e^(−(V+65)/16)) |
//! | A | 3 | B(V; 27.2, −8.7) | 23.2 − 20.8 B(V; 32.9, −15.2) | B(V; 56.9, 4.9) | 77.2 − 58.4 B(V; 38.9, −26.5) |
//! | KCa | 4 | [Ca]/([Ca] + 3)·B(V; 28.3, −12.6) | 180.6 − 150.2 B(V; 46, −22.7) | | |
//! | Kd | 4 | B(V; 12.3, −11.8) | 14.4 − 12.8 B(V; 28.3, −19.2) | | |
//! | H | 1 | B(V; 70, 6) | 272 + 1499 B(V; 42.2, −8.73) | | |
//!
//! plus a leak g_L(V − E_L). E_Na = 50, E_K = −80 (A, KCa, Kd), E_H = −20, E_L = −50 mV;
//! E_Ca = (1000 R T/2F)·ln([Ca]_o/[Ca]) with [Ca]_o = 3000 µM, T = `celsius` + 273.15;
//! τ_Ca d[Ca]/dt = −f (I_CaT + I_CaS) − [Ca] + [Ca]_0, τ_Ca = 200 ms, [Ca]_0 = 0.05 µM,
//! f = 14.96 µM/nA for the model's area of 0.628·10⁻³ cm², i.e. 14.96 · 0.628 = 9.395 µM per
//! µA/cm² of current density. C = 1 µF/cm².
//! Default conductances: Prinz et al. 2004's model AB/PD 2 (Na 100, CaT 2.5, CaS 6, A 50,
//! KCa 5, Kd 100, H 0.01, leak 0 mS/cm²), an intrinsic burster.
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV), tested after every substep.
//!
//! **Numerics.** `method = "rk4"` (default): RK4 on all 13 variables in substeps of at most
//! `dt` = 0.025 ms; `"exp_euler"`: Rush–Larsen gates, exponential-Euler voltage and the exact
//! linear relaxation of [Ca] with the Ca current frozen over the substep. Forward Euler is
//! refused. After each substep gates are clamped to [0, 1] and [Ca] to ≥ 0. A standalone step
//! spans `span` = 0.05 ms, as SC-NeuroCore's step (which is one RK4 step of 0.05 ms; that step
//! is unstable with g_Na = 400 mS/cm², one of the published AB/PD sets, hence two substeps).
//!
//! **Units.** V in mV, t in ms, I in µA/cm², g in mS/cm², C in µF/cm², [Ca] in µM.
//!
//! **Reference.** Prinz, A.A., Bucher, D. & Marder, E. (2004) Similar network activity from
//! disparate circuit parameters. Nat. Neurosci. 7:1345–1352, doi:10.1038/nn1352 (AB/PD sets);
//! Prinz, A.A., Billimoria, C.P. & Marder, E. (2003) Alternative to hand-tuning
//! conductance-based models: construction and analysis of databases of model neurons.
//! J. Neurophysiol. 90:3998–4015, doi:10.1152/jn.00641.2003 (kinetics, Ca pool); channel
//! models from Liu, Z., Golowasch, J., Marder, E. & Abbott, L.F. (1998) J. Neurosci.
//! 18:2309–2320, doi:10.1523/JNEUROSCI.18-07-02309.1998. Constants cross-checked against the
//! xolotl `prinz` conductances and the Conductor.jl Prinz demo (both give the same Na–Kd
//! kinetics; for H both use the Huguenard–McCormick form m∞ = B(V; 75, 5.5),
//! τ = 2/(e^(−(V+169.7)/11.6) + e^((V−26.7)/14.3)) instead of the Table-1 form used here, as
//! in spec §23). The temperature in the Ca Nernst potential is not stated in the papers; 10 °C
//! is used (spec §23, as in the Conductor.jl demo; STG recordings are made at ~10–13 °C).
//!
//! **Relation to SC-NeuroCore** (spec §23). Same `step(current)`, 0.05 ms per call, state
//! names and initial values (v −60, m 0, h 1, [Ca] 0.05 µM), E's, [Ca]_o, [Ca]_0, `celsius`.
//! Following the papers instead of SC-NeuroCore: every time constant except the H current's is
//! twice SC-NeuroCore's (SC-NeuroCore halved them); τ_Ca = 200 ms (SC-NeuroCore 20) and
//! f = 9.395 µM per µA/cm² (SC-NeuroCore 0.94, the per-nA factor of Liu et al. 1998 applied to a
//! density); default conductances are the published AB/PD 2 set instead of SC-NeuroCore's
//! untraced 200/2.5/4/50/25/75/0.01/0.01. RK4 (or exponential Euler) in substeps ≤ 0.025 ms
//! with spikes detected on every substep. The substep parameter is `dt` (default 0.025); added
//! `span` and `method`.
//!
//! **Paper facts tested.** The five AB/PD sets of Prinz et al. 2004 each burst intrinsically
//! (I = 0) with a period of 0.5–2 s (the pyloric range, spec §23.8) and several spikes per
//! burst; a tonically spiking set fires regularly; E_Ca ≈ 134.2 mV at rest (spec §23.8); an
//! independent RK4 integration of the equations typed again agrees on spike times.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MarderSTGNeuron`].
    pub struct MarderSTGParams {
        /// Membrane capacitance, C_m [µF/cm²].
        cm: f64 = 1.0,
        /// Fast sodium conductance, g_Na [mS/cm²].
        g_na: f64 = 100.0,
        /// Transient calcium conductance, g_CaT [mS/cm²].
        g_cat: f64 = 2.5,
        /// Slow calcium conductance, g_CaS [mS/cm²].
        g_cas: f64 = 6.0,
        /// A-type potassium conductance, g_A [mS/cm²].
        g_a: f64 = 50.0,
        /// Calcium-activated potassium conductance, g_KCa [mS/cm²].
        g_kca: f64 = 5.0,
        /// Delayed-rectifier potassium conductance, g_Kd [mS/cm²].
        g_kd: f64 = 100.0,
        /// Hyperpolarization-activated conductance, g_H [mS/cm²].
        g_h: f64 = 0.01,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.0,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 50.0,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -80.0,
        /// H-current reversal potential, E_H [mV].
        e_h: f64 = -20.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -50.0,
        /// Extracellular calcium, [Ca]_o [µM].
        ca_out: f64 = 3000.0,
        /// Resting intracellular calcium, [Ca]_0 [µM].
        ca_rest: f64 = 0.05,
        /// Calcium-pool time constant, τ_Ca [ms].
        tau_ca: f64 = 200.0,
        /// Calcium influx per current density, f [µM per µA/cm²].
        f_ca: f64 = 9.39488,
        /// Temperature of the Ca Nernst potential [°C].
        celsius: f64 = 10.0,
        /// Largest internal integration substep [ms].
        dt: f64 = 0.025,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.05,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl MarderSTGParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("cm", self.cm)?;
        for (n, g) in [
            ("g_na", self.g_na),
            ("g_cat", self.g_cat),
            ("g_cas", self.g_cas),
            ("g_a", self.g_a),
            ("g_kca", self.g_kca),
            ("g_kd", self.g_kd),
            ("g_h", self.g_h),
            ("g_l", self.g_l),
            ("f_ca", self.f_ca),
            ("ca_rest", self.ca_rest),
        ] {
            check::non_negative(n, g)?;
        }
        check::positive("ca_out", self.ca_out)?;
        check::positive("tau_ca", self.tau_ca)?;
        check::in_range("celsius", self.celsius, -273.15, 1000.0)?;
        check::positive("dt", self.dt)?;
        check_method(
            "method",
            self.method,
            &[Method::Rk4, Method::ExpEuler],
            "forward Euler is unstable for these kinetics",
        )?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`MarderSTGNeuron`].
    pub struct MarderSTGState {
        /// Membrane potential, V [mV].
        v: f64 => StgV,
        /// Na activation [1].
        m_na: f64 => StgMNa,
        /// Na inactivation [1].
        h_na: f64 => StgHNa,
        /// CaT activation [1].
        m_cat: f64 => StgMCaT,
        /// CaT inactivation [1].
        h_cat: f64 => StgHCaT,
        /// CaS activation [1].
        m_cas: f64 => StgMCaS,
        /// CaS inactivation [1].
        h_cas: f64 => StgHCaS,
        /// A-current activation [1].
        m_a: f64 => StgMA,
        /// A-current inactivation [1].
        h_a: f64 => StgHA,
        /// KCa activation [1].
        m_kca: f64 => StgMKCa,
        /// Kd activation [1].
        m_kd: f64 => StgMKd,
        /// H activation [1].
        m_h: f64 => StgMH,
        /// Intracellular calcium, [Ca] [µM].
        ca: f64 => StgCa,
    }
}

/// Constants of [`MarderSTGNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct MarderSTGConsts {
    p: MarderSTGParams,
    /// RT/2F in mV at `celsius`.
    rt2f: f64,
    n: u32,
    h: f64,
}

/// B(V; θ, σ) = 1/(1 + e^((V + θ)/σ)), the papers' sign convention.
#[inline(always)]
fn b(v: f64, theta: f64, sigma: f64) -> f64 {
    1.0 / (1.0 + exp((v + theta) / sigma))
}

/// Ca Nernst potential [mV] at internal [Ca] `ca` [µM], with RT/2F = `rt2f` [mV].
#[inline(always)]
fn e_ca(p: &MarderSTGParams, rt2f: f64, ca: f64) -> f64 {
    rt2f * (p.ca_out / ca.max(1e-9)).ln()
}

/// The membrane at state `y`: currents, conductances and gate (and Ca-pool) kinetics.
#[inline(always)]
fn stg_currents(p: &MarderSTGParams, rt2f: f64, y: &[f64; 13]) -> Currents<13> {
    let [
        v,
        mna,
        hna,
        mcat,
        hcat,
        mcas,
        hcas,
        ma,
        ha,
        mkca,
        mkd,
        mh,
        ca,
    ] = *y;
    let eca = e_ca(p, rt2f, ca);
    let g_na = p.g_na * mna * mna * mna * hna;
    let g_cat = p.g_cat * mcat * mcat * mcat * hcat;
    let g_cas = p.g_cas * mcas * mcas * mcas * hcas;
    let g_a = p.g_a * ma * ma * ma * ha;
    let g_kca = p.g_kca * (mkca * mkca) * (mkca * mkca);
    let g_kd = p.g_kd * (mkd * mkd) * (mkd * mkd);
    let g_h = p.g_h * mh;
    let g_ca = g_cat + g_cas;
    let g_k = g_a + g_kca + g_kd;
    let g = g_na + g_ca + g_k + g_h + p.g_l;
    let ge = g_na * p.e_na + g_ca * eca + g_k * p.e_k + g_h * p.e_h + p.g_l * p.e_l;
    // Ca pool: τ d[Ca]/dt = −f I_Ca + [Ca]_0 − [Ca] as a "gate" α(1 − x) − βx with
    // α = (−f I_Ca + [Ca]_0)/τ and α + β = 1/τ.
    let i_ca = g_ca * (v - eca);
    let a_ca = (p.ca_rest - p.f_ca * i_ca) / p.tau_ca;
    let tau_cas_m = 2.8 + 14.0 / (exp((v + 27.0) / 10.0) + exp(-(v + 70.0) / 13.0));
    let tau_cas_h = 120.0 + 300.0 / (exp((v + 55.0) / 9.0) + exp(-(v + 65.0) / 16.0));
    Currents {
        i_ion: g * v - ge,
        g,
        ge,
        gates: [
            Gate::FROZEN,
            Gate::relax(b(v, 25.5, -5.29), 2.64 - 2.52 * b(v, 120.0, -25.0)),
            Gate::relax(
                b(v, 48.9, 5.18),
                1.34 * b(v, 62.9, -10.0) * (1.5 + b(v, 34.9, 3.6)),
            ),
            Gate::relax(b(v, 27.1, -7.2), 43.4 - 42.6 * b(v, 68.1, -20.5)),
            Gate::relax(b(v, 32.1, 5.5), 210.0 - 179.6 * b(v, 55.0, -16.9)),
            Gate::relax(b(v, 33.0, -8.1), tau_cas_m),
            Gate::relax(b(v, 60.0, 6.2), tau_cas_h),
            Gate::relax(b(v, 27.2, -8.7), 23.2 - 20.8 * b(v, 32.9, -15.2)),
            Gate::relax(b(v, 56.9, 4.9), 77.2 - 58.4 * b(v, 38.9, -26.5)),
            Gate::relax(
                ca / (ca + 3.0) * b(v, 28.3, -12.6),
                180.6 - 150.2 * b(v, 46.0, -22.7),
            ),
            Gate::relax(b(v, 12.3, -11.8), 14.4 - 12.8 * b(v, 28.3, -19.2)),
            Gate::relax(b(v, 70.0, 6.0), 272.0 + 1499.0 * b(v, 42.2, -8.73)),
            Gate::rates(a_ca, 1.0 / p.tau_ca - a_ca),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn stg_substep<const M: u8>(
    k: &MarderSTGConsts,
    s: &mut MarderSTGState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let rt2f = k.rt2f;
    let before = s.v;
    let mut y = [
        s.v, s.m_na, s.h_na, s.m_cat, s.h_cat, s.m_cas, s.h_cas, s.m_a, s.h_a, s.m_kca, s.m_kd,
        s.m_h, s.ca,
    ];
    conductance_substep::<13, M>(
        &mut y,
        k.h,
        p.cm,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| stg_currents(p, rt2f, y),
    );
    for g in &mut y[1..12] {
        *g = g.clamp(0.0, 1.0);
    }
    y[12] = y[12].max(0.0);
    [
        s.v, s.m_na, s.h_na, s.m_cat, s.h_cat, s.m_cas, s.h_cas, s.m_a, s.h_a, s.m_kca, s.m_kd,
        s.m_h, s.ca,
    ] = y;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Prinz–Bucher–Marder (2004) stomatogastric ganglion model neuron.
pub struct MarderSTGNeuron;
}

impl MarderSTGNeuron {
    /// Advance one step (0.05 ms by default) with injected current density `current`
    /// [µA/cm²]; `true` if the membrane crossed the threshold upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for MarderSTGNeuron {
    const NAME: &'static str = "MarderSTGNeuron";
    const FAMILY: Family = Family::Compartmental;
    const SUMMARY: &'static str =
        "Prinz-Bucher-Marder 2004 stomatogastric neuron (Na, CaT, CaS, A, KCa, Kd, H, Ca pool)";
    const REFERENCE: &'static str = "Prinz, Bucher & Marder 2004, Nat Neurosci 7:1345, doi:10.1038/nn1352; Prinz, Billimoria & Marder 2003, J Neurophysiol 90:3998, doi:10.1152/jn.00641.2003";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[0.3];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = MarderSTGParams;
    type State = MarderSTGState;
    type Consts = MarderSTGConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &MarderSTGParams) -> MarderSTGState {
        MarderSTGState {
            v: -60.0,
            m_na: 0.0,
            h_na: 1.0,
            m_cat: 0.0,
            h_cat: 1.0,
            m_cas: 0.0,
            h_cas: 1.0,
            m_a: 0.0,
            h_a: 1.0,
            m_kca: 0.0,
            m_kd: 0.0,
            m_h: 0.0,
            ca: 0.05,
        }
    }
    fn standalone_span(p: &MarderSTGParams) -> f64 {
        p.span
    }
    fn prepare(p: &MarderSTGParams, span: f64) -> MarderSTGConsts {
        let (n, h) = substeps(span, p.dt);
        let rt2f = 1000.0 * 8.314462618 * (p.celsius + 273.15) / (2.0 * 96485.33212);
        MarderSTGConsts {
            p: p.clone(),
            rt2f,
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(
        k: &MarderSTGConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &MarderSTGConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for MarderSTGNeuron {
    fn method(k: &MarderSTGConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &MarderSTGConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &MarderSTGConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        stg_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, cv, isis, spike_times};

    /// Conductances in the order Na, CaT, CaS, A, KCa, Kd, H, leak [mS/cm²].
    fn with_g(g: [f64; 8]) -> MarderSTGParams {
        MarderSTGParams {
            g_na: g[0],
            g_cat: g[1],
            g_cas: g[2],
            g_a: g[3],
            g_kca: g[4],
            g_kd: g[5],
            g_h: g[6],
            g_l: g[7],
            ..Default::default()
        }
    }

    /// Prinz, Bucher & Marder 2004 (Nat Neurosci 7:1345), the five AB/PD model neurons.
    const AB_PD: [[f64; 8]; 5] = [
        [400.0, 2.5, 6.0, 50.0, 10.0, 100.0, 0.01, 0.0],
        [100.0, 2.5, 6.0, 50.0, 5.0, 100.0, 0.01, 0.0],
        [200.0, 2.5, 4.0, 50.0, 5.0, 50.0, 0.01, 0.0],
        [200.0, 5.0, 4.0, 40.0, 5.0, 125.0, 0.01, 0.0],
        [300.0, 2.5, 2.0, 10.0, 5.0, 125.0, 0.01, 0.0],
    ];

    /// Spike times [ms] over `ms` of constant current `i`.
    fn times(p: MarderSTGParams, i: f64, ms: f64) -> Vec<f64> {
        let mut n = MarderSTGNeuron::with_params(p).unwrap();
        spike_times(&mut n, (ms / 0.05).round() as usize, |_| [i])
    }

    /// Burst onsets and durations (bursts separated by silences > 100 ms) after `t0`, the
    /// first one dropped (it may be cut by `t0`).
    fn bursts(t: &[f64], t0: f64) -> Vec<(f64, f64, usize)> {
        let late: Vec<f64> = t.iter().copied().filter(|&s| s >= t0).collect();
        let mut out = Vec::new();
        let mut start = 0;
        for k in 1..=late.len() {
            if k == late.len() || late[k] - late[k - 1] > 100.0 {
                out.push((late[start], late[k - 1] - late[start], k - start));
                start = k;
            }
        }
        out.into_iter().skip(1).collect()
    }

    #[test]
    fn published_ab_pd_sets_burst_in_the_pyloric_range() {
        // Prinz et al. 2004: AB/PD models are intrinsic bursters; pyloric-like burst
        // frequency ≈ 0.5–2 Hz (spec §23.8, Prinz et al. 2003).
        for (k, g) in AB_PD.iter().enumerate() {
            let t = times(with_g(*g), 0.0, 6000.0);
            let b = bursts(&t, 2000.0);
            // The last burst may be cut by the end of the run: use complete cycles only.
            assert!(b.len() >= 3, "AB/PD {}: bursts {b:?}", k + 1);
            for w in b[..b.len() - 1].windows(2) {
                let period = w[1].0 - w[0].0;
                let duty = w[0].1 / period;
                assert!(
                    (500.0..=2000.0).contains(&period),
                    "AB/PD {}: period {period} ms",
                    k + 1
                );
                assert!(
                    w[0].2 >= 3 && (0.1..=0.7).contains(&duty),
                    "AB/PD {}: {} spikes, duty {duty}",
                    k + 1,
                    w[0].2
                );
            }
        }
    }

    #[test]
    fn tonic_set_fires_regular_single_spikes() {
        // Tonically spiking set listed with Prinz et al. 2003 in the Conductor.jl Prinz demo
        // (Na 200, CaT 0, CaS 4, A 10, KCa 10, Kd 125, H 0.05, leak 0.04 mS/cm²).
        let t = times(
            with_g([200.0, 0.0, 4.0, 10.0, 10.0, 125.0, 0.05, 0.04]),
            0.0,
            6000.0,
        );
        // After the slow (τ ≈ 1.8 s) H and Ca transients from the initial state.
        let late: Vec<f64> = t.into_iter().filter(|&s| s > 3000.0).collect();
        let d = isis(&late);
        assert!(d.len() >= 5, "{d:?}");
        assert!(cv(&d) < 0.05, "irregular: {d:?}");
        assert!(d.iter().all(|&x| x < 1000.0), "silent gaps: {d:?}");
    }

    #[test]
    fn calcium_reversal_at_rest_is_134_mv() {
        // Spec §23.8 (analytic): [Ca] = 0.05 µM, [Ca]_o = 3 mM, 10 °C → E_Ca ≈ 134.2 mV.
        let k = MarderSTGNeuron::prepare(&MarderSTGParams::default(), 0.05);
        let e = e_ca(&k.p, k.rt2f, 0.05);
        assert!((e - 134.2).abs() < 0.1, "{e}");
    }

    /// The published equations typed again (AB/PD 2, I = 0), integrated independently.
    fn reference(ms: f64) -> Vec<f64> {
        let f = |_t: f64, y: &[f64]| {
            let x = |v: f64, c: f64, s: f64| 1.0 / (1.0 + ((v + c) / s).exp());
            let v = y[0];
            let ca = y[12];
            let eca = 1000.0 * 8.314462618 * 283.15 / (2.0 * 96485.33212) * (3000.0 / ca).ln();
            let icat = 2.5 * y[3].powi(3) * y[4] * (v - eca);
            let icas = 6.0 * y[5].powi(3) * y[6] * (v - eca);
            let i = 100.0 * y[1].powi(3) * y[2] * (v - 50.0)
                + icat
                + icas
                + 50.0 * y[7].powi(3) * y[8] * (v + 80.0)
                + 5.0 * y[9].powi(4) * (v + 80.0)
                + 100.0 * y[10].powi(4) * (v + 80.0)
                + 0.01 * y[11] * (v + 20.0);
            let r = |inf: f64, tau: f64, z: f64| (inf - z) / tau;
            vec![
                -i,
                r(x(v, 25.5, -5.29), 2.64 - 2.52 * x(v, 120.0, -25.0), y[1]),
                r(
                    x(v, 48.9, 5.18),
                    1.34 * x(v, 62.9, -10.0) * (1.5 + x(v, 34.9, 3.6)),
                    y[2],
                ),
                r(x(v, 27.1, -7.2), 43.4 - 42.6 * x(v, 68.1, -20.5), y[3]),
                r(x(v, 32.1, 5.5), 210.0 - 179.6 * x(v, 55.0, -16.9), y[4]),
                r(
                    x(v, 33.0, -8.1),
                    2.8 + 14.0 / (((v + 27.0) / 10.0).exp() + (-(v + 70.0) / 13.0).exp()),
                    y[5],
                ),
                r(
                    x(v, 60.0, 6.2),
                    120.0 + 300.0 / (((v + 55.0) / 9.0).exp() + (-(v + 65.0) / 16.0).exp()),
                    y[6],
                ),
                r(x(v, 27.2, -8.7), 23.2 - 20.8 * x(v, 32.9, -15.2), y[7]),
                r(x(v, 56.9, 4.9), 77.2 - 58.4 * x(v, 38.9, -26.5), y[8]),
                r(
                    ca / (ca + 3.0) * x(v, 28.3, -12.6),
                    180.6 - 150.2 * x(v, 46.0, -22.7),
                    y[9],
                ),
                r(x(v, 12.3, -11.8), 14.4 - 12.8 * x(v, 28.3, -19.2), y[10]),
                r(x(v, 70.0, 6.0), 272.0 + 1499.0 * x(v, 42.2, -8.73), y[11]),
                (-14.96 * 0.628 * (icat + icas) - ca + 0.05) / 200.0,
            ]
        };
        let y0 = [
            -60.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.05,
        ];
        Reference::rk4(0.0125, f).run(&y0, ms, 0, -20.0).1
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        let r = reference(2500.0);
        assert!(r.len() >= 20, "{r:?}");
        let m = times(MarderSTGParams::default(), 0.0, 2500.0);
        assert_eq!(m.len(), r.len(), "{m:?} vs {r:?}");
        // Each crossing lies in the 0.05-ms step the model reports it in, up to a drift of
        // 0.01 % of the elapsed time between RK4 at 0.025 and at 0.0125 ms.
        for (a, b) in m.iter().zip(&r) {
            let tol = 1e-4 * b;
            assert!(*a <= b + tol && b - a <= 0.05 + tol, "{a} vs {b}");
        }
        // Exponential Euler (first order) at 0.025 ms: same bursts, burst period within 3 %.
        let mut p = MarderSTGParams::default();
        p.set_text("method", "exp_euler").unwrap();
        let e = bursts(&times(p, 0.0, 6000.0), 2000.0);
        let rk = bursts(&times(MarderSTGParams::default(), 0.0, 6000.0), 2000.0);
        let per = |b: &[(f64, f64, usize)]| b[1].0 - b[0].0;
        assert!(e.len() >= 2 && rk.len() >= 2, "{e:?} {rk:?}");
        assert!((per(&e) / per(&rk) - 1.0).abs() < 0.03, "{e:?} vs {rk:?}");
    }
}
