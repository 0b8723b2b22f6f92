//! Recorders: spikes (all or a subset), state variables of chosen neurons at an interval, and
//! population rates. All are readable from the API while the simulation runs.

pub(crate) mod build;
pub mod write;

use bevy_ecs::prelude::*;

use crate::model::{Model, StateVars};
use crate::world::integrate::IntegrateQuery;
use crate::world::{Clock, ModelPops, ModelTag, Populations, StepSpikes};

/// Reads a neuron's whole state (all variables, declaration order) from the world.
pub type StateReader = fn(&World, Entity, &mut Vec<f64>) -> bool;

/// The time at the end of step `step` (0-based), ms, rounded to the nearest nanosecond
/// (1e-6 ms), so that times on the step grid print as the grid (`0.3`, not
/// `0.30000000000000004`): what spike and sample times are stored as.
#[inline]
pub fn step_end_time(step: u64, dt: f64) -> f64 {
    (((step + 1) as f64 * dt) * 1e6).round() / 1e6
}

/// Recorded spikes.
#[derive(Clone, Debug, Default)]
pub struct SpikeRecord {
    /// Population index.
    pub pop: usize,
    /// Which local indices are recorded (`None` = all).
    pub filter: Option<Vec<bool>>,
    /// Neuron ids (global), in time then id order.
    pub ids: Vec<u32>,
    /// Event signs (+1 / −1), parallel to `ids`.
    pub signs: Vec<i8>,
    /// Step of each spike.
    pub steps: Vec<u64>,
    /// Step length, ms.
    pub dt: f64,
}

impl SpikeRecord {
    /// Spike times, ms (the end of the step in which the spike happened; see
    /// [`step_end_time`]).
    pub fn times(&self) -> impl Iterator<Item = f64> + '_ {
        self.steps.iter().map(|&s| step_end_time(s, self.dt))
    }
}

/// Recorded state traces.
#[derive(Clone, Debug)]
pub struct StateRecord {
    /// Population index.
    pub pop: usize,
    /// Variable names (as asked).
    pub vars: Vec<String>,
    /// Index of each variable in the model's state; `usize::MAX` = the value output.
    pub var_idx: Vec<usize>,
    /// Recorded local indices.
    pub neurons: Vec<u32>,
    /// Sampling interval, steps.
    pub every: u64,
    /// Sample times, ms (after the step).
    pub times: Vec<f64>,
    /// Samples: for each time, for each neuron, for each variable.
    pub data: Vec<f64>,
}

impl StateRecord {
    /// The trace of variable `var` of the `k`-th recorded neuron.
    pub fn trace(&self, k: usize, var: &str) -> Option<Vec<f64>> {
        let v = self.vars.iter().position(|x| x == var)?;
        let (nn, nv) = (self.neurons.len(), self.vars.len());
        if k >= nn {
            return None;
        }
        Some(
            (0..self.times.len())
                .map(|t| self.data[(t * nn + k) * nv + v])
                .collect(),
        )
    }
}

/// Recorded population rate.
#[derive(Clone, Debug)]
pub struct RateRecord {
    /// Population index.
    pub pop: usize,
    /// Neurons in the population.
    pub size: u32,
    /// Bin width, steps.
    pub bin_steps: u64,
    /// Step length, ms.
    pub dt: f64,
    /// Spikes in the current bin.
    pub(crate) count: u64,
    /// Steps in the current bin.
    pub(crate) filled: u64,
    /// Completed bins: rate in Hz.
    pub rates: Vec<f64>,
}

/// Spike statistics of every population, kept online (no spike list): counts and, per neuron,
/// the moments of its interspike intervals. Enabled with `Simulation::enable_stats`.
#[derive(Clone, Debug, Default)]
pub struct SpikeStats {
    /// Whether statistics are being kept.
    pub enabled: bool,
    /// Spikes per population.
    pub counts: Vec<u64>,
    /// Per neuron (global id): step of its last spike (`u64::MAX` = none yet).
    pub last: Vec<u64>,
    /// Per neuron: number of intervals.
    pub n_isi: Vec<u32>,
    /// Per neuron: sum of intervals (steps).
    pub sum: Vec<f64>,
    /// Per neuron: sum of squared intervals (steps²).
    pub sum2: Vec<f64>,
}

impl SpikeStats {
    /// Mean coefficient of variation of the interspike intervals over the neurons of id range
    /// `[a, b)` that have at least `min_isi` intervals (NaN if none).
    pub fn cv_isi(&self, a: u32, b: u32, min_isi: u32) -> f64 {
        let (mut s, mut n) = (0.0, 0usize);
        for i in a as usize..b as usize {
            let k = self.n_isi[i];
            if k >= min_isi.max(2) {
                let m = self.sum[i] / k as f64;
                let var = (self.sum2[i] / k as f64 - m * m).max(0.0);
                if m > 0.0 {
                    s += var.sqrt() / m;
                    n += 1;
                }
            }
        }
        if n == 0 { f64::NAN } else { s / n as f64 }
    }
}

