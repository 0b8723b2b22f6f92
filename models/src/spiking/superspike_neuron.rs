//! `SuperSpikeNeuron` — the leaky integrate-and-fire neuron of SuperSpike (Zenke & Ganguli
//! 2018) with the rule's fast-sigmoid surrogate derivative and its eligibility trace.
//!
//! **Equations.** τ_mem dU/dt = (U_rest − U) + I + I_syn(U); U ≥ ϑ: spike, U ← U_reset. Surrogate
//! derivative σ′(U) = 1/(1 + β|U − ϑ|)² (β = 1 mV⁻¹). Eligibility trace (SuperSpike's
//! λ = α ∗ (σ′(U)·(ε ∗ S_pre)), for a synapse whose presynaptic signal is this neuron's input
//! I, i.e. a gain on the whole input): the PSP trace p = ε ∗ I, τ_mem dp/dt = I − p (the
//! membrane's response to the input, without reset), filtered by SuperSpike's normalised
//! double-exponential kernel α (rise τ_rise = 5 ms, decay τ_decay = 10 ms) as two cascaded
//! unit-gain low-pass filters: τ_rise dq/dt = σ′(U)·p − q, τ_decay dλ/dt = q − λ. `trace` is λ.
//! A per-synapse trace replaces I by the presynaptic spike train filtered by the synaptic
//! current kernel; learning code can keep p per synapse and reuse σ′ from here
//! ([`SuperSpikeNeuron::surrogate_grad`]).
//!
//! **Numerics.** Classical RK4 on (U, p, q, λ) in substeps of at most `substep` (0.1 ms; the
//! system is linear but for σ′(U), with τ ≥ 5 ms); the threshold is tested after every
//! substep. A standalone step spans `dt` = 1 ms (SC-NeuroCore's step).
//!
//! **Units.** U in mV, I in mV (the voltage-equation form; R·I), t in ms, β in 1/mV; the traces
//! p in mV, q and λ dimensionless.
//!
//! **Reference.** Zenke, F. & Ganguli, S. (2018) "SuperSpike: Supervised learning in multilayer
//! spiking neural networks", Neural Comput. 30:1514–1541, doi:10.1162/neco_a_01086 (LIF with
//! τ_mem = 10 ms, U_rest = −60 mV, ϑ = −50 mV; σ′ = (1 + |β(U − ϑ)|)⁻² with β = 1 mV⁻¹;
//! normalised double-exponential α with 5-ms rise and 10-ms decay).
//!
//! **Relation to SC-NeuroCore** (spec §19). Same class, `step(current)`, `surrogate_grad()`,
//! state names `v`, `trace` and one step of 1 ms. Differences, following the paper: (a) a
//! continuous-time LIF in mV (U_rest = U_reset = −60 mV, ϑ = −50 mV) instead of SC-NeuroCore's
//! normalised discrete recurrence v ← αv + I (ϑ = 1, reset 0), so `current` is a
//! voltage-equation input (rheobase 10 mV) rather than a per-step jump; (b) β = 1 mV⁻¹ (the
//! paper's) instead of β_sg = 10 on the normalised scale; (c) `trace` is SuperSpike's
//! eligibility α ∗ (σ′·(ε ∗ input)) — with the presynaptic PSP factor and the double-exponential
//! kernel — instead of a single-exponential low-pass of σ′ alone; `tau_e` (10 ms) is the
//! kernel's decay and `tau_rise` (5 ms) is added. Added state (listed in `ADDED_STATE`): `psp`
//! (p) and `rise` (q), the two internal filter stages. No refractory period, as in
//! SC-NeuroCore.
//!
//! **Paper facts tested.** σ′(ϑ) = 1 and σ′(ϑ ± 1 mV) = 1/4 (β = 1 mV⁻¹); rheobase
//! ϑ − U_rest = 10 mV and the interval τ_mem ln(I/(I − 10 mV)) = 10 ln 2 = 6.93 ms at 20 mV
//! (closed form); the membrane's closed-form relaxation; the α kernel's step response
//! s(1 − (τ_d e^{−t/τ_d} − τ_r e^{−t/τ_r})/(τ_d − τ_r)) (unit gain) and the steady state
//! λ = σ′(U∞)·p∞ under constant subthreshold input.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`SuperSpikeNeuron`].
    pub struct SuperSpikeParams {
        /// Membrane time constant, τ_mem [ms].
        tau_m: f64 = 10.0,
        /// Decay time of the eligibility kernel α, τ_decay [ms].
        tau_e: f64 = 10.0,
        /// Rise time of the eligibility kernel α, τ_rise [ms].
        tau_rise: f64 = 5.0,
        /// Resting potential, U_rest [mV].
        u_rest: f64 = -60.0,
        /// Firing threshold, ϑ [mV].
        v_threshold: f64 = -50.0,
        /// Reset potential, U_reset [mV].
        v_reset: f64 = -60.0,
        /// Steepness of the fast-sigmoid surrogate, β [1/mV].
        beta_sg: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
        /// Largest RK4 substep [ms].
        substep: f64 = 0.1,
    }
}

