//! `DPINeuron` — the current-mode differential-pair-integrator (DPI) silicon neuron of
//! Indiveri's group, in the form of Chicca, Stefanini, Bartolozzi & Indiveri (2014).
//!
//! **Equations** (currents in pA, time in ms):
//! τ(1 + I_th/I_mem)·dI_mem/dt = (I_th/I_τ)(I_in + I_a − I_shunt − I_ahp) − I_th
//! − I_mem(1 + (I_shunt + I_ahp − I_a)/I_τ), with the positive feedback
//! I_a = I_again/(1 + e^(−(I_mem − I_ath)/I_anorm)) and τ = C_mem·U_T/(κ·I_τ);
//! τ_ahp(1 + I_thahp/I_ahp)·dI_ahp/dt = I_thahp·I_Ca/I_τahp − I_thahp − I_ahp with the
//! calcium-like drive I_Ca on only during the spike pulse, τ_ahp = C_ahp·U_T/(κ·I_τahp).
//! I_in = max(0, current + I_rest). When I_mem reaches `i_threshold` (I_spkthr): a spike;
//! I_mem is held at I_reset for `refractory_period` while I_Ca drives the AHP.
//!
//! **Numerics.** Both equations are integrated for ln I (d ln I/dt = (dI/dt)/I), which keeps
//! the currents positive whatever the step (as the spec recommends), with classical RK4 in
//! substeps of at most `substep` (0.01 ms; one standalone step spans `dt` = 0.1 ms as in
//! SC-NeuroCore). The threshold is tested after every substep; the refractory clock counts
//! down inside the substeps. Currents are floored at I_0 (the transistors' leakage).
//!
//! **Units.** Currents pA, capacitances pF, U_T mV, times ms.
//!
//! **Reference.** Chicca, E., Stefanini, F., Bartolozzi, C. & Indiveri, G. (2014)
//! "Neuromorphic electronic circuits for building autonomous cognitive systems", Proc. IEEE
//! 102(9):1367–1388, doi:10.1109/JPROC.2014.2313954 (DPI neuron equations; default values
//! of the teili DPI model as listed in spec §30); Indiveri, G., Stefanini, F. & Chicca, E.
//! (2010) ISCAS 2010, doi:10.1109/ISCAS.2010.5536980. The defaults (I_rest 0 aside, teili's
//! I_const being I_0) and the I_mem equation, with the sign of its last term
//! I_mem(1 + (I_shunt + I_ahp − I_a)/I_τ), agree with teili, the Chicca 2014 version (mirror
//! `russelljjarvis/teiili`: `teili/models/parameters/dpi_neuron_param.py`, equation in
//! `teili/models/builder/templates/neuron_templates.py`); the ISCAS 2010 equations themselves
//! were not verified.
//!
//! **Relation to SC-NeuroCore** (spec §30). Same interface (`step(current)`, one 0.1-ms
//! step) and state names `i_mem`, `i_ahp`, `refractory_time` (I_mem starts at I_reset, I_ahp at
//! I_0, no refractoriness). SC-NeuroCore's equation (unverifiable against the ISCAS paper)
//! lacks the (1 + I_th/I_mem) factor and the I_th/I_τ input gain, uses a power-law ×
//! sigmoid feedback, dimensionless units, forward Euler and one `i_threshold` for both the
//! spike and the feedback gate. Here the published DPI equation is implemented in physical
//! units: parameters `i_th`, `i_again`, `i_ath`, `i_anorm`, `i_shunt`, `i_th_ahp`, `c_mem`,
//! `c_ahp`, `u_t` added; τ and τ_ahp derived from the circuit (`tau`, `tau_ahp`, `alpha`, `i_g`,
//! `i_ga` dropped); `i_threshold` is the spike threshold I_spkthr, `i_spike` the AHP drive I_Ca,
//! `i_rest` a constant input; defaults are the teili values instead of SC-NeuroCore's
//! dimensionless ones.
//!
//! **Paper facts tested.** Below the feedback, with the AHP at its floor, the DPI is a
//! first-order low-pass filter (Chicca et al. 2014): τ(1 + I_th/I)dI/dt = A − B·I, so I_mem
//! settles at I* = A/B (A = I_th(I_in − I_ahp − I_shunt)/I_τ − I_th, B = 1 + (I_shunt +
//! I_ahp)/I_τ) and small offsets decay with the closed-form τ(1 + I_th/I*)/B; the rheobase is
//! where A exceeds the local maximum of the feedback nullcline R(I) = I(1 + (I_shunt + I_ahp −
//! I_a)/I_τ) − I_th·I_a/I_τ; constant injection with the AHP gives spike-frequency adaptation.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`DPINeuron`].
    pub struct DPIParams {
        /// DPI gain current, I_th [pA].
        i_th: f64 = 0.9,
        /// Leak current, I_τ [pA].
        i_tau: f64 = 8.0,
        /// Membrane capacitance, C_mem [pF].
        c_mem: f64 = 1.5,
        /// Thermal voltage, U_T [mV].
        u_t: f64 = 25.0,
        /// Subthreshold slope factor, κ (mean of κ_n 0.75, κ_p 0.66) [1].
        kappa: f64 = 0.705,
        /// Leakage current of the transistors (floor of every current), I_0 [pA].
        i_0: f64 = 0.5,
        /// Positive-feedback gain current, I_again [pA].
        i_again: f64 = 50.0,
        /// Positive-feedback threshold, I_ath [pA].
        i_ath: f64 = 500.0,
        /// Positive-feedback slope, I_anorm [pA].
        i_anorm: f64 = 10.0,
        /// Shunting inhibition current, I_shunt [pA].
        i_shunt: f64 = 0.5,
        /// Spike threshold on I_mem, I_spkthr [pA].
        i_threshold: f64 = 1000.0,
        /// Reset current, I_reset [pA].
        i_reset: f64 = 0.6,
        /// Constant input current, I_rest [pA].
        i_rest: f64 = 0.0,
        /// AHP drive during the spike pulse, I_Ca [pA].
        i_spike: f64 = 2.0,
        /// AHP leak current, I_τahp [pA].
        i_tau_ahp: f64 = 1.0,
        /// AHP gain current, I_thahp [pA].
        i_th_ahp: f64 = 1.0,
        /// AHP capacitance, C_ahp [pF].
        c_ahp: f64 = 1.0,
        /// Refractory period (spike pulse width), refP [ms].
        refractory_period: f64 = 1.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 0.1,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.01,
    }
}

