//! Building: a checked plan becomes entities and resources in a World — populations (spawned by
//! their models' entries), receptor and port channels, projections, stimuli and recorders.

use bevy_ecs::prelude::*;
use bevy_tasks::{ComputeTaskPool, TaskPoolBuilder};

use super::network::NetworkInfo;
use super::plan::{ChannelRef, Plan, PopPlan, err, resolve_channel, resolve_port, sides_of};
use crate::error::BuildError;
use crate::input::{StimRt, StimTarget, Stimuli, build as stim};
use crate::model::OutputKind;
use crate::numerics::rng::stream_of;
use crate::scene::ProjectionSpec;
use crate::synapse::connect;
use crate::synapse::plastic::{self, Plastic};
use crate::synapse::{Channel, ChannelKind, PopSynapses, Projection, Synapses, Weights, receptor};
use crate::world::place::place;
use crate::world::{Clock, Inputs, Populations, SpawnRequest, StepSpikes, StepValues};

/// Build a checked plan into `world`: the network's entities and resources, and its
/// [`NetworkInfo`].
pub(crate) fn build_into(world: &mut World, plan: &Plan) -> Result<(), BuildError> {
    let scene = plan.scene;
    let (dt, seed) = (scene.dt, scene.seed);
    world.insert_resource(Clock {
        step: 0,
        dt,
        seed,
        threads: scene.threads,
        par_min: crate::world::integrate::PAR_MIN_NEURONS,
    });
    if scene.threads > 1 {
        // The compute pool is process-wide: the first simulation that asks for threads sizes it.
        ComputeTaskPool::get_or_init(|| TaskPoolBuilder::new().num_threads(scene.threads).build());
    }
    let positions: Vec<Option<Vec<glam::Vec3>>> = plan
        .pops
        .iter()
        .map(|p| {
            p.spec
                .position
                .as_ref()
                .map(|pl| place(pl, p.spec.size, &p.spec.name, seed))
        })
        .collect();
    let (mut pops, mut info) = spawn_populations(world, plan, &positions)?;
    let mut syn = receptor_channels(plan);
    syn.by_source = vec![Vec::new(); plan.pops.len()];
    for (i, pr) in scene.projections.iter().enumerate() {
        build_projection(&mut syn, plan, &positions, pr, i)?;
    }
    if syn.projections.iter().any(|p| p.plastic.is_some()) {
        info.systems.push(plastic::add_system);
    }
    info.n_synapses = syn.projections.iter().map(|p| p.len()).sum();
    info.synapse_bytes = syn.projections.iter().map(|p| p.bytes()).sum();
    let mut stims = build_stimuli(&mut syn, plan)?;
    mark_held(&mut syn, &mut stims);
    // Rings: slots × n per channel.
    for ps in &mut syn.pops {
        for ch in &mut ps.channels {
            ch.ring = vec![0.0; ps.slots * ps.n];
        }
    }
    let values = StepValues {
        pops: pops
            .list
            .iter()
            .map(|p| {
                if p.output == OutputKind::Value {
                    vec![0.0; p.len as usize]
                } else {
                    Vec::new()
                }
            })
            .collect(),
    };
    for (pi, p) in pops.list.iter_mut().zip(positions) {
        pi.positions = p;
    }
    info.duration = scene.duration;
    info.scene_hash = super::checkpoint::scene_hash(scene);
    let mut dog = crate::world::watchdog::Watchdog::new(dt, 10.0);
    dog.substeps = plan.pops.iter().map(substep_of).collect();
    world.insert_resource(dog);
    world.insert_resource(pops);
    world.insert_resource(Inputs::default());
    world.insert_resource(syn);
    world.insert_resource(stims);
    world.insert_resource(crate::record::build::build(plan));
    world.insert_resource(values);
    world.insert_resource(StepSpikes::default());
    world.insert_resource(info);
    Ok(())
}

/// The model's substep parameter of a population and its value (the scene's, else the
/// default), for the watchdog's hint.
fn substep_of(p: &PopPlan) -> Option<(&'static str, f64)> {
    let name = p.entry.substep_param()?;
    let value = match p.spec.params.get(name) {
        Some(crate::scene::ParamValue::Num(x)) => *x,
        _ => p
            .entry
            .default_params()
            .into_iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.parse().ok())?,
    };
    Some((name, value))
}

