#!/usr/bin/env bash
# Ingest benchmark: STUDIES studies x FILES DICOM files of SIZE bytes imported through the import service into a
# project's prearchive, by `xnat-reactive import` (headers read on the client, one zip per study built while it is
# sent, CONCURRENCY studies at a time, JVM start-up included) and by a loop of curl posts of per-study zips made
# beforehand (zipping not timed). Both against one standalone testkit on this machine.
#
#   benchmarks/ingest.sh                       20 studies x 200 files of 16 KiB
#   STUDIES=5 FILES=50 benchmarks/ingest.sh    smaller
#
# Needs: Java 17, curl, zip. Builds the jars first unless BENCH_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STUDIES=${STUDIES:-20}
FILES=${FILES:-200}
SIZE=${SIZE:-16K}
CONCURRENCY=${CONCURRENCY:-4}
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q package -DskipTests -Dmaven.javadoc.skip=true -pl xnat-reactive-cli -am
fi
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
java -jar xnat-reactive-testkit/target/xnat-reactive-testkit.jar --port 0 --data "$WORK/data" --user admin:admin \
  --seed "SRC:${STUDIES}x1x1x${FILES}x${SIZE}" > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER=$!
for _ in $(seq 1 600); do
  URL=$(grep -m1 -E '^https?://' "$WORK/server.out" || true)
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { echo "the testkit did not start" >&2; exit 1; }
export XNAT_HOST=$URL XNAT_USER=admin XNAT_PASS=admin
CLI=(java -jar xnat-reactive-cli/target/xnat-reactive.jar)
# the seeded files are real DICOM: download them once as the tree to ingest
"${CLI[@]}" download --project SRC --dest "$WORK/tree" -q > /dev/null
find "$WORK/tree" -name xnat-session.json -delete
BYTES=$(find "$WORK/tree" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
COUNT=$(find "$WORK/tree" -type f | wc -l)
for p in OURS CURL; do
  curl -sf -u admin:admin -X PUT "$URL/data/projects/$p" > /dev/null
done

start=$(date +%s.%N)
"${CLI[@]}" import "$WORK/tree" --project OURS --dest prearchive --concurrency "$CONCURRENCY" -q > "$WORK/ours.out"
ours=$(echo "$(date +%s.%N) - $start" | bc)

mkdir -p "$WORK/zips"
for d in "$WORK"/tree/SRC/*/*; do
  (cd "$d" && zip -q -0 -r "$WORK/zips/$(basename "$d").zip" .)
done
start=$(date +%s.%N)
for z in "$WORK"/zips/*.zip; do
  curl -sf -u admin:admin -H 'Content-Type: application/zip' --data-binary "@$z" \
    "$URL/data/services/import?PROJECT_ID=CURL&dest=/prearchive/projects/CURL" > /dev/null
done
curl_s=$(echo "$(date +%s.%N) - $start" | bc)

sessions() {
  curl -sf -u admin:admin "$URL/data/prearchive/projects/$1?format=csv" | tail -n +2 | wc -l
}
echo "ingest of $STUDIES studies x $FILES files ($COUNT files, $BYTES bytes):"
tail -1 "$WORK/ours.out"
for row in "ours-import-x$CONCURRENCY $ours OURS" "curl-loop $curl_s CURL"; do
  set -- $row
  awk -v n="$1" -v t="$2" -v f="$COUNT" -v b="$BYTES" -v s="$(sessions "$3")" \
    'BEGIN {printf "%-18s %7.2f s  %8.0f files/s  %7.1f MB/s  %d sessions\n", n, t, f / t, b / t / 1e6, s}'
done
