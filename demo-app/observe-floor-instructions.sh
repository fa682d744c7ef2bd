#!/usr/bin/env bash
# Instructions per virtual thread of the observation floor churn, counted by callgrind: a figure
# that load from other processes does not move (wall time on a shared machine does).
# For each JVM (no agent, an empty agent, mode=observe) and each churn, runs 3 and 6 ops of 10,000
# threads at parallelism 1 and prints (instructions(6 ops) - instructions(3 ops)) / 30,000.
#
# usage (from the repository root, after mvn -B -q package -DskipTests):
#   demo-app/observe-floor-instructions.sh [agent jar [another agent jar to compare]]
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

instructions() { # <jvm args> <churn> <ops>
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --smc-check=all-non-file \
    "$java" -Xms256m -Xmx256m -XX:+UseSerialGC -Djdk.virtualThreadScheduler.parallelism=1 $1 \
    -cp "$demo" dev.vtrecycler.demo.bench.ObservationFloorChurn "$2" "$3" 2>&1 \
    | sed -n 's/.*I *refs: *//p' | tr -d ,
}

for churn in fireAndForget startJoin; do
  echo "$churn: instructions per virtual thread"
  for arm in "${order[@]}"; do
    short=$(instructions "${arms[$arm]}" "$churn" 3)
    long=$(instructions "${arms[$arm]}" "$churn" 6)
    echo "  $arm: $(( (long - short) / 30000 ))"
  done
done
