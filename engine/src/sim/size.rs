//! The size of a checked network (neurons, synapses, bytes, pair work of distance rules) and
//! the refusal of networks that would not fit in memory or take too long to build.

use super::plan::{Plan, err, sides_of};
use crate::error::BuildError;
use crate::numerics::dist::Value;
use crate::synapse::connect;

/// Sizes of a validated network, before it is built.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetworkSize {
    /// Neurons.
    pub neurons: u64,
    /// Synapses (expected value for random rules).
    pub synapses: f64,
    /// Estimated memory, bytes.
    pub bytes: f64,
    /// Pair evaluations of distance-dependent rules.
    pub pair_work: f64,
}

/// Options of [`Simulation::from_scene_with`].
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Refuse networks estimated to need more bytes than this (`None`: no limit).
    pub memory_limit: Option<f64>,
}

impl Default for BuildOptions {
    /// The limit of [`memory_limit`].
    fn default() -> Self {
        Self {
            memory_limit: memory_limit(),
        }
    }
}

/// Most pair evaluations distance-dependent rules may cost (about a minute of building).
pub const MAX_PAIR_WORK: f64 = 2e10;

/// Memory a network may use: `$NEUROCORE_MEMORY_LIMIT` (bytes), else the memory the system
/// reports available (Linux `/proc/meminfo`), else no limit.
pub fn memory_limit() -> Option<f64> {
    if let Ok(v) = std::env::var("NEUROCORE_MEMORY_LIMIT")
        && let Ok(x) = v.trim().parse::<f64>()
    {
        return Some(x);
    }
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

/// Refuse a network that would not fit in memory or whose distance rules would take too long
/// to build, with the estimate.
pub(crate) fn refuse_oversize(size: &NetworkSize, opts: &BuildOptions) -> Result<(), BuildError> {
    if let Some(limit) = opts.memory_limit
        && size.bytes > limit
    {
        return err(
            "populations",
            format!(
                "the network needs about {:.1} GB ({} neurons, {:.3e} synapses), more than the {:.1} GB available",
                size.bytes / 1e9,
                size.neurons,
                size.synapses,
                limit / 1e9
            ),
        );
    }
    if size.pair_work > MAX_PAIR_WORK {
        return err(
            "projections",
            format!(
                "distance-dependent rules would test {:.3e} pairs (more than {MAX_PAIR_WORK:.0e}); use smaller populations or split them",
                size.pair_work
            ),
        );
    }
    Ok(())
}

pub(crate) fn estimate(plan: &Plan) -> NetworkSize {
    let (scene, plans) = (plan.scene, &plan.pops);
    let mut size = NetworkSize::default();
    let mut max_delay = vec![1.0f64; plans.len()];
    let mut channels = vec![0usize; plans.len()];
    for (i, p) in plans.iter().enumerate() {
        size.neurons += p.spec.size as u64;
        let nstate = p.entry.state_names().len() + p.entry.ports().len() + 4;
        size.bytes += p.spec.size as f64 * (nstate as f64 * 8.0 + 16.0);
        channels[i] = p.spec.receptors.len();
    }
    for pr in &scene.projections {
        let (Some(s), Some(t)) = (
            plans.iter().position(|p| p.spec.name == pr.source),
            plans.iter().position(|p| p.spec.name == pr.target),
        ) else {
            continue;
        };
        let sides = sides_of(pr, &plans[s], &plans[t], s == t);
        let n = connect::expected_synapses(&pr.rule, sides);
        size.pair_work += connect::pair_work(&pr.rule, sides);
        size.synapses += n;
        let per =
            4.0 + if pr.weight.as_const().is_some() {
                0.0
            } else {
                4.0
            } + if matches!(pr.delay, Some(Value::Dist(_))) {
                2.0
            } else {
                0.0
            };
        // Building also needs a transient copy for fixed_indegree; count the final tables.
        size.bytes += n * per + plans[s].spec.size as f64 * 8.0;
        if let Some(d) = &pr.delay {
            max_delay[t] = max_delay[t].max((d.bounds().1 / scene.dt).round());
        }
        channels[t] += 1;
    }
    for (i, p) in plans.iter().enumerate() {
        size.bytes += p.spec.size as f64 * 8.0 * (max_delay[i] + 1.0) * channels[i].max(1) as f64;
    }
    size
}
