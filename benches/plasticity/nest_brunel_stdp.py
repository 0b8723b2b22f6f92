"""Brunel (2000) model A with multiplicative STDP on E->E, in NEST: the peer of
scenes/brunel_2000_stdp.ron.

N_E = 10000, N_I = 2500 iaf_psc_delta neurons (tau_m 20 ms, theta 20 mV, V_reset 10 mV,
t_ref 2 ms, E_L 0, V(0) 0), fixed in-degree 1000 from E (autapses allowed, no multapses) and
250 from I, J = 0.1 mV, J_I = -0.5 mV, delay 1.5 ms, one Poisson generator per network at
20 kHz of 0.1 mV kicks. E->E synapses are stdp_synapse (tau_plus 20 ms, lambda 0.01,
alpha 1, mu_plus = mu_minus = 1, Wmax 0.2 mV; tau_minus 20 ms on the neurons). dt 0.1 ms.
Prints one line: RESULT {json} with sim_s (wall time of nest.Run), spikes, rate, events.

    python benches/plasticity/nest_brunel_stdp.py --duration 1.0
"""
import argparse
import json
import os
import time

os.environ.setdefault("PYNEST_QUIET", "1")
import nest  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--duration", type=float, default=1.0, help="biological time, s")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--static", action="store_true", help="static E->E synapses instead")
a = p.parse_args()

nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.set(resolution=0.1, local_num_threads=a.threads, rng_seed=1, print_time=False)
Ne, Ni, CE, CI = 10000, 2500, 1000, 250
J, D = 0.1, 1.5
P = nest.Create("iaf_psc_delta", Ne + Ni, params=dict(
    C_m=1.0, tau_m=20.0, t_ref=2.0, E_L=0.0, V_reset=10.0, V_m=0.0, V_th=20.0, tau_minus=20.0))
Pe, Pi = P[:Ne], P[Ne:]
noise = nest.Create("poisson_generator", params={"rate": 20000.0})
rec = nest.Create("spike_recorder")
t0 = time.perf_counter()
ee = {"synapse_model": "static_synapse", "weight": J, "delay": D}
if not a.static:
    ee = {"synapse_model": "stdp_synapse", "weight": J, "delay": D, "tau_plus": 20.0,
          "lambda": 0.01, "alpha": 1.0, "mu_plus": 1.0, "mu_minus": 1.0, "Wmax": 0.2}
nest.Connect(Pe, Pe, {"rule": "fixed_indegree", "indegree": CE, "allow_multapses": False}, ee)
nest.Connect(Pe, Pi, {"rule": "fixed_indegree", "indegree": CE, "allow_multapses": False},
             {"synapse_model": "static_synapse", "weight": J, "delay": D})
nest.Connect(Pi, P, {"rule": "fixed_indegree", "indegree": CI, "allow_multapses": False},
             {"synapse_model": "static_synapse", "weight": -5 * J, "delay": D})
nest.Connect(noise, P, syn_spec={"synapse_model": "static_synapse", "weight": J, "delay": D})
nest.Connect(P, rec)
t1 = time.perf_counter()
nest.Prepare()
t2 = time.perf_counter()
nest.Run(a.duration * 1000.0)
t3 = time.perf_counter()
nest.Cleanup()
ev = rec.get("events")
senders = ev["senders"]
se = int((senders <= Pe[-1].global_id).sum())
si = len(senders) - se
w = None
if not a.static:
    # A sample: reading all 10 million connections into Python takes more than 24 GB.
    w = nest.GetConnections(Pe[:50], Pe).get("weight")
    w = {"mean": float(sum(w) / len(w)), "min": float(min(w)), "max": float(max(w))}
print("RESULT " + json.dumps({
    "simulator": "nest", "version": nest.__version__, "network": "brunel_stdp" if not a.static else "brunel",
    "threads": a.threads, "duration_s": a.duration, "setup_s": t2 - t0, "sim_s": t3 - t2,
    "spikes": se + si, "rate_exc_hz": se / Ne / a.duration, "rate_inh_hz": si / Ni / a.duration,
    "plastic_events": se * CE, "weights": w}))
