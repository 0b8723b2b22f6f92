//! The batch (struct-of-arrays) path: one system per model present advances every neuron of
//! that model through the model's scalar kernel.
//!
//! The system takes each table's component slices (`contiguous_iter_mut`) and splits them into
//! runs of consecutive ids of one population. A run is processed in blocks of [`BLOCK`]
//! neurons: first every input channel of the population (its input ports and receptors) drains
//! this step's slot of its ring buffer for the block into a small scratch buffer that stays in
//! L1 — receptors advance their state on the way — then the kernel loop loads each neuron's
//! state from the component slices into the model's state struct, builds its [`Input`] from the
//! scratch, calls [`Model::update`] (the function the standalone path calls) and stores the
//! state back. Fusing the input channels into the integration pass avoids separate passes that
//! clear and fill per-population input arrays (measured: on the COBA network those passes cost
//! more than the neurons themselves).
//!
//! With several threads, a run is split into sub-runs with `split_at_mut` on every slice it
//! touches (state columns, output values, ring slots, receptor states), and the sub-runs are
//! processed in parallel on the compute pool. (Bevy's `contiguous_par_iter_mut` would choose the
//! chunks itself, and could not hand each chunk the matching parts of the engine's per-neuron
//! buffers without `unsafe`.) Results never depend on the split: kernels are per neuron,
//! random numbers are keyed by (seed, id, step), and sub-runs return their spikes in id order.

use bevy_ecs::prelude::*;
use bevy_tasks::ComputeTaskPool;

use super::watchdog::{self, Watchdog};
use super::{
    Clock, ConstsStore, Inputs, ModelPop, ModelPops, ModelTag, NeuronId, OutValue, PopInputs,
    Populations, StepSpikes,
};
use crate::input::{StimRt, Stimuli};
use crate::model::{Block, Input, Model, Output, OutputKind, PortArray, StateVars};
use crate::numerics::rng::NeuronRng;
use crate::synapse::Synapses;
use crate::synapse::receptor::{Op, apply};

/// RNG stream of neuron models in a network (the standalone path uses
/// [`STANDALONE_STREAM`](crate::model::STANDALONE_STREAM); pass the same stream to compare).
pub const MODEL_STREAM: u64 = crate::model::STANDALONE_STREAM;

/// Below this many neurons of one model a step runs serially even with several threads:
/// spawning tasks costs more than it saves (docs/ARCHITECTURE.md: splitting COBAHH's 3,200
/// neurons gained nothing).
pub const PAR_MIN_NEURONS: usize = 16_384;

/// Neurons per block: the scratch inputs of a block stay in L1.
pub const BLOCK: usize = 256;

/// The query the Integrate system of model `M` runs.
pub type IntegrateQuery<M> = (
    &'static NeuronId,
    <<M as Model>::State as StateVars>::Query,
    Option<&'static mut OutValue>,
);

/// One channel's slices for a run (or sub-run).
pub(crate) struct ChanView<'a> {
    /// What the channel does.
    pub(crate) op: Op,
    /// This step's ring slot, for the run's neurons.
    pub(crate) ring: &'a mut [f64],
    /// Receptor state (empty for ports and delta channels).
    pub(crate) s: &'a mut [f64],
    /// Receptor rise state (alpha receptors only).
    pub(crate) x: &'a mut [f64],
}

impl<'a> ChanView<'a> {
    fn split_at(self, mid: usize) -> (Self, Self) {
        let sp = |v: &'a mut [f64]| {
            if v.is_empty() {
                (v, &mut [][..])
            } else {
                v.split_at_mut(mid)
            }
        };
        let (r0, r1) = self.ring.split_at_mut(mid);
        let (s0, s1) = sp(self.s);
        let (x0, x1) = sp(self.x);
        (
            ChanView {
                op: self.op,
                ring: r0,
                s: s0,
                x: x0,
            },
            ChanView {
                op: self.op,
                ring: r1,
                s: s1,
                x: x1,
            },
        )
    }
}

/// The first non-finite state a run found: `(id, variable index, value)` (the index one
/// past the state variables is the value output). Plain numbers: a borrowed name in the
/// parallel tasks' result type trips the borrow checker.
type Bad = Option<(u32, usize, f64)>;

