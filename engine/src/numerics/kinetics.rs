//! Shared kinetics of conductance-based (Hodgkin–Huxley type) models.
//!
//! What every biophysical model of the catalogue needs, written once:
//!
//! - rate functions: [`lin`](super::lin) (the `x/(1 − e^(−x/k))` rate with its removable limit),
//!   [`boltzmann`] (steady-state gates), [`q10`] (temperature factors);
//! - gates in either form, [`Gate::rates`] (α, β) or [`Gate::relax`] (x∞, τ), and the two
//!   integrators of a whole conductance-based state, [`conductance_substep`]: classical RK4, or
//!   exponential Euler (Rush–Larsen gates, exponential-Euler voltage), chosen by a
//!   [`Method`] parameter validated with [`check_method`];
//! - the "advance in substeps and detect an upward threshold crossing on every substep" loop,
//!   [`substeps_detect`], and the crossing test itself, [`crossed`].
//!
//! All functions are branch-free on the neuron's state (selects, not jumps), so loops over
//! neurons that call them vectorise.

use super::{Method, exp, method, rk4};
use crate::model::{Block, Input, Model, ParamError};
use crate::numerics::rng::NeuronRng;

/// Boltzmann (logistic) steady state `1/(1 + e^(−(v − v_half)/k))`: an activation curve for
/// `k > 0`, an inactivation curve for `k < 0`.
#[inline(always)]
pub fn boltzmann(v: f64, v_half: f64, k: f64) -> f64 {
    1.0 / (1.0 + exp(-(v - v_half) / k))
}

/// Temperature factor `q10^((celsius − reference)/10)` of rates measured at `reference` °C.
#[inline(always)]
pub fn q10(q10: f64, celsius: f64, reference: f64) -> f64 {
    q10.powf((celsius - reference) / 10.0)
}

/// `true` if a variable went from below `threshold` to at or above it: an upward crossing.
#[inline(always)]
pub fn crossed(before: f64, after: f64, threshold: f64) -> bool {
    (before < threshold) & (after >= threshold)
}

/// Advance a state by `n` substeps with `substep`, testing after each for an upward crossing of
/// `threshold` by the variable `v` reads; `true` if any substep crossed. The loop every
/// substepping model runs (spikes are detected on every substep, not only between steps).
#[inline(always)]
pub fn substeps_detect<S>(
    n: u32,
    s: &mut S,
    threshold: f64,
    v: impl Fn(&S) -> f64,
    mut substep: impl FnMut(&mut S),
) -> bool {
    let mut spiked = false;
    for _ in 0..n {
        let before = v(s);
        substep(s);
        spiked |= crossed(before, v(s), threshold);
    }
    spiked
}

/// A gating variable's kinetics at one voltage: dx/dt = α(1 − x) − βx.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gate {
    /// Opening rate α [1/ms].
    pub alpha: f64,
    /// Closing rate β [1/ms].
    pub beta: f64,
}

impl Gate {
    /// A gate that does not move (for variables held elsewhere, e.g. an instantaneous m):
    /// a closing rate of the smallest normal number, so both updates leave it exactly where it
    /// is (its drift is below one ulp of any gate value) without a select in the hot path.
    pub const FROZEN: Gate = Gate {
        alpha: 0.0,
        beta: f64::MIN_POSITIVE,
    };

    /// From opening and closing rates.
    #[inline(always)]
    pub fn rates(alpha: f64, beta: f64) -> Gate {
        Gate { alpha, beta }
    }

    /// From steady state `inf` and time constant `tau` (ms) (α = x∞/τ, β = (1 − x∞)/τ).
    #[inline(always)]
    pub fn relax(inf: f64, tau: f64) -> Gate {
        let r = 1.0 / tau;
        Gate {
            alpha: inf * r,
            beta: (1.0 - inf) * r,
        }
    }

    /// dx/dt at `x`.
    #[inline(always)]
    pub fn deriv(self, x: f64) -> f64 {
        self.alpha * (1.0 - x) - self.beta * x
    }

