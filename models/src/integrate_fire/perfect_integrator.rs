//! `PerfectIntegratorNeuron` — the non-leaky (perfect) integrate-and-fire neuron, with exact
//! spike times.
//!
//! **Equations.** C dv/dt = I + I_syn(v), I_syn(v) = Σ gₖ(Eₖ − v) from conductance receptors.
//! When v reaches θ (`v_threshold`) a spike is emitted and v ← v_reset at that instant; no
//! refractory period, no lower bound.
//!
//! **Numerics.** Exact for input held constant over the step. The equation is linear,
//! dv/dt = a − b·v with a = (I + Σg·E)/C, b = Σg/C, so the crossing time inside the step is
//! closed-form (t* = (θ − v)/a without conductances, ln(1 + b(θ − v)/(a − bθ))/b with them);
//! the neuron restarts from v_reset at t* and the rest of the step is integrated exactly, whole
//! reset→threshold cycles being skipped with an exact floating remainder. Intervals are thus
//! not rounded to the step: the rate is exactly I/(C(θ − v_reset)). A step that holds one or
//! more crossings returns `true` (at most one spike per step is reported).
//!
//! **Units.** v in mV, C in nF, I in nA (nA/nF = mV/ms), t in ms, conductances in µS.
//!
//! **Reference.** Gerstner, W., Kistler, W.M., Naud, R. & Paninski, L. (2014) *Neuronal
//! Dynamics*, Cambridge University Press, §1.3 (integrate-and-fire without leak),
//! doi:10.1017/CBO9781107447615; Lapicque (1907) J. Physiol. Pathol. Gén. 9:620–635.
//!
//! **Relation to SC-NeuroCore** (spec §3). Same interface (`step(current)`, state `v`,
//! defaults C 1, θ 1, v_reset 0, dt 0.1, initial v = 0). Differences: (a) the spike happens at
//! the crossing time and the rest of the step continues from v_reset, where SC-NeuroCore resets
//! at the end of the step and throws the overshoot away, quantising the interval to
//! ⌈Cθ/(I·dt)⌉ steps (and a floating sum one ulp below θ costs it a whole extra step); the
//! paper's model is continuous in time, so its rate I/(C(θ − v_reset)) is kept exactly;
//! (b) SC-NeuroCore raises an error if v ≥ θ before a step; here such a state (e.g. after a
//! delta-receptor jump) fires at the start of the step; (c) conductance receptors are
//! supported (exactly integrated), which SC-NeuroCore has not.
//!
//! **Paper fact tested.** The firing rate is f = I/(C(θ − v_reset)) (Gerstner et al. 2014
//! §1.3): with the defaults and I = 0.5 the interval is 2.0 ms (20 steps), and for any
//! suprathreshold I the k-th spike falls in step ⌈k·C(θ − v_reset)/(I·dt)⌉.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`PerfectIntegratorNeuron`].
    pub struct PerfectIntegratorParams {
        /// Membrane capacitance, C [nF].
        c_m: f64 = 1.0,
        /// Spike threshold, θ [mV].
        v_threshold: f64 = 1.0,
        /// Reset potential, v_reset [mV].
        v_reset: f64 = 0.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
    }
}

impl PerfectIntegratorParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("c_m", self.c_m)?;
        check::positive("dt", self.dt)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`PerfectIntegratorNeuron`].
    pub struct PerfectIntegratorState {
        /// Membrane potential, v [mV].
        v: f64 => PerfectV,
    }
}

/// Constants of [`PerfectIntegratorNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct PerfectIntegratorConsts {
    h: f64,
    inv_c: f64,
    v_threshold: f64,
    v_reset: f64,
}

/// Time for dv/dt = a − b·v to rise from `v0` to `theta` (0 if already there, infinite if it
/// never gets there).
#[inline(always)]
pub fn linear_time_to(v0: f64, theta: f64, a: f64, b: f64) -> f64 {
    if v0 >= theta {
        return 0.0;
    }
    // Slope at the threshold: must be positive to cross it from below.
    let d = a - b * theta;
    if d <= 0.0 {
        return f64::INFINITY;
    }
    if b == 0.0 {
        return (theta - v0) / d;
    }
    let x = b * (theta - v0) / d;
    if x <= -1.0 {
        f64::INFINITY
    } else {
        x.ln_1p() / b
    }
}

/// The exact flow of dv/dt = a − b·v from `v0` over `t`.
#[inline(always)]
pub fn linear_flow(v0: f64, t: f64, a: f64, b: f64) -> f64 {
    if b == 0.0 {
        v0 + a * t
    } else {
        v0 + (a - b * v0) * (-(-b * t).exp_m1() / b)
    }
}

/// One exact step of length `k.h`; `true` if v reached θ in the step.
#[inline(always)]
pub fn perfect_integrator_step(
    k: &PerfectIntegratorConsts,
    s: &mut PerfectIntegratorState,
    x: &Input<[f64; 1]>,
) -> bool {
    let a = (x.ports[0] + x.ge) * k.inv_c;
    let b = x.g * k.inv_c;
    let t = linear_time_to(s.v, k.v_threshold, a, b);
    if t <= k.h {
        let mut rem = k.h - t;
        let cycle = linear_time_to(k.v_reset, k.v_threshold, a, b);
        if cycle.is_finite() && cycle > 0.0 {
            rem %= cycle;
        }
        s.v = linear_flow(k.v_reset, rem, a, b);
        true
    } else {
        s.v = linear_flow(s.v, k.h, a, b);
        false
    }
}

