//! Game time → whole network steps, exactly.
//!
//! The host's clock advances in [`Duration`]s (whole nanoseconds); the network advances in
//! steps of `dt` ms. [`StepClock`] sums the host's frame times as an integer number of
//! nanoseconds and derives the number of steps due from that total, `floor(elapsed / dt)`, so
//! no rounding error is ever carried from one frame to the next: after any sequence of frames
//! the network has taken exactly `floor(elapsed / dt)` steps (less any lag, see
//! [`StepClock::advance`]), and its time is within one `dt` of the host's.
//!
//! `dt` as a number of nanoseconds: `dt · 10⁶` is computed in `f64`. When that lies within a
//! relative 10⁻⁹ of a whole number (every usual step: 0.1, 0.05, 0.025, 0.01 ms, …) the step
//! is taken to be that whole number of nanoseconds and all arithmetic is in integers. Otherwise
//! (e.g. `dt = 1/3` ms) the step is the exact binary fraction of nanoseconds that the `f64`
//! holds (within 1.1·10⁻¹⁶ relative of `dt · 10⁶`), and the floor is still taken exactly in
//! 128-bit integers; the network's step count then follows game time with that relative error,
//! under 4 ns of game time per year.

use std::time::Duration;

/// A network step as an exact number of nanoseconds: `num / 2^shift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepLength {
    num: u128,
    shift: u32,
}

impl StepLength {
    /// The step of `dt_ms` milliseconds; `None` unless `dt_ms` is finite and at least 1 ns
    /// (the engine refuses smaller steps too).
    pub fn from_ms(dt_ms: f64) -> Option<Self> {
        let ns = dt_ms * 1e6;
        if !ns.is_finite() || ns < 1.0 {
            return None;
        }
        let whole = ns.round();
        if (ns - whole).abs() <= 1e-9 * ns && whole < 2f64.powi(100) {
            return Some(Self {
                num: whole as u128,
                shift: 0,
            });
        }
        // ns = m · 2^e exactly, with m < 2^53 an integer; ns ≥ 1 and not within 1e-9 of a whole
        // number, so e < 0 here.
        let bits = ns.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32 - 1075;
        let mut m = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
        let mut e = exp;
        while m & 1 == 0 && e < 0 {
            m >>= 1;
            e += 1;
        }
        if e >= 0 {
            return Some(Self {
                num: (m as u128) << e,
                shift: 0,
            });
        }
        Some(Self {
            num: m as u128,
            shift: (-e) as u32,
        })
    }

    /// A whole number of nanoseconds, if the step is one.
    pub fn whole_ns(&self) -> Option<u128> {
        (self.shift == 0).then_some(self.num)
    }

    /// The step in nanoseconds (rounded to `f64`).
    pub fn ns(&self) -> f64 {
        self.num as f64 / 2f64.powi(self.shift as i32)
    }

    /// `floor(elapsed / step)`, exactly.
    pub fn steps_in(&self, elapsed: Duration) -> u64 {
        let e = elapsed.as_nanos();
        let q = match e.checked_mul(1u128 << self.shift.min(127)) {
            Some(scaled) if self.shift < 128 => scaled / self.num,
            // Beyond 2^128 scaled ns (≈ 10^13 years of game time at the finest step): the
            // nearest f64 is as good as anything.
            _ => (e as f64 / self.ns()).floor() as u128,
        };
        u64::try_from(q).unwrap_or(u64::MAX)
    }
}

/// What to do when more network steps are due in one run than the cap allows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LagPolicy {
    /// Keep the steps not taken as a backlog and take them in later runs (at most the cap per
    /// run): network time falls behind game time for a while and then catches up, so over the
    /// whole run it still equals game time. A network too slow for real time falls behind
    /// without bound (the backlog is reported), but a frame never takes longer than the cap.
    #[default]
    CatchUp,
    /// Drop the steps not taken: network time stays at most one cap behind game time and the
    /// dropped time is counted ([`StepClock::skipped`]); game time and network time then differ
    /// by exactly the skipped steps.
    Skip,
}

/// Game time in, network steps out.
#[derive(Clone, Debug)]
pub struct StepClock {
    step: StepLength,
    elapsed: Duration,
    taken: u64,
    skipped: u64,
    max_steps: u64,
    policy: LagPolicy,
}

impl StepClock {
    /// A clock for steps of `step`, taking at most `max_steps` (≥ 1) steps per
    /// [`StepClock::advance`].
    pub fn new(step: StepLength, max_steps: u64, policy: LagPolicy) -> Self {
        Self {
            step,
            elapsed: Duration::ZERO,
            taken: 0,
            skipped: 0,
            max_steps: max_steps.max(1),
            policy,
        }
    }

