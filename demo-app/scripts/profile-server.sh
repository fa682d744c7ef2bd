#!/usr/bin/env bash
# Where a request's CPU (or, with EVENT=alloc, its bytes) goes, per configuration, on one of the
# demo's servers at saturation.
#
#   demo-app/scripts/profile-server.sh SERVER [CONFIG ...]
#   e.g. demo-app/scripts/profile-server.sh jdk none mode=observe mode=recycle,fallback=off
#
# SERVER: jetty, tomcat, spring, spring-async or jdk (the demo's `serve --server`, work "empty");
# CONFIG: none (no agent), platform (no agent, the server on its pool of platform threads: the
# allocation floor, as service-ab --configs platform-threads) or agent arguments. Each configuration runs in a fresh JVM under 64
# closed-loop keep-alive connections on loopback (scripts/ClosedLoopLoad.java), profiled by
# async-profiler (Maven Central's tools.profiler:async-profiler, CPU samples every ms, in 8 s
# chunks; only whole chunks inside the measured 24 s after the warm-up are kept), then
# scripts/profile-breakdown.py prints CPU samples per 1,000 requests by category, side by side.
# EVENT=alloc records allocations instead (event=alloc, sampled every 4 KB, bytes per stack) and
# scripts/alloc-breakdown.py prints bytes per request by category beside the process's own count
# (the demo's /-/stats over the measured 24 s).
# HEAP (default 1g) sets -Xms/-Xmx, WORK (default empty) the demo's request work: at a small heap
# (HEAP=48m WORK=demo, as service-ab's A/B) GC threads become a category of their own.
# CPUS=S/L pins the server to CPUs S and the load to L with taskset, as service-ab --cpus does (the
# server then has as many carriers as CPUs in S): profile what the pinned A/B measured.
# Needs the built jars (mvn -B -q package -DskipTests) and a JDK 21+ `java` (JAVA_HOME or PATH).
# Do not add -XX:+PreserveFramePointer: it sends every thaw down HotSpot's slow path.
set -euo pipefail
cd "$(dirname "$0")/../.."
server=${1:?usage: profile-server.sh SERVER [CONFIG ...]}; shift
configs=("$@"); [ ${#configs[@]} -gt 0 ] || configs=(none mode=observe mode=recycle)
event="event=cpu,interval=1ms"; [ "${EVENT:-cpu}" = alloc ] && event="event=alloc,alloc=4k,total"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=demo-app/target/profiles; mkdir -p "$out"
version=4.2
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
[ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version
lib=$out/async-profiler/linux-x64/libasyncProfiler.so
[ -f "$lib" ] || unzip -q -o "$jar" 'linux-x64/*' -d "$out/async-profiler"
path=/; [ "$server" = spring-async ] && path=/async
port=18480
pin_server=(); pin_load=()
if [ -n "${CPUS:-}" ]; then pin_server=(taskset -c "${CPUS%/*}"); pin_load=(taskset -c "${CPUS#*/}"); fi
args=()
for config in "${configs[@]}"; do
  name=$(echo "$config" | tr ',=' '_-'); rm -f "$out/$server-$name"-*.collapsed
  agent=(); threads=virtual
  case "$config" in
    none) ;;
    platform) threads=platform ;;
    *) agent=("-javaagent:agent/target/vtrecycler-agent.jar=$config,port=none") ;;
  esac
  "${pin_server[@]}" "$java" -Xms${HEAP:-1g} -Xmx${HEAP:-1g} "${agent[@]}" \
      "-agentpath:$PWD/$lib=start,$event,loop=8s,file=$PWD/$out/$server-$name-%n{99}.collapsed,collapsed" \
      -jar demo-app/target/vtrecycler-demo.jar serve --server "$server" --work "${WORK:-empty}" --threads $threads \
      --port $port > "$out/$server-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.1; done
  # Load for warm-up + 24 s; keep the whole 8 s chunks inside the measured 24 s.
  started=$(ps -o etimes= -p $pid | tr -d ' ')
  warm=$(( started < 12 ? 16 - started : 4 ))
  "${pin_load[@]}" "$java" demo-app/scripts/ClosedLoopLoad.java $port 64 $warm 24 "$path" > "$out/load.out" &
  load=$!
  sleep $warm; before=$(curl -s "http://127.0.0.1:$port/-/stats")
  sleep 24; after=$(curl -s "http://127.0.0.1:$port/-/stats")
  wait $load; result=$(cat "$out/load.out")
  first=$(( (started + warm + 7) / 8 )); last=$(( (started + warm + 24) / 8 - 1 ))
  sleep 9
  kill $pid; wait $pid 2>/dev/null || true
  rps=$(echo "$result" | awk '{print $2}')
  : > "$out/$server-$name.collapsed"
  for i in $(seq $first $last); do cat "$out/$server-$name-$i.collapsed" >> "$out/$server-$name.collapsed"; done
  seconds=$(( (last - first + 1) * 8 ))
  echo "$server $config: $result, load average $(cut -d' ' -f1 /proc/loadavg)"
  args+=("$out/$server-$name.collapsed" "$(python3 -c "print(int($rps * $seconds))")")
  if [ "${EVENT:-cpu}" = alloc ]; then
    args+=("$(python3 -c "import re,sys
a,b=(dict(re.findall(r'([a-z-]+)=(\\d+)', x)) for x in sys.argv[1:])
print(round((int(b['alloc'])-int(a['alloc']))/(int(b['requests'])-int(a['requests']))))" "$before" "$after")")
  fi
done
if [ "${EVENT:-cpu}" = alloc ]; then
  python3 demo-app/scripts/alloc-breakdown.py "${args[@]}"
else
  python3 demo-app/scripts/profile-breakdown.py "${args[@]}"
fi
