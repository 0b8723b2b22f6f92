//! `neurocore._native`: the Rust side of the Python package.
//!
//! Nothing here names a model. [`Neuron`] wraps any registered model behind the registry's
//! `DynNeuron`; `neurocore/__init__.py` makes one subclass per registered model (the class
//! name is the model's, its `_model` attribute says which entry to build), so a model added to
//! the catalogue is a Python class with no Python-specific code. [`Population`] is a one-
//! population network (the batch kernel the engine runs) with one external input per port;
//! [`Simulation`] is the network engine, from a scene file or from Python dicts.
//!
//! Errors: every Rust error becomes a Python exception carrying the same message
//! (`ValueError` for bad parameters, scenes and inputs; `FloatingPointError` for a state that
//! became non-finite; `TypeError` for wrong arguments). No Rust code here panics on anything a
//! caller passes.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use numpy::{PyArray1, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyFloatingPointError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple, PyType};

use neurocore::engine::error::BuildError;
use neurocore::engine::model::{OutputKind, StepError};
use neurocore::engine::registry::{DynNeuron, ModelEntry, ParamShow, Registry};
use neurocore::engine::scene::{
    ParamValue, PopulationSpec, RecorderSpec, Scene, StimulusKind, StimulusSpec, Target,
};
use neurocore::engine::sim::Simulation as Sim;

/// Two index arrays (sources, targets).
type IndexPair<'py> = (Bound<'py, PyArray1<u32>>, Bound<'py, PyArray1<u32>>);

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(neurocore::registry)
}

fn entry(name: &str) -> PyResult<&'static dyn ModelEntry> {
    registry().get(name).ok_or_else(|| {
        PyValueError::new_err(neurocore::engine::scene::load::unknown_model(
            name,
            registry(),
        ))
    })
}

/// A parameter error of `model` as `ValueError("Model: name: what")`.
fn build_err(model: &str, err: &BuildError) -> PyErr {
    let p = err.path.strip_prefix("params").unwrap_or(&err.path);
    let p = p.trim_start_matches('.');
    if p.is_empty() || err.message.starts_with(p) || err.message.contains(&format!("`{p}`")) {
        PyValueError::new_err(format!("{model}: {}", err.message))
    } else {
        PyValueError::new_err(format!("{model}: {p}: {}", err.message))
    }
}

fn value_err(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock means a panic inside the engine; the data is still the last state.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A Python parameter value as a scene parameter value (numbers, flags, choices; sequences
/// and arrays as one value per neuron when `per_neuron` is allowed).
fn param_value(name: &str, v: &Bound<'_, PyAny>, per_neuron: bool) -> PyResult<ParamValue> {
    if v.is_instance_of::<PyBool>() {
        return Ok(ParamValue::Bool(v.extract::<bool>()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(ParamValue::Text(v.extract::<String>()?));
    }
    if let Ok(x) = v.extract::<f64>() {
        return Ok(ParamValue::Num(x));
    }
    if per_neuron && let Ok(xs) = v.extract::<Vec<f64>>() {
        return Ok(ParamValue::List(xs));
    }
    if per_neuron && let Ok(a) = v.extract::<PyReadonlyArrayDyn<'_, f64>>() {
        return Ok(ParamValue::List(a.as_array().iter().copied().collect()));
    }
    Err(PyTypeError::new_err(format!(
        "parameter `{name}`: expects a number, a bool or a choice name{}, got {}",
        if per_neuron {
            " (or one number per neuron)"
        } else {
            ""
        },
        v.get_type().name()?
    )))
}

fn show_to_py(py: Python<'_>, v: &ParamShow) -> PyResult<Py<PyAny>> {
    match v {
        ParamShow::Float(x) => x.into_py_any(py),
        ParamShow::Int(i) => i.into_py_any(py),
        ParamShow::Bool(b) => b.into_py_any(py),
        ParamShow::Text(s) => s.into_py_any(py),
    }
}

fn step_err(e: StepError) -> PyErr {
    match e {
        StepError::NonFiniteInput { .. } => PyValueError::new_err(e.to_string()),
        StepError::NonFiniteState { .. } => PyFloatingPointError::new_err(format!(
            "{e}; the step was refused and the state left as it was"
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// One neuron
// ---------------------------------------------------------------------------------------------

/// One neuron of a catalogue model, SC-NeuroCore style: `step(..)`, `reset()`, `get_state()`.
///
/// Not used directly: `neurocore.<ModelName>(**params)` is a subclass naming its model.
#[pyclass(subclass, module = "neurocore", name = "Neuron")]
pub struct Neuron {
    inner: Mutex<Box<dyn DynNeuron>>,
    entry: &'static dyn ModelEntry,
}

impl Neuron {
    /// The port values of a `step(*args, **kwargs)` call, in port order (missing ones 0).
    fn ports(
        &self,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
        out: &mut [f64; 8],
    ) -> PyResult<usize> {
        let names = self.entry.ports();
        let n = names.len();
        if args.len() > n {
            return Err(PyTypeError::new_err(format!(
                "{}.step() takes {} input{} ({}), got {} positional",
                self.entry.name(),
                n,
                if n == 1 { "" } else { "s" },
                names.join(", "),
                args.len()
            )));
        }
        for (k, a) in args.iter().enumerate() {
            out[k] = a.extract::<f64>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{}.step(): input `{}` expects a number, got {}",
                    self.entry.name(),
                    names[k],
                    a.get_type()
                        .name()
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                ))
            })?;
        }
        if let Some(kw) = kwargs {
            for (key, val) in kw.iter() {
                let key: String = key.extract()?;
                let Some(k) = names.iter().position(|p| *p == key) else {
                    return Err(PyTypeError::new_err(format!(
                        "{}.step(): {}",
                        self.entry.name(),
                        neurocore::engine::error::unknown("input", &key, names)
                    )));
                };
                if k < args.len() {
                    return Err(PyTypeError::new_err(format!(
                        "{}.step(): input `{key}` given twice",
                        self.entry.name()
                    )));
                }
                out[k] = val.extract::<f64>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "{}.step(): input `{key}` expects a number",
                        self.entry.name()
                    ))
                })?;
            }
        }
        Ok(n)
    }

    fn output(&self, py: Python<'_>, y: f64) -> PyResult<Py<PyAny>> {
        match self.entry.output() {
            OutputKind::Spike | OutputKind::Signed => (y as i64).into_py_any(py),
            OutputKind::Value => y.into_py_any(py),
        }
    }
}

