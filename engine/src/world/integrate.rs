//! The batch (struct-of-arrays) path: one system per model present advances every neuron of
//! that model through the model's scalar kernel.
//!
//! The system iterates table slices (`contiguous_iter_mut` serially, `contiguous_par_iter_mut`
//! in parallel chunks when the simulation has more than one thread and the model has enough
//! neurons). Each chunk is split into runs of consecutive ids of one population; a run loads a
//! neuron's state from the component slices into the model's state struct, builds its
//! [`Input`] from the population's input buffers, calls [`Model::update`] — the same function
//! the standalone path calls — and stores the state back. Results never depend on chunking:
//! the kernels are per neuron, random numbers are keyed by (seed, id, step), and spikes are
//! sorted by id in the Emit set.

use std::sync::Mutex;

use bevy_ecs::batching::BatchingStrategy;
use bevy_ecs::prelude::*;

use super::{
    Clock, ConstsStore, Inputs, ModelPop, ModelPops, ModelTag, NeuronId, OutValue, PopInputs,
    StepSpikes,
};
use crate::model::{Input, Model, Output, OutputKind, PortArray, StateVars};
use crate::numerics::rng::NeuronRng;

/// RNG stream of neuron models in a network (the standalone path uses
/// [`STANDALONE_STREAM`](crate::model::STANDALONE_STREAM); pass the same stream to compare).
pub const MODEL_STREAM: u64 = crate::model::STANDALONE_STREAM;

/// Below this many neurons of one model a step runs serially even with several threads:
/// spawning tasks costs more than it saves (see ARCHITECTURE.md: 10^4–10^5).
pub const PAR_MIN_NEURONS: usize = 16_384;

/// The query the Integrate system of model `M` runs.
pub type IntegrateQuery<M> = (
    &'static NeuronId,
    <<M as Model>::State as StateVars>::Query,
    Option<&'static mut OutValue>,
);

/// Events found by one parallel batch, keyed by its first neuron id.
type Batch = (u32, Vec<(u32, i8)>);

/// Integrate system of model `M` (registered only when a population of `M` exists).
pub fn integrate_system<M: Model>(
    mut q: Query<IntegrateQuery<M>, With<ModelTag<M>>>,
    pops: Res<ModelPops<M>>,
    inputs: Res<Inputs>,
    clock: Res<Clock>,
    mut spikes: ResMut<StepSpikes>,
) {
    let total: usize = pops.list.iter().map(|e| (e.end - e.start) as usize).sum();
    let pops = &*pops;
    let inputs = &*inputs;
    let (seed, step) = (clock.seed, clock.step);
    if clock.threads > 1 && total >= clock.par_min {
        let batch = total
            .div_ceil(clock.threads * 4)
            .max(clock.par_min.clamp(1, 1024));
        let found: Mutex<Vec<Batch>> = Mutex::new(Vec::new());
        let Ok(par) = q.contiguous_par_iter_mut() else {
            return serial::<M>(&mut q, pops, inputs, seed, step, &mut spikes.pending);
        };
        par.batching_strategy(BatchingStrategy::fixed(batch))
            .for_each(|(ids, mut st, out)| {
                let mut local = Vec::new();
                let mut slices = <M::State as StateVars>::slices(&mut st);
                let mut out = out;
                let out = out.as_mut().map(|o| o.bypass_change_detection());
                run_chunk::<M>(ids, &mut slices, out, pops, inputs, seed, step, &mut local);
                if let Some(first) = ids.first()
                    && let Ok(mut f) = found.lock()
                {
                    f.push((first.0, local));
                }
            });
        let mut found = found.into_inner().unwrap_or_default();
        found.sort_unstable_by_key(|(first, _)| *first);
        for (_, v) in found {
            spikes.pending.extend(v);
        }
    } else {
        serial::<M>(&mut q, pops, inputs, seed, step, &mut spikes.pending);
    }
}

fn serial<M: Model>(
    q: &mut Query<IntegrateQuery<M>, With<ModelTag<M>>>,
    pops: &ModelPops<M>,
    inputs: &Inputs,
    seed: u64,
    step: u64,
    found: &mut Vec<(u32, i8)>,
) {
    let Ok(iter) = q.contiguous_iter_mut() else {
        return;
    };
    for (ids, mut st, out) in iter {
        let mut slices = <M::State as StateVars>::slices(&mut st);
        let mut out = out;
        let out = out.as_mut().map(|o| o.bypass_change_detection());
        run_chunk::<M>(ids, &mut slices, out, pops, inputs, seed, step, found);
    }
}

