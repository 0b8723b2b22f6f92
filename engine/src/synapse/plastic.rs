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
//! As in NEST, the facilitations are applied lazily: when a presynaptic spike meets the
//! synapse, every postsynaptic spike that met it since the previous presynaptic spike
//! facilitates the weight first (in time order, `K₊` without the new spike), then the new
//! spike depresses it. So after a step in which the source neuron fired, the weight is NEST's
//! at that spike (what NEST's `weight_recorder` logs). Reading the weights at any other time
//! ([`Plastic::settled`], `Simulation::weights`, the `weights_<name>.npy` output) applies the
//! postsynaptic spikes that have met their synapses but wait for the next presynaptic spike,
//! so the final weights include postsynaptic spikes after the last presynaptic one, which
//! NEST's stored weights do not. Every [`SWEEP`] steps, sources silent for a sweep period have
//! their pending facilitation applied, so that each target's archive of postsynaptic spikes
//! stays short (NEST keeps them until every synapse has read them).
//!
//! **Short-term plasticity** follows Tsodyks, Uziel & Markram (2000) in the form of NEST's
//! `tsodyks2_synapse`: at each presynaptic spike, after an interval `h` since the previous one,
//! `x ← 1 + (x − x u − 1) e^(−h/τ_rec)`, `u ← U + u (1 − U) e^(−h/τ_fac)` (`0` when
//! `τ_fac = 0`), and the event carries `w x u`. The first spike finds `x = x0`, `u = u0`
//! (defaults 1 and `U`, the resting synapse), as in NEST 3.10. The state depends only on the
//! presynaptic train, so it is held once per source neuron. With STDP on the same projection,
//! `w` is the plastic weight.
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
    #[inline(always)]
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
    #[inline(always)]
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

/// How many of a target's last spikes [`Plastic::recent`] holds.
pub const RECENT: usize = 4;

/// A target's last [`RECENT`] spikes, oldest first, in one cache line.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(64))]
pub struct Recent(pub [PostSpike; RECENT]);

impl Recent {
    const NONE: Self = Self([PostSpike { stamp: 0, k: 0.0 }; RECENT]);
    fn push(&mut self, e: PostSpike) {
        self.0.copy_within(1.., 0);
        self.0[RECENT - 1] = e;
    }
}

/// Steps between two sweeps that apply the facilitation of sources silent for a sweep period
/// or longer (see [`Plastic::sweep`]); the postsynaptic archive keeps `2 × SWEEP + d_max`
/// steps of spikes.
pub const SWEEP: u64 = 1024;

/// `e^(−n·dt/τ)` for whole step counts `n` below the table's length, computed by the same
/// expression as for larger `n`, so a lookup and a computation give the same bits.
#[derive(Clone, Debug)]
pub struct Decay {
    table: Vec<f64>,
    dt: f64,
    tau: f64,
}

impl Decay {
    fn new(dt: f64, tau: f64) -> Self {
        // 40 τ (e^(−40) ≈ 4·10⁻¹⁸), at most 16,384 entries (128 KiB).
        let n = ((40.0 * tau / dt).ceil() as usize).clamp(1, 16_384);
        let table = (0..n).map(|i| Self::exact(i as u64, dt, tau)).collect();
        Self { table, dt, tau }
    }
    #[inline]
    fn exact(n: u64, dt: f64, tau: f64) -> f64 {
        (-(n as f64) * dt / tau).exp()
    }
    /// `e^(−n·dt/τ)`.
    #[inline]
    pub fn of(&self, n: u64) -> f64 {
        match self.table.get(n as usize) {
            Some(&x) => x,
            None => Self::exact(n, self.dt, self.tau),
        }
    }
}

