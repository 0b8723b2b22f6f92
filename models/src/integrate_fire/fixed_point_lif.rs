//! `FixedPointLIFNeuron` — a bit-true fixed-point leaky integrate-and-fire neuron (signed
//! Q(F) arithmetic of width W with two's-complement wrap-around), one call per clock cycle.
//!
//! **Equations** (one cycle; integers; `>>` an arithmetic shift, i.e. floor division by 2^F;
//! wrap_N(x) = x mod 2^N read as a signed N-bit number):
//! if the refractory counter r > 0: r ← r − 1, v ← v_rest, no spike. Otherwise
//! d = wrap_2W(v_rest − v); Δv_leak = (d·leak_k) >> F; Δv_in = (I_t·gain_k) >> F;
//! v′ = wrap_W(v + Δv_leak + Δv_in + noise_in); if v′ ≥ v_threshold: spike, v ← v_reset,
//! r ← refractory_period; else v ← v′. The cycle outputs (spike, v).
//! Read as a continuous model: v ← v + k·(v_rest − v) + g·I with k = leak_k/2^F (the fraction
//! of the distance to rest removed per cycle) and g = gain_k/2^F — a discrete LIF with
//! retention 1 − k (Gerstner & Kistler 2002, ch. 4).
//!
//! **Numerics.** Exact integer arithmetic: products in 128-bit intermediates (so no product
//! can overflow for W ≤ 32), then the register wraps above. In a network one step is one clock
//! cycle whatever `dt`; each port value is rounded to the nearest integer and saturated to the
//! W-bit input width.
//!
//! **Units.** Raw Q(F) integers (Q8.8 by default: 256 = 1.0).
//!
//! **Reference.** A generic discrete-time LIF (Gerstner, W. & Kistler, W.M. (2002) *Spiking
//! Neuron Models*, Cambridge Univ. Press, ch. 4, doi:10.1017/CBO9780511815706) in the
//! fixed-point arithmetic of a hardware register; no specific paper. The bit-level rules are
//! those of SC-NeuroCore's RTL model (`sc_lif_neuron`), which is the specification here.
//!
//! **Relation to SC-NeuroCore** (spec §22a). Same interface: `step(leak_k, gain_k, I_t,
//! noise_in)` returns `(spike, v_out)`, state `v`, `refractory_counter`, the same parameters and
//! the same arithmetic (wrap, not saturation, on overflow — hardware-faithful; during
//! refractoriness v is forced to v_rest, not v_reset). The only addition is the network rule
//! above: port values are saturated to W bits (SC-NeuroCore's Python accepts any integer).
//! The model is not yet in the catalogue registry: with only its first port (`leak_k`) driven,
//! as in the catalogue's network test, no input reaches it (unconnected ports are 0), so it
//! cannot fire there; its own test checks the network path against the standalone path with
//! all four ports driven.
//!
//! **Paper facts tested** (spec §22a, derived by hand): leak_k = 0, gain_k = 256, I_t = 16:
//! v rises by 16 per cycle, spikes on cycle 16, then two refractory cycles → period 18; the
//! floor shift of the leak (v = 100, leak_k = 3: (−100·3) >> 8 = −2, so v = 98) and the
//! two's-complement wrap (32 000 + 1 000 → −32 536 at W = 16).

use neurocore_engine::prelude::*;

params! {
    /// Parameters of [`FixedPointLIFNeuron`].
    pub struct FixedPointLIFParams {
        /// Register width, W (1…32) [bits].
        data_width: i32 = 16,
        /// Fractional bits, F (0…W − 1) [bits].
        fraction: i32 = 8,
        /// Resting potential (raw Q(F)) [Q(F)].
        v_rest: i32 = 0,
        /// Reset potential after a spike (raw Q(F)) [Q(F)].
        v_reset: i32 = 0,
        /// Threshold (raw Q(F); 256 = 1.0 in Q8.8) [Q(F)].
        v_threshold: i32 = 256,
        /// Refractory period [cycles].
        refractory_period: i32 = 2,
    }
}

impl FixedPointLIFParams {
    fn check(&self) -> Result<(), ParamError> {
        check::in_range("data_width", self.data_width as f64, 1.0, 32.0)?;
        check::in_range(
            "fraction",
            self.fraction as f64,
            0.0,
            (self.data_width - 1) as f64,
        )?;
        let (lo, hi) = self.range();
        check::in_range("v_rest", self.v_rest as f64, lo as f64, hi as f64)?;
        check::in_range("v_reset", self.v_reset as f64, lo as f64, hi as f64)?;
        check::in_range("v_threshold", self.v_threshold as f64, lo as f64, hi as f64)?;
        check::non_negative("refractory_period", self.refractory_period as f64)
    }

    /// The signed W-bit range [−2^(W−1), 2^(W−1) − 1].
    fn range(&self) -> (i64, i64) {
        let w = self.data_width.clamp(1, 32) as u32;
        (-(1i64 << (w - 1)), (1i64 << (w - 1)) - 1)
    }
}