    /// Rush–Larsen update of `x` over `h`: exact for frozen rates; a frozen gate keeps `x`.
    /// Needs α + β > 0 (every real gate; [`Gate::FROZEN`] too).
    #[inline(always)]
    pub fn advance(self, x: f64, h: f64) -> f64 {
        let s = self.alpha + self.beta;
        let x_inf = self.alpha / s;
        x_inf + (x - x_inf) * exp(-h * s)
    }
}

/// The membrane of a conductance-based model at one state, as its model describes it to
/// [`conductance_substep`].
#[derive(Clone, Copy, Debug)]
pub struct Currents<const N: usize> {
    /// Total ionic current Σ gₖ(V − Eₖ) at the state's voltage [µA/cm²] (RK4 uses it).
    pub i_ion: f64,
    /// Total ionic conductance Σ gₖ (gate powers applied) [mS/cm²] (exponential Euler).
    pub g: f64,
    /// Σ gₖ·Eₖ [mS/cm² · mV] (exponential Euler).
    pub ge: f64,
    /// The kinetics of state variables 1..N (index 0, the voltage, is ignored).
    pub gates: [Gate; N],
}

/// One substep of length `h` of a conductance-based state `y` (`y[0]` the voltage, `y[1..]`
/// gates) with membrane capacitance `c_m`, injected current `i_ext` and synaptic conductances
/// `g_syn`, `ge_syn` (the current Σ g(E − V) at the voltage the integrator is at), for
/// integrator `M` ([`method::RK4`], or exponential Euler for any other code):
///
/// - RK4: C dV/dt = i_ext + ge_syn − g_syn·V − i_ion(y), gates by [`Gate::deriv`];
/// - exponential Euler: conductances frozen at the substep's start, V relaxes exactly toward
///   (Σ g E + ge_syn + i_ext)/(Σ g + g_syn), gates by [`Gate::advance`].
///
/// `f` describes the membrane at a state; it is called once per RK stage. Mark it
/// `#[inline(always)]`: an outlined closure here keeps the neuron loop from vectorising
/// (measured on COBAHH: 1.1 s with everything inlined, 2.7–4.0 s without).
// Index loops over 1..N: an iterator chain here (zip/skip over the gate array) kept the
// compiler from unrolling it and the neuron loop from vectorising (COBAHH 1.1 s -> 4.0 s).
#[allow(clippy::needless_range_loop)]
#[inline(always)]
pub fn conductance_substep<const N: usize, const M: u8>(
    y: &mut [f64; N],
    h: f64,
    c_m: f64,
    i_ext: f64,
    g_syn: f64,
    ge_syn: f64,
    f: impl Fn(&[f64; N]) -> Currents<N>,
) {
    if M == method::RK4 {
        rk4(
            y,
            h,
            #[inline(always)]
            |y| {
                let c = f(y);
                let v = y[0];
                let mut d = [0.0; N];
                d[0] = (i_ext + ge_syn - g_syn * v - c.i_ion) / c_m;
                for k in 1..N {
                    d[k] = c.gates[k].deriv(y[k]);
                }
                d
            },
        );
    } else {
        let c = f(y);
        let g = c.g + g_syn;
        let a = c.ge + ge_syn + i_ext;
        y[0] = super::linear_relax(y[0], a / c_m, g / c_m, h);
        for k in 1..N {
            y[k] = c.gates[k].advance(y[k], h);
        }
    }
}

/// Refuse integrators a model does not support: `allowed` lists those it does; `why` says
/// why the others are refused (e.g. "forward Euler is unstable for these kinetics").
pub fn check_method(
    name: &str,
    m: Method,
    allowed: &[Method],
    why: &str,
) -> Result<(), ParamError> {
    if allowed.contains(&m) {
        Ok(())
    } else {
        let names: Vec<String> = allowed
            .iter()
            .map(|a| format!("\"{}\"", crate::model::ParamField::display(a)))
            .collect();
        Err(ParamError::new(
            name,
            format!("{why}; use {}", names.join(" or ")),
        ))
    }
}

