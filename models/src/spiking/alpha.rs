//! `AlphaNeuron` — a leaky integrate-and-fire membrane driven by excitatory and inhibitory
//! synaptic currents with alpha-function kernels (Rall 1967; Gerstner & Kistler 2002).
//!
//! **Equations.** Each channel s ∈ {exc, inh} is a two-stage cascade driven by D_s (the step
//! argument, a rate per ms): da_s/dt = D_s − a_s/τ_s, di_s/dt = (a_s − i_s)/τ_s, so an impulse
//! D = δ(t) gives i(t) = (t/τ_s)e^{−t/τ_s} (peak 1/e at τ_s, area τ_s). Membrane:
//! τ_v dv/dt = −(v − v_rest) + i_exc − i_inh. If v ≥ v_threshold: v ← v_rest (the cascades are
//! not reset; no refractory period).
//!
//! **Numerics.** The exact flow for drives held constant over a step. With s = τD (the steady
//! state of a and i), A = a − s, J = i − s and u = v − v_ss, v_ss = v_rest + s_exc − s_inh:
//! A(t) = A₀e^{−t/τ}, J(t) = (J₀ + A₀t/τ)e^{−t/τ}, and u(t) = u₀e^{−t/τ_v} + C_exc − C_inh with
//! C = (t/τ_v)e^{−t/τ_v}[J₀ φ₁(κt) + A₀(t/τ) g(κt)], κ = 1/τ_v − 1/τ,
//! φ₁(x) = (eˣ − 1)/x, g(x) = ∫₀¹ s e^{xs} ds = (eˣ(x − 1) + 1)/x². Near x = 0 (which includes
//! the limit τ_v = τ_s, where C = (e^{−t/τ}/τ)[J₀t + A₀t²/(2τ)]) φ₁ and g are summed as power
//! series, so the flow is exact and smooth across that limit. The threshold is tested on a grid
//! of substeps of at most `substep` (0.01 ms) and the reset applied there; a standalone step
//! spans `dt` = 1 ms, as SC-NeuroCore's does.
//!
//! **Units.** t in ms; v, i and the threshold in the same (dimensionless) units; a and the
//! drives D in units per ms.
//!
//! **Reference.** Rall, W. (1967) "Distinguishing theoretical synaptic potentials computed for
//! different soma-dendritic distributions of synaptic input", J. Neurophysiol. 30:1138–1168,
//! doi:10.1152/jn.1967.30.5.1138 (the alpha function); Gerstner, W. & Kistler, W.M. (2002)
//! *Spiking Neuron Models*, Cambridge University Press, §4.1, doi:10.1017/CBO9780511815706
//! (the integrate-and-fire form). The default constants are SC-NeuroCore's choice, not from a
//! paper.
//!
//! **Relation to SC-NeuroCore** (spec §10). Same interface (`step(exc_current, inh_current)`,
//! 1 ms per call), state (`v`, `a_exc`, `i_exc`, `a_inh`, `i_inh` from 0), defaults and exact
//! flow. Difference: SC-NeuroCore tests the threshold only at the end of its 1-ms step, so
//! spikes are late by up to 1 ms and the reset comes late; here the threshold is tested every
//! `substep` (0.01 ms) inside the step (a new parameter), so spike times are resolved to it;
//! `inh_current` has no default value (Rust has no default arguments: pass 0.0).
//!
//! **Paper facts tested** (analytic for this model, spec §10.8). DC rheobase
//! D_exc = (v_th − v_rest)/τ_exc = 0.2 ms⁻¹; at D_exc = 0.4 (v∞ = 2) the interval tends to
//! τ_v ln(v∞/(v∞ − 1)) = 20 ln 2 = 13.86 ms; the impulse response i(t) = (t/τ)e^{−t/τ} and the
//! membrane response to it, including t²e^{−t/τ}/(2τ²) for τ_v = τ_s.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`AlphaNeuron`].
    pub struct AlphaParams {
        /// Resting and reset potential, v_rest [1].
        v_rest: f64 = 0.0,
        /// Firing threshold, v_th [1].
        v_threshold: f64 = 1.0,
        /// Membrane time constant, τ_v [ms].
        tau_v: f64 = 20.0,
        /// Excitatory alpha time constant, τ_exc [ms].
        tau_exc: f64 = 5.0,
        /// Inhibitory alpha time constant, τ_inh [ms].
        tau_inh: f64 = 10.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
        /// Largest interval between threshold tests (exact-flow substep) [ms].
        substep: f64 = 0.01,
    }
}

