//! Stimuli: currents into input ports (DC, steps, pulses, sine, Ornstein–Uhlenbeck noise,
//! external values written by the host) and spike events into receptors or ports (Poisson
//! generators independent per target neuron, spike-time lists).
//!
//! The Stimulus set runs first in a step: each stimulus adds its current (into its port's
//! channel) or its events (into a receptor's or port's channel) to the ring slot of the coming
//! step, which the Integrate system drains in this same step.

pub(crate) mod build;

use bevy_ecs::prelude::*;

use crate::numerics::rng::NeuronRng;
use crate::synapse::Synapses;
use crate::world::Clock;

/// Where a stimulus acts: the index of a channel (port or receptor) of the target population.
#[derive(Clone, Debug)]
pub enum StimTarget {
    /// Adds to this channel's current slot.
    Channel(usize),
}

/// What a stimulus does, with its run-time state.
#[derive(Clone, Debug)]
pub enum StimRt {
    /// Constant current.
    Dc(f64),
    /// Piecewise constant: `amps[k]` from step `steps[k]` on.
    Steps {
        /// Switch steps.
        steps: Vec<u64>,
        /// Amplitudes.
        amps: Vec<f64>,
    },
    /// Pulses of `width` ms every `period` ms (or once), counted from the stimulus start.
    Pulses {
        /// Amplitude.
        amp: f64,
        /// Width, ms.
        width: f64,
        /// Period, ms.
        period: Option<f64>,
    },
    /// Sine wave.
    Sine {
        /// Amplitude.
        amp: f64,
        /// Angular frequency, rad/ms.
        omega: f64,
        /// Phase, rad.
        phase: f64,
        /// Offset.
        offset: f64,
    },
    /// Poisson events with mean `lambda` per step and neuron.
    Poisson {
        /// Expected events per step.
        lambda: f64,
        /// Weight per event.
        weight: f64,
        /// P(K ≤ k) for k = 0, 1, ... up to 1 − 1e-16 (empty: sample directly).
        cdf: Vec<f64>,
    },
    /// Events at given steps (sorted).
    SpikeTimes {
        /// Steps holding an event (repeats = several events).
        steps: Vec<u64>,
        /// Weight per event.
        weight: f64,
    },
    /// Ornstein–Uhlenbeck current, exact update per step.
    Noise {
        /// Mean.
        mean: f64,
        /// Stationary standard deviation.
        std: f64,
        /// e^(−dt/τ).
        decay: f64,
        /// Current value per target neuron.
        x: Vec<f64>,
    },
    /// Values written by the host, per target neuron.
    External(Vec<f64>),
}

/// A stimulus ready to run.
#[derive(Clone, Debug)]
pub struct StimulusRt {
    /// Name.
    pub name: String,
    /// Target population index.
    pub pop: usize,
    /// Target local indices.
    pub neurons: Vec<u32>,
    /// `neurons` is the whole population in order (0..size): the per-step loops run
    /// straight over the arrays.
    pub whole: bool,
    /// Port or channel.
    pub target: StimTarget,
    /// What it does.
    pub kind: StimRt,
    /// First active step.
    pub start: u64,
    /// First inactive step.
    pub stop: u64,
    /// Random stream.
    pub stream: u64,
    /// Offset of the population's first id (for RNG keys).
    pub id0: u32,
    /// An external input the Integrate system reads straight from its values (see
    /// `PopSynapses::held`), or a constant it adds as a port constant (`PopSynapses::dc`);
    /// the Stimulus system skips it.
    pub held: bool,
}

/// All stimuli.
#[derive(Resource, Default, Debug)]
pub struct Stimuli {
    /// In scene order.
    pub list: Vec<StimulusRt>,
}

impl Stimuli {
    /// Index of a stimulus by name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|s| s.name == name)
    }
}

