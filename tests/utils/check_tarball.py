#!/usr/bin/env python
"""Check a collection tarball: what it holds, its size, and that it installs and runs.

Usage: check_tarball.py [--install] TARBALL

1. It lists the tarball's files (printed as a table of folders) and fails, naming each:
   - a file that is development-only: the tests (tests/, the simulator included), the
     Makefile, CI and tool configuration (.ci/, .github/, .gitignore, .ansible-lint);
   - anything a build or a test run leaves behind: venvs, build/ and dist/ folders (the
     docs site in build/docs/ too), .sim/, *.egg-info, caches, *.pyc, .git, ansible-test's
     output, generated test config, tarballs, reports;
   - a file that git would not ship from this checkout (neither tracked nor untracked and
     not ignored: what tests/utils/sync-collection.py copies), besides the MANIFEST.json and
     FILES.json that ansible-galaxy writes (which must be there).
2. It fails when the tarball is larger than SIZE_LIMIT (400 KiB, compressed): the
   collection is about 305 KiB at 1.0.0 (nine modules, the guides with their figure, the
   changelog); shipping the tests would add about 230 KiB, which the limit catches.
3. With --install: `ansible-galaxy collection install` puts it into an empty temporary
   path, and from there (nothing else on ANSIBLE_COLLECTIONS_PATH, no checkout around it)
   ansible-doc reads a module's documentation and a playbook runs connect_user_info and
   connect_user against a simulator started with tests/utils/sims.py, asserting what they
   return and that the modules were the installed ones.

`make galaxy` runs it with --install on the tarball it checks (with the tools of
.venv-ecosystem); tests/ecosystem/test_tarball.py uses junk() and dev_only() on a copy
seeded with junk.
"""
import fnmatch
import json
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMS = os.path.join(ROOT, 'tests', 'utils', 'sims.py')
SIZE_LIMIT = 400 * 1024
GALAXY_FILES = ('MANIFEST.json', 'FILES.json')
# Path components that never belong in the tarball.
JUNK_PARTS = ('.venv*', 'build', 'dist', '.sim', '*.egg-info', '__pycache__', '.pytest_cache', '.ansible',
              '.git', '.tox', '.ci')
# File names and whole paths that never belong in it.
JUNK_NAMES = ('*.pyc', '*.tar.gz', '*.retry', 'importer_result.json', '.plugin-cache.yaml', 'connect-drift-report.md')
JUNK_PATHS = ('tests/output/*', 'tests/integration/integration_config.yml', 'tests/integration/inventory')
# The project's own files that are for its development, not for users of the collection.
DEV_ONLY = ('tests/*', 'Makefile', '.ci/*', '.github/*', '.gitignore', '.ansible-lint')

PLAYBOOK = """\
- name: The installed collection runs
  hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/posit.connect.connect:
      url: "{{ lookup('ansible.builtin.env', 'CONNECT_SERVER') }}"
      api_key: "{{ lookup('ansible.builtin.env', 'CONNECT_API_KEY') }}"
  tasks:
    - name: Read the administrator account
      posit.connect.connect_user_info:
        username: admin
      register: admin
    - name: Create an account
      posit.connect.connect_user:
        username: tarball-check
        email: tarball-check@example.com
        user_role: viewer
        user_must_set_password: true
      register: created
    - name: Read it back
      posit.connect.connect_user_info:
        username: tarball-check
      register: found
    - name: What they returned
      ansible.builtin.assert:
        that:
          - admin.count == 1 and admin.users[0].user_role == 'administrator'
          - created is changed
          - found.count == 1 and found.users[0].email == 'tarball-check@example.com'
"""


def member_files(tarball):
    """The regular files in the tarball, as paths relative to the collection root."""
    with tarfile.open(tarball, 'r:gz') as tar:
        return sorted(os.path.normpath(m.name) for m in tar.getmembers() if m.isfile())


def junk(paths):
    """The paths among ``paths`` that a build or test run left behind."""
    found = []
    for path in paths:
        parts = path.split('/')
        if (any(fnmatch.fnmatchcase(part, pattern) for part in parts[:-1] for pattern in JUNK_PARTS)
                or any(fnmatch.fnmatchcase(parts[-1], pattern) for pattern in JUNK_NAMES)
                or any(fnmatch.fnmatchcase(path, pattern) for pattern in JUNK_PATHS)):
            found.append(path)
    return found


def dev_only(paths):
    """The paths among ``paths`` that are the project's development files (tests, Makefile, CI)."""
    return [path for path in paths if any(fnmatch.fnmatchcase(path, pattern) for pattern in DEV_ONLY)]


def shipped_files(root=ROOT):
    """What git would ship from ``root``: tracked and untracked-but-not-ignored files."""
    out = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'],
                         cwd=root, check=True, capture_output=True).stdout
    return {n for n in out.decode().split('\0') if n and os.path.isfile(os.path.join(root, n))}


