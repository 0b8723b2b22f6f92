//! Kernel benchmarks: the batch path of every registered model (100,000 neurons, one network
//! step of 0.1 ms per iteration, the model's typical drive held on its ports), a plain-`Vec`
//! struct-of-arrays LIF loop beside it as the machine's limit, and the Hodgkin–Huxley
//! population on 1 and 2 threads.
//!
//! ns per neuron-step = reported time per iteration / 100,000.
//!
//! ```text
//! cargo bench --bench kernels                      # everything
//! cargo bench --bench kernels -- 'lif'             # the LIF comparison only
//! cargo bench --bench kernels -- 'hh_threads'      # HH on 1 vs 2 threads
//! cargo bench --bench kernels -- 'standalone'      # one standalone step() (vs Python's)
//! cargo bench --bench kernels -- 'held'            # a Python Population's whole step
//! cargo bench --bench kernels -- 'fixed'           # the fixed cost of a step (1 neuron)
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use neurocore::engine::model::{Input, Model};
use neurocore::engine::scene::PopulationSpec;
use neurocore::engine::sim::Simulation;
use neurocore::models::LIFNeuron;
use neurocore::models::integrate_fire::lif::{LIFConsts, LIFParams, LIFState, lif_step};
use neurocore::registry;

const N: u32 = 100_000;
const DT: f64 = 0.1;

/// A population of `N` neurons of `model` with its drive written on its ports.
fn population(model: &str, threads: usize) -> Simulation {
    let reg = registry();
    let e = reg.get(model).expect("registered");
    let mut sim = Simulation::builder(&reg)
        .dt(DT)
        .threads(threads)
        .population(PopulationSpec::new("p", model, N))
        .build()
        .expect("builds");
    for (port, &x) in e.ports().iter().zip(e.drive()) {
        sim.set_port("p", port, x).expect("port exists");
    }
    sim
}

