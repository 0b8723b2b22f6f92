//! The model registry: what the engine knows about each model, behind a trait object, so the
//! engine never names a concrete model. `neurocore-models` fills it (`register_all`).

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::IntoScheduleConfigs;

use crate::error::{BuildError, unknown};
use crate::model::{
    Family, FieldInfo, Input, Model, Output, OutputKind, ParamError, ParamSet, PortArray,
    Standalone, StateMap, StateVars, StepError, Timing,
};
use crate::numerics::dist::Value;
use crate::scene::ParamValue;
use crate::schedule::StepSet;
use crate::world::PopulationInfo;
pub use crate::world::SpawnRequest;
use crate::world::integrate::integrate_system;

/// A model instance behind a trait object (for catalogue-wide tests and tools).
pub trait DynNeuron: Send {
    /// One step with these port values (missing ports are 0); returns the output as a number.
    fn step_ports(&mut self, ports: &[f64]) -> f64;
    /// One step with ports and a conductance pair (Σg, Σg·E).
    fn step_input(&mut self, ports: &[f64], g: f64, ge: f64) -> f64;
    /// One step as the network's batch path runs it for a neuron with synaptic channels: add
    /// `jump` to the membrane potential (if the model has one; a zero jump is added too, as
    /// the batch path does), then step with the ports and the conductance pair (Σg, Σg·E).
    fn step_synaptic(&mut self, ports: &[f64], g: f64, ge: f64, jump: f64) -> f64;
    /// One checked step.
    fn try_step_ports(&mut self, ports: &[f64]) -> Result<f64, StepError>;
    /// Back to the initial state.
    fn reset(&mut self);
    /// The state, name -> value.
    fn get_state(&self) -> StateMap;
    /// Key the random stream (seed, neuron id) as a network would.
    fn set_seed(&mut self, seed: u64, id: u32);
    /// Set state variable `name` (e.g. an initial condition); `Err` names the variables.
    fn set_state_var(&mut self, name: &str, x: f64) -> Result<(), String>;
    /// The parameters, in declaration order, each as its declared type.
    fn param_values(&self) -> Vec<(&'static str, ParamShow)>;
    /// The time one step spans, ms (nominal for iteration models).
    fn span(&self) -> f64;
    /// Steps taken since construction or the last reset.
    fn steps(&self) -> u64;
}

/// A parameter's value as its declared type (for hosts that show or hand on parameters: the
/// Python classes' `params`).
#[derive(Clone, Debug, PartialEq)]
pub enum ParamShow {
    /// A real number.
    Float(f64),
    /// An integer.
    Int(i64),
    /// A flag.
    Bool(bool),
    /// A named choice, as scenes write it (e.g. `"rk4"`).
    Text(String),
}

/// The parameters of `p` as [`ParamShow`] values, in declaration order.
pub fn param_values<P: ParamSet>(p: &P) -> Vec<(&'static str, ParamShow)> {
    let v = serde_json::to_value(p).unwrap_or(serde_json::Value::Null);
    P::FIELDS
        .iter()
        .map(|f| {
            let show = match v.get(f.name) {
                Some(serde_json::Value::Bool(b)) => ParamShow::Bool(*b),
                Some(serde_json::Value::Number(n)) if !n.is_f64() => match n.as_i64() {
                    Some(i) => ParamShow::Int(i),
                    None => ParamShow::Float(p.get_number(f.name).unwrap_or(f64::NAN)),
                },
                _ => match p.get_number(f.name) {
                    Some(x) => ParamShow::Float(x),
                    None => ParamShow::Text(p.display_field(f.name).unwrap_or_default()),
                },
            };
            (f.name, show)
        })
        .collect()
}

impl<M: Model> DynNeuron for Standalone<M> {
    fn step_ports(&mut self, ports: &[f64]) -> f64 {
        let p = <M::Ports as PortArray>::from_fn(|k| ports.get(k).copied().unwrap_or(0.0));
        self.advance(p).value()
    }
    fn step_input(&mut self, ports: &[f64], g: f64, ge: f64) -> f64 {
        let p = <M::Ports as PortArray>::from_fn(|k| ports.get(k).copied().unwrap_or(0.0));
        self.advance_input(&Input { ports: p, g, ge }).value()
    }
    fn step_synaptic(&mut self, ports: &[f64], g: f64, ge: f64, jump: f64) -> f64 {
        if let Some(m) = M::MEMBRANE.and_then(<M::State as StateVars>::index_of) {
            let s = self.state_mut();
            let v = s.get(m);
            s.set(m, v + jump);
        }
        self.step_input(ports, g, ge)
    }
    fn try_step_ports(&mut self, ports: &[f64]) -> Result<f64, StepError> {
        let p = <M::Ports as PortArray>::from_fn(|k| ports.get(k).copied().unwrap_or(0.0));
        self.try_advance(p).map(|o| o.value())
    }
    fn reset(&mut self) {
        Standalone::reset(self)
    }
    fn get_state(&self) -> StateMap {
        Standalone::get_state(self)
    }
    fn set_seed(&mut self, seed: u64, id: u32) {
        Standalone::set_seed(self, seed, id)
    }
    fn set_state_var(&mut self, name: &str, x: f64) -> Result<(), String> {
        let names = <M::State as StateVars>::NAMES;
        match <M::State as StateVars>::index_of(name) {
            Some(k) => {
                self.state_mut().set(k, x);
                Ok(())
            }
            None => Err(format!(
                "{} of {}",
                unknown("state variable", name, names),
                M::NAME
            )),
        }
    }
    fn param_values(&self) -> Vec<(&'static str, ParamShow)> {
        param_values(self.params())
    }
    fn span(&self) -> f64 {
        Standalone::span(self)
    }
    fn steps(&self) -> u64 {
        Standalone::steps(self)
    }
}

/// Everything the engine needs to know about one model, object-safe.
pub trait ModelEntry: Send + Sync {
    /// Class name.
    fn name(&self) -> &'static str;
    /// Family.
    fn family(&self) -> Family;
    /// One-line summary.
    fn summary(&self) -> &'static str;
    /// Reference.
    fn reference(&self) -> &'static str;
    /// Input port names.
    fn ports(&self) -> &'static [&'static str];
    /// Output kind.
    fn output(&self) -> OutputKind;
    /// Membrane-potential state variable.
    fn membrane(&self) -> Option<&'static str>;
    /// Step semantics.
    fn timing(&self) -> Timing;
    /// Reads conductance inputs.
    fn conductance_input(&self) -> bool;
    /// A typical drive.
    fn drive(&self) -> &'static [f64];
    /// Name of the substep parameter, if any.
    fn substep_param(&self) -> Option<&'static str>;
    /// State variable names.
    fn state_names(&self) -> &'static [&'static str];
    /// State variable docs.
    fn state_docs(&self) -> &'static [&'static str];
    /// Parameter fields.
    fn param_fields(&self) -> &'static [FieldInfo];
    /// Default value of each parameter, displayed.
    fn default_params(&self) -> Vec<(&'static str, String)>;
    /// The initial state with default parameters.
    fn default_state(&self) -> StateMap;
    /// The span of one standalone step with default parameters (ms).
    fn default_span(&self) -> f64;
    /// A standalone instance with parameter overrides (constants only) and optional span.
    fn standalone(
        &self,
        params: &BTreeMap<String, ParamValue>,
        span: Option<f64>,
    ) -> Result<Box<dyn DynNeuron>, BuildError>;
    /// Check parameter overrides without building (returns the per-neuron draws' names).
    fn check_params(
        &self,
        params: &BTreeMap<String, ParamValue>,
        path: &str,
    ) -> Result<(), BuildError>;
    /// Spawn a population into the world and register its model data.
    fn spawn(&self, world: &mut World, req: &SpawnRequest) -> Result<PopulationInfo, BuildError>;
    /// Add this model's Integrate system to a schedule.
    fn add_system(&self, schedule: &mut Schedule);
    /// [`ModelEntry::add_system`] as a plain function (kept by a built network, which outlives
    /// the borrow of the registry).
    fn system_adder(&self) -> fn(&mut Schedule);
    /// Adds this model's state-recorder system to a schedule (in the Record set).
    fn recorder_adder(&self) -> fn(&mut Schedule);
    /// Read a neuron's whole state.
    fn read_state(&self, world: &World, e: Entity, out: &mut Vec<f64>) -> bool;
    /// Set variable `var` of a neuron.
    fn write_var(&self, world: &mut World, e: Entity, var: usize, x: f64) -> bool;
    /// The reader as a plain function (for recorders).
    fn reader(&self) -> crate::record::StateReader;
    /// The variable writer as a plain function.
    fn writer(&self) -> fn(&mut World, Entity, usize, f64) -> bool;
    /// The exact reader of a neuron's whole state (its words, for checkpoints).
    fn word_reader(&self) -> WordReader;
    /// The exact writer of a neuron's whole state (from its words, for checkpoints).
    fn word_writer(&self) -> WordWriter;
    /// How many 64-bit words hold one neuron's state exactly.
    fn state_words(&self) -> usize;
}

