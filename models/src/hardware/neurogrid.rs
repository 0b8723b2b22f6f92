//! `NeuroGridNeuron` — a two-compartment (soma + dendrite) neuron of the kind Neurogrid's
//! silicon neurons emulate, with an exponential spike-generating soma.
//!
//! **Equations** (mV, ms; the input I enters the dendrite, R = 1 units):
//! τ_d dv_d/dt = −(v_d − E_L) + I + I_syn(v_d) − g_c(v_d − v_s);
//! τ_s dv_s/dt = −(v_s − E_L) + Δ_T·exp((v_s − V_T)/Δ_T) + g_c(v_d − v_s).
//! When v_s reaches v_peak: a spike and v_s ← v_reset (v_d untouched). No refractoriness.
//!
//! **Numerics.** Classical RK4 on (v_s, v_d) simultaneously, in substeps of at most `substep`
//! (0.025 ms; one standalone step spans `dt` = 0.1 ms as in SC-NeuroCore), v_s clamped at
//! v_peak inside the stages so the exponential cannot overflow; the peak is tested after every
//! substep and the reset applied there.
//!
//! **Reference.** Benjamin, B.V. et al. (2014) "Neurogrid: A Mixed-Analog-Digital Multichip
//! System for Large-Scale Neural Simulations", Proc. IEEE 102(5):699–716,
//! doi:10.1109/JPROC.2014.2313565. The paper's neuron equations could not be consulted in this
//! work. What could be checked: the Neurogrid group describes its silicon soma as a
//! *quadratic* integrate-and-fire neuron built from log-domain circuits (Benjamin, Arthur,
//! Gao, Merolla & Boahen (2012) "A superposable silicon synapse with programmable reversal
//! potential", Proc. IEEE EMBC 2012; Gao, Benjamin & Boahen (2012) IEEE TCAS-I 59:2383, index
//! term "quadratic integrate-and-fire model"), with four shared synapse populations per
//! neuron, each with a programmable reversal potential, and ion-channel populations acting on
//! a dendrite shared with neighbouring neurons (Stanford Brains in Silicon, "Neurogrid – The
//! Core"). Neither the chip's normalised-unit equations nor its parameter values could be
//! read, so the two-compartment form SC-NeuroCore specifies is kept, with the exponential
//! soma of Fourcaud-Trocmé et al. (2003) J. Neurosci. 23:11628,
//! doi:10.1523/JNEUROSCI.23-37-11628.2003. Both somas have a saddle-node (type I) onset and
//! the exponential one tends to the quadratic one near threshold, so the firing-onset
//! behaviour is the chip's; spike shape and the f-I curve far above rheobase are not. To do
//! once the paper can be read: the quadratic soma in the chip's units, the refractory channel
//! and the shared synapse populations (as engine receptors).
//!
//! **Relation to SC-NeuroCore** (spec §32). Same equations, interface (`step(current)`,
//! input to the dendrite), state `v_s`, `v_d` and parameters. Differences: (a) simultaneous RK4
//! substeps with the soma clamped in the stages (the spec's recommendation; SC-NeuroCore's
//! Python takes one sequential Euler step, dendrite first) with the peak tested on every
//! substep; the exponent clip at 20 is replaced by the clamp (a guard at 50 remains);
//! (b) `reset()` starts both compartments at `v_rest` (SC-NeuroCore hard-codes −65 mV, the
//! default v_rest); (c) conductance synapses of the engine act on the dendrite inside every
//! substep. Neurogrid's synapse populations and refractory channel are not modelled (they
//! would need state variables SC-NeuroCore does not have).
//!
//! **Paper facts tested** (closed forms of these equations, spec §32 [derived]). With I = 0
//! both compartments rest at E_L. With the dendrite adiabatic the soma sees the leak
//! 1 + g_c/(1 + g_c) = 4/3 and the drive I·g_c/(1 + g_c) = I/3; the saddle-node is at
//! x* = (V_T − E_L) + Δ_T ln(4/3), giving the rheobase I_rh = 4(x* − Δ_T) = 54.30 mV: silent
//! just below, firing just above. Below it the steady soma depolarisation solves
//! (4/3)x − Δ_T e^((x − 15)/Δ_T) = I/3.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`NeuroGridNeuron`].
    pub struct NeuroGridParams {
        /// Soma time constant, τ_s [ms].
        tau_s: f64 = 20.0,
        /// Dendrite time constant, τ_d [ms].
        tau_d: f64 = 50.0,
        /// Soma–dendrite coupling relative to the leak, g_c [1].
        g_c: f64 = 0.5,
        /// Slope factor of the spike-generating current, Δ_T [mV].
        delta_t: f64 = 2.0,
        /// Resting (leak reversal) potential, E_L [mV].
        v_rest: f64 = -65.0,
        /// Soft threshold of the exponential, V_T [mV].
        v_threshold: f64 = -50.0,
        /// Spike cut-off of the soma, v_peak [mV].
        v_peak: f64 = 20.0,
        /// Soma reset potential, v_reset [mV].
        v_reset: f64 = -65.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.025,
    }
}

