#!/usr/bin/env bash
# End-to-end benchmark: the same workloads against the same standalone testkit with our bulk engine, curl
# (one process, 8 transfers at a time) and pyxnat (Debian's python3-pyxnat: per-file loop and zip).
#
#   benchmarks/run.sh             full workloads (about 1.5 GB of transfers; pyxnat loops take a few minutes)
#   benchmarks/run.sh --quick     one fifth of the files
#   benchmarks/run.sh --memory    only the flat-memory check: a 2 GiB session downloaded with -Xmx128m
#
# Needs: Java 17, curl, /usr/bin/python3 with pyxnat (apt-get install python3-pyxnat). Builds the project first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-full}
PY=/usr/bin/python3
USER_PW=admin:admin
W=$(mktemp -d /tmp/xnat-bench.XXXXXX)
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$W"' EXIT

case "$MODE" in
  --quick) SESSION=1x1x1x200x512K; PROJECT=40x1x1x50x16K ;;
  --memory) ;;
  full) SESSION=1x1x1x1000x512K; PROJECT=200x1x1x50x16K ;;
  *) echo "usage: $0 [--quick|--memory]" >&2; exit 2 ;;
esac

echo "building..." >&2
./mvnw -q install -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true >&2
TESTKIT=$ROOT/xnat-reactive-testkit/target/xnat-reactive-testkit.jar
BENCH=$ROOT/benchmarks/target/xnat-reactive-benchmarks.jar

start_server() {
  echo "seeding and starting the testkit ($*)..." >&2
  java -jar "$TESTKIT" --port 0 --data "$W/data" --user $USER_PW "$@" > "$W/url" 2> "$W/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    [ -s "$W/url" ] && break
    kill -0 $SERVER_PID 2>/dev/null || { cat "$W/server.log" >&2; exit 1; }
    sleep 0.5
  done
  URL=$(head -1 "$W/url")
}

result() { # tool workload direction output-of-tool
  local line
  line=$(grep '^RESULT' <<< "$4" | tail -1)
  local files bytes secs
  files=$(sed -E 's/.*files=([0-9]+).*/\1/' <<< "$line")
  bytes=$(sed -E 's/.*bytes=([0-9]+).*/\1/' <<< "$line")
  secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<< "$line")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$1" "$files" "$bytes" "$secs" >> "$W/results.tsv"
  awk -v t="$1" -v f="$files" -v b="$bytes" -v s="$secs" \
    'BEGIN { printf "  %-22s %6s files %9.1f MB %8.2f s %8.1f MB/s\n", t, f, b / 1e6, s, b / 1e6 / s }' >&2
}

if [ "$MODE" = --memory ]; then
  start_server --seed MEM:1x1x1x2048x1M
  echo "downloading a 2 GiB session with -Xmx128m..." >&2
  OUT=$(/usr/bin/time -v java -Xmx128m -jar "$BENCH" download --server "$URL" --user admin --password admin \
        --project MEM --dest "$W/mem" --concurrency 8 2> "$W/time.txt")
  echo "$OUT"
  grep -E "Maximum resident set size|Elapsed" "$W/time.txt"
  exit 0
fi

start_server --seed SESSION:$SESSION --seed PROJECT:$PROJECT
: > "$W/results.tsv"
for WL in SESSION PROJECT; do
  echo "download $WL" >&2
  result ours "$WL" download "$(java -jar "$BENCH" download --server "$URL" --user admin --password admin --project $WL --dest "$W/ours-$WL" --concurrency 8)"
  result curl-x8 "$WL" download "$($PY benchmarks/curl_bench.py download "$URL" admin admin $WL "$W/curl-$WL")"
  result pyxnat-get-loop "$WL" download "$($PY benchmarks/pyxnat_bench.py get-loop "$URL" admin admin $WL "$W/py-$WL")"
  result pyxnat-zip "$WL" download "$($PY benchmarks/pyxnat_bench.py zip "$URL" admin admin $WL "$W/pyzip-$WL")"
  rm -rf "$W/curl-$WL" "$W/py-$WL" "$W/pyzip-$WL"
  echo "upload $WL" >&2
  result ours "$WL" upload "$(java -jar "$BENCH" upload --server "$URL" --user admin --password admin --project UP_OURS_$WL --dir "$W/ours-$WL" --concurrency 8)"
  result curl-x8 "$WL" upload "$($PY benchmarks/curl_bench.py upload "$URL" admin admin UP_CURL_$WL "$W/ours-$WL")"
  result pyxnat-put-loop "$WL" upload "$($PY benchmarks/pyxnat_bench.py put-loop "$URL" admin admin UP_PY_$WL "$W/ours-$WL")"
  result pyxnat-put-zip "$WL" upload "$($PY benchmarks/pyxnat_bench.py put-zip "$URL" admin admin UP_PYZ_$WL "$W/ours-$WL")"
  rm -rf "$W/ours-$WL"
done

echo
echo "workload  direction  tool               files        MB        s      MB/s   ours/this"
$PY - "$W/results.tsv" <<'PY'
import sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
ours = {(r[0], r[1]): int(r[4]) / float(r[5]) for r in rows if r[2] == 'ours'}
for wl, d, tool, files, b, s in rows:
    rate = int(b) / float(s)
    print('%-9s %-10s %-16s %7s %9.1f %8.2f %9.1f %10.2fx' % (wl, d, tool, files, int(b) / 1e6, float(s), rate / 1e6,
                                                              ours[(wl, d)] / rate))
PY
