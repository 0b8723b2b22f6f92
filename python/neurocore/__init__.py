"""neurocore: neuron models and spiking/rate networks on a Rust engine.

Every model of the catalogue is a class of this module under SC-NeuroCore's name, with
``step(...)``, ``reset()``, ``get_state()`` and ``params``::

    from neurocore import HodgkinHuxleyNeuron
    hh = HodgkinHuxleyNeuron()
    spike = hh.step(current=10.0)
    hh.get_state()

``Population`` advances many neurons of one model with the engine's batch kernel, and
``Simulation`` runs a whole network scene (a RON file or the same structure as dicts).

The model classes are made here from the registry of the Rust extension: a model added to
the catalogue is a class of this module with no Python code of its own.
"""

from . import _native
from ._native import Neuron, Population, Simulation, model_info, model_names

__version__ = _native.version()


def _make_class(name):
    info = model_info(name)
    params = ", ".join(
        f"{p['name']}" + (f" [{p['unit']}]" if p["unit"] else "") for p in info["params"]
    )
    doc = (
        f"{info['summary']}\n\n"
        f"Reference: {info['reference']}\n\n"
        f"step({', '.join(info['ports'])}) -> {info['output']}\n"
        f"state: {', '.join(info['state'])}\n"
        f"parameters: {params}\n"
    )
    return type(name, (Neuron,), {"_model": name, "__module__": __name__, "__doc__": doc})


#: The names of all model classes, in catalogue order.
MODELS = tuple(model_names())

for _name in MODELS:
    globals()[_name] = _make_class(_name)
del _name

__all__ = ["Neuron", "Population", "Simulation", "model_info", "model_names", "MODELS", *MODELS]
