//! `CompteWMNeuron` — the pyramidal leaky integrate-and-fire cell of the Compte et al. (2000)
//! spatial working-memory network, with AMPA (external), saturating NMDA with Mg²⁺ block
//! (recurrent) and GABA_A synaptic gates.
//!
//! **Equations** (Compte, Brunel, Goldman-Rakic & Wang 2000, Methods):
//! C dV/dt = −g_L(V − E_L) − g_A s_A (V − E_E) − g_N B(V) s_N (V − E_E) − g_G s_G (V − E_I) + I,
//! B(V) = 1/(1 + [Mg²⁺] e^(−0.062 V)/3.57) (Jahr & Stevens 1990);
//! ds_A/dt = −s_A/τ_A; dx/dt = −x/τ_x; ds_N/dt = −s_N/τ_N + α x (1 − s_N); ds_G/dt = −s_G/τ_G.
//! A presynaptic spike adds 1 to the gate it drives: an external (AMPA) event to s_A, a recurrent
//! excitatory event to the NMDA precursor x, an inhibitory event to s_G. The port values are
//! added as event counts (or summed projection weights), at the start of the step.
//! When V reaches V_th = −50 mV a spike is emitted, V is reset to −60 mV and held there for
//! τ_ref = 2 ms (pyramidal cells; the gates keep evolving).
//!
//! **Numerics.** Second-order (midpoint) Runge–Kutta on all five variables in substeps of at
//! most `substep` = 0.02 ms, the paper's method and step; the threshold is tested after every
//! substep (spike times are not interpolated). A standalone step spans `span` = 0.02 ms.
//! During the refractory hold dV/dt = 0 in both RK stages.
//!
//! **Units.** V in mV, conductances in µS, currents in nA, C in nF, time in ms.
//!
//! **Reference.** Compte, A., Brunel, N., Goldman-Rakic, P.S. & Wang, X.-J. (2000) Synaptic
//! mechanisms and network dynamics underlying spatial working memory in a cortical network
//! model. Cereb. Cortex 10:910–923, doi:10.1093/cercor/10.9.910. Pyramidal-cell values: C =
//! 0.5 nF, g_L = 25 nS, E_L = −70 mV, V_th = −50 mV, V_reset = −60 mV, τ_ref = 2 ms, g_AMPA,ext =
//! 3.1 nS, G_EE (NMDA) = 0.381 nS, G_IE (GABA) = 1.336 nS, τ_AMPA = 2 ms, τ_x = 2 ms, τ_NMDA =
//! 100 ms, α = 0.5 ms⁻¹, τ_GABA = 10 ms, [Mg²⁺] = 1 mM.
//!
//! **Relation to SC-NeuroCore** (spec §20). Same class name, the newest version's interface
//! (`step(current, spike_in, external_spike, inhibitory_spike)` → spike; here the three events
//! are ports whose values are counts/weights instead of booleans), state names (`v, s_ampa,
//! s_nmda, x_nmda, s_gaba, ref_remaining`), parameters, defaults and midpoint RK2 at 0.02 ms.
//! `dt` is split into `span` (step) and `substep` (RK2 step). Differences: the refractory
//! timer is decremented and the hold released within the substep loop, so a step longer than
//! the substep behaves as the same number of 0.02-ms steps; SC-NeuroCore fails the step when
//! a gate leaves [0, 10⁶] or V leaves [−200, 100] mV, here the network's NaN guard applies.
//! This is a single cell: the paper's 2 048 + 512-cell ring network with its structured
//! connectivity and 1.8 kHz Poisson background is built from these cells by a scene.
//!
//! **Facts tested.** Rheobase g_L(V_th − E_L) = 0.5 nA; the LIF interspike interval
//! τ_ref + τ_m ln((V∞ − V_reset)/(V∞ − V_th)) = 10.11 ms at 1 nA and 27.06 ms at 0.6 nA (spec
//! §20.8); the synaptic gates and the voltage after AMPA, NMDA and GABA events against an
//! independent RK4 integration of the published equations (which checks the Mg²⁺ block).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`CompteWMNeuron`].
    pub struct CompteWMParams {
        /// Leak conductance, g_L [µS].
        g_l: f64 = 0.025,
        /// External AMPA conductance, g_AMPA [µS].
        g_ampa: f64 = 0.0031,
        /// Recurrent NMDA conductance, g_NMDA [µS].
        g_nmda: f64 = 0.000381,
        /// GABA_A conductance, g_GABA [µS].
        g_gaba: f64 = 0.001336,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -70.0,
        /// Excitatory reversal potential, E_E [mV].
        e_exc: f64 = 0.0,
        /// Inhibitory reversal potential, E_I [mV].
        e_inh: f64 = -70.0,
        /// Membrane capacitance, C [nF].
        c_m: f64 = 0.5,
        /// Extracellular magnesium concentration, [Mg²⁺] [mM].
        mg: f64 = 1.0,
        /// AMPA decay time constant, τ_AMPA [ms].
        tau_ampa: f64 = 2.0,
        /// NMDA decay time constant, τ_NMDA [ms].
        tau_nmda: f64 = 100.0,
        /// NMDA rise (precursor decay) time constant, τ_x [ms].
        tau_x: f64 = 2.0,
        /// GABA_A decay time constant, τ_GABA [ms].
        tau_gaba: f64 = 10.0,
        /// NMDA saturation rate, α [1/ms].
        alpha_nmda: f64 = 0.5,
        /// Spike threshold, V_th [mV].
        v_threshold: f64 = -50.0,
        /// Reset potential, V_reset [mV].
        v_reset: f64 = -60.0,
        /// Absolute refractory period, τ_ref [ms].
        tau_ref: f64 = 2.0,
        /// Largest internal RK2 step [ms].
        substep: f64 = 0.02,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.02,
    }
}

