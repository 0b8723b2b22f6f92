//! `MedvedevMapNeuron` — Medvedev's (2005) one-dimensional first-return map of the slow
//! (calcium) variable of an excitable cell.
//!
//! **Equations** (one step = one return of the slow variable u, i.e. one fast cycle or one
//! quiescent excursion; input I, gain g). With u₀ = β₀/(δ − β₀), u_HC = β_HC/(δ − β_HC) and
//! u_SN = β_SN/(δ − β_SN) (the values of u at which the fast subsystem meets the homoclinic and
//! saddle-node bifurcations):
//! - u ≤ u₀ (left branch): u′ = D·u + (1 − D)·f₀ + g·I, D = `decay_t0`;
//! - u₀ < u ≤ u_HC (the boundary layer of the homoclinic bifurcation): u₁ = (1 − α_T)·u + α_T·f₀,
//!   gap = β_HC − δ·u₁/(1 + u₁); u′ = f₁ + g·I if gap ≤ 0, else u′ = (d·gap)^κ·(u₁ − f₁) + f₁ + g·I;
//! - u > u_HC (quiescent excursion): u′ = u_SN exactly.
//!
//! The step returns `true` when the pre-step state is in the active (spiking) region u ≤ u_HC,
//! i.e. when the return is a fast cycle. The unimodal shape with a boundary layer at the
//! homoclinic bifurcation is the structure Medvedev (2005) derives for the first-return map.
//!
//! **Numerics.** An exact map; in a network it iterates once per network step whatever `dt`.
//! The power (d·gap)^κ has a positive base on the branch where it is used, so the map is
//! defined everywhere.
//!
//! **Units.** Dimensionless (u is a scaled calcium concentration).
//!
//! **Reference.** Medvedev, G.S. (2005) "Reduction of a model of an excitable cell to a
//! one-dimensional map", Physica D 202:37–59, doi:10.1016/j.physd.2005.01.021, Sect. 4,
//! eqs. 4.4/4.7, 4.8, 4.13, 4.15 (as the spec, §25, transcribes them).
//!
//! **Relation to SC-NeuroCore** (spec §25). Same recurrence, interface (`step(current)`),
//! state `u` (initially u_SN) and calibration constants. The paper gives the map only as an
//! asymptotic construction and tabulates no T(u), F(u); the constants are SC-NeuroCore's
//! disclosed calibration (no paper number could be checked). One difference: SC-NeuroCore
//! raises an error on a non-finite result; here a non-finite input is refused by `step()` and
//! the map cannot produce one otherwise.
//!
//! **Paper facts tested** (closed forms of the recurrence). u₀, u_HC, u_SN equal
//! β/(δ − β) (0.176471, 0.254705, 0.251408); any u > u_HC returns to u_SN in one step
//! (eq. 4.15); on the left branch u_n = f₀ + Dⁿ(u₀′ − f₀) exactly; in the boundary layer the
//! return lands on f₁ as soon as u₁ reaches the homoclinic value u_HC (gap ≤ 0).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`MedvedevMapNeuron`] (SC-NeuroCore's calibration of the paper's map).
    pub struct MedvedevMapParams {
        /// Left end of the boundary-layer region, β₀ [1].
        beta_0: f64 = 0.0015,
        /// Homoclinic-bifurcation value, β_HC [1].
        beta_hc: f64 = 0.00203,
        /// Saddle-node value, β_SN [1].
        beta_sn: f64 = 0.002009000318382601,
        /// Calcium scale, δ [1].
        delta: f64 = 0.01,
        /// Contraction factor of the left branch, D [1].
        decay_t0: f64 = 0.9903563355786734,
        /// Relaxation weight toward f₀ in the boundary layer, α_T [1].
        alpha_t0: f64 = 0.0096904656865853,
        /// Target of the left-branch contraction, f₀ [1].
        f_0: f64 = 1.4713541429802286,
        /// Value a return lands on at the homoclinic bifurcation, f₁ [1].
        f_1: f64 = 0.1820152787145665,
        /// Exponent of the homoclinic boundary layer, κ [1].
        homoclinic_exponent: f64 = 0.02149298991339221,
        /// Scale of the homoclinic gap, d [1].
        d: f64 = 2_271.192_797_740_406,
        /// Gain of the input on active returns, g [1].
        input_gain: f64 = 0.01,
    }
}

