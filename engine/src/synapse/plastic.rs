//! Synaptic plasticity of a projection: spike-timing-dependent plasticity (pair-based STDP,
//! Vogels-Sprekeler inhibitory plasticity) and Tsodyks-Markram short-term plasticity, alone or
//! combined on one projection.
//!
//! # Semantics (NEST's, so results compare with NEST 3)
//!
//! Spike times are step stamps: a spike emitted in step `s` has stamp `s + 1` (the end of its
//! step, as NEST stamps spikes). The whole synaptic delay `d` is **dendritic**, as in NEST's
//! `stdp_synapse`: a presynaptic spike meets the synapse at its own stamp `t_pre` and reaches
//! the soma `d` later; a postsynaptic spike meets the synapse `d` after its stamp. The pair
//! interval is therefore `Δ = (t_post + d) − t_pre`, and
//!
//! - **facilitation** (`Δ > 0`): when a postsynaptic spike meets the synapse, the weight takes
//!   `w ← F(w, K₊)` with `K₊` the presynaptic trace (`Σ exp(−(t − t_pre)/τ₊)` over earlier
//!   presynaptic spikes) at that moment;
//! - **depression** (`Δ < 0`): when a presynaptic spike meets the synapse, `w ← D(w, K₋)` with
//!   `K₋` the postsynaptic trace (`τ₋`) of the spikes that met the synapse strictly earlier;
//!   then the event is sent with the new weight and `K₊` jumps by 1. A pair at `Δ = 0` changes
//!   nothing (NEST's choice).
//!
//! With `F(w, k) = min(1, w/W + λ (1 − w/W)^μ₊ k) W` and
//! `D(w, k) = max(0, w/W − α λ (w/W)^μ₋ k) W`, `μ = 0` is additive STDP, `μ = 1` multiplicative
//! (van Rossum et al. 2000), and `0 < μ < 1` Gütig et al. (2003). All pairs count (NEST's
//! all-to-all `stdp_synapse`).
//!
//! NEST evaluates the facilitations lazily when the next presynaptic spike arrives; this
//! engine applies each one in the step the postsynaptic spike meets the synapse, at the start
//! of the Propagate set (before that step's presynaptic spikes, which still see `K₊` without
//! themselves). The weight goes through the same operations in the same order, so after a
//! step in which the source neuron fired the weight is NEST's at that spike (what NEST's
//! `weight_recorder` logs); a weight read at other times already holds the facilitations NEST
//! has not yet applied, so the final weights of a run include postsynaptic spikes after the
//! last presynaptic one, which NEST's do not.
//!
//! **Short-term plasticity** follows Tsodyks, Uziel & Markram (2000) in the form of NEST's
//! `tsodyks2_synapse`: at each presynaptic spike, after an interval `h` since the previous one,
//! `x ← 1 + (x − x u − 1) e^(−h/τ_rec)`, `u ← U + u (1 − U) e^(−h/τ_fac)` (`0` when
//! `τ_fac = 0`), and the event carries `w x u`. The first spike finds `x = x0`, `u = u0`
//! (defaults 1 and `U`, the resting synapse), as in NEST 3.10. The state depends only on the
//! presynaptic train, so it is held once per source neuron. With STDP on the same projection, `w` is the plastic weight.
//!
//! **Vogels-Sprekeler** (Vogels et al. 2011, Science 334:1569; NEST's
//! `vogels_sprekeler_synapse`) uses one time constant `τ` for both traces: a postsynaptic spike
//! meeting the synapse adds `η K_pre`, a presynaptic spike adds `η K_post` and then subtracts
//! `α η`, with `|w|` clipped to `[0, W]` after each step and the sign of the weight kept.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::IntoScheduleConfigs;
use serde::{Deserialize, Serialize};

use super::{Delays, PopSynapses, Projection, Synapses, Weights};
use crate::schedule::StepSet;
use crate::world::{Clock, Populations, StepSpikes};

