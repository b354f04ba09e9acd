#!/usr/bin/python3
"""End-to-end check of an XNAT-compatible server with the real pyxnat client.

Usage: pyxnat_check.py BASE_URL USER PASSWORD WORKDIR

Drives pyxnat 1.5 (Debian python3-pyxnat) through the usual object
lifecycle: project, subject, MR session, scan, assessor, resources, file
upload/download, zip upload with server-side extraction, attribute set/get,
exists(), zip download of scans, and deletes.

Prints one line per check, "PASS name" or "FAIL name: reason" (followed, for
failures, by indented lines describing the HTTP exchanges made during that
check), then "N passed, M failed" alone on a line.  Exits 1 if any check
failed, 2 on bad usage.
"""

import os
import sys
import uuid
import warnings
import zipfile

import pyxnat

# pyxnat 1.5 triggers an lxml FutureWarning in errors.py; keep output clean.
warnings.simplefilter('ignore', FutureWarning)

HTTP_LOG = []  # every requests.Response seen by the session hook, in order


class Checks(object):
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failed_names = set()

    def run(self, name, fn, requires=()):
        missing = [r for r in requires if r in self.failed_names]
        if missing:
            self._fail(name, 'not run: prerequisite check(s) failed: %s'
                       % ', '.join(missing), [])
            return
        start = len(HTTP_LOG)
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every error is a failure
            self._fail(name, '%s: %s' % (type(e).__name__, e),
                       HTTP_LOG[start:])
        else:
            self.passed += 1
            print('PASS %s' % name)
        sys.stdout.flush()

    def _fail(self, name, reason, exchanges):
        self.failed += 1
        self.failed_names.add(name)
        print('FAIL %s: %s' % (name, one_line(reason, 600)))
        shown = exchanges[-10:]
        if len(exchanges) > len(shown):
            print('    (%d earlier HTTP exchanges omitted)'
                  % (len(exchanges) - len(shown)))
        for response in shown:
            print('    http: %s' % describe(response))


def one_line(text, limit):
    text = ' '.join(str(text).split())
    return text if len(text) <= limit else text[:limit] + '...'


def describe(response):
    request = response.request
    headers = request.headers
    req_bits = []
    for h in ('Content-Type', 'Content-Length'):
        if h in headers:
            req_bits.append('%s: %s' % (h, headers[h]))
    body = request.body
    if isinstance(body, (bytes, str)) and body:
        req_bits.append('body: %r' % (body[:80],))
    elif body is not None and not isinstance(body, (bytes, str)):
        req_bits.append('body: <streamed file>')
    try:
        content = response.content
        if content is None:
            shown = '<none>'
        else:
            try:
                shown = repr(content[:300].decode('utf-8'))
            except UnicodeDecodeError:
                shown = '<%d binary bytes>' % len(content)
    except RuntimeError:
        shown = '<streamed body, already consumed>'
    return '%s %s [%s] -> %s %s; body %s' % (
        request.method, request.url, '; '.join(req_bits),
        response.status_code,
        'Content-Type: %s' % response.headers.get('Content-Type'),
        shown)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_eq(actual, expected, what):
    if actual != expected:
        raise AssertionError('%s: expected %r, got %r'
                             % (what, expected, actual))


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


def write_bytes(path, data):
    d = os.path.dirname(path)
    if d and not os.path.isdir(d):
        os.makedirs(d)
    with open(path, 'wb') as f:
        f.write(data)
    return path


def payload(seed, size):
    """Deterministic binary content covering every byte value."""
    out = bytearray()
    x = seed & 0xFFFFFFFF
    while len(out) < size:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    out[:256] = bytes(range(256))
    return bytes(out[:size])


def file_entries(namelist):
    return sorted(n for n in namelist if not n.endswith('/'))


# ---------------------------------------------------------------------- ingest
# The import service and the prearchive (issue 11): DICOM files written here
# (explicit VR little endian, the tags XNAT's importer reads), a zip of two
# series posted to /data/services/import, then pyxnat's manage.prearchive
# calls: get, status, get_scans, get_resources, get_files, get_uri, reset,
# move and delete.

def dicom_bytes(patient, study_uid, series, instance):
    """A small DICOM Part 10 file: preamble, DICM, meta, identifying tags."""
    import struct

    def element(group, elem, vr, value):
        if len(value) % 2:
            value += b'\0' if vr == b'UI' else b' '
        return struct.pack('<HH', group, elem) + vr + struct.pack('<H', len(value)) + value

    sop = ('%s.%d.%d' % (study_uid, series, instance)).encode()
    meta = (struct.pack('<HH', 2, 1) + b'OB\0\0' + struct.pack('<I', 2) + b'\0\1'
            + element(2, 2, b'UI', b'1.2.840.10008.5.1.4.1.1.4')
            + element(2, 3, b'UI', sop)
            + element(2, 0x10, b'UI', b'1.2.840.10008.1.2.1'))
    data = (element(8, 0x16, b'UI', b'1.2.840.10008.5.1.4.1.1.4')
            + element(8, 0x18, b'UI', sop)
            + element(8, 0x60, b'CS', b'MR')
            + element(8, 0x103E, b'LO', ('SERIES%d' % series).encode())
            + element(0x10, 0x10, b'PN', patient.encode())
            + element(0x10, 0x20, b'LO', (patient + '_MR1').encode())
            + element(0x20, 0xD, b'UI', study_uid.encode())
            + element(0x20, 0xE, b'UI', ('%s.%d' % (study_uid, series)).encode())
            + element(0x20, 0x11, b'IS', str(series).encode())
            + element(0x20, 0x13, b'IS', str(instance).encode()))
    group_length = struct.pack('<HH', 2, 0) + b'UL' + struct.pack('<HI', 4, len(meta))
    return b'\0' * 128 + b'DICM' + group_length + meta + data


