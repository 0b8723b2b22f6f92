//! The network in a World: what a host reads ([`Network`]) and writes ([`NetworkMut`]) through
//! any `World` a network was spawned into — a [`Simulation`](super::Simulation)'s own, or a
//! game's. `Simulation`'s accessors are these, so the headless and embedded cases share one
//! code path.

use bevy_ecs::prelude::*;

use super::plan::err;
use crate::error::{BuildError, unknown};
use crate::input::{StimRt, Stimuli};
use crate::model::StateMap;
use crate::record::{Recorders, StateReader};
use crate::synapse::{ChannelKind, Synapses};
use crate::world::watchdog::{Fault, NanPolicy, Watchdog};
use crate::world::{Clock, Inputs, PopInputs, PopulationInfo, Populations, StepSpikes, StepValues};

/// Writes state variable `var` (index) of a neuron entity; `false` if it has no such state.
pub type StateWriter = fn(&mut World, Entity, usize, f64) -> bool;

/// What a built network keeps beside its resources: per-population state readers and writers,
/// the Integrate systems of its models, its duration and synapse counts. Present in a World
/// exactly when a network was spawned into it.
#[derive(Resource, Default)]
pub struct NetworkInfo {
    pub(crate) readers: Vec<StateReader>,
    pub(crate) writers: Vec<StateWriter>,
    pub(crate) word_readers: Vec<crate::registry::WordReader>,
    pub(crate) word_writers: Vec<crate::registry::WordWriter>,
    pub(crate) state_words: Vec<usize>,
    pub(crate) scene_hash: u64,
    pub(crate) systems: Vec<fn(&mut Schedule)>,
    pub(crate) recorders: Vec<fn(&mut Schedule)>,
    pub(crate) duration: f64,
    pub(crate) n_synapses: usize,
    pub(crate) synapse_bytes: usize,
}

/// Spike statistics of one population.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PopulationStats {
    /// Population name.
    pub name: String,
    /// Model class name.
    pub model: &'static str,
    /// Neurons.
    pub neurons: u32,
    /// Spikes so far.
    pub spikes: u64,
    /// Mean rate, Hz.
    pub rate_hz: f64,
    /// Mean CV of interspike intervals (NaN if too few spikes).
    pub cv_isi: f64,
}

/// Read access to the network in a World.
#[derive(Clone, Copy)]
pub struct Network<'w> {
    pub(super) world: &'w World,
}

impl<'w> Network<'w> {
    /// The network spawned into `world`, if there is one.
    pub fn of(world: &'w World) -> Option<Self> {
        world
            .contains_resource::<NetworkInfo>()
            .then_some(Self { world })
    }

    /// The scene's duration, ms.
    pub fn duration(&self) -> f64 {
        self.world.resource::<NetworkInfo>().duration
    }

    /// Number of synapses.
    pub fn synapse_count(&self) -> usize {
        self.world.resource::<NetworkInfo>().n_synapses
    }

    /// Bytes used by synapse tables (targets, per-synapse weights and delays, row starts).
    pub fn synapse_bytes(&self) -> usize {
        self.world.resource::<NetworkInfo>().synapse_bytes
    }

    /// Step length, ms.
    pub fn dt(&self) -> f64 {
        self.world.resource::<Clock>().dt
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.world.resource::<Clock>().step
    }

    /// Current time, ms.
    pub fn time(&self) -> f64 {
        self.world.resource::<Clock>().t()
    }

