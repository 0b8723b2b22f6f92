//! `PinskyRinzelNeuron` — two-compartment reduction of Traub's CA3 pyramidal cell.
//!
//! **Equations** (voltages shifted so that rest is −60 mV):
//! C dVs/dt = −g_L(Vs − E_L) − g_Na m∞(Vs)² h (Vs − E_Na) − g_KDR n (Vs − E_K)
//!            + (g_c/p)(Vd − Vs) + (I_s + I_syn(Vs))/p;
//! C dVd/dt = −g_L(Vd − E_L) − g_Ca s² (Vd − E_Ca) − g_KAHP q (Vd − E_K) − g_KC c χ(Ca)(Vd − E_K)
//!            + (g_c/(1 − p))(Vs − Vd) + I_d/(1 − p);
//! dCa/dt = −0.13·g_Ca s²(Vd − E_Ca) − 0.075·Ca, χ(Ca) = min(Ca/250, 1);
//! dx/dt = α_x(1 − x) − β_x x for x ∈ {h, n, s, c, q}, with (V in mV)
//! α_m = 0.32·lin(Vs+46.9, 4), β_m = 0.28·lin(−(Vs+19.9), 5), m∞ = α_m/(α_m + β_m);
//! α_h = 0.128·e^(−(Vs+43)/18), β_h = 4/(1 + e^(−(Vs+20)/5));
//! α_n = 0.016·lin(Vs+24.9, 5), β_n = 0.25·e^(−1 − 0.025·Vs);
//! α_s = 1.6/(1 + e^(−0.072(Vd − 5))), β_s = 0.02·lin(−(Vd+8.9), 5);
//! Vd ≤ −10: α_c = e^((Vd+50)/11 − (Vd+53.5)/27)/18.975, β_c = 2e^(−(Vd+53.5)/27) − α_c;
//! Vd > −10: α_c = 2e^(−(Vd+53.5)/27), β_c = 0; α_q = min(2·10⁻⁵·Ca, 0.01), β_q = 0.001.
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV) by Vs, tested after every substep.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` = 0.02 ms; after each substep the
//! gates are clamped to [0, 1] and Ca to ≥ 0. A standalone step spans `span` = 0.02 ms (one
//! RK4 step, as SC-NeuroCore's step).
//!
//! **Units.** V in mV, currents in µA/cm² of total membrane (the model divides by p and 1 − p),
//! g in mS/cm², C in µF/cm², Ca dimensionless.
//!
//! **Reference.** Pinsky, P.F. & Rinzel, J. (1994) J. Comput. Neurosci. 1:39–60,
//! doi:10.1007/BF00962717 (channel code: ModelDB 35358).
//!
//! **Relation to SC-NeuroCore** (spec §21). The specified (newest) version matches the paper;
//! this port follows it, with spikes detected on every substep. `get_state()` returns all eight
//! variables (SC-NeuroCore's Rust binding returns only `v_s, v_d`). Conductance receptors of the
//! engine act on the soma, like the somatic current.
//!
//! **Paper facts tested.** With g_c = 2.1 mS/cm², p = 0.5 and I_s ≈ 0.75 µA/cm² the cell fires
//! periodic bursts (several somatic spikes riding a dendritic Ca spike, then a long AHP); with
//! strong coupling (g_c = 10.5) it fires single spikes (Pinsky & Rinzel 1994, Figs. 2–4).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PinskyRinzelNeuron`].
    pub struct PinskyRinzelParams {
        /// Membrane capacitance, C_m [µF/cm²].
        cm: f64 = 3.0,
        /// Soma–dendrite coupling conductance, g_c [mS/cm²].
        gc: f64 = 2.1,
        /// Fraction of membrane area in the soma, p [1].
        p: f64 = 0.5,
        /// Fast sodium conductance, g_Na [mS/cm²].
        g_na: f64 = 30.0,
        /// Delayed-rectifier potassium conductance, g_KDR [mS/cm²].
        g_kdr: f64 = 15.0,
        /// Calcium conductance, g_Ca [mS/cm²].
        g_ca: f64 = 10.0,
        /// Calcium-activated AHP potassium conductance, g_KAHP [mS/cm²].
        g_kahp: f64 = 0.8,
        /// Voltage- and calcium-dependent potassium conductance, g_KC [mS/cm²].
        g_kc: f64 = 15.0,
        /// Leak conductance (both compartments), g_L [mS/cm²].
        g_l: f64 = 0.1,
        /// Sodium reversal potential, E_Na [mV].
        e_na: f64 = 60.0,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -75.0,
        /// Calcium reversal potential, E_Ca [mV].
        e_ca: f64 = 80.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -60.0,
        /// Largest internal RK4 substep, dt [ms].
        dt: f64 = 0.02,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.02,
        /// Somatic spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
    }
}

