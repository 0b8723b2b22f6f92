//! `ButeraRespiratoryNeuron` — model 1 of Butera, Rinzel & Smith (1999): a pre-Bötzinger
//! complex respiratory pacemaker whose bursts are driven by the slow inactivation of a
//! persistent Na⁺ current (I_NaP).
//!
//! **Equations** (BRS 1999 eqs. 1–7). C dV/dt = −I_NaP − I_Na − I_K − I_L − I_tonic + I_app + I_syn;
//! I_NaP = g_NaP m_p∞(V) h (V − E_Na); I_Na = g_Na m∞³(V)(1 − n)(V − E_Na); I_K = g_K n⁴ (V − E_K);
//! I_L = g_L (V − E_L); I_tonic = g_tonic (V − E_syn);
//! dn/dt = (n∞ − n)/τ_n, τ_n = τ̄_n/cosh((V − θ_n)/(2σ_n)); dh/dt = (h∞ − h)/τ_h,
//! τ_h = τ̄_h/cosh((V − θ_h)/(2σ_h)); x∞ = 1/(1 + e^{(V − θ_x)/σ_x}) with (θ, σ) = (−34, −5) for
//! m, (−40, −6) for m_p, (−29, −4) for n, (−48, 6) for h. No reset: the step returns `true`
//! when V crosses `v_threshold` (−20 mV) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.1 ms; the fastest rate,
//! (g_Na + g_K)/C ≈ 2 ms⁻¹, keeps h·λ ≤ 0.2); a standalone step spans `dt`, as SC-NeuroCore's
//! does. The crossing is tested after every substep.
//!
//! **Units.** V in mV, I in pA, conductances in nS, C in pF, t in ms.
//!
//! **Reference.** Butera, R.J., Rinzel, J. & Smith, J.C. (1999) "Models of respiratory rhythm
//! generation in the pre-Bötzinger complex. I. Bursting pacemaker neurons", J. Neurophysiol.
//! 82:382–397, doi:10.1152/jn.1999.82.1.382 (model 1: C = 21 pF, g_NaP = 2.8, g_Na = 28,
//! g_K = 11.2, g_L = 2.8 nS, E_Na = 50, E_K = −85, E_L = −65 mV, τ̄_n = 10 ms, τ̄_h = 10 s).
//!
//! **Relation to SC-NeuroCore** (spec §17). Same interface (`step(current)` in pA, one RK4
//! step of 0.1 ms), state (`v` −50, `n` 0.01, `h_nap` 0.5) and defaults; the newest version
//! (with C = 21 pF, g_tonic, E_syn = 0) is ported. Differences: τ̄_n is a parameter; the guards
//! (clamping V to [−200, 100] and gates to [0, 1] inside the derivative, floors on τ) are not
//! needed and not applied — RK4 at 0.1 ms keeps the gates in [0, 1]; the crossing is tested in
//! every substep; the conductance input of a network enters the current balance in every RK4
//! stage.
//!
//! **Paper fact tested.** BRS (1999): as the tonic excitatory conductance g_tonic grows the
//! pacemaker goes quiescent → bursting → beating. With C = 21 pF, E_syn = 0 (spec §17.8
//! [computed], re-derived in the test by an independent integration): silent at
//! g_tonic = 0.2 nS; at 0.3 nS regular bursts of 13 spikes separated by ≈ 4.45-s silences; tonic
//! ≈ 3.3 Hz at 0.5 nS and ≈ 14 Hz at 0.8 nS.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ButeraRespiratoryNeuron`].
    pub struct ButeraRespiratoryParams {
        /// Maximal fast Na⁺ conductance, g_Na [nS].
        g_na: f64 = 28.0,
        /// Maximal persistent Na⁺ conductance, g_NaP [nS].
        g_nap: f64 = 2.8,
        /// Maximal delayed-rectifier K⁺ conductance, g_K [nS].
        g_k: f64 = 11.2,
        /// Leak conductance, g_L [nS].
        g_l: f64 = 2.8,
        /// Membrane capacitance, C [pF].
        capacitance: f64 = 21.0,
        /// Na⁺ reversal potential, E_Na [mV].
        e_na: f64 = 50.0,
        /// K⁺ reversal potential, E_K [mV].
        e_k: f64 = -85.0,
        /// Leak reversal potential, E_L [mV].
        e_l: f64 = -65.0,
        /// Tonic excitatory synaptic conductance, g_tonic [nS].
        g_tonic: f64 = 0.0,
        /// Reversal potential of the tonic conductance, E_syn [mV].
        e_syn: f64 = 0.0,
        /// Maximal time constant of the I_NaP inactivation h, τ̄_h [ms].
        tau_h: f64 = 10_000.0,
        /// Maximal time constant of the K⁺ activation n, τ̄_n [ms].
        tau_n: f64 = 10.0,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [ms].
        dt: f64 = 0.1,
        /// Spike-detection level (upward crossing), V_th [mV].
        v_threshold: f64 = -20.0,
    }
}