fn d_tau() -> f64 {
    20.0
}
fn d_lambda() -> f64 {
    0.01
}
fn d_one() -> f64 {
    1.0
}
fn d_wmax() -> f64 {
    100.0
}
fn d_u() -> f64 {
    0.5
}
fn d_tau_rec() -> f64 {
    800.0
}
fn d_tau_vs() -> f64 {
    20.0
}
fn d_eta() -> f64 {
    0.001
}
fn d_alpha_vs() -> f64 {
    0.12
}

/// Short-term plasticity (Tsodyks-Markram, NEST's `tsodyks2_synapse`). Defaults are NEST's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StpSpec {
    /// Utilization increment `U` (0..1].
    #[serde(rename = "U", default = "d_u")]
    pub big_u: f64,
    /// Recovery time constant of the resources, ms (> 0).
    #[serde(default = "d_tau_rec")]
    pub tau_rec: f64,
    /// Facilitation time constant, ms (0 = no facilitation).
    #[serde(default)]
    pub tau_fac: f64,
    /// Utilization the state starts with (NEST's `u`; `U` if absent).
    #[serde(default)]
    pub u0: Option<f64>,
    /// Resources the state starts with (NEST's `x`).
    #[serde(default = "d_one")]
    pub x0: f64,
}

impl Default for StpSpec {
    fn default() -> Self {
        Self {
            big_u: d_u(),
            tau_rec: d_tau_rec(),
            tau_fac: 0.0,
            u0: None,
            x0: 1.0,
        }
    }
}

/// The synapse model of a projection (scene field `synapse:`). `static` if absent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SynapseSpec {
    /// Fixed weights.
    #[default]
    Static,
    /// Pair-based STDP, all-to-all pairing (NEST's `stdp_synapse`; defaults are NEST's, with
    /// `tau_minus` NEST's neuron default).
    Stdp {
        /// Presynaptic trace time constant, ms.
        #[serde(default = "d_tau")]
        tau_plus: f64,
        /// Postsynaptic trace time constant, ms.
        #[serde(default = "d_tau")]
        tau_minus: f64,
        /// Learning rate λ.
        #[serde(default = "d_lambda")]
        lambda: f64,
        /// Depression-to-facilitation ratio α.
        #[serde(default = "d_one")]
        alpha: f64,
        /// Weight dependence exponent of facilitation (0 additive, 1 multiplicative).
        #[serde(default = "d_one")]
        mu_plus: f64,
        /// Weight dependence exponent of depression.
        #[serde(default = "d_one")]
        mu_minus: f64,
        /// Largest weight (the weights' sign).
        #[serde(default = "d_wmax")]
        w_max: f64,
        /// Short-term plasticity on the same projection.
        #[serde(default)]
        stp: Option<StpSpec>,
    },
    /// Short-term plasticity alone (NEST's `tsodyks2_synapse`).
    TsodyksMarkram {
        /// Utilization increment `U` (0..1].
        #[serde(rename = "U", default = "d_u")]
        big_u: f64,
        /// Recovery time constant, ms.
        #[serde(default = "d_tau_rec")]
        tau_rec: f64,
        /// Facilitation time constant, ms (0 = none).
        #[serde(default)]
        tau_fac: f64,
        /// Initial utilization (`U` if absent).
        #[serde(default)]
        u0: Option<f64>,
        /// Initial resources.
        #[serde(default = "d_one")]
        x0: f64,
    },
    /// Inhibitory plasticity of Vogels et al. (2011) (NEST's `vogels_sprekeler_synapse`;
    /// defaults are NEST's).
    VogelsSprekeler {
        /// Time constant of both traces, ms.
        #[serde(default = "d_tau_vs")]
        tau: f64,
        /// Learning rate η.
        #[serde(default = "d_eta")]
        eta: f64,
        /// Constant depression α (sets the target rate `ρ₀ = α / (2τ)`).
        #[serde(default = "d_alpha_vs")]
        alpha: f64,
        /// Largest |weight|.
        #[serde(default = "d_one")]
        w_max: f64,
        /// Short-term plasticity on the same projection.
        #[serde(default)]
        stp: Option<StpSpec>,
    },
}

