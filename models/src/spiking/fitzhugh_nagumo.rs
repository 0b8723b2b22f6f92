//! `FitzHughNagumoNeuron` — the two-variable excitable/oscillatory caricature of the
//! Hodgkin–Huxley membrane (FitzHugh 1961; Nagumo, Arimoto & Yoshizawa 1962).
//!
//! **Equations.** dv/dt = v − v³/3 − w + I; dw/dt = ε(v + a − b·w). There is no reset and no
//! refractoriness: the step returns `true` when v crosses `v_threshold` (1) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.1 time units, the system is not
//! stiff at ε = 0.08); a standalone step spans `dt`, as SC-NeuroCore's step does. The crossing
//! is tested after every substep.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond and I is the value
//! of the `current` port.
//!
//! **Reference.** FitzHugh, R. (1961) "Impulses and physiological states in theoretical models
//! of nerve membrane", Biophys. J. 1:445–466, doi:10.1016/S0006-3495(61)86902-6; Nagumo, J.,
//! Arimoto, S. & Yoshizawa, S. (1962) Proc. IRE 50:2061–2070, doi:10.1109/JRPROC.1962.288235.
//! Defaults: a = 0.7, b = 0.8 are FitzHugh's; ε = 0.08 (τ = 12.5) is the usual choice of
//! Izhikevich & FitzHugh (2006) "FitzHugh–Nagumo model", Scholarpedia 1(9):1349,
//! doi:10.4249/scholarpedia.1349.
//!
//! **Relation to SC-NeuroCore** (spec §1). Same interface (`step(current)`, one 0.1-unit step,
//! state `v`, `w` starting at −1, −0.5) and the same equations. Differences: only RK4 is
//! offered (SC-NeuroCore's `integrator` choice of Euler or Rosenbrock–Euler is not ported: RK4
//! is the accurate one for this non-stiff system); in a network the step is split into RK4
//! substeps of at most `dt`, each tested for the crossing.
//!
//! **Paper facts tested.** The rest state loses stability where the Jacobian trace
//! 1 − v² − εb vanishes, v = ±√(1 − bε): I_H = 0.3313 and 1.4188 (closed form, the standard
//! FHN Hopf points; spec §1.8); below the lower one a perturbed rest state returns to rest,
//! above it the neuron oscillates. Oscillation periods ≈ 39.5 (I = 0.5) and ≈ 36.7 (I = 1.0)
//! time units (spec §1.8 [computed]), re-derived in the test by an independent fine-step
//! integration.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`FitzHughNagumoNeuron`].
    pub struct FitzHughNagumoParams {
        /// Offset of the recovery nullcline, a [1].
        a: f64 = 0.7,
        /// Recovery self-coupling, b [1].
        b: f64 = 0.8,
        /// Time-scale ratio of recovery, ε (FitzHugh's φ) [1].
        epsilon: f64 = 0.08,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [time units; ms in a network].
        dt: f64 = 0.1,
        /// Event level (upward crossing of v), v_th [1].
        v_threshold: f64 = 1.0,
    }
}

impl FitzHughNagumoParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("b", self.b)?;
        check::positive("epsilon", self.epsilon)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`FitzHughNagumoNeuron`].
    pub struct FitzHughNagumoState {
        /// Fast, voltage-like variable, v [1].
        v: f64 => FhnV,
        /// Slow recovery variable, w [1].
        w: f64 => FhnW,
    }
}

/// Constants of [`FitzHughNagumoNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct FitzHughNagumoConsts {
    p: FitzHughNagumoParams,
    n: u32,
    h: f64,
}

/// The vector field (dv/dt, dw/dt) at (v, w) with drive `i`.
#[inline(always)]
pub fn fhn_field(p: &FitzHughNagumoParams, v: f64, w: f64, i: f64) -> [f64; 2] {
    [v - v * v * v / 3.0 - w + i, p.epsilon * (v + p.a - p.b * w)]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn fhn_step(k: &FitzHughNagumoConsts, s: &mut FitzHughNagumoState, i: f64) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.w];
        rk4(&mut y, k.h, |y| fhn_field(p, y[0], y[1], i));
        [s.v, s.w] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// FitzHugh–Nagumo neuron (FitzHugh 1961; Nagumo et al. 1962).
pub struct FitzHughNagumoNeuron;
}

