//! `SFANeuron` — leaky integrate-and-fire neuron with spike-frequency adaptation by a
//! spike-triggered, exponentially decaying potassium-like conductance.
//!
//! **Equations.** τ_m dv/dt = −(v − v_rest) − g(v − E_K) + R·(I + I_syn(v)); dg/dt = −g/τ_sfa,
//! with g in units of the leak conductance and I_syn(v) = Σ gₖ(Eₖ − v) from conductance
//! receptors. If v ≥ θ: v ← v_reset, g ← g + Δg, spike. No refractory period, no noise.
//!
//! **Numerics.** g decays exactly, g(t) = g·e^(−t/τ_sfa). For v, each substep of at most
//! `substep` ms (0.1 ms default) is an exponential-midpoint step: with g frozen at its exact
//! mid-substep value the v equation is linear and is advanced by its exact relaxation
//! (second-order accurate, unconditionally stable). The threshold is tested after every
//! substep and the reset applied there. A standalone step spans `dt` = 1 ms, as SC-NeuroCore's
//! does.
//!
//! **Units.** v in mV, τ in ms, R in MΩ, I in nA (R·I in mV), g dimensionless (relative to the
//! leak conductance), receptor conductances in µS.
//!
//! **Reference.** Benda, J. & Herz, A.V.M. (2003) "A universal model for spike-frequency
//! adaptation", Neural Comput. 15:2523–2564, doi:10.1162/089976603322385063 (the class of
//! adapting neurons; this conductance form is the mechanistic instance they analyse, e.g.
//! Liu & Wang 2001, J. Comput. Neurosci. 10:25–45, doi:10.1023/A:1008916026143).
//!
//! **Relation to SC-NeuroCore** (spec §6). Same interface (`step(current)`, state `v`,
//! `g_sfa`, defaults v_rest = v_reset −70, θ −50, τ_m 10, τ_sfa 200, Δg 0.5, E_K −80, R 1,
//! dt 1 ms). Differences: (a) the exact g decay and exponential-midpoint v update in 0.1-ms
//! substeps, with the threshold tested on every substep, replace one coupled RK4 step of 1 ms
//! (which tests the threshold once per millisecond); (b) SC-NeuroCore's safety envelope
//! (v within [−200, 100] mV, g ≤ 10⁹) is not needed: the exact relaxation cannot leave the
//! range spanned by v, v_reset and v∞; non-finite inputs are still refused; (c) conductance
//! receptors are supported.
//!
//! **Paper facts tested.** (1) Without adaptation yet (g = 0) the first interval is the LIF
//! onset interval τ_m ln(RI/(RI − (θ − v_rest))) (Gerstner et al. 2014 §1.3), i.e. the onset
//! rate f₀(I); (2) the rate then decays to a lower steady rate f∞ (Benda & Herz 2003) with an
//! effective time constant shorter than τ_sfa; (3) in the steady state the time-averaged
//! conductance is ⟨g⟩ = Δg·τ_sfa·f∞ (each spike adds Δg, which integrates to Δg·τ_sfa).

use super::perfect_integrator::linear_flow;
use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`SFANeuron`].
    pub struct SFAParams {
        /// Resting potential, v_rest [mV].
        v_rest: f64 = -70.0,
        /// Reset potential, v_reset [mV].
        v_reset: f64 = -70.0,
        /// Spike threshold, θ [mV].
        v_threshold: f64 = -50.0,
        /// Membrane time constant, τ_m [ms].
        tau_m: f64 = 10.0,
        /// Adaptation time constant, τ_sfa [ms].
        tau_sfa: f64 = 200.0,
        /// Adaptation increment per spike, Δg (relative to the leak conductance) [1].
        delta_g: f64 = 0.5,
        /// Potassium reversal potential, E_K [mV].
        e_k: f64 = -80.0,
        /// Membrane resistance, R [MΩ].
        resistance: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
        /// Largest internal substep, h [ms].
        substep: f64 = 0.1,
    }
}

impl SFAParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_m", self.tau_m)?;
        check::positive("tau_sfa", self.tau_sfa)?;
        check::non_negative("delta_g", self.delta_g)?;
        check::positive("resistance", self.resistance)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::less("v_reset", self.v_reset, "v_threshold", self.v_threshold)
    }
}

neuron_state! {
    /// State of [`SFANeuron`].
    pub struct SFAState {
        /// Membrane potential, v [mV].
        v: f64 => SfaV,
        /// Adaptation conductance, g (relative to the leak conductance) [1].
        g_sfa: f64 => SfaG,
    }
}

/// Constants of [`SFANeuron`] for one step.
#[derive(Clone, Debug)]
pub struct SFAConsts {
    n: u32,
    h: f64,
    decay_half: f64,
    decay: f64,
    inv_tau: f64,
    r_over_tau: f64,
    v_rest: f64,
    v_reset: f64,
    v_threshold: f64,
    e_k: f64,
    delta_g: f64,
}

