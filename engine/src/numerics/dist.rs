//! Distributions for per-neuron parameters and initial values, synaptic weights and delays.

use serde::{Deserialize, Serialize};

use super::rng::NeuronRng;

/// A number drawn per neuron (or per synapse).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dist {
    /// Uniform on [low, high).
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal with mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (≥ 0).
        std: f64,
    },
    /// Log-normal: exp(N(mu, sigma)).
    Lognormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm (≥ 0).
        sigma: f64,
    },
    /// Normal, then clipped into [low, high] (values outside are set to the bound, as NEST's
    /// `normal_clipped` and Brian2's `clip(randn()...)` do).
    ClippedNormal {
        /// Mean.
        mean: f64,
        /// Standard deviation (≥ 0).
        std: f64,
        /// Lower bound (may be -inf).
        #[serde(default = "neg_inf")]
        low: f64,
        /// Upper bound (may be inf).
        #[serde(default = "pos_inf")]
        high: f64,
    },
}

fn neg_inf() -> f64 {
    f64::NEG_INFINITY
}
fn pos_inf() -> f64 {
    f64::INFINITY
}

impl Dist {
    /// Draw one value.
    #[inline]
    pub fn sample(&self, rng: &mut NeuronRng) -> f64 {
        match *self {
            Dist::Uniform { low, high } => low + (high - low) * rng.uniform(),
            Dist::Normal { mean, std } => mean + std * rng.normal(),
            Dist::Lognormal { mu, sigma } => (mu + sigma * rng.normal()).exp(),
            Dist::ClippedNormal {
                mean,
                std,
                low,
                high,
            } => (mean + std * rng.normal()).clamp(low, high),
        }
    }

    /// Check the distribution's own parameters; `Err` says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let fin = |n: &str, x: f64| {
            if x.is_finite() {
                Ok(())
            } else {
                Err(format!("`{n}` must be finite, got {x}"))
            }
        };
        match *self {
            Dist::Uniform { low, high } => {
                fin("low", low)?;
                fin("high", high)?;
                if low > high {
                    return Err(format!("uniform needs low <= high, got {low} > {high}"));
                }
            }
            Dist::Normal { mean, std } => {
                fin("mean", mean)?;
                fin("std", std)?;
                if std < 0.0 {
                    return Err(format!("`std` must be >= 0, got {std}"));
                }
            }
            Dist::Lognormal { mu, sigma } => {
                fin("mu", mu)?;
                fin("sigma", sigma)?;
                if sigma < 0.0 {
                    return Err(format!("`sigma` must be >= 0, got {sigma}"));
                }
            }
            Dist::ClippedNormal {
                mean,
                std,
                low,
                high,
            } => {
                fin("mean", mean)?;
                fin("std", std)?;
                if std < 0.0 {
                    return Err(format!("`std` must be >= 0, got {std}"));
                }
                if low.is_nan() || high.is_nan() || low > high {
                    return Err(format!(
                        "clipped_normal needs low <= high, got {low}, {high}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The smallest and largest value a draw can take.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            Dist::Uniform { low, high } => (low, high),
            Dist::Normal { std: 0.0, mean } => (mean, mean),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Lognormal { .. } => (0.0, f64::INFINITY),
            Dist::ClippedNormal { low, high, .. } => (low, high),
        }
    }
}

/// A number per neuron (or per synapse): a constant, a distribution, an explicit list (one value
/// per neuron, inline or loaded from an NPY sidecar file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// The same number everywhere.
    Const(f64),
    /// Drawn per neuron / per synapse.
    Dist(Dist),
    /// One value per neuron, in order.
    List(Vec<f64>),
    /// One value per neuron from a 1-D NPY file (path relative to the scene); the scene
    /// loader replaces it by the list it holds.
    Npy(Npy),
}

/// A reference to an NPY sidecar file: `npy("path.npy")` in a scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Npy {
    /// Path relative to the scene file.
    Npy(String),
}

