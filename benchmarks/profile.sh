#!/usr/bin/env bash
# Per-file and per-GB cost of the bulk engine, client and server (issue 10, "profile first"):
#
#   benchmarks/profile.sh [--quick] [WORKLOAD...]   WORKLOAD among session-download project-download
#                                                   session-upload project-upload (default: all four)
#   benchmarks/profile.sh --startup                 JVM start-up of the CLI and of the driver: default,
#                                                   -XX:TieredStopAtLevel=1, AppCDS, both
#
# For each workload, against one standalone testkit (SESSION 1,000 x 512 KiB, PROJECT 200 x 50 x 16 KiB; --quick:
# one fifth), three separate runs of our driver (concurrency 8), so that no tool disturbs another's figures:
#   1. counts: CPU seconds (user+system) of the client (GNU time) and of the server (/proc/PID/stat), context
#      switches of the client (perf stat, all threads) and of the server (sum over /proc/PID/task/*/status);
#   2. strace -c -f on the client and on the server: system calls per file, futex calls per file;
#   3. where the CPU goes: async-profiler (cpu, 1 ms, from Maven Central: tools.profiler:async-profiler) on the
#      client and (loaded through jcmd) on the server, bucketed by benchmarks/stacks.py; without async-profiler,
#      JFR's hot methods (jfr view, JDK 21+), which see only threads running Java code.
# Counts and CPU seconds are reported because wall-clock times are noisy on a shared machine.
# Needs: Java 17, GNU time, strace, perf (software events); async-profiler is fetched with ./mvnw dependency:get
# (ASYNC_PROFILER_LIB points to another libasyncProfiler.so); the JFR fallback needs a JDK 21+ for `jfr view`
# (JFR_JDK, default the newest /usr/lib/jvm/*). Builds first unless BENCH_SKIP_BUILD=1.
# Keeps its files (recordings, strace tables) in $PROFILE_OUT (default benchmarks/target/profile).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0
STARTUP=0
WORKLOADS=()
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    --startup) STARTUP=1 ;;
    session-download|project-download|session-upload|project-upload) WORKLOADS+=("$a") ;;
    *) echo "usage: $0 [--quick] [--startup] [session-download|project-download|session-upload|project-upload...]" >&2
       exit 2 ;;
  esac
done
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(session-download project-download session-upload project-upload)
OUT=${PROFILE_OUT:-$ROOT/benchmarks/target/profile}
mkdir -p "$OUT"
W=$(mktemp -d /tmp/xnat-profile.XXXXXX)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill $SERVER_PID 2>/dev/null; rm -rf "$W"' EXIT
AP_VERSION=4.1
AP_LIB=${ASYNC_PROFILER_LIB:-$OUT/libasyncProfiler.so}
if [ ! -f "$AP_LIB" ]; then
  AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
  [ -f "$AP_JAR" ] || ./mvnw -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION \
    -Dtransitive=false >&2 || true
  if [ -f "$AP_JAR" ]; then unzip -o -q -j "$AP_JAR" linux-x64/libasyncProfiler.so -d "$OUT"; else AP_LIB=; fi
fi
JFR_JDK=${JFR_JDK:-$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -1 || true)}
HZ=$(getconf CLK_TCK)

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "building..." >&2
  ./mvnw -q package -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true >&2
fi
TESTKIT=$ROOT/xnat-reactive-testkit/target/xnat-reactive-testkit.jar
BENCH=$ROOT/benchmarks/target/xnat-reactive-benchmarks.jar
CLI=$ROOT/xnat-reactive-cli/target/xnat-reactive.jar
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"

ms() { echo $(($(date +%s%N) / 1000000)); }

