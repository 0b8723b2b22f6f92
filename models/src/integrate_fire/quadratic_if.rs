//! `QuadraticIFNeuron` — the canonical type-I quadratic integrate-and-fire neuron in normal form,
//! advanced by its exact solution.
//!
//! **Equations.** dv/dt = v² + I (dimensionless v, t and I). When v reaches `v_peak` a spike is
//! emitted and v ← `v_reset` at that instant; no refractory period. For I > 0 the flow from v₀
//! reaches v_p after T(v₀) = [atan(v_p/√I) − atan(v₀/√I)]/√I; for I = 0 after 1/v₀ − 1/v_p
//! (if v₀ > 0 or v₀ < v_p < 0); for I < 0 (r = √−I) after ln[(v_p − r)(v₀ + r)/((v_p + r)(v₀ − r))]/(2r)
//! (from above the unstable point, v₀ > r, or below the stable one, v₀ < v_p < −r). Below threshold the flow is the Möbius map
//! v(t) = (r·sin rt + v₀cos rt)/(cos rt − v₀ sin rt/r) (I > 0), v₀/(1 − v₀t) (I = 0),
//! (v₀ − r·tanh rt)/(1 − v₀ tanh rt/r) (I < 0).
//!
//! **Numerics.** Exact for input held constant over the step: the crossing time inside the step
//! is computed in closed form, v restarts from v_reset at that instant and the remainder of the
//! step is integrated exactly (whole reset→peak cycles of length T(v_reset) are skipped with an
//! exact floating remainder), so interspike intervals are not rounded to the step. A step that
//! holds one or more crossings returns `true` (one spike per step at most). No substeps are
//! needed; the step length is the parameter `dt` (0.01 time units, SC-NeuroCore's step). In a
//! network one time unit is one millisecond.
//!
//! **Units.** Dimensionless (normal form).
//!
//! **Reference.** Ermentrout, G.B. & Kopell, N. (1986) "Parabolic bursting in an excitable
//! system coupled with a slow oscillation", SIAM J. Appl. Math. 46(2):233–253,
//! doi:10.1137/0146017 (the canonical type-I model); Ermentrout, G.B. (1996) "Type I membranes,
//! phase resetting curves, and synchrony", Neural Comput. 8:979–1001,
//! doi:10.1162/neco.1996.8.5.979; Latham, P.E., Richmond, B.J., Nelson, P.G. & Nirenberg, S.
//! (2000) J. Neurophysiol. 83:808–827, doi:10.1152/jn.2000.83.2.808 (the QIF in networks).
//!
//! **Relation to SC-NeuroCore** (spec §1). Same interface (`step(current)`, state `v`,
//! defaults v_reset −1, v_peak 1, dt 0.01, initial v = −1). Differences: (a) the time left in
//! the step after a crossing is integrated from v_reset instead of being discarded, so the
//! interval is the model's T rather than T rounded up to whole steps (the normal form's
//! dynamics are continuous in time); (b) the three closed forms are written as crossing times
//! plus one Möbius flow, which needs no special tolerance cases.
//!
//! **Paper facts tested.** For I > 0 the reset→peak interval is
//! T = [atan(v_peak/√I) − atan(v_reset/√I)]/√I (closed form of dv/dt = v² + I); as the peak and
//! reset move to ±∞ it becomes the canonical period π/√I (Ermentrout & Kopell 1986; Ermentrout
//! 1996) — equivalently T·√I/π → 1 as I → 0⁺ for fixed peak and reset (T√I depends on I only
//! through v_peak/√I and v_reset/√I). For I < 0 the neuron rests at v = −√−I; I = 0 is the
//! saddle-node.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`QuadraticIFNeuron`].
    pub struct QuadraticIFParams {
        /// Value v takes after a spike, v_reset [1].
        v_reset: f64 = -1.0,
        /// Spike cut (peak), v_peak [1].
        v_peak: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [time units; ms in a network].
        dt: f64 = 0.01,
    }
}

impl QuadraticIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("dt", self.dt)?;
        check::less("v_reset", self.v_reset, "v_peak", self.v_peak)
    }
}

neuron_state! {
    /// State of [`QuadraticIFNeuron`].
    pub struct QuadraticIFState {
        /// Membrane variable, v [1].
        v: f64 => QifV,
    }
}

/// Constants of [`QuadraticIFNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct QuadraticIFConsts {
    h: f64,
    v_reset: f64,
    v_peak: f64,
}

