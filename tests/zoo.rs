//! The zoo scenes hold one population of every model of a family (written by
//! `cargo run --example zoo_scenes`); each population, driven by Poisson input around its
//! model's typical drive, must fire at a plausible rate.

use std::collections::BTreeSet;
use std::path::Path;

use neurocore::engine::model::{Family, Timing};
use neurocore::engine::scene::load;
use neurocore::registry;

/// Models whose output is a level held while a condition lasts, not a spike event: they may
/// emit on every step (`ContinuousAttractorNeuron`: 1 while the ring holds activity).
const LEVEL_OUTPUTS: &[&str] = &["ContinuousAttractorNeuron"];

fn check_zoo(file: &str, family: Family) {
    let reg = registry();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes")
        .join(file);
    let scene = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    // Every registered model of the family has a population (regenerate the scene after adding
    // a model: `cargo run --example zoo_scenes`).
    let models: BTreeSet<&str> = scene
        .scene
        .populations
        .iter()
        .map(|p| p.model.as_str())
        .collect();
    for e in reg.iter().filter(|e| e.family() == family) {
        assert!(models.contains(e.name()), "{file} lacks {}", e.name());
    }
    let mut sim = scene.build(&reg).unwrap_or_else(|e| panic!("{e}"));
    sim.enable_stats();
    sim.run(300.0);
    for p in sim.population_stats() {
        let timing = reg.get(p.model).unwrap().timing();
        let per_neuron = p.spikes as f64 / p.neurons as f64;
        // It fires: at least one spike per two neurons in 300 ms.
        assert!(
            per_neuron >= 0.5,
            "{file}: {} is silent ({per_neuron} spikes/neuron)",
            p.name
        );
        // Continuous models are not saturated: they fire on fewer than half of the 0.1-ms
        // steps (dimensionless models run one time unit per ms, so fast resonators may reach
        // kHz); maps and chips iterate once per step and may fire on any iteration.
        if timing == Timing::Continuous && !LEVEL_OUTPUTS.contains(&p.model) {
            assert!(
                p.rate_hz < 5000.0,
                "{file}: {} fires at {} Hz",
                p.name,
                p.rate_hz
            );
        }
    }
}

#[test]
fn integrate_and_fire_zoo_fires() {
    check_zoo("integrate_fire_zoo.ron", Family::IntegrateFire);
}

#[test]
fn chip_zoo_fires() {
    check_zoo("chips.ron", Family::Hardware);
}

#[test]
fn spiking_zoo_fires() {
    check_zoo("spiking_zoo.ron", Family::Spiking);
}

#[test]
fn map_zoo_fires() {
    check_zoo("maps.ron", Family::Maps);
}

#[test]
fn conductance_zoo_fires() {
    check_zoo("conductance_zoo.ron", Family::Conductance);
}

#[test]
fn compartmental_zoo_fires() {
    check_zoo("compartmental.ron", Family::Compartmental);
}

#[test]
fn ai_models_fire() {
    check_zoo("ai_models.ron", Family::Ai);
}