/// Spawn every population; return them and the network's per-population functions.
fn spawn_populations(
    world: &mut World,
    plan: &Plan,
    positions: &[Option<Vec<glam::Vec3>>],
) -> Result<(Populations, NetworkInfo), BuildError> {
    let mut pops = Populations::default();
    let mut info = NetworkInfo::default();
    let mut models: Vec<&'static str> = Vec::new();
    for (i, p) in plan.pops.iter().enumerate() {
        let receptor_names: Vec<&str> = p.spec.receptors.iter().map(|r| r.name.as_str()).collect();
        let req = SpawnRequest {
            pop: i,
            name: &p.spec.name,
            start: p.start,
            size: p.spec.size,
            params: &p.spec.params,
            init: &p.spec.init,
            positions: positions[i].as_deref(),
            receptors: &receptor_names,
            dt: plan.scene.dt,
            seed: plan.scene.seed,
            path: &format!("populations[{i}]"),
        };
        pops.list.push(p.entry.spawn(world, &req)?);
        info.readers.push(p.entry.reader());
        info.writers.push(p.entry.writer());
        info.word_readers.push(p.entry.word_reader());
        info.word_writers.push(p.entry.word_writer());
        info.state_words.push(p.entry.state_words());
        if !models.contains(&p.entry.name()) {
            models.push(p.entry.name());
            info.systems.push(p.entry.system_adder());
            info.recorders.push(p.entry.recorder_adder());
        }
    }
    Ok((pops, info))
}

/// Every population's receptor channels (port channels are appended when something targets a
/// port).
fn receptor_channels(plan: &Plan) -> Synapses {
    let mut syn = Synapses::default();
    for p in &plan.pops {
        let mut ps = PopSynapses {
            n: p.spec.size as usize,
            slots: 1,
            channels: Vec::new(),
            bias: vec![0.0; p.entry.ports().len()],
            held: Vec::new(),
            dc: vec![0.0; p.entry.ports().len()],
        };
        for (r, rec) in p.spec.receptors.iter().enumerate() {
            ps.channels.push(Channel {
                name: rec.name.clone(),
                kind: receptor::channel(
                    p.spec,
                    r,
                    p.entry,
                    p.start,
                    plan.scene.dt,
                    plan.scene.seed,
                ),
                ring: Vec::new(),
                fed: true,
            });
        }
        syn.pops.push(ps);
    }
    syn
}

/// The channel index of `c` in population `t`, appending a port channel the first time a port
/// is targeted.
fn channel_of(syn: &mut Synapses, plans: &[PopPlan], t: usize, c: &ChannelRef) -> usize {
    match c {
        ChannelRef::Receptor(r) => *r,
        ChannelRef::Port(p) => {
            let ps = &mut syn.pops[t];
            if let Some(i) = ps
                .channels
                .iter()
                .position(|ch| matches!(ch.kind, ChannelKind::Port { port } if port == *p))
            {
                return i;
            }
            ps.channels.push(Channel {
                name: format!("port:{}", plans[t].entry.ports()[*p]),
                kind: ChannelKind::Port { port: *p },
                ring: Vec::new(),
                fed: true,
            });
            ps.channels.len() - 1
        }
    }
}

/// Build projection `i`: its CSR table, weights (scaled by a distance profile if it has one)
/// and delays.
fn build_projection(
    syn: &mut Synapses,
    plan: &Plan,
    positions: &[Option<Vec<glam::Vec3>>],
    pr: &ProjectionSpec,
    i: usize,
) -> Result<(), BuildError> {
    let (dt, seed) = (plan.scene.dt, plan.scene.seed);
    let plans = &plan.pops;
    let path = format!("projections[{i}]");
    let s = plans
        .iter()
        .position(|p| p.spec.name == pr.source)
        .unwrap_or(0);
    let t = plans
        .iter()
        .position(|p| p.spec.name == pr.target)
        .unwrap_or(0);
    let cref = resolve_channel(&plans[t], pr.receptor.as_deref(), pr.port.as_deref(), &path)?;
    let channel = channel_of(syn, plans, t, &cref);
    let name = pr
        .name
        .clone()
        .unwrap_or_else(|| format!("{}->{}#{i}", pr.source, pr.target));
    let stream = stream_of(&format!("projection/{name}"));
    let sides = sides_of(pr, &plans[s], &plans[t], s == t);
    let pos = match (&positions[s], &positions[t]) {
        (Some(a), Some(b)) => Some((&a[..], &b[..])),
        _ => None,
    };
    let csr = connect::build(&pr.rule, sides, seed, stream, pos);
    let mut weights = connect::draw_weights(&csr, &pr.weight, seed, stream);
    if let Weights::PerSynapse(w) = &weights
        && let Some(k) = w.iter().position(|x| !x.is_finite())
    {
        return err(
            format!("{path}.weight"),
            format!(
                "synapse {k} drew {}; drawn weights must be finite like constants",
                w[k]
            ),
        );
    }
    if let (Some(wp), Some((a, b))) = (&pr.weight_profile, pos) {
        // Scale each synapse's weight by the profile of its distance.
        let periodic = match &pr.rule {
            crate::scene::Rule::Distance { periodic, .. } => *periodic,
            _ => None,
        };
        let mut w: Vec<f32> = match weights {
            Weights::Const(c) => vec![c as f32; csr.targets.len()],
            Weights::PerSynapse(v) => v,
        };
        for (r, &pa) in a.iter().enumerate().take(csr.row_ptr.len() - 1) {
            for k in csr.row_ptr[r]..csr.row_ptr[r + 1] {
                let d = connect::distance(pa, b[csr.targets[k] as usize], periodic);
                w[k] = (w[k] as f64 * wp.at(d)) as f32;
            }
        }
        weights = Weights::PerSynapse(w);
    }
    if let ChannelRef::Receptor(r) = cref
        && plans[t].spec.receptors[r].kind.is_conductance()
        && let Weights::PerSynapse(w) = &weights
        && w.iter().any(|&x| x < 0.0)
    {
        return err(
            format!("{path}.weight"),
            "drew a negative conductance weight",
        );
    }
    let delays = connect::draw_delays(&csr, pr.delay.as_ref(), dt, seed, stream);
    let proj = Projection {
        name,
        src: s,
        tgt: t,
        channel,
        row_ptr: csr.row_ptr,
        targets: csr.targets,
        weights,
        delays,
        plastic: None,
    };
    let mut proj = proj;
    if let Some(pl) = Plastic::new(&pr.synapse, &proj, plans[t].spec.size as usize, dt) {
        if let Some((k, &w)) =
            pl.w.iter()
                .enumerate()
                .find(|&(_, &w)| plastic::check(&pr.synapse, w, w).is_err())
        {
            return err(
                format!("{path}.weight"),
                format!(
                    "synapse {k} has weight {w}, which the synapse model's w_max does not allow (STDP weights keep the sign of w_max and |w| <= |w_max|)"
                ),
            );
        }
        proj.plastic = Some(Box::new(pl));
    }
    let md = proj.max_delay() as usize;
    syn.pops[t].slots = syn.pops[t].slots.max(md + 1);
    syn.by_source[s].push(syn.projections.len());
    syn.projections.push(proj);
    Ok(())
}

