#!/usr/bin/env bash
# End-to-end benchmark: the same workloads against the same standalone testkit with our bulk engine, curl
# (one process, 8 transfers at a time) and pyxnat (Debian's python3-pyxnat: per-file loop and zip), then the goals
# table of issue 10 with each figure measured and met / NOT MET.
#
#   benchmarks/run.sh                  full run: SESSION, PROJECT, PROJECT-LATENCY, the 1,000,000-file job
#   benchmarks/run.sh --quick          one fifth of the files; the big job has 100,000 files
#   benchmarks/run.sh --memory         only the flat-memory check: a 2 GiB session downloaded with -Xmx128m
#   benchmarks/run.sh --million        only the big job (1,000,000 files of 1 KiB, -Xmx256m)
#
# Options (after the mode): --files N       size of the big job (default 1000000; --quick 100000)
#                           --no-million    leave the big job out of a full or quick run
#                           --no-pyxnat     leave the pyxnat tools out (the goals need pyxnat-zip for PROJECT)
#                           --archive MODE  passed to our driver (auto|always|never; ignored by engines without it)
#                           --option K=V    passed to our driver (TransferOptions.K(V), ignored if absent)
#                           --no-cds        run our driver with plain `java -jar` instead of the CLI's launcher
#                           --java DIR      the JDK (a JAVA_HOME) our driver runs on; on Java 25+ the launcher's
#                                           untimed first run trains its AOT cache (XNAT_REACTIVE_AOT=train)
#                           --no-daemon     leave out ours-daemon (the CLI's own commands through its daemon)
#                           --rounds N      measure ours, ours-daemon, curl-x8 and pyxnat's zips N times on SESSION
#                                           and PROJECT, in turn, and count each with its median (default 3; one
#                                           time per figure swings by a third on a 2-core machine); the pyxnat
#                                           loops run once
#
# Needs: Java 17, curl, GNU time, /usr/bin/python3 with pyxnat (apt-get install python3-pyxnat). Builds first.
# Set BENCH_SKIP_BUILD=1 to use the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=full
case "${1:-}" in
  --quick|--memory|--million) MODE=$1; shift ;;
  full) shift ;;
esac
MILLION_FILES=
WITH_MILLION=1
WITH_PYXNAT=1
WITH_CDS=1
WITH_DAEMON=1
ROUNDS=3
OURS_JAVA_HOME=
DRIVER_OPTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --files) MILLION_FILES=$2; shift 2 ;;
    --no-million) WITH_MILLION=0; shift ;;
    --no-pyxnat) WITH_PYXNAT=0; shift ;;
    --no-cds) WITH_CDS=0; shift ;;
    --no-daemon) WITH_DAEMON=0; shift ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --java) OURS_JAVA_HOME=$2; shift 2 ;;
    --archive|--option) DRIVER_OPTS+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--quick|--memory|--million] [--files N] [--no-million] [--no-pyxnat]" \
            "[--archive MODE] [--option K=V] [--no-cds] [--no-daemon] [--rounds N] [--java DIR]" >&2; exit 2 ;;
  esac
done
case "$ROUNDS" in ''|*[!0-9]*|0) echo "--rounds takes a positive number, not '$ROUNDS'" >&2; exit 2 ;; esac
PY=/usr/bin/python3
USER_PW=admin:admin
# Nothing is deleted until the run ends: on ext4 without a journal (this machine's disk), creating a file skips over
# every inode of its group deleted in the last 60 to 300 seconds, so a tool that ran right after a large rm paid
# several times the file system cost of one that did not (docs/benchmarks.md, "The file system"). And each tool
# starts after a sync, with nothing of the earlier tools' writes still waiting for writeback.

W=$(mktemp -d /tmp/xnat-bench.XXXXXX)
SERVER_PIDS=()
DAEMON_PID=
DAEMON_SCRATCH=
cleanup() {
  if [ -n "$DAEMON_PID" ]; then kill "$DAEMON_PID" 2>/dev/null || true; fi
  if [ -n "$DAEMON_SCRATCH" ]; then rm -rf "$DAEMON_SCRATCH"; fi
  for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${SERVER_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

case "$MODE" in
  --quick) SESSION=1x1x1x200x512K; PROJECT=40x1x1x50x16K; : "${MILLION_FILES:=100000}" ;;
  full) SESSION=1x1x1x1000x512K; PROJECT=200x1x1x50x16K; : "${MILLION_FILES:=1000000}" ;;
  --million) WITH_PYXNAT=0; : "${MILLION_FILES:=1000000}" ;;
  --memory) ;;
