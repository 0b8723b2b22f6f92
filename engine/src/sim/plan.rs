//! Validation: a scene becomes a checked plan ([`Plan`]) before anything is built. Everything
//! that can be checked before a run is checked here (or by the module that owns the item:
//! receptors in `synapse::receptor`, connection rules in `synapse::connect`, stimuli in
//! `input::build`, recorders in `record::build`, placements in `world::place`), and every error
//! names the path of the offending item (`populations[2].params.tau_m`).

pub(crate) use crate::error::err;
use crate::error::{BuildError, finite, unknown};
use crate::numerics::dist::Value;
use crate::registry::{ModelEntry, Registry};
use crate::scene::{PopulationSpec, ProjectionSpec, Scene, StimulusSpec, Target};
use crate::synapse::connect::{self, Sides};

/// Shortest step a scene may use, ms (1 ns).
pub const MIN_DT: f64 = 1e-6;

/// Longest population name, bytes (names become output file names).
pub const MAX_NAME: usize = 128;

/// Most steps a scene's duration may span (10¹²: days of wall time even for a tiny network).
pub const MAX_STEPS: f64 = 1e12;

/// A resolved input channel of a population.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ChannelRef {
    /// The population's receptor with this index.
    Receptor(usize),
    /// The model's input port with this index.
    Port(usize),
}

/// One checked population: its spec, its model and its first id.
pub(crate) struct PopPlan<'a> {
    /// The scene's entry.
    pub spec: &'a PopulationSpec,
    /// Its model.
    pub entry: &'a dyn ModelEntry,
    /// First neuron id.
    pub start: u32,
}

/// A checked scene: the populations with their models and id ranges, in scene order.
pub(crate) struct Plan<'a> {
    /// The scene.
    pub scene: &'a Scene,
    /// Its populations.
    pub pops: Vec<PopPlan<'a>>,
}

impl Plan<'_> {
    /// Index of a population by name, or an error at `path` listing the names.
    pub fn find(&self, path: String, name: &str) -> Result<usize, BuildError> {
        self.pops
            .iter()
            .position(|p| p.spec.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.pops.iter().map(|p| p.spec.name.as_str()).collect();
                BuildError::new(path, unknown("population", name, &names))
            })
    }
}

/// Validate a whole scene: settings, populations, projections, stimuli, recorders.
pub(crate) fn validate<'a>(scene: &'a Scene, reg: &'a Registry) -> Result<Plan<'a>, BuildError> {
    check_settings(scene)?;
    let mut plan = Plan {
        scene,
        pops: Vec::new(),
    };
    let mut next: u64 = 0;
    for (i, p) in scene.populations.iter().enumerate() {
        let entry = check_population(&plan, p, i, next, reg)?;
        plan.pops.push(PopPlan {
            spec: p,
            entry,
            start: next as u32,
        });
        next += p.size as u64;
    }
    for (i, pr) in scene.projections.iter().enumerate() {
        check_projection(&plan, pr, i)?;
    }
    for (i, st) in scene.stimuli.iter().enumerate() {
        check_stimulus(&plan, st, i)?;
    }
    for (i, r) in scene.recorders.iter().enumerate() {
        crate::record::build::check(&plan, r, i)?;
    }
    Ok(plan)
}

/// Step, duration and threads.
fn check_settings(scene: &Scene) -> Result<(), BuildError> {
    if !(scene.dt.is_finite() && scene.dt > 0.0) {
        return err(
            "dt",
            format!("must be a positive number of ms, got {}", scene.dt),
        );
    }
    if scene.dt < MIN_DT {
        return err(
            "dt",
            format!("must be at least {MIN_DT} ms (1 ns), got {}", scene.dt),
        );
    }
    if !(scene.duration.is_finite() && scene.duration >= 0.0) {
        return err(
            "duration",
            format!(
                "must be a non-negative number of ms, got {}",
                scene.duration
            ),
        );
    }
    if scene.duration / scene.dt > MAX_STEPS {
        return err(
            "duration",
            format!(
                "{} ms at dt = {} ms is {:.3e} steps, more than {MAX_STEPS:.0e}",
                scene.duration,
                scene.dt,
                scene.duration / scene.dt
            ),
        );
    }
    if scene.threads == 0 || scene.threads > 1024 {
        return err(
            "threads",
            format!("must be between 1 and 1024, got {}", scene.threads),
        );
    }
    Ok(())
}