impl AlphaParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_v", self.tau_v)?;
        check::positive("tau_exc", self.tau_exc)?;
        check::positive("tau_inh", self.tau_inh)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("v_rest", self.v_rest, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`AlphaNeuron`].
    pub struct AlphaState {
        /// Membrane potential, v [1].
        v: f64 => AlphaV,
        /// Rise stage of the excitatory cascade, a_exc [1/ms].
        a_exc: f64 => AlphaAExc,
        /// Excitatory synaptic current, i_exc [1].
        i_exc: f64 => AlphaIExc,
        /// Rise stage of the inhibitory cascade, a_inh [1/ms].
        a_inh: f64 => AlphaAInh,
        /// Inhibitory synaptic current, i_inh [1].
        i_inh: f64 => AlphaIInh,
    }
}

/// (eˣ − 1)/x and ∫₀¹ s e^{xs} ds = (eˣ(x − 1) + 1)/x², by power series near 0.
fn phi1_g(x: f64) -> (f64, f64) {
    if x.abs() < 0.5 {
        // Σ xⁿ/(n+1)! and Σ xⁿ/(n!(n+2)); 16 terms: truncation < 0.5¹⁶/16! ≈ 7e-19.
        let (mut p, mut g, mut term) = (0.0, 0.0, 1.0); // term = xⁿ/n!
        for n in 0..16 {
            let nf = n as f64;
            p += term / (nf + 1.0);
            g += term / (nf + 2.0);
            term *= x / (nf + 1.0);
        }
        (p, g)
    } else {
        let e = x.exp();
        (x.exp_m1() / x, (e * (x - 1.0) + 1.0) / (x * x))
    }
}

/// Exact propagator of one alpha channel over a substep h.
#[derive(Clone, Copy, Debug)]
struct Channel {
    tau: f64,
    /// e^{−h/τ}.
    e: f64,
    /// h/τ.
    k: f64,
    /// Membrane contributions per unit J₀ and A₀.
    c_j: f64,
    c_a: f64,
}

impl Channel {
    fn new(tau: f64, tau_v: f64, h: f64) -> Self {
        let x = (1.0 / tau_v - 1.0 / tau) * h;
        let (p1, g) = phi1_g(x);
        let ev = (-h / tau_v).exp();
        Self {
            tau,
            e: (-h / tau).exp(),
            k: h / tau,
            c_j: h / tau_v * ev * p1,
            c_a: h * h / (tau_v * tau) * ev * g,
        }
    }

    /// Advance (a, i) under drive `d`; returns the membrane contribution C.
    #[inline(always)]
    fn advance(&self, a: &mut f64, i: &mut f64, d: f64) -> f64 {
        let s = self.tau * d;
        let (a0, j0) = (*a - s, *i - s);
        *a = s + self.e * a0;
        *i = s + self.e * (j0 + self.k * a0);
        self.c_j * j0 + self.c_a * a0
    }
}

/// Constants of [`AlphaNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct AlphaConsts {
    v_rest: f64,
    v_threshold: f64,
    n: u32,
    /// e^{−h/τ_v}.
    ev: f64,
    exc: Channel,
    inh: Channel,
}

