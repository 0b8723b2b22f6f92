"""Brunel (2000) model A with multiplicative STDP on E->E, in Brian2 (C++ standalone): the
peer of scenes/brunel_2000_stdp.ron (network as benches/plasticity/nest_brunel_stdp.py).

STDP as event-driven traces (Brian2's idiom): on a presynaptic spike the weight is depressed
by alpha*lambda*w*apost, apre jumps by 1 and the membrane jumps by w; on a postsynaptic spike
it is facilitated by lambda*(Wmax - w)*apre and apost jumps by 1; w is clipped to [0, Wmax].
Brian2 puts the 1.5 ms delay on the presynaptic pathway (axonal), NEST and neurocore on the
dendrite; the work per event is the same. Prints RESULT {json} with sim_s (the run's wall time
inside the compiled binary), spikes and rates.

    python benches/plasticity/brian2_brunel_stdp.py --duration 1.0
"""
import argparse
import json
import os
import shutil
import tempfile
import time

p = argparse.ArgumentParser()
p.add_argument("--duration", type=float, default=1.0, help="biological time, s")
a = p.parse_args()

from brian2 import (Hz, NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock,  # noqa: E402
                    device, ms, mV, prefs, run, set_device, seed)

build = tempfile.mkdtemp(prefix="b2_brunel_stdp_")
set_device("cpp_standalone", directory=build, build_on_run=False)
prefs.devices.cpp_standalone.openmp_threads = 0
prefs.codegen.cpp.headers += ["<chrono>", "<fstream>"]
tf = os.path.join(build, "t.txt")
device.insert_code("before_network_run", "auto _t0 = std::chrono::steady_clock::now();")
device.insert_code("after_network_run",
                   "auto _t1 = std::chrono::steady_clock::now();"
                   f'{{ std::ofstream f("{tf}"); f << std::chrono::duration<double>(_t1 - _t0).count(); }}')
defaultclock.dt = 0.1 * ms
seed(1)
Ne, Ni, CE, CI = 10000, 2500, 1000, 250
tau, theta, Vr, J, D = 20 * ms, 20 * mV, 10 * mV, 0.1 * mV, 1.5 * ms
wmax, lam, alpha, taupre, taupost = 0.2 * mV, 0.01, 1.0, 20 * ms, 20 * ms
P = NeuronGroup(Ne + Ni, "dv/dt = -v/tau : volt (unless refractory)", threshold="v > theta",
                reset="v = Vr", refractory=2 * ms, method="exact")
Pe, Pi = P[:Ne], P[Ne:]
See = Synapses(Pe, Pe, model="""w : volt
                dapre/dt = -apre/taupre : 1 (event-driven)
                dapost/dt = -apost/taupost : 1 (event-driven)""",
               on_pre="""w = clip(w - alpha*lam*w*apost, 0*mV, wmax)
                         apre += 1
                         v_post += w*int(not_refractory_post)""",
               on_post="""w = clip(w + lam*(wmax - w)*apre, 0*mV, wmax)
                          apost += 1""", delay=D)
See.connect(i=f"k for k in sample(N_pre, size={CE})")
See.w = J
Sei = Synapses(Pe, Pi, on_pre="v_post += J*int(not_refractory_post)", delay=D)
Sei.connect(i=f"k for k in sample(N_pre, size={CE})")
Si = Synapses(Pi, P, on_pre="v_post += -5*J*int(not_refractory_post)", delay=D)
Si.connect(i=f"k for k in sample(N_pre, size={CI})")
ext = PoissonInput(P, "v", N=CE, rate=20 * Hz, weight="J*int(not_refractory)")
mon = SpikeMonitor(P, record=False)
run(a.duration * 1000 * ms)
t0 = time.perf_counter()
device.build(directory=build, compile=True, run=True, debug=False)
total = time.perf_counter() - t0
sim_s = float(open(tf).read())
c = mon.count[:]
se, si = int(c[:Ne].sum()), int(c[Ne:].sum())
w = See.w[:] / mV
print("RESULT " + json.dumps({
    "simulator": "brian2", "network": "brunel_stdp", "threads": 1, "duration_s": a.duration,
    "sim_s": sim_s, "build_and_run_s": total, "spikes": se + si,
    "rate_exc_hz": se / Ne / a.duration, "rate_inh_hz": si / Ni / a.duration,
    "weights": {"mean": float(w.mean()), "min": float(w.min()), "max": float(w.max())}}))
shutil.rmtree(build, ignore_errors=True)
