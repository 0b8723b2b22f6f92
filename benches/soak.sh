#!/usr/bin/env bash
# Soak run (issue 13): COBA for 1 hour of biological time with every recorder on and a
# checkpoint each minute; the process's resident and peak memory are sampled at each
# checkpoint. Usage: bash benches/soak.sh [OUT_DIR]   (needs ~4 GB of disk for the spikes)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/neurocore_soak}
rm -rf "$out"
cargo build --release --quiet
./target/release/neurocore run scenes/vogels_abbott_coba.ron --duration 3600000 \
  --checkpoint-every 60000 --out "$out" > "$out.log" 2>&1 &
pid=$!
last=""
while kill -0 "$pid" 2>/dev/null; do
  m="$out/checkpoint/manifest.ron"
  if [ -f "$m" ]; then
    step=$(grep -o "step: [0-9]*" "$m" | head -1 || true)
    if [ "$step" != "$last" ]; then
      last=$step
      echo "$step $(grep -E 'VmRSS|VmHWM' /proc/$pid/status 2>/dev/null | tr -s ' ' | tr '\n' ' ')"
    fi
  fi
  sleep 1
done
wait "$pid"
cat "$out/summary.json"
