//! `AstrocyteModel` — cytosolic Ca²⁺ of an astrocyte through the IP₃ receptor: the Li–Rinzel
//! (1994) reduction of the De Young–Keizer (1992) model, driven by an IP₃ production rate.
//!
//! **Equations** (time in seconds, concentrations in µM). Ca_ER = (c0 − Ca)/c1;
//! m∞ = IP₃/(IP₃ + d1), n∞ = Ca/(Ca + d5);
//! dCa/dt = c1·v1·(m∞ n∞ h)³·(Ca_ER − Ca) + c1·v2·(Ca_ER − Ca) − v3·Ca²/(Ca² + k3²);
//! Q2 = d2·(IP₃ + d1)/(IP₃ + d3), dh/dt = a2·[Q2·(1 − h) − Ca·h] (= (h∞ − h)/τ_h with
//! h∞ = Q2/(Q2 + Ca), τ_h = 1/(a2(Q2 + Ca))). IP₃ follows SC-NeuroCore's production/decay
//! equation dIP₃/dt = I + ip3_prod − ip3_decay·IP₃ (not part of Li–Rinzel, who hold IP₃ fixed);
//! I is the `current` port (µM/s). The output is Ca every step (a value output).
//!
//! **Numerics.** Classical RK4 on (Ca, h, IP₃) in substeps of at most `substep` (1 ms). Time
//! in the engine is in ms (a standalone step spans 10 ms, SC-NeuroCore's dt = 0.01 s); the
//! rate constants are per second as in the paper and are divided by 1000 internally.
//!
//! **Reference.** Li, Y.-X. & Rinzel, J. (1994) Equations for InsP3 receptor-mediated [Ca²⁺]ᵢ
//! oscillations derived from a detailed kinetic model: a Hodgkin–Huxley like formalism.
//! J. Theor. Biol. 166:461–473, doi:10.1006/jtbi.1994.1041; De Young, G.W. & Keizer, J. (1992)
//! PNAS 89:9895–9899, doi:10.1073/pnas.89.20.9895. Constants (the Li–Rinzel/De Young–Keizer
//! set, as tabulated in the spec §17.4): c0 = 2 µM, c1 = 0.185, v1 = 6 s⁻¹, v2 = 0.11 s⁻¹,
//! v3 = 0.9 µM/s, k3 = 0.1 µM, d1 = 0.13, d2 = 1.049, d3 = 0.9434, d5 = 0.08234 µM,
//! a2 = 0.2 µM⁻¹s⁻¹.
//!
//! **Relation to SC-NeuroCore** (spec §17). Same interface (`step(current) -> Ca`), state
//! `ca`, `h`, `ip3` (initially 0.05, 0.8, 0.5) and IP₃ equation (`ip3_prod`, `ip3_decay`).
//! SC-NeuroCore mis-maps the constants: its channel rate `v_er` = 0.9 s⁻¹ (Li–Rinzel:
//! c1·v1 = 1.11), pump `v_serca` = 0.4 µM/s and `k_er` = 0.15 µM (Li–Rinzel 0.9 and 0.1), leak
//! 0.01 s⁻¹ (Li–Rinzel c1·v2 = 0.02035); with them Ca sits at a steady ≈ 0.446 µM at IP₃ = 0.5
//! where Li–Rinzel oscillates. Here the paper's constants are the defaults, with the parameters
//! named after the paper (`v1`, `v2`, `v3`, `k3`, …); forward Euler at 10 ms is replaced by
//! RK4.
//!
//! **Paper facts tested** (spec §17.8, computed from the published equations with RK4; re-derived
//! in the test with an independent RK4 integration): at IP₃ = 0.5 µM Ca oscillates between
//! ≈ 0.11 and 0.44 µM with a period ≈ 11.5 s; at IP₃ = 0.3 µM Ca settles at ≈ 0.123 µM and at
//! IP₃ = 1.0 µM at ≈ 0.453 µM.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`AstrocyteModel`].
    pub struct AstrocyteParams {
        /// Total Ca²⁺ per cytosolic volume, c0 [µM].
        c0: f64 = 2.0,
        /// ER/cytosol volume ratio, c1 [1].
        c1: f64 = 0.185,
        /// Maximal IP₃-receptor flux rate, v1 [1/s].
        v1: f64 = 6.0,
        /// ER leak rate, v2 [1/s].
        v2: f64 = 0.11,
        /// Maximal SERCA pump rate, v3 [µM/s].
        v3: f64 = 0.9,
        /// SERCA half-activation, k3 [µM].
        k3: f64 = 0.1,
        /// IP₃ dissociation constant, d1 [µM].
        d1: f64 = 0.13,
        /// Ca²⁺ inactivation dissociation constant, d2 [µM].
        d2: f64 = 1.049,
        /// IP₃ dissociation constant, d3 [µM].
        d3: f64 = 0.9434,
        /// Ca²⁺ activation dissociation constant, d5 [µM].
        d5: f64 = 0.08234,
        /// Inactivation binding rate, a2 [1/(µM·s)].
        a2: f64 = 0.2,
        /// Constant IP₃ production, added to the port [µM/s].
        ip3_prod: f64 = 0.0,
        /// IP₃ degradation rate [1/s].
        ip3_decay: f64 = 0.14,
        /// Time spanned by one standalone `step()` [ms].
        span: f64 = 10.0,
        /// Largest internal RK4 substep [ms].
        substep: f64 = 1.0,
    }
}