/// The long-term (weight) rule of a plastic projection.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightRule {
    /// Pair-based STDP.
    Stdp {
        /// τ₊, ms.
        tau_plus: f64,
        /// τ₋, ms.
        tau_minus: f64,
        /// λ.
        lambda: f64,
        /// α.
        alpha: f64,
        /// μ₊.
        mu_plus: f64,
        /// μ₋.
        mu_minus: f64,
        /// W.
        w_max: f64,
    },
    /// Vogels-Sprekeler.
    VogelsSprekeler {
        /// τ (both traces), ms.
        tau: f64,
        /// η.
        eta: f64,
        /// α.
        alpha: f64,
        /// W.
        w_max: f64,
    },
}

impl WeightRule {
    /// Time constants of the presynaptic and postsynaptic traces, ms.
    fn taus(&self) -> (f64, f64) {
        match *self {
            WeightRule::Stdp {
                tau_plus,
                tau_minus,
                ..
            } => (tau_plus, tau_minus),
            WeightRule::VogelsSprekeler { tau, .. } => (tau, tau),
        }
    }

    /// A postsynaptic spike meets the synapse while the presynaptic trace is `k`.
    #[inline]
    fn on_post(&self, w: f64, k: f64) -> f64 {
        match *self {
            WeightRule::Stdp {
                lambda,
                mu_plus,
                w_max,
                ..
            } => {
                let x = w / w_max;
                let n = x + lambda * pow(1.0 - x, mu_plus) * k;
                if n < 1.0 { n * w_max } else { w_max }
            }
            WeightRule::VogelsSprekeler { eta, w_max, .. } => vs_add(w, eta * k, w_max),
        }
    }

    /// A presynaptic spike meets the synapse while the postsynaptic trace is `k`.
    #[inline]
    fn on_pre(&self, w: f64, k: f64) -> f64 {
        match *self {
            WeightRule::Stdp {
                lambda,
                alpha,
                mu_minus,
                w_max,
                ..
            } => {
                if k == 0.0 {
                    return w;
                }
                let x = w / w_max;
                let n = x - alpha * lambda * pow(x, mu_minus) * k;
                if n > 0.0 { n * w_max } else { 0.0 }
            }
            WeightRule::VogelsSprekeler {
                eta, alpha, w_max, ..
            } => {
                let w = vs_add(w, eta * k, w_max);
                vs_add(w, -alpha * eta, w_max)
            }
        }
    }
}

/// `x^m`, exact for the common exponents 0 and 1.
#[inline]
fn pow(x: f64, m: f64) -> f64 {
    if m == 0.0 {
        1.0
    } else if m == 1.0 {
        x
    } else {
        x.powf(m)
    }
}

/// Vogels-Sprekeler step: `|w| + a`, clipped to `[0, |W|]`, with the sign of `W`.
#[inline]
fn vs_add(w: f64, a: f64, w_max: f64) -> f64 {
    let m = w_max.abs();
    let n = (w.abs() + a).clamp(0.0, m);
    n.copysign(w_max)
}

/// Short-term plasticity parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Stp {
    /// `U`.
    pub big_u: f64,
    /// τ_rec, ms.
    pub tau_rec: f64,
    /// τ_fac, ms.
    pub tau_fac: f64,
}

/// A postsynaptic spike in the archive: its stamp and the postsynaptic trace just after it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PostSpike {
    /// Stamp (step + 1).
    pub stamp: u64,
    /// Trace value just after the spike.
    pub k: f64,
}