/// Everything one (sub-)run of one population needs: `'s` borrows the table's columns, `'c`
/// the population's channels.
struct Run<'s, 'c, M: Model> {
    /// Per port: the constant added every step (`set_port` plus constant stimuli).
    bias: [f64; 4],
    /// Per port: the held external input for the run's neurons, if the port has one.
    held: [Option<&'c [f64]>; 4],
    ids0: u32,
    len: usize,
    local0: usize,
    pop: &'c ModelPop<M>,
    state: <M::State as StateVars>::Slices<'s>,
    out: Option<&'s mut [OutValue]>,
    chans: Vec<ChanView<'c>>,
    has_g: bool,
    has_jump: bool,
    /// This step ends with a NaN check: scan each block after its kernel.
    check: bool,
    /// The first non-finite state found.
    bad: Bad,
}

impl<'s, 'c, M: Model> Run<'s, 'c, M> {
    fn split_at(self, mid: usize) -> (Self, Self) {
        let (s0, s1) = <M::State as StateVars>::split_at(self.state, mid);
        let (o0, o1) = match self.out {
            Some(o) => {
                let (a, b) = o.split_at_mut(mid);
                (Some(a), Some(b))
            }
            None => (None, None),
        };
        let mut h0 = [None; 4];
        let mut h1 = [None; 4];
        for (p, h) in self.held.into_iter().enumerate() {
            if let Some(h) = h {
                let (a, b) = h.split_at(mid);
                h0[p] = Some(a);
                h1[p] = Some(b);
            }
        }
        let mut c0 = Vec::with_capacity(self.chans.len());
        let mut c1 = Vec::with_capacity(self.chans.len());
        for c in self.chans {
            let (a, b) = c.split_at(mid);
            c0.push(a);
            c1.push(b);
        }
        (
            Run {
                bias: self.bias,
                held: h0,
                ids0: self.ids0,
                len: mid,
                local0: self.local0,
                pop: self.pop,
                state: s0,
                out: o0,
                chans: c0,
                has_g: self.has_g,
                has_jump: self.has_jump,
                check: self.check,
                bad: None,
            },
            Run {
                bias: self.bias,
                held: h1,
                ids0: self.ids0 + mid as u32,
                len: self.len - mid,
                local0: self.local0 + mid,
                pop: self.pop,
                state: s1,
                out: o1,
                chans: c1,
                has_g: self.has_g,
                has_jump: self.has_jump,
                check: self.check,
                bad: None,
            },
        )
    }
}

/// Integrate system of model `M` (registered only when a population of `M` exists).
#[allow(clippy::too_many_arguments)] // a Bevy system: one parameter per resource it touches
pub fn integrate_system<M: Model>(
    mut q: Query<IntegrateQuery<M>, With<ModelTag<M>>>,
    pops: Res<ModelPops<M>>,
    mut syn: ResMut<Synapses>,
    mut inputs: ResMut<Inputs>,
    clock: Res<Clock>,
    mut spikes: ResMut<StepSpikes>,
    stims: Res<Stimuli>,
    mut dog: ResMut<Watchdog>,
    all_pops: Res<Populations>,
) {
    let pops = &*pops;
    let base = NeuronRng::base(clock.seed, MODEL_STREAM, clock.step);
    let step = clock.step;
    let probe = inputs.probe;
    let par = clock.threads > 1 && !probe;
    let Ok(iter) = q.contiguous_iter_mut() else {
        return;
    };
    // Each population's channels are lent to at most one run at a time: runs of the same
    // population in different tables (if a host moved entities) are handled one after another.
    let syn = &mut *syn;
    let check = dog.checks(step);
    let mut bad = None;
    for (ids, mut st, out) in iter {
        let slices = <M::State as StateVars>::slices(&mut st);
        let mut out = out;
        let out = out.as_mut().map(|o| o.bypass_change_detection());
        process_table::<M>(
            ids,
            slices,
            out,
            pops,
            syn,
            &stims,
            &mut inputs,
            base,
            step,
            par,
            clock.par_min,
            clock.threads,
            &mut spikes.pending,
            check,
            &mut bad,
        );
    }
    if let Some(found) = bad {
        watchdog::report(&mut dog, found, step, clock.dt, pops, &all_pops);
    }
}

/// Split one table chunk into runs of one population and process them.
#[allow(clippy::too_many_arguments)]
// Long by design: hot path; it splits one table into runs of one
// population and lends each run the matching slices of its channels, which must stay together.
fn process_table<'a, M: Model>(
    ids: &[NeuronId],
    mut state: <M::State as StateVars>::Slices<'a>,
    mut out: Option<&'a mut [OutValue]>,
    pops: &ModelPops<M>,
    syn: &mut Synapses,
    stims: &Stimuli,
    inputs: &mut Inputs,
    base: u64,
    step: u64,
    par: bool,
    par_min: usize,
    threads: usize,
    found: &mut Vec<(u32, i8)>,
    check: bool,
    bad: &mut Bad,
) {
    let n = ids.len();
    let mut r = 0;
    while r < n {
        let id0 = ids[r].0;
        let Some(e) = pops.find(id0) else {
            // Not a neuron of this model's populations: skip the row.
            let (_, rest) = <M::State as StateVars>::split_at(state, 1);
            state = rest;
            out = out.map(|o| o.split_at_mut(1).1);
            r += 1;
            continue;
        };
        let mut len = (n - r).min((e.end - id0) as usize);
        // Rows are consecutive ids unless a host moved entities between tables; check the ends
        // of the run and fall back to one neuron at a time if they do not match.
        if ids[r + len - 1].0 != id0 + (len as u32 - 1) {
            len = 1;
        }
        let (here, rest) = <M::State as StateVars>::split_at(state, len);
        state = rest;
        let (out_here, out_rest) = match out {
            Some(o) => {
                let (a, b) = o.split_at_mut(len);
                (Some(a), Some(b))
            }
            None => (None, None),
        };
        out = out_rest;
        let local0 = (id0 - e.start) as usize;
        let ps = &mut syn.pops[e.pop];
        let slots = ps.slots.max(1) as u64;
        let slot = (step % slots) as usize;
        let pn = ps.n;
        let mut has_g = false;
        let mut has_jump = false;
        // `set_port`'s value plus a constant stimulus folded in (see `PopSynapses::dc`).
        let bias: [f64; 4] = std::array::from_fn(|p| {
            ps.bias.get(p).copied().unwrap_or(0.0) + ps.dc.get(p).copied().unwrap_or(0.0)
        });
        let mut held = [None; 4];
        for &(port, si) in &ps.held {
            if let (Some(h), Some(StimRt::External(v))) =
                (held.get_mut(port), stims.list.get(si).map(|s| &s.kind))
            {
                *h = v.get(local0..local0 + len);
            }
        }
        let chans: Vec<ChanView> = ps
            .channels
            .iter_mut()
            .filter(|ch| ch.fed)
            .map(|ch| {
                let ring = &mut ch.ring[slot * pn + local0..slot * pn + local0 + len];
                let op = ch.kind.op();
                has_g |= op.is_conductance();
                has_jump |= matches!(op, Op::Delta);
                let (s, x) = ch.kind.state_slices(local0, len);
                ChanView { op, ring, s, x }
            })
            .collect();
        let run = Run {
            bias,
            held,
            ids0: id0,
            len,
            local0,
            pop: e,
            state: here,
            out: out_here,
            chans,
            has_g,
            has_jump,
            check,
            bad: None,
        };
        let probe = if inputs.probe {
            inputs.pops.get_mut(e.pop)
        } else {
            None
        };
        if par && len >= par_min {
            // About four sub-runs per thread, each of at least BLOCK neurons (or par_min, when
            // a test lowers it to exercise the split on small networks).
            let min_sub = BLOCK.min(par_min.max(1));
            let parts = (threads * 4).min(len / min_sub).max(1);
            let mut runs = Vec::with_capacity(parts);
            let mut rest = run;
            for k in (1..parts).rev() {
                let n = rest.len;
                let mid = (n - n * k / (k + 1)).clamp(1, n - 1);
                let (a, b) = rest.split_at(mid);
                runs.push(a);
                rest = b;
            }
            runs.push(rest);
            let results = ComputeTaskPool::get().scope(|s| {
                for mut sub in runs {
                    s.spawn(async move {
                        let mut local = Vec::new();
                        process_run::<M>(&mut sub, base, &mut local, None);
                        let b: Bad = sub.bad;
                        (local, b)
                    });
                }
            });
            // Sub-runs in id order: the first fault found is the lowest id.
            for (v, b) in results {
                found.extend(v);
                if bad.is_none() {
                    *bad = b;
                }
            }
        } else {
            let mut run = run;
            process_run::<M>(&mut run, base, found, probe);
            if bad.is_none() {
                *bad = run.bad;
            }
        }
        r += len;
    }
}

