//! Connection rules (NEST's names and semantics) that build a projection's CSR table.
//!
//! Random draws come from counter-based streams keyed by (seed, projection stream, row), so a
//! network is the same whatever the thread count, and each rule costs time proportional to the
//! synapses it makes (Bernoulli rows skip geometrically; distinct samples are drawn by
//! rejection or partial shuffles).

use crate::numerics::dist::Value;
use crate::numerics::rng::{NeuronRng, mix64};
use crate::scene::Rule;

use super::{Delays, Weights};

/// A built CSR table.
#[derive(Clone, Debug, Default)]
pub struct Csr {
    /// Row starts, length = sources + 1.
    pub row_ptr: Vec<usize>,
    /// Target local indices, rows sorted ascending.
    pub targets: Vec<u32>,
    /// Per-synapse weights from an explicit list (CSR order), if given.
    pub weights: Option<Vec<f64>>,
    /// Per-synapse delays from an explicit list (ms, CSR order), if given.
    pub delays: Option<Vec<f64>>,
}

/// Everything a rule needs to know about the two populations.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    /// Source size.
    pub n_src: u32,
    /// Target size.
    pub n_tgt: u32,
    /// Source and target are the same population (autapses are then possible).
    pub same: bool,
    /// Allow i→i when `same`.
    pub autapses: bool,
    /// Allow repeated pairs.
    pub multapses: bool,
}

/// Number of synapses a rule will make (exact, or the expectation for random rules); used to
/// refuse networks that do not fit in memory before building them.
pub fn expected_synapses(rule: &Rule, s: Sides) -> f64 {
    let pairs = s.n_src as f64 * s.n_tgt as f64
        - if s.same && !s.autapses {
            s.n_src as f64
        } else {
            0.0
        };
    match rule {
        Rule::AllToAll => pairs,
        Rule::OneToOne => s.n_src.min(s.n_tgt) as f64,
        Rule::PairwiseBernoulli { p } => pairs * p,
        Rule::FixedIndegree { k } => *k as f64 * s.n_tgt as f64,
        Rule::FixedOutdegree { k } => *k as f64 * s.n_src as f64,
        Rule::FixedTotalNumber { n } => *n as f64,
        Rule::Explicit { pairs, .. } => pairs.len() as f64,
        Rule::FromNpy { .. } => 0.0,
        Rule::Distance { probability, .. } => pairs * probability.at(0.0).clamp(0.0, 1.0),
    }
}

/// Pair evaluations a rule costs (distance rules test every pair).
pub fn pair_work(rule: &Rule, s: Sides) -> f64 {
    match rule {
        Rule::Distance { .. } => s.n_src as f64 * s.n_tgt as f64,
        _ => 0.0,
    }
}

/// Distance between two points, with periodic boundaries on the axes whose box size is > 0.
#[inline]
pub fn distance(a: glam::Vec3, b: glam::Vec3, periodic: Option<(f64, f64, f64)>) -> f64 {
    let d = (a - b).abs();
    let (mut x, mut y, mut z) = (d.x as f64, d.y as f64, d.z as f64);
    if let Some((lx, ly, lz)) = periodic {
        if lx > 0.0 {
            x = x.min(lx - x);
        }
        if ly > 0.0 {
            y = y.min(ly - y);
        }
        if lz > 0.0 {
            z = z.min(lz - z);
        }
    }
    (x * x + y * y + z * z).sqrt()
}

