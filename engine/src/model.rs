//! The model anatomy: the traits every neuron model implements and the two declarative macros
//! that turn one declaration into everything the engine needs.
//!
//! A model file declares, in this order (see `ARCHITECTURE.md`):
//!
//! 1. its parameters with [`params!`](crate::params) — a serde struct with `deny_unknown_fields`,
//!    `Default` = the paper's values, and run-time metadata (name, doc, unit, default) per field,
//!    so that scenes can set fields by name and `neurocore models` can list them;
//! 2. its state with [`neuron_state!`](crate::neuron_state) — a plain `Copy` struct plus **one bevy
//!    component per state variable**, the names `get_state()` returns, and the struct-of-arrays
//!    load/store used by the batch path;
//! 3. a scalar kernel — a pure function of (constants, state, inputs, rng) that advances one step;
//! 4. the [`Model`] impl tying these together, and the standalone type made by
//!    [`standalone!`](crate::standalone) (SC-NeuroCore's class name, `new`, `with_params`, `reset`,
//!    `get_state`, `step`).
//!
//! The batch path ([`crate::world::integrate`]) loads each neuron's state from the component
//! slices into the state struct, calls the same [`Model::update`] the standalone path calls, and
//! stores it back, so a neuron behaves bit-for-bit the same alone and in a network.

use std::fmt;

use bevy_ecs::query::{ContiguousQueryData, QueryData};

use crate::numerics::rng::NeuronRng;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// A value a parameter field can hold: numbers (settable from scenes, drawable per neuron), or
/// named choices (set from text).
pub trait ParamField: Clone + fmt::Debug + Send + Sync + 'static {
    /// The value as a number, if it is numeric.
    fn to_number(&self) -> Option<f64>;
    /// Set from a number; `Err` says what was expected.
    fn set_number(&mut self, x: f64) -> Result<(), String>;
    /// Set from text (named choices); numbers refuse text.
    fn set_text(&mut self, s: &str) -> Result<(), String> {
        Err(format!("expects a number, got the text \"{s}\""))
    }
    /// Human-readable value, for catalogue listings.
    fn display(&self) -> String;
}

impl ParamField for f64 {
    fn to_number(&self) -> Option<f64> {
        Some(*self)
    }
    fn set_number(&mut self, x: f64) -> Result<(), String> {
        if !x.is_finite() {
            return Err(format!("must be finite, got {x}"));
        }
        *self = x;
        Ok(())
    }
    fn display(&self) -> String {
        format!("{self}")
    }
}

macro_rules! int_param_field {
    ($($t:ty),*) => {$(
        impl ParamField for $t {
            fn to_number(&self) -> Option<f64> {
                Some(*self as f64)
            }
            fn set_number(&mut self, x: f64) -> Result<(), String> {
                if !x.is_finite() || x.fract() != 0.0 || x < <$t>::MIN as f64 || x > <$t>::MAX as f64 {
                    return Err(format!(
                        "expects an integer in [{}, {}], got {x}",
                        <$t>::MIN,
                        <$t>::MAX
                    ));
                }
                *self = x as $t;
                Ok(())
            }
            fn display(&self) -> String {
                format!("{self}")
            }
        }
    )*};
}
int_param_field!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl ParamField for bool {
    fn to_number(&self) -> Option<f64> {
        Some(if *self { 1.0 } else { 0.0 })
    }
    fn set_number(&mut self, x: f64) -> Result<(), String> {
        if x == 0.0 || x == 1.0 {
            *self = x == 1.0;
            Ok(())
        } else {
            Err(format!("expects true/false (or 0/1), got {x}"))
        }
    }
    fn set_text(&mut self, s: &str) -> Result<(), String> {
        match s {
            "true" => *self = true,
            "false" => *self = false,
            _ => return Err(format!("expects true or false, got \"{s}\"")),
        }
        Ok(())
    }
    fn display(&self) -> String {
        format!("{self}")
    }
}

/// Run-time description of one parameter field (from its declaration and doc comment).
#[derive(Clone, Copy, Debug)]
pub struct FieldInfo {
    /// Field name as written in scenes and in SC-NeuroCore.
    pub name: &'static str,
    /// The field's doc comment: "meaning, symbol [unit]".
    pub doc: &'static str,
}

impl FieldInfo {
    /// The unit: the text inside the last `[...]` of the doc comment, or "" if none.
    pub fn unit(&self) -> &'static str {
        match (self.doc.rfind('['), self.doc.rfind(']')) {
            (Some(a), Some(b)) if b > a => self.doc[a + 1..b].trim(),
            _ => "",
        }
    }
}