impl ButeraRespiratoryParams {
    fn check(&self) -> Result<(), ParamError> {
        check::non_negative("g_na", self.g_na)?;
        check::non_negative("g_nap", self.g_nap)?;
        check::non_negative("g_k", self.g_k)?;
        check::non_negative("g_l", self.g_l)?;
        check::positive("capacitance", self.capacitance)?;
        check::non_negative("g_tonic", self.g_tonic)?;
        check::positive("tau_h", self.tau_h)?;
        check::positive("tau_n", self.tau_n)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`ButeraRespiratoryNeuron`].
    pub struct ButeraRespiratoryState {
        /// Membrane potential, V [mV].
        v: f64 => ButeraV,
        /// Delayed-rectifier K⁺ activation (and 1 − Na⁺ inactivation), n [1].
        n: f64 => ButeraN,
        /// Persistent Na⁺ inactivation, h [1].
        h_nap: f64 => ButeraH,
    }
}

/// Constants of [`ButeraRespiratoryNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ButeraRespiratoryConsts {
    p: ButeraRespiratoryParams,
    n: u32,
    h: f64,
}

/// Boltzmann function 1/(1 + e^{(V − θ)/σ}).
#[inline(always)]
fn boltzmann(v: f64, theta: f64, sigma: f64) -> f64 {
    sigmoid(-(v - theta) / sigma)
}

/// The vector field (dV/dt, dn/dt, dh/dt) at `y` with applied current `i` [pA] plus the
/// synaptic conductance input `x`.
#[inline(always)]
pub fn butera_rhs(
    p: &ButeraRespiratoryParams,
    y: &[f64; 3],
    i: f64,
    x: &Input<[f64; 1]>,
) -> [f64; 3] {
    let [v, n, h] = *y;
    let m = boltzmann(v, -34.0, -5.0);
    let i_nap = p.g_nap * boltzmann(v, -40.0, -6.0) * h * (v - p.e_na);
    let i_na = p.g_na * m * m * m * (1.0 - n) * (v - p.e_na);
    let n2 = n * n;
    let i_k = p.g_k * n2 * n2 * (v - p.e_k);
    let i_l = p.g_l * (v - p.e_l);
    let i_tonic = p.g_tonic * (v - p.e_syn);
    let tau_n = p.tau_n / ((v + 29.0) / 8.0).cosh();
    let tau_h = p.tau_h / ((v + 48.0) / 12.0).cosh();
    [
        (i + x.syn(v) - i_nap - i_na - i_k - i_l - i_tonic) / p.capacitance,
        (boltzmann(v, -29.0, -4.0) - n) / tau_n,
        (boltzmann(v, -48.0, 6.0) - h) / tau_h,
    ]
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn butera_step(
    k: &ButeraRespiratoryConsts,
    s: &mut ButeraRespiratoryState,
    x: &Input<[f64; 1]>,
) -> bool {
    let p = &k.p;
    let i = x.ports[0];
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.n, s.h_nap];
        rk4(&mut y, k.h, |y| butera_rhs(p, y, i, x));
        [s.v, s.n, s.h_nap] = y;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Butera–Rinzel–Smith (1999) model 1 pre-Bötzinger pacemaker (I_NaP bursting).
pub struct ButeraRespiratoryNeuron;
}

