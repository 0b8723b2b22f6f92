//! `BrainScaleSAdExNeuron` — the adaptive exponential integrate-and-fire neuron that the
//! analog BrainScaleS circuits emulate, in the biological time domain.
//!
//! **Equations** (R = 1 units: w and I in mV): τ dv/dt = −(v − E_L) + Δ_T·exp((v − V_T)/Δ_T)
//! − w + I + I_syn(v); τ_w dw/dt = a(v − E_L) − w. When v reaches the spike comparator
//! `v_threshold`: a spike, v ← V_reset, w ← w + b. This is Brette & Gerstner's (2005) AdEx,
//! the model the BrainScaleS neuron circuit implements (Millner et al. 2010); dividing
//! AdExNeuron's equation by g_L gives it (w[mV] = w[pA]/g_L, a = a[nS]/g_L, b = b[pA]/g_L).
//!
//! **Numerics.** Classical RK4 on (v, w) in substeps of at most `substep` (0.025 ms; one
//! standalone step spans `dt` = 0.1 biological ms as in SC-NeuroCore), v clamped at the
//! comparator level inside the stages; the comparator is tested after every substep and the
//! reset applied there. `hw_speedup` only converts to hardware time: one biological ms is
//! 1/hw_speedup ms on the wafer; it does not enter the dynamics.
//!
//! **Units.** v, w, I in mV (R = 1), τ in biological ms, a dimensionless, b in mV.
//!
//! **Reference.** Schemmel, J. et al. (2010) "A wafer-scale neuromorphic hardware system for
//! large-scale neural modeling", ISCAS 2010, pp. 1947–1950, doi:10.1109/ISCAS.2010.5536970;
//! Millner, S. et al. (2010) "A VLSI implementation of the adaptive exponential
//! integrate-and-fire neuron model", NIPS 23:1642–1650; the model: Brette, R. & Gerstner, W.
//! (2005) J. Neurophysiol. 94:3637–3642, doi:10.1152/jn.00686.2005.
//!
//! **Relation to SC-NeuroCore** (spec §27). Same interface (`step(current)`, one 0.1-ms
//! step), state `v` = −65 mV, `w` = 0, parameters, defaults and R = 1 unit convention.
//! Differences: (a) RK4 substeps with the comparator tested on every substep instead of one
//! forward-Euler step per call (the exponent clip at ±20 is unnecessary: the clamp keeps it
//! finite); (b) the engine's conductance synapses act inside every substep (BrainScaleS
//! synapses are conductance-based). As in SC-NeuroCore, `hw_speedup` has no effect on the
//! dynamics, and the hardware's refractory period, parameter quantisation and fixed-pattern
//! noise are not modelled (a refractory timer would need a state variable SC-NeuroCore does
//! not have). The default comparator level −50 mV lies only 2.5·Δ_T above V_T (spec §27e);
//! it is the hardware's programmable spike threshold, kept; raise it for AdEx patterns.
//!
//! **Paper facts tested.** With a = b = 0 the rheobase is I_rh = V_T − E_L − Δ_T = 8 mV
//! (saddle-node where e^((v − V_T)/Δ_T) = 1); with subthreshold adaptation a < τ/τ_w (still a
//! saddle-node) I_rh = (1 + a)(V_T − E_L + Δ_T ln(1 + a) − Δ_T) — silent just below, firing
//! just above; and the Naud et al. (2008) "adaptation" pattern mapped to R = 1 units
//! (Biol. Cybern. 99:335, Table 1) lengthens its intervals, as BrainScaleS reproduces AdEx
//! firing patterns (Millner et al. 2010).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`BrainScaleSAdExNeuron`].
    pub struct BrainScaleSAdExParams {
        /// Leak reversal potential, E_L [mV].
        v_rest: f64 = -65.0,
        /// Reset potential, V_reset [mV].
        v_reset: f64 = -68.0,
        /// Spike comparator level (numerical peak), V_spike [mV].
        v_threshold: f64 = -50.0,
        /// Slope factor, Δ_T [mV].
        delta_t: f64 = 2.0,
        /// Exponential (rheobase) threshold, V_T [mV].
        v_rh: f64 = -55.0,
        /// Membrane time constant, τ = C/g_L [ms].
        tau: f64 = 20.0,
        /// Adaptation time constant, τ_w [ms].
        tau_w: f64 = 100.0,
        /// Subthreshold adaptation, a = a[nS]/g_L [1].
        a: f64 = 0.5,
        /// Spike-triggered adaptation, b = b[pA]/g_L [mV].
        b: f64 = 7.0,
        /// Acceleration of the hardware over biological time (conversion only) [1].
        hw_speedup: f64 = 1000.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.025,
    }
}

impl BrainScaleSAdExParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("delta_t", self.delta_t)?;
        check::positive("tau", self.tau)?;
        check::positive("tau_w", self.tau_w)?;
        check::positive("hw_speedup", self.hw_speedup)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }

    /// Wall-clock time on the hardware that one biological `ms` takes [ms].
    pub fn hardware_time(&self, ms: f64) -> f64 {
        ms / self.hw_speedup
    }
}

neuron_state! {
    /// State of [`BrainScaleSAdExNeuron`].
    pub struct BrainScaleSAdExState {
        /// Membrane potential, v [mV].
        v: f64 => BrainScaleSV,
        /// Adaptation variable (R = 1 units), w [mV].
        w: f64 => BrainScaleSW,
    }
}

/// Constants of [`BrainScaleSAdExNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct BrainScaleSConsts {
    p: BrainScaleSAdExParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps, comparator and reset after each.
