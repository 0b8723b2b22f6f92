"""The Python examples compute what they say: fi_curve.py's LIF column is the closed-form
f-I curve, network.py's network runs and is read back."""

import importlib.util
import math

import numpy as np

from conftest import REPO


def load(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "examples" / "python" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fi_curve_lif_column_is_the_closed_form():
    fi = load("fi_curve")
    import neurocore as nc

    p = nc.LIFNeuron().params
    currents = fi.MODELS["LIFNeuron"]
    rates = fi.f_i("LIFNeuron", currents)
    for i, r in zip(currents, rates):
        v_inf = p["v_rest"] + i * p["tau_m"] / p["c_m"]
        if v_inf <= p["v_threshold"]:
            assert r == 0.0, i
            continue
        period = p["refractory_period"] + p["tau_m"] * math.log(
            (v_inf - p["v_reset"]) / (v_inf - p["v_threshold"])
        )
        # Counted over 800 ms: within one spike of 800/period, the period within a 0.05 ms step.
        lo = 800.0 / (period + 0.05) - 1
        hi = 800.0 / period + 1
        assert lo <= r * 0.8 <= hi, (i, r, 1000.0 / period)
    # HH: silent at 0, repetitive above its rheobase, rate rising with the current.
    hh = fi.f_i("HodgkinHuxleyNeuron", np.array([0.0, 10.0, 20.0]))
    assert hh[0] == 0.0 and 0 < hh[1] < hh[2]


def test_network_example_runs_and_reads_back():
    net = load("network")
    import neurocore as nc

    sim = nc.Simulation(net.scene())
    sim.run(300.0)
    for name, _model, first, size in sim.populations:
        ids, times = sim.spikes(name)
        assert np.all((ids >= first) & (ids < first + size))
        rate = len(ids) / size / 0.3
        assert 5.0 < rate < 200.0, (name, rate)
