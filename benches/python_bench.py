"""Python-side benchmarks of issue 12 (not a test; numbers go in the README).

    python benches/python_bench.py call   [--impl neurocore|sc]   # one step() call, ns
    python benches/python_bench.py pop                             # 100,000-neuron Population step, ns/neuron

`call` times `n.step(current=x)` in a loop (the single-neuron loop a SC-NeuroCore user
writes) for the models named below, with `--impl sc` on SC-NeuroCore's classes of the same
names (installed in its own virtualenv: `pip install sc-neurocore`). Each figure is the
median of 7 repeats; run the two implementations alternately and compare medians.

`pop` times `Population(model, 100000, dt=0.1).step(drive)` and `.run(100, drive)` with one
drive value per neuron (the model's typical drive times 0.9 + 0.2 i/n): compare with
`cargo bench --bench kernels -- 'held/'` (the Rust batch kernel with the same per-neuron
inputs, alone and as the whole network step) and `'kernels/<Model>$'` (the kernel with one
constant drive).
"""

import argparse
import os
import statistics
import time

# NumPy's OpenBLAS starts worker threads that spin after use; on a 2-core machine they take
# cycles from the simulation (perf: 7 % of a LIF Population run). One BLAS thread, as for any
# single-threaded benchmark.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

CALL_MODELS = {
    # model: (the input keyword, value)
    "LIFNeuron": ("current", 400.0),
    "HodgkinHuxleyNeuron": ("current", 10.0),
    "AdExNeuron": ("current", 800.0),
    "ExpIFNeuron": ("current", 10.0),
    "WangBuzsakiNeuron": ("current", 1.0),
}

POP_MODELS = ["LIFNeuron", "IzhikevichNeuron", "HodgkinHuxleyNeuron"]


def per_call_ns(step, kw, x, calls):
    args = {kw: x}
    t = time.perf_counter_ns()
    for _ in range(calls):
        step(**args)
    return (time.perf_counter_ns() - t) / calls


def bench_call(impl, repeats=7):
    if impl == "sc":
        import sc_neurocore.neurons as lib
    else:
        import neurocore as lib
    for name, (kw, x) in CALL_MODELS.items():
        cls = getattr(lib, name, None)
        if cls is None:
            print(f"{name:24s} (not in {impl})")
            continue
        n = cls()
        calls = 20000 if "Hodgkin" not in name and "Wang" not in name else 2000
        per_call_ns(n.step, kw, x, calls // 10)  # warm up
        ts = [per_call_ns(n.step, kw, x, calls) for _ in range(repeats)]
        print(f"{impl:9s} {name:24s} {statistics.median(ts):10.0f} ns/call  "
              f"(min {min(ts):.0f}, max {max(ts):.0f})")


def bench_pop(repeats=7, n=100_000):
    import numpy as np

    import neurocore as nc

    for name in POP_MODELS:
        info = nc.model_info(name)
        # One value per neuron and port: the typical drive times 0.9 + 0.2 i/n (as the Rust
        # bench `held` feeds it).
        scale = 0.9 + 0.2 * np.arange(n) / n
        drive = np.array([x * scale for x in info["drive"]], dtype=float)
        if drive.shape[0] == 1:
            drive = drive[0]
        pop = nc.Population(name, n, dt=0.1)
        for _ in range(20):
            pop.step(drive)
        step_ts, run_ts = [], []
        for _ in range(repeats):
            t = time.perf_counter_ns()
            for _ in range(20):
                pop.step(drive)
            step_ts.append((time.perf_counter_ns() - t) / 20 / n)
            t = time.perf_counter_ns()
            pop.run(100, drive)
            run_ts.append((time.perf_counter_ns() - t) / 100 / n)
        print(f"{name:24s} step() {statistics.median(step_ts):6.2f} ns/neuron-step "
              f"({min(step_ts):.2f}-{max(step_ts):.2f}); run(100) {statistics.median(run_ts):6.2f} "
              f"({min(run_ts):.2f}-{max(run_ts):.2f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["call", "pop"])
    ap.add_argument("--impl", choices=["neurocore", "sc"], default="neurocore")
    a = ap.parse_args()
    if a.what == "call":
        bench_call(a.impl)
    else:
        bench_pop()


if __name__ == "__main__":
    main()