/// A block's scratch inputs: one array per input port, the conductance sums and the membrane
/// jumps. Kept per thread and reused: zeroing 14 kB of stack arrays for every population and
/// step showed as 4 % of the COBA network's time (perf, one run). Each run zeroes only the
/// arrays its kernel will read.
struct Bufs {
    ports: [[f64; BLOCK]; 4],
    g: [f64; BLOCK],
    ge: [f64; BLOCK],
    jump: [f64; BLOCK],
}

impl Bufs {
    fn zeroed() -> Box<Self> {
        Box::new(Bufs {
            ports: [[0.0; BLOCK]; 4],
            g: [0.0; BLOCK],
            ge: [0.0; BLOCK],
            jump: [0.0; BLOCK],
        })
    }
}

thread_local! {
    static BUFS: std::cell::RefCell<Box<Bufs>> = std::cell::RefCell::new(Bufs::zeroed());
}

/// Process a run block by block: channels into scratch, then the kernel.
fn process_run<M: Model>(
    run: &mut Run<'_, '_, M>,
    base: u64,
    found: &mut Vec<(u32, i8)>,
    probe: Option<&mut PopInputs>,
) {
    BUFS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => process_run_with(run, base, found, probe, &mut bufs),
        // Not reached (runs do not nest), but never panic: use a fresh buffer.
        Err(_) => process_run_with(run, base, found, probe, &mut Bufs::zeroed()),
    });
}