/// A parameter validation failure: which field, and what was wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("parameter `{field}`: {message}")]
pub struct ParamError {
    /// The offending field (or a comma-separated list for relations between fields).
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ParamError {
    /// A new error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A model's parameter set. Implemented by [`params!`](crate::params); models write `validate`.
pub trait ParamSet:
    Clone
    + fmt::Debug
    + Default
    + Send
    + Sync
    + serde::Serialize
    + serde::de::DeserializeOwned
    + 'static
{
    /// The fields, in declaration order.
    const FIELDS: &'static [FieldInfo];
    /// Read a field by name (as a number; `None` if unknown or not numeric).
    fn get_number(&self, name: &str) -> Option<f64>;
    /// Display a field by name.
    fn display_field(&self, name: &str) -> Option<String>;
    /// Set a numeric field by name.
    fn set_number(&mut self, name: &str, x: f64) -> Result<(), ParamError>;
    /// Set a named-choice field by name.
    fn set_text(&mut self, name: &str, s: &str) -> Result<(), ParamError>;
    /// Check the whole set: every number finite, and the model's own rules.
    fn validate(&self) -> Result<(), ParamError>;
}

/// Helpers for `validate()` implementations: each returns a [`ParamError`] naming the field.
pub mod check {
    use super::ParamError;

    /// `x` must be finite.
    pub fn finite(name: &str, x: f64) -> Result<(), ParamError> {
        if x.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new(name, format!("must be finite, got {x}")))
        }
    }
    /// `x > 0`.
    pub fn positive(name: &str, x: f64) -> Result<(), ParamError> {
        if x > 0.0 && x.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new(name, format!("must be > 0, got {x}")))
        }
    }
    /// `x >= 0`.
    pub fn non_negative(name: &str, x: f64) -> Result<(), ParamError> {
        if x >= 0.0 && x.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new(name, format!("must be >= 0, got {x}")))
        }
    }
    /// `lo <= x <= hi`.
    pub fn in_range(name: &str, x: f64, lo: f64, hi: f64) -> Result<(), ParamError> {
        if x >= lo && x <= hi {
            Ok(())
        } else {
            Err(ParamError::new(
                name,
                format!("must lie in [{lo}, {hi}], got {x}"),
            ))
        }
    }
    /// `a < b` for two named fields.
    pub fn less(a_name: &str, a: f64, b_name: &str, b: f64) -> Result<(), ParamError> {
        if a < b {
            Ok(())
        } else {
            Err(ParamError::new(
                format!("{a_name}, {b_name}"),
                format!("{a_name} ({a}) must be below {b_name} ({b})"),
            ))
        }
    }
}

/// Declare a parameter struct: pub fields with docs and defaults, serde with
/// `deny_unknown_fields`, `Default`, and [`ParamSet`] (validation is delegated to an inherent
/// `fn check(&self) -> Result<(), ParamError>` the model writes).
///
/// ```ignore
/// params! {
///     /// Parameters of the LIF neuron.
///     pub struct LIFParams {
///         /// Membrane time constant, τ_m [ms].
///         tau_m: f64 = 10.0,
///     }
/// }
/// impl LIFParams { fn check(&self) -> Result<(), ParamError> { check::positive("tau_m", self.tau_m) } }
/// ```
#[macro_export]
macro_rules! params {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty = $default:expr
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, $crate::serde::Serialize, $crate::serde::Deserialize)]
        #[serde(default, deny_unknown_fields, crate = "::neurocore_engine::serde")]
        $vis struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )+
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )+ }
            }
        }

        impl $crate::model::ParamSet for $name {
            const FIELDS: &'static [$crate::model::FieldInfo] = &[
                $( $crate::model::FieldInfo {
                    name: stringify!($field),
                    doc: $crate::__trim_doc!($($doc)+),
                }, )+
            ];
            fn get_number(&self, name: &str) -> Option<f64> {
                match name {
                    $( stringify!($field) => $crate::model::ParamField::to_number(&self.$field), )+
                    _ => None,
                }
            }
            fn display_field(&self, name: &str) -> Option<String> {
                match name {
                    $( stringify!($field) => Some($crate::model::ParamField::display(&self.$field)), )+
                    _ => None,
                }
            }
            fn set_number(&mut self, name: &str, x: f64) -> Result<(), $crate::model::ParamError> {
                match name {
                    $( stringify!($field) => $crate::model::ParamField::set_number(&mut self.$field, x)
                        .map_err(|m| $crate::model::ParamError::new(name, m)), )+
                    _ => Err($crate::model::ParamError::new(name, "no such parameter")),
                }
            }
            fn set_text(&mut self, name: &str, s: &str) -> Result<(), $crate::model::ParamError> {
                match name {
                    $( stringify!($field) => $crate::model::ParamField::set_text(&mut self.$field, s)
                        .map_err(|m| $crate::model::ParamError::new(name, m)), )+
                    _ => Err($crate::model::ParamError::new(name, "no such parameter")),
                }
            }
            fn validate(&self) -> Result<(), $crate::model::ParamError> {
                $(
                    if let Some(x) = $crate::model::ParamField::to_number(&self.$field) {
                        $crate::model::check::finite(stringify!($field), x)?;
                    }
                )+
                self.check()
            }
        }
    };
}

