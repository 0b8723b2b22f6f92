//! Writes the "zoo" scenes: one population of every model of a family, each driven by Poisson
//! input around the model's typical drive (`Model::DRIVE`) and recorded.
//!
//! ```text
//! cargo run --example zoo_scenes      # rewrites scenes/{integrate_fire_zoo,chips,spiking_zoo,maps,conductance_zoo,compartmental,ai_models}.ron
//! ```
//!
//! Port 0 of each population receives independent Poisson trains at 40 kHz (λ = 4 events per
//! 0.1-ms step) with weight DRIVE[0]/4, so its mean input is the typical drive and it
//! fluctuates by ±50 %; further ports are held at their typical drive by DC stimuli.

use std::fmt::Write as _;

use neurocore::engine::model::Family;

fn main() -> std::io::Result<()> {
    let reg = neurocore::registry();
    let zoos = [
        (
            "integrate_fire_zoo",
            Family::IntegrateFire,
            "every integrate-and-fire model (issue: catalogue part 1)",
        ),
        (
            "chips",
            Family::Hardware,
            "every chip emulator (issue: catalogue part 1)",
        ),
        (
            "spiking_zoo",
            Family::Spiking,
            "every simple spiking model (issue: catalogue part 2)",
        ),
        (
            "maps",
            Family::Maps,
            "every discrete-map neuron (issue: catalogue part 2)",
        ),
        (
            "conductance_zoo",
            Family::Conductance,
            "every conductance-based model (issue: catalogue part 3)",
        ),
        (
            "compartmental",
            Family::Compartmental,
            "every multi-compartment model (issue: catalogue part 3)",
        ),
        (
            "ai_models",
            Family::Ai,
            "every AI-oriented model (SC-NeuroCore's own designs; issue: catalogue part 4)",
        ),
    ];
    for (file, fam, what) in zoos {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "// The {file} scene: one population of {what}, driven by independent"
        );
        let _ = writeln!(
            s,
            "// Poisson input around each model's typical drive and recorded. Written by"
        );
        let _ = writeln!(
            s,
            "// `cargo run --example zoo_scenes`; tests/zoo.rs checks every population fires at a"
        );
        let _ = writeln!(
            s,
            "// plausible rate and that every registered model of the family is here."
        );
        let _ = writeln!(
            s,
            "Scene(\n    dt: 0.1,\n    duration: 500.0,\n    seed: 1,\n    populations: ["
        );
        let models: Vec<_> = reg.iter().filter(|e| e.family() == fam).collect();
        for e in &models {
            let _ = writeln!(
                s,
                "        (name: \"{}\", model: \"{}\", size: 50),",
                e.name(),
                e.name()
            );
        }
        let _ = writeln!(s, "    ],\n    stimuli: [");
        for e in &models {
            let d = e.drive();
            let _ = writeln!(
                s,
                "        (target: (population: \"{}\"), kind: poisson(rate: 40000.0, weight: {:?}), port: \"{}\"),",
                e.name(),
                d[0] / 4.0,
                e.ports()[0]
            );
            for (k, port) in e.ports().iter().enumerate().skip(1) {
                if d[k] != 0.0 {
                    let _ = writeln!(
                        s,
                        "        (target: (population: \"{}\"), kind: dc(amplitude: {:?}), port: \"{}\"),",
                        e.name(),
                        d[k],
                        port
                    );
                }
            }
        }
        let _ = writeln!(s, "    ],\n    recorders: [");
        for e in &models {
            let _ = writeln!(s, "        spikes(target: (population: \"{}\")),", e.name());
        }
        let _ = writeln!(s, "    ],\n)");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenes")
            .join(format!("{file}.ron"));
        std::fs::write(&path, s)?;
        println!("wrote {} ({} populations)", path.display(), models.len());
    }
    Ok(())
}
