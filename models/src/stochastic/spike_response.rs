//! `SpikeResponseNeuron` — the SRM0 spike-response model: an after-potential η of the last
//! spike plus the input filtered by the kernel κ.
//!
//! **Equations** (Gerstner 1995; Gerstner & Kistler 2002 §4.2): u(t) = η(t − t̂) + h(t),
//! η(s) = η₀e^(−s/τ_η), h(t) = ∫κ(s)w(t − s)ds with κ(s) = e^(−s/τ_κ)/τ_κ (unit area), i.e.
//! τ_κ dh/dt = −h + w. Threshold: u ≥ θ → spike, t̂ ← t (the time since the spike restarts at
//! 0, and u = η₀ + h). The filtered input h keeps running across spikes (temporal summation).
//!
//! **Numerics.** Exact for input held constant over the step: per substep of at most `substep`
//! ms, h ← w + (h − w)e^(−Δ/τ_κ) and the time since the spike grows by Δ; u is evaluated and
//! the threshold tested at the end of every substep (spike times are quantised to it). A
//! standalone step spans `span` = 1 ms and reports whether any substep fired.
//!
//! **Added state.** `h`: the filtered input [1] (SC-NeuroCore has no filter state). Listed in
//! `ADDED_STATE` of `tests/catalogue.rs`.
//!
//! **Reference.** Gerstner, W. (1995) Phys. Rev. E 51:738–758, doi:10.1103/PhysRevE.51.738;
//! Gerstner, W. & Kistler, W.M. (2002) *Spiking Neuron Models*, CUP, §4.2,
//! doi:10.1017/CBO9780511815706.
//!
//! **Relation to SC-NeuroCore** (spec §6). Same interface (`step(weighted_input) -> spike`,
//! state `v`, `time_since_spike` (initially 1000 ms), θ 1, τ_η 10, τ_κ 5, η₀ −5, step 1 ms).
//! Differences, following the paper: (a) SC-NeuroCore has no temporal summation: its input
//! term is w(1 − e^(−dt/τ_κ)) from the current input alone (the e^(−dt/τ_κ)h term is missing),
//! so a constant w = 2 never fires; here h is the κ-filtered input, and w = 2 fires every
//! τ_η ln 5 = 16.1 ms. (b) η has no 100-ms cut-off. (c) After a spike v = η₀ + h (the potential
//! just after the spike), not 0. (d) 0.1-ms substeps detect the crossing within the step.
//! SC-NeuroCore's `dt` is `span` here.
//!
//! **Paper facts tested.** With filtered constant input w = 2 at steady state, η₀ = −5,
//! τ_η = 10 ms, θ = 1: ISI = τ_η ln(|η₀|/(w − θ)) = 16.094 ms (Gerstner & Kistler 2002 §4.2,
//! from u(T) = θ); the kernels' closed forms h(t) = w(1 − e^(−t/τ_κ)) and η₀e^(−t/τ_η); spike
//! times agree with an independent RK4 integration of the two kernel ODEs.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`SpikeResponseNeuron`].
    pub struct SpikeResponseParams {
        /// Threshold, θ [1].
        v_threshold: f64 = 1.0,
        /// After-potential time constant, τ_η [ms].
        tau_eta: f64 = 10.0,
        /// Input kernel time constant, τ_κ [ms].
        tau_kappa: f64 = 5.0,
        /// After-potential amplitude, η₀ [1].
        eta_reset: f64 = -5.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 1.0,
        /// Largest internal substep [ms].
        substep: f64 = 0.1,
    }
}

impl SpikeResponseParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_eta", self.tau_eta)?;
        check::positive("tau_kappa", self.tau_kappa)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`SpikeResponseNeuron`].
    pub struct SpikeResponseState {
        /// Potential u = η + h [1].
        v: f64 => SrmV,
        /// Time since the last spike, t − t̂ [ms].
        time_since_spike: f64 => SrmTss,
        /// Filtered input h (added: the κ filter's state) [1].
        h: f64 => SrmH,
    }
}

/// Constants of [`SpikeResponseNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct SpikeResponseConsts {
    p: SpikeResponseParams,
    n: u32,
    dh: f64,
    decay_kappa: f64,
}

/// One step with input `w`: `k.n` exact substeps, threshold tested after each.
#[inline(always)]
pub fn spike_response_step(k: &SpikeResponseConsts, s: &mut SpikeResponseState, w: f64) -> bool {
    let p = &k.p;
    let mut fired = false;
    for _ in 0..k.n {
        s.h = w + (s.h - w) * k.decay_kappa;
        s.time_since_spike += k.dh;
        s.v = p.eta_reset * (-s.time_since_spike / p.tau_eta).exp() + s.h;
        if s.v >= p.v_threshold {
            s.time_since_spike = 0.0;
            s.v = p.eta_reset + s.h;
            fired = true;
        }
    }
    fired
}

standalone! {
/// SRM0 spike-response neuron (filtered input plus after-potential).
pub struct SpikeResponseNeuron;
}

