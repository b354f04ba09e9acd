#!/usr/bin/env python3
"""Access checks with pyxnat: users, project roles, accessibility and sharing.

Usage: pyxnat_access_check.py BASE_URL ADMIN ADMIN_PASSWORD USER USER_PASSWORD

ADMIN is a site administrator, USER an ordinary user that owns nothing. Each
check compares what pyxnat reports (manage.users, project.users/owners/members/
collaborators/user_role/add_user/remove_user, set_accessibility,
shares/share/unshare) with the server's raw answers, the ones the Java SDK
reads. Prints PASS/FAIL per check and exits 0 only when every check passes.
"""
import sys
import uuid

import pyxnat

from pyxnat_check import HTTP_LOG, Checks, expect, expect_eq


def raw_rows(intf, path):
    """The rows of a JSON listing, read directly (pyxnat collections hide errors)."""
    r = intf.get(path + ('&' if '?' in path else '?') + 'format=json')
    expect_eq(r.status_code, 200, 'GET %s status' % path)
    return r.json()['ResultSet']['Result']


def status(intf, method, path):
    return getattr(intf, method)(path).status_code


def main(argv):
    if len(argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    base_url, admin_login, admin_pw, user_login, user_pw = argv[1:6]
    base_url = base_url.rstrip('/')
    tag = uuid.uuid4().hex[:8].upper()
    p1_id = 'PYA_%s' % tag
    p2_id = 'PYB_%s' % tag
    subject_label = 'S_%s' % tag

    checks = Checks()
    state = {}

    def connect():
        for key, login, pw in (('admin', admin_login, admin_pw),
                               ('user', user_login, user_pw)):
            intf = pyxnat.Interface(server=base_url, user=login, password=pw)
            intf._http.hooks['response'].append(
                lambda r, *a, **kw: HTTP_LOG.append(r))
            expect_eq(intf._get_entry_point(), '/data', 'entry point')
            state[key] = intf

    checks.run('access_connect', connect)
    if 'access_connect' in checks.failed_names:
        print('%d passed, %d failed' % (checks.passed, checks.failed))
        return 1
    admin = state['admin']
    user = state['user']
    p1 = admin.select.project(p1_id)
    p2 = admin.select.project(p2_id)

    def manage_users():
        logins = admin.manage.users()
        raw = raw_rows(admin, '/data/users')
        expect_eq(sorted(logins), sorted(r['login'] for r in raw),
                  'manage.users() vs /data/users')
        expect(user_login in logins, '%s not in %r' % (user_login, logins))
        record = admin.get('/xapi/users/%s' % user_login).json()
        expect(record['firstName'] != user_login,
               'the server was started without a --user-profile for %s: %r'
               % (user_login, record))
        expect_eq(admin.manage.users.firstname(user_login),
                  record['firstName'], 'firstname')
        expect_eq(admin.manage.users.lastname(user_login),
                  record['lastName'], 'lastname')
        expect_eq(admin.manage.users.email(user_login), record['email'],
                  'email')
        expect_eq(str(admin.manage.users.id(user_login)), str(record['id']),
                  'id')
        # an ordinary user may not list the site's users
        expect_eq(status(user, 'get', '/data/users?format=json'), 403,
                  'GET /data/users as a non-administrator')

    def project_users():
        p1.create()
        expect_eq(p1.users(), [admin_login], 'users() of a new project')
        expect_eq(p1.owners(), [admin_login], 'owners()')
        p1.add_user(user_login, 'member')
        expect_eq(p1.members(), [user_login], 'members() after add_user')
        expect_eq(p1.user_role(user_login), 'member', 'user_role()')
        p1.add_user(user_login, 'collaborator')
        expect_eq(p1.collaborators(), [user_login], 'collaborators()')
        expect_eq(p1.members(), [], 'members() after the move')
        raw = raw_rows(admin, '/data/projects/%s/users' % p1_id)
        expect_eq([(r['login'], r['displayname']) for r in raw],
                  [(admin_login, 'Owners'), (user_login, 'Collaborators')],
                  'the raw group table')
        # a collaborator may not list the project's users
        expect_eq(status(user, 'get', '/data/projects/%s/users' % p1_id),
                  403, 'GET .../users as a collaborator')
        p1.remove_user(user_login)
        expect_eq(p1.users(), [admin_login], 'users() after remove_user')

    def accessibility():
        p1.subject(subject_label).create()
        subjects = '/data/projects/%s/subjects?format=json' % p1_id
        for level, project_status, data_status in (
                ('private', 404, 404), ('protected', 200, 403),
                ('public', 200, 200)):
            p1.set_accessibility(level)
            got = p1.accessibility()
            got = got.decode() if isinstance(got, bytes) else got
            expect_eq(got.strip(), level, 'accessibility() after set')
            expect_eq(status(user, 'get', '/data/projects/%s?format=json'
                             % p1_id), project_status,
                      'an outsider reads a %s project' % level)
            expect_eq(status(user, 'get', subjects), data_status,
                      "an outsider reads a %s project's subjects" % level)
        expect_eq(status(user, 'put', '/data/projects/%s/subjects/X' % p1_id),
                  403, 'an outsider creates in a public project')
        p1.set_accessibility('private')

    def share_unshare():
        p2.create()
        subject = p1.subject(subject_label)
        experiment = subject.experiment('MR_%s' % tag)
        experiment.create(experiments='xnat:mrSessionData')
        try:
            subject.share(p1_id)
            raise AssertionError('pyxnat shared a subject into its own project')
        except ValueError:
            pass
        subject.share(p2_id, label='B_%s' % subject_label)
        experiment.share(p2_id)
        expect_eq(sorted(subject.shares().get()), sorted([p1_id, p2_id]),
                  'subject.shares()')
        expect_eq(sorted(experiment.shares().get()), sorted([p1_id, p2_id]),
                  'experiment.shares()')
        labels = [r['label'] for r in raw_rows(
            admin, '/data/projects/%s/subjects' % p2_id)]
        expect_eq(labels, ['B_%s' % subject_label], 'P2 lists the P2 label')
        expect(p2.subject('B_%s' % subject_label).exists(),
               'the shared subject is read through P2')
        experiment.unshare(p2_id)
        subject.unshare(p2_id)
        expect_eq(subject.shares().get(), [p1_id], 'shares() after unshare')
        expect_eq(p2.subjects().get(), [], 'P2 subjects after unshare')
        expect(subject.exists(), 'the subject stays in its own project')

    def cleanup():
        p1.delete()
        p2.delete()
        admin.disconnect()
        user.disconnect()

    checks.run('access_manage_users', manage_users)
    checks.run('access_project_users', project_users)
    checks.run('access_set_accessibility', accessibility,
               ['access_project_users'])
    checks.run('access_share_unshare', share_unshare,
               ['access_set_accessibility'])
    checks.run('access_cleanup', cleanup)

    print('%d passed, %d failed' % (checks.passed, checks.failed))
    sys.stdout.flush()
    return 1 if checks.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
