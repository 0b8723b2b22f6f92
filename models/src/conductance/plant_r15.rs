//! `PlantR15Neuron` — Plant's model of the *Aplysia* R15 parabolic burster, in the form of
//! Rinzel & Lee (1987): a fast Hodgkin–Huxley spike generator at rescaled voltage, slowed, plus
//! two slow variables (a slow inward-current gate x and intracellular calcium) that sweep it
//! back and forth through a saddle-node on invariant circle: parabolic bursting.
//!
//! **Equations** (Rinzel & Lee 1987, Plant 1981; C = 1 µF/cm²).
//! C dV/dt = −g_I m∞³(Ṽ) h (V − V_I) − g_x x (V − V_Ca) − g_K n⁴ (V − V_K)
//!           − g_KCa·Ca/(0.5 + Ca)·(V − V_K) − g_L (V − V_L) + I + I_syn(V),
//! with the rescaled voltage Ṽ = (127·V + 8265)/105 in every fast rate:
//! α_m = 0.1·lin(Ṽ − 50, 10), β_m = 4·e^((25 − Ṽ)/18), m = m∞ = α_m/(α_m + β_m);
//! α_h = 0.07·e^((25 − Ṽ)/20), β_h = 1/(1 + e^((55 − Ṽ)/10));
//! α_n = 0.01·lin(Ṽ − 55, 10), β_n = 0.125·e^((45 − Ṽ)/80);
//! dh/dt = (h∞ − h)/(λ⁻¹τ_h), dn/dt = (n∞ − n)/(λ⁻¹τ_n) with λ⁻¹ = `tau_scale` = 12.5;
//! dx/dt = (x∞(V) − x)/τ_x, x∞ = 1/(1 + e^(−0.15(V + 50))), τ_x = 235 ms;
//! dCa/dt = ρ(K_c·x·(V_Ca − V) − Ca), ρ = 1/`tau_ca` = 0.0003 ms⁻¹, K_c = `k_ca` = 0.0085 mV⁻¹.
//! g_I = 4, g_x = 0.004, g_K = 0.3, g_KCa = 0.03, g_L = 0.003 mS/cm²; V_I = 30, V_Ca = 140,
//! V_K = −75, V_L = −40 mV.
//!
//! **Spike.** Upward crossing of `v_threshold` (−10 mV), tested after every substep; no reset.
//!
//! **Numerics.** `method = "rk4"` (default) in substeps of at most `substep` = 0.05 ms, or
//! `"exp_euler"`; forward Euler is refused. m is algebraic (re-evaluated after each substep and
//! inside every RK stage). A standalone step spans `span` = 0.25 ms, as SC-NeuroCore's.
//!
//! **Units.** V in mV, I in µA/cm², g in mS/cm², C in µF/cm², Ca in the model's dimensionless
//! concentration units (K_c in mV⁻¹), t in ms.
//!
//! **References.** Plant, R.E. (1981) Bifurcation and resonance in a model for bursting nerve
//! cells. J. Math. Biol. 11:15–32, doi:10.1007/BF00275821; Rinzel, J. & Lee, Y.S. (1987)
//! Dissection of a model for neuronal parabolic bursting. J. Math. Biol. 25:653–675,
//! doi:10.1007/BF00275501. The constants are those the spec (§11.5b) gives for the Rinzel–Lee
//! form; they could not be checked against the 1987 paper itself. A slower variant that also
//! circulates (τ_x = 9400 ms, ρ = 0.00015 ms⁻¹, K_c = 0.00425 mV⁻¹; settable through `tau_x`,
//! `tau_ca`, `k_ca`) does not burst with these equations: run for 100 s at zero current it
//! fires tonically, the ISI settling at 247 ms.
//!
//! **Relation to SC-NeuroCore** (spec §11). Same interface (`step(current)`, 0.25 ms per call,
//! state `v, m, h, n, ca` with SC-NeuroCore's initial values) and parameter names where they
//! exist. The dynamics are the paper's: (a) the fast rates use the rescaled voltage Ṽ and h, n
//! are slowed 12.5× (SC-NeuroCore: plain HH rates at V); (b) the slow inward current is gated
//! by the slow variable x (added state `x`, τ_x = 235 ms) instead of an instantaneous
//! m_Ca∞²; (c) calcium follows ρ(K_c x (V_Ca − V) − Ca) (τ ≈ 3.3 s) instead of −k_ca·I_Ca −
//! Ca/500 ms: `tau_ca` is 1/ρ and `k_ca` is K_c [mV⁻¹]; (d) m is instantaneous (m∞), stored in
//! `m` for display; (e) e_na (V_I) is 30 mV; RK4 or exponential Euler instead of forward Euler;
//! spikes detected on every substep. Added parameters: `tau_x`, `tau_scale`, `substep`, `span`,
//! `method`. Added state: `x` (initial 0.7, near its value during the burst cycle).
//!
//! **Paper fact tested** (Rinzel & Lee 1987; Plant 1981): with no applied current the model
//! bursts periodically, bursts separated by silent phases of seconds, and within a burst the
//! interspike interval is longest at its start and end (parabolic bursting).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PlantR15Neuron`].
    pub struct PlantR15Params {
        /// Maximal conductance of the fast inward (Na) current, g_I [mS/cm²].
        g_na: f64 = 4.0,
        /// Maximal delayed-rectifier K conductance, g_K [mS/cm²].
        g_k: f64 = 0.3,
        /// Maximal conductance of the slow inward (Ca) current, g_x [mS/cm²].
        g_ca: f64 = 0.004,
        /// Leak conductance, g_L [mS/cm²].
        g_l: f64 = 0.003,
        /// Maximal Ca-activated K conductance, g_KCa [mS/cm²].
        g_kca: f64 = 0.03,
        /// Reversal potential of the fast inward current, V_I [mV].
        e_na: f64 = 30.0,
        /// Potassium reversal potential, V_K [mV].
        e_k: f64 = -75.0,
        /// Reversal potential of the slow inward current, V_Ca [mV].
        e_ca: f64 = 140.0,
        /// Leak reversal potential, V_L [mV].
        e_l: f64 = -40.0,
        /// Membrane capacitance, C [µF/cm²].
        c_m: f64 = 1.0,
        /// Calcium influx factor, K_c [1/mV].
        k_ca: f64 = 0.0085,
        /// Calcium time constant, 1/ρ [ms].
        tau_ca: f64 = 3_333.333_333_333_333,
        /// Time constant of the slow inward gate x, τ_x [ms].
        tau_x: f64 = 235.0,
        /// Slowing factor of h and n, 1/λ [1].
        tau_scale: f64 = 12.5,
        /// Largest internal substep [ms].
        substep: f64 = 0.05,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.25,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -10.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl PlantR15Params {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        for (n, x) in [
            ("g_na", self.g_na),
            ("g_k", self.g_k),
            ("g_ca", self.g_ca),
            ("g_l", self.g_l),
            ("g_kca", self.g_kca),
            ("k_ca", self.k_ca),
        ] {
            check::non_negative(n, x)?;
        }
        check::positive("tau_ca", self.tau_ca)?;
        check::positive("tau_x", self.tau_x)?;
        check::positive("tau_scale", self.tau_scale)?;
        check::positive("substep", self.substep)?;
        check::positive("span", self.span)?;
        check_method(
            "method",
            self.method,
            &[Method::Rk4, Method::ExpEuler],
            "forward Euler is not offered for this model",
        )
    }
}

