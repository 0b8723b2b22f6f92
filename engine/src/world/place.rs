//! Placement: where the neurons of a population sit in space (`position` in a scene), checked
//! before a run and computed when the network is built. Random placements are keyed by the
//! population's name, so adding a population elsewhere does not move these neurons.

use crate::error::{BuildError, err};
use crate::numerics::rng::{NeuronRng, stream_of};
use crate::scene::Placement;

/// Check a placement of `size` neurons (`path` names it in errors).
pub fn check_placement(pl: &Placement, size: u32, path: &str) -> Result<(), BuildError> {
    let fin3 = |n: &str, (x, y, z): (f64, f64, f64)| {
        if [x, y, z].iter().all(|v| v.is_finite()) {
            Ok(())
        } else {
            err(
                format!("{path}.{n}"),
                format!("must be finite, got ({x}, {y}, {z})"),
            )
        }
    };
    match pl {
        Placement::Grid {
            shape,
            spacing,
            origin,
        } => {
            let n = shape.0 as u128 * shape.1 as u128 * shape.2 as u128;
            if n != size as u128 {
                return err(
                    format!("{path}.shape"),
                    format!(
                        "{}×{}×{} = {n} points for {size} neurons",
                        shape.0, shape.1, shape.2
                    ),
                );
            }
            fin3("spacing", *spacing)?;
            fin3("origin", *origin)
        }
        Placement::Box { min, max } => {
            fin3("min", *min)?;
            fin3("max", *max)?;
            if min.0 > max.0 || min.1 > max.1 || min.2 > max.2 {
                return err(path, "box needs min <= max on every axis");
            }
            Ok(())
        }
        Placement::Sphere { center, radius } => {
            fin3("center", *center)?;
            if !(radius.is_finite() && *radius >= 0.0) {
                return err(
                    format!("{path}.radius"),
                    format!("must be >= 0, got {radius}"),
                );
            }
            Ok(())
        }
        Placement::List(v) => {
            if v.len() != size as usize {
                return err(path, format!("{} positions for {size} neurons", v.len()));
            }
            for (k, p) in v.iter().enumerate() {
                fin3(&format!("[{k}]"), *p)?;
            }
            Ok(())
        }
        Placement::Npy(f) => err(
            path,
            format!("the NPY file `{f}` was not loaded (load scenes with scene::load)"),
        ),
    }
}

/// Positions of `n` neurons placed by `pl` (random placements keyed by population name).
pub fn place(pl: &Placement, n: u32, name: &str, seed: u64) -> Vec<glam::Vec3> {
    let v3 = |(x, y, z): (f64, f64, f64)| glam::Vec3::new(x as f32, y as f32, z as f32);
    let stream = stream_of(&format!("{name}/position"));
    match pl {
        Placement::Grid {
            shape,
            spacing,
            origin,
        } => (0..n)
            .map(|i| {
                let (nx, ny) = (shape.0.max(1), shape.1.max(1));
                let (x, y, z) = (i % nx, (i / nx) % ny, i / (nx * ny));
                v3((
                    origin.0 + x as f64 * spacing.0,
                    origin.1 + y as f64 * spacing.1,
                    origin.2 + z as f64 * spacing.2,
                ))
            })
            .collect(),
        Placement::Box { min, max } => (0..n)
            .map(|i| {
                let mut r = NeuronRng::new(seed, stream, i, 0);
                v3((
                    min.0 + (max.0 - min.0) * r.uniform(),
                    min.1 + (max.1 - min.1) * r.uniform(),
                    min.2 + (max.2 - min.2) * r.uniform(),
                ))
            })
            .collect(),
        Placement::Sphere { center, radius } => (0..n)
            .map(|i| {
                // Rejection from the enclosing cube: uniform in the ball.
                let mut r = NeuronRng::new(seed, stream, i, 0);
                loop {
                    let (x, y, z) = (
                        2.0 * r.uniform() - 1.0,
                        2.0 * r.uniform() - 1.0,
                        2.0 * r.uniform() - 1.0,
                    );
                    if x * x + y * y + z * z <= 1.0 {
                        break v3((
                            center.0 + radius * x,
                            center.1 + radius * y,
                            center.2 + radius * z,
                        ));
                    }
                }
            })
            .collect(),
        Placement::List(v) => v.iter().map(|&p| v3(p)).collect(),
        Placement::Npy(_) => vec![glam::Vec3::ZERO; n as usize],
    }
}
