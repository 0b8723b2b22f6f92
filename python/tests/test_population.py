"""A Population is N standalone neurons advanced by the engine's batch kernel: the same
numbers as N `neurocore.<Model>` objects stepped one by one."""

import numpy as np
import pytest

import neurocore as nc


def standalone_run(name, n, inputs, params=None, init=None, seed=None):
    """Step n standalone neurons through inputs[s, port, i]; spikes (steps, n) and states."""
    neurons = []
    for i in range(n):
        x = getattr(nc, name)(**(params or {}))
        if seed is not None:
            x.set_seed(seed, i)
        if init:
            x.set_state(**{k: v[i] for k, v in init.items()})
        neurons.append(x)
    ports = nc.model_info(name)["ports"]
    out = np.zeros((inputs.shape[0], n))
    for s in range(inputs.shape[0]):
        for i, x in enumerate(neurons):
            out[s, i] = x.step(**{p: inputs[s, k, i] for k, p in enumerate(ports)})
    return out, neurons


def spikes_matrix(steps, n, result):
    m = np.zeros((steps, n))
    if isinstance(result, tuple):
        st, ids = result[0], result[1]
        m[st, ids] = result[2] if len(result) == 3 else 1
        return m
    return result


@pytest.mark.parametrize(
    "name, scale",
    [
        ("LIFNeuron", 1.0),
        ("HodgkinHuxleyNeuron", 1.0),
        ("AdExNeuron", 1.0),
        ("AlphaNeuron", 1.0),
        ("PinskyRinzelNeuron", 1.0),
        ("WilsonCowanUnit", 1.0),
    ],
)
def test_population_equals_standalone_neurons(name, scale):
    rng = np.random.default_rng(5)
    info = nc.model_info(name)
    n, steps, ports = 7, 300, len(info["ports"])
    drive = np.array(info["drive"] + [0.0] * ports)[:ports]
    inputs = drive[None, :, None] * rng.uniform(0.0, 2.0 * scale, size=(steps, ports, n))
    init = None
    state0 = list(getattr(nc, name)().get_state())
    if state0:
        v0 = getattr(nc, name)().get_state()[state0[0]]
        init = {state0[0]: v0 + rng.uniform(-1.0, 1.0, size=n)}
    want, neurons = standalone_run(name, n, inputs, init=init)
    pop = nc.Population(name, n, init=init)
    got = np.array([pop.step(inputs[s]) for s in range(steps)], dtype=float)
    assert np.array_equal(got, want), name
    for var, col in pop.state.items():
        assert np.array_equal(col, [x.get_state()[var] for x in neurons]), (name, var)
    # run() over a whole trace gives what step() gave.
    pop2 = nc.Population(name, n, init=init)
    res = pop2.run(steps, inputs if ports > 1 else inputs[:, 0, :])
    assert np.array_equal(spikes_matrix(steps, n, res), want), name
    assert len(pop) == n and pop.time == pytest.approx(steps * pop.dt)


def test_stochastic_population_equals_seeded_standalone_neurons():
    # Neuron i of a population with seed S draws the numbers of a standalone neuron keyed
    # with set_seed(S, i).
    name = "StochasticIFNeuron" if "StochasticIFNeuron" in nc.MODELS else "PoissonNeuron"
    info = nc.model_info(name)
    n, steps = 5, 400
    ports = len(info["ports"])
    inputs = np.tile(np.array(info["drive"] + [0.0] * ports)[:ports][None, :, None], (steps, 1, n))
    want, _ = standalone_run(name, n, inputs, seed=42)
    pop = nc.Population(name, n, seed=42)
    got = np.array([pop.step(inputs[s]) for s in range(steps)], dtype=float)
    assert want.sum() > 0
    assert np.array_equal(got, want)


def test_per_neuron_parameters_and_state_io():
    taus = np.linspace(5.0, 30.0, 6)
    pop = nc.Population("LIFNeuron", 6, params={"tau_m": taus})
    pop.set_state("v", -60.0)
    assert np.all(pop.state["v"] == -60.0)
    pop.step(0.0)
    # Leak towards v_rest = -70 with exact exponential decay per neuron's tau.
    v = pop.state["v"]
    for i, tau in enumerate(taus):
        x = nc.LIFNeuron(tau_m=tau)
        x.set_state(v=-60.0)
        x.step(current=0.0)
        assert v[i] == x.get_state()["v"]
    assert np.all(np.diff(v) > 0)  # a larger tau leaks more slowly: v stays nearer -60
    with pytest.raises(ValueError):
        pop.set_state("v", np.zeros(5))  # wrong length
    with pytest.raises(ValueError):
        pop.set_state("nope", 0.0)
    with pytest.raises(ValueError):
        pop.step(np.zeros(4))


def test_population_validates_before_building():
    with pytest.raises(ValueError, match="tau_m"):
        nc.Population("LIFNeuron", 10, params={"tau_m": -1.0})
    with pytest.raises(ValueError, match="LIFNeuron"):
        nc.Population("LIFNeuronn", 10)
    with pytest.raises(ValueError):
        nc.Population("LIFNeuron", 0)
    with pytest.raises(ValueError):
        nc.Population("LIFNeuron", 3, params={"tau_m": [1.0, 2.0]})
