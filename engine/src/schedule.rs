//! The step: ordered system sets, run by a single-threaded executor (parallelism lives inside
//! the heavy systems).
//!
//! One network step of `dt` ms is the chain `Stimulus → Integrate → Emit → Propagate →
//! Plasticity → Record`; [`StepSet`] documents what runs in each set and what it may touch.
//! There is no separate delivery set: draining this step's ring-buffer slots into receptors
//! and ports happens inside `Integrate`, block by block (docs/ARCHITECTURE.md: separate passes
//! cost more than the COBA neurons themselves).
//!
//! Measured (docs/ARCHITECTURE.md): 120 mostly empty systems cost ~60 µs per step on the
//! multi-threaded executor vs ~2 µs single-threaded, so the executor is sequential and only
//! the models present get systems.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{IntoScheduleConfigs, ScheduleLabel, SingleThreadedExecutor};

use crate::input::stimulus_system;
use crate::record::record_system;
use crate::synapse::propagate_system;
use crate::world::{Clock, NeuronId, OutValue, Populations, StepSpikes, StepValues};

/// The sets of one step, in order (chained). A host that puts the step into its own schedule
/// ([`sim::add_step_systems`](crate::sim::add_step_systems)) can order its systems against these.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepSet {
    /// Stimuli write this step's currents and events into the current ring slot of their
    /// channels. Touches: `Stimuli` (generator state), `Synapses` (ring slots only).
    Stimulus,
    /// One system per model present: drains this step's ring slot of every channel of each
    /// population (advancing receptor state), integrates every neuron, collects spikes.
    /// Touches: the model's state columns and `OutValue`, `Synapses` (ring slots, receptor
    /// state), `StepSpikes::pending`, `Inputs` (only while probing).
    Integrate,
    /// Spikes of the step sorted by id into `StepSpikes`; value outputs copied into
    /// `StepValues`. Touches: `StepSpikes`, `StepValues`.
    Emit,
    /// Spikes and values travel through the projections' CSR tables into future ring slots;
    /// a plastic projection updates each synapse's weight as the spike meets it (pending
    /// facilitation, then depression; see `synapse::plastic`). Reads `StepSpikes`,
    /// `StepValues`; touches `Synapses` (rings, event count, plastic state).
    Propagate,
    /// The postsynaptic side of plasticity: each plastic projection archives this step's
    /// spikes of its target population, and every `plastic::SWEEP` steps brings silent
    /// sources' synapses up to date. Present only in networks with a plastic projection.
    /// Touches `Synapses` (plastic state).
    Plasticity,
    /// Recorders store spikes, rates and due state samples (read from the state columns, one
    /// system per model), then the clock advances. Touches: `Recorders`, `Clock`.
    Record,
}

/// The label of the step schedule.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Step;

/// Build the step schedule of a network whose models add their Integrate systems with
/// `models` ([`ModelEntry::system_adder`](crate::registry::ModelEntry::system_adder)).
pub fn build_schedule(models: &[fn(&mut Schedule)], recorders: &[fn(&mut Schedule)]) -> Schedule {
    let mut s = Schedule::new(Step);
    s.set_executor(SingleThreadedExecutor::new());
    add_step_systems(&mut s, models, recorders);
    s
}

/// Add one network step's sets (chained) and systems to `s`: `models` add the models'
/// Integrate systems, `recorders` their state-recorder systems.
pub fn add_step_systems(
    s: &mut Schedule,
    models: &[fn(&mut Schedule)],
    recorders: &[fn(&mut Schedule)],
) {
    s.configure_sets(
        (
            StepSet::Stimulus,
            StepSet::Integrate,
            StepSet::Emit,
            StepSet::Propagate,
            StepSet::Plasticity,
            StepSet::Record,
        )
            .chain(),
    );
    s.add_systems(stimulus_system.in_set(StepSet::Stimulus));
    for add in models {
        add(s);
    }
    s.add_systems(emit_system.in_set(StepSet::Emit));
    s.add_systems(propagate_system.in_set(StepSet::Propagate));
    s.add_systems(
        (record_system, advance_clock_system)
            .chain()
            .in_set(StepSet::Record),
    );
    for add in recorders {
        add(s);
    }
}

/// A schedule with only the Integrate and Emit sets: the batch path alone, for kernel
/// benchmarks (inputs stay as they were last written).
pub fn build_kernel_schedule(models: &[fn(&mut Schedule)]) -> Schedule {
    let mut s = Schedule::new(Step);
    s.set_executor(SingleThreadedExecutor::new());
    s.configure_sets((StepSet::Integrate, StepSet::Emit).chain());
    for add in models {
        add(&mut s);
    }
    s.add_systems(
        (emit_system, advance_clock_system)
            .chain()
            .in_set(StepSet::Emit),
    );
    s
}

/// Emit set: sort this step's spikes by id; copy value outputs into [`StepValues`].
pub fn emit_system(
    mut spikes: ResMut<StepSpikes>,
    mut values: ResMut<StepValues>,
    pops: Res<Populations>,
    mut q: Query<(&NeuronId, &OutValue)>,
) {
    let s = &mut *spikes;
    s.pending.sort_unstable_by_key(|&(id, _)| id);
    s.ids.clear();
    s.signs.clear();
    for &(id, sign) in &s.pending {
        s.ids.push(id);
        s.signs.push(sign);
    }
    s.pending.clear();
    if values.pops.iter().all(|v| v.is_empty()) {
        return;
    }
    let Ok(iter) = q.contiguous_iter_mut() else {
        return;
    };
    for (ids, outs) in iter {
        for (id, o) in ids.iter().zip(outs) {
            if let Some(p) = pops.pop_of(id.0) {
                let local = (id.0 - pops.list[p].start) as usize;
                if let Some(slot) = values.pops[p].get_mut(local) {
                    *slot = o.0;
                }
            }
        }
    }
}

/// Last system of a step: advance the clock.
pub fn advance_clock_system(mut clock: ResMut<Clock>) {
    clock.step += 1;
}
