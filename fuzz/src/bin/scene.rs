//! AFL++ target: a scene file's bytes go through everything `neurocore check` and the start of
//! `neurocore run` do — parse (with located errors), duplicate-key check, sidecar resolution,
//! validation against the model registry, size estimate and refusal — and small networks are
//! built and stepped for 2 ms. Any panic, abort or hang is a finding.

use std::path::Path;

use neurocore::engine::scene::load;
use neurocore::engine::sim::{BuildOptions, Simulation, check_scene};

fn main() {
    let reg = neurocore::registry();
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        // Sidecars resolve against a folder that holds none: their absence is an error path.
        let Ok(l) = load::load_text(text.to_string(), Path::new("/nonexistent/fuzz.ron")) else {
            return;
        };
        let opts = BuildOptions {
            memory_limit: Some(256.0 * 1024.0 * 1024.0),
        };
        let Ok(size) = check_scene(&l.scene, &reg, &opts) else {
            return;
        };
        if size.neurons <= 2_000 && size.synapses <= 2e5 && size.pair_work <= 1e7 {
            let mut scene = l.scene.clone();
            scene.threads = 1;
            if let Ok(mut sim) = Simulation::from_scene_with(&scene, &reg, &opts) {
                let _ = sim.try_run(2.0);
            }
        }
    });
}
