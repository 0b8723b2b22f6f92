//! The Braitenberg vehicle of `examples/vehicle.rs` as a Bevy app: the vehicle's body and the
//! lamp are entities, sensing and acting are systems, and the brain is [`NeurocorePlugin`]
//! running the same network.
//!
//! On `FixedUpdate` with a 1-ms timestep, every fixed tick
//! - [`sense`] (in [`NeurocoreSet::Inputs`]) reads the light at the body's two sensors and
//!   writes it into the network's external inputs,
//! - the plugin advances the network by the tick's game time (ten 0.1-ms steps),
//! - [`act`] (in [`NeurocoreSet::Outputs`]) turns the motor populations' spikes of that tick into
//!   wheel travel and moves the body.
//!
//! This is exactly the loop `examples/vehicle.rs` runs by hand, so with the same seed the two
//! vehicles take the same path (`tests/bevy_plugin.rs` checks it).
//!
//! ```text
//! cargo run --release --features bevy --example braitenberg_bevy -- --seconds 3
//! ```
//! Without a window: `bevy_app`'s schedule runner plays the frames in real time (60 per second).

use std::time::Duration;

use bevy_app::{App, AppExit, FixedUpdate, ScheduleRunnerPlugin, TaskPoolPlugin, Update};
use bevy_ecs::prelude::*;
use bevy_time::{Fixed, Time, TimePlugin};
use neurocore::engine::plugin::{NetworkInputs, NetworkOutputs, NeurocorePlugin, NeurocoreSet};

/// The vehicle's network and body, shared with the hand-stepped example.
#[path = "vehicle.rs"]
#[allow(dead_code)]
pub mod vehicle;

pub use vehicle::{Vehicle, controller_scene};

/// The vehicle's body: its pose, and the poses it has had (one per control tick).
#[derive(Component, Clone, Debug)]
pub struct Body {
    /// Position (mm) and heading (rad).
    pub pose: Vehicle,
    /// Every pose so far, the start first.
    pub trail: Vec<Vehicle>,
}

/// A lamp at a point of the plane (mm).
#[derive(Component, Clone, Copy, Debug)]
pub struct Lamp {
    /// x, mm.
    pub x: f64,
    /// y, mm.
    pub y: f64,
    /// Whether it shines.
    pub on: bool,
}

/// The control tick (the fixed timestep).
pub const TICK: Duration = Duration::from_millis(1);

/// The vehicle world: a body at `start`, a lamp (if any), the brain built from
/// [`controller_scene`] with `seed`. Add time plugins (and a runner) to run it.
pub fn app(
    start: Vehicle,
    lamp: Option<Lamp>,
    seed: u64,
) -> Result<App, Box<dyn std::error::Error>> {
    let brain = NeurocorePlugin::new(controller_scene(seed), neurocore::registry())?;
    let mut app = App::new();
    app.add_plugins((TaskPoolPlugin::default(), TimePlugin))
        .insert_resource(Time::<Fixed>::from_duration(TICK))
        .add_plugins(brain)
        .add_systems(
            FixedUpdate,
            (
                sense.in_set(NeurocoreSet::Inputs),
                act.in_set(NeurocoreSet::Outputs),
            ),
        );
    app.world_mut().spawn(Body {
        pose: start,
        trail: vec![start],
    });
    if let Some(l) = lamp {
        app.world_mut().spawn(l);
    }
    Ok(app)
}

/// Sensing: the light at the two sensors (the brightest lamp that is on; none: dark) → the
/// network's external inputs `light_left` and `light_right`.
pub fn sense(
    bodies: Query<&Body>,
    lamps: Query<&Lamp>,
    mut inputs: ResMut<NetworkInputs>,
) -> Result {
    let body = bodies.single()?;
    let (mut left, mut right) = (0.0f64, 0.0f64);
    for lamp in lamps.iter().filter(|l| l.on) {
        let (l, r) = body.pose.eyes((lamp.x, lamp.y));
        left = left.max(l);
        right = right.max(r);
    }
    inputs.set_external("light_left", &[left])?;
    inputs.set_external("light_right", &[right])?;
    Ok(())
}

/// Acting: the motor populations' spikes of this tick → wheel travel → the body moves.
pub fn act(mut bodies: Query<&mut Body>, outputs: Res<NetworkOutputs>) -> Result {
    let mut body = bodies.single_mut()?;
    let left = outputs.spikes("motor_left").ok_or("no motor_left")?;
    let right = outputs.spikes("motor_right").ok_or("no motor_right")?;
    body.pose.act(left, right);
    let pose = body.pose;
    body.trail.push(pose);
    Ok(())
}

fn seconds() -> Result<f64, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => Ok(3.0),
        [flag, v] if flag == "--seconds" => v
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s > 0.0)
            .ok_or(format!("--seconds: not a positive number: {v}")),
        _ => Err("usage: braitenberg_bevy [--seconds S]".into()),
    }
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let run_for = Duration::from_secs_f64(seconds()?);
    let start = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    let lamp = Lamp {
        x: 300.0,
        y: 200.0,
        on: true,
    };
    let mut app = app(start, Some(lamp), 1)?;
    app.add_plugins(ScheduleRunnerPlugin::run_loop(Duration::from_secs_f64(
        1.0 / 60.0,
    )))
    .add_systems(
        Update,
        move |time: Res<Time>,
              bodies: Query<&Body>,
              outputs: Res<NetworkOutputs>,
              mut last: Local<u32>,
              mut exit: MessageWriter<AppExit>| {
            let quarter = (time.elapsed().as_millis() / 250) as u32;
            if quarter > *last {
                *last = quarter;
                for b in &bodies {
                    let d = ((b.pose.x - lamp.x).powi(2) + (b.pose.y - lamp.y).powi(2)).sqrt();
                    println!(
                        "game {:5.2} s  network {:7.1} ms  x {:6.1} mm  y {:6.1} mm  heading {:5.2} rad  lamp {:5.1} mm",
                        time.elapsed_secs_f64(),
                        outputs.time,
                        b.pose.x,
                        b.pose.y,
                        b.pose.heading,
                        d
                    );
                }
            }
            if time.elapsed() >= run_for {
                exit.write(AppExit::Success);
            }
        },
    );
    match app.run() {
        AppExit::Success => Ok(()),
        AppExit::Error(code) => Err(format!("the app exited with code {code}").into()),
    }
}
