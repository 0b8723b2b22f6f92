//! `ChayKeizerNeuron` — the Chay–Keizer minimal model of the pancreatic β-cell: a
//! Hodgkin–Huxley-type Ca²⁺ spike current, a delayed-rectifier K⁺ current and a Ca²⁺-activated
//! K⁺ current driven by slowly accumulating cytosolic Ca²⁺; square-wave bursting.
//!
//! **Equations** (inward-positive convention, currents g(E − V)):
//! I_Ca = g_Ca m³h (E_Ca − V); I_K = g_K n⁴ (E_K − V); I_K(Ca) = g_K(Ca) [Ca/(Ca + K_d)](E_K − V);
//! I_L = g_L (E_L − V); C dV/dt = I + I_syn + 2·I_Ca + I_K + I_K(Ca) + I_L;
//! dx/dt = φ[α_x(1 − x) − β_x x] for x = m, h, n with φ = 3^{(T − 6.3)/10};
//! Hodgkin–Huxley rates on the shifted potentials V′ = V + 50 (m, h) and V* = V + 30 (n):
//! α_m = 0.1(25 − V′)/(e^{(25 − V′)/10} − 1), β_m = 4e^{−V′/18}, α_h = 0.07e^{−V′/20},
//! β_h = 1/(e^{(30 − V′)/10} + 1), α_n = 0.01(10 − V*)/(e^{(10 − V*)/10} − 1),
//! β_n = 0.125e^{−V*/80}; dCa/dt = f[(3/(rF))·I_Ca − k_Ca Ca]. No reset: the step returns
//! `true` when V crosses `v_threshold` (−30 mV) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `substep` (0.01 ms: the gates relax at up
//! to φ(α + β) ≈ 20 ms⁻¹); a standalone step spans `dt` = 0.05 ms (SC-NeuroCore's). The
//! crossing is tested after every substep.
//!
//! **Units.** V in mV, I in µA/cm², conductances in mS/cm², C in µF/cm², Ca in µM, t in ms,
//! r in cm, F in C/mol.
//!
//! **Reference.** Chay, T.R. & Keizer, J. (1983) "Minimal model for membrane oscillations in
//! the pancreatic β-cell", Biophys. J. 42:181–190, doi:10.1016/S0006-3495(83)84384-7.
//! Unverified: the defaults g_K = 12, g_K(Ca) = 0.09, g_L = 0.04 mS/cm², f = 0.004 and
//! k_Ca = 0.04 ms⁻¹ are the spec's (§15); the paper's Table I was not consulted and a search
//! found no source for them. Sourced: g_Ca = 6.5, the factor 2 on I_Ca and k1 = 3/(rF) (below).
//!
//! **Relation to SC-NeuroCore** (spec §15). Same interface (`step(current=0)`, one step of
//! 0.05 ms), state (`v`, `m`, `h`, `n`, `ca`), defaults and equations. Checked: the factor 2 on
//! I_Ca in the current balance is the model's — it appears in the XPP file of the model that
//! Keener & Sneyd distribute for *Mathematical Physiology* (3rd ed., ch. 9, "original version
//! from Artie Sherman", `v' = −(2 i_ca + i_k + i_kca + i_l)/cm` with g_Ca = 6.5, and
//! k1 = 0.035 = 3/(rF) for r = 8.9·10⁻⁴ cm): I_Ca is written as the Ca²⁺ flux in current units,
//! the electrical current of a divalent ion is twice that, and 3/(rF)·I_Ca = 3·(2·I_Ca)/(2rF)
//! is the matching influx into a sphere of radius r. (That file's "slightly modified" variant
//! uses C_m = 4.5 µF/cm² without a temperature factor and f = 0.01; the spec's values, C_m = 1
//! with φ(20 °C) = 4.5 and f = 0.004, are kept.) Differences: RK4 instead of forward Euler
//! (the gates need no clamping, V and Ca no envelope); the crossing is tested in every
//! substep, also when a step starts above the level (SC-NeuroCore then misses it); the
//! conductance input of a network enters the current balance in every RK4 stage.
//!
//! **Facts tested.** Attributed to Chay & Keizer (1983) by the spec, unverified (the paper was
//! not consulted): autonomous square-wave bursting at I = 0 with a period of order 10 s and
//! Ca²⁺ oscillating around 1 µM. Checked by the tests, with the spec's values (spec §15.8
//! [computed], re-derived in the test by an independent integration): regular bursts at I = 0
//! with ≈ 8.6-s silent phases and a period between 10 and 20 s, Ca²⁺ between ≈ 0.31 and
//! 1.10 µM, fast intra-burst spiking (interspike intervals of tens of ms); a depolarising
//! current (I = 2 µA/cm²) makes the cell fire within 20 ms.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ChayKeizerNeuron`].
    pub struct ChayKeizerParams {
        /// Maximal Ca²⁺ conductance, g_Ca [mS/cm²].
        g_ca: f64 = 6.5,
        /// Maximal delayed-rectifier K⁺ conductance, g_K [mS/cm²].
        g_k: f64 = 12.0,
        /// Maximal Ca²⁺-activated K⁺ conductance, g_K(Ca) [mS/cm²].
        g_kca: f64 = 0.09,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.04,
        /// Ca²⁺ reversal potential, E_Ca [mV].
        e_ca: f64 = 100.0,
        /// K⁺ reversal potential, E_K [mV].
        e_k: f64 = -75.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -40.0,
        /// Membrane capacitance, C [µF/cm²].
        c_m: f64 = 1.0,
        /// Shift of the Ca²⁺-gate potential, V′ = V + v_prime [mV].
        v_prime: f64 = 50.0,
        /// Shift of the K⁺-gate potential, V* = V + v_star [mV].
        v_star: f64 = 30.0,
        /// Dissociation constant of K(Ca), K_d [µM].
        k_dis: f64 = 1.0,
        /// Cell radius, r [cm].
        radius_cm: f64 = 8.9e-4,
        /// Faraday constant, F [C/mol].
        faraday: f64 = 96487.0,
        /// Fraction of free Ca²⁺, f [1].
        f_ca: f64 = 0.004,
        /// Ca²⁺ removal rate, k_Ca [1/ms].
        k_ca: f64 = 0.04,
        /// Temperature (sets φ = 3^((T − 6.3)/10)), T [°C].
        temp_celsius: f64 = 20.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.05,
        /// Largest RK4 substep [ms].
        substep: f64 = 0.01,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -30.0,
    }
}