neuron_state! {
    /// State of [`PlantR15Neuron`].
    pub struct PlantR15State {
        /// Membrane potential, V [mV].
        v: f64 => PlantV,
        /// Fast inward activation, m = m∞(Ṽ) (algebraic) [1].
        m: f64 => PlantM,
        /// Fast inward inactivation, h [1].
        h: f64 => PlantH,
        /// Delayed-rectifier activation, n [1].
        n: f64 => PlantN,
        /// Intracellular calcium, Ca [1].
        ca: f64 => PlantCa,
        /// Slow inward-current gate, x [1].
        x: f64 => PlantX,
    }
}

/// Constants of [`PlantR15Neuron`] for one step.
#[derive(Clone, Debug)]
pub struct PlantR15Consts {
    p: PlantR15Params,
    n: u32,
    h: f64,
}

/// m∞ and the (α, β) of h and n (unslowed) at membrane potential `v` (rates at Ṽ).
#[inline(always)]
pub fn plant_rates(v: f64) -> (f64, [(f64, f64); 2]) {
    let vt = (127.0 * v + 8265.0) / 105.0;
    let am = 0.1 * lin(vt - 50.0, 10.0);
    let bm = 4.0 * exp((25.0 - vt) / 18.0);
    (
        am / (am + bm),
        [
            (
                0.07 * exp((25.0 - vt) / 20.0),
                1.0 / (1.0 + exp((55.0 - vt) / 10.0)),
            ),
            (0.01 * lin(vt - 55.0, 10.0), 0.125 * exp((45.0 - vt) / 80.0)),
        ],
    )
}

