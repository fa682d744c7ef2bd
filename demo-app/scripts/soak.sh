#!/usr/bin/env bash
# Soak: `serve --load` with the agent in recycle mode for a long run (default 11 minutes: 1 minute
# of warm-up, then 10 measured), sampling every 30 s after a full GC (jcmd GC.run, which also
# triggers the recycler's GC drain): heap used, process RSS, pooled threads, advice errors, and the
# load generator's sent/failed counts. Not a CI test: run it by hand from the repository root after
# `mvn -B package -DskipTests`:
#
#   demo-app/scripts/soak.sh [duration-seconds] [rate]            (JAVA=/path/to/jdk25/bin/java)
#
# Prints one CSV row per sample and a summary comparing the end with the level after warm-up.
set -euo pipefail

DURATION=${1:-660}
RATE=${2:-200}
WARMUP=${WARMUP:-60}
EVERY=${EVERY:-30}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AGENT=${AGENT:-$ROOT/agent/target/vtrecycler-agent.jar}
DEMO=${DEMO:-$ROOT/demo-app/target/vtrecycler-demo.jar}
JAVA=${JAVA:-java}
JCMD=${JCMD:-$(dirname "$(command -v "$JAVA")")/jcmd}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"

for f in "$AGENT" "$DEMO"; do
  [ -f "$f" ] || { echo "soak: $f missing; build first: mvn -B package -DskipTests" >&2; exit 2; }
done
version=$("$JAVA" -XX:+IgnoreUnrecognizedVMOptions -version 2>&1 | head -1)
echo "soak: $version; agent $AGENT; ${DURATION}s at ${RATE} req/s; output in $OUT"

# port=0: the agent binds a free port and prints it on stderr.
"$JAVA" -Xmx512m "-javaagent:$AGENT=mode=recycle,host=127.0.0.1,port=0" -jar "$DEMO" serve --load --port 0 \
    --rate "$RATE" --duration "$DURATION" >"$OUT/stdout" 2>"$OUT/stderr" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT

port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*metrics on http:\/\/[^:]*:\([0-9]*\)\/metrics.*/\1/p' "$OUT/stderr" | head -1)
  [ -n "$port" ] && break
  sleep 0.2
done
[ -n "$port" ] || { echo "soak: agent endpoint did not come up" >&2; cat "$OUT/stderr" >&2; exit 1; }

metric() { # sum of a metric's samples (optionally filtered by a label substring)
  curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" -v f="${2:-}" \
    '$1 ~ "^"m"([{]|$)" && index($1, f) { s += $NF } END { printf "%.0f", s }'
}

set +e # from here on a sample that fails (the JVM just stopped) ends the loop, not the script
echo "t_s,heap_after_gc_bytes,rss_kb,pooled_local,pooled_global,live_pooled_new_total,advice_errors,sent,failed" | tee "$OUT/samples.csv"
start=$(date +%s)
while kill -0 $PID 2>/dev/null; do
  sleep "$EVERY"
  kill -0 $PID 2>/dev/null || break
  t=$(( $(date +%s) - start ))
  "$JCMD" $PID GC.run >/dev/null 2>&1 || break
  sleep 1
  heap=$(metric jvm_memory_used_bytes 'area="heap"') || break
  rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status 2>/dev/null || echo 0)
  local_=$(metric vtrecycler_pooled_threads 'scope="local"')
  global_=$(metric vtrecycler_pooled_threads 'scope="global"')
  new_=$(metric vtrecycler_tasks_total 'source="new"')
  errors=$(metric vtrecycler_advice_errors_total)
  load=$(grep 'load:' "$OUT/stdout" | tail -1 | sed -n 's/.*load: \([0-9]*\) sent, \([0-9]*\) failed.*/\1,\2/p')
  echo "$t,$heap,$rss,$local_,$global_,$new_,$errors,${load:-0,0}" | tee -a "$OUT/samples.csv"
done
wait $PID || true
trap - EXIT
tail -1 "$OUT/stdout"

# Summary: the first sample at or after warm-up against the last sample.
awk -F, -v w="$WARMUP" 'NR > 1 { if (!b && $1 >= w) { b = 1; h0 = $2; r0 = $3 } h = $2; r = $3; p = $4 + $5;
    if (p > pmax) pmax = p; e = $7; f = $9; s = $8 }
  END { printf "soak summary: heap after GC %.1f MB -> %.1f MB (%+.1f%%), RSS %.1f MB -> %.1f MB (%+.1f%%), " \
               "max pooled idle threads %d, advice errors %d, requests sent %d, failed %d\n",
               h0/1048576, h/1048576, 100*(h-h0)/h0, r0/1024, r/1024, 100*(r-r0)/r0, pmax, e, s, f }' "$OUT/samples.csv" \
  | tee "$OUT/summary"
