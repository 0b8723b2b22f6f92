//! The scene: a network described by rules (serde types; RON on disk).
//!
//! A [`Scene`] is what both the code builder ([`crate::sim::SimBuilder`]) and scene files
//! produce; [`crate::sim::Simulation::from_scene`] validates all of it before building anything.

mod builders;
pub mod load;
pub mod locate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::numerics::dist::{Dist, Npy, Value};
use crate::synapse::ReceptorKind;
pub use crate::synapse::plastic::{StpSpec, SynapseSpec};

/// A parameter or initial value in a scene: a number, a distribution drawn per neuron, or a
/// named choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A number (the same for every neuron).
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A named choice, e.g. an integrator.
    Text(String),
    /// Drawn per neuron.
    Dist(Dist),
    /// One value per neuron.
    List(Vec<f64>),
    /// One value per neuron from a 1-D NPY file (resolved by the scene loader).
    Npy(Npy),
}

impl From<f64> for ParamValue {
    fn from(x: f64) -> Self {
        ParamValue::Num(x)
    }
}
impl From<Dist> for ParamValue {
    fn from(d: Dist) -> Self {
        ParamValue::Dist(d)
    }
}

/// A whole network and how to run it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Step length, ms.
    #[serde(default = "default_dt")]
    pub dt: f64,
    /// Biological time to simulate, ms.
    #[serde(default = "default_duration")]
    pub duration: f64,
    /// Master seed: connectivity, per-neuron draws, noise.
    #[serde(default)]
    pub seed: u64,
    /// Threads for the heavy systems (1 = serial).
    #[serde(default = "default_threads")]
    pub threads: usize,
    /// Populations, in id order.
    #[serde(default)]
    pub populations: Vec<PopulationSpec>,
    /// Projections between populations.
    #[serde(default)]
    pub projections: Vec<ProjectionSpec>,
    /// Stimuli.
    #[serde(default)]
    pub stimuli: Vec<StimulusSpec>,
    /// Recorders.
    #[serde(default)]
    pub recorders: Vec<RecorderSpec>,
    /// What `neurocore run` writes.
    #[serde(default)]
    pub outputs: Outputs,
}

fn default_dt() -> f64 {
    0.1
}
fn default_duration() -> f64 {
    1000.0
}
fn default_threads() -> usize {
    1
}

impl Default for Scene {
    fn default() -> Self {
        Self {
            dt: default_dt(),
            duration: default_duration(),
            seed: 0,
            threads: default_threads(),
            populations: Vec::new(),
            projections: Vec::new(),
            stimuli: Vec::new(),
            recorders: Vec::new(),
            outputs: Outputs::default(),
        }
    }
}

/// Files a run writes (the directory comes from the command line, `--out`, or `dir`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// Output directory, relative to the working directory (default `out/<scene name>`).
    #[serde(default)]
    pub dir: Option<String>,
    /// Spike files (one per spike recorder): neuron id and time.
    #[serde(default = "yes")]
    pub spikes: bool,
    /// Format of spike files.
    #[serde(default)]
    pub format: SpikeFormat,
    /// State traces (one file per state recorder and variable).
    #[serde(default = "yes")]
    pub traces: bool,
    /// Population rates (one file per rate recorder).
    #[serde(default = "yes")]
    pub rates: bool,
    /// A raster plot with a rate histogram (`raster.png`).
    #[serde(default = "yes")]
    pub raster: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Self {
            dir: None,
            spikes: true,
            format: SpikeFormat::Npy,
            traces: true,
            rates: true,
            raster: true,
        }
    }
}

/// Spike file format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpikeFormat {
    /// NPY structured array with fields `id` (u32) and `t` (f64, ms).
    #[default]
    Npy,
    /// CSV with a header line `id,t_ms`.
    Csv,
}