/// A model whose step is a number of substeps of one integrator-generic substep (the
/// conductance-based models): it supplies the substep, and [`method_step`] /
/// [`method_block`] do the rest — the substep loop with a crossing test on each substep, and
/// the integrator branch taken once (per step, or per block of neurons in the batch path, where
/// a step of one substep then runs a loop without an inner loop, which vectorises).
pub trait MethodSubstep: Model<Output = bool> {
    /// The integrator the constants chose (forward Euler runs the exponential-Euler arm).
    fn method(k: &Self::Consts) -> Method;
    /// Substeps per step.
    fn substeps(k: &Self::Consts) -> u32;
    /// One substep with integrator `M`; `true` on an upward threshold crossing.
    fn substep<const M: u8>(
        k: &Self::Consts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> bool;
}

/// One step of `T` with integrator `M`: its substeps, `true` if any crossed.
#[inline(always)]
pub fn method_step_with<T: MethodSubstep, const M: u8>(
    k: &T::Consts,
    s: &mut T::State,
    x: &Input<T::Ports>,
    rng: &mut NeuronRng,
) -> bool {
    let mut spiked = false;
    for _ in 0..T::substeps(k) {
        spiked |= T::substep::<M>(k, s, x, rng);
    }
    spiked
}

/// One step of `T` with the integrator its constants chose: `T`'s `Model::update`.
#[inline(always)]
pub fn method_step<T: MethodSubstep>(
    k: &T::Consts,
    s: &mut T::State,
    x: &Input<T::Ports>,
    rng: &mut NeuronRng,
) -> bool {
    if T::method(k) == Method::Rk4 {
        method_step_with::<T, { method::RK4 }>(k, s, x, rng)
    } else {
        method_step_with::<T, { method::EXP_EULER }>(k, s, x, rng)
    }
}

/// A block of `T` with the integrator and substep-count branches taken once for the block:
/// `T`'s `Model::update_block`. Runs exactly the code [`method_step`] runs per neuron.
#[inline(always)]
pub fn method_block<T: MethodSubstep, B: Block<T>>(k: &T::Consts, block: &mut B) {
    #[inline(always)]
    fn run<T: MethodSubstep, B: Block<T>, const M: u8>(k: &T::Consts, block: &mut B) {
        if T::substeps(k) == 1 {
            block.for_each(
                #[inline(always)]
                |s, x, rng| T::substep::<M>(k, s, x, rng),
            )
        } else {
            block.for_each(
                #[inline(always)]
                |s, x, rng| method_step_with::<T, M>(k, s, x, rng),
            )
        }
    }
    if T::method(k) == Method::Rk4 {
        run::<T, B, { method::RK4 }>(k, block)
    } else {
        run::<T, B, { method::EXP_EULER }>(k, block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boltzmann_is_half_at_its_midpoint_and_has_slope_one_over_4k() {
        assert!((boltzmann(-40.0, -40.0, 5.0) - 0.5).abs() < 1e-15);
        // d/dv at the midpoint of 1/(1+e^(−(v−v½)/k)) is 1/(4k).
        let d = (boltzmann(-40.0 + 1e-5, -40.0, 5.0) - boltzmann(-40.0 - 1e-5, -40.0, 5.0)) / 2e-5;
        assert!((d - 1.0 / 20.0).abs() < 1e-8, "{d}");
        // Inactivation (k < 0) falls with v.
        assert!(boltzmann(0.0, -40.0, -5.0) < 1e-3);
    }

    #[test]
    fn q10_of_three_over_ten_degrees_is_three() {
        assert!((q10(3.0, 36.0, 26.0) - 3.0).abs() < 1e-14);
        assert!((q10(3.0, 6.3, 6.3) - 1.0).abs() < 1e-15);
        // Destexhe et al. 1998 T-current: Q10 3 from 24 to 36 °C gives 3^1.2 = 3.7372.
        assert!((q10(3.0, 36.0, 24.0) - 3.737_192_818_846_552).abs() < 1e-12);
    }

    #[test]
    fn gate_in_either_form_relaxes_exactly_and_frozen_stays() {
        // x∞ = 0.25, τ = 2: after h = 2 the distance to 0.25 shrinks by e^-1.
        let x = Gate::relax(0.25, 2.0).advance(1.0, 2.0);
        assert!((x - (0.25 + 0.75 * (-1.0f64).exp())).abs() < 1e-15);
        let y = Gate::rates(1.0, 3.0).advance(1.0, 0.25);
        assert!((y - (0.25 + 0.75 * (-1.0f64).exp())).abs() < 1e-15);
        assert_eq!(Gate::FROZEN.advance(0.7, 1.0), 0.7);
        // Its drift moves no gate value by even one ulp over any substep.
        assert_eq!(0.7 + 1.0 * Gate::FROZEN.deriv(0.7), 0.7);
    }

    #[test]
    fn crossing_detection_counts_upward_crossings_on_every_substep() {
        // A sawtooth rising 0.3 per substep and wrapping at 1 crosses 0.5 once per period:
        // 10 substeps from 0 cross at substeps 2, 5 and 9 (values 0.6, 0.5, 0.7 after wrap).
        let mut hits = 0;
        let mut x = 0.0f64;
        for _ in 0..10 {
            if substeps_detect(1, &mut x, 0.5, |x| *x, |x| *x = (*x + 0.3) % 1.0) {
                hits += 1;
            }
        }
        assert_eq!(hits, 3);
        // Within one call of many substeps a crossing that comes and goes is still seen.
        let mut x = 0.0f64;
        assert!(substeps_detect(
            4,
            &mut x,
            0.5,
            |x| *x,
            |x| *x = (*x + 0.3) % 1.0
        ));
        assert!(!crossed(0.5, 0.9, 0.5) && crossed(0.49, 0.5, 0.5) && !crossed(0.6, 0.4, 0.5));
    }

    #[test]
    fn both_integrators_relax_a_passive_membrane_to_its_closed_form() {
        // C dV/dt = −g(V − E) + I: V(t) = V∞ + (V0 − V∞)e^(−g t/C), V∞ = E + I/g.
        let (c, g, e, i) = (2.0, 0.5, -70.0, 5.0);
        let f = |y: &[f64; 1]| Currents {
            i_ion: g * (y[0] - e),
            g,
            ge: g * e,
            gates: [Gate::FROZEN],
        };
        let exact = |t: f64| (e + i / g) + (-50.0 - (e + i / g)) * (-g * t / c).exp();
        let mut y = [-50.0];
        for _ in 0..100 {
            conductance_substep::<1, { method::RK4 }>(&mut y, 0.1, c, i, 0.0, 0.0, f);
        }
        assert!((y[0] - exact(10.0)).abs() < 1e-7, "rk4 {}", y[0]); // global error ~ t·(gh/C)⁴/120
        let mut y = [-50.0];
        for _ in 0..100 {
            conductance_substep::<1, { method::EXP_EULER }>(&mut y, 0.1, c, i, 0.0, 0.0, f);
        }
        assert!((y[0] - exact(10.0)).abs() < 1e-9, "exp_euler {}", y[0]);
    }

    #[test]
    fn check_method_names_the_allowed_choices() {
        let ok = check_method("method", Method::Rk4, &[Method::Rk4, Method::ExpEuler], "x");
        assert!(ok.is_ok());
        let err = check_method(
            "method",
            Method::Euler,
            &[Method::Rk4, Method::ExpEuler],
            "forward Euler is unstable here",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("method") && err.contains("\"rk4\" or \"exp_euler\""),
            "{err}"
        );
    }
}