// Long by design: hot path; the block loop and its scratch borrows
// must live in one frame.
fn process_run_with<M: Model>(
    run: &mut Run<'_, '_, M>,
    base: u64,
    found: &mut Vec<(u32, i8)>,
    mut probe: Option<&mut PopInputs>,
    bufs: &mut Bufs,
) {
    let np = <M::Ports as PortArray>::N;
    let syn = run.has_g || run.has_jump;
    let Bufs { ports, g, ge, jump } = bufs;
    // The scratch arrays this run's kernel reads start at zero (the kernel loop zeroes them
    // again as it reads, so the next block starts at zero too).
    for p in ports.iter_mut().take(np) {
        p.fill(0.0);
    }
    if syn || probe.is_some() {
        g.fill(0.0);
        ge.fill(0.0);
        jump.fill(0.0);
    }
    // A port fed by exactly one port channel (and no receptor) is read straight from that
    // channel's ring slot, which the kernel loop zeroes as it reads: no copy through scratch.
    let mut direct: [Option<usize>; 4] = [None; 4];
    for (p, d) in direct.iter_mut().enumerate().take(np) {
        if run.held[p].is_some() {
            continue;
        }
        let mut feeds = 0;
        let mut last = 0;
        for (i, c) in run.chans.iter().enumerate() {
            if c.op.port() == Some(p) {
                feeds += 1;
                last = i;
            }
        }
        if feeds == 1 && matches!(run.chans[last].op, Op::Port(_)) {
            *d = Some(last);
        }
    }
    let bias = run.bias;
    let mut b0 = 0;
    while b0 < run.len {
        let b = BLOCK.min(run.len - b0);
        // Held inputs first (the kernel loop left the scratch at zero), then arrivals.
        for (p, h) in run.held.iter().enumerate().take(np) {
            if let Some(h) = h {
                ports[p][..b].copy_from_slice(&h[b0..b0 + b]);
            }
        }
        for (i, c) in run.chans.iter_mut().enumerate() {
            if !direct.contains(&Some(i)) {
                apply(c, b0, b, ports, g, ge, jump);
            }
        }
        let pop = run.pop;
        // The block's sources: ring slots for direct ports, scratch otherwise.
        let mut rings: [Option<&mut [f64]>; 4] = [None, None, None, None];
        let mut chans = std::mem::take(&mut run.chans);
        for (i, c) in chans.iter_mut().enumerate() {
            if let Some(p) = direct.iter().position(|d| *d == Some(i)) {
                rings[p] = Some(&mut c.ring[b0..b0 + b]);
            }
        }
        let [s0, s1, s2, s3] = &mut *ports;
        let scratch_ports = [&mut s0[..b], &mut s1[..b], &mut s2[..b], &mut s3[..b]];
        let mut k = 0;
        let srcs: [&mut [f64]; 4] = scratch_ports.map(|sp| {
            let r = rings[k].take();
            k += 1;
            r.unwrap_or(sp)
        });
        let mut scratch = Scratch {
            ports: srcs,
            bias,
            g: &mut g[..b],
            ge: &mut ge[..b],
            jump: &mut jump[..b],
        };
        if let Some(pr) = probe.as_deref_mut() {
            let l = run.local0 + b0;
            for (k, p) in pr.ports.iter_mut().enumerate().take(np) {
                for (d, &x) in p[l..l + b].iter_mut().zip(scratch.ports[k].iter()) {
                    *d = x + bias[k];
                }
            }
            if !pr.g.is_empty() {
                pr.g[l..l + b].copy_from_slice(scratch.g);
                pr.ge[l..l + b].copy_from_slice(scratch.ge);
            }
            if !pr.jump.is_empty() {
                pr.jump[l..l + b].copy_from_slice(scratch.jump);
            }
        }
        match (&pop.consts, syn) {
            (ConstsStore::Shared(k), false) => {
                block::<M, false>(run, b0, b, &mut scratch, base, found, Some(k), |_| k)
            }
            (ConstsStore::Shared(k), true) => {
                block::<M, true>(run, b0, b, &mut scratch, base, found, Some(k), |_| k)
            }
            (ConstsStore::PerNeuron(v), false) => {
                let l = run.local0;
                block::<M, false>(run, b0, b, &mut scratch, base, found, None, |i| &v[l + i])
            }
            (ConstsStore::PerNeuron(v), true) => {
                let l = run.local0;
                block::<M, true>(run, b0, b, &mut scratch, base, found, None, |i| &v[l + i])
            }
        }
        run.chans = chans;
        if run.check && run.bad.is_none() {
            check_block(run, b0, b);
        }
        b0 += b;
    }
}

