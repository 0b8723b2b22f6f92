//! `TrueNorthNeuron` — IBM TrueNorth's digital neuron (Cassidy et al. 2013), integer arithmetic.
//!
//! **Equations** (one tick; integers; x = the tick's summed synaptic input Σᵢ Aᵢ·w_{Gᵢ}):
//! 1. synaptic integration: V ← V + x;
//! 2. leak: Ω = 1 (ε = 0) or sgn(V) (ε = 1, leak reversal: the leak points toward 0);
//!    V ← V + Ω·λ (deterministic) or V ← V + Ω·sgn(λ)·F(|λ|, ρ) (stochastic leak, c = 1),
//!    F(s, ρ) = 1 if s ≥ ρ else 0, ρ a uniform 8-bit random number;
//! 3. threshold, fire, reset: η = ρ & M (M = 2^mask_bits − 1, a fresh random number);
//!    if V ≥ α + η: spike, and V ← R (γ = 0, normal), V − (α + η) (γ = 1, linear) or V (γ = 2,
//!    none); else if V < −[β·κ + (β + η)(1 − κ)]: V ← −β if κ = 1 (saturation), otherwise
//!    V ← −R (γ = 0), V + (β + η) (γ = 1) or V (γ = 2).
//!
//! **Numerics.** Exact integer arithmetic (64-bit intermediates, V saturating at the i32
//! range). Random numbers come from the engine's counter-based stream (keyed by seed, neuron
//! and tick) instead of the chip's per-neuron LFSR: reproducible, but not the chip's sequence.
//! In a network one step is one tick whatever `dt`; the port value is rounded and saturated to
//! ±65,280 (256 axons × the largest 9-bit weight, 255).
//!
//! **Reference.** Cassidy, A.S. et al. (2013) "Cognitive computing building block: A versatile
//! and efficient digital neuron model for neurosynaptic cores", IJCNN 2013, pp. 1–10,
//! doi:10.1109/IJCNN.2013.6707077 (the reset table γ × κ as also reproduced in the NeMo
//! TrueNorth simulator); Merolla, P.A. et al. (2014) Science 345:668–673,
//! doi:10.1126/science.1254642.
//!
//! **Relation to SC-NeuroCore** (spec §26). Same interface (`step(weighted_input: int)`, one
//! tick), state `v` (0 after `reset()`), parameters `leak`, `threshold`, `v_reset`.
//! Differences, following Cassidy et al.: (a) the leak λ is added with its sign (SC-NeuroCore
//! subtracts it), optionally reversed toward zero (ε) or stochastic (c); (b) a separate negative
//! threshold β (`neg_threshold`, SC-NeuroCore ties it to α) with the paper's negative reset
//! −R (SC-NeuroCore resets to +R) or saturation at −β (κ); (c) the linear and non-resetting
//! reset modes γ; (d) the stochastic threshold mask. With the defaults (λ = 0, β = α = 100,
//! R = 0, γ = 0, no stochasticity) the two agree. Not modelled: per-synapse stochastic
//! integration and axon types (the port carries the already summed, deterministic input).
//!
//! **Paper facts tested** (the integer formulas). Normal reset, λ = 0, one input w per tick:
//! a spike every ⌈α/w⌉ ticks (α = 100, w = 50: every 2 ticks, spec §26); linear reset keeps
//! the remainder, so the rate is exactly w/α (rate code); leak reversal decays |V| by |λ| per
//! tick to 0 from either side; κ = 1 saturates V at −β; the stochastic threshold fires at
//! V = α + n with probability (n + 1)/2^mask_bits, giving the closed-form mean interval.

use neurocore_engine::prelude::*;

/// Largest magnitude of one tick's summed input: 256 axons × 255.
pub const TN_MAX_INPUT: f64 = 65_280.0;

params! {
    /// Parameters of [`TrueNorthNeuron`].
    pub struct TrueNorthParams {
        /// Leak added per tick (signed), λ [input units].
        leak: i32 = 0,
        /// Leak reversal: the leak points toward 0 (Ω = sgn V), ε [choice].
        leak_reversal: bool = false,
        /// Stochastic leak: ±1 with probability (|λ| + 1)/256 instead of λ, c [choice].
        stochastic_leak: bool = false,
        /// Positive threshold, α [input units].
        threshold: i32 = 100,
        /// Negative threshold (magnitude), β [input units].
        neg_threshold: i32 = 100,
        /// Reset potential, R (negative resets go to −R) [input units].
        v_reset: i32 = 0,
        /// Reset mode γ: 0 normal (V ← R), 1 linear (V ← V − α − η), 2 none [choice].
        reset_mode: u8 = 0,
        /// Negative saturation instead of negative reset, κ [choice].
        neg_saturate: bool = false,
        /// Width of the stochastic threshold mask, M = 2^bits − 1 [bits].
        threshold_mask_bits: u8 = 0,
    }
}