impl CompteWMParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("c_m", self.c_m),
            ("tau_ampa", self.tau_ampa),
            ("tau_nmda", self.tau_nmda),
            ("tau_x", self.tau_x),
            ("tau_gaba", self.tau_gaba),
            ("substep", self.substep),
            ("span", self.span),
        ] {
            check::positive(n, x)?;
        }
        for (n, x) in [
            ("g_l", self.g_l),
            ("g_ampa", self.g_ampa),
            ("g_nmda", self.g_nmda),
            ("g_gaba", self.g_gaba),
            ("mg", self.mg),
            ("alpha_nmda", self.alpha_nmda),
            ("tau_ref", self.tau_ref),
        ] {
            check::non_negative(n, x)?;
        }
        if self.v_reset >= self.v_threshold {
            return Err(ParamError::new(
                "v_reset",
                format!(
                    "must lie below v_threshold ({}), got {}",
                    self.v_threshold, self.v_reset
                ),
            ));
        }
        Ok(())
    }
}

neuron_state! {
    /// State of [`CompteWMNeuron`].
    pub struct CompteWMState {
        /// Membrane potential, V [mV].
        v: f64 => CwmV,
        /// AMPA gate, s_AMPA [1].
        s_ampa: f64 => CwmSAmpa,
        /// NMDA gate, s_NMDA [1].
        s_nmda: f64 => CwmSNmda,
        /// NMDA precursor, x [1].
        x_nmda: f64 => CwmXNmda,
        /// GABA_A gate, s_GABA [1].
        s_gaba: f64 => CwmSGaba,
        /// Remaining refractory time [ms].
        ref_remaining: f64 => CwmRefRemaining,
    }
}

/// Constants of [`CompteWMNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct CompteWMConsts {
    p: CompteWMParams,
    n: u32,
    h: f64,
}

/// Derivatives of [V, s_A, s_N, x, s_G] with the voltage frozen when `active` is false.
#[inline(always)]
fn rhs(p: &CompteWMParams, i: f64, active: bool, y: &[f64; 5]) -> [f64; 5] {
    let [v, sa, sn, x, sg] = *y;
    let dv = if active {
        let block = 1.0 / (1.0 + p.mg * exp(-0.062 * v) / 3.57);
        (-p.g_l * (v - p.e_l)
            - p.g_ampa * sa * (v - p.e_exc)
            - p.g_nmda * block * sn * (v - p.e_exc)
            - p.g_gaba * sg * (v - p.e_inh)
            + i)
            / p.c_m
    } else {
        0.0
    };
    [
        dv,
        -sa / p.tau_ampa,
        -sn / p.tau_nmda + p.alpha_nmda * x * (1.0 - sn),
        -x / p.tau_x,
        -sg / p.tau_gaba,
    ]
}

