//! Stimulus conversion: a scene's stimulus (`scene::StimulusSpec`) checked before a run and
//! turned into its run-time form ([`StimulusRt`]). Adding a stimulus kind touches the schema
//! (`scene::StimulusKind`), this file (check and conversion) and the generator in
//! [`stimulus_system`](super::stimulus_system).

use super::{StimRt, StimTarget, StimulusRt};
use crate::error::{BuildError, err, finite};
use crate::numerics::rng::{NeuronRng, stream_of};
use crate::scene::{StimulusKind, StimulusSpec};

/// The first step whose start is at or after `ms` (a stimulus starting at `ms` acts from it).
pub(crate) fn to_step(ms: f64, dt: f64) -> u64 {
    (ms / dt - 1e-9).ceil().max(0.0) as u64
}

pub(crate) fn is_event(k: &StimulusKind) -> bool {
    matches!(
        k,
        StimulusKind::Poisson { .. } | StimulusKind::SpikeTimes { .. }
    )
}

// Long by design: one match arm per stimulus kind.
pub(crate) fn check(k: &StimulusKind, dt: f64, path: &str) -> Result<(), BuildError> {
    match k {
        StimulusKind::Dc { amplitude } => finite(&format!("{path}.amplitude"), *amplitude),
        StimulusKind::Steps { times, amplitudes } => {
            if times.len() != amplitudes.len() {
                return err(
                    path,
                    format!("{} times but {} amplitudes", times.len(), amplitudes.len()),
                );
            }
            for (i, (t, a)) in times.iter().zip(amplitudes).enumerate() {
                finite(&format!("{path}.times[{i}]"), *t)?;
                finite(&format!("{path}.amplitudes[{i}]"), *a)?;
                if i > 0 && *t <= times[i - 1] {
                    return err(format!("{path}.times[{i}]"), "times must increase");
                }
            }
            Ok(())
        }
        StimulusKind::Pulses {
            amplitude,
            width,
            period,
        } => {
            finite(&format!("{path}.amplitude"), *amplitude)?;
            if !(width.is_finite() && *width > 0.0) {
                return err(
                    format!("{path}.width"),
                    format!("must be > 0 ms, got {width}"),
                );
            }
            if let Some(p) = period
                && !(p.is_finite() && *p >= *width)
            {
                return err(
                    format!("{path}.period"),
                    format!("must be >= width ({width}), got {p}"),
                );
            }
            Ok(())
        }
        StimulusKind::Sine {
            amplitude,
            frequency,
            phase,
            offset,
        } => {
            finite(&format!("{path}.amplitude"), *amplitude)?;
            finite(&format!("{path}.frequency"), *frequency)?;
            finite(&format!("{path}.phase"), *phase)?;
            finite(&format!("{path}.offset"), *offset)
        }
        StimulusKind::Poisson { rate, weight } => {
            if !(rate.is_finite() && *rate >= 0.0) {
                return err(
                    format!("{path}.rate"),
                    format!("must be >= 0 Hz, got {rate}"),
                );
            }
            finite(&format!("{path}.weight"), *weight)
        }
        StimulusKind::SpikeTimes { times, weight } => {
            for (i, t) in times.iter().enumerate() {
                if !(t.is_finite() && *t >= 0.0) {
                    return err(
                        format!("{path}.times[{i}]"),
                        format!("must be >= 0 ms, got {t}"),
                    );
                }
            }
            let _ = dt;
            finite(&format!("{path}.weight"), *weight)
        }
        StimulusKind::Noise { mean, std, tau } => {
            finite(&format!("{path}.mean"), *mean)?;
            if !(std.is_finite() && *std >= 0.0) {
                return err(format!("{path}.std"), format!("must be >= 0, got {std}"));
            }
            if !(tau.is_finite() && *tau > 0.0) {
                return err(format!("{path}.tau"), format!("must be > 0 ms, got {tau}"));
            }
            Ok(())
        }
        StimulusKind::External { initial } => finite(&format!("{path}.initial"), *initial),
    }
}

/// The run-time form of stimulus `st` (number `index` in the scene) on population `pop` (first
/// id `id0`, `size` neurons), adding to channel `channel` of that population.
#[allow(clippy::too_many_arguments)]
// Long by design: one match arm per stimulus kind.
pub(crate) fn runtime(
    st: &StimulusSpec,
    index: usize,
    pop: usize,
    id0: u32,
    size: u32,
    channel: usize,
    dt: f64,
    seed: u64,
) -> StimulusRt {
    let neurons: Vec<u32> = st
        .target
        .neurons
        .clone()
        .unwrap_or_else(|| (0..size).collect());
    let whole =
        neurons.len() == size as usize && neurons.iter().enumerate().all(|(k, &i)| i as usize == k);
    let name = st
        .name
        .clone()
        .unwrap_or_else(|| format!("stimulus#{index}"));
    let stream = stream_of(&format!("stimulus/{name}"));
    let step_of = |ms: f64| to_step(ms, dt);
    let kind = match &st.kind {
        StimulusKind::Dc { amplitude } => StimRt::Dc(*amplitude),
        StimulusKind::Steps { times, amplitudes } => StimRt::Steps {
            steps: times.iter().map(|&t| step_of(t)).collect(),
            amps: amplitudes.clone(),
        },
        StimulusKind::Pulses {
            amplitude,
            width,
            period,
        } => StimRt::Pulses {
            amp: *amplitude,
            width: *width,
            period: *period,
        },
        StimulusKind::Sine {
            amplitude,
            frequency,
            phase,
            offset,
        } => StimRt::Sine {
            amp: *amplitude,
            omega: std::f64::consts::TAU * frequency / 1000.0,
            phase: *phase,
            offset: *offset,
        },
        StimulusKind::Poisson { rate, weight } => {
            let lambda = rate * dt / 1000.0;
            // A CDF table makes each draw one uniform and a short search.
            let mut cdf = Vec::new();
            if lambda > 0.0 && lambda < 50.0 {
                let (mut p, mut c) = ((-lambda).exp(), 0.0);
                let mut k = 0.0;
                while c < 1.0 - 1e-16 && cdf.len() < 512 {
                    c += p;
                    cdf.push(c);
                    k += 1.0;
                    p *= lambda / k;
                }
            }
            StimRt::Poisson {
                lambda,
                weight: *weight,
                cdf,
            }
        }
        StimulusKind::SpikeTimes { times, weight } => {
            let mut steps: Vec<u64> = times.iter().map(|&t| (t / dt).round() as u64).collect();
            steps.sort_unstable();
            StimRt::SpikeTimes {
                steps,
                weight: *weight,
            }
        }
        StimulusKind::Noise { mean, std, tau } => {
            // Start in the stationary distribution.
            let x = neurons
                .iter()
                .map(|&k| {
                    let mut r = NeuronRng::new(seed, stream ^ 0x1, id0 + k, 0);
                    mean + std * r.normal()
                })
                .collect();
            StimRt::Noise {
                mean: *mean,
                std: *std,
                decay: (-dt / tau).exp(),
                x,
            }
        }
        StimulusKind::External { initial } => StimRt::External(vec![*initial; neurons.len()]),
    };
    StimulusRt {
        name,
        pop,
        neurons,
        whole,
        target: StimTarget::Channel(channel),
        kind,
        start: to_step(st.start, dt),
        stop: st.stop.map_or(u64::MAX, step_of),
        stream,
        id0,
        held: false,
    }
}
