#!/usr/bin/env bash
# Lays out a SPARK_HOME from the Spark jars Maven resolves (no Spark download needed) and prints its path:
#   spark/target/spark-home/jars/      spark-core and everything it needs (136 jars, about 220 MB for 4.2.0)
#   spark/target/spark-home/RELEASE    empty: marks a binary distribution, so that a worker builds its executors'
#                                      class path from jars/ instead of looking for Spark's own build folders
#   spark/target/spark-home/conf/      log4j2.properties: warnings and errors only, and the master's and workers'
#                                      start-up lines
# Workers started from it also need SPARK_SCALA_VERSION=2.13 (cluster-check.sh sets it).
# Exits 3, with the reason on standard error, when the jars cannot be resolved (offline without them in ~/.m2).
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$module/target/spark-home"

# Maven runs on Java 25 like the rest of the build (the launcher's choice: JAVA_HOME when it is 25+, else Temurin 25).
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  JAVA_HOME="$(ls -d /usr/lib/jvm/temurin-2[5-9]* 2>/dev/null | head -n1)"
  [ -n "$JAVA_HOME" ] || { echo "spark-home.sh: needs Java 25 (set JAVA_HOME)" >&2; exit 3; }
  export JAVA_HOME
fi

property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$module/pom.xml" | head -n1; }
spark_version="$(property spark.version)"
scala_version="$(property scala.binary.version)"

if [ ! -f "$home/.complete" ] || [ "$(cat "$home/.complete")" != "$spark_version" ]; then
  command -v mvn >/dev/null 2>&1 || { echo "spark-home.sh: needs Apache Maven to resolve the Spark jars" >&2; exit 3; }
  rm -rf "$home"
  mkdir -p "$home/jars"
  resolve() {
    MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -ntp -q "$@" \
      -f "$module/distribution/pom.xml" -Dspark.version="$spark_version" -Dscala.binary.version="$scala_version" \
      dependency:copy-dependencies -DoutputDirectory="$home/jars" >"$module/target/spark-home.log" 2>&1
  }
  # Offline first (the build has normally resolved Spark already), then from Maven Central.
  if ! resolve -o && ! resolve; then
    echo "spark-home.sh: could not resolve Spark $spark_version (Scala $scala_version) through Maven; see $module/target/spark-home.log" >&2
    rm -rf "$home"
    exit 3
  fi
  echo "$spark_version" >"$home/.complete"
fi
mkdir -p "$home/conf"
# Written on every call (cheap), so that a change here takes effect without resolving the jars again.
: >"$home/RELEASE"
cat >"$home/conf/log4j2.properties" <<'LOG4J'
# Spark's JVMs started from this SPARK_HOME log warnings and errors only (Spark's default is INFO).
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
# The master's and workers' start-up lines (their addresses, registrations, executors launched and lost).
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
LOG4J
echo "$home"
