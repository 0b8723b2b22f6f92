//! `TsodyksMarkramNeuron` — a leaky integrate-and-fire neuron driven through one dynamic
//! synapse with depression and facilitation (Tsodyks & Markram 1997; Tsodyks, Pawelzik &
//! Markram 1998).
//!
//! **Equations.** Synaptic resources are split into recovered x, active y and inactive
//! z = 1 − x − y (Tsodyks & Markram 1997, Eqs. 1–3):
//! dx/dt = z/τ_rec − u·x·δ(t − t_sp), dy/dt = −y/τ_in + u·x·δ(t − t_sp),
//! with the utilisation u of Tsodyks, Pawelzik & Markram (1998): du/dt = −u/τ_facil between
//! presynaptic spikes, and at a presynaptic spike first u ← u + U(1 − u), then a fraction u of
//! the recovered resources is released (x ← x − u·x, y ← y + u·x). With τ_facil = 0 u is U at
//! every spike (pure depression, TM 1997). The postsynaptic current is I_syn = A_SE·y, and the
//! membrane τ_m dv/dt = −(v − v_rest) + R·(I_syn + I + I_cond(v)), with I_cond(v) = Σg(E − v)
//! from conductance receptors. Threshold: v ≥ v_threshold at the end of a step → spike,
//! v ← v_reset (no refractory period, as in SC-NeuroCore).
//!
//! **Numerics.** Exact for inputs held constant over a step: a presynaptic spike arriving in a
//! step (port `presynaptic_spike` > 0) is applied at the step's start; then y, z decay with
//! their linear propagators, u decays by e^(−h/τ_facil), and v (linear in v, driven by the
//! exponentially decaying y) is advanced by its closed-form solution. Spike times are
//! quantised to the step (0.1 ms).
//!
//! **Units.** v in mV, time in ms, currents in SC-NeuroCore's "current units" with R = `r_m`
//! (R·A_SE in mV).
//!
//! **Reference.** Tsodyks, M.V. & Markram, H. (1997) PNAS 94:719–723,
//! doi:10.1073/pnas.94.2.719; Tsodyks, M., Pawelzik, K. & Markram, H. (1998) Neural Comput.
//! 10:821–835, doi:10.1162/089976698300017502; facilitating parameters from Markram, Wang &
//! Tsodyks (1998) PNAS 95:5323–5328, doi:10.1073/pnas.95.9.5323.
//!
//! **Relation to SC-NeuroCore** (spec §18). Same interface (`step(current,
//! presynaptic_spike) -> spike`) and state names `v`, `x`, `u`, plus the added state `y` (the
//! active fraction, listed in `ADDED_STATE`). Departures, all following the papers:
//! - SC-NeuroCore applies the released current A·u·x for a single time step (so the PSP scales
//!   with the step); here the EPSC is A_SE·y with y decaying with τ_in = 3 ms (TM 1997).
//! - SC-NeuroCore's u relaxes towards U and jumps first (Mongillo et al. 2008), so the first
//!   spike from rest releases 2U − U²; here u decays to 0 and the first spike releases U·x
//!   (TPM 1998). The initial u is therefore 0, not U.
//! - SC-NeuroCore lets x recover towards 1 directly (two states); here resources recover from
//!   the inactive pool z = 1 − x − y (three states, TM 1997).
//! - Forward Euler there, exact propagators here.
//! - Defaults: TM 1997's depressing synapse (U = 0.5, τ_rec = 800 ms, τ_in = 3 ms, no
//!   facilitation; also NEST's `tsodyks_synapse` defaults) instead of SC-NeuroCore's mix
//!   (U = 0.2, τ_d = 200 ms, τ_f = 600 ms). The membrane parameters (v_rest = v_reset = −65 mV,
//!   θ = −50 mV, τ_m = 20 ms, R = 1, A_SE = 50) are SC-NeuroCore's: the postsynaptic neuron is
//!   not the object of the papers' recursion.
//!
//! **Paper facts tested.** (1) The depressing (U 0.5, τ_rec 800 ms) and facilitating (U 0.03,
//! τ_F 530 ms, τ_D 130 ms; Markram, Wang & Tsodyks 1998) responses to a regular spike train:
//! x and u before each spike against the analytic recursion of the three-state model, computed
//! in the test; (2) the steady-state EPSC of TM 1997 for pure depression,
//! A·U(1 − e^(−1/(fτ_rec)))/(1 − (1 − U)e^(−1/(fτ_rec))) (τ_in → 0); (3) v against an
//! independent RK4 integration of the published equations.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`TsodyksMarkramNeuron`].
    pub struct TsodyksMarkramParams {
        /// Resting potential, v_rest [mV].
        v_rest: f64 = -65.0,
        /// Reset potential after a postsynaptic spike, v_reset [mV].
        v_reset: f64 = -65.0,
        /// Spike threshold, θ [mV].
        v_threshold: f64 = -50.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 20.0,
        /// Recovery (depression) time constant, τ_rec [ms].
        tau_d: f64 = 800.0,
        /// Facilitation time constant, τ_facil (0 = no facilitation, u = U at every spike) [ms].
        tau_f: f64 = 0.0,
        /// Inactivation time constant of the active resources (EPSC decay), τ_in [ms].
        tau_in: f64 = 3.0,
        /// Utilisation increment, U_SE [1].
        u_se: f64 = 0.5,
        /// Absolute synaptic efficacy, A_SE [current units].
        a_se: f64 = 50.0,
        /// Membrane resistance, R [mV per current unit].
        r_m: f64 = 1.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
    }
}