impl SuperSpikeParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("tau_e", self.tau_e)?;
        check::positive("tau_rise", self.tau_rise)?;
        check::non_negative("beta_sg", self.beta_sg)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`SuperSpikeNeuron`].
    pub struct SuperSpikeState {
        /// Membrane potential, U [mV].
        v: f64 => SuperSpikeV,
        /// Eligibility trace λ = α ∗ (σ′(U)·p) [1].
        trace: f64 => SuperSpikeTrace,
        /// PSP trace of the input, p = ε ∗ I [mV].
        psp: f64 => SuperSpikePsp,
        /// Rise stage of the α kernel, q [1].
        rise: f64 => SuperSpikeRise,
    }
}

/// Constants of [`SuperSpikeNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct SuperSpikeConsts {
    p: SuperSpikeParams,
    n: u32,
    h: f64,
}

/// The fast-sigmoid surrogate derivative σ′(U) = 1/(1 + β|U − ϑ|)².
#[inline(always)]
pub fn surrogate(p: &SuperSpikeParams, u: f64) -> f64 {
    let d = 1.0 + p.beta_sg * (u - p.v_threshold).abs();
    1.0 / (d * d)
}

/// One step: `k.n` RK4 substeps of (U, p, q, λ), the threshold tested after each.
#[inline(always)]
pub fn superspike_step(k: &SuperSpikeConsts, s: &mut SuperSpikeState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let i = x.ports[0];
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v, s.psp, s.rise, s.trace];
        rk4(&mut y, k.h, |y| {
            let [u, psp, q, lam] = *y;
            [
                (p.u_rest - u + i + x.syn(u)) / p.tau_m,
                (i - psp) / p.tau_m,
                (surrogate(p, u) * psp - q) / p.tau_rise,
                (q - lam) / p.tau_e,
            ]
        });
        [s.v, s.psp, s.rise, s.trace] = y;
        if s.v >= p.v_threshold {
            s.v = p.v_reset;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// SuperSpike LIF neuron with surrogate derivative and eligibility trace (Zenke & Ganguli 2018).
pub struct SuperSpikeNeuron;
}

impl SuperSpikeNeuron {
    /// Advance one step (1 ms by default) with input `current` [mV]; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }

    /// The surrogate derivative σ′(U) = 1/(1 + β|U − ϑ|)² at the present membrane potential [1].
    pub fn surrogate_grad(&self) -> f64 {
        surrogate(self.params(), self.state().v)
    }
}