standalone! {
/// Perfect (non-leaky) integrate-and-fire neuron with exact spike times.
///
/// ```
/// use neurocore_models::PerfectIntegratorNeuron;
/// let mut n = PerfectIntegratorNeuron::new();
/// // I = 0.5 nA, C = 1 nF, θ − v_reset = 1 mV: one spike every 2 ms, 500 in 1 s (the
/// // 500th lands on the last step's boundary, so run 1 ms more).
/// let spikes = (0..10_010).filter(|_| n.step(0.5)).count();
/// assert_eq!(spikes, 500);
/// ```
pub struct PerfectIntegratorNeuron;
}

impl PerfectIntegratorNeuron {
    /// Advance one step (`dt` ms) with injected current `current` [nA]; `true` on a spike.
    /// A non-finite current is refused: the state is kept and no spike is returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for PerfectIntegratorNeuron {
    const NAME: &'static str = "PerfectIntegratorNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Perfect (non-leaky) integrate-and-fire, exact spike times";
    const REFERENCE: &'static str = "Gerstner, Kistler, Naud & Paninski 2014, Neuronal Dynamics, CUP, sec. 1.3, doi:10.1017/CBO9781107447615";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = None;
    type Params = PerfectIntegratorParams;
    type State = PerfectIntegratorState;
    type Consts = PerfectIntegratorConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &PerfectIntegratorParams) -> PerfectIntegratorState {
        PerfectIntegratorState { v: p.v_reset }
    }
    fn standalone_span(p: &PerfectIntegratorParams) -> f64 {
        p.dt
    }
    fn prepare(p: &PerfectIntegratorParams, h: f64) -> PerfectIntegratorConsts {
        PerfectIntegratorConsts {
            h,
            inv_c: 1.0 / p.c_m,
            v_threshold: p.v_threshold,
            v_reset: p.v_reset,
        }
    }
    #[inline(always)]
    fn update(
        k: &PerfectIntegratorConsts,
        s: &mut PerfectIntegratorState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        perfect_integrator_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_current_over_capacitance_times_threshold_distance() {
        // Gerstner et al. 2014 §1.3: T = C(θ − v_reset)/I; the k-th spike (from v_reset at
        // t = 0) lies in step ⌈kT/dt⌉.
        for (i, c_m, theta, v_reset, dt) in [
            (0.37, 1.0, 1.0, 0.0, 0.1),
            (2.5, 0.2, 15.0, -5.0, 0.1),
            (0.05, 3.0, -50.0, -70.0, 0.25),
        ] {
            let p = PerfectIntegratorParams {
                c_m,
                v_threshold: theta,
                v_reset,
                dt,
            };
            let mut n = PerfectIntegratorNeuron::with_params(p).unwrap();
            let t = c_m * (theta - v_reset) / i;
            let got: Vec<usize> = (1..=200_000usize).filter(|_| n.step(i)).collect();
            assert!(got.len() > 20, "{}", got.len());
            for (k, &step) in got.iter().enumerate() {
                let exact = (k + 1) as f64 * t / dt;
                assert!(
                    step as f64 >= exact - 1e-6 && (step as f64) < exact + 1.0 + 1e-6,
                    "spike {k} in step {step}, crossing at {exact} steps"
                );
            }
        }
        // Defaults, I = 0.5: ISI 2.0 ms = 20 steps (spec §3). The crossings fall exactly on
        // step boundaries, where rounding may move a spike into the next step, but never
        // further: spike k lies in step 20k or 20k + 1, whatever the number of spikes before.
        let mut n = PerfectIntegratorNeuron::new();
        let got: Vec<usize> = (1..=2005usize).filter(|_| n.step(0.5)).collect();
        assert_eq!(got.len(), 100);
        for (k, &step) in got.iter().enumerate() {
            assert!(
                step == 20 * (k + 1) || step == 20 * (k + 1) + 1,
                "{k}: {step}"
            );
        }
    }

    #[test]
    fn negative_current_integrates_down_without_bound() {
        let mut n = PerfectIntegratorNeuron::new();
        assert!((0..1000).all(|_| !n.step(-1.0)));
        // v = −I·t/C = −100 mV after 100 ms.
        assert!((n.state().v + 100.0).abs() < 1e-9, "{}", n.state().v);
    }

    #[test]
    fn conductance_input_relaxes_to_its_reversal() {
        // C dv/dt = g(E − v): with E = 0.5 mV below θ the neuron relaxes to E and never fires;
        // after 10 ms with g/C = 1/ms, v = E(1 − e^−10).
        let mut n = PerfectIntegratorNeuron::new();
        for _ in 0..100 {
            assert!(!n.advance_input(&Input {
                ports: [0.0],
                g: 1.0,
                ge: 0.5,
            }));
        }
        let expected = 0.5 * (1.0 - (-10.0f64).exp());
        assert!((n.state().v - expected).abs() < 1e-12, "{}", n.state().v);
    }
}