#[inline(always)]
pub fn brainscales_step(
    k: &BrainScaleSConsts,
    s: &mut BrainScaleSAdExState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v, s.w];
        rk4(&mut y, k.h, |y| {
            let v = y[0].min(p.v_threshold);
            let ex = ((v - p.v_rh) / p.delta_t).min(50.0).exp();
            [
                (-(v - p.v_rest) + p.delta_t * ex - y[1] + x.current(v)) / p.tau,
                (p.a * (v - p.v_rest) - y[1]) / p.tau_w,
            ]
        });
        s.v = y[0];
        s.w = y[1];
        if s.v >= p.v_threshold {
            s.v = p.v_reset;
            s.w += p.b;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// BrainScaleS AdEx neuron (biological time domain).
pub struct BrainScaleSAdExNeuron;
}

impl BrainScaleSAdExNeuron {
    /// Advance one step (0.1 biological ms by default) with input `current` [mV, R = 1].
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for BrainScaleSAdExNeuron {
    const NAME: &'static str = "BrainScaleSAdExNeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str = "BrainScaleS analog AdEx neuron (biological time, R = 1 units)";
    const REFERENCE: &'static str = "Schemmel et al. 2010, ISCAS, doi:10.1109/ISCAS.2010.5536970; Millner et al. 2010, NIPS 23:1642; Brette & Gerstner 2005, doi:10.1152/jn.00686.2005";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[30.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = BrainScaleSAdExParams;
    type State = BrainScaleSAdExState;
    type Consts = BrainScaleSConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &BrainScaleSAdExParams) -> BrainScaleSAdExState {
        BrainScaleSAdExState {
            v: p.v_rest,
            w: 0.0,
        }
    }
    fn standalone_span(p: &BrainScaleSAdExParams) -> f64 {
        p.dt
    }
    fn prepare(p: &BrainScaleSAdExParams, span: f64) -> BrainScaleSConsts {
        let (n, h) = substeps(span, p.substep);
        BrainScaleSConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &BrainScaleSConsts,
        s: &mut BrainScaleSAdExState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        brainscales_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(p: BrainScaleSAdExParams, i: f64, ms: f64) -> Vec<f64> {
        let mut n = BrainScaleSAdExNeuron::with_params(p).unwrap();
        let steps = (ms / 0.1) as usize;
        (0..steps)
            .filter(|_| n.step(i))
            .map(|k| (k + 1) as f64 * 0.1)
            .collect()
    }

    fn no_adaptation() -> BrainScaleSAdExParams {
        BrainScaleSAdExParams {
            a: 0.0,
            b: 0.0,
            ..Default::default()
        }
    }

    #[test]
    fn rheobase_without_adaptation_is_8_mv() {
        // I_rh = V_T − E_L − Δ_T = −55 + 65 − 2 = 8 mV (spec §27 [derived]).
        let i_rh = -55.0 + 65.0 - 2.0;
        assert!(spikes(no_adaptation(), 0.98 * i_rh, 2000.0).is_empty());
        assert!(!spikes(no_adaptation(), 1.02 * i_rh, 2000.0).is_empty());
    }

    #[test]
    fn rheobase_with_weak_subthreshold_adaptation() {
        // a = 0.1 < τ/τ_w = 0.2 keeps the saddle-node: I_rh = (1 + a)(V_T − E_L + Δ_T ln(1 + a)
        // − Δ_T) = 1.1·(10 + 2 ln 1.1 − 2) = 9.0097 mV.
        let a = 0.1;
        let i_rh = (1.0 + a) * (10.0 + 2.0 * (1.0f64 + a).ln() - 2.0);
        let p = BrainScaleSAdExParams {
            a,
            b: 0.0,
            ..Default::default()
        };
        // The step onset can fire a transient spike before w has built up (the instantaneous
        // rheobase is the a = 0 one, 8 mV): count spikes after the first second only.
        let late = |i: f64| {
            spikes(p.clone(), i, 4000.0)
                .iter()
                .filter(|&&t| t > 1000.0)
                .count()
        };
        assert_eq!(late(0.98 * i_rh), 0);
        assert!(late(1.02 * i_rh) > 0);
    }

    #[test]
    fn naud_adaptation_pattern_in_r1_units() {
        // Naud et al. 2008 Table 1 "adaptation": C 200 pF, g_L 12 nS, E_L −70, V_T −50,
        // Δ_T 2, a 2 nS, τ_w 300 ms, b 60 pA, V_r −58, I 500 pA; in R = 1 units τ = 16.67 ms,
        // a = 2/12, b = 5 mV, I = 41.67 mV; spikes detected at 0 mV.
        let p = BrainScaleSAdExParams {
            v_rest: -70.0,
            v_reset: -58.0,
            v_threshold: 0.0,
            v_rh: -50.0,
            tau: 200.0 / 12.0,
            tau_w: 300.0,
            a: 2.0 / 12.0,
            b: 60.0 / 12.0,
            ..Default::default()
        };
        let t = spikes(p, 500.0 / 12.0, 600.0);
        let d: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(d.len() > 5, "{d:?}");
        assert!(
            d.windows(2).all(|w| w[1] >= w[0] - 0.11),
            "not monotone: {d:?}"
        );
        assert!(d[d.len() - 1] > 2.0 * d[0], "weak adaptation: {d:?}");
        // One biological ms lasts 1 µs on the hardware at the default 1000x speed-up.
        assert_eq!(BrainScaleSAdExParams::default().hardware_time(1.0), 0.001);
    }
}
