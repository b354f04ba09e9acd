#!/usr/bin/python3
"""pyxnat side of benchmarks/run.sh (Debian's python3-pyxnat).

  pyxnat_bench.py get-loop URL USER PW PROJECT DEST   per-file file.get() loop over every scan file
  pyxnat_bench.py zip      URL USER PW PROJECT DEST   scans().download(extract=True) per session
  pyxnat_bench.py put-loop URL USER PW PROJECT SRC    file.put() loop from a downloaded tree
  pyxnat_bench.py put-zip  URL USER PW PROJECT SRC    one zip per resource, resource.put_zip(extract=True)

Prints: RESULT files=N bytes=B seconds=S
"""
import os
import sys
import time
import zipfile

import pyxnat


def sessions(src):
    """(subject, session label, session dir) of every downloaded session folder under src."""
    for root, dirs, files in os.walk(src):
        if 'xnat-session.json' in files:
            subject = os.path.basename(os.path.dirname(root))
            yield subject, os.path.basename(root), root
            dirs[:] = []


def scan_resources(session_dir):
    """(scan id, resource label, files dir) for scans/{id}-{type}/resources/{label}/files."""
    scans = os.path.join(session_dir, 'scans')
    for scan_dir in sorted(os.listdir(scans)):
        scan_id = scan_dir.split('-', 1)[0]
        res_root = os.path.join(scans, scan_dir, 'resources')
        for label in sorted(os.listdir(res_root)):
            yield scan_id, label, os.path.join(res_root, label, 'files')


def main(mode, url, user, pw, project, path):
    xnat = pyxnat.Interface(server=url, user=user, password=pw)
    files = 0
    total = 0
    start = time.time()
    if mode == 'get-loop':
        for f in xnat.select('/projects/%s/subjects/*/experiments/*/scans/*/resources/*/files/*' % project):
            dest = os.path.join(path, f._uri.lstrip('/'))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            f.get(dest)
            files += 1
            total += os.path.getsize(dest)
    elif mode == 'zip':
        p = xnat.select.project(project)
        for s in p.subjects():
            for e in s.experiments():
                dest = os.path.join(path, s.id(), e.id())
                os.makedirs(dest, exist_ok=True)
                out = e.scans().download(dest, type='ALL', extract=True)
                for x in out:
                    if os.path.isfile(x):
                        files += 1
                        total += os.path.getsize(x)
    elif mode in ('put-loop', 'put-zip'):
        p = xnat.select.project(project)
        if not p.exists():
            p.create()
        for subject, label, sdir in sessions(path):
            e = p.subject(subject).experiment(label)
            if not e.exists():
                e.create(experiments='xnat:mrSessionData')
            for scan_id, res_label, fdir in scan_resources(sdir):
                scan = e.scan(scan_id)
                if not scan.exists():
                    scan.create(scans='xnat:mrScanData')
                r = scan.resource(res_label)
                names = sorted(os.listdir(fdir))
                if mode == 'put-loop':
                    for n in names:
                        src = os.path.join(fdir, n)
                        r.file(n).put(src, overwrite=True)
                        files += 1
                        total += os.path.getsize(src)
                else:
                    zpath = os.path.join(os.path.dirname(fdir), res_label + '.zip')
                    with zipfile.ZipFile(zpath, 'w', zipfile.ZIP_STORED) as z:
                        for n in names:
                            z.write(os.path.join(fdir, n), n)
                            files += 1
                            total += os.path.getsize(os.path.join(fdir, n))
                    if not r.exists():
                        r.create()
                    r.put_zip(zpath, overwrite=True, extract=True)
                    os.remove(zpath)
    else:
        raise SystemExit('unknown mode ' + mode)
    print('RESULT files=%d bytes=%d seconds=%.3f' % (files, total, time.time() - start))


if __name__ == '__main__':
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