fn kernels(c: &mut Criterion) {
    let reg = registry();
    let mut g = c.benchmark_group("kernels");
    g.throughput(Throughput::Elements(N as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for e in reg.iter() {
        let mut sim = population(e.name(), 1);
        g.bench_function(BenchmarkId::from_parameter(e.name()), |b| {
            b.iter(|| sim.step_kernels())
        });
    }
    g.finish();
}

/// The same LIF kernel over plain `Vec`s: what the ECS batch path is measured against. The
/// loop is written the way a careful hand-written SoA loop is: the kernel runs branch-free over
/// the arrays (it vectorises), spike flags go to a byte array, and a second pass collects the
/// ids — the fastest plain loop we know for this kernel.
struct PlainLif {
    v: Vec<f64>,
    refractory: Vec<f64>,
    input: Vec<f64>,
    fired: Vec<u8>,
    spikes: Vec<u32>,
    k: LIFConsts,
}

impl PlainLif {
    fn new(i: f64) -> Self {
        let p = LIFParams::default();
        let s = <LIFNeuron as Model>::init(&p);
        Self {
            v: vec![s.v; N as usize],
            refractory: vec![0.0; N as usize],
            input: vec![i; N as usize],
            fired: vec![0; N as usize],
            spikes: Vec::new(),
            k: <LIFNeuron as Model>::prepare(&p, DT),
        }
    }
    #[inline(never)]
    fn step(&mut self) {
        self.spikes.clear();
        for (((v, r), &x), f) in self
            .v
            .iter_mut()
            .zip(self.refractory.iter_mut())
            .zip(&self.input)
            .zip(self.fired.iter_mut())
        {
            let mut s = LIFState {
                v: *v,
                refractory: *r,
            };
            *f = lif_step(&self.k, &mut s, &Input::ports([x])) as u8;
            *v = s.v;
            *r = s.refractory;
        }
        for (c, chunk) in self.fired.chunks(8).enumerate() {
            if chunk.iter().fold(0u8, |a, &b| a | b) != 0 {
                for (i, &b) in chunk.iter().enumerate() {
                    if b != 0 {
                        self.spikes.push((c * 8 + i) as u32);
                    }
                }
            }
        }
    }
}

fn lif(c: &mut Criterion) {
    let mut g = c.benchmark_group("lif");
    g.throughput(Throughput::Elements(N as u64))
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let drive = LIFNeuron::DRIVE[0];
    let mut plain = PlainLif::new(drive);
    g.bench_function("plain_vec", |b| b.iter(|| black_box(&mut plain).step()));
    let mut sim = population("LIFNeuron", 1);
    g.bench_function("ecs_batch", |b| b.iter(|| sim.step_kernels()));
    g.finish();
}

fn hh_threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("hh_threads");
    g.throughput(Throughput::Elements(N as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for threads in [1, 2] {
        let mut sim = population("HodgkinHuxleyNeuron", threads);
        g.bench_function(BenchmarkId::from_parameter(threads), |b| {
            b.iter(|| sim.step_kernels())
        });
    }
    g.finish();
}

/// One standalone `step()` through the registry's dynamic interface: the Rust side of what a
/// Python `neurocore.<Model>().step(current=x)` call does (benches/python_bench.py `call`
/// measures the Python side; the difference is the binding's call overhead).
fn standalone(c: &mut Criterion) {
    let reg = registry();
    let mut g = c.benchmark_group("standalone");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (model, x) in [
        ("LIFNeuron", 400.0),
        ("HodgkinHuxleyNeuron", 10.0),
        ("AdExNeuron", 800.0),
        ("ExpIFNeuron", 10.0),
        ("WangBuzsakiNeuron", 1.0),
    ] {
        let e = reg.get(model).expect("registered");
        let mut n = e
            .standalone(&Default::default(), None)
            .expect("defaults build");
        g.bench_function(BenchmarkId::from_parameter(model), |b| {
            b.iter(|| black_box(n.try_step_ports(black_box(&[x]))))
        });
    }
    g.finish();
}

/// What a Python `Population(model, 100000, dt=0.1).run(100, drive)` does on the Rust side,
/// with one input value per neuron (the typical drive times 0.9 + 0.2·i/N for neuron i, as
/// benches/python_bench.py `pop` passes): an `External` stimulus per port that the host writes,
/// read by the kernel as each block is integrated. `held/kernel/<model>` runs the Integrate
/// systems only (the Rust batch kernel with per-neuron inputs; compare with `kernels/<model>`,
/// whose drive is one constant); `held/step/<model>` runs the whole network step with the state
/// checked for NaN after every step (a Population's default).
fn held(c: &mut Criterion) {
    use neurocore::engine::scene::{StimulusKind, StimulusSpec, Target};
    let reg = registry();
    let mut g = c.benchmark_group("held");
    g.throughput(Throughput::Elements(N as u64))
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for model in ["LIFNeuron", "IzhikevichNeuron", "HodgkinHuxleyNeuron"] {
        let e = reg.get(model).expect("registered");
        let mut b = Simulation::builder(&reg)
            .dt(DT)
            .population(PopulationSpec::new("p", model, N));
        for port in e.ports() {
            b = b.stimulus(
                StimulusSpec::new(Target::all("p"), StimulusKind::External { initial: 0.0 })
                    .port(*port)
                    .named(format!("input:{port}")),
            );
        }
        let mut sim = b.build().expect("builds");
        for (port, &x) in e.ports().iter().zip(e.drive()) {
            let per_neuron: Vec<f64> = (0..N)
                .map(|i| x * (0.9 + 0.2 * f64::from(i) / f64::from(N)))
                .collect();
            sim.set_external(&format!("input:{port}"), &per_neuron)
                .expect("stimulus exists");
        }
        g.bench_function(BenchmarkId::new("kernel", model), |b| {
            b.iter(|| sim.step_kernels())
        });
        sim.set_watchdog_interval(DT).expect("valid interval");
        g.bench_function(BenchmarkId::new("step", model), |b| b.iter(|| sim.step()));
    }
    g.finish();
}

/// The fixed cost of one network step (issue 15's target: under 1 µs): the whole step of a
/// network of one LIF neuron (schedule, system dispatch, resource lookups, recorder checks),
/// and of one LIF neuron with a DC stimulus, a self-projection and a spike recorder.
fn fixed(c: &mut Criterion) {
    use neurocore::engine::scene::{
        ProjectionSpec, RecorderSpec, Rule, StimulusKind, StimulusSpec, Target,
    };
    let reg = registry();
    let mut g = c.benchmark_group("fixed");
    g.sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut bare = Simulation::builder(&reg)
        .dt(DT)
        .population(PopulationSpec::new("p", "LIFNeuron", 1))
        .build()
        .expect("builds");
    g.bench_function("bare", |b| b.iter(|| bare.step()));
    let mut wired = Simulation::builder(&reg)
        .dt(DT)
        .population(PopulationSpec::new("p", "LIFNeuron", 1))
        .stimulus(StimulusSpec::new(
            Target::all("p"),
            StimulusKind::Dc { amplitude: 400.0 },
        ))
        .projection(ProjectionSpec::new("p", "p", Rule::AllToAll).weight(1.0))
        .recorder(RecorderSpec::Spikes {
            target: Target::all("p"),
        })
        .build()
        .expect("builds");
    g.bench_function("wired", |b| b.iter(|| wired.step()));
    g.finish();
}

criterion_group!(benches, lif, hh_threads, kernels, standalone, held, fixed);
criterion_main!(benches);
