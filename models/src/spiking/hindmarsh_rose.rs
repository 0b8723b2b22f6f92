//! `HindmarshRoseNeuron` — the three-variable polynomial burster of Hindmarsh & Rose (1984).
//!
//! **Equations.** dx/dt = y − a x³ + b x² − z + I; dy/dt = c − d x² − y;
//! dz/dt = r [s (x − x_R) − z]. No reset: the step returns `true` when x crosses
//! `x_threshold` (1) upward.
//!
//! **Numerics.** Classical RK4 in substeps of at most `dt` (0.1 time units; the system is not
//! stiff); a standalone step spans `dt`, as SC-NeuroCore's does. The crossing is tested after
//! every substep.
//!
//! **Units.** Dimensionless; in a network one time unit is one millisecond and I is the value
//! of the `current` port.
//!
//! **Reference.** Hindmarsh, J.L. & Rose, R.M. (1984) "A model of neuronal bursting using
//! three coupled first order differential equations", Proc. R. Soc. Lond. B 221:87–102,
//! doi:10.1098/rspb.1984.0024 (a = 1, b = 3, c = 1, d = 5, s = 4, x_R = −1.6). The chaotic
//! regime r = 0.006, I = 3.25: e.g. Barrio, R. & Shilnikov, A. (2011) J. Math. Neurosci. 1:6,
//! doi:10.1186/2190-8567-1-6.
//!
//! **Relation to SC-NeuroCore** (spec §3). Same interface, state (`x`, `y`, `z` from −1.6,
//! −10, 2) and defaults (r = 0.001). Differences: the paper's a, c, d are parameters (defaults
//! 1, 1, 5; SC-NeuroCore hard-wires them); only RK4 is offered (no `integrator = "euler"`).
//!
//! **Paper facts tested.** The rest state is the real root of x³ + 2x² + 4x + 5.4 − I = 0
//! (x ≈ −1.6045 at I = 0); by the Routh–Hurwitz criterion on its Jacobian it is stable at
//! I = 1 (the neuron is quiescent) and unstable at I = 2 (spec §3.8); with r = 0.001 the
//! neuron bursts regularly with 9 spikes per burst and ≈ 300-unit silent gaps at I = 2 and 18
//! spikes per burst at I = 3 (spec §3.8 [computed], re-derived in the test by an independent
//! integration); with r = 0.006, I = 3.25 the bursting is irregular (chaotic) with short
//! bursts.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`HindmarshRoseNeuron`].
    pub struct HindmarshRoseParams {
        /// Cubic coefficient of the fast equation, a [1].
        a: f64 = 1.0,
        /// Quadratic coefficient of the fast equation, b [1].
        b: f64 = 3.0,
        /// Constant of the recovery equation, c [1].
        c: f64 = 1.0,
        /// Quadratic coefficient of the recovery equation, d [1].
        d: f64 = 5.0,
        /// Slow time scale of adaptation, r [1].
        r: f64 = 0.001,
        /// Adaptation gain, s [1].
        s: f64 = 4.0,
        /// Resting level of the adaptation equation, x_R [1].
        x_rest: f64 = -1.6,
        /// Time spanned by one standalone `step()`, and the largest RK4 substep, dt [time units; ms in a network].
        dt: f64 = 0.1,
        /// Event level (upward crossing of x), x_th [1].
        x_threshold: f64 = 1.0,
    }
}

impl HindmarshRoseParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("a", self.a)?;
        check::positive("r", self.r)?;
        check::positive("s", self.s)?;
        check::positive("dt", self.dt)
    }
}

neuron_state! {
    /// State of [`HindmarshRoseNeuron`].
    pub struct HindmarshRoseState {
        /// Membrane-potential-like variable, x [1].
        x: f64 => HrX,
        /// Fast recovery variable, y [1].
        y: f64 => HrY,
        /// Slow adaptation current, z [1].
        z: f64 => HrZ,
    }
}

/// Constants of [`HindmarshRoseNeuron`] for one step.
#[derive(Clone, Debug)]
pub struct HindmarshRoseConsts {
    p: HindmarshRoseParams,
    n: u32,
    h: f64,
}