/// One step: `k.n` exponential-midpoint substeps with threshold and reset after each.
#[inline(always)]
pub fn sfa_step(k: &SFAConsts, s: &mut SFAState, x: &Input<[f64; 1]>) -> bool {
    let mut spiked = false;
    let drive = (x.ports[0] + x.ge) * k.r_over_tau;
    let leak = k.inv_tau + x.g * k.r_over_tau;
    for _ in 0..k.n {
        let g_mid = s.g_sfa * k.decay_half;
        let a = (k.v_rest + g_mid * k.e_k) * k.inv_tau + drive;
        let b = leak + g_mid * k.inv_tau;
        s.v = linear_flow(s.v, k.h, a, b);
        s.g_sfa *= k.decay;
        if s.v >= k.v_threshold {
            s.v = k.v_reset;
            s.g_sfa += k.delta_g;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// LIF with spike-frequency adaptation (spike-triggered decaying K conductance).
pub struct SFANeuron;
}

impl SFANeuron {
    /// Advance one step (`dt`, 1 ms by default) with injected current `current` [nA]; `true`
    /// on a spike. A non-finite current is refused: the state is kept and no spike returned.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for SFANeuron {
    const NAME: &'static str = "SFANeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "LIF with spike-frequency adaptation (spike-triggered K conductance)";
    const REFERENCE: &'static str =
        "Benda & Herz 2003, Neural Comput 15:2523, doi:10.1162/089976603322385063";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[30.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = SFAParams;
    type State = SFAState;
    type Consts = SFAConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &SFAParams) -> SFAState {
        SFAState {
            v: p.v_rest,
            g_sfa: 0.0,
        }
    }
    fn standalone_span(p: &SFAParams) -> f64 {
        p.dt
    }
    fn prepare(p: &SFAParams, span: f64) -> SFAConsts {
        let (n, h) = substeps(span, p.substep);
        SFAConsts {
            n,
            h,
            decay_half: (-0.5 * h / p.tau_sfa).exp(),
            decay: (-h / p.tau_sfa).exp(),
            inv_tau: 1.0 / p.tau_m,
            r_over_tau: p.resistance / p.tau_m,
            v_rest: p.v_rest,
            v_reset: p.v_reset,
            v_threshold: p.v_threshold,
            e_k: p.e_k,
            delta_g: p.delta_g,
        }
    }
    #[inline(always)]
    fn update(k: &SFAConsts, s: &mut SFAState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        sfa_step(k, s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike times (ms) over `t_ms` at constant current, on a 0.1-ms grid, and the time
    /// average of g over (t_avg, t_ms] (g sampled at the start of every 0.1-ms step: a left
    /// Riemann sum of an exponential decay, relative error h/2τ_sfa = 2.5·10⁻⁴).
    fn run(i: f64, t_ms: f64, t_avg: f64) -> (Vec<f64>, f64) {
        let mut n = SFANeuron::with_span(SFAParams::default(), 0.1).unwrap();
        let steps = (t_ms / 0.1).round() as usize;
        let (mut times, mut g_sum, mut g_n) = (Vec::new(), 0.0, 0usize);
        for k in 1..=steps {
            if k as f64 * 0.1 > t_avg {
                g_sum += n.state().g_sfa;
                g_n += 1;
            }
            if n.step(i) {
                times.push(k as f64 * 0.1);
            }
        }
        (times, g_sum / g_n.max(1) as f64)
    }

    #[test]
    fn first_interval_is_the_lif_onset_interval() {
        // g = 0 before the first spike: T₀ = τ_m ln(RI/(RI − 20 mV)) = 10 ln 3 = 10.99 ms at
        // I = 30 nA (R = 1 MΩ), so the first spike is on the 0.1-ms step ⌈109.86⌉ = 110.
        let (t, _) = run(30.0, 50.0, 0.0);
        let t0 = 10.0 * 3.0f64.ln();
        assert!((t[0] - (t0 / 0.1).ceil() * 0.1).abs() < 1e-9, "{t:?}");
    }

    #[test]
    fn rate_adapts_to_a_lower_steady_rate_faster_than_tau_sfa() {
        // Benda & Herz 2003: f relaxes from the onset rate f₀ to f∞ < f₀ roughly exponentially,
        // with an effective time constant below τ_sfa (200 ms).
        let (t, _) = run(30.0, 3000.0, 0.0);
        let rate = |k: usize| 1000.0 / (t[k + 1] - t[k]); // Hz, at spike k
        let f0 = rate(0);
        let n = t.len();
        let f_inf = (n - 1 - n / 2) as f64 * 1000.0 / (t[n - 1] - t[n / 2]);
        assert!(f_inf < 0.6 * f0, "f0 {f0} Hz, f∞ {f_inf} Hz");
        // Time at which the drop f0 − f reaches (1 − 1/e) of f0 − f∞.
        let target = f0 - (1.0 - (-1.0f64).exp()) * (f0 - f_inf);
        let k = (0..n - 1).find(|&k| rate(k) <= target).unwrap();
        assert!(
            t[k] > 5.0 && t[k] < 200.0,
            "effective time constant {} ms",
            t[k]
        );
        // Monotone adaptation (intervals never shorten by more than the grid).
        assert!(
            t.windows(3)
                .take(30)
                .all(|w| w[2] - w[1] >= w[1] - w[0] - 0.11)
        );
    }

    #[test]
    fn mean_conductance_is_increment_times_tau_times_rate() {
        // Steady state: ⟨g⟩ = Δg·τ_sfa·f∞ (f in 1/ms), here over 20 s after a 2-s transient.
        for i in [25.0, 30.0, 60.0] {
            let (t, g_mean) = run(i, 22_000.0, 2000.0);
            let f = t.iter().filter(|&&s| s > 2000.0).count() as f64 / 20_000.0;
            let predicted = 0.5 * 200.0 * f;
            assert!(
                (g_mean - predicted).abs() < 0.01 * predicted,
                "I = {i}: ⟨g⟩ {g_mean} vs Δg·τ·f {predicted}"
            );
        }
    }
}