impl NeuroGridParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_s", self.tau_s)?;
        check::positive("tau_d", self.tau_d)?;
        check::non_negative("g_c", self.g_c)?;
        check::positive("delta_t", self.delta_t)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("v_threshold", self.v_threshold, "v_peak", self.v_peak)?;
        check::less("v_reset", self.v_reset, "v_peak", self.v_peak)
    }
}

neuron_state! {
    /// State of [`NeuroGridNeuron`].
    pub struct NeuroGridState {
        /// Soma potential, v_s [mV].
        v_s: f64 => NeuroGridVs,
        /// Dendrite potential, v_d [mV].
        v_d: f64 => NeuroGridVd,
    }
}

/// Constants of [`NeuroGridNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct NeuroGridConsts {
    p: NeuroGridParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps, peak test and reset after each.
#[inline(always)]
pub fn neurogrid_step(k: &NeuroGridConsts, s: &mut NeuroGridState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v_s, s.v_d];
        rk4(&mut y, k.h, |y| {
            let vs = y[0].min(p.v_peak);
            let vd = y[1];
            let ex = ((vs - p.v_threshold) / p.delta_t).min(50.0).exp();
            [
                (-(vs - p.v_rest) + p.delta_t * ex + p.g_c * (vd - vs)) / p.tau_s,
                (-(vd - p.v_rest) + x.current(vd) - p.g_c * (vd - vs)) / p.tau_d,
            ]
        });
        s.v_s = y[0];
        s.v_d = y[1];
        if s.v_s >= p.v_peak {
            s.v_s = p.v_reset;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Two-compartment exponential neuron labelled Neurogrid (Benjamin et al. 2014).
pub struct NeuroGridNeuron;
}

impl NeuroGridNeuron {
    /// Advance one step (0.1 ms by default) with dendritic input `current` [mV, R = 1].
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for NeuroGridNeuron {
    const NAME: &'static str = "NeuroGridNeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str =
        "Neurogrid-style two-compartment neuron, exponential soma, input on the dendrite";
    const REFERENCE: &'static str =
        "Benjamin et al. 2014, Proc IEEE 102:699, doi:10.1109/JPROC.2014.2313565";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v_d");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[80.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = NeuroGridParams;
    type State = NeuroGridState;
    type Consts = NeuroGridConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &NeuroGridParams) -> NeuroGridState {
        NeuroGridState {
            v_s: p.v_rest,
            v_d: p.v_rest,
        }
    }
    fn standalone_span(p: &NeuroGridParams) -> f64 {
        p.dt
    }
    fn prepare(p: &NeuroGridParams, span: f64) -> NeuroGridConsts {
        let (n, h) = substeps(span, p.substep);
        NeuroGridConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &NeuroGridConsts,
        s: &mut NeuroGridState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        neurogrid_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_spike(i: f64, steps: usize) -> Option<usize> {
        let mut n = NeuroGridNeuron::new();
        (0..steps).find(|_| n.step(i))
    }

    #[test]
    fn rests_at_e_l_without_input() {
        let mut n = NeuroGridNeuron::new();
        for _ in 0..10_000 {
            assert!(!n.step(0.0));
        }
        // At v = E_L the exponential current Δ_T e^(−7.5) = 0.0011 mV is not zero: the rest
        // sits a hair above E_L, where (4/3)x = Δ_T e^((x − 15)/Δ_T) (x = v_s − E_L).
        let x = n.state().v_s + 65.0;
        assert!(
            (4.0 / 3.0 * x - 2.0 * ((x - 15.0) / 2.0).exp()).abs() < 1e-9,
            "{x}"
        );
        assert!(x > 0.0 && x < 0.002);
    }

    #[test]
    fn rheobase_of_the_adiabatic_reduction() {
        // x* = 15 + 2 ln(4/3); I_rh = 4(x* − 2) = 54.3015 mV (spec §32 [derived]).
        let x_star = 15.0 + 2.0 * (4.0f64 / 3.0).ln();
        let i_rh = 4.0 * (x_star - 2.0);
        assert!((i_rh - 54.3015).abs() < 1e-3, "{i_rh}");
        assert_eq!(first_spike(0.98 * i_rh, 30_000), None);
        assert!(first_spike(1.02 * i_rh, 30_000).is_some());
    }

    #[test]
    fn subthreshold_soma_depolarisation() {
        // I = 30 mV: the steady soma depolarisation x solves (4/3)x − 2e^((x − 15)/2) = 10
        // (bisection), and the dendrite sits at x_d = (I + g_c x)/(1 + g_c).
        let i = 30.0;
        let g = |x: f64| 4.0 / 3.0 * x - 2.0 * ((x - 15.0) / 2.0).exp() - i / 3.0;
        let (mut lo, mut hi) = (0.0, 15.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if g(mid) < 0.0 { lo = mid } else { hi = mid }
        }
        let mut n = NeuroGridNeuron::new();
        for _ in 0..20_000 {
            assert!(!n.step(i));
        }
        assert!(
            (n.state().v_s + 65.0 - lo).abs() < 1e-6,
            "{} vs {lo}",
            n.state().v_s + 65.0
        );
        let xd = (i + 0.5 * lo) / 1.5;
        assert!((n.state().v_d + 65.0 - xd).abs() < 1e-6);
    }
}
