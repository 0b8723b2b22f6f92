#!/usr/bin/env bash
# Side-by-side timing of neurocore against Brian2 2.9 (C++ standalone) and NEST 3.10 on the
# reference networks, 1 thread, 1 s of biological time: the table of README.md's performance
# section. Runs alternate (Brian2, neurocore, Brian2, ...) so both see the same machine load.
#
#   bash benches/compare_peers.sh [REPS] [NETWORKS...]
#
# REPS (default 3) runs of Brian2 and neurocore per network, one NEST run (NEST=0 skips it).
# NETWORKS: any of coba cuba cobahh cobahh_dense brunel coba40k coba400k lif1m hh10k (default:
# the first five; lif1m = 1,000,000 uncoupled LIF at dt 0.1 ms, hh10k = 10,000 uncoupled
# Traub-Miles HH at dt 0.01 ms, the peers' *_lif_uncoupled.py / *_hh_uncoupled.py). Needs ../shared/peers (the peers' scripts); `source ../shared/peers/env.sh` installs
# the peers into a virtualenv on first use (about a minute). Raw results go to
# target/peers/results.jsonl; the table is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS_DIR:-$ROOT/../shared/peers}
REPS=${1:-3}
shift || true
NETS=("$@")
if [ ${#NETS[@]} -eq 0 ]; then NETS=(coba cuba cobahh cobahh_dense brunel); fi
NEST=${NEST:-1}

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/neurocore
OUT=$ROOT/target/peers
mkdir -p "$OUT"
RES=$OUT/results.jsonl
: > "$RES"
# shellcheck disable=SC1091
source "$PEERS/env.sh" > /dev/null

scene_of() {
  case $1 in
    coba) echo vogels_abbott_coba.ron ;;
    cuba) echo vogels_abbott_cuba.ron ;;
    cobahh) echo cobahh.ron ;;
    cobahh_dense) echo cobahh_dense.ron ;;
    brunel) echo brunel_2000.ron ;;
    coba40k) echo coba_scaled_40k.ron ;;
    coba400k) echo coba_scaled_400k.ron ;;
    lif1m) echo lif_uncoupled_1m.ron ;;
    hh10k) echo hh_uncoupled_10k.ron ;;
    *) echo "unknown network $1" >&2; exit 2 ;;
  esac
}
peer_args() { # network simulator -> script and arguments
  local b=$2
  case $1 in
    coba) echo "${b}_coba.py" ;;
    cuba) echo "${b}_cuba.py" ;;
    cobahh) echo "${b}_cobahh.py --variant brette" ;;
    cobahh_dense) echo "${b}_cobahh.py" ;;
    brunel) echo "${b}_brunel.py" ;;
    coba40k) echo "${b}_coba.py --n 40000 --conn indeg" ;;
    coba400k) echo "${b}_coba.py --n 400000 --conn indeg" ;;
    lif1m) echo "${b}_lif_uncoupled.py" ;;
    hh10k) echo "${b}_hh_uncoupled.py" ;;
  esac
}
run_peer() { # network simulator
  local args r
  args=$(peer_args "$1" "$2")
  # shellcheck disable=SC2086
  r=$(cd "$PEERS" && python $args --threads 1 2>/dev/null | sed -n 's/^RESULT //p')
  [ -n "$r" ] && echo "{\"net\":\"$1\",\"sim\":\"$2\",\"r\":$r}" >> "$RES"
}
run_ours() { # network
  local r
  r=$("$BIN" bench "$ROOT/scenes/$(scene_of "$1")" --threads 1 --json | tr -d '\n')
  echo "{\"net\":\"$1\",\"sim\":\"neurocore\",\"r\":$r}" >> "$RES"
}

for net in "${NETS[@]}"; do
  scene_of "$net" > /dev/null
  for _ in $(seq "$REPS"); do
    echo "== $net: brian2, neurocore" >&2
    run_peer "$net" brian2
    run_ours "$net"
  done
  if [ "$NEST" = 1 ]; then
    echo "== $net: nest" >&2
    run_peer "$net" nest
  fi
done

python3 - "$RES" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    r = d["r"]
    rows.setdefault(d["net"], {}).setdefault(d["sim"], []).append(r)
def med(rs, key):
    v = [r[key] for r in rs if key in r]
    return statistics.median(v) if v else None
def rates(rs, ours):
    # Median rate per population (neurocore: every recorded population; peers: exc/inh or all).
    if not rs:
        return "-"
    if ours:
        names = [n for n, _ in rs[0].get("rates_hz", [])]
        meds = [statistics.median(dict(r.get("rates_hz", [])).get(n, 0.0) for r in rs) for n in names]
    else:
        keys = ["rate_exc_hz", "rate_inh_hz"] if "rate_exc_hz" in rs[0] else ["rate_hz"]
        meds = [med(rs, k) for k in keys]
    return "/".join(f"{x:.1f}" for x in meds if x is not None)
print("| network | neurocore sim | Brian2 sim | NEST sim | faster peer / neurocore | rates Hz: neurocore; Brian2 | neurocore build | NEST build | runs |")
print("|---|---|---|---|---|---|---|---|---|")
for net, sims in rows.items():
    ours = med(sims.get("neurocore", []), "sim_s")
    b2 = med(sims.get("brian2", []), "sim_s")
    ne = med(sims.get("nest", []), "sim_s")
    peers = [x for x in (b2, ne) if x is not None]
    ratio = f"{min(peers) / ours:.2f}x" if peers and ours else "-"
    f = lambda x: f"{x:.3f} s" if x is not None else "-"
    rt = f"{rates(sims.get('neurocore', []), True)}; {rates(sims.get('brian2', []), False)}"
    print(f"| {net} | {f(ours)} | {f(b2)} | {f(ne)} | {ratio} | {rt} | "
          f"{f(med(sims.get('neurocore', []), 'build_s'))} | {f(med(sims.get('nest', []), 'setup_s'))} | "
          f"{len(sims.get('neurocore', []))}/{len(sims.get('brian2', []))}/{len(sims.get('nest', []))} |")
EOF