neuron_state! {
    /// State of [`FixedPointLIFNeuron`].
    pub struct FixedPointLIFState {
        /// Membrane register, v (signed W-bit) [Q(F)].
        v: i32 => FplifV,
        /// Remaining refractory cycles [cycles].
        refractory_counter: i32 => FplifRefractoryCounter,
    }
}

/// Constants of [`FixedPointLIFNeuron`].
#[derive(Clone, Debug)]
pub struct FixedPointLIFConsts {
    p: FixedPointLIFParams,
    w: u32,
    f: u32,
    lo: i64,
    hi: i64,
}

/// `x mod 2^bits`, read as a signed `bits`-bit number (two's complement), 1 ≤ bits ≤ 64.
#[inline(always)]
pub fn wrap(x: i128, bits: u32) -> i128 {
    let m = 1i128 << bits;
    let r = x.rem_euclid(m);
    if r >= m >> 1 { r - m } else { r }
}

/// One clock cycle with integer inputs; returns the spike (the new `v` is `v_out`).
#[inline(always)]
pub fn fixed_point_lif_step(
    k: &FixedPointLIFConsts,
    s: &mut FixedPointLIFState,
    leak_k: i64,
    gain_k: i64,
    i_t: i64,
    noise_in: i64,
) -> bool {
    let p = &k.p;
    if s.refractory_counter > 0 {
        s.refractory_counter -= 1;
        s.v = p.v_rest;
        return false;
    }
    let d = wrap(p.v_rest as i128 - s.v as i128, 2 * k.w);
    let dv_leak = (d * leak_k as i128) >> k.f;
    let dv_in = (i_t as i128 * gain_k as i128) >> k.f;
    let v_next = wrap(s.v as i128 + dv_leak + dv_in + noise_in as i128, k.w);
    if v_next >= p.v_threshold as i128 {
        s.v = p.v_reset;
        s.refractory_counter = p.refractory_period;
        true
    } else {
        s.v = v_next as i32;
        false
    }
}

standalone! {
/// Bit-true fixed-point LIF (Q(F) arithmetic with wrap-around), one clock cycle per step.
pub struct FixedPointLIFNeuron;
}

impl FixedPointLIFNeuron {
    /// One clock cycle: leak fraction `leak_k`, input gain `gain_k`, input `i_t`, raw addend
    /// `noise_in` (all Q(F) integers). Returns `(spike, v_out)`, v_out the register after the
    /// cycle.
    pub fn step(&mut self, leak_k: i32, gain_k: i32, i_t: i32, noise_in: i32) -> (bool, i32) {
        let spike = self.step_or_none([leak_k as f64, gain_k as f64, i_t as f64, noise_in as f64]);
        (spike, self.state().v)
    }
}

