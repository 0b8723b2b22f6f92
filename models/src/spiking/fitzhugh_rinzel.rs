//! `FitzHughRinzelNeuron` — FitzHugh–Nagumo with a slow third variable: an elliptic burster
//! (Rinzel 1987; Izhikevich 2000).
//!
//! **Equations.** dv/dt = v − v³/3 − w + y + I; dw/dt = δ(a + v − b w); dy/dt = μ(c − v − d y).
//! No reset: the step returns `true` when v crosses `v_threshold` (1) upward. The fast (v, w)
//! pair is the FitzHugh–Nagumo oscillator driven by I + y; the slow y sweeps it back and forth
//! across its subcritical Hopf point, so bursts start near the Hopf point and end at the fold
//! of the limit cycles (elliptic bursting).
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.1 time units); a standalone step
//! spans `dt`, as in SC-NeuroCore. The crossing is tested after every substep.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond and I is the value
//! of the `current` port.
//!
//! **Reference.** Rinzel, J. (1987) "A formal classification of bursting mechanisms in
//! excitable systems", in *Mathematical Topics in Population Biology, Morphogenesis and
//! Neurosciences*, Lecture Notes in Biomathematics 71:267–281, Springer;
//! Izhikevich, E.M. (2000) "Neural excitability, spiking and bursting", Int. J. Bifurc. Chaos
//! 10:1171–1266, doi:10.1142/S0218127400000840. Defaults a = 0.7, b = 0.8, c = −0.775, d = 1,
//! δ = 0.08, μ = 10⁻⁴ with I = 0.3125 (elliptic bursting) are the set of Izhikevich (2000)
//! (spec §6.8).
//!
//! **Relation to SC-NeuroCore** (spec §6). Same interface, state (`v`, `w`, `y` from −1, −0.5,
//! 0), defaults and equations; a network step is split into RK4 substeps of at most `dt`,
//! each tested for the crossing.
//!
//! **Paper facts tested.** At I = 0.3125 the neuron bursts (spec §6.8). Elliptic mechanism:
//! bursts begin where I + y reaches the fast subsystem's Hopf point I_H = 0.3313 (closed form
//! v_H = −√(1 − bδ), I_H = (v_H + a)/b − v_H + v_H³/3) and end lower, at the fold of its limit
//! cycles (found in the test by an independent integration of the frozen fast subsystem).
//! The spec's "burst cycle of order 1/μ ≈ 10⁴" is loose: one burst plus silence takes
//! ≈ 10³ time units here (y moves by ≈ 0.01 at rate μ·O(0.2–1)).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`FitzHughRinzelNeuron`].
    pub struct FitzHughRinzelParams {
        /// Offset of the recovery nullcline, a [1].
        a: f64 = 0.7,
        /// Recovery self-coupling, b [1].
        b: f64 = 0.8,
        /// Target of the slow variable, c [1].
        c: f64 = -0.775,
        /// Self-coupling of the slow variable, d [1].
        d: f64 = 1.0,
        /// Recovery rate, δ [1].
        delta: f64 = 0.08,
        /// Slow rate, μ [1].
        mu: f64 = 1e-4,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [time units; ms in a network].
        dt: f64 = 0.1,
        /// Event level (upward crossing of v), v_th [1].
        v_threshold: f64 = 1.0,
    }
}

impl FitzHughRinzelParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("b", self.b)?;
        check::positive("d", self.d)?;
        check::positive("delta", self.delta)?;
        check::positive("mu", self.mu)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`FitzHughRinzelNeuron`].
    pub struct FitzHughRinzelState {
        /// Fast, voltage-like variable, v [1].
        v: f64 => FhrV,
        /// Recovery variable, w [1].
        w: f64 => FhrW,
        /// Slow modulating variable, y [1].
        y: f64 => FhrY,
    }
}

/// Constants of [`FitzHughRinzelNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct FitzHughRinzelConsts {
    p: FitzHughRinzelParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps, the upward crossing of `v_threshold` tested after each.
#[inline(always)]
pub fn fhr_step(k: &FitzHughRinzelConsts, s: &mut FitzHughRinzelState, i: f64) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.v;
        let mut u = [s.v, s.w, s.y];
        rk4(&mut u, k.h, |u| {
            let [v, w, y] = *u;
            [
                v - v * v * v / 3.0 - w + y + i,
                p.delta * (p.a + v - p.b * w),
                p.mu * (p.c - v - p.d * y),
            ]
        });
        [s.v, s.w, s.y] = u;
        if before < p.v_threshold && s.v >= p.v_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// FitzHugh–Rinzel elliptic burster (Rinzel 1987; Izhikevich 2000).
pub struct FitzHughRinzelNeuron;
}

