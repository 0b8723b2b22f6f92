"""f-I curves of three models, one Population per model with one neuron per current.

    python examples/python/fi_curve.py

Each neuron of a Population gets its own constant current (one value per neuron), the
Population runs 1 s in one call, and the firing rate is the spike count over the last 800 ms.
Prints a table; with matplotlib installed it also saves fi_curve.png.
"""

import numpy as np

import neurocore as nc

MODELS = {
    # model: currents in the model's own input unit (neurocore.model_info(name)["params"])
    "LIFNeuron": np.linspace(0.0, 1000.0, 21),  # pA (C_m = 250 pF)
    "HodgkinHuxleyNeuron": np.linspace(0.0, 20.0, 21),  # uA/cm^2
    "IzhikevichNeuron": np.linspace(0.0, 20.0, 21),  # Izhikevich 2003's I
}


def f_i(model, currents, t_ms=1000.0, skip_ms=200.0):
    pop = nc.Population(model, len(currents), dt=0.05 if model != "IzhikevichNeuron" else 0.5)
    steps = int(round(t_ms / pop.dt))
    skip = int(round(skip_ms / pop.dt))
    st, ids = pop.run(steps, np.asarray(currents, dtype=float))[:2]
    late = ids[st >= skip]
    counts = np.bincount(late, minlength=len(currents))
    return counts / ((t_ms - skip_ms) / 1000.0)


def main():
    curves = {m: f_i(m, i) for m, i in MODELS.items()}
    for m, rates in curves.items():
        print(f"{m}:")
        for i, r in zip(MODELS[m], rates):
            print(f"  I = {i:8.2f}  ->  {r:6.1f} Hz")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.2))
    for ax, (m, rates) in zip(axes, curves.items()):
        ax.plot(MODELS[m], rates, "o-", ms=3)
        ax.set_title(m)
        ax.set_xlabel("input current")
        ax.set_ylabel("rate (Hz)")
    fig.tight_layout()
    fig.savefig("fi_curve.png", dpi=120)
    print("wrote fi_curve.png")


if __name__ == "__main__":
    main()