/// All recorders.
#[derive(Resource, Default, Debug)]
pub struct Recorders {
    /// Spike recorders, scene order.
    pub spikes: Vec<SpikeRecord>,
    /// State recorders, scene order.
    pub states: Vec<StateRecord>,
    /// Rate recorders, scene order.
    pub rates: Vec<RateRecord>,
    /// Spike statistics of every population.
    pub stats: SpikeStats,
}

/// Record set, first system: store this step's spikes, rates and spike statistics (reads the
/// step's spike list only).
pub fn record_system(
    mut rec: ResMut<Recorders>,
    clock: Res<Clock>,
    spikes: Res<StepSpikes>,
    pops: Res<Populations>,
) {
    let step = clock.step;
    let rec = &mut *rec;
    if rec.stats.enabled {
        let st = &mut rec.stats;
        for &id in &spikes.ids {
            if let Some(p) = pops.pop_of(id) {
                st.counts[p] += 1;
            }
            let i = id as usize;
            let last = st.last[i];
            if last != u64::MAX {
                let d = (step - last) as f64;
                st.n_isi[i] += 1;
                st.sum[i] += d;
                st.sum2[i] += d * d;
            }
            st.last[i] = step;
        }
    }
    for r in &mut rec.spikes {
        let p = &pops.list[r.pop];
        let a = spikes.ids.partition_point(|&x| x < p.start);
        let b = spikes.ids.partition_point(|&x| x < p.end());
        for k in a..b {
            let id = spikes.ids[k];
            if let Some(f) = &r.filter
                && !f[(id - p.start) as usize]
            {
                continue;
            }
            r.ids.push(id);
            r.signs.push(spikes.signs[k]);
            r.steps.push(step);
        }
    }
    for r in &mut rec.rates {
        let p = &pops.list[r.pop];
        let a = spikes.ids.partition_point(|&x| x < p.start);
        let b = spikes.ids.partition_point(|&x| x < p.end());
        r.count += (b - a) as u64;
        r.filled += 1;
        if r.filled == r.bin_steps {
            let secs = r.bin_steps as f64 * r.dt / 1000.0;
            r.rates.push(r.count as f64 / (r.size.max(1) as f64 * secs));
            r.count = 0;
            r.filled = 0;
        }
    }
}

/// Record set, one system per model present: store the due samples of state recorders on
/// populations of model `M`, read from the state columns (the same contiguous chunks the
/// Integrate system advances), not entity by entity. Does nothing on steps where no recorder
/// of a population of `M` is due.
pub fn record_states_system<M: Model>(
    mut q: Query<IntegrateQuery<M>, With<ModelTag<M>>>,
    mut rec: ResMut<Recorders>,
    clock: Res<Clock>,
    mpops: Res<ModelPops<M>>,
    pops: Res<Populations>,
) {
    let step = clock.step;
    let mine = |pop: usize| mpops.list.iter().any(|e| e.pop == pop);
    let due: Vec<usize> = rec
        .states
        .iter()
        .enumerate()
        .filter(|(_, r)| (step + 1).is_multiple_of(r.every) && mine(r.pop))
        .map(|(i, _)| i)
        .collect();
    if due.is_empty() {
        return;
    }
    // One sample per (neuron, variable) of each due recorder, NaN until found in a chunk.
    let mut samples: Vec<Vec<f64>> = due
        .iter()
        .map(|&i| vec![f64::NAN; rec.states[i].neurons.len() * rec.states[i].var_idx.len()])
        .collect();
    if let Ok(iter) = q.contiguous_iter_mut() {
        for (ids, mut st, out) in iter {
            let Some(first) = ids.first().map(|x| x.0) else {
                continue;
            };
            let slices = <M::State as StateVars>::slices(&mut st);
            for (k, &ri) in due.iter().enumerate() {
                let r = &rec.states[ri];
                let start = pops.list[r.pop].start;
                let nv = r.var_idx.len();
                for (j, &local) in r.neurons.iter().enumerate() {
                    let id = start + local;
                    // Rows hold consecutive ids unless a host moved entities between tables.
                    let row = match id.checked_sub(first).map(|d| d as usize) {
                        Some(d) if ids.get(d).is_some_and(|x| x.0 == id) => d,
                        _ => match ids.iter().position(|x| x.0 == id) {
                            Some(d) => d,
                            None => continue,
                        },
                    };
                    let s = <M::State as StateVars>::load(&slices, row);
                    for (v, &vi) in r.var_idx.iter().enumerate() {
                        samples[k][j * nv + v] = if vi == usize::MAX {
                            out.as_ref().map_or(f64::NAN, |o| o[row].0)
                        } else {
                            s.get(vi)
                        };
                    }
                }
            }
        }
    }
    let t = step_end_time(step, clock.dt);
    for (k, &ri) in due.iter().enumerate() {
        let r = &mut rec.states[ri];
        r.times.push(t);
        r.data.extend_from_slice(&samples[k]);
    }
}
