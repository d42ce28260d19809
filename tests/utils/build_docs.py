#!/usr/bin/env python
"""Build the collection's HTML documentation: module pages, guides and changelog.

Usage: build_docs.py COLLECTION OUT

COLLECTION is a copy of the collection at .../ansible_collections/posit/connect that
ansible-doc finds through ANSIBLE_COLLECTIONS_PATH; OUT receives src/ (the Sphinx source
made here) and html/ (the site; open OUT/html/index.html). `make docs` runs it with the
tools of .venv-docs on PATH (antsibull-docs, antsibull-changelog, sphinx-build).

- The module pages come from `antsibull-docs collection` (the pages docs.ansible.com has).
- The guides are README.md and docs/*.md as they are, read by myst-parser: in the order of
  README's "Documentation" list, then any other page of docs/ (so a new guide cannot be
  left out); examples/ and docs/awx/ are copied beside them, so that their links work.
- The changelog is CHANGELOG.rst when galaxy.yml's version is released; before that, a
  preview: `antsibull-changelog release` run on a scratch copy, under a note saying so.
- Sphinx runs with -W (and nitpicky): any warning fails the build.
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

CONF = r'''# Written by tests/utils/build_docs.py; do not edit.
project = 'posit.connect'
author = 'Posit Connect collection maintainers'
copyright = 'Posit Connect collection contributors, GPL-3.0-or-later'
version = release = {version!r}
title = 'posit.connect {version}'
html_title = 'posit.connect {version}'
html_short_title = 'posit.connect'
extensions = ['myst_parser', 'sphinx_antsibull_ext']
source_suffix = {{'.rst': 'restructuredtext', '.md': 'markdown'}}
root_doc = 'index'
# Not pages: copied so that the guides' links to them work (they become downloads).
exclude_patterns = ['examples/**', 'docs/awx/**', 'docs/docsite/**']
# GitHub-style anchors, so the guides' links to users.md#some-heading resolve.
myst_heading_anchors = 4
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'
html_theme = 'sphinx_ansible_theme'
html_theme_options = {{'collapse_navigation': False, 'display_version': False}}
html_show_sphinx = False
html_copy_source = False
html_use_modindex = False
html_use_index = False
default_role = 'any'
nitpicky = True

# The module pages link to Ansible's own docs (ansible.builtin modules, common return values...),
# which intersphinx would fetch from the network. Those references are made links to
# docs.ansible.com here instead; any other unresolved reference still fails the build.
import re  # noqa: E402
from docutils import nodes  # noqa: E402

ANSIBLE_DOCS = 'https://docs.ansible.com/ansible/latest/'
CORE_LABELS = {{
    'common_return_values': ('reference_appendices/common_return_values.html', 'Return Values'),
    'action_plugins': ('plugins/action.html', 'Action plugins'),
    'ansible_configuration_settings': ('reference_appendices/config.html', 'Ansible Configuration Settings'),
}}
PLUGIN_LABEL = re.compile(r'ansible_collections\.([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)_([a-z_]+)'
                          r'(?:__(parameter|return|attribute)-(.+))?')


def ansible_docs_link(app, env, node, contnode):
    if node.get('refdomain') != 'std' or node.get('reftype') != 'ref':
        return None
    target, title = node.get('reftarget', ''), None
    if target in CORE_LABELS:
        path, title = CORE_LABELS[target]
        url = ANSIBLE_DOCS + path
    else:
        match = PLUGIN_LABEL.fullmatch(target)
        if not match or (match.group(1), match.group(2)) == ('posit', 'connect'):
            return None  # ours must resolve here
        namespace, name, plugin, kind, entry, entry_name = match.groups()
        url = '%scollections/%s/%s/%s_%s.html' % (ANSIBLE_DOCS, namespace, name, plugin, kind)
        if entry:
            url += '#%s-%s' % ('return' if entry == 'return' else entry, entry_name)
    reference = nodes.reference('', '', internal=False, refuri=url)
    reference += contnode if node.get('refexplicit') or not title else nodes.inline(title, title)
    return reference


def setup(app):
    app.connect('missing-reference', ansible_docs_link)
'''

INDEX = '''posit.connect {version}
{underline}

Ansible modules that manage the users, groups and group memberships of a Posit Connect
server through its Server API. Start with :doc:`README` (installation, connection settings)
and :doc:`docs/getting-started`; every module's options and return values are under
:doc:`collection/index`.

.. toctree::
   :maxdepth: 1
   :caption: Overview

   README

.. toctree::
   :maxdepth: 1
   :caption: Guides

{guides}

.. toctree::
   :maxdepth: 2
   :caption: Reference

   collection/index
   changelog
'''


def galaxy(collection):
    with open(os.path.join(collection, 'galaxy.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def run(command, **kwargs):
    print('build_docs: ' + ' '.join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)


def guide_order(collection):
    """docs/*.md in README's order (its links under "## Documentation"), then the rest by name."""
    with open(os.path.join(collection, 'README.md'), encoding='utf-8') as handle:
        readme = handle.read()
    section = re.search(r'^## Documentation\n(.*?)(?=^## |\Z)', readme, re.MULTILINE | re.DOTALL)
    listed = re.findall(r'\]\((docs/[^)#]+\.md)\)', section.group(1)) if section else []
    present = sorted('docs/' + name for name in os.listdir(os.path.join(collection, 'docs')) if name.endswith('.md'))
    order = [page for page in dict.fromkeys(listed) if page in present]
    return order + [page for page in present if page not in order]


def copy_guides(collection, src):
    shutil.copy2(os.path.join(collection, 'README.md'), os.path.join(src, 'README.md'))
    shutil.copy2(os.path.join(collection, 'LICENSE'), os.path.join(src, 'LICENSE'))
    for folder in ('docs', 'examples'):
        shutil.copytree(os.path.join(collection, folder), os.path.join(src, folder))


def module_pages(src):
    """antsibull-docs' pages of the collection (index and one per module) in src/collection."""
    dest = os.path.join(src, 'collection')
    os.makedirs(dest, mode=0o755)
    run(['antsibull-docs', 'collection', '--use-current', '--squash-hierarchy', '--dest-dir', dest,
         '--no-indexes', '--no-breadcrumbs', 'posit.connect'])


def released_versions(collection):
    with open(os.path.join(collection, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
        return {str(version) for version in ((yaml.safe_load(handle) or {}).get('releases') or {})}


def changelog_page(collection, src, version):
    """src/changelog.rst: the released changelog, or a preview of the coming release."""
    target = os.path.join(src, 'changelog.rst')
    if version in released_versions(collection):
        shutil.copy2(os.path.join(collection, 'CHANGELOG.rst'), target)
        return
    with tempfile.TemporaryDirectory(prefix='changelog-preview-') as scratch:
        copy = os.path.join(scratch, 'ansible_collections', 'posit', 'connect')
        shutil.copytree(collection, copy, ignore=shutil.ignore_patterns('output', '__pycache__'))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=scratch, GIT_CEILING_DIRECTORIES=scratch)
        run(['antsibull-changelog', 'release', '--version', version,
             '--date', datetime.date.today().isoformat()], cwd=copy, env=env)
        with open(os.path.join(copy, 'CHANGELOG.rst'), encoding='utf-8') as handle:
            text = handle.read()
    note = ('.. note::\n\n   %s is not released yet: this is a preview of its entry, made from the fragments in\n'
            '   ``changelogs/fragments/`` as ``make release-notes VERSION=%s`` would make it.\n\n' % (version, version))
    # After the title (over- and underlined with "=") and before the first section.
    title = re.match(r'(=+\n[^\n]+\n=+\n\n)', text)
    text = text[:title.end()] + note + text[title.end():] if title else note + text
    with open(target, 'w', encoding='utf-8') as handle:
        handle.write(text)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    collection, out = (os.path.abspath(arg) for arg in argv)
    version = str(galaxy(collection)['version'])
    src, html = os.path.join(out, 'src'), os.path.join(out, 'html')
    for folder in (src, html, os.path.join(out, 'doctrees')):
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(src)
    copy_guides(collection, src)
    module_pages(src)
    changelog_page(collection, src, version)
    guides = '\n'.join('   ' + page[:-len('.md')] for page in guide_order(collection))
    title = 'posit.connect %s' % version
    with open(os.path.join(src, 'index.rst'), 'w', encoding='utf-8') as handle:
        handle.write(INDEX.format(version=version, underline='=' * len(title), guides=guides))
    with open(os.path.join(src, 'conf.py'), 'w', encoding='utf-8') as handle:
        handle.write(CONF.format(version=version))
    run(['sphinx-build', '-b', 'html', '-W', '--keep-going', '-n', '-q', '-d', os.path.join(out, 'doctrees'),
         src, html])
    print('build_docs: the site is in %s (open %s)' % (os.path.relpath(html), os.path.relpath(os.path.join(html, 'index.html'))))


if __name__ == '__main__':
    main(sys.argv[1:])