/// The plastic state of a projection.
#[derive(Clone, Debug)]
pub struct Plastic {
    /// The weight rule (none: short-term plasticity only).
    pub rule: Option<WeightRule>,
    /// Short-term plasticity.
    pub stp: Option<Stp>,
    /// Step length, ms.
    pub dt: f64,
    /// Per synapse (CSR order): the weight.
    pub w: Vec<f64>,
    /// Per source neuron: the presynaptic trace just after its last spike.
    pub k_pre: Vec<f64>,
    /// Per source neuron: the stamp of its last spike (0 before any).
    pub last_pre: Vec<u64>,
    /// Per source neuron: the STP utilization at its last spike (`u0` before any).
    pub u: Vec<f64>,
    /// Per source neuron: the STP resources at its last spike (`x0` before any).
    pub x: Vec<f64>,
    /// Per target neuron: its recent spikes, oldest first (kept while a presynaptic spike may
    /// still ask for the trace before them; see [`Plastic::archive`]).
    pub post: Vec<VecDeque<PostSpike>>,
    /// Target index: for target `j`, `by_tgt[tgt_ptr[j]..tgt_ptr[j + 1]]` are its synapses as
    /// (synapse index, source row), sorted by delay then synapse index.
    pub tgt_ptr: Vec<usize>,
    /// See `tgt_ptr`.
    pub by_tgt: Vec<(u32, u32)>,
    /// The delays (steps) the projection has, ascending.
    pub delay_set: Vec<u16>,
    /// Postsynaptic spikes by stamp modulo `queue.len()` (local target indices).
    pub queue: Vec<Vec<u32>>,
    /// Largest delay, steps.
    pub d_max: u64,
}

/// Which rule and STP a validated spec asks for.
pub fn rules_of(spec: &SynapseSpec) -> (Option<WeightRule>, Option<StpSpec>) {
    match spec {
        SynapseSpec::Static => (None, None),
        SynapseSpec::Stdp {
            tau_plus,
            tau_minus,
            lambda,
            alpha,
            mu_plus,
            mu_minus,
            w_max,
            stp,
        } => (
            Some(WeightRule::Stdp {
                tau_plus: *tau_plus,
                tau_minus: *tau_minus,
                lambda: *lambda,
                alpha: *alpha,
                mu_plus: *mu_plus,
                mu_minus: *mu_minus,
                w_max: *w_max,
            }),
            stp.clone(),
        ),
        SynapseSpec::TsodyksMarkram {
            big_u,
            tau_rec,
            tau_fac,
            u0,
            x0,
        } => (
            None,
            Some(StpSpec {
                big_u: *big_u,
                tau_rec: *tau_rec,
                tau_fac: *tau_fac,
                u0: *u0,
                x0: *x0,
            }),
        ),
        SynapseSpec::VogelsSprekeler {
            tau,
            eta,
            alpha,
            w_max,
            stp,
        } => (
            Some(WeightRule::VogelsSprekeler {
                tau: *tau,
                eta: *eta,
                alpha: *alpha,
                w_max: *w_max,
            }),
            stp.clone(),
        ),
    }
}

