//! The raster plot with a population-rate histogram (`raster.png`), so a person can look at a
//! run. Text uses a system TrueType font when one is found; without one the plot is drawn
//! without labels.

use std::path::Path;

use neurocore_engine::sim::Simulation;
use plotters::prelude::*;

/// Neurons shown per population.
const SHOWN: u32 = 100;
/// Histogram bin, ms.
const BIN: f64 = 5.0;
/// Most raster points kept (16 bytes each): a long run's sample stops growing there (the
/// histogram still counts every spike), so memory stays flat however long the run.
pub const MAX_POINTS: usize = 1_000_000;

/// A bounded sample of the recorded spikes, for plotting (saved in run checkpoints).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Raster {
    /// (population start id, size, name) of every population.
    pops: Vec<(u32, u32, String)>,
    /// Row of each shown neuron's population band.
    points: Vec<(f64, u32)>,
    /// Spike counts per histogram bin (all recorded spikes).
    bins: Vec<u64>,
    /// Neurons whose spikes are recorded (for the rate axis).
    recorded: std::collections::BTreeSet<u32>,
    /// When the sample reached [`MAX_POINTS`]: the time of the last point kept, ms.
    #[serde(default)]
    full_at: Option<f64>,
}

impl Raster {
    /// An empty sample for `sim`'s populations.
    pub fn new(sim: &Simulation) -> Self {
        let pops = sim
            .populations()
            .iter()
            .map(|p| (p.start, p.len, p.name.clone()))
            .collect();
        Self {
            pops,
            points: Vec::new(),
            bins: Vec::new(),
            recorded: Default::default(),
            full_at: None,
        }
    }

    /// Row of neuron `id` in the plot (populations stacked, `SHOWN` rows each), if shown.
    fn row(&self, id: u32) -> Option<u32> {
        let mut base = 0;
        for &(start, len, _) in &self.pops {
            if id >= start && id < start + len {
                let k = id - start;
                return (k < SHOWN).then_some(base + k);
            }
            base += len.min(SHOWN);
        }
        None
    }

    /// Add spikes (ids, times in ms).
    pub fn add(&mut self, ids: &[u32], times: &[f64]) {
        for (&id, &t) in ids.iter().zip(times) {
            if let Some(r) = self.row(id) {
                if self.points.len() < MAX_POINTS {
                    self.points.push((t, r));
                } else if self.full_at.is_none() {
                    self.full_at = self.points.last().map(|p| p.0);
                }
            }
            self.recorded.insert(id);
            let b = (t / BIN) as usize;
            if self.bins.len() <= b {
                self.bins.resize(b + 1, 0);
            }
            self.bins[b] += 1;
        }
    }

    /// Whether anything was recorded.
    pub fn has_data(&self) -> bool {
        !self.bins.is_empty()
    }
}

fn find_font() -> Option<&'static [u8]> {
    const CANDIDATES: &[&str] = &[
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];
    for p in CANDIDATES {
        if let Ok(b) = std::fs::read(p) {
            return Some(Box::leak(b.into_boxed_slice()));
        }
    }
    None
}

/// Draw the raster and the rate histogram into a PNG.
pub fn raster_png(r: &Raster, path: &Path, t_end: f64) -> Result<(), String> {
    let text = match find_font() {
        Some(bytes) => {
            plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok()
        }
        None => false,
    };
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let root = BitMapBackend::new(path, (1200, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (top, bottom) = root.split_vertically(560);
    let rows: u32 = r.pops.iter().map(|p| p.1.min(SHOWN)).sum();
    let t_end = t_end.max(1e-9);
    {
        let mut b = ChartBuilder::on(&top);
        b.margin(10)
            .x_label_area_size(if text { 30 } else { 5 })
            .y_label_area_size(if text { 60 } else { 5 });
        if text {
            let caption = match r.full_at {
                _ if r.points.is_empty() => {
                    "no spikes were recorded (see the warnings of the run)".to_string()
                }
                Some(t) => format!(
                    "spikes (first 100 neurons of each population; sample ends at {t:.0} ms)"
                ),
                None => "spikes (first 100 neurons of each population)".to_string(),
            };
            b.caption(caption, ("sans-serif", 18));
        }
        let mut c = b
            .build_cartesian_2d(0.0..t_end, 0u32..rows.max(1))
            .map_err(|e| err(&e))?;
        if text {
            c.configure_mesh()
                .x_desc("t (ms)")
                .y_desc("neuron")
                .disable_mesh()
                .draw()
                .map_err(|e| err(&e))?;
        }
        c.draw_series(
            r.points
                .iter()
                .map(|&(t, row)| Circle::new((t, row), 1, BLACK.filled())),
        )
        .map_err(|e| err(&e))?;
        // Population boundaries.
        let mut base = 0;
        for p in &r.pops {
            base += p.1.min(SHOWN);
            c.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, base), (t_end, base)],
                RGBColor(180, 180, 180),
            )))
            .map_err(|e| err(&e))?;
        }
    }
    {
        let n = r.recorded.len().max(1) as f64;
        let rates: Vec<f64> = r
            .bins
            .iter()
            .map(|&c| c as f64 / n / (BIN / 1000.0))
            .collect();
        let top_rate = rates.iter().cloned().fold(1.0, f64::max) * 1.1;
        let mut b = ChartBuilder::on(&bottom);
        b.margin(10)
            .x_label_area_size(if text { 30 } else { 5 })
            .y_label_area_size(if text { 60 } else { 5 });
        if text {
            b.caption(
                "population rate of the recorded neurons (5-ms bins)",
                ("sans-serif", 18),
            );
        }
        let mut c = b
            .build_cartesian_2d(0.0..t_end, 0.0..top_rate)
            .map_err(|e| err(&e))?;
        if text {
            c.configure_mesh()
                .x_desc("t (ms)")
                .y_desc("rate (Hz)")
                .disable_mesh()
                .draw()
                .map_err(|e| err(&e))?;
        }
        c.draw_series(rates.iter().enumerate().map(|(k, &h)| {
            let x0 = k as f64 * BIN;
            Rectangle::new([(x0, 0.0), (x0 + BIN, h)], BLUE.mix(0.6).filled())
        }))
        .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