/// Appends a neuron's exact state words to the vector; `false` if the entity has no such state.
pub type WordReader = fn(&World, Entity, &mut Vec<u64>) -> bool;
/// Sets a neuron's state from its exact words; `false` if the entity has no such state.
pub type WordWriter = fn(&mut World, Entity, &[u64]) -> bool;

fn read_words_of<M: Model>(world: &World, e: Entity, out: &mut Vec<u64>) -> bool {
    match <M::State as StateVars>::read(world, e) {
        Some(s) => {
            s.put_words(out);
            true
        }
        None => false,
    }
}

fn write_words_of<M: Model>(world: &mut World, e: Entity, w: &[u64]) -> bool {
    w.len() == <M::State as StateVars>::WORDS
        && <M::State as StateVars>::from_words(w).write(world, e)
}

/// The [`ModelEntry`] of model `M`.
pub struct Entry<M: Model>(std::marker::PhantomData<M>);

impl<M: Model> Default for Entry<M> {
    fn default() -> Self {
        Self(std::marker::PhantomData)
    }
}

fn add_integrate_system<M: Model>(schedule: &mut Schedule) {
    schedule.add_systems(integrate_system::<M>.in_set(StepSet::Integrate));
}

fn add_record_states_system<M: Model>(schedule: &mut Schedule) {
    schedule.add_systems(
        crate::record::record_states_system::<M>
            .in_set(StepSet::Record)
            .after(crate::record::record_system)
            .before(crate::schedule::advance_clock_system),
    );
}