    /// Game time has advanced by `delta`: the number of network steps to take now. The caller
    /// must take them (they are counted as taken).
    pub fn advance(&mut self, delta: Duration) -> u64 {
        self.elapsed = self.elapsed.saturating_add(delta);
        let due = self.due();
        let n = due.min(self.max_steps);
        self.taken += n;
        if n < due && self.policy == LagPolicy::Skip {
            self.skipped += due - n;
        }
        n
    }

    /// Steps due now and not yet taken (the backlog after an [`StepClock::advance`] that hit
    /// the cap under [`LagPolicy::CatchUp`]; 0 otherwise).
    pub fn due(&self) -> u64 {
        self.step
            .steps_in(self.elapsed)
            .saturating_sub(self.taken + self.skipped)
    }

    /// Game time seen so far.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Steps taken so far.
    pub fn taken(&self) -> u64 {
        self.taken
    }

    /// Steps dropped under [`LagPolicy::Skip`] so far.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The step length.
    pub fn step(&self) -> StepLength {
        self.step
    }

    /// Most steps per [`StepClock::advance`].
    pub fn max_steps(&self) -> u64 {
        self.max_steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (64-bit LCG, high bits).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    #[test]
    fn usual_steps_are_whole_nanoseconds() {
        for (dt, ns) in [
            (0.1, 100_000),
            (0.025, 25_000),
            (0.01, 10_000),
            (1.0, 1_000_000),
        ] {
            assert_eq!(StepLength::from_ms(dt).and_then(|s| s.whole_ns()), Some(ns));
        }
        assert_eq!(StepLength::from_ms(0.0), None);
        assert_eq!(StepLength::from_ms(f64::NAN), None);
        assert_eq!(StepLength::from_ms(1e-7), None);
    }

    #[test]
    fn a_fractional_step_is_the_exact_binary_fraction() {
        let s = StepLength::from_ms(1.0 / 3.0).expect("valid step");
        assert_eq!(s.whole_ns(), None);
        assert_eq!(s.ns(), 1e6 / 3.0);
        // 1 s holds 3000 steps of 1/3 ms: floor(1e9 / 333333.333…) = 2999 or 3000 depending on
        // which side of 1e6/3 the f64 lies; the f64 lies below (…333.3333333333333), so 3000.
        assert_eq!(s.steps_in(Duration::from_secs(1)), 3000);
        // And the floor is exact: one ns less is one step less.
        assert_eq!(s.steps_in(Duration::from_nanos(999_999_999)), 2999);
    }

    #[test]
    fn steps_follow_the_total_of_irregular_frames_exactly() {
        let step = StepLength::from_ms(0.1).expect("valid step");
        let mut clock = StepClock::new(step, u64::MAX, LagPolicy::CatchUp);
        let mut rng = Lcg(7);
        let mut total_ns: u128 = 0;
        let mut taken = 0u64;
        for _ in 0..10_000 {
            let d = 1_000_000 + rng.next() % 39_000_001; // 1–40 ms, any nanosecond
            total_ns += d as u128;
            taken += clock.advance(Duration::from_nanos(d));
            assert_eq!(taken as u128, total_ns / 100_000);
            assert_eq!(clock.taken(), taken);
        }
    }

    #[test]
    fn catch_up_keeps_a_backlog_and_takes_it_later() {
        let step = StepLength::from_ms(1.0).expect("valid step");
        let mut clock = StepClock::new(step, 10, LagPolicy::CatchUp);
        assert_eq!(clock.advance(Duration::from_millis(25)), 10);
        assert_eq!(clock.due(), 15);
        assert_eq!(clock.advance(Duration::from_millis(2)), 10);
        assert_eq!(clock.due(), 7);
        assert_eq!(clock.advance(Duration::ZERO), 7);
        assert_eq!((clock.due(), clock.taken(), clock.skipped()), (0, 27, 0));
    }

    #[test]
    fn skip_drops_the_excess_and_counts_it() {
        let step = StepLength::from_ms(1.0).expect("valid step");
        let mut clock = StepClock::new(step, 10, LagPolicy::Skip);
        assert_eq!(clock.advance(Duration::from_millis(25)), 10);
        assert_eq!((clock.due(), clock.skipped()), (0, 15));
        // The fraction below one step is kept: 0.5 ms + 0.5 ms is one step.
        assert_eq!(clock.advance(Duration::from_micros(500)), 0);
        assert_eq!(clock.advance(Duration::from_micros(500)), 1);
        assert_eq!(clock.taken() + clock.skipped(), 26);
    }
}
