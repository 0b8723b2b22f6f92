//! `AmariNeuralField` — one site of Amari's (1977) lateral-inhibition neural field.
//!
//! **Equations.** Amari (1977), Eq. 3: τ ∂u(x,t)/∂t = −u + ∫ w(x − y)·f[u(y,t)] dy + h + s(x,t),
//! with the Heaviside output f[u] = 1 for u > 0, else 0, and the Mexican-hat kernel
//! w(d) = a_exc·e^(−a_width|d|) − b_inh·e^(−b_width|d|) (SC-NeuroCore's kernel). On a grid of
//! spacing dx the integral is dx·Σ_j w(x_i − x_j)·f[u_j].
//!
//! **Entity mapping.** One site is one entity with the state `u`; it emits its activity f[u]
//! every step (a value output). A field of N sites is a population of N `AmariNeuralField`s with
//! a lateral projection from site j to site i of weight dx·w(d_ij) (i ≠ j) onto the `current`
//! port, which also carries h + s(x, t). The self-term dx·w(0) = dx·(a_exc − b_inh) is applied
//! inside the kernel. A value projection delivers the activity of the previous step, which is
//! exactly the pre-update activity SC-NeuroCore's update uses, so the state stays one scalar
//! per site.
//!
//! **Numerics.** With the activities held over the step, the site relaxes exactly:
//! u ← c + (u − c)·e^(−h/τ), c = current + dx·w(0)·f[u] (SC-NeuroCore: forward Euler, identical
//! to first order at h/τ = 0.05). A standalone step spans 0.5 (τ units; ms in a network).
//!
//! **Reference.** Amari, S. (1977) Dynamics of pattern formation in lateral-inhibition type
//! neural fields. Biol. Cybern. 27:77–87, doi:10.1007/BF00337259.
//!
//! **Relation to SC-NeuroCore** (spec §24). Same equation, kernel and defaults (τ 10,
//! a_exc 1.5, a_width 2, b_inh 0.75, b_width 1, dx 0.5, step 0.5), state `u` and port
//! `current`. SC-NeuroCore holds the whole ring (n = 64 sites) in one object, takes a scalar or
//! n-vector and returns the fraction of active sites; here a site is an entity (above), its
//! output is its own activity (the population's mean output is SC-NeuroCore's return value),
//! n is the population size and the ring topology is the projection's. Exact relaxation
//! replaces Euler. The spec's caveat stands: at dx = 0.5 the self-term pins bump widths; use
//! dx ≲ 0.05 to compare with the continuum theory.
//!
//! **Paper fact tested** (Amari 1977, Theorem 1 / spec §24.8, re-derived in the test): with
//! W(a) = ∫₀^a w = 0.75(e^(−a) − e^(−2a)), a uniform h ∈ (−W_max, 0) = (−0.1875, 0) admits a
//! stable bump whose width solves W(a) = −h on the branch where w(a) < 0 (a = 1.842 for
//! h = −0.1); on a fine ring (n = 400, dx = 0.05) a seeded bump settles at a width in
//! [1.7, 2.1]; for h < −W_max no bump survives; a field at rest stays at rest.

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`AmariNeuralField`].
    pub struct AmariNeuralFieldParams {
        /// Field time constant, τ [τ units; ms in a network].
        tau: f64 = 10.0,
        /// Excitation amplitude, a_exc [1].
        a_exc: f64 = 1.5,
        /// Excitation inverse width, a_width [1/length].
        a_width: f64 = 2.0,
        /// Inhibition amplitude, b_inh [1].
        b_inh: f64 = 0.75,
        /// Inhibition inverse width, b_width [1/length].
        b_width: f64 = 1.0,
        /// Site spacing, dx [length].
        dx: f64 = 0.5,
        /// Time spanned by one standalone `step()` [τ units; ms in a network].
        span: f64 = 0.5,
    }
}

impl AmariNeuralFieldParams {
    fn check(&self) -> Result<(), ParamError> {
        check::positive("tau", self.tau)?;
        check::non_negative("a_exc", self.a_exc)?;
        check::non_negative("b_inh", self.b_inh)?;
        check::positive("a_width", self.a_width)?;
        check::positive("b_width", self.b_width)?;
        check::positive("dx", self.dx)?;
        check::positive("span", self.span)
    }

    /// The kernel w(d) at distance `d` [1]; a lateral projection between sites at distance d
    /// has weight `dx·kernel(d)`.
    pub fn kernel(&self, d: f64) -> f64 {
        self.a_exc * (-self.a_width * d.abs()).exp() - self.b_inh * (-self.b_width * d.abs()).exp()
    }
}

neuron_state! {
    /// State of [`AmariNeuralField`].
    pub struct AmariNeuralFieldState {
        /// Field potential at this site, u [1].
        u: f64 => AmariU,
    }
}

/// Constants of [`AmariNeuralField`] for one step.
#[derive(Clone, Debug)]
pub struct AmariNeuralFieldConsts {
    decay: f64,
    w_self: f64,
}

/// One exact step with input `current` (h + s + lateral input); returns the activity f[u].
#[inline(always)]
pub fn amari_step(k: &AmariNeuralFieldConsts, s: &mut AmariNeuralFieldState, current: f64) -> f64 {
    let active = if s.u > 0.0 { 1.0 } else { 0.0 };
    let target = current + k.w_self * active;
    s.u = target + (s.u - target) * k.decay;
    if s.u > 0.0 { 1.0 } else { 0.0 }
}

