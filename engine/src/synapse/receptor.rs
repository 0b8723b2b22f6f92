//! Receptors: their kinds (the scene's `receptors: [...]` entries), their state over a
//! population, the check of a receptor against its model, and what a receptor does to a block
//! of neurons on each step. Adding a receptor kind touches this file and the scene schema
//! (`scene::ReceptorSpec`) only: the Integrate system applies every channel through
//! [`ChannelKind::op`] and [`apply`].
//!
//! Each receptor advances by the exact propagator of its linear dynamics over one step and is
//! held constant across the step (what the model sees as current or conductance):
//!
//! | kind | state | one arrival of weight `w` |
//! |---|---|---|
//! | delta | none | jumps the membrane potential by `w` before integration |
//! | exponential current | `I` | `I += w`; `I` decays with τ and is added to its port |
//! | alpha current | `I`, rise `y` | `I(t) = w·(t/τ)·e^(1−t/τ)`: peak `w` at `t = τ` |
//! | exponential conductance | `g` | `g += w`; the model sees `g·(E_rev − v)` |
//! | alpha conductance | `g`, rise `y` | `g(t) = w·(t/τ)·e^(1−t/τ)` |

use serde::{Deserialize, Serialize};

use super::ChannelKind;
use crate::error::BuildError;
use crate::numerics::flush_subnormal;
use crate::numerics::rng::{NeuronRng, stream_of};
use crate::registry::ModelEntry;
use crate::scene::PopulationSpec;
use crate::world::integrate::{BLOCK, ChanView};

/// Receptor dynamics (independent of the model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceptorKind {
    /// Instantaneous jump of the membrane potential by the weight (weight in the membrane's
    /// units, e.g. mV).
    Delta,
    /// Exponentially decaying current.
    ExpCurrent {
        /// Decay time constant, ms.
        tau: f64,
    },
    /// Alpha-function current.
    AlphaCurrent {
        /// Time to peak, ms.
        tau: f64,
    },
    /// Exponentially decaying conductance with a reversal potential.
    ExpConductance {
        /// Decay time constant, ms.
        tau: f64,
        /// Reversal potential, in the membrane potential's units.
        e_rev: f64,
    },
    /// Alpha-function conductance with a reversal potential.
    AlphaConductance {
        /// Time to peak, ms.
        tau: f64,
        /// Reversal potential.
        e_rev: f64,
    },
}

impl ReceptorKind {
    /// Whether it acts through a conductance.
    pub fn is_conductance(&self) -> bool {
        matches!(
            self,
            ReceptorKind::ExpConductance { .. } | ReceptorKind::AlphaConductance { .. }
        )
    }
    /// Its time constant, if any.
    pub fn tau(&self) -> Option<f64> {
        match *self {
            ReceptorKind::Delta => None,
            ReceptorKind::ExpCurrent { tau }
            | ReceptorKind::AlphaCurrent { tau }
            | ReceptorKind::ExpConductance { tau, .. }
            | ReceptorKind::AlphaConductance { tau, .. } => Some(tau),
        }
    }
}

/// State and propagator of one receptor over a population.
#[derive(Clone, Debug)]
pub struct ReceptorState {
    /// Dynamics.
    pub kind: ReceptorKind,
    /// Port index (current receptors).
    pub port: usize,
    /// e^(−dt/τ).
    pub decay: f64,
    /// dt (for the alpha propagator).
    pub h: f64,
    /// Arrival scale: 1 for exponential, e/τ for alpha (so that the peak equals the weight).
    pub kick: f64,
    /// Main variable (current or conductance), per neuron.
    pub s: Vec<f64>,
    /// Rise variable (alpha only), per neuron.
    pub x: Vec<f64>,
}

impl ReceptorState {
    /// A receptor at rest over `n` neurons for steps of `dt` ms.
    pub fn new(kind: ReceptorKind, port: usize, n: usize, dt: f64) -> Self {
        let tau = kind.tau().unwrap_or(1.0);
        let alpha = matches!(
            kind,
            ReceptorKind::AlphaCurrent { .. } | ReceptorKind::AlphaConductance { .. }
        );
        Self {
            decay: (-dt / tau).exp(),
            h: dt,
            kick: if alpha {
                std::f64::consts::E / tau
            } else {
                1.0
            },
            s: vec![0.0; n],
            x: if alpha { vec![0.0; n] } else { Vec::new() },
            kind,
            port,
        }
    }
}

