//! What the models' tests share: an independent reference integrator for the published
//! equations (written here, separately from the engine's integrators, so a model's kernel is
//! never checked against itself), spike-time, ISI and rate helpers, and a runner that records
//! a standalone model's spike times.
//!
//! A reference integration is the equations of the paper typed again in the test, integrated
//! with [`Reference`] at a small step; the model under test must agree with it.

use neurocore_engine::model::{Model, Output, Standalone};

/// Which explicit scheme [`Reference`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Heun's method (explicit trapezoid), second order.
    Heun,
    /// Classical Runge–Kutta, fourth order.
    Rk4,
}

/// An independent fixed-step integrator for `dy/dt = f(t, y)` on a `Vec` state, with
/// threshold-crossing detection on component `watch` (linear interpolation of the crossing
/// time). Deliberately a different code path from `neurocore_engine::numerics`.
pub struct Reference<F: Fn(f64, &[f64]) -> Vec<f64>> {
    /// The right-hand side.
    pub f: F,
    /// Step [ms].
    pub h: f64,
    /// Scheme.
    pub scheme: Scheme,
}

impl<F: Fn(f64, &[f64]) -> Vec<f64>> Reference<F> {
    /// Heun at step `h`.
    pub fn heun(h: f64, f: F) -> Self {
        Self {
            f,
            h,
            scheme: Scheme::Heun,
        }
    }

    /// RK4 at step `h`.
    pub fn rk4(h: f64, f: F) -> Self {
        Self {
            f,
            h,
            scheme: Scheme::Rk4,
        }
    }

    /// One step from `(t, y)`.
    pub fn step(&self, t: f64, y: &[f64]) -> Vec<f64> {
        let h = self.h;
        let add = |a: &[f64], b: &[f64], s: f64| -> Vec<f64> {
            a.iter().zip(b).map(|(x, d)| x + s * d).collect()
        };
        match self.scheme {
            Scheme::Heun => {
                let k1 = (self.f)(t, y);
                let k2 = (self.f)(t + h, &add(y, &k1, h));
                y.iter()
                    .enumerate()
                    .map(|(i, x)| x + 0.5 * h * (k1[i] + k2[i]))
                    .collect()
            }
            Scheme::Rk4 => {
                let k1 = (self.f)(t, y);
                let k2 = (self.f)(t + 0.5 * h, &add(y, &k1, 0.5 * h));
                let k3 = (self.f)(t + 0.5 * h, &add(y, &k2, 0.5 * h));
                let k4 = (self.f)(t + h, &add(y, &k3, h));
                y.iter()
                    .enumerate()
                    .map(|(i, x)| x + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
                    .collect()
            }
        }
    }

    /// Integrate from `y0` over `[0, t_end]`; return the final state and the times at which
    /// component `watch` crossed `threshold` upward (linearly interpolated).
    pub fn run(
        &self,
        y0: &[f64],
        t_end: f64,
        watch: usize,
        threshold: f64,
    ) -> (Vec<f64>, Vec<f64>) {
        let mut y = y0.to_vec();
        let mut times = Vec::new();
        let n = (t_end / self.h).round() as usize;
        for k in 0..n {
            let t = k as f64 * self.h;
            let next = self.step(t, &y);
            let (a, b) = (y[watch], next[watch]);
            if a < threshold && b >= threshold {
                times.push(t + self.h * (threshold - a) / (b - a));
            }
            y = next;
        }
        (y, times)
    }

    /// Like [`Reference::run`], sampling component `watch` every `every` steps as well.
    pub fn trace(&self, y0: &[f64], t_end: f64, watch: usize, every: usize) -> Vec<f64> {
        let mut y = y0.to_vec();
        let n = (t_end / self.h).round() as usize;
        let mut out = Vec::with_capacity(n / every.max(1) + 1);
        for k in 0..n {
            if k % every.max(1) == 0 {
                out.push(y[watch]);
            }
            y = self.step(k as f64 * self.h, &y);
        }
        out
    }
}

/// Run a standalone model for `steps` steps with port values `ports(step)`; return the times
/// (step index × `span`, the step's start) of the steps whose output is a spike.
pub fn spike_times<M: Model>(
    n: &mut Standalone<M>,
    steps: usize,
    ports: impl Fn(usize) -> M::Ports,
) -> Vec<f64> {
    let span = n.span();
    (0..steps)
        .filter(|&k| n.advance(ports(k)).event() > 0)
        .map(|k| k as f64 * span)
        .collect()
}

/// Interspike intervals of sorted spike times.
pub fn isis(times: &[f64]) -> Vec<f64> {
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Mean of a slice (NaN if empty).
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Coefficient of variation (standard deviation / mean, population form) of a slice.
pub fn cv(x: &[f64]) -> f64 {
    let m = mean(x);
    let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / x.len() as f64;
    var.sqrt() / m
}

/// Firing rate [Hz] of the spikes in `[t0, t1)` ms.
pub fn rate_hz(times: &[f64], t0: f64, t1: f64) -> f64 {
    times.iter().filter(|&&t| t >= t0 && t < t1).count() as f64 * 1000.0 / (t1 - t0)
}

/// Steady-state rate [Hz] from the mean of the last `k` ISIs (NaN with fewer than two spikes).
pub fn late_rate_hz(times: &[f64], k: usize) -> f64 {
    let i = isis(times);
    let tail = &i[i.len().saturating_sub(k)..];
    1000.0 / mean(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_schemes_have_their_order_on_decay() {
        // dy/dt = −y over t = 1: error ~ h² (Heun) and ~ h⁴ (RK4).
        let err = |r: &dyn Fn(f64) -> f64, h: f64| (r(h) - (-1.0f64).exp()).abs();
        let heun = |h: f64| {
            Reference::heun(h, |_, y: &[f64]| vec![-y[0]])
                .run(&[1.0], 1.0, 0, 9.0)
                .0[0]
        };
        let rk = |h: f64| {
            Reference::rk4(h, |_, y: &[f64]| vec![-y[0]])
                .run(&[1.0], 1.0, 0, 9.0)
                .0[0]
        };
        let r2 = err(&heun, 0.1) / err(&heun, 0.05);
        let r4 = err(&rk, 0.1) / err(&rk, 0.05);
        assert!((3.5..4.5).contains(&r2), "heun ratio {r2}");
        assert!((14.0..18.0).contains(&r4), "rk4 ratio {r4}");
    }

    #[test]
    fn crossing_times_are_interpolated() {
        // y = t crosses 0.55 at t = 0.55, between steps of 0.1.
        let (_, t) = Reference::heun(0.1, |_, _: &[f64]| vec![1.0]).run(&[0.0], 1.0, 0, 0.55);
        assert_eq!(t.len(), 1);
        assert!((t[0] - 0.55).abs() < 1e-12);
        assert_eq!(isis(&[1.0, 3.0, 6.0]), vec![2.0, 3.0]);
        assert!((cv(&[2.0, 2.0]) - 0.0).abs() < 1e-15);
        assert!((rate_hz(&[10.0, 20.0, 30.0], 0.0, 1000.0) - 3.0).abs() < 1e-12);
    }
}