impl TsodyksMarkramParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("tau_d", self.tau_d)?;
        check::non_negative("tau_f", self.tau_f)?;
        check::positive("tau_in", self.tau_in)?;
        check::in_range("u_se", self.u_se, 0.0, 1.0)?;
        check::finite("a_se", self.a_se)?;
        check::non_negative("r_m", self.r_m)?;
        check::positive("span", self.span)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`TsodyksMarkramNeuron`].
    pub struct TsodyksMarkramState {
        /// Membrane potential, v [mV].
        v: f64 => TmV,
        /// Recovered (available) fraction of synaptic resources, x [1].
        x: f64 => TmX,
        /// Utilisation (before the next spike's increment), u [1].
        u: f64 => TmU,
        /// Active fraction of synaptic resources (EPSC = A_SE·y), y [1].
        y: f64 => TmY,
    }
}

/// Constants of [`TsodyksMarkramNeuron`] for one step length.
#[derive(Clone, Debug)]
pub struct TsodyksMarkramConsts {
    h: f64,
    u_se: f64,
    /// e^(−h/τ_in), e^(−h/τ_rec), e^(−h/τ_facil).
    d_in: f64,
    d_rec: f64,
    d_f: f64,
    /// z gained from y over a step per unit y: (e^(−h/τ_in) − e^(−h/τ_rec))·k/(1/τ_rec − 1/τ_in)·(1/τ_in).
    z_from_y: f64,
    inv_tau_m: f64,
    inv_tau_in: f64,
    r_over_tau: f64,
    a_se: f64,
    v_rest: f64,
    v_reset: f64,
    v_threshold: f64,
}

/// `(e^(−a t) − e^(−b t))/(b − a)`, with its limit t·e^(−a t) at a = b.
#[inline(always)]
fn exp_diff(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    let limit = t * (-a * t).exp();
    let direct = ((-a * t).exp() - (-b * t).exp()) / d;
    if d.abs() * t < 1e-9 { limit } else { direct }
}

/// One exact step of length `k.h`: a presynaptic spike (if `pre > 0`) at the step's start, then
/// the synapse and the membrane propagate; returns the postsynaptic spike.
#[inline(always)]
pub fn tsodyks_markram_step(
    k: &TsodyksMarkramConsts,
    s: &mut TsodyksMarkramState,
    x: &Input<[f64; 2]>,
) -> bool {
    let spike_in = x.ports[1] > 0.0;
    // Facilitation first (TPM 1998), then release of u·x.
    let u_jump = s.u + k.u_se * (1.0 - s.u);
    let u = if spike_in { u_jump } else { s.u };
    let release = if spike_in { u * s.x } else { 0.0 };
    let x0 = s.x - release;
    let y0 = s.y + release;
    let z0 = 1.0 - x0 - y0;
    // y decays; z = z0 e^(−h/τ_rec) + y0·(1/τ_in)·(e^(−h/τ_rec) − e^(−h/τ_in))/(1/τ_in − 1/τ_rec).
    let y1 = y0 * k.d_in;
    let z1 = z0 * k.d_rec + y0 * k.z_from_y;
    s.x = 1.0 - y1 - z1;
    s.y = y1;
    s.u = u * k.d_f;
    // Membrane: dv/dt = −b(v − v∞) + c·y0·e^(−t/τ_in), b = (1 + R g)/τ_m.
    let b = k.inv_tau_m * (1.0 + x.g * (k.r_over_tau / k.inv_tau_m));
    let v_inf = (k.v_rest * k.inv_tau_m + k.r_over_tau * (x.ports[0] + x.ge)) / b;
    let c = k.r_over_tau * k.a_se * y0;
    let v = v_inf + (s.v - v_inf) * (-b * k.h).exp() + c * exp_diff(b, k.inv_tau_in, k.h);
    let fire = v >= k.v_threshold;
    s.v = if fire { k.v_reset } else { v };
    fire
}