/// One step: apply the events, then `k.n` midpoint-RK2 substeps; `true` on a spike.
#[inline(always)]
pub fn compte_step(k: &CompteWMConsts, s: &mut CompteWMState, x: &[f64; 4]) -> bool {
    let p = &k.p;
    let [i, rec, ext, inh] = *x;
    s.x_nmda += rec;
    s.s_ampa += ext;
    s.s_gaba += inh;
    let h = k.h;
    let mut y = [s.v, s.s_ampa, s.s_nmda, s.x_nmda, s.s_gaba];
    let mut fired = false;
    for _ in 0..k.n {
        let active = s.ref_remaining <= 0.0;
        let k1 = rhs(p, i, active, &y);
        let mid: [f64; 5] = std::array::from_fn(|j| y[j] + 0.5 * h * k1[j]);
        let k2 = rhs(p, i, active, &mid);
        for j in 0..5 {
            y[j] += h * k2[j];
        }
        s.ref_remaining = (s.ref_remaining - h).max(0.0);
        if !active {
            y[0] = p.v_reset;
        } else if y[0] >= p.v_threshold {
            y[0] = p.v_reset;
            s.ref_remaining = p.tau_ref;
            fired = true;
        }
    }
    [s.v, s.s_ampa, s.s_nmda, s.x_nmda, s.s_gaba] = y;
    fired
}

standalone! {
/// Compte et al. (2000) working-memory pyramidal cell.
pub struct CompteWMNeuron;
}

impl CompteWMNeuron {
    /// Advance one step (0.02 ms by default) with direct current `current` [nA] and
    /// `spike_in` recurrent (NMDA), `external_spike` (AMPA) and `inhibitory_spike` (GABA_A)
    /// events (counts); `true` on a spike.
    pub fn step(
        &mut self,
        current: f64,
        spike_in: f64,
        external_spike: f64,
        inhibitory_spike: f64,
    ) -> bool {
        self.step_or_none([current, spike_in, external_spike, inhibitory_spike])
    }
}

