//! `NeurocorePlugin` in headless Bevy apps with manual time: game time and network time agree
//! exactly, spikes arrive as messages identical to a headless `Simulation`'s, host inputs reach
//! the network in the frame they are written, and the Braitenberg vehicle as a Bevy app
//! (`examples/braitenberg_bevy.rs`) drives as the hand-stepped one does.
#![cfg(feature = "bevy")]

#[path = "../examples/braitenberg_bevy.rs"]
mod braitenberg_bevy;

use std::time::Duration;

use bevy_app::{App, FixedUpdate, TaskPoolPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_time::{Fixed, Time, TimePlugin, TimeUpdateStrategy};
use braitenberg_bevy::{Body, Lamp, Vehicle, controller_scene, vehicle};
use neurocore::engine::plugin::{
    LagPolicy, NetworkInputs, NetworkLag, NetworkOutputs, NetworkSpike, NeurocorePlugin,
    NeurocoreSet,
};
use neurocore::engine::scene::{PopulationSpec, Scene, StimulusKind, StimulusSpec, Target};
use neurocore::engine::sim::{Network, Simulation};

/// Seeded frame times, 1–40 ms with nanosecond resolution (64-bit LCG, high bits).
struct Frames(u64);
impl Frames {
    fn next(&mut self) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Duration::from_nanos(1_000_000 + (self.0 >> 33) % 39_000_001)
    }
}

fn headless(plugin: NeurocorePlugin) -> App {
    let mut app = App::new();
    app.add_plugins((TaskPoolPlugin::default(), TimePlugin))
        .add_plugins(plugin);
    start(&mut app);
    app
}

/// Bevy's first update starts its clock (`Time<Real>` takes its first instant, delta 0): game
/// time counts from there.
fn start(app: &mut App) {
    app.finish();
    app.cleanup();
    app.update();
    assert_eq!(app.world().resource::<NetworkOutputs>().steps, 0);
}

fn frame(app: &mut App, d: Duration) {
    app.insert_resource(TimeUpdateStrategy::ManualDuration(d));
    app.update();
}

const DT_NS: u128 = 100_000; // 0.1 ms

#[test]
fn network_time_is_game_time_floored_to_whole_steps_on_fixed_update() {
    let plugin = NeurocorePlugin::new(controller_scene(3), neurocore::registry())
        .expect("valid scene")
        .spike_messages(false);
    let mut app = headless(plugin);
    let mut frames = Frames(11);
    let mut wall: u128 = 0;
    let timestep = app.world().resource::<Time<Fixed>>().timestep().as_nanos();
    for i in 0..10_000 {
        let d = frames.next();
        wall += d.as_nanos();
        frame(&mut app, d);
        // The fixed clock runs whole timesteps of the virtual (here: the summed) time.
        let fixed = app.world().resource::<Time<Fixed>>().elapsed().as_nanos();
        assert_eq!(fixed, wall / timestep * timestep, "frame {i}");
        let out = app.world().resource::<NetworkOutputs>();
        let net = Network::of(app.world()).expect("a network");
        assert_eq!(out.game_time.as_nanos(), fixed, "frame {i}");
        assert_eq!(u128::from(net.steps()), fixed / DT_NS, "frame {i}");
        assert_eq!(out.steps, net.steps());
        assert_eq!(net.time(), net.steps() as f64 * 0.1);
        assert_eq!(out.behind, 0);
    }
    // 10,000 frames of 1–40 ms: about 205 s of game time, matched to within one step.
    let net = Network::of(app.world()).expect("a network");
    let game_ms = app.world().resource::<Time<Fixed>>().elapsed().as_nanos() as f64 / 1e6;
    assert!(game_ms > 150_000.0);
    assert!((game_ms - net.time()).abs() < 0.1 + 1e-9);
}

#[test]
fn network_time_is_game_time_floored_to_whole_steps_on_update() {
    // On Update the plugin runs once per frame on virtual time: the summed frame times.
    let plugin = NeurocorePlugin::new(controller_scene(3), neurocore::registry())
        .expect("valid scene")
        .in_schedule(Update)
        .spike_messages(false);
    let mut app = headless(plugin);
    let mut frames = Frames(5);
    let mut wall: u128 = 0;
    for i in 0..10_000 {
        let d = frames.next();
        wall += d.as_nanos();
        frame(&mut app, d);
        let out = app.world().resource::<NetworkOutputs>();
        assert_eq!(out.game_time.as_nanos(), wall, "frame {i}");
        assert_eq!(u128::from(out.steps), wall / DT_NS, "frame {i}");
        assert_eq!(out.time, out.steps as f64 * 0.1);
    }
    let out = app.world().resource::<NetworkOutputs>();
    assert!((wall as f64 / 1e6 - out.time).abs() < 0.1 + 1e-9);
}