#[pymethods]
impl Neuron {
    /// Build the model the class names (`cls._model`) with parameters given by keyword (or
    /// positionally, in the model's parameter order). A bad value raises `ValueError` naming
    /// the parameter and the rule.
    #[new]
    #[classmethod]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(
        cls: &Bound<'_, PyType>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let model: String = cls
            .getattr("_model")
            .and_then(|m| m.extract())
            .map_err(|_| {
                PyTypeError::new_err(
                    "neurocore.Neuron is the base of the model classes; build a model by its class, e.g. neurocore.LIFNeuron()",
                )
            })?;
        let e = entry(&model)?;
        let fields = e.param_fields();
        if args.len() > fields.len() {
            return Err(PyTypeError::new_err(format!(
                "{model}() takes at most {} parameters, got {} positional",
                fields.len(),
                args.len()
            )));
        }
        let mut params = BTreeMap::new();
        for (k, a) in args.iter().enumerate() {
            params.insert(
                fields[k].name.to_string(),
                param_value(fields[k].name, &a, false)?,
            );
        }
        if let Some(kw) = kwargs {
            for (key, val) in kw.iter() {
                let key: String = key.extract()?;
                if params.contains_key(&key) {
                    return Err(PyTypeError::new_err(format!(
                        "{model}(): parameter `{key}` given twice"
                    )));
                }
                let v = param_value(&key, &val, false)?;
                params.insert(key, v);
            }
        }
        let inner = e
            .standalone(&params, None)
            .map_err(|err| build_err(&model, &err))?;
        Ok(Self {
            inner: Mutex::new(inner),
            entry: e,
        })
    }

    /// One step with the model's inputs (SC-NeuroCore's argument names, by keyword or in
    /// order; missing inputs are 0). Returns 0/1 for a spike, -1/0/+1 for a signed event, or
    /// the output value. A non-finite input raises `ValueError`; a step that would make the
    /// state non-finite is refused (state unchanged) and raises `FloatingPointError`.
    #[pyo3(signature = (*args, **kwargs))]
    fn step(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let mut buf = [0.0; 8];
        let n = self.ports(args, kwargs, &mut buf)?;
        let y = lock(&self.inner)
            .try_step_ports(&buf[..n])
            .map_err(step_err)?;
        self.output(py, y)
    }

    /// Back to the initial state (and the start of the random stream).
    fn reset(&self) {
        lock(&self.inner).reset()
    }

    /// The state as a dict, in the model's order (SC-NeuroCore's names).
    fn get_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = lock(&self.inner).get_state();
        let d = PyDict::new(py);
        for (k, v) in s.iter() {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Set state variables by keyword (e.g. an initial condition: `n.set_state(v=-70.0)`).
    #[pyo3(signature = (**kwargs))]
    fn set_state(&self, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let Some(kw) = kwargs else { return Ok(()) };
        let mut vals = Vec::new();
        for (key, val) in kw.iter() {
            let key: String = key.extract()?;
            let x: f64 = val.extract().map_err(|_| {
                PyTypeError::new_err(format!("state variable `{key}` expects a number"))
            })?;
            if !x.is_finite() {
                return Err(PyValueError::new_err(format!(
                    "state variable `{key}` must be finite, got {x}"
                )));
            }
            vals.push((key, x));
        }
        let mut g = lock(&self.inner);
        // Check every name before writing any.
        let names = self.entry.state_names();
        for (key, _) in &vals {
            if !names.contains(&key.as_str()) {
                return Err(PyValueError::new_err(format!(
                    "{} of {}",
                    neurocore::engine::error::unknown("state variable", key, names),
                    self.entry.name()
                )));
            }
        }
        for (key, x) in vals {
            g.set_state_var(&key, x).map_err(PyValueError::new_err)?;
        }
        Ok(())
    }

    /// Key the random stream (stochastic models): `seed`, and the neuron id a network would
    /// give this neuron (a network with this seed draws the same numbers for neuron `id`).
    #[pyo3(signature = (seed, id = 0))]
    fn set_seed(&self, seed: u64, id: u32) {
        lock(&self.inner).set_seed(seed, id)
    }

    /// The parameters, name -> value, in declaration order.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in lock(&self.inner).param_values() {
            d.set_item(k, show_to_py(py, &v)?)?;
        }
        Ok(d)
    }

    /// The time one step spans, ms (nominal for iteration models).
    #[getter]
    fn dt(&self) -> f64 {
        lock(&self.inner).span()
    }

    /// Steps taken since construction or the last reset.
    #[getter]
    fn steps(&self) -> u64 {
        lock(&self.inner).steps()
    }

    fn __repr__(&self) -> String {
        let g = lock(&self.inner);
        let s = g.get_state();
        let st: Vec<String> = s
            .iter()
            .take(4)
            .map(|(k, v)| format!("{k}={v:.6}"))
            .collect();
        format!(
            "{}({}{})",
            self.entry.name(),
            st.join(", "),
            if s.names.len() > 4 { ", ..." } else { "" }
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Catalogue metadata
// ---------------------------------------------------------------------------------------------

/// The registered model names, in catalogue order.
#[pyfunction]
fn model_names() -> Vec<&'static str> {
    registry().names()
}

/// What the registry says of a model: ports, state names, parameters with defaults and
/// units, output kind, family, summary, reference, the typical drive.
#[pyfunction]
fn model_info<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let e = entry(name)?;
    let d = PyDict::new(py);
    d.set_item("name", e.name())?;
    d.set_item("family", e.family().to_string())?;
    d.set_item("summary", e.summary())?;
    d.set_item("reference", e.reference())?;
    d.set_item("ports", e.ports().to_vec())?;
    d.set_item("output", e.output().to_string())?;
    d.set_item("membrane", e.membrane())?;
    d.set_item("state", e.state_names().to_vec())?;
    d.set_item("drive", e.drive().to_vec())?;
    d.set_item("dt", e.default_span())?;
    let params = PyList::empty(py);
    for f in e.param_fields() {
        let p = PyDict::new(py);
        p.set_item("name", f.name)?;
        p.set_item("doc", f.doc.trim())?;
        p.set_item("unit", f.unit())?;
        params.append(p)?;
    }
    d.set_item("params", params)?;
    Ok(d)
}