if [ $STARTUP = 1 ]; then
  # median of 7 runs, wall-clock milliseconds
  med() {
    local t=() s e
    for _ in 1 2 3 4 5 6 7; do s=$(ms); "$@" > /dev/null 2>&1; e=$(ms); t+=($((e - s))); done
    printf '%s\n' "${t[@]}" | sort -n | sed -n 4p
  }
  java -jar "$TESTKIT" --port 0 --data "$W/data" --user admin:admin --seed TINY:1x1x1x1x1K > "$W/url" 2> "$W/server.log" &
  SERVER_PID=$!
  until [ -s "$W/url" ]; do sleep 0.2; done
  URL=$(head -1 "$W/url")
  TRIVIAL=(download --server "$URL" --user admin --password admin --project TINY --dest "$W/tiny")
  java -XX:ArchiveClassesAtExit="$W/cli.jsa" -jar "$CLI" --version > /dev/null 2>&1
  rm -rf "$W/tiny"; java -XX:ArchiveClassesAtExit="$W/bench.jsa" -jar "$BENCH" "${TRIVIAL[@]}" > /dev/null 2>&1
  printf '%-44s %10s %10s\n' "median of 7, ms" "default" "AppCDS"
  for flags in "" "-XX:TieredStopAtLevel=1"; do
    a=$(med java $flags -jar "$CLI" --version)
    b=$(med java $flags -XX:SharedArchiveFile="$W/cli.jsa" -jar "$CLI" --version)
    printf '%-44s %10s %10s\n' "CLI --version ${flags:-}" "$a" "$b"
    a=$(med sh -c "rm -rf $W/tiny; java $flags -jar $BENCH ${TRIVIAL[*]}")
    b=$(med sh -c "rm -rf $W/tiny; java $flags -XX:SharedArchiveFile=$W/bench.jsa -jar $BENCH ${TRIVIAL[*]}")
    printf '%-44s %10s %10s\n' "driver, 1-file download ${flags:-}" "$a" "$b"
  done
  ls -l "$W/cli.jsa" "$W/bench.jsa" | awk '{ printf "archive %s: %.1f MB\n", $NF, $5 / 1e6 }'
  exit 0
fi

if [ $QUICK = 1 ]; then SESSION=1x1x1x200x512K; PROJECT=40x1x1x50x16K; else SESSION=1x1x1x1000x512K; PROJECT=200x1x1x50x16K; fi
echo "seeding and starting the testkit..." >&2
java -jar "$TESTKIT" --port 0 --data "$W/data" --user admin:admin --seed SESSION:$SESSION --seed PROJECT:$PROJECT \
  > "$W/url" 2> "$W/server.log" &
SERVER_PID=$!
until [ -s "$W/url" ]; do kill -0 $SERVER_PID || { cat "$W/server.log" >&2; exit 1; }; sleep 0.2; done
URL=$(head -1 "$W/url")

cpu_ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }
ctx_sum() { cat /proc/$1/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n }'; }

RUN=0
# mkcmd WORKLOAD [java options...]: sets CMD to one run of our side of WORKLOAD, into a fresh folder / project
mkcmd() {
  local wl=$1; shift
  local p=${wl%%-*}; p=${p^^}
  RUN=$((RUN + 1))
  case "$wl" in
    *-download)
      rm -rf "$W/dl-$p"
      CMD=(java "$@" -jar "$BENCH" download --server "$URL" --user admin --password admin --project $p
           --dest "$W/dl-$p" --concurrency 8) ;;
    *-upload)
      CMD=(java "$@" -jar "$BENCH" upload --server "$URL" --user admin --password admin --project UP_${p}_$RUN
           --dir "$W/src-$p" --concurrency 8) ;;
  esac
}

for WL in "${WORKLOADS[@]}"; do
  P=${WL%%-*}; P=${P^^}
  if [[ $WL == *upload ]] && [ ! -d "$W/src-$P" ]; then
    echo "preparing the $P tree to upload..." >&2
    mkcmd ${P,,}-download; "${CMD[@]}" > /dev/null; mv "$W/dl-$P" "$W/src-$P"
  fi
  echo "== $WL" >&2
  # 1. counts
  s0=$(cpu_ticks $SERVER_PID); c0=$(ctx_sum $SERVER_PID)
  mkcmd $WL
  LINE=$(perf stat -x, -e context-switches -o "$OUT/$WL.perf" -- \
         /usr/bin/time -f '%U %S %M %w %c' -o "$OUT/$WL.time" "${CMD[@]}" | grep '^RESULT')
  s1=$(cpu_ticks $SERVER_PID); c1=$(ctx_sum $SERVER_PID)
  # 2. strace, client and server (separate run: strace slows everything down, counts stay meaningful)
  strace -c -f -q -p $SERVER_PID -o "$OUT/$WL.server.strace" &
  ST=$!
  sleep 1
  mkcmd $WL
  strace -c -f -q -o "$OUT/$WL.client.strace" "${CMD[@]}" > /dev/null
  kill -INT $ST; wait $ST 2>/dev/null || true
  # 3. where the CPU goes: async-profiler on both (the server's loaded through jcmd), JFR if it is missing
  if [ -n "$AP_LIB" ]; then
    # jcmd parses NAME=VALUE itself: the agent's options go in double quotes
    jcmd $SERVER_PID JVMTI.agent_load "$AP_LIB" \
      "\"start,event=cpu,interval=1ms,threads,file=$OUT/$WL.server.collapsed,collapsed\"" > /dev/null
    mkcmd $WL -agentpath:"$AP_LIB"=start,event=cpu,interval=1ms,threads,file="$OUT/$WL.client.collapsed",collapsed
    "${CMD[@]}" > /dev/null 2>&1
    jcmd $SERVER_PID JVMTI.agent_load "$AP_LIB" "\"stop,file=$OUT/$WL.server.collapsed,collapsed\"" > /dev/null
  else
    jcmd $SERVER_PID JFR.start name=prof settings=profile filename="$OUT/$WL.server.jfr" > /dev/null
    mkcmd $WL -XX:StartFlightRecording=settings=profile,filename="$OUT/$WL.client.jfr"
    "${CMD[@]}" > /dev/null 2>&1
    jcmd $SERVER_PID JFR.stop name=prof > /dev/null
  fi
  python3 - "$WL" "$LINE" "$OUT/$WL.time" "$OUT/$WL.perf" $((s1 - s0)) $HZ $((c1 - c0)) \
      "$OUT/$WL.client.strace" "$OUT/$WL.server.strace" <<'PY'