impl FitzHughRinzelNeuron {
    /// Advance one step (0.1 time units by default) with drive `current` [1]; `true` if v
    /// crossed `v_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for FitzHughRinzelNeuron {
    const NAME: &'static str = "FitzHughRinzelNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "FitzHugh-Rinzel elliptic burster (FHN + slow variable)";
    const REFERENCE: &'static str = "Rinzel 1987, Lect Notes Biomath 71:267; Izhikevich 2000, Int J Bifurc Chaos 10:1171, doi:10.1142/S0218127400000840";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.3125];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = FitzHughRinzelParams;
    type State = FitzHughRinzelState;
    type Consts = FitzHughRinzelConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &FitzHughRinzelParams) -> FitzHughRinzelState {
        FitzHughRinzelState {
            v: -1.0,
            w: -0.5,
            y: 0.0,
        }
    }
    fn standalone_span(p: &FitzHughRinzelParams) -> f64 {
        p.dt
    }
    fn prepare(p: &FitzHughRinzelParams, span: f64) -> FitzHughRinzelConsts {
        let (n, h) = substeps(span, p.dt);
        FitzHughRinzelConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &FitzHughRinzelConsts,
        s: &mut FitzHughRinzelState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        fhr_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: f64 = 0.3125;

    /// Bursts over 60 000 time units at I = 0.3125 (the first 5000 dropped): for each burst,
    /// (spikes, I + y at its first spike, I + y at its last spike).
    fn bursts() -> Vec<(usize, f64, f64)> {
        let mut n = FitzHughRinzelNeuron::new();
        let mut spikes = Vec::new();
        for k in 0..600_000usize {
            let y = n.state().y;
            if n.step(I) && k > 50_000 {
                spikes.push((k as f64 * 0.1, I + y));
            }
        }
        let mut out = Vec::new();
        let mut start = 0;
        for j in 1..=spikes.len() {
            if j == spikes.len() || spikes[j].0 - spikes[j - 1].0 > 200.0 {
                out.push((j - start, spikes[start].1, spikes[j - 1].1));
                start = j;
            }
        }
        // Drop the first and last (possibly cut) bursts.
        out[1..out.len() - 1].to_vec()
    }

    /// Whether the frozen fast subsystem (FitzHugh–Nagumo at drive `i`) keeps oscillating when
    /// started on a large excursion: Heun's method at step 0.01, written here.
    fn fast_cycle_exists(i: f64) -> bool {
        let f = |v: f64, w: f64| (v - v * v * v / 3.0 - w + i, 0.08 * (0.7 + v - 0.8 * w));
        let (mut v, mut w, h) = (-2.0f64, 0.0f64, 0.01);
        let mut late_max = f64::MIN;
        for k in 0..400_000 {
            let (a1, b1) = f(v, w);
            let (a2, b2) = f(v + h * a1, w + h * b1);
            v += 0.5 * h * (a1 + a2);
            w += 0.5 * h * (b1 + b2);
            if k > 300_000 {
                late_max = late_max.max(v);
            }
        }
        late_max > 1.0
    }

    #[test]
    fn elliptic_bursting_between_hopf_point_and_fold_of_cycles() {
        // Hopf point of the fast subsystem: trace 1 − v² − δb = 0.
        let vh = -(1.0f64 - 0.8 * 0.08).sqrt();
        let i_hopf = (vh + 0.7) / 0.8 - vh + vh.powi(3) / 3.0;
        assert!((i_hopf - 0.3313).abs() < 1e-4);
        // Fold of the fast limit cycles: the lowest drive (on a 0.001 grid) keeping a cycle.
        let fold = (0..=20)
            .map(|k| 0.315 + 0.001 * k as f64)
            .find(|&i| fast_cycle_exists(i))
            .unwrap();
        assert!(
            fold < i_hopf - 0.003,
            "fold of cycles {fold} not below the Hopf point"
        );
        let b = bursts();
        assert!(b.len() >= 30, "{} bursts", b.len());
        for &(spikes, start, end) in &b {
            assert!(spikes >= 3, "{b:?}");
            // Bursts start near the Hopf point (slow passage shifts it a little) ...
            assert!((start - i_hopf).abs() < 0.006, "start at I + y = {start}");
            // ... and end well below it, at the fold of the cycles (hysteresis).
            assert!(
                (end - fold).abs() < 0.003 && end < i_hopf - 0.003,
                "end at {end}, fold {fold}"
            );
        }
    }

    #[test]
    fn intra_burst_rate_is_that_of_the_fast_oscillator() {
        // Within a burst the spikes come at the fast cycle's period (≈ 45–55 units for
        // FitzHugh–Nagumo at drives 0.32–0.34, lengthening towards the fold of the cycles),
        // far shorter than the silent gaps.
        let mut n = FitzHughRinzelNeuron::new();
        let t: Vec<f64> = (0..400_000usize)
            .filter(|_| n.step(I))
            .map(|k| k as f64 * 0.1)
            .collect();
        let mut isi: Vec<f64> = t
            .windows(2)
            .map(|w| w[1] - w[0])
            .filter(|&d| d < 200.0)
            .collect();
        let gaps = t.windows(2).filter(|w| w[1] - w[0] >= 200.0).count();
        isi.sort_by(f64::total_cmp);
        let (min, median, max) = (isi[0], isi[isi.len() / 2], isi[isi.len() - 1]);
        assert!(
            gaps >= 20 && min > 40.0 && (45.0..55.0).contains(&median),
            "{min} {median} {max}"
        );
    }
}