// ---------------------------------------------------------------------------------------------
// Populations
// ---------------------------------------------------------------------------------------------

const POP: &str = "population";

/// What `Population.run` collects: spike steps, ids, signs, and values (value models).
type RunOut = (Vec<u64>, Vec<u32>, Vec<i8>, Vec<f64>);

/// `n` neurons of one model advanced together by the engine's batch kernel (a one-population
/// network with one external input per port).
#[pyclass(module = "neurocore", name = "Population")]
pub struct Population {
    sim: Mutex<Sim>,
    entry: &'static dyn ModelEntry,
    n: usize,
    stims: Vec<String>,
    scene: Scene,
}

/// Port inputs of one step as `ports` rows of `n` values from a scalar, a 1-D array (one
/// port, or one value per port) or a `(ports, n)` array.
fn step_inputs(
    x: Option<&Bound<'_, PyAny>>,
    ports: usize,
    n: usize,
    what: &str,
) -> PyResult<Vec<Vec<f64>>> {
    let Some(x) = x else {
        return Ok(vec![vec![0.0]; ports]);
    };
    if x.is_none() {
        return Ok(vec![vec![0.0]; ports]);
    }
    if let Ok(v) = x.extract::<f64>() {
        return Ok(vec![vec![v]; ports]);
    }
    let a: PyReadonlyArrayDyn<'_, f64> = x
        .call_method1("__array__", ())
        .and_then(|a| {
            let kw = PyDict::new(x.py());
            kw.set_item("copy", false)?;
            a.call_method("astype", ("float64",), Some(&kw))
        })
        .and_then(|a| a.extract())
        .map_err(|_| {
            PyTypeError::new_err(format!("{what}: expects a number or an array of numbers"))
        })?;
    let shape = a.shape().to_vec();
    let v = a.as_array();
    let flat: Vec<f64> = v.iter().copied().collect();
    match shape.as_slice() {
        [m] if ports == 1 && *m == n => Ok(vec![flat]),
        [m] if *m == ports => Ok(flat.into_iter().map(|x| vec![x]).collect()),
        [p, m] if *p == ports && *m == n => Ok(flat.chunks(n).map(|c| c.to_vec()).collect()),
        _ => Err(PyValueError::new_err(format!(
            "{what}: expects shape ({n},) for a one-input model, ({ports},) for one value per input, or ({ports}, {n}); got {shape:?}"
        ))),
    }
}

impl Population {
    fn spikes_now(&self, sim: &Sim) -> (Vec<u32>, Vec<i8>) {
        (sim.spikes().to_vec(), sim.spike_signs().to_vec())
    }

    fn one_step(&self, sim: &mut Sim, inputs: &[Vec<f64>]) -> PyResult<()> {
        for (name, v) in self.stims.iter().zip(inputs) {
            sim.set_external(name, v).map_err(value_err)?;
        }
        sim.step();
        Ok(())
    }
}

