//! `PrescottNeuron` — the two-dimensional Morris–Lecar-type model of Prescott, De Koninck &
//! Sejnowski (2008) whose slow K current's voltage dependence (β_w) sets Hodgkin's excitability
//! class.
//!
//! **Equations** (Prescott et al. 2008, Methods).
//! C dV/dt = I − g_fast m∞(V)(V − E_Na) − g_slow w (V − E_K) − g_leak (V − E_leak) + I_syn(V),
//! dw/dt = φ_w (w∞(V) − w)/τ_w(V), with
//! m∞ = ½[1 + tanh((V − β_m)/γ_m)], w∞ = ½[1 + tanh((V − β_w)/γ_w)],
//! τ_w(V) = τ̂_w / cosh((V − β_w)/(2γ_w)) with τ̂_w = 1 ms (the paper writes τ_w = 1/cosh(…)).
//! Defaults: C = 2 µF/cm², g_fast = g_slow = 20, g_leak = 2 mS/cm², E_Na = 50, E_K = −100,
//! E_leak = −70 mV, φ_w = 0.15, β_m = −1.2, γ_m = 18, γ_w = 10 mV; β_w = 0 (class 1), −13
//! (class 2) or −21 mV (class 3, the default, as SC-NeuroCore's).
//!
//! **Spike.** Upward crossing of `v_threshold` (−20 mV), tested after every substep; no reset.
//!
//! **Numerics.** `method = "rk4"` (default) in substeps of at most `substep` = 0.01 ms, or
//! `"exp_euler"` (exponential-Euler voltage, exact w relaxation for frozen V). Forward Euler is
//! refused. A standalone step spans `span` = 0.1 ms, as SC-NeuroCore's.
//!
//! **Units.** V in mV, I in µA/cm², g in mS/cm², C in µF/cm², t in ms.
//!
//! **Reference.** Prescott, S.A., De Koninck, Y. & Sejnowski, T.J. (2008) Biophysical basis for
//! three distinct dynamical mechanisms of action potential initiation. PLoS Comput. Biol.
//! 4(10):e1000198, doi:10.1371/journal.pcbi.1000198.
//!
//! **Relation to SC-NeuroCore** (spec §12). Same interface (`step(current)`, 0.1 ms per call,
//! state `v = −65`, `w = 0`, SC-NeuroCore's parameter names). The dynamics are the paper's,
//! not SC-NeuroCore's: (a) m∞ has the paper's midpoint β_m = −1.2 mV and tanh scale γ_m = 18 mV
//! (SC-NeuroCore: logistic with midpoint −20 mV and scale 15 mV, ~5 % open at rest); (b) w∞ is
//! the paper's ½[1 + tanh((V − β_w)/γ_w)] with γ_w = 10 mV (SC-NeuroCore: logistic of scale
//! `gamma_w` = 15 mV); (c) τ_w is voltage dependent, `tau_w`/cosh((V − β_w)/(2γ_w)) with
//! `tau_w` = 1 ms (SC-NeuroCore: constant 100 ms, turning the spike-repolarising current into
//! an adaptation current); (d) C = 2 µF/cm² (`c_m`, added; SC-NeuroCore implies 1); (e) spikes
//! are detected on every substep and the step is integrated in substeps (SC-NeuroCore: one RK4
//! step of 0.1 ms). Added parameters: `c_m`, `beta_m`, `gamma_m`, `substep`, `method`, `span`.
//!
//! **Paper facts tested** (Prescott et al. 2008, Fig. 1 and text): with β_w = 0 mV the neuron is
//! class 1 (repetitive firing sets in at arbitrarily low rates: continuous f–I curve); with
//! β_w = −13 mV class 2 (repetitive firing begins at a clearly non-zero rate); with β_w = −21 mV
//! class 3 (one spike at the onset of a current step, no repetitive firing). Obtained: class 1
//! onset near 37 µA/cm² at a few Hz; class 2 onset near 42 µA/cm² at tens of Hz; class 3 one
//! onset spike for steps of 45–80 µA/cm². Not reproduced: "for any constant current" — with
//! these equations class 3 gives two spikes at 90 µA/cm² and fires repetitively from about
//! 100 µA/cm².

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PrescottNeuron`].
    pub struct PrescottParams {
        /// Membrane capacitance, C [µF/cm²].
        c_m: f64 = 2.0,
        /// Maximal conductance of the fast inward (Na) current, ḡ_fast [mS/cm²].
        g_fast: f64 = 20.0,
        /// Maximal conductance of the slow outward (K) current, ḡ_slow [mS/cm²].
        g_slow: f64 = 20.0,
        /// Leak conductance, g_leak [mS/cm²].
        g_l: f64 = 2.0,
        /// Reversal potential of the fast current, E_Na [mV].
        e_fast: f64 = 50.0,
        /// Reversal potential of the slow current, E_K [mV].
        e_slow: f64 = -100.0,
        /// Leak reversal potential, E_leak [mV].
        e_l: f64 = -70.0,
        /// Half-activation of m∞ (tanh midpoint), β_m [mV].
        beta_m: f64 = -1.2,
        /// tanh scale of m∞, γ_m [mV].
        gamma_m: f64 = 18.0,
        /// Half-activation of w∞ (tanh midpoint), β_w: 0 class 1, −13 class 2, −21 class 3 [mV].
        beta_w: f64 = -21.0,
        /// tanh scale of w∞ (and of τ_w's cosh), γ_w [mV].
        gamma_w: f64 = 10.0,
        /// Scale of τ_w(V) = tau_w / cosh((V − β_w)/(2γ_w)), τ̂_w [ms].
        tau_w: f64 = 1.0,
        /// Rate factor of w, φ_w [1].
        phi: f64 = 0.15,
        /// Largest internal substep [ms].
        substep: f64 = 0.01,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
        /// Integrator: "rk4" or "exp_euler" ("euler" is refused) [choice].
        method: Method = Method::Rk4,
    }
}

impl PrescottParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        check::non_negative("g_fast", self.g_fast)?;
        check::non_negative("g_slow", self.g_slow)?;
        check::non_negative("g_l", self.g_l)?;
        check::positive("gamma_m", self.gamma_m)?;
        check::positive("gamma_w", self.gamma_w)?;
        check::positive("tau_w", self.tau_w)?;
        check::positive("phi", self.phi)?;
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
    /// State of [`PrescottNeuron`].
    pub struct PrescottState {
        /// Membrane potential, V [mV].
        v: f64 => PrescottV,
        /// Activation of the slow K current, w [1].
        w: f64 => PrescottW,
    }
}

/// Constants of [`PrescottNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct PrescottConsts {
    p: PrescottParams,
    n: u32,
    h: f64,
}

