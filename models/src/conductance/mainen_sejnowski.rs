//! `MainenSejnowskiNeuron` — the reduced two-compartment model of Mainen & Sejnowski (1996):
//! an active axo-somatic compartment (fast Na, fast K) coupled through a resistance κ to an
//! active dendrite (Na, high-voltage-activated Ca, Ca-activated K, slow M-type K, a Ca shell)
//! whose area is ρ times larger; dendritic size (ρ) sets the firing pattern.
//!
//! **Equations** (ModelDB 2488, `demofig2.hoc` and the `.mod` files; 37 °C). Per unit area,
//! C dV_s/dt = I − I_Na,s − I_Kv + g_c,s (V_d − V_s),
//! C dV_d/dt = −I_Na,d − I_Ca − I_KCa − I_Km − g_L (V_d − E_L) + g_c,d (V_s − V_d),
//! with g_c,s = 10⁻³/(κ A_s) and g_c,d = g_c,s/ρ [mS/cm², κ in MΩ, A_s in cm²]. Every
//! conductance and rate is multiplied by tadj = 2.3^((37 − 23)/10). With u = V − 10 mV (Na
//! `vshift`): α_m = 0.182·lin(u + 35, 9), β_m = 0.124·lin(−(u + 35), 9); h∞ = 1/(1 +
//! e^((u + 65)/6.2)), τ_h = 1/(tadj(α_h + β_h)), α_h = 0.024·lin(u + 50, 5), β_h =
//! 0.0091·lin(−(u + 75), 5); I_Na = tadj·ḡ m³h (V − E_Na). Kv: α = 0.02·lin(V − 25, 9),
//! β = 0.002·lin(−(V − 25), 9), I = tadj·ḡ n (V − E_K). Ca: α_m = 0.055·lin(V + 27, 3.8),
//! β_m = 0.94·e^((−75 − V)/17), α_h = 0.000457·e^((−13 − V)/50), β_h = 0.0065/(e^((−V −
//! 15)/28) + 1), I = tadj·ḡ m²h (V − E_Ca). KCa: α = 0.01·[Ca], β = 0.02, I = tadj·ḡ n (V −
//! E_K). Km: α = 0.001·lin(V + 30, 9), β = 0.001·lin(−(V + 30), 9), I = tadj·ḡ n (V − E_K).
//! Ca shell (depth 0.1 µm): d[Ca]/dt = max(0, −I_Ca·10/(2F·0.1 µm)) + (10⁻⁴ − [Ca])/200 ms.
//! Densities (pS/µm² → mS/cm² ÷ 10): soma Na 30 000, Kv 1500; dendrite Na 15, Ca 0.3, KCa 3,
//! Km 0.1, leak 1/(30 kΩ·cm²) at −70 mV; C = 0.75 µF/cm²; E_Na = 60, E_K = −90, E_Ca = 140 mV;
//! A_s = 100 µm², κ = 10 MΩ, ρ = 165.
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV) by V_s, tested after every substep.
//!
//! **Numerics.** Exponential Euler only (`method = "exp_euler"`): each voltage relaxes exactly
//! toward its conductance-weighted target with the other compartment's voltage frozen, gates
//! by Rush–Larsen, Ca shell by its exact linear relaxation; substeps ≤ 0.005 ms. RK4 and
//! forward Euler are refused: the axo-somatic Na conductance reaches thousands of mS/cm² at
//! C = 0.75, which makes explicit schemes unstable above ~0.3 µs. A step spans 0.1 ms.
//!
//! **Units.** V in mV, I in µA/cm² of axo-somatic membrane (0.1 nA into 100 µm² is
//! 100 µA/cm²), g in mS/cm², [Ca] in mM, t in ms.
//!
//! **Reference.** Mainen, Z.F. & Sejnowski, T.J. (1996) Influence of dendritic structure on
//! firing pattern in model neocortical neurons. Nature 382:363–366, doi:10.1038/382363a0;
//! constants from ModelDB accession 2488 (`demofig2.hoc`, `na.mod`, `kv.mod`, `ca.mod`,
//! `kca.mod`, `km.mod`, `cad.mod`; GitHub mirror ModelDBRepository/2488).
//!
//! **Relation to SC-NeuroCore** (spec §9). Same `step(current)` (0.1 ms per call), spike on
//! `vs`, state names `vs`, `m`, `h`, `n` kept for the axo-somatic compartment. The structure is
//! the paper's, not SC-NeuroCore's inverted one (passive soma + active axon): `va` is gone
//! (the paper has no separate axon compartment; ModelDB calls the axo-somatic compartment
//! "axon") and the dendrite is added with state `vd`, `m_d`, `h_d`, `m_ca`, `h_ca`, `n_kca`,
//! `n_km`, `ca` (listed in `ADDED_STATE`). κ is a resistance in MΩ scaled by compartment area
//! (SC-NeuroCore: a conductance density); g_Kv is 150 mS/cm² (SC-NeuroCore 1500: a unit slip);
//! E_Na 60 mV (SC-NeuroCore 50), tadj applied, h∞ the separate Boltzmann, Kv midpoint 25 mV.
//! Added parameters: `rho`, `area_s`, `celsius`, the dendritic densities, `substep`, `span`.
//!
//! **Paper fact tested** (Mainen & Sejnowski 1996, Fig. 1–3): with the same channel densities
//! and a sustained somatic current (100 and 200 µA/cm², i.e. 0.1 and 0.2 nA), a small
//! dendrite (ρ = 40) fires regularly (ISI CV < 0.1) while a large one (ρ = 200) bursts
//! repetitively (intra-burst ISIs of 2–6 ms, pauses of 65–480 ms, CV > 1). Only partly
//! reproduced: at the ModelDB default ρ = 165 (κ = 10 MΩ, 0.1 nA) these equations give an
//! initial doublet followed by regular firing every ~112 ms (unchanged at 0.001-ms substeps),
//! not sustained bursting; the paper's ρ–κ boundaries (Fig. 3) were not checked.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MainenSejnowskiNeuron`].
    pub struct MainenSejnowskiParams {
        /// Coupling resistance between the compartments, κ [MΩ].
        kappa: f64 = 10.0,
        /// Dendritic to axo-somatic area ratio, ρ [1].
        rho: f64 = 165.0,
        /// Axo-somatic membrane area, A_s [µm²].
        area_s: f64 = 100.0,
        /// Axo-somatic Na density, ḡ_Na,s [mS/cm²].
        g_na: f64 = 3000.0,
        /// Axo-somatic Kv density, ḡ_Kv [mS/cm²].
        g_k: f64 = 150.0,
        /// Dendritic Na density, ḡ_Na,d [mS/cm²].
        g_na_d: f64 = 1.5,
        /// Dendritic high-voltage-activated Ca density, ḡ_Ca [mS/cm²].
        g_ca: f64 = 0.03,
        /// Dendritic Ca-activated K density, ḡ_KCa [mS/cm²].
        g_kca: f64 = 0.3,
        /// Dendritic M-type K density, ḡ_Km [mS/cm²].
        g_km: f64 = 0.01,
        /// Dendritic leak conductance, 1/R_m [mS/cm²].
        g_l: f64 = 1.0 / 30.0,
        /// Na reversal potential, E_Na [mV].
        e_na: f64 = 60.0,
        /// K reversal potential, E_K [mV].
        e_k: f64 = -90.0,
        /// Ca reversal potential, E_Ca [mV].
        e_ca: f64 = 140.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -70.0,
        /// Specific membrane capacitance, C_m [µF/cm²].
        c_m: f64 = 0.75,
        /// Temperature [°C] (rates measured at 23 °C, Q10 2.3).
        celsius: f64 = 37.0,
        /// Largest internal substep [ms].
        substep: f64 = 0.005,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
        /// Spike-detection level on V_s (upward crossing) [mV].
        v_threshold: f64 = -20.0,
        /// Integrator: only "exp_euler" (explicit schemes are unstable here) [choice].
        method: Method = Method::ExpEuler,
    }
}