def ingest_checks(checks, intf, workdir, tag):
    import io
    project_id = 'PYI_%s' % tag
    other_id = 'PYI2_%s' % tag
    patient = 'PAT_%s' % tag
    state = {}

    def prearchive_import():
        for p in (project_id, other_id):
            intf.select.project(p).create()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, 'w') as z:
            for series in (1, 2):
                for instance in (1, 2, 3):
                    z.writestr('%d/IM%d.dcm' % (series, instance),
                               dicom_bytes(patient, '1.2.826.0.1.99.%d' % len(tag), series, instance))
        body = intf._exec('/data/services/import?PROJECT_ID=%s&dest=/prearchive/projects/%s'
                          % (project_id, project_id), 'POST', buf.getvalue(),
                          {'content-type': 'application/zip'})
        uris = body.decode() if isinstance(body, bytes) else body
        expect(uris.endswith('\r\n'), 'import reply is not CRLF-terminated: %r' % uris)
        expect(uris.startswith('/data/prearchive/projects/%s/' % project_id), 'import reply %r' % uris)

    def prearchive_get():
        rows = intf.manage.prearchive.get()
        mine = [r for r in rows if r[0] == project_id]
        expect_eq(len(mine), 1, 'prearchive sessions of %s' % project_id)
        expect_eq(mine[0][2], patient + '_MR1', 'folderName')
        state['triple'] = mine[0]

    def prearchive_status():
        expect_eq(intf.manage.prearchive.status(state['triple']), 'READY', 'status')

    def prearchive_browse():
        triple = state['triple']
        # JsonTable.get() answers a single value for a one-row table, a list otherwise
        expect_eq(sorted(intf.manage.prearchive.get_scans(triple)), ['1', '2'], 'get_scans')
        expect_eq(intf.manage.prearchive.get_resources(triple, '1'), 'DICOM', 'get_resources')
        expect_eq(sorted(intf.manage.prearchive.get_files(triple, '2', 'DICOM')),
                  ['IM1.dcm', 'IM2.dcm', 'IM3.dcm'], 'get_files')
        expect_eq(intf.manage.prearchive.get_uri(triple),
                  '/prearchive/projects/%s/%s/%s' % tuple(triple), 'get_uri')
        intf.manage.prearchive.reset(triple)  # POST action=build as a form body
        expect_eq(intf.manage.prearchive.status(triple), 'READY', 'status after reset')

    def prearchive_move():
        triple = state['triple']
        uri = intf.manage.prearchive.get_uri(triple)
        try:
            intf.manage.prearchive.move([uri], other_id)
        except (AttributeError, TypeError) as e:
            # pyxnat 1.5's move() calls Python 2's urllib.urlencode; send the
            # request it means to send (the same form body) instead.
            expect('urlencode' in str(e) or 'map' in str(e), 'move failed: %s' % e)
            import urllib.parse
            body = '&'.join([urllib.parse.urlencode({'src': uri}),
                             urllib.parse.urlencode({'newProject': other_id}),
                             urllib.parse.urlencode({'async': 'false'})])
            intf._exec('/data/services/prearchive/move?format=csv', 'POST', body,
                       {'content-type': 'application/x-www-form-urlencoded'})
        moved = [r for r in intf.manage.prearchive.get() if r[0] == other_id]
        expect_eq(len(moved), 1, 'sessions of %s after move' % other_id)
        state['triple'] = moved[0]

    def prearchive_delete():
        uri = intf.manage.prearchive.get_uri(state['triple'])
        intf.manage.prearchive.delete(uri)
        expect_eq([r for r in intf.manage.prearchive.get() if r[0] in (project_id, other_id)], [],
                  'prearchive sessions after delete')
        for p in (project_id, other_id):
            intf.select.project(p).delete()

    checks.run('ingest_prearchive_import', prearchive_import)
    checks.run('ingest_prearchive_get', prearchive_get, ['ingest_prearchive_import'])
    checks.run('ingest_prearchive_status', prearchive_status, ['ingest_prearchive_get'])
    checks.run('ingest_prearchive_browse', prearchive_browse, ['ingest_prearchive_get'])
    checks.run('ingest_prearchive_move', prearchive_move, ['ingest_prearchive_get'])
    checks.run('ingest_prearchive_delete', prearchive_delete, ['ingest_prearchive_move'])

# ---------------------------------------------------------------------------
# Search block (issue 12): select(...).where(...), manage.search, inspect and
# array against the search engine. The expected rows are in
# ../resources/search-parity.json, which the SDK's parity test reads too.

