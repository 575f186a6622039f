#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest in agent/src/test/java for SECONDS each, one JVM per fuzz test (Jazzer fuzzes one
# per JVM), with Jazzer's coverage instrumentation and bug detectors on, and prints executions, time and findings
# per test. `./mvnw verify` only replays the seed corpora (src/test/resources/<package>/<Class>Inputs/<method>/);
# this is the real fuzzing.
#
#   bench/fuzz.sh                 # 10 s each: the short run CI does after verify (.ci/run)
#   SECONDS_EACH=600 bench/fuzz.sh # the long run (docs/testing.md, "Fuzzing")
#   ONLY=TemplateFuzzTest bench/fuzz.sh
# Env: SECONDS_EACH (10), ONLY (a substring of Class::method to select tests), HEAP (512m: an input of a few KiB
#      that needs more is a finding), WORK (agent/target/fuzz: the generated corpus, kept between runs, and logs).
# A finding (an exception other than the parser's own user error, an Error such as OutOfMemoryError or
# StackOverflowError, a 10 s hang, a bug detector's report) is copied into the test's seed directory, so it
# replays in every build from then on, and the script exits 1. Fix it, keep the input, commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-10} ONLY=${ONLY:-} HEAP=${HEAP:-512m}
WORK=$(mkdir -p "${WORK:-agent/target/fuzz}" && cd "${WORK:-agent/target/fuzz}" && pwd)
ROOT=$(pwd)

./mvnw -B -q -o -pl agent test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test >&2
# A copy of the compiled classes, so a build running meanwhile cannot change them under the fuzzer.
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
cp -r agent/target/classes "$WORK/classes/main" && cp -r agent/target/test-classes "$WORK/classes/test"
CP="$WORK/classes/test:$WORK/classes/main:$(cat "$WORK/classpath")"

# Class::method for every @FuzzTest (the first method declared after the annotation).
tests=()
while IFS= read -r f; do
  cls=${f#agent/src/test/java/}
  cls=${cls%.java}
  cls=${cls//\//.}
  while IFS= read -r m; do
    tests+=("$cls::$m")
  done < <(awk '/@FuzzTest/ {want = 1} want && match($0, /void [A-Za-z0-9_]+\(/) {
                  print substr($0, RSTART + 5, RLENGTH - 6); want = 0 }' "$f")
done < <(grep -rl '@FuzzTest' agent/src/test/java | sort)

status=0
printf '%-72s %10s %6s %8s %s\n' 'fuzz test' executions 's' 'exec/s' 'findings' >"$WORK/summary.txt"
for t in "${tests[@]}"; do
  [[ -z "$ONLY" || "$t" == *"$ONLY"* ]] || continue
  cls=${t%%::*} method=${t##*::}
  log="$WORK/$cls.$method.log"
  run="$WORK/run/$cls.$method"
  rm -rf "$run" && mkdir -p "$run"
  start=$(date +%s)
  # Findings land in the working directory ($run); the generated corpus under $WORK/.cifuzz-corpus via the link.
  ln -sfn "$WORK/.cifuzz-corpus" "$run/.cifuzz-corpus"
  mkdir -p "$WORK/.cifuzz-corpus"
  set +e
  (cd "$run" && java -Xmx"$HEAP" --add-modules jdk.incubator.vector -cp "$CP" \
    -Djazzer.hooks=true -Djazzer.fuzz=true \
    com.code_intelligence.jazzer.Jazzer --target_class="$cls" --target_method="$method" \
    -max_total_time="$SECONDS_EACH") >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(($(date +%s) - start))
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
  if [ -z "$runs" ]; then # stopped by a finding: the last status line has the count
    runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    secs=$elapsed
  fi
  findings=""
  pkgdir="agent/src/test/resources/$(dirname "${cls//.//}")"
  seeds="$pkgdir/${cls##*.}Inputs/$method"
  for c in "$run"/crash-* "$run"/timeout-* "$run"/oom-*; do
    [ -e "$c" ] || continue
    mkdir -p "$seeds"
    cp "$c" "$seeds/"
    findings="$findings $seeds/$(basename "$c")"
  done
  if [ "$rc" -ne 0 ] && [ -z "$findings" ]; then
    findings=" exit status $rc, see $log"
  fi
  [ -z "$findings" ] || status=1
  printf '%-72s %10s %6s %8s %s\n' "$t" "${runs:-0}" "${secs:-$elapsed}" \
    "$(( ${runs:-0} / (${secs:-1} > 0 ? ${secs:-1} : 1) ))" "${findings:- none}" | tee -a "$WORK/summary.txt" >&2
  if [ -n "$findings" ]; then
    grep -A12 -m1 '== Java Exception' "$log" >&2 || tail -20 "$log" >&2
  fi
done
cat "$WORK/summary.txt"
exit $status
