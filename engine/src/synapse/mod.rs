//! Synapses: projections as CSR tables, receptors, and per-synapse delays through ring buffers.
//!
//! Synapses are not entities. A projection is a CSR table (row = source neuron, entries =
//! target local index `u32`, weight `f32` only when weights vary, delay `u16` steps only when
//! delays vary), so a static synapse costs 4–10 bytes.
//!
//! Every target population has **channels**: one per receptor and one per input port that
//! projections or event stimuli target directly. Each channel owns a ring buffer of
//! `max_delay + 1` slots × population size. An event emitted in step `t` with delay `d` steps
//! is added to slot `(t + d) mod slots`; in step `t + d` the Integrate system drains that slot
//! for each neuron just before integrating it (see `world::integrate`):
//!
//! | channel | what one arrival of weight `w` does |
//! |---|---|
//! | port | adds `w` to the port for that one step (e.g. COBALIFNeuron's `delta_ge`) |
//! | receptor | what its kind does: see [`receptor`] (delta jumps, exponential and alpha currents and conductances) |
//!

pub mod connect;
pub mod plastic;
pub mod receptor;

pub use receptor::{ReceptorKind, ReceptorState};

use bevy_ecs::prelude::*;

use crate::world::{Clock, Populations, StepSpikes, StepValues};

/// What a channel does with arrivals.
#[derive(Clone, Debug)]
pub enum ChannelKind {
    /// Added to input port `port` for one step.
    Port {
        /// Port index.
        port: usize,
    },
    /// Jumps of the membrane potential.
    Delta,
    /// A receptor with state.
    Receptor(ReceptorState),
}

/// One input channel of a target population with its ring buffer.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Its name (receptor name or `port:<name>`).
    pub name: String,
    /// What it does.
    pub kind: ChannelKind,
    /// `slots × n` pending arrivals.
    pub ring: Vec<f64>,
    /// Whether anything writes the ring: `false` for a port channel whose only writer is a
    /// held external input (see [`PopSynapses::held`]); the Integrate system then skips it.
    pub fed: bool,
}

/// Synaptic input machinery of one population.
#[derive(Clone, Debug, Default)]
pub struct PopSynapses {
    /// Population size.
    pub n: usize,
    /// Ring slots (max delay + 1).
    pub slots: usize,
    /// Channels.
    pub channels: Vec<Channel>,
    /// A constant added to each input port every step (see `Simulation::set_port`).
    pub bias: Vec<f64>,
    /// Held external inputs: `(port, stimulus index)` of each `External` stimulus that the
    /// Integrate system reads straight from its values (the whole population, from the first
    /// step to the end, the only stimulus on its port). Such a stimulus is skipped by the
    /// Stimulus system: its values are copied into the block's scratch input as the block is
    /// integrated, instead of being added into the ring slot in a separate pass and read back.
    pub held: Vec<(usize, usize)>,
    /// Per port: the amplitude of a `dc` stimulus folded into the port's constant (the whole
    /// population, from the first step to the end, the only stimulus on its port, no receptor
    /// current on it). The Stimulus system skips such a stimulus and the kernel adds
    /// `bias + dc` to the port, instead of a pass that adds the amplitude into every neuron's
    /// ring slot and a read of it back (on 1,000,000 uncoupled LIF neurons: 16 bytes of memory
    /// traffic per neuron-step). The same numbers as the ring path when `bias` is 0 (always,
    /// unless the host calls `set_port` on that port: then `arrivals + (bias + dc)` instead of
    /// `(arrivals + dc) + bias`, one rounding apart).
    pub dc: Vec<f64>,
}

impl PopSynapses {
    /// The pending-arrivals buffer of channel `c` for the step `step`.
    #[inline]
    pub fn slot_mut(&mut self, c: usize, step: u64) -> &mut [f64] {
        let n = self.n;
        let s = (step % self.slots as u64) as usize;
        &mut self.channels[c].ring[s * n..(s + 1) * n]
    }
}

/// Per-synapse weights: one constant or one `f32` per synapse.
#[derive(Clone, Debug)]
pub enum Weights {
    /// Every synapse has this weight.
    Const(f64),
    /// One weight per synapse (CSR order).
    PerSynapse(Vec<f32>),
}

/// Per-synapse delays in steps: one constant or one `u16` per synapse.
#[derive(Clone, Debug)]
pub enum Delays {
    /// Every synapse has this delay.
    Const(u16),
    /// One delay per synapse (CSR order).
    PerSynapse(Vec<u16>),
}

/// A projection: CSR by source neuron.
#[derive(Clone, Debug)]
pub struct Projection {
    /// Name.
    pub name: String,
    /// Source population index.
    pub src: usize,
    /// Target population index.
    pub tgt: usize,
    /// Target channel index.
    pub channel: usize,
    /// Row starts (source local index → first synapse), length = source size + 1.
    pub row_ptr: Vec<usize>,
    /// Target local indices.
    pub targets: Vec<u32>,
    /// Weights.
    pub weights: Weights,
    /// Delays, steps.
    pub delays: Delays,
    /// Plastic state (weights, traces); `None` for a static projection, whose weights are
    /// `weights`. When present, its per-synapse weights replace `weights`.
    pub plastic: Option<Box<plastic::Plastic>>,
}