impl MainenSejnowskiParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("kappa", self.kappa)?;
        check::positive("rho", self.rho)?;
        check::positive("area_s", self.area_s)?;
        check::positive("c_m", self.c_m)?;
        for (n, x) in [
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_na_d", self.g_na_d),
            ("g_ca", self.g_ca),
            ("g_kca", self.g_kca),
            ("g_km", self.g_km),
            ("g_l", self.g_l),
        ] {
            check::non_negative(n, x)?;
        }
        check::finite("celsius", self.celsius)?;
        check::positive("substep", self.substep)?;
        check::positive("span", self.span)?;
        check_method(
            "method",
            self.method,
            &[Method::ExpEuler],
            "explicit schemes are unstable for the stiff axo-somatic Na current",
        )
    }
}

neuron_state! {
    /// State of [`MainenSejnowskiNeuron`].
    pub struct MainenSejnowskiState {
        /// Axo-somatic membrane potential, V_s [mV].
        vs: f64 => MsVs,
        /// Axo-somatic Na activation, m [1].
        m: f64 => MsM,
        /// Axo-somatic Na inactivation, h [1].
        h: f64 => MsH,
        /// Axo-somatic Kv activation, n [1].
        n: f64 => MsN,
        /// Dendritic membrane potential, V_d [mV].
        vd: f64 => MsVd,
        /// Dendritic Na activation [1].
        m_d: f64 => MsMD,
        /// Dendritic Na inactivation [1].
        h_d: f64 => MsHD,
        /// Ca activation [1].
        m_ca: f64 => MsMCa,
        /// Ca inactivation [1].
        h_ca: f64 => MsHCa,
        /// KCa activation [1].
        n_kca: f64 => MsNKca,
        /// Km activation [1].
        n_km: f64 => MsNKm,
        /// Submembrane Ca concentration, [Ca] [mM].
        ca: f64 => MsCa,
    }
}

