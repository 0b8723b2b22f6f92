//! `DurstewitzDopamineNeuron` — the somatic compartment of the Durstewitz–Seamans–Sejnowski
//! prefrontal layer-V pyramidal cell (fast Na, persistent Na, delayed rectifier, slowly
//! inactivating K, leak, tonic NMDA) with graded D1-receptor modulation.
//!
//! **Equations** (constants from ModelDB 82784, the Durstewitz & Gabriel 2006 code that reuses
//! the 2000 cell; soma of `IB.tem`, gates of `INa_a.m` … `IKS_i.m`). With d = `d1_level`:
//! C dV/dt = I − g_Na m³h (V − E_Na) − g_NaP m_p h_p (V − E_Na) − g_DR n⁴ (V − E_K)
//!           − g_Ks(d) a b (V − E_K) − g_NMDA(d) B(V) (V − E_NMDA) − g_L (V − E_L);
//! Na:  α_m = 0.2816·lin(V + 28, 9.3), β_m = 0.2464·lin(−(V + 1), 6),
//!      α_h = 0.098·e^(−(V + 43.1)/20), β_h = 1.4/(1 + e^(−(V + 13.1)/10));
//! DR:  α_n = 0.018·lin(V − 13, 25), β_n = 0.0054·lin(−(V − 23), 12);
//! NaP: α = 0.2816·lin(V + 12, 9.3), β = 0.2464·lin(−(V − 15), 6),
//!      α_h = 2.8·10⁻⁵·e^(−(V + 42.8477)/4.0248), β_h = 0.02/(1 + e^(−(V − 413.9284)/148.2589)),
//!      the h_p kinetics slowed by τ(d) = 1 + d(`nap_tau_scale` − 1);
//! Ks:  a∞ = 1/(1 + e^(−(V + 34)/6.5)), τ_a = 6 ms; b∞ = 1/(1 + e^((V + 65)/6.6)),
//!      τ_b = 200 + 220/(1 + e^(−(V + 71.6)/6.85)) ms;
//! g_Ks(d) = g_ks·(1 + d(`g_ks_scale` − 1)), g_NMDA(d) = g_nmda·(1 + d(`g_nmda_scale` − 1));
//! B(V) = 1/(1 + [Mg]/3.57·e^(−0.062 V)) (Jahr & Stevens 1990), see [`mg_block`].
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV), tested after every substep; no reset.
//!
//! **Numerics.** `method = "rk4"` (default): RK4 on all eight variables in substeps of at most
//! `substep` = 0.01 ms; `"exp_euler"`: Rush–Larsen gates, exponential-Euler voltage. Forward
//! Euler is refused. A standalone step spans `span` = 0.05 ms, as SC-NeuroCore's step.
//!
//! **Units.** V in mV, I in µA/cm², g in mS/cm², C in µF/cm², [Mg] in mM, t in ms.
//!
//! **Reference.** Durstewitz, D., Seamans, J.K. & Sejnowski, T.J. (2000) Dopamine-mediated
//! stabilization of delay-period activity in a network model of prefrontal cortex.
//! J. Neurophysiol. 83:1733–1750, doi:10.1152/jn.2000.83.3.1733. Channel kinetics, densities
//! and the D1 implementation as published in ModelDB 82784 (Durstewitz, D. & Gabriel, T. (2006)
//! Dynamical basis of irregular spiking in NMDA-driven prefrontal cortex neurons. Cereb. Cortex
//! 17:894–908, doi:10.1093/cercor/bhk044), which reuses the 2000 cell. D1 slice data:
//! Yang, C.R. & Seamans, J.K. (1996) J. Neurosci. 16:1922–1935,
//! doi:10.1523/JNEUROSCI.16-05-01922.1996. Mg block: Jahr, C.E. & Stevens, C.F. (1990)
//! J. Neurosci. 10:3178–3182, doi:10.1523/JNEUROSCI.10-09-03178.1990.
//!
//! **Relation to SC-NeuroCore** (spec §17). Same `step(current)` (0.05 ms per call), state
//! names `v`, `h_na`, `n_k` kept (Na inactivation, DR activation), `mg_block(v)` and the
//! parameters `d1_level`, `g_nmda`, `g_nmda_scale`, `mg`, `e_nmda` kept. Differences, all
//! following the paper:
//! - **Sign of the D1 effect on K.** SC-NeuroCore multiplies the K conductance by 1.5 at full
//!   D1; the paper *reduces* the slowly inactivating I_Ks. Here `g_ks_scale` = 0.4 (ModelDB
//!   82784 `IB_DA.tem`: g_Ks × 0.4) multiplies g_Ks, and the delayed rectifier is unmodulated.
//!   SC-NeuroCore's `g_k_scale` is therefore replaced by `g_ks_scale`.
//! - **D1 acts on the persistent Na current**, not on the transient one: SC-NeuroCore shifts
//!   the transient Na activation (`v_shift_na`); the paper increases I_NaP. Here D1 slows the
//!   NaP inactivation by `nap_tau_scale` = 2 (ModelDB 82784 `INaPDA_i.m`), which increases the
//!   persistent current during depolarisation; `v_shift_na` is replaced by `nap_tau_scale`.
//! - Currents added (paper): persistent Na and slowly inactivating K, with state `m_na`
//!   (Na activation is a state in the paper, instantaneous in SC-NeuroCore), `m_nap`, `h_nap`,
//!   `a_ks`, `b_ks` (listed in `ADDED_STATE`). Kinetics and densities are the paper cell's
//!   (SC-NeuroCore's are generic): g_Na 117, g_DR 50, g_NaP 1.8, g_Ks 0.08, g_L 1/30 mS/cm²,
//!   C = 1.2 µF/cm², E_L = −70, E_K = −90 mV (25·ln(3.82/140) at the resting [K]_o).
//! - `g_nmda` defaults to 0 (SC-NeuroCore 0.5): the paper's NMDA current is synaptic, and a
//!   tonic 0.5 mS/cm² makes this compartment fire without input. Set it to model tonic NMDA.
//! - Omitted from the paper (single somatic compartment): the dendrite, the high-voltage
//!   activated Ca current and its D1 reduction (paper: −20 % N-type I_Ca), the Ca-activated K
//!   current, Ca and [K]_o dynamics, synaptic AMPA/GABA_A and their D1 changes. `g_nmda_scale`
//!   keeps SC-NeuroCore's 2.5 (the paper's NMDA increase was not verified here).
//! - RK4 (or exponential Euler) in 0.01-ms substeps instead of one RK4 step per call; spikes
//!   detected on every substep; added `substep`, `span`, `method`, `c_m`, `g_nap`, `g_ks`.
//!
//! **Paper facts tested.** D1 increases excitability (Yang & Seamans 1996; reproduced by the
//! model cell of Durstewitz et al. 2000): at 0.9 µA/cm² the control cell stays silent for 1 s
//! while at full D1 it fires repetitively (~20 Hz); at 1.0 µA/cm² D1 raises the firing rate.
//! The effect in this somatic compartment is modest: the current threshold moves by only
//! ~0.05 µA/cm² (g_Ks is small in the ModelDB soma). The Jahr
//! & Stevens block at 1 mM Mg: B(−80) ≈ 0.025, B(−60) ≈ 0.080, B(0) ≈ 0.78 (spec §17.8).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`DurstewitzDopamineNeuron`].
    pub struct DurstewitzDopamineParams {
        /// Fast Na conductance, g_Na [mS/cm²].
        g_na: f64 = 117.0,
        /// Delayed-rectifier K conductance, g_DR [mS/cm²].
        g_k: f64 = 50.0,
        /// Persistent Na conductance, g_NaP [mS/cm²].
        g_nap: f64 = 1.8,
        /// Slowly inactivating K conductance without D1, g_Ks [mS/cm²].
        g_ks: f64 = 0.08,
        /// Tonic NMDA conductance without D1, g_NMDA [mS/cm²].
        g_nmda: f64 = 0.0,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 1.0 / 30.0,
        /// Na reversal potential, E_Na [mV].
        e_na: f64 = 55.0,
        /// K reversal potential, E_K [mV].
        e_k: f64 = -90.0,
        /// NMDA reversal potential, E_NMDA [mV].
        e_nmda: f64 = 0.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -70.0,
        /// Membrane capacitance, C_m [µF/cm²].
        c_m: f64 = 1.2,
        /// External Mg²⁺ concentration, [Mg] [mM].
        mg: f64 = 1.0,
        /// D1-receptor activation, d in [0, 1] [1].
        d1_level: f64 = 0.0,
        /// NMDA conductance multiplier at full D1 [1].
        g_nmda_scale: f64 = 2.5,
        /// Slowly inactivating K conductance multiplier at full D1 (< 1: a reduction) [1].
        g_ks_scale: f64 = 0.4,
        /// NaP inactivation time-constant multiplier at full D1 [1].
        nap_tau_scale: f64 = 2.0,
        /// Largest internal integration step [ms].
        substep: f64 = 0.01,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.05,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl DurstewitzDopamineParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        for (n, x) in [
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_nap", self.g_nap),
            ("g_ks", self.g_ks),
            ("g_nmda", self.g_nmda),
            ("g_l", self.g_l),
            ("mg", self.mg),
            ("g_nmda_scale", self.g_nmda_scale),
            ("g_ks_scale", self.g_ks_scale),
        ] {
            check::non_negative(n, x)?;
        }
        check::positive("nap_tau_scale", self.nap_tau_scale)?;
        if !(0.0..=1.0).contains(&self.d1_level) {
            return Err(ParamError::new("d1_level", "must lie in [0, 1]"));
        }
        check::positive("substep", self.substep)?;
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
    /// State of [`DurstewitzDopamineNeuron`].
    pub struct DurstewitzDopamineState {
        /// Membrane potential, V [mV].
        v: f64 => DdV,
        /// Fast Na inactivation, h [1].
        h_na: f64 => DdHNa,
        /// Delayed-rectifier activation, n [1].
        n_k: f64 => DdNK,
        /// Fast Na activation, m [1].
        m_na: f64 => DdMNa,
        /// Persistent Na activation, m_p [1].
        m_nap: f64 => DdMNap,
        /// Persistent Na inactivation, h_p [1].
        h_nap: f64 => DdHNap,
        /// Slowly inactivating K activation, a [1].
        a_ks: f64 => DdAKs,
        /// Slowly inactivating K inactivation, b [1].
        b_ks: f64 => DdBKs,
    }
}

