//! Scene files: every file in `scenes/` loads, validates and runs; malformed scenes give located
//! errors (file, line, column, what was expected, the near name); mutated scenes never panic.

use std::path::{Path, PathBuf};

use neurocore::engine::scene::load::{self, SceneError};
use neurocore::registry;
use proptest::prelude::*;

fn scenes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes")
}

fn scene_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(scenes_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_scene_file_loads_validates_and_runs() {
    let reg = registry();
    let files = scene_files();
    assert!(files.len() >= 7, "{files:?}");
    for f in files {
        let l = load::load(&f).unwrap_or_else(|e| panic!("{e}"));
        let size = l.check(&reg).unwrap_or_else(|e| panic!("{e}"));
        assert!(size.neurons > 0);
        // The 400,000-neuron network is only checked here (the reference tests run it).
        if size.neurons <= 50_000 {
            let mut sim = l.build(&reg).unwrap_or_else(|e| panic!("{e}"));
            sim.run(5.0);
            assert!((sim.time() - 5.0).abs() < 1e-9, "{}", f.display());
        }
    }
}

/// Write `text` to a temporary scene file and load + check it.
fn check_text(name: &str, text: &str) -> Result<(), SceneError> {
    let dir = std::env::temp_dir().join(format!("nc-scenes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let l = load::load(&path)?;
    l.check(&registry()).map(|_| ())
}

/// A valid small scene; `{POP}`, `{PROJ}`, `{EXTRA}` are replaced by the cases below.
const BASE: &str = r#"Scene(
    dt: 0.1,
    duration: 10.0,
    populations: [
        (name: "a", model: "LIFNeuron", size: 20, params: {"tau_m": 12.0}),
        {POP}
    ],
    projections: [
        {PROJ}
    ],
    {EXTRA}
)
"#;

fn scene(pop: &str, proj: &str, extra: &str) -> String {
    BASE.replace("{POP}", pop)
        .replace("{PROJ}", proj)
        .replace("{EXTRA}", extra)
}

/// Assert a located error on `line`, pointing at `anchor` (a text on that line: the error's
/// column lies within it, or just after it for errors the parser finds at the next token),
/// whose message contains every word.
fn expect(text: &str, line: usize, anchor: &str, words: &[&str]) {
    let e = check_text("case.ron", text).expect_err("the scene was accepted");
    let l = text.lines().nth(line - 1).unwrap();
    let at = l
        .find(anchor)
        .unwrap_or_else(|| panic!("`{anchor}` not on line {line}: {l}"));
    let col = l[..at].chars().count() + 1;
    let span = anchor.chars().count();
    assert_eq!(e.line, line, "{e}");
    assert!(
        e.col >= col && e.col <= col + span + 1,
        "column {} not at `{anchor}` (col {col}): {e}",
        e.col
    );
    for w in words {
        assert!(e.message.contains(w), "`{w}` missing from: {e}");
    }
    assert!(
        e.to_string()
            .starts_with(&format!("{}:{line}:{}: ", e.file.display(), e.col))
    );
}

#[test]
fn the_base_scene_is_valid() {
    check_text("base.ron", &scene("", "", "")).unwrap();
}

/// scenes/README.md: optional fields take a plain value, and RON's `Some(..)` means the same.
#[test]
fn optional_fields_accept_a_plain_value_and_some() {
    let rec = |neurons: &str, interval: &str| {
        let text = scene(
            "",
            "",
            &format!(
                r#"recorders: [state(target: (population: "a", neurons: {neurons}), vars: ["v"], interval: {interval})],"#
            ),
        );
        let dir = std::env::temp_dir().join(format!("nc-some-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("some.ron");
        std::fs::write(&path, text).unwrap();
        load::load(&path).unwrap().scene
    };
    let plain = rec("[0, 3]", "0.5");
    let some = rec("Some([0, 3])", "Some(0.5)");
    assert_eq!(format!("{plain:?}"), format!("{some:?}"));
    assert!(format!("{plain:?}").contains("[0, 3]"));
}

#[test]
fn syntax_errors_are_located() {
    // A missing comma between two fields on line 5.
    let t = scene("", "", "").replace("size: 20, params", "size: 20 params");
    expect(&t, 5, "20 params", &["comma"]);
    // An unclosed list: the error is at the end of the text.
    let t = "Scene(populations: [(name: \"a\", model: \"LIFNeuron\", size: 1)";
    let e = check_text("unclosed.ron", t).unwrap_err();
    assert_eq!(e.line, 1, "{e}");
}

#[test]
fn unknown_names_suggest_the_nearest() {
    // Unknown model (semantic: located by path).
    expect(
        &scene(r#"(name: "b", model: "LIFNeuronn", size: 5),"#, "", ""),
        6,
        "model",
        &["unknown model `LIFNeuronn`", "did you mean `LIFNeuron`"],
    );
    // Unknown parameter.
    expect(
        &scene(
            r#"(name: "b", model: "LIFNeuron", size: 5, params: {"tau_mm": 1.0}),"#,
            "",
            "",
        ),
        6,
        "\"tau_mm\"",
        &["unknown parameter `tau_mm`", "did you mean `tau_m`"],
    );
    // Unknown field (syntactic: serde, located by ron).
    expect(
        &scene(r#"(name: "b", modle: "LIFNeuron", size: 5),"#, "", ""),
        6,
        "modle",
        &["unknown field `modle`", "did you mean `model`"],
    );
    // Unknown population in a projection.
    expect(
        &scene("", r#"(source: "a", target: "c", rule: all_to_all),"#, ""),
        9,
        "target",
        &["unknown population `c`"],
    );
    // Unknown rule (enum variant) and unknown distribution.
    expect(
        &scene(
            "",
            r#"(source: "a", target: "a", rule: pairwise_bernouli(p: 0.1)),"#,
            "",
        ),
        9,
        "pairwise_bernouli",
        &["pairwise_bernouli", "did you mean `pairwise_bernoulli`"],
    );
    expect(
        &scene(
            r#"(name: "b", model: "LIFNeuron", size: 5, init: {"v": normall(mean: 1.0, std: 1.0)}),"#,
            "",
            "",
        ),
        6,
        "normall",
        &["normall", "did you mean `normal`"],
    );
}

#[test]
fn bad_values_are_refused_where_they_stand() {
    // Negative size: not an unsigned integer.
    expect(
        &scene(r#"(name: "b", model: "LIFNeuron", size: -5),"#, "", ""),
        6,
        "-5",
        &["integer", ">= 0"],
    );
    // Probability outside [0, 1].
    expect(
        &scene(
            "",
            r#"(source: "a", target: "a", rule: pairwise_bernoulli(p: 1.5)),"#,
            "",
        ),
        9,
        "rule",
        &["[0, 1]"],
    );
    // Delay below dt.
    expect(
        &scene(
            "",
            r#"(source: "a", target: "a", rule: all_to_all, delay: 0.05),"#,
            "",
        ),
        9,
        "delay",
        &[">= dt"],
    );
    // Non-finite numbers.
    expect(
        &scene(
            r#"(name: "b", model: "LIFNeuron", size: 5, params: {"tau_m": inf}),"#,
            "",
            "",
        ),
        6,
        "\"tau_m\"",
        &["finite"],
    );
    // A parameter the model's own rules refuse.
    expect(
        &scene(
            r#"(name: "b", model: "LIFNeuron", size: 5, params: {"v_reset": -40.0}),"#,
            "",
            "",
        ),
        6,
        "\"v_reset\"",
        &["v_reset", "v_threshold"],
    );
    // A bad dt.
    let t = scene("", "", "").replace("dt: 0.1", "dt: -0.1");
    expect(&t, 2, "dt", &["positive"]);
    // A step so short, or a run so long, that it would never finish.
    let t = scene("", "", "").replace("dt: 0.1", "dt: 1e-12");
    expect(&t, 2, "dt", &["at least", "1 ns"]);
    let t = scene("", "", "").replace("duration: 10.0", "duration: 1e300");
    expect(&t, 3, "duration", &["steps", "more than"]);
}

#[test]
fn missing_sidecar_files_are_reported_at_their_reference() {
    expect(
        &scene(
            r#"(name: "b", model: "LIFNeuron", size: 5, init: {"v": npy("nowhere.npy")}),"#,
            "",
            "",
        ),
        6,
        "\"v\"",
        &["nowhere.npy", "cannot read"],
    );
}

#[test]
fn networks_that_do_not_fit_in_memory_are_refused_before_building() {
    // 2 million neurons all-to-all: 4·10^12 synapses.
    let t = scene(
        r#"(name: "big", model: "LIFNeuron", size: 2000000),"#,
        r#"(source: "big", target: "big", rule: all_to_all),"#,
        "",
    );
    let dir = std::env::temp_dir().join(format!("nc-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.ron");
    std::fs::write(&path, t).unwrap();
    let l = load::load(&path).unwrap();
    let e = l.build(&registry()).err().expect("refused");
    assert!(
        e.message.contains("GB") && e.message.contains("needs about"),
        "{e}"
    );
    // `neurocore check` says so too, instead of "OK".
    let e = l.check(&registry()).expect_err("refused by check");
    assert!(e.message.contains("needs about"), "{e}");
}

#[test]
fn sidecar_files_feed_positions_parameters_and_edges() {
    use neurocore::engine::record::write::MatrixWriter;
    let dir = std::env::temp_dir().join(format!("nc-sidecar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, width: usize, v: &[f64]| {
        let mut w = MatrixWriter::create(&dir.join(name), width).unwrap();
        w.append(v).unwrap();
        w.finish().unwrap();
    };
    write("v0.npy", 0, &[-60.0, -61.0, -62.0]);
    write(
        "pos.npy",
        3,
        &[0.0, 0.0, 0.0, 10.0, 0.0, 0.0, 20.0, 0.0, 0.0],
    );
    write("pairs.npy", 2, &[0.0, 1.0, 2.0, 0.0]);
    write("w.npy", 0, &[1.5, 2.5]);
    let text = r#"Scene(
    populations: [
        (name: "a", model: "LIFNeuron", size: 3, init: {"v": npy("v0.npy")}, position: npy("pos.npy"),
         receptors: [(name: "d", kind: delta)]),
    ],
    projections: [
        (source: "a", target: "a", rule: from_npy(pairs: "pairs.npy", weights: "w.npy")),
    ],
)"#;
    let path = dir.join("side.ron");
    std::fs::write(&path, text).unwrap();
    let l = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let sim = l.build(&registry()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.state(2).unwrap()["v"], -62.0);
    assert_eq!(sim.synapse_count(), 2);
    let pos = sim.populations()[0].positions.as_ref().unwrap();
    assert_eq!(pos[1].x, 10.0);
}

#[test]
fn distance_dependent_rules_follow_their_profile() {
    // A 30×30 grid, 10 µm apart; Gaussian probability with σ = 15 µm and peak 0.8, periodic
    // 300 µm box. The expected number of synapses is the sum of p(d) over all pairs
    // (excluding self pairs), computed here independently.
    let text = r#"Scene(
    populations: [
        (name: "g", model: "LIFNeuron", size: 900,
         position: grid(shape: (30, 30, 1), spacing: (10.0, 10.0, 0.0))),
    ],
    projections: [
        (source: "g", target: "g",
         rule: distance(probability: gaussian(peak: 0.8, sigma: 15.0), periodic: (300.0, 300.0, 0.0)),
         weight: 2.0, weight_profile: exponential(peak: 1.0, lambda: 20.0), port: "current"),
    ],
)"#;
    let dir = std::env::temp_dir().join(format!("nc-space-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("space.ron");
    std::fs::write(&path, text).unwrap();
    let sim = load::load(&path)
        .unwrap()
        .build(&registry())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expect = 0.0;
    for i in 0..900i64 {
        for j in 0..900i64 {
            if i == j {
                continue;
            }
            let per = |a: i64, b: i64| {
                let d = (a - b).abs() as f64 * 10.0;
                d.min(300.0 - d)
            };
            let (dx, dy) = (per(i % 30, j % 30), per(i / 30, j / 30));
            let d2 = dx * dx + dy * dy;
            expect += 0.8 * (-d2 / (2.0 * 15.0 * 15.0)).exp();
        }
    }
    let n = sim.synapse_count() as f64;
    assert!(
        (n - expect).abs() < 4.0 * expect.sqrt(),
        "{n} synapses, expected {expect}"
    );
}

/// Byte-level mutations of a scene text.
fn mutate(text: &str, ops: &[(u8, usize, u8)]) -> String {
    let mut b = text.as_bytes().to_vec();
    for &(op, at, byte) in ops {
        if b.is_empty() {
            break;
        }
        let i = at % b.len();
        match op % 5 {
            0 => {
                b.remove(i);
            }
            1 => b.insert(i, byte),
            2 => b[i] = byte,
            3 => {
                // Replace a digit by a digit run: sizes, rates and delays become large or odd.
                if b[i].is_ascii_digit() {
                    b.splice(i..i + 1, b"99999".iter().copied());
                }
            }
            _ => {
                let j = (i + 17) % b.len();
                b.swap(i, j);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, .. ProptestConfig::default() })]

    #[test]
    fn mutated_scenes_never_panic(
        file in 0usize..64,
        ops in proptest::collection::vec((0u8..5, 0usize..100_000, b' '..=b'~'), 1..6),
    ) {
        let files = scene_files();
        let src = std::fs::read_to_string(&files[file % files.len()]).unwrap();
        let text = mutate(&src, &ops);
        let dir = std::env::temp_dir().join(format!("nc-prop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("mutated.ron");
        std::fs::write(&path, &text).unwrap();
        if let Ok(l) = load::load(&path) {
            let reg = registry();
            // Large mutated networks are refused (memory limit) instead of built.
            let opts = neurocore::engine::sim::BuildOptions { memory_limit: Some(3e8) };
            if let Ok(size) = l.check(&reg)
                && size.neurons <= 20_000
                && size.synapses <= 2e6
                && let Ok(mut sim) = l.build_with(&reg, &opts)
            {
                for _ in 0..3 {
                    sim.step();
                }
            }
        }
    }
}

/// The first ```ron block of scenes/README.md: the annotated example.
fn readme_example() -> String {
    let text = std::fs::read_to_string(scenes_dir().join("README.md")).expect("scenes/README.md");
    let start = text.find("```ron\n").expect("a ```ron block") + "```ron\n".len();
    let len = text[start..].find("```").expect("the block ends");
    text[start..start + len].to_string()
}

#[test]
fn the_annotated_example_of_the_scene_format_is_valid_and_does_what_it_says() {
    let text = readme_example();
    // It shows every top-level field of a scene.
    for field in [
        "dt:",
        "duration:",
        "seed:",
        "threads:",
        "populations:",
        "projections:",
        "stimuli:",
        "recorders:",
        "outputs:",
    ] {
        assert!(text.contains(field), "the example lacks `{field}`");
    }
    let dir = std::env::temp_dir().join(format!("nc-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("example.ron");
    std::fs::write(&path, &text).unwrap();
    let l = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let reg = registry();
    let mut sim = l.build(&reg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.populations().len(), 3);
    assert!(sim.populations()[0].positions.is_some());
    // The touch sheet (LIF, rheobase 15 mV · 25 nS = 375 pA) fires under its 400-pA external
    // input, the cortex under it and the background, the interneurons under the cortex.
    sim.enable_stats();
    sim.run(300.0);
    let stats = sim.population_stats();
    for p in &stats {
        assert!(p.rate_hz > 1.0, "{} fires at {} Hz", p.name, p.rate_hz);
    }
    // The host silences the sheet through the external input: below rheobase it stops.
    sim.set_external("whiskers", &[0.0]).unwrap();
    sim.run(20.0); // let the last membrane potentials fall
    let before = sim.population_stats()[0].spikes;
    sim.run(200.0);
    assert_eq!(
        sim.population_stats()[0].spikes,
        before,
        "the touch sheet kept firing"
    );
    std::fs::remove_dir_all(&dir).ok();
}
