"""The network engine from Python: a scene from a RON file or from dicts, run, and read back
as NumPy arrays; the same spikes as the `neurocore run` command."""

import pathlib
import subprocess

import numpy as np
import pytest

import neurocore as nc
from conftest import REPO

LIF = {"v_rest": 0.0, "v_reset": 10.0, "v_threshold": 20.0, "tau_m": 20.0, "refractory_period": 2.0}

RON = """Scene(
    dt: 0.1, duration: 200.0, seed: 3,
    populations: [
        (name: "exc", model: "LIFNeuron", size: 800,
         params: {"v_rest": 0.0, "v_reset": 10.0, "v_threshold": 20.0, "tau_m": 20.0, "refractory_period": 2.0},
         init: {"v": uniform(low: 0.0, high: 20.0)}, receptors: [(name: "syn", kind: delta)]),
        (name: "inh", model: "LIFNeuron", size: 200,
         params: {"v_rest": 0.0, "v_reset": 10.0, "v_threshold": 20.0, "tau_m": 20.0, "refractory_period": 2.0},
         init: {"v": 0.0}, receptors: [(name: "syn", kind: delta)]),
    ],
    projections: [
        (source: "exc", target: "exc", rule: fixed_indegree(k: 80), weight: 0.2, delay: 1.5),
        (source: "exc", target: "inh", rule: fixed_indegree(k: 80), weight: 0.2, delay: 1.5),
        (source: "inh", target: "exc", rule: fixed_indegree(k: 20), weight: -1.0, delay: 1.5),
        (source: "inh", target: "inh", rule: fixed_indegree(k: 20), weight: -1.0, delay: 1.5),
    ],
    stimuli: [
        (name: "ext_e", target: (population: "exc"), kind: poisson(rate: 20000.0, weight: 0.1)),
        (name: "ext_i", target: (population: "inh"), kind: poisson(rate: 20000.0, weight: 0.1)),
    ],
    recorders: [spikes(target: (population: "exc")), spikes(target: (population: "inh")),
                rate(population: "exc", bin: 1.0),
                state(target: (population: "inh", neurons: [0, 5, 7]), vars: ["v", "refractory"], interval: 0.5)],
)
"""

# The same scene as Python data (one schema: the RON field names; enum values as
# {"variant": {fields}}, unit variants as strings).
SCENE = {
    "dt": 0.1,
    "duration": 200.0,
    "seed": 3,
    "populations": [
        {"name": "exc", "model": "LIFNeuron", "size": 800, "params": LIF,
         "init": {"v": {"uniform": {"low": 0.0, "high": 20.0}}},
         "receptors": [{"name": "syn", "kind": "delta"}]},
        {"name": "inh", "model": "LIFNeuron", "size": 200, "params": LIF,
         "init": {"v": 0.0}, "receptors": [{"name": "syn", "kind": "delta"}]},
    ],
    "projections": [
        {"source": s, "target": t, "rule": {"fixed_indegree": {"k": k}}, "weight": w, "delay": 1.5}
        for s, t, k, w in [("exc", "exc", 80, 0.2), ("exc", "inh", 80, 0.2),
                           ("inh", "exc", 20, -1.0), ("inh", "inh", 20, -1.0)]
    ],
    "stimuli": [
        {"name": "ext_e", "target": {"population": "exc"},
         "kind": {"poisson": {"rate": 20000.0, "weight": 0.1}}},
        {"name": "ext_i", "target": {"population": "inh"},
         "kind": {"poisson": {"rate": 20000.0, "weight": 0.1}}},
    ],
    "recorders": [
        {"rate": {"population": "exc", "bin": 1.0}},
        {"state": {"target": {"population": "inh", "neurons": [0, 5, 7]},
                   "vars": ["v", "refractory"], "interval": 0.5}},
    ],
}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, neurocore_cli):
    d = tmp_path_factory.mktemp("cli")
    scene = d / "net.ron"
    scene.write_text(RON)
    subprocess.run([neurocore_cli, "run", str(scene), "--out", str(d / "out")], check=True,
                   capture_output=True)
    return scene, d / "out"