#[pymethods]
impl Population {
    /// `n` neurons of `model`. `params`: name -> number (all neurons) or sequence of `n`
    /// (one per neuron); `init`: name -> number or sequence of `n`, initial state; `dt`: the
    /// step, ms (default: the model's standalone step with these parameters, so a Population
    /// equals `n` standalone neurons); `seed`: keys stochastic models (neuron `i` draws as a
    /// standalone neuron with `set_seed(seed, i)`); `threads`: threads of the kernel;
    /// `nan_check`: check the state for NaN/infinity every this many ms (default: every
    /// step, so a blow-up raises `FloatingPointError` at the step it happens; a larger
    /// interval saves the check's ~0.15 ns per neuron-step, which matters only for the
    /// cheapest models such as LIF).
    #[new]
    #[pyo3(signature = (model, n, params = None, init = None, dt = None, seed = 0, threads = 1, nan_check = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        model: &str,
        n: u32,
        params: Option<&Bound<'_, PyDict>>,
        init: Option<&Bound<'_, PyDict>>,
        dt: Option<f64>,
        seed: u64,
        threads: usize,
        nan_check: Option<f64>,
    ) -> PyResult<Self> {
        let e = entry(model)?;
        if n == 0 {
            return Err(PyValueError::new_err(
                "n: a population needs at least 1 neuron",
            ));
        }
        let mut spec = PopulationSpec::new(POP, model, n);
        let mut constants = BTreeMap::new();
        if let Some(p) = params {
            for (k, v) in p.iter() {
                let k: String = k.extract()?;
                let v = param_value(&k, &v, true)?;
                if !matches!(v, ParamValue::List(_)) {
                    constants.insert(k.clone(), v.clone());
                }
                spec.params.insert(k, v);
            }
        }
        let mut init_cols = Vec::new();
        if let Some(i) = init {
            for (k, v) in i.iter() {
                let k: String = k.extract()?;
                let vals: Vec<f64> = match v.extract::<f64>() {
                    Ok(x) => vec![x],
                    Err(_) => match param_value(&k, &v, true)? {
                        ParamValue::List(l) => l,
                        _ => {
                            return Err(PyTypeError::new_err(format!(
                                "init `{k}`: expects a number or one number per neuron"
                            )));
                        }
                    },
                };
                init_cols.push((k, vals));
            }
        }
        let dt = match dt {
            Some(d) => d,
            None => e
                .standalone(&constants, None)
                .map_err(|err| build_err(model, &err))?
                .span(),
        };
        let mut scene = Scene {
            dt,
            duration: 0.0,
            seed,
            threads: threads.max(1),
            ..Scene::default()
        };
        scene.populations.push(spec);
        let mut stims = Vec::new();
        for port in e.ports() {
            let name = format!("input:{port}");
            scene.stimuli.push(
                StimulusSpec::new(Target::all(POP), StimulusKind::External { initial: 0.0 })
                    .port(*port)
                    .named(name.clone()),
            );
            stims.push(name);
        }
        let mut sim = Sim::from_scene(&scene, registry()).map_err(|err| {
            PyValueError::new_err(format!(
                "{model}: {}",
                err.to_string().replace("populations[0].", "")
            ))
        })?;
        // By default check the state for NaN/infinity after every step: a Population returns
        // after each step(), so a blow-up is reported at the step it happens.
        sim.set_watchdog_interval(nan_check.unwrap_or(dt))
            .map_err(|e| PyValueError::new_err(format!("nan_check: {}", e.message)))?;
        for (k, vals) in &init_cols {
            sim.set_state_column(POP, k, vals)
                .map_err(|err| PyValueError::new_err(format!("init `{k}`: {}", err.message)))?;
        }
        Ok(Self {
            sim: Mutex::new(sim),
            entry: e,
            n: n as usize,
            stims,
            scene,
        })
    }

    /// One step. `inputs`: a number (every input of every neuron), an array of shape `(n,)`
    /// for a one-input model, `(ports,)` (one value per input), or `(ports, n)`. Returns the
    /// outputs of this step as an array of `n`: 0/1 (uint8) for spiking models, -1/0/+1 (int8)
    /// for signed ones, the values (float64) for value models.
    #[pyo3(signature = (inputs = None))]
    fn step<'py>(
        &self,
        py: Python<'py>,
        inputs: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ports = self.stims.len();
        let n = self.n;
        // A contiguous float64 array of shape (n,) (one-input model) or (ports, n) is written
        // straight from NumPy's memory; anything else goes through `step_inputs`.
        let direct: Option<PyReadonlyArrayDyn<'py, f64>> = inputs.and_then(|x| {
            let a: PyReadonlyArrayDyn<'py, f64> = x.extract().ok()?;
            let ok = match a.shape() {
                [m] => ports == 1 && *m == n,
                [p, m] => *p == ports && *m == n,
                _ => false,
            };
            (ok && a.as_slice().is_ok()).then_some(a)
        });
        let mut sim = lock(&self.sim);
        match direct.as_ref().and_then(|a| a.as_slice().ok()) {
            Some(flat) => {
                for (name, v) in self.stims.iter().zip(flat.chunks(n)) {
                    sim.set_external(name, v).map_err(value_err)?;
                }
                sim.step();
            }
            None => {
                let x = step_inputs(inputs, ports, n, "Population.step(inputs)")?;
                self.one_step(&mut sim, &x)?;
            }
        }
        self.check_fault(&sim)?;
        match self.entry.output() {
            OutputKind::Value => {
                let v = sim.values(POP).map(|v| v.to_vec()).unwrap_or_default();
                Ok(PyArray1::from_vec(py, v).into_any())
            }
            OutputKind::Spike => {
                let mut out = vec![0u8; self.n];
                for &id in sim.spikes() {
                    if let Some(o) = out.get_mut(id as usize) {
                        *o = 1;
                    }
                }
                Ok(PyArray1::from_vec(py, out).into_any())
            }
            OutputKind::Signed => {
                let mut out = vec![0i8; self.n];
                let (ids, signs) = self.spikes_now(&sim);
                for (id, s) in ids.into_iter().zip(signs) {
                    if let Some(o) = out.get_mut(id as usize) {
                        *o = s;
                    }
                }
                Ok(PyArray1::from_vec(py, out).into_any())
            }
        }
    }

    /// `steps` steps with an input trace, the GIL released. `inputs`: None, a number, an
    /// array `(steps, n)` (one-input models), `(steps, ports)` or `(steps, ports, n)`.
    /// Returns `(step, id)` arrays (uint64, uint32) of the spikes for spiking models,
    /// `(step, id, sign)` for signed ones, or a `(steps, n)` float64 array of outputs for
    /// value models. Steps count from 0 at the first step of this call.
    #[pyo3(signature = (steps, inputs = None))]
    fn run<'py>(
        &self,
        py: Python<'py>,
        steps: usize,
        inputs: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ports = self.stims.len();
        let n = self.n;
        // Inputs as per-step rows: `None` = constant for all steps.
        let mut constant: Option<Vec<Vec<f64>>> = None;
        let mut trace: Vec<f64> = Vec::new();
        let mut per_step = 0usize; // values per step in `trace`
        let mut layout = (0usize, 0usize); // (ports in trace, neurons in trace)
        match inputs {
            None => constant = Some(vec![vec![0.0]; ports]),
            Some(x) if x.is_none() => constant = Some(vec![vec![0.0]; ports]),
            Some(x) => {
                if let Ok(v) = x.extract::<f64>() {
                    constant = Some(vec![vec![v]; ports]);
                } else {
                    let a: PyReadonlyArrayDyn<'_, f64> = x
                        .call_method1("__array__", ())
                        .and_then(|a| a.call_method1("astype", ("float64",)))
                        .and_then(|a| a.extract())
                        .map_err(|_| {
                            PyTypeError::new_err(
                                "Population.run(inputs): expects a number or an array of numbers",
                            )
                        })?;
                    let shape = a.shape().to_vec();
                    let traced = match shape.as_slice() {
                        [s, m] if *s == steps && ports == 1 && *m == n => Some((1, n)),
                        [s, p] if *s == steps && *p == ports => Some((ports, 1)),
                        [s, p, m] if *s == steps && *p == ports && *m == n => Some((ports, n)),
                        _ => None,
                    };
                    match traced {
                        Some(l) => {
                            layout = l;
                            per_step = layout.0 * layout.1;
                            trace = a.as_array().iter().copied().collect();
                        }
                        // No step axis: the same inputs on every step.
                        None => {
                            constant = Some(step_inputs(Some(x), ports, n, "").map_err(|_| {
                                PyValueError::new_err(format!(
                                    "Population.run(inputs): expects a trace of shape ({steps}, {n}) for a one-input model, ({steps}, {ports}) or ({steps}, {ports}, {n}), or inputs held for every step of shape ({n},) for a one-input model, ({ports},) or ({ports}, {n}); got {shape:?}"
                                ))
                            })?);
                        }
                    }
                }
            }
        }
        let const_bad = constant
            .as_ref()
            .is_some_and(|c| c.iter().flatten().any(|x| !x.is_finite()));
        if const_bad || trace.iter().any(|x| !x.is_finite()) {
            return Err(PyValueError::new_err(
                "Population.run(inputs): inputs must be finite",
            ));
        }
        let kind = self.entry.output();
        let mut guard = lock(&self.sim);
        let sim: &mut Sim = &mut guard;
        let stims = &self.stims;
        let res = py.detach(move || -> Result<RunOut, String> {
            let mut st = Vec::new();
            let mut ids = Vec::new();
            let mut signs = Vec::new();
            let mut values = Vec::new();
            if kind == OutputKind::Value {
                values.reserve(steps * n);
            }
            // Held inputs are written once (an external input keeps its values).
            if let Some(c) = &constant {
                for (p, name) in stims.iter().enumerate() {
                    sim.set_external(name, &c[p]).map_err(|e| e.to_string())?;
                }
            }
            for s in 0..steps {
                if constant.is_none() {
                    for (p, name) in stims.iter().enumerate() {
                        let row = &trace[s * per_step..(s + 1) * per_step];
                        let vals = &row[p * layout.1..(p + 1) * layout.1];
                        sim.set_external(name, vals).map_err(|e| e.to_string())?;
                    }
                }
                sim.step();
                match kind {
                    OutputKind::Value => {
                        values.extend_from_slice(sim.values(POP).unwrap_or(&[]));
                    }
                    _ => {
                        for (k, &id) in sim.spikes().iter().enumerate() {
                            st.push(s as u64);
                            ids.push(id);
                            if kind == OutputKind::Signed {
                                signs.push(sim.spike_signs().get(k).copied().unwrap_or(1));
                            }
                        }
                    }
                }
                if let Some(f) = sim.fault() {
                    return Err(format!("{f}"));
                }
            }
            Ok((st, ids, signs, values))
        });
        let (st, ids, signs, values) = res.map_err(PyFloatingPointError::new_err)?;
        match kind {
            OutputKind::Value => {
                let a = PyArray1::from_vec(py, values);
                Ok(a.reshape([steps, n])?.into_any())
            }
            OutputKind::Spike => Ok(PyTuple::new(
                py,
                [
                    PyArray1::from_vec(py, st).into_any(),
                    PyArray1::from_vec(py, ids).into_any(),
                ],
            )?
            .into_any()),
            OutputKind::Signed => Ok(PyTuple::new(
                py,
                [
                    PyArray1::from_vec(py, st).into_any(),
                    PyArray1::from_vec(py, ids).into_any(),
                    PyArray1::from_vec(py, signs).into_any(),
                ],
            )?
            .into_any()),
        }
    }

    /// The state: variable name -> array of `n` values (in the model's order).
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let sim = lock(&self.sim);
        let d = PyDict::new(py);
        for var in self.entry.state_names() {
            let col = sim.state_column(POP, var).map_err(value_err)?;
            d.set_item(*var, PyArray1::from_vec(py, col))?;
        }
        Ok(d)
    }

    /// Set state variable `var` of every neuron (one value, or one per neuron).
    fn set_state(&self, var: &str, values: &Bound<'_, PyAny>) -> PyResult<()> {
        let vals: Vec<f64> = match values.extract::<f64>() {
            Ok(x) => vec![x],
            Err(_) => match param_value(var, values, true)? {
                ParamValue::List(l) => l,
                _ => return Err(PyTypeError::new_err("values: expects numbers")),
            },
        };
        if vals.iter().any(|x| !x.is_finite()) {
            return Err(PyValueError::new_err(format!(
                "state variable `{var}`: values must be finite"
            )));
        }
        lock(&self.sim)
            .set_state_column(POP, var, &vals)
            .map_err(|e| PyValueError::new_err(e.message))
    }

    /// Back to the initial state (rebuilds the population; time back to 0).
    fn reset(&self) -> PyResult<()> {
        let sim = Sim::from_scene(&self.scene, registry()).map_err(value_err)?;
        *lock(&self.sim) = sim;
        Ok(())
    }

    /// Number of neurons.
    fn __len__(&self) -> usize {
        self.n
    }

    /// The model's class name.
    #[getter]
    fn model(&self) -> &'static str {
        self.entry.name()
    }

    /// The model's input names, in order (the rows of `step`'s `(ports, n)` inputs).
    #[getter]
    fn ports(&self) -> Vec<&'static str> {
        self.entry.ports().to_vec()
    }

    /// The step, ms.
    #[getter]
    fn dt(&self) -> f64 {
        lock(&self.sim).dt()
    }

    /// Time, ms.
    #[getter]
    fn time(&self) -> f64 {
        lock(&self.sim).time()
    }

    fn __repr__(&self) -> String {
        format!("Population({:?}, {})", self.entry.name(), self.n)
    }
}

