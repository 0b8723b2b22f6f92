//! `NonlinearLIFNeuron` — the quadratic (two-root) integrate-and-fire neuron with linear
//! subthreshold adaptation: Izhikevich's simple model in dimensional form.
//!
//! **Equations.** C dv/dt = a(v − v_rest)(v − v_crit) − w + I + I_syn(v);
//! τ_w dw/dt = b(v − v_rest) − w, with I_syn(v) = Σ gₖ(Eₖ − v). If v ≥ `v_threshold` (the
//! numerical spike cut): spike, v ← v_reset, w ← w + d. No refractory period, no noise. This is
//! Izhikevich's (2007, ch. 8) C v' = k(v − v_r)(v − v_t) − u + I, u' = a_I{b(v − v_r) − u} with
//! k = a, v_r = v_rest, v_t = v_crit, a_I = 1/τ_w, the class analysed by Touboul (2008).
//!
//! **Numerics.** Classical RK4 on (v, w) in substeps of at most `substep` ms (0.1 ms default, a
//! standalone step spans `dt` = 0.1 ms as SC-NeuroCore's one RK4 step does); inside the RK4
//! stages v is clamped at the cut so the quadratic blow-up cannot overshoot to infinity. The
//! threshold is tested after every substep and the reset applied there.
//!
//! **Units.** v in mV, t in ms; I, w in the model's current units with C = 1 (then mV/ms);
//! a in current/mV², b in current/mV.
//!
//! **Reference.** Izhikevich, E.M. (2003) "Simple model of spiking neurons", IEEE Trans. Neural
//! Netw. 14(6):1569–1572, doi:10.1109/TNN.2003.820440; Izhikevich, E.M. (2007) *Dynamical
//! Systems in Neuroscience*, MIT Press, ch. 8 (dimensional form, integrator/resonator
//! criterion); Touboul, J. (2008) "Bifurcation analysis of a general class of nonlinear
//! integrate-and-fire neurons", SIAM J. Appl. Math. 68(4):1045–1079, doi:10.1137/070687268.
//!
//! **Relation to SC-NeuroCore** (spec §5). Same interface (`step(current)`, state `v`, `w`,
//! defaults v_rest −65, v_crit −40, cut −20, v_reset −65, a 0.04, b 0.5, τ_w 100, C 1,
//! dt 0.1). Differences: (a) the spike-triggered increment `d` of the Izhikevich/Touboul class
//! is added (default 0, which is SC-NeuroCore's behaviour); (b) RK4 stages are clamped at the
//! cut (SC-NeuroCore's unbounded stages can overflow near the blow-up and then raise), and the
//! step may be split into substeps; (c) conductance receptors are supported. The cited
//! references are corrected: the model is quadratic (not the "cubic f-I, Touboul & Brette
//! 2008" of SC-NeuroCore's Rust comment).
//!
//! **Paper facts tested** (linear stability of the equations, Izhikevich 2007 ch. 8; spec §5,
//! re-derived in the test). With x = v − v_rest, Δ = v_crit − v_rest, the equilibria solve
//! a x² − (aΔ + b)x + I = 0: they vanish in a saddle-node at I_SN = (aΔ + b)²/(4a) = 14.06.
//! Because b > C/τ_w (resonator) the rest first loses stability in an Andronov–Hopf
//! bifurcation, where the trace a(2x − Δ)/C − 1/τ_w vanishes: x_H = (Δ + C/(aτ_w))/2 = 12.625 mV,
//! I_H = (aΔ + b)x_H − a x_H² = 12.56. Without adaptation (b = 0) the threshold current is
//! aΔ²/4 = 6.25.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`NonlinearLIFNeuron`].
    pub struct NonlinearLIFParams {
        /// Lower root of the quadratic (resting potential), v_rest [mV].
        v_rest: f64 = -65.0,
        /// Upper root of the quadratic (soft threshold), v_crit [mV].
        v_crit: f64 = -40.0,
        /// Numerical spike cut, v_peak [mV].
        v_threshold: f64 = -20.0,
        /// Reset potential, v_reset [mV].
        v_reset: f64 = -65.0,
        /// Quadratic gain, a [current/mV²].
        a: f64 = 0.04,
        /// Subthreshold adaptation coupling, b [current/mV].
        b: f64 = 0.5,
        /// Adaptation time constant, τ_w [ms].
        tau_w: f64 = 100.0,
        /// Spike-triggered adaptation increment, d [current].
        d: f64 = 0.0,
        /// Membrane capacitance, C [capacitance].
        c_m: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.1,
    }
}