/// One step: `k.n` exact substeps, threshold and reset tested after each.
#[inline(always)]
pub fn alpha_step(k: &AlphaConsts, s: &mut AlphaState, d_exc: f64, d_inh: f64) -> bool {
    let v_ss = k.v_rest + k.exc.tau * d_exc - k.inh.tau * d_inh;
    let mut spiked = false;
    for _ in 0..k.n {
        let ce = k.exc.advance(&mut s.a_exc, &mut s.i_exc, d_exc);
        let ci = k.inh.advance(&mut s.a_inh, &mut s.i_inh, d_inh);
        s.v = v_ss + k.ev * (s.v - v_ss) + ce - ci;
        if s.v >= k.v_threshold {
            s.v = k.v_rest;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Leaky integrate-and-fire neuron with alpha-function synaptic currents.
pub struct AlphaNeuron;
}

impl AlphaNeuron {
    /// Advance one step (1 ms by default) with drives `exc_current`, `inh_current` [1/ms] into
    /// the excitatory and inhibitory alpha cascades; `true` on a spike.
    pub fn step(&mut self, exc_current: f64, inh_current: f64) -> bool {
        self.step_or_none([exc_current, inh_current])
    }
}

impl Model for AlphaNeuron {
    const NAME: &'static str = "AlphaNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "LIF with alpha-function excitatory and inhibitory currents (exact flow)";
    const REFERENCE: &'static str = "Rall 1967, J Neurophysiol 30:1138, doi:10.1152/jn.1967.30.5.1138; Gerstner & Kistler 2002, Spiking Neuron Models §4.1";
    const PORTS: &'static [&'static str] = &["exc_current", "inh_current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.4, 0.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = AlphaParams;
    type State = AlphaState;
    type Consts = AlphaConsts;
    type Ports = [f64; 2];
    type Output = bool;

    fn init(p: &AlphaParams) -> AlphaState {
        AlphaState {
            v: p.v_rest,
            ..Default::default()
        }
    }
    fn standalone_span(p: &AlphaParams) -> f64 {
        p.dt
    }
    fn prepare(p: &AlphaParams, span: f64) -> AlphaConsts {
        let (n, h) = substeps(span, p.substep);
        AlphaConsts {
            v_rest: p.v_rest,
            v_threshold: p.v_threshold,
            n,
            ev: (-h / p.tau_v).exp(),
            exc: Channel::new(p.tau_exc, p.tau_v, h),
            inh: Channel::new(p.tau_inh, p.tau_v, h),
        }
    }
    #[inline(always)]
    fn update(k: &AlphaConsts, s: &mut AlphaState, x: &Input<[f64; 2]>, _: &mut NeuronRng) -> bool {
        alpha_step(k, s, x.ports[0], x.ports[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rheobase_is_0_2_per_ms() {
        // v∞ = v_rest + τ_exc·D: the threshold 1 is reached only for D > 1/5 = 0.2 ms⁻¹.
        let fires = |d: f64| {
            let mut n = AlphaNeuron::new();
            (0..2000).any(|_| n.step(d, 0.0))
        };
        assert!(!fires(0.199) && fires(0.201));
        let mut n = AlphaNeuron::new();
        for _ in 0..2000 {
            n.step(0.199, 0.0);
        }
        assert!((n.state().v - 0.995).abs() < 1e-9, "{}", n.state().v);
    }

    #[test]
    fn interval_at_twice_rheobase_is_20_ln_2() {
        // D = 0.4: v∞ = 2, ISI → τ_v ln(v∞/(v∞ − 1)) = 20 ln 2 = 13.863 ms (resolved to the
        // 0.01-ms threshold grid).
        let mut n = AlphaNeuron::with_span(AlphaParams::default(), 0.01).unwrap();
        let t: Vec<usize> = (0..30_000).filter(|_| n.step(0.4, 0.0)).collect();
        let isi = (t[t.len() - 1] - t[t.len() - 2]) as f64 * 0.01;
        let expected = 20.0 * 2f64.ln();
        assert!((expected - 13.863).abs() < 1e-3);
        assert!((isi - expected).abs() <= 0.0101, "{isi} vs {expected}");
        // The default 1-ms step gives the same spikes (tested every 0.01 ms inside the step).
        let mut m = AlphaNeuron::new();
        let t1: Vec<usize> = (0..300).filter(|_| m.step(0.4, 0.0)).collect();
        assert_eq!(t1, t.iter().map(|k| k / 100).collect::<Vec<_>>());
    }

    /// Membrane response to a unit impulse into the excitatory cascade (a_exc(0) = 1), by
    /// composite Simpson quadrature of (1/τ_v)∫₀ᵗ e^{−(t−s)/τ_v}(s/τ)e^{−s/τ} ds (written here).
    fn impulse_response_quadrature(t: f64, tau: f64, tau_v: f64) -> f64 {
        let n = 2000;
        let h = t / n as f64;
        let f = |s: f64| (-(t - s) / tau_v).exp() * (s / tau) * (-s / tau).exp() / tau_v;
        let mut sum = f(0.0) + f(t);
        for k in 1..n {
            sum += if k % 2 == 1 { 4.0 } else { 2.0 } * f(k as f64 * h);
        }
        sum * h / 3.0
    }

    fn impulse(tau_exc: f64, t_steps: usize) -> AlphaState {
        let p = AlphaParams {
            tau_exc,
            v_threshold: 10.0,
            ..Default::default()
        };
        let mut n = AlphaNeuron::with_params(p).unwrap();
        n.state_mut().a_exc = 1.0;
        for _ in 0..t_steps {
            n.step(0.0, 0.0);
        }
        *n.state()
    }

    #[test]
    fn impulse_response_is_the_alpha_kernel() {
        // i(t) = (t/τ)e^{−t/τ}: 1/e at t = τ = 5 ms.
        let s = impulse(5.0, 5);
        assert!((s.i_exc - (-1.0f64).exp()).abs() < 1e-12, "{}", s.i_exc);
        let s = impulse(5.0, 12);
        let q = impulse_response_quadrature(12.0, 5.0, 20.0);
        assert!((s.v - q).abs() < 1e-10, "{} vs {q}", s.v);
    }

    #[test]
    fn equal_time_constants_limit() {
        // τ_v = τ_exc = 20: v(t) = t² e^{−t/τ}/(2τ²); at t = 20: e^{−1}/2.
        let s = impulse(20.0, 20);
        assert!((s.v - 0.5 * (-1.0f64).exp()).abs() < 1e-12, "{}", s.v);
        // Continuous across the limit: τ_exc = 20(1 ± 1e-6) differ by O(1e-6), not more.
        let (lo, hi) = (
            impulse(20.0 * (1.0 - 1e-6), 20),
            impulse(20.0 * (1.0 + 1e-6), 20),
        );
        assert!((lo.v - s.v).abs() < 1e-6 && (hi.v - s.v).abs() < 1e-6);
    }

    #[test]
    fn the_flow_is_exact_for_any_substep() {
        // Substeps of 5 ms (κh = −0.75: closed forms) and 0.01 ms (power series) agree.
        let run = |substep: f64| {
            let p = AlphaParams {
                v_threshold: 10.0,
                dt: 5.0,
                substep,
                ..Default::default()
            };
            let mut n = AlphaNeuron::with_params(p).unwrap();
            for k in 0..8 {
                n.step(
                    if k < 4 { 0.3 } else { 0.0 },
                    if k % 2 == 0 { 0.1 } else { 0.0 },
                );
            }
            *n.state()
        };
        let (a, b) = (run(5.0), run(0.01));
        for (x, y) in [
            (a.v, b.v),
            (a.a_exc, b.a_exc),
            (a.i_exc, b.i_exc),
            (a.a_inh, b.a_inh),
            (a.i_inh, b.i_inh),
        ] {
            assert!((x - y).abs() < 1e-11, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn inhibition_lowers_the_steady_state() {
        // v∞ = v_rest + τ_exc D_exc − τ_inh D_inh = 0.9 − 0.5.
        let mut n = AlphaNeuron::new();
        for _ in 0..2000 {
            assert!(!n.step(0.18, 0.05));
        }
        assert!((n.state().v - 0.4).abs() < 1e-9);
    }
}
