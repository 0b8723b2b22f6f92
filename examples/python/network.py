"""A sparse excitatory-inhibitory LIF network (Brunel 2000's model A, scaled down to 1,250
neurons) built from Python dicts, run, and read back as NumPy arrays.

    python examples/python/network.py

The same structure as a RON scene file (scenes/brunel_2000.ron is the full size); the dict
keys are the RON field names. Prints the rates; plots the raster if matplotlib is installed.
"""

import numpy as np

import neurocore as nc

LIF = {"v_rest": 0.0, "v_reset": 10.0, "v_threshold": 20.0, "tau_m": 20.0, "refractory_period": 2.0}
N_E, N_I, EPS = 1000, 250, 0.1
J, G = 1.0, 5.0  # J x C_E = 100 mV as in the full network (0.1 mV x 1000 inputs)


def scene(seed=1):
    pops = [
        {"name": name, "model": "LIFNeuron", "size": n, "params": LIF,
         "init": {"v": {"uniform": {"low": 0.0, "high": 20.0}}},
         "receptors": [{"name": "syn", "kind": "delta"}]}
        for name, n in [("exc", N_E), ("inh", N_I)]
    ]
    proj = [
        {"source": s, "target": t, "rule": {"fixed_indegree": {"k": k}}, "weight": w, "delay": 1.5}
        for s, k, w in [("exc", int(EPS * N_E), J), ("inh", int(EPS * N_I), -G * J)]
        for t in ("exc", "inh")
    ]
    stim = [
        {"name": f"ext_{t}", "target": {"population": t},
         "kind": {"poisson": {"rate": 20000.0, "weight": 0.1}}}
        for t in ("exc", "inh")
    ]
    rec = [{"rate": {"population": "exc", "bin": 1.0}}]
    return {"dt": 0.1, "duration": 1000.0, "seed": seed, "populations": pops,
            "projections": proj, "stimuli": stim, "recorders": rec}


def main():
    sim = nc.Simulation(scene())
    sim.run(progress=True)
    for name, _model, first, size in sim.populations:
        ids, times = sim.spikes(name)
        print(f"{name}: {size} neurons, {len(ids)} spikes, {len(ids) / size / (sim.time / 1000):.2f} Hz")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    ids, times = sim.spikes()
    keep = ids < 200
    plt.figure(figsize=(8, 3))
    plt.plot(times[keep], ids[keep], ",k")
    plt.xlabel("time (ms)")
    plt.ylabel("neuron")
    plt.tight_layout()
    plt.savefig("network_raster.png", dpi=120)
    print("wrote network_raster.png")


if __name__ == "__main__":
    main()