impl NonlinearLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("a", self.a)?;
        check::non_negative("b", self.b)?;
        check::positive("tau_w", self.tau_w)?;
        check::positive("c_m", self.c_m)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("v_rest", self.v_rest, "v_crit", self.v_crit)?;
        check::less("v_crit", self.v_crit, "v_threshold", self.v_threshold)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`NonlinearLIFNeuron`].
    pub struct NonlinearLIFState {
        /// Membrane potential, v [mV].
        v: f64 => NlifV,
        /// Adaptation variable, w [current].
        w: f64 => NlifW,
    }
}

/// Constants of [`NonlinearLIFNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct NonlinearLIFConsts {
    p: NonlinearLIFParams,
    n: u32,
    h: f64,
    inv_c: f64,
    inv_tau_w: f64,
}

/// One step: `k.n` RK4 substeps with threshold and reset after each.
#[inline(always)]
pub fn nlif_step(k: &NonlinearLIFConsts, s: &mut NonlinearLIFState, x: &Input<[f64; 1]>) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v, s.w];
        rk4(&mut y, k.h, |y| {
            let v = y[0].min(p.v_threshold);
            [
                (p.a * (v - p.v_rest) * (v - p.v_crit) - y[1] + x.current(v)) * k.inv_c,
                (p.b * (v - p.v_rest) - y[1]) * k.inv_tau_w,
            ]
        });
        [s.v, s.w] = y;
        if s.v >= p.v_threshold {
            s.v = p.v_reset;
            s.w += p.d;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Quadratic integrate-and-fire with linear adaptation (Izhikevich's simple model form).
pub struct NonlinearLIFNeuron;
}

impl NonlinearLIFNeuron {
    /// Advance one step (`dt`, 0.1 ms by default) with injected current `current`; `true` on a
    /// spike. A non-finite current is refused: the state is kept and no spike is returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for NonlinearLIFNeuron {
    const NAME: &'static str = "NonlinearLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Quadratic integrate-and-fire with linear adaptation (Izhikevich 2007 form)";
    const REFERENCE: &'static str = "Izhikevich 2007, Dynamical Systems in Neuroscience, MIT Press, ch. 8; Touboul 2008, SIAM J Appl Math 68:1045, doi:10.1137/070687268";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[30.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = NonlinearLIFParams;
    type State = NonlinearLIFState;
    type Consts = NonlinearLIFConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &NonlinearLIFParams) -> NonlinearLIFState {
        NonlinearLIFState {
            v: p.v_rest,
            w: 0.0,
        }
    }
    fn standalone_span(p: &NonlinearLIFParams) -> f64 {
        p.dt
    }
    fn prepare(p: &NonlinearLIFParams, span: f64) -> NonlinearLIFConsts {
        let (n, h) = substeps(span, p.substep);
        NonlinearLIFConsts {
            p: p.clone(),
            n,
            h,
            inv_c: 1.0 / p.c_m,
            inv_tau_w: 1.0 / p.tau_w,
        }
    }
    #[inline(always)]
    fn update(
        k: &NonlinearLIFConsts,
        s: &mut NonlinearLIFState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        nlif_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lower equilibrium (v*, w*) at input I, from a x² − (aΔ + b)x + I = 0.
    fn equilibrium(p: &NonlinearLIFParams, i: f64) -> Option<(f64, f64)> {
        let delta = p.v_crit - p.v_rest;
        let s = p.a * delta + p.b;
        let disc = s * s - 4.0 * p.a * i;
        (disc >= 0.0).then(|| {
            let x = (s - disc.sqrt()) / (2.0 * p.a);
            (p.v_rest + x, p.b * x)
        })
    }

    /// Spikes in `t_ms` of constant input from the equilibrium shifted by `dv`, and the largest
    /// distance |v − v*| over the last fifth of the run.
    fn kick_from_rest(p: &NonlinearLIFParams, i: f64, dv: f64, t_ms: f64) -> (usize, f64) {
        let mut n = NonlinearLIFNeuron::with_params(p.clone()).unwrap();
        let (v, w) = equilibrium(p, i).unwrap_or((p.v_rest, 0.0));
        n.state_mut().v = v + dv;
        n.state_mut().w = w;
        let steps = (t_ms / p.dt).round() as usize;
        let (mut count, mut dist) = (0, 0.0f64);
        for k in 0..steps {
            if n.step(i) {
                count += 1;
            }
            if k > 4 * steps / 5 {
                dist = dist.max((n.state().v - v).abs());
            }
        }
        (count, dist)
    }

    #[test]
    fn rest_at_zero_input() {
        let mut n = NonlinearLIFNeuron::new();
        assert!((0..10_000).all(|_| !n.step(0.0)));
        assert!((n.state().v + 65.0).abs() < 1e-12 && n.state().w.abs() < 1e-12);
    }

    #[test]
    fn saddle_node_and_hopf_currents() {
        let p = NonlinearLIFParams::default();
        let delta = p.v_crit - p.v_rest;
        let s = p.a * delta + p.b;
        // Saddle-node: I_SN = (aΔ + b)²/(4a) = 1.5²/0.16 = 14.0625 (spec §5: ≈ 14.06).
        let i_sn = s * s / (4.0 * p.a);
        assert!((i_sn - 14.0625).abs() < 1e-12);
        assert!(equilibrium(&p, i_sn - 1e-9).is_some() && equilibrium(&p, i_sn + 1e-9).is_none());
        // Hopf: trace zero at x_H = (Δ + C/(aτ_w))/2 = 12.625, I_H = s·x_H − a·x_H² = 12.5619.
        let x_h = 0.5 * (delta + p.c_m / (p.a * p.tau_w));
        let i_h = s * x_h - p.a * x_h * x_h;
        assert!((x_h - 12.625).abs() < 1e-12 && (i_h - 12.561_875).abs() < 1e-9);
        // Below I_H a small kick from the equilibrium dies out; above it the equilibrium,
        // which still exists (I_H < I < I_SN), repels it (growing oscillation or spikes).
        let (count, dist) = kick_from_rest(&p, i_h - 0.15, 0.01, 5000.0);
        assert_eq!(count, 0);
        assert!(dist < 1e-4, "not back at rest: {dist}");
        assert!(equilibrium(&p, i_h + 0.2).is_some());
        let (count, dist) = kick_from_rest(&p, i_h + 0.2, 0.01, 5000.0);
        assert!(
            count > 0 || dist > 1.0,
            "equilibrium still attracts: {count} spikes, {dist} mV"
        );
        // Above I_SN there is no equilibrium: the neuron fires repetitively.
        let (count, _) = kick_from_rest(&p, i_sn + 0.2, 0.0, 2000.0);
        assert!(count > 5, "{count}");
    }

    #[test]
    fn without_adaptation_the_threshold_is_a_delta_squared_over_four() {
        // b = 0: a QIF with threshold current aΔ²/4 = 0.04·625/4 = 6.25 (spec §5).
        let p = NonlinearLIFParams {
            b: 0.0,
            ..Default::default()
        };
        let mut n = NonlinearLIFNeuron::with_params(p.clone()).unwrap();
        assert!((0..100_000).all(|_| !n.step(6.2)));
        let mut n = NonlinearLIFNeuron::with_params(p).unwrap();
        assert!((0..100_000).any(|_| n.step(6.3)));
    }

    #[test]
    fn spike_triggered_increment_adapts() {
        // d > 0 (the Izhikevich/Touboul reset w ← w + d) lengthens the steady interval.
        let last_interval = |d: f64| {
            let p = NonlinearLIFParams {
                d,
                ..Default::default()
            };
            let mut n = NonlinearLIFNeuron::with_params(p).unwrap();
            let t: Vec<usize> = (0..20_000).filter(|_| n.step(30.0)).collect();
            assert!(t.len() > 4, "{t:?}");
            t[t.len() - 1] - t[t.len() - 2]
        };
        assert!(last_interval(5.0) > last_interval(0.0));
    }
}