standalone! {
/// One site of Amari's (1977) lateral-inhibition neural field (Heaviside output).
pub struct AmariNeuralField;
}

impl AmariNeuralField {
    /// Advance one step with input `current` (h + s + lateral input); returns the site's
    /// activity (1 if u > 0, else 0).
    pub fn step(&mut self, current: f64) -> f64 {
        self.step_or_none([current])
    }
}

impl Model for AmariNeuralField {
    const NAME: &'static str = "AmariNeuralField";
    const FAMILY: Family = Family::Rate;
    const SUMMARY: &'static str =
        "One site of Amari's 1977 lateral-inhibition field (value output: activity f[u])";
    const REFERENCE: &'static str = "Amari 1977, Biol Cybern 27:77, doi:10.1007/BF00337259";
    const PORTS: &'static [&'static str] = &["current"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Continuous;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[0.2];
    const SUBSTEP: Option<&'static str> = None;
    type Params = AmariNeuralFieldParams;
    type State = AmariNeuralFieldState;
    type Consts = AmariNeuralFieldConsts;
    type Ports = [f64; 1];
    type Output = f64;

    fn init(_: &AmariNeuralFieldParams) -> AmariNeuralFieldState {
        AmariNeuralFieldState { u: 0.0 }
    }
    fn standalone_span(p: &AmariNeuralFieldParams) -> f64 {
        p.span
    }
    fn prepare(p: &AmariNeuralFieldParams, span: f64) -> AmariNeuralFieldConsts {
        AmariNeuralFieldConsts {
            decay: (-span / p.tau).exp(),
            w_self: p.dx * p.kernel(0.0),
        }
    }
    #[inline(always)]
    fn update(
        k: &AmariNeuralFieldConsts,
        s: &mut AmariNeuralFieldState,
        x: &Input<[f64; 1]>,
        _: &mut NeuronRng,
    ) -> f64 {
        amari_step(k, s, x.ports[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring of `n` sites at spacing `dx` under uniform `h`, seeded with `seed` active sites;
    /// the lateral input (the network's projection, one-step delay) is computed here. Returns
    /// the number of active sites after `steps` steps.
    fn ring(n: usize, dx: f64, h: f64, seed: usize, steps: usize) -> usize {
        let p = AmariNeuralFieldParams {
            dx,
            ..Default::default()
        };
        let w: Vec<f64> = (0..n)
            .map(|m| {
                let d = m.min(n - m) as f64 * dx;
                // Independent kernel: 1.5 e^(−2d) − 0.75 e^(−d).
                if m == 0 {
                    0.0
                } else {
                    dx * (1.5 * (-2.0 * d).exp() - 0.75 * (-d).exp())
                }
            })
            .collect();
        let mut sites: Vec<AmariNeuralField> = (0..n)
            .map(|i| {
                let mut s = AmariNeuralField::with_params(p.clone()).unwrap();
                s.state_mut().u = if i < seed { 0.5 } else { h };
                s
            })
            .collect();
        let mut act: Vec<f64> = sites
            .iter()
            .map(|s| (s.state().u > 0.0) as u8 as f64)
            .collect();
        for _ in 0..steps {
            let lateral: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| w[(i + n - j) % n] * act[j]).sum())
                .collect();
            for i in 0..n {
                act[i] = sites[i].step(h + lateral[i]);
            }
        }
        act.iter().filter(|&&a| a > 0.0).count()
    }

    /// Bump widths a with W(a) = 0.75(e^(−a) − e^(−2a)) = −h: q = e^(−a) solves
    /// q² − q − h/0.75 = 0.
    fn widths(h: f64) -> (f64, f64) {
        let disc = (1.0 + 4.0 * h / 0.75).sqrt();
        let (q_small, q_large) = ((1.0 - disc) / 2.0, (1.0 + disc) / 2.0);
        (-q_small.ln(), -q_large.ln())
    }

    #[test]
    fn bump_width_solves_w_of_a_equals_minus_h() {
        // Amari 1977 / spec §24.8: h = −0.1 → stable a = 1.842, unstable 0.172.
        let (stable, unstable) = widths(-0.1);
        assert!((stable - 1.842).abs() < 1e-3 && (unstable - 0.172).abs() < 1e-3);
        // The stable branch has w(a) < 0, the unstable one w(a) > 0.
        let p = AmariNeuralFieldParams::default();
        assert!(p.kernel(stable) < 0.0 && p.kernel(unstable) > 0.0);
        // A seeded bump on a fine ring settles at a width bracketing the theory.
        let active = ring(400, 0.05, -0.1, 30, 1200);
        let width = active as f64 * 0.05;
        assert!((1.7..=2.1).contains(&width), "width {width} vs {stable}");
    }

    #[test]
    fn no_bump_below_minus_w_max_and_rest_stays_at_rest() {
        // W_max = 0.1875 at a = ln 2: for h = −0.25 a seeded bump dies.
        assert_eq!(ring(200, 0.05, -0.25, 30, 1200), 0);
        // With no seed and h < 0 the field stays inactive.
        assert_eq!(ring(200, 0.05, -0.1, 0, 200), 0);
    }

    #[test]
    fn site_relaxes_exactly_with_its_self_term() {
        // An isolated active site: u → current + dx·w(0) = −0.1 + 0.5·0.75 = 0.275.
        let mut s = AmariNeuralField::new();
        s.state_mut().u = 0.01;
        s.step(-0.1);
        let want = 0.275 + (0.01 - 0.275) * (-0.05f64).exp();
        assert!((s.state().u - want).abs() < 1e-12);
    }
}