/// Joins doc-comment lines into one string (internal helper of the macros).
#[doc(hidden)]
#[macro_export]
macro_rules! __trim_doc {
    ($first:literal $($rest:literal)*) => {
        concat!($first $(, "\n", $rest)*)
    };
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// A number a state variable can hold (f64 for continuous models, integers for chips).
pub trait StateScalar: Copy + Default + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// As f64 (for `get_state()`, recorders and tests).
    fn to_f64(self) -> f64;
    /// From f64 (initial values from scenes); integers round toward zero and saturate.
    fn from_f64(x: f64) -> Self;
}
impl StateScalar for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
}
macro_rules! int_state_scalar {
    ($($t:ty),*) => {$(
        impl StateScalar for $t {
            #[inline(always)]
            fn to_f64(self) -> f64 { self as f64 }
            #[inline(always)]
            fn from_f64(x: f64) -> Self { x as $t }
        }
    )*};
}
int_state_scalar!(i8, i16, i32, i64, u8, u16, u32, u64);
impl StateScalar for bool {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x != 0.0
    }
}

/// A model's state: a `Copy` struct whose fields are also stored as one bevy component each.
/// Implemented by [`neuron_state!`](crate::neuron_state).
pub trait StateVars: Copy + Default + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// Names `get_state()` returns, in declaration order (SC-NeuroCore's names).
    const NAMES: &'static [&'static str];
    /// Doc comment of each variable ("meaning [unit]").
    const DOCS: &'static [&'static str];
    /// The query over this state's components (a tuple of `&mut` components).
    type Query: QueryData + ContiguousQueryData + 'static;
    /// Mutable slices of one contiguous chunk of the state's components.
    type Slices<'a>: Send;
    /// The bundle spawned per neuron.
    type Bundle: bevy_ecs::bundle::Bundle<Effect: bevy_ecs::bundle::NoBundleEffect>;
    /// Borrow the component slices of one contiguous query chunk.
    fn slices<'a, 'w, 's>(
        chunk: &'a mut <Self::Query as ContiguousQueryData>::Contiguous<'w, 's>,
    ) -> Self::Slices<'a>;
    /// Reborrow the slices for a shorter time.
    fn reborrow<'b>(slices: &'b mut Self::Slices<'_>) -> Self::Slices<'b>;
    /// Split a chunk's slices at row `mid` (for parallel sub-chunks).
    fn split_at<'a>(slices: Self::Slices<'a>, mid: usize) -> (Self::Slices<'a>, Self::Slices<'a>);
    /// Load row `i`.
    fn load(slices: &Self::Slices<'_>, i: usize) -> Self;
    /// Store row `i`.
    fn store(slices: &mut Self::Slices<'_>, i: usize, s: &Self);
    /// The bundle of components for this state.
    fn bundle(&self) -> Self::Bundle;
    /// Variable `k` as f64.
    fn get(&self, k: usize) -> f64;
    /// Set variable `k` from f64.
    fn set(&mut self, k: usize, x: f64);
    /// Read one neuron's state from its components.
    fn read(world: &bevy_ecs::world::World, e: bevy_ecs::entity::Entity) -> Option<Self>;
    /// Write one neuron's state into its components; `false` if the entity lacks them.
    fn write(&self, world: &mut bevy_ecs::world::World, e: bevy_ecs::entity::Entity) -> bool;
    /// Index of a variable by name.
    fn index_of(name: &str) -> Option<usize> {
        Self::NAMES.iter().position(|n| *n == name)
    }
}

/// Declare a model's state: the `Copy` struct, one bevy component per variable (the name after
/// `=>`), and [`StateVars`]. Doc comments on each variable become the component's docs.
///
/// ```ignore
/// neuron_state! {
///     /// State of the AdEx neuron.
///     pub struct AdExState {
///         /// Membrane potential [mV].
///         v: f64 => AdExV,
///         /// Adaptation current [pA].
///         w: f64 => AdExW,
///     }
/// }
/// ```
///
/// A bevy query is a tuple of at most 15 components, so a state of more than 15 variables
/// lists them in bracketed groups of at most 15 each: `pub struct S { [ a: f64 => A, … ]
/// [ p: f64 => P, … ] }`. The groups only shape the query (a tuple of tuples); the struct,
/// the `get_state()` names and their order are the variables in declaration order.
#[macro_export]
macro_rules! neuron_state {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                [
                    $(
                        $(#[doc = $doc:literal])+
                        $field:ident : $ty:ty => $comp:ident
                    ),* $(,)?
                ]
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        $vis struct $name {
            $($( $(#[doc = $doc])+ pub $field: $ty, )*)+
        }

        $($(
            #[doc = concat!("Component holding the state variable `", stringify!($field), "` of [`", stringify!($name), "`]:")]
            $(#[doc = $doc])+
            #[derive(Clone, Copy, Debug, Default, PartialEq)]
            #[repr(transparent)]
            $vis struct $comp(pub $ty);

            // Implemented by hand (not derived) so crates defining models need not depend on
            // bevy_ecs themselves: one table column per variable, mutable.
            impl $crate::bevy_ecs::component::Component for $comp {
                const STORAGE_TYPE: $crate::bevy_ecs::component::StorageType =
                    $crate::bevy_ecs::component::StorageType::Table;
                type Mutability = $crate::bevy_ecs::component::Mutable;
            }
        )*)+

        #[allow(non_snake_case, unused_variables, clippy::unused_unit)]
        impl $crate::model::StateVars for $name {
            const NAMES: &'static [&'static str] = &[$($(stringify!($field)),*),+];
            const DOCS: &'static [&'static str] = &[$($($crate::__trim_doc!($($doc)+)),*),+];
            type Query = ($( ($(&'static mut $comp,)*), )+);
            type Slices<'a> = ($( ($(&'a mut [$comp],)*), )+);
            type Bundle = ($( ($($comp,)*), )+);

            #[inline(always)]
            fn slices<'a, 'w, 's>(
                chunk: &'a mut <Self::Query as $crate::bevy_ecs::query::ContiguousQueryData>::Contiguous<'w, 's>,
            ) -> Self::Slices<'a> {
                let ($( ($($field,)*), )+) = chunk;
                ($( ($($field.bypass_change_detection(),)*), )+)
            }
            #[inline(always)]
            fn reborrow<'b>(slices: &'b mut Self::Slices<'_>) -> Self::Slices<'b> {
                let ($( ($($field,)*), )+) = slices;
                ($( ($(&mut **$field,)*), )+)
            }
            #[inline(always)]
            fn split_at<'a>(slices: Self::Slices<'a>, mid: usize) -> (Self::Slices<'a>, Self::Slices<'a>) {
                let ($( ($($field,)*), )+) = slices;
                $($( let $field = $field.split_at_mut(mid); )*)+
                (($( ($($field.0,)*), )+), ($( ($($field.1,)*), )+))
            }
            #[inline(always)]
            fn load(slices: &Self::Slices<'_>, i: usize) -> Self {
                let ($( ($($field,)*), )+) = slices;
                Self { $($( $field: $field[i].0, )*)+ }
            }
            #[inline(always)]
            fn store(slices: &mut Self::Slices<'_>, i: usize, s: &Self) {
                let ($( ($($field,)*), )+) = slices;
                $($( $field[i].0 = s.$field; )*)+
            }
            fn bundle(&self) -> Self::Bundle {
                ($( ($($comp(self.$field),)*), )+)
            }
            fn read(
                world: &$crate::bevy_ecs::world::World,
                e: $crate::bevy_ecs::entity::Entity,
            ) -> Option<Self> {
                let _ = (world, e);
                Some(Self { $($( $field: world.get::<$comp>(e)?.0, )*)+ })
            }
            fn write(
                &self,
                world: &mut $crate::bevy_ecs::world::World,
                e: $crate::bevy_ecs::entity::Entity,
            ) -> bool {
                let Ok(mut ent) = world.get_entity_mut(e) else {
                    return false;
                };
                $($(
                    match ent.get_mut::<$comp>() {
                        Some(mut c) => c.0 = self.$field,
                        None => return false,
                    }
                )*)+
                let _ = &mut ent;
                true
            }
            fn get(&self, k: usize) -> f64 {
                let mut i = 0usize;
                $($(
                    if k == i {
                        return $crate::model::StateScalar::to_f64(self.$field);
                    }
                    i += 1;
                )*)+
                let _ = i;
                f64::NAN
            }
            fn set(&mut self, k: usize, x: f64) {
                let mut i = 0usize;
                $($(
                    if k == i {
                        self.$field = $crate::model::StateScalar::from_f64(x);
                        return;
                    }
                    i += 1;
                )*)+
                let _ = i;
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty => $comp:ident
            ),* $(,)?
        }
    ) => {
        $crate::neuron_state! {
            $(#[$meta])*
            $vis struct $name {
                [ $( $(#[doc = $doc])+ $field : $ty => $comp ),* ]
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Inputs and outputs
// ---------------------------------------------------------------------------------------------

/// The values a model's input ports take for one step: `[f64; N]` for N ports.
pub trait PortArray: Copy + Default + fmt::Debug + Send + Sync + 'static {
    /// Number of ports.
    const N: usize;
    /// Build from a function of the port index.
    fn from_fn(f: impl FnMut(usize) -> f64) -> Self;
    /// The values as a slice.
    fn as_slice(&self) -> &[f64];
}
macro_rules! port_array {
    ($($n:literal),*) => {$(
        impl PortArray for [f64; $n] {
            const N: usize = $n;
            #[inline(always)]
            fn from_fn(f: impl FnMut(usize) -> f64) -> Self {
                std::array::from_fn(f)
            }
            #[inline(always)]
            fn as_slice(&self) -> &[f64] {
                self
            }
        }
    )*};
}
port_array!(0, 1, 2, 3, 4);

/// Everything that drives a neuron during one step, held constant over the step.
///
/// `ports` are the model's own inputs (SC-NeuroCore's `step()` arguments, in order). `g` and
/// `ge` carry the engine's conductance receptors: the synaptic current at membrane potential `v`
/// is `ge - g·v` (= Σ gₖ(Eₖ − v)), in the units of the model's current port. Models with a
/// membrane potential add [`Input::syn`] inside every substep / RK stage, so conductances act
/// on the potential the integrator is at, not on the potential at the step's start.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Input<P> {
    /// Port values, in the order of [`Model::PORTS`].
    pub ports: P,
    /// Total synaptic conductance Σ gₖ.
    pub g: f64,
    /// Σ gₖ·Eₖ (conductance times reversal potential).
    pub ge: f64,
}

impl<P: PortArray> Input<P> {
    /// Inputs with only port values (no synaptic conductance): the standalone path.
    #[inline(always)]
    pub fn ports(ports: P) -> Self {
        Self {
            ports,
            g: 0.0,
            ge: 0.0,
        }
    }
    /// Synaptic conductance current at membrane potential `v`: Σ gₖ(Eₖ − v).
    #[inline(always)]
    pub fn syn(&self, v: f64) -> f64 {
        self.ge - self.g * v
    }
}

impl Input<[f64; 1]> {
    /// Port 0 (the injected current) plus the conductance current at `v`.
    #[inline(always)]
    pub fn current(&self, v: f64) -> f64 {
        self.ports[0] + self.ge - self.g * v
    }
}

/// What a model emits each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum OutputKind {
    /// A spike (0/1).
    Spike,
    /// A signed event (−1/0/+1).
    Signed,
    /// A continuous value (a rate, a potential) transmitted every step.
    Value,
}

impl fmt::Display for OutputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputKind::Spike => "spike",
            OutputKind::Signed => "signed event",
            OutputKind::Value => "value",
        })
    }
}

/// The type a model's step returns: `bool` (spike), `i8` (signed event) or `f64` (value).
pub trait Output: Copy + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// Which kind this is.
    const KIND: OutputKind;
    /// The event carried: 0 none, +1 spike / positive event, −1 negative event.
    fn event(self) -> i8;
    /// As a number (spikes and events as 0/±1).
    fn value(self) -> f64;
    /// The "nothing happened" value returned when a step is refused.
    fn none() -> Self;
}
impl Output for bool {
    const KIND: OutputKind = OutputKind::Spike;
    #[inline(always)]
    fn event(self) -> i8 {
        self as i8
    }
    #[inline(always)]
    fn value(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
    fn none() -> Self {
        false
    }
}
impl Output for i8 {
    const KIND: OutputKind = OutputKind::Signed;
    #[inline(always)]
    fn event(self) -> i8 {
        self.signum()
    }
    #[inline(always)]
    fn value(self) -> f64 {
        self as f64
    }
    fn none() -> Self {
        0
    }
}
impl Output for f64 {
    const KIND: OutputKind = OutputKind::Value;
    #[inline(always)]
    fn event(self) -> i8 {
        0
    }
    #[inline(always)]
    fn value(self) -> f64 {
        self
    }
    fn none() -> Self {
        f64::NAN
    }
}

/// How a model relates one step to time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Timing {
    /// A continuous-time model: a step advances a span of time (ms), substepping inside.
    Continuous,
    /// A discrete map or a chip's algorithmic timestep: one step is one iteration, whatever
    /// the network's `dt`.
    Iteration,
}