/// Population `i` (`next` = its first id); returns its model.
fn check_population<'a>(
    plan: &Plan,
    p: &PopulationSpec,
    i: usize,
    next: u64,
    reg: &'a Registry,
) -> Result<&'a dyn ModelEntry, BuildError> {
    let path = format!("populations[{i}]");
    if p.name.is_empty() {
        return err(format!("{path}.name"), "must not be empty");
    }
    // Output file names are built from population names (`trace_<name>_<var>.npy`); file
    // systems allow 255 bytes.
    if p.name.len() > MAX_NAME {
        return err(
            format!("{path}.name"),
            format!(
                "is {} bytes long; population names become output file names and may have at most {MAX_NAME}",
                p.name.len()
            ),
        );
    }
    if plan.pops.iter().any(|q| q.spec.name == p.name) {
        return err(
            format!("{path}.name"),
            format!("population `{}` is defined twice", p.name),
        );
    }
    let Some(entry) = reg.get(&p.model) else {
        return err(
            format!("{path}.model"),
            unknown("model", &p.model, &reg.names()),
        );
    };
    if p.size == 0 {
        return err(format!("{path}.size"), "must be at least 1");
    }
    if next + p.size as u64 > u32::MAX as u64 {
        return err(
            format!("{path}.size"),
            "the network exceeds 2^32 - 1 neurons",
        );
    }
    entry.check_params(&p.params, &format!("{path}.params"))?;
    for (k, v) in &p.init {
        let is_receptor = p.receptors.iter().any(|r| &r.name == k);
        if !entry.state_names().contains(&k.as_str()) && !is_receptor {
            let mut names: Vec<&str> = entry.state_names().to_vec();
            names.extend(p.receptors.iter().map(|r| r.name.as_str()));
            return err(
                format!("{path}.init.{k}"),
                format!(
                    "{} of {} (state variables and receptors)",
                    unknown("state variable", k, &names),
                    p.model
                ),
            );
        }
        v.validate()
            .and_then(|_| v.check_len(p.size as usize))
            .map_err(|m| BuildError::new(format!("{path}.init.{k}"), m))?;
    }
    for r in 0..p.receptors.len() {
        crate::synapse::receptor::check(p, r, entry, &path)?;
    }
    if let Some(pl) = &p.position {
        crate::world::place::check_placement(pl, p.size, &format!("{path}.position"))?;
    }
    Ok(entry)
}