esac

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "building..." >&2
  ./mvnw -q package -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true >&2
fi
TESTKIT=$ROOT/xnat-reactive-testkit/target/xnat-reactive-testkit.jar
BENCH=$ROOT/benchmarks/target/xnat-reactive-benchmarks.jar
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "our driver runs on $("${OURS_JAVA_HOME:+$OURS_JAVA_HOME/bin/}java" -version 2>&1 | head -1)" >&2

# start_server NAME [testkit options...]: sets URL; the server's data in $W/data-NAME, its log in $W/NAME.log
start_server() {
  local name=$1; shift
  echo "seeding and starting the testkit $name ($*)..." >&2
  local t0=$SECONDS
  java ${SERVER_JAVA_OPTS:-} -jar "$TESTKIT" --port 0 --data "$W/data-$name" --user $USER_PW "$@" \
    > "$W/$name.url" 2> "$W/$name.log" &
  SERVER_PIDS+=($!)
  local pid=$!
  until [ -s "$W/$name.url" ]; do
    kill -0 $pid 2>/dev/null || { cat "$W/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  URL=$(head -1 "$W/$name.url")
  echo "  up after $((SECONDS - t0)) s at $URL" >&2
}

stop_server() { # stops the most recent server
  local pid=${SERVER_PIDS[-1]}
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'SERVER_PIDS[-1]'
}

field() { sed -nE "s/.*[ ]$1=([^ ]+).*/\1/p" <<< "$2"; }

result() { # tool workload direction output-of-tool [client-cpu-s server-cpu-s]
  local line files bytes secs
  line=$(grep '^RESULT' <<< "$4" | tail -1)
  files=$(field files "$line")
  bytes=$(field bytes "$line")
  secs=$(field seconds "$line")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$1" "$files" "$bytes" "$secs" "${5:--}" "${6:--}" >> "$W/results.tsv"
  awk -v t="$1" -v f="$files" -v b="$bytes" -v s="$secs" -v c="${5:--}" -v v="${6:--}" \
    'BEGIN { printf "  %-22s %6s files %9.1f MB %8.2f s %8.1f MB/s   cpu client %s s, server %s s\n", t, f, b / 1e6, s, b / 1e6 / s, c, v }' >&2
}

# server_cpu: user + system seconds the most recent server has used so far (/proc/PID/stat, in clock ticks)
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/${SERVER_PIDS[-1]}/stat"; }

# measure TOOL WORKLOAD DIRECTION COMMAND...: runs the tool under GNU time, then records its result with the CPU
# seconds of the tool (user + system, all its processes) and of the server while it ran
measure() {
  local tool=$1 wl=$2 dir=$3 out s0 s1 c
  shift 3
  # what earlier tools wrote goes to disk first (not timed): otherwise a tool can be made to wait for the kernel's
  # writeback of the gigabytes the ones before it left in the page cache
  sync
  s0=$(server_cpu)
  d0=$(daemon_cpu)
  out=$(/usr/bin/time -f '%U %S' -o "$W/cpu.txt" "$@")
  s1=$(server_cpu)
  d1=$(daemon_cpu)
  # the client's CPU: the tool's processes, and for ours-daemon the daemon's CPU while it ran the command
  c=$(awk -v a="$d0" -v b="$d1" '{ printf "%.2f", $1 + $2 + b - a }' "$W/cpu.txt")
  result "$tool" "$wl" "$dir" "$out" "$c" "$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')"
}

# daemon_cpu: user + system seconds of ours-daemon's daemon so far (0 when none runs)
daemon_cpu() {
  if [ -n "$DAEMON_PID" ]; then
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$DAEMON_PID/stat"
  else
    echo 0
  fi
}

# Our driver runs as users run the CLI: through xnat-reactive-cli/bin/xnat-reactive, the launcher that keeps an AppCDS
# archive per jar and JDK (created by the first run, which warm_up makes before anything is timed). --no-cds: java -jar.
LAUNCHER=$ROOT/xnat-reactive-cli/bin/xnat-reactive
driver_cmd() { # JVM options...: sets CMD to the command that runs the driver with them
  if [ $WITH_CDS = 1 ]; then
    CMD=(env XNAT_REACTIVE_JAR="$BENCH" XDG_CACHE_HOME="$W/cache" XNAT_REACTIVE_JAVA_OPTS="$*"
         ${OURS_JAVA_HOME:+JAVA_HOME=$OURS_JAVA_HOME} "$LAUNCHER")
  else
    CMD=("${OURS_JAVA_HOME:+$OURS_JAVA_HOME/bin/}java" "$@" -jar "$BENCH")
  fi
}
driver() { driver_cmd; "${CMD[@]}" "$@"; }
# ours_cmd SUBCOMMAND ARGS...: sets CMD to our driver's command for one transfer against $URL
ours_cmd() {
  driver_cmd
  CMD+=("$1" --server "$URL" --user admin --password admin --concurrency 8 "${@:2}" "${DRIVER_OPTS[@]}")
}
ours() { ours_cmd "$@"; "${CMD[@]}"; }
warm_up() { # the launcher's first run writes its class-data archive: make it an untimed one
  [ $WITH_CDS = 1 ] || return 0
  echo "  first run of the launcher (writes its class-data archive; not timed)" >&2
  # (on Java 25+ it also trains the AOT cache that replaces the archive; below 25 the launcher ignores the request)
  XNAT_REACTIVE_AOT=train ours download --project WARM --dest "$W/warm" > /dev/null 2>&1 || true
}

# ours-daemon: the CLI's own download and upload commands (the same engine and options as the driver's), sent
# through the launcher to the CLI's daemon (xnat-reactive daemon start), which untimed jobs warm first, as a user's
# earlier commands would: a daemon's JIT keeps compiling the long tail of warm methods for dozens of jobs (docs/
# benchmarks.md), so it runs 30 downloads each of DWARM (40 sessions of 50 files of 16 KiB) and DWARMB (one session
# of 200 files of 512 KiB), into tmpfs when there is one (so that the disk sees no extra files), and 30 uploads (4
# of both, 26 of DWARM alone): about a minute of work, then rounds of both downloads and an upload until its JIT has
# settled (daemon_start). The wall time is the whole command's, the client's JVM included; its CPU is the
# client's plus the daemon's while it ran.
CLI_JAR=$ROOT/xnat-reactive-cli/target/xnat-reactive.jar
cli_env() { # sets CMD to the launcher of the CLI jar, with its daemon's cache in $W
  CMD=(env XNAT_REACTIVE_JAR="$CLI_JAR" XDG_CACHE_HOME="$W/dcache" XNAT_HOST="$URL" XNAT_USER=admin XNAT_PASS=admin
       ${OURS_JAVA_HOME:+JAVA_HOME=$OURS_JAVA_HOME} "$LAUNCHER")
}
daemon_start() {
  [ $WITH_DAEMON = 1 ] || return 0
  cli_env
  local line i scratch
  line=$("${CMD[@]}" daemon start --idle 2h)
  DAEMON_PID=$(sed -nE 's/^daemon started: pid ([0-9]+).*/\1/p' <<< "$line")
  [ -n "$DAEMON_PID" ] || { echo "the daemon did not start: $line" >&2; exit 1; }
  echo "  daemon for ours-daemon: pid $DAEMON_PID; warming it with 60 downloads and 30 uploads (not timed)" >&2
  scratch=$W/dwarm
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then DAEMON_SCRATCH=$(mktemp -d /dev/shm/xnat-bench-warm.XXXXXX); scratch=$DAEMON_SCRATCH; fi
  local t0=$SECONDS
  for i in $(seq 30); do
    "${CMD[@]}" download --project DWARM --dest "$scratch/d$i" --quiet > /dev/null
    "${CMD[@]}" download --project DWARMB --dest "$scratch/d$i" --quiet > /dev/null
    if [ "$i" -gt 4 ] && [ -n "$DAEMON_SCRATCH" ]; then rm -rf "${scratch:?}/d$i"; fi # tmpfs: no ext4 deletions
  done
  # an upload runs code of its own (local checks, zips, creating objects) whose JIT warm-up is as long as a
  # download's: with 4 uploads only, the first timed PROJECT upload took more than twice the client CPU of the sixth
  # (docs/benchmarks.md). Four uploads of both warm-up projects, then 26 of the small-file one alone (1,200 sessions
  # in all, about what six PROJECT uploads make), each into a project of its own (the server writes 0.9 GB)
  for i in $(seq 30); do
    src="$scratch/d$(( (i - 1) % 4 + 1 ))"
    if [ "$i" -gt 4 ]; then src=$src/DWARM; fi
    "${CMD[@]}" upload --project "UP_DWARM$i" --create-project --dir "$src" --quiet > /dev/null
  done
  # then until its JIT has settled: a daemon keeps compiling the long tail of warm methods (called once per session
  # or per request) for dozens of jobs, and on these 2 cores a compiler thread takes CPU from the transfer (after
  # the 30 + 30 jobs above, a third of the daemon's CPU during a PROJECT upload was C2 compiling; docs/
  # benchmarks.md). Rounds of the same jobs, each a download of both warm-up projects and an upload, until two
  # rounds in a row compile fewer than SETTLE_COMPILES methods (jcmd's sun.ci.totalCompiles), 60 rounds at most
  local rounds=0 calm=0 before after compiles=
  local jcmd=${OURS_JAVA_HOME:+$OURS_JAVA_HOME/bin/}jcmd
  if command -v "$jcmd" > /dev/null; then
    before=$(daemon_compiles)
    while [ $rounds -lt 60 ] && [ $calm -lt 2 ] && [ -n "$before" ]; do
      rounds=$((rounds + 1))
      "${CMD[@]}" download --project DWARM --dest "$scratch/s" --quiet > /dev/null
      "${CMD[@]}" download --project DWARMB --dest "$scratch/s" --quiet > /dev/null
      "${CMD[@]}" upload --project "UP_DSETTLE$rounds" --create-project --dir "$scratch/s/DWARM" --quiet > /dev/null
      rm -rf "${scratch:?}/s"
      after=$(daemon_compiles)
      compiles=$((after - before))
      before=$after
      if [ "$compiles" -lt "${SETTLE_COMPILES:-15}" ]; then calm=$((calm + 1)); else calm=0; fi
    done
  fi
  echo "  (warmed in $((SECONDS - t0)) s; then $rounds rounds until the JIT settled: ${compiles:-?} compilations in the last)" >&2
  DAEMON_WARMUP="ours-daemon was warmed with 60 downloads and 30 uploads, then $rounds rounds of 2 downloads and an upload until its JIT settled (${compiles:-?} compilations in the last round)"
}

daemon_compiles() { # methods the daemon's JIT has compiled so far
  "${OURS_JAVA_HOME:+$OURS_JAVA_HOME/bin/}jcmd" "$DAEMON_PID" PerfCounter.print 2>/dev/null \
    | sed -nE 's/^sun\.ci\.totalCompiles=([0-9]+).*/\1/p'
}

daemon_stop() {
  [ -n "$DAEMON_PID" ] || return 0
  cli_env
  "${CMD[@]}" daemon stop > /dev/null
  DAEMON_PID=
}
# ours_daemon_cmd download|upload ARGS...: sets CMD to a command printing a RESULT line like the driver's (files
# moved, bytes, wall seconds of the whole CLI command) from the CLI's summary line ("N files (X MB) moved, ...": its
# megabytes have one decimal, so the bytes are within 0.05 MB); --quiet, as a script would run it (--json would print
# every file's events, which the driver does not)
ours_daemon_cmd() {
  cli_env
  CMD=(bash -c 't0=$(date +%s.%N); out=$("$@" --concurrency 8 --quiet) || exit $?; t1=$(date +%s.%N)
       sed -nE "s/^([0-9]+) files \(([0-9.]+) MB\) moved.*/\1 \2/p" <<< "$out" | tail -1 \
         | awk -v a="$t0" -v b="$t1" "{ printf \"RESULT files=%d bytes=%.0f seconds=%.3f\\n\", \$1, \$2 * 1e6, b - a }"' \
       _ "${CMD[@]}" "$@" "${DRIVER_OPTS[@]}")
}

if [ "$MODE" = --memory ]; then
  start_server mem --seed MEM:1x1x1x2048x1M
  echo "downloading a 2 GiB session with -Xmx128m..." >&2
  OUT=$(/usr/bin/time -v java -Xmx128m -jar "$BENCH" download --server "$URL" --user admin --password admin \
        --project MEM --dest "$W/mem" --concurrency 8 "${DRIVER_OPTS[@]}" 2> "$W/time.txt")
  echo "$OUT"
  grep -E "Maximum resident set size|Elapsed" "$W/time.txt"
  exit 0
fi

: > "$W/results.tsv"
: > "$W/million.txt"

if [ "$MODE" != --million ]; then
  DWARM_SEEDS=()
  if [ $WITH_DAEMON = 1 ]; then DWARM_SEEDS=(--seed DWARM:40x1x1x50x16K --seed DWARMB:1x1x1x200x512K); fi
  start_server main --seed SESSION:$SESSION --seed PROJECT:$PROJECT --seed WARM:2x1x2x20x4K "${DWARM_SEEDS[@]}"
  warm_up
  daemon_start
  for WL in SESSION PROJECT; do
    # ROUNDS rounds of the tools behind the goals, one after another in each round (so that a slow minute of this
    # machine falls on every tool, not on one); the per-file pyxnat loops run in the first round only
    for R in $(seq "$ROUNDS"); do
      echo "download $WL, round $R of $ROUNDS" >&2
      ours_cmd download --project $WL --dest "$W/ours-$WL-$R"
      measure ours "$WL" download "${CMD[@]}"
      if [ $WITH_DAEMON = 1 ]; then
        ours_daemon_cmd download --project $WL --dest "$W/ours-daemon-$WL-$R"
        measure ours-daemon "$WL" download "${CMD[@]}"
      fi
      measure curl-x8 "$WL" download $PY benchmarks/curl_bench.py download "$URL" admin admin $WL "$W/curl-$WL-$R"
      if [ $WITH_PYXNAT = 1 ]; then
        if [ "$R" = 1 ]; then
          measure pyxnat-get-loop "$WL" download $PY benchmarks/pyxnat_bench.py get-loop "$URL" admin admin $WL "$W/py-$WL"
        fi
        measure pyxnat-zip "$WL" download $PY benchmarks/pyxnat_bench.py zip "$URL" admin admin $WL "$W/pyzip-$WL-$R"
      fi
    done
    for R in $(seq "$ROUNDS"); do
      echo "upload $WL, round $R of $ROUNDS" >&2
      # every tool uploads the tree ours downloaded in the first round, each time into a new project
      ours_cmd upload --project UP_OURS_${WL}_$R --dir "$W/ours-$WL-1"
      measure ours "$WL" upload "${CMD[@]}"
      if [ $WITH_DAEMON = 1 ]; then
        ours_daemon_cmd upload --project UP_DAEMON_${WL}_$R --create-project --dir "$W/ours-daemon-$WL-1"
        measure ours-daemon "$WL" upload "${CMD[@]}"
      fi
      measure curl-x8 "$WL" upload $PY benchmarks/curl_bench.py upload "$URL" admin admin UP_CURL_${WL}_$R "$W/ours-$WL-1"
      if [ $WITH_PYXNAT = 1 ]; then
        if [ "$R" = 1 ]; then
          measure pyxnat-put-loop "$WL" upload $PY benchmarks/pyxnat_bench.py put-loop "$URL" admin admin UP_PY_$WL "$W/ours-$WL-1"
        fi
        measure pyxnat-put-zip "$WL" upload $PY benchmarks/pyxnat_bench.py put-zip "$URL" admin admin UP_PYZ_${WL}_$R "$W/ours-$WL-1"
      fi
    done
  done
  daemon_stop
  stop_server

  # PROJECT-LATENCY: the PROJECT workload on a server that delays every request by 20 ms (as a real XNAT's
  # per-request cost would); latency-bound, so concurrency, not CPU, decides.
  start_server latency --seed PROJECT:$PROJECT --faults latency=20ms
  WL=PROJECT-LATENCY
  echo "download $WL" >&2
  ours_cmd download --project PROJECT --dest "$W/ours-$WL"
  measure ours "$WL" download "${CMD[@]}"
  measure curl-x8 "$WL" download $PY benchmarks/curl_bench.py download "$URL" admin admin PROJECT "$W/curl-$WL"
  if [ $WITH_PYXNAT = 1 ]; then
    measure pyxnat-zip "$WL" download $PY benchmarks/pyxnat_bench.py zip "$URL" admin admin PROJECT "$W/pyzip-$WL"
  fi
  stop_server
fi

if [ "$MODE" = --million ] || [ $WITH_MILLION = 1 ]; then
  # The big job: MILLION_FILES files of 1 KiB, 1,000 per session, downloaded by our driver in -Xmx256m.
  N=$MILLION_FILES
  if [ "$N" -ge 1000 ]; then SPEC=$((N / 1000))x1x1x1000x1K; else SPEC=1x1x1x${N}x1K; fi
  start_server big --seed BIG:$SPEC --seed WARM:2x1x2x20x4K
  echo "download the $N-file job with -Xmx256m" >&2
  set +e
  # exit on the first OutOfMemoryError (instead of thrashing); give up after BIG_TIMEOUT seconds
  if [ ! -d "$W/cache" ]; then warm_up; fi
  # the seeding leaves about 1.4 GB and a million new inodes waiting for writeback: to disk first (not timed), as
  # before every other tool (a run without this sync started its first file after 4.49 s, a run with it after 1.61 s)
  sync
  driver_cmd -Xmx256m -XX:+ExitOnOutOfMemoryError
  OUT=$(/usr/bin/time -v timeout "${BIG_TIMEOUT:-3600}" "${CMD[@]}" download --server "$URL" --user admin --password admin \
        --project BIG --dest "$W/ours-big" --concurrency 8 "${DRIVER_OPTS[@]}" 2> "$W/big-time.txt")
  RC=$?
  set -e
  LINE=$(grep '^RESULT' <<< "$OUT" | tail -1 || true)
  RSS_KB=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+).*/\1/p' "$W/big-time.txt")
  if [ $RC -ne 0 ] || [ -z "$LINE" ]; then
    echo "  the driver failed (exit $RC):" >&2
    grep -vE '^\s' "$W/big-time.txt" | tail -5 >&2
  else
    result ours BIG download "$OUT"
  fi
  printf 'files=%s rc=%s first_started_s=%s first_byte_s=%s planned_s=%s rss_kb=%s\n' "$N" "$RC" \
    "$(field first_started_s "$LINE")" "$(field first_byte_s "$LINE")" "$(field planned_s "$LINE")" "${RSS_KB:-?}" \
    > "$W/million.txt"
  echo "  $(cat "$W/million.txt")" >&2
  rm -rf "$W/ours-big"
  stop_server
fi

# this CPU's MD5 rate (what verifying every byte costs at least), for the CPU table below
MD5_MBS=$(openssl speed -bytes 65536 -seconds 1 md5 2>/dev/null | awk '/^md5/ { sub(/k$/, "", $NF); printf "%.0f", $NF / 1000 }' || true)
echo
echo "workload         direction  tool               files        MB        s      MB/s   ours/this   (s: the median of the rounds)"
$PY - "$W/results.tsv" "$W/million.txt" "${MD5_MBS:-}" <<'PY'
import sys
every = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
# a tool measured in several rounds counts with its median round by time (the lower middle one of an even number),
# whose CPU seconds the CPU table gives
rounds = {}
for r in every:
    rounds.setdefault((r[0], r[1], r[2]), []).append(r)
rows = [sorted(rs, key=lambda r: float(r[5]))[(len(rs) - 1) // 2] for rs in rounds.values()]
ours = {(r[0], r[1]): int(r[4]) / float(r[5]) for r in rows if r[2] == 'ours'}
for wl, d, tool, files, b, s, *cpu in rows:
    rate = int(b) / float(s)
    rel = ours[(wl, d)] / rate if (wl, d) in ours else float('nan')
    rs = rounds[(wl, d, tool)]
    times = 'rounds: ' + ' '.join('%.2f' % float(r[5]) for r in rs) if len(rs) > 1 else ''
    print('%-16s %-10s %-16s %7s %9.1f %8.2f %9.1f %10.2fx   %s' % (wl, d, tool, files, int(b) / 1e6, float(s),
          rate / 1e6, rel, times))

# CPU seconds (user + system) of each tool and of the server while it ran: on this machine client and server share
# two cores, so a tool's time is bounded below by (its CPU + the server's CPU) / 2
print()
print('CPU seconds (user + system)  workload   direction  tool               client   server    total')
cpu = {}
for wl, d, tool, files, b, s, *c in rows:
    if len(c) == 2 and c[0] != '-' and c[1] != '-':
        cpu[(wl, d, tool)] = (float(c[0]), float(c[1]), int(b))
        print('                             %-10s %-10s %-16s %7.2f  %7.2f  %7.2f' % (wl, d, tool, float(c[0]),
                                                                                     float(c[1]), float(c[0]) + float(c[1])))
md5 = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
if md5:
    # a model, not a measurement: the best ratio to curl a client could reach that spent only what curl spends plus
    # one MD5 pass over every byte, with the server costing what it cost ours
    print()
    print('MD5 on this CPU: %.0f MB/s. Ceiling of ours vs curl-x8 if our client spent only curl\'s CPU plus one MD5'
          ' pass (model):' % md5)
    for (wl, d, tool), (c, sv, b) in sorted(cpu.items()):
        if tool != 'ours' or wl.endswith('LATENCY') or (wl, d, 'curl-x8') not in cpu:
            continue
        cc, cs, _ = cpu[(wl, d, 'curl-x8')]
        floor = cc + b / 1e6 / md5 + sv
        print('  %-16s %-9s ours now %.2f + %.2f s; curl %.2f + %.2f s; floor %.2f s -> at most %.2fx' % (
            wl, d, c, sv, cc, cs, floor, (cc + cs) / floor))

def ratio(wl, d, tool, who='ours'):
    """who's throughput / tool's throughput, or None if either was not measured."""
    r = {x[2]: int(x[4]) / float(x[5]) for x in rows if x[0] == wl and x[1] == d}
    return r[who] / r[tool] if who in r and tool in r else None

goals = []
note = None
def goal(name, value, target, daemon=None):
    def fmt(v):
        return 'not measured' if v is None else '%.2fx' % v
    def status(v):
        return 'NOT MEASURED' if v is None else 'met' if v >= target else 'NOT MET'
    goals.append((name, fmt(value), '>= %.1fx' % target, status(value),
                  '' if daemon is None else 'through the daemon: %s %s' % (fmt(daemon), status(daemon))))

def both(name, wl, d, tool, target):
    goal(name, ratio(wl, d, tool), target, ratio(wl, d, tool, 'ours-daemon')
         if any(r[2] == 'ours-daemon' for r in rows) else None)

both('SESSION download vs curl x8', 'SESSION', 'download', 'curl-x8', 0.8)
both('SESSION upload vs curl x8', 'SESSION', 'upload', 'curl-x8', 0.8)
both('PROJECT download vs curl x8', 'PROJECT', 'download', 'curl-x8', 1.5)
both('PROJECT upload vs curl x8', 'PROJECT', 'upload', 'curl-x8', 1.5)
both('PROJECT download vs pyxnat zip', 'PROJECT', 'download', 'pyxnat-zip', 2.0)
goal('PROJECT-LATENCY download vs curl x8', ratio('PROJECT-LATENCY', 'download', 'curl-x8'), 3.0)
m = dict(kv.split('=', 1) for kv in open(sys.argv[2]).read().split())
if m:
    ok = m['rc'] == '0'
    big = '%s-file job' % format(int(m['files']), ',')
    goals.append((big + ' in -Xmx256m', ('completed' if ok else 'FAILED (exit %s)' % m['rc'])
                  + ', max RSS %s MiB' % (int(m['rss_kb']) // 1024 if m['rss_kb'].isdigit() else '?'),
                  'completes', 'met' if ok else 'NOT MET', ''))
    first = m.get('first_byte_s') or ''
    try:
        f = float(first)
    except ValueError:
        f = -1
    started = m.get('first_started_s') or '?'
    goals.append((big + ': first file moving', ('%.2f s after JVM start (first Started %s s)' % (f, started))
                  if f >= 0 else 'never', '<= 2 s', 'met' if 0 <= f <= 2 else 'NOT MET', ''))
    if m['files'] != '1000000':
        note = '(the goal is for 1,000,000 files; this run had %s)' % format(int(m['files']), ',')
else:
    goals.append(('1,000,000-file job', 'not run', '', 'NOT MEASURED', ''))

print()
print('GOALS (issue 10): ours = a JVM of its own per command (the driver through the launcher); ours-daemon = the'
      ' CLI\'s commands through its daemon')
w = max(len(g[0]) for g in goals)
v = max(len(g[1]) for g in goals)
for g in goals:
    print(('  %-*s  %-*s  %-10s %-12s %s' % (w, g[0], v, g[1], g[2], g[3], g[4])).rstrip())
if note:
    print('  ' + note)
PY
[ -z "${DAEMON_WARMUP:-}" ] || echo "  $DAEMON_WARMUP"
