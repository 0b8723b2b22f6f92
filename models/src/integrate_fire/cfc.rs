//! `ClosedFormContinuousNeuron` — a spiking unit whose state follows the closed-form
//! continuous-time (CfC) solution of Hasani et al. (2022) between spikes.
//!
//! **Equations.** CfC (Hasani et al. 2022, eq. 10): x(t) = σ(−f·t)·g + [1 − σ(−f·t)]·h, with
//! heads f (a rate), g and h computed from the input and t the time elapsed since the start of
//! the interval; x = (g + h)/2 at t = 0 and x → h as t → ∞ for f > 0. Here, for one unit:
//! f(I) = 1/τ(I), τ(I) = max(τ_base·σ(w_τ·I + b), 0.1) (the input-dependent "liquid" time
//! constant), h(I) = tanh(w_in·I) (the target) and g a constant head (weight 0 on the input).
//! The unit fires when x ≥ θ and then restarts the closed form: t ← 0, so x ← (g + h)/2.
//! While the input is constant, eq. 10 is the solution of the logistic flow
//! dx/dt = f·(x − h)(x − g)/(g − h); with u = (x − h)/(g − h) it advances exactly over any time
//! Δt as u ← u·e^(−fΔt)/(1 − u·(1 − e^(−fΔt))), so a step continues eq. 10 from the current x
//! when the input changes. Since g ≤ −1 < h, x stays above g and the update is always defined.
//!
//! **Numerics.** Exact for input held over a substep (the semigroup form of eq. 10); the
//! threshold is tested after every substep of at most `substep` (0.1) time units. A standalone
//! step spans `dt` = 1 time unit as in SC-NeuroCore; in a network one time unit is 1 ms.
//!
//! **Units.** Dimensionless state and input; time in time units (1 ms in a network).
//!
//! **Reference.** Hasani, R., Lechner, M., Amini, A., Liebenwein, L., Ray, A., Tschaikowski, M.,
//! Teschl, G. & Rus, D. (2022) "Closed-form continuous-time neural networks", Nat. Mach. Intell.
//! 4(11):992–1003, doi:10.1038/s42256-022-00556-7.
//!
//! **Relation to SC-NeuroCore** (spec §18). Same class name, `step(current)` → spike and state
//! `x`; parameters `tau_base`, `w_tau`, `bias`, `w_in`, `v_threshold`, `dt` keep their names.
//! SC-NeuroCore's unit (cited to Canavier 1993 by mistake) is an LTC-style exponential
//! relaxation x ← x·e^(−dt/τ) + tanh(w_x·x + w_in·I)·(1 − e^(−dt/τ)), which is not CfC and, with
//! its defaults, can never reach its threshold 1 (|tanh| < 1). Here: (a) between spikes x
//! follows the paper's eq. 10 (gate σ(−f·t) between the heads g and h) instead of an
//! exponential; (b) CfC is a non-spiking RNN cell: the spike (x ≥ θ, restart at t = 0) is this
//! unit's addition, as the spec asks; (c) the target head has no recurrent weight (SC-NeuroCore's
//! `w_x` is dropped: a head depending on x would make eq. 10 no longer a solution over the
//! step); the constant head `g` (default −1) is added; (d) the threshold defaults to 0.5,
//! reachable because h = tanh(w_in·I) < 1; (e) SC-NeuroCore resets to x = 0, here the restart
//! value is eq. 10 at t = 0, (g + h)/2.
//!
//! **Paper facts tested.** Eq. 10 itself: from x = (g + h)/2 the trajectory equals
//! h + (g − h)·σ(−f·t) at every t (independently of the step length), and x → h as t → ∞
//! (subthreshold input); the interspike interval is the time eq. 10 takes from (g + h)/2 to θ,
//! T = ln((θ − g)/(h − θ))/f (derived from eq. 10): for I = 1, T = 6.593 time units.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`ClosedFormContinuousNeuron`].
    pub struct ClosedFormContinuousParams {
        /// Input weight of the time-constant head, w_τ [1].
        w_tau: f64 = -0.5,
        /// Input weight of the target head h = tanh(w_in·I), w_in [1].
        w_in: f64 = 1.0,
        /// Base time constant, τ_base [time units].
        tau_base: f64 = 10.0,
        /// Bias of the time-constant head, b [1].
        bias: f64 = 0.0,
        /// Constant head g (x = (g + h)/2 at t = 0; must be ≤ −1), g [1].
        g: f64 = -1.0,
        /// Firing threshold (0 < θ < 1), θ [1].
        v_threshold: f64 = 0.5,
        /// Time spanned by one standalone `step()`, dt [time units].
        dt: f64 = 1.0,
        /// Largest internal substep (threshold test interval), h [time units].
        substep: f64 = 0.1,
    }
}

impl ClosedFormContinuousParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau_base", self.tau_base)?;
        if self.g > -1.0 {
            return Err(ParamError::new(
                "g",
                format!("must be <= −1 (below every target tanh(·)), got {}", self.g),
            ));
        }
        if !(self.v_threshold > 0.0 && self.v_threshold < 1.0) {
            return Err(ParamError::new(
                "v_threshold",
                format!(
                    "must lie in (0, 1): x stays below 1, got {}",
                    self.v_threshold
                ),
            ));
        }
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)
    }

    /// The heads (f, h) for input `i`: rate f = 1/τ(I) and target h = tanh(w_in·I).
    pub fn heads(&self, i: f64) -> (f64, f64) {
        let tau = (self.tau_base * sigmoid(self.w_tau * i + self.bias)).max(0.1);
        (1.0 / tau, (self.w_in * i).tanh())
    }
}

