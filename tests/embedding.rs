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

/// The network spawned into a host's World, among the host's own entities and stepped by the
/// host's own schedule, gives exactly what the headless `Simulation` of the same scene gives
/// (spikes step by step, and the state of sampled neurons read through `Network`).
#[test]
fn a_network_in_a_host_world_matches_the_headless_simulation() {
    use neurocore::engine::bevy_ecs::name::Name;
    use neurocore::engine::bevy_ecs::prelude::*;
    use neurocore::engine::scene::load;
    use neurocore::engine::sim::{Network, NetworkMut, add_step_systems};

    let reg = neurocore::registry();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/vogels_abbott_cuba.ron");
    let l = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = l.build(&reg).unwrap_or_else(|e| panic!("{e}"));

    let mut world = World::new();
    // The host's entities come first, so neuron entities have other indices than in `sim`.
    world.spawn_batch((0..1000).map(|i| Name::new(format!("host thing {i}"))));
    l.spawn_into(&mut world, &reg)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut schedule = Schedule::default();
    add_step_systems(&world, &mut schedule);

    // A second network in the same World is refused, not mixed in.
    let again = l
        .spawn_into(&mut world, &reg)
        .expect_err("one network per World");
    assert!(again.message.contains("already holds a network"), "{again}");

    let mut total = 0usize;
    for step in 0..2000 {
        sim.step();
        schedule.run(&mut world);
        let net = Network::of(&world).expect("network");
        assert_eq!(net.spikes(), sim.spikes(), "spikes differ at step {step}");
        total += sim.spikes().len();
    }
    assert!(total > 1000, "the CUBA network should fire: {total} spikes");
    let net = Network::of(&world).expect("network");
    assert_eq!(net.steps(), 2000);
    for id in [0u32, 1234, 3999] {
        assert_eq!(net.state(id), sim.state(id), "state of neuron {id}");
    }
    // Writes through NetworkMut land where Simulation's do.
    let mut nm = NetworkMut::of(&mut world).expect("network");
    nm.set_state(7, "v", -51.0).expect("set");
    sim.set_state(7, "v", -51.0).expect("set");
    assert_eq!(Network::of(&world).and_then(|n| n.state(7)), sim.state(7));
    // A World without a network has none.
    assert!(Network::of(&World::new()).is_none());
}