impl Population {
    fn check_fault(&self, sim: &Sim) -> PyResult<()> {
        match sim.fault() {
            Some(f) => Err(PyFloatingPointError::new_err(f.to_string())),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The network engine
// ---------------------------------------------------------------------------------------------

/// A network: a scene (from a RON file or from Python dicts with the same schema) built and
/// ready to run.
#[pyclass(module = "neurocore", name = "Simulation")]
pub struct Simulation {
    sim: Mutex<Sim>,
    scene: Scene,
}

/// Make sure every population's spikes are recorded (the scene's own spike recorders kept).
fn record_all_spikes(scene: &mut Scene) {
    for p in &scene.populations {
        let has = scene.recorders.iter().any(|r| {
            matches!(r, RecorderSpec::Spikes { target } if target.population == p.name && target.neurons.is_none())
        });
        if !has {
            scene.recorders.push(RecorderSpec::Spikes {
                target: Target {
                    population: p.name.clone(),
                    neurons: None,
                },
            });
        }
    }
}

impl Simulation {
    fn build(mut scene: Scene, threads: Option<usize>) -> Result<(Sim, Scene), BuildError> {
        if let Some(t) = threads {
            scene.threads = t.max(1);
        }
        record_all_spikes(&mut scene);
        let sim = Sim::from_scene(&scene, registry())?;
        Ok((sim, scene))
    }
}

#[pymethods]
impl Simulation {
    /// Build a scene given as a dict (the RON schema: `populations`, `projections`,
    /// `stimuli`, `recorders`, `dt`, `duration`, `seed`; optional fields may be left out).
    /// Errors raise `ValueError` with the path of the bad entry.
    #[new]
    #[pyo3(signature = (scene, threads = None))]
    fn new(py: Python<'_>, scene: &Bound<'_, PyDict>, threads: Option<usize>) -> PyResult<Self> {
        let json = py.import("json")?;
        let text: String = json
            .call_method1("dumps", (scene,))
            .map_err(|e| PyTypeError::new_err(format!("scene: not plain data ({e})")))?
            .extract()?;
        // The path of a bad entry (`populations[0]: unknown field ...`), not a position in
        // the JSON text the dict was turned into.
        let de = &mut serde_json::Deserializer::from_str(&text);
        let scene: Scene = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let mut msg = e.into_inner().to_string();
            if let Some(k) = msg.rfind(" at line ") {
                msg.truncate(k);
            }
            PyValueError::new_err(if path == "." {
                format!("scene: {msg}")
            } else {
                format!("scene.{path}: {msg}")
            })
        })?;
        let (sim, scene) =
            Self::build(scene, threads).map_err(|e| PyValueError::new_err(format!("scene.{e}")))?;
        Ok(Self {
            sim: Mutex::new(sim),
            scene,
        })
    }

    /// Load and build a RON scene file; errors say file:line:column and what was expected.
    #[staticmethod]
    #[pyo3(signature = (path, threads = None))]
    fn from_scene(path: PathBuf, threads: Option<usize>) -> PyResult<Self> {
        let loaded = neurocore::engine::scene::load::load(&path).map_err(value_err)?;
        let mut scene = loaded.scene.clone();
        if let Some(t) = threads {
            scene.threads = t.max(1);
        }
        // Validate against the file first so that errors are located in it.
        loaded.check(registry()).map_err(value_err)?;
        let (sim, scene) = Self::build(scene, None).map_err(|e| value_err(loaded.locate(&e)))?;
        Ok(Self {
            sim: Mutex::new(sim),
            scene,
        })
    }

    /// Run for `ms` milliseconds (default: the scene's duration), the GIL released; Ctrl-C
    /// stops between chunks of about 100 ms of biological time (raising KeyboardInterrupt,
    /// with everything so far kept). `progress=True` draws a bar on stderr. A state that
    /// becomes non-finite stops the run and raises `FloatingPointError` naming the neuron.
    #[pyo3(signature = (ms = None, progress = false))]
    fn run(&self, py: Python<'_>, ms: Option<f64>, progress: bool) -> PyResult<()> {
        let mut sim = lock(&self.sim);
        let ms = ms.unwrap_or(self.scene.duration);
        if !ms.is_finite() || ms < 0.0 {
            return Err(PyValueError::new_err(format!(
                "run(ms): expects a finite time >= 0, got {ms}"
            )));
        }
        let dt = sim.dt();
        let total = (ms / dt).round() as u64;
        let chunk = ((100.0 / dt).round() as u64).max(1);
        let mut done = 0u64;
        let sys = py.import("sys")?;
        let stderr = sys.getattr("stderr")?;
        while done < total {
            let k = chunk.min(total - done);
            let s: &mut Sim = &mut sim;
            let fault = py.detach(move || {
                let sim = s;
                for _ in 0..k {
                    sim.step();
                    if sim.fault().is_some() {
                        break;
                    }
                }
                sim.fault().map(|f| f.to_string())
            });
            done += k;
            if progress {
                let frac = done as f64 / total as f64;
                let w = 40usize;
                let fill = (frac * w as f64).round() as usize;
                let bar = format!(
                    "\r[{}{}] {:5.1}%  t = {:.1} ms",
                    "#".repeat(fill),
                    " ".repeat(w - fill),
                    100.0 * frac,
                    sim.time()
                );
                stderr.call_method1("write", (bar,))?;
                if done >= total {
                    stderr.call_method1("write", ("\n",))?;
                }
                stderr.call_method0("flush")?;
            }
            if let Some(f) = fault {
                return Err(PyFloatingPointError::new_err(f));
            }
            py.check_signals()?;
        }
        Ok(())
    }

    /// Recorded spikes: `(ids, times)`, uint32 global neuron ids and float64 times in ms (the
    /// end of the step that emitted them), in time order. `population` picks one population.
    #[pyo3(signature = (population = None))]
    fn spikes<'py>(
        &self,
        py: Python<'py>,
        population: Option<&str>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let sim = lock(&self.sim);
        let pops = sim.populations();
        if let Some(p) = population
            && !pops.iter().any(|q| q.name == p)
        {
            let names: Vec<&str> = pops.iter().map(|q| q.name.as_str()).collect();
            return Err(PyValueError::new_err(neurocore::engine::error::unknown(
                "population",
                p,
                &names,
            )));
        }
        let mut seen = vec![false; pops.len()];
        let mut ev: Vec<(u64, u32, f64)> = Vec::new();
        for r in &sim.recorders().spikes {
            if r.filter.is_some() || seen[r.pop] {
                continue;
            }
            if let Some(p) = population
                && pops[r.pop].name != p
            {
                continue;
            }
            seen[r.pop] = true;
            for ((&id, &st), t) in r.ids.iter().zip(&r.steps).zip(r.times()) {
                ev.push((st, id, t));
            }
        }
        ev.sort_by_key(|e| (e.0, e.1));
        let ids: Vec<u32> = ev.iter().map(|e| e.1).collect();
        let times: Vec<f64> = ev.iter().map(|e| e.2).collect();
        PyTuple::new(
            py,
            [
                PyArray1::from_vec(py, ids).into_any(),
                PyArray1::from_vec(py, times).into_any(),
            ],
        )
    }