/// The model families of the catalogue (folders of `neurocore-models`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Family {
    /// Integrate-and-fire variants and the core IF models.
    IntegrateFire,
    /// Simple spiking (two/three-variable) models.
    Spiking,
    /// Discrete-time map neurons.
    Maps,
    /// Conductance-based (Hodgkin-Huxley type) models.
    Conductance,
    /// Multi-compartment models.
    Compartmental,
    /// Stochastic point-process and stochastic-membrane models.
    Stochastic,
    /// Rate, population and neural-mass models.
    Rate,
    /// Emulators of neuromorphic chips.
    Hardware,
    /// "AI-optimised" models.
    Ai,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::IntegrateFire => "integrate-and-fire",
            Family::Spiking => "simple spiking",
            Family::Maps => "discrete maps",
            Family::Conductance => "conductance-based",
            Family::Compartmental => "multi-compartment",
            Family::Stochastic => "stochastic",
            Family::Rate => "rate / neural mass",
            Family::Hardware => "chip emulators",
            Family::Ai => "AI-optimised",
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The model trait
// ---------------------------------------------------------------------------------------------

/// A neuron model: type-level description plus the scalar kernel.
///
/// Implemented by the standalone type of each model (whose name is SC-NeuroCore's class name).
pub trait Model: Send + Sync + Sized + 'static {
    /// SC-NeuroCore's class name, e.g. `"AdExNeuron"`.
    const NAME: &'static str;
    /// Catalogue family.
    const FAMILY: Family;
    /// One line: what the model is.
    const SUMMARY: &'static str;
    /// The paper (authors, year, journal, DOI) the dynamics follow.
    const REFERENCE: &'static str;
    /// Names of the input ports, in `step()` argument order.
    const PORTS: &'static [&'static str];
    /// The state variable that is the membrane potential (target of delta "jump" receptors and
    /// of conductance receptors); `None` if the model has none (maps in arbitrary units, rate
    /// units, generators).
    const MEMBRANE: Option<&'static str>;
    /// Whether a step is a span of time or one iteration.
    const TIMING: Timing;
    /// Whether [`Model::update`] reads the [`Input::g`]/[`Input::ge`] conductance pair, so that
    /// conductance receptors may target it.
    const CONDUCTANCE_INPUT: bool;
    /// A typical drive (port values, in port order) under which the model is active: used by
    /// the catalogue-wide tests, the kernel benchmark and `neurocore models`.
    const DRIVE: &'static [f64];
    /// The parameter holding the model's internal integration step (ms), if the model
    /// substeps; convergence tests shrink it together with the step span.
    const SUBSTEP: Option<&'static str>;
    /// Parameters.
    type Params: ParamSet;
    /// State.
    type State: StateVars;
    /// Constants derived from the parameters and the step span (decay factors, substep count).
    type Consts: Clone + fmt::Debug + Send + Sync + 'static;
    /// Port values: `[f64; PORTS.len()]`.
    type Ports: PortArray;
    /// What a step returns.
    type Output: Output;

    /// The initial state for these parameters (what `reset()` restores).
    fn init(p: &Self::Params) -> Self::State;
    /// The time one standalone `step()` spans for these parameters (SC-NeuroCore's step), ms.
    /// Ignored for [`Timing::Iteration`] models.
    fn standalone_span(p: &Self::Params) -> f64;
    /// Derive the constants for steps of length `span` ms (substeps chosen inside).
    fn prepare(p: &Self::Params, span: f64) -> Self::Consts;
    /// The scalar kernel: advance `s` by one step with inputs `x`; return what was emitted.
    fn update(
        k: &Self::Consts,
        s: &mut Self::State,
        x: &Input<Self::Ports>,
        rng: &mut NeuronRng,
    ) -> Self::Output;

    /// Advance a block of neurons that share `k` (the batch path). The default runs
    /// [`Model::update`] on each. A model whose kernel branches on a constant — an integrator
    /// choice, say — may override this to take that branch once per block and run a loop
    /// without it, which the compiler can vectorise; every arm must run exactly the code
    /// `update` runs for that constant (the catalogue tests check batch == standalone bit for
    /// bit). See `COBALIFNeuron`.
    #[inline(always)]
    fn update_block<B: Block<Self>>(k: &Self::Consts, block: &mut B) {
        block.for_each(
            #[inline(always)]
            |s, x, rng| Self::update(k, s, x, rng),
        );
    }
}

