#!/usr/bin/env bash
# Runs a benchmark main of the bench module, building the module (and core, storage,
# transactor, calcite-adapter, driver) first when their sources are newer than the last build.
#
#   bench/run.sh                      # TxBench: both workloads, Datomic and Accrete
#   bench/run.sh TxBench --workload single --iterations 5
#   bench/run.sh TxBench --side accrete --jfr bench/target/jfr
#   bench/run.sh QueryBench --query q1,q2-switch --warmup 6 --iterations 4
#   bench/run.sh QueryCheck           # both systems give the same query answers
#   bench/run.sh StorageBench --quick # durable storage: import, tx/s, bytes/datom, queries, plain PostgreSQL
#   bench/run.sh TpchBench            # SQL: the 22 TPC-H queries, Accrete vs PostgreSQL, and AS OF cost
#   bench/run.sh NetBench             # transactions in-process vs through a transactor process; peer queries
#   REBUILD=1 bench/run.sh            # force a build
#
# The first argument names a main class in io.accrete.bench (default TxBench); the rest are
# passed to it. Set JAVA to choose the java binary, HEAP for -Xmx (default 1g; 4g for
# StorageBench, which holds a million-datom database in memory several times over; 8g for
# TpchBench, which holds TPC-H at SF 0.1 as about 10 million datoms).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cp_file="$here/target/classpath.txt"
stamp="$here/target/.run-sh-built"   # Maven leaves classpath.txt untouched when unchanged

needs_build() {
  [[ "${REBUILD:-0}" == 1 ]] && return 0
  [[ -f "$cp_file" && -f "$stamp" && -d "$here/target/classes" ]] || return 0
  [[ -n "$(find "$root/pom.xml" "$here/pom.xml" "$here/src" "$root/core/pom.xml" "$root/core/src" \
      "$root/storage/pom.xml" "$root/storage/src/main" "$root/transactor/pom.xml" "$root/transactor/src/main" \
      "$root/calcite-adapter/pom.xml" "$root/calcite-adapter/src" "$root/driver/pom.xml" "$root/driver/src/main" \
      -newer "$stamp" -type f -print -quit)" ]]
}

if needs_build; then
  echo "run.sh: building bench (mvn -q -o -pl bench -am package -DskipTests)" >&2
  (cd "$root" && mvn -q -o -pl bench -am package -DskipTests)
  touch "$stamp"
fi

main="TxBench"
if [[ $# -gt 0 && "$1" != -* ]]; then
  main="$1"
  shift
fi
[[ "$main" == *.* ]] || main="io.accrete.bench.$main"

heap="${HEAP:-1g}"
if [[ -z "${HEAP:-}" && "$main" == *.StorageBench ]]; then
  heap=4g
fi
if [[ -z "${HEAP:-}" && "$main" == *.TpchBench ]]; then
  heap=8g
fi
exec "${JAVA:-java}" "-Xmx$heap" -cp "$here/target/classes:$(cat "$cp_file")" "$main" "$@"
