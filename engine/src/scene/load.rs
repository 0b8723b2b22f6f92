//! Loading scene files: RON text → [`Scene`], NPY sidecars resolved relative to the scene,
//! everything validated before anything is built, and every error reported as
//! `file:line:column: message` with the nearest valid name suggested.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{BuildError, suggest, unknown};
use crate::numerics::dist::Value;
use crate::registry::Registry;
use crate::scene::locate::{Pos, locate};
use crate::scene::{ParamValue, Placement, Rule, Scene};
use crate::sim::{NetworkSize, Simulation};

/// A problem in a scene file, located.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneError {
    /// The scene file (or a sidecar it names).
    pub file: PathBuf,
    /// Line, from 1 (0 if unknown).
    pub line: usize,
    /// Column, from 1 (0 if unknown).
    pub col: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for SceneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.col,
                self.message
            )
        } else {
            write!(f, "{}: {}", self.file.display(), self.message)
        }
    }
}

impl std::error::Error for SceneError {}

/// A scene read from a file.
#[derive(Clone, Debug)]
pub struct LoadedScene {
    /// The scene, sidecars resolved.
    pub scene: Scene,
    /// Its file.
    pub path: PathBuf,
    /// The file's text (to locate later errors).
    pub text: String,
}

impl LoadedScene {
    /// The file's stem: the scene's name.
    pub fn name(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scene".into())
    }

    /// Turn an engine error (located by path) into a located scene error.
    pub fn locate(&self, e: &BuildError) -> SceneError {
        let p = locate(&self.text, &e.path).unwrap_or(Pos { line: 0, col: 0 });
        SceneError {
            file: self.path.clone(),
            line: p.line,
            col: p.col,
            message: format!("{}: {}", e.path, e.message),
        }
    }

    /// Validate against the registry; the network's size.
    pub fn check(&self, registry: &Registry) -> Result<NetworkSize, SceneError> {
        Simulation::check(&self.scene, registry).map_err(|e| self.locate(&e))
    }

    /// Validate and build.
    pub fn build(&self, registry: &Registry) -> Result<Simulation, SceneError> {
        Simulation::from_scene(&self.scene, registry).map_err(|e| self.locate(&e))
    }

    /// Validate and build with options (e.g. a memory limit).
    pub fn build_with(
        &self,
        registry: &Registry,
        opts: &crate::sim::BuildOptions,
    ) -> Result<Simulation, SceneError> {
        Simulation::from_scene_with(&self.scene, registry, opts).map_err(|e| self.locate(&e))
    }

    /// Validate and spawn the network into a caller's World (see
    /// [`spawn_network`](crate::sim::spawn_network)); errors point into the file.
    pub fn spawn_into(
        &self,
        world: &mut bevy_ecs::world::World,
        registry: &Registry,
    ) -> Result<(), SceneError> {
        crate::sim::spawn_network(world, &self.scene, registry).map_err(|e| self.locate(&e))
    }
}

/// Read, parse and resolve a scene file (not yet validated against the models).
pub fn load(path: &Path) -> Result<LoadedScene, SceneError> {
    let text = std::fs::read_to_string(path).map_err(|e| SceneError {
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        message: format!("cannot read the scene: {e}"),
    })?;
    load_text(text, path)
}

/// Parse and resolve a scene given as text; `path` names it in errors and anchors its NPY
/// sidecars (relative paths resolve against its folder).
pub fn load_text(text: String, path: &Path) -> Result<LoadedScene, SceneError> {
    // A UTF-8 byte-order mark (some editors write one) is not part of the scene.
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    let scene = parse(&text, path)?;
    if let Some((pos, key)) = crate::scene::locate::duplicate_key(&text) {
        return Err(SceneError {
            file: path.to_path_buf(),
            line: pos.line,
            col: pos.col,
            message: format!(
                "the key `{key}` appears twice in this map (the last would silently win); give it once"
            ),
        });
    }
    let mut loaded = LoadedScene {
        scene,
        path: path.to_path_buf(),
        text,
    };
    resolve_sidecars(&mut loaded)?;
    Ok(loaded)
}

/// Parse RON text into a scene; errors carry the position and a readable message.
pub fn parse(text: &str, file: &Path) -> Result<Scene, SceneError> {
    // `implicit_some`: optional fields take a plain value (`port: "delta_ge"`), no `Some(..)`.
    let opts =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    opts.from_str::<Scene>(text).map_err(|e| {
        let pos = e.span.start;
        let (mut line, mut col) = (pos.line, pos.col);
        let mut message = explain(&e.code, text, line, col);
        // Values that match no form are reported by ron after the value; point at its head
        // (`normall(`) instead, and suggest the nearest form.
        if matches!(&e.code, ron::Error::Message(m) if m.contains("untagged enum"))
            && let Some((w, l, c)) = value_head(text, line, col)
        {
            (line, col) = (l, c);
            if !DIST_NAMES.contains(&w.as_str())
                && let Some(s) = suggest(&w, DIST_NAMES.iter().copied())
            {
                message = format!("unknown form `{w}`; did you mean `{s}`? Expected {VALUE_FORMS}");
            }
        }
        SceneError {
            file: file.to_path_buf(),
            line,
            col,
            message,
        }
    })
}