/// A block of neurons of model `M` as the batch path hands it to [`Model::update_block`].
pub trait Block<M: Model> {
    /// Run `f` on every neuron of the block, in order: its state, its inputs, its random stream.
    fn for_each(
        &mut self,
        f: impl FnMut(&mut M::State, &Input<M::Ports>, &mut NeuronRng) -> M::Output,
    );
}

/// Number of equal substeps of at most `h_max` that make up `span`, and their length.
/// Used by `prepare()` of models that substep (e.g. HH: 1 ms in substeps of 0.01 ms).
pub fn substeps(span: f64, h_max: f64) -> (u32, f64) {
    let n = (span / h_max - 1e-9).ceil().max(1.0);
    let n = if n.is_finite() && n < u32::MAX as f64 {
        n as u32
    } else {
        1
    };
    (n, span / n as f64)
}

/// A snapshot of a neuron's state: names (stable order) and values.
#[derive(Clone, Debug, PartialEq)]
pub struct StateMap {
    /// Variable names, in the model's declaration order.
    pub names: &'static [&'static str],
    /// Values, same order.
    pub values: Vec<f64>,
}

impl StateMap {
    /// The value of `name`, if the model has it.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.names
            .iter()
            .position(|n| *n == name)
            .map(|i| self.values[i])
    }
    /// (name, value) pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        self.names.iter().copied().zip(self.values.iter().copied())
    }
}

