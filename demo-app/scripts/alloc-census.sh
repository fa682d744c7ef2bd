#!/usr/bin/env bash
# Every object a request allocates, by class, per configuration, on one of the demo's servers at
# saturation: an exact census where the allocation profiler samples.
#
#   demo-app/scripts/alloc-census.sh SERVER [CONFIG ...]
#   e.g. demo-app/scripts/alloc-census.sh spring none mode=recycle,fallback=off
#
# SERVER: jetty, tomcat, spring, spring-async or jdk (the demo's `serve --server`, work "demo");
# CONFIG: none (no agent), platform (no agent, the server on its pool of platform threads) or agent
# arguments. Each configuration runs in a fresh JVM under the Epsilon collector, which never
# collects: `jcmd GC.class_histogram -all` then lists every object allocated since the JVM
# started, reachable or not, so two histograms around a window of load differ by exactly what that
# window allocated, stack chunks (jdk.internal.vm.StackChunk) included, which HotSpot allocates in
# freeze out of an allocation profiler's sight. 64 closed-loop keep-alive connections on loopback
# (scripts/ClosedLoopLoad.java), WARM (default 12) s of warm-up, then WINDOW (default 10) s counted;
# scripts/census-breakdown.py prints bytes and objects per request by class, side by side.
# What a census cannot show: allocation the collector causes (a pooled thread's stack chunk that a
# collection promoted makes its next freeze allocate a new one); the agent counts those itself,
# vtrecycler_new_stack_chunks_total, which reads about 0.06 per recycled Spring Boot request at a
# 48 MB heap and 0.008 at 1 GB (docs/servers.md, "The allocation census").
# CPUS=S/L pins the server to CPUs S and the load to L, as service-ab --cpus does. Needs the built
# jars (mvn -B -q package -DskipTests), a JDK 21+ `java` and `jcmd` (JAVA_HOME or PATH), and the
# memory for HEAP (default 12g; a window of Spring Boot at 10,000 requests/s allocates about 1 GB).
set -euo pipefail
cd "$(dirname "$0")/../.."
server=${1:?usage: alloc-census.sh SERVER [CONFIG ...]}; shift
configs=("$@"); [ ${#configs[@]} -gt 0 ] || configs=(none mode=observe mode=recycle,fallback=off)
bin=${JAVA_HOME:+$JAVA_HOME/bin/}
out=demo-app/target/census; mkdir -p "$out"
path=/; [ "$server" = spring-async ] && path=/async
port=18482
warm=${WARM:-12}; window=${WINDOW:-10}
pin_server=(); pin_load=()
if [ -n "${CPUS:-}" ]; then pin_server=(taskset -c "${CPUS%/*}"); pin_load=(taskset -c "${CPUS#*/}"); fi
stats() { curl -s "http://127.0.0.1:$port/-/stats"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
args=()
for config in "${configs[@]}"; do
  name=$(echo "$config" | tr ',=' '_-')
  agent=(); threads=virtual
  case "$config" in
    none) ;;
    platform) threads=platform ;;
    *) agent=("-javaagent:agent/target/vtrecycler-agent.jar=$config,port=none") ;;
  esac
  "${pin_server[@]}" "${bin}java" -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC \
      -Xms${HEAP:-12g} -Xmx${HEAP:-12g} "${agent[@]}" \
      -jar demo-app/target/vtrecycler-demo.jar serve --server "$server" --work demo --threads $threads \
      --port $port > "$out/$server-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.1; done
  "${pin_load[@]}" "${bin}java" demo-app/scripts/ClosedLoopLoad.java $port 64 "$warm" "$window" "$path" \
      > "$out/load.out" &
  load=$!
  sleep "$warm"
  before=$(stats); "${bin}jcmd" $pid GC.class_histogram -all > "$out/$server-$name.before"
  sleep "$window"
  after=$(stats); "${bin}jcmd" $pid GC.class_histogram -all > "$out/$server-$name.after"
  wait $load || true
  kill $pid; wait $pid 2>/dev/null || true
  requests=$(( $(field "$after" requests) - $(field "$before" requests) ))
  bytes=$(( $(field "$after" alloc) - $(field "$before" alloc) ))
  echo "$server $config: $(cat "$out/load.out"), $requests requests counted, load average $(cut -d' ' -f1 /proc/loadavg)"
  args+=("$config" "$out/$server-$name.before" "$out/$server-$name.after" "$requests" "$bytes")
done
python3 demo-app/scripts/census-breakdown.py "${args[@]}"
