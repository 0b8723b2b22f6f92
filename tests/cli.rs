//! The `neurocore` command, run as a user runs it: `models`, `check`, `run` (outputs, summary,
//! interruption) and `bench`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use neurocore::registry;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_neurocore"))
}

fn out(args: &[&str]) -> Output {
    bin().args(args).output().expect("neurocore runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh directory for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A small scene: 100 LIF neurons driven above rheobase (LIF defaults: 15 mV · 25 nS = 375 pA)
/// with Poisson excitation on top, recurrent inhibition, every kind of recorder.
fn small_scene(dir: &Path, duration: f64) -> PathBuf {
    let s = format!(
        r#"Scene(
    dt: 0.1,
    duration: {duration:?},
    seed: 3,
    populations: [
        (name: "net", model: "LIFNeuron", size: 100,
         init: {{"v": uniform(low: -70.0, high: -55.0)}},
         receptors: [(name: "inh", kind: exp_current(tau: 5.0))]),
    ],
    projections: [
        (source: "net", target: "net", rule: fixed_indegree(k: 10), weight: -20.0, delay: 1.0,
         receptor: "inh"),
    ],
    stimuli: [
        (target: (population: "net"), kind: dc(amplitude: 420.0)),
        (target: (population: "net"), kind: poisson(rate: 1000.0, weight: 30.0)),
    ],
    recorders: [
        spikes(target: (population: "net")),
        state(target: (population: "net", neurons: [0, 5]), vars: ["v"], interval: 1.0),
        rate(population: "net", bin: 10.0),
    ],
)
"#
    );
    let p = dir.join("small.ron");
    std::fs::write(&p, s).unwrap();
    p
}

/// Read a spike NPY file: (ids, times in ms).
fn read_spikes(path: &Path) -> (Vec<u32>, Vec<f64>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape().len(), 1);
    // Records of (u32 id, f64 t), little-endian, packed: 12 bytes each after the header.
    let n = npy.shape()[0] as usize;
    let data = &bytes[bytes.len() - 12 * n..];
    let mut ids = Vec::with_capacity(n);
    let mut ts = Vec::with_capacity(n);
    for r in data.chunks_exact(12) {
        ids.push(u32::from_le_bytes(r[..4].try_into().unwrap()));
        ts.push(f64::from_le_bytes(r[4..].try_into().unwrap()));
    }
    (ids, ts)
}

fn read_f64(path: &Path) -> (Vec<u64>, Vec<f64>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    let shape = npy.shape().to_vec();
    (shape, npy.into_vec::<f64>().unwrap())
}

fn summary(dir: &Path) -> serde_json::Value {
    let s = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    serde_json::from_str(&s).unwrap()
}