    /// The first non-finite state the watchdog found, if any.
    pub fn fault(&self) -> Option<&'w Fault> {
        self.world.get_resource::<Watchdog>()?.fault.as_ref()
    }

    /// Ids of the neurons that spiked in the last step, ascending.
    pub fn spikes(&self) -> &'w [u32] {
        &self.world.resource::<StepSpikes>().ids
    }

    /// Signs of the last step's events (parallel to [`Network::spikes`]).
    pub fn spike_signs(&self) -> &'w [i8] {
        &self.world.resource::<StepSpikes>().signs
    }

    /// The populations.
    pub fn populations(&self) -> &'w [PopulationInfo] {
        &self.world.resource::<Populations>().list
    }

    /// A population by name.
    pub fn population(&self, name: &str) -> Option<&'w PopulationInfo> {
        self.populations().iter().find(|p| p.name == name)
    }

    /// Last values emitted by a value-output population (empty for spiking ones).
    pub fn values(&self, pop: &str) -> Option<&'w [f64]> {
        let i = self.world.resource::<Populations>().index_of(pop)?;
        Some(&self.world.resource::<StepValues>().pops[i])
    }

    /// The values input port `port` of population `pop` held during the last step (stimuli and
    /// receptors summed), by local index — while [`NetworkMut::probe_inputs`] is on.
    pub fn port_values(&self, pop: &str, port: &str) -> Option<&'w [f64]> {
        let pops = self.world.resource::<Populations>();
        let i = pops.index_of(pop)?;
        let k = pops.list[i].ports.iter().position(|p| *p == port)?;
        Some(&self.world.resource::<Inputs>().pops.get(i)?.ports[k])
    }

    /// The conductance input (Σg, Σg·E) of population `pop` during the last step, if it has
    /// conductance receptors.
    pub fn conductance_input(&self, pop: &str) -> Option<(&'w [f64], &'w [f64])> {
        let i = self.world.resource::<Populations>().index_of(pop)?;
        let p = self.world.resource::<Inputs>().pops.get(i)?;
        (!p.g.is_empty()).then_some((&p.g[..], &p.ge[..]))
    }

    /// The membrane jumps (delta receptors) population `pop` received in the last step.
    pub fn jump_input(&self, pop: &str) -> Option<&'w [f64]> {
        let i = self.world.resource::<Populations>().index_of(pop)?;
        let p = self.world.resource::<Inputs>().pops.get(i)?;
        (!p.jump.is_empty()).then_some(&p.jump[..])
    }

    /// The recorders and what they hold so far.
    pub fn recorders(&self) -> &'w Recorders {
        self.world.resource::<Recorders>()
    }

    /// Per population: (name, neurons, spikes, mean rate in Hz over the time run, mean CV of
    /// the interspike intervals of neurons with at least 3 intervals). Needs
    /// [`NetworkMut::enable_stats`] before running.
    pub fn population_stats(&self) -> Vec<PopulationStats> {
        let rec = self.world.resource::<Recorders>();
        let secs = self.time() / 1000.0;
        self.populations()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let spikes = rec.stats.counts.get(i).copied().unwrap_or(0);
                PopulationStats {
                    name: p.name.clone(),
                    model: p.model,
                    neurons: p.len,
                    spikes,
                    rate_hz: if secs > 0.0 {
                        spikes as f64 / p.len as f64 / secs
                    } else {
                        0.0
                    },
                    cv_isi: if rec.stats.enabled {
                        rec.stats.cv_isi(p.start, p.end(), 3)
                    } else {
                        f64::NAN
                    },
                }
            })
            .collect()
    }

    /// Synaptic events delivered so far (one per spike per outgoing synapse).
    pub fn synaptic_events(&self) -> u64 {
        self.world.resource::<Synapses>().events
    }

    /// The state of neuron `id`.
    pub fn state(&self, id: u32) -> Option<StateMap> {
        let pops = self.world.resource::<Populations>();
        let p = pops.pop_of(id)?;
        let info = &pops.list[p];
        let e = info.entities[(id - info.start) as usize];
        let mut v = Vec::new();
        if (self.world.resource::<NetworkInfo>().readers[p])(self.world, e, &mut v) {
            Some(StateMap {
                names: info.state_names,
                values: v,
            })
        } else {
            None
        }
    }

    /// State variable `var` of every neuron of population `pop`, in id order (one read per
    /// neuron: for inspection between runs, not for every step).
    pub fn state_column(&self, pop: &str, var: &str) -> Result<Vec<f64>, BuildError> {
        let pops = self.world.resource::<Populations>();
        let p = pops.index_of(pop).ok_or_else(|| {
            let names: Vec<&str> = pops.list.iter().map(|p| p.name.as_str()).collect();
            BuildError::new("population", unknown("population", pop, &names))
        })?;
        let info = &pops.list[p];
        let k = var_index(info, var)?;
        let read = self.world.resource::<NetworkInfo>().readers[p];
        let mut buf = Vec::new();
        let mut out = Vec::with_capacity(info.entities.len());
        for &e in &info.entities {
            if !read(self.world, e, &mut buf) {
                return err("population", format!("`{pop}` has no state components"));
            }
            out.push(buf[k]);
        }
        Ok(out)
    }

    /// Threads the heavy systems use.
    pub fn threads(&self) -> usize {
        self.world.resource::<Clock>().threads
    }
}

