//! Network benchmarks: the reference scenes of `scenes/`, 100 ms of biological time per
//! iteration (1 thread, recorders removed, as `neurocore bench` runs them), and building each
//! network from its scene.
//!
//! ```text
//! cargo bench --bench networks                  # everything
//! cargo bench --bench networks -- 'simulate/'   # 100 ms of each network
//! cargo bench --bench networks -- 'build/'      # construction only
//! ```
//!
//! `neurocore bench SCENE` measures a whole second and the peers' comparison (README).

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use neurocore::engine::scene::load::{self, LoadedScene};
use neurocore::registry;

const SCENES: &[&str] = &[
    "vogels_abbott_coba",
    "vogels_abbott_cuba",
    "cobahh",
    "cobahh_dense",
    "brunel_2000",
];

fn scene(name: &str) -> LoadedScene {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes")
        .join(format!("{name}.ron"));
    let mut l = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    l.scene.recorders.clear();
    l.scene.threads = 1;
    l
}

fn simulate(c: &mut Criterion) {
    let reg = registry();
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for name in SCENES {
        let l = scene(name);
        let mut sim = l.build(&reg).unwrap_or_else(|e| panic!("{e}"));
        // Past the initial transient.
        sim.run(100.0);
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| sim.run(100.0))
        });
    }
    g.finish();
}

fn build(c: &mut Criterion) {
    let reg = registry();
    let mut g = c.benchmark_group("build");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for name in SCENES {
        let l = scene(name);
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| l.build(&reg).unwrap_or_else(|e| panic!("{e}")))
        });
    }
    g.finish();
}

criterion_group!(benches, simulate, build);
criterion_main!(benches);
