//! Population spawning: one model's population as a batch of entities (id, model tag, one
//! component per state variable, output value, position) and its constants in [`ModelPops`].
//! Parameters that vary per neuron are drawn here, keyed by population name, field and id.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::error::{BuildError, unknown};
use crate::model::{Model, Output, OutputKind, ParamSet, StateVars};
use crate::numerics::dist::Value;
use crate::numerics::rng::{NeuronRng, stream_of};
use crate::registry::resolve_params;
use crate::scene::ParamValue;
use crate::world::{
    ConstsStore, ModelPop, ModelPops, ModelTag, NeuronId, OutValue, PopulationInfo, Position,
};

/// What [`spawn_population`] needs to create a population.
#[derive(Clone, Debug)]
pub struct SpawnRequest<'a> {
    /// Population index.
    pub pop: usize,
    /// Population name.
    pub name: &'a str,
    /// First id.
    pub start: u32,
    /// Size.
    pub size: u32,
    /// Parameter overrides.
    pub params: &'a BTreeMap<String, ParamValue>,
    /// Initial-state overrides.
    pub init: &'a BTreeMap<String, Value>,
    /// Positions, if placed.
    pub positions: Option<&'a [glam::Vec3]>,
    /// Names of the population's receptors (init keys may name them).
    pub receptors: &'a [&'a str],
    /// Network step, ms.
    pub dt: f64,
    /// Master seed.
    pub seed: u64,
    /// Path of the population in the scene, for errors.
    pub path: &'a str,
}

/// Spawn the population `req` describes as neurons of model `M`.
pub fn spawn_population<M: Model>(
    world: &mut World,
    req: &SpawnRequest,
) -> Result<PopulationInfo, BuildError> {
    let ppath = format!("{}.params", req.path);
    let (base, draws) = resolve_params::<M>(req.params, &ppath)?;
    let names = <M::State as StateVars>::NAMES;
    let per_neuron = per_neuron_params::<M>(req, &base, &draws, &ppath)?;
    let states = initial_states::<M>(req, &base, per_neuron.as_deref())?;
    let span = req.dt;
    let consts = match &per_neuron {
        None => ConstsStore::Shared(M::prepare(&base, span)),
        Some(v) => ConstsStore::PerNeuron(v.iter().map(|p| M::prepare(p, span)).collect()),
    };
    let params = match per_neuron {
        None => ConstsStore::Shared(base),
        Some(v) => ConstsStore::PerNeuron(v),
    };
    let start = req.start;
    let entities = spawn_entities::<M>(world, req, &states);
    let membrane = M::MEMBRANE.and_then(<M::State as StateVars>::index_of);
    world
        .get_resource_or_init::<ModelPops<M>>()
        .list
        .push(ModelPop {
            pop: req.pop,
            start,
            end: start + req.size,
            membrane,
            consts,
            params,
        });
    Ok(PopulationInfo {
        name: req.name.to_string(),
        model: M::NAME,
        start,
        len: req.size,
        output: <M::Output as Output>::KIND,
        timing: M::TIMING,
        ports: M::PORTS,
        state_names: names,
        membrane,
        conductance_input: M::CONDUCTANCE_INPUT,
        entities,
        positions: None,
    })
}

/// Parameters drawn per neuron (`None` when every neuron shares `base`), each neuron's set
/// validated.
fn per_neuron_params<M: Model>(
    req: &SpawnRequest,
    base: &M::Params,
    draws: &[(String, Value)],
    ppath: &str,
) -> Result<Option<Vec<M::Params>>, BuildError> {
    let n = req.size as usize;
    // Parameters: shared, or drawn per neuron (keyed by population name, field, neuron id).
    Ok(if draws.is_empty() {
        None
    } else {
        let mut v = vec![base.clone(); n];
        for (k, d) in draws {
            d.check_len(n)
                .map_err(|m| BuildError::new(format!("{ppath}.{k}"), m))?;
            let stream = stream_of(&format!("{}/param/{k}", req.name));
            for (i, p) in v.iter_mut().enumerate() {
                let mut rng = NeuronRng::new(req.seed, stream, req.start + i as u32, 0);
                let x = d.at(i, &mut rng);
                p.set_number(k, x)
                    .map_err(|e| BuildError::new(format!("{ppath}.{k}"), e.message))?;
            }
        }
        for (i, p) in v.iter().enumerate() {
            p.validate().map_err(|e| {
                BuildError::new(
                    format!("{ppath}.{}", e.field),
                    format!("neuron {i} drew an invalid value: {}", e.message),
                )
            })?;
        }
        Some(v)
    })
}

/// Every neuron's initial state: the model's for its parameters, then the scene's overrides
/// (constants or per-neuron draws keyed by population, variable and id).
fn initial_states<M: Model>(
    req: &SpawnRequest,
    base: &M::Params,
    per_neuron: Option<&[M::Params]>,
) -> Result<Vec<M::State>, BuildError> {
    let n = req.size as usize;
    let names = <M::State as StateVars>::NAMES;
    // Initial state: the model's, then overrides (constants or per-neuron draws).
    let mut init_idx = Vec::new();
    for (k, v) in req.init {
        if req.receptors.contains(&k.as_str()) {
            // A receptor's initial value: set by the engine, not the model.
            continue;
        }
        let Some(i) = <M::State as StateVars>::index_of(k) else {
            return Err(BuildError::new(
                format!("{}.init.{k}", req.path),
                format!("{} of {}", unknown("state variable", k, names), M::NAME),
            ));
        };
        v.validate()
            .and_then(|_| v.check_len(n))
            .map_err(|m| BuildError::new(format!("{}.init.{k}", req.path), m))?;
        init_idx.push((i, stream_of(&format!("{}/init/{k}", req.name)), v));
    }
    Ok((0..n)
        .map(|i| {
            let p = per_neuron.map_or(base, |v| &v[i]);
            let mut s = M::init(p);
            for (k, stream, v) in &init_idx {
                let mut rng = NeuronRng::new(req.seed, *stream, req.start + i as u32, 0);
                s.set(*k, v.at(i, &mut rng));
            }
            s
        })
        .collect())
}

/// Spawn one batch of entities: id, tag, state components, and the output value and position
/// when the model and population have them.
fn spawn_entities<M: Model>(
    world: &mut World,
    req: &SpawnRequest,
    states: &[M::State],
) -> Vec<Entity> {
    let start = req.start;
    let value_out = <M::Output as Output>::KIND == OutputKind::Value;
    match (value_out, req.positions) {
        (false, None) => world
            .spawn_batch(states.iter().enumerate().map(|(i, s)| {
                (
                    NeuronId(start + i as u32),
                    ModelTag::<M>::default(),
                    s.bundle(),
                )
            }))
            .collect(),
        (true, None) => world
            .spawn_batch(states.iter().enumerate().map(|(i, s)| {
                (
                    NeuronId(start + i as u32),
                    ModelTag::<M>::default(),
                    s.bundle(),
                    OutValue(0.0),
                )
            }))
            .collect(),
        (false, Some(pos)) => world
            .spawn_batch(states.iter().enumerate().map(|(i, s)| {
                (
                    NeuronId(start + i as u32),
                    ModelTag::<M>::default(),
                    s.bundle(),
                    Position(pos[i]),
                )
            }))
            .collect(),
        (true, Some(pos)) => world
            .spawn_batch(states.iter().enumerate().map(|(i, s)| {
                (
                    NeuronId(start + i as u32),
                    ModelTag::<M>::default(),
                    s.bundle(),
                    OutValue(0.0),
                    Position(pos[i]),
                )
            }))
            .collect(),
    }
}