impl PinskyRinzelParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("cm", self.cm)?;
        check::non_negative("gc", self.gc)?;
        check::in_range("p", self.p, 1e-6, 1.0 - 1e-6)?;
        for (n, g) in [
            ("g_na", self.g_na),
            ("g_kdr", self.g_kdr),
            ("g_ca", self.g_ca),
            ("g_kahp", self.g_kahp),
            ("g_kc", self.g_kc),
            ("g_l", self.g_l),
        ] {
            check::non_negative(n, g)?;
        }
        check::positive("dt", self.dt)?;
        check::positive("span", self.span)
    }
}

neuron_state! {
    /// State of [`PinskyRinzelNeuron`].
    pub struct PinskyRinzelState {
        /// Somatic potential, Vs [mV].
        v_s: f64 => PrVs,
        /// Dendritic potential, Vd [mV].
        v_d: f64 => PrVd,
        /// Na inactivation, h [1].
        h: f64 => PrH,
        /// K-DR activation, n [1].
        n: f64 => PrN,
        /// Ca activation, s [1].
        s: f64 => PrS,
        /// K-C activation, c [1].
        c: f64 => PrC,
        /// K-AHP activation, q [1].
        q: f64 => PrQ,
        /// Intracellular calcium, Ca [dimensionless].
        ca: f64 => PrCa,
    }
}

/// Constants of [`PinskyRinzelNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct PinskyRinzelConsts {
    p: PinskyRinzelParams,
    n: u32,
    h: f64,
}

/// Right-hand side of the eight equations.
#[inline(always)]
fn rhs(p: &PinskyRinzelParams, y: &[f64; 8], i_s: f64, i_d: f64, x: &Input<[f64; 2]>) -> [f64; 8] {
    let [vs, vd, h, n, s, c, q, ca] = *y;
    let am = 0.32 * lin(vs + 46.9, 4.0);
    let bm = 0.28 * lin(-(vs + 19.9), 5.0);
    let minf = am / (am + bm);
    let ah = 0.128 * (-(vs + 43.0) / 18.0).exp();
    let bh = 4.0 / (1.0 + (-(vs + 20.0) / 5.0).exp());
    let an = 0.016 * lin(vs + 24.9, 5.0);
    let bn = 0.25 * (-1.0 - 0.025 * vs).exp();
    let as_ = 1.6 / (1.0 + (-0.072 * (vd - 5.0)).exp());
    let bs = 0.02 * lin(-(vd + 8.9), 5.0);
    let (ac, bc) = if vd <= -10.0 {
        let ac = ((vd + 50.0) / 11.0 - (vd + 53.5) / 27.0).exp() / 18.975;
        (ac, 2.0 * (-(vd + 53.5) / 27.0).exp() - ac)
    } else {
        (2.0 * (-(vd + 53.5) / 27.0).exp(), 0.0)
    };
    let aq = (0.00002 * ca).min(0.01);
    let bq = 0.001;
    let chi = (ca / 250.0).min(1.0);
    let i_ca = p.g_ca * s * s * (vd - p.e_ca);
    let dvs = (-p.g_l * (vs - p.e_l)
        - p.g_na * minf * minf * h * (vs - p.e_na)
        - p.g_kdr * n * (vs - p.e_k)
        + p.gc / p.p * (vd - vs)
        + (i_s + x.syn(vs)) / p.p)
        / p.cm;
    let dvd = (-p.g_l * (vd - p.e_l)
        - i_ca
        - p.g_kahp * q * (vd - p.e_k)
        - p.g_kc * c * chi * (vd - p.e_k)
        + p.gc / (1.0 - p.p) * (vs - vd)
        + i_d / (1.0 - p.p))
        / p.cm;
    [
        dvs,
        dvd,
        ah * (1.0 - h) - bh * h,
        an * (1.0 - n) - bn * n,
        as_ * (1.0 - s) - bs * s,
        ac * (1.0 - c) - bc * c,
        aq * (1.0 - q) - bq * q,
        -0.13 * i_ca - 0.075 * ca,
    ]
}

