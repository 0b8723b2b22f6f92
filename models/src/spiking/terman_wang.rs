//! `TermanWangOscillator` — the relaxation oscillator of LEGION (Terman & Wang 1995).
//!
//! **Equations.** dv/dt = 3v − v³ + 2 − w + I + ρ·ξ(t); dw/dt = ε[γ(1 + tanh(v/β)) − w], with
//! ξ Gaussian white noise. For I > 0 the unit oscillates (a relaxation cycle between the left
//! and right branches of the cubic v-nullcline); for I < 0 it is excitable, resting on the left
//! branch. No reset: the step returns `true` when v crosses `v_peak` (1.5) upward (the jump to
//! the right branch).
//!
//! **Numerics.** Classical RK4 for the drift in substeps of at most `dt` (0.05 time units; the
//! jumps are O(1) fast, the slow phases O(1/ε)); when ρ > 0 each substep adds the exact
//! increment of the additive noise, ρ√h·N(0, 1) (Euler–Maruyama, strong order 1 for additive
//! noise). The crossing is tested after every substep. A standalone step spans `dt`.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond and I is the value
//! of the `current` port.
//!
//! **Reference.** Terman, D. & Wang, D.L. (1995) "Global competition and local cooperation in
//! a network of neural oscillators", Physica D 81:148–176, doi:10.1016/0167-2789(94)00205-5;
//! Wang, D.L. & Terman, D. (1995) "Locally excitatory globally inhibitory oscillator networks",
//! IEEE Trans. Neural Netw. 6:283–286, doi:10.1109/72.363423. LEGION values: ε = 0.02,
//! γ = 6.0, β = 0.1, corroborated by pyclustering's LEGION implementation (repository
//! `annoviko/pyclustering`, file `pyclustering/nnet/legion.py`, "based on" Wang & Terman
//! 1995/1997: eps 0.02, gamma 6.0, betta 0.1); Scholarpedia's LEGION article (Wang, D.L. 2006)
//! gives the equations without these numbers; the Physica D paper's text itself was not
//! consulted.
//!
//! **Relation to SC-NeuroCore** (spec §8). Same interface (`step(current)`, event on v crossing
//! 1.5), state (`v`, `w` from −1.5, −0.5), parameter names (`alpha` is γ) and RK4 step of
//! 0.05. Differences, following the paper: (a) γ (`alpha`) defaults to 6.0 and β to 0.1, the
//! LEGION values above, instead of 3.0 and 0.2 (spec §8.7a); (b) ρ is the amplitude of a
//! Gaussian white-noise term, as in the paper, not a constant bias (spec §8.7b; a constant bias
//! is simply added to I). With γ = 3, β = 0.2 and ρ = 0 the model is SC-NeuroCore's.
//!
//! **Paper facts tested.** With I > 0 the unit oscillates and with I ≤ 0 it is silent
//! (Terman & Wang 1995); periods ≈ 227, 191, 146, 116 time units at I = 0.1, 0.2, 0.5, 1.0
//! (spec §8.8 [computed]), bracketed by the singular limit ε → 0 of the relaxation cycle:
//! T₀ = (1/ε)[ln((4 + I)/I) + ln((2γ − I)/(2γ − 4 − I))] (slow flow dw/dt = −εw on the left
//! branch from w = 4 + I to I, dw/dt = ε(2γ − w) on the right branch back, derived here), which
//! the finite-ε period exceeds by 10–13 %.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`TermanWangOscillator`].
    pub struct TermanWangParams {
        /// Height of the w-nullcline step, γ [1].
        alpha: f64 = 6.0,
        /// Steepness of the w-nullcline step, β [1].
        beta: f64 = 0.1,
        /// Time-scale ratio of the slow variable, ε [1].
        epsilon: f64 = 0.02,
        /// Amplitude of the Gaussian white noise on v, ρ [1/√time unit].
        rho: f64 = 0.0,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [time units; ms in a network].
        dt: f64 = 0.05,
        /// Event level (upward crossing of v), v_peak [1].
        v_peak: f64 = 1.5,
    }
}

impl TermanWangParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("beta", self.beta)?;
        check::positive("epsilon", self.epsilon)?;
        check::non_negative("rho", self.rho)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`TermanWangOscillator`].
    pub struct TermanWangState {
        /// Excitatory (fast) variable, v [1].
        v: f64 => TwV,
        /// Inhibitory (slow) variable, w [1].
        w: f64 => TwW,
    }
}

/// Constants of [`TermanWangOscillator`] for one step.
#[derive(Clone, Debug)]
pub struct TermanWangConsts {
    p: TermanWangParams,
    n: u32,
    h: f64,
    /// ρ√h: standard deviation of the noise increment of one substep.
    noise: f64,
}