def search_checks(checks, intf, other, tag):
    """Runs the search checks with `intf` (the admin) and `other` (a user who
    may not read the project)."""
    import json
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                           'resources', 'search-parity.json')) as f:
        parity = json.load(f)
    project = 'SRCH_%s' % tag
    mr = 'xnat:mrSessionData'
    columns = ['%s/LABEL' % mr, '%s/AGE' % mr, 'xnat:subjectData/SUBJECT_LABEL']
    older = [('%s/PROJECT' % mr, '=', project), ('%s/AGE' % mr, '>', '35'),
             'AND']
    saved_name = 'older_%s' % tag

    def rows(table, keys):
        return sorted([[r[k] for k in keys] for r in table])

    def search_data():
        intf.put('/data/projects/%s' % project).raise_for_status()
        for s in parity['subjects']:
            q = '&'.join('%s=%s' % (k, s[k]) for k in ('gender', 'yob') if k in s)
            intf.put('/data/projects/%s/subjects/%s?%s'
                     % (project, s['label'], q)).raise_for_status()
        for e in parity['sessions']:
            base = '/data/projects/%s/subjects/%s/experiments/%s' % (
                project, e['subject'], e['label'])
            intf.put('%s?xsiType=%s&date=%s' % (base, mr, e['date'])
                     ).raise_for_status()
            for scan_id, scan_type in e['scans']:
                intf.put('%s/scans/%s?xsiType=xnat:mrScanData&type=%s'
                         % (base, scan_id, scan_type)).raise_for_status()

    def search_where():
        table = intf.select(mr, columns).where(older)
        keys = list(table.headers())
        expect_eq(keys, ['label', 'age', 'xnat_subjectdata_subject_label'],
                  'result headers')
        expect_eq(rows(table, keys), parity['older_than_35'], 'rows')

    def search_nested():
        table = intf.select(mr, ['%s/LABEL' % mr]).where(
            [('%s/PROJECT' % mr, '=', project),
             [('%s/AGE' % mr, '<', '35'), ('%s/LABEL' % mr, 'LIKE', '*MR2'),
              'OR'],
             'AND'])
        expect_eq(rows(table, ['label']), parity['nested_or'], 'rows')

    def search_join():
        table = intf.select(mr, ['%s/LABEL' % mr,
                                 'xnat:subjectData/SUBJECT_LABEL']).where(
            [('xnat:subjectData/GENDER_TEXT', '=', 'female'),
             ('%s/PROJECT' % mr, '=', project), 'AND'])
        expect_eq(rows(table, ['label', 'xnat_subjectdata_subject_label']),
                  parity['female_subjects_sessions'], 'rows')

    def search_unreadable_rows_absent():
        table = other.select(mr, columns).where(older)
        expect_eq(len(table), 0, 'rows for a user who may not read %s'
                  % project)

    def search_saved():
        intf.manage.search.save(saved_name, mr, columns, older,
                                sharing='private', description='over 35')
        expect(saved_name in intf.manage.search.saved(),
               '%s not among %r' % (saved_name, intf.manage.search.saved()))
        table = intf.manage.search.get(saved_name)
        expect_eq(rows(table, ['label', 'age', 'xnat_subjectdata_subject_label']),
                  parity['older_than_35'], 'saved search results')
        query = intf.manage.search.get(saved_name, 'query')
        expect_eq(query['row'], mr, 'saved search root')
        expect_eq(query['columns'], columns, 'saved search columns')
        expect(saved_name not in other.manage.search.saved(),
               'a private search is listed for another user')
        intf.manage.search.delete(saved_name)
        expect(saved_name not in intf.manage.search.saved(),
               '%s still listed after delete' % saved_name)

    def search_inspect():
        types = intf.inspect.datatypes()
        expect(mr in types and 'xnat:subjectData' in types,
               'datatypes: %r' % types)
        fields = intf.inspect.datatypes('xnat:subjectData', '*')
        for f in parity['subject_fields']:
            expect('xnat:subjectData/%s' % f in fields,
                   '%s not among %r' % (f, fields))
        values = intf.inspect.field_values('xnat:mrScanData/TYPE')
        expect(set(parity['scan_types']) <= set(values),
               'field_values: %r' % values)

    def search_array():
        exps = intf.array.experiments(project_id=project, experiment_type=mr,
                                      columns=['label'])
        expect_eq(rows(exps, ['label']), parity['experiments'], 'experiments')
        scans = intf.array.scans(project_id=project, experiment_type=mr,
                                 scan_type='xnat:mrScanData', columns=['label'])
        expect_eq(rows(scans, ['label', 'xnat:mrscandata/id']),
                  parity['scans'], 'scans')

    def search_collection_where():
        males = intf.select.project(project).subjects().where(
            [('xnat:subjectData/GENDER_TEXT', '=', 'male'), 'AND'])
        expect_eq(sorted(s.label() for s in males), parity['male_subjects'],
                  'subjects where GENDER_TEXT = male')
        joined = intf.select.project(project).subjects().where(
            [('%s/AGE' % mr, '>=', '40'), 'AND'])
        expect_eq(sorted(s.label() for s in joined),
                  parity['subjects_with_a_session_of_40_or_more'],
                  'subjects with a session of 40 or more')

    checks.run('search_data', search_data)
    for name, fn in (('search_where', search_where),
                     ('search_nested', search_nested),
                     ('search_join', search_join),
                     ('search_unreadable_rows_absent',
                      search_unreadable_rows_absent),
                     ('search_saved', search_saved),
                     ('search_inspect', search_inspect),
                     ('search_array', search_array),
                     ('search_collection_where', search_collection_where)):
        checks.run(name, fn, ['search_data'])


# ---------------------------------------------------------------------------
# Parity block (issue 16): what pyxnat users reach with raw calls or small
# helpers, against the testkit routes the SDK's ParityTest uses too.

def parity_checks(checks, intf, workdir, tag):
    """Runs the parity checks with `intf` (the admin)."""
    import email.utils
    project = 'PAR_%s' % tag
    subject = 'PS_%s' % tag
    session = 'PMR_%s' % tag
    exp_uri = '/data/projects/%s/subjects/%s/experiments/%s' % (
        project, subject, session)
    src = os.path.join(workdir, 'parity.txt')
    write_bytes(src, b'parity\n')

    def parity_setup():
        intf.select.project(project).subject(subject).experiment(
            session).create(experiments='xnat:mrSessionData')
        res = intf.select.project(project).resource('PAR')
        res.file('parity.txt').put(src)

    def parity_last_modified():
        f = intf.select.project(project).resource('PAR').file('parity.txt')
        value = f.last_modified()
        expect(value, 'file.last_modified() gave %r' % (value,))
        expect(email.utils.parsedate_to_datetime(value) is not None,
               'Last-Modified %r is not an HTTP date' % (value,))

    def parity_status():
        r = intf.get(exp_uri + '/status')
        r.raise_for_status()
        expect_eq(r.text, 'active', 'status of a new experiment')
        intf.put(exp_uri + '?quarantine=true').raise_for_status()
        expect_eq(intf.get(exp_uri + '/status').text, 'quarantine',
                  'status after ?quarantine=true')
        intf.put(exp_uri + '?activate=true').raise_for_status()
        expect_eq(intf.get(exp_uri + '/status').text, 'active',
                  'status after ?activate=true')

    def parity_server_info():
        up = intf.get('/xapi/siteConfig/uptime')
        up.raise_for_status()
        expect_eq(sorted(up.json()), ['days', 'hours', 'minutes', 'seconds'],
                  'uptime keys')
        plugins = intf.get('/xapi/plugins')
        plugins.raise_for_status()
        for key, bean in plugins.json().items():
            expect_eq(bean['id'], key, 'plugin id')
        types = intf.get('/data/archive/scan_types?format=json')
        types.raise_for_status()
        expect('Result' in types.json()['ResultSet'], 'scan_types result set')

    checks.run('parity_setup', parity_setup)
    checks.run('parity_last_modified', parity_last_modified, ['parity_setup'])
    checks.run('parity_status', parity_status, ['parity_setup'])
    checks.run('parity_server_info', parity_server_info)



