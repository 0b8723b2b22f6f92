//! `scenes/neural_mass.ron`: two Jansen–Rit columns coupled by value projections. The network
//! path must equal the same two columns stepped standalone and coupled by hand (a value
//! projection delivers weight × the source's output of the previous step), and the EEG must
//! stay in the alpha band (Jansen & Rit 1995: ≈ 10.9 Hz at p = 220 s⁻¹).

use std::path::Path;

use neurocore::engine::scene::load;
use neurocore::models::rate::jansen_rit::JansenRitUnit;
use neurocore::registry;

/// Upward crossings of the mean per second, samples every 0.1 ms.
fn frequency(x: &[f64]) -> f64 {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    let ups: Vec<usize> = (1..x.len())
        .filter(|&k| x[k - 1] < m && x[k] >= m)
        .collect();
    (ups.len() - 1) as f64 / ((ups[ups.len() - 1] - ups[0]) as f64 * 1e-4)
}

#[test]
fn coupled_jansen_rit_columns_match_a_hand_coupled_pair_and_oscillate_in_alpha() {
    let reg = registry();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/neural_mass.ron");
    let scene = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = scene.build(&reg).unwrap_or_else(|e| panic!("{e}"));
    // The same pair, standalone: column j receives 220 + 5 · out_i(previous step).
    let mut cols = [JansenRitUnit::new(), JansenRitUnit::new()];
    cols[1].state_mut().y1 = 5.0;
    let mut prev = [0.0f64; 2];
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut worst = 0.0f64;
    for _ in 0..30_000 {
        sim.step();
        let net = sim
            .values("columns")
            .expect("population `columns`")
            .to_vec();
        let out = [
            cols[0].step(220.0 + 5.0 * prev[1]),
            cols[1].step(220.0 + 5.0 * prev[0]),
        ];
        prev = out;
        worst = worst
            .max((net[0] - out[0]).abs())
            .max((net[1] - out[1]).abs());
        a.push(net[0]);
        b.push(net[1]);
    }
    assert!(worst < 1e-9, "network vs hand-coupled pair: {worst} mV");
    let (fa, fb) = (frequency(&a[10_000..]), frequency(&b[10_000..]));
    assert!(
        (8.0..13.0).contains(&fa) && (8.0..13.0).contains(&fb),
        "{fa} Hz, {fb} Hz"
    );
    // The coupling acts: the columns differ from one uncoupled column at p = 220.
    let mut alone = JansenRitUnit::new();
    let solo: Vec<f64> = (0..30_000).map(|_| alone.step(220.0)).collect();
    let diff = a
        .iter()
        .zip(&solo)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()));
    assert!(diff > 0.5, "coupling has no effect: {diff}");
}