import re, sys
wl, line, timef, perff, sticks, hz, sctx, cstrace, sstrace = sys.argv[1:]
r = dict(kv.split('=', 1) for kv in line.split()[1:])
files, b, secs = int(r['files']), int(r['bytes']), float(r['seconds'])
u, s, rss, wvol, winv = open(timef).read().split()[:5]
ccpu = float(u) + float(s)
scpu = int(sticks) / int(hz)
cctx = next(int(l.split(',')[0]) for l in open(perff) if 'context-switches' in l)
def strace(path):
    calls, top = 0, []
    for l in open(path):
        p = l.split()
        if len(p) >= 5 and p[0][0].isdigit() and p[-1] != 'total':
            n = int(p[3]); calls += n; top.append((n, p[-1]))
        elif p and p[-1] == 'total':
            pass
    top.sort(reverse=True)
    return calls, dict((name, n) for n, name in top), top[:6]
cc, cmap, ctop = strace(cstrace)
sc, smap, stop = strace(sstrace)
gb = b / 1e9
print('%s: %d files, %.1f MB, %.2f s (wall clock, noisy)' % (wl, files, b / 1e6, secs))
print('  CPU s        client %.2f (user %s, sys %s) = %.1f s/GB, %.2f ms/file;  server %.2f = %.1f s/GB, %.2f ms/file'
      % (ccpu, u, s, ccpu / gb, ccpu * 1e3 / files, scpu, scpu / gb, scpu * 1e3 / files))
print('  ctx switches client %.1f/file (perf, all threads);  server %.1f/file (sum of its threads)'
      % (cctx / files, int(sctx) / files))
# gettid and sysinfo come from the JIT compiler threads (ciEnv, CompileBroker), not from moving files
jit = lambda m: m.get('gettid', 0) + m.get('sysinfo', 0)
print('  syscalls     client %.1f/file (%.1f without the JIT\'s gettid/sysinfo), futex %.1f/file;'
      '  server %.1f/file (%.1f), futex %.1f/file'
      % (cc / files, (cc - jit(cmap)) / files, cmap.get('futex', 0) / files, sc / files, (sc - jit(smap)) / files,
         smap.get('futex', 0) / files))
print('  client top:  ' + ', '.join('%s %.1f' % (n, c / files) for c, n in ctop))
print('  server top:  ' + ', '.join('%s %.1f' % (n, c / files) for c, n in stop))
print('  client max RSS %d MiB' % (int(rss) // 1024))
PY
  FILES=$(sed -nE 's/.* files=([0-9]+).*/\1/p' <<< "$LINE")
  for side in client server; do
    if [ -n "$AP_LIB" ]; then
      echo "  $side CPU by kind (async-profiler, $OUT/$WL.$side.collapsed):"
      python3 benchmarks/stacks.py "$OUT/$WL.$side.collapsed" "$FILES"
    else
      # JFR samples only threads running Java code: few samples when the time goes to system calls
      [ -z "$JFR_JDK" ] || "$JFR_JDK/bin/jfr" view --width 160 hot-methods "$OUT/$WL.$side.jfr" 2>/dev/null | sed -n '5,16p'
    fi
  done
  rm -rf "$W/dl-SESSION" "$W/dl-PROJECT"
done
