//! Embedding neurocore in a host loop: a Braitenberg vehicle (type 2b, "aggression") whose two
//! light sensors drive a small spiking network that drives its two wheels.
//!
//! The host program owns the world (a vehicle on a plane, a lamp); each 1-ms control tick it
//! writes the sensor readings into the network's external inputs, advances the network ten
//! 0.1-ms steps, counts the motor neurons' spikes and turns them into wheel speeds. The sensors
//! cross to the motors (left eye → right wheel), so the vehicle turns toward the light.
//!
//! ```text
//! cargo run --release --example vehicle
//! ```
//! `tests/embedding.rs` runs the same vehicle and checks that it reaches the lamp.

use neurocore::engine::scene::{
    PopulationSpec, ProjectionSpec, RecorderSpec, Rule, Scene, StimulusKind, StimulusSpec, Target,
};
use neurocore::engine::sim::Simulation;
use neurocore::engine::synapse::ReceptorKind;

/// Neurons per sensor and per motor population.
pub const N: u32 = 20;

/// The controller: sensor populations (external input, pA) → crossed excitation → motors.
pub fn controller(seed: u64) -> Result<Simulation, Box<dyn std::error::Error>> {
    Ok(Simulation::from_scene(
        &controller_scene(seed),
        &neurocore::registry(),
    )?)
}

/// The controller's network as a scene (the Bevy example runs it in the plugin).
pub fn controller_scene(seed: u64) -> Scene {
    let reg = neurocore::registry();
    let lif = |name: &str| {
        PopulationSpec::new(name, "LIFNeuron", N)
            .receptor("ampa", ReceptorKind::ExpCurrent { tau: 5.0 })
    };
    Simulation::builder(&reg)
        .dt(0.1)
        .seed(seed)
        .population(lif("eye_left"))
        .population(lif("eye_right"))
        .population(lif("motor_left"))
        .population(lif("motor_right"))
        .projection(
            ProjectionSpec::new("eye_left", "motor_right", Rule::FixedIndegree { k: 10 })
                .receptor("ampa")
                .weight(150.0),
        )
        .projection(
            ProjectionSpec::new("eye_right", "motor_left", Rule::FixedIndegree { k: 10 })
                .receptor("ampa")
                .weight(150.0),
        )
        .stimulus(
            StimulusSpec::new(
                Target::all("eye_left"),
                StimulusKind::External { initial: 0.0 },
            )
            .named("light_left"),
        )
        .stimulus(
            StimulusSpec::new(
                Target::all("eye_right"),
                StimulusKind::External { initial: 0.0 },
            )
            .named("light_right"),
        )
        // Background noise so that the populations do not fire in lockstep.
        .stimulus(StimulusSpec::new(
            Target::all("motor_left"),
            StimulusKind::Noise {
                mean: 200.0,
                std: 80.0,
                tau: 5.0,
            },
        ))
        .stimulus(StimulusSpec::new(
            Target::all("motor_right"),
            StimulusKind::Noise {
                mean: 200.0,
                std: 80.0,
                tau: 5.0,
            },
        ))
        .recorder(RecorderSpec::Spikes {
            target: Target::all("motor_left"),
        })
        .scene()
        .clone()
}

/// The vehicle on the plane: position (mm), heading (rad).
#[derive(Clone, Copy, Debug)]
pub struct Vehicle {
    /// x, mm.
    pub x: f64,
    /// y, mm.
    pub y: f64,
    /// Heading, rad.
    pub heading: f64,
}

/// Light intensity at a point (a lamp at `lamp`, falling off with distance), as a current in
/// pA for the sensor neurons: 700 pA at the lamp, rheobase (375 pA) about 420 mm away.
pub fn light(lamp: (f64, f64), x: f64, y: f64) -> f64 {
    let d2 = (x - lamp.0).powi(2) + (y - lamp.1).powi(2);
    700.0 / (1.0 + d2 / 200_000.0)
}

