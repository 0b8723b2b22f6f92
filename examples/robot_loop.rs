//! A robot controller: the network runs in a fixed-rate control loop against wall-clock time.
//!
//! Every control period (10 ms, 100 Hz) the loop
//! 1. **senses**: reads the robot's two light sensors and writes them into the network's
//!    external inputs,
//! 2. **steps** the network by one period of biological time (100 steps of 0.1 ms),
//! 3. **acts**: turns the motor populations' spikes of that period into wheel travel.
//!
//! The loop keeps its schedule by deadlines on a fixed grid, `start + k · period`, never by
//! sleeping a fixed time after the work: the time the work takes does not accumulate into
//! drift. A tick whose work ends after the next deadline is an *overrun*; it is counted and
//! printed, and the deadlines it ran over are skipped (the loop goes on at the next deadline of
//! the grid still ahead) and counted as missed ticks, so network time then lags wall time by
//! exactly the missed ticks times the period, as reported.
//!
//! The robot is simulated (the Braitenberg vehicle of `examples/vehicle.rs`, its brain and its
//! body), so the example runs standalone:
//! ```text
//! cargo run --release --example robot_loop -- --seconds 3
//! ```
//!
//! ## Connecting to ROS 2
//!
//! No ROS dependency is needed to run this; on a robot the same three steps sit in a ROS 2
//! node (e.g. with the `rclrs` or `r2r` crates): a subscription callback on the sensor topic
//! stores the latest readings (the [`Brain::tick`] argument), a wall timer at the control rate
//! (100 Hz) calls [`Brain::tick`] with them, and the returned motor command is published on the
//! command topic (e.g. as wheel velocities in a `geometry_msgs/Twist`). The ROS executor then
//! plays the part of [`run`]: it fires the timer on its own deadlines, and the overrun check of
//! [`Deadlines::finish`] can be kept inside the callback to report ticks that exceeded the
//! budget.
//!
//! `tests/robot_loop.rs` checks the deadline and overrun accounting with a fake clock.

use std::time::{Duration, Instant};

use neurocore::engine::sim::Simulation;

#[path = "vehicle.rs"]
#[allow(dead_code)]
mod vehicle;

pub use vehicle::Vehicle;

/// A clock the control loop reads and sleeps on; time since an arbitrary origin.
pub trait Clock {
    /// Now.
    fn now(&self) -> Duration;
    /// Return at `deadline` (at once if it has passed).
    fn sleep_until(&mut self, deadline: Duration);
}

/// The wall clock.
pub struct WallClock {
    origin: Instant,
}

impl WallClock {
    /// A wall clock whose origin is now.
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for WallClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for WallClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
    fn sleep_until(&mut self, deadline: Duration) {
        let now = self.now();
        if deadline > now {
            std::thread::sleep(deadline - now);
        }
    }
}

/// What the loop measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopStats {
    /// Ticks run.
    pub ticks: u64,
    /// Ticks whose work ended after the next deadline.
    pub overruns: u64,
    /// Deadlines skipped because a tick ran over them.
    pub missed: u64,
    /// The longest a tick's work took.
    pub worst: Duration,
}

/// The deadline grid: tick `k` starts at `start + k · period`.
#[derive(Clone, Debug)]
pub struct Deadlines {
    start: Duration,
    period: Duration,
    k: u64,
    /// What happened so far.
    pub stats: LoopStats,
}

/// A tick that ran over its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overrun {
    /// The tick's grid index.
    pub tick: u64,
    /// How long its work took.
    pub took: Duration,
    /// Deadlines skipped.
    pub missed: u64,
}

impl Deadlines {
    /// A grid starting at `start` (the first tick's deadline).
    pub fn new(start: Duration, period: Duration) -> Self {
        Self {
            start,
            period,
            k: 0,
            stats: LoopStats::default(),
        }
    }

    /// Grid index of the next tick.
    pub fn index(&self) -> u64 {
        self.k
    }

    /// When the next tick is due.
    pub fn next(&self) -> Duration {
        self.at(self.k)
    }

    fn at(&self, k: u64) -> Duration {
        // Multiplied from the start, not summed: no rounding is carried over.
        let ns = self.start.as_nanos() + self.period.as_nanos() * k as u128;
        Duration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX))
    }

    /// The tick that began at [`Deadlines::next`] finished its work at `now`: account for it
    /// and move to the next deadline still ahead. Returns the overrun, if it was one.
    pub fn finish(&mut self, now: Duration) -> Option<Overrun> {
        let began = self.next();
        let took = now.saturating_sub(began);
        self.stats.ticks += 1;
        self.stats.worst = self.stats.worst.max(took);
        let budget_end = self.at(self.k + 1);
        if now <= budget_end {
            self.k += 1;
            return None;
        }
        // The first grid deadline at or after `now`.
        let since = now.saturating_sub(self.start).as_nanos();
        let p = self.period.as_nanos().max(1);
        let next = u64::try_from(since.div_ceil(p)).unwrap_or(u64::MAX);
        let missed = next - (self.k + 1);
        self.stats.overruns += 1;
        self.stats.missed += missed;
        let o = Overrun {
            tick: self.k,
            took,
            missed,
        };
        self.k = next;
        Some(o)
    }
}

