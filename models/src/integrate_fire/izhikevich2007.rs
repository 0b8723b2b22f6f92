//! `Izhikevich2007Neuron` — Izhikevich's simple model in its dimensional form (book, 2007),
//! regular-spiking (RS) cortical pyramidal cell by default.
//!
//! **Equations.** C dv/dt = k(v − v_r)(v − v_t) − u + I + I_syn(v); du/dt = a(b(v − v_r) − u).
//! If v ≥ v_peak: v ← c, u ← u + d. No refractory period, no noise.
//!
//! **Numerics.** Classical RK4 on (v, u) in substeps of at most `substep` ms (0.025 ms); in the
//! RK4 stages v is clamped at v_peak so the quadratic upstroke cannot overshoot, and the
//! threshold is tested and the reset applied after every substep. A standalone step spans
//! `dt` = 0.1 ms as in SC-NeuroCore.
//!
//! **Units.** v in mV, u and I in pA, C in pF, k in nS/mV, a in 1/ms, b in nS, t in ms.
//!
//! **Reference.** Izhikevich, E.M. (2007) *Dynamical Systems in Neuroscience: The Geometry of
//! Excitability and Bursting*, MIT Press, ch. 8 (RS neuron: C = 100 pF,
//! k = 0.7 nS/mV, v_r = −60 mV, v_t = −40 mV, v_peak = 35 mV, a = 0.03/ms, b = −2 nS,
//! c = −50 mV, d = 100 pA), ISBN 978-0-262-09043-8; the NeuroML `izhikevich2007Cell`
//! parameterisation.
//!
//! **Relation to SC-NeuroCore** (spec §23a). Same interface (`step(input_current)` in pA, state
//! `v`, `u`, `get_state()`), parameter names and RS defaults. Differences: (a) the spike is
//! detected after every RK4 substep (0.025 ms) instead of once per 0.1-ms step, and the RK4
//! stages are clamped at v_peak; (b) SC-NeuroCore's forward-Euler option (`integrator`) is not
//! offered; (c) `v0` (SC-NeuroCore: `None` → v_r) is a number, defaulting to v_r.
//!
//! **Paper fact tested** (spec §23a, derived in the test): the rest v_r = −60 mV at I = 0; the
//! equilibria satisfy k·w² − (k(v_t − v_r) + b)·w + I = 0 (w = v − v_r, u = b·w), so the
//! stable rest disappears in a saddle-node at I* = (b + k(v_t − v_r))²/(4k) = 144/2.8 ≈ 51.4 pA:
//! below it the neuron rests at the stable root, above it fires tonically; and the RS cell
//! adapts (lengthening interspike intervals) under a step of 300 pA (book ch. 8).

#![allow(non_snake_case)]

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`Izhikevich2007Neuron`].
    pub struct Izhikevich2007Params {
        /// Membrane capacitance, C [pF].
        C: f64 = 100.0,
        /// Gain of the quadratic term, k [nS/mV].
        k: f64 = 0.7,
        /// Resting potential, v_r [mV].
        vr: f64 = -60.0,
        /// Instantaneous threshold potential, v_t [mV].
        vt: f64 = -40.0,
        /// Spike cut-off (peak), v_peak [mV].
        vpeak: f64 = 35.0,
        /// Recovery time scale, a [1/ms].
        a: f64 = 0.03,
        /// Recovery sensitivity to v, b [nS].
        b: f64 = -2.0,
        /// Reset potential, c [mV].
        c: f64 = -50.0,
        /// Recovery increment per spike, d [pA].
        d: f64 = 100.0,
        /// Initial membrane potential (SC-NeuroCore's None = v_r), v0 [mV].
        v0: f64 = -60.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.025,
    }
}

impl Izhikevich2007Params {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("C", self.C)?;
        check::positive("k", self.k)?;
        check::positive("a", self.a)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("vr", self.vr, "vt", self.vt)?;
        check::less("vt", self.vt, "vpeak", self.vpeak)?;
        check::less("c", self.c, "vpeak", self.vpeak)?;
        check::less("v0", self.v0, "vpeak", self.vpeak)
    }
}

neuron_state! {
    /// State of [`Izhikevich2007Neuron`].
    pub struct Izhikevich2007State {
        /// Membrane potential, v [mV].
        v: f64 => Izh07V,
        /// Recovery current, u [pA].
        u: f64 => Izh07U,
    }
}

/// Constants of [`Izhikevich2007Neuron`] for one step.
#[derive(Clone, Debug)]
pub struct Izhikevich2007Consts {
    p: Izhikevich2007Params,
    n: u32,
    h: f64,
    inv_c: f64,
}