#[test]
fn models_lists_the_whole_catalogue_and_describes_one_model() {
    let o = out(&["models"]);
    assert!(o.status.success());
    let s = text(&o.stdout);
    let reg = registry();
    assert!(s.starts_with(&format!("{} models", reg.len())), "{s}");
    for e in reg.iter() {
        assert!(s.contains(e.name()), "{} is not listed", e.name());
    }
    let o = out(&["models", "AdExNeuron"]);
    assert!(o.status.success());
    let s = text(&o.stdout);
    for want in [
        "Brette & Gerstner 2005",
        "tau_w",
        "[ms]",
        "b ",
        "[pA]",
        "state",
        "w ",
    ] {
        assert!(s.contains(want), "no `{want}` in\n{s}");
    }
    // The port semantics with the weight that matches the typical drive (tests/network.rs
    // `a_spike_on_a_port_adds_its_weight_for_one_step` checks the claim on a network).
    let s = text(&out(&["models", "IzhikevichNeuron"]).stdout);
    for want in [
        "typical drive current = 10 ",
        "w*r*dt/1000",
        "e.g. 100 at r = 1000 Hz",
    ] {
        assert!(s.contains(want), "no `{want}` in\n{s}");
    }
    let o = out(&["models", "AdexNeuron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("AdExNeuron"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn check_sizes_a_good_scene_and_locates_mistakes_in_a_bad_one() {
    let dir = tmp("check");
    let good = small_scene(&dir, 100.0);
    let o = out(&["check", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    assert!(
        s.contains("100 neurons") && s.contains("~1000 synapses"),
        "{s}"
    );

    let bad = dir.join("bad.ron");
    let t = std::fs::read_to_string(&good)
        .unwrap()
        .replace("\"LIFNeuron\"", "\"LIFNeuronn\"");
    std::fs::write(&bad, t).unwrap();
    let o = out(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("bad.ron:6:23: populations[0].model") && e.contains("did you mean `LIFNeuron`"),
        "{e}"
    );
    // A file that is not there is an error, not a panic.
    let o = out(&["check", dir.join("nowhere.ron").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot read"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_writes_spikes_traces_rates_raster_and_a_summary_that_agree() {
    let dir = tmp("run");
    let scene = small_scene(&dir, 200.0);
    let od = dir.join("out");
    let o = out(&[
        "run",
        scene.to_str().unwrap(),
        "--out",
        od.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    assert!(table.contains("net") && table.contains("CV ISI"), "{table}");

    let sum = summary(&od);
    assert_eq!(sum["interrupted"], false);
    assert_eq!(sum["neurons"], 100);
    let spikes = sum["populations"][0]["spikes"].as_u64().unwrap();
    assert!(spikes > 100, "{spikes} spikes");
    let (ids, ts) = read_spikes(&od.join("spikes_net.npy"));
    assert_eq!(
        ids.len() as u64,
        spikes,
        "the file holds every spike the summary counts"
    );
    assert!(ids.iter().all(|&i| i < 100));
    assert!(ts.windows(2).all(|w| w[0] <= w[1]), "times in order");
    assert!(ts.iter().all(|&t| t > 0.0 && t <= 200.0));
    // The rate file: 20 bins of 10 ms whose mean is the summary's rate.
    let (shape, rates) = read_f64(&od.join("rate_net.npy"));
    assert_eq!(shape, vec![20]);
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    let rate = sum["populations"][0]["rate_hz"].as_f64().unwrap();
    assert!(
        (mean - rate).abs() < 1e-6 * rate.max(1.0),
        "{mean} vs {rate}"
    );
    // Traces: 200 samples (one per ms) of 2 neurons, within the LIF's range.
    let (shape, v) = read_f64(&od.join("trace_net_v.npy"));
    assert_eq!(shape, vec![200, 2]);
    assert!(v.iter().all(|&x| (-80.0..=-55.0).contains(&x)), "{v:?}");
    let png = std::fs::read(od.join("raster.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // No part files are left behind.
    for e in std::fs::read_dir(&od).unwrap().flatten() {
        assert!(
            !e.path().to_string_lossy().ends_with(".part"),
            "{:?}",
            e.path()
        );
    }

    // Overrides and CSV: half the duration, spikes as text.
    let od2 = dir.join("out2");
    let o = out(&[
        "run",
        scene.to_str().unwrap(),
        "--out",
        od2.to_str().unwrap(),
        "--duration",
        "100",
        "--csv",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = std::fs::read_to_string(od2.join("spikes_net.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,t_ms"));
    let rows: Vec<(u32, f64)> = lines
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    // The same seed: the first 100 ms are the same spikes as in the NPY file.
    let first: Vec<(u32, f64)> = ids
        .iter()
        .zip(&ts)
        .filter(|(_, t)| **t <= 100.0 + 1e-9)
        .map(|(&i, &t)| (i, t))
        .collect();
    assert_eq!(rows, first);
    assert_eq!(summary(&od2)["simulated_ms"], 100.0);
    std::fs::remove_dir_all(&dir).ok();
}

/// Start a long run and wait until it has written its first chunk.
fn start_long_run(dir: &Path) -> (std::process::Child, PathBuf) {
    let scene = small_scene(dir, 1.0e7);
    let od = dir.join("out");
    let child = bin()
        .args([
            "run",
            scene.to_str().unwrap(),
            "--out",
            od.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let part = od.join("spikes_net.npy.part");
    let t0 = Instant::now();
    // The first checkpoint comes after 50 ms of biological time.
    loop {
        let len = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        if len > 1000 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "no output after 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, od)
}

/// Send `signal` to a long run once it has written output; it must finish its files and say
/// it was interrupted.
fn interrupt_and_check(name: &str, signal: &str, code: i32) {
    let dir = tmp(name);
    let (child, od) = start_long_run(&dir);
    std::thread::sleep(Duration::from_millis(300));
    let k = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(k.success());
    let o = child.wait_with_output().unwrap();
    // The conventional code of the signal, after the files are finished.
    assert_eq!(o.status.code(), Some(code), "{}", text(&o.stderr));
    let sum = summary(&od);
    assert_eq!(sum["interrupted"], true);
    let ms = sum["simulated_ms"].as_f64().unwrap();
    assert!(ms > 0.0 && ms < 1.0e7);
    let (ids, ts) = read_spikes(&od.join("spikes_net.npy"));
    assert_eq!(
        ids.len() as u64,
        sum["populations"][0]["spikes"].as_u64().unwrap()
    );
    assert!(ts.iter().all(|&t| t <= ms + 1e-9));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_interrupted_run_finishes_its_files_and_says_so() {
    interrupt_and_check("sigint", "-INT", 130);
}

#[test]
fn a_killed_run_leaves_valid_part_files_with_what_it_recorded() {
    let dir = tmp("sigkill");
    let (mut child, od) = start_long_run(&dir);
    // Past the first checkpoint's header rewrite (the data is flushed just before it).
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL: no chance to finish anything
    child.wait().unwrap();
    // The part files are valid NPY up to their last checkpoint.
    let (ids, ts) = read_spikes(&od.join("spikes_net.npy.part"));
    assert!(!ids.is_empty());
    assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    let (shape, v) = read_f64(&od.join("trace_net_v.npy.part"));
    assert_eq!(shape[1], 2);
    assert_eq!(v.len() as u64, shape[0] * 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bench_reports_times_rates_and_memory_as_json() {
    let dir = tmp("bench");
    let scene = small_scene(&dir, 100.0);
    let o = out(&["bench", scene.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let b: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(b["neurons"], 100);
    assert_eq!(b["synapses"], 1000);
    assert_eq!(b["duration_ms"], 100.0);
    assert!(b["sim_s"].as_f64().unwrap() > 0.0);
    let bps = b["bytes_per_synapse"].as_f64().unwrap();
    assert!(bps > 0.0 && bps <= 12.0, "{bps} bytes per synapse");
    let rate = b["rates_hz"][0][1].as_f64().unwrap();
    assert!(rate > 5.0, "{rate} Hz");
    // Bad command-line values are refused with a message, not a panic.
    let o = out(&["bench", scene.to_str().unwrap(), "--threads", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--threads"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 13: a run whose state becomes NaN (HH with its substep raised to dt) stops with exit
/// code 3 and a message naming the population, variable and substep; the spikes recorded until
/// then are in a valid file and `summary.json` carries the fault. `--nan warn` runs to the end.
#[test]
fn a_run_whose_state_becomes_nan_stops_and_keeps_what_it_recorded() {
    let dir = tmp("nan");
    let scene = dir.join("hh.ron");
    std::fs::write(
        &scene,
        r#"Scene(
    dt: 0.1,
    duration: 500.0,
    populations: [(name: "hh", model: "HodgkinHuxleyNeuron", size: 10, params: {"dt": 0.1})],
    stimuli: [(target: (population: "hh"), kind: dc(amplitude: 10.0))],
    recorders: [spikes(target: (population: "hh"))],
)"#,
    )
    .unwrap();
    let o = out(&[
        "run",
        scene.to_str().unwrap(),
        "--out",
        dir.join("stop").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("population `hh`") && err.contains("substep `dt` = 0.1 ms"),
        "{err}"
    );
    let s = summary(&dir.join("stop"));
    assert!(
        s["fault"]
            .as_str()
            .is_some_and(|f| f.contains("non-finite")),
        "{s}"
    );
    assert_eq!(s["interrupted"], true);
    let t_stop = s["simulated_ms"].as_f64().expect("simulated_ms");
    assert!(t_stop < 500.0, "stopped at {t_stop}");
    let (ids, times) = read_spikes(&dir.join("stop/spikes_hh.npy"));
    assert_eq!(ids.len(), times.len());
    assert!(times.iter().all(|&t| t <= t_stop));

    let o = out(&[
        "run",
        scene.to_str().unwrap(),
        "--out",
        dir.join("warn").to_str().unwrap(),
        "--nan",
        "warn",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("warning: the state became non-finite"));
    let s = summary(&dir.join("warn"));
    assert_eq!(s["simulated_ms"].as_f64(), Some(500.0));
    assert!(s["fault"].is_string());
}

/// SIGTERM (what schedulers and containers send) ends a run as Ctrl-C does: files finished,
/// summary written, `interrupted: true`.
#[test]
fn sigterm_finishes_the_run_like_ctrl_c() {
    interrupt_and_check("sigterm", "-TERM", 143);
}

/// Issue 13: Ctrl-C during a long build used to be ignored until the build ended, and the run
/// then simulated. Now the first Ctrl-C during the build ends the process at once (exit 130),
/// before anything is written.
#[test]
fn ctrl_c_during_a_long_build_stops_at_once() {
    let dir = tmp("sigint-build");
    let scene = dir.join("big.ron");
    std::fs::write(
        &scene,
        r#"Scene(
    dt: 0.1,
    duration: 100000.0,
    populations: [(name: "p", model: "LIFNeuron", size: 20000)],
    projections: [(source: "p", target: "p", rule: fixed_total_number(n: 300000000), port: "current", weight: 0.0)],
    recorders: [spikes(target: (population: "p"))],
)"#,
    )
    .unwrap();
    let od = dir.join("out");
    let child = bin()
        .args([
            "run",
            scene.to_str().unwrap(),
            "--out",
            od.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let t0 = Instant::now();
    let k = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(k.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("interrupted while building"));
    // Stopped well before a 3·10⁸-synapse build could finish, and wrote nothing.
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    assert!(!od.join("summary.json").exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// `--out` naming an existing file says so, instead of "File exists (os error 17)".
#[test]
fn an_output_path_that_is_a_file_is_a_clear_error() {
    let dir = tmp("out-file");
    let scene = small_scene(&dir, 10.0);
    let f = dir.join("not-a-dir");
    std::fs::write(&f, "x").unwrap();
    let o = out(&["run", scene.to_str().unwrap(), "--out", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is a file"), "{}", text(&o.stderr));
}

/// Issue 13 (c): `check` warns before a run when one neuron of a population, at the scene's dt
/// with these parameters, goes non-finite (HH with its substep raised to 0.1 ms); the same
/// scene at HH's own substep gets no warning.
#[test]
fn check_warns_when_a_substep_is_too_large_for_the_model() {
    let dir = tmp("check-substep");
    let scene = dir.join("hh.ron");
    let scene_text = |h: f64| {
        format!(
            r#"Scene(dt: 0.1, duration: 10.0,
    populations: [(name: "hh", model: "HodgkinHuxleyNeuron", size: 4, params: {{"dt": {h:?}}})])"#
        )
    };
    std::fs::write(&scene, scene_text(0.1)).unwrap();
    let o = out(&["check", scene.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    assert!(
        s.contains("warning: populations[0]") && s.contains("substep `dt` = 0.1 ms"),
        "{s}"
    );
    std::fs::write(&scene, scene_text(0.01)).unwrap();
    let o = out(&["check", scene.to_str().unwrap()]);
    assert!(!text(&o.stdout).contains("warning"), "{}", text(&o.stdout));
}

/// Every output file of a finished run, by name, with its bytes (the summary left out: it
/// holds times and the resume point).
fn output_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n != "summary.json")
        .map(|(n, p)| (n, std::fs::read(p).unwrap()))
        .collect();
    v.sort();
    v
}

fn assert_same_outputs(a: &Path, b: &Path) {
    let (fa, fb) = (output_files(a), output_files(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb), "different files");
    for ((n, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(
            x == y,
            "{n} differs after resuming ({} vs {} bytes)",
            x.len(),
            y.len()
        );
    }
}

#[test]
fn a_run_resumed_from_its_checkpoint_writes_the_files_of_a_straight_run() {
    let dir = tmp("resume");
    let scene = small_scene(&dir, 400.0);
    let (a, b) = (dir.join("a"), dir.join("b"));
    let o = out(&["run", scene.to_str().unwrap(), "--out", a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Checkpoints at 150 and 300 ms; the run finishes, then is resumed from 300 ms: the files
    // are cut back to 300 ms and continued.
    let o = out(&[
        "run",
        scene.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
        "--checkpoint-every",
        "150",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(b.join("checkpoint/manifest.ron").exists());
    let o = out(&["resume", b.to_str().unwrap(), "--threads", "2"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(summary(&b)["resumed_from_ms"].as_f64(), Some(300.0));
    assert_eq!(summary(&b)["simulated_ms"].as_f64(), Some(400.0));
    assert_same_outputs(&a, &b);
    // Resuming something that is not a checkpointed run says what is missing.
    let o = out(&["resume", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("--checkpoint-every"),
        "{}",
        text(&o.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_killed_run_resumes_to_the_files_of_a_straight_run() {
    let dir = tmp("kill-resume");
    let scene = small_scene(&dir, 30_000.0);
    let (a, b) = (dir.join("a"), dir.join("b"));
    let mut child = bin()
        .args([
            "run",
            scene.to_str().unwrap(),
            "--out",
            b.to_str().unwrap(),
            "--checkpoint-every",
            "500",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while !b.join("checkpoint/run.json").exists() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "no checkpoint after 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap(); // SIGKILL (or the run already finished: resume still continues it)
    child.wait().unwrap();
    let o = out(&["resume", b.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = out(&["run", scene.to_str().unwrap(), "--out", a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_same_outputs(&a, &b);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_full_disk_loses_only_the_file_that_could_not_be_written() {
    let dir = tmp("disk-full");
    let scene = small_scene(&dir, 300.0);
    let od = dir.join("out");
    std::fs::create_dir_all(&od).unwrap();
    // The trace file's part goes to /dev/full: every write to it fails with ENOSPC.
    std::os::unix::fs::symlink("/dev/full", od.join("trace_net_v.npy.part")).unwrap();
    let o = out(&[
        "run",
        scene.to_str().unwrap(),
        "--out",
        od.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("trace_net_v.npy") && err.contains("No space left"),
        "{err}"
    );
    // Everything else ran to the end and is complete.
    let sum = summary(&od);
    assert_eq!(sum["simulated_ms"].as_f64(), Some(300.0));
    assert_eq!(sum["failed_files"].as_array().map(|a| a.len()), Some(1));
    let (ids, _) = read_spikes(&od.join("spikes_net.npy"));
    assert_eq!(
        ids.len() as u64,
        sum["populations"][0]["spikes"].as_u64().unwrap()
    );
    let (shape, _) = read_f64(&od.join("trace_net_times.npy"));
    assert_eq!(shape[0], 300, "trace times");
    let (shape, _) = read_f64(&od.join("rate_net.npy"));
    assert_eq!(shape[0], 30, "rate bins");
    std::fs::remove_dir_all(&dir).ok();
}

/// A run writes into a clean directory: what an earlier run wrote there (the files its
/// summary.json lists, and the summary) is removed and a note says so; other files stay.
#[test]
fn a_run_removes_what_an_earlier_run_wrote() {
    let dir = tmp("clean");
    let od = dir.join("out");
    let first = small_scene(&dir, 50.0);
    let o = out(&[
        "run",
        first.to_str().unwrap(),
        "--out",
        od.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for f in [
        "spikes_net.npy",
        "trace_net_v.npy",
        "rate_net.npy",
        "raster.png",
    ] {
        assert!(od.join(f).is_file(), "{f} written");
    }
    std::fs::write(od.join("notes.txt"), "mine").unwrap();
    // The second scene names its population differently: none of the first run's names.
    let second = dir.join("second.ron");
    let text2 = std::fs::read_to_string(&first)
        .unwrap()
        .replace("\"net\"", "\"other\"");
    std::fs::write(&second, text2).unwrap();
    let o = out(&[
        "run",
        second.to_str().unwrap(),
        "--out",
        od.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("removed") && text(&o.stderr).contains("earlier run"),
        "{}",
        text(&o.stderr)
    );
    for f in ["spikes_net.npy", "trace_net_v.npy", "rate_net.npy"] {
        assert!(
            !od.join(f).exists(),
            "{f} of the earlier run is still there"
        );
    }
    for f in [
        "spikes_other.npy",
        "trace_other_v.npy",
        "rate_other.npy",
        "raster.png",
    ] {
        assert!(od.join(f).is_file(), "{f} of the new run");
    }
    assert_eq!(
        std::fs::read_to_string(od.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(summary(&od)["populations"][0]["name"], "other");
}

/// A plastic projection: `run` writes its final weights (source, target, weight) and
/// summarises them; `check` locates a bad synapse parameter and a misspelt field in the file.
#[test]
fn run_writes_the_final_weights_of_a_plastic_projection_and_check_locates_synapse_mistakes() {
    let dir = tmp("plastic");
    let scene = |synapse: &str| {
        format!(
            r#"Scene(
    dt: 0.1,
    duration: 500.0,
    seed: 5,
    populations: [
        (name: "in", model: "PoissonNeuron", size: 50, params: {{"rate_hz": 20.0}}),
        (name: "out", model: "LIFNeuron", size: 4,
         receptors: [(name: "ex", kind: exp_current(tau: 5.0))]),
    ],
    projections: [
        (name: "learn", source: "in", target: "out", rule: all_to_all, weight: 60.0,
         receptor: "ex",
         synapse: {synapse}),
    ],
    stimuli: [(target: (population: "out"), kind: dc(amplitude: 300.0))],
)
"#
        )
    };
    let good = dir.join("plastic.ron");
    std::fs::write(
        &good,
        scene("stdp(lambda: 0.02, mu_plus: 0.0, mu_minus: 0.0, w_max: 100.0)"),
    )
    .unwrap();
    let o = out(&[
        "run",
        good.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("plastic learn: 200 synapses"));
    let (shape, v) = read_f64(&dir.join("o/weights_learn.npy"));
    assert_eq!(shape, vec![200, 3]);
    // Rows by source, each source to the 4 targets; weights within [0, w_max] and not all
    // still at their start.
    for (r, row) in v.chunks_exact(3).enumerate() {
        assert_eq!((row[0], row[1]), ((r / 4) as f64, (r % 4) as f64));
        assert!((0.0..=100.0).contains(&row[2]));
    }
    let moved = v.chunks_exact(3).filter(|r| r[2] != 60.0).count();
    assert!(moved > 150, "{moved} weights moved");
    let s = summary(&dir.join("o"));
    let mean = v.chunks_exact(3).map(|r| r[2]).sum::<f64>() / 200.0;
    assert_eq!(s["plastic"][0]["projection"], "learn");
    assert!((s["plastic"][0]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);

    for (syn, want) in [
        (
            "stdp(tau_plus: -1.0, w_max: 100.0)",
            "bad.ron:13:24: projections[0].synapse.tau_plus",
        ),
        ("stdp(tau_plu: 20.0)", "bad.ron:13:"),
        ("stdp(w_max: 50.0)", "projections[0].synapse.w_max"),
    ] {
        let bad = dir.join("bad.ron");
        std::fs::write(&bad, scene(syn)).unwrap();
        let o = out(&["check", bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{syn}");
        let e = text(&o.stderr);
        assert!(e.contains(want), "{syn}: {e}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