/// Time the flow of dv/dt = v² + `i` takes from `v0` up to `vp` (0 if `v0 ≥ vp`, infinite if
/// it never gets there).
#[inline(always)]
pub fn qif_time_to(v0: f64, vp: f64, i: f64) -> f64 {
    if v0 >= vp {
        return 0.0;
    }
    if i > 0.0 {
        let r = i.sqrt();
        ((vp / r).atan() - (v0 / r).atan()) / r
    } else if i == 0.0 {
        // v(t) = v0/(1 − v0 t): rises to vp only from v0 > 0, or within the negative half-line.
        if v0 > 0.0 || vp < 0.0 {
            1.0 / v0 - 1.0 / vp
        } else {
            f64::INFINITY
        }
    } else {
        let r = (-i).sqrt();
        // Rising only above the unstable point r, or below the stable point −r toward it.
        if v0 > r || vp < -r {
            (((vp - r) * (v0 + r)) / ((vp + r) * (v0 - r))).ln() / (2.0 * r)
        } else {
            f64::INFINITY
        }
    }
}

/// The exact flow of dv/dt = v² + `i` from `v0` over `t` (valid before any blow-up).
#[inline(always)]
pub fn qif_flow(v0: f64, t: f64, i: f64) -> f64 {
    if t <= 0.0 {
        return v0;
    }
    if i > 0.0 {
        let r = i.sqrt();
        let (s, c) = (r * t).sin_cos();
        (r * s + v0 * c) / (c - v0 * (s / r))
    } else if i == 0.0 {
        v0 / (1.0 - v0 * t)
    } else {
        let r = (-i).sqrt();
        let th = (r * t).tanh();
        (v0 - r * th) / (1.0 - v0 * (th / r))
    }
}

/// One exact step of length `k.h` with input `i`; `true` if v reached v_peak in the step.
#[inline(always)]
pub fn qif_step(k: &QuadraticIFConsts, s: &mut QuadraticIFState, i: f64) -> bool {
    let t = qif_time_to(s.v, k.v_peak, i);
    if t <= k.h {
        // Crossing inside the step: restart from v_reset and run out the rest of the step,
        // skipping whole reset→peak cycles (fmod is exact).
        let mut rem = k.h - t;
        let cycle = qif_time_to(k.v_reset, k.v_peak, i);
        if cycle.is_finite() && cycle > 0.0 {
            rem %= cycle;
        }
        s.v = qif_flow(k.v_reset, rem, i);
        true
    } else {
        s.v = qif_flow(s.v, k.h, i);
        false
    }
}

standalone! {
/// Canonical quadratic integrate-and-fire neuron (normal form dv/dt = v² + I), exact.
///
/// ```
/// use neurocore_models::QuadraticIFNeuron;
/// let mut n = QuadraticIFNeuron::new();
/// // I = 1: one spike every π/2 time units (157.08 steps of 0.01).
/// let spikes = (0..100_000).filter(|_| n.step(1.0)).count();
/// assert_eq!(spikes, 636);
/// ```
pub struct QuadraticIFNeuron;
}