impl Vehicle {
    /// What the two light sensors read (left, right), pA: each sits `EYE_DIST` from the centre,
    /// `EYE_OFFSET` either side of the heading.
    pub fn eyes(&self, lamp: (f64, f64)) -> (f64, f64) {
        const EYE_OFFSET: f64 = 0.7; // rad either side of the heading
        const EYE_DIST: f64 = 20.0; // mm from the centre
        let eye = |side: f64| {
            let a = self.heading + side * EYE_OFFSET;
            light(
                lamp,
                self.x + EYE_DIST * a.cos(),
                self.y + EYE_DIST * a.sin(),
            )
        };
        (eye(1.0), eye(-1.0))
    }

    /// Differential drive: each wheel travels `GAIN` per spike of its motor population.
    pub fn act(&mut self, left_spikes: u32, right_spikes: u32) {
        const AXLE: f64 = 10.0; // mm between the wheels
        const GAIN: f64 = 0.1; // mm of wheel travel per motor spike
        let (dl, dr) = (GAIN * left_spikes as f64, GAIN * right_spikes as f64);
        self.heading += (dr - dl) / AXLE;
        self.x += 0.5 * (dl + dr) * self.heading.cos();
        self.y += 0.5 * (dl + dr) * self.heading.sin();
    }
}

/// Drive the vehicle for `ticks` control ticks of 1 ms; returns the path.
pub fn drive(
    sim: &mut Simulation,
    mut v: Vehicle,
    lamp: (f64, f64),
    ticks: usize,
) -> Result<Vec<Vehicle>, Box<dyn std::error::Error>> {
    let ml = sim.population("motor_left").ok_or("no motor_left")?.start;
    let mr = sim.population("motor_right").ok_or("no motor_right")?.start;
    let mut path = vec![v];
    for _ in 0..ticks {
        // Host → network: the two sensor readings.
        let (left_eye, right_eye) = v.eyes(lamp);
        sim.set_external("light_left", &[left_eye])?;
        sim.set_external("light_right", &[right_eye])?;
        // Ten network steps of 0.1 ms; network → host: motor spikes.
        let (mut left, mut right) = (0u32, 0u32);
        for _ in 0..10 {
            sim.step();
            for &id in sim.spikes() {
                if (ml..ml + N).contains(&id) {
                    left += 1;
                } else if (mr..mr + N).contains(&id) {
                    right += 1;
                }
            }
        }
        v.act(left, right);
        path.push(v);
    }
    Ok(path)
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut sim = controller(1)?;
    let lamp = (300.0, 200.0);
    let start = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    let path = drive(&mut sim, start, lamp, 3000)?;
    let dist = |v: &Vehicle| ((v.x - lamp.0).powi(2) + (v.y - lamp.1).powi(2)).sqrt();
    println!(
        "A Braitenberg vehicle 2b starts at (0, 0) heading along x; the lamp is at ({}, {}) mm.",
        lamp.0, lamp.1
    );
    for (k, v) in path.iter().enumerate().step_by(250) {
        println!(
            "t {:5} ms  x {:7.1} mm  y {:7.1} mm  heading {:6.2} rad  distance to lamp {:6.1} mm",
            k,
            v.x,
            v.y,
            v.heading,
            dist(v)
        );
    }
    // The verdict: how close it came, when, and where it ended.
    let (k_min, closest) = path
        .iter()
        .enumerate()
        .map(|(k, v)| (k, dist(v)))
        .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
    let end = path.last().map_or(f64::NAN, dist);
    let verdict = if closest < 30.0 {
        "it steered toward the light and reached the lamp (type 2b: crossed excitation turns it toward the brighter side)"
    } else if closest < dist(&path[0]) {
        "it moved toward the light but did not reach the lamp"
    } else {
        "it did not approach the light"
    };
    let after = if end > closest + 30.0 {
        ", then drove on past it as an 'aggressive' 2b vehicle does (it speeds up toward the source and charges through)"
    } else {
        ""
    };
    println!(
        "Verdict: {verdict}{after}: closest {closest:.1} mm at t = {k_min} ms (from {:.1} mm at the start), {end:.1} mm at the end.",
        dist(&path[0])
    );
    Ok(())
}