impl Npy {
    /// The path as written.
    pub fn path(&self) -> &str {
        match self {
            Npy::Npy(p) => p,
        }
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Const(x)
    }
}

impl From<Dist> for Value {
    fn from(d: Dist) -> Self {
        Value::Dist(d)
    }
}

impl From<Vec<f64>> for Value {
    fn from(v: Vec<f64>) -> Self {
        Value::List(v)
    }
}

impl Value {
    /// The value for element `i` (neuron or synapse): the constant, the i-th list entry, or a
    /// draw. An unresolved NPY reference gives NaN (the loader resolves them first).
    #[inline]
    pub fn at(&self, i: usize, rng: &mut NeuronRng) -> f64 {
        match self {
            Value::Const(x) => *x,
            Value::Dist(d) => d.sample(rng),
            Value::List(v) => v.get(i).copied().unwrap_or(f64::NAN),
            Value::Npy(_) => f64::NAN,
        }
    }
    /// The constant, if this is one.
    pub fn as_const(&self) -> Option<f64> {
        match self {
            Value::Const(x) => Some(*x),
            _ => None,
        }
    }
    /// Check: a finite constant, a valid distribution, or finite list entries.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Value::Const(x) if !x.is_finite() => Err(format!("must be finite, got {x}")),
            Value::Const(_) => Ok(()),
            Value::Dist(d) => d.validate(),
            Value::List(v) => match v.iter().position(|x| !x.is_finite()) {
                Some(k) => Err(format!("entry {k} is not finite ({})", v[k])),
                None => Ok(()),
            },
            Value::Npy(f) => Err(format!(
                "the NPY file `{}` was not loaded (load scenes with scene::load)",
                f.path()
            )),
        }
    }
    /// Check that a per-element list has `n` entries.
    pub fn check_len(&self, n: usize) -> Result<(), String> {
        match self {
            Value::List(v) if v.len() != n => {
                Err(format!("has {} values for {n} elements", v.len()))
            }
            _ => Ok(()),
        }
    }
    /// Smallest and largest possible value.
    pub fn bounds(&self) -> (f64, f64) {
        match self {
            Value::Const(x) => (*x, *x),
            Value::Dist(d) => d.bounds(),
            Value::List(v) => v
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                }),
            Value::Npy(_) => (f64::NAN, f64::NAN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipped_normal_respects_its_bounds_and_normal_its_moments() {
        let d = Dist::ClippedNormal {
            mean: 40.0,
            std: 15.0,
            low: 0.0,
            high: f64::INFINITY,
        };
        let n = 50_000u32;
        let xs: Vec<f64> = (0..n)
            .map(|i| d.sample(&mut NeuronRng::new(3, 9, i, 0)))
            .collect();
        assert!(xs.iter().all(|&x| x >= 0.0));
        let m = xs.iter().sum::<f64>() / n as f64;
        // Clipping at 0 (2.67 sd below the mean) raises the mean by only ~0.02.
        assert!((m - 40.0).abs() < 0.3, "mean {m}");
        let u = Dist::Uniform {
            low: -2.0,
            high: 3.0,
        };
        let ys: Vec<f64> = (0..n)
            .map(|i| u.sample(&mut NeuronRng::new(3, 10, i, 0)))
            .collect();
        assert!(ys.iter().all(|&y| (-2.0..3.0).contains(&y)));
        assert!((ys.iter().sum::<f64>() / n as f64 - 0.5).abs() < 0.03);
    }

    #[test]
    fn invalid_distributions_are_refused() {
        assert!(
            Dist::Normal {
                mean: 0.0,
                std: -1.0
            }
            .validate()
            .is_err()
        );
        assert!(
            Dist::Uniform {
                low: 2.0,
                high: 1.0
            }
            .validate()
            .is_err()
        );
        assert!(Value::Const(f64::NAN).validate().is_err());
    }
}