def problems(tarball, shipped, size_limit=SIZE_LIMIT):
    """Sentences naming each file that should not be in the tarball, missing galaxy files, and too large a size."""
    members = member_files(tarball)
    files = [f for f in members if f not in GALAXY_FILES]
    left_behind = junk(files)
    development = [path for path in dev_only(files) if path not in left_behind]
    found = ['left behind by a build or test run: %s' % path for path in left_behind]
    found += ['for development only, not for users: %s' % path for path in development]
    found += ['not a file of the collection (git would not ship it): %s' % path
              for path in files if path not in shipped and path not in left_behind and path not in development]
    found += ['no %s (not an ansible-galaxy build?)' % name for name in GALAXY_FILES if name not in members]
    size = os.path.getsize(tarball)
    if size > size_limit:
        found.append('%d KiB, over the limit of %d KiB (SIZE_LIMIT in %s)'
                     % (size // 1024, size_limit // 1024, os.path.relpath(__file__, ROOT)))
    return found


def listing(tarball):
    """The tarball's files counted and sized by top folder, as lines."""
    folders = {}
    with tarfile.open(tarball, 'r:gz') as tar:
        for member in tar.getmembers():
            if member.isfile():
                top = member.name.split('/')[0] + ('/' if '/' in member.name else '')
                count, size = folders.get(top, (0, 0))
                folders[top] = (count + 1, size + member.size)
    lines = ['%-22s %4d files %8.1f KiB' % (top, count, size / 1024.0) for top, (count, size) in sorted(folders.items())]
    files = sum(count for count, unused_size in folders.values())
    size = sum(size for unused_count, size in folders.values())
    lines.append('%-22s %4d files %8.1f KiB uncompressed, %.1f KiB compressed (limit %d KiB)' % (
        'total', files, size / 1024.0, os.path.getsize(tarball) / 1024.0, SIZE_LIMIT // 1024))
    return lines


def clean_env(**extra):
    """The environment without anything that points Ansible or the modules elsewhere."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'CONNECT_'))}
    env.update(ANSIBLE_NOCOLOR='1', ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false', ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_PYTHON_INTERPRETER=sys.executable, **extra)
    return env


def tool(name):
    """A console script beside the running interpreter (a venv's), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else name


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        sys.exit('check_tarball: %s failed (exit %d):\n%s%s'
                 % (' '.join(command), result.returncode, result.stdout[-4000:], result.stderr[-4000:]))
    return result.stdout


def install_and_run(tarball):
    """Installs the tarball into an empty path and runs modules from there against a simulator."""
    with tempfile.TemporaryDirectory(prefix='tarball-check-') as work:
        path = os.path.join(work, 'collections')
        run([tool('ansible-galaxy'), 'collection', 'install', '--offline', '-p', path, os.path.abspath(tarball)],
            cwd=work, env=clean_env())
        env = clean_env(ANSIBLE_COLLECTIONS_PATH=path)
        installed = os.path.join(path, 'ansible_collections', 'posit', 'connect')
        doc = json.loads(run([tool('ansible-doc'), '--json', 'posit.connect.connect_user_info'], cwd=work, env=env))
        filename = doc['posit.connect.connect_user_info']['doc']['filename']
        if not os.path.realpath(filename).startswith(os.path.realpath(installed) + os.sep):
            sys.exit('check_tarball: ansible-doc read %s, not the installed collection in %s' % (filename, installed))
        listed = json.loads(run([tool('ansible-galaxy'), 'collection', 'list', '--format', 'json'], cwd=work, env=env))
        where = sorted(folder for folder, collections in listed.items() if 'posit.connect' in collections)
        if [os.path.realpath(folder) for folder in where] != [os.path.realpath(os.path.dirname(os.path.dirname(installed)))]:
            sys.exit('check_tarball: posit.connect is found in %s, not only where it was installed' % where)
        state = os.path.join(work, 'sims')
        try:
            config = json.loads(run([sys.executable, SIMS, 'start', '--state-dir', state, '--print-vars', 'password'],
                                    cwd=work))
            playbook = os.path.join(work, 'installed.yml')
            with open(playbook, 'w', encoding='utf-8') as handle:
                handle.write(PLAYBOOK)
            out = run([tool('ansible-playbook'), '-i', 'localhost,', playbook, '-v'], cwd=work,
                      env=dict(env, CONNECT_SERVER=config['connect_url'], CONNECT_API_KEY=config['connect_api_key']))
        finally:
            subprocess.run([sys.executable, SIMS, 'stop', '--state-dir', state], capture_output=True, check=False)
        if 'failed=0' not in out:
            sys.exit('check_tarball: the playbook did not run the installed modules:\n%s' % out[-4000:])
        print('check_tarball: installed into an empty path; ansible-doc and connect_user_info / connect_user '
              'ran from it against a simulator')


def main(argv):
    install = '--install' in argv
    args = [arg for arg in argv if arg != '--install']
    if len(args) != 1 or args[0].startswith('-'):
        sys.exit(__doc__)
    tarball = args[0]
    for line in listing(tarball):
        print('check_tarball: ' + line)
    found = problems(tarball, shipped_files())
    for problem in found:
        print('check_tarball: %s' % problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print('check_tarball: %s holds only the collection\'s files' % os.path.basename(tarball))
    if install:
        install_and_run(tarball)


if __name__ == '__main__':
    main(sys.argv[1:])
