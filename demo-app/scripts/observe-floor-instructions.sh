#!/usr/bin/env bash
# Instructions per virtual thread of the observation floor churn, counted by callgrind: a figure
# that load from other processes does not move (wall time on a shared machine does).
# For each JVM (no agent, an empty agent, mode=observe) and each churn, runs 3 warm-up ops and 2
# measured ops of 10,000 threads at parallelism 1; callgrind dumps its counts at the marker call
# before and after the measured ops (see ObservationFloorChurn), and the script prints that last
# interval's instructions / 20,000. Instruction counts ignore load from other processes, but they
# vary by several percent from JVM to JVM (JIT decisions, GC timing): run it more than once.
#
# usage (from the repository root, after mvn -B -q package -DskipTests):
#   demo-app/scripts/observe-floor-instructions.sh [agent jar [another agent jar to compare]]
# needs valgrind; JAVA (default: $JAVA_HOME/bin/java, else java) must be a JDK 21+.
set -euo pipefail
demo=demo-app/target/vtrecycler-demo.jar
agent=${1:-agent/target/vtrecycler-agent.jar}
before=${2:-}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
java=${java:-java}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'Manifest-Version: 1.0\nPremain-Class: dev.vtrecycler.demo.bench.EmptyAgent\n' > "$work/manifest"
(cd "$work" && jar cfm empty-agent.jar manifest)

declare -A arms=(
  ["no agent"]=""
  ["empty agent"]="-javaagent:$work/empty-agent.jar"
  ["mode=observe"]="-javaagent:$agent=mode=observe,port=none"
)
order=("no agent" "empty agent" "mode=observe")
if [[ -n "$before" ]]; then
  arms["observe before"]="-javaagent:$before=mode=observe,port=none"
  order+=("observe before")
fi

instructions_per_thread() { # <jvm args> <churn>
  rm -f "$work"/cg.out*
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --dump-before=JVM_ActiveProcessorCount \
    --smc-check=all-non-file \
    "$java" -Xms256m -Xmx256m -XX:+UseSerialGC -Djdk.virtualThreadScheduler.parallelism=1 $1 \
    -cp "$demo" dev.vtrecycler.demo.bench.ObservationFloorChurn "$2" 3 2 > "$work/log" 2>&1
  local last
  last=$(ls "$work"/cg.out.* | sed 's/.*\.//' | sort -n | tail -1)
  echo $(( $(sed -n 's/^totals: //p' "$work/cg.out.$last") / 20000 ))
}

for churn in fireAndForget startJoin; do
  echo "$churn: instructions per virtual thread"
  for arm in "${order[@]}"; do
    echo "  $arm: $(instructions_per_thread "${arms[$arm]}" "$churn")"
  done
done
