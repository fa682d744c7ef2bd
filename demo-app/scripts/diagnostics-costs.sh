#!/bin/sh
# Cost of each diagnostics feature on and off (docs/observability.md). Run from the repository root
# after `mvn -B -q -pl agent -am verify -DskipTests` (builds the agent jar and test classes).
set -e
JAVA=${JAVA:-java}
AGENT=agent/target/vtrecycler-agent.jar
CP=agent/target/test-classes
MAIN=dev.vtrecycler.it.diagnostics.DiagnosticsCostMain
BASE=mode=observe,port=none
run() { # label, agent args, workload...
  label=$1; args=$2; shift 2
  echo "== $label ($args) load $(cut -d' ' -f1-3 /proc/loadavg)"
  $JAVA --enable-native-access=ALL-UNNAMED -javaagent:$AGENT=$args -cp $CP $MAIN "$@" 2>&1 | grep -v '^\[vtrecycler\]'
}
for round in 1 2; do
  run "churn, all off" "$BASE,carrier-sampling=off,deadlock-check=off" churn 9 100000
  run "churn, carrier-sampling=10ms" "$BASE,carrier-sampling=10ms,deadlock-check=off" churn 9 100000
  run "churn, carrier-sampling=1ms" "$BASE,carrier-sampling=1ms,deadlock-check=off" churn 9 100000
  run "churn, deadlock-check=1s" "$BASE,carrier-sampling=off,deadlock-check=1s" churn 9 100000
  run "churn, jfr=true" "$BASE,carrier-sampling=off,deadlock-check=off,jfr=true" churn 9 100000
done
for round in 1 2; do
  run "pins, jfr=false" "$BASE,carrier-sampling=off,deadlock-check=off" pins 7 1000
  run "pins, jfr=true pinned-threshold=20ms" "$BASE,carrier-sampling=off,deadlock-check=off,jfr=true,pinned-threshold=20ms" pins 7 1000
  run "pins, jfr=true pinned-threshold=0ms" "$BASE,carrier-sampling=off,deadlock-check=off,jfr=true,pinned-threshold=0ms" pins 7 1000
done
for parked in 10000 100000; do
  run "idle, $parked parked" "$BASE,carrier-sampling=10ms,deadlock-check=1s,jfr=true" idle 20 $parked
done