/// The plastic state of a projection.
///
/// Facilitation is applied lazily, as NEST does: when a presynaptic spike meets the synapse,
/// first every postsynaptic spike that met it since the previous presynaptic spike (in the
/// target's archive) facilitates the weight, in time order, then the spike depresses it. A
/// source silent for a sweep period has its pending facilitation applied by the sweep (which
/// keeps the archive short); [`Plastic::settled`] gives the weights with every postsynaptic
/// spike that has met its synapse so far applied.
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
    /// Per source neuron: the postsynaptic spikes meeting its synapses up to this stamp have
    /// been applied (by a sweep), besides those up to its last spike.
    pub done: Vec<u64>,
    /// Per source neuron: the STP utilization at its last spike (`u0` before any).
    pub u: Vec<f64>,
    /// Per source neuron: the STP resources at its last spike (`x0` before any).
    pub x: Vec<f64>,
    /// Per target neuron: its recent spikes, oldest first.
    pub post: Vec<VecDeque<PostSpike>>,
    /// Per target neuron: its last [`RECENT`] spikes, oldest first (stamp 0 = none), a copy of
    /// the archive's tail in one flat array, so that most synapse visits read one cache line
    /// instead of following the archive's pointer.
    pub recent: Vec<Recent>,
    /// Largest delay, steps.
    pub d_max: u64,
    /// Presynaptic trace decay by steps.
    decay_pre: Decay,
    /// Postsynaptic trace decay by steps.
    decay_post: Decay,
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
        let (u0, x0) = stp
            .as_ref()
            .map(|s| (s.u0.unwrap_or(s.big_u), s.x0))
            .unwrap_or((0.0, 1.0));
        let has_stp = stp.is_some();
        let (tp, tm) = rule.as_ref().map(|r| r.taus()).unwrap_or((1.0, 1.0));
        let has_rule = rule.is_some();
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
            done: vec![0; n_src],
            u: if has_stp { vec![u0; n_src] } else { Vec::new() },
            x: if has_stp { vec![x0; n_src] } else { Vec::new() },
            post: if has_rule {
                vec![VecDeque::new(); n_tgt]
            } else {
                Vec::new()
            },
            recent: if has_rule {
                vec![Recent::NONE; n_tgt]
            } else {
                Vec::new()
            },
            d_max: proj.max_delay() as u64,
            decay_pre: Decay::new(dt, tp),
            decay_post: Decay::new(dt, tm),
        })
    }

    /// Bytes of plastic state (weights, traces; not the spike archive).
    pub fn bytes(&self) -> usize {
        self.w.len() * 8
            + (self.k_pre.len() + self.u.len() + self.x.len()) * 8
            + (self.last_pre.len() + self.done.len()) * 8
            + self.post.len() * std::mem::size_of::<VecDeque<PostSpike>>()
            + self.recent.len() * std::mem::size_of::<Recent>()
    }

    /// Apply to `w` (a synapse from source `r` to target `j` with delay `d`) the facilitation
    /// of every postsynaptic spike of `j` that met the synapse after stamp `from` and by stamp
    /// `upto`, in time order.
    #[inline(always)]
    fn facilitated(
        &self,
        rule: &WeightRule,
        mut w: f64,
        r: usize,
        j: usize,
        d: u64,
        (from, upto): (u64, u64),
    ) -> f64 {
        let kp = self.k_pre[r];
        if kp == 0.0 {
            return w;
        }
        let last = self.last_pre[r];
        let rec = &self.recent[j].0;
        // Fast path: no spike before the oldest recent one can be in the window.
        if rec[0].stamp == 0 || rec[0].stamp + d <= from {
            for e in rec {
                if e.stamp != 0 && e.stamp + d > from && e.stamp + d <= upto {
                    w = rule.on_post(w, kp * self.decay_pre.of(e.stamp + d - last));
                }
            }
            return w;
        }
        let h = &self.post[j];
        // Spikes of stamps in (from − d, upto − d], i.e. meeting the synapse in (from, upto].
        let mut i = h.len();
        while i > 0 && h[i - 1].stamp + d > upto {
            i -= 1;
        }
        let hi = i;
        while i > 0 && h[i - 1].stamp + d > from {
            i -= 1;
        }
        for e in h.range(i..hi) {
            w = rule.on_post(w, kp * self.decay_pre.of(e.stamp + d - last));
        }
        w
    }

    /// The postsynaptic trace of target `j` strictly before stamp `t` (0 with no spike then).
    #[inline(always)]
    fn k_post_before(&self, j: usize, t: u64) -> f64 {
        for e in self.recent[j].0.iter().rev() {
            if e.stamp == 0 {
                return 0.0;
            }
            if e.stamp < t {
                return e.k * self.decay_post.of(t - e.stamp);
            }
        }
        for e in self.post[j].iter().rev() {
            if e.stamp < t {
                return e.k * self.decay_post.of(t - e.stamp);
            }
        }
        0.0
    }

    /// Presynaptic spike of source row `row` of `proj` (whose plastic state this is, taken out
    /// of it for the call) in step `step`: update the row's synapses (pending facilitation,
    /// then depression) and its STP state, and add the events (times `amp`) into the target's
    /// ring.
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
            eff = amp * self.u[row] * self.x[row];
        }
        let n = ps.n;
        let slots = ps.slots as u64;
        let ring = &mut ps.channels[proj.channel].ring;
        match self.rule.clone() {
            None => {
                for k in a..b {
                    let d = delay_of(&proj.delays, k);
                    let s = ((step + d) % slots) as usize;
                    ring[s * n + proj.targets[k] as usize] += self.w[k] * eff;
                }
            }
            Some(rule) => {
                let from = self.last_pre[row].max(self.done[row]);
                for k in a..b {
                    if let Some(&ahead) = proj.targets.get(k + PREFETCH)
                        && k + PREFETCH < b
                    {
                        prefetch(&self.recent[ahead as usize]);
                    }
                    let j = proj.targets[k] as usize;
                    let d = delay_of(&proj.delays, k);
                    let w = self.facilitated(&rule, self.w[k], row, j, d, (from, stamp));
                    let w = rule.on_pre(w, self.k_post_before(j, stamp.saturating_sub(d)));
                    self.w[k] = w;
                    let s = ((step + d) % slots) as usize;
                    ring[s * n + j] += w * eff;
                }
                let since = stamp - self.last_pre[row];
                self.k_pre[row] = self.k_pre[row] * self.decay_pre.of(since) + 1.0;
            }
        }
        self.last_pre[row] = stamp;
    }

    /// Postsynaptic spikes of step `step` (`locals`, target local indices), stamp `step + 1`:
    /// archive each with its trace, dropping spikes no synapse can still ask about.
    pub fn post_spikes(&mut self, locals: &[u32], step: u64) {
        if self.rule.is_none() {
            return;
        }
        let stamp = step + 1;
        // Facilitation looks back to 2·SWEEP + d_max steps at most; depression needs the
        // newest spike before `stamp + 1 − d_max`.
        let keep_from = stamp.saturating_sub(2 * SWEEP + self.d_max + 1);
        let t_min = (stamp + 1).saturating_sub(self.d_max);
        for &j in locals {
            let h = &mut self.post[j as usize];
            let k = match h.back() {
                Some(e) => e.k * self.decay_post.of(stamp - e.stamp) + 1.0,
                None => 1.0,
            };
            h.push_back(PostSpike { stamp, k });
            self.recent[j as usize].push(PostSpike { stamp, k });
            while h.len() >= 2 && h[0].stamp < keep_from && h[1].stamp < t_min {
                h.pop_front();
            }
        }
    }

    /// Every `SWEEP` steps: apply the pending facilitation of every source whose synapses
    /// have not been brought up to date for a sweep period (silent sources), up to the stamp
    /// `step + 1`. Afterwards every source is up to date within two periods, which bounds how
    /// far back the archive must reach. The weights go through the same operations in the same
    /// order as without the sweep.
    pub fn sweep(&mut self, proj: &Projection, step: u64) {
        let stamp = step + 1;
        if !stamp.is_multiple_of(SWEEP) {
            return;
        }
        let Some(rule) = self.rule.clone() else {
            return;
        };
        for r in 0..self.k_pre.len() {
            let from = self.last_pre[r].max(self.done[r]);
            if self.k_pre[r] == 0.0 || from + SWEEP > stamp {
                continue;
            }
            for k in proj.row_ptr[r]..proj.row_ptr[r + 1] {
                let j = proj.targets[k] as usize;
                let d = delay_of(&proj.delays, k);
                self.w[k] = self.facilitated(&rule, self.w[k], r, j, d, (from, stamp));
            }
            self.done[r] = stamp;
        }
    }

    /// The weights after `steps` steps, with every postsynaptic spike that has met its
    /// synapse by then applied (what NEST would hold after a presynaptic spike at that moment,
    /// before its depression), in CSR order.
    pub fn settled(&self, proj: &Projection, steps: u64) -> Vec<f64> {
        let Some(rule) = &self.rule else {
            return self.w.clone();
        };
        let stamp = steps;
        let mut w = self.w.clone();
        for r in 0..self.k_pre.len() {
            let from = self.last_pre[r].max(self.done[r]);
            let a = proj.row_ptr[r];
            for (i, wk) in w[a..proj.row_ptr[r + 1]].iter_mut().enumerate() {
                let j = proj.targets[a + i] as usize;
                let d = delay_of(&proj.delays, a + i);
                *wk = self.facilitated(rule, *wk, r, j, d, (from, stamp));
            }
        }
        w
    }
}

