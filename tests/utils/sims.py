#!/usr/bin/env python
"""Start and stop the Connect API simulators used by the integration tests.

  sims.py start [OPTIONS] [NAME...]
                            start the simulators (all of SIMS by default; those of
                            ON_REQUEST only when named) in the background, wait
                            until each is ready, write
                            tests/integration/integration_config.yml
  sims.py stop [--state-dir DIR]
                            stop every simulator started from this checkout
  sims.py env NAME          print `export CONNECT_SERVER=...` lines for one

Options of start (the integration tests' setup role, setup_connect_sim, uses the last three):
  --state-dir DIR           keep the ready, pid and log files in DIR instead of .sim/
  --private-state           keep them in a new temporary directory instead (removed again
                            when start fails, or by the watcher of --stop-with-playbook)
  --print-vars              print the integration variables (connect_url, connect_api_key,
                            connect_sims) as JSON instead of writing integration_config.yml
  --stop-with-playbook      leave a watcher behind that stops these simulators (and removes
                            --state-dir) when the ansible-playbook process that runs this
                            script ends, however it ends

Each simulator runs `connect-sim --port 0 --ready-file .sim/NAME.json ...`;
the simulator writes that file ({"url", "api_key", "pid", "ca_file"?}) once
it listens. State lives in .sim/ at the repository root unless --state-dir is given.
connect-sim is the one installed beside this Python, else the simulator's
source in tests/simulator run with this Python (whose environment then needs
the simulator's dependencies: tests/integration/requirements.txt lists them),
else the one on PATH.
"""
import importlib.util
import json
import shlex
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.path.join(ROOT, '.sim')
CONFIG = os.path.join(ROOT, 'tests', 'integration', 'integration_config.yml')
SIM_SOURCE = os.path.join(ROOT, 'tests', 'simulator')
READY_TIMEOUT = 60

# name -> extra connect-sim arguments; `password` is the default target.
SIMS = {
    'password': ['--version', '2025.04.0'],
    'ldap': ['--provider', 'ldap'],
    'saml': ['--provider', 'saml'],
    'saml_provisioning': ['--provider', 'saml', '--group-provisioning'],
    'oauth2': ['--provider', 'oauth2'],
    'v2026': ['--version', '2026.01.0'],
    'v2024': ['--version', '2024.08.0'],
    'v2023': ['--version', '2023.09.0'],
    'v2022': ['--version', '2022.10.0'],
    'hidden': ['--version', 'hidden'],
    'tls': ['--tls'],
}
# Started only when named (a target lists them in connect_sim_names), so that the
# default set, which every target starts, stays as it is.
ON_REQUEST = {
    'publisher_default': ['--default-user-role', 'publisher'],
    'oauth2_google': ['--provider', 'oauth2', '--google'],
}
KNOWN = dict(SIMS, **ON_REQUEST)


def connect_sim():
    """The command that runs the simulator, as a list."""
    # Prefer the one installed next to the running interpreter (.venv/bin).
    beside = os.path.join(os.path.dirname(sys.executable), 'connect-sim')
    if os.path.exists(beside):
        return [beside]
    # Then the simulator's source in this checkout (or collection copy), with this Python.
    if os.path.isdir(os.path.join(SIM_SOURCE, 'connect_sim')) and importlib.util.find_spec('flask'):
        return [sys.executable, '-m', 'connect_sim']
    found = shutil.which('connect-sim')
    if not found:
        sys.exit('sims.py: connect-sim not found, and %s cannot run the simulator from %s (no flask): '
                 'run `make venv` first, or install tests/integration/requirements.txt' % (sys.executable, SIM_SOURCE))
    return [found]


