#!/usr/bin/env python3
"""Print docs/departures.md: the "Relation to SC-NeuroCore" paragraph of every model's module doc."""
import glob
import os
import re

HEADER = """# Departures from SC-NeuroCore, model by model

Generated from the module documentation of every model (`models/src/<family>/<model>.rs`,
the paragraph "Relation to SC-NeuroCore"); the module doc is the authority and says more
(equations, constants, the paper facts tested). Rule of the catalogue: SC-NeuroCore decides a
model's name, `step(..)` inputs and state names; the paper decides its dynamics. Where the two
disagree the paper is implemented and the difference is written here. Regenerate after
changing a model's doc: `python3 docs/gen_departures.py > docs/departures.md`.
"""


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out = [HEADER]
    for f in sorted(glob.glob(os.path.join(root, "models/src/*/*.rs"))):
        if f.endswith("mod.rs"):
            continue
        lines = open(f, encoding="utf-8").read().split("\n")
        doc = "\n".join(l[4:] if l.startswith("//! ") else l[3:] for l in lines if l.startswith("//!"))
        m = re.search(r"^`(\w+)`", doc)
        name = m.group(1) if m else os.path.basename(f)
        paras = re.split(r"\n\s*\n", doc)
        rel = [p for p in paras if p.startswith("**Relation to SC")]
        body = " ".join(rel).replace("\n", " ") if rel else "(see the module doc)"
        out.append(f"### {name}\n\n`{os.path.relpath(f, root)}`\n\n{body}\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
