//! `scenes/stochastic.ron`: Poisson and gamma-renewal generators in a network. Renewal theory
//! (Cox 1962; Gerstner et al. 2014, §7.5): a Poisson train has CV = 1 and a gamma (shape k)
//! train CV = 1/√k; in Δ = 0.1-ms bins the mean interval is 1/r (+ Δ/2 for the renewal
//! generator, whose age restarts at the end of the bin).

use std::path::Path;

use neurocore::engine::scene::load;
use neurocore::registry;

#[test]
fn network_generators_follow_renewal_theory() {
    let reg = registry();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/stochastic.ron");
    let scene = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = scene.build(&reg).unwrap_or_else(|e| panic!("{e}"));
    sim.enable_stats();
    sim.run(10_000.0);
    let stats = sim.population_stats();
    let get = |name: &str| {
        stats
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("population {name}"))
    };
    let (p, g) = (get("poisson"), get("gamma4"));
    // 200 neurons × 10 s × 20 Hz = 40,000 expected spikes: the Poisson count's SD is 0.5 %.
    // Poisson bins: p = 1 − e^(−λΔ) per bin, rate p/Δ = 19.998 Hz.
    let rp = (1.0 - (-20.0f64 * 1e-4).exp()) / 1e-4;
    assert!(
        (p.rate_hz / rp - 1.0).abs() < 0.02,
        "Poisson {} Hz",
        p.rate_hz
    );
    // Gamma: mean interval 1/r + Δ/2 = 50.05 ms; the count's SD is 0.25 % (CV 0.5).
    let rg = 1000.0 / 50.05;
    assert!(
        (g.rate_hz / rg - 1.0).abs() < 0.015,
        "gamma {} Hz",
        g.rate_hz
    );
    // CV of the intervals: 1 for Poisson (geometric bins: √(1 − p) = 0.999), 1/√4 for gamma.
    assert!((p.cv_isi - 1.0).abs() < 0.03, "Poisson CV {}", p.cv_isi);
    assert!((g.cv_isi - 0.5).abs() < 0.02, "gamma CV {}", g.cv_isi);
}