def sim_env():
    """The simulators' environment: the source tree importable, for `python -m connect_sim`."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([SIM_SOURCE] + ([env['PYTHONPATH']] if env.get('PYTHONPATH') else []))
    return env


def path(name, ext):
    return os.path.join(STATE, name + ext)


def read_ready(name):
    with open(path(name, '.json'), encoding='utf-8') as f:
        return json.load(f)


def start(names, print_vars=False, stop_with_playbook=False):
    stop(quiet=True)  # leftovers of an interrupted run would hold stale state
    os.makedirs(STATE, exist_ok=True)
    exe = connect_sim()
    watched = playbook_process() if stop_with_playbook else None
    if stop_with_playbook and not watched:
        sys.exit('sims.py: --stop-with-playbook: no ansible-playbook process among my ancestors')
    procs = {}
    for name in names:
        if os.path.exists(path(name, '.json')):
            os.remove(path(name, '.json'))
        cmd = exe + ['--port', '0', '--ready-file', path(name, '.json')] + KNOWN[name]
        with open(path(name, '.log'), 'w', encoding='utf-8') as log:
            # A new session: the simulators outlive this script and don't get
            # the terminal's Ctrl-C; `stop` ends them by pid.
            procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=sim_env(),
                                           stdin=subprocess.DEVNULL, start_new_session=True)
        with open(path(name, '.pid'), 'w', encoding='utf-8') as f:
            f.write(str(procs[name].pid))
    if watched:  # at once: the playbook may end (be interrupted) while they start
        watch_in_background(watched, [proc.pid for proc in procs.values()])

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
        print('sims.py: %-8s %s' % (name, ready['url']), file=sys.stderr if print_vars else sys.stdout)
    default = sims.get('password') or sims[names[0]]
    config = {'connect_url': default['url'], 'connect_api_key': default['api_key'], 'connect_sims': sims}
    if print_vars:
        print(json.dumps(config, sort_keys=True))
        return
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


def proc_stat(pid):
    """The fields of /proc/PID/stat after the command name (state is [0], ppid [1], start time [19])."""
    with open('/proc/%d/stat' % pid, encoding='utf-8') as f:
        return f.read().rsplit(')', 1)[1].split()


def playbook_process():
    """(pid, start time) of the outermost ansible-playbook among this process's ancestors, or None.

    Modules run in a worker process forked from the main ansible-playbook process, which lives
    as long as the play (workers come and go), hence the outermost one.
    """
    found, pid = None, os.getppid()
    while pid > 1:
        try:
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                argv = f.read().decode('utf-8', 'replace').split('\0')
            stat = proc_stat(pid)
        except OSError:
            break
        if any(os.path.basename(arg) == 'ansible-playbook' for arg in argv[:2]):
            found = (pid, stat[19])
        pid = int(stat[1])
    return found


def watch_in_background(watched, pids):
    """Leave a detached `sims.py watch` that stops ``pids`` once the watched process has ended."""
    args = [sys.executable, os.path.abspath(__file__), 'watch', '--state-dir', STATE,
            '%d:%s' % watched] + [str(pid) for pid in pids]
    # No inherited pipes: whoever runs this script (Ansible's command module) must not wait for it.
    subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)


def watch(watched, pids):
    """Wait until the watched process (PID:STARTTIME) has ended, then stop ``pids`` and remove STATE."""
    pid, started = watched.split(':')
    while True:
        try:
            stat = proc_stat(int(pid))
        except OSError:
            break
        if stat[0] == 'Z' or stat[19] != started:
            break
        time.sleep(0.5)
    terminate({int(p) for p in pids})
    shutil.rmtree(STATE, ignore_errors=True)


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
    pids = terminate(pids)
    if pids and not quiet:
        print('sims.py: stopped %d simulator process(es)' % len(pids))


def is_simulator(pid):
    """Whether the process is a simulator: a pid file may outlive its process, and the pid be reused."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            cmdline = f.read()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # no /proc to ask: trust the pid
    return b'connect-sim' in cmdline or b'connect_sim' in cmdline


def terminate(pids):
    """SIGTERM the live ones of ``pids``, SIGKILL what is left after 10 s; the set of pids that were alive."""
    pids = {p for p in pids if p > 1 and alive(p) and is_simulator(p)}
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return pids


def env(name):
    ready = read_ready(name)
    print('export CONNECT_SERVER=%s' % shlex.quote(ready['url']))
    print('export CONNECT_API_KEY=%s' % shlex.quote(ready['api_key']))
    if ready.get('ca_file'):
        print('export CONNECT_CA_CERTIFICATE=%s' % shlex.quote(ready['ca_file']))


def main(argv):
    global STATE  # pylint: disable=global-statement
    if not argv or argv[0] not in ('start', 'stop', 'env', 'watch'):
        sys.exit(__doc__)
    command, names, flags = argv[0], [], set()
    rest = argv[1:]
    while rest:
        arg = rest.pop(0)
        if arg == '--state-dir' and rest:
            STATE = os.path.abspath(rest.pop(0))
        elif arg in ('--print-vars', '--stop-with-playbook', '--private-state'):
            flags.add(arg)
        elif arg.startswith('-'):
            sys.exit('sims.py: unknown option %s\n%s' % (arg, __doc__))
        else:
            names.append(arg)
    if command == 'watch':
        watch(names[0], names[1:])
        return
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        sys.exit('sims.py: unknown simulator(s): %s (known: %s)' % (', '.join(unknown), ', '.join(KNOWN)))
    if command == 'start' and '--private-state' in flags:
        STATE = tempfile.mkdtemp(prefix='connect-sims-')
        try:
            start(names or list(SIMS), print_vars='--print-vars' in flags,
                  stop_with_playbook='--stop-with-playbook' in flags)
        except BaseException:
            shutil.rmtree(STATE, ignore_errors=True)
            raise
    elif command == 'start':
        start(names or list(SIMS), print_vars='--print-vars' in flags, stop_with_playbook='--stop-with-playbook' in flags)
    elif command == 'stop':
        stop()
    elif len(names) == 1:
        env(names[0])
    else:
        sys.exit('usage: sims.py env NAME')


if __name__ == '__main__':
    main(sys.argv[1:])