/// One step: `k.n` RK4 substeps, clamping gates and Ca, detecting somatic up-crossings.
#[inline(always)]
pub fn pinsky_rinzel_step(
    k: &PinskyRinzelConsts,
    st: &mut PinskyRinzelState,
    x: &Input<[f64; 2]>,
) -> bool {
    let p = &k.p;
    let (i_s, i_d) = (x.ports[0], x.ports[1]);
    let mut spiked = false;
    let mut y = [st.v_s, st.v_d, st.h, st.n, st.s, st.c, st.q, st.ca];
    for _ in 0..k.n {
        let before = y[0];
        rk4(&mut y, k.h, |y| rhs(p, y, i_s, i_d, x));
        for g in &mut y[2..7] {
            *g = g.clamp(0.0, 1.0);
        }
        y[7] = y[7].max(0.0);
        if before < p.v_threshold && y[0] >= p.v_threshold {
            spiked = true;
        }
    }
    [st.v_s, st.v_d, st.h, st.n, st.s, st.c, st.q, st.ca] = y;
    spiked
}

standalone! {
/// Pinsky–Rinzel (1994) two-compartment CA3 pyramidal cell.
pub struct PinskyRinzelNeuron;
}

impl PinskyRinzelNeuron {
    /// Advance one step (0.02 ms by default) with somatic and dendritic current densities
    /// [µA/cm²]; `true` if the soma crossed the threshold upward.
    pub fn step(&mut self, current_soma: f64, current_dend: f64) -> bool {
        self.step_or_none([current_soma, current_dend])
    }
}

impl Model for PinskyRinzelNeuron {
    const NAME: &'static str = "PinskyRinzelNeuron";
    const FAMILY: Family = Family::Compartmental;
    const SUMMARY: &'static str = "Pinsky-Rinzel 1994 two-compartment CA3 pyramidal cell";
    const REFERENCE: &'static str =
        "Pinsky & Rinzel 1994, J Comput Neurosci 1:39, doi:10.1007/BF00962717";
    const PORTS: &'static [&'static str] = &["current_soma", "current_dend"];
    const MEMBRANE: Option<&'static str> = Some("v_s");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[0.75, 0.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = PinskyRinzelParams;
    type State = PinskyRinzelState;
    type Consts = PinskyRinzelConsts;
    type Ports = [f64; 2];
    type Output = bool;

    fn init(_: &PinskyRinzelParams) -> PinskyRinzelState {
        PinskyRinzelState {
            v_s: -60.0,
            v_d: -60.0,
            h: 0.999,
            n: 0.001,
            s: 0.009,
            c: 0.007,
            q: 0.01,
            ca: 0.2,
        }
    }
    fn standalone_span(p: &PinskyRinzelParams) -> f64 {
        p.span
    }
    fn prepare(p: &PinskyRinzelParams, span: f64) -> PinskyRinzelConsts {
        let (n, h) = substeps(span, p.dt);
        PinskyRinzelConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &PinskyRinzelConsts,
        s: &mut PinskyRinzelState,
        x: &Input<[f64; 2]>,
        _: &mut NeuronRng,
    ) -> bool {
        pinsky_rinzel_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike times (ms) over `ms` of somatic current `i_s` with coupling `gc`.
    fn spikes(gc: f64, i_s: f64, ms: f64) -> Vec<f64> {
        let p = PinskyRinzelParams {
            gc,
            ..Default::default()
        };
        let mut n = PinskyRinzelNeuron::with_span(p, 0.1).unwrap();
        (0..(ms * 10.0) as usize)
            .filter(|_| n.step(i_s, 0.0))
            .map(|k| (k + 1) as f64 * 0.1)
            .collect()
    }

    fn isis(t: &[f64]) -> Vec<f64> {
        t.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[test]
    fn weak_coupling_bursts() {
        // PR94: g_c = 2.1, I_s = 0.75 → periodic bursts of several spikes, long AHP between.
        let d = isis(&spikes(2.1, 0.75, 3000.0));
        let max = d.iter().cloned().fold(0.0, f64::max);
        let gaps = d.iter().filter(|&&x| x > 0.5 * max).count();
        let intra = d.iter().filter(|&&x| x < 10.0).count();
        assert!(gaps >= 3, "no repeated bursts: {d:?}");
        assert!(intra >= gaps, "bursts are single spikes: {d:?}");
        assert!(max > 100.0, "no long interburst interval: {d:?}");
    }

    #[test]
    fn strong_coupling_fires_single_spikes() {
        // PR94: g_c ≳ 10 makes the cell act as one compartment: regular single spikes.
        let d = isis(&spikes(10.5, 0.75, 3000.0));
        assert!(d.len() > 5, "{d:?}");
        let tail = &d[d.len() / 2..];
        let (lo, hi) = tail
            .iter()
            .fold((f64::MAX, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(
            lo > 10.0 && hi < 1.5 * lo,
            "not regular single spikes: {d:?}"
        );
    }
}
