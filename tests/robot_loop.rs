//! The robot control loop of `examples/robot_loop.rs`: deadline and overrun accounting, checked
//! with a fake clock (no timing assertions), and the closed loop reaching its goal.

#[path = "../examples/robot_loop.rs"]
mod robot_loop;

use std::time::Duration;

use robot_loop::{Brain, Clock, Deadlines, Vehicle, run};

/// A clock that moves only when told: sleeping jumps to the deadline, work advances it by a
/// scripted amount.
struct FakeClock {
    now: Duration,
    sleeps: u64,
}

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        self.now
    }
    fn sleep_until(&mut self, deadline: Duration) {
        self.sleeps += 1;
        self.now = self.now.max(deadline);
    }
}

const MS: Duration = Duration::from_millis(1);

#[test]
fn ticks_start_on_the_deadline_grid_whatever_the_work_takes() {
    // Work of 3.7 ms per tick at 100 Hz from an origin of 1.234567 s. A loop that slept a
    // fixed 10 ms after its work would start tick k at 13.7·k ms; on deadlines it starts at
    // exactly 10·k ms.
    let origin = Duration::from_nanos(1_234_567_000);
    let mut clock = FakeClock {
        now: origin,
        sleeps: 0,
    };
    let mut starts = Vec::new();
    let stats = run(
        &mut clock,
        10 * MS,
        origin + Duration::from_secs(10),
        |c, k| {
            starts.push((k, c.now));
            c.now += Duration::from_micros(3_700);
        },
        |o| panic!("no overrun expected: {o:?}"),
    );
    assert_eq!(stats.ticks, 1000);
    assert_eq!((stats.overruns, stats.missed), (0, 0));
    assert_eq!(stats.worst, Duration::from_micros(3_700));
    for (i, &(k, t)) in starts.iter().enumerate() {
        assert_eq!(k, i as u64);
        assert_eq!(t, origin + 10 * MS * i as u32);
    }
}

#[test]
fn an_overrun_is_counted_and_the_loop_resumes_on_the_grid() {
    // Tick 5 takes 25 ms of a 10 ms budget: it starts at 50 ms and ends at 75 ms, so the
    // deadlines at 60 and 70 ms are skipped and the next tick runs at 80 ms (index 8).
    // Tick 12 takes exactly its budget (10 ms): not an overrun.
    let mut clock = FakeClock {
        now: Duration::ZERO,
        sleeps: 0,
    };
    let mut starts = Vec::new();
    let mut overruns = Vec::new();
    let stats = run(
        &mut clock,
        10 * MS,
        200 * MS,
        |c, k| {
            starts.push((k, c.now));
            c.now += match k {
                5 => 25 * MS,
                12 => 10 * MS,
                _ => MS,
            };
        },
        |o| overruns.push(o),
    );
    let ks: Vec<u64> = starts.iter().map(|s| s.0).collect();
    let expected: Vec<u64> = (0..20).filter(|k| !(6..8).contains(k)).collect();
    assert_eq!(ks, expected);
    for &(k, t) in &starts {
        assert_eq!(t, 10 * MS * k as u32, "tick {k} started off the grid");
    }
    assert_eq!(
        overruns,
        vec![robot_loop::Overrun {
            tick: 5,
            took: 25 * MS,
            missed: 2
        }]
    );
    assert_eq!(stats.ticks, 18);
    assert_eq!((stats.overruns, stats.missed), (1, 2));
    assert_eq!(stats.worst, 25 * MS);
    // Every slot of the grid is either a tick or a missed deadline.
    assert_eq!(stats.ticks + stats.missed, 20);
}

#[test]
fn an_overrun_ending_on_a_deadline_resumes_at_that_deadline() {
    let mut d = Deadlines::new(Duration::ZERO, 10 * MS);
    // Tick 0 ends at 30 ms exactly: the deadlines at 10 and 20 ms are gone, the one at 30 ms
    // is still usable.
    let o = d.finish(30 * MS).expect("an overrun");
    assert_eq!((o.tick, o.missed), (0, 2));
    assert_eq!(d.next(), 30 * MS);
    assert_eq!(d.index(), 3);
    assert_eq!(d.finish(35 * MS), None);
    assert_eq!(d.next(), 40 * MS);
}

#[test]
fn the_robot_reaches_the_lamp_under_the_control_loop() {
    // The vehicle of tests/embedding.rs, now sensed and driven at 100 Hz (100 network steps
    // per tick). With a fake clock and no work time the loop runs 300 ticks in 3 s.
    let period = 10 * MS;
    let mut brain = Brain::new(1, period).expect("the controller builds");
    let lamp = (300.0, 200.0);
    let mut robot = Vehicle {
        x: 0.0,
        y: 0.0,
        heading: 0.0,
    };
    let dist = |v: &Vehicle| ((v.x - lamp.0).powi(2) + (v.y - lamp.1).powi(2)).sqrt();
    let d0 = dist(&robot);
    let mut closest = d0;
    let mut clock = FakeClock {
        now: Duration::ZERO,
        sleeps: 0,
    };
    let stats = run(
        &mut clock,
        period,
        Duration::from_secs(3),
        |_, _| {
            let (l, r) = brain.tick(robot.eyes(lamp)).expect("inputs exist");
            robot.act(l, r);
            closest = closest.min(dist(&robot));
        },
        |o| panic!("no overrun with a fake clock: {o:?}"),
    );
    assert_eq!(stats.ticks, 300);
    assert_eq!(clock.sleeps, 300);
    // Network time is exactly the ticks times the period (3000 ms as 30,000 steps of 0.1 ms).
    assert!((brain.time() - 3000.0).abs() < 1e-6, "{}", brain.time());
    assert!(robot.heading > 0.1, "turned left toward the lamp");
    assert!(closest < 0.2 * d0, "closest {closest:.0} mm of {d0:.0} mm");
}

#[test]
fn a_period_that_is_not_whole_steps_is_refused() {
    let err = Brain::new(1, Duration::from_micros(10_050))
        .err()
        .expect("refused");
    assert!(err.to_string().contains("whole number"), "{err}");
}
