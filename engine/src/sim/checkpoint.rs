//! Checkpoints: everything a running network changes, written to a directory, so that a run
//! can stop and later continue bit-identically (`run(T)` equals `run(T/2)`, save, load,
//! `run(T/2)`, at any thread count).
//!
//! What is saved is exactly the mutable part of a network; everything else (connectivity,
//! static weights, delays, parameters, positions, stimuli definitions) is rebuilt from the scene, which
//! is deterministic for a given seed. The scene is identified by a hash of its content (without
//! `threads` and `duration`, which a resumed run may change), and a checkpoint of another scene
//! is refused. Random numbers are counter-based, keyed by (seed, stream, neuron, step), so the
//! step count is the generators' whole position.
//!
//! The directory holds `manifest.ron` (format, version, scene hash, step, dt, seed, the
//! populations with their models and sizes, counters) and one NPY file per array:
//! `state_<p>.npy` (population p's neuron states as exact 64-bit words, n × words: f64 bits,
//! integers sign-extended), `values_<p>.npy`, `bias_<p>.npy`, `ring_<p>_<c>.npy` (channel c's
//! pending arrivals), `rs_<p>_<c>.npy` / `rx_<p>_<c>.npy` (receptor states), `stim_<k>.npy`
//! (stimulus state: OU noise values, host-written external values), the state of plastic
//! projections (`pw_<q>`, `pk_<q>`, `pt_<q>`, `pd_<q>`, `pu_<q>`, `px_<q>`, `pa_<q>_*`, `pr_<q>_*`: see
//! `save_plastic`), `step_ids.npy` /
//! `step_signs.npy` (the last step's spikes), and the recorders' contents (`rec_*`). It is
//! written to a temporary sibling directory and renamed into place, so a crash while saving
//! leaves the previous checkpoint intact.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::network::NetworkInfo;
use crate::input::{StimRt, Stimuli};
use crate::record::Recorders;
use crate::scene::Scene;
use crate::synapse::plastic::{Plastic, PostSpike};
use crate::synapse::{ChannelKind, Synapses};
use crate::world::watchdog::Watchdog;
use crate::world::{Clock, Populations, StepSpikes, StepValues};

/// The checkpoint format this build writes and reads.
pub const CHECKPOINT_VERSION: u32 = 1;

const FORMAT: &str = "neurocore-checkpoint";
const MANIFEST: &str = "manifest.ron";

/// A checkpoint could not be written or read: which directory or file, and why.
#[derive(Debug, thiserror::Error)]
#[error("checkpoint `{}`: {message}", path.display())]
pub struct CheckpointError {
    /// The checkpoint directory or the file inside it.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

fn fail<T>(path: &Path, message: impl Into<String>) -> Result<T, CheckpointError> {
    Err(CheckpointError {
        path: path.to_path_buf(),
        message: message.into(),
    })
}

/// One population as the manifest describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct PopEntry {
    name: String,
    model: String,
    size: u32,
    state_words: usize,
}

/// The manifest of a checkpoint directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    scene_hash: String,
    step: u64,
    dt: f64,
    seed: u64,
    populations: Vec<PopEntry>,
    synaptic_events: u64,
    stats_enabled: bool,
    rate_bins: Vec<(u64, u64)>,
}

