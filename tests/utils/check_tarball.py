#!/usr/bin/env python
"""Check that a collection tarball holds the collection's files and nothing else.

Usage: check_tarball.py TARBALL

Every file in it, besides the MANIFEST.json and FILES.json that ansible-galaxy
writes, must be one that git would ship from this checkout (tracked, or untracked
but not ignored: what tests/utils/sync-collection.py copies), and no path may be
or pass through what a build or a test run leaves behind (venvs, build/ and dist/
folders, .sim/, *.egg-info, caches, ansible-test's output, generated test config).
Exits 1 and names each problem when there is one. `make galaxy` runs it on the
tarball it checks; tests/ecosystem/test_tarball.py uses junk() on a seeded copy.
"""
import fnmatch
import os
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GALAXY_FILES = ('MANIFEST.json', 'FILES.json')
# Path components that never belong in the tarball.
JUNK_PARTS = ('.venv*', 'build', 'dist', '.sim', '*.egg-info', '__pycache__', '.pytest_cache', '.ansible',
              '.git', '.tox', '.ci')
# File names and whole paths that never belong in it.
JUNK_NAMES = ('*.pyc', '*.tar.gz', '*.retry', 'importer_result.json', '.plugin-cache.yaml')
JUNK_PATHS = ('tests/output/*', 'tests/integration/integration_config.yml', 'tests/integration/inventory')


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


def shipped_files(root=ROOT):
    """What git would ship from ``root``: tracked and untracked-but-not-ignored files."""
    out = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'],
                         cwd=root, check=True, capture_output=True).stdout
    return {n for n in out.decode().split('\0') if n and os.path.isfile(os.path.join(root, n))}


def problems(tarball, shipped):
    """Sentences naming each file that should not be in the tarball (and missing galaxy files)."""
    members = member_files(tarball)
    files = [f for f in members if f not in GALAXY_FILES]
    left_behind = junk(files)
    found = ['left behind by a build or test run: %s' % path for path in left_behind]
    found += ['not a file of the collection (git would not ship it): %s' % path
              for path in files if path not in shipped and path not in left_behind]
    found += ['no %s (not an ansible-galaxy build?)' % name for name in GALAXY_FILES if name not in members]
    return found


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    found = problems(argv[0], shipped_files())
    for problem in found:
        print('check_tarball: %s' % problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print('check_tarball: %s holds only the collection\'s files' % os.path.basename(argv[0]))


if __name__ == '__main__':
    main(sys.argv[1:])