impl TrueNorthParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("leak", self.leak as f64, -255.0, 255.0)?;
        check::non_negative("threshold", self.threshold as f64)?;
        check::non_negative("neg_threshold", self.neg_threshold as f64)?;
        check::in_range("reset_mode", self.reset_mode as f64, 0.0, 2.0)?;
        check::in_range(
            "threshold_mask_bits",
            self.threshold_mask_bits as f64,
            0.0,
            16.0,
        )
    }
}

neuron_state! {
    /// State of [`TrueNorthNeuron`].
    pub struct TrueNorthState {
        /// Membrane potential, V [input units].
        v: i32 => TrueNorthV,
    }
}

/// An 8-bit uniform random number ρ ∈ [0, 255].
#[inline(always)]
fn rho8(rng: &mut NeuronRng) -> i64 {
    (rng.next_u64() >> 56) as i64
}

/// One tick with summed integer input `x`; `true` on a spike.
#[inline(always)]
pub fn truenorth_step(
    p: &TrueNorthParams,
    s: &mut TrueNorthState,
    x: i64,
    rng: &mut NeuronRng,
) -> bool {
    let mut v = s.v as i64 + x;
    let omega = if p.leak_reversal { v.signum() } else { 1 };
    let lambda = p.leak as i64;
    if p.stochastic_leak {
        if lambda.abs() >= rho8(rng) {
            v += omega * lambda.signum();
        }
    } else {
        v += omega * lambda;
    }
    let eta = if p.threshold_mask_bits > 0 {
        (rng.next_u64() & ((1u64 << p.threshold_mask_bits) - 1)) as i64
    } else {
        0
    };
    let (alpha, beta, r) = (p.threshold as i64, p.neg_threshold as i64, p.v_reset as i64);
    let mut spike = false;
    if v >= alpha + eta {
        spike = true;
        v = match p.reset_mode {
            0 => r,
            1 => v - (alpha + eta),
            _ => v,
        };
    } else if p.neg_saturate {
        if v < -beta {
            v = -beta;
        }
    } else if v < -(beta + eta) {
        v = match p.reset_mode {
            0 => -r,
            1 => v + (beta + eta),
            _ => v,
        };
    }
    s.v = v.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    spike
}

standalone! {
/// IBM TrueNorth digital neuron (Cassidy et al. 2013).
pub struct TrueNorthNeuron;
}

impl TrueNorthNeuron {
    /// One tick with the summed synaptic input `weighted_input`; `true` on a spike.
    pub fn step(&mut self, weighted_input: i32) -> bool {
        self.step_or_none([weighted_input as f64])
    }
}

