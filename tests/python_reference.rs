//! The reference the Python package is checked against: every registered model's standalone
//! type (Rust, no Python involved) stepped through a fixed input sequence, its outputs and
//! states written to `python/tests/data/standalone_reference.json`.
//!
//! This test recomputes the sequences and asserts the committed file equals them bit for bit,
//! so the file can never drift from the Rust types; `python/tests/test_models.py` asserts the
//! Python classes reproduce the same file bit for bit (floats are written in Rust's
//! shortest round-trip form, which Python's `json` parses to the same double).
//!
//! After a deliberate change of a model's numbers, or a new model, regenerate with
//! `NEUROCORE_WRITE_PYREF=1 cargo test --test python_reference`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use neurocore::engine::registry::ModelEntry;
use neurocore::registry;
use serde_json::{Value, json};

const STEPS: usize = 120;
const SEED: u64 = 11;
const ID: u32 = 3;
const EVERY: usize = 20;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/tests/data/standalone_reference.json")
}

/// Port `k`'s input at step `s`: the model's typical drive, ramped and switched so that
/// thresholds are crossed and inputs differ between ports and steps.
fn input(drive: &[f64], k: usize, s: usize) -> f64 {
    let d = drive.get(k).copied().unwrap_or(0.0);
    let scale = [0.0, 0.5, 1.0, 1.5, 2.0, 1.0][(s / 20) % 6];
    let wiggle = 1.0 + 0.1 * ((s * 7 + k * 3) % 5) as f64;
    d * scale * wiggle
}

fn sequence(e: &dyn ModelEntry) -> Value {
    let mut n = match e.standalone(&BTreeMap::new(), None) {
        Ok(n) => n,
        Err(err) => panic!("{}: defaults do not build: {err}", e.name()),
    };
    n.set_seed(SEED, ID);
    let ports = e.ports().len();
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let mut states = Vec::new();
    let mut error = Value::Null;
    for s in 0..STEPS {
        let x: Vec<f64> = (0..ports).map(|k| input(e.drive(), k, s)).collect();
        inputs.push(json!(x));
        match n.try_step_ports(&x) {
            Ok(y) => outputs.push(json!(y)),
            Err(err) => {
                error = json!(format!("step {s}: {err:?}"));
                break;
            }
        }
        if (s + 1) % EVERY == 0 {
            states.push(json!(n.get_state().values));
        }
    }
    json!({
        "ports": e.ports(),
        "state_names": e.state_names(),
        "output": e.output().to_string(),
        "inputs": inputs,
        "outputs": outputs,
        "states": states,
        "error": error,
    })
}

fn reference() -> Value {
    let r = registry();
    let mut models = serde_json::Map::new();
    for name in r.names() {
        let e = r.get(name).expect("a registered name resolves");
        models.insert(name.to_string(), sequence(e));
    }
    json!({ "seed": SEED, "id": ID, "state_every": EVERY, "models": models })
}

#[test]
fn committed_python_reference_equals_the_rust_standalone_types() {
    let now = reference();
    if std::env::var_os("NEUROCORE_WRITE_PYREF").is_some() {
        let text = serde_json::to_string(&now).expect("serialises");
        std::fs::write(path(), text + "\n").expect("writes the reference");
        return;
    }
    let text = std::fs::read_to_string(path())
        .expect("python/tests/data/standalone_reference.json exists");
    let committed: Value = serde_json::from_str(&text).expect("the committed reference parses");
    let (Some(a), Some(b)) = (now["models"].as_object(), committed["models"].as_object()) else {
        panic!("reference has no models");
    };
    let missing: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "models missing from the committed Python reference (regenerate: NEUROCORE_WRITE_PYREF=1 cargo test --test python_reference): {missing:?}"
    );
    for (name, v) in a {
        // serde_json compares numbers exactly (f64 equality of the parsed shortest repr).
        assert_eq!(
            v, &b[name],
            "{name}: the Rust standalone type no longer gives the committed numbers; if the change is deliberate, regenerate (NEUROCORE_WRITE_PYREF=1 cargo test --test python_reference)"
        );
    }
    assert_eq!(
        a.len(),
        b.len(),
        "the committed reference has models the registry does not"
    );
}