def test_scene_from_python_writes_what_neurocore_run_writes(cli_run):
    scene, out = cli_run
    for sim in (nc.Simulation.from_scene(str(scene)), nc.Simulation(SCENE)):
        sim.run()
        assert sim.time == pytest.approx(200.0)
        for pop, _, first, size in sim.populations:
            want = np.load(out / f"spikes_{pop}.npy")
            ids, times = sim.spikes(pop)
            assert ids.dtype == np.uint32 and times.dtype == np.float64
            assert len(ids) > 1000
            # Spike ids are global in both (the inh population starts at 800).
            assert np.all((ids >= first) & (ids < first + size))
            assert np.array_equal(ids, want["id"])
            assert np.array_equal(times, want["t"])
        ids, times = sim.spikes()
        assert np.all(np.diff(times) >= 0)
        bins, rate = sim.rates()["exc"]
        assert np.array_equal(rate, np.load(out / "rate_exc.npy"))
        assert np.array_equal(bins, np.arange(200.0))
        (tr,) = sim.traces()
        assert tr["population"] == "inh"
        assert np.array_equal(tr["neurons"], np.load(out / "trace_inh_ids.npy"))
        assert np.array_equal(tr["neurons"], [800, 805, 807])
        assert np.array_equal(tr["times"], np.load(out / "trace_inh_times.npy"))
        for var in ("v", "refractory"):
            assert tr[var].shape == (400, 3)
            assert np.array_equal(tr[var], np.load(out / f"trace_inh_{var}.npy"))


def test_run_in_parts_state_and_set_state():
    whole = nc.Simulation(SCENE)
    whole.run(200.0)
    parts = nc.Simulation(SCENE)
    parts.run(100.0)
    parts.run(100.0)  # two calls continue the same run
    assert np.array_equal(whole.spikes()[0], parts.spikes()[0])
    # state(id) is the neuron's state dict; set_state changes it.
    s = parts.state(5)
    assert set(s) == {"v", "refractory"}
    parts.set_state(5, "v", 3.0)
    assert parts.state(5)["v"] == 3.0
    col = parts.state_of("inh", "v")
    assert col.shape == (200,)
    assert col[0] == parts.state(800)["v"]


def test_scene_errors_are_located(tmp_path):
    bad = tmp_path / "bad.ron"
    bad.write_text(RON.replace('"LIFNeuron", size: 200', '"LIFNeurom", size: 200'))
    with pytest.raises(ValueError) as e:
        nc.Simulation.from_scene(str(bad))
    msg = str(e.value)
    assert "bad.ron:7:23: populations[1].model" in msg, msg
    assert "LIFNeuron" in msg  # the name expected
    with pytest.raises(ValueError, match=r"populations\[1\]"):
        nc.Simulation({**SCENE, "populations": [SCENE["populations"][0],
                                                 {**SCENE["populations"][1], "sise": 3}]})
    with pytest.raises(ValueError, match="model"):
        nc.Simulation({**SCENE, "populations": [{**SCENE["populations"][0], "model": "Nope"}]})


def test_a_plastic_projection_s_weights_follow_the_stdp_closed_form():
    """One pre/post pair through additive STDP (NEST's semantics, delay 1 ms): the post spike
    meets the synapse 3.0 + 1.0 ms after the pre spike, so the weight grows by
    lambda * w_max * exp(-4 / tau_plus) (pair STDP's closed form; Morrison et al. 2008)."""
    spiker = {"v_rest": 0.0, "v_reset": 0.0, "v_threshold": 1e6, "refractory_period": 0.0}
    pop = lambda name: {"name": name, "model": "LIFNeuron", "size": 1, "params": spiker,  # noqa: E731
                        "init": {"v": 0.0},
                        "receptors": [{"name": "kick", "kind": "delta"},
                                      {"name": "syn", "kind": "delta"}]}
    kick = lambda name, step: {"target": {"population": name}, "receptor": "kick",  # noqa: E731
                               "kind": {"spike_times": {"times": [step * 0.1], "weight": 1e7}}}
    tau_plus, lam, w_max, w0 = 16.8, 0.05, 10.0, 4.0
    net = nc.Simulation({
        "dt": 0.1, "duration": 40.0, "seed": 1,
        "populations": [pop("pre"), pop("post")],
        "projections": [{"name": "p", "source": "pre", "target": "post", "rule": "all_to_all",
                         "weight": w0, "delay": 1.0, "receptor": "syn",
                         "synapse": {"stdp": {"tau_plus": tau_plus, "lambda": lam,
                                              "mu_plus": 0.0, "mu_minus": 0.0, "w_max": w_max}}}],
        "stimuli": [kick("pre", 100), kick("post", 130)],
    })
    src, tgt = net.connections("p")
    assert list(src) == [0] and list(tgt) == [0]
    np.testing.assert_allclose(net.weights("p"), [w0])
    net.run()
    want = w0 + lam * w_max * np.exp(-(3.0 + 1.0) / tau_plus)
    np.testing.assert_allclose(net.weights("p"), [want], rtol=1e-12)
    with pytest.raises(ValueError, match="no projection named `q`"):
        net.weights("q")