/// How many synapses ahead the target's recent spikes are prefetched.
const PREFETCH: usize = 8;

/// Ask the memory system for `x`'s cache line (a hint; no effect on results).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never faults or changes memory, and the
    // pointer comes from a live reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (x as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Delay of synapse `k`, steps.
#[inline]
fn delay_of(delays: &Delays, k: usize) -> u64 {
    match delays {
        Delays::Const(d) => *d as u64,
        Delays::PerSynapse(v) => v[k] as u64,
    }
}

/// Plasticity set: the postsynaptic side of every plastic projection (archive this step's
/// spikes of its target population) and, every [`SWEEP`] steps, the sweep.
pub fn plasticity_system(
    mut syn: ResMut<Synapses>,
    spikes: Res<StepSpikes>,
    pops: Res<Populations>,
    clock: Res<Clock>,
) {
    let syn = &mut *syn;
    let mut locals: Vec<u32> = Vec::new();
    for proj in &mut syn.projections {
        let Some(mut pl) = proj.plastic.take() else {
            continue;
        };
        let p = &pops.list[proj.tgt];
        let (start, end) = (p.start, p.end());
        let a = spikes.ids.partition_point(|&x| x < start);
        let b = spikes.ids.partition_point(|&x| x < end);
        locals.clear();
        locals.extend(spikes.ids[a..b].iter().map(|&id| id - start));
        pl.post_spikes(&locals, clock.step);
        pl.sweep(proj, clock.step);
        proj.plastic = Some(pl);
    }
}

/// Add the Plasticity set's system (a network with a plastic projection has it).
pub fn add_system(s: &mut Schedule) {
    s.add_systems(plasticity_system.in_set(StepSet::Plasticity));
}