/// Check a synapse spec: every parameter finite and in range, and the projection's weights
/// (`lo..=hi`) inside what the rule allows. Errors name the field (relative to `synapse`).
pub fn check(spec: &SynapseSpec, lo: f64, hi: f64) -> Result<(), (String, String)> {
    let (rule, stp) = rules_of(spec);
    let fail = |f: &str, m: String| Err((f.to_string(), m));
    let positive = |f: &str, v: f64| -> Result<(), (String, String)> {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err((
                f.to_string(),
                format!("must be a finite number > 0, got {v}"),
            ))
        }
    };
    let nonneg = |f: &str, v: f64| -> Result<(), (String, String)> {
        if v.is_finite() && v >= 0.0 {
            Ok(())
        } else {
            Err((
                f.to_string(),
                format!("must be a finite number >= 0, got {v}"),
            ))
        }
    };
    match &rule {
        Some(WeightRule::Stdp {
            tau_plus,
            tau_minus,
            lambda,
            alpha,
            mu_plus,
            mu_minus,
            w_max,
        }) => {
            positive("tau_plus", *tau_plus)?;
            positive("tau_minus", *tau_minus)?;
            nonneg("lambda", *lambda)?;
            nonneg("alpha", *alpha)?;
            nonneg("mu_plus", *mu_plus)?;
            nonneg("mu_minus", *mu_minus)?;
            if !(w_max.is_finite() && *w_max != 0.0) {
                return fail("w_max", format!("must be finite and non-zero, got {w_max}"));
            }
            let (a, b) = if *w_max > 0.0 {
                (0.0, *w_max)
            } else {
                (*w_max, 0.0)
            };
            if lo < a || hi > b {
                return fail(
                    "w_max",
                    format!(
                        "the projection's weights span [{lo}, {hi}], outside [{a}, {b}]: STDP weights keep the sign of w_max and |w| <= |w_max|"
                    ),
                );
            }
        }
        Some(WeightRule::VogelsSprekeler {
            tau,
            eta,
            alpha,
            w_max,
        }) => {
            positive("tau", *tau)?;
            nonneg("eta", *eta)?;
            nonneg("alpha", *alpha)?;
            if !(w_max.is_finite() && *w_max != 0.0) {
                return fail("w_max", format!("must be finite and non-zero, got {w_max}"));
            }
            if lo * w_max.signum() < 0.0 || hi * w_max.signum() < 0.0 {
                return fail(
                    "w_max",
                    format!(
                        "the projection's weights span [{lo}, {hi}]; Vogels-Sprekeler weights keep the sign of w_max = {w_max}"
                    ),
                );
            }
        }
        None => {}
    }
    if let Some(s) = &stp {
        let pre = if rule.is_some() { "stp." } else { "" };
        if !(s.big_u.is_finite() && s.big_u > 0.0 && s.big_u <= 1.0) {
            return fail(
                &format!("{pre}U"),
                format!("must be in (0, 1], got {}", s.big_u),
            );
        }
        positive(&format!("{pre}tau_rec"), s.tau_rec)?;
        nonneg(&format!("{pre}tau_fac"), s.tau_fac)?;
        if let Some(u0) = s.u0
            && !(u0.is_finite() && (0.0..=1.0).contains(&u0))
        {
            return fail(&format!("{pre}u0"), format!("must be in [0, 1], got {u0}"));
        }
        if !(s.x0.is_finite() && (0.0..=1.0).contains(&s.x0)) {
            return fail(
                &format!("{pre}x0"),
                format!("must be in [0, 1], got {}", s.x0),
            );
        }
    }
    Ok(())
}

impl Plastic {
    /// The plastic state of `proj` (its CSR, weights and delays built) under `spec`, with
    /// `n_tgt` target neurons; `None` for a static synapse.
    pub fn new(spec: &SynapseSpec, proj: &Projection, n_tgt: usize, dt: f64) -> Option<Self> {
        let (rule, stp) = rules_of(spec);
        if rule.is_none() && stp.is_none() {
            return None;
        }
        let n_syn = proj.targets.len();
        let n_src = proj.row_ptr.len() - 1;
        let w: Vec<f64> = match &proj.weights {
            Weights::Const(c) => vec![*c; n_syn],
            Weights::PerSynapse(v) => v.iter().map(|&x| x as f64).collect(),
        };
        let delay = |k: usize| match &proj.delays {
            Delays::Const(d) => *d,
            Delays::PerSynapse(v) => v[k],
        };
        // Target index, sorted by (target, delay, synapse).
        let mut tgt_ptr = vec![0usize; n_tgt + 1];
        for &t in &proj.targets {
            tgt_ptr[t as usize + 1] += 1;
        }
        for j in 0..n_tgt {
            tgt_ptr[j + 1] += tgt_ptr[j];
        }
        let mut fill = tgt_ptr.clone();
        let mut by_tgt = vec![(0u32, 0u32); n_syn];
        for r in 0..n_src {
            for k in proj.row_ptr[r]..proj.row_ptr[r + 1] {
                let t = proj.targets[k] as usize;
                by_tgt[fill[t]] = (k as u32, r as u32);
                fill[t] += 1;
            }
        }
        if matches!(proj.delays, Delays::PerSynapse(_)) {
            for j in 0..n_tgt {
                by_tgt[tgt_ptr[j]..tgt_ptr[j + 1]].sort_by_key(|&(k, _)| (delay(k as usize), k));
            }
        }
        let mut delay_set: Vec<u16> = match &proj.delays {
            Delays::Const(d) => vec![*d],
            Delays::PerSynapse(v) => v.clone(),
        };
        delay_set.sort_unstable();
        delay_set.dedup();
        let d_max = delay_set.last().copied().unwrap_or(1) as u64;
        let (u0, x0) = stp
            .as_ref()
            .map(|s| (s.u0.unwrap_or(s.big_u), s.x0))
            .unwrap_or((0.0, 1.0));
        let has_stp = stp.is_some();
        Some(Self {
            rule,
            stp: stp.map(|s| Stp {
                big_u: s.big_u,
                tau_rec: s.tau_rec,
                tau_fac: s.tau_fac,
            }),
            dt,
            w,
            k_pre: vec![0.0; n_src],
            last_pre: vec![0; n_src],
            u: if has_stp { vec![u0; n_src] } else { Vec::new() },
            x: if has_stp { vec![x0; n_src] } else { Vec::new() },
            post: vec![VecDeque::new(); n_tgt],
            tgt_ptr,
            by_tgt,
            delay_set,
            queue: vec![Vec::new(); d_max as usize + 1],
            d_max,
        })
    }