/// Check a rule against the populations; `Err` says what is impossible.
// Long by design: one match arm per connection rule.
pub fn check_rule(rule: &Rule, s: Sides) -> Result<(), String> {
    let avail_t = s.n_tgt as u64 - u64::from(s.same && !s.autapses);
    let avail_s = s.n_src as u64 - u64::from(s.same && !s.autapses);
    match rule {
        Rule::OneToOne if s.n_src != s.n_tgt => Err(format!(
            "one_to_one needs equal sizes, got {} sources and {} targets",
            s.n_src, s.n_tgt
        )),
        Rule::OneToOne if s.same && !s.autapses => {
            Err("one_to_one within a population makes only autapses; set autapses: true".into())
        }
        Rule::PairwiseBernoulli { p } if !(0.0..=1.0).contains(p) => {
            Err(format!("probability p must lie in [0, 1], got {p}"))
        }
        Rule::FixedIndegree { k } if !s.multapses && *k as u64 > avail_s => Err(format!(
            "fixed_indegree k = {k} exceeds the {avail_s} distinct sources (allow multapses or lower k)"
        )),
        Rule::FixedIndegree { k } if *k > 0 && avail_s == 0 => {
            Err(format!("fixed_indegree k = {k} but there are no sources"))
        }
        Rule::FixedOutdegree { k } if !s.multapses && *k as u64 > avail_t => Err(format!(
            "fixed_outdegree k = {k} exceeds the {avail_t} distinct targets (allow multapses or lower k)"
        )),
        Rule::FixedOutdegree { k } if *k > 0 && avail_t == 0 => {
            Err(format!("fixed_outdegree k = {k} but there are no targets"))
        }
        Rule::FixedTotalNumber { n } if *n > 0 && (s.n_src == 0 || avail_t == 0) => {
            Err(format!("fixed_total_number n = {n} but a side is empty"))
        }
        Rule::FixedTotalNumber { n }
            if !s.multapses && (*n as f64) > expected_synapses(&Rule::AllToAll, s) =>
        {
            Err(format!(
                "fixed_total_number n = {n} exceeds the number of distinct pairs"
            ))
        }
        Rule::Explicit {
            pairs,
            weights,
            delays,
        } => {
            for (k, &(a, b)) in pairs.iter().enumerate() {
                if a >= s.n_src || b >= s.n_tgt {
                    return Err(format!(
                        "pair {k} ({a}, {b}) is out of range: sources 0..{}, targets 0..{}",
                        s.n_src, s.n_tgt
                    ));
                }
            }
            if let Some(w) = weights
                && w.len() != pairs.len()
            {
                return Err(format!("{} weights for {} pairs", w.len(), pairs.len()));
            }
            if let Some(d) = delays
                && d.len() != pairs.len()
            {
                return Err(format!("{} delays for {} pairs", d.len(), pairs.len()));
            }
            Ok(())
        }
        Rule::FromNpy { pairs, .. } => Err(format!(
            "the NPY file `{pairs}` was not loaded (load scenes with scene::load)"
        )),
        Rule::Distance {
            probability,
            cutoff,
            periodic,
        } => {
            probability.validate()?;
            if let Some(c) = cutoff
                && !(c.is_finite() && *c > 0.0)
            {
                return Err(format!("cutoff must be > 0, got {c}"));
            }
            if let Some((x, y, z)) = periodic
                && [x, y, z].iter().any(|v| !(v.is_finite() && **v >= 0.0))
            {
                return Err(format!(
                    "periodic box sizes must be >= 0 (0 = open axis), got ({x}, {y}, {z})"
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Build the CSR table of `rule`. Call [`check_rule`] first. Distance rules need the
/// positions of the sources and targets.
// Long by design: one match arm per connection rule, each a few lines
// reading top to bottom; a rule's whole construction stays in one place.
pub fn build(
    rule: &Rule,
    s: Sides,
    seed: u64,
    stream: u64,
    positions: Option<(&[glam::Vec3], &[glam::Vec3])>,
) -> Csr {
    let ns = s.n_src as usize;
    let nt = s.n_tgt;
    let no_self = s.same && !s.autapses;
    let rng_row = |row: u32| NeuronRng::new(seed, stream, row, 0);
    let mut row_ptr = Vec::with_capacity(ns + 1);
    row_ptr.push(0usize);
    let mut targets: Vec<u32> = Vec::new();
    match rule {
        Rule::AllToAll => {
            targets.reserve(expected_synapses(rule, s) as usize);
            for i in 0..s.n_src {
                targets.extend((0..nt).filter(|&j| !(no_self && j == i)));
                row_ptr.push(targets.len());
            }
        }
        Rule::OneToOne => {
            for i in 0..s.n_src {
                targets.push(i);
                row_ptr.push(targets.len());
            }
        }
        Rule::PairwiseBernoulli { p } => {
            let p = *p;
            targets.reserve((expected_synapses(rule, s) * 1.05) as usize + 16);
            let ln_q = (1.0 - p).ln();
            for i in 0..s.n_src {
                if p >= 1.0 {
                    targets.extend((0..nt).filter(|&j| !(no_self && j == i)));
                } else if p > 0.0 {
                    let mut rng = rng_row(i);
                    let mut j: i64 = -1;
                    loop {
                        let u = 1.0 - rng.uniform(); // (0, 1]
                        let skip = (u.ln() / ln_q).floor();
                        if !skip.is_finite() || j as f64 + 1.0 + skip >= nt as f64 {
                            break;
                        }
                        j += 1 + skip as i64;
                        let jj = j as u32;
                        if !(no_self && jj == i) {
                            targets.push(jj);
                        }
                    }
                }
                row_ptr.push(targets.len());
            }
        }
        Rule::FixedOutdegree { k } => {
            targets.reserve(*k as usize * ns);
            for i in 0..s.n_src {
                let mut rng = rng_row(i);
                let exclude = no_self.then_some(i);
                let mut row = sample(&mut rng, nt, *k, exclude, s.multapses);
                row.sort_unstable();
                targets.extend_from_slice(&row);
                row_ptr.push(targets.len());
            }
        }
        Rule::FixedIndegree { k } => {
            // Draw per target, then transpose to rows by source (rows come out sorted).
            let k = *k;
            let mut src_of = Vec::with_capacity(k as usize * nt as usize);
            for j in 0..nt {
                let mut rng = NeuronRng::new(seed, stream ^ 0x1D, j, 0);
                let exclude = no_self.then_some(j);
                src_of.extend(sample(&mut rng, s.n_src, k, exclude, s.multapses));
            }
            let mut counts = vec![0usize; ns + 1];
            for &src in &src_of {
                counts[src as usize + 1] += 1;
            }
            for i in 0..ns {
                counts[i + 1] += counts[i];
            }
            row_ptr = counts.clone();
            targets = vec![0u32; src_of.len()];
            let mut fill = counts;
            for (idx, &src) in src_of.iter().enumerate() {
                let j = (idx / k as usize) as u32;
                targets[fill[src as usize]] = j;
                fill[src as usize] += 1;
            }
        }
        Rule::FixedTotalNumber { n } => {
            // Multinomial split over source rows by sequential binomials, then targets per row.
            let mut rng = NeuronRng::new(seed, stream ^ 0x70, 0, 0);
            let mut left = *n;
            targets.reserve(*n as usize);
            for i in 0..s.n_src {
                let rows_left = (s.n_src - i) as f64;
                let ki = if i + 1 == s.n_src {
                    left
                } else {
                    binomial(&mut rng, left, 1.0 / rows_left)
                };
                left -= ki;
                let mut rr = rng_row(i);
                let exclude = no_self.then_some(i);
                let avail = nt as u64 - u64::from(exclude.is_some());
                let ki = if s.multapses { ki } else { ki.min(avail) };
                let mut row = sample(&mut rr, nt, ki as u32, exclude, s.multapses);
                row.sort_unstable();
                targets.extend_from_slice(&row);
                row_ptr.push(targets.len());
            }
        }
        Rule::FromNpy { .. } => {
            row_ptr.resize(ns + 1, 0);
        }
        Rule::Distance {
            probability,
            cutoff,
            periodic,
        } => {
            let Some((ps, pt)) = positions else {
                row_ptr.resize(ns + 1, 0);
                return Csr {
                    row_ptr,
                    ..Default::default()
                };
            };
            let cut = cutoff.unwrap_or(f64::INFINITY);
            for i in 0..s.n_src {
                let mut rng = rng_row(i);
                let a = ps[i as usize];
                for j in 0..nt {
                    if no_self && i == j {
                        continue;
                    }
                    let d = distance(a, pt[j as usize], *periodic);
                    if d > cut {
                        continue;
                    }
                    let p = probability.at(d).clamp(0.0, 1.0);
                    if p > 0.0 && rng.uniform() < p {
                        targets.push(j);
                    }
                }
                row_ptr.push(targets.len());
            }
        }
        Rule::Explicit {
            pairs,
            weights,
            delays,
        } => {
            // Stable sort by source keeps the given order within a row.
            let mut order: Vec<usize> = (0..pairs.len()).collect();
            order.sort_by_key(|&k| pairs[k].0);
            let mut counts = vec![0usize; ns + 1];
            for &(a, _) in pairs {
                counts[a as usize + 1] += 1;
            }
            for i in 0..ns {
                counts[i + 1] += counts[i];
            }
            row_ptr = counts;
            targets = order.iter().map(|&k| pairs[k].1).collect();
            return Csr {
                row_ptr,
                targets,
                weights: weights
                    .as_ref()
                    .map(|w| order.iter().map(|&k| w[k]).collect()),
                delays: delays
                    .as_ref()
                    .map(|d| order.iter().map(|&k| d[k]).collect()),
            };
        }
    }
    Csr {
        row_ptr,
        targets,
        weights: None,
        delays: None,
    }
}

/// `k` indices from `0..n` (skipping `exclude`), distinct unless `multapses`.
fn sample(rng: &mut NeuronRng, n: u32, k: u32, exclude: Option<u32>, multapses: bool) -> Vec<u32> {
    let avail = n - u32::from(exclude.is_some_and(|e| e < n));
    if k == 0 || avail == 0 {
        return Vec::new();
    }
    // Map 0..avail onto 0..n without `exclude`.
    let map = |x: u32| match exclude {
        Some(e) if x >= e => x + 1,
        _ => x,
    };
    let draw = |rng: &mut NeuronRng| map((rng.uniform() * avail as f64) as u32 % avail);
    if multapses {
        return (0..k).map(|_| draw(rng)).collect();
    }
    let k = k.min(avail);
    if (k as u64) * 3 > avail as u64 {
        // Dense: partial Fisher–Yates over the candidates.
        let mut v: Vec<u32> = (0..avail).collect();
        for i in 0..k as usize {
            let j = i + (rng.uniform() * (avail as usize - i) as f64) as usize;
            let j = j.min(avail as usize - 1);
            v.swap(i, j);
        }
        v.truncate(k as usize);
        return v.into_iter().map(map).collect();
    }
    // Sparse: draw, sort, drop duplicates, top up.
    let mut v: Vec<u32> = Vec::with_capacity(k as usize + 8);
    while v.len() < k as usize {
        let need = k as usize - v.len();
        v.extend((0..need).map(|_| draw(rng)));
        v.sort_unstable();
        v.dedup();
    }
    // The set is uniform, but which duplicates were dropped depends on sort order; shuffle not
    // needed since callers sort rows anyway.
    v
}

/// A binomial draw B(n, p) (exact: inversion for small means, else rand_distr's BTPE).
fn binomial(rng: &mut NeuronRng, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    use rand_distr::Distribution;
    match rand_distr::Binomial::new(n, p) {
        Ok(d) => d.sample(rng),
        Err(_) => 0,
    }
}

/// Turn the CSR's weights into stored weights: constants stay constant, distributions are
/// drawn per synapse (stream keyed by row). Returns the weights and the smallest one.
pub fn draw_weights(csr: &Csr, weight: &Value, seed: u64, stream: u64) -> Weights {
    if let Some(w) = &csr.weights {
        return Weights::PerSynapse(w.iter().map(|&x| x as f32).collect());
    }
    match weight {
        Value::Const(w) => Weights::Const(*w),
        Value::List(v) => Weights::PerSynapse(v.iter().map(|&x| x as f32).collect()),
        Value::Npy(_) => Weights::Const(f64::NAN),
        Value::Dist(d) => {
            let mut out = Vec::with_capacity(csr.targets.len());
            let st = mix64(stream ^ 0x5765_6967_6874);
            for r in 0..csr.row_ptr.len().saturating_sub(1) {
                let mut rng = NeuronRng::new(seed, st, r as u32, 0);
                for _ in csr.row_ptr[r]..csr.row_ptr[r + 1] {
                    out.push(d.sample(&mut rng) as f32);
                }
            }
            Weights::PerSynapse(out)
        }
    }
}

/// Delays in whole steps (≥ 1): constants stay constant, distributions are drawn per synapse.
pub fn draw_delays(csr: &Csr, delay: Option<&Value>, dt: f64, seed: u64, stream: u64) -> Delays {
    let steps = |ms: f64| -> u16 { (ms / dt).round().clamp(1.0, u16::MAX as f64) as u16 };
    if let Some(d) = &csr.delays {
        return Delays::PerSynapse(d.iter().map(|&x| steps(x)).collect());
    }
    match delay {
        None | Some(Value::Npy(_)) => Delays::Const(1),
        Some(Value::Const(d)) => Delays::Const(steps(*d)),
        Some(Value::List(v)) => Delays::PerSynapse(v.iter().map(|&x| steps(x)).collect()),
        Some(Value::Dist(dist)) => {
            let mut out = Vec::with_capacity(csr.targets.len());
            let st = mix64(stream ^ 0x0044_656c_6179);
            for r in 0..csr.row_ptr.len().saturating_sub(1) {
                let mut rng = NeuronRng::new(seed, st, r as u32, 0);
                for _ in csr.row_ptr[r]..csr.row_ptr[r + 1] {
                    out.push(steps(dist.sample(&mut rng)));
                }
            }
            Delays::PerSynapse(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(n_src: u32, n_tgt: u32, same: bool) -> Sides {
        Sides {
            n_src,
            n_tgt,
            same,
            autapses: false,
            multapses: false,
        }
    }

    fn pairs(c: &Csr) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        for r in 0..c.row_ptr.len() - 1 {
            for k in c.row_ptr[r]..c.row_ptr[r + 1] {
                v.push((r as u32, c.targets[k]));
            }
        }
        v
    }

    #[test]
    fn all_to_all_and_one_to_one_are_exact() {
        let c = build(&Rule::AllToAll, sides(3, 3, true), 1, 1, None);
        assert_eq!(
            pairs(&c),
            vec![(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]
        );
        let mut s = sides(3, 3, false);
        s.autapses = true;
        assert_eq!(build(&Rule::AllToAll, s, 1, 1, None).targets.len(), 9);
        let c = build(&Rule::OneToOne, sides(4, 4, false), 1, 1, None);
        assert_eq!(pairs(&c), vec![(0, 0), (1, 1), (2, 2), (3, 3)]);
    }

    #[test]
    fn bernoulli_count_matches_p_within_binomial_error() {
        // 2000 x 2000 pairs minus autapses at p = 0.02: mean 79,960, sd 280.
        let s = sides(2000, 2000, true);
        let c = build(&Rule::PairwiseBernoulli { p: 0.02 }, s, 7, 3, None);
        let n = c.targets.len() as f64;
        let mean = 0.02 * (2000.0 * 2000.0 - 2000.0);
        assert!(
            (n - mean).abs() < 5.0 * (mean * 0.98).sqrt(),
            "{n} vs {mean}"
        );
        assert!(pairs(&c).iter().all(|&(a, b)| a != b));
        // Each row sorted and without repeats.
        for r in 0..2000 {
            let row = &c.targets[c.row_ptr[r]..c.row_ptr[r + 1]];
            assert!(row.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn fixed_degrees_are_exact_and_distinct() {
        let s = sides(500, 400, false);
        let c = build(&Rule::FixedIndegree { k: 50 }, s, 1, 2, None);
        let mut indeg = vec![0u32; 400];
        for &t in &c.targets {
            indeg[t as usize] += 1;
        }
        assert!(indeg.iter().all(|&d| d == 50));
        let mut p = pairs(&c);
        let before = p.len();
        p.sort_unstable();
        p.dedup();
        assert_eq!(p.len(), before, "multapses appeared");

        let c = build(
            &Rule::FixedOutdegree { k: 399 },
            sides(400, 400, true),
            1,
            2,
            None,
        );
        for r in 0..400 {
            let row = &c.targets[c.row_ptr[r]..c.row_ptr[r + 1]];
            assert_eq!(row.len(), 399);
            assert!(!row.contains(&(r as u32)));
        }
        let c = build(
            &Rule::FixedTotalNumber { n: 12345 },
            sides(300, 200, false),
            4,
            4,
            None,
        );
        assert_eq!(c.targets.len(), 12345);
    }

    #[test]
    fn impossible_rules_are_refused() {
        assert!(check_rule(&Rule::PairwiseBernoulli { p: 1.5 }, sides(2, 2, false)).is_err());
        assert!(check_rule(&Rule::OneToOne, sides(2, 3, false)).is_err());
        assert!(check_rule(&Rule::FixedIndegree { k: 10 }, sides(10, 10, true)).is_err());
        assert!(check_rule(&Rule::FixedIndegree { k: 9 }, sides(10, 10, true)).is_ok());
        let bad = Rule::Explicit {
            pairs: vec![(0, 5)],
            weights: None,
            delays: None,
        };
        assert!(check_rule(&bad, sides(2, 3, false)).is_err());
    }
}
