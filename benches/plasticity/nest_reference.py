"""Reference weight trajectories from NEST 3.10 for tests/plasticity.rs.

Run (NEST from PyPI in the peers' virtualenv, see ../shared/peers/env.sh):
    python benches/plasticity/nest_reference.py tests/data/plasticity/nest_reference.json

Each case drives one synapse between two parrot neurons with fixed presynaptic and
postsynaptic spike trains (Poisson, drawn here with a fixed seed and put on the 0.1 ms grid)
and logs, through NEST's weight_recorder, the weight each presynaptic spike carries. The
plastic connection enters the postsynaptic parrot on receptor 1, which a parrot does not
repeat, so the postsynaptic train is exactly the one given. Times are written as stamps
(time / dt), the step-end stamps NEST gives spikes.
"""
import json
import sys

import numpy as np
import nest

DT = 0.1
T = 3000.0


def train(rng, rate_hz, t_stop):
    n = rng.poisson(rate_hz * t_stop / 1000.0)
    stamps = np.unique(rng.integers(10, int(t_stop / DT) - 50, size=n))
    return stamps


CASES = [
    ("stdp_additive", "stdp_synapse", 1.0, 50.0,
     dict(tau_plus=20.0, lambda_=0.01, alpha=1.1, mu_plus=0.0, mu_minus=0.0, Wmax=100.0), 30.0),
    ("stdp_multiplicative", "stdp_synapse", 2.5, 40.0,
     dict(tau_plus=16.8, lambda_=0.02, alpha=0.9, mu_plus=1.0, mu_minus=1.0, Wmax=100.0), 33.7),
    ("stdp_gutig", "stdp_synapse", 0.1, 20.0,
     dict(tau_plus=20.0, lambda_=0.03, alpha=1.05, mu_plus=0.4, mu_minus=0.4, Wmax=50.0), 20.0),
    ("stdp_delay_5ms", "stdp_synapse", 5.0, 60.0,
     dict(tau_plus=20.0, lambda_=0.01, alpha=1.0, mu_plus=0.0, mu_minus=1.0, Wmax=100.0), 20.0),
    ("tsodyks_depressing", "tsodyks2_synapse", 1.0, 10.0,
     dict(U=0.5, tau_rec=400.0, tau_fac=0.0, u=0.5, x=1.0), None),
    ("tsodyks_facilitating", "tsodyks2_synapse", 1.5, 10.0,
     dict(U=0.1, tau_rec=100.0, tau_fac=1000.0, u=0.1, x=1.0), None),
    ("vogels_sprekeler", "vogels_sprekeler_synapse", 1.0, 0.5,
     dict(tau=20.0, eta=0.01, alpha=0.12, Wmax=2.0), 20.0),
]


def run_case(name, model, delay, w0, params, tau_minus, pre, post):
    nest.ResetKernel()
    nest.set(resolution=DT, print_time=False)
    nest.set_verbosity("M_ERROR")
    g_pre = nest.Create("spike_generator", params={"spike_times": [(s - 1) * DT for s in pre]})
    g_post = nest.Create("spike_generator", params={"spike_times": [(s - 1) * DT for s in post]})
    p_pre = nest.Create("parrot_neuron")
    p_post = nest.Create("parrot_neuron")
    if tau_minus is not None:
        p_post.set(tau_minus=tau_minus)
    rec = nest.Create("spike_recorder")
    wr = nest.Create("weight_recorder")
    nest.Connect(g_pre, p_pre, syn_spec={"delay": DT})
    nest.Connect(g_post, p_post, syn_spec={"delay": DT})
    nest.Connect(p_pre + p_post, rec)
    nest.CopyModel(model, "plastic", {"weight_recorder": wr})
    spec = {"synapse_model": "plastic", "weight": w0, "delay": delay, "receptor_type": 1}
    for k, v in params.items():
        spec[k.rstrip("_")] = v
    nest.Connect(p_pre, p_post, syn_spec=spec)
    nest.Simulate(T)
    ev = rec.get("events")
    stamps = {}
    for sender, t in zip(ev["senders"], ev["times"]):
        stamps.setdefault(int(sender), []).append(int(round(t / DT)))
    wev = wr.get("events")
    events = [[int(round(t / DT)), float(w)] for t, w in zip(wev["times"], wev["weights"])]
    final = nest.GetConnections(p_pre, p_post).get("weight")
    return {
        "name": name,
        "nest_model": model,
        "delay_ms": delay,
        "weight": w0,
        "params": params,
        "tau_minus": tau_minus,
        "pre": stamps.get(p_pre.global_id, []),
        "post": stamps.get(p_post.global_id, []),
        "events": events,
        "final_weight": float(final),
    }


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(20261207)
    cases = []
    for name, model, delay, w0, params, tau_minus in CASES:
        pre = train(rng, 20.0, T)
        post = train(rng, 20.0, T)
        # Pairs at short intervals in both orders, so every rule's near-coincidence branch runs.
        extra = []
        for s in pre[::7]:
            extra.append(s + int(rng.integers(-40, 41)))
        post = np.unique(np.concatenate([post, np.array(extra, dtype=np.int64)]))
        post = post[(post > 5) & (post < int(T / DT) - 50)]
        cases.append(run_case(name, model, delay, w0, params, tau_minus, pre.tolist(), post.tolist()))
    doc = {
        "source": "NEST " + nest.__version__ + ", benches/plasticity/nest_reference.py",
        "dt": DT,
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    for c in cases:
        print(c["name"], len(c["pre"]), len(c["post"]), len(c["events"]), c["final_weight"])


if __name__ == "__main__":
    main()