# ---------------------------------------------------------------------------
# Parity gaps block (issue 16, and 13's shared assessor): select '//',
# assessor and reconstruction downloads, triggers, aliases, current_arc
# subfolders and a shared assessor read by its label in the other project.

def parity_gap_checks(checks, intf, workdir, tag):
    """Runs the parity gap checks with `intf` (the admin)."""
    import zipfile
    project = 'PG_%s' % tag
    other = 'PG2_%s' % tag
    alias = 'PGA_%s' % tag
    subject = 'PGS_%s' % tag
    session = 'PGMR_%s' % tag
    subj_uri = '/data/projects/%s/subjects/%s' % (project, subject)
    exp_uri = subj_uri + '/experiments/%s' % session
    src = os.path.join(workdir, 'gap.txt')
    write_bytes(src, b'gap\n')

    def exp():
        return intf.select.project(project).subject(subject).experiment(
            session)

    def gaps_setup():
        exp().create(experiments='xnat:mrSessionData')
        qc = exp().assessor('QC1')
        qc.create(assessors='xnat:qcManualAssessorData')
        qc.out_resource('OUT').file('qc.txt').put(src)
        rc = exp().reconstruction('RC1')
        rc.create(reconstructions='xnat:reconstructedImageData')
        rc.out_resource('OUT').file('rc.txt').put(src)
        intf.select.project(project).resource('NOTES').file('p.txt').put(src)
        intf.put('/data/projects/%s?alias=%s' % (project, alias)
                 ).raise_for_status()
        intf.select.project(other).create()

    def gaps_descendants():
        uris = [f._uri for f in intf.select('/projects/%s//files' % project)]
        for name in ('qc.txt', 'rc.txt', 'p.txt'):
            expect(any(u.endswith('/' + name) for u in uris),
                   '//files lacks %s: %r' % (name, uris))

    def gaps_derived_downloads():
        for coll, name in ((exp().assessors(), 'qc.txt'),
                           (exp().reconstructions(), 'rc.txt')):
            zpath = coll.download(workdir, extract=False)
            with zipfile.ZipFile(zpath) as z:
                names = z.namelist()
            expect(any(n.endswith('/' + name) for n in names),
                   'zip %s lacks %s: %r' % (zpath, name, names))

    def gaps_triggers():
        e = exp()
        e.trigger_pipelines()
        e.fix_scan_types()
        e.pull_data_from_headers()
        e.trigger()

    def gaps_alias():
        by_alias = intf.select.project(alias).subjects().get()
        expect_eq(by_alias, intf.select.project(project).subjects().get(),
                  'subjects through the alias')

    def gaps_current_arc():
        # pyxnat 1.5's set_subfolder_in_current_arc raises TypeError on
        # Python 3 (bytes.lstrip('/')) before it sends anything: send the
        # request it means to send, and read what XNAT stores.
        base = '/data/projects/%s/current_arc' % project
        current = intf.get(base).text
        intf.put('%s/%s/batch2' % (base, current)).raise_for_status()
        expect_eq(intf.get(base).text, current + '/batch2', 'current_arc')

    def gaps_shared_assessor():
        qc = exp_uri + '/assessors/QC1'
        intf.put(subj_uri + '/projects/%s?label=S_IN' % other
                 ).raise_for_status()
        intf.put(exp_uri + '/projects/%s?label=E_IN' % other
                 ).raise_for_status()
        intf.put(qc + '/projects/%s?label=QC_IN' % other).raise_for_status()
        there = intf.select.project(other).subject('S_IN').experiment(
            'E_IN').assessor('QC_IN')
        expect(there.exists(), 'the shared assessor is not listed in %s '
               'under its label there' % other)
        r = intf.get('/data/projects/%s/subjects/S_IN/experiments/E_IN/'
                     'assessors/QC_IN?format=json' % other)
        expect_eq(r.status_code, 200, 'status of the shared assessor by label')

    checks.run('gaps_setup', gaps_setup)
    checks.run('gaps_descendants', gaps_descendants, ['gaps_setup'])
    checks.run('gaps_derived_downloads', gaps_derived_downloads,
               ['gaps_setup'])
    checks.run('gaps_triggers', gaps_triggers, ['gaps_setup'])
    checks.run('gaps_alias', gaps_alias, ['gaps_setup'])
    checks.run('gaps_current_arc', gaps_current_arc, ['gaps_setup'])
    checks.run('gaps_shared_assessor', gaps_shared_assessor, ['gaps_setup'])