/// ½[1 + tanh(x)] = 1/(1 + e^(−2x)).
#[inline(always)]
fn half_tanh(x: f64) -> f64 {
    1.0 / (1.0 + exp(-2.0 * x))
}

/// The membrane of [`PrescottNeuron`] at `y = [V, w]`.
#[inline(always)]
fn prescott_currents(p: &PrescottParams, y: &[f64; 2]) -> Currents<2> {
    let [v, w] = *y;
    let m_inf = half_tanh((v - p.beta_m) / p.gamma_m);
    let u = (v - p.beta_w) / p.gamma_w;
    let w_inf = half_tanh(u);
    // 1/cosh(u/2) = 2/(e^(u/2) + e^(−u/2)).
    let e = exp(0.5 * u);
    let tau = p.tau_w * 2.0 / (e + 1.0 / e) / p.phi;
    let g_f = p.g_fast * m_inf;
    let g_s = p.g_slow * w;
    Currents {
        i_ion: g_f * (v - p.e_fast) + g_s * (v - p.e_slow) + p.g_l * (v - p.e_l),
        g: g_f + g_s + p.g_l,
        ge: g_f * p.e_fast + g_s * p.e_slow + p.g_l * p.e_l,
        gates: [Gate::FROZEN, Gate::relax(w_inf, tau)],
    }
}