impl std::ops::Index<&str> for StateMap {
    type Output = f64;
    fn index(&self, name: &str) -> &f64 {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => &self.values[i],
            None => panic!("no state variable named `{name}` (have {:?})", self.names),
        }
    }
}

/// Why a standalone step was refused (the state is left unchanged).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StepError {
    /// An input was NaN or infinite.
    #[error("input `{port}` is not finite ({value})")]
    NonFiniteInput {
        /// Port name.
        port: &'static str,
        /// The value given.
        value: f64,
    },
    /// The step would have produced a non-finite state.
    #[error("the step would make state variable `{var}` non-finite")]
    NonFiniteState {
        /// Variable name.
        var: &'static str,
    },
}

/// RNG stream of standalone neurons.
pub const STANDALONE_STREAM: u64 = 0x5354_414e_4441_4c4f;

/// The standalone neuron: one instance of a model, SC-NeuroCore style.
///
/// Each model's class-named type wraps this (see [`standalone!`](crate::standalone)), so the
/// methods here (`reset`, `get_state`, `advance`, ...) are available on every model.
#[derive(Clone, Debug)]
pub struct Standalone<M: Model> {
    params: M::Params,
    consts: M::Consts,
    state: M::State,
    span: f64,
    seed: u64,
    id: u32,
    steps: u64,
}