neuron_state! {
    /// State of [`ClosedFormContinuousNeuron`].
    pub struct ClosedFormContinuousState {
        /// CfC state, x [1].
        x: f64 => CfcX,
    }
}

/// Constants of [`ClosedFormContinuousNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct ClosedFormContinuousConsts {
    p: ClosedFormContinuousParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` exact substeps of eq. 10, threshold test and restart after each.
#[inline(always)]
pub fn cfc_step(k: &ClosedFormContinuousConsts, s: &mut ClosedFormContinuousState, i: f64) -> bool {
    let p = &k.p;
    let (f, target) = p.heads(i);
    let gap = p.g - target;
    let e = (-f * k.h).exp();
    let mut spiked = false;
    for _ in 0..k.n {
        if gap < 0.0 {
            let u = (s.x - target) / gap;
            let u = u * e / (1.0 - u * (1.0 - e));
            s.x = target + gap * u;
        }
        if s.x >= p.v_threshold {
            s.x = 0.5 * (p.g + target);
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Spiking unit following the closed-form continuous-time solution (Hasani et al. 2022).
pub struct ClosedFormContinuousNeuron;
}

impl ClosedFormContinuousNeuron {
    /// Advance one step (`dt` time units) with input `current`; `true` on a spike.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for ClosedFormContinuousNeuron {
    const NAME: &'static str = "ClosedFormContinuousNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str =
        "Spiking unit following the closed-form continuous-time (CfC) solution between spikes";
    const REFERENCE: &'static str =
        "Hasani et al. 2022, Nat Mach Intell 4(11):992-1003, doi:10.1038/s42256-022-00556-7";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[1.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = ClosedFormContinuousParams;
    type State = ClosedFormContinuousState;
    type Consts = ClosedFormContinuousConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &ClosedFormContinuousParams) -> ClosedFormContinuousState {
        ClosedFormContinuousState { x: 0.0 }
    }
    fn standalone_span(p: &ClosedFormContinuousParams) -> f64 {
        p.dt
    }
    fn prepare(p: &ClosedFormContinuousParams, span: f64) -> ClosedFormContinuousConsts {
        let (n, h) = substeps(span, p.substep);
        ClosedFormContinuousConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &ClosedFormContinuousConsts,
        s: &mut ClosedFormContinuousState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        cfc_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trajectory_is_equation_ten_for_any_step() {
        // Hasani et al. 2022, eq. 10, from t = 0 (x = (g + h)/2) at a subthreshold input
        // I = 0.4: h = tanh(0.4), f = 1/(10·σ(−0.2)).
        let i = 0.4f64;
        let h = i.tanh();
        let f = 1.0 / (10.0 / (1.0 + 0.2f64.exp()));
        let g = -1.0;
        let closed = |t: f64| h + (g - h) / (1.0 + (f * t).exp());
        for span in [1.0, 0.3, 0.05] {
            let p = ClosedFormContinuousParams::default();
            let mut n = ClosedFormContinuousNeuron::with_span(p, span).unwrap();
            n.state_mut().x = 0.5 * (g + h);
            for k in 1..=(6.0 / span).round() as usize {
                assert!(!n.step(i));
                let t = k as f64 * span;
                assert!(
                    (n.state().x - closed(t)).abs() < 1e-12,
                    "span {span}, t {t}"
                );
            }
        }
        // x → h as t → ∞.
        let mut n = ClosedFormContinuousNeuron::new();
        for _ in 0..300 {
            n.step(i);
        }
        assert!((n.state().x - h).abs() < 1e-12);
    }

    #[test]
    fn interspike_interval_is_the_closed_form_passage_time() {
        // From the restart x = (g + h)/2 (t = 0) eq. 10 reaches θ when σ(−fT) = (h − θ)/(h − g),
        // T = ln((θ − g)/(h − θ))/f. I = 1: h = 0.761594, f = 1/(10·σ(−0.5)) = 0.264872,
        // T = ln(1.5/0.261594)/0.264872 = 6.593; tested every 0.1: 66 substeps per interval.
        let h = 1.0f64.tanh();
        let f = 1.0 / (10.0 / (1.0 + 0.5f64.exp()));
        let t_isi = ((0.5 + 1.0) / (h - 0.5)).ln() / f;
        assert!((t_isi - 6.593).abs() < 1e-3, "{t_isi}");
        let p = ClosedFormContinuousParams::default();
        let mut n = ClosedFormContinuousNeuron::with_span(p, 0.1).unwrap();
        let t: Vec<usize> = (0..2000).filter(|_| n.step(1.0)).collect();
        assert!(t.len() > 10);
        let expected = (t_isi / 0.1).ceil() as usize;
        assert!(t.windows(2).all(|w| w[1] - w[0] == expected), "{t:?}");
        // Below θ the target h = tanh(w_in·I) is never reached: no spikes at I = 0.5.
        let mut n = ClosedFormContinuousNeuron::new();
        assert!((0..1000).all(|_| !n.step(0.5)));
    }
}
