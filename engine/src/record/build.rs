//! Recorder construction: a scene's recorders (`scene::RecorderSpec`) checked before a run and
//! built into [`Recorders`]. Adding a recorder kind touches the schema, this file, the recording
//! in [`record_system`](super::record_system) and the writers in [`write`](super::write).

use super::{RateRecord, Recorders, SpikeRecord, StateRecord};
use crate::error::{BuildError, unknown};
use crate::model::OutputKind;
use crate::scene::RecorderSpec;
use crate::sim::plan::{Plan, check_neurons, err};

/// Check recorder `i` of the scene against the checked populations.
pub(crate) fn check(plan: &Plan, r: &RecorderSpec, i: usize) -> Result<(), BuildError> {
    let scene = plan.scene;
    let plans = &plan.pops;
    let path = format!("recorders[{i}]");
    match r {
        RecorderSpec::Spikes { target } => {
            let t = plan.find(format!("{path}.target.population"), &target.population)?;
            check_neurons(
                target,
                plans[t].spec.size,
                &format!("{path}.target.neurons"),
            )?;
        }
        RecorderSpec::State {
            target,
            vars,
            interval,
        } => {
            let t = plan.find(format!("{path}.target.population"), &target.population)?;
            check_neurons(
                target,
                plans[t].spec.size,
                &format!("{path}.target.neurons"),
            )?;
            let e = plans[t].entry;
            for (k, v) in vars.iter().enumerate() {
                let ok = e.state_names().contains(&v.as_str())
                    || (v == "out" && e.output() == OutputKind::Value);
                if !ok {
                    return err(
                        format!("{path}.vars[{k}]"),
                        unknown("state variable", v, e.state_names()),
                    );
                }
            }
            if let Some(dt) = interval
                && !(dt.is_finite() && *dt >= scene.dt * (1.0 - 1e-9))
            {
                return err(
                    format!("{path}.interval"),
                    format!("must be >= dt = {} ms, got {dt}", scene.dt),
                );
            }
        }
        RecorderSpec::Rate { population, bin } => {
            plan.find(format!("{path}.population"), population)?;
            if !(bin.is_finite() && *bin >= scene.dt * (1.0 - 1e-9)) {
                return err(
                    format!("{path}.bin"),
                    format!("must be >= dt = {} ms, got {bin}", scene.dt),
                );
            }
        }
    }
    Ok(())
}

/// Build the recorders of a checked scene.
pub(crate) fn build(plan: &Plan) -> Recorders {
    let dt = plan.scene.dt;
    let plans = &plan.pops;
    let index_of = |name: &str| plans.iter().position(|p| p.spec.name == name).unwrap_or(0);
    let mut rec = Recorders::default();
    for r in &plan.scene.recorders {
        match r {
            RecorderSpec::Spikes { target } => {
                let p = index_of(&target.population);
                let filter = target.neurons.as_ref().map(|v| {
                    let mut f = vec![false; plans[p].spec.size as usize];
                    for &i in v {
                        f[i as usize] = true;
                    }
                    f
                });
                rec.spikes.push(SpikeRecord {
                    pop: p,
                    filter,
                    dt,
                    ..Default::default()
                });
            }
            RecorderSpec::State {
                target,
                vars,
                interval,
            } => {
                let p = index_of(&target.population);
                let names = plans[p].entry.state_names();
                let var_idx = vars
                    .iter()
                    .map(|v| names.iter().position(|n| n == v).unwrap_or(usize::MAX))
                    .collect();
                let every = interval.map_or(1, |i| ((i / dt).round() as u64).max(1));
                rec.states.push(StateRecord {
                    pop: p,
                    vars: vars.clone(),
                    var_idx,
                    neurons: target
                        .neurons
                        .clone()
                        .unwrap_or_else(|| (0..plans[p].spec.size).collect()),
                    every,
                    times: Vec::new(),
                    data: Vec::new(),
                });
            }
            RecorderSpec::Rate { population, bin } => {
                let p = index_of(population);
                rec.rates.push(RateRecord {
                    pop: p,
                    size: plans[p].spec.size,
                    bin_steps: ((bin / dt).round() as u64).max(1),
                    dt,
                    count: 0,
                    filled: 0,
                    rates: Vec::new(),
                });
            }
        }
    }
    rec
}