/// Constants of [`MainenSejnowskiNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct MainenSejnowskiConsts {
    p: MainenSejnowskiParams,
    n: u32,
    h: f64,
    tadj: f64,
    g_cs: f64,
    g_cd: f64,
}

/// Na gates (x∞, τ) for m and h at `v` (the −10 mV shift applied inside), τ without tadj.
#[inline(always)]
pub fn ms_na(v: f64) -> [(f64, f64); 2] {
    let u = v - 10.0;
    let (am, bm) = (0.182 * lin(u + 35.0, 9.0), 0.124 * lin(-(u + 35.0), 9.0));
    let (ah, bh) = (0.024 * lin(u + 50.0, 5.0), 0.0091 * lin(-(u + 75.0), 5.0));
    [
        (am / (am + bm), 1.0 / (am + bm)),
        (1.0 / (1.0 + exp((u + 65.0) / 6.2)), 1.0 / (ah + bh)),
    ]
}

/// Rates (α, β) of Kv, Km at `v`, of Ca m and h at `v`, unscaled by tadj.
#[inline(always)]
pub fn ms_rates(v: f64) -> [(f64, f64); 4] {
    [
        (0.02 * lin(v - 25.0, 9.0), 0.002 * lin(-(v - 25.0), 9.0)),
        (0.001 * lin(v + 30.0, 9.0), 0.001 * lin(-(v + 30.0), 9.0)),
        (0.055 * lin(v + 27.0, 3.8), 0.94 * exp((-75.0 - v) / 17.0)),
        (
            0.000457 * exp((-13.0 - v) / 50.0),
            0.0065 / (exp((-v - 15.0) / 28.0) + 1.0),
        ),
    ]
}

/// Ca influx per µA/cm² of outward-signed Ca current into a 0.1-µm shell: 10/(2F·0.1) [mM/ms].
const CA_PER_CURRENT: f64 = 10.0 / (2.0 * 96_485.309 * 0.1);

/// One substep (exponential Euler); `true` on an upward crossing by V_s.
#[inline(always)]
pub fn ms_substep(
    k: &MainenSejnowskiConsts,
    s: &mut MainenSejnowskiState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let (t, h) = (k.tadj, k.h);
    let before = s.vs;
    let (vs, vd) = (s.vs, s.vd);
    // Axo-somatic compartment.
    let gna = t * p.g_na * s.m * s.m * s.m * s.h;
    let gk = t * p.g_k * s.n;
    let g = gna + gk + k.g_cs + x.g;
    let a = gna * p.e_na + gk * p.e_k + k.g_cs * vd + x.ge + x.ports[0];
    s.vs = linear_relax(vs, a / p.c_m, g / p.c_m, h);
    // Dendrite.
    let gnad = t * p.g_na_d * s.m_d * s.m_d * s.m_d * s.h_d;
    let gca = t * p.g_ca * s.m_ca * s.m_ca * s.h_ca;
    let gkd = t * (p.g_kca * s.n_kca + p.g_km * s.n_km);
    let g = gnad + gca + gkd + p.g_l + k.g_cd;
    let a = gnad * p.e_na + gca * p.e_ca + gkd * p.e_k + p.g_l * p.e_l + k.g_cd * vs;
    s.vd = linear_relax(vd, a / p.c_m, g / p.c_m, h);
    // Ca shell: influx from the Ca current at the substep's start, exact relaxation.
    let influx = (-(gca * (vd - p.e_ca)) * CA_PER_CURRENT).max(0.0);
    s.ca = relax(s.ca, 1e-4 + 200.0 * influx, 200.0, h);
    // Gates at the substep's start voltages.
    let [(ms_inf, ms_tau), (hs_inf, hs_tau)] = ms_na(vs);
    s.m = relax(s.m, ms_inf, ms_tau / t, h);
    s.h = relax(s.h, hs_inf, hs_tau / t, h);
    let [(an, bn), ..] = ms_rates(vs);
    s.n = gate(s.n, t * an, t * bn, h);
    let [(md_inf, md_tau), (hd_inf, hd_tau)] = ms_na(vd);
    s.m_d = relax(s.m_d, md_inf, md_tau / t, h);
    s.h_d = relax(s.h_d, hd_inf, hd_tau / t, h);
    let [_, (akm, bkm), (amc, bmc), (ahc, bhc)] = ms_rates(vd);
    s.n_km = gate(s.n_km, t * akm, t * bkm, h);
    s.m_ca = gate(s.m_ca, t * amc, t * bmc, h);
    s.h_ca = gate(s.h_ca, t * ahc, t * bhc, h);
    s.n_kca = gate(s.n_kca, t * 0.01 * s.ca, t * 0.02, h);
    crossed(before, s.vs, p.v_threshold)
}