/// The NaN check of the block `b0..b0 + b` of a run, right after its kernel, while its state
/// is in L1: keeps the first non-finite value in `run.bad`.
#[inline(never)]
fn check_block<M: Model>(run: &mut Run<'_, '_, M>, b0: usize, b: usize) {
    let whole = <M::State as StateVars>::reborrow(&mut run.state);
    let (st, _) =
        <M::State as StateVars>::split_at(<M::State as StateVars>::split_at(whole, b0).1, b);
    let out = run.out.as_deref().map(|o| &o[b0..b0 + b]);
    if let Some((row, var, value)) = watchdog::first_non_finite::<M>(&st, out, b) {
        run.bad = Some((run.ids0 + (b0 + row) as u32, var, value));
    }
}

/// A block's inputs: one source per port (a ring slot or a scratch array), the ports'
/// biases, and the conductance and jump scratch. The kernel loop zeroes what it reads.
struct Scratch<'s> {
    ports: [&'s mut [f64]; 4],
    bias: [f64; 4],
    g: &'s mut [f64],
    ge: &'s mut [f64],
    jump: &'s mut [f64],
}

/// One block of a run, as [`Model::update_block`] sees it.
struct BlockRun<'b, 'x, 's, M: Model> {
    st: <M::State as StateVars>::Slices<'s>,
    out: Option<&'b mut [OutValue]>,
    x: &'b mut Scratch<'x>,
    b: usize,
    membrane: Option<usize>,
    syn: bool,
    base: u64,
    ids0: u32,
    events: &'b mut [i8; BLOCK],
}