impl<M: Model> Standalone<M> {
    /// With validated parameters, spanning SC-NeuroCore's step length.
    pub fn with_params(params: M::Params) -> Result<Self, ParamError> {
        params.validate()?;
        let span = M::standalone_span(&params);
        Self::with_span(params, span)
    }

    /// With validated parameters and a chosen step span (ms) — e.g. a network's `dt`.
    pub fn with_span(params: M::Params, span: f64) -> Result<Self, ParamError> {
        params.validate()?;
        if M::TIMING == Timing::Continuous {
            check::positive("span", span)?;
        }
        let consts = M::prepare(&params, span);
        let state = M::init(&params);
        Ok(Self {
            params,
            consts,
            state,
            span,
            seed: 0,
            id: 0,
            steps: 0,
        })
    }

    /// Key the random stream: (seed, neuron id). The network path keys neuron `id` of a
    /// simulation with `seed` the same way, so stochastic models agree step for step.
    pub fn set_seed(&mut self, seed: u64, id: u32) {
        self.seed = seed;
        self.id = id;
    }

    /// The parameters.
    pub fn params(&self) -> &M::Params {
        &self.params
    }
    /// The state.
    pub fn state(&self) -> &M::State {
        &self.state
    }
    /// The state, mutably (to set an initial condition).
    pub fn state_mut(&mut self) -> &mut M::State {
        &mut self.state
    }
    /// The time one step spans (ms; for iteration models, nominal).
    pub fn span(&self) -> f64 {
        self.span
    }
    /// Steps taken since construction or the last reset.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Back to the initial state (and the start of the random stream).
    pub fn reset(&mut self) {
        self.state = M::init(&self.params);
        self.steps = 0;
    }