/// One substep of length `k.h` with integrator `M`; `true` on an upward threshold crossing.
#[inline(always)]
pub fn prescott_substep<const M: u8>(
    k: &PrescottConsts,
    s: &mut PrescottState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let before = s.v;
    let mut y = [s.v, s.w];
    conductance_substep::<2, M>(
        &mut y,
        k.h,
        p.c_m,
        x.ports[0],
        x.g,
        x.ge,
        #[inline(always)]
        |y| prescott_currents(p, y),
    );
    [s.v, s.w] = y;
    crossed(before, s.v, p.v_threshold)
}

standalone! {
/// Prescott–De Koninck–Sejnowski (2008) two-dimensional model of excitability classes 1–3.
pub struct PrescottNeuron;
}

impl PrescottNeuron {
    /// Advance one step (0.1 ms by default) with injected current density `current` [µA/cm²];
    /// `true` if the membrane crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for PrescottNeuron {
    const NAME: &'static str = "PrescottNeuron";
    const FAMILY: Family = Family::Conductance;
    const SUMMARY: &'static str =
        "Prescott-De Koninck-Sejnowski 2008 2-D model: excitability class 1/2/3 set by beta_w";
    const REFERENCE: &'static str = "Prescott, De Koninck & Sejnowski 2008, PLoS Comput Biol 4:e1000198, doi:10.1371/journal.pcbi.1000198";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[60.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = PrescottParams;
    type State = PrescottState;
    type Consts = PrescottConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &PrescottParams) -> PrescottState {
        PrescottState { v: -65.0, w: 0.0 }
    }
    fn standalone_span(p: &PrescottParams) -> f64 {
        p.span
    }
    fn prepare(p: &PrescottParams, span: f64) -> PrescottConsts {
        let (n, h) = substeps(span, p.substep);
        PrescottConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &PrescottConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool {
        method_step::<Self>(k, s, x, rng)
    }
    /// Takes the integrator and substep-count branches once per block ([`method_block`]).
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &PrescottConsts, block: &mut B) {
        method_block::<Self, B>(k, block)
    }
}