/// The identifier heading the parenthesised value that ends just before (line, col): walking
/// back over balanced parentheses to the `(` that opens it. Returns (word, line, col).
fn value_head(text: &str, line: usize, col: usize) -> Option<(String, usize, usize)> {
    let chars: Vec<(usize, usize, char)> = text
        .lines()
        .enumerate()
        .flat_map(|(l, s)| {
            s.chars()
                .enumerate()
                .map(move |(c, ch)| (l + 1, c + 1, ch))
                .chain(std::iter::once((l + 1, s.chars().count() + 1, '\n')))
        })
        .collect();
    let end = chars.iter().position(|&(l, c, _)| l == line && c >= col)?;
    let mut depth = 0i32;
    let mut k = end;
    while k > 0 {
        k -= 1;
        match chars[k].2 {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth <= 0 {
                    // The identifier right before this parenthesis.
                    let mut j = k;
                    while j > 0 && (chars[j - 1].2.is_alphanumeric() || chars[j - 1].2 == '_') {
                        j -= 1;
                    }
                    if j == k {
                        return None;
                    }
                    let w: String = chars[j..k].iter().map(|c| c.2).collect();
                    return Some((w, chars[j].0, chars[j].1));
                }
            }
            '{' | '[' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The identifier at (line, col) of `text`, if one starts there.
fn word_at(text: &str, line: usize, col: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let rest: String = l.chars().skip(col.saturating_sub(1)).collect();
    let rest = rest.trim_start_matches([' ', '"']);
    let w: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!w.is_empty()).then_some(w)
}

/// Distribution and value forms, for messages.
const VALUE_FORMS: &str = "a number, a list of numbers, npy(\"file.npy\"), or a distribution: \
uniform(low: .., high: ..), normal(mean: .., std: ..), lognormal(mu: .., sigma: ..), \
clipped_normal(mean: .., std: .., low: .., high: ..)";
const DIST_NAMES: &[&str] = &["uniform", "normal", "lognormal", "clipped_normal", "npy"];

fn explain(code: &ron::Error, text: &str, line: usize, col: usize) -> String {
    use ron::Error as E;
    let with_hint = |what: &str, found: &str, expected: &[&str], outer: &Option<String>| {
        let mut m = format!("unknown {what} `{found}`");
        if let Some(o) = outer {
            m.push_str(&format!(" in `{o}`"));
        }
        if let Some(s) = suggest(found, expected.iter().copied()) {
            m.push_str(&format!("; did you mean `{s}`?"));
        }
        m.push_str(&format!(" (expected one of: {})", expected.join(", ")));
        m
    };
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => with_hint("field", found, expected, outer),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => with_hint("variant", found, expected, outer),
        E::MissingStructField { field, outer } => match outer {
            Some(o) => format!("missing field `{field}` in `{o}`"),
            None => format!("missing field `{field}`"),
        },
        E::DuplicateStructField { field, .. } => format!("field `{field}` is given twice"),
        E::Message(m) if m.contains("untagged enum") => {
            let mut msg = format!("expected {VALUE_FORMS}");
            if let Some(w) = word_at(text, line, col)
                && !DIST_NAMES.contains(&w.as_str())
                && let Some(s) = suggest(&w, DIST_NAMES.iter().copied())
            {
                msg = format!("unknown form `{w}`; did you mean `{s}`? Expected {VALUE_FORMS}");
            }
            msg
        }
        E::IntegerOutOfBounds => "integer out of range: sizes, counts (k, n), indices and seeds \
             are whole numbers >= 0, sizes and counts below 2^32"
            .into(),
        E::ExpectedString => {
            "expected a string in double quotes (map keys are quoted too: {\"tau_m\": 20.0})".into()
        }
        other => {
            let s = other.to_string();
            // ron's messages start with a capital; keep ours uniform.
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => s,
            }
        }
    }
}

fn sidecar_error(loaded: &LoadedScene, path: &str, msg: String) -> SceneError {
    loaded.locate(&BuildError::new(path, msg))
}

/// Read a 1-D numeric NPY file as f64.
fn read_npy_1d(file: &Path) -> Result<Vec<f64>, String> {
    let arr = read_npy_f64(file)?;
    if arr.1.len() != 1 {
        return Err(format!("expected a 1-D array, got shape {:?}", arr.1));
    }
    Ok(arr.0)
}