impl<M: Model> Block<M> for BlockRun<'_, '_, '_, M> {
    #[inline(always)]
    fn for_each(
        &mut self,
        mut f: impl FnMut(&mut M::State, &Input<M::Ports>, &mut NeuronRng) -> M::Output,
    ) {
        let b = self.b.min(BLOCK);
        let value_out = <M::Output as Output>::KIND == OutputKind::Value;
        let x = &mut *self.x;
        let bias = x.bias;
        for j in 0..b {
            let mut s = <M::State as StateVars>::load(&self.st, j);
            let mut inp = Input {
                ports: <M::Ports as PortArray>::from_fn(|p| {
                    let v = x.ports[p][j];
                    x.ports[p][j] = 0.0;
                    v + bias[p]
                }),
                g: 0.0,
                ge: 0.0,
            };
            if self.syn {
                inp.g = x.g[j];
                inp.ge = x.ge[j];
                x.g[j] = 0.0;
                x.ge[j] = 0.0;
                if let Some(m) = self.membrane {
                    // Adding a zero jump changes nothing; no branch keeps the loop vectorisable.
                    let v = s.get(m);
                    s.set(m, v + x.jump[j]);
                    x.jump[j] = 0.0;
                }
            }
            let mut rng = NeuronRng::from_base(self.base, self.ids0 + j as u32);
            let o = f(&mut s, &inp, &mut rng);
            <M::State as StateVars>::store(&mut self.st, j, &s);
            if value_out && let Some(out) = self.out.as_deref_mut() {
                out[j].0 = o.value();
            }
            self.events[j] = o.event();
        }
    }
}

/// The kernel loop over one block: the model's block update (events go to a scratch array
/// first, then to the spike list), so that simple kernels vectorise across neurons.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn block<'k, M: Model, const SYN: bool>(
    run: &mut Run<'_, '_, M>,
    b0: usize,
    b: usize,
    x: &mut Scratch,
    base: u64,
    found: &mut Vec<(u32, i8)>,
    shared: Option<&'k M::Consts>,
    consts: impl Fn(usize) -> &'k M::Consts,
) {
    let b = b.min(BLOCK);
    let ids0 = run.ids0 + b0 as u32;
    let whole = <M::State as StateVars>::reborrow(&mut run.state);
    let (st, _) =
        <M::State as StateVars>::split_at(<M::State as StateVars>::split_at(whole, b0).1, b);
    let out = run.out.as_deref_mut().map(|o| &mut o[b0..b0 + b]);
    let mut events = [0i8; BLOCK];
    let mut blk = BlockRun::<M> {
        st,
        out,
        x,
        b,
        membrane: run.pop.membrane,
        syn: SYN,
        base,
        ids0,
        events: &mut events,
    };
    match shared {
        Some(k) => M::update_block(k, &mut blk),
        None => {
            let mut j = 0;
            blk.for_each(|s, inp, rng| {
                let o = M::update(consts(b0 + j), s, inp, rng);
                j += 1;
                o
            });
        }
    }
    collect_events(&events, b, ids0, found);
}

/// Append the non-zero events among the first `b` of a block to `found`, in id order.
///
/// Most neurons do not spike in a step, so the scan skips eight events at a time when all are
/// zero (one 8-byte test instead of eight byte loads and branches). Measured on the CUBA
/// network (4,000 LIF neurons, one run): the byte-wise scan took about a third of the
/// integrate system's samples.
#[inline]
fn collect_events(events: &[i8; BLOCK], b: usize, ids0: u32, found: &mut Vec<(u32, i8)>) {
    for (c, chunk) in events[..b].chunks(8).enumerate() {
        let word = chunk
            .iter()
            .fold(0u64, |w, &e| (w << 8) | u64::from(e as u8));
        if word == 0 {
            continue;
        }
        for (i, &ev) in chunk.iter().enumerate() {
            if ev != 0 {
                found.push((ids0 + (c * 8 + i) as u32, ev));
            }
        }
    }
}