#[derive(Resource, Default)]
struct Heard(Vec<(u64, u32)>);

fn hear(mut spikes: MessageReader<NetworkSpike>, mut heard: ResMut<Heard>) {
    heard.0.extend(spikes.read().map(|s| (s.step, s.neuron)));
}

fn lights_on(mut inputs: ResMut<NetworkInputs>) -> Result {
    inputs.set_external("light_left", &[600.0])?;
    inputs.set_external("light_right", &[450.0])?;
    Ok(())
}

#[test]
fn spike_messages_are_the_spikes_of_a_headless_simulation() {
    // The same scene stepped by hand: every (step, neuron) must arrive once, in order.
    let seed = 4;
    let mut app = App::new();
    app.add_plugins((TaskPoolPlugin::default(), TimePlugin))
        .add_plugins(
            NeurocorePlugin::new(controller_scene(seed), neurocore::registry())
                .expect("valid scene"),
        )
        .init_resource::<Heard>()
        .add_systems(
            FixedUpdate,
            (
                lights_on.in_set(NeurocoreSet::Inputs),
                hear.in_set(NeurocoreSet::Outputs),
            ),
        );
    start(&mut app);
    let mut frames = Frames(9);
    for _ in 0..300 {
        let d = frames.next();
        frame(&mut app, d);
    }
    let steps = Network::of(app.world()).expect("a network").steps();
    assert!(steps > 40_000, "{steps} steps");

    let mut sim = Simulation::from_scene(&controller_scene(seed), &neurocore::registry())
        .expect("valid scene");
    sim.set_external("light_left", &[600.0]).expect("input");
    sim.set_external("light_right", &[450.0]).expect("input");
    let mut expected = Vec::new();
    for _ in 0..steps {
        sim.step();
        let step = sim.steps() - 1;
        expected.extend(sim.spikes().iter().map(|&id| (step, id)));
    }
    let heard = &app.world().resource::<Heard>().0;
    assert!(expected.len() > 1000, "{} spikes", expected.len());
    assert_eq!(heard.len(), expected.len());
    assert!(heard == &expected, "the spike streams differ");
    // The per-population totals agree with the messages too.
    let out = app.world().resource::<NetworkOutputs>();
    let total: u64 = out
        .populations()
        .iter()
        .filter_map(|p| out.spikes_total(p))
        .sum();
    assert_eq!(total as usize, expected.len());
}

/// A memoryless rate population r = 2·[I − 1]₊ driven by an external input and a port bias.
fn relu_scene() -> Scene {
    Scene {
        populations: vec![
            PopulationSpec::new("relu", "ThresholdLinearRateNeuron", 3)
                .param("theta", 1.0)
                .param("gain", 2.0),
        ],
        stimuli: vec![
            StimulusSpec::new(Target::all("relu"), StimulusKind::External { initial: 0.0 })
                .named("drive"),
        ],
        ..Scene::default()
    }
}

#[derive(Resource, Default)]
struct Frame(u32);

#[derive(Resource, Default)]
struct Seen {
    before: Vec<Vec<f64>>,
    after: Vec<Vec<f64>>,
}

fn write_drive(mut inputs: ResMut<NetworkInputs>, mut f: ResMut<Frame>) -> Result {
    f.0 += 1;
    let k = f.0 as f64;
    inputs.set_external("drive", &[k, 0.5 * k, -k])?;
    if f.0 == 3 {
        inputs.set_port("relu", "current", 10.0)?;
    }
    Ok(())
}

fn read_values(out: Res<NetworkOutputs>, mut seen: ResMut<Seen>, after: bool) -> Result {
    let v = out.values("relu").ok_or("no relu")?.to_vec();
    if after {
        seen.after.push(v);
    } else {
        seen.before.push(v);
    }
    Ok(())
}

#[test]
fn host_inputs_written_before_the_step_reach_the_network_in_the_same_frame() {
    let plugin = NeurocorePlugin::new(relu_scene(), neurocore::registry()).expect("valid scene");
    let mut app = App::new();
    app.add_plugins((TaskPoolPlugin::default(), TimePlugin))
        .insert_resource(Time::<Fixed>::from_duration(Duration::from_millis(1)))
        .add_plugins(plugin)
        .init_resource::<Frame>()
        .init_resource::<Seen>()
        .add_systems(
            FixedUpdate,
            (
                write_drive.before(NeurocoreSet::Step),
                (|o: Res<NetworkOutputs>, s: ResMut<Seen>| read_values(o, s, false))
                    .before(write_drive),
                (|o: Res<NetworkOutputs>, s: ResMut<Seen>| read_values(o, s, true))
                    .after(NeurocoreSet::Step),
            ),
        );
    start(&mut app);
    for _ in 0..5 {
        frame(&mut app, Duration::from_millis(1));
    }
    let seen = app.world().resource::<Seen>();
    assert_eq!(seen.after.len(), 5, "one fixed tick per 1-ms frame");
    let relu = |i: f64| 2.0 * (i - 1.0f64).max(0.0);
    for (n, v) in seen.after.iter().enumerate() {
        let k = (n + 1) as f64;
        let bias = if n + 1 >= 3 { 10.0 } else { 0.0 };
        let want = [relu(k + bias), relu(0.5 * k + bias), relu(-k + bias)];
        assert_eq!(v.as_slice(), want.as_slice(), "tick {}", n + 1);
        // A reader before the inputs sees the previous tick's values.
        if n > 0 {
            assert_eq!(&seen.before[n], &seen.after[n - 1]);
        }
    }
}

