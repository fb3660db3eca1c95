#!/usr/bin/env bash
# Fault check of Spark training on a real standalone cluster, on loopback only:
#   1. a master and two one-core workers, JVMs started from Spark's own jars (spark-home.sh lays them out);
#   2. `train` of examples/taxi-small.json through SparkSubmit, 2 tasks, 2 short epochs, a checkpoint every
#      CHECKPOINT_EVERY steps;
#   3. kill -9 of the executor JVM that runs rank 0 (the one writing the checkpoints) in the middle of epoch 2;
#      Spark resubmits the barrier stage on a fresh executor and training resumes from the last checkpoint;
#   4. the same training in one process, on the same partitions concatenated, with the same seed and worker count;
#   5. the two runs' model.safetensors and last-state.safetensors compared tensor by tensor, bitwise.
# The last line says `weights equal: true` or `weights equal: false`; the exit status is 0 only for true.
# Skips (exit 0, with the reason) when the Spark jars cannot be resolved. Every JVM it starts is ended on exit.
# KEEP=1 keeps the work folder (logs of the master, the workers, the driver and each executor).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

EPOCHS=2
BATCHES_PER_EPOCH=6
CHECKPOINT_EVERY=2
TASKS=2
TIMEOUT_S=600                 # the whole distributed run, recovery included
readonly EPOCHS BATCHES_PER_EPOCH CHECKPOINT_EVERY TASKS TIMEOUT_S