/// The identity of a scene for checkpoints: FNV-1a (64 bit) of its RON text with `threads` and
/// `duration` left out (a resumed run may use other values).
pub fn scene_hash(scene: &Scene) -> u64 {
    let mut s = scene.clone();
    s.threads = 1;
    s.duration = 0.0;
    let text = ron::to_string(&s).unwrap_or_default();
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

// ---------------------------------------------------------------------------------------------
// NPY arrays
// ---------------------------------------------------------------------------------------------

/// Element types stored in checkpoint arrays.
trait Elem: Copy + npyz::Deserialize {
    const DESCR: &'static str;
    fn put(self, out: &mut Vec<u8>);
}
impl Elem for f64 {
    const DESCR: &'static str = "'<f8'";
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}
impl Elem for u64 {
    const DESCR: &'static str = "'<u8'";
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}
impl Elem for u32 {
    const DESCR: &'static str = "'<u4'";
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}
impl Elem for i8 {
    const DESCR: &'static str = "'|i1'";
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

fn write_array<T: Elem>(dir: &Path, name: &str, data: &[T]) -> Result<(), CheckpointError> {
    let path = dir.join(name);
    let mut bytes = crate::record::write::npy_header(T::DESCR, &[data.len() as u64])
        .or_else(|e| fail(&path, format!("cannot encode: {e}")))?;
    bytes.reserve(data.len() * 8);
    for &x in data {
        x.put(&mut bytes);
    }
    std::fs::write(&path, bytes).or_else(|e| fail(&path, format!("cannot write: {e}")))
}

fn read_array<T: Elem>(dir: &Path, name: &str, len: usize) -> Result<Vec<T>, CheckpointError> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).or_else(|e| fail(&path, format!("cannot read: {e}")))?;
    let npy =
        npyz::NpyFile::new(&bytes[..]).or_else(|e| fail(&path, format!("not an NPY file: {e}")))?;
    let descr = npy.dtype().descr();
    if descr.trim_matches('\'') != T::DESCR.trim_matches('\'') {
        return fail(
            &path,
            format!("holds {descr}, expected {} (damaged checkpoint?)", T::DESCR),
        );
    }
    let v: Vec<T> = npy
        .into_vec()
        .or_else(|e| fail(&path, format!("cannot read: {e}")))?;
    if v.len() != len {
        return fail(
            &path,
            format!(
                "holds {} values, the network needs {len} (damaged checkpoint?)",
                v.len()
            ),
        );
    }
    Ok(v)
}

/// A length stored in the manifest's companion arrays: recorders grow, so their lengths are
/// read from a small index array.
fn write_lens(dir: &Path, name: &str, lens: &[u64]) -> Result<(), CheckpointError> {
    write_array(dir, name, lens)
}

fn read_lens(dir: &Path, name: &str, n: usize) -> Result<Vec<usize>, CheckpointError> {
    Ok(read_array::<u64>(dir, name, n)?
        .into_iter()
        .map(|x| x as usize)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Save
// ---------------------------------------------------------------------------------------------

/// Write the network in `world` to the checkpoint directory `dir` (replaced if it exists).
pub fn save_network(world: &World, dir: &Path) -> Result<(), CheckpointError> {
    save_network_with(world, dir, &[])
}

/// [`save_network`], with extra files (name, content) of the caller's written into the same
/// directory before it is moved into place, so they are saved atomically with the network
/// (the command line keeps its output files' positions there).
pub fn save_network_with(
    world: &World,
    dir: &Path,
    extra: &[(&str, &[u8])],
) -> Result<(), CheckpointError> {
    let Some(info) = world.get_resource::<NetworkInfo>() else {
        return fail(dir, "the World holds no network");
    };
    if let Some(f) = world
        .get_resource::<Watchdog>()
        .and_then(|d| d.fault.as_ref())
    {
        return fail(
            dir,
            format!("the network has stopped on a fault and cannot be resumed: {f}"),
        );
    }
    let tmp = sibling(dir, "tmp");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)
            .or_else(|e| fail(&tmp, format!("cannot remove a stale temporary: {e}")))?;
    }
    std::fs::create_dir_all(&tmp).or_else(|e| fail(&tmp, format!("cannot create: {e}")))?;
    write_all(world, info, &tmp)?;
    for (name, bytes) in extra {
        let p = tmp.join(name);
        std::fs::write(&p, bytes).or_else(|e| fail(&p, format!("cannot write: {e}")))?;
    }
    // Swap into place: the old checkpoint stays until the new one is complete.
    let old = sibling(dir, "old");
    if dir.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).or_else(|e| fail(&old, format!("cannot remove: {e}")))?;
        }
        std::fs::rename(dir, &old).or_else(|e| fail(dir, format!("cannot replace: {e}")))?;
    }
    std::fs::rename(&tmp, dir).or_else(|e| fail(dir, format!("cannot move into place: {e}")))?;
    if old.exists() {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// `dir` with `.<what>` appended to its last component.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let mut s = dir.as_os_str().to_os_string();
    s.push(format!(".{what}"));
    PathBuf::from(s)
}

