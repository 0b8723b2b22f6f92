//! A pre-run stability probe: for each population whose model has a substep parameter, one
//! standalone neuron with the population's (constant) parameters is advanced at the scene's
//! `dt` for [`PROBE_MS`] under the model's typical drive. If its state turns non-finite, the run
//! would very likely stop on the watchdog, and `neurocore check` / `run` say so before the run
//! starts. The probe is a warning, not a refusal: a network's inputs differ from the typical
//! drive, and a stable probe proves nothing about them.

use crate::registry::Registry;
use crate::scene::{ParamValue, Scene};

/// Biological time each probe runs, ms.
pub const PROBE_MS: f64 = 200.0;

/// One warning per population whose probe neuron went non-finite.
pub fn stability_warnings(scene: &Scene, registry: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in scene.populations.iter().enumerate() {
        let Some(entry) = registry.get(&p.model) else {
            continue;
        };
        let Some(sub) = entry.substep_param() else {
            continue;
        };
        // Per-neuron draws are left at their defaults for the probe.
        let constants = p
            .params
            .iter()
            .filter(|(_, v)| {
                matches!(
                    v,
                    ParamValue::Num(_) | ParamValue::Text(_) | ParamValue::Bool(_)
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let Ok(mut n) = entry.standalone(&constants, Some(scene.dt)) else {
            continue;
        };
        let steps = (PROBE_MS / scene.dt).round() as u64;
        let drive = entry.drive();
        for k in 0..steps {
            n.step_ports(drive);
            if n.get_state().values.iter().any(|x| !x.is_finite()) {
                let h = match p.params.get(sub) {
                    Some(ParamValue::Num(x)) => x.to_string(),
                    _ => entry
                        .default_params()
                        .into_iter()
                        .find(|(f, _)| *f == sub)
                        .map_or_else(|| "?".into(), |(_, v)| v),
                };
                out.push(format!(
                    "populations[{i}] (`{}`, {}): one neuron with these parameters at dt = {} ms and its typical drive {:?} goes non-finite after {} ms; the substep `{sub}` = {h} ms is probably too large for this model (the run would stop on the NaN watchdog)",
                    p.name,
                    p.model,
                    scene.dt,
                    drive,
                    (k + 1) as f64 * scene.dt
                ));
                break;
            }
        }
    }
    out
}
