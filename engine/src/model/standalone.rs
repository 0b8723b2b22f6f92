//! The standalone path: a model as a plain type with `step(..)`, `reset()`, `get_state()`.

use super::*;

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