impl DPIParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("i_th", self.i_th),
            ("i_tau", self.i_tau),
            ("c_mem", self.c_mem),
            ("u_t", self.u_t),
            ("kappa", self.kappa),
            ("i_0", self.i_0),
            ("i_anorm", self.i_anorm),
            ("i_tau_ahp", self.i_tau_ahp),
            ("i_th_ahp", self.i_th_ahp),
            ("c_ahp", self.c_ahp),
            ("dt", self.dt),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        for (n, x) in [
            ("i_again", self.i_again),
            ("i_shunt", self.i_shunt),
            ("i_rest", self.i_rest),
            ("i_spike", self.i_spike),
            ("refractory_period", self.refractory_period),
        ] {
            check::non_negative(n, x)?;
        }
        check::less("i_0", self.i_0, "i_reset", self.i_reset + f64::EPSILON)?;
        check::less("i_reset", self.i_reset, "i_threshold", self.i_threshold)
    }

    /// Membrane time constant τ = C_mem·U_T/(κ·I_τ) [ms] (pF·mV/pA = ms).
    pub fn tau(&self) -> f64 {
        self.c_mem * self.u_t / (self.kappa * self.i_tau)
    }

    /// AHP time constant τ_ahp = C_ahp·U_T/(κ·I_τahp) [ms].
    pub fn tau_ahp(&self) -> f64 {
        self.c_ahp * self.u_t / (self.kappa * self.i_tau_ahp)
    }

    /// Positive-feedback current I_a(I_mem) [pA].
    pub fn i_a(&self, i_mem: f64) -> f64 {
        self.i_again * sigmoid((i_mem - self.i_ath) / self.i_anorm)
    }
}

neuron_state! {
    /// State of [`DPINeuron`].
    pub struct DPIState {
        /// Membrane current, I_mem [pA].
        i_mem: f64 => DpiIMem,
        /// After-hyperpolarisation current, I_ahp [pA].
        i_ahp: f64 => DpiIAhp,
        /// Time left of the spike pulse / refractory period [ms].
        refractory_time: f64 => DpiRefractory,
    }
}

