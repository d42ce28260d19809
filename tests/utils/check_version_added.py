#!/usr/bin/env python
"""Check that every version_added of the collection's plugins names a release it appears in.

Usage: check_version_added.py   (ansible-doc on PATH, the collection on ANSIBLE_COLLECTIONS_PATH)

A plugin, option, suboption or return value may say `version_added: X.Y.Z` only when X.Y.Z
is a release in changelogs/changelog.yaml or the version galaxy.yml is about to release;
antsibull-changelog lists a module as new in the release whose version is its version_added,
so anything else makes a wrong changelog (and a wrong "Added in" on the docs site).
Entries that inherit the collection's version (none given) are fine. Exits 1 naming each
wrong value; `make docs-lint` runs it.
"""
import json
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = 'posit.connect'


def allowed_versions(root=ROOT):
    """The released versions (changelog.yaml) and the one being prepared (galaxy.yml)."""
    with open(os.path.join(root, 'galaxy.yml'), encoding='utf-8') as handle:
        upcoming = str(yaml.safe_load(handle)['version'])
    with open(os.path.join(root, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
        released = (yaml.safe_load(handle) or {}).get('releases') or {}
    return upcoming, {str(version) for version in released} | {upcoming}


def version_fields(node, where):
    """(where, version) of every version_added under an option or return value tree."""
    for name, entry in sorted((node or {}).items()):
        if not isinstance(entry, dict):
            continue
        here = '%s.%s' % (where, name)
        if 'version_added' in entry and entry.get('version_added_collection', COLLECTION) == COLLECTION:
            yield here, str(entry['version_added'])
        for key in ('suboptions', 'contains', 'options'):
            if isinstance(entry.get(key), dict):
                yield from version_fields(entry[key], here)


def problems(dump, allowed, upcoming):
    found = []
    for plugin_type, plugins in sorted(dump.get('all', {}).items()):
        for name, record in sorted((plugins or {}).items()):
            if not name.startswith(COLLECTION + '.') or not isinstance(record, dict):
                continue
            doc = record.get('doc') or {}
            entries = []
            if 'version_added' in doc:
                entries.append((name, str(doc['version_added'])))
            entries += version_fields(doc.get('options'), name + ' option')
            entries += version_fields(record.get('return'), name + ' return')
            for where, version in entries:
                if version not in allowed:
                    found.append('%s %s: version_added %s is neither a release in changelogs/changelog.yaml '
                                 'nor the coming %s of galaxy.yml' % (plugin_type, where, version, upcoming))
    return found


def main():
    upcoming, allowed = allowed_versions()
    out = subprocess.run(['ansible-doc', '--metadata-dump', '--no-fail-on-errors', COLLECTION],
                         check=True, capture_output=True, text=True).stdout
    dump = json.loads(out)
    count = sum(1 for plugins in dump.get('all', {}).values() for name in (plugins or {})
                if name.startswith(COLLECTION + '.'))
    if not count:
        sys.exit('check_version_added: ansible-doc found no plugin of %s (ANSIBLE_COLLECTIONS_PATH?)' % COLLECTION)
    found = problems(dump, allowed, upcoming)
    for problem in found:
        print('check_version_added: %s' % problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print('check_version_added: %d plugins of %s, every version_added in %s' % (count, COLLECTION, sorted(allowed)))


if __name__ == '__main__':
    main()