impl ChayKeizerParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("g_ca", self.g_ca)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_kca", self.g_kca)?;
        check::non_negative("g_l", self.g_l)?;
        check::positive("c_m", self.c_m)?;
        check::positive("k_dis", self.k_dis)?;
        check::positive("radius_cm", self.radius_cm)?;
        check::positive("faraday", self.faraday)?;
        check::non_negative("f_ca", self.f_ca)?;
        check::non_negative("k_ca", self.k_ca)?;
        check::in_range("temp_celsius", self.temp_celsius, -50.0, 60.0)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`ChayKeizerNeuron`].
    pub struct ChayKeizerState {
        /// Membrane potential, V [mV].
        v: f64 => CkV,
        /// Ca²⁺-current activation, m [1].
        m: f64 => CkM,
        /// Ca²⁺-current inactivation, h [1].
        h: f64 => CkH,
        /// K⁺ activation, n [1].
        n: f64 => CkN,
        /// Free cytosolic Ca²⁺, Ca [µM].
        ca: f64 => CkCa,
    }
}

/// Constants of [`ChayKeizerNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ChayKeizerConsts {
    p: ChayKeizerParams,
    n: u32,
    h: f64,
    /// Temperature factor φ.
    phi: f64,
    /// 3/(rF) [µM·cm²/(µA·ms)].
    k1: f64,
}