# ---------------------------------------------------------------------------
# Metadata (issue 14): documents created from XML (create(xml=...)), xpath
# queries on them, attrs get/set/mget/mset with schema-typed values, custom
# variables (project definitions and subject values), scan parameters
# (set_param/get_param/params) and provenance (set/get). The values asserted
# are the ones the SDK's MetadataTest asserts for the same calls.
# No XML declaration: pyxnat 1.5's create(xml=) parses the text as a str, which
# lxml refuses with an encoding declaration, and then fails on str.decode().
METADATA_SESSION = """<xnat:MRSession label="TO_BE_SET" xmlns:xnat="http://nrg.wustl.edu/xnat"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <xnat:date>2024-03-05</xnat:date>
  <xnat:fields><xnat:field name="site">north</xnat:field></xnat:fields>
  <xnat:scans>
    <xnat:scan ID="1" type="T1w" xsi:type="xnat:mrScanData">
      <xnat:parameters>
        <xnat:voxelRes x="1" y="1" z="1.2"/>
        <xnat:tr>2300</xnat:tr>
        <xnat:addParam name="Phase encoding">ROW</xnat:addParam>
      </xnat:parameters>
    </xnat:scan>
    <xnat:scan ID="2" type="T2w" xsi:type="xnat:mrScanData"/>
  </xnat:scans>
  <xnat:assessors>
    <xnat:assessor label="MQ1" xsi:type="xnat:qcManualAssessorData">
      <xnat:rater>carol</xnat:rater>
    </xnat:assessor>
  </xnat:assessors>
</xnat:MRSession>
"""


