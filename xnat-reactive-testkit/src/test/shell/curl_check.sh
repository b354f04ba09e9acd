#!/usr/bin/env bash
# End-to-end check of an XNAT-compatible server with curl.
#
# Usage: curl_check.sh BASE_URL USER PASSWORD WORKDIR
#
# (a) uploads two files (raw PUT and multipart POST) into a scan resource of a
#     fresh session, downloads .../experiments/{E}/scans/ALL/files?format=zip and
#     checks the entry layout {sessionLabel}/scans/{scanID}-{type}/resources/{label}/files/{name}
#     (contract section 5.8) and the bytes;
# (b) re-uploads an existing file without overwrite=true (expects HTTP 200 and body
#     {"duplicates":["<path>"]}, file unchanged), then with overwrite=true (replaced).
#
# Prints "PASS name" / "FAIL name: reason" per check, then "N passed, M failed".
# Exit status 1 if any check failed, 2 on bad usage.
# Needs curl and python3 (for zip/JSON parsing; $PYTHON, else /usr/bin/python3, else python3).

set -u

if [ "$#" -ne 4 ]; then
  echo "usage: $0 BASE_URL USER PASSWORD WORKDIR" >&2
  exit 2
fi
BASE=${1%/}
XUSER=$2
XPASS=$3
WORK=$4
mkdir -p "$WORK" || exit 2

PY=${PYTHON:-/usr/bin/python3}
if [ ! -x "$PY" ]; then PY=$(command -v python3 || true); fi
if [ -z "$PY" ]; then echo "python3 not found" >&2; exit 2; fi

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() {
  echo "FAIL $1: $2"
  failed=$((failed + 1))
}

TAG=$("$PY" -c 'import uuid; print(uuid.uuid4().hex[:8].upper())')
P="CURL_$TAG"
S="SUBJ_$TAG"
E="MR_$TAG"
SC=1
SCTYPE="T1w"
R="DICOM"
F1="first.dcm"
F2="second.dcm"
SESSION_PATH="/data/projects/$P/subjects/$S/experiments/$E"
RES_PATH="$SESSION_PATH/scans/$SC/resources/$R"

# Test payloads (binary, every byte value).
"$PY" - "$WORK" <<'EOF'
import os, sys
w = sys.argv[1]
def payload(seed, size):
    out = bytearray(range(256))
    x = seed
    while len(out) < size:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out[:size])
for name, seed, size in (("f1.bin", 11, 70000), ("f2.bin", 12, 3333), ("f1_v2.bin", 13, 4096)):
    with open(os.path.join(w, name), "wb") as f:
        f.write(payload(seed, size))
EOF

# LAST_DESC, LAST_STATUS, LAST_BODY (file) describe the last request.
LAST_DESC=""
LAST_STATUS=""
LAST_BODY="$WORK/last_body"
N=0

# http METHOD PATH_AND_QUERY [extra curl args...]; sets LAST_STATUS/LAST_BODY/LAST_DESC.
http() {
  local method=$1 path=$2
  shift 2
  N=$((N + 1))
  LAST_BODY="$WORK/resp_$N"
  LAST_DESC="$method $path $*"
  LAST_STATUS=$(curl -sS --max-time 120 -u "$XUSER:$XPASS" -X "$method" \
    -D "$LAST_BODY.headers" -o "$LAST_BODY" -w '%{http_code}' "$@" "$BASE$path" 2>"$LAST_BODY.err")
  if [ -z "$LAST_STATUS" ] || [ "$LAST_STATUS" = "000" ]; then
    LAST_STATUS="000 ($(tr '\n' ' ' <"$LAST_BODY.err"))"
  fi
}

# Short one-line description of the last exchange, for FAIL reasons.
last() {
  local snippet
  snippet=$(head -c 300 "$LAST_BODY" 2>/dev/null | tr -c '[:print:]' '.')
  echo "request: $LAST_DESC -> HTTP $LAST_STATUS, body: '$snippet'"
}