standalone! {
/// LIF neuron behind a Tsodyks–Markram depressing/facilitating synapse.
pub struct TsodyksMarkramNeuron;
}

impl TsodyksMarkramNeuron {
    /// Advance one step (`span` ms) with injected `current` and, if `presynaptic_spike`, a
    /// presynaptic spike at the step's start; `true` on a postsynaptic spike.
    pub fn step(&mut self, current: f64, presynaptic_spike: bool) -> bool {
        self.step_or_none([current, if presynaptic_spike { 1.0 } else { 0.0 }])
    }
}

impl Model for TsodyksMarkramNeuron {
    const NAME: &'static str = "TsodyksMarkramNeuron";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "LIF behind a Tsodyks-Markram depressing/facilitating synapse (3-state, tau_in EPSC)";
    const REFERENCE: &'static str = "Tsodyks & Markram 1997, PNAS 94:719, doi:10.1073/pnas.94.2.719; Tsodyks, Pawelzik & Markram 1998, Neural Comput 10:821, doi:10.1162/089976698300017502";
    const PORTS: &'static [&'static str] = &["current", "presynaptic_spike"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[20.0, 0.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = TsodyksMarkramParams;
    type State = TsodyksMarkramState;
    type Consts = TsodyksMarkramConsts;
    type Ports = [f64; 2];
    type Output = bool;

    fn init(p: &TsodyksMarkramParams) -> TsodyksMarkramState {
        TsodyksMarkramState {
            v: p.v_rest,
            x: 1.0,
            u: 0.0,
            y: 0.0,
        }
    }
    fn standalone_span(p: &TsodyksMarkramParams) -> f64 {
        p.span
    }
    fn prepare(p: &TsodyksMarkramParams, h: f64) -> TsodyksMarkramConsts {
        let (a_in, a_rec) = (1.0 / p.tau_in, 1.0 / p.tau_d);
        TsodyksMarkramConsts {
            h,
            u_se: p.u_se,
            d_in: (-h * a_in).exp(),
            d_rec: (-h * a_rec).exp(),
            d_f: if p.tau_f > 0.0 {
                (-h / p.tau_f).exp()
            } else {
                0.0
            },
            z_from_y: a_in * exp_diff(a_rec, a_in, h),
            inv_tau_m: 1.0 / p.tau_m,
            inv_tau_in: a_in,
            r_over_tau: p.r_m / p.tau_m,
            a_se: p.a_se,
            v_rest: p.v_rest,
            v_reset: p.v_reset,
            v_threshold: p.v_threshold,
        }
    }
    #[inline(always)]
    fn update(
        k: &TsodyksMarkramConsts,
        s: &mut TsodyksMarkramState,
        x: &Input<[f64; 2]>,
        _: &mut NeuronRng,
    ) -> bool {
        tsodyks_markram_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// (x, u) just before each of `n` presynaptic spikes every `isi` ms, from the model.
    fn model_train(p: TsodyksMarkramParams, isi: f64, n: usize) -> Vec<(f64, f64)> {
        let mut m = TsodyksMarkramNeuron::with_params(TsodyksMarkramParams {
            v_threshold: 1e9,
            ..p
        })
        .unwrap();
        let every = (isi / m.span()).round() as usize;
        let mut out = Vec::new();
        for k in 0..n * every {
            if k % every == 0 {
                out.push((m.state().x, m.state().u));
            }
            m.step(0.0, k % every == 0);
        }
        out
    }

    /// The analytic recursion of the three-state model between spikes Δ apart (TM 1997 with
    /// TPM 1998's u): at a spike u⁺ = u + U(1 − u), release r = u⁺x; then over Δ
    /// y = (y + r)e^(−Δ/τ_in), z = z e^(−Δ/τ_rec) + (y + r)/τ_in·(e^(−Δ/τ_rec) − e^(−Δ/τ_in))/(1/τ_in − 1/τ_rec),
    /// x = 1 − y − z, u = u⁺e^(−Δ/τ_F).
    fn recursion(
        u_se: f64,
        t_rec: f64,
        t_f: f64,
        t_in: f64,
        isi: f64,
        n: usize,
    ) -> Vec<(f64, f64)> {
        let (mut x, mut y, mut z, mut u) = (1.0, 0.0, 0.0, 0.0);
        let mut out = Vec::new();
        for _ in 0..n {
            out.push((x, u));
            let up = u + u_se * (1.0 - u);
            let r = up * x;
            let y0 = y + r;
            let z0 = z;
            y = y0 * (-isi / t_in).exp();
            z = z0 * (-isi / t_rec).exp()
                + y0 / t_in * ((-isi / t_rec).exp() - (-isi / t_in).exp())
                    / (1.0 / t_in - 1.0 / t_rec);
            x = 1.0 - y - z;
            u = if t_f > 0.0 {
                up * (-isi / t_f).exp()
            } else {
                0.0
            };
        }
        out
    }

    #[test]
    fn depressing_and_facilitating_trains_follow_the_recursion() {
        // Depressing: TM 1997, U = 0.5, τ_rec = 800 ms, τ_in = 3 ms, 20 Hz.
        // Facilitating: Markram, Wang & Tsodyks 1998, U = 0.03, τ_F = 530 ms, τ_D = 130 ms, 20 Hz.
        for (u_se, t_rec, t_f) in [(0.5, 800.0, 0.0), (0.03, 130.0, 530.0)] {
            let p = TsodyksMarkramParams {
                u_se,
                tau_d: t_rec,
                tau_f: t_f,
                ..Default::default()
            };
            let got = model_train(p, 50.0, 10);
            let want = recursion(u_se, t_rec, t_f, 3.0, 50.0, 10);
            for (k, ((gx, gu), (wx, wu))) in got.iter().zip(&want).enumerate() {
                assert!(
                    (gx - wx).abs() < 1e-9 && (gu - wu).abs() < 1e-9,
                    "spike {k}: ({gx}, {gu}) vs ({wx}, {wu})"
                );
            }
            // The EPSC A·u⁺·x: depressing trains fall, facilitating ones rise at first.
            let epsc = |(x, u): (f64, f64)| (u + u_se * (1.0 - u)) * x;
            let (e1, e2) = (epsc(got[0]), epsc(got[1]));
            if t_f == 0.0 {
                assert!(e2 < 0.6 * e1, "depression: {e1} → {e2}");
            } else {
                assert!(e2 > 1.5 * e1, "facilitation: {e1} → {e2}");
            }
        }
    }

    #[test]
    fn steady_state_epsc_of_tm_1997() {
        // TM 1997: with u ≡ U and τ_in → 0, the steady EPSC per spike at rate f is
        // A·U(1 − e^(−1/(fτ_rec)))/(1 − (1 − U)e^(−1/(fτ_rec))).
        for f_hz in [5.0, 20.0, 50.0] {
            let isi = 1000.0 / f_hz;
            let p = TsodyksMarkramParams {
                tau_in: 1e-3,
                ..Default::default()
            };
            let got = model_train(p, isi, 60);
            let (x, _) = got[got.len() - 1];
            let e = (-isi / 800.0f64).exp();
            let want = 0.5 * (1.0 - e) / (1.0 - 0.5 * e);
            assert!(
                (0.5 * x - want).abs() < 1e-5 * want,
                "{f_hz} Hz: {} vs {want}",
                0.5 * x
            );
        }
    }

    #[test]
    fn membrane_agrees_with_an_independent_integration() {
        // One presynaptic spike at t = 0 from rest, background current 10: state (v, x, y, z)
        // with τ_m dv/dt = −(v − v_rest) + R(A y + I), dy/dt = −y/τ_in, dz/dt = y/τ_in − z/τ_rec.
        let (i_bg, a, r, tau_m, t_in, t_rec) = (10.0, 50.0, 1.0, 20.0, 3.0, 800.0);
        let f = move |_t: f64, s: &[f64]| {
            vec![
                (-(s[0] + 65.0) + r * (a * s[2] + i_bg)) / tau_m,
                s[3] / t_rec,
                -s[2] / t_in,
                s[2] / t_in - s[3] / t_rec,
            ]
        };
        // After the spike at rest: u⁺ = U = 0.5, release 0.5: x = 0.5, y = 0.5.
        let reference = Reference::rk4(0.001, f).trace(&[-65.0, 0.5, 0.5, 0.0], 40.0, 0, 1000);
        let mut m = TsodyksMarkramNeuron::new();
        let mut mine = vec![];
        for k in 0..400 {
            if k % 10 == 0 {
                mine.push(m.state().v);
            }
            m.step(i_bg, k == 0);
        }
        // mine[0] is before the spike; samples from t = 1 ms on line up with the reference.
        for t in 1..40 {
            assert!(
                (mine[t] - reference[t]).abs() < 1e-7,
                "t = {t}: {} vs {}",
                mine[t],
                reference[t]
            );
        }
        // The PSP from one spike is visible: above the current-only relaxation.
        let v_no_syn = -65.0 + i_bg * (1.0 - (-10.0f64 / 20.0).exp());
        assert!(mine[10] > v_no_syn + 1.0);
    }
}