#[test]
fn a_bad_input_is_refused_when_written() {
    let app = headless(NeurocorePlugin::new(relu_scene(), neurocore::registry()).expect("valid"));
    let mut inputs = app.world().resource::<NetworkInputs>().clone();
    let e = inputs.set_external("drives", &[1.0]).expect_err("unknown");
    assert!(e.to_string().contains("did you mean `drive`"), "{e}");
    let e = inputs
        .set_external("drive", &[1.0, 2.0])
        .expect_err("length");
    assert!(e.to_string().contains("expects 3 values"), "{e}");
    assert!(inputs.set_external("drive", &[f64::NAN]).is_err());
    assert!(inputs.set_port("relu", "voltage", 1.0).is_err());
    assert!(inputs.set_port("relus", "current", 1.0).is_err());
}

#[test]
fn a_scene_file_with_an_error_is_refused_with_its_location() {
    let dir = std::env::temp_dir().join(format!("neurocore-bevy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.ron");
    std::fs::write(
        &path,
        "(\n  populations: [\n    (name: \"a\", model: \"LIFNeuronn\", size: 2),\n  ],\n)\n",
    )
    .expect("write");
    let e = NeurocorePlugin::from_file(&path, neurocore::registry())
        .err()
        .expect("refused");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("LIFNeuron"), "{e}");
    let e = NeurocorePlugin::from_file(&dir.join("absent.ron"), neurocore::registry())
        .err()
        .expect("refused");
    assert!(e.message.contains("cannot read"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
    // A good file loads.
    let ok = NeurocorePlugin::from_file(
        std::path::Path::new("scenes/vogels_abbott_cuba.ron"),
        neurocore::registry(),
    );
    assert!(ok.is_ok(), "{:?}", ok.err());
}

#[derive(Resource, Default)]
struct Lags(Vec<NetworkLag>);

#[test]
fn a_hitch_is_capped_reported_and_caught_up() {
    let plugin = NeurocorePlugin::new(relu_scene(), neurocore::registry())
        .expect("valid scene")
        .in_schedule(Update)
        .max_steps_per_run(100);
    let mut app = headless(plugin);
    app.init_resource::<Lags>().add_systems(
        Update,
        (|mut r: MessageReader<NetworkLag>, mut l: ResMut<Lags>| l.0.extend(r.read().copied()))
            .after(NeurocoreSet::Step),
    );
    // A 25-ms frame is 250 steps: 100 now, 150 behind; then 1-ms frames (10 steps each).
    frame(&mut app, Duration::from_millis(25));
    let out = app.world().resource::<NetworkOutputs>();
    assert_eq!((out.steps, out.behind), (100, 150));
    frame(&mut app, Duration::from_millis(1));
    let out = app.world().resource::<NetworkOutputs>();
    assert_eq!((out.steps, out.behind), (200, 60));
    frame(&mut app, Duration::from_millis(1));
    let out = app.world().resource::<NetworkOutputs>();
    assert_eq!((out.steps, out.behind), (270, 0));
    let lags = &app.world().resource::<Lags>().0;
    assert_eq!(
        lags,
        &vec![
            NetworkLag {
                behind: 150,
                skipped: 0
            },
            NetworkLag {
                behind: 60,
                skipped: 0
            }
        ]
    );

    // Skipping drops the excess for good.
    let plugin = NeurocorePlugin::new(relu_scene(), neurocore::registry())
        .expect("valid scene")
        .in_schedule(Update)
        .max_steps_per_run(100)
        .lag_policy(LagPolicy::Skip);
    let mut app = headless(plugin);
    frame(&mut app, Duration::from_millis(25));
    frame(&mut app, Duration::from_millis(1));
    let out = app.world().resource::<NetworkOutputs>();
    assert_eq!((out.steps, out.behind, out.skipped), (110, 0, 150));
}

/// The vehicle's path over `ticks` control ticks, and the spikes its eyes fired.
fn vehicle_run(lamp: Option<Lamp>, pose: Vehicle, seed: u64, ticks: usize) -> (Vec<Vehicle>, u64) {
    let mut app = braitenberg_bevy::app(pose, lamp, seed).expect("the app builds");
    start(&mut app);
    // Frames of 1–40 ms: FixedUpdate runs the 1-ms control ticks the frames contain.
    let mut frames = Frames(seed);
    loop {
        let d = frames.next();
        frame(&mut app, d);
        let mut q = app.world_mut().query::<&Body>();
        let body = q.single(app.world()).expect("one body");
        if body.trail.len() > ticks {
            let out = app.world().resource::<NetworkOutputs>();
            let eyes = out.spikes_total("eye_left").unwrap_or(0)
                + out.spikes_total("eye_right").unwrap_or(0);
            return (body.trail[..=ticks].to_vec(), eyes);
        }
    }
}

fn distance(v: &Vehicle, lamp: (f64, f64)) -> f64 {
    ((v.x - lamp.0).powi(2) + (v.y - lamp.1).powi(2)).sqrt()
}

#[test]
fn the_bevy_vehicle_reaches_the_lamp_on_the_path_of_the_hand_stepped_one() {
    let lamp = Lamp {
        x: 300.0,
        y: 200.0,
        on: true,
    };
    // Heading away from the lamp: it must turn to reach it.
    let start = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: -0.5,
    };
    let (path, _) = vehicle_run(Some(lamp), start, 1, 3000);
    let d0 = distance(&start, (lamp.x, lamp.y));
    let closest = path
        .iter()
        .map(|v| distance(v, (lamp.x, lamp.y)))
        .fold(f64::INFINITY, f64::min);
    assert!(
        closest < 0.2 * d0,
        "closest approach {closest:.0} mm of {d0:.0} mm"
    );
    assert!(
        path[500].heading > 0.0,
        "turned left: {}",
        path[500].heading
    );
    // The same network stepped by hand (examples/vehicle.rs) takes the very same path.
    let mut sim = vehicle::controller(1).expect("the controller builds");
    let by_hand = vehicle::drive(&mut sim, start, (lamp.x, lamp.y), 3000).expect("drives");
    assert_eq!(path.len(), by_hand.len());
    for (k, (a, b)) in path.iter().zip(&by_hand).enumerate() {
        assert!(
            a.x == b.x && a.y == b.y && a.heading == b.heading,
            "tick {k}: {a:?} vs {b:?}"
        );
    }
}

#[test]
fn with_the_lamp_off_the_bevy_vehicle_does_not_steer() {
    let start = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    let mut lamp = Lamp {
        x: 300.0,
        y: 200.0,
        on: true,
    };
    // Lit, the same vehicle turns toward the lamp within 0.5 s …
    let (path, eyes) = vehicle_run(Some(lamp), start, 2, 500);
    assert!(eyes > 0);
    assert!(path[500].heading > 0.1, "heading {}", path[500].heading);
    // … dark (lamp off, or no lamp), its eyes stay silent and it does not steer.
    lamp.on = false;
    for (path, eyes) in [
        vehicle_run(Some(lamp), start, 2, 1000),
        vehicle_run(None, start, 2, 1000),
    ] {
        assert_eq!(eyes, 0);
        let end = path.last().expect("a path");
        assert!(end.heading.abs() < 0.5, "heading {}", end.heading);
    }
}

/// A network whose state becomes non-finite (HH with its substep raised to dt) stops stepping
/// at the watchdog's check under the default policy, and `NetworkOutputs` names the fault; the
/// game's frames go on.
#[test]
fn a_network_that_goes_non_finite_stops_and_says_why() {
    let scene = Simulation::builder(&neurocore::registry())
        .dt(0.1)
        .population(PopulationSpec::new("hh", "HodgkinHuxleyNeuron", 4).param("dt", 0.1))
        .stimulus(StimulusSpec::new(
            Target::all("hh"),
            StimulusKind::Dc { amplitude: 10.0 },
        ))
        .scene()
        .clone();
    let plugin = NeurocorePlugin::new(scene, neurocore::registry()).expect("plugin");
    let mut app = headless(plugin);
    for _ in 0..200 {
        frame(&mut app, Duration::from_millis(16));
    }
    let out = app.world().resource::<NetworkOutputs>();
    let f = out.fault.as_ref().expect("fault reported");
    assert_eq!(f.population, "hh");
    // Network time stood still at the check that found it, well before the 3.2 s of game time.
    assert!(
        (out.time - f.time_ms).abs() < 1e-9,
        "{} vs {}",
        out.time,
        f.time_ms
    );
    assert!(out.time < 100.0, "network time {}", out.time);
}