// Long by design: one section per resource of the network, in the order `load` reads them.
fn write_all(world: &World, info: &NetworkInfo, dir: &Path) -> Result<(), CheckpointError> {
    let clock = world.resource::<Clock>();
    let pops = world.resource::<Populations>();
    let syn = world.resource::<Synapses>();
    let stims = world.resource::<Stimuli>();
    let rec = world.resource::<Recorders>();
    let spikes = world.resource::<StepSpikes>();
    let values = world.resource::<StepValues>();
    // Neuron states, exact words.
    let mut entries = Vec::new();
    for (p, pop) in pops.list.iter().enumerate() {
        let words = info.state_words[p];
        let mut w = Vec::with_capacity(pop.len as usize * words);
        for &e in &pop.entities {
            if !(info.word_readers[p])(world, e, &mut w) {
                return fail(
                    dir,
                    format!("population `{}`: a neuron has no state", pop.name),
                );
            }
        }
        write_array(dir, &format!("state_{p}.npy"), &w)?;
        write_array(dir, &format!("values_{p}.npy"), &values.pops[p])?;
        entries.push(PopEntry {
            name: pop.name.clone(),
            model: pop.model.to_string(),
            size: pop.len,
            state_words: words,
        });
    }
    // Input channels: rings, receptor states, biases.
    for (p, ps) in syn.pops.iter().enumerate() {
        write_array(dir, &format!("bias_{p}.npy"), &ps.bias)?;
        for (c, ch) in ps.channels.iter().enumerate() {
            write_array(dir, &format!("ring_{p}_{c}.npy"), &ch.ring)?;
            if let ChannelKind::Receptor(r) = &ch.kind {
                write_array(dir, &format!("rs_{p}_{c}.npy"), &r.s)?;
                write_array(dir, &format!("rx_{p}_{c}.npy"), &r.x)?;
            }
        }
    }
    // Plastic projections.
    for (q, proj) in syn.projections.iter().enumerate() {
        if let Some(pl) = &proj.plastic {
            save_plastic(dir, q, pl)?;
        }
    }
    // Stimuli with state.
    for (k, s) in stims.list.iter().enumerate() {
        match &s.kind {
            StimRt::Noise { x, .. } => write_array(dir, &format!("stim_{k}.npy"), x)?,
            StimRt::External(v) => write_array(dir, &format!("stim_{k}.npy"), v)?,
            _ => {}
        }
    }
    // The last step's spikes.
    write_array(dir, "step_ids.npy", &spikes.ids)?;
    write_array(dir, "step_signs.npy", &spikes.signs)?;
    // Recorders.
    let lens: Vec<u64> = rec.spikes.iter().map(|r| r.ids.len() as u64).collect();
    write_lens(dir, "rec_spikes_len.npy", &lens)?;
    for (k, r) in rec.spikes.iter().enumerate() {
        write_array(dir, &format!("rec_spikes_{k}_ids.npy"), &r.ids)?;
        write_array(dir, &format!("rec_spikes_{k}_signs.npy"), &r.signs)?;
        write_array(dir, &format!("rec_spikes_{k}_steps.npy"), &r.steps)?;
    }
    let lens: Vec<u64> = rec.states.iter().map(|r| r.times.len() as u64).collect();
    write_lens(dir, "rec_states_len.npy", &lens)?;
    for (k, r) in rec.states.iter().enumerate() {
        write_array(dir, &format!("rec_states_{k}_times.npy"), &r.times)?;
        write_array(dir, &format!("rec_states_{k}_data.npy"), &r.data)?;
    }
    let lens: Vec<u64> = rec.rates.iter().map(|r| r.rates.len() as u64).collect();
    write_lens(dir, "rec_rates_len.npy", &lens)?;
    for (k, r) in rec.rates.iter().enumerate() {
        write_array(dir, &format!("rec_rates_{k}.npy"), &r.rates)?;
    }
    let st = &rec.stats;
    if st.enabled {
        write_array(dir, "stats_counts.npy", &st.counts)?;
        write_array(dir, "stats_last.npy", &st.last)?;
        write_array(dir, "stats_n_isi.npy", &st.n_isi)?;
        write_array(dir, "stats_sum.npy", &st.sum)?;
        write_array(dir, "stats_sum2.npy", &st.sum2)?;
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: CHECKPOINT_VERSION,
        scene_hash: format!("{:016x}", info.scene_hash),
        step: clock.step,
        dt: clock.dt,
        seed: clock.seed,
        populations: entries,
        synaptic_events: syn.events,
        stats_enabled: st.enabled,
        rate_bins: rec.rates.iter().map(|r| (r.count, r.filled)).collect(),
    };
    let text = ron::ser::to_string_pretty(&manifest, ron::ser::PrettyConfig::default())
        .or_else(|e| fail(dir, format!("cannot encode the manifest: {e}")))?;
    let mpath = dir.join(MANIFEST);
    std::fs::write(&mpath, text).or_else(|e| fail(&mpath, format!("cannot write: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

/// Read the manifest of checkpoint `dir` and check it belongs to `scene` and this format.
fn read_manifest(dir: &Path, scene: &Scene) -> Result<Manifest, CheckpointError> {
    let mpath = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&mpath).or_else(|e| {
        fail(
            &mpath,
            format!("cannot read ({e}); is this a checkpoint directory?"),
        )
    })?;
    let m: Manifest = ron::from_str(&text)
        .or_else(|e| fail(&mpath, format!("not a checkpoint manifest: {e}")))?;
    if m.format != FORMAT {
        return fail(
            &mpath,
            format!("format `{}`, expected `{FORMAT}`", m.format),
        );
    }
    if m.version != CHECKPOINT_VERSION {
        return fail(
            &mpath,
            format!(
                "format version {} (this build reads version {CHECKPOINT_VERSION}); resume it \
                 with the neurocore that wrote it",
                m.version
            ),
        );
    }
    let here = format!("{:016x}", scene_hash(scene));
    if m.scene_hash != here {
        return fail(
            &mpath,
            format!(
                "written by another scene (scene hash {}, this scene's is {here}): a checkpoint \
                 resumes only the scene that wrote it (threads and duration may differ)",
                m.scene_hash
            ),
        );
    }
    Ok(m)
}

/// Restore the network in `world` (freshly built from `scene`, not yet stepped) to the state
/// saved in checkpoint `dir`.
pub fn load_network(world: &mut World, scene: &Scene, dir: &Path) -> Result<(), CheckpointError> {
    let m = read_manifest(dir, scene)?;
    let Some(info) = world.get_resource::<NetworkInfo>() else {
        return fail(dir, "the World holds no network");
    };
    let (writers, words) = (info.word_writers.clone(), info.state_words.clone());
    // Populations must be the scene's (the hash says so; the check names a mismatch).
    let ents: Vec<Vec<Entity>> = {
        let pops = world.resource::<Populations>();
        let have: Vec<PopEntry> = pops
            .list
            .iter()
            .zip(&words)
            .map(|(p, &w)| PopEntry {
                name: p.name.clone(),
                model: p.model.to_string(),
                size: p.len,
                state_words: w,
            })
            .collect();
        if have != m.populations {
            return fail(
                dir,
                "its populations differ from the network's (another build of the models?)",
            );
        }
        pops.list.iter().map(|p| p.entities.clone()).collect()
    };
    for (p, es) in ents.iter().enumerate() {
        let w: Vec<u64> = read_array(dir, &format!("state_{p}.npy"), es.len() * words[p])?;
        for (i, &e) in es.iter().enumerate() {
            let chunk = &w[i * words[p]..(i + 1) * words[p]];
            if !(writers[p])(world, e, chunk) {
                return fail(dir, format!("population {p}: cannot restore neuron {i}"));
            }
        }
    }
    {
        let mut values = world.resource_mut::<StepValues>();
        for (p, v) in values.pops.iter_mut().enumerate() {
            *v = read_array(dir, &format!("values_{p}.npy"), v.len())?;
        }
    }
    {
        let mut syn = world.resource_mut::<Synapses>();
        syn.events = m.synaptic_events;
        for (p, ps) in syn.pops.iter_mut().enumerate() {
            ps.bias = read_array(dir, &format!("bias_{p}.npy"), ps.bias.len())?;
            for (c, ch) in ps.channels.iter_mut().enumerate() {
                ch.ring = read_array(dir, &format!("ring_{p}_{c}.npy"), ch.ring.len())?;
                if let ChannelKind::Receptor(r) = &mut ch.kind {
                    r.s = read_array(dir, &format!("rs_{p}_{c}.npy"), r.s.len())?;
                    r.x = read_array(dir, &format!("rx_{p}_{c}.npy"), r.x.len())?;
                }
            }
        }
        for (q, proj) in syn.projections.iter_mut().enumerate() {
            if let Some(pl) = proj.plastic.as_deref_mut() {
                load_plastic(dir, q, pl)?;
            }
        }
    }
    {
        let mut stims = world.resource_mut::<Stimuli>();
        for (k, s) in stims.list.iter_mut().enumerate() {
            match &mut s.kind {
                StimRt::Noise { x, .. } => *x = read_array(dir, &format!("stim_{k}.npy"), x.len())?,
                StimRt::External(v) => *v = read_array(dir, &format!("stim_{k}.npy"), v.len())?,
                _ => {}
            }
        }
    }
    {
        let n = count_of(dir, "step_ids.npy")?;
        let ids = read_array(dir, "step_ids.npy", n)?;
        let signs = read_array(dir, "step_signs.npy", n)?;
        let mut spikes = world.resource_mut::<StepSpikes>();
        spikes.ids = ids;
        spikes.signs = signs;
    }
    load_recorders(world, dir, &m)?;
    world.resource_mut::<Clock>().step = m.step;
    Ok(())
}

/// A plastic projection's state (projection index `q`): `pw_q` weights, `pk_q` presynaptic
/// traces, `pt_q` last presynaptic stamps, `pd_q` the stamps sweeps brought each source up
/// to, `pu_q`/`px_q` short-term state, the postsynaptic archive as `pa_q_len` (spikes per
/// target), `pa_q_stamp`, `pa_q_k`, and its copy of each target's last `RECENT` spikes as
/// `pr_q_stamp`, `pr_q_k`.
fn save_plastic(dir: &Path, q: usize, pl: &Plastic) -> Result<(), CheckpointError> {
    write_array(dir, &format!("pw_{q}.npy"), &pl.w)?;
    write_array(dir, &format!("pk_{q}.npy"), &pl.k_pre)?;
    write_array(dir, &format!("pt_{q}.npy"), &pl.last_pre)?;
    write_array(dir, &format!("pu_{q}.npy"), &pl.u)?;
    write_array(dir, &format!("px_{q}.npy"), &pl.x)?;
    let lens: Vec<u64> = pl.post.iter().map(|h| h.len() as u64).collect();
    let stamps: Vec<u64> = pl.post.iter().flatten().map(|e| e.stamp).collect();
    let ks: Vec<f64> = pl.post.iter().flatten().map(|e| e.k).collect();
    write_lens(dir, &format!("pa_{q}_len.npy"), &lens)?;
    write_array(dir, &format!("pa_{q}_stamp.npy"), &stamps)?;
    write_array(dir, &format!("pa_{q}_k.npy"), &ks)?;
    write_array(dir, &format!("pd_{q}.npy"), &pl.done)?;
    let rs: Vec<u64> = pl
        .recent
        .iter()
        .flat_map(|r| r.0)
        .map(|e| e.stamp)
        .collect();
    let rk: Vec<f64> = pl.recent.iter().flat_map(|r| r.0).map(|e| e.k).collect();
    write_array(dir, &format!("pr_{q}_stamp.npy"), &rs)?;
    write_array(dir, &format!("pr_{q}_k.npy"), &rk)
}

/// Read back what [`save_plastic`] wrote into a freshly built plastic state.
fn load_plastic(dir: &Path, q: usize, pl: &mut Plastic) -> Result<(), CheckpointError> {
    pl.w = read_array(dir, &format!("pw_{q}.npy"), pl.w.len())?;
    pl.k_pre = read_array(dir, &format!("pk_{q}.npy"), pl.k_pre.len())?;
    pl.last_pre = read_array(dir, &format!("pt_{q}.npy"), pl.last_pre.len())?;
    pl.u = read_array(dir, &format!("pu_{q}.npy"), pl.u.len())?;
    pl.x = read_array(dir, &format!("px_{q}.npy"), pl.x.len())?;
    let lens = read_lens(dir, &format!("pa_{q}_len.npy"), pl.post.len())?;
    let total: usize = lens.iter().sum();
    let stamps: Vec<u64> = read_array(dir, &format!("pa_{q}_stamp.npy"), total)?;
    let ks: Vec<f64> = read_array(dir, &format!("pa_{q}_k.npy"), total)?;
    let mut at = 0;
    for (h, &n) in pl.post.iter_mut().zip(&lens) {
        h.clear();
        for i in at..at + n {
            h.push_back(PostSpike {
                stamp: stamps[i],
                k: ks[i],
            });
        }
        at += n;
    }
    pl.done = read_array(dir, &format!("pd_{q}.npy"), pl.done.len())?;
    let m = crate::synapse::plastic::RECENT;
    let n = pl.recent.len() * m;
    let rs: Vec<u64> = read_array(dir, &format!("pr_{q}_stamp.npy"), n)?;
    let rk: Vec<f64> = read_array(dir, &format!("pr_{q}_k.npy"), n)?;
    for (j, rec) in pl.recent.iter_mut().enumerate() {
        for (i, e) in rec.0.iter_mut().enumerate() {
            *e = PostSpike {
                stamp: rs[m * j + i],
                k: rk[m * j + i],
            };
        }
    }
    Ok(())
}

/// The element count of a 1-D checkpoint array (for arrays whose length the network does not
/// fix: the last step's spikes).
fn count_of(dir: &Path, name: &str) -> Result<usize, CheckpointError> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).or_else(|e| fail(&path, format!("cannot read: {e}")))?;
    let npy =
        npyz::NpyFile::new(&bytes[..]).or_else(|e| fail(&path, format!("not an NPY file: {e}")))?;
    match npy.shape() {
        [n] => Ok(*n as usize),
        s => fail(&path, format!("shape {s:?}, expected 1-D")),
    }
}

fn load_recorders(world: &mut World, dir: &Path, m: &Manifest) -> Result<(), CheckpointError> {
    if m.stats_enabled && !world.resource::<Recorders>().stats.enabled {
        super::NetworkMut { world }.enable_stats();
    }
    let mut rec = world.resource_mut::<Recorders>();
    let lens = read_lens(dir, "rec_spikes_len.npy", rec.spikes.len())?;
    for (k, r) in rec.spikes.iter_mut().enumerate() {
        r.ids = read_array(dir, &format!("rec_spikes_{k}_ids.npy"), lens[k])?;
        r.signs = read_array(dir, &format!("rec_spikes_{k}_signs.npy"), lens[k])?;
        r.steps = read_array(dir, &format!("rec_spikes_{k}_steps.npy"), lens[k])?;
    }
    let lens = read_lens(dir, "rec_states_len.npy", rec.states.len())?;
    for (k, r) in rec.states.iter_mut().enumerate() {
        let per = r.neurons.len() * r.vars.len();
        r.times = read_array(dir, &format!("rec_states_{k}_times.npy"), lens[k])?;
        r.data = read_array(dir, &format!("rec_states_{k}_data.npy"), lens[k] * per)?;
    }
    let lens = read_lens(dir, "rec_rates_len.npy", rec.rates.len())?;
    if m.rate_bins.len() != rec.rates.len() {
        return fail(dir, "its rate recorders differ from the network's");
    }
    for (k, r) in rec.rates.iter_mut().enumerate() {
        r.rates = read_array(dir, &format!("rec_rates_{k}.npy"), lens[k])?;
        (r.count, r.filled) = m.rate_bins[k];
    }
    let st = &mut rec.stats;
    if m.stats_enabled {
        st.counts = read_array(dir, "stats_counts.npy", st.counts.len())?;
        st.last = read_array(dir, "stats_last.npy", st.last.len())?;
        st.n_isi = read_array(dir, "stats_n_isi.npy", st.n_isi.len())?;
        st.sum = read_array(dir, "stats_sum.npy", st.sum.len())?;
        st.sum2 = read_array(dir, "stats_sum2.npy", st.sum2.len())?;
    }
    Ok(())
}

/// A one-line description of checkpoint `dir` (its step and time), for messages.
pub fn describe(dir: &Path) -> Result<String, CheckpointError> {
    let mpath = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&mpath).or_else(|e| fail(&mpath, format!("{e}")))?;
    let m: Manifest =
        ron::from_str(&text).or_else(|e| fail(&mpath, format!("not a manifest: {e}")))?;
    let mut s = String::new();
    let _ = write!(
        s,
        "step {} (t = {} ms), {} populations",
        m.step,
        m.step as f64 * m.dt,
        m.populations.len()
    );
    Ok(s)
}