/// The membrane of [`PlantR15Neuron`] at `y = [V, m, h, n, x, Ca]`.
#[inline(always)]
fn plant_currents(p: &PlantR15Params, y: &[f64; 6]) -> Currents<6> {
    let [v, _, h, n, x, ca] = *y;
    let (m, [(ah, bh), (an, bn)]) = plant_rates(v);
    let s = 1.0 / p.tau_scale;
    let g_i = p.g_na * m * m * m * h;
    let g_x = p.g_ca * x;
    let g_k = p.g_k * n * n * n * n + p.g_kca * ca / (0.5 + ca);
    let x_inf = 1.0 / (1.0 + exp(-0.15 * (v + 50.0)));
    // dCa/dt = ρK_c x(V_Ca − V) − ρCa, written as a "gate" with α = ρK_c x(V_Ca − V), α + β = ρ.
    let rho = 1.0 / p.tau_ca;
    let influx = rho * p.k_ca * x * (p.e_ca - v);
    Currents {
        i_ion: g_i * (v - p.e_na) + g_x * (v - p.e_ca) + g_k * (v - p.e_k) + p.g_l * (v - p.e_l),
        g: g_i + g_x + g_k + p.g_l,
        ge: g_i * p.e_na + g_x * p.e_ca + g_k * p.e_k + p.g_l * p.e_l,
        gates: [
            Gate::FROZEN,
            Gate::FROZEN,
            Gate::rates(ah * s, bh * s),
            Gate::rates(an * s, bn * s),
            Gate::relax(x_inf, p.tau_x),
            Gate::rates(influx, rho - influx),
        ],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn plant_substep<const M: u8>(
    k: &PlantR15Consts,
    s: &mut PlantR15State,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.m, s.h, s.n, s.x, s.ca];
    conductance_substep::<6, M>(
        &mut y,
        k.h,
        p.c_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| plant_currents(p, y),
    );
    [s.v, _, s.h, s.n, s.x, s.ca] = y;
    s.m = plant_rates(s.v).0;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Plant's (1981) R15 parabolic burster in the Rinzel–Lee (1987) form.
pub struct PlantR15Neuron;
}

impl PlantR15Neuron {
    /// Advance one step (0.25 ms by default) with injected current density `current`
    /// [µA/cm²]; `true` if the membrane crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for PlantR15Neuron {
    const NAME: &'static str = "PlantR15Neuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str =
        "Plant 1981 / Rinzel-Lee 1987 Aplysia R15 parabolic burster (slow x gate and Ca)";
    const REFERENCE: &'static str = "Plant 1981, J Math Biol 11:15, doi:10.1007/BF00275821; Rinzel & Lee 1987, J Math Biol 25:653, doi:10.1007/BF00275501";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = PlantR15Params;
    type State = PlantR15State;
    type Consts = PlantR15Consts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &PlantR15Params) -> PlantR15State {
        PlantR15State {
            v: -50.0,
            m: plant_rates(-50.0).0,
            h: 0.6,
            n: 0.3,
            ca: 0.1,
            x: 0.7,
        }
    }
    fn standalone_span(p: &PlantR15Params) -> f64 {
        p.span
    }
    fn prepare(p: &PlantR15Params, span: f64) -> PlantR15Consts {
        let (n, h) = substeps(span, p.substep);
        PlantR15Consts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &PlantR15Consts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &PlantR15Consts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for PlantR15Neuron {
    fn method(k: &PlantR15Consts) -> Method {
        k.p.method
    }
    fn substeps(k: &PlantR15Consts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &PlantR15Consts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        plant_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    /// The paper's equations typed again: y = [V, h, n, x, Ca].
    fn paper(i: f64, y: &[f64]) -> Vec<f64> {
        let (v, h, n, x, ca) = (y[0], y[1], y[2], y[3], y[4]);
        let vt = (127.0 * v + 8265.0) / 105.0;
        let am = 0.1 * (50.0 - vt) / (((50.0 - vt) / 10.0).exp() - 1.0);
        let bm = 4.0 * ((25.0 - vt) / 18.0).exp();
        let ah = 0.07 * ((25.0 - vt) / 20.0).exp();
        let bh = 1.0 / (1.0 + ((55.0 - vt) / 10.0).exp());
        let an = 0.01 * (55.0 - vt) / (((55.0 - vt) / 10.0).exp() - 1.0);
        let bn = 0.125 * ((45.0 - vt) / 80.0).exp();
        let m = am / (am + bm);
        let xinf = 1.0 / (1.0 + (-0.15 * (v + 50.0)).exp());
        let i_ion = 4.0 * m.powi(3) * h * (v - 30.0)
            + 0.004 * x * (v - 140.0)
            + 0.3 * n.powi(4) * (v + 75.0)
            + 0.03 * ca / (0.5 + ca) * (v + 75.0)
            + 0.003 * (v + 40.0);
        vec![
            i - i_ion,
            (ah / (ah + bh) - h) * (ah + bh) / 12.5,
            (an / (an + bn) - n) * (an + bn) / 12.5,
            (xinf - x) / 235.0,
            0.0003 * (0.0085 * x * (140.0 - v) - ca),
        ]
    }

    /// Bursts (ISI lists) of a run of `secs` seconds at zero current, after `skip` seconds,
    /// split at silences longer than 2 s.
    fn bursts(p: PlantR15Params, secs: f64, skip: f64) -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut n = PlantR15Neuron::with_params(p).unwrap();
        let t = spike_times(&mut n, (secs * 4000.0) as usize, |_| [0.0]);
        let t: Vec<f64> = t.into_iter().filter(|&x| x >= skip * 1000.0).collect();
        let mut out = vec![Vec::new()];
        let mut gaps = Vec::new();
        for d in isis(&t) {
            if d > 2000.0 {
                gaps.push(d);
                out.push(Vec::new());
            } else if let Some(b) = out.last_mut() {
                b.push(d);
            }
        }
        // The first and last groups may be cut by the window.
        out.pop();
        out.remove(0);
        (out, gaps)
    }

    #[test]
    fn bursts_are_parabolic() {
        // Rinzel & Lee 1987 (and Plant 1981): at zero current the model bursts periodically,
        // silent phases last seconds, and within a burst the ISI is longest at the start and
        // the end. Obtained (settled bursts): ISIs 266.0, 264.25, 286.75, 334.75, 442.75,
        // 1246 ms; silences of 7.95 s. The rise at the start is small (first ISI 0.7 % above the
        // minimum), the rise at the end large.
        let (b, gaps) = bursts(PlantR15Params::default(), 60.0, 10.0);
        assert!(b.len() >= 3, "{b:?}");
        assert!(gaps.iter().all(|&g| g > 3000.0), "{gaps:?}");
        for isi in &b {
            assert!(isi.len() >= 4, "{isi:?}");
            let (k, min) =
                isi.iter().enumerate().fold(
                    (0, f64::INFINITY),
                    |a, (k, &x)| if x < a.1 { (k, x) } else { a },
                );
            assert!(k > 0 && k < isi.len() - 1, "minimum not inside: {isi:?}");
            assert!(isi[0] > min + 1.0, "{isi:?}");
            assert!(isi[isi.len() - 1] > 2.0 * min, "{isi:?}");
        }
    }

    #[test]
    fn agrees_with_an_independent_integration_of_the_paper_equations() {
        // The test's own RK4 at 0.01 ms of the equations above for 3 s from the initial state.
        let s0 = *PlantR15Neuron::new().state();
        let y0 = [s0.v, s0.h, s0.n, s0.x, s0.ca];
        let (yr, reference) =
            Reference::rk4(0.01, |_, y: &[f64]| paper(0.0, y)).run(&y0, 3000.0, 0, -10.0);
        let mut n = PlantR15Neuron::new();
        let got = spike_times(&mut n, 12_000, |_| [0.0]);
        assert!(reference.len() >= 3, "{reference:?}");
        assert_eq!(got.len(), reference.len(), "{got:?} vs {reference:?}");
        for (g, r) in got.iter().zip(&reference) {
            assert!(*g <= r + 1e-6 && *r < g + 0.25 + 0.05, "{g} vs {r}");
        }
        let s = n.state();
        assert!(
            (s.ca - yr[4]).abs() < 1e-6 * yr[4].abs().max(1e-3),
            "{} vs {}",
            s.ca,
            yr[4]
        );
        assert!((s.x - yr[3]).abs() < 1e-6, "{} vs {}", s.x, yr[3]);
    }
}
