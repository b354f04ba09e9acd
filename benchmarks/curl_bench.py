#!/usr/bin/python3
"""curl side of benchmarks/run.sh: one curl process moving the same files 8 at a time (--parallel).

  curl_bench.py download URL USER PW PROJECT DEST
  curl_bench.py upload   URL USER PW PROJECT SRC    (into an existing project: sessions and scans created first)

The file list comes from the server's JSON listings (not timed). Prints: RESULT files=N bytes=B seconds=S
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request


def get_json(url, auth):
    req = urllib.request.Request(url, headers={'Authorization': auth})
    with urllib.request.urlopen(req) as r:
        return json.load(r)['ResultSet']['Result']


def put(url, auth):
    req = urllib.request.Request(url, method='PUT', headers={'Authorization': auth})
    urllib.request.urlopen(req).read()


def run_curl(cfg_lines, user, pw, parallel):
    with tempfile.NamedTemporaryFile('w', suffix='.cfg', delete=False) as cfg:
        cfg.write('\n'.join(cfg_lines) + '\n')
    try:
        start = time.time()
        subprocess.run(['curl', '--silent', '--no-progress-meter', '--show-error', '--fail', '--parallel', '--parallel-max', str(parallel),
                        '--user', '%s:%s' % (user, pw), '--config', cfg.name], check=True)
        return time.time() - start
    finally:
        os.unlink(cfg.name)


def main(mode, url, user, pw, project, path, parallel=8):
    auth = 'Basic ' + base64.b64encode(('%s:%s' % (user, pw)).encode()).decode()
    lines = []
    total = 0
    files = 0
    if mode == 'download':
        for e in get_json('%s/data/projects/%s/experiments?format=json' % (url, project), auth):
            for f in get_json('%s/data/experiments/%s/files?all=true&format=json' % (url, e['ID']), auth):
                dest = os.path.join(path, f['URI'].lstrip('/'))
                lines.append('url = "%s%s"' % (url, f['URI']))
                lines.append('output = "%s"' % dest)
                lines.append('create-dirs')
                total += int(f['Size'])
                files += 1
    elif mode == 'upload':
        put('%s/data/projects/%s' % (url, project), auth)
        for root, dirs, names in os.walk(path):
            if 'xnat-session.json' not in names:
                continue
            subject = os.path.basename(os.path.dirname(root))
            label = os.path.basename(root)
            base = '%s/data/projects/%s/subjects/%s/experiments/%s' % (url, project, subject, label)
            put(base + '?xsiType=xnat:mrSessionData', auth)
            scans = os.path.join(root, 'scans')
            for scan_dir in sorted(os.listdir(scans)):
                scan_id = scan_dir.split('-', 1)[0]
                put('%s/scans/%s?xsiType=xnat:mrScanData' % (base, scan_id), auth)
                res_root = os.path.join(scans, scan_dir, 'resources')
                for res in sorted(os.listdir(res_root)):
                    fdir = os.path.join(res_root, res, 'files')
                    for n in sorted(os.listdir(fdir)):
                        src = os.path.join(fdir, n)
                        lines.append('url = "%s/scans/%s/resources/%s/files/%s?inbody=true&overwrite=true"'
                                     % (base, scan_id, res, n))
                        lines.append('upload-file = "%s"' % src)
                        lines.append('output = "/dev/null"')
                        total += os.path.getsize(src)
                        files += 1
            dirs[:] = []
    else:
        raise SystemExit('unknown mode ' + mode)
    seconds = run_curl(lines, user, pw, parallel)
    print('RESULT files=%d bytes=%d seconds=%.3f' % (files, total, seconds))


if __name__ == '__main__':
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