/// One step: `k.n` RK4 substeps with stage clamping, threshold and reset after each.
#[inline(always)]
pub fn izhikevich2007_step(
    q: &Izhikevich2007Consts,
    s: &mut Izhikevich2007State,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &q.p;
    let mut spiked = false;
    for _ in 0..q.n {
        let mut y = [s.v, s.u];
        rk4(&mut y, q.h, |y| {
            let v = y[0].min(p.vpeak);
            [
                (p.k * (v - p.vr) * (v - p.vt) - y[1] + x.current(v)) * q.inv_c,
                p.a * (p.b * (v - p.vr) - y[1]),
            ]
        });
        s.v = y[0];
        s.u = y[1];
        if s.v >= p.vpeak {
            s.v = p.c;
            s.u += p.d;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Izhikevich (2007) simple model, dimensional form (RS neuron by default).
pub struct Izhikevich2007Neuron;
}

impl Izhikevich2007Neuron {
    /// Advance one step (`dt` ms) with injected current `input_current` [pA]; `true` on a spike.
    pub fn step(&mut self, input_current: f64) -> bool {
        self.step_or_none([input_current])
    }
}

impl Model for Izhikevich2007Neuron {
    const NAME: &'static str = "Izhikevich2007Neuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Izhikevich 2007 simple model, dimensional form (RS pyramidal cell)";
    const REFERENCE: &'static str = "Izhikevich 2007, Dynamical Systems in Neuroscience, MIT Press, ch. 8, ISBN 978-0-262-09043-8";
    const PORTS: &'static [&'static str] = &["input_current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[200.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = Izhikevich2007Params;
    type State = Izhikevich2007State;
    type Consts = Izhikevich2007Consts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &Izhikevich2007Params) -> Izhikevich2007State {
        Izhikevich2007State {
            v: p.v0,
            u: p.b * (p.v0 - p.vr),
        }
    }
    fn standalone_span(p: &Izhikevich2007Params) -> f64 {
        p.dt
    }
    fn prepare(p: &Izhikevich2007Params, span: f64) -> Izhikevich2007Consts {
        let (n, h) = substeps(span, p.substep);
        Izhikevich2007Consts {
            p: p.clone(),
            n,
            h,
            inv_c: 1.0 / p.C,
        }
    }
    #[inline(always)]
    fn update(
        q: &Izhikevich2007Consts,
        s: &mut Izhikevich2007State,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        izhikevich2007_step(q, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_and_saddle_node_onset() {
        let p = Izhikevich2007Params::default();
        // Rest: v = v_r, u = 0 is an exact fixed point at I = 0.
        let mut n = Izhikevich2007Neuron::new();
        assert!((0..10_000).all(|_| !n.step(0.0)));
        assert_eq!((n.state().v, n.state().u), (-60.0, 0.0));
        // Equilibria: u = b·w and k·w² − (k(v_t − v_r) + b)·w + I = 0, w = v − v_r. They merge
        // (saddle-node) when the discriminant vanishes: I* = (k(v_t − v_r) + b)²/(4k).
        let beta = p.k * (p.vt - p.vr) + p.b;
        let i_star = beta * beta / (4.0 * p.k);
        assert!((i_star - 51.428_571).abs() < 1e-5, "{i_star}");
        // Below: rest at the stable (lower) root.
        let i = 0.95 * i_star;
        let w = (beta - (beta * beta - 4.0 * p.k * i).sqrt()) / (2.0 * p.k);
        let mut n = Izhikevich2007Neuron::new();
        assert!((0..30_000).all(|_| !n.step(i)), "fired below I*");
        assert!((n.state().v - (p.vr + w)).abs() < 1e-6, "{:?}", n.state());
        assert!((n.state().u - p.b * w).abs() < 1e-6);
        // Above: repetitive firing.
        let mut n = Izhikevich2007Neuron::new();
        assert!((0..30_000).filter(|_| n.step(1.05 * i_star)).count() >= 3);
    }

    #[test]
    fn regular_spiking_adapts() {
        // RS neuron, 300 pA step (Izhikevich 2007, ch. 8): tonic firing whose interspike
        // intervals lengthen as u accumulates d = 100 pA per spike.
        let mut n = Izhikevich2007Neuron::new();
        let t: Vec<f64> = (1..=10_000)
            .filter(|_| n.step(300.0))
            .map(|k| k as f64 * 0.1)
            .collect();
        let d: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(d.len() >= 5, "{t:?}");
        assert!(d[d.len() - 1] > 1.3 * d[0], "no adaptation: {d:?}");
        assert!(d.windows(2).all(|w| w[1] >= w[0] - 0.11), "{d:?}");
    }
}