/// Where a population's neurons sit in space (µm by convention).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// A regular grid of `shape` points (x fastest), `spacing` apart, starting at `origin`.
    Grid {
        /// Points along x, y, z (their product is the population size).
        shape: (u32, u32, u32),
        /// Distance between neighbours along x, y, z.
        spacing: (f64, f64, f64),
        /// Position of the first point.
        #[serde(default)]
        origin: (f64, f64, f64),
    },
    /// Uniformly random in an axis-aligned box.
    Box {
        /// Lower corner.
        min: (f64, f64, f64),
        /// Upper corner.
        max: (f64, f64, f64),
    },
    /// Uniformly random in a ball.
    Sphere {
        /// Centre.
        center: (f64, f64, f64),
        /// Radius.
        radius: f64,
    },
    /// Explicit positions, one per neuron.
    List(Vec<(f64, f64, f64)>),
    /// Positions from an NPY file of shape (size, 3) (resolved by the scene loader).
    Npy(String),
}

/// A function of distance d (≥ 0), for distance-dependent connection probabilities and weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// `peak` everywhere.
    Constant {
        /// Value.
        peak: f64,
    },
    /// peak · exp(−d²/(2σ²)).
    Gaussian {
        /// Value at d = 0.
        peak: f64,
        /// Width σ.
        sigma: f64,
    },
    /// peak · exp(−d/λ).
    Exponential {
        /// Value at d = 0.
        peak: f64,
        /// Length constant λ.
        lambda: f64,
    },
    /// max(0, peak − slope·d).
    Linear {
        /// Value at d = 0.
        peak: f64,
        /// Decrease per unit distance.
        slope: f64,
    },
    /// peak for d ≤ radius, else 0.
    Step {
        /// Value inside.
        peak: f64,
        /// Radius.
        radius: f64,
    },
}

impl Profile {
    /// The value at distance `d`.
    #[inline]
    pub fn at(&self, d: f64) -> f64 {
        match *self {
            Profile::Constant { peak } => peak,
            Profile::Gaussian { peak, sigma } => peak * (-d * d / (2.0 * sigma * sigma)).exp(),
            Profile::Exponential { peak, lambda } => peak * (-d / lambda).exp(),
            Profile::Linear { peak, slope } => (peak - slope * d).max(0.0),
            Profile::Step { peak, radius } => {
                if d <= radius {
                    peak
                } else {
                    0.0
                }
            }
        }
    }
    /// Check its parameters.
    pub fn validate(&self) -> Result<(), String> {
        let ok = |n: &str, x: f64, pos: bool| {
            if !x.is_finite() || (pos && x <= 0.0) {
                Err(format!(
                    "`{n}` must be {}, got {x}",
                    if pos { "> 0" } else { "finite" }
                ))
            } else {
                Ok(())
            }
        };
        match *self {
            Profile::Constant { peak } => ok("peak", peak, false),
            Profile::Gaussian { peak, sigma } => {
                ok("peak", peak, false).and(ok("sigma", sigma, true))
            }
            Profile::Exponential { peak, lambda } => {
                ok("peak", peak, false).and(ok("lambda", lambda, true))
            }
            Profile::Linear { peak, slope } => {
                ok("peak", peak, false).and(ok("slope", slope, false))
            }
            Profile::Step { peak, radius } => {
                ok("peak", peak, false).and(ok("radius", radius, true))
            }
        }
    }
}

/// A population: `size` neurons of one model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// Unique name.
    pub name: String,
    /// Model class name (SC-NeuroCore's), e.g. `"LIFNeuron"`.
    pub model: String,
    /// Number of neurons.
    pub size: u32,
    /// Parameter overrides (the rest keep the model's defaults).
    #[serde(default)]
    pub params: BTreeMap<String, ParamValue>,
    /// Initial-state overrides (the rest come from the model's initial state). A key may also
    /// name a receptor: its initial current or conductance.
    #[serde(default)]
    pub init: BTreeMap<String, Value>,
    /// Receptors the population's neurons carry.
    #[serde(default)]
    pub receptors: Vec<ReceptorSpec>,
    /// Positions in space (needed by distance-dependent rules).
    #[serde(default)]
    pub position: Option<Placement>,
}

