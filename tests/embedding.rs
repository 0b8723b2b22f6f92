//! Embedding: a host loop steers a Braitenberg vehicle with a spiking network
//! (`examples/vehicle.rs`), writing sensor readings into external inputs and reading motor
//! spikes back every millisecond.

#[path = "../examples/vehicle.rs"]
mod vehicle;

use vehicle::{Vehicle, controller, drive, light};

fn distance(v: &Vehicle, lamp: (f64, f64)) -> f64 {
    ((v.x - lamp.0).powi(2) + (v.y - lamp.1).powi(2)).sqrt()
}

#[test]
fn the_vehicle_turns_toward_the_light_and_reaches_it() {
    // Braitenberg (1984) vehicle 2b: crossed excitatory sensor-motor connections make the
    // vehicle turn toward a light source and approach it. Lamp to the front left.
    let lamp = (300.0, 200.0);
    let start = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    assert!(
        light(lamp, 0.0, 0.0) > 375.0,
        "the sensors see the lamp from the start"
    );
    let mut sim = controller(1).unwrap();
    let path = drive(&mut sim, start, lamp, 3000).unwrap();
    let d0 = distance(&start, lamp);
    let closest = path
        .iter()
        .map(|v| distance(v, lamp))
        .fold(f64::INFINITY, f64::min);
    assert!(
        closest < 0.2 * d0,
        "closest approach {closest:.0} mm of {d0:.0} mm"
    );
    // It turned left (counter-clockwise) toward the lamp early on.
    assert!(
        path[500].heading > 0.1,
        "heading after 0.5 s: {}",
        path[500].heading
    );

    // A mirrored lamp: it turns the other way.
    let lamp = (300.0, -200.0);
    let mut sim = controller(1).unwrap();
    let path = drive(&mut sim, start, lamp, 500).unwrap();
    assert!(
        path[500].heading < -0.1,
        "heading after 0.5 s: {}",
        path[500].heading
    );
}

#[test]
fn without_light_the_vehicle_does_not_steer() {
    // Far from the lamp the sensors are silent: the motors run on their (equal) background
    // noise alone, so the vehicle creeps without a systematic turn.
    let lamp = (1.0e6, 0.0);
    let start = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    let mut sim = controller(2).unwrap();
    let path = drive(&mut sim, start, lamp, 1000).unwrap();
    let end = path.last().unwrap();
    assert!(end.heading.abs() < 0.5, "heading {}", end.heading);
}