impl QuadraticIFNeuron {
    /// Advance one step (`dt`, 0.01 time units by default) with input `current` [1]; `true` on
    /// a spike. A non-finite current is refused: the state is kept and no spike is returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for QuadraticIFNeuron {
    const NAME: &'static str = "QuadraticIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Canonical quadratic integrate-and-fire (normal form), exact flow";
    const REFERENCE: &'static str = "Ermentrout & Kopell 1986, SIAM J Appl Math 46:233, doi:10.1137/0146017; Ermentrout 1996, Neural Comput 8:979, doi:10.1162/neco.1996.8.5.979";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = QuadraticIFParams;
    type State = QuadraticIFState;
    type Consts = QuadraticIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &QuadraticIFParams) -> QuadraticIFState {
        QuadraticIFState { v: p.v_reset }
    }
    fn standalone_span(p: &QuadraticIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &QuadraticIFParams, h: f64) -> QuadraticIFConsts {
        QuadraticIFConsts {
            h,
            v_reset: p.v_reset,
            v_peak: p.v_peak,
        }
    }
    #[inline(always)]
    fn update(
        k: &QuadraticIFConsts,
        s: &mut QuadraticIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        qif_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{FRAC_PI_2, PI};

    /// Steps of the spikes of a neuron started at v_reset under constant input.
    fn spike_steps(p: &QuadraticIFParams, i: f64, steps: usize) -> Vec<usize> {
        let mut n = QuadraticIFNeuron::with_params(p.clone()).unwrap();
        (1..=steps).filter(|_| n.step(i)).collect()
    }

    /// Reset→peak interval of dv/dt = v² + I, I > 0 (closed form, written out here).
    fn period(v_reset: f64, v_peak: f64, i: f64) -> f64 {
        ((v_peak / i.sqrt()).atan() - (v_reset / i.sqrt()).atan()) / i.sqrt()
    }

    #[test]
    fn spike_times_follow_the_finite_peak_closed_form() {
        // T = [atan(v_peak/√I) − atan(v_reset/√I)]/√I; with reset at t = 0 the k-th spike
        // falls in step ceil(k·T/dt).
        for i in [1.0, 0.3, 4.0, 25.0] {
            let p = QuadraticIFParams::default();
            let t = period(p.v_reset, p.v_peak, i);
            let got = spike_steps(&p, i, 200_000);
            assert!(got.len() > 30, "I = {i}: {} spikes", got.len());
            for (k, &step) in got.iter().enumerate() {
                let expected = ((k + 1) as f64 * t / p.dt).ceil() as usize;
                assert!(
                    step.abs_diff(expected) <= 1,
                    "I = {i}: spike {k} at step {step}, closed form {expected}"
                );
            }
            // Mean interval over many spikes: T to 1e-9 relative.
            let mean = (got[got.len() - 1] - got[0]) as f64 * p.dt / (got.len() - 1) as f64;
            assert!(
                (mean - t).abs() < 3.0 * p.dt / (got.len() - 1) as f64,
                "{mean} vs {t}"
            );
        }
        // Defaults, I = 1: T = π/2 (157.08 steps; spec §1: SC-NeuroCore rounds to 158).
        assert!((period(-1.0, 1.0, 1.0) - FRAC_PI_2).abs() < 1e-15);
        let got = spike_steps(&QuadraticIFParams::default(), 1.0, 10_000);
        assert_eq!(&got[..3], &[158, 315, 472]);
    }

    #[test]
    fn canonical_period_pi_over_sqrt_i_in_the_limit() {
        // Peak and reset at ±10⁴: T·√I = π − 2·atan(√I/10⁴) ≈ π (Ermentrout & Kopell 1986).
        let p = QuadraticIFParams {
            v_reset: -1e4,
            v_peak: 1e4,
            dt: 0.01,
        };
        for i in [1.0, 0.25] {
            let got = spike_steps(&p, i, 400_000);
            let mean = (got[got.len() - 1] - got[0]) as f64 * p.dt / (got.len() - 1) as f64;
            let canonical = PI / f64::sqrt(i);
            assert!(
                (mean - canonical).abs() / canonical < 1e-3,
                "I = {i}: {mean} vs {canonical}"
            );
        }
        // With the default ±1 cut, T·√I/π → 1 as I → 0⁺ (and falls well below 1 at large I).
        let ratio = |i: f64| period(-1.0, 1.0, i) * i.sqrt() / PI;
        assert!(ratio(1e-6) > 0.999 && ratio(1e-6) < 1.0);
        assert!((ratio(1.0) - 0.5).abs() < 1e-15);
        // The simulated neuron agrees at a small input: I = 10⁻², T·√I/π = 0.9365.
        let i = 1e-2;
        let got = spike_steps(&QuadraticIFParams::default(), i, 200_000);
        let t = got[1] as f64 * 0.01 - got[0] as f64 * 0.01;
        assert!((t * i.sqrt() / PI - ratio(i)).abs() < 1e-3, "{t}");
    }

    #[test]
    fn negative_input_rests_at_minus_sqrt_of_minus_i() {
        // Saddle-node at I = 0: for I < 0 the stable node is v = −√−I, the neuron is silent.
        let mut n = QuadraticIFNeuron::new();
        assert!((0..100_000).all(|_| !n.step(-0.25)));
        assert!((n.state().v + 0.5).abs() < 1e-12, "{}", n.state().v);
        // Started above the unstable point +√−I it blows up and spikes once.
        let mut n = QuadraticIFNeuron::new();
        n.state_mut().v = 0.6;
        assert!((0..100_000).filter(|_| n.step(-0.25)).count() == 1);
        // At I = 0 from v < 0 it creeps toward 0 and never fires.
        let mut n = QuadraticIFNeuron::new();
        assert!((0..100_000).all(|_| !n.step(0.0)));
        assert!(n.state().v < 0.0 && n.state().v > -1e-2);
    }

    #[test]
    fn flow_and_crossing_time_agree() {
        // The flow evaluated at the crossing time lands on the peak, for every sign of I.
        for (v0, i) in [
            (-1.0, 1.0),
            (0.5, 0.0),
            (-3.0, 0.0),
            (0.7, -0.25),
            (-2.0, -1.0),
        ] {
            let vp = if v0 < -1.0 { -1.5 } else { 1.0 };
            let t = qif_time_to(v0, vp, i);
            assert!(t.is_finite() && t > 0.0, "{v0} {i}: {t}");
            assert!((qif_flow(v0, t, i) - vp).abs() < 1e-9, "{v0} {i}");
        }
        assert!(qif_time_to(-0.2, 1.0, -0.25).is_infinite());
    }
}