/// Read a numeric NPY file as f64 with its shape (C order).
fn read_npy_f64(file: &Path) -> Result<(Vec<f64>, Vec<u64>), String> {
    let bytes =
        std::fs::read(file).map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    let npy = npyz::NpyFile::new(&bytes[..])
        .map_err(|e| format!("`{}` is not an NPY file: {e}", file.display()))?;
    let shape = npy.shape().to_vec();
    if npy.order() == npyz::Order::Fortran && shape.len() > 1 {
        return Err("Fortran-ordered arrays are not supported; save in C order".into());
    }
    let descr = npy.dtype().descr();
    let bad = |e: std::io::Error| format!("cannot read `{}`: {e}", file.display());
    let data: Vec<f64> = match descr.trim_matches('\'').trim_start_matches(['<', '|', '=']) {
        "f8" => npy.into_vec::<f64>().map_err(bad)?,
        "f4" => npy
            .into_vec::<f32>()
            .map_err(bad)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "i8" => npy
            .into_vec::<i64>()
            .map_err(bad)?
            .into_iter()
            .map(|x| x as f64)
            .collect(),
        "i4" => npy
            .into_vec::<i32>()
            .map_err(bad)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "u4" => npy
            .into_vec::<u32>()
            .map_err(bad)?
            .into_iter()
            .map(f64::from)
            .collect(),
        "u8" => npy
            .into_vec::<u64>()
            .map_err(bad)?
            .into_iter()
            .map(|x| x as f64)
            .collect(),
        other => {
            return Err(format!(
                "unsupported dtype `{other}` (use f8, f4, i8, i4, u8 or u4)"
            ));
        }
    };
    Ok((data, shape))
}

/// Replace every `npy("..")` reference by the data it holds.
// Long by design: one section per kind of sidecar file (parameters, initial state,
// placements, connection lists), each checked where it is read.
fn resolve_sidecars(loaded: &mut LoadedScene) -> Result<(), SceneError> {
    let dir = loaded
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let file_of = |p: &str| dir.join(p);
    let mut scene = loaded.scene.clone();
    for (i, pop) in scene.populations.iter_mut().enumerate() {
        for (k, v) in pop.params.iter_mut() {
            if let ParamValue::Npy(f) = v {
                let data = read_npy_1d(&file_of(f.path())).map_err(|m| {
                    sidecar_error(loaded, &format!("populations[{i}].params.{k}"), m)
                })?;
                *v = ParamValue::List(data);
            }
        }
        for (k, v) in pop.init.iter_mut() {
            if let Value::Npy(f) = v {
                let data = read_npy_1d(&file_of(f.path()))
                    .map_err(|m| sidecar_error(loaded, &format!("populations[{i}].init.{k}"), m))?;
                *v = Value::List(data);
            }
        }
        if let Some(Placement::Npy(f)) = &pop.position {
            let (data, shape) = read_npy_f64(&file_of(f))
                .map_err(|m| sidecar_error(loaded, &format!("populations[{i}].position"), m))?;
            if shape.len() != 2 || shape[1] != 3 {
                return Err(sidecar_error(
                    loaded,
                    &format!("populations[{i}].position"),
                    format!("positions need shape (n, 3), got {shape:?}"),
                ));
            }
            pop.position = Some(Placement::List(
                data.chunks_exact(3).map(|c| (c[0], c[1], c[2])).collect(),
            ));
        }
    }
    for (i, pr) in scene.projections.iter_mut().enumerate() {
        if let Rule::FromNpy {
            pairs,
            weights,
            delays,
        } = &pr.rule
        {
            let path = format!("projections[{i}].rule");
            let (data, shape) = read_npy_f64(&file_of(pairs))
                .map_err(|m| sidecar_error(loaded, &format!("{path}.pairs"), m))?;
            if shape.len() != 2 || shape[1] != 2 {
                return Err(sidecar_error(
                    loaded,
                    &format!("{path}.pairs"),
                    format!("pairs need shape (n, 2), got {shape:?}"),
                ));
            }
            let mut pv = Vec::with_capacity(data.len() / 2);
            for (k, c) in data.chunks_exact(2).enumerate() {
                let ok = |x: f64| x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64;
                if !ok(c[0]) || !ok(c[1]) {
                    return Err(sidecar_error(
                        loaded,
                        &format!("{path}.pairs"),
                        format!(
                            "row {k} ({}, {}) is not a pair of neuron indices",
                            c[0], c[1]
                        ),
                    ));
                }
                pv.push((c[0] as u32, c[1] as u32));
            }
            let load1 = |name: &str, f: &Option<String>| -> Result<Option<Vec<f64>>, SceneError> {
                match f {
                    None => Ok(None),
                    Some(f) => read_npy_1d(&file_of(f))
                        .map(Some)
                        .map_err(|m| sidecar_error(loaded, &format!("{path}.{name}"), m)),
                }
            };
            let w = load1("weights", weights)?;
            let d = load1("delays", delays)?;
            pr.rule = Rule::Explicit {
                pairs: pv,
                weights: w,
                delays: d,
            };
        }
    }
    loaded.scene = scene;
    Ok(())
}

/// Load and validate a scene file: the scene and its size, or a located error.
pub fn check_file(
    path: &Path,
    registry: &Registry,
) -> Result<(LoadedScene, NetworkSize), SceneError> {
    let l = load(path)?;
    let size = l.check(registry)?;
    Ok((l, size))
}

/// "did you mean" for model names, used by tools outside the loader.
pub fn unknown_model(name: &str, registry: &Registry) -> String {
    unknown("model", name, &registry.names())
}
