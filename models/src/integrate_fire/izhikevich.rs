//! `IzhikevichNeuron` — Izhikevich's simple model, 2003 a/b/c/d form.
//!
//! **Equations.** dv/dt = 0.04v² + 5v + 140 − u + I + I_syn(v); du/dt = a(bv − u).
//! If v ≥ v_peak (30 mV): v ← c, u ← u + d. v in mV, t in ms, I in the model's dimensionless
//! current units (mV/ms).
//!
//! **Numerics.** Classical RK4 on (v, u) in substeps of at most `substep` ms (0.1 ms default);
//! inside the RK4 stages v is clamped at v_peak so that the quadratic blow-up of the upstroke
//! cannot overshoot to infinity. The threshold is tested after every substep and the reset is
//! applied there, so the remaining substeps continue from the reset (one spike is reported per
//! step). Optional white-noise current: v += σ·√h·ξ per substep (σ in mV/√ms).
//!
//! **Reference.** Izhikevich, E.M. (2003) "Simple model of spiking neurons", IEEE Trans. Neural
//! Netw. 14(6):1569–1572, doi:10.1109/TNN.2003.820440; firing classes in Izhikevich (2004) IEEE
//! Trans. Neural Netw. 15(5):1063–1070, doi:10.1109/TNN.2004.832719. Defaults: regular spiking
//! (a 0.02, b 0.2, c −65, d 8).
//!
//! **Relation to SC-NeuroCore** (`SCIzhikevichNeuron`, spec §23b). Same interface: one `step`
//! spans 1 ms, state `v`, `u`, initial v = c, u = b·c. SC-NeuroCore integrates with two forward
//! Euler half steps per ms (updating u in each, unlike the paper's code) and adds noise per step
//! without √dt scaling; here the same equations are integrated with RK4 substeps, and noise is a
//! proper white-noise current whose effect does not depend on the step length.
//!
//! **Paper facts tested.** With I = 10 (Izhikevich 2003, Fig. 2): RS fires tonically with
//! adaptation (ISIs lengthen), FS fires fast with almost no adaptation, CH fires repetitive
//! high-frequency bursts, IB fires an initial burst and then single spikes. Also the rest at
//! I = 0 is v = −70 mV, u = −14 (b > a: fixed point of 0.04v² + (5 − b)v + 140 = 0).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`IzhikevichNeuron`].
    pub struct IzhikevichParams {
        /// Time scale of the recovery variable, a [1/ms].
        a: f64 = 0.02,
        /// Sensitivity of recovery to v, b [dimensionless].
        b: f64 = 0.2,
        /// After-spike reset of v, c [mV].
        c: f64 = -65.0,
        /// After-spike increment of u, d [mV/ms].
        d: f64 = 8.0,
        /// Spike cut-off, v_peak [mV].
        v_peak: f64 = 30.0,
        /// Time spanned by one standalone `step()`, dt [ms].
        dt: f64 = 1.0,
        /// Largest internal RK4 substep, h [ms].
        substep: f64 = 0.1,
        /// White-noise current amplitude, σ [mV/√ms].
        noise_std: f64 = 0.0,
    }
}

impl IzhikevichParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("a", self.a)?;
        check::positive("dt", self.dt)?;
        check::positive("substep", self.substep)?;
        check::non_negative("noise_std", self.noise_std)?;
        check::less("c", self.c, "v_peak", self.v_peak)
    }
}

neuron_state! {
    /// State of [`IzhikevichNeuron`].
    pub struct IzhikevichState {
        /// Membrane potential, v [mV].
        v: f64 => IzhV,
        /// Recovery variable, u [mV/ms].
        u: f64 => IzhU,
    }
}

/// Constants of [`IzhikevichNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct IzhikevichConsts {
    p: IzhikevichParams,
    n: u32,
    h: f64,
    noise: f64,
}

/// One step: `k.n` RK4 substeps with threshold and reset after each.
#[inline(always)]
pub fn izhikevich_step(
    k: &IzhikevichConsts,
    s: &mut IzhikevichState,
    x: &Input<[f64; 1]>,
    rng: &mut NeuronRng,
) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let mut y = [s.v, s.u];
        rk4(&mut y, k.h, |y| {
            let v = y[0].min(p.v_peak);
            [
                0.04 * v * v + 5.0 * v + 140.0 - y[1] + x.current(v),
                p.a * (p.b * v - y[1]),
            ]
        });
        s.v = y[0];
        s.u = y[1];
        if k.noise > 0.0 {
            s.v += k.noise * rng.normal();
        }
        if s.v >= p.v_peak {
            s.v = p.c;
            s.u += p.d;
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Izhikevich (2003) simple model, a/b/c/d form.
///
/// ```
/// use neurocore_models::IzhikevichNeuron;
/// let mut n = IzhikevichNeuron::new(); // regular spiking
/// let spikes = (0..1000).filter(|_| n.step(10.0)).count(); // 1 s at I = 10
/// assert!(spikes > 5);
/// ```
pub struct IzhikevichNeuron;
}