/// What a channel does to the block's scratch inputs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Op {
    Port(usize),
    Delta,
    ExpCurrent {
        port: usize,
        decay: f64,
    },
    AlphaCurrent {
        port: usize,
        decay: f64,
        h: f64,
        kick: f64,
    },
    ExpCond {
        decay: f64,
        e: f64,
    },
    AlphaCond {
        decay: f64,
        h: f64,
        kick: f64,
        e: f64,
    },
}

/// Check receptor `r` of population `p` (model `entry`) before anything is built.
pub(crate) fn check(
    p: &PopulationSpec,
    r: usize,
    entry: &dyn ModelEntry,
    path: &str,
) -> Result<(), BuildError> {
    let rec = &p.receptors[r];
    let rp = format!("{path}.receptors[{r}]");
    let err = |at: String, msg: String| Err(BuildError::new(at, msg));
    if p.receptors[..r].iter().any(|x| x.name == rec.name) {
        return err(
            format!("{rp}.name"),
            format!("receptor `{}` is defined twice", rec.name),
        );
    }
    if let Some(tau) = rec.kind.tau()
        && !(tau.is_finite() && tau > 0.0)
    {
        return err(
            format!("{rp}.kind.tau"),
            format!("must be > 0 ms, got {tau}"),
        );
    }
    match &rec.kind {
        ReceptorKind::ExpConductance { e_rev, .. }
        | ReceptorKind::AlphaConductance { e_rev, .. } => {
            if !e_rev.is_finite() {
                return err(
                    format!("{rp}.kind.e_rev"),
                    format!("must be finite, got {e_rev}"),
                );
            }
            if !entry.conductance_input() {
                return err(
                    format!("{rp}.kind"),
                    format!(
                        "{} has no conductance input (no membrane potential in physical units); use a current receptor or a port",
                        p.model
                    ),
                );
            }
        }
        ReceptorKind::Delta if entry.membrane().is_none() => {
            return err(
                format!("{rp}.kind"),
                format!(
                    "{} has no membrane potential to jump; target a port instead",
                    p.model
                ),
            );
        }
        ReceptorKind::ExpCurrent { .. } | ReceptorKind::AlphaCurrent { .. } => {
            if entry.ports().is_empty() {
                return err(
                    format!("{rp}.kind"),
                    format!("{} has no input port", p.model),
                );
            }
            if let Some(port) = &rec.port
                && !entry.ports().contains(&port.as_str())
            {
                return err(
                    format!("{rp}.port"),
                    crate::error::unknown("port", port, entry.ports()),
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// The channel of receptor `r` of population `p` (model `entry`, first id `start`) for steps of
/// `dt` ms, with its initial state (the population's `init` entry of the receptor's name, drawn
/// per neuron on the stream `<population>/init/<receptor>`).
pub(crate) fn channel(
    p: &PopulationSpec,
    r: usize,
    entry: &dyn ModelEntry,
    start: u32,
    dt: f64,
    seed: u64,
) -> ChannelKind {
    let rec = &p.receptors[r];
    let port = rec
        .port
        .as_deref()
        .and_then(|q| entry.ports().iter().position(|x| *x == q))
        .unwrap_or(0);
    match &rec.kind {
        ReceptorKind::Delta => ChannelKind::Delta,
        k => {
            let mut rs = ReceptorState::new(k.clone(), port, p.size as usize, dt);
            if let Some(v) = p.init.get(&rec.name) {
                let stream = stream_of(&format!("{}/init/{}", p.name, rec.name));
                for (i, x) in rs.s.iter_mut().enumerate() {
                    let mut rng = NeuronRng::new(seed, stream, start + i as u32, 0);
                    *x = v.at(i, &mut rng);
                }
            }
            ChannelKind::Receptor(rs)
        }
    }
}

impl ChannelKind {
    /// What this channel does to a block on each step.
    pub(crate) fn op(&self) -> Op {
        match self {
            ChannelKind::Port { port } => Op::Port(*port),
            ChannelKind::Delta => Op::Delta,
            ChannelKind::Receptor(rs) => match rs.kind {
                ReceptorKind::ExpCurrent { .. } => Op::ExpCurrent {
                    port: rs.port,
                    decay: rs.decay,
                },
                ReceptorKind::AlphaCurrent { .. } => Op::AlphaCurrent {
                    port: rs.port,
                    decay: rs.decay,
                    h: rs.h,
                    kick: rs.kick,
                },
                ReceptorKind::ExpConductance { e_rev, .. } => Op::ExpCond {
                    decay: rs.decay,
                    e: e_rev,
                },
                ReceptorKind::AlphaConductance { e_rev, .. } => Op::AlphaCond {
                    decay: rs.decay,
                    h: rs.h,
                    kick: rs.kick,
                    e: e_rev,
                },
                ReceptorKind::Delta => Op::Delta,
            },
        }
    }

    /// The receptor state (main, rise) of neurons `local0..local0 + len`; empty for ports and
    /// delta channels, and the rise is empty for exponential receptors.
    pub(crate) fn state_slices(&mut self, local0: usize, len: usize) -> (&mut [f64], &mut [f64]) {
        match self {
            ChannelKind::Receptor(rs) => {
                let s = &mut rs.s[local0..local0 + len];
                let x = if rs.x.is_empty() {
                    &mut [][..]
                } else {
                    &mut rs.x[local0..local0 + len]
                };
                (s, x)
            }
            _ => (&mut [], &mut []),
        }
    }
}

impl Op {
    /// The input port it adds to, if it feeds a port.
    #[inline]
    pub(crate) fn port(&self) -> Option<usize> {
        match *self {
            Op::Port(q) | Op::ExpCurrent { port: q, .. } | Op::AlphaCurrent { port: q, .. } => {
                Some(q)
            }
            Op::Delta | Op::ExpCond { .. } | Op::AlphaCond { .. } => None,
        }
    }

    /// Whether it feeds the conductance pair.
    pub(crate) fn is_conductance(&self) -> bool {
        matches!(self, Op::ExpCond { .. } | Op::AlphaCond { .. })
    }
}

/// Drain channel `c` for rows `b0..b0 + b` of the run into the scratch inputs.
#[inline]
#[allow(clippy::too_many_arguments)]
// Long by design: one tight loop per receptor kind; the hot path of
// synaptic input, kept as one match the compiler inlines into the block loop.
pub(crate) fn apply(
    c: &mut ChanView,
    b0: usize,
    b: usize,
    ports: &mut [[f64; BLOCK]; 4],
    g: &mut [f64; BLOCK],
    ge: &mut [f64; BLOCK],
    jump: &mut [f64; BLOCK],
) {
    let ring = &mut c.ring[b0..b0 + b];
    match c.op {
        Op::Port(p) => {
            for (x, a) in ports[p][..b].iter_mut().zip(ring.iter_mut()) {
                *x += *a;
                *a = 0.0;
            }
        }
        Op::Delta => {
            for (x, a) in jump[..b].iter_mut().zip(ring.iter_mut()) {
                *x += *a;
                *a = 0.0;
            }
        }
        Op::ExpCurrent { port, decay } => {
            let s = &mut c.s[b0..b0 + b];
            for ((x, a), s) in ports[port][..b].iter_mut().zip(ring.iter_mut()).zip(s) {
                *s = flush_subnormal(*s * decay + *a);
                *a = 0.0;
                *x += *s;
            }
        }
        Op::AlphaCurrent {
            port,
            decay,
            h,
            kick,
        } => {
            let s = &mut c.s[b0..b0 + b];
            let y = &mut c.x[b0..b0 + b];
            for (((x, a), s), y) in ports[port][..b]
                .iter_mut()
                .zip(ring.iter_mut())
                .zip(s)
                .zip(y)
            {
                *s = flush_subnormal(decay * (*s + h * *y));
                *y = flush_subnormal(decay * *y + kick * *a);
                *a = 0.0;
                *x += *s;
            }
        }
        Op::ExpCond { decay, e } => {
            let s = &mut c.s[b0..b0 + b];
            for (((gg, gge), a), s) in g[..b]
                .iter_mut()
                .zip(ge[..b].iter_mut())
                .zip(ring.iter_mut())
                .zip(s)
            {
                *s = flush_subnormal(*s * decay + *a);
                *a = 0.0;
                *gg += *s;
                *gge += *s * e;
            }
        }
        Op::AlphaCond { decay, h, kick, e } => {
            let s = &mut c.s[b0..b0 + b];
            let y = &mut c.x[b0..b0 + b];
            for ((((gg, gge), a), s), y) in g[..b]
                .iter_mut()
                .zip(ge[..b].iter_mut())
                .zip(ring.iter_mut())
                .zip(s)
                .zip(y)
            {
                *s = flush_subnormal(decay * (*s + h * *y));
                *y = flush_subnormal(decay * *y + kick * *a);
                *a = 0.0;
                *gg += *s;
                *gge += *s * e;
            }
        }
    }
}
