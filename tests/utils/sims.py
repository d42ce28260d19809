#!/usr/bin/env python
"""Start and stop the Connect API simulators used by the integration tests.

  sims.py start [NAME...]   start the simulators (all by default) in the
                            background, wait until each is ready, write
                            tests/integration/integration_config.yml
  sims.py stop              stop every simulator started from this checkout
  sims.py env NAME          print `export CONNECT_SERVER=...` lines for one

Each simulator runs `connect-sim --port 0 --ready-file .sim/NAME.json ...`;
the simulator writes that file ({"url", "api_key", "pid", "ca_file"?}) once
it listens. State lives in .sim/ at the repository root.
"""
import json
import shlex
import os
import shutil
import signal
import subprocess
import sys
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.path.join(ROOT, '.sim')
CONFIG = os.path.join(ROOT, 'tests', 'integration', 'integration_config.yml')
READY_TIMEOUT = 60

# name -> extra connect-sim arguments; `password` is the default target.
SIMS = {
    'password': ['--version', '2025.04.0'],
    'ldap': ['--provider', 'ldap'],
    'saml': ['--provider', 'saml'],
    'saml_provisioning': ['--provider', 'saml', '--group-provisioning'],
    'v2023': ['--version', '2023.09.0'],
    'v2022': ['--version', '2022.10.0'],
    'hidden': ['--version', 'hidden'],
    'tls': ['--tls'],
}


def connect_sim():
    # Prefer the one installed next to the running interpreter (.venv/bin).
    beside = os.path.join(os.path.dirname(sys.executable), 'connect-sim')
    found = beside if os.path.exists(beside) else shutil.which('connect-sim')
    if not found:
        sys.exit('sims.py: connect-sim not found; run `make venv` first')
    return found


def path(name, ext):
    return os.path.join(STATE, name + ext)


def read_ready(name):
    with open(path(name, '.json'), encoding='utf-8') as f:
        return json.load(f)


def start(names):
    stop(quiet=True)  # leftovers of an interrupted run would hold stale state
    os.makedirs(STATE, exist_ok=True)
    exe = connect_sim()
    procs = {}
    for name in names:
        if os.path.exists(path(name, '.json')):
            os.remove(path(name, '.json'))
        cmd = [exe, '--port', '0', '--ready-file', path(name, '.json')] + SIMS[name]
        with open(path(name, '.log'), 'w', encoding='utf-8') as log:
            # A new session: the simulators outlive this script and don't get
            # the terminal's Ctrl-C; `stop` ends them by pid.
            procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, start_new_session=True)
        with open(path(name, '.pid'), 'w', encoding='utf-8') as f:
            f.write(str(procs[name].pid))

    deadline = time.monotonic() + READY_TIMEOUT
    pending = set(names)
    while pending:
        for name in sorted(pending):
            if procs[name].poll() is not None:
                fail('%s exited with code %s' % (name, procs[name].returncode), name)
            try:
                read_ready(name)
                pending.discard(name)
            except (FileNotFoundError, ValueError):  # not there or half written
                pass
        if pending and time.monotonic() > deadline:
            fail('not ready after %ss: %s' % (READY_TIMEOUT, ', '.join(sorted(pending))), sorted(pending)[0])
        time.sleep(0.1)

    sims = {}
    for name in names:
        ready = read_ready(name)
        sims[name] = {'url': ready['url'], 'api_key': ready['api_key']}
        for extra in ('ca_file', 'admin_guid'):
            if ready.get(extra):
                sims[name][extra] = ready[extra]
        print('sims.py: %-8s %s' % (name, ready['url']))
    default = sims.get('password') or sims[names[0]]
    config = {'connect_url': default['url'], 'connect_api_key': default['api_key'], 'connect_sims': sims}
    with open(CONFIG, 'w', encoding='utf-8') as f:
        f.write('# Written by tests/utils/sims.py start; do not edit.\n')
        yaml.safe_dump(config, f, default_flow_style=False, sort_keys=False)


def fail(message, name):
    print('sims.py: %s' % message, file=sys.stderr)
    try:
        with open(path(name, '.log'), encoding='utf-8') as f:
            print('--- .sim/%s.log ---\n%s' % (name, f.read()[-3000:]), file=sys.stderr)
    except OSError:
        pass
    stop(quiet=True)
    sys.exit(1)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); treat it as gone.
    try:
        with open('/proc/%d/stat' % pid, encoding='utf-8') as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return True


def stop(quiet=False):
    if not os.path.isdir(STATE):
        return
    pids = set()
    for entry in os.listdir(STATE):
        name, ext = os.path.splitext(entry)
        try:
            if ext == '.pid':
                with open(path(name, '.pid'), encoding='utf-8') as f:
                    pids.add(int(f.read().strip()))
                os.remove(path(name, '.pid'))
            elif ext == '.json':
                pids.add(int(read_ready(name)['pid']))
                os.remove(path(name, '.json'))
        except (OSError, ValueError, KeyError):
            pass
    pids = {p for p in pids if p > 1 and alive(p)}
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    if pids and not quiet:
        print('sims.py: stopped %d simulator process(es)' % len(pids))


def env(name):
    ready = read_ready(name)
    print('export CONNECT_SERVER=%s' % shlex.quote(ready['url']))
    print('export CONNECT_API_KEY=%s' % shlex.quote(ready['api_key']))
    if ready.get('ca_file'):
        print('export CONNECT_CA_CERTIFICATE=%s' % shlex.quote(ready['ca_file']))


def main(argv):
    if not argv or argv[0] not in ('start', 'stop', 'env'):
        sys.exit(__doc__)
    command, names = argv[0], argv[1:]
    unknown = [n for n in names if n not in SIMS]
    if unknown:
        sys.exit('sims.py: unknown simulator(s): %s (known: %s)' % (', '.join(unknown), ', '.join(SIMS)))
    if command == 'start':
        start(names or list(SIMS))
    elif command == 'stop':
        stop()
    elif len(names) == 1:
        env(names[0])
    else:
        sys.exit('usage: sims.py env NAME')


if __name__ == '__main__':
    main(sys.argv[1:])