/// The vector field at state `y` = (V, m, h, n, Ca) with input current `i` [µA/cm²] plus the
/// synaptic conductance input `x`.
#[inline(always)]
pub fn ck_rhs(k: &ChayKeizerConsts, y: &[f64; 5], i: f64, x: &Input<[f64; 1]>) -> [f64; 5] {
    let p = &k.p;
    let [v, m, h, n, ca] = *y;
    let vp = v + p.v_prime;
    let vs = v + p.v_star;
    let am = 0.1 * lin(vp - 25.0, 10.0);
    let bm = 4.0 * (-vp / 18.0).exp();
    let ah = 0.07 * (-vp / 20.0).exp();
    let bh = sigmoid((vp - 30.0) / 10.0);
    let an = 0.01 * lin(vs - 10.0, 10.0);
    let bn = 0.125 * (-vs / 80.0).exp();
    let i_ca = p.g_ca * m * m * m * h * (p.e_ca - v);
    let n2 = n * n;
    let i_k = p.g_k * n2 * n2 * (p.e_k - v);
    let i_kca = p.g_kca * ca / (ca + p.k_dis) * (p.e_k - v);
    let i_l = p.g_l * (p.e_l - v);
    [
        (i + x.syn(v) + 2.0 * i_ca + i_k + i_kca + i_l) / p.c_m,
        k.phi * (am * (1.0 - m) - bm * m),
        k.phi * (ah * (1.0 - h) - bh * h),
        k.phi * (an * (1.0 - n) - bn * n),
        p.f_ca * (k.k1 * i_ca - p.k_ca * ca),
    ]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn ck_step(k: &ChayKeizerConsts, s: &mut ChayKeizerState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let i = x.ports[0];
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.m, s.h, s.n, s.ca];
        rk4(&mut y, k.h, |y| ck_rhs(k, y, i, x));
        [s.v, s.m, s.h, s.n, s.ca] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Chay–Keizer (1983) pancreatic β-cell burster (five variables).
pub struct ChayKeizerNeuron;
}