/// Constants of [`DPINeuron`] for one step.
#[derive(Clone, Debug)]
pub struct DPIConsts {
    p: DPIParams,
    tau: f64,
    tau_ahp: f64,
    n: u32,
    h: f64,
}

/// d ln I_ahp/dt with the calcium drive on (`pulse`) or off.
#[inline(always)]
fn dln_ahp(p: &DPIParams, tau_ahp: f64, i_ahp: f64, pulse: bool) -> f64 {
    let drive = if pulse {
        p.i_th_ahp * p.i_spike / p.i_tau_ahp
    } else {
        0.0
    };
    (drive - p.i_th_ahp - i_ahp) / (tau_ahp * (i_ahp + p.i_th_ahp))
}

/// One step: `k.n` RK4 substeps in (ln I_mem, ln I_ahp), threshold after each.
#[inline(always)]
pub fn dpi_step(k: &DPIConsts, s: &mut DPIState, current: f64) -> bool {
    let p = &k.p;
    let i_in = (current + p.i_rest).max(0.0);
    let floor = p.i_0.ln();
    let mut spiked = false;
    for _ in 0..k.n {
        if s.refractory_time > 0.0 {
            // Pulse: I_mem held at I_reset, I_Ca drives the AHP.
            let mut y = [s.i_ahp.max(p.i_0).ln()];
            rk4(&mut y, k.h, |y| {
                [dln_ahp(p, k.tau_ahp, y[0].max(floor).exp(), true)]
            });
            s.i_ahp = y[0].max(floor).exp();
            s.i_mem = p.i_reset;
            s.refractory_time = (s.refractory_time - k.h).max(0.0);
            if s.refractory_time < 1e-9 * k.h {
                s.refractory_time = 0.0;
            }
            continue;
        }
        let mut y = [s.i_mem.max(p.i_0).ln(), s.i_ahp.max(p.i_0).ln()];
        rk4(&mut y, k.h, |y| {
            let (im, ia) = (y[0].max(floor).exp(), y[1].max(floor).exp());
            let fb = p.i_a(im);
            let num = p.i_th / p.i_tau * (i_in + fb - p.i_shunt - ia)
                - p.i_th
                - im * (1.0 + (p.i_shunt + ia - fb) / p.i_tau);
            [
                num / (k.tau * (im + p.i_th)),
                dln_ahp(p, k.tau_ahp, ia, false),
            ]
        });
        s.i_mem = y[0].max(floor).exp();
        s.i_ahp = y[1].max(floor).exp();
        if s.i_mem >= p.i_threshold {
            spiked = true;
            s.i_mem = p.i_reset;
            s.refractory_time = p.refractory_period;
        }
    }
    spiked
}

standalone! {
/// DPI silicon neuron (Chicca et al. 2014).
pub struct DPINeuron;
}