/// Stimulus set: apply every active stimulus.
// Long by design: one match arm per stimulus kind (the per-step generators).
pub fn stimulus_system(mut stims: ResMut<Stimuli>, mut syn: ResMut<Synapses>, clock: Res<Clock>) {
    let step = clock.step;
    let t = clock.t();
    let dt = clock.dt;
    for s in &mut stims.list {
        if step < s.start || step >= s.stop || s.held {
            continue;
        }
        let t_rel = (step - s.start) as f64 * dt;
        match &mut s.kind {
            StimRt::Poisson {
                lambda,
                weight,
                cdf,
            } => {
                let StimTarget::Channel(c) = s.target;
                let buf = syn.pops[s.pop].slot_mut(c, step);
                let base = NeuronRng::base(clock.seed, s.stream, step);
                for &i in &s.neurons {
                    let mut rng = NeuronRng::from_base(base, s.id0 + i);
                    let k = if cdf.is_empty() {
                        rng.poisson(*lambda) as usize
                    } else {
                        // Inversion on the precomputed CDF (exact for the table's range).
                        let u = rng.uniform();
                        let k = cdf.partition_point(|&c| c <= u);
                        if k == cdf.len() {
                            rng.poisson(*lambda) as usize
                        } else {
                            k
                        }
                    };
                    if k > 0 {
                        buf[i as usize] += k as f64 * *weight;
                    }
                }
            }
            StimRt::SpikeTimes { steps, weight } => {
                let StimTarget::Channel(c) = s.target;
                let a = steps.partition_point(|&x| x < step);
                let b = steps.partition_point(|&x| x <= step);
                if b > a {
                    let w = (b - a) as f64 * *weight;
                    let buf = syn.pops[s.pop].slot_mut(c, step);
                    for &i in &s.neurons {
                        buf[i as usize] += w;
                    }
                }
            }
            kind => {
                let StimTarget::Channel(c) = s.target;
                let port = syn.pops[s.pop].slot_mut(c, step);
                match kind {
                    StimRt::Dc(a) => add_all(port, &s.neurons, s.whole, *a),
                    StimRt::Steps { steps, amps } => {
                        let k = steps.partition_point(|&x| x <= step);
                        if k > 0 {
                            add_all(port, &s.neurons, s.whole, amps[k - 1]);
                        }
                    }
                    StimRt::Pulses { amp, width, period } => {
                        let phase = match period {
                            Some(p) if *p > 0.0 => t_rel % *p,
                            _ => t_rel,
                        };
                        // Half-step tolerance so that a width of n·dt gives exactly n steps.
                        if phase < *width - 0.5 * dt {
                            add_all(port, &s.neurons, s.whole, *amp);
                        }
                    }
                    StimRt::Sine {
                        amp,
                        omega,
                        phase,
                        offset,
                    } => {
                        let v = *offset + *amp * (*omega * t + *phase).sin();
                        add_all(port, &s.neurons, s.whole, v);
                    }
                    StimRt::Noise {
                        mean,
                        std,
                        decay,
                        x,
                    } => {
                        let diff = *std * (1.0 - *decay * *decay).sqrt();
                        let base = NeuronRng::base(clock.seed, s.stream, step);
                        for (k, &i) in s.neurons.iter().enumerate() {
                            port[i as usize] += x[k];
                            let mut rng = NeuronRng::from_base(base, s.id0 + i);
                            x[k] = *mean + (x[k] - *mean) * *decay + diff * rng.normal();
                        }
                    }
                    StimRt::External(v) => {
                        if s.whole {
                            // The whole population, in order: a straight loop the compiler
                            // vectorises.
                            for (p, x) in port.iter_mut().zip(v.iter()) {
                                *p += *x;
                            }
                        } else {
                            for (k, &i) in s.neurons.iter().enumerate() {
                                port[i as usize] += v[k];
                            }
                        }
                    }
                    StimRt::Poisson { .. } | StimRt::SpikeTimes { .. } => {}
                }
            }
        }
    }
}

#[inline]
fn add_all(port: &mut [f64], neurons: &[u32], whole: bool, a: f64) {
    if a == 0.0 {
        return;
    }
    if whole {
        for x in port.iter_mut() {
            *x += a;
        }
    } else {
        for &i in neurons {
            port[i as usize] += a;
        }
    }
}