impl MedvedevMapParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("beta_0", self.beta_0)?;
        check::less("beta_0", self.beta_0, "beta_sn", self.beta_sn)?;
        check::less("beta_sn", self.beta_sn, "beta_hc", self.beta_hc)?;
        check::less("beta_hc", self.beta_hc, "delta", self.delta)?;
        check::in_range("decay_t0", self.decay_t0, 0.0, 1.0)?;
        check::in_range("alpha_t0", self.alpha_t0, 0.0, 1.0)?;
        check::non_negative("f_1", self.f_1)?;
        check::less("f_1", self.f_1, "f_0", self.f_0)?;
        check::positive("homoclinic_exponent", self.homoclinic_exponent)?;
        check::positive("d", self.d)?;
        check::non_negative("input_gain", self.input_gain)
    }

    /// u at a bifurcation value β: β/(δ − β).
    pub fn u_of(&self, beta: f64) -> f64 {
        beta / (self.delta - beta)
    }
}

neuron_state! {
    /// State of [`MedvedevMapNeuron`].
    pub struct MedvedevMapState {
        /// Slow (calcium) variable at the return, u [1].
        u: f64 => MedvedevU,
    }
}

/// Constants of [`MedvedevMapNeuron`]: the parameters and the three region boundaries.
#[derive(Clone, Debug)]
pub struct MedvedevConsts {
    p: MedvedevMapParams,
    u0: f64,
    u_hc: f64,
    u_sn: f64,
}

/// One return of the slow variable; `true` when it is a fast (spiking) cycle.
#[inline(always)]
pub fn medvedev_step(k: &MedvedevConsts, s: &mut MedvedevMapState, input: f64) -> bool {
    let p = &k.p;
    let u = s.u;
    s.u = if u <= k.u0 {
        p.decay_t0 * u + (1.0 - p.decay_t0) * p.f_0 + p.input_gain * input
    } else if u <= k.u_hc {
        let u1 = (1.0 - p.alpha_t0) * u + p.alpha_t0 * p.f_0;
        let gap = p.beta_hc - p.delta * u1 / (1.0 + u1);
        if gap <= 0.0 {
            p.f_1 + p.input_gain * input
        } else {
            (p.d * gap).powf(p.homoclinic_exponent) * (u1 - p.f_1) + p.f_1 + p.input_gain * input
        }
    } else {
        k.u_sn
    };
    u <= k.u_hc
}

standalone! {
/// Medvedev (2005) first-return map of the slow variable.
pub struct MedvedevMapNeuron;
}