    /// The state as name -> value, in the model's stable order (SC-NeuroCore's names).
    pub fn get_state(&self) -> StateMap {
        let n = <M::State as StateVars>::NAMES.len();
        StateMap {
            names: <M::State as StateVars>::NAMES,
            values: (0..n).map(|k| self.state.get(k)).collect(),
        }
    }

    /// One step with these port values and conductance inputs, unchecked.
    #[inline]
    pub fn advance_input(&mut self, x: &Input<M::Ports>) -> M::Output {
        let mut rng = NeuronRng::new(self.seed, STANDALONE_STREAM, self.id, self.steps);
        self.steps += 1;
        M::update(&self.consts, &mut self.state, x, &mut rng)
    }

    /// One step with these port values, unchecked (the hot path).
    #[inline]
    pub fn advance(&mut self, ports: M::Ports) -> M::Output {
        self.advance_input(&Input::ports(ports))
    }

    /// One step, refusing non-finite inputs and non-finite results (state left unchanged).
    pub fn try_advance(&mut self, ports: M::Ports) -> Result<M::Output, StepError> {
        for (i, &x) in ports.as_slice().iter().enumerate() {
            if !x.is_finite() {
                return Err(StepError::NonFiniteInput {
                    port: M::PORTS.get(i).copied().unwrap_or("?"),
                    value: x,
                });
            }
        }
        let saved = self.state;
        let saved_steps = self.steps;
        let out = self.advance(ports);
        for (k, name) in <M::State as StateVars>::NAMES.iter().enumerate() {
            if !self.state.get(k).is_finite() {
                self.state = saved;
                self.steps = saved_steps;
                return Err(StepError::NonFiniteState { var: name });
            }
        }
        Ok(out)
    }

    /// One step as the infallible SC-NeuroCore-style `step()`: a refused step (non-finite
    /// input or result) leaves the state unchanged and emits nothing.
    pub fn step_or_none(&mut self, ports: M::Ports) -> M::Output {
        self.try_advance(ports)
            .unwrap_or_else(|_| M::Output::none())
    }
}

/// Make a model's standalone, class-named type: a newtype over [`Standalone`] with `new()`,
/// `with_params()`, `with_span()`, `Default` and `Deref` (so `reset()`, `get_state()`,
/// `try_advance()` ... are available). The model then writes its own `step(..)` with its
/// SC-NeuroCore signature, usually one line calling `self.step_or_none([..])`.
#[macro_export]
macro_rules! standalone {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        $vis struct $name($crate::model::Standalone<$name>);

        impl $name {
            /// A neuron with the default (paper) parameters, spanning SC-NeuroCore's step.
            pub fn new() -> Self {
                match $crate::model::Standalone::with_params(Default::default()) {
                    Ok(s) => Self(s),
                    Err(e) => panic!("{}: default parameters are invalid: {e}", stringify!($name)),
                }
            }
            /// A neuron with these parameters (validated).
            pub fn with_params(
                params: <$name as $crate::model::Model>::Params,
            ) -> Result<Self, $crate::model::ParamError> {
                $crate::model::Standalone::with_params(params).map(Self)
            }
            /// A neuron with these parameters whose `step()` spans `span` ms.
            pub fn with_span(
                params: <$name as $crate::model::Model>::Params,
                span: f64,
            ) -> Result<Self, $crate::model::ParamError> {
                $crate::model::Standalone::with_span(params, span).map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::ops::Deref for $name {
            type Target = $crate::model::Standalone<$name>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