/// Mark the external inputs the Integrate system reads directly (see [`PopSynapses::held`])
/// and the constant ones it adds as a port constant (see [`PopSynapses::dc`]): an `External`
/// or `dc` stimulus on a port channel, over the whole population, active from step 0 to the
/// end, with no other stimulus on that channel and no receptor current on that port. Its
/// channel's ring is then written only by projections; with none, nothing writes it and it is
/// skipped. Results are the same bit for bit: a port then receives `held + arrivals` where the
/// ring path computed `arrivals + held` (one addition of two numbers, which commutes exactly).
fn mark_held(syn: &mut Synapses, stims: &mut Stimuli) {
    for i in 0..stims.list.len() {
        let s = &stims.list[i];
        let StimTarget::Channel(c) = s.target;
        let ChannelKind::Port { port } = syn.pops[s.pop].channels[c].kind else {
            continue;
        };
        let alone = stims.list.iter().enumerate().all(|(j, o)| {
            let StimTarget::Channel(oc) = o.target;
            j == i || o.pop != s.pop || oc != c
        });
        // A receptor current on the same port would change the order of the additions.
        let only_channel = syn.pops[s.pop]
            .channels
            .iter()
            .enumerate()
            .all(|(k, ch)| k == c || ch.kind.op().port() != Some(port));
        if !(matches!(s.kind, StimRt::External(_) | StimRt::Dc(_))
            && only_channel
            && s.whole
            && s.start == 0
            && s.stop == u64::MAX
            && alone)
        {
            continue;
        }
        let pop = s.pop;
        match s.kind {
            StimRt::Dc(a) => syn.pops[pop].dc[port] = a,
            _ => syn.pops[pop].held.push((port, i)),
        }
        stims.list[i].held = true;
        syn.pops[pop].channels[c].fed = syn
            .projections
            .iter()
            .any(|p| p.tgt == pop && p.channel == c);
    }
}

/// The stimuli, each resolved to its channel (appending port channels as needed).
fn build_stimuli(syn: &mut Synapses, plan: &Plan) -> Result<Stimuli, BuildError> {
    let (dt, seed) = (plan.scene.dt, plan.scene.seed);
    let mut stims = Stimuli::default();
    for (i, st) in plan.scene.stimuli.iter().enumerate() {
        let path = format!("stimuli[{i}]");
        let t = plan.find(path.clone(), &st.target.population)?;
        let p = &plan.pops[t];
        let cref = if stim::is_event(&st.kind) {
            resolve_channel(p, st.receptor.as_deref(), st.port.as_deref(), &path)?
        } else {
            ChannelRef::Port(resolve_port(p.entry, st.port.as_deref(), &path)?)
        };
        let channel = channel_of(syn, &plan.pops, t, &cref);
        stims.list.push(stim::runtime(
            st,
            i,
            t,
            p.start,
            p.spec.size,
            channel,
            dt,
            seed,
        ));
    }
    Ok(stims)
}