impl AstrocyteParams {
    fn check(&self) -> Result<(), ParamError> {
        for (n, x) in [
            ("c0", self.c0),
            ("c1", self.c1),
            ("v3", self.v3),
            ("k3", self.k3),
            ("d1", self.d1),
            ("d2", self.d2),
            ("d3", self.d3),
            ("d5", self.d5),
            ("a2", self.a2),
            ("span", self.span),
            ("substep", self.substep),
        ] {
            check::positive(n, x)?;
        }
        check::non_negative("v1", self.v1)?;
        check::non_negative("v2", self.v2)?;
        check::non_negative("ip3_prod", self.ip3_prod)?;
        check::non_negative("ip3_decay", self.ip3_decay)
    }
}

neuron_state! {
    /// State of [`AstrocyteModel`].
    pub struct AstrocyteState {
        /// Cytosolic Ca²⁺, Ca [µM].
        ca: f64 => AstroCa,
        /// IP₃-receptor inactivation gate, h [1].
        h: f64 => AstroH,
        /// IP₃ concentration [µM].
        ip3: f64 => AstroIp3,
    }
}

/// Constants of [`AstrocyteModel`] for one step.
#[derive(Clone, Debug)]
pub struct AstrocyteConsts {
    p: AstrocyteParams,
    n: u32,
    /// Substep in seconds.
    h_s: f64,
}

/// One step: `k.n` RK4 substeps with the IP₃ production `input` [µM/s]; returns Ca.
#[inline(always)]
pub fn astrocyte_step(k: &AstrocyteConsts, s: &mut AstrocyteState, input: f64) -> f64 {
    let p = &k.p;
    let prod = input + p.ip3_prod;
    let mut y = [s.ca, s.h, s.ip3];
    for _ in 0..k.n {
        rk4(&mut y, k.h_s, |y| {
            let [ca, h, ip3] = *y;
            let ca_er = (p.c0 - ca) / p.c1;
            let m = ip3 / (ip3 + p.d1);
            let n = ca / (ca + p.d5);
            let g = m * n * h;
            let dca = p.c1 * p.v1 * g * g * g * (ca_er - ca) + p.c1 * p.v2 * (ca_er - ca)
                - p.v3 * ca * ca / (ca * ca + p.k3 * p.k3);
            let q2 = p.d2 * (ip3 + p.d1) / (ip3 + p.d3);
            let dh = p.a2 * (q2 * (1.0 - h) - ca * h);
            [dca, dh, prod - p.ip3_decay * ip3]
        });
    }
    [s.ca, s.h, s.ip3] = y;
    s.ca
}

standalone! {
/// Li–Rinzel (1994) astrocyte Ca²⁺ oscillator with IP₃ production/decay.
pub struct AstrocyteModel;
}

impl AstrocyteModel {
    /// Advance one step (10 ms) with IP₃ production rate `current` [µM/s]; returns Ca [µM].
    pub fn step(&mut self, current: f64) -> f64 {
        self.step_or_none([current])
    }
}

