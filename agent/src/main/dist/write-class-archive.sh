#!/bin/sh
# Lays out the vecwatch distribution in DIR (DIR/vecwatch.jar must exist): DIR/bin/vecwatch, and the class-data
# archive DIR/vecwatch.jsa that bin/vecwatch passes to the JVM. The archive holds the classes a start of the
# embedded demo and a first scrape load, already parsed and verified, so the next start skips that work. It is
# tied to this jar and this JVM; when either changes, the JVM ignores it (and starts slower), so the build and the
# container image each write their own.
#   agent/src/main/dist/write-class-archive.sh agent/target
set -eu
src=$(cd "$(dirname "$0")" && pwd -P)
dir=$(cd "$1" && pwd -P)
mkdir -p "$dir/bin"
cp "$src/bin/vecwatch" "$dir/bin/vecwatch"
chmod 755 "$dir/bin/vecwatch"
rm -f "$dir/vecwatch.jsa"
log=$(mktemp)
# port 0: any free port, so builds running side by side do not collide
if VECWATCH_JAVA_OPTS="-XX:ArchiveClassesAtExit=$dir/vecwatch.jsa -Dvecwatch.cds.training=true" \
    "$dir/bin/vecwatch" run --web.listen-address 127.0.0.1:0 >"$log" 2>&1 && [ -f "$dir/vecwatch.jsa" ]; then
  rm -f "$log"
else
  cat "$log" >&2
  rm -f "$log"
  echo "write-class-archive: could not write $dir/vecwatch.jsa (vecwatch still runs without it, starting slower)" >&2
fi