/// One step: `k.n` substeps, detecting on each.
#[inline(always)]
pub fn ms_step(
    k: &MainenSejnowskiConsts,
    s: &mut MainenSejnowskiState,
    x: &Input<[f64; 1]>,
) -> bool {
    let mut spiked = false;
    for _ in 0..k.n {
        spiked |= ms_substep(k, s, x);
    }
    spiked
}

standalone! {
/// Mainen–Sejnowski (1996) two-compartment neocortical neuron (active soma and dendrite).
pub struct MainenSejnowskiNeuron;
}

impl MainenSejnowskiNeuron {
    /// Advance one step (0.1 ms by default) with current density `current` into the
    /// axo-somatic compartment [µA/cm²]; `true` if V_s crossed `v_threshold` upward.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for MainenSejnowskiNeuron {
    const NAME: &'static str = "MainenSejnowskiNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str = "Mainen-Sejnowski 1996 two-compartment neuron: active axo-somatic and dendritic compartments, firing pattern set by dendritic size";
    const REFERENCE: &'static str =
        "Mainen & Sejnowski 1996, Nature 382:363, doi:10.1038/382363a0; ModelDB 2488";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("vs");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[100.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = MainenSejnowskiParams;
    type State = MainenSejnowskiState;
    type Consts = MainenSejnowskiConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &MainenSejnowskiParams) -> MainenSejnowskiState {
        // Gates at their steady states at −70 mV (ModelDB pre-equilibrates at v_init = −70).
        let v = -70.0;
        let [(m, _), (h, _)] = ms_na(v);
        let [(an, bn), (akm, bkm), (amc, bmc), (ahc, bhc)] = ms_rates(v);
        MainenSejnowskiState {
            vs: v,
            m,
            h,
            n: an / (an + bn),
            vd: v,
            m_d: m,
            h_d: h,
            m_ca: amc / (amc + bmc),
            h_ca: ahc / (ahc + bhc),
            n_kca: 0.01e-4 / (0.01e-4 + 0.02),
            n_km: akm / (akm + bkm),
            ca: 1e-4,
        }
    }
    fn standalone_span(p: &MainenSejnowskiParams) -> f64 {
        p.span
    }
    fn prepare(p: &MainenSejnowskiParams, span: f64) -> MainenSejnowskiConsts {
        let (n, h) = substeps(span, p.substep);
        let g_cs = 1e-3 / (p.kappa * p.area_s * 1e-8);
        MainenSejnowskiConsts {
            p: p.clone(),
            n,
            h,
            tadj: q10(2.3, p.celsius, 23.0),
            g_cs,
            g_cd: g_cs / p.rho,
        }
    }
    #[inline(always)]
    fn update(
        k: &MainenSejnowskiConsts,
        s: &mut MainenSejnowskiState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ms_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    fn train(rho: f64, i: f64, ms: f64) -> Vec<f64> {
        let mut n = MainenSejnowskiNeuron::with_params(MainenSejnowskiParams {
            rho,
            ..Default::default()
        })
        .unwrap();
        spike_times(&mut n, (ms / 0.1) as usize, |_| [i])
    }

    #[test]
    fn small_dendrite_fires_regularly_large_dendrite_bursts() {
        // Mainen & Sejnowski 1996, Fig. 1–3: same densities, sustained somatic current; a
        // small dendrite gives regular firing, a large one repetitive bursts (short intra-burst
        // ISIs separated by long pauses).
        for i in [100.0, 200.0] {
            let d = isis(&train(40.0, i, 1000.0));
            assert!(d.len() > 20 && cv(&d) < 0.1, "rho 40, I {i}: {d:?}");
            let d = isis(&train(200.0, i, 1000.0));
            let short = d.iter().filter(|&&x| x < 6.0).count();
            let long = d.iter().filter(|&&x| x > 50.0).count();
            assert!(long >= 2 && short >= long, "rho 200, I {i}: {d:?}");
            assert!(cv(&d) > 1.0, "rho 200, I {i}: {d:?}");
        }
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        // The equations typed again (NEURON's efun form of the rates) and integrated with the
        // test's RK4 at 0.0002 ms; ρ = 40, 200 µA/cm², 60 ms.
        let tadj = 2.3f64.powf(1.4);
        let efun = |z: f64| {
            if z.abs() < 1e-6 {
                1.0 - z / 2.0
            } else {
                z / (z.exp() - 1.0)
            }
        };
        let (gcs, rho, c) = (100.0, 40.0, 0.75);
        let f = move |_: f64, y: &[f64]| {
            let (vs, m, h, n, vd, md, hd, mc, hc, nk, nm, ca) = (
                y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7], y[8], y[9], y[10], y[11],
            );
            let na = |v: f64, m: f64, h: f64| {
                let u = v - 10.0;
                let a = 0.182 * 9.0 * efun((-35.0 - u) / 9.0);
                let b = 0.124 * 9.0 * efun((u + 35.0) / 9.0);
                let ah = 0.024 * 5.0 * efun((-50.0 - u) / 5.0);
                let bh = 0.0091 * 5.0 * efun((u + 75.0) / 5.0);
                let hinf = 1.0 / (1.0 + ((u + 65.0) / 6.2).exp());
                (
                    tadj * (a * (1.0 - m) - b * m),
                    tadj * (ah + bh) * (hinf - h),
                )
            };
            let k9 = |v: f64, th: f64, ra: f64, rb: f64, n: f64| {
                let a = ra * 9.0 * efun(-(v - th) / 9.0);
                let b = rb * 9.0 * efun((v - th) / 9.0);
                tadj * (a * (1.0 - n) - b * n)
            };
            let (dm, dh) = na(vs, m, h);
            let (dmd, dhd) = na(vd, md, hd);
            let amc = 0.209 * efun(-(27.0 + vd) / 3.8);
            let bmc = 0.94 * ((-75.0 - vd) / 17.0).exp();
            let ahc = 0.000457 * ((-13.0 - vd) / 50.0).exp();
            let bhc = 0.0065 / (((-vd - 15.0) / 28.0).exp() + 1.0);
            let ica = tadj * 0.03 * mc * mc * hc * (vd - 140.0);
            let drive = (-1e4 * ica * 1e-3 / (2.0 * 96485.309 * 0.1)).max(0.0);
            let is = tadj * 3000.0 * m.powi(3) * h * (vs - 60.0) + tadj * 150.0 * n * (vs + 90.0);
            let id = tadj * 1.5 * md.powi(3) * hd * (vd - 60.0)
                + ica
                + tadj * (0.3 * nk + 0.01 * nm) * (vd + 90.0)
                + (vd + 70.0) / 30.0;
            vec![
                (200.0 - is + gcs * (vd - vs)) / c,
                dm,
                dh,
                k9(vs, 25.0, 0.02, 0.002, n),
                (-id + gcs / rho * (vs - vd)) / c,
                dmd,
                dhd,
                tadj * (amc * (1.0 - mc) - bmc * mc),
                tadj * (ahc * (1.0 - hc) - bhc * hc),
                tadj * (0.01 * ca * (1.0 - nk) - 0.02 * nk),
                k9(vd, -30.0, 0.001, 0.001, nm),
                drive + (1e-4 - ca) / 200.0,
            ]
        };
        // Exponential Euler is first order: at the default 0.005 ms the spike times drift by
        // about 0.3 ms over 60 ms; at 0.0005 ms they agree to the 0.1-ms step.
        let mut n = MainenSejnowskiNeuron::with_params(MainenSejnowskiParams {
            rho,
            substep: 0.0005,
            ..Default::default()
        })
        .unwrap();
        let s = *n.state();
        let y0 = [
            s.vs, s.m, s.h, s.n, s.vd, s.m_d, s.h_d, s.m_ca, s.h_ca, s.n_kca, s.n_km, s.ca,
        ];
        let (_, reference) = Reference::rk4(0.0002, f).run(&y0, 60.0, 0, -20.0);
        let got = spike_times(&mut n, 600, |_| [200.0]);
        assert!(reference.len() >= 4, "{reference:?}");
        assert_eq!(got.len(), reference.len(), "{got:?} vs {reference:?}");
        for (g, r) in got.iter().zip(&reference) {
            assert!(*r > g - 0.05 && *r < g + 0.15, "{g} vs {r}");
        }
    }
}