impl Model for AstrocyteModel {
    const NAME: &'static str = "AstrocyteModel";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "Li-Rinzel 1994 IP3R Ca2+ oscillator with IP3 production/decay (value output Ca, uM)";
    const REFERENCE: &'static str =
        "Li & Rinzel 1994, J Theor Biol 166:461, doi:10.1006/jtbi.1994.1041";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.07];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = AstrocyteParams;
    type State = AstrocyteState;
    type Consts = AstrocyteConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &AstrocyteParams) -> AstrocyteState {
        AstrocyteState {
            ca: 0.05,
            h: 0.8,
            ip3: 0.5,
        }
    }
    fn standalone_span(p: &AstrocyteParams) -> f64 {
        p.span
    }
    fn prepare(p: &AstrocyteParams, span: f64) -> AstrocyteConsts {
        let (n, h) = substeps(span, p.substep);
        AstrocyteConsts {
            p: p.clone(),
            n,
            h_s: h / 1000.0,
        }
    }
    #[inline(always)]
    fn update(
        k: &AstrocyteConsts,
        s: &mut AstrocyteState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        astrocyte_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Reference;

    /// Li–Rinzel with IP₃ held at `ip3`, typed again (time in s): state (Ca, h).
    fn li_rinzel(ip3: f64) -> impl Fn(f64, &[f64]) -> Vec<f64> {
        move |_t, y| {
            let (ca, h) = (y[0], y[1]);
            let ca_er = (2.0 - ca) / 0.185;
            let minf = ip3 / (ip3 + 0.13);
            let ninf = ca / (ca + 0.08234);
            let j_chan = 0.185 * 6.0 * (minf * ninf * h).powi(3) * (ca_er - ca);
            let j_leak = 0.185 * 0.11 * (ca_er - ca);
            let j_pump = 0.9 * ca * ca / (ca * ca + 0.01);
            let q2 = 1.049 * (ip3 + 0.13) / (ip3 + 0.9434);
            let hinf = q2 / (q2 + ca);
            let tau_h = 1.0 / (0.2 * (q2 + ca));
            vec![j_chan + j_leak - j_pump, (hinf - h) / tau_h]
        }
    }

    /// Period, min and max of the last half of a trace sampled every `dt` s.
    fn cycle(trace: &[f64], dt: f64) -> (f64, f64, f64) {
        let tail = &trace[trace.len() / 2..];
        let lo = tail.iter().cloned().fold(f64::MAX, f64::min);
        let hi = tail.iter().cloned().fold(f64::MIN, f64::max);
        let mid = 0.5 * (lo + hi);
        let ups: Vec<usize> = (1..tail.len())
            .filter(|&k| tail[k - 1] < mid && tail[k] >= mid)
            .collect();
        let period = (ups[ups.len() - 1] - ups[0]) as f64 * dt / (ups.len() - 1) as f64;
        (period, lo, hi)
    }

    /// The model with IP₃ held (no decay, no production) at `ip3`: Ca every 10 ms for `t` s.
    fn model_trace(ip3: f64, t: f64) -> Vec<f64> {
        let mut m = AstrocyteModel::with_params(AstrocyteParams {
            ip3_decay: 0.0,
            ..Default::default()
        })
        .unwrap();
        m.state_mut().ip3 = ip3;
        (0..(t / 0.01) as usize).map(|_| m.step(0.0)).collect()
    }

    #[test]
    fn oscillates_at_ip3_0_5_with_the_li_rinzel_period() {
        let mine = model_trace(0.5, 150.0);
        let (period, lo, hi) = cycle(&mine, 0.01);
        let reference = Reference::rk4(0.001, li_rinzel(0.5)).trace(&[0.05, 0.8], 150.0, 0, 10);
        let (rp, rlo, rhi) = cycle(&reference, 0.01);
        // Spec §17.8: period ≈ 11.5 s, Ca between ≈ 0.11 and 0.44 µM.
        assert!((rp - 11.5).abs() < 0.3, "reference period {rp}");
        assert!(
            (rlo - 0.11).abs() < 0.015 && (rhi - 0.44).abs() < 0.015,
            "[{rlo}, {rhi}]"
        );
        assert!((period - rp).abs() < 0.02 * rp, "period {period} vs {rp}");
        assert!(
            (lo - rlo).abs() < 0.01 && (hi - rhi).abs() < 0.01,
            "[{lo}, {hi}]"
        );
    }

    #[test]
    fn steady_states_outside_the_oscillation_window() {
        // Spec §17.8: IP₃ = 0.3 → Ca ≈ 0.123 µM; IP₃ = 1.0 → Ca ≈ 0.453 µM.
        for (ip3, want) in [(0.3, 0.123), (1.0, 0.453)] {
            let mine = model_trace(ip3, 300.0);
            let tail = &mine[mine.len() * 3 / 4..];
            let lo = tail.iter().cloned().fold(f64::MAX, f64::min);
            let hi = tail.iter().cloned().fold(f64::MIN, f64::max);
            assert!(hi - lo < 1e-3, "IP3 {ip3}: not steady [{lo}, {hi}]");
            let (y, _) = Reference::rk4(0.001, li_rinzel(ip3)).run(&[0.05, 0.8], 300.0, 0, 10.0);
            assert!(
                (hi - y[0]).abs() < 1e-3,
                "IP3 {ip3}: {hi} vs reference {}",
                y[0]
            );
            assert!((hi - want).abs() < 0.003, "IP3 {ip3}: {hi} vs {want}");
        }
    }

    #[test]
    fn ip3_follows_production_and_decay() {
        // dIP₃/dt = I − 0.14·IP₃: IP₃ → I/0.14 = 0.5 µM for I = 0.07 µM/s (time constant 7.1 s).
        let mut m = AstrocyteModel::new();
        m.state_mut().ip3 = 0.0;
        for _ in 0..10_000 {
            m.step(0.07);
        }
        let want = 0.5 * (1.0 - (-0.14f64 * 100.0).exp());
        assert!((m.state().ip3 - want).abs() < 1e-6, "{}", m.state().ip3);
    }
}
