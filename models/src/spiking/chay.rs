//! `ChayNeuron` — Chay's (1985) three-variable model of an excitable cell: Hodgkin–Huxley-type
//! fast inward and K⁺ currents plus a Ca²⁺-activated K⁺ current driven by slowly accumulating
//! intracellular Ca²⁺; it beats, bursts chaotically or bursts regularly as g_KC* grows.
//!
//! **Equations** (Chay 1985; conductances normalised by the capacitance, time in seconds):
//! dV/dt = g_I m∞³ h∞ (V_I − V) + g_KV n⁴ (V_K − V) + g_KC [C/(1 + C)](V_K − V) + g_L (V_L − V) + I + I_syn;
//! dn/dt = (n∞ − n)/τ_n, τ_n = 1/[λ_n(α_n + β_n)];
//! dC/dt = ρ[m∞³ h∞ (V_C − V) − k_C C];
//! x∞ = α_x/(α_x + β_x) with α_m = 0.1(25 + V)/(1 − e^{−0.1V − 2.5}), β_m = 4e^{−(V + 50)/18},
//! α_h = 0.07e^{−0.05V − 2.5}, β_h = 1/(1 + e^{−0.1V − 2}), α_n = 0.01(20 + V)/(1 − e^{−0.1V − 2}),
//! β_n = 0.125e^{−(V + 30)/80} (the removable singularities at V = −25 and −20 are handled).
//! No reset: the step returns `true` when V crosses `v_threshold` (−35 mV) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `substep` (0.05 ms = 5·10⁻⁵ s; the fastest
//! rate, g_I + g_KV ≈ 3500 s⁻¹, keeps h·λ ≤ 0.2); the crossing is tested after every substep. A
//! standalone step spans `dt` = 0.02 ms, SC-NeuroCore's step.
//!
//! **Units.** V in mV; the model's own time unit is the second (Chay's), so the rates g, ρ,
//! λ_n are in s⁻¹ and I in mV/s; the engine's clock is in ms and every span is converted
//! (a 0.1-ms network step is 10⁻⁴ s of model time). C (Ca²⁺) is dimensionless (in units of the
//! K(Ca) dissociation constant).
//!
//! **Reference.** Chay, T.R. (1985) "Chaos in a three-variable model of an excitable cell",
//! Physica D 16:233–242, doi:10.1016/0167-2789(85)90060-0. Parameter values V_I = V_C = 100,
//! V_K = −75, V_L = −40 mV, g_I = 1800, g_KV = 1700, g_L = 7 s⁻¹, ρ = 0.27 s⁻¹, k_C = 3.3/18,
//! λ_n = 230, g_KC = 9–13 s⁻¹ as reproduced by two independent public implementations (the one
//! the spec cites and the `ExcitableCell` system of the `dysts` collection, Gilpin 2021).
//!
//! **Relation to SC-NeuroCore** (spec §14). Same class name, interface (`step(current)`, one
//! step of 0.02 ms) and state names (`v` −50, `n` 0.1, `ca` 0.1). SC-NeuroCore's class is not
//! Chay (1985); the paper's model is implemented instead. Differences, each because the paper
//! says so: HH-type α/β steady states instead of invented sigmoids; the inward current carries
//! m∞³h∞ and the K⁺ current n⁴; τ_n = 1/[λ_n(α_n + β_n)] with λ_n = 230 (SC-NeuroCore: ad hoc
//! 1/(0.01|V + 18|)); conductances 1800/1700/7 (SC-NeuroCore 25/1400/7) and g_KC = 11; the Ca²⁺
//! equation ρ[m∞³h∞(V_C − V) − k_C C] with ρ = 0.27 (SC-NeuroCore ρ = 1.5·10⁻⁴ times
//! −α·I_Ca; its `alpha_ca` has no counterpart and is dropped; `v_c` and `lambda_n` are added);
//! the paper's time unit is the second, converted from the engine's milliseconds (SC-NeuroCore
//! leaves it undeclared); RK4 instead of forward Euler with 0.001 sub-steps. The detection
//! level is −35 mV instead of −20 mV: the paper's spikes peak at ≈ −19.5 mV, so −20 mV would
//! miss or barely catch them; the crossing is counted in every substep, also when a step
//! starts above the level (SC-NeuroCore then misses it).
//!
//! **Paper facts tested.** Chay (1985): as g_KC grows from ≈ 9 to ≈ 13 s⁻¹ the cell goes from
//! beating through chaotic bursting to regular bursting. With the parameters above (spec §14.8
//! [computed], re-derived in the test by an independent integration): g_KC = 9 beats with
//! period 0.667 s; g_KC = 11 bursts irregularly; g_KC = 13 bursts regularly, 4 spikes per
//! burst with ≈ 3.7-s silent gaps; V oscillates between ≈ −47 and −19.5 mV.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ChayNeuron`].
    pub struct ChayParams {
        /// Maximal conductance of the mixed Na⁺/Ca²⁺ inward current over C, g_I* [1/s].
        g_ca: f64 = 1800.0,
        /// Maximal voltage-gated K⁺ conductance over C, g_KV* [1/s].
        g_k: f64 = 1700.0,
        /// Maximal Ca²⁺-activated K⁺ conductance over C, g_KC* (the bifurcation parameter) [1/s].
        g_kca: f64 = 11.0,
        /// Leak conductance over C, g_L* [1/s].
        g_l: f64 = 7.0,
        /// Reversal potential of the inward current, V_I [mV].
        e_ca: f64 = 100.0,
        /// K⁺ reversal potential, V_K [mV].
        e_k: f64 = -75.0,
        /// Leak reversal potential, V_L [mV].
        e_l: f64 = -40.0,
        /// Reversal potential driving Ca²⁺ entry, V_C [mV].
        v_c: f64 = 100.0,
        /// Rate of the Ca²⁺ equation, ρ [1/s].
        rho: f64 = 0.27,
        /// Ca²⁺ removal constant, k_C (C is dimensionless, so k_C·C is a potential) [mV].
        k_ca: f64 = 3.3 / 18.0,
        /// Rate factor of the K⁺ gate, τ_n = 1/(λ_n(α_n + β_n)) with the HH rates as numbers, λ_n [1/s].
        lambda_n: f64 = 230.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.02,
        /// Largest RK4 substep [ms] (0.05 ms = 5·10⁻⁵ s of model time).
        substep: f64 = 0.05,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -35.0,
    }
}