/// One step: `k.n` RK4 substeps, the upward crossing of `x_threshold` tested after each.
#[inline(always)]
pub fn hr_step(k: &HindmarshRoseConsts, s: &mut HindmarshRoseState, i: f64) -> bool {
    let p = &k.p;
    let mut spiked = false;
    for _ in 0..k.n {
        let before = s.x;
        let mut u = [s.x, s.y, s.z];
        rk4(&mut u, k.h, |u| {
            let [x, y, z] = *u;
            [
                y - p.a * x * x * x + p.b * x * x - z + i,
                p.c - p.d * x * x - y,
                p.r * (p.s * (x - p.x_rest) - z),
            ]
        });
        [s.x, s.y, s.z] = u;
        if before < p.x_threshold && s.x >= p.x_threshold {
            spiked = true;
        }
    }
    spiked
}

standalone! {
/// Hindmarsh–Rose (1984) bursting neuron.
pub struct HindmarshRoseNeuron;
}

impl HindmarshRoseNeuron {
    /// Advance one step (0.1 time units by default) with drive `current` [1]; `true` if x
    /// crossed `x_threshold` upward during the step.
    pub fn step(&mut self, current: f64) -> bool {
        self.step_or_none([current])
    }
}

impl Model for HindmarshRoseNeuron {
    const NAME: &'static str = "HindmarshRoseNeuron";
    const FAMILY: Family = Family::Spiking;
    const SUMMARY: &'static str = "Hindmarsh-Rose three-variable polynomial burster";
    const REFERENCE: &'static str =
        "Hindmarsh & Rose 1984, Proc R Soc Lond B 221:87, doi:10.1098/rspb.1984.0024";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[3.0];
    const SUBSTEP: Option<&'static str> = Some("dt");
    type Params = HindmarshRoseParams;
    type State = HindmarshRoseState;
    type Consts = HindmarshRoseConsts;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &HindmarshRoseParams) -> HindmarshRoseState {
        HindmarshRoseState {
            x: -1.6,
            y: -10.0,
            z: 2.0,
        }
    }
    fn standalone_span(p: &HindmarshRoseParams) -> f64 {
        p.dt
    }
    fn prepare(p: &HindmarshRoseParams, span: f64) -> HindmarshRoseConsts {
        let (n, h) = substeps(span, p.dt);
        HindmarshRoseConsts { p: p.clone(), n, h }
    }
    #[inline(always)]
    fn update(
        k: &HindmarshRoseConsts,
        s: &mut HindmarshRoseState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> bool {
        hr_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// x of the rest state: the real root of x³ + 2x² + 4x + 5.4 − I (a = c = 1, b = 3, d = 5,
    /// s = 4, x_R = −1.6), by Newton's method.
    fn rest_x(i: f64) -> f64 {
        let mut x = -1.6f64;
        for _ in 0..100 {
            x -= (x.powi(3) + 2.0 * x * x + 4.0 * x + 5.4 - i) / (3.0 * x * x + 4.0 * x + 4.0);
        }
        x
    }

    /// Routh–Hurwitz stability of the rest state at drive `i` for slow rate `r`: the
    /// characteristic polynomial λ³ + c1λ² + c2λ + c3 of the Jacobian
    /// [[−3x² + 6x, 1, −1], [−10x, −1, 0], [4r, 0, −r]] is stable iff c1, c3 > 0 and c1c2 > c3.
    fn rest_is_stable(i: f64, r: f64) -> bool {
        let x = rest_x(i);
        let j11 = -3.0 * x * x + 6.0 * x;
        let j21 = -10.0 * x;
        let c1 = -(j11 - 1.0 - r);
        let c2 = (-j11 - j21) + (-r * j11 + 4.0 * r) + r;
        let c3 = -(j11 * r + j21 * r - 4.0 * r);
        c1 > 0.0 && c3 > 0.0 && c1 * c2 > c3
    }

    /// Spike counts of the bursts (gaps > 100 time units separate bursts) in the spike times
    /// `t`, the first burst (start-up transient) dropped.
    fn bursts(t: &[f64]) -> (Vec<usize>, Vec<f64>) {
        let (mut sizes, mut gaps, mut cur) = (Vec::new(), Vec::new(), 1);
        for w in t.windows(2) {
            if w[1] - w[0] > 100.0 {
                sizes.push(cur);
                gaps.push(w[1] - w[0]);
                cur = 1;
            } else {
                cur += 1;
            }
        }
        (sizes.split_off(1.min(sizes.len())), gaps)
    }

    fn model_spikes(p: HindmarshRoseParams, i: f64, t_end: f64) -> Vec<f64> {
        let mut n = HindmarshRoseNeuron::with_params(p).unwrap();
        (0..(t_end / 0.1) as usize)
            .filter(|_| n.step(i))
            .map(|k| k as f64 * 0.1)
            .collect()
    }

    /// Spike times from an independent integration: Heun's method at step 0.005.
    fn reference_spikes(i: f64, t_end: f64) -> Vec<f64> {
        let f = |x: f64, y: f64, z: f64| {
            (
                y - x.powi(3) + 3.0 * x * x - z + i,
                1.0 - 5.0 * x * x - y,
                0.001 * (4.0 * (x + 1.6) - z),
            )
        };
        let (mut x, mut y, mut z, h) = (-1.6f64, -10.0f64, 2.0f64, 0.005);
        let mut t = Vec::new();
        for k in 0..(t_end / h) as usize {
            let (a1, b1, c1) = f(x, y, z);
            let (a2, b2, c2) = f(x + h * a1, y + h * b1, z + h * c1);
            let xn = x + 0.5 * h * (a1 + a2);
            y += 0.5 * h * (b1 + b2);
            z += 0.5 * h * (c1 + c2);
            if x < 1.0 && xn >= 1.0 {
                t.push(k as f64 * h);
            }
            x = xn;
        }
        t
    }

    #[test]
    fn rest_state_and_its_stability() {
        // Spec §3.7: rest at I = 0 is x ≈ −1.6045, y ≈ −11.87, z ≈ −0.018.
        let x = rest_x(0.0);
        assert!((x + 1.6045).abs() < 1e-4, "{x}");
        let mut n = HindmarshRoseNeuron::new();
        for _ in 0..200_000 {
            n.step(0.0);
        }
        let s = n.state();
        assert!(
            (s.x - x).abs() < 1e-3 && (s.y + 11.87).abs() < 0.01 && (s.z + 0.018).abs() < 0.002,
            "{s:?}"
        );
        // Stable at I = 1 (quiescent), unstable at I = 2 (bursting), spec §3.8.
        assert!(rest_is_stable(1.0, 0.001) && !rest_is_stable(2.0, 0.001));
        let t = model_spikes(HindmarshRoseParams::default(), 1.0, 20_000.0);
        assert!(
            t.iter().all(|&t| t < 1000.0),
            "I = 1 keeps firing: {} spikes",
            t.len()
        );
    }

    #[test]
    fn burst_lengths_at_i_2_and_3() {
        // Spec §3.8 [computed] (r = 0.001): 9 spikes per burst, gaps ≈ 300 at I = 2; 18 at I = 3.
        for (i, size) in [(2.0, 9), (3.0, 18)] {
            let (m, gaps) = bursts(&model_spikes(HindmarshRoseParams::default(), i, 8000.0));
            let (r, _) = bursts(&reference_spikes(i, 8000.0));
            assert!(m.len() >= 5, "I = {i}: {m:?}");
            assert!(m.iter().all(|&k| k == size), "I = {i}: bursts {m:?}");
            assert_eq!(
                m,
                r[..m.len().min(r.len())].to_vec(),
                "I = {i}: model vs reference"
            );
            if i == 2.0 {
                assert!(
                    gaps[1..].iter().all(|g| (g - 301.0).abs() < 3.0),
                    "{gaps:?}"
                );
            }
        }
    }

    #[test]
    fn chaotic_bursting_at_r_0_006() {
        // r = 0.006, I = 3.25: irregular bursts of a few spikes (spec §3.8).
        let p = HindmarshRoseParams {
            r: 0.006,
            ..Default::default()
        };
        let mut t = model_spikes(p, 3.25, 20_000.0);
        t.retain(|&t| t > 2000.0);
        let mut sizes = Vec::new();
        let mut cur = 1;
        for w in t.windows(2) {
            if w[1] - w[0] > 30.0 {
                sizes.push(cur);
                cur = 1;
            } else {
                cur += 1;
            }
        }
        let mut distinct = sizes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(sizes.len() > 50 && distinct.len() >= 3, "{sizes:?}");
        assert!(sizes.iter().all(|&k| k <= 6), "{sizes:?}");
    }
}