impl Model for SuperSpikeNeuron {
    const NAME: &'static str = "SuperSpikeNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "SuperSpike LIF (Zenke & Ganguli 2018) with fast-sigmoid surrogate and eligibility trace";
    const REFERENCE: &'static str =
        "Zenke & Ganguli 2018, Neural Comput 30:1514, doi:10.1162/neco_a_01086";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[20.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = SuperSpikeParams;
    type State = SuperSpikeState;
    type Consts = SuperSpikeConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &SuperSpikeParams) -> SuperSpikeState {
        SuperSpikeState {
            v: p.u_rest,
            trace: 0.0,
            psp: 0.0,
            rise: 0.0,
        }
    }
    fn standalone_span(p: &SuperSpikeParams) -> f64 {
        p.dt
    }
    fn prepare(p: &SuperSpikeParams, span: f64) -> SuperSpikeConsts {
        let (n, h) = substeps(span, p.substep);
        SuperSpikeConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &SuperSpikeConsts,
        s: &mut SuperSpikeState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        superspike_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogate_derivative_values() {
        // σ′(ϑ) = 1; σ′(ϑ ± 1 mV) = 1/(1 + 1)² = 1/4 with β = 1 mV⁻¹.
        let mut n = SuperSpikeNeuron::new();
        for (u, want) in [
            (-50.0, 1.0),
            (-49.0, 0.25),
            (-51.0, 0.25),
            (-60.0, 1.0 / 121.0),
        ] {
            n.state_mut().v = u;
            assert!((n.surrogate_grad() - want).abs() < 1e-15, "{u}");
        }
    }

    #[test]
    fn rheobase_and_interval() {
        // Rheobase ϑ − U_rest = 10 mV; at 20 mV the interval is 10·ln 2 = 6.93 ms.
        let mut n = SuperSpikeNeuron::new();
        assert!((0..2000).all(|_| !n.step(9.99)));
        let mut n = SuperSpikeNeuron::new();
        assert!((0..2000).any(|_| n.step(10.01)));
        let mut n = SuperSpikeNeuron::with_span(SuperSpikeParams::default(), 0.1).unwrap();
        let t: Vec<usize> = (0..2000).filter(|_| n.step(20.0)).collect();
        let isi = (t[3] - t[2]) as f64 * 0.1;
        assert!((isi - 10.0 * 2f64.ln()).abs() <= 0.1, "{isi}");
    }

    #[test]
    fn membrane_and_psp_relax_in_closed_form() {
        // Subthreshold I = 5 mV from rest: U(t) = −60 + 5(1 − e^{−t/10}), p(t) = 5(1 − e^{−t/10}).
        let mut n = SuperSpikeNeuron::new();
        for t in 1..=30 {
            n.step(5.0);
            let x = 5.0 * (1.0 - (-(t as f64) / 10.0).exp());
            assert!((n.state().v - (-60.0 + x)).abs() < 1e-9, "t = {t}");
            assert!((n.state().psp - x).abs() < 1e-9);
        }
        // Steady state: λ → σ′(U∞)·p∞ = 5/(1 + 5)² (the kernel has unit gain).
        for _ in 0..300 {
            n.step(5.0);
        }
        assert!(
            (n.state().trace - 5.0 / 36.0).abs() < 1e-9,
            "{:?}",
            n.state()
        );
    }

    #[test]
    fn eligibility_kernel_step_response() {
        // Start at the steady state of U and p for I = 1 mV (U = −59, p = 1) with the kernel
        // empty: its input σ′p = 1/(1 + 9)² = 0.01 is a step, and
        // λ(t) = 0.01·(1 − (τ_d e^{−t/τ_d} − τ_r e^{−t/τ_r})/(τ_d − τ_r)), τ_r = 5, τ_d = 10.
        let mut n = SuperSpikeNeuron::new();
        n.state_mut().v = -59.0;
        n.state_mut().psp = 1.0;
        for t in 1..=40 {
            n.step(1.0);
            let t = t as f64;
            let want = 0.01 * (1.0 - (10.0 * (-t / 10.0).exp() - 5.0 * (-t / 5.0).exp()) / 5.0);
            assert!((n.state().trace - want).abs() < 1e-10, "t = {t}");
        }
    }
}
