"""Every registered model is a class of `neurocore` under SC-NeuroCore's name, and it gives
the numbers of the Rust standalone type bit for bit."""

import math

import numpy as np
import pytest

import neurocore as nc
from conftest import HERE


def test_every_registered_model_is_a_class(reference):
    names = nc.model_names()
    # The reference file lists what the Rust registry holds (tests/python_reference.rs
    # fails when they differ), so this is the registry seen from outside the extension.
    assert sorted(names) == sorted(reference["models"])
    assert len(names) >= 121
    for name in names:
        cls = getattr(nc, name)
        assert issubclass(cls, nc.Neuron)
        assert cls.__name__ == name
        n = cls()
        assert list(n.get_state()) == reference["models"][name]["state_names"]
        assert name in nc.__all__
    # SC-NeuroCore's quick start names (its README), importable as written there.
    from neurocore import HodgkinHuxleyNeuron, IzhikevichNeuron, LIFNeuron  # noqa: F401


@pytest.mark.parametrize("name", nc.model_names())
def test_step_equals_rust_standalone_bit_for_bit(name, reference):
    ref = reference["models"][name]
    n = getattr(nc, name)()
    n.set_seed(reference["seed"], reference["id"])
    ports = ref["ports"]
    every = reference["state_every"]
    states = []
    for s, (x, y) in enumerate(zip(ref["inputs"], ref["outputs"])):
        # Inputs by SC-NeuroCore's keyword names.
        out = n.step(**dict(zip(ports, x)))
        if ref["output"] == "value":
            assert isinstance(out, float)
            assert out == y or (math.isnan(out) and y is None), f"{name} step {s}"
        else:
            assert isinstance(out, int)
            assert out == y, f"{name} step {s}: output {out}, Rust {y}"
        if (s + 1) % every == 0:
            states.append(list(n.get_state().values()))
    assert states == ref["states"], name
    assert ref["error"] is None


@pytest.mark.parametrize("name", ["AlphaNeuron", "PinskyRinzelNeuron", "HodgkinHuxleyNeuron"])
def test_positional_step_and_reset(name, reference):
    ref = reference["models"][name]
    a, b = getattr(nc, name)(), getattr(nc, name)()
    for x in ref["inputs"][:60]:
        assert a.step(*x) == b.step(**dict(zip(ref["ports"], x)))
    assert a.get_state() == b.get_state()
    assert a.steps == 60
    a.reset()
    assert a.steps == 0
    assert a.get_state() == getattr(nc, name)().get_state()


def test_sc_neurocore_argument_names():
    # The names SC-NeuroCore's step() takes (issue 12).
    assert nc.model_info("AlphaNeuron")["ports"] == ["exc_current", "inh_current"]
    assert nc.model_info("PinskyRinzelNeuron")["ports"] == ["current_soma", "current_dend"]
    assert nc.model_info("HodgkinHuxleyNeuron")["ports"] == ["current"]
    hh = nc.HodgkinHuxleyNeuron()
    spikes = sum(hh.step(current=10.0) for _ in range(100))
    assert spikes >= 5  # 10 uA/cm^2 is above HH's rheobase (~6.3): repetitive firing


def test_params_are_readable_and_validated():
    lif = nc.LIFNeuron(tau_m=12.0, v_threshold=-50.0)
    assert lif.params["tau_m"] == 12.0
    assert lif.params["v_threshold"] == -50.0
    assert lif.params["v_rest"] == nc.LIFNeuron().params["v_rest"]
    with pytest.raises(ValueError, match="tau_m"):
        nc.LIFNeuron(tau_m=-1.0)
    with pytest.raises(ValueError, match="tau_m"):
        nc.LIFNeuron(tau_mm=10.0)  # unknown: the nearest name is suggested
    # Choice parameters show as text.
    assert nc.HodgkinHuxleyNeuron().params["method"] == "rk4"


def test_set_state_and_nonfinite_input():
    n = nc.LIFNeuron()
    n.set_state(v=-60.0)
    assert n.get_state()["v"] == -60.0
    with pytest.raises(ValueError, match="state variable"):
        n.set_state(vv=1.0)
    with pytest.raises(ValueError, match="finite"):
        n.set_state(v=float("nan"))
    with pytest.raises(ValueError):
        n.step(current=float("inf"))
    assert n.get_state()["v"] == -60.0


def test_lif_f_i_curve_matches_the_closed_form():
    """LIF with constant current I: v relaxes to v_inf = v_rest + I tau/C; the period is
    t_ref + tau ln((v_inf - v_reset)/(v_inf - theta)) (closed form, e.g. Gerstner et al.
    2014, Neuronal Dynamics, eq. 1.11 with refractoriness). Spikes are detected on the
    0.1 ms grid, so each period is within one step of the closed form."""
    p = nc.LIFNeuron().params
    tau, c, dt = p["tau_m"], p["c_m"], p["dt"]
    for current in [400.0, 500.0, 800.0, 1500.0]:
        n = nc.LIFNeuron()
        n.set_state(v=p["v_reset"])
        times = [k * dt for k in range(1, 20001) if n.step(current=current)]
        v_inf = p["v_rest"] + current * tau / c
        period = p["refractory_period"] + tau * math.log(
            (v_inf - p["v_reset"]) / (v_inf - p["v_threshold"])
        )
        isi = np.diff(times)
        assert len(isi) > 10
        assert np.all(np.abs(isi - period) <= dt + 1e-9), (current, period, isi[:5])
    # Below rheobase (v_inf < theta) there is no spike at all.
    n = nc.LIFNeuron()
    rheobase = (p["v_threshold"] - p["v_rest"]) * c / tau
    assert sum(n.step(current=0.95 * rheobase) for _ in range(5000)) == 0