def metadata_checks(checks, intf, workdir, tag):
    project = intf.select.project('PYM_%s' % tag)
    subject = project.subject('MS1')
    session = subject.experiment('MM1')
    scan = session.scan('1')
    assessor = session.assessor('MQ1')

    def metadata_create_xml():
        project.create()
        subject.create()
        path = os.path.join(workdir, 'metadata_session.xml')
        write_bytes(path, METADATA_SESSION.encode('utf-8'))
        session.create(xml=path)  # PUT ?allowDataDeletion=true, multipart data.xml
        expect(session.exists(), 'session created from its XML document')
        expect_eq(sorted(session.scans().get()), ['1', '2'],
                  'scans created from the session document')
        expect(assessor.exists(), 'assessor MQ1 created from the session document')

    def metadata_xpath():
        expect_eq(session.xpath('//xnat:scan/@type'), ['T1w', 'T2w'],
                  "session.xpath('//xnat:scan/@type')")
        expect_eq(scan.xpath('//xnat:tr/text()'), ['2300.0'],
                  'tr as XNAT writes a decimal')
        expect_eq(scan.xpath('//xnat:voxelRes/@z'), ['1.2'], 'voxelRes/@z')
        expect_eq(session.xpath("//xnat:field[@name='site']/text()"),
                  ['north'], 'custom field of the session')

    def metadata_params():
        expect_eq(scan.get_param('Phase encoding'), 'ROW', 'get_param')
        scan.set_param('Echo train', '4')
        expect_eq(scan.get_param('Echo train'), '4', 'get_param after set_param')
        expect_eq(sorted(scan.params()), ['Echo train', 'Phase encoding'],
                  'params() keeps each addParam apart')

    def metadata_attrs():
        scan.attrs.mset({'xnat:mrScanData/quality': 'usable',
                         'xnat:mrScanData/parameters/te': '2.50'})
        expect_eq(list(scan.attrs.mget(['xnat:mrScanData/quality',
                                        'xnat:mrScanData/parameters/te'])),
                  ['usable', '2.5'], 'attrs.mget after attrs.mset')
        scan.attrs.set('xnat:mrScanData/parameters/tr', '42')
        expect_eq(scan.attrs.get('xnat:mrScanData/parameters/tr'), '42.0',
                  'attrs.get of a decimal set as 42')

    def metadata_custom_variables():
        project.add_custom_variables(
            {'Subjects': {'clinical': {'bmi': 'float'}}})
        expect_eq(project.get_custom_variables()['Subjects'],
                  {'clinical': {'bmi': 'float'}}, 'get_custom_variables()')
        subject.attrs.set('xnat:subjectData/fields/field[name=bmi]/field', '22.5')
        expect_eq(subject.attrs.get('xnat:subjectData/fields/field[name=bmi]/field'),
                  '22.5', 'custom variable value through attrs.get')
        expect_eq(subject.xpath("//xnat:field[@name='bmi']/text()"), ['22.5'],
                  'custom variable in the subject document')

    def metadata_provenance():
        step = {'program': 'qc', 'program_version': '1.0',
                'timestamp': '2024-03-06T10:00:00', 'user': 'alice',
                'machine': 'm1', 'platform': 'Linux'}
        assessor.provenance.set(step)
        got = assessor.provenance.get()
        expect_eq(len(got), 1, 'provenance steps')
        expect_eq((got[0].get('program'), got[0].get('user'),
                   got[0].get('machine')), ('qc', 'alice', 'm1'),
                  'provenance.get() of the step set')
        expect_eq(assessor.xpath('//prov:program/@version'), ['1.0'],
                  'program version in the assessor document')
        expect_eq(assessor.xpath('//xnat:rater/text()'), ['carol'],
                  'the rest of the assessor document is kept')

    checks.run('metadata_create_xml', metadata_create_xml)
    checks.run('metadata_xpath', metadata_xpath, ['metadata_create_xml'])
    checks.run('metadata_params', metadata_params, ['metadata_create_xml'])
    checks.run('metadata_attrs', metadata_attrs, ['metadata_create_xml'])
    checks.run('metadata_custom_variables', metadata_custom_variables,
               ['metadata_create_xml'])
    checks.run('metadata_provenance', metadata_provenance,
               ['metadata_create_xml'])


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    base_url, user, password, workdir = argv[1:5]
    base_url = base_url.rstrip('/')
    if not os.path.isdir(workdir):
        os.makedirs(workdir)

    tag = uuid.uuid4().hex[:8].upper()
    project_id = 'PYX_%s' % tag
    subject_label = 'SUBJ_%s' % tag
    session_label = 'MR_%s' % tag
    assessor_label = 'QC_%s' % tag
    absent = 'ABSENT_%s' % tag

    dicom_name = 'image1.dcm'
    dicom_data = payload(1, 200 * 1024 + 17)
    nifti_name = 'vol.nii'
    nifti_data = payload(2, 64 * 1024 + 3)
    zip_members = {'a.txt': b'alpha\nline two\n',
                   'sub/b.bin': payload(3, 5000)}
    qc_name = 'report.txt'
    qc_data = b'quality control report\n'

    src = os.path.join(workdir, 'src')
    write_bytes(os.path.join(src, dicom_name), dicom_data)
    write_bytes(os.path.join(src, nifti_name), nifti_data)
    write_bytes(os.path.join(src, qc_name), qc_data)
    zip_path = os.path.join(src, 'bundle.zip')
    with zipfile.ZipFile(zip_path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(zip_members.items()):
            z.writestr(name, data)

    checks = Checks()
    state = {}

    # ------------------------------------------------------------------
    def connect():
        intf = pyxnat.Interface(server=base_url, user=user,
                                password=password)
        intf._http.hooks['response'].append(
            lambda r, *a, **kw: HTTP_LOG.append(r))
        state['intf'] = intf
        entry = intf._get_entry_point()  # GET /data/JSESSION
        if entry != '/data':
            # pyxnat swallowed the error and fell back to /REST; show it.
            try:
                intf._exec('/data/JSESSION')
            except Exception as e:  # noqa: BLE001
                raise AssertionError('GET /data/JSESSION failed, pyxnat fell '
                                     'back to /REST: %s: %s'
                                     % (type(e).__name__, e))
        expect_eq(entry, '/data', 'entry point')
        # _jsession is "JSESSIONID=" + str(body bytes), e.g. "JSESSIONID=b'..'"
        expect(intf._jsession and len(intf._jsession) > len("JSESSIONID=b''"),
               'GET /data/JSESSION returned an empty body: %r'
               % intf._jsession)

    checks.run('connect', connect)
    if 'connect' in checks.failed_names:
        print('%d passed, %d failed' % (checks.passed, checks.failed))
        return 1
    intf = state['intf']
    project = intf.select.project(project_id)
    subject = project.subject(subject_label)
    experiment = subject.experiment(session_label)
    scan1 = experiment.scan('1')
    scan2 = experiment.scan('2')
    assessor = experiment.assessor(assessor_label)
    dicom = scan1.resource('DICOM')
    nifti = scan2.resource('NIFTI')
    zipped = experiment.resource('ZIPPED')
    qc_out = assessor.out_resource('QC')

    def list_projects_before():
        # pyxnat's collections swallow errors, so call the listing directly.
        rows = intf._get_json('/data/projects?format=json&columns=ID')
        expect(isinstance(rows, list), 'listing is not a list: %r' % (rows,))
        for row in rows:
            expect('ID' in row, 'project row without ID column: %r' % (row,))
        ids = intf.select.projects().get()
        expect_eq(sorted(ids), sorted(r['ID'] for r in rows),
                  'select.projects().get() vs raw listing')
        expect(project_id not in ids,
               'project %s listed before creation' % project_id)
        expect(project.exists() is False,
               'exists() of a not-yet-created project')

    def project_create():
        project.create()  # PUT /data/projects/{P}?xsiType=xnat:projectData
        expect(project.exists() is True, 'project.exists() after create()')
        expect_eq(project.id(), project_id, 'project.id()')

    def list_projects():
        ids = intf.select.projects().get()
        expect(project_id in ids,
               'created project %s missing from %r' % (project_id, ids))
        matched = intf.select.projects('PYX_%s*' % tag[:4]).get()
        expect(project_id in matched, 'filtered projects: %r' % (matched,))

    def subject_create():
        subject.create()
        expect(subject.exists() is True, 'subject.exists() after create()')
        expect_eq(subject.label(), subject_label, 'subject.label()')
        sid = subject.id()
        expect(sid and sid != subject_label,
               'subject.id() should be an accession ID, got %r' % (sid,))
        state['subject_id'] = sid
        listed = project.subjects().get()
        expect(sid in listed, 'subject %s not in %r' % (sid, listed))

    def experiment_create():
        experiment.create(experiments='xnat:mrSessionData')
        expect(experiment.exists() is True, 'experiment.exists()')
        expect_eq(experiment.label(), session_label, 'experiment.label()')
        eid = experiment.id()
        expect(eid and eid != session_label,
               'experiment.id() should be an accession ID, got %r' % (eid,))
        state['experiment_id'] = eid
        expect_eq(experiment.datatype(), 'xnat:mrSessionData',
                  'experiment.datatype()')
        listed = subject.experiments().get()
        expect(eid in listed, 'experiment %s not in %r' % (eid, listed))

    def project_experiments():
        # Project.experiments() builds each Experiment through
        # interface.array.experiments(experiment_id=...), which reads the
        # subject_ID column of GET /data/experiments?...&columns=ID,project,
        # xnat:subjectAssessorData/subject_id
        eid = state['experiment_id']
        listed = project.experiments().get()
        expect(eid in listed, 'experiment %s not in project experiments %r'
               % (eid, listed))
        rows = intf.array.experiments(experiment_id=eid).data
        expect_eq([(r.get('ID'), r.get('project'), r.get('subject_ID'))
                   for r in rows],
                  [(eid, project_id, state['subject_id'])],
                  'array.experiments(experiment_id) rows (ID, project, '
                  'subject_ID)')

    def scan_create():
        scan1.create(scans='xnat:mrScanData', type='T1w')
        scan2.create(scans='xnat:mrScanData', type='T2w')
        expect(scan1.exists() is True, 'scan 1 exists()')
        expect(scan2.exists() is True, 'scan 2 exists()')
        expect_eq(scan1.datatype(), 'xnat:mrScanData', 'scan 1 datatype()')
        expect_eq(sorted(experiment.scans().get()), ['1', '2'],
                  'experiment.scans().get()')
        expect_eq(scan1.attrs.get('xnat:mrScanData/type'), 'T1w',
                  "scan1.attrs.get('xnat:mrScanData/type')")

    def assessor_create():
        assessor.create(assessors='xnat:qcManualAssessorData')
        expect(assessor.exists() is True, 'assessor.exists()')
        expect_eq(assessor.label(), assessor_label, 'assessor.label()')
        aid = assessor.id()
        expect(aid and aid != assessor_label,
               'assessor.id() should be an accession ID, got %r' % (aid,))
        expect_eq(assessor.datatype(), 'xnat:qcManualAssessorData',
                  'assessor.datatype()')
        listed = experiment.assessors().get()
        expect(aid in listed, 'assessor %s not in %r' % (aid, listed))

    def resource_create():
        dicom.create()  # bare PUT .../scans/1/resources/DICOM
        expect(dicom.exists() is True, 'resource exists() after create()')
        expect_eq(dicom.label(), 'DICOM', 'resource.label()')
        rid = dicom.id()
        expect(rid is not None and rid.isdigit(),
               'resource id (xnat_abstractresource_id) should be numeric, '
               'got %r' % (rid,))
        listed = scan1.resources().get()
        expect(rid in listed, 'resource %s not in %r' % (rid, listed))

    def file_put_get():
        dicom.file(dicom_name).put(os.path.join(src, dicom_name))
        expect(dicom.file(dicom_name).exists() is True, 'file exists()')
        dest = os.path.join(workdir, 'get', dicom_name)
        os.makedirs(os.path.dirname(dest))
        got = dicom.file(dicom_name).get(dest)
        expect_eq(got, dest, 'file.get() return value')
        data = read_bytes(dest)
        expect(data == dicom_data,
               'downloaded bytes differ: %d bytes vs %d uploaded'
               % (len(data), len(dicom_data)))
        # second file, into another scan, used by the scans download check
        nifti.file(nifti_name).put(os.path.join(src, nifti_name))
        dest2 = os.path.join(workdir, 'get', nifti_name)
        nifti.file(nifti_name).get(dest2)
        expect(read_bytes(dest2) == nifti_data, 'second file bytes differ')
        # assessor out resource
        qc_out.file(qc_name).put(os.path.join(src, qc_name))
        dest3 = os.path.join(workdir, 'get', qc_name)
        qc_out.file(qc_name).get(dest3)
        expect(read_bytes(dest3) == qc_data,
               'assessor out file bytes differ')

    def file_listing_and_size():
        expect_eq(dicom.files().get(), [dicom_name], 'dicom.files().get()')
        expect_eq(qc_out.files().get(), [qc_name], 'qc_out.files().get()')
        expect_eq(dicom.file(dicom_name).size(), str(len(dicom_data)),
                  'file.size()')
        expect_eq(nifti.file(nifti_name).size(), str(len(nifti_data)),
                  'file.size() of second file')

    def put_zip_extract():
        expect(zipped.exists() is False, 'ZIPPED resource exists before')
        zipped.put_zip(zip_path, extract=True)
        expect(zipped.exists() is True,
               'put_zip() did not create the resource')
        # Collection.get() returns the last URI segment of each file, so
        # nested members are told apart with an id filter on the full path.
        listed = sorted(zipped.files().get())
        expect_eq(listed, sorted(os.path.basename(n) for n in zip_members),
                  'files listed after put_zip(extract=True) '
                  '(the archive itself must not be stored)')
        expect_eq(zipped.files('sub/*').get(), ['b.bin'],
                  "zipped.files('sub/*').get() (entry paths kept)")
        expect_eq(zipped.files('*.txt').get(), ['a.txt'],
                  "zipped.files('*.txt').get()")
        for name, data in sorted(zip_members.items()):
            dest = os.path.join(workdir, 'unzipped', name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            zipped.file(name).get(dest)
            expect(read_bytes(dest) == data,
                   'extracted member %s: downloaded bytes differ' % name)
            expect_eq(zipped.file(name).size(), str(len(data)),
                      'size() of extracted member %s' % name)

    def resource_get_zip():
        dest_dir = os.path.join(workdir, 'resource_get')
        os.makedirs(dest_dir)
        members = zipped.get(dest_dir, extract=True)
        expect(isinstance(members, list), 'Resource.get returned %r'
               % (members,))
        root = os.path.join(dest_dir, 'ZIPPED')
        expect_eq(sorted(os.path.relpath(m, root) for m in members),
                  sorted(zip_members), 'Resource.get(extract=True) members')
        for name, data in zip_members.items():
            expect(read_bytes(os.path.join(root, name)) == data,
                   'Resource.get member %s bytes differ' % name)

    def attrs_subject():
        subject.attrs.set('xnat:subjectData/group', 'control')
        expect_eq(subject.attrs.get('xnat:subjectData/group'), 'control',
                  "subject attrs.get('xnat:subjectData/group')")
        subject.attrs.set('xnat:subjectData/group', 'patient')
        expect_eq(subject.attrs.get('xnat:subjectData/group'), 'patient',
                  "subject attrs.get('xnat:subjectData/group') after update")

    def attrs_experiment():
        experiment.attrs.set('xnat:mrSessionData/date', '2021-03-04')
        expect_eq(experiment.attrs.get('xnat:mrSessionData/date'),
                  '2021-03-04', "experiment attrs.get('xnat:mrSessionData/date')")
        experiment.attrs.mset({'xnat:mrSessionData/date': '2022-05-06'})
        expect_eq(experiment.attrs.get('xnat:mrSessionData/date'),
                  '2022-05-06', 'date after attrs.mset()')

    def exists_true_false():
        expect(project.exists() is True, 'project exists')
        expect(subject.exists() is True, 'subject exists')
        expect(experiment.exists() is True, 'experiment exists')
        expect(scan1.exists() is True, 'scan exists')
        expect(dicom.file(dicom_name).exists() is True, 'file exists')
        expect(intf.select.project(absent).exists() is False,
               'absent project exists() should be False')
        expect(project.subject(absent).exists() is False,
               'absent subject exists() should be False')
        expect(subject.experiment(absent).exists() is False,
               'absent experiment exists() should be False')
        expect(experiment.scan('999').exists() is False,
               'absent scan exists() should be False')
        expect(scan1.resource(absent).exists() is False,
               'absent resource exists() should be False')
        expect(dicom.file('absent.dcm').exists() is False,
               'absent file exists() should be False')

    def expected_scan_entries(scans):
        out = {}
        if '1' in scans:
            out['%s/scans/1-T1w/resources/DICOM/files/%s'
                % (session_label, dicom_name)] = dicom_data
        if '2' in scans:
            out['%s/scans/2-T2w/resources/NIFTI/files/%s'
                % (session_label, nifti_name)] = nifti_data
        return out

    def check_download(dest_dir, paths, scans):
        expected = expected_scan_entries(scans)
        rel = file_entries(os.path.relpath(p, dest_dir).replace(os.sep, '/')
                           + ('/' if p.endswith('/') else '')
                           for p in paths)
        expect_eq(rel, sorted(expected), 'zip entries')
        for name, data in expected.items():
            got = read_bytes(os.path.join(dest_dir, name))
            expect(got == data, 'extracted %s: bytes differ (%d vs %d)'
                   % (name, len(got), len(data)))

    def scans_download_all():
        dest_dir = os.path.join(workdir, 'scans_all')
        os.makedirs(dest_dir)
        paths = list(experiment.scans().download(dest_dir, type='ALL',
                                                 extract=True))
        check_download(dest_dir, paths, ['1', '2'])

    def scans_download_by_type():
        dest_dir = os.path.join(workdir, 'scans_t1')
        os.makedirs(dest_dir)
        paths = list(experiment.scans().download(dest_dir, type='T1w',
                                                 extract=True))
        check_download(dest_dir, paths, ['1'])

    def file_delete():
        dicom.file(dicom_name).delete()
        expect(dicom.file(dicom_name).exists() is False,
               'file exists() after delete()')
        expect_eq(dicom.files().get(), [], 'files after delete()')
        zipped.file('a.txt').delete()
        expect_eq(zipped.files().get(), ['b.bin'],
                  'ZIPPED files after deleting a.txt')
        expect_eq(zipped.files('sub/*').get(), ['b.bin'],
                  "ZIPPED files('sub/*') after deleting a.txt")

    def resource_delete():
        zipped.delete()
        expect(zipped.exists() is False, 'resource exists() after delete()')
        expect(experiment.resource('ZIPPED').exists() is False,
               'resource exists() after delete() (fresh object)')

    def assessor_delete():
        assessor.delete()
        expect(assessor.exists() is False, 'assessor exists() after delete()')
        expect_eq(experiment.assessors().get(), [], 'assessors after delete')

    def scan_delete():
        scan2.delete()
        expect(scan2.exists() is False, 'scan exists() after delete()')
        expect_eq(experiment.scans().get(), ['1'], 'scans after delete')

    def experiment_delete():
        experiment.delete()
        expect(experiment.exists() is False,
               'experiment exists() after delete()')
        expect_eq(subject.experiments().get(), [],
                  'subject experiments after delete')

    def subject_delete():
        subject.delete()
        expect(subject.exists() is False, 'subject exists() after delete()')
        expect_eq(project.subjects().get(), [], 'project subjects after delete')

    def project_delete():
        project.delete()
        expect(project.exists() is False, 'project exists() after delete()')
        expect(project_id not in intf.select.projects().get(),
               'project still listed after delete()')

    def disconnect():
        intf.disconnect()  # DELETE /data/JSESSION

    checks.run('list_projects_before', list_projects_before)
    checks.run('project_create', project_create)
    checks.run('list_projects', list_projects, ['project_create'])
    checks.run('subject_create', subject_create, ['project_create'])
    checks.run('experiment_create', experiment_create, ['subject_create'])
    checks.run('project_experiments', project_experiments,
               ['experiment_create'])
    checks.run('scan_create', scan_create, ['experiment_create'])
    checks.run('assessor_create', assessor_create, ['experiment_create'])
    checks.run('resource_create', resource_create, ['scan_create'])
    checks.run('file_put_get', file_put_get,
               ['resource_create', 'assessor_create'])
    checks.run('file_listing_and_size', file_listing_and_size,
               ['file_put_get'])
    checks.run('put_zip_extract', put_zip_extract, ['experiment_create'])
    checks.run('resource_get_zip', resource_get_zip, ['put_zip_extract'])
    checks.run('attrs_subject', attrs_subject, ['subject_create'])
    checks.run('attrs_experiment', attrs_experiment, ['experiment_create'])
    checks.run('exists_true_false', exists_true_false, ['file_put_get'])
    checks.run('scans_download_all', scans_download_all, ['file_put_get'])
    checks.run('scans_download_by_type', scans_download_by_type,
               ['file_put_get'])
    checks.run('file_delete', file_delete,
               ['file_put_get', 'put_zip_extract'])
    checks.run('resource_delete', resource_delete, ['put_zip_extract'])
    checks.run('assessor_delete', assessor_delete, ['assessor_create'])
    checks.run('scan_delete', scan_delete, ['scan_create'])
    checks.run('experiment_delete', experiment_delete, ['experiment_create'])
    checks.run('subject_delete', subject_delete, ['subject_create'])
    checks.run('project_delete', project_delete, ['project_create'])
    ingest_checks(checks, intf, workdir, tag)
    if 'intf' in state:
        other = pyxnat.Interface(server=base_url, user='alice',
                                 password='alicepw')
        search_checks(checks, state['intf'], other, tag)
        parity_checks(checks, state['intf'], workdir, tag)
        parity_gap_checks(checks, state['intf'], workdir, tag)
        metadata_checks(checks, state['intf'], workdir, tag)
    checks.run('disconnect', disconnect)

    print('%d passed, %d failed' % (checks.passed, checks.failed))
    sys.stdout.flush()
    return 1 if checks.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