/// Write access to the network in a World.
pub struct NetworkMut<'w> {
    pub(super) world: &'w mut World,
}

impl<'w> NetworkMut<'w> {
    /// The network spawned into `world`, if there is one.
    pub fn of(world: &'w mut World) -> Option<Self> {
        if world.contains_resource::<NetworkInfo>() {
            Some(Self { world })
        } else {
            None
        }
    }

    /// Read access.
    pub fn as_ref(&self) -> Network<'_> {
        Network { world: self.world }
    }

    /// What the run loops do when the watchdog finds a non-finite state (default: stop).
    pub fn set_nan_policy(&mut self, policy: NanPolicy) {
        self.world.resource_mut::<Watchdog>().policy = policy;
    }

    /// Check the state every `ms` of biological time (default 10 ms; rounded to whole steps,
    /// at least one).
    pub fn set_watchdog_interval(&mut self, ms: f64) -> Result<(), BuildError> {
        if !(ms.is_finite() && ms > 0.0) {
            return err("watchdog interval", format!("must be > 0 ms, got {ms}"));
        }
        let dt = self.world.resource::<Clock>().dt;
        self.world.resource_mut::<Watchdog>().every = ((ms / dt).round() as u64).max(1);
        Ok(())
    }

    /// Set a constant added to input port `port` of every neuron of `pop` on every step (a
    /// bias, like NEST's `I_e`), on top of stimuli and synaptic input. Costs nothing per step.
    pub fn set_port(&mut self, pop: &str, port: &str, x: f64) -> Result<(), BuildError> {
        let pops = self.world.resource::<Populations>();
        let Some(i) = pops.index_of(pop) else {
            return err("population", format!("no population `{pop}`"));
        };
        let Some(k) = pops.list[i].ports.iter().position(|p| *p == port) else {
            return err("port", unknown("port", port, pops.list[i].ports));
        };
        if !x.is_finite() {
            return err("value", format!("must be finite, got {x}"));
        }
        self.world.resource_mut::<Synapses>().pops[i].bias[k] = x;
        Ok(())
    }

    /// Copy each step's inputs (ports, conductances, jumps) of every neuron where
    /// [`Network::port_values`] and friends can read them. For inspection and tests: it
    /// forces the serial path and costs a copy per input.
    pub fn probe_inputs(&mut self, on: bool) {
        let sizes: Vec<(usize, usize, bool, bool)> = {
            let pops = self.world.resource::<Populations>();
            let syn = self.world.resource::<Synapses>();
            pops.list
                .iter()
                .zip(&syn.pops)
                .map(|(p, s)| {
                    let g = s.channels.iter().any(
                        |c| matches!(&c.kind, ChannelKind::Receptor(r) if r.kind.is_conductance()),
                    );
                    let j = s
                        .channels
                        .iter()
                        .any(|c| matches!(c.kind, ChannelKind::Delta));
                    (p.len as usize, p.ports.len(), g, j)
                })
                .collect()
        };
        let mut inputs = self.world.resource_mut::<Inputs>();
        inputs.probe = on;
        inputs.pops = if on {
            sizes
                .into_iter()
                .map(|(n, np, g, j)| PopInputs {
                    ports: vec![vec![0.0; n]; np],
                    g: if g { vec![0.0; n] } else { Vec::new() },
                    ge: if g { vec![0.0; n] } else { Vec::new() },
                    jump: if j { vec![0.0; n] } else { Vec::new() },
                })
                .collect()
        } else {
            Vec::new()
        };
    }

    /// Keep spike statistics of every population (counts, interspike-interval moments per
    /// neuron) from now on; read them with [`Network::population_stats`].
    pub fn enable_stats(&mut self) {
        let n = self.world.resource::<Populations>().total() as usize;
        let np = self.world.resource::<Populations>().list.len();
        let mut rec = self.world.resource_mut::<Recorders>();
        let st = &mut rec.stats;
        if !st.enabled {
            *st = crate::record::SpikeStats {
                enabled: true,
                counts: vec![0; np],
                last: vec![u64::MAX; n],
                n_isi: vec![0; n],
                sum: vec![0.0; n],
                sum2: vec![0.0; n],
            };
        }
    }

    /// The recorders, mutably (to drain what they hold while running).
    pub fn recorders_mut(&mut self) -> bevy_ecs::world::Mut<'_, Recorders> {
        self.world.resource_mut::<Recorders>()
    }

    /// Set state variable `var` of neuron `id`.
    pub fn set_state(&mut self, id: u32, var: &str, x: f64) -> Result<(), BuildError> {
        let pops = self.world.resource::<Populations>();
        let Some(p) = pops.pop_of(id) else {
            return err("neuron", format!("no neuron with id {id}"));
        };
        let info = &pops.list[p];
        let k = var_index(info, var)?;
        let e = info.entities[(id - info.start) as usize];
        let write = self.world.resource::<NetworkInfo>().writers[p];
        if write(self.world, e, k, x) {
            Ok(())
        } else {
            err("neuron", format!("neuron {id} has no state components"))
        }
    }

    /// Set state variable `var` of every neuron of population `pop` (one value per neuron, or
    /// one for all). Nothing is written unless every value is accepted.
    pub fn set_state_column(
        &mut self,
        pop: &str,
        var: &str,
        values: &[f64],
    ) -> Result<(), BuildError> {
        let pops = self.world.resource::<Populations>();
        let p = pops.index_of(pop).ok_or_else(|| {
            let names: Vec<&str> = pops.list.iter().map(|p| p.name.as_str()).collect();
            BuildError::new("population", unknown("population", pop, &names))
        })?;
        let info = &pops.list[p];
        let k = var_index(info, var)?;
        let n = info.entities.len();
        if values.len() != n && values.len() != 1 {
            return err(
                "values",
                format!(
                    "expects {n} values (or 1) for `{pop}`, got {}",
                    values.len()
                ),
            );
        }
        let entities = info.entities.clone();
        let write = self.world.resource::<NetworkInfo>().writers[p];
        for (j, e) in entities.into_iter().enumerate() {
            let x = if values.len() == 1 {
                values[0]
            } else {
                values[j]
            };
            if !write(self.world, e, k, x) {
                return err("population", format!("`{pop}` has no state components"));
            }
        }
        Ok(())
    }

    /// Write the values of an external input stimulus (one per target neuron, or one for all).
    pub fn set_external(&mut self, stimulus: &str, values: &[f64]) -> Result<(), BuildError> {
        let mut stims = self.world.resource_mut::<Stimuli>();
        let Some(i) = stims.index_of(stimulus) else {
            let n: Vec<&str> = stims.list.iter().map(|s| s.name.as_str()).collect();
            return err("stimulus", unknown("stimulus", stimulus, &n));
        };
        let StimRt::External(v) = &mut stims.list[i].kind else {
            return err(stimulus, "is not an external input");
        };
        if values.iter().any(|x| !x.is_finite()) {
            return err(stimulus, "values must be finite");
        }
        match values.len() {
            1 => v.fill(values[0]),
            n if n == v.len() => v.copy_from_slice(values),
            n => {
                return err(
                    stimulus,
                    format!("expects {} values (or 1), got {n}", v.len()),
                );
            }
        }
        Ok(())
    }

    /// Fewest neurons of one model for which a step runs in parallel chunks (default
    /// [`PAR_MIN_NEURONS`](crate::world::integrate::PAR_MIN_NEURONS)); lower it to exercise the
    /// parallel path on small networks (results do not depend on it).
    pub fn set_parallel_min(&mut self, n: usize) {
        self.world.resource_mut::<Clock>().par_min = n.max(1);
    }
}

/// The index of state variable `var` in population `info`'s state, or the error naming the
/// variables it has.
fn var_index(info: &PopulationInfo, var: &str) -> Result<usize, BuildError> {
    info.state_names
        .iter()
        .position(|n| *n == var)
        .ok_or_else(|| BuildError::new("var", unknown("state variable", var, info.state_names)))
}