    /// State traces of the scene's `state` recorders: a list with one dict per recorder,
    /// `{"population", "neurons" (global ids), "times" (ms), var: array (samples, neurons)}`.
    fn traces<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let sim = lock(&self.sim);
        let pops = sim.populations();
        let out = PyList::empty(py);
        for r in &sim.recorders().states {
            let d = PyDict::new(py);
            d.set_item("population", pops[r.pop].name.as_str())?;
            let start = pops[r.pop].start;
            let ids: Vec<u32> = r.neurons.iter().map(|&l| start + l).collect();
            d.set_item("neurons", PyArray1::from_vec(py, ids))?;
            d.set_item("times", PyArray1::from_vec(py, r.times.clone()))?;
            let nn = r.neurons.len();
            let nv = r.vars.len();
            let samples = r.times.len();
            for (vi, var) in r.vars.iter().enumerate() {
                let mut a = Vec::with_capacity(samples * nn);
                for s in 0..samples {
                    for k in 0..nn {
                        a.push(
                            r.data
                                .get((s * nn + k) * nv + vi)
                                .copied()
                                .unwrap_or(f64::NAN),
                        );
                    }
                }
                let arr = PyArray1::from_vec(py, a).reshape([samples, nn])?;
                d.set_item(var.as_str(), arr)?;
            }
            out.append(d)?;
        }
        Ok(out)
    }

    /// Population rates of the scene's `rate` recorders: population -> `(times, rates)`,
    /// bin starts in ms and rates in Hz.
    fn rates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let sim = lock(&self.sim);
        let pops = sim.populations();
        let d = PyDict::new(py);
        for r in &sim.recorders().rates {
            let bin = r.bin_steps as f64 * r.dt;
            let t: Vec<f64> = (0..r.rates.len()).map(|k| k as f64 * bin).collect();
            d.set_item(
                pops[r.pop].name.as_str(),
                (
                    PyArray1::from_vec(py, t),
                    PyArray1::from_vec(py, r.rates.clone()),
                ),
            )?;
        }
        Ok(d)
    }

    /// Write the values of an external-input stimulus (one per target neuron, or one).
    fn set_external(&self, name: &str, values: &Bound<'_, PyAny>) -> PyResult<()> {
        let vals: Vec<f64> = match values.extract::<f64>() {
            Ok(x) => vec![x],
            Err(_) => match param_value(name, values, true)? {
                ParamValue::List(l) => l,
                _ => return Err(PyTypeError::new_err("values: expects numbers")),
            },
        };
        lock(&self.sim)
            .set_external(name, &vals)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Set a constant bias on input `port` of every neuron of `population`.
    fn set_port(&self, population: &str, port: &str, value: f64) -> PyResult<()> {
        lock(&self.sim)
            .set_port(population, port, value)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The state of neuron `id` (global id) as a dict.
    fn state<'py>(&self, py: Python<'py>, id: u32) -> PyResult<Bound<'py, PyDict>> {
        let s = lock(&self.sim)
            .state(id)
            .ok_or_else(|| PyValueError::new_err(format!("no neuron with id {id}")))?;
        let d = PyDict::new(py);
        for (k, v) in s.iter() {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Set state variable `var` of neuron `id`.
    fn set_state(&self, id: u32, var: &str, value: f64) -> PyResult<()> {
        if !value.is_finite() {
            return Err(PyValueError::new_err(format!(
                "state variable `{var}` must be finite, got {value}"
            )));
        }
        lock(&self.sim)
            .set_state(id, var, value)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// State variable `var` of every neuron of `population`, as an array.
    fn state_of<'py>(
        &self,
        py: Python<'py>,
        population: &str,
        var: &str,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let v = lock(&self.sim)
            .state_column(population, var)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(PyArray1::from_vec(py, v))
    }

    /// The current weights of projection `name` (by source neuron, as
    /// [`connections`](Self::connections) lists the synapses); a plastic projection's weights
    /// include every postsynaptic spike that has met its synapse so far.
    fn weights<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let w = lock(&self.sim)
            .weights(name)
            .ok_or_else(|| PyValueError::new_err(format!("no projection named `{name}`")))?;
        Ok(PyArray1::from_vec(py, w))
    }

    /// The synapses of projection `name` as two arrays, source and target local indices.
    fn connections<'py>(&self, py: Python<'py>, name: &str) -> PyResult<IndexPair<'py>> {
        let c = lock(&self.sim)
            .connections(name)
            .ok_or_else(|| PyValueError::new_err(format!("no projection named `{name}`")))?;
        let (s, t): (Vec<u32>, Vec<u32>) = c.into_iter().unzip();
        Ok((PyArray1::from_vec(py, s), PyArray1::from_vec(py, t)))
    }

    /// Populations: a list of `(name, model, first id, size)`.
    #[getter]
    fn populations(&self) -> Vec<(String, String, u32, u32)> {
        lock(&self.sim)
            .populations()
            .iter()
            .map(|p| (p.name.clone(), p.model.to_string(), p.start, p.len))
            .collect()
    }

    /// Time, ms.
    #[getter]
    fn time(&self) -> f64 {
        lock(&self.sim).time()
    }

    /// Step, ms.
    #[getter]
    fn dt(&self) -> f64 {
        lock(&self.sim).dt()
    }

    /// The scene's duration, ms.
    #[getter]
    fn duration(&self) -> f64 {
        self.scene.duration
    }

    fn __repr__(&self) -> String {
        let sim = lock(&self.sim);
        let n: u32 = sim.populations().iter().map(|p| p.len).sum();
        format!(
            "Simulation({} populations, {n} neurons, t = {} ms)",
            sim.populations().len(),
            sim.time()
        )
    }
}

/// The package's version (the engine's).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The Rust extension of the `neurocore` package.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Neuron>()?;
    m.add_class::<Population>()?;
    m.add_class::<Simulation>()?;
    m.add_function(wrap_pyfunction!(model_names, m)?)?;
    m.add_function(wrap_pyfunction!(model_info, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
