//! `DendrifyNeuron` — a two-compartment (soma + dendrite) leaky integrate-and-fire neuron with
//! event-driven, conductance-based dendritic spikes, as in the Dendrify framework.
//!
//! **Equations** (u in mV; conductances as ratios to each compartment's leak, so inputs are in
//! mV = R·I):
//! τ_d dV_d/dt = −(V_d − V_rest) + g_c(V_s − V_d) + g_r(t)(E_rise − V_d) + g_f(t)(E_fall − V_d)
//!               + I + I_syn(V_d);
//! τ_s dV_s/dt = −(V_s − V_rest) + g_c(V_d − V_s).
//! **Dendritic spike** (Dendrify's `dspikes`): when V_d ≥ `d_threshold` and the dendrite is not
//! refractory, a dSpike starts (t₀): the rise conductance g_r = `g_rise` is on for
//! t − t₀ < `duration_rise`, the fall conductance g_f = `g_fall` for `offset_fall` ≤ t − t₀ <
//! `offset_fall` + `duration_fall`, and no new dSpike can start before t − t₀ ≥
//! `d_refractory`. Both are square pulses of conductance toward their reversal potentials
//! (Na-like E_rise = 70 mV, K-like E_fall = −89 mV).
//! **Somatic spike**: V_s ≥ `v_threshold` → spike, V_s ← `v_reset` (no refractory period, as in
//! SC-NeuroCore).
//!
//! **State.** `v_s`, `v_d`; `d_active` is true from a dSpike's onset until its refractory period
//! ends; `d_timer` is the time since that onset [ms] while `d_active` (0 otherwise).
//!
//! **Numerics.** RK4 in substeps of at most `substep` (0.025 ms); the pulse conductances are
//! held over a substep (windows are resolved to the substep), the dSpike threshold and the
//! somatic threshold are tested after every substep. A standalone step spans `span` = 0.1 ms.
//!
//! **Reference.** Pagkalos, M., Chavlis, S. & Poirazi, P. (2023) "Introducing the Dendrify
//! framework for incorporating dendrites to spiking neural networks", Nat. Commun. 14:131,
//! doi:10.1038/s41467-022-35747-8. dSpike constants from the Dendrify package (Poirazi-Lab/
//! dendrify, the paper's software): the dendritic I/O validation example uses g_rise 30 nS,
//! g_fall 15 nS on a dendrite with g_L 2.5 nS (ratios 12 and 6), threshold −35 mV,
//! duration_rise 1.2 ms, duration_fall 2.4 ms, offset_fall 0.2 ms, refractory 5 ms; default
//! E_Na 70 mV, E_K −89 mV.
//!
//! **Relation to SC-NeuroCore** (spec §26). Same interface (`step(current)` with `current` in mV
//! injected into the dendrite, 0.1 ms per call), state names, passive parameters (τ_s 10, τ_d
//! 20 ms, g_c 0.8, thresholds −35/−50 mV, V_rest = V_reset −65 mV). Departures, following the
//! paper: SC-NeuroCore's dSpike is a fixed 30-mV drive added to the *soma* for 10 ms
//! (`d_amplitude`, `d_duration`, removed here); Dendrify's is a conductance-based rise/fall pair
//! in the *dendrite* with a refractory period (`g_rise`, `g_fall`, `e_rise`, `e_fall`,
//! `duration_rise`, `duration_fall`, `offset_fall`, `d_refractory` added). RK4 substeps instead
//! of one Euler step; thresholds tested on every substep. The same coupling ratio g_c acts on
//! both compartments (equal leak conductances, as SC-NeuroCore assumes); synaptic input acts on
//! the dendrite.
//!
//! **Facts tested.** Passive steady state u_d = I(1 + g_c)/(1 + 2g_c), u_s = g_c I/(1 + 2g_c)
//! (spec §26.8, re-derived); agreement with an independent integration including a dSpike;
//! the supralinear dendritic input–output curve (a jump in the somatic response at the dSpike
//! threshold that the passive dendrite lacks; Pagkalos et al. 2023, Fig. on dendritic I/O).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`DendrifyNeuron`].
    pub struct DendrifyParams {
        /// Somatic membrane time constant, τ_s [ms].
        tau_s: f64 = 10.0,
        /// Dendritic membrane time constant, τ_d [ms].
        tau_d: f64 = 20.0,
        /// Soma–dendrite coupling conductance relative to the leak, g_c [1].
        g_c: f64 = 0.8,
        /// Dendritic-spike threshold, [mV].
        d_threshold: f64 = -35.0,
        /// dSpike rise (Na-like) conductance relative to the dendritic leak, g_rise [1].
        g_rise: f64 = 12.0,
        /// dSpike fall (K-like) conductance relative to the dendritic leak, g_fall [1].
        g_fall: f64 = 6.0,
        /// Reversal potential of the rise current, E_rise [mV].
        e_rise: f64 = 70.0,
        /// Reversal potential of the fall current, E_fall [mV].
        e_fall: f64 = -89.0,
        /// Duration of the rise conductance [ms].
        duration_rise: f64 = 1.2,
        /// Duration of the fall conductance [ms].
        duration_fall: f64 = 2.4,
        /// Delay of the fall conductance after the dSpike onset [ms].
        offset_fall: f64 = 0.2,
        /// Dendritic refractory period after a dSpike onset [ms].
        d_refractory: f64 = 5.0,
        /// Resting potential of both compartments, V_rest [mV].
        v_rest: f64 = -65.0,
        /// Somatic spike threshold, [mV].
        v_threshold: f64 = -50.0,
        /// Somatic reset potential, [mV].
        v_reset: f64 = -65.0,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 0.1,
        /// Largest internal RK4 substep [ms].
        substep: f64 = 0.025,
    }
}

