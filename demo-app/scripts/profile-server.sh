#!/usr/bin/env bash
# Where a request's CPU goes, per configuration, on one of the demo's servers at saturation.
#
#   demo-app/scripts/profile-server.sh SERVER [CONFIG ...]
#   e.g. demo-app/scripts/profile-server.sh jdk none mode=observe mode=recycle,fallback=off
#
# SERVER: jetty, tomcat, spring, spring-async or jdk (the demo's `serve --server`, work "empty");
# CONFIG: none (no agent) or agent arguments. Each configuration runs in a fresh JVM under 64
# closed-loop keep-alive connections on loopback (scripts/ClosedLoopLoad.java), profiled by
# async-profiler (Maven Central's tools.profiler:async-profiler, CPU samples every ms, in 8 s
# chunks; the two chunks from 16 s to 32 s after start are kept, the warm-up is not), then
# scripts/profile-breakdown.py prints CPU samples per 1,000 requests by category, side by side.
# Needs the built jars (mvn -B -q package -DskipTests) and a JDK 21+ `java` (JAVA_HOME or PATH).
# Do not add -XX:+PreserveFramePointer: it sends every thaw down HotSpot's slow path.
set -euo pipefail
cd "$(dirname "$0")/../.."
server=${1:?usage: profile-server.sh SERVER [CONFIG ...]}; shift
configs=("$@"); [ ${#configs[@]} -gt 0 ] || configs=(none mode=observe mode=recycle)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=demo-app/target/profiles; mkdir -p "$out"
version=4.2
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
[ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version
lib=$out/async-profiler/linux-x64/libasyncProfiler.so
[ -f "$lib" ] || unzip -q -o "$jar" 'linux-x64/*' -d "$out/async-profiler"
path=/; [ "$server" = spring-async ] && path=/async
port=18480
args=()
for config in "${configs[@]}"; do
  name=$(echo "$config" | tr ',=' '_-'); rm -f "$out/$server-$name"-*.collapsed
  agent=(); [ "$config" = none ] || agent=("-javaagent:agent/target/vtrecycler-agent.jar=$config,port=none")
  "$java" -Xmx1g "${agent[@]}" \
      "-agentpath:$PWD/$lib=start,event=cpu,interval=1ms,loop=8s,file=$PWD/$out/$server-$name-%n{9}.collapsed,collapsed" \
      -jar demo-app/target/vtrecycler-demo.jar serve --server "$server" --work empty --port $port > "$out/$server-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.1; done
  # load from 2 s to 40 s after start; measured window 16-32 s = chunks 2 and 3
  started=$(ps -o etimes= -p $pid | tr -d ' ')
  result=$("$java" demo-app/scripts/ClosedLoopLoad.java $port 64 $((16 - started)) 16 "$path")
  sleep 9
  kill $pid; wait $pid 2>/dev/null || true
  rps=$(echo "$result" | awk '{print $2}')
  cat "$out/$server-$name"-2.collapsed "$out/$server-$name"-3.collapsed > "$out/$server-$name.collapsed"
  echo "$server $config: $result, load average $(cut -d' ' -f1 /proc/loadavg)"
  args+=("$out/$server-$name.collapsed" "$(python3 -c "print(int($rps * 16))")")
done
python3 demo-app/scripts/profile-breakdown.py "${args[@]}"