impl IzhikevichNeuron {
    /// A neuron with the parameter set of a named firing class of Izhikevich (2003, Fig. 2):
    /// regular spiking (`rs`), intrinsically bursting (`ib`), chattering (`ch`), fast spiking
    /// (`fs`), low-threshold spiking (`lts`), thalamo-cortical (`tc`), resonator (`rz`).
    pub fn class(name: &str) -> Option<IzhikevichParams> {
        let (a, b, c, d) = match name {
            "rs" => (0.02, 0.2, -65.0, 8.0),
            "ib" => (0.02, 0.2, -55.0, 4.0),
            "ch" => (0.02, 0.2, -50.0, 2.0),
            "fs" => (0.1, 0.2, -65.0, 2.0),
            "lts" => (0.02, 0.25, -65.0, 2.0),
            "tc" => (0.02, 0.25, -65.0, 0.05),
            "rz" => (0.1, 0.26, -65.0, 2.0),
            _ => return None,
        };
        Some(IzhikevichParams {
            a,
            b,
            c,
            d,
            ..Default::default()
        })
    }

    /// Advance one step (1 ms by default) with input `input_current`; `true` on a spike.
    pub fn step(&mut self, input_current: f64) -> bool {
        self.step_or_none([input_current])
    }
}

impl Model for IzhikevichNeuron {
    const NAME: &'static str = "IzhikevichNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Izhikevich 2003 simple model (a, b, c, d), RK4 substeps";
    const REFERENCE: &'static str =
        "Izhikevich 2003, IEEE Trans Neural Netw 14:1569, doi:10.1109/TNN.2003.820440";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = Some("v");
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = true;
    const DRIVE: &'static [f64] = &[10.0];
    const SUBSTEP: Option<&'static str> = Some("substep");
    type Params = IzhikevichParams;
    type State = IzhikevichState;
    type Consts = IzhikevichConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(p: &IzhikevichParams) -> IzhikevichState {
        IzhikevichState {
            v: p.c,
            u: p.b * p.c,
        }
    }
    fn standalone_span(p: &IzhikevichParams) -> f64 {
        p.dt
    }
    fn prepare(p: &IzhikevichParams, span: f64) -> IzhikevichConsts {
        let (n, h) = substeps(span, p.substep);
        IzhikevichConsts {
            p: p.clone(),
            n,
            h,
            noise: p.noise_std * h.sqrt(),
        }
    }
    #[inline(always)]
    fn update(
        k: &IzhikevichConsts,
        s: &mut IzhikevichState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        izhikevich_step(k, s, x, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spike times (ms) over `ms` of constant input, with the step span set to 0.1 ms.
    fn spikes(class: &str, i: f64, ms: usize) -> Vec<f64> {
        let p = IzhikevichNeuron::class(class).unwrap();
        let mut n = IzhikevichNeuron::with_span(p, 0.1).unwrap();
        (0..ms * 10)
            .filter(|_| n.step(i))
            .map(|t| (t + 1) as f64 * 0.1)
            .collect()
    }

    fn isis(t: &[f64]) -> Vec<f64> {
        t.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[test]
    fn rest_is_at_minus_70() {
        // Fixed point for I = 0 with b = 0.2: 0.04v² + 4.8v + 140 = 0 → v = −70, u = bv = −14.
        let mut n = IzhikevichNeuron::new();
        n.state_mut().v = -70.0;
        n.state_mut().u = -14.0;
        for _ in 0..1000 {
            assert!(!n.step(0.0));
        }
        assert!((n.state().v + 70.0).abs() < 1e-9 && (n.state().u + 14.0).abs() < 1e-9);
    }

    #[test]
    fn regular_spiking_adapts() {
        // Izhikevich 2003 Fig. 2 (RS): tonic spikes whose intervals lengthen.
        let t = spikes("rs", 10.0, 1000);
        let d = isis(&t);
        assert!(t.len() > 5, "{t:?}");
        assert!(
            d[0] < 0.8 * d[d.len() - 1],
            "first ISI {} last {}",
            d[0],
            d[d.len() - 1]
        );
        assert!(d.iter().all(|&x| x > 10.0), "RS must not burst: {d:?}");
    }

    #[test]
    fn fast_spiking_is_fast_and_barely_adapts() {
        // Izhikevich 2003 Fig. 2 (FS): high-frequency tonic firing, little adaptation.
        let fs = spikes("fs", 10.0, 1000);
        let rs = spikes("rs", 10.0, 1000);
        assert!(
            fs.len() as f64 > 2.0 * rs.len() as f64,
            "FS {} RS {}",
            fs.len(),
            rs.len()
        );
        let d = isis(&fs);
        let (first, last) = (d[1], d[d.len() - 1]);
        assert!(last < 1.3 * first, "FS adapted: {first} → {last}");
    }

    #[test]
    fn chattering_fires_repeated_bursts() {
        // Izhikevich 2003 Fig. 2 (CH): stereotyped bursts of closely spaced spikes, repeated.
        let d = isis(&spikes("ch", 10.0, 1000));
        let short = d.iter().filter(|&&x| x < 10.0).count();
        let long = d.iter().filter(|&&x| x > 20.0).count();
        assert!(long >= 5, "too few bursts: {d:?}");
        assert!(short >= 2 * long, "bursts are not multi-spike: {d:?}");
    }

    #[test]
    fn intrinsically_bursting_starts_with_a_burst_then_fires_singly() {
        // Izhikevich 2003 Fig. 2 (IB): an initial burst, then tonic single spikes.
        let d = isis(&spikes("ib", 10.0, 1000));
        assert!(d[0] < 10.0, "no initial burst: {d:?}");
        let tail = &d[d.len() / 2..];
        assert!(
            tail.iter().all(|&x| x > 15.0),
            "late spikes still burst: {d:?}"
        );
    }
}