    /// Bytes of plastic state (weights, traces, the target index; not the spike archive).
    pub fn bytes(&self) -> usize {
        self.w.len() * 8
            + (self.k_pre.len() + self.u.len() + self.x.len()) * 8
            + self.last_pre.len() * 8
            + self.tgt_ptr.len() * 8
            + self.by_tgt.len() * 8
            + self.post.len() * std::mem::size_of::<VecDeque<PostSpike>>()
    }

    /// The postsynaptic trace of target `j` strictly before stamp `t` (0 with no spike then).
    #[inline]
    fn k_post_before(&self, j: usize, t: u64, tau_minus: f64) -> f64 {
        let h = &self.post[j];
        // Newest first: almost always the newest or the one before it.
        for e in h.iter().rev() {
            if e.stamp < t {
                return e.k * (-((t - e.stamp) as f64) * self.dt / tau_minus).exp();
            }
        }
        0.0
    }

    /// Presynaptic spike of source row `row` of `proj` (whose plastic state this is, taken out
    /// of it for the call) in step `step`: update the row's synapses and its STP state, and add
    /// the events (times `amp`) into the target's ring.
    pub fn send_row(
        &mut self,
        proj: &Projection,
        ps: &mut PopSynapses,
        row: usize,
        amp: f64,
        step: u64,
    ) {
        let stamp = step + 1;
        let (a, b) = (proj.row_ptr[row], proj.row_ptr[row + 1]);
        // Short-term plasticity: one state per source neuron.
        let mut eff = amp;
        if let Some(s) = &self.stp {
            if self.last_pre[row] > 0 {
                let h = (stamp - self.last_pre[row]) as f64 * self.dt;
                let xd = (-h / s.tau_rec).exp();
                let ud = if s.tau_fac < 1e-10 {
                    0.0
                } else {
                    (-h / s.tau_fac).exp()
                };
                let (u, x) = (self.u[row], self.x[row]);
                self.x[row] = 1.0 + (x - x * u - 1.0) * xd;
                self.u[row] = s.big_u + u * (1.0 - s.big_u) * ud;
            }
            let (u, x) = (self.u[row], self.x[row]);
            eff = amp * x * u;
        }
        let n = ps.n;
        let slots = ps.slots as u64;
        let ring = &mut ps.channels[proj.channel].ring;
        let tau_minus = self.rule.as_ref().map(|r| r.taus().1).unwrap_or(1.0);
        for k in a..b {
            let j = proj.targets[k] as usize;
            let d = match &proj.delays {
                Delays::Const(d) => *d,
                Delays::PerSynapse(v) => v[k],
            } as u64;
            if let Some(rule) = &self.rule {
                let kp = self.k_post_before(j, stamp.saturating_sub(d), tau_minus);
                self.w[k] = rule.on_pre(self.w[k], kp);
            }
            let s = ((step + d) % slots) as usize;
            ring[s * n + j] += self.w[k] * eff;
        }
        if let Some(rule) = &self.rule {
            let tau_plus = rule.taus().0;
            let dtp = (stamp - self.last_pre[row]) as f64 * self.dt;
            self.k_pre[row] = self.k_pre[row] * (-dtp / tau_plus).exp() + 1.0;
        }
        self.last_pre[row] = stamp;
    }