fn read_state_of<M: Model>(world: &World, e: Entity, out: &mut Vec<f64>) -> bool {
    match <M::State as StateVars>::read(world, e) {
        Some(s) => {
            out.clear();
            out.extend((0..<M::State as StateVars>::NAMES.len()).map(|k| s.get(k)));
            true
        }
        None => false,
    }
}

fn write_var_of<M: Model>(world: &mut World, e: Entity, var: usize, x: f64) -> bool {
    match <M::State as StateVars>::read(world, e) {
        Some(mut s) if var < <M::State as StateVars>::NAMES.len() => {
            s.set(var, x);
            s.write(world, e)
        }
        _ => false,
    }
}

/// Parameter fields that vary per neuron: (field name, distribution or list).
pub type Draws = Vec<(String, Value)>;

/// Resolve parameter overrides: the base parameters (defaults + constants + text) and the
/// fields drawn per neuron.
pub fn resolve_params<M: Model>(
    map: &BTreeMap<String, ParamValue>,
    path: &str,
) -> Result<(M::Params, Draws), BuildError> {
    let mut p = M::Params::default();
    let names: Vec<&str> = <M::Params as ParamSet>::FIELDS
        .iter()
        .map(|f| f.name)
        .collect();
    let mut draws = Vec::new();
    for (k, v) in map {
        let here = format!("{path}.{k}");
        if !names.contains(&k.as_str()) {
            return Err(BuildError::new(
                here,
                format!("{} of {}", unknown("parameter", k, &names), M::NAME),
            ));
        }
        let r = match v {
            ParamValue::Num(x) => p.set_number(k, *x),
            ParamValue::Bool(b) => p.set_text(k, if *b { "true" } else { "false" }),
            ParamValue::Text(s) => p.set_text(k, s),
            ParamValue::Dist(_) | ParamValue::List(_) | ParamValue::Npy(_) => {
                let value = match v {
                    ParamValue::Dist(d) => Value::Dist(d.clone()),
                    ParamValue::List(l) => Value::List(l.clone()),
                    ParamValue::Npy(f) => Value::Npy(f.clone()),
                    _ => Value::Const(f64::NAN),
                };
                value.validate().map_err(|m| BuildError::new(&here, m))?;
                if p.get_number(k).is_none() {
                    return Err(BuildError::new(
                        here,
                        "is not numeric, so it cannot vary per neuron",
                    ));
                }
                draws.push((k.clone(), value));
                Ok(())
            }
        };
        r.map_err(|e| BuildError::new(&here, e.message))?;
    }
    // A rule between two fields ("v_reset, v_threshold") is located at the first one.
    p.validate().map_err(|e: ParamError| {
        let first = e.field.split(',').next().unwrap_or("").trim();
        BuildError::new(
            format!("{path}.{first}"),
            format!("{}: {}", e.field, e.message),
        )
    })?;
    Ok((p, draws))
}