say() { printf '%s cluster-check: %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { say "FAILED: $*"; echo "weights equal: false"; exit 1; }
started=$SECONDS
elapsed() { echo $((SECONDS - started)); }

# ---- Java 25, Spark's jars, the application jar
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  JAVA_HOME="$(ls -d /usr/lib/jvm/temurin-2[5-9]* 2>/dev/null | head -n1)"
  [ -n "$JAVA_HOME" ] || fail "needs Java 25 (set JAVA_HOME)"
fi
export JAVA_HOME
if ! SPARK_HOME="$(spark/spark-home.sh)"; then
  say "skipped: the Spark jars could not be resolved through Maven (offline, and not in ~/.m2)"
  exit 0
fi
export SPARK_HOME SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
app_jar() { ls spark/target/tempora-spark-*.jar 2>/dev/null | grep -v -e original -e sources | head -n1 || true; }
if [ -z "$(app_jar)" ]; then
  say "building the spark module's jar"
  MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -ntp -q -o -DskipTests package -pl spark -am \
    >/dev/null || fail "the build failed"
fi
jar="$root/$(app_jar)"

# What Spark's launcher (org.apache.spark.launcher.JavaModuleOptions) passes to every JVM on Java 17+; the master,
# the workers and the driver get it here, the executors through spark.executor.extraJavaOptions.
opens="$(sed -n 's:.*<spark.jvm.args>\(.*\)</spark.jvm.args>.*:\1:p' spark/pom.xml)"
[ -n "$opens" ] || fail "no <spark.jvm.args> in spark/pom.xml"

work="$(mktemp -d "${TMPDIR:-/tmp}/tempora-cluster-check.XXXXXX")"
daemons=()
cleanup() {
  local pid
  # Executors are the workers' children: end them first, then the daemons, then whatever is left, by id.
  for pid in "${daemons[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${daemons[@]}"; do pkill -KILL -P "$pid" 2>/dev/null || true; kill -KILL "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then say "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

spark_java() { # runs a Spark class with Spark's class path and JVM options; exec, so that `spark_java ... &`
  # leaves $! the JVM's own process id (a worker's executors are then its children)
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" $opens "$@"
}

wait_for() { # wait_for FILE PATTERN SECONDS: until a line of FILE matches PATTERN
  local deadline=$((SECONDS + $3))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

# ---- the cluster: a master on a free port, two one-core workers
say "starting a master and two workers on 127.0.0.1 (SPARK_HOME=$SPARK_HOME)"
spark_java -Xmx256m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
  >"$work/master.log" 2>&1 &
daemons+=($!)
wait_for "$work/master.log" 'Starting Spark master at spark://' 60 || fail "the master did not start; see $work/master.log"
master="$(grep -o -m1 'spark://[0-9.]*:[0-9]*' "$work/master.log")"
for w in 1 2; do
  mkdir -p "$work/worker-$w"
  spark_java -Xmx256m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores 1 --memory 1536m --work-dir "$work/worker-$w" "$master" >"$work/worker-$w.log" 2>&1 &
  daemons+=($!)
  eval "worker_$w=$!"
done
for w in 1 2; do
  wait_for "$work/worker-$w.log" 'Successfully registered with master' 60 || fail "worker $w did not register; see $work/worker-$w.log"
done
cluster_s=$(elapsed)
say "cluster up at $master after ${cluster_s}s"

# ---- the distributed run
say "training ${TASKS} tasks, ${EPOCHS} epochs of ${BATCHES_PER_EPOCH} batches, a checkpoint every ${CHECKPOINT_EVERY} steps"
job_started=$SECONDS
spark_java -Xmx1g org.apache.spark.deploy.SparkSubmit --master "$master" --deploy-mode client \
  --class dev.tempora.spark.Main \
  --conf spark.executor.memory=1g --conf spark.executor.cores=1 --conf spark.task.cpus=1 \
  --conf "spark.executor.extraJavaOptions=-Xss8m $opens" \
  --conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false \
  "$jar" train --config examples/taxi-small.json --out "$work/distributed" --tasks "$TASKS" --epochs "$EPOCHS" \
  --limit-batches "$BATCHES_PER_EPOCH" --checkpoint-every "$CHECKPOINT_EVERY" >"$work/driver.log" 2>&1 &
driver=$!
daemons+=("$driver")

# Rank 0 logs each step to its executor's stderr; once it is past the first checkpoint of epoch 2, its executor goes.
kill_after="rank 0 of ${TASKS}, attempt 0: epoch 2, batch $((CHECKPOINT_EVERY + 1)) of"
victim=""
deadline=$((SECONDS + TIMEOUT_S))
while [ -z "$victim" ]; do
  kill -0 "$driver" 2>/dev/null || fail "the driver ended before the kill; see $work/driver.log"
  [ $SECONDS -lt $deadline ] || fail "rank 0 did not reach epoch 2 in ${TIMEOUT_S}s"
  for w in 1 2; do
    if grep -q -s -F "$kill_after" "$work"/worker-$w/app-*/*/stderr; then
      eval "worker_pid=\$worker_$w"
      victim="$(pgrep -P "$worker_pid" | head -n1)"
      [ -n "$victim" ] || fail "no executor JVM under worker $w"
      victim_worker=$w
    fi
  done
  sleep 0.2
done
first_attempt_s=$((SECONDS - job_started))
kill -9 "$victim"
say "killed executor JVM $victim (worker $victim_worker, rank 0) in epoch 2 after ${first_attempt_s}s"
killed_at=$SECONDS

while kill -0 "$driver" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "the run did not finish in ${TIMEOUT_S}s; see $work/driver.log"
  sleep 1
done
wait "$driver" || fail "the run failed; see $work/driver.log: $(tail -n 5 "$work/driver.log")"
job_s=$((SECONDS - job_started))
recovery_s=$((SECONDS - killed_at))
grep -q -s -F "attempt 1: resuming from epoch 2, batch" "$work"/worker-*/app-*/*/stderr \
  || fail "no task resumed from the checkpoint in a second attempt of the stage"
say "the run completed in ${job_s}s, ${recovery_s}s of them after the kill; the retried stage resumed from the checkpoint"

# ---- the one-process reference
say "training the same partitions in one process"
reference_started=$SECONDS
"$JAVA_HOME/bin/java" -Xss8m $opens -cp "$jar:$SPARK_HOME/jars/*" dev.tempora.spark.Main train \
  --config examples/taxi-small.json --out "$work/one-process" --tasks "$TASKS" --epochs "$EPOCHS" \
  --limit-batches "$BATCHES_PER_EPOCH" --one-process >"$work/one-process.log" 2>&1 \
  || fail "the one-process run failed; see $work/one-process.log"
reference_s=$((SECONDS - reference_started))

say "timings: cluster start ${cluster_s}s, distributed run ${job_s}s (recovery ${recovery_s}s), one-process run ${reference_s}s, total $(elapsed)s"
# Its last line is `weights equal: true|false`, and its status 0 only when true.
"$JAVA_HOME/bin/java" $opens -cp "$jar:$SPARK_HOME/jars/*" dev.tempora.spark.Main compare \
  "$work/distributed" "$work/one-process"