/// One step: `k.n` RK4 substeps (plus the noise increment), the crossing tested after each.
#[inline(always)]
pub fn tw_step(k: &TermanWangConsts, s: &mut TermanWangState, i: f64, rng: &mut NeuronRng) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut y = [s.v, s.w];
        rk4(&mut y, k.h, |y| {
            let [v, w] = *y;
            [
                3.0 * v - v * v * v + 2.0 - w + i,
                p.epsilon * (p.alpha * (1.0 + (v / p.beta).tanh()) - w),
            ]
        });
        [s.v, s.w] = y;
        if k.noise > 0.0 {
            s.v += k.noise * rng.normal();
        }
        if before < p.v_peak && s.v >= p.v_peak {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Terman–Wang relaxation oscillator (LEGION unit).
pub struct TermanWangOscillator;
}

impl TermanWangOscillator {
    /// Advance one step (0.05 time units by default) with input `current` [1]; `true` if v
    /// crossed `v_peak` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for TermanWangOscillator {
    const NAME: &'static str = "TermanWangOscillator";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "Terman-Wang relaxation oscillator (LEGION unit)";
    const REFERENCE: &'static str =
        "Terman & Wang 1995, Physica D 81:148, doi:10.1016/0167-2789(94)00205-5";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.5];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = TermanWangParams;
    type State = TermanWangState;
    type Consts = TermanWangConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &TermanWangParams) -> TermanWangState {
        TermanWangState { v: -1.5, w: -0.5 }
    }
    fn standalone_span(p: &TermanWangParams) -> f64 {
        p.dt
    }
    fn prepare(p: &TermanWangParams, span: f64) -> TermanWangConsts {
        let (n, h) = substeps(span, p.dt);
        TermanWangConsts {
            p: p.clone(),
            n,
            h,
            noise: p.rho * h.sqrt(),
        }
    }
    #[inline(always)]
    fn update(
        k: &TermanWangConsts,
        s: &mut TermanWangState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        tw_step(k, s, x.ports[0], rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Event times (units) over `t_end` at input `i`, crossings interpolated.
    fn events(p: TermanWangParams, i: f64, t_end: f64) -> Vec<f64> {
        let mut n = TermanWangOscillator::with_params(p).unwrap();
        let mut t = Vec::new();
        for k in 0..(t_end / 0.05) as usize {
            let v0 = n.state().v;
            if n.step(i) {
                let v1 = n.state().v;
                t.push((k as f64 + (1.5 - v0) / (v1 - v0)) * 0.05);
            }
        }
        t
    }

    #[test]
    fn oscillates_for_positive_input_only() {
        // Terman & Wang 1995: I > 0 oscillatory, I < 0 excitable (one event from the start-up
        // transient, none later).
        for i in [-0.1, -0.01, 0.0] {
            let t = events(TermanWangParams::default(), i, 3000.0);
            assert!(t.iter().all(|&t| t < 100.0), "I = {i}: {t:?}");
        }
        assert!(events(TermanWangParams::default(), 0.05, 3000.0).len() > 5);
    }

    #[test]
    fn periods_and_their_singular_limit() {
        let (eps, gamma) = (0.02, 6.0);
        for (i, expected) in [(0.1, 227.0), (0.2, 191.0), (0.5, 146.0), (1.0, 116.0)] {
            let t = events(TermanWangParams::default(), i, 2500.0);
            let period = t[t.len() - 1] - t[t.len() - 2];
            // Spec §8.8 [computed].
            assert!(
                (period - expected).abs() < 0.01 * expected,
                "I = {i}: {period}"
            );
            let t0 =
                (((4.0 + i) / i).ln() + ((2.0 * gamma - i) / (2.0 * gamma - 4.0 - i)).ln()) / eps;
            let ratio = period / t0;
            assert!(
                (1.0..1.2).contains(&ratio),
                "I = {i}: period {period}, singular limit {t0}"
            );
        }
    }

    #[test]
    fn rho_is_white_noise_that_can_trigger_excitable_units() {
        let p = TermanWangParams {
            rho: 0.5,
            ..Default::default()
        };
        let run = |seed: u64| {
            let mut n = TermanWangOscillator::with_params(p.clone()).unwrap();
            n.set_seed(seed, 0);
            (0..100_000usize)
                .filter(|_| n.step(-0.02))
                .map(|k| k as u32)
                .collect::<Vec<_>>()
        };
        let (a, b) = (run(1), run(2));
        assert_ne!(a, b);
        // Noise-induced events after the start-up, absent without noise (test above).
        assert!(a.iter().filter(|&&k| k > 2000).count() > 3, "{a:?}");
    }
}