/// Projection `i`.
fn check_projection(plan: &Plan, pr: &ProjectionSpec, i: usize) -> Result<(), BuildError> {
    let scene = plan.scene;
    let plans = &plan.pops;
    let path = format!("projections[{i}]");
    let s = plan.find(format!("{path}.source"), &pr.source)?;
    let t = plan.find(format!("{path}.target"), &pr.target)?;
    let sides = sides_of(pr, &plans[s], &plans[t], s == t);
    connect::check_rule(&pr.rule, sides).map_err(|m| BuildError::new(format!("{path}.rule"), m))?;
    let ch = resolve_channel(&plans[t], pr.receptor.as_deref(), pr.port.as_deref(), &path)?;
    pr.weight
        .validate()
        .map_err(|m| BuildError::new(format!("{path}.weight"), m))?;
    for (what, v) in [("weight", Some(&pr.weight)), ("delay", pr.delay.as_ref())] {
        if let Some(Value::List(_) | Value::Npy(_)) = v {
            return err(
                format!("{path}.{what}"),
                "per-synapse lists belong in the explicit rule (`explicit` or `from_npy`)",
            );
        }
    }
    let spatial = matches!(pr.rule, crate::scene::Rule::Distance { .. });
    if spatial || pr.weight_profile.is_some() {
        for (side, k) in [("source", s), ("target", t)] {
            if plans[k].spec.position.is_none() {
                return err(
                    format!("{path}.{side}"),
                    format!(
                        "population `{}` has no `position`, which a distance-dependent rule or weight needs",
                        plans[k].spec.name
                    ),
                );
            }
        }
    }
    if let Some(wp) = &pr.weight_profile {
        wp.validate()
            .map_err(|m| BuildError::new(format!("{path}.weight_profile"), m))?;
    }
    if let ChannelRef::Receptor(r) = ch
        && plans[t].spec.receptors[r].kind.is_conductance()
    {
        let (lo, _) = pr.weight.bounds();
        let explicit_neg = matches!(&pr.rule, crate::scene::Rule::Explicit { weights: Some(w), .. } if w.iter().any(|&x| x < 0.0));
        if lo < 0.0 || explicit_neg {
            return err(
                format!("{path}.weight"),
                "conductance weights must be >= 0 (use a clipped distribution); inhibition comes from the reversal potential",
            );
        }
    }
    if let crate::scene::Rule::Explicit {
        weights, delays, ..
    } = &pr.rule
    {
        if let Some(w) = weights
            && let Some(k) = w.iter().position(|x| !x.is_finite())
        {
            return err(format!("{path}.rule.weights[{k}]"), "must be finite");
        }
        // Checked whether or not the rule has weights (issue 13: they used to be skipped).
        let max = u16::MAX as f64 * scene.dt;
        if let Some(d) = delays
            && let Some(k) = d.iter().position(|&x| {
                !(x.is_finite() && x >= scene.dt * (1.0 - 1e-9) && x <= max * (1.0 + 1e-9))
            })
        {
            return err(
                format!("{path}.rule.delays[{k}]"),
                format!(
                    "must be between dt = {} ms and {max} ms (65535 steps, the longest delay the engine holds), got {}",
                    scene.dt, d[k]
                ),
            );
        }
    }
    check_delay(pr, scene.dt, &path)?;
    check_synapse(plans, pr, s, t, &path)
}