impl Projection {
    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.targets.len()
    }
    /// Whether it has no synapses.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
    /// Bytes of synapse storage (targets + per-synapse weights and delays).
    pub fn bytes(&self) -> usize {
        let w = match &self.weights {
            Weights::Const(_) => 0,
            Weights::PerSynapse(v) => v.len() * 4,
        };
        let d = match &self.delays {
            Delays::Const(_) => 0,
            Delays::PerSynapse(v) => v.len() * 2,
        };
        let pl = self.plastic.as_ref().map_or(0, |p| p.bytes());
        self.targets.len() * 4 + w + d + self.row_ptr.len() * std::mem::size_of::<usize>() + pl
    }
    /// The weights as they stand after `steps` steps (the plastic ones if the projection
    /// learns, with every postsynaptic spike that has met its synapse applied), one per synapse.
    pub fn current_weights(&self, steps: u64) -> Vec<f64> {
        match (&self.plastic, &self.weights) {
            (Some(pl), _) => pl.settled(self, steps),
            (None, Weights::Const(c)) => vec![*c; self.targets.len()],
            (None, Weights::PerSynapse(v)) => v.iter().map(|&x| x as f64).collect(),
        }
    }
    /// Largest delay, steps.
    pub fn max_delay(&self) -> u16 {
        match &self.delays {
            Delays::Const(d) => *d,
            Delays::PerSynapse(v) => v.iter().copied().max().unwrap_or(1),
        }
    }
}

/// All synapses of the simulation.
#[derive(Resource, Default, Debug)]
pub struct Synapses {
    /// Per population (index = population index).
    pub pops: Vec<PopSynapses>,
    /// Projections.
    pub projections: Vec<Projection>,
    /// Per source population: the projections leaving it.
    pub by_source: Vec<Vec<usize>>,
    /// Synaptic events delivered so far (one per spike per synapse).
    pub events: u64,
}

/// Propagate set: this step's spikes and values through the projections into future slots.
pub fn propagate_system(
    mut syn: ResMut<Synapses>,
    spikes: Res<StepSpikes>,
    values: Res<StepValues>,
    pops: Res<Populations>,
    clock: Res<Clock>,
) {
    let step = clock.step;
    let syn = &mut *syn;
    // Spikes, in id order.
    if !spikes.ids.is_empty() {
        let mut i = 0;
        while i < spikes.ids.len() {
            let id = spikes.ids[i];
            let Some(p) = pops.pop_of(id) else {
                i += 1;
                continue;
            };
            let end = pops.list[p].end();
            let j = i + spikes.ids[i..].partition_point(|&x| x < end);
            let start = pops.list[p].start;
            for &pi in &syn.by_source[p] {
                let proj = &mut syn.projections[pi];
                let ps = &mut syn.pops[proj.tgt];
                // A plastic projection's state is taken out while its rows are sent, so that
                // the state is mutable beside the (read-only) table.
                let mut plastic = proj.plastic.take();
                for k in i..j {
                    let row = (spikes.ids[k] - start) as usize;
                    let sign = spikes.signs[k] as f64;
                    syn.events += (proj.row_ptr[row + 1] - proj.row_ptr[row]) as u64;
                    match plastic.as_deref_mut() {
                        None => send_row(proj, ps, row, sign, step),
                        Some(pl) => pl.send_row(proj, ps, row, sign, step),
                    }
                }
                proj.plastic = plastic;
            }
            i = j;
        }
    }
    // Values: every source neuron of a value population sends weight·value every step.
    for (p, vals) in values.pops.iter().enumerate() {
        if vals.is_empty() {
            continue;
        }
        for &pi in &syn.by_source[p] {
            let proj = &syn.projections[pi];
            let ps = &mut syn.pops[proj.tgt];
            for (row, &v) in vals.iter().enumerate() {
                if v != 0.0 {
                    send_row(proj, ps, row, v, step);
                }
            }
        }
    }
}

/// Add one source neuron's row, scaled by `amp`, into the target's ring slots.
#[inline]
fn send_row(proj: &Projection, ps: &mut PopSynapses, row: usize, amp: f64, step: u64) {
    let (a, b) = (proj.row_ptr[row], proj.row_ptr[row + 1]);
    if a == b {
        return;
    }
    let n = ps.n;
    let slots = ps.slots as u64;
    let ring = &mut ps.channels[proj.channel].ring;
    let tg = &proj.targets[a..b];
    match (&proj.weights, &proj.delays) {
        (Weights::Const(w), Delays::Const(d)) => {
            let s = ((step + *d as u64) % slots) as usize;
            let buf = &mut ring[s * n..(s + 1) * n];
            let w = *w * amp;
            for &t in tg {
                buf[t as usize] += w;
            }
        }
        (Weights::PerSynapse(ws), Delays::Const(d)) => {
            let s = ((step + *d as u64) % slots) as usize;
            let buf = &mut ring[s * n..(s + 1) * n];
            for (&t, &w) in tg.iter().zip(&ws[a..b]) {
                buf[t as usize] += w as f64 * amp;
            }
        }
        (w, Delays::PerSynapse(ds)) => {
            for (k, (&t, &d)) in tg.iter().zip(&ds[a..b]).enumerate() {
                let wk = match w {
                    Weights::Const(w) => *w,
                    Weights::PerSynapse(ws) => ws[a + k] as f64,
                };
                let s = ((step + d as u64) % slots) as usize;
                ring[s * n + t as usize] += wk * amp;
            }
        }
    }
}