# expect_status NAME EXPECTED METHOD PATH [curl args...]
expect_status() {
  local name=$1 expected=$2
  shift 2
  http "$@"
  if [ "$LAST_STATUS" = "$expected" ]; then
    pass "$name"
    return 0
  fi
  fail "$name" "expected HTTP $expected; $(last)"
  return 1
}

same_bytes() { cmp -s "$1" "$2"; }

# ---------------------------------------------------------------- setup
expect_status curl_create_project 200 PUT "/data/projects/$P"
expect_status curl_create_subject 201 PUT "/data/projects/$P/subjects/$S"
expect_status curl_create_session 201 PUT "$SESSION_PATH?xsiType=xnat:mrSessionData"
EID=$(tr -d '\r\n ' 2>/dev/null <"$LAST_BODY")
expect_status curl_create_scan 200 PUT "$SESSION_PATH/scans/$SC?xsiType=xnat:mrScanData&type=$SCTYPE"

# ---------------------------------------------------------------- (a) uploads
expect_status curl_upload_raw_put 200 PUT "$RES_PATH/files/$F1?inbody=true" \
  -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/f1.bin"
expect_status curl_upload_multipart_post 200 POST "$RES_PATH/files/$F2" \
  -F "file=@$WORK/f2.bin;filename=$F2"

http GET "$RES_PATH/files/$F1"
if [ "$LAST_STATUS" = 200 ] && same_bytes "$LAST_BODY" "$WORK/f1.bin"; then
  pass curl_download_first
else
  fail curl_download_first "bytes differ or bad status; $(last)"
fi
http GET "$RES_PATH/files/$F2"
if [ "$LAST_STATUS" = 200 ] && same_bytes "$LAST_BODY" "$WORK/f2.bin"; then
  pass curl_download_second
else
  fail curl_download_second "bytes differ or bad status; $(last)"
fi

# check_zip NAME: checks the entries and bytes of $LAST_BODY as a scans zip.
check_zip() {
  local name=$1 out
  if [ "$LAST_STATUS" != 200 ]; then
    fail "$name" "expected HTTP 200; $(last)"
    return
  fi
  out=$("$PY" - "$LAST_BODY" "$E" "$SC-$SCTYPE" "$R" "$F1" "$WORK/f1.bin" "$F2" "$WORK/f2.bin" <<'EOF' 2>&1
import sys, zipfile
zpath, sess, scandir, res = sys.argv[1:5]
pairs = sys.argv[5:]
expected = {}
for i in range(0, len(pairs), 2):
    with open(pairs[i + 1], "rb") as f:
        expected["%s/scans/%s/resources/%s/files/%s" % (sess, scandir, res, pairs[i])] = f.read()
try:
    z = zipfile.ZipFile(zpath)
except Exception as e:
    print("not a zip: %s" % e); sys.exit(1)
names = sorted(n for n in z.namelist() if not n.endswith("/"))
if names != sorted(expected):
    print("entries %s, expected %s" % (names, sorted(expected))); sys.exit(1)
for n, data in expected.items():
    got = z.read(n)
    if got != data:
        print("entry %s: %d bytes differ from the %d uploaded" % (n, len(got), len(data))); sys.exit(1)
EOF
)
  if [ $? -eq 0 ]; then
    pass "$name"
  else
    fail "$name" "$(echo "$out" | tr '\n' ' '); $(last)"
  fi
}

http GET "$SESSION_PATH/scans/ALL/files?format=zip"
check_zip curl_zip_layout_project_path
if [ -n "$EID" ]; then
  http GET "/data/experiments/$EID/scans/ALL/files?format=zip"
  check_zip curl_zip_layout_experiment_id
else
  fail curl_zip_layout_experiment_id "session PUT returned no accession ID in its body"
fi