/// A named receptor on a population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceptorSpec {
    /// Name projections and stimuli use to target it.
    pub name: String,
    /// Its dynamics.
    pub kind: ReceptorKind,
    /// For current receptors: the input port they add to (default: the model's first port).
    #[serde(default)]
    pub port: Option<String>,
}

/// A connection rule (NEST's names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Every source to every target.
    AllToAll,
    /// Source i to target i (equal sizes).
    OneToOne,
    /// Each pair independently with probability `p`.
    PairwiseBernoulli {
        /// Connection probability.
        p: f64,
    },
    /// Each target receives exactly `k` inputs.
    FixedIndegree {
        /// In-degree.
        k: u32,
    },
    /// Each source sends exactly `k` outputs.
    FixedOutdegree {
        /// Out-degree.
        k: u32,
    },
    /// Exactly `n` synapses between random pairs.
    FixedTotalNumber {
        /// Number of synapses.
        n: u64,
    },
    /// An explicit list of (source, target) local indices, with optional per-synapse weights
    /// (replacing `weight`) and delays in ms (replacing `delay`).
    Explicit {
        /// (source, target) pairs, local indices.
        pairs: Vec<(u32, u32)>,
        /// Per-synapse weights.
        #[serde(default)]
        weights: Option<Vec<f64>>,
        /// Per-synapse delays, ms.
        #[serde(default)]
        delays: Option<Vec<f64>>,
    },
    /// An explicit list from NPY sidecar files (paths relative to the scene): `pairs` of shape
    /// (n, 2) with integer (source, target) local indices, optional 1-D `weights` and `delays`
    /// (ms) of length n. The loader turns it into `explicit`.
    FromNpy {
        /// (n, 2) integer array.
        pairs: String,
        /// 1-D float array.
        #[serde(default)]
        weights: Option<String>,
        /// 1-D float array, ms.
        #[serde(default)]
        delays: Option<String>,
    },
    /// Distance-dependent: each pair connects with probability `probability(d)` (clipped to
    /// [0, 1]); both populations need positions. `cutoff` ignores pairs farther apart;
    /// `periodic` gives the box size (x, y, z) of periodic boundaries (0 = not periodic on that
    /// axis), as NEST's spatial networks and PyNN's DistanceDependentProbabilityConnector do.
    Distance {
        /// Connection probability as a function of distance.
        probability: Profile,
        /// Largest distance considered.
        #[serde(default)]
        cutoff: Option<f64>,
        /// Periodic box size per axis.
        #[serde(default)]
        periodic: Option<(f64, f64, f64)>,
    },
}

/// A projection: synapses from one population to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionSpec {
    /// Optional name (keys its random stream; defaults to "source->target#index").
    #[serde(default)]
    pub name: Option<String>,
    /// Source population.
    pub source: String,
    /// Target population.
    pub target: String,
    /// Connection rule.
    pub rule: Rule,
    /// Weight, in the target receptor's (or port's) units.
    #[serde(default = "one")]
    pub weight: Value,
    /// Delay, ms (≥ dt; rounded to whole steps). Absent: one step (dt), the shortest delay a
    /// network of discrete steps can have (Brian2's "no delay" acts on the next step too).
    #[serde(default)]
    pub delay: Option<Value>,
    /// Target receptor by name...
    #[serde(default)]
    pub receptor: Option<String>,
    /// ... or the target model's own input port by name.
    #[serde(default)]
    pub port: Option<String>,
    /// Allow a neuron to connect to itself (same population).
    #[serde(default)]
    pub autapses: bool,
    /// Allow several synapses between the same pair.
    #[serde(default = "yes")]
    pub multapses: bool,
    /// Distance-dependent rules: the weight is multiplied by this profile of the distance.
    #[serde(default)]
    pub weight_profile: Option<Profile>,
    /// The synapse model: `static` (default), `stdp(..)`, `tsodyks_markram(..)` or
    /// `vogels_sprekeler(..)` (see [`crate::synapse::plastic`]).
    #[serde(default)]
    pub synapse: SynapseSpec,
}