impl ChayKeizerNeuron {
    /// Advance one step (0.05 ms by default) with applied current `current` [µA/cm²] (the
    /// bursting is autonomous at 0); `true` if V crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ChayKeizerNeuron {
    const NAME: &'static str = "ChayKeizerNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "Chay-Keizer (1983) pancreatic beta-cell square-wave burster";
    const REFERENCE: &'static str =
        "Chay & Keizer 1983, Biophys J 42:181, doi:10.1016/S0006-3495(83)84384-7";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = ChayKeizerParams;
    type State = ChayKeizerState;
    type Consts = ChayKeizerConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ChayKeizerParams) -> ChayKeizerState {
        ChayKeizerState {
            v: -54.774,
            m: 0.029725,
            h: 0.747865,
            n: 0.061079,
            ca: 0.8,
        }
    }
    fn standalone_span(p: &ChayKeizerParams) -> f64 {
        p.dt
    }
    fn prepare(p: &ChayKeizerParams, span: f64) -> ChayKeizerConsts {
        let (n, h) = substeps(span, p.substep);
        ChayKeizerConsts {
            p: p.clone(),
            n,
            h,
            phi: 3f64.powf((p.temp_celsius - 6.3) / 10.0),
            k1: 3.0 / (p.radius_cm * p.faraday),
        }
    }
    #[inline(always)]
    fn update(
        k: &ChayKeizerConsts,
        s: &mut ChayKeizerState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        ck_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike times [ms] and the Ca²⁺ range after `t_skip` over `t_end` ms at I = 0, in 1-ms
    /// steps.
    fn model_run(t_end: f64, t_skip: f64) -> (Vec<f64>, f64, f64) {
        let mut n = ChayKeizerNeuron::with_span(ChayKeizerParams::default(), 1.0).unwrap();
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        let mut t = Vec::new();
        for k in 0..t_end as usize {
            if n.step(0.0) {
                t.push(k as f64);
            }
            if k as f64 > t_skip {
                lo = lo.min(n.state().ca);
                hi = hi.max(n.state().ca);
            }
        }
        (t, lo, hi)
    }

    /// Spike times [ms] from an independent integration: Heun's method at 0.002 ms, rates and
    /// currents written out from the equations with the spec's numbers.
    fn reference_spikes(t_end: f64) -> Vec<f64> {
        let phi = 3f64.powf(1.37);
        let k1 = 3.0 / (8.9e-4 * 96487.0);
        let f = |y: [f64; 5]| {
            let [v, m, h, n, c] = y;
            let (vp, vs) = (v + 50.0, v + 30.0);
            let am = if (25.0 - vp).abs() < 1e-9 {
                1.0
            } else {
                0.1 * (25.0 - vp) / (((25.0 - vp) / 10.0).exp() - 1.0)
            };
            let bm = 4.0 * (-vp / 18.0).exp();
            let ah = 0.07 * (-vp / 20.0).exp();
            let bh = 1.0 / (((30.0 - vp) / 10.0).exp() + 1.0);
            let an = if (10.0 - vs).abs() < 1e-9 {
                0.1
            } else {
                0.01 * (10.0 - vs) / (((10.0 - vs) / 10.0).exp() - 1.0)
            };
            let bn = 0.125 * (-vs / 80.0).exp();
            let ica = 6.5 * m.powi(3) * h * (100.0 - v);
            [
                2.0 * ica
                    + 12.0 * n.powi(4) * (-75.0 - v)
                    + 0.09 * c / (c + 1.0) * (-75.0 - v)
                    + 0.04 * (-40.0 - v),
                phi * (am * (1.0 - m) - bm * m),
                phi * (ah * (1.0 - h) - bh * h),
                phi * (an * (1.0 - n) - bn * n),
                0.004 * (k1 * ica - 0.04 * c),
            ]
        };
        let mut y = [-54.774, 0.029725, 0.747865, 0.061079, 0.8];
        let h = 0.002;
        let mut t = Vec::new();
        for k in 0..(t_end / h) as usize {
            let a = f(y);
            let z: [f64; 5] = std::array::from_fn(|i| y[i] + h * a[i]);
            let b = f(z);
            let v0 = y[0];
            for i in 0..5 {
                y[i] += 0.5 * h * (a[i] + b[i]);
            }
            if v0 < -30.0 && y[0] >= -30.0 {
                t.push(k as f64 * h);
            }
        }
        t
    }

    /// Burst onsets and ends (silences longer than 500 ms separate bursts).
    fn bursts(t: &[f64]) -> Vec<(f64, f64, usize)> {
        let mut out = Vec::new();
        let (mut start, mut count) = (t[0], 1);
        for w in t.windows(2) {
            if w[1] - w[0] > 500.0 {
                out.push((start, w[0], count));
                start = w[1];
                count = 1;
            } else {
                count += 1;
            }
        }
        out
    }

    #[test]
    fn square_wave_bursting_with_ca_around_one_micromolar() {
        // CK 1983: bursts with a period of order 10 s, Ca²⁺ oscillating around 1 µM; spec §15.8
        // [computed]: ≈ 8.6-s silent phases, Ca²⁺ 0.31–1.10 µM.
        let t_end = 45_000.0;
        let (t, lo, hi) = model_run(t_end, 15_000.0);
        let b = bursts(&t);
        assert!(b.len() >= 3, "{b:?}");
        let silent: Vec<f64> = b.windows(2).map(|w| w[1].0 - w[0].1).collect();
        assert!(
            silent.iter().all(|s| (s - 8630.0).abs() < 100.0),
            "{silent:?}"
        );
        let period = b[2].0 - b[1].0;
        assert!(period > 10_000.0 && period < 20_000.0, "{period}");
        assert!(
            (lo - 0.31).abs() < 0.02 && (hi - 1.10).abs() < 0.03,
            "{lo} .. {hi}"
        );
        // Within a burst the cell spikes fast: intervals of tens of ms.
        let within: Vec<f64> = t
            .windows(2)
            .filter(|w| w[0] > b[1].0 && w[1] < b[1].1)
            .map(|w| w[1] - w[0])
            .collect();
        assert!(
            within.iter().all(|&d| (5.0..60.0).contains(&d)),
            "{within:?}"
        );
        // An independent integration gives the same first two burst onsets and sizes.
        let r = bursts(&reference_spikes(t_end));
        for k in 0..2 {
            assert!((b[k].0 - r[k].0).abs() < 20.0, "{:?} vs {:?}", b[k], r[k]);
            assert!(b[k].2.abs_diff(r[k].2) <= 2, "{:?} vs {:?}", b[k], r[k]);
        }
    }

    #[test]
    fn a_depolarising_current_makes_it_fire_at_once() {
        let mut n = ChayKeizerNeuron::new();
        let first = (0..2000).position(|_| n.step(2.0));
        assert!(first.is_some_and(|k| k < 400), "{first:?}");
    }
}