impl<M: Model> ModelEntry for Entry<M> {
    fn name(&self) -> &'static str {
        M::NAME
    }
    fn family(&self) -> Family {
        M::FAMILY
    }
    fn summary(&self) -> &'static str {
        M::SUMMARY
    }
    fn reference(&self) -> &'static str {
        M::REFERENCE
    }
    fn ports(&self) -> &'static [&'static str] {
        M::PORTS
    }
    fn output(&self) -> OutputKind {
        <M::Output as Output>::KIND
    }
    fn membrane(&self) -> Option<&'static str> {
        M::MEMBRANE
    }
    fn timing(&self) -> Timing {
        M::TIMING
    }
    fn conductance_input(&self) -> bool {
        M::CONDUCTANCE_INPUT
    }
    fn drive(&self) -> &'static [f64] {
        M::DRIVE
    }
    fn substep_param(&self) -> Option<&'static str> {
        M::SUBSTEP
    }
    fn state_names(&self) -> &'static [&'static str] {
        <M::State as StateVars>::NAMES
    }
    fn state_docs(&self) -> &'static [&'static str] {
        <M::State as StateVars>::DOCS
    }
    fn param_fields(&self) -> &'static [FieldInfo] {
        <M::Params as ParamSet>::FIELDS
    }
    fn default_params(&self) -> Vec<(&'static str, String)> {
        let p = M::Params::default();
        <M::Params as ParamSet>::FIELDS
            .iter()
            .map(|f| (f.name, p.display_field(f.name).unwrap_or_default()))
            .collect()
    }
    fn default_state(&self) -> StateMap {
        let s = M::init(&M::Params::default());
        StateMap {
            names: <M::State as StateVars>::NAMES,
            values: (0..<M::State as StateVars>::NAMES.len())
                .map(|k| s.get(k))
                .collect(),
        }
    }
    fn default_span(&self) -> f64 {
        M::standalone_span(&M::Params::default())
    }
    fn standalone(
        &self,
        params: &BTreeMap<String, ParamValue>,
        span: Option<f64>,
    ) -> Result<Box<dyn DynNeuron>, BuildError> {
        let (p, draws) = resolve_params::<M>(params, "params")?;
        if let Some((k, _)) = draws.first() {
            return Err(BuildError::new(
                format!("params.{k}"),
                "a single neuron needs a number, not a distribution or a list",
            ));
        }
        let s = match span {
            Some(span) => Standalone::<M>::with_span(p, span),
            None => Standalone::<M>::with_params(p),
        }
        .map_err(|e| BuildError::new(format!("params.{}", e.field), e.message))?;
        Ok(Box::new(s))
    }
    fn check_params(
        &self,
        params: &BTreeMap<String, ParamValue>,
        path: &str,
    ) -> Result<(), BuildError> {
        let (base, draws) = resolve_params::<M>(params, path)?;
        // A distribution's extreme values must give valid parameters too, where it is bounded.
        for (k, d) in &draws {
            let (lo, hi) = d.bounds();
            if let Value::List(_) = d {
                // Lists are checked value by value when the population is built.
                continue;
            }
            for x in [lo, hi] {
                if x.is_finite() {
                    let mut p = base.clone();
                    if p.set_number(k, x).is_ok()
                        && let Err(e) = p.validate()
                    {
                        return Err(BuildError::new(
                            format!("{path}.{k}"),
                            format!("the distribution reaches {x}, where {}", e),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
    fn spawn(&self, world: &mut World, req: &SpawnRequest) -> Result<PopulationInfo, BuildError> {
        crate::world::spawn::spawn_population::<M>(world, req)
    }
    fn add_system(&self, schedule: &mut Schedule) {
        add_integrate_system::<M>(schedule);
    }
    fn system_adder(&self) -> fn(&mut Schedule) {
        add_integrate_system::<M>
    }
    fn recorder_adder(&self) -> fn(&mut Schedule) {
        add_record_states_system::<M>
    }
    fn read_state(&self, world: &World, e: Entity, out: &mut Vec<f64>) -> bool {
        read_state_of::<M>(world, e, out)
    }
    fn write_var(&self, world: &mut World, e: Entity, var: usize, x: f64) -> bool {
        write_var_of::<M>(world, e, var, x)
    }
    fn reader(&self) -> crate::record::StateReader {
        read_state_of::<M>
    }
    fn writer(&self) -> fn(&mut World, Entity, usize, f64) -> bool {
        write_var_of::<M>
    }
    fn word_reader(&self) -> WordReader {
        read_words_of::<M>
    }
    fn word_writer(&self) -> WordWriter {
        write_words_of::<M>
    }
    fn state_words(&self) -> usize {
        <M::State as StateVars>::WORDS
    }
}

/// The catalogue the engine builds from.
#[derive(Default)]
pub struct Registry {
    entries: Vec<Box<dyn ModelEntry>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }
    /// Register model `M` (a later registration of the same name replaces the earlier one).
    pub fn add<M: Model>(&mut self) -> &mut Self {
        self.entries.retain(|e| e.name() != M::NAME);
        self.entries.push(Box::new(Entry::<M>::default()));
        self
    }
    /// A model by class name.
    pub fn get(&self, name: &str) -> Option<&dyn ModelEntry> {
        self.entries
            .iter()
            .find(|e| e.name() == name)
            .map(|b| b.as_ref())
    }
    /// All models, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn ModelEntry> {
        self.entries.iter().map(|b| b.as_ref())
    }
    /// Number of models.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// All class names.
    pub fn names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|e| e.name()).collect()
    }
}