fn one() -> Value {
    Value::Const(1.0)
}
fn yes() -> bool {
    true
}

/// Which neurons of a population a stimulus or recorder addresses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Population name.
    pub population: String,
    /// Local indices (all neurons if absent).
    #[serde(default)]
    pub neurons: Option<Vec<u32>>,
}

/// What a stimulus does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StimulusKind {
    /// Constant current.
    Dc {
        /// Amplitude, port units.
        amplitude: f64,
    },
    /// Piecewise-constant current: `amplitudes[k]` from `times[k]` (ms) on.
    Steps {
        /// Switch times, ms, increasing.
        times: Vec<f64>,
        /// Amplitudes, port units.
        amplitudes: Vec<f64>,
    },
    /// Rectangular pulses: `amplitude` for `width` ms every `period` ms from `start` (once if
    /// `period` is absent).
    Pulses {
        /// Amplitude, port units.
        amplitude: f64,
        /// Pulse width, ms.
        width: f64,
        /// Period, ms.
        #[serde(default)]
        period: Option<f64>,
    },
    /// offset + amplitude·sin(2π·frequency·t + phase).
    Sine {
        /// Amplitude, port units.
        amplitude: f64,
        /// Frequency, Hz.
        frequency: f64,
        /// Phase, rad.
        #[serde(default)]
        phase: f64,
        /// Offset, port units.
        #[serde(default)]
        offset: f64,
    },
    /// Independent Poisson spike trains, one per target neuron, delivered with `weight`.
    Poisson {
        /// Rate per target neuron, Hz.
        rate: f64,
        /// Weight per event.
        weight: f64,
    },
    /// Spikes at given times (ms) to every target neuron.
    SpikeTimes {
        /// Times, ms.
        times: Vec<f64>,
        /// Weight per event.
        weight: f64,
    },
    /// Ornstein–Uhlenbeck noise current, independent per neuron: mean, standard deviation,
    /// correlation time.
    Noise {
        /// Mean, port units.
        mean: f64,
        /// Stationary standard deviation, port units.
        std: f64,
        /// Correlation time, ms.
        tau: f64,
    },
    /// A current the host program writes (`Simulation::set_external`); starts at `initial`.
    External {
        /// Initial value, port units.
        #[serde(default)]
        initial: f64,
    },
}

/// A stimulus on some neurons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StimulusSpec {
    /// Name (needed to address an external input; keys the random stream).
    #[serde(default)]
    pub name: Option<String>,
    /// Which neurons.
    pub target: Target,
    /// What it does.
    pub kind: StimulusKind,
    /// Input port for currents (default: the model's first port) or for events.
    #[serde(default)]
    pub port: Option<String>,
    /// Receptor for events (Poisson, spike times).
    #[serde(default)]
    pub receptor: Option<String>,
    /// Active from, ms.
    #[serde(default)]
    pub start: f64,
    /// Active until, ms (exclusive; absent = forever).
    #[serde(default)]
    pub stop: Option<f64>,
}

/// What to record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecorderSpec {
    /// Spikes (and signed events) of a population or a subset.
    Spikes {
        /// Which neurons.
        target: Target,
    },
    /// State variables of chosen neurons every `interval` ms (`"out"` = a value model's output).
    State {
        /// Which neurons (give a short list: this samples entity by entity).
        target: Target,
        /// Variable names.
        vars: Vec<String>,
        /// Sampling interval, ms (default: every step).
        #[serde(default)]
        interval: Option<f64>,
    },
    /// Population rate in bins of `bin` ms.
    Rate {
        /// Population.
        population: String,
        /// Bin width, ms.
        #[serde(default = "default_bin")]
        bin: f64,
    },
}

fn default_bin() -> f64 {
    1.0
}