impl Model for CompteWMNeuron {
    const NAME: &'static str = "CompteWMNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Compte et al. 2000 working-memory pyramidal LIF with AMPA, NMDA (Mg block), GABA_A";
    const REFERENCE: &'static str = "Compte, Brunel, Goldman-Rakic & Wang 2000, Cereb Cortex 10:910, doi:10.1093/cercor/10.9.910";
    const PORTS: &'static [&'static str] =
        &["current", "spike_in", "external_spike", "inhibitory_spike"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.6, 0.0, 0.0, 0.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = CompteWMParams;
    type State = CompteWMState;
    type Consts = CompteWMConsts;
    type Ports = [f64; 4];
    type Output = bool;

    fn init(p: &CompteWMParams) -> CompteWMState {
        CompteWMState {
            v: p.e_l,
            s_ampa: 0.0,
            s_nmda: 0.0,
            x_nmda: 0.0,
            s_gaba: 0.0,
            ref_remaining: 0.0,
        }
    }
    fn standalone_span(p: &CompteWMParams) -> f64 {
        p.span
    }
    fn prepare(p: &CompteWMParams, span: f64) -> CompteWMConsts {
        let (n, h) = substeps(span, p.substep);
        CompteWMConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &CompteWMConsts,
        s: &mut CompteWMState,
        x: &Input<[f64; 4]>,
        _: &mut NeuronRng,
    ) -> bool {
        compte_step(k, s, &x.ports)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Reference, spike_times};

    /// Spike times [ms] under constant current `i` [nA] for `ms` from rest.
    fn times(i: f64, ms: f64) -> Vec<f64> {
        let mut n = CompteWMNeuron::new();
        spike_times(&mut n, (ms / 0.02).round() as usize, |_| [i, 0.0, 0.0, 0.0])
    }

    #[test]
    fn rheobase_is_half_a_nanoampere() {
        // g_L (V_th − E_L) = 0.025 µS × 20 mV = 0.5 nA.
        assert!(times(0.49, 500.0).is_empty());
        assert!(!times(0.51, 500.0).is_empty());
    }

    #[test]
    fn isi_matches_the_lif_closed_form() {
        // Spec §20.8: ISI = τ_ref + τ_m ln((V∞ − V_reset)/(V∞ − V_th)), τ_m = C/g_L = 20 ms,
        // V∞ = E_L + I/g_L.
        for i in [1.0f64, 0.6] {
            let v_inf = -70.0 + i / 0.025;
            let isi = 2.0 + 20.0 * ((v_inf + 60.0) / (v_inf + 50.0)).ln();
            let t = times(i, 300.0);
            assert!(t.len() > 5, "{i} nA: {t:?}");
            for w in t.windows(2).skip(1) {
                let d = w[1] - w[0];
                assert!((d - isi).abs() < 0.05, "{i} nA: ISI {d} vs {isi} ms");
            }
        }
        assert!((2.0f64 + 20.0 * 1.5f64.ln() - 10.11).abs() < 0.01);
    }

    /// The published equations typed again (no refractoriness needed below threshold).
    fn rhs_ref(y: &[f64]) -> Vec<f64> {
        let (v, sa, sn, x, sg) = (y[0], y[1], y[2], y[3], y[4]);
        let b = 1.0 / (1.0 + (-0.062 * v).exp() / 3.57);
        vec![
            (-0.025 * (v + 70.0)
                - 0.0031 * sa * v
                - 0.000381 * b * sn * v
                - 0.001336 * sg * (v + 70.0)
                + 0.3)
                / 0.5,
            -sa / 2.0,
            -sn / 100.0 + 0.5 * x * (1.0 - sn),
            -x / 2.0,
            -sg / 10.0,
        ]
    }

    #[test]
    fn synaptic_responses_agree_with_an_independent_integration() {
        // 0.3 nA holds V at −58 mV (below threshold, where the Mg²⁺ block is partial); then
        // 3 AMPA, 20 NMDA and 2 GABA events at once, followed for 300 ms.
        let mut n = CompteWMNeuron::new();
        for _ in 0..(400.0 / 0.02) as usize {
            assert!(!n.step(0.3, 0.0, 0.0, 0.0));
        }
        let v0 = n.state().v;
        assert!((v0 + 58.0).abs() < 1e-3, "holding potential {v0}");
        let r = Reference::rk4(0.002, |_, y: &[f64]| rhs_ref(y));
        let mut y = vec![v0, 3.0, 0.0, 20.0, 2.0];
        let mut worst = [0.0f64; 5];
        let mut peak_sn: f64 = 0.0;
        for k in 0..15_000 {
            let ev = if k == 0 { [20.0, 3.0, 2.0] } else { [0.0; 3] };
            assert!(!n.step(0.3, ev[0], ev[1], ev[2]), "fired at {k}");
            for j in 0..10 {
                y = r.step((k * 10 + j) as f64 * 0.002, &y);
            }
            let s = n.state();
            for (w, (a, b)) in worst
                .iter_mut()
                .zip([s.v, s.s_ampa, s.s_nmda, s.x_nmda, s.s_gaba].iter().zip(&y))
            {
                *w = w.max((a - b).abs());
            }
            peak_sn = peak_sn.max(y[2]);
        }
        // Midpoint RK2 at 0.02 ms (the paper's method) is second order: α x h = 0.2 at the
        // peak of the NMDA drive bounds what it can match.
        assert!(worst[0] < 1e-3, "V error {worst:?}");
        assert!(
            worst[1..].iter().all(|&e| e < 5e-3),
            "gate errors {worst:?}"
        );
        // NMDA saturates: 20 precursor units drive s_N close to 1 (α τ_x x0 = 20 ≫ 1), so
        // the comparison covers the Mg²⁺-blocked NMDA current at its largest.
        assert!(peak_sn > 0.9, "peak s_N {peak_sn}");
    }

    #[test]
    fn refractory_hold_lasts_two_ms() {
        // At 1 nA the membrane sits at V_reset for exactly τ_ref after each spike.
        let mut n = CompteWMNeuron::new();
        let mut k = 0;
        while !n.step(1.0, 0.0, 0.0, 0.0) {
            k += 1;
            assert!(k < 100_000);
        }
        for _ in 0..99 {
            n.step(1.0, 0.0, 0.0, 0.0);
            assert_eq!(n.state().v, -60.0);
        }
        n.step(1.0, 0.0, 0.0, 0.0);
        n.step(1.0, 0.0, 0.0, 0.0);
        assert!(n.state().v > -60.0);
    }
}