impl SpikeResponseNeuron {
    /// Advance one step (1 ms by default) with weighted input `weighted_input` [1]; `true` on
    /// a spike.
    pub fn step(&mut self, weighted_input: f64) -> bool {
        self.step_or_none([weighted_input])
    }
}

impl Model for SpikeResponseNeuron {
    const NAME: &'static str = "SpikeResponseNeuron";
    const FAMILY: Family = Family::Stochastic;
    const SUMMARY: &'static str = "SRM0 spike-response model: kappa-filtered input + eta kernel";
    const REFERENCE: &'static str =
        "Gerstner 1995, Phys Rev E 51:738, doi:10.1103/PhysRevE.51.738; Gerstner & Kistler 2002";
    const PORTS: &'static [&'static str] = &["weighted_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[2.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = SpikeResponseParams;
    type State = SpikeResponseState;
    type Consts = SpikeResponseConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &SpikeResponseParams) -> SpikeResponseState {
        SpikeResponseState {
            v: 0.0,
            time_since_spike: 1000.0,
            h: 0.0,
        }
    }
    fn standalone_span(p: &SpikeResponseParams) -> f64 {
        p.span
    }
    fn prepare(p: &SpikeResponseParams, span: f64) -> SpikeResponseConsts {
        let (n, dh) = substeps(span, p.substep);
        SpikeResponseConsts {
            decay_kappa: (-dh / p.tau_kappa).exp(),
            p: p.clone(),
            n,
            dh,
        }
    }
    #[inline(always)]
    fn update(
        k: &SpikeResponseConsts,
        s: &mut SpikeResponseState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        spike_response_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, isis, spike_times};

    #[test]
    fn steady_input_two_fires_every_tau_eta_ln_5() {
        // Gerstner & Kistler 2002 §4.2: T = 10 ln(5/(2 − 1)) = 16.094 ms; 0.01-ms grid.
        let p = SpikeResponseParams::default();
        let mut n = SpikeResponseNeuron::with_span(p, 0.01).unwrap();
        n.state_mut().h = 2.0;
        let t = spike_times::<SpikeResponseNeuron>(&mut n, 20_000, |_| [2.0]);
        let th = 10.0 * 5f64.ln();
        for x in &isis(&t)[1..] {
            assert!(*x >= th - 1e-9 && *x <= th + 0.01 + 1e-9, "ISI {x} vs {th}");
        }
    }

    #[test]
    fn kernels_have_their_closed_forms() {
        // Step input w = 0.5 from rest (below θ): v(t) = 0.5(1 − e^(−t/5)), not SC-NeuroCore's
        // constant 0.5(1 − e^(−1/5)) = 0.0906.
        let mut n = SpikeResponseNeuron::new();
        for step in 1..=40 {
            assert!(!n.step(0.5));
            let t = step as f64;
            let th = 0.5 * (1.0 - (-t / 5.0).exp()) - 5.0 * (-(1000.0 + t) / 10.0).exp();
            assert!((n.state().v - th).abs() < 1e-12, "{t}: {}", n.state().v);
        }
        assert!(n.state().v > 0.49);
        // After a spike with no input: v(t) = η₀e^(−t/τ_η).
        let mut n = SpikeResponseNeuron::new();
        n.state_mut().time_since_spike = 0.0;
        for step in 1..=30 {
            n.step(0.0);
            let th = -5.0 * (-(step as f64) / 10.0).exp();
            assert!((n.state().v - th).abs() < 1e-12);
        }
    }

    #[test]
    fn spike_times_match_an_independent_integration() {
        // y = [η, h, u]: τ_η η' = −η, τ_κ h' = −h + w(t), u = η + h; reset η = η₀ at u = θ.
        let w = |t: f64| 1.8 + 0.8 * (0.7 * t.floor()).sin();
        let mut n = SpikeResponseNeuron::with_span(SpikeResponseParams::default(), 0.01).unwrap();
        let model =
            spike_times::<SpikeResponseNeuron>(&mut n, 20_000, |k| [w(k as f64 * 0.01 + 0.005)]);
        let hr = 0.001;
        let mut y = vec![0.0, 0.0];
        let mut refs = Vec::new();
        let steps = (200.0 / hr) as usize;
        for k in 0..steps {
            let t = k as f64 * hr;
            let wk = w(t + 0.5 * hr);
            let r = Reference::rk4(hr, move |_, y: &[f64]| {
                vec![-y[0] / 10.0, (wk - y[1]) / 5.0]
            });
            let next = r.step(t, &y);
            let (u0, u1) = (y[0] + y[1], next[0] + next[1]);
            y = next;
            if u0 < 1.0 && u1 >= 1.0 {
                refs.push(t + hr * (1.0 - u0) / (u1 - u0));
                y[0] = -5.0;
            }
        }
        assert!(refs.len() > 8, "{refs:?}");
        assert_eq!(model.len(), refs.len(), "{model:?} vs {refs:?}");
        for (m, r) in model.iter().zip(&refs) {
            // Model times are step starts of the 0.01-ms step whose end passed θ.
            assert!((m + 0.01 - r).abs() < 0.03, "{m} vs {r}");
        }
    }
}