# unzip -l view of the same layout (human-readable cross-check).
if command -v unzip >/dev/null 2>&1; then
  http GET "$SESSION_PATH/scans/ALL/files?format=zip"
  listing=$(unzip -Z1 "$LAST_BODY" 2>&1 | grep -v '/$' | sort | tr '\n' ' ')
  want=$(printf '%s\n' "$E/scans/$SC-$SCTYPE/resources/$R/files/$F1" \
    "$E/scans/$SC-$SCTYPE/resources/$R/files/$F2" | sort | tr '\n' ' ')
  if [ "$listing" = "$want" ]; then
    pass curl_zip_unzip_listing
  else
    fail curl_zip_unzip_listing "unzip -Z1 lists '$listing', expected '$want'; $(last)"
  fi
fi

# ---------------------------------------------------------------- (b) duplicates
http PUT "$RES_PATH/files/$F1?inbody=true" \
  -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/f1_v2.bin"
if [ "$LAST_STATUS" = 200 ]; then
  out=$("$PY" - "$LAST_BODY" "$F1" <<'EOF' 2>&1
import json, sys
body = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
try:
    doc = json.loads(body)
except ValueError as e:
    print("body is not JSON (%s)" % e); sys.exit(1)
if doc != {"duplicates": [sys.argv[2]]}:
    print("body %r, expected %r" % (doc, {"duplicates": [sys.argv[2]]})); sys.exit(1)
EOF
)
  if [ $? -eq 0 ]; then
    pass curl_duplicate_reply
  else
    fail curl_duplicate_reply "$(echo "$out" | tr '\n' ' '); $(last)"
  fi
else
  fail curl_duplicate_reply "expected HTTP 200 with {\"duplicates\":[\"$F1\"]}; $(last)"
fi

http GET "$RES_PATH/files/$F1"
if [ "$LAST_STATUS" = 200 ] && same_bytes "$LAST_BODY" "$WORK/f1.bin"; then
  pass curl_duplicate_not_replaced
else
  fail curl_duplicate_not_replaced "file should still hold the original bytes; $(last)"
fi

http PUT "$RES_PATH/files/$F1?inbody=true&overwrite=true" \
  -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/f1_v2.bin"
if [ "$LAST_STATUS" = 200 ] && ! grep -q duplicates "$LAST_BODY"; then
  pass curl_overwrite_reply
else
  fail curl_overwrite_reply "expected HTTP 200 without a duplicates list; $(last)"
fi

http GET "$RES_PATH/files/$F1"
if [ "$LAST_STATUS" = 200 ] && same_bytes "$LAST_BODY" "$WORK/f1_v2.bin"; then
  pass curl_overwrite_replaced
else
  fail curl_overwrite_replaced "file should hold the new bytes; $(last)"
fi

# Listing must show the new size for the replaced file.
http GET "$RES_PATH/files?format=json"
size_v2=$(stat -c %s "$WORK/f1_v2.bin")
out=$("$PY" - "$LAST_BODY" "$F1" "$size_v2" <<'EOF' 2>&1
import json, sys
try:
    rows = json.load(open(sys.argv[1]))["ResultSet"]["Result"]
except Exception as e:
    print("bad listing: %s" % e); sys.exit(1)
sizes = [r.get("Size") for r in rows if r.get("Name") == sys.argv[2]]
if sizes != [sys.argv[3]]:
    print("Size of %s: %r, expected [%r]" % (sys.argv[2], sizes, sys.argv[3])); sys.exit(1)
EOF
)
if [ "$LAST_STATUS" = 200 ] && [ -z "$out" ]; then
  pass curl_overwrite_listing_size
else
  fail curl_overwrite_listing_size "$(echo "$out" | tr '\n' ' '); $(last)"
fi

# ---------------------------------------------------------------- cleanup
expect_status curl_delete_project 200 DELETE "/data/projects/$P?removeFiles=true"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