impl FitzHughNagumoNeuron {
    /// Advance one step (0.1 time units by default) with drive `current` [1]; `true` if v
    /// crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for FitzHughNagumoNeuron {
    const NAME: &'static str = "FitzHughNagumoNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "FitzHugh-Nagumo two-variable excitable/oscillatory model";
    const REFERENCE: &'static str = "FitzHugh 1961, Biophys J 1:445, doi:10.1016/S0006-3495(61)86902-6; Nagumo, Arimoto & Yoshizawa 1962, Proc IRE 50:2061";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = FitzHughNagumoParams;
    type State = FitzHughNagumoState;
    type Consts = FitzHughNagumoConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &FitzHughNagumoParams) -> FitzHughNagumoState {
        FitzHughNagumoState { v: -1.0, w: -0.5 }
    }
    fn standalone_span(p: &FitzHughNagumoParams) -> f64 {
        p.dt
    }
    fn prepare(p: &FitzHughNagumoParams, span: f64) -> FitzHughNagumoConsts {
        let (n, h) = substeps(span, p.dt);
        FitzHughNagumoConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &FitzHughNagumoConsts,
        s: &mut FitzHughNagumoState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        fhn_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rest state at drive `i`: the root of v − v³/3 − (v + a)/b + I = 0 (Newton from the
    /// left branch; the cubic has one real root for b < 1).
    fn rest(i: f64) -> (f64, f64) {
        let (a, b) = (0.7, 0.8);
        let mut v = -1.0f64;
        for _ in 0..100 {
            let g = v - v.powi(3) / 3.0 - (v + a) / b + i;
            v -= g / (1.0 - v * v - 1.0 / b);
        }
        (v, (v + a) / b)
    }

    /// Spikes over `t` time units at drive `i`, starting from the rest state moved by +0.01 in v.
    fn spikes_from_rest(i: f64, t: f64) -> usize {
        let mut n = FitzHughNagumoNeuron::new();
        let (v, w) = rest(i);
        *n.state_mut() = FitzHughNagumoState { v: v + 0.01, w };
        (0..(t / 0.1) as usize).filter(|_| n.step(i)).count()
    }

    #[test]
    fn rest_state_at_zero_drive() {
        // Spec §1.8 (analytic): v* = −1.19941, w* = (v* + a)/b = −0.62426.
        let mut n = FitzHughNagumoNeuron::new();
        for _ in 0..20_000 {
            n.step(0.0);
        }
        let s = n.state();
        assert!(
            (s.v + 1.199_41).abs() < 1e-4 && (s.w + 0.624_26).abs() < 1e-4,
            "{s:?}"
        );
    }

    #[test]
    fn hopf_points_bound_the_oscillating_range() {
        // Trace 1 − v² − εb = 0 at v = ±√(1 − 0.064) = ±0.96747; on the rest curve
        // I = (v + a)/b − v + v³/3: I_H = 0.3313 and 1.4188.
        let vh = (1.0f64 - 0.8 * 0.08).sqrt();
        let ih = |v: f64| (v + 0.7) / 0.8 - v + v.powi(3) / 3.0;
        let (lo, hi) = (ih(-vh), ih(vh));
        assert!(
            (lo - 0.3313).abs() < 1e-4 && (hi - 1.4188).abs() < 1e-4,
            "{lo} {hi}"
        );
        // Just inside the range the perturbed rest state grows into spiking; just outside it
        // decays (the lower Hopf point is subcritical, so start on the rest state itself).
        assert_eq!(spikes_from_rest(lo - 0.01, 2000.0), 0);
        assert!(spikes_from_rest(lo + 0.01, 2000.0) > 20);
        assert!(spikes_from_rest(hi - 0.01, 2000.0) > 20);
        assert_eq!(spikes_from_rest(hi + 0.01, 2000.0), 0);
    }

    /// Period at drive `i` from spike times of the model (interpolated crossing times).
    fn model_period(i: f64) -> f64 {
        let mut n = FitzHughNagumoNeuron::new();
        let mut t = Vec::new();
        for k in 0..6000 {
            let v0 = n.state().v;
            if n.step(i) {
                let v1 = n.state().v;
                t.push((k as f64 + (1.0 - v0) / (v1 - v0)) * 0.1);
            }
        }
        t[t.len() - 1] - t[t.len() - 2]
    }

    /// Period from an independent integration: Heun's method at step 0.001 (written here, not
    /// the model's RK4), crossings interpolated.
    fn reference_period(i: f64) -> f64 {
        let (a, b, e) = (0.7, 0.8, 0.08);
        let f = |v: f64, w: f64| (v - v * v * v / 3.0 - w + i, e * (v + a - b * w));
        let (mut v, mut w, h) = (-1.0f64, -0.5f64, 1e-3);
        let mut t = Vec::new();
        for k in 0..600_000 {
            let (dv, dw) = f(v, w);
            let (dv2, dw2) = f(v + h * dv, w + h * dw);
            let vn = v + 0.5 * h * (dv + dv2);
            w += 0.5 * h * (dw + dw2);
            if v < 1.0 && vn >= 1.0 {
                t.push((k as f64 + (1.0 - v) / (vn - v)) * h);
            }
            v = vn;
        }
        t[t.len() - 1] - t[t.len() - 2]
    }

    #[test]
    fn oscillation_periods() {
        // Spec §1.8 [computed]: ≈ 39.5 at I = 0.5 and ≈ 36.7 at I = 1.0.
        for (i, expected) in [(0.5, 39.5), (1.0, 36.7)] {
            let m = model_period(i);
            let r = reference_period(i);
            assert!((m - expected).abs() < 0.1, "I = {i}: period {m}");
            assert!((m - r).abs() < 0.01, "I = {i}: model {m}, reference {r}");
        }
    }
}