impl ButeraRespiratoryNeuron {
    /// Advance one step (0.1 ms by default) with applied current `current` [pA]; `true` if V
    /// crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ButeraRespiratoryNeuron {
    const NAME: &'static str = "ButeraRespiratoryNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str =
        "Butera-Rinzel-Smith (1999) model 1 pre-Botzinger pacemaker, persistent-Na bursting";
    const REFERENCE: &'static str =
        "Butera, Rinzel & Smith 1999, J Neurophysiol 82:382, doi:10.1152/jn.1999.82.1.382";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[40.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = ButeraRespiratoryParams;
    type State = ButeraRespiratoryState;
    type Consts = ButeraRespiratoryConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ButeraRespiratoryParams) -> ButeraRespiratoryState {
        ButeraRespiratoryState {
            v: -50.0,
            n: 0.01,
            h_nap: 0.5,
        }
    }
    fn standalone_span(p: &ButeraRespiratoryParams) -> f64 {
        p.dt
    }
    fn prepare(p: &ButeraRespiratoryParams, span: f64) -> ButeraRespiratoryConsts {
        let (n, h) = substeps(span, p.dt);
        ButeraRespiratoryConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &ButeraRespiratoryConsts,
        s: &mut ButeraRespiratoryState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        butera_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike times [ms] over `t_end` ms with tonic conductance `g_tonic`, I_app = 0.
    fn model_spikes(g_tonic: f64, t_end: f64) -> Vec<f64> {
        let p = ButeraRespiratoryParams {
            g_tonic,
            ..Default::default()
        };
        let mut n = ButeraRespiratoryNeuron::with_span(p, 1.0).unwrap();
        (0..t_end as usize)
            .filter(|_| n.step(0.0))
            .map(|k| k as f64)
            .collect()
    }

    /// Spike times [ms] from an independent integration (Heun, 0.01 ms), the equations
    /// written out with the paper's numbers.
    fn reference_spikes(g_tonic: f64, t_end: f64) -> Vec<f64> {
        let inf = |v: f64, th: f64, s: f64| 1.0 / (1.0 + ((v - th) / s).exp());
        let f = |v: f64, n: f64, h: f64| {
            let di = -2.8 * inf(v, -40.0, -6.0) * h * (v - 50.0)
                - 28.0 * inf(v, -34.0, -5.0).powi(3) * (1.0 - n) * (v - 50.0)
                - 11.2 * n.powi(4) * (v + 85.0)
                - 2.8 * (v + 65.0)
                - g_tonic * v;
            (
                di / 21.0,
                (inf(v, -29.0, -4.0) - n) * ((v + 29.0) / 8.0).cosh() / 10.0,
                (inf(v, -48.0, 6.0) - h) * ((v + 48.0) / 12.0).cosh() / 10_000.0,
            )
        };
        let (mut v, mut n, mut h, dt) = (-50.0f64, 0.01f64, 0.5f64, 0.01);
        let mut t = Vec::new();
        for k in 0..(t_end / dt) as usize {
            let (a1, b1, c1) = f(v, n, h);
            let (a2, b2, c2) = f(v + dt * a1, n + dt * b1, h + dt * c1);
            let vn = v + 0.5 * dt * (a1 + a2);
            n += 0.5 * dt * (b1 + b2);
            h += 0.5 * dt * (c1 + c2);
            if v < -20.0 && vn >= -20.0 {
                t.push(k as f64 * dt);
            }
            v = vn;
        }
        t
    }

    /// Burst sizes and silences (silences > 500 ms separate bursts), first burst dropped.
    fn bursts(t: &[f64]) -> (Vec<usize>, Vec<f64>) {
        let (mut sizes, mut gaps, mut cur) = (Vec::new(), Vec::new(), 1);
        for w in t.windows(2) {
            if w[1] - w[0] > 500.0 {
                sizes.push(cur);
                gaps.push(w[1] - w[0]);
                cur = 1;
            } else {
                cur += 1;
            }
        }
        (sizes.split_off(1.min(sizes.len())), gaps)
    }

    fn last_rate(t: &[f64]) -> f64 {
        1000.0 / (t[t.len() - 1] - t[t.len() - 2])
    }

    #[test]
    fn quiescent_then_bursting_then_beating_as_g_tonic_grows() {
        // g_tonic = 0.2 nS: silent (after the start-up transient).
        let t = model_spikes(0.2, 30_000.0);
        assert!(t.iter().all(|&x| x < 2000.0), "{} spikes", t.len());
        // 0.3 nS: regular bursts of 13 spikes, ≈ 4.45-s silences (spec §17.8 [computed]).
        let t = model_spikes(0.3, 40_000.0);
        let (sizes, gaps) = bursts(&t);
        assert!(sizes.len() >= 3, "{sizes:?}");
        assert!(sizes.iter().all(|&k| k == 13), "{sizes:?}");
        assert!(
            gaps[1..].iter().all(|g| (g - 4452.0).abs() < 20.0),
            "{gaps:?}"
        );
        let (ref_sizes, ref_gaps) = bursts(&reference_spikes(0.3, 20_000.0));
        assert_eq!(ref_sizes[0], sizes[0]);
        assert!(
            (ref_gaps[1] - gaps[1]).abs() < 5.0,
            "{ref_gaps:?} vs {gaps:?}"
        );
        // 0.5 nS: tonic ≈ 3.3 Hz; 0.8 nS: tonic ≈ 14.5 Hz.
        for (g, hz) in [(0.5, 3.3), (0.8, 14.5)] {
            let t = model_spikes(g, 10_000.0);
            let f = last_rate(&t);
            let r = last_rate(&reference_spikes(g, 10_000.0));
            assert!((f - r).abs() < 0.01 * r, "g_tonic {g}: {f} vs {r}");
            assert!((f - hz).abs() < 0.05 * hz, "g_tonic {g}: {f} Hz");
            assert!(t.windows(2).skip(3).all(|w| w[1] - w[0] < 500.0));
        }
    }
}