/// Process one contiguous chunk: split it into runs of consecutive ids of one population.
#[allow(clippy::too_many_arguments)]
fn run_chunk<M: Model>(
    ids: &[NeuronId],
    st: &mut <M::State as StateVars>::Slices<'_>,
    mut out: Option<&mut [OutValue]>,
    pops: &ModelPops<M>,
    inputs: &Inputs,
    seed: u64,
    step: u64,
    found: &mut Vec<(u32, i8)>,
) {
    let n = ids.len();
    let mut r = 0;
    while r < n {
        let id0 = ids[r].0;
        let Some(e) = pops.find(id0) else {
            r += 1;
            continue;
        };
        let mut len = (n - r).min((e.end - id0) as usize);
        // Rows are consecutive ids unless a host moved entities between tables; check the ends
        // of the run and fall back to one neuron at a time if they do not match.
        if ids[r + len - 1].0 != id0 + (len as u32 - 1) {
            len = 1;
        }
        let pin = &inputs.pops[e.pop];
        let out_run = out.as_deref_mut().map(|o| &mut o[r..r + len]);
        let syn = !pin.g.is_empty() || !pin.jump.is_empty();
        if syn {
            run::<M, true>(e, pin, st, r, len, id0, out_run, seed, step, found);
        } else {
            run::<M, false>(e, pin, st, r, len, id0, out_run, seed, step, found);
        }
        r += len;
    }
}

#[inline(always)]
fn pick(v: &[f64], l0: usize, len: usize) -> &[f64] {
    if v.is_empty() { v } else { &v[l0..l0 + len] }
}

/// The inner loop over one run of `len` neurons starting at chunk row `r` and id `id0`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn run<M: Model, const SYN: bool>(
    e: &ModelPop<M>,
    pin: &PopInputs,
    st: &mut <M::State as StateVars>::Slices<'_>,
    r: usize,
    len: usize,
    id0: u32,
    mut out: Option<&mut [OutValue]>,
    seed: u64,
    step: u64,
    found: &mut Vec<(u32, i8)>,
) {
    let l0 = (id0 - e.start) as usize;
    let np = <M::Ports as PortArray>::N;
    let empty: &[f64] = &[];
    let mut ports: [&[f64]; 4] = [empty; 4];
    for (k, p) in ports.iter_mut().enumerate().take(np) {
        *p = &pin.ports[k][l0..l0 + len];
    }
    let (g, ge, jump) = if SYN {
        (
            pick(&pin.g, l0, len),
            pick(&pin.ge, l0, len),
            pick(&pin.jump, l0, len),
        )
    } else {
        (empty, empty, empty)
    };
    let ctx = Ctx {
        ports,
        g,
        ge,
        jump,
        membrane: e.membrane,
        r,
        id0,
        seed,
        step,
    };
    match &e.consts {
        ConstsStore::Shared(k) => {
            for i in 0..len {
                one::<M, SYN>(&ctx, i, k, st, out.as_deref_mut(), found);
            }
        }
        ConstsStore::PerNeuron(v) => {
            let v = &v[l0..l0 + len];
            for (i, k) in v.iter().enumerate() {
                one::<M, SYN>(&ctx, i, k, st, out.as_deref_mut(), found);
            }
        }
    }
}

/// What every neuron of a run shares.
struct Ctx<'a> {
    ports: [&'a [f64]; 4],
    g: &'a [f64],
    ge: &'a [f64],
    jump: &'a [f64],
    membrane: Option<usize>,
    r: usize,
    id0: u32,
    seed: u64,
    step: u64,
}

/// One neuron: load, build the input, run the kernel, store, collect the event.
#[inline(always)]
fn one<M: Model, const SYN: bool>(
    c: &Ctx,
    i: usize,
    k: &M::Consts,
    st: &mut <M::State as StateVars>::Slices<'_>,
    out: Option<&mut [OutValue]>,
    found: &mut Vec<(u32, i8)>,
) {
    let row = c.r + i;
    let mut s = <M::State as StateVars>::load(st, row);
    let mut x = Input {
        ports: <M::Ports as PortArray>::from_fn(|p| c.ports[p][i]),
        g: 0.0,
        ge: 0.0,
    };
    if SYN {
        if !c.g.is_empty() {
            x.g = c.g[i];
            x.ge = c.ge[i];
        }
        if !c.jump.is_empty()
            && let Some(m) = c.membrane
        {
            let v = s.get(m);
            s.set(m, v + c.jump[i]);
        }
    }
    let id = c.id0 + i as u32;
    let mut rng = NeuronRng::new(c.seed, MODEL_STREAM, id, c.step);
    let o = M::update(k, &mut s, &x, &mut rng);
    <M::State as StateVars>::store(st, row, &s);
    // A compile-time choice per model: only value-output models have the column.
    if <M::Output as Output>::KIND == OutputKind::Value
        && let Some(out) = out
    {
        out[i].0 = o.value();
    }
    let ev = o.event();
    if ev != 0 {
        found.push((id, ev));
    }
}
