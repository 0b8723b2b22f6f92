fn main() {
    let reg = neurocore::registry();
    let l = neurocore::engine::scene::load::load(std::path::Path::new("scenes/vogels_abbott_coba.ron")).unwrap();
    let mut sim = l.build(&reg).unwrap();
    sim.probe_inputs(true);
    for t in 0..200 {
        sim.step();
        let p = sim.port_values("exc", "delta_ge").unwrap();
        let s: f64 = p.iter().sum();
        let q = sim.port_values("exc", "delta_gi").unwrap();
        let s2: f64 = q.iter().sum();
        if t % 20 == 0 { println!("t={t} spikes={} sum_ge_in={s} sum_gi_in={s2} v0={:?}", sim.spikes().len(), sim.state(0).unwrap().values); }
    }
}