impl Model for TrueNorthNeuron {
    const NAME: &'static str = "TrueNorthNeuron";
    const FAMILY: Family = Family::Hardware;
    const SUMMARY: &'static str =
        "IBM TrueNorth digital neuron: leak modes, stochastic threshold, reset modes";
    const REFERENCE: &'static str = "Cassidy et al. 2013, IJCNN, doi:10.1109/IJCNN.2013.6707077; Merolla et al. 2014, Science 345:668";
    const PORTS: &'static [&'static str] = &["weighted_input"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[30.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = TrueNorthParams;
    type State = TrueNorthState;
    type Consts = TrueNorthParams;
    type Ports = [f64; 1];
    type Output = bool;

    fn init(_: &TrueNorthParams) -> TrueNorthState {
        TrueNorthState { v: 0 }
    }
    fn standalone_span(_: &TrueNorthParams) -> f64 {
        1.0
    }
    fn prepare(p: &TrueNorthParams, _: f64) -> TrueNorthParams {
        p.clone()
    }
    #[inline(always)]
    fn update(
        p: &TrueNorthParams,
        s: &mut TrueNorthState,
        x: &Input<[f64; 1]>,
        rng: &mut NeuronRng,
    ) -> bool {
        let w = x.ports[0].round().clamp(-TN_MAX_INPUT, TN_MAX_INPUT) as i64;
        truenorth_step(p, s, w, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neuron(p: TrueNorthParams) -> TrueNorthNeuron {
        TrueNorthNeuron::with_params(p).unwrap()
    }

    #[test]
    fn normal_reset_fires_every_ceil_alpha_over_w_ticks() {
        // Spec §26 [derived]: α = 100, w = 50 → a spike every 2 ticks; w = 30 → every 4.
        for (w, period) in [(50, 2usize), (30, 4), (100, 1), (7, 15)] {
            let mut n = TrueNorthNeuron::new();
            let t: Vec<usize> = (1..=60).filter(|_| n.step(w)).collect();
            let expect: Vec<usize> = (1..=60).filter(|k| k % period == 0).collect();
            assert_eq!(t, expect, "w = {w}");
        }
    }

    #[test]
    fn linear_reset_fires_at_rate_w_over_alpha() {
        // γ = 1 keeps V − α: after n ticks ⌊30n/100⌋ spikes, exactly (rate code).
        let mut n = neuron(TrueNorthParams {
            reset_mode: 1,
            ..Default::default()
        });
        let mut count = 0;
        for k in 1..=1000i64 {
            count += n.step(30) as i64;
            assert_eq!(count, 30 * k / 100, "tick {k}");
            assert_eq!(n.state().v as i64, 30 * k % 100);
        }
    }

    #[test]
    fn leak_reversal_decays_toward_zero_from_both_sides() {
        for start in [7, -7] {
            let mut n = neuron(TrueNorthParams {
                leak: -2,
                leak_reversal: true,
                ..Default::default()
            });
            n.state_mut().v = start;
            // Ω = sgn(V) each tick: |V| shrinks by 2 (7 → 5 → 3 → 1), then the leak
            // overshoots 0 by less than |λ| and V alternates between ±1.
            let seq: Vec<i32> = (0..5)
                .map(|_| {
                    n.step(0);
                    n.state().v
                })
                .collect();
            let s = start.signum();
            assert_eq!(seq, vec![5 * s, 3 * s, s, -s, s]);
        }
        // With |λ| = 1 it settles at 0 exactly: sgn(0) = 0 stops the leak.
        let mut n = neuron(TrueNorthParams {
            leak: -1,
            leak_reversal: true,
            ..Default::default()
        });
        n.state_mut().v = -4;
        for _ in 0..10 {
            n.step(0);
        }
        assert_eq!(n.state().v, 0);
    }

    #[test]
    fn negative_threshold_resets_or_saturates() {
        // κ = 0, γ = 0: V < −β → V ← −R.
        let mut n = neuron(TrueNorthParams {
            v_reset: 5,
            ..Default::default()
        });
        n.step(-150);
        assert_eq!(n.state().v, -5);
        // κ = 1: V saturates at −β.
        let mut n = neuron(TrueNorthParams {
            neg_saturate: true,
            ..Default::default()
        });
        for _ in 0..5 {
            n.step(-70);
            assert!(n.state().v >= -100);
        }
        assert_eq!(n.state().v, -100);
        // γ = 1, κ = 0: V ← V + β (linear negative reset).
        let mut n = neuron(TrueNorthParams {
            reset_mode: 1,
            ..Default::default()
        });
        n.step(-130);
        assert_eq!(n.state().v, -30);
    }

    #[test]
    fn stochastic_threshold_gives_the_closed_form_mean_interval() {
        // α = 100, w = 10, mask 4 bits (η uniform on 0..15, fresh each tick), normal reset:
        // V = 10n; tick 10 (V = 100) fires iff η ≤ 0: p = 1/16; tick 11 (V = 110) iff η ≤ 10:
        // 11/16; tick 12 (V = 120 > 115) always. Mean interval
        // 10·(1/16) + 11·(15/16)(11/16) + 12·(15/16)(5/16) = 11.2305.
        let mut n = neuron(TrueNorthParams {
            threshold_mask_bits: 4,
            ..Default::default()
        });
        n.set_seed(3, 0);
        let t: Vec<usize> = (1..=120_000).filter(|_| n.step(10)).collect();
        let isi: Vec<usize> = t.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(isi.iter().all(|&d| (10..=12).contains(&d)));
        let mean = isi.iter().sum::<usize>() as f64 / isi.len() as f64;
        let expect = 10.0 / 16.0 + 11.0 * 15.0 * 11.0 / 256.0 + 12.0 * 15.0 * 5.0 / 256.0;
        // ≈ 10,660 intervals, sd of one interval ≈ 0.55: standard error ≈ 0.005.
        assert!((mean - expect).abs() < 0.03, "{mean} vs {expect}");
    }
}
