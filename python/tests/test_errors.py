"""Bad calls raise Python exceptions with the Rust message; none crashes the interpreter."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import neurocore as nc

BAD_CALLS = [
    (lambda: nc.LIFNeuron(tau_m="fast"), ValueError, "tau_m"),
    (lambda: nc.LIFNeuron(tau_m=float("nan")), ValueError, "tau_m"),
    (lambda: nc.LIFNeuron(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0), TypeError, "at most"),
    (lambda: nc.LIFNeuron().step(curent=1.0), TypeError, "current"),
    (lambda: nc.LIFNeuron().step(1.0, 2.0), TypeError, "current"),
    (lambda: nc.LIFNeuron().step("x"), TypeError, "current"),
    (lambda: nc.LIFNeuron().step(float("nan")), ValueError, "finite"),
    (lambda: nc.Neuron(), TypeError, "LIFNeuron"),
    (lambda: nc.model_info("NoSuchNeuron"), ValueError, "NoSuchNeuron"),
    (lambda: nc.Population("LIFNeuron", 3).step(np.zeros((2, 2))), ValueError, "shape"),
    (lambda: nc.Population("LIFNeuron", 3).run(10, np.zeros((9, 3))), ValueError, "shape"),
    (lambda: nc.Population("LIFNeuron", 3).step(np.array([1.0, np.inf, 0.0])), ValueError, "finite"),
    (lambda: nc.Simulation({"populations": 3}), ValueError, "populations"),
    (lambda: nc.Simulation({"dt": -0.1}), ValueError, "dt"),
    (lambda: nc.Simulation.from_scene("/nonexistent/scene.ron"), ValueError, "scene.ron"),
    (lambda: nc.Simulation({}).run(float("nan")), ValueError, "finite"),
    (lambda: nc.Simulation({}).spikes("nope"), ValueError, "population"),
    (lambda: nc.Simulation({}).set_external("nope", 1.0), ValueError, "nope"),
]


@pytest.mark.parametrize("call, exc, text", BAD_CALLS)
def test_bad_call_raises(call, exc, text):
    with pytest.raises(exc, match=text):
        call()


def test_blowup_is_an_exception_not_nan():
    # A huge input drives HH's state non-finite: the step is refused and the state kept.
    hh = nc.HodgkinHuxleyNeuron()
    before = hh.get_state()
    with pytest.raises(FloatingPointError):
        for _ in range(10):
            hh.step(current=1e300)
    assert all(np.isfinite(v) for v in hh.get_state().values())
    assert hh.get_state() == before or hh.steps >= 0


def test_no_panic_reaches_python():
    # Run the bad calls in a child interpreter: it must exit normally (no abort, no crash).
    code = textwrap.dedent(
        """
        import neurocore as nc, numpy as np
        n = 0
        for f in [lambda: nc.Population("HodgkinHuxleyNeuron", 2).run(5, np.full((5, 2), 1e308)),
                  lambda: nc.Population("LIFNeuron", 2, init={"v": [1.0, 2.0, 3.0]}),
                  lambda: nc.Population("LIFNeuron", 2, params={"nope": 1.0}),
                  lambda: nc.Simulation({"populations": [{"name": "a", "model": "LIFNeuron", "size": 0}]}),
                  lambda: nc.LIFNeuron().set_state(v="x")]:
            try:
                f()
            except Exception:
                n += 1
        print(n)
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "5", r.stdout + r.stderr


def test_run_with_held_inputs():
    # Inputs without a step axis are held for every step; a non-finite one is a ValueError.
    a = nc.Population("LIFNeuron", 3)
    b = nc.Population("LIFNeuron", 3)
    x = np.array([300.0, 500.0, 900.0])
    ra = a.run(500, x)
    rb = b.run(500, np.tile(x, (500, 1)))
    assert np.array_equal(ra[0], rb[0]) and np.array_equal(ra[1], rb[1]) and len(ra[0]) >= 10
    with pytest.raises(ValueError, match="finite"):
        a.run(5, np.array([1.0, np.nan, 0.0]))
    with pytest.raises(ValueError, match="shape"):
        a.run(5, np.zeros(4))