/// Run `tick` on the deadline grid of `period` until `until` (time since the clock's origin);
/// `on_overrun` hears about every overrun as it happens.
pub fn run<C: Clock>(
    clock: &mut C,
    period: Duration,
    until: Duration,
    mut tick: impl FnMut(&mut C, u64),
    mut on_overrun: impl FnMut(Overrun),
) -> LoopStats {
    let mut d = Deadlines::new(clock.now(), period);
    while d.next() < until {
        clock.sleep_until(d.next());
        tick(clock, d.index());
        if let Some(o) = d.finish(clock.now()) {
            on_overrun(o);
        }
    }
    d.stats
}

/// The controller: the network and which ids are motor neurons.
pub struct Brain {
    sim: Simulation,
    motor_left: std::ops::Range<u32>,
    motor_right: std::ops::Range<u32>,
    steps_per_tick: u64,
}

impl Brain {
    /// The vehicle's network, stepping `period` of biological time per tick (`period` must be a
    /// whole number of network steps).
    pub fn new(seed: u64, period: Duration) -> Result<Self, Box<dyn std::error::Error>> {
        let sim = vehicle::controller(seed)?;
        let range = |name: &str| -> Result<std::ops::Range<u32>, String> {
            let p = sim
                .population(name)
                .ok_or(format!("no population {name}"))?;
            Ok(p.start..p.start + p.len)
        };
        let (motor_left, motor_right) = (range("motor_left")?, range("motor_right")?);
        let period_ms = period.as_secs_f64() * 1e3;
        let steps = (period_ms / sim.dt()).round();
        if steps < 1.0 || (steps * sim.dt() - period_ms).abs() > 1e-9 * period_ms {
            return Err(format!(
                "the control period {period_ms} ms is not a whole number of {} ms steps",
                sim.dt()
            )
            .into());
        }
        Ok(Self {
            sim,
            motor_left,
            motor_right,
            steps_per_tick: steps as u64,
        })
    }

    /// One control tick: sensor readings (left, right, pA) in, the motor populations' spike
    /// counts (left, right) over one period of network time out.
    pub fn tick(&mut self, eyes: (f64, f64)) -> Result<(u32, u32), Box<dyn std::error::Error>> {
        self.sim.set_external("light_left", &[eyes.0])?;
        self.sim.set_external("light_right", &[eyes.1])?;
        let (mut left, mut right) = (0, 0);
        for _ in 0..self.steps_per_tick {
            self.sim.step();
            for id in self.sim.spikes() {
                left += u32::from(self.motor_left.contains(id));
                right += u32::from(self.motor_right.contains(id));
            }
        }
        Ok((left, right))
    }

    /// Network time, ms.
    pub fn time(&self) -> f64 {
        self.sim.time()
    }
}

fn parse_seconds() -> Result<f64, String> {
    let mut args = std::env::args().skip(1);
    let mut seconds = 3.0;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => {
                let v = args.next().ok_or("--seconds needs a value")?;
                seconds = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e6)
                    .ok_or(format!("--seconds: not a positive number of seconds: {v}"))?;
            }
            other => return Err(format!("unknown argument {other} (usage: --seconds S)")),
        }
    }
    Ok(seconds)
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds = parse_seconds()?;
    let period = Duration::from_millis(10);
    let mut brain = Brain::new(1, period)?;
    let lamp = (300.0, 200.0);
    let mut robot = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    let mut failure = None;
    let mut clock = WallClock::new();
    let until = clock.now() + Duration::from_secs_f64(seconds);
    let stats = run(
        &mut clock,
        period,
        until,
        |_, k| {
            if failure.is_some() {
                return;
            }
            // sense → step → act
            match brain.tick(robot.eyes(lamp)) {
                Ok((l, r)) => robot.act(l, r),
                Err(e) => failure = Some(e),
            }
            if k % 50 == 0 {
                let d = ((robot.x - lamp.0).powi(2) + (robot.y - lamp.1).powi(2)).sqrt();
                println!(
                    "t {:5.2} s  network {:7.1} ms  x {:6.1} mm  y {:6.1} mm  lamp {:5.1} mm",
                    k as f64 * period.as_secs_f64(),
                    brain.time(),
                    robot.x,
                    robot.y,
                    d
                );
            }
        },
        |o| {
            println!(
                "overrun: tick {} took {:.2} ms of a {:.0} ms budget; {} deadline(s) skipped",
                o.tick,
                o.took.as_secs_f64() * 1e3,
                period.as_secs_f64() * 1e3,
                o.missed
            )
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    println!(
        "{} ticks, {} overruns, {} deadlines missed, worst tick {:.2} ms; network time {:.1} ms",
        stats.ticks,
        stats.overruns,
        stats.missed,
        stats.worst.as_secs_f64() * 1e3,
        brain.time()
    );
    Ok(())
}