impl ChayParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("g_ca", self.g_ca)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_kca", self.g_kca)?;
        check::non_negative("g_l", self.g_l)?;
        check::non_negative("rho", self.rho)?;
        check::non_negative("k_ca", self.k_ca)?;
        check::positive("lambda_n", self.lambda_n)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`ChayNeuron`].
    pub struct ChayState {
        /// Membrane potential, V [mV].
        v: f64 => ChayV,
        /// K⁺ activation, n [1].
        n: f64 => ChayN,
        /// Intracellular Ca²⁺, C (in units of the K(Ca) dissociation constant) [1].
        ca: f64 => ChayCa,
    }
}

/// Constants of [`ChayNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ChayConsts {
    p: ChayParams,
    n: u32,
    /// Substep in model time [s].
    h: f64,
}

/// m∞³h∞, n∞ and τ_n [s] at V [mV].
#[inline(always)]
pub fn chay_gates(p: &ChayParams, v: f64) -> (f64, f64, f64) {
    let am = 0.1 * lin(v + 25.0, 10.0);
    let bm = 4.0 * (-(v + 50.0) / 18.0).exp();
    let ah = 0.07 * (-0.05 * v - 2.5).exp();
    let bh = sigmoid(0.1 * v + 2.0);
    let an = 0.01 * lin(v + 20.0, 10.0);
    let bn = 0.125 * (-(v + 30.0) / 80.0).exp();
    let m = am / (am + bm);
    let h = ah / (ah + bh);
    (
        m * m * m * h,
        an / (an + bn),
        1.0 / (p.lambda_n * (an + bn)),
    )
}