impl DendrifyParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_s", self.tau_s)?;
        check::positive("tau_d", self.tau_d)?;
        check::non_negative("g_c", self.g_c)?;
        check::non_negative("g_rise", self.g_rise)?;
        check::non_negative("g_fall", self.g_fall)?;
        check::non_negative("duration_rise", self.duration_rise)?;
        check::non_negative("duration_fall", self.duration_fall)?;
        check::non_negative("offset_fall", self.offset_fall)?;
        check::positive("d_refractory", self.d_refractory)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)?;
        check::positive("span", self.span)?;
        check::positive("substep", self.substep)
    }
}

neuron_state! {
    /// State of [`DendrifyNeuron`].
    pub struct DendrifyState {
        /// Somatic potential, V_s [mV].
        v_s: f64 => DendrifyVs,
        /// Dendritic potential, V_d [mV].
        v_d: f64 => DendrifyVd,
        /// Within a dSpike (onset to end of its refractory period) [bool].
        d_active: bool => DendrifyActive,
        /// Time since the dSpike onset while active [ms].
        d_timer: f64 => DendrifyTimer,
    }
}

/// Constants of [`DendrifyNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct DendrifyConsts {
    p: DendrifyParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps with dSpike and somatic-spike handling after each.
#[inline(always)]
pub fn dendrify_step(k: &DendrifyConsts, s: &mut DendrifyState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let eps = 1e-9 * k.h;
    let mut spiked = false;
    for _ in 0..k.n {
        let t = s.d_timer;
        let on = s.d_active;
        let g_r = if on && t < p.duration_rise - eps {
            p.g_rise
        } else {
            0.0
        };
        let g_f = if on && t >= p.offset_fall - eps && t < p.offset_fall + p.duration_fall - eps {
            p.g_fall
        } else {
            0.0
        };
        let mut y = [s.v_s, s.v_d];
        rk4(&mut y, k.h, |y| {
            let [vs, vd] = *y;
            [
                (-(vs - p.v_rest) + p.g_c * (vd - vs)) / p.tau_s,
                (-(vd - p.v_rest)
                    + p.g_c * (vs - vd)
                    + g_r * (p.e_rise - vd)
                    + g_f * (p.e_fall - vd)
                    + x.current(vd))
                    / p.tau_d,
            ]
        });
        [s.v_s, s.v_d] = y;
        if on {
            s.d_timer = t + k.h;
            if s.d_timer >= p.d_refractory - eps {
                s.d_active = false;
                s.d_timer = 0.0;
            }
        }
        if !s.d_active && s.v_d >= p.d_threshold {
            s.d_active = true;
            s.d_timer = 0.0;
        }
        if s.v_s >= p.v_threshold {
            s.v_s = p.v_reset;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Dendrify-style two-compartment LIF with conductance-based dendritic spikes.
pub struct DendrifyNeuron;
}

impl DendrifyNeuron {
    /// Advance one step (0.1 ms by default) with dendritic input `current` [mV, R·I]; `true`
    /// on a somatic spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for DendrifyNeuron {
    const NAME: &'static str = "DendrifyNeuron";
    const FAMILY: Family = Family::Compartmental;
    const SUMMARY: &'static str =
        "Dendrify (Pagkalos 2023) soma-dendrite LIF with conductance-based dendritic spikes";
    const REFERENCE: &'static str =
        "Pagkalos, Chavlis & Poirazi 2023, Nat Commun 14:131, doi:10.1038/s41467-022-35747-8";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v_d");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[50.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = DendrifyParams;
    type State = DendrifyState;
    type Consts = DendrifyConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &DendrifyParams) -> DendrifyState {
        DendrifyState {
            v_s: p.v_rest,
            v_d: p.v_rest,
            d_active: false,
            d_timer: 0.0,
        }
    }
    fn standalone_span(p: &DendrifyParams) -> f64 {
        p.span
    }
    fn prepare(p: &DendrifyParams, span: f64) -> DendrifyConsts {
        let (n, h) = substeps(span, p.substep);
        DendrifyConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &DendrifyConsts,
        s: &mut DendrifyState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        dendrify_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    #[test]
    fn passive_steady_state_matches_the_closed_form() {
        // Spec §26.8: u_d = I(1 + g_c)/(1 + 2g_c), u_s = g_c I/(1 + 2g_c); the dSpike needs
        // u_d ≥ 30 mV, i.e. I ≥ 30(1 + 2g_c)/(1 + g_c) = 43.33 mV for g_c = 0.8.
        let p = DendrifyParams::default();
        let g = p.g_c;
        let i = 40.0;
        let mut n = DendrifyNeuron::new();
        for _ in 0..20_000 {
            assert!(!n.step(i));
        }
        let (ud, us) = (n.state().v_d - p.v_rest, n.state().v_s - p.v_rest);
        assert!((ud - i * (1.0 + g) / (1.0 + 2.0 * g)).abs() < 1e-6, "{ud}");
        assert!((us - g * i / (1.0 + 2.0 * g)).abs() < 1e-6, "{us}");
        assert!(!n.state().d_active);
        let i_dspike = 30.0 * (1.0 + 2.0 * g) / (1.0 + g);
        let mut n = DendrifyNeuron::new();
        assert!((0..20_000).all(|_| {
            n.step(i_dspike - 0.2);
            !n.state().d_active
        }));
        let mut n = DendrifyNeuron::new();
        assert!((0..20_000).any(|_| {
            n.step(i_dspike + 0.2);
            n.state().d_active
        }));
    }

    /// The published equations typed again, integrated with the reference integrator at step
    /// 0.001 ms; dSpike onsets (threshold −35 mV, refractory 5 ms) are detected on the fly and
    /// the rise/fall windows laid out from them. Returns V_s every 0.1 ms and the onsets.
    fn reference_trace(i: f64, t_end: f64) -> (Vec<f64>, Vec<f64>) {
        let h = 0.001;
        let mut y = vec![-65.0, -65.0];
        let mut onsets: Vec<f64> = Vec::new();
        let mut vs_trace = Vec::new();
        let steps = (t_end / h).round() as usize;
        for k in 0..steps {
            let t = k as f64 * h;
            let (gr, gf) = match onsets.last() {
                Some(&t0) => {
                    let d = t - t0;
                    let gr = if d < 1.2 - 1e-9 { 12.0 } else { 0.0 };
                    let gf = if (0.2 - 1e-9..2.6 - 1e-9).contains(&d) {
                        6.0
                    } else {
                        0.0
                    };
                    (gr, gf)
                }
                None => (0.0, 0.0),
            };
            let r = Reference::rk4(h, |_, y: &[f64]| {
                vec![
                    (-(y[0] + 65.0) + 0.8 * (y[1] - y[0])) / 10.0,
                    (-(y[1] + 65.0)
                        + 0.8 * (y[0] - y[1])
                        + gr * (70.0 - y[1])
                        + gf * (-89.0 - y[1])
                        + i)
                        / 20.0,
                ]
            });
            y = r.step(t, &y);
            let free = onsets.last().is_none_or(|&t0| t + h - t0 >= 5.0 - 1e-9);
            if free && y[1] >= -35.0 {
                onsets.push(t + h);
            }
            if (k + 1) % 100 == 0 {
                vs_trace.push(y[0]);
            }
        }
        (vs_trace, onsets)
    }

    #[test]
    fn agrees_with_an_independent_integration_through_dspikes() {
        let (r, onsets) = reference_trace(60.0, 100.0);
        assert!(onsets.len() >= 3, "reference dSpikes at {onsets:?}");
        let p = DendrifyParams {
            v_threshold: 100.0,
            substep: 0.001,
            ..Default::default()
        };
        let mut n = DendrifyNeuron::with_params(p).unwrap();
        let mut worst = 0.0f64;
        for &vr in &r {
            n.step(60.0);
            worst = worst.max((n.state().v_s - vr).abs());
        }
        assert!(worst < 0.05, "max |ΔV_s| = {worst} mV");
    }

    /// Peak somatic depolarisation [mV] for a 2-ms dendritic current pulse of `amp` mV.
    fn peak(amp: f64, active: bool) -> f64 {
        let p = DendrifyParams {
            v_threshold: 100.0,
            g_rise: if active { 12.0 } else { 0.0 },
            g_fall: if active { 6.0 } else { 0.0 },
            ..Default::default()
        };
        let mut n = DendrifyNeuron::with_params(p).unwrap();
        let mut best = f64::MIN;
        for k in 0..1000 {
            n.step(if k < 20 { amp } else { 0.0 });
            best = best.max(n.state().v_s + 65.0);
        }
        best
    }

    #[test]
    fn dendritic_spikes_make_the_input_output_curve_supralinear() {
        // Pagkalos et al. 2023 (dendritic I/O validation): passive dendrites sum linearly, active
        // ones jump once the dSpike threshold is reached.
        let amps: Vec<f64> = (1..=40).map(|k| 25.0 * k as f64).collect();
        let passive: Vec<f64> = amps.iter().map(|&a| peak(a, false)).collect();
        let active: Vec<f64> = amps.iter().map(|&a| peak(a, true)).collect();
        // Passive: linear in the amplitude.
        for (a, v) in amps.iter().zip(&passive) {
            assert!((v / a - passive[0] / amps[0]).abs() < 1e-9, "{a}: {v}");
        }
        // Active: equal to passive below the threshold, then a jump larger than 3× the largest
        // passive increment between neighbouring amplitudes.
        let first = active
            .iter()
            .zip(&passive)
            .position(|(a, p)| a - p > 1e-6)
            .expect("no dSpike");
        assert!(first > 0, "dSpike already at the smallest input");
        let jump = active[first] - active[first - 1];
        let step = passive[1] - passive[0];
        assert!(jump > 3.0 * step, "jump {jump} vs passive step {step}");
    }
}