impl DPINeuron {
    /// Advance one step (0.1 ms by default) with injected current `current` [pA].
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for DPINeuron {
    const NAME: &'static str = "DPINeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str =
        "Differential-pair-integrator silicon neuron (Chicca et al. 2014), pA units";
    const REFERENCE: &'static str = "Chicca, Stefanini, Bartolozzi & Indiveri 2014, Proc IEEE 102:1367, doi:10.1109/JPROC.2014.2313954";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[5000.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = DPIParams;
    type State = DPIState;
    type Consts = DPIConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &DPIParams) -> DPIState {
        DPIState {
            i_mem: p.i_reset,
            i_ahp: p.i_0,
            refractory_time: 0.0,
        }
    }
    fn standalone_span(p: &DPIParams) -> f64 {
        p.dt
    }
    fn prepare(p: &DPIParams, span: f64) -> DPIConsts {
        let (n, h) = substeps(span, p.substep);
        DPIConsts {
            p: p.clone(),
            tau: p.tau(),
            tau_ahp: p.tau_ahp(),
            n,
            h,
        }
    }
    #[inline(always)]
    fn update(k: &DPIConsts, s: &mut DPIState, x: &Input<[f64; 1]>, _: &mut NeuronRng) -> bool {
        dpi_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet() -> DPIParams {
        // No shunt, no feedback (I_again = 0): the first-order DPI filter.
        DPIParams {
            i_shunt: 0.0,
            i_again: 0.0,
            ..Default::default()
        }
    }

    #[test]
    fn first_order_filter_steady_state_and_time_constant() {
        // Below the feedback (I_a ≈ 0), without shunt and with I_ahp at its floor I_0, the
        // equation is τ(1 + I_th/I)dI/dt = A − B·I with A = I_th(I_in − I_0)/I_τ − I_th and
        // B = 1 + I_0/I_τ: the DPI is a first-order filter with I* = A/B; for I_in = 100 pA,
        // I* = (0.9·99.5/8 − 0.9)/1.0625 = 9.68824 pA.
        let p = quiet();
        let (a, b) = (
            p.i_th * (100.0 - p.i_0) / p.i_tau - p.i_th,
            1.0 + p.i_0 / p.i_tau,
        );
        let target = a / b;
        assert!((target - 9.688_235).abs() < 1e-5);
        let mut n = DPINeuron::with_params(p.clone()).unwrap();
        for _ in 0..3000 {
            assert!(!n.step(100.0));
        }
        assert!(
            (n.state().i_mem - target).abs() < 1e-9 * target,
            "{} vs {target}",
            n.state().i_mem
        );
        // Linearised relaxation: a small offset decays as e^(−t/τ_eff),
        // τ_eff = τ(1 + I_th/I*)/B, τ = C·U_T/(κI_τ) = 1.5·25/(0.705·8) = 6.649 ms.
        assert!((p.tau() - 37.5 / 5.64).abs() < 1e-12);
        let tau_eff = p.tau() * (1.0 + p.i_th / target) / b;
        n.state_mut().i_mem = target * 1.001;
        for _ in 0..100 {
            n.step(100.0); // 10 ms
        }
        let ratio = (n.state().i_mem - target) / (target * 0.001);
        let expect = (-10.0 / tau_eff).exp();
        assert!((ratio - expect).abs() < 2e-3, "{ratio} vs {expect}");
    }

    #[test]
    fn rheobase_from_the_feedback_nullcline() {
        // Steady states solve I_th(I_in − I_shunt − I_ahp)/I_τ − I_th = R(I) with
        // R(I) = I(1 + (I_shunt + I_ahp − I_a(I))/I_τ) − I_th·I_a(I)/I_τ and I_ahp at its
        // floor I_0. They vanish (a saddle-node) once the left side exceeds the local maximum
        // of R below the feedback threshold: the rheobase.
        let p = DPIParams::default();
        let (ia, sh) = (p.i_0, p.i_shunt);
        let r = |i: f64| i * (1.0 + (sh + ia - p.i_a(i)) / p.i_tau) - p.i_th * p.i_a(i) / p.i_tau;
        let mut peak = 0.0f64;
        let mut i = 1.0;
        while i < 520.0 {
            peak = peak.max(r(i));
            i += 0.001;
        }
        let i_rh = (peak + p.i_th) * p.i_tau / p.i_th + ia + sh;
        assert!(i_rh > 3000.0 && i_rh < 4500.0, "{i_rh}");
        let fires = |i_in: f64| {
            let mut n = DPINeuron::new();
            (0..20_000).any(|_| n.step(i_in))
        };
        assert!(!fires(0.99 * i_rh), "fires below I_rh = {i_rh}");
        assert!(fires(1.01 * i_rh), "silent above I_rh = {i_rh}");
    }

    #[test]
    fn ahp_gives_spike_frequency_adaptation() {
        // AHP drive I_Ca = 50 pA: intervals lengthen under constant injection.
        let p = DPIParams {
            i_spike: 50.0,
            ..Default::default()
        };
        let mut n = DPINeuron::with_params(p).unwrap();
        let t: Vec<usize> = (0..10_000).filter(|_| n.step(8000.0)).collect();
        let d: Vec<usize> = t.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(d.len() > 5, "{d:?}");
        assert!(d[d.len() - 1] > d[0] + 5, "no adaptation: {d:?}");
        // Without the AHP drive the intervals are constant.
        let mut n = DPINeuron::with_params(DPIParams {
            i_spike: 0.0,
            ..Default::default()
        })
        .unwrap();
        let t: Vec<usize> = (0..10_000).filter(|_| n.step(8000.0)).collect();
        let d: Vec<usize> = t.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            d.len() > 5 && d.iter().all(|&x| x.abs_diff(d[0]) <= 1),
            "{d:?}"
        );
    }
}
