#!/usr/bin/env python
"""Mirror the collection into build/ansible_collections/posit/connect/.

ansible-test only works when the collection sits at
ansible_collections/<namespace>/<name>/, so we test a copy. The copy holds
exactly the files git would ship (tracked + untracked-but-not-ignored, i.e.
`git ls-files -co --exclude-standard`); files that vanished from the work
tree are deleted from the copy. Plain Python instead of rsync so that a fresh
machine needs nothing extra.

Usage: sync-collection.py [DEST] [EXTRA_FILE...]
  EXTRA_FILE: git-ignored files to copy as well (e.g. the generated
  tests/integration/integration_config.yml).
"""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DEST = os.path.join(ROOT, 'build', 'ansible_collections', 'posit', 'connect')
# ansible-test writes its results here; keep them across syncs.
KEEP = ('tests/output/',)


def wanted_files(extra):
    out = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'],
                         cwd=ROOT, check=True, capture_output=True).stdout
    names = {n for n in out.decode().split('\0') if n}
    names.update(os.path.relpath(os.path.abspath(e), ROOT) for e in extra)
    # `ls-files -c` still lists files deleted from the work tree but not from the index.
    return {n for n in names if os.path.isfile(os.path.join(ROOT, n))}


def sync(dest, extra):
    files = wanted_files(extra)
    copied = 0
    for name in sorted(files):
        src, dst = os.path.join(ROOT, name), os.path.join(dest, name)
        s = os.stat(src)
        try:
            d = os.stat(dst)
            if d.st_size == s.st_size and int(d.st_mtime) == int(s.st_mtime):
                continue
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        copied += 1

    removed = 0
    for dirpath, dirnames, filenames in os.walk(dest, topdown=False):
        rel_dir = os.path.relpath(dirpath, dest)
        rel_dir = '' if rel_dir == '.' else rel_dir + '/'
        if rel_dir.startswith(KEEP):
            continue
        for f in filenames:
            if rel_dir + f not in files:
                os.remove(os.path.join(dirpath, f))
                removed += 1
        if dirpath != dest and not os.listdir(dirpath):
            os.rmdir(dirpath)
    print(f'sync-collection: {len(files)} files in {os.path.relpath(dest, ROOT)} '
          f'({copied} copied, {removed} removed)')


if __name__ == '__main__':
    args = sys.argv[1:]
    dest = os.path.abspath(args.pop(0)) if args else DEFAULT_DEST
    sync(dest, args)