impl Model for FixedPointLIFNeuron {
    const NAME: &'static str = "FixedPointLIFNeuron";
    const FAMILY: Family = Family::IntegrateFire;
    const SUMMARY: &'static str = "Bit-true fixed-point LIF: Q(F) integer arithmetic with two's-complement wrap, refractory counter";
    const REFERENCE: &'static str = "Gerstner & Kistler 2002, Spiking Neuron Models ch. 4, doi:10.1017/CBO9780511815706; SC-NeuroCore RTL sc_lif_neuron";
    const PORTS: &'static [&'static str] = &["leak_k", "gain_k", "I_t", "noise_in"];
    const MEMBRANE: Option<&'static str> = None;
    const TIMING: Timing = Timing::Iteration;
    const CONDUCTANCE_INPUT: bool = false;
    const DRIVE: &'static [f64] = &[16.0, 256.0, 32.0, 0.0];
    const SUBSTEP: Option<&'static str> = None;
    type Params = FixedPointLIFParams;
    type State = FixedPointLIFState;
    type Consts = FixedPointLIFConsts;
    type Ports = [f64; 4];
    type Output = bool;

    fn init(p: &FixedPointLIFParams) -> FixedPointLIFState {
        FixedPointLIFState {
            v: p.v_rest,
            refractory_counter: 0,
        }
    }
    fn standalone_span(_: &FixedPointLIFParams) -> f64 {
        1.0
    }
    fn prepare(p: &FixedPointLIFParams, _: f64) -> FixedPointLIFConsts {
        let (lo, hi) = p.range();
        FixedPointLIFConsts {
            p: p.clone(),
            w: p.data_width.clamp(1, 32) as u32,
            f: p.fraction.clamp(0, 31) as u32,
            lo,
            hi,
        }
    }
    #[inline(always)]
    fn update(
        k: &FixedPointLIFConsts,
        s: &mut FixedPointLIFState,
        x: &Input<[f64; 4]>,
        _: &mut NeuronRng,
    ) -> bool {
        let q = |u: f64| u.round().clamp(k.lo as f64, k.hi as f64) as i64;
        let [leak, gain, i, noise] = x.ports;
        fixed_point_lif_step(k, s, q(leak), q(gain), q(i), q(noise))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurocore_engine::registry::Registry;
    use neurocore_engine::scene::{PopulationSpec, StimulusKind, StimulusSpec, Target};
    use neurocore_engine::sim::Simulation;

    #[test]
    fn period_eighteen_without_leak() {
        // Spec §22a: leak 0, gain 256 (1.0), I 16: v = 16n, v′ = 256 ≥ θ on cycle 16 → spike,
        // cycles 17 and 18 refractory (v = v_rest = 0), cycle 19 starts again: period 18.
        let mut n = FixedPointLIFNeuron::new();
        let mut t = Vec::new();
        for c in 1..=60 {
            let (spike, v) = n.step(0, 256, 16, 0);
            if spike {
                t.push(c);
                assert_eq!(v, 0);
            } else if c < 16 {
                assert_eq!(v, 16 * c);
            }
        }
        assert_eq!(t, vec![16, 34, 52]);
    }

    #[test]
    fn leak_uses_floor_shifts() {
        // v = 100, rest 0, leak_k = 3: d = −100, (−300) >> 8 = floor(−1.17) = −2 → 98;
        // (−98·3) >> 8 = floor(−1.15) = −2 → 96. Input: (5·100) >> 8 = 1 (500/256 = 1.95).
        let mut n = FixedPointLIFNeuron::new();
        n.state_mut().v = 100;
        assert_eq!(n.step(3, 0, 0, 0), (false, 98));
        assert_eq!(n.step(3, 0, 0, 0), (false, 96));
        assert_eq!(n.step(0, 100, 5, 0), (false, 97));
        // Negative input floors away from zero: (−5·100) >> 8 = floor(−1.95) = −2.
        assert_eq!(n.step(0, 100, -5, 0), (false, 95));
        // noise_in is a raw addend.
        assert_eq!(n.step(0, 0, 0, -7), (false, 88));
    }

    #[test]
    fn overflow_wraps_in_twos_complement() {
        // W = 16: 32 000 + (1000·256) >> 8 = 33 000 → 33 000 − 65 536 = −32 536 (no spike:
        // the wrapped value is below the threshold).
        let p = FixedPointLIFParams {
            v_threshold: 32_767,
            ..Default::default()
        };
        let mut n = FixedPointLIFNeuron::with_params(p).unwrap();
        n.state_mut().v = 32_000;
        assert_eq!(n.step(0, 256, 1000, 0), (false, -32_536));
        // Network inputs saturate to 16 bits: 100 000 acts as 32 767.
        let mut a = FixedPointLIFNeuron::new();
        let mut b = FixedPointLIFNeuron::new();
        a.advance([0.0, 1.0, 100_000.0, 0.0]);
        b.advance([0.0, 1.0, 32_767.0, 0.0]);
        assert_eq!(a.state(), b.state());
        assert_eq!(b.state().v, 127); // (32 767·1) >> 8 = 127
    }

    #[test]
    fn network_path_equals_standalone_path_with_every_port_driven() {
        // The model is not in the catalogue registry (see integrate_fire/mod.rs), so the
        // catalogue's network checks are repeated here with all four ports driven: three
        // neurons, each with its own integer inputs, 0.1-ms network steps (one cycle each).
        let mut reg = Registry::new();
        reg.add::<FixedPointLIFNeuron>();
        let mut b = Simulation::builder(&reg)
            .dt(0.1)
            .seed(3)
            .population(PopulationSpec::new("p", "FixedPointLIFNeuron", 3));
        for (k, port) in FixedPointLIFNeuron::PORTS.iter().enumerate() {
            b = b.stimulus(
                StimulusSpec::new(Target::all("p"), StimulusKind::External { initial: 0.0 })
                    .named(format!("in{k}"))
                    .port(*port),
            );
        }
        let mut sim = b.build().unwrap();
        let mut alone: Vec<FixedPointLIFNeuron> =
            (0..3).map(|_| FixedPointLIFNeuron::new()).collect();
        let input = |t: usize, i: usize| -> [i32; 4] {
            let m = (t * 7 + i * 13) % 11;
            [
                8 + m as i32,
                200 + 5 * m as i32,
                30 + (i as i32) * 4,
                m as i32 - 5,
            ]
        };
        let mut fired = 0;
        for t in 0..400 {
            for k in 0..4 {
                let vals: Vec<f64> = (0..3).map(|i| input(t, i)[k] as f64).collect();
                sim.set_external(&format!("in{k}"), &vals).unwrap();
            }
            sim.step();
            let spikes = sim.spikes().to_vec();
            for (i, n) in alone.iter_mut().enumerate() {
                let [l, g, x, z] = input(t, i);
                let (spike, v) = n.step(l, g, x, z);
                let net = sim.state(i as u32).unwrap();
                assert_eq!(net.values, n.get_state().values, "neuron {i}, step {t}");
                assert_eq!(net["v"], v as f64);
                assert_eq!(spikes.contains(&(i as u32)), spike, "neuron {i}, step {t}");
                fired += spike as usize;
            }
        }
        assert!(fired > 20, "{fired} spikes");
    }
}