impl MedvedevMapNeuron {
    /// One return with input `current` (acts on active returns); `true` on a spiking return.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for MedvedevMapNeuron {
    const NAME: &'static str = "MedvedevMapNeuron";
    const FAMILY: Family = Family::Maps;
    const SUMMARY: &'static str =
        "Medvedev 2005 one-dimensional first-return map of the slow variable";
    const REFERENCE: &'static str =
        "Medvedev 2005, Physica D 202:37, doi:10.1016/j.physd.2005.01.021";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = MedvedevMapParams;
    type State = MedvedevMapState;
    type Consts = MedvedevConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &MedvedevMapParams) -> MedvedevMapState {
        MedvedevMapState {
            u: p.u_of(p.beta_sn),
        }
    }
    fn standalone_span(_: &MedvedevMapParams) -> f64 {
        1.0
    }
    fn prepare(p: &MedvedevMapParams, _: f64) -> MedvedevConsts {
        MedvedevConsts {
            p: p.clone(),
            u0: p.u_of(p.beta_0),
            u_hc: p.u_of(p.beta_hc),
            u_sn: p.u_of(p.beta_sn),
        }
    }
    #[inline(always)]
    fn update(
        k: &MedvedevConsts,
        s: &mut MedvedevMapState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        medvedev_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_boundaries_are_beta_over_delta_minus_beta() {
        let p = MedvedevMapParams::default();
        // Spec §25: u₀ = 0.176471, u_HC = 0.254705, u_SN = 0.251408.
        assert!((p.u_of(p.beta_0) - 0.0015 / 0.0085).abs() < 1e-15);
        assert!((p.u_of(p.beta_0) - 0.176471).abs() < 1e-6);
        assert!((p.u_of(p.beta_hc) - 0.254705).abs() < 1e-6);
        assert!((p.u_of(p.beta_sn) - 0.251408).abs() < 1e-6);
        // reset() starts at u_SN.
        let m = MedvedevMapNeuron::new();
        assert_eq!(m.state().u, p.u_of(p.beta_sn));
    }

    #[test]
    fn above_the_homoclinic_value_the_return_is_u_sn() {
        let p = MedvedevMapParams::default();
        for u in [0.2548, 0.3, 0.9, 5.0] {
            let mut m = MedvedevMapNeuron::new();
            m.state_mut().u = u;
            assert!(!m.step(0.7), "a quiescent excursion is no spike");
            assert_eq!(m.state().u, p.u_of(p.beta_sn));
        }
    }

    #[test]
    fn left_branch_contracts_geometrically_toward_f0() {
        // u_n = f₀ + Dⁿ(u_start − f₀) while u stays ≤ u₀ (closed form of the linear branch).
        let p = MedvedevMapParams::default();
        let mut m = MedvedevMapNeuron::new();
        let u_start = 0.05;
        m.state_mut().u = u_start;
        let mut n = 0;
        while m.state().u <= p.u_of(p.beta_0) {
            assert!(m.step(0.0), "left-branch returns are spiking returns");
            n += 1;
            let expect = p.f_0 + p.decay_t0.powi(n) * (u_start - p.f_0);
            assert!((m.state().u - expect).abs() < 1e-12, "n = {n}");
        }
        // It leaves the branch after ⌈ln((f₀ − u₀)/(f₀ − u_start))/ln D⌉ returns.
        let u0 = p.u_of(p.beta_0);
        let n_exit = ((p.f_0 - u0) / (p.f_0 - u_start)).ln() / p.decay_t0.ln();
        assert_eq!(n, n_exit.ceil() as i32);
    }

    #[test]
    fn boundary_layer_lands_on_f1_at_the_homoclinic_value() {
        // From u_SN: u₁ = (1 − α_T)u_SN + α_T f₀ lies beyond u_HC, so gap ≤ 0 and u′ = f₁.
        let p = MedvedevMapParams::default();
        let u1 = (1.0 - p.alpha_t0) * p.u_of(p.beta_sn) + p.alpha_t0 * p.f_0;
        assert!(p.beta_hc - p.delta * u1 / (1.0 + u1) <= 0.0);
        let mut m = MedvedevMapNeuron::new();
        assert!(m.step(0.0));
        assert_eq!(m.state().u, p.f_1);
        // The input shifts active returns by g·I.
        let mut m = MedvedevMapNeuron::new();
        m.step(2.0);
        assert!((m.state().u - (p.f_1 + 0.02)).abs() < 1e-15);
        // From f₁ the returns climb through the boundary layer and are reset to f₁ again:
        // a periodic spiking cycle of the default calibration.
        let t: Vec<usize> = (0..2000)
            .filter(|_| {
                m.step(0.0);
                m.state().u == p.f_1
            })
            .collect();
        assert!(t.len() > 10);
        let d: Vec<usize> = t.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(d.iter().all(|&x| x == d[0]), "cycle not periodic: {d:?}");
    }
}