    /// Postsynaptic spikes of step `step` (`locals`, target local indices, ascending), stamp
    /// `step + 1`: archive each with its trace and queue it until it meets its synapses.
    pub fn post_spikes(&mut self, locals: &[u32], step: u64) {
        let Some(rule) = &self.rule else {
            return;
        };
        let tau_minus = rule.taus().1;
        let stamp = step + 1;
        let q = self.queue.len() as u64;
        let slot = (stamp % q) as usize;
        self.queue[slot].clear();
        self.queue[slot].extend_from_slice(locals);
        for &j in locals {
            self.archive(j as usize, stamp, tau_minus);
        }
    }

    /// Facilitation of step `step` (stamp `step + 1`), run before that step's presynaptic
    /// spikes: every postsynaptic spike of stamp `step + 1 − d` meets its synapses of delay
    /// `d` now, while the presynaptic traces hold only earlier presynaptic spikes.
    pub fn facilitate(&mut self, step: u64, delays: &Delays) {
        let Some(rule) = &self.rule else {
            return;
        };
        let tau_plus = rule.taus().0;
        let now = step + 1;
        let q = self.queue.len() as u64;
        for &d in &self.delay_set {
            let d = d as u64;
            if d == 0 || d >= now {
                continue;
            }
            let t_post = now - d;
            for &j in &self.queue[(t_post % q) as usize] {
                let j = j as usize;
                let syn = &self.by_tgt[self.tgt_ptr[j]..self.tgt_ptr[j + 1]];
                let range = match delays {
                    Delays::Const(_) => syn,
                    Delays::PerSynapse(v) => {
                        let lo = syn.partition_point(|&(k, _)| (v[k as usize] as u64) < d);
                        let hi = syn.partition_point(|&(k, _)| (v[k as usize] as u64) <= d);
                        &syn[lo..hi]
                    }
                };
                for &(k, r) in range {
                    let r = r as usize;
                    let kp = self.k_pre[r];
                    if kp == 0.0 {
                        continue;
                    }
                    let since = (now - self.last_pre[r]) as f64 * self.dt;
                    let k = k as usize;
                    self.w[k] = rule.on_post(self.w[k], kp * (-since / tau_plus).exp());
                }
            }
        }
    }

    /// Archive a postsynaptic spike of target `j` at `stamp`, dropping spikes no later
    /// presynaptic spike can ask about (a query at stamp `T ≥ stamp + 1 − d_max` needs only the
    /// newest spike before `T`).
    fn archive(&mut self, j: usize, stamp: u64, tau_minus: f64) {
        let h = &mut self.post[j];
        let k = match h.back() {
            Some(e) => e.k * (-((stamp - e.stamp) as f64) * self.dt / tau_minus).exp() + 1.0,
            None => 1.0,
        };
        h.push_back(PostSpike { stamp, k });
        while h.len() >= 2 && h[1].stamp + self.d_max <= stamp {
            h.pop_front();
        }
    }
}

/// Plasticity set: the postsynaptic side of every plastic projection (archive this step's
/// spikes of its target population and queue them until they meet their synapses, which
/// [`Plastic::facilitate`] applies in the Propagate set of that step).
pub fn plasticity_system(
    mut syn: ResMut<Synapses>,
    spikes: Res<StepSpikes>,
    pops: Res<Populations>,
    clock: Res<Clock>,
) {
    let syn = &mut *syn;
    let mut locals: Vec<u32> = Vec::new();
    for proj in &mut syn.projections {
        let Some(pl) = proj.plastic.as_deref_mut() else {
            continue;
        };
        let p = &pops.list[proj.tgt];
        let (start, end) = (p.start, p.end());
        let a = spikes.ids.partition_point(|&x| x < start);
        let b = spikes.ids.partition_point(|&x| x < end);
        locals.clear();
        locals.extend(spikes.ids[a..b].iter().map(|&id| id - start));
        pl.post_spikes(&locals, clock.step);
    }
}

/// Add the Plasticity set's system (a network with a plastic projection has it).
pub fn add_system(s: &mut Schedule) {
    s.add_systems(plasticity_system.in_set(StepSet::Plasticity));
}