/// The vector field (dV/dt, dn/dt, dC/dt) per second at state `y` with input `i` [mV/s] and
/// synaptic conductance input `x` (rates per second).
#[inline(always)]
pub fn chay_rhs(p: &ChayParams, y: &[f64; 3], i: f64, x: &Input<[f64; 1]>) -> [f64; 3] {
    let [v, n, c] = *y;
    let (m3h, n_inf, tau_n) = chay_gates(p, v);
    let n2 = n * n;
    [
        p.g_ca * m3h * (p.e_ca - v)
            + p.g_k * n2 * n2 * (p.e_k - v)
            + p.g_kca * c / (1.0 + c) * (p.e_k - v)
            + p.g_l * (p.e_l - v)
            + i
            + x.syn(v),
        (n_inf - n) / tau_n,
        p.rho * (m3h * (p.v_c - v) - p.k_ca * c),
    ]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn chay_step(k: &ChayConsts, s: &mut ChayState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let i = x.ports[0];
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.n, s.ca];
        rk4(&mut y, k.h, |y| chay_rhs(p, y, i, x));
        [s.v, s.n, s.ca] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Chay (1985) three-variable excitable-cell model (beating, chaos, bursting).
pub struct ChayNeuron;
}

impl ChayNeuron {
    /// Advance one step (0.02 ms by default) with applied current `current` [mV/s]; `true` if
    /// V crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ChayNeuron {
    const NAME: &'static str = "ChayNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Chay (1985) three-variable excitable cell: beating, chaotic and regular bursting";
    const REFERENCE: &'static str = "Chay 1985, Physica D 16:233, doi:10.1016/0167-2789(85)90060-0";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[500.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = ChayParams;
    type State = ChayState;
    type Consts = ChayConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ChayParams) -> ChayState {
        ChayState {
            v: -50.0,
            n: 0.1,
            ca: 0.1,
        }
    }
    fn standalone_span(p: &ChayParams) -> f64 {
        p.dt
    }
    fn prepare(p: &ChayParams, span: f64) -> ChayConsts {
        let (n, h) = substeps(span, p.substep);
        ChayConsts {
            p: p.clone(),
            n,
            h: h * 1e-3,
        }
    }
    #[inline(always)]
    fn update(k: &ChayConsts, s: &mut ChayState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        chay_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike times [s] over `t_end` seconds of model time with g_KC = `g_kca`, I = 0, in 1-ms
    /// steps.
    fn model_spikes(g_kca: f64, t_end: f64) -> Vec<f64> {
        let p = ChayParams {
            g_kca,
            ..Default::default()
        };
        let mut n = ChayNeuron::with_span(p, 1.0).unwrap();
        (0..(t_end * 1000.0) as usize)
            .filter(|_| n.step(0.0))
            .map(|k| k as f64 * 1e-3)
            .collect()
    }

    /// Spike times [s] from an independent integration: Heun's method at 2·10⁻⁵ s, the rates
    /// written out directly from the paper's formulas.
    fn reference_spikes(g_kc: f64, t_end: f64) -> Vec<f64> {
        let f = |v: f64, n: f64, c: f64| {
            let am = if (v + 25.0).abs() < 1e-9 {
                1.0
            } else {
                0.1 * (25.0 + v) / (1.0 - (-0.1 * v - 2.5).exp())
            };
            let bm = 4.0 * (-(v + 50.0) / 18.0).exp();
            let ah = 0.07 * (-0.05 * v - 2.5).exp();
            let bh = 1.0 / (1.0 + (-0.1 * v - 2.0).exp());
            let an = if (v + 20.0).abs() < 1e-9 {
                0.1
            } else {
                0.01 * (20.0 + v) / (1.0 - (-0.1 * v - 2.0).exp())
            };
            let bn = 0.125 * (-(v + 30.0) / 80.0).exp();
            let mi = am / (am + bm);
            let g = mi * mi * mi * ah / (ah + bh);
            (
                1800.0 * g * (100.0 - v)
                    + 1700.0 * n.powi(4) * (-75.0 - v)
                    + g_kc * c / (1.0 + c) * (-75.0 - v)
                    + 7.0 * (-40.0 - v),
                230.0 * (an - (an + bn) * n),
                0.27 * (g * (100.0 - v) - 3.3 / 18.0 * c),
            )
        };
        let (mut v, mut n, mut c, h) = (-50.0f64, 0.1f64, 0.1f64, 2e-5);
        let mut t = Vec::new();
        for k in 0..(t_end / h) as usize {
            let (a1, b1, c1) = f(v, n, c);
            let (a2, b2, c2) = f(v + h * a1, n + h * b1, c + h * c1);
            let vn = v + 0.5 * h * (a1 + a2);
            n += 0.5 * h * (b1 + b2);
            c += 0.5 * h * (c1 + c2);
            if v < -35.0 && vn >= -35.0 {
                t.push(k as f64 * h);
            }
            v = vn;
        }
        t
    }

    /// Burst sizes (silences longer than `gap` s separate bursts) and the silences, first
    /// burst dropped.
    fn bursts(t: &[f64], gap: f64) -> (Vec<usize>, Vec<f64>) {
        let (mut sizes, mut gaps, mut cur) = (Vec::new(), Vec::new(), 1);
        for w in t.windows(2) {
            if w[1] - w[0] > gap {
                sizes.push(cur);
                gaps.push(w[1] - w[0]);
                cur = 1;
            } else {
                cur += 1;
            }
        }
        if !sizes.is_empty() {
            sizes.remove(0);
            gaps.remove(0);
        }
        (sizes, gaps)
    }

    #[test]
    fn beating_at_g_kc_9() {
        // Spec §14.8 [computed]: tonic spiking, period → 0.667 s (Ca²⁺ settles on a time scale
        // of 1/(ρ k_C) ≈ 20 s, so the period is read after 40 s).
        let t = model_spikes(9.0, 50.0);
        let r = reference_spikes(9.0, 50.0);
        let isi = t[t.len() - 1] - t[t.len() - 2];
        let isi_ref = r[r.len() - 1] - r[r.len() - 2];
        assert!((isi - isi_ref).abs() < 2e-3, "{isi} vs {isi_ref}");
        assert!((isi - 0.667).abs() < 0.003, "{isi}");
        let late: Vec<f64> = t.iter().copied().filter(|&x| x > 40.0).collect();
        assert!(
            late.windows(2).all(|w| (w[1] - w[0] - isi).abs() < 0.005),
            "{late:?}"
        );
    }

    #[test]
    fn regular_four_spike_bursts_at_g_kc_13() {
        // Spec §14.8 [computed]: regular 4-spike bursts with ≈ 3.7-s silent gaps.
        let (sizes, gaps) = bursts(&model_spikes(13.0, 40.0), 2.0);
        let (ref_sizes, _) = bursts(&reference_spikes(13.0, 40.0), 2.0);
        assert!(sizes.len() >= 5, "{sizes:?}");
        assert!(sizes.iter().all(|&k| k == 4), "{sizes:?}");
        assert_eq!(sizes[..4], ref_sizes[..4]);
        assert!(gaps.iter().all(|g| (g - 3.7).abs() < 0.05), "{gaps:?}");
    }

    #[test]
    fn chaotic_bursting_at_g_kc_11_and_the_voltage_range() {
        // Chay (1985): between beating and regular bursting the bursts are irregular.
        let t = model_spikes(11.0, 60.0);
        let (sizes, _) = bursts(&t, 1.0);
        let mut distinct = sizes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(sizes.len() > 10 && distinct.len() >= 3, "{sizes:?}");
        // Spikes oscillate between ≈ −47 and −19.5 mV (spec §14.8).
        let mut n = ChayNeuron::with_span(ChayParams::default(), 1.0).unwrap();
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        for k in 0..20_000 {
            n.step(0.0);
            if k > 10_000 {
                lo = lo.min(n.state().v);
                hi = hi.max(n.state().v);
            }
        }
        assert!(
            (lo + 47.4).abs() < 1.0 && (hi + 19.6).abs() < 0.5,
            "{lo} .. {hi}"
        );
    }
}