/// Constants of [`DurstewitzDopamineNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct DurstewitzDopamineConsts {
    p: DurstewitzDopamineParams,
    n: u32,
    h: f64,
    g_ks: f64,
    g_nmda: f64,
    nap_rate: f64,
}

/// Jahr & Stevens (1990) Mg²⁺ block factor B(V) = 1/(1 + [Mg]/3.57·e^(−0.062 V)) at
/// potential `v` [mV] and external Mg²⁺ `mg` [mM].
#[inline(always)]
pub fn mg_block(v: f64, mg: f64) -> f64 {
    1.0 / (1.0 + mg / 3.57 * exp(-0.062 * v))
}

/// Gate kinetics at `v` as (α, β) of Na m, Na h, DR n, NaP m, NaP h (without D1), then
/// (x∞, τ) of Ks a and Ks b.
#[inline(always)]
pub fn dd_gates(v: f64) -> [(f64, f64); 7] {
    [
        (0.2816 * lin(v + 28.0, 9.3), 0.2464 * lin(-(v + 1.0), 6.0)),
        (
            0.098 * exp(-(v + 43.1) / 20.0),
            1.4 / (1.0 + exp(-(v + 13.1) / 10.0)),
        ),
        (0.018 * lin(v - 13.0, 25.0), 0.0054 * lin(-(v - 23.0), 12.0)),
        (0.2816 * lin(v + 12.0, 9.3), 0.2464 * lin(-(v - 15.0), 6.0)),
        (
            2.8e-5 * exp(-(v + 42.8477) / 4.0248),
            0.02 / (1.0 + exp(-(v - 413.9284) / 148.2589)),
        ),
        (boltzmann(v, -34.0, 6.5), 6.0),
        (
            boltzmann(v, -65.0, -6.6),
            200.0 + 220.0 / (1.0 + exp(-(v + 71.6) / 6.85)),
        ),
    ]
}

