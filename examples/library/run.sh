#!/usr/bin/env bash
# Builds and runs the library example as a user's project would: installs Tempora's artifacts into the
# local Maven repository, then compiles examples/library against tempora-forecast and runs ForecastExample.
#   examples/library/run.sh [output directory]        (default examples/library/target/example)
# TEMPORA_M2=/path uses that local Maven repository instead of ~/.m2/repository (for both builds).
set -euo pipefail
example="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$example/../.." && pwd)"
out="${1:-$example/target/example}"

java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_java_home() { # as ./tempora does: JAVA_HOME when it is 25+, else the newest Temurin 25+ under /usr/lib/jvm
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    local v; v=$(java_major "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; return; fi
  fi
  local d
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[6-9]* /usr/lib/jvm/temurin-[3-9][0-9]*; do
    if [ -x "$d/bin/java" ]; then echo "$d"; return; fi
  done
  return 1
}

fail() { echo "examples/library: $*" >&2; exit 2; }

JAVA_HOME="$(find_java_home)" || fail "needs Java 25 or newer (JAVA_HOME is '${JAVA_HOME:-unset}' and no /usr/lib/jvm/temurin-25* exists)"
export JAVA_HOME
command -v mvn >/dev/null 2>&1 || fail "needs Apache Maven ('apt install maven')"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" # Maven 3.8's own Unsafe warning on Java 25
maven=(mvn -B -ntp)
if [ -n "${TEMPORA_M2:-}" ]; then
  maven+=("-Dmaven.repo.local=$TEMPORA_M2")
fi

# Maven's output goes to a log, shown only when a step fails, so that the example's rows stand alone.
log="$example/target/build.log"
mkdir -p "$example/target"
build() { # build DIRECTORY WHAT MAVEN-ARGS...: runs Maven in DIRECTORY, or shows the log's end and stops
  local dir="$1" what="$2"; shift 2
  if ! (cd "$dir" && "${maven[@]}" "$@") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "$what failed; the whole Maven output is in $log"
  fi
}

echo "examples/library: installing Tempora's artifacts (mvn install -DskipTests in $root)..." >&2
build "$root" "installing Tempora" install -DskipTests -Dmaven.javadoc.skip=true -Dtempora.docs.skip=true
echo "examples/library: compiling the example against dev.tempora:tempora-forecast..." >&2
classpath_file="$example/target/classpath.txt"
build "$example" "compiling the example" compile dependency:build-classpath -Dmdep.outputFile="$classpath_file"

echo "examples/library: running ForecastExample (output in $out)" >&2
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
  -cp "$example/target/classes:$(cat "$classpath_file")" dev.tempora.examples.ForecastExample "$out"