/// A projection's synapse model: its parameters, its weights against them, and populations
/// that can carry it (spiking source; spiking target for a weight rule).
fn check_synapse(
    plans: &[PopPlan],
    pr: &ProjectionSpec,
    s: usize,
    t: usize,
    path: &str,
) -> Result<(), BuildError> {
    use crate::synapse::plastic;
    let (rule, stp) = plastic::rules_of(&pr.synapse);
    if rule.is_none() && stp.is_none() {
        return Ok(());
    }
    let (mut lo, mut hi) = pr.weight.bounds();
    if let crate::scene::Rule::Explicit {
        weights: Some(w), ..
    } = &pr.rule
    {
        lo = w.iter().copied().fold(f64::INFINITY, f64::min);
        hi = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    if lo > hi {
        (lo, hi) = (0.0, 0.0);
    }
    plastic::check(&pr.synapse, lo, hi)
        .map_err(|(f, m)| BuildError::new(format!("{path}.synapse.{f}"), m))?;
    if plans[s].entry.output() == crate::model::OutputKind::Value {
        return err(
            format!("{path}.synapse"),
            format!(
                "population `{}` emits values, not spikes; plastic synapses need a spiking source",
                pr.source
            ),
        );
    }
    if rule.is_some() && plans[t].entry.output() == crate::model::OutputKind::Value {
        return err(
            format!("{path}.synapse"),
            format!(
                "population `{}` emits values, not spikes; spike-timing rules need a spiking target",
                pr.target
            ),
        );
    }
    Ok(())
}

/// A projection's delay distribution: at least one step, at most what a u16 step count holds.
fn check_delay(pr: &ProjectionSpec, dt: f64, path: &str) -> Result<(), BuildError> {
    if let Some(d) = &pr.delay {
        d.validate()
            .map_err(|m| BuildError::new(format!("{path}.delay"), m))?;
        let (lo, hi) = d.bounds();
        if lo < dt * (1.0 - 1e-9) {
            return err(
                format!("{path}.delay"),
                format!(
                    "delays must be >= dt = {} ms (the network acts one step later at the earliest), got {}",
                    dt,
                    if lo.is_finite() {
                        lo.to_string()
                    } else {
                        "an unbounded distribution".into()
                    }
                ),
            );
        }
        if hi / dt > u16::MAX as f64 {
            return err(
                format!("{path}.delay"),
                format!("delays above {} ms are not supported", u16::MAX as f64 * dt),
            );
        }
    }
    Ok(())
}

/// Stimulus `i` (its target and channel here, its kind in `input::build`).
fn check_stimulus(plan: &Plan, st: &StimulusSpec, i: usize) -> Result<(), BuildError> {
    let scene = plan.scene;
    let plans = &plan.pops;
    let path = format!("stimuli[{i}]");
    let t = plan.find(format!("{path}.target.population"), &st.target.population)?;
    check_neurons(
        &st.target,
        plans[t].spec.size,
        &format!("{path}.target.neurons"),
    )?;
    finite(&format!("{path}.start"), st.start)?;
    if st.start < 0.0 {
        return err(format!("{path}.start"), "must be >= 0 ms");
    }
    if let Some(stop) = st.stop
        && (stop.is_nan() || stop < st.start)
    {
        return err(
            format!("{path}.stop"),
            format!("must be >= start ({}), got {stop}", st.start),
        );
    }
    if crate::input::build::is_event(&st.kind) {
        resolve_channel(&plans[t], st.receptor.as_deref(), st.port.as_deref(), &path)?;
    } else {
        if st.receptor.is_some() {
            return err(
                format!("{path}.receptor"),
                "current stimuli act on a port, not a receptor",
            );
        }
        resolve_port(plans[t].entry, st.port.as_deref(), &format!("{path}.port"))?;
    }
    crate::input::build::check(&st.kind, scene.dt, &format!("{path}.kind"))?;
    Ok(())
}

pub(crate) fn check_neurons(t: &Target, size: u32, path: &str) -> Result<(), BuildError> {
    if let Some(v) = &t.neurons {
        if let Some(k) = v.iter().position(|&i| i >= size) {
            return err(
                format!("{path}[{k}]"),
                format!(
                    "neuron {} is out of range: the population has {size} (0..{size})",
                    v[k]
                ),
            );
        }
        let mut s = v.clone();
        s.sort_unstable();
        s.dedup();
        if s.len() != v.len() {
            return err(path, "lists a neuron twice");
        }
    }
    Ok(())
}

pub(crate) fn resolve_port(
    e: &dyn ModelEntry,
    port: Option<&str>,
    path: &str,
) -> Result<usize, BuildError> {
    match port {
        Some(p) => e.ports().iter().position(|x| *x == p).ok_or_else(|| {
            BuildError::new(
                path,
                format!("{} of {}", unknown("port", p, e.ports()), e.name()),
            )
        }),
        None if e.ports().is_empty() => err(path, format!("{} has no input port", e.name())),
        None => Ok(0),
    }
}

pub(crate) fn resolve_channel(
    plan: &PopPlan,
    receptor: Option<&str>,
    port: Option<&str>,
    path: &str,
) -> Result<ChannelRef, BuildError> {
    let recs: Vec<&str> = plan
        .spec
        .receptors
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    match (receptor, port) {
        (Some(_), Some(_)) => err(path, "name a receptor or a port, not both"),
        (Some(r), None) => recs
            .iter()
            .position(|x| *x == r)
            .map(ChannelRef::Receptor)
            .ok_or_else(|| {
                BuildError::new(
                    format!("{path}.receptor"),
                    format!(
                        "{} of population `{}`",
                        unknown("receptor", r, &recs),
                        plan.spec.name
                    ),
                )
            }),
        (None, Some(p)) => {
            resolve_port(plan.entry, Some(p), &format!("{path}.port")).map(ChannelRef::Port)
        }
        (None, None) if recs.len() == 1 => Ok(ChannelRef::Receptor(0)),
        (None, None) if recs.is_empty() && !plan.entry.ports().is_empty() => {
            Ok(ChannelRef::Port(0))
        }
        (None, None) => err(
            path,
            format!(
                "population `{}` has several receptors ({}); name one with `receptor`",
                plan.spec.name,
                recs.join(", ")
            ),
        ),
    }
}

pub(crate) fn sides_of(pr: &ProjectionSpec, s: &PopPlan, t: &PopPlan, same: bool) -> Sides {
    Sides {
        n_src: s.spec.size,
        n_tgt: t.spec.size,
        same,
        autapses: pr.autapses,
        multapses: pr.multapses,
    }
}