/// The membrane at `y = [V, m, h, n, m_p, h_p, a, b]`.
#[inline(always)]
fn dd_currents(k: &DurstewitzDopamineConsts, y: &[f64; 8]) -> Currents<8> {
    let p = &k.p;
    let [v, m, h, n, mp, hp, a, b] = *y;
    let [gm, gh, gn, gmp, ghp, (ai, at), (bi, bt)] = dd_gates(v);
    let gna = p.g_na * m * m * m * h;
    let n2 = n * n;
    let gk = p.g_k * n2 * n2;
    let gnap = p.g_nap * mp * hp;
    let gks = k.g_ks * a * b;
    let gnmda = k.g_nmda * mg_block(v, p.mg);
    let gnat = gna + gnap;
    let gkt = gk + gks;
    Currents {
        i_ion: gnat * (v - p.e_na)
            + gkt * (v - p.e_k)
            + gnmda * (v - p.e_nmda)
            + p.g_l * (v - p.e_l),
        g: gnat + gkt + gnmda + p.g_l,
        ge: gnat * p.e_na + gkt * p.e_k + gnmda * p.e_nmda + p.g_l * p.e_l,
        gates: [
            Gate::FROZEN,
            Gate::rates(gm.0, gm.1),
            Gate::rates(gh.0, gh.1),
            Gate::rates(gn.0, gn.1),
            Gate::rates(gmp.0, gmp.1),
            Gate::rates(k.nap_rate * ghp.0, k.nap_rate * ghp.1),
            Gate::relax(ai, at),
            Gate::relax(bi, bt),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn dd_substep<const M: u8>(
    k: &DurstewitzDopamineConsts,
    s: &mut DurstewitzDopamineState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.m_na, s.h_na, s.n_k, s.m_nap, s.h_nap, s.a_ks, s.b_ks];
    conductance_substep::<8, M>(
        &mut y,
        k.h,
        p.c_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| dd_currents(k, y),
    );
    [s.v, s.m_na, s.h_na, s.n_k, s.m_nap, s.h_nap, s.a_ks, s.b_ks] = y;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Durstewitz–Seamans–Sejnowski (2000) prefrontal pyramidal soma with D1 modulation.
pub struct DurstewitzDopamineNeuron;
}

impl DurstewitzDopamineNeuron {
    /// Advance one step (0.05 ms by default) with injected current density `current`
    /// [µA/cm²]; `true` if the membrane crossed the threshold upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// The Mg²⁺ block factor of this neuron's NMDA conductance at `v` [mV] ([`mg_block`]).
    pub fn mg_block(&self, v: f64) -> f64 {
        mg_block(v, self.params().mg)
    }
}

impl Model for DurstewitzDopamineNeuron {
    const NAME: &'static str = "DurstewitzDopamineNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str = "Durstewitz-Seamans-Sejnowski 2000 PFC pyramidal soma (Na, NaP, DR, Ks, NMDA) with D1 modulation: Ks reduced, NaP increased";
    const REFERENCE: &'static str = "Durstewitz, Seamans & Sejnowski 2000, J Neurophysiol 83:1733, doi:10.1152/jn.2000.83.3.1733; ModelDB 82784";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = DurstewitzDopamineParams;
    type State = DurstewitzDopamineState;
    type Consts = DurstewitzDopamineConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &DurstewitzDopamineParams) -> DurstewitzDopamineState {
        // Gates at their steady states at the paper's initial −65 mV (ModelDB 82784).
        let v = -65.0;
        let [m, h, n, mp, hp, (a, _), (b, _)] = dd_gates(v);
        let ss = |g: (f64, f64)| g.0 / (g.0 + g.1);
        DurstewitzDopamineState {
            v,
            h_na: ss(h),
            n_k: ss(n),
            m_na: ss(m),
            m_nap: ss(mp),
            h_nap: ss(hp),
            a_ks: a,
            b_ks: b,
        }
    }
    fn standalone_span(p: &DurstewitzDopamineParams) -> f64 {
        p.span
    }
    fn prepare(p: &DurstewitzDopamineParams, span: f64) -> DurstewitzDopamineConsts {
        let (n, h) = substeps(span, p.substep);
        let d = p.d1_level;
        DurstewitzDopamineConsts {
            p: p.clone(),
            n,
            h,
            g_ks: p.g_ks * (1.0 + d * (p.g_ks_scale - 1.0)),
            g_nmda: p.g_nmda * (1.0 + d * (p.g_nmda_scale - 1.0)),
            nap_rate: 1.0 / (1.0 + d * (p.nap_tau_scale - 1.0)),
        }
    }
    #[inline(always)]
    fn update(
        k: &DurstewitzDopamineConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &DurstewitzDopamineConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for DurstewitzDopamineNeuron {
    fn method(k: &DurstewitzDopamineConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &DurstewitzDopamineConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &DurstewitzDopamineConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        dd_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, late_rate_hz, spike_times};

    /// Spike times [ms] over `ms` of constant current `i` at D1 level `d1`.
    fn times(i: f64, d1: f64, ms: f64, method: &str) -> Vec<f64> {
        let mut p = DurstewitzDopamineParams {
            d1_level: d1,
            ..Default::default()
        };
        p.set_text("method", method).unwrap();
        let mut n = DurstewitzDopamineNeuron::with_params(p).unwrap();
        spike_times(&mut n, (ms / 0.05).round() as usize, |_| [i])
    }

    #[test]
    fn d1_increases_excitability() {
        // Yang & Seamans 1996 (slice) and the Durstewitz et al. 2000 model cell: D1 activation
        // (more I_NaP, less I_Ks) lowers the current threshold and raises evoked firing.
        let control = times(0.9, 0.0, 1000.0, "rk4");
        let d1 = times(0.9, 1.0, 1000.0, "rk4");
        assert!(control.is_empty(), "control fires at 0.9: {control:?}");
        assert!(d1.len() >= 10, "D1 at 0.9: {d1:?}");
        let (rc, rd) = (
            late_rate_hz(&times(1.0, 0.0, 1000.0, "rk4"), 5),
            late_rate_hz(&times(1.0, 1.0, 1000.0, "rk4"), 5),
        );
        assert!(
            rd > rc && rc > 5.0,
            "rate at 1.0: control {rc} Hz, D1 {rd} Hz"
        );
        // The SC-NeuroCore sign (K conductance raised by D1) would do the opposite: with
        // g_Ks multiplied by 1.5 instead of 0.4 the 0.9-µA/cm² response disappears.
        let mut p = DurstewitzDopamineParams {
            d1_level: 1.0,
            g_ks_scale: 1.5,
            nap_tau_scale: 1.0,
            ..Default::default()
        };
        p.set_text("method", "rk4").unwrap();
        let mut n = DurstewitzDopamineNeuron::with_params(p).unwrap();
        assert!(spike_times(&mut n, 20_000, |_| [0.9]).is_empty());
    }

    #[test]
    fn jahr_stevens_block_values() {
        // Spec §17.8 (Jahr & Stevens 1990 at 1 mM Mg²⁺).
        for (v, b) in [(-80.0, 0.025), (-60.0, 0.080), (0.0, 0.78)] {
            assert!((mg_block(v, 1.0) - b).abs() < 0.0015, "B({v})");
        }
        let n = DurstewitzDopamineNeuron::new();
        assert_eq!(n.mg_block(-60.0), mg_block(-60.0, 1.0));
    }

    /// The equations typed again from the published rate functions and integrated
    /// independently; returns spike times.
    fn reference(i: f64, d1: f64, ms: f64) -> Vec<f64> {
        let lin = |x: f64, k: f64| {
            if x.abs() < 1e-9 {
                k
            } else {
                x / (1.0 - (-x / k).exp())
            }
        };
        let rates = move |v: f64| {
            [
                (0.2816 * lin(v + 28.0, 9.3), 0.2464 * lin(-v - 1.0, 6.0)),
                (
                    0.098 / ((v + 43.1) / 20.0).exp(),
                    1.4 / (1.0 + ((v + 13.1) / -10.0).exp()),
                ),
                (0.018 * lin(v - 13.0, 25.0), 0.0054 * lin(23.0 - v, 12.0)),
                (0.2816 * lin(v + 12.0, 9.3), 0.2464 * lin(15.0 - v, 6.0)),
                (
                    0.28e-4 / ((v + 42.8477) / 4.0248).exp(),
                    0.02 / (1.0 + ((v - 413.9284) / -148.2589).exp()),
                ),
            ]
        };
        let ks = |v: f64| {
            (
                1.0 / (1.0 + ((v + 34.0) / -6.5).exp()),
                1.0 / (1.0 + ((v + 65.0) / 6.6).exp()),
                200.0 + 220.0 / (1.0 + ((v + 71.6) / -6.85).exp()),
            )
        };
        let (gks, slow) = (0.08 * (1.0 - 0.6 * d1), 1.0 + d1);
        let f = move |_: f64, y: &[f64]| {
            let v = y[0];
            let r = rates(v);
            let (ai, bi, bt) = ks(v);
            let ion = 117.0 * y[1].powi(3) * y[2] * (v - 55.0)
                + 50.0 * y[3].powi(4) * (v + 90.0)
                + 1.8 * y[4] * y[5] * (v - 55.0)
                + gks * y[6] * y[7] * (v + 90.0)
                + (v + 70.0) / 30.0;
            let g = |k: usize, x: f64| r[k].0 * (1.0 - x) - r[k].1 * x;
            vec![
                (i - ion) / 1.2,
                g(0, y[1]),
                g(1, y[2]),
                g(2, y[3]),
                g(3, y[4]),
                g(4, y[5]) / slow,
                (ai - y[6]) / 6.0,
                (bi - y[7]) / bt,
            ]
        };
        let v0 = -65.0;
        let r = rates(v0);
        let s = |k: usize| r[k].0 / (r[k].0 + r[k].1);
        let (a0, b0, _) = ks(v0);
        let y0 = [v0, s(0), s(1), s(2), s(3), s(4), a0, b0];
        Reference::rk4(0.002, f).run(&y0, ms, 0, -20.0).1
    }

    #[test]
    fn agrees_with_an_independent_integration() {
        for d1 in [0.0, 1.0] {
            let r = reference(2.0, d1, 200.0);
            assert!(r.len() >= 5, "{r:?}");
            // RK4 at 0.01 ms: each crossing lies in (or at the edge of) the 0.05-ms step the
            // model reports it in.
            let m = times(2.0, d1, 200.0, "rk4");
            assert_eq!(m.len(), r.len(), "{m:?} vs {r:?}");
            for (a, b) in m.iter().zip(&r) {
                assert!(*b > a - 0.01 && *b < a + 0.06, "rk4 d1 {d1}: {a} vs {b}");
            }
            // Exponential Euler (first order) at 0.01 ms: the rate within 3 %.
            let e = times(2.0, d1, 200.0, "exp_euler");
            let (re, rr) = (late_rate_hz(&e, 3), late_rate_hz(&r, 3));
            assert!((re / rr - 1.0).abs() < 0.03, "exp_euler {re} vs {rr} Hz");
        }
    }
}