impl MethodSubstep for PrescottNeuron {
    fn method(k: &PrescottConsts) -> Method {
        k.p.method
    }
    fn substeps(k: &PrescottConsts) -> u32 {
        k.n
    }
    #[inline(always)]
    fn substep<const M: u8>(
        k: &PrescottConsts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        _: &mut NeuronRng,
    ) -> bool {
        prescott_substep::<M>(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    fn params(beta_w: f64) -> PrescottParams {
        PrescottParams {
            beta_w,
            substep: 0.025,
            ..Default::default()
        }
    }

    /// Spike times [ms] over `ms` of a current step of `i` µA/cm² from rest.
    fn step_response(beta_w: f64, i: f64, ms: f64) -> Vec<f64> {
        let mut n = PrescottNeuron::with_params(params(beta_w)).unwrap();
        spike_times(&mut n, (ms / 0.1) as usize, |_| [i])
    }

    /// Steady firing rate [Hz] over seconds 1–4 of a 4-s step (mean ISI of the spikes there),
    /// 0 without repetitive firing (fewer than two spikes there).
    fn rate(beta_w: f64, i: f64) -> f64 {
        let t: Vec<f64> = step_response(beta_w, i, 4000.0)
            .into_iter()
            .filter(|&t| t >= 1000.0)
            .collect();
        if t.len() < 2 {
            0.0
        } else {
            1000.0 / mean(&isis(&t))
        }
    }

    /// Lowest current (to 0.01 µA/cm², bisection) giving repetitive firing, and the rate there.
    fn onset(beta_w: f64, lo: f64, hi: f64) -> (f64, f64) {
        let (mut lo, mut hi) = (lo, hi);
        assert_eq!(rate(beta_w, lo), 0.0, "fires at the low end {lo}");
        let mut r = rate(beta_w, hi);
        assert!(r > 0.0, "silent at the high end {hi}");
        while hi - lo > 0.01 {
            let mid = 0.5 * (lo + hi);
            let rm = rate(beta_w, mid);
            if rm > 0.0 {
                (hi, r) = (mid, rm);
            } else {
                lo = mid;
            }
        }
        (hi, r)
    }

    #[test]
    fn class_1_fires_from_arbitrarily_low_rates() {
        // Prescott et al. 2008, Fig. 1: β_w = 0 mV gives class 1 excitability (SNIC onset):
        // the f–I curve is continuous, so 0.01 µA/cm² above onset the rate is low.
        let (i_c, r) = onset(0.0, 30.0, 40.0);
        assert!(r < 12.0, "class 1 onset at {i_c} µA/cm² fires at {r} Hz");
        // And it rises with the current.
        let r5 = rate(0.0, i_c + 5.0);
        assert!(r5 > 3.0 * r, "{r} Hz at onset, {r5} Hz 5 µA/cm² above");
    }

    #[test]
    fn class_2_onset_is_at_a_non_zero_rate() {
        // Prescott et al. 2008, Fig. 1: β_w = −13 mV gives class 2 (Hopf onset): repetitive
        // firing begins abruptly at a clearly non-zero rate.
        let (i_c, r) = onset(-13.0, 40.0, 45.0);
        assert!(r > 30.0, "class 2 onset at {i_c} µA/cm² fires at {r} Hz");
    }

    #[test]
    fn class_3_fires_once_at_step_onset() {
        // Prescott et al. 2008, Fig. 1: β_w = −21 mV gives class 3: a single spike at the onset
        // of a suprathreshold step and no repetitive firing. Checked for steps of 40–80
        // µA/cm². Not reproduced beyond: these equations give two spikes at 90 µA/cm² and
        // repetitive firing from about 100 µA/cm².
        let mut single = 0;
        for k in 0..=8 {
            let i = 40.0 + 5.0 * k as f64;
            let t = step_response(-21.0, i, 1000.0);
            assert!(t.len() <= 1, "{} spikes at {i} µA/cm²", t.len());
            if t.len() == 1 {
                assert!(t[0] < 20.0, "the spike comes at onset, not at {} ms", t[0]);
                single += 1;
            }
        }
        assert!(single >= 4, "only {single} steps evoked the onset spike");
    }

    #[test]
    fn agrees_with_an_independent_integration_of_the_paper_equations() {
        // The paper's equations typed again with tanh and cosh, integrated by the test's own
        // RK4 at 0.002 ms; class 1 at 50 µA/cm² for 150 ms.
        let i = 50.0;
        let f = |_: f64, y: &[f64]| {
            let (v, w) = (y[0], y[1]);
            let m_inf = 0.5 * (1.0 + ((v + 1.2) / 18.0).tanh());
            let w_inf = 0.5 * (1.0 + (v / 10.0).tanh());
            let tau_w = 1.0 / (v / 20.0).cosh();
            vec![
                (i - 20.0 * m_inf * (v - 50.0) - 20.0 * w * (v + 100.0) - 2.0 * (v + 70.0)) / 2.0,
                0.15 * (w_inf - w) / tau_w,
            ]
        };
        let (_, reference) = Reference::rk4(0.002, f).run(&[-65.0, 0.0], 150.0, 0, -20.0);
        for m in ["rk4", "exp_euler"] {
            let mut p = PrescottParams {
                beta_w: 0.0,
                ..Default::default()
            };
            p.set_text("method", m).unwrap();
            if m == "exp_euler" {
                p.substep = 0.001;
            }
            let mut n = PrescottNeuron::with_params(p).unwrap();
            let got = spike_times(&mut n, 1500, |_| [i]);
            assert!(reference.len() >= 15, "{reference:?}");
            assert_eq!(got.len(), reference.len(), "{m}: {got:?} vs {reference:?}");
            // A spike is reported on the 0.1-ms step during which it happens.
            // Exponential Euler is first order: allow 0.3 ms of drift over the run.
            let tol = if m == "rk4" { 1e-6 } else { 0.3 };
            for (g, r) in got.iter().zip(&reference) {
                assert!(*g <= *r + tol && *r < g + 0.1 + tol, "{m}: {g} vs {r}");
            }
        }
    }
}
