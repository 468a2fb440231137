"""What production and make serve run, without starting the dashboard: nginx's configuration
(make serve's, and the server's site in the repo), the systemd unit, make serve's launcher with
stand-in processes (what it does when one exits, how it stops), and the one health probe and
free-port helper. tests/e2e/test_serve.py runs make serve whole."""

from __future__ import annotations

import http.server
import importlib.util
import json
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sctdash.core import paths
from sctdash.serving import launched, launcher, nginx_config, probe, sdnotify, serve


def make(tmp_path, replicas=2) -> launcher.Launcher:
    return launcher.Launcher(replicas, 8501, "127.0.0.1", tmp_path / "run", echo=False)


def test_nginx_accepts_the_configuration_and_routes_by_cookie(tmp_path):
    c = make(tmp_path, replicas=3)
    c.write_config()  # runs nginx -t on it
    site = (tmp_path / "run" / "site.conf").read_text()
    ports = [b.port for b in c.backends]
    assert len(set(ports)) == 3
    for i, port in enumerate(ports):
        name = f"w{i + 1}"
        assert f"    {name} sct_{name};" in site
        others = [p for p in ports if p != port]
        block = site.split(f"upstream sct_{name} {{")[1].split("}")[0]
        assert f"server 127.0.0.1:{port} max_fails=1" in block
        assert all(f"server 127.0.0.1:{p} backup;" in block for p in others)
        assert f'127\\.0\\.0\\.1:{port}$" "sct_route={name};' in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    main = (tmp_path / "run" / "nginx.conf").read_text()
    assert f"pid {tmp_path / 'run'}/nginx.pid;" in main and "daemon off;" in main


def nginx_accepts(run, site: str) -> subprocess.CompletedProcess:
    """`nginx -t` on `site` inside make serve's own nginx.conf, everything under `run`."""
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    (run / "site.conf").write_text(site)
    (run / "nginx.conf").write_text(nginx_config.main_config(run))
    return subprocess.run(
        [nginx_config.find_nginx(), "-t", "-q", "-e", "stderr", "-p", str(run), "-c", str(run / "nginx.conf")],
        capture_output=True,
        text=True,
    )


def test_site_config_for_a_server_of_its_own(capsys):
    assert nginx_config.main(["--backend", "10.0.0.11:8601", "--backend", "10.0.0.12:8601"]) == 0
    out = capsys.readouterr().out
    assert "listen 80;" in out and "/var/log/nginx/sctdash.access.log" in out
    assert "server 10.0.0.12:8601 backup;" in out.split("upstream sct_w1 {")[1].split("}")[0]
    with pytest.raises(SystemExit):
        nginx_config.main(["--backend", "10.0.0.11"])  # no port


def test_the_server_site_in_the_repo_is_the_generators_and_nginx_accepts_it(tmp_path):
    """sctdash/serving/nginx/sctdash.conf, which docs/deploy.md installs: what the generator
    writes for the four processes of the units sctdash@8601 … sctdash@8604, never edited apart."""
    site = nginx_config.SERVER_SITE.read_text(encoding="utf-8")
    command = "python -m sctdash.serving.nginx_config --listen 80 " + " ".join(
        f"--backend {b}" for b in nginx_config.SERVER_BACKENDS
    )
    expected = nginx_config.site_config(list(nginx_config.SERVER_BACKENDS), "80", nginx_config.SERVER_ACCESS_LOG)
    assert site == expected, f"regenerate it: {command} > {nginx_config.SERVER_SITE.relative_to(paths.ROOT)}"
    assert [f"127.0.0.1:{port}" for port in range(8601, 8605)] == [str(b) for b in nginx_config.SERVER_BACKENDS]
    # checked with the access log in the test's folder (nginx -t opens it)
    test = nginx_accepts(tmp_path / "run", site.replace(nginx_config.SERVER_ACCESS_LOG, str(tmp_path / "access.log")))
    assert test.returncode == 0, test.stderr


def test_the_https_site_for_a_server_is_accepted_by_nginx(tmp_path, capsys):
    """docs/deploy.md, HTTPS with several processes: a self-signed certificate made here."""
    key, crt = tmp_path / "key.pem", tmp_path / "crt.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dashboard.sct.local"]
        + ["-keyout", str(key), "-out", str(crt)],
        check=True,
        capture_output=True,
    )
    args = ["--backend", "127.0.0.1:8601", "--backend", "127.0.0.1:8602", "--listen", "127.0.0.1:8443"]
    args += ["--server-name", "dashboard.sct.local", "--tls-cert", str(crt), "--tls-key", str(key)]
    args += ["--access-log", str(tmp_path / "access.log")]
    assert nginx_config.main(args) == 0
    site = capsys.readouterr().out
    assert "return 301 https://$host$request_uri;" in site and "listen 127.0.0.1:8443 ssl;" in site
    assert "SameSite=Lax; Secure" in site
    test = nginx_accepts(tmp_path / "run", site)
    assert test.returncode == 0, test.stderr
    with pytest.raises(SystemExit):
        nginx_config.main(["--backend", "127.0.0.1:8601", "--tls-cert", str(crt)])  # not all three


def test_a_busy_port_is_refused_before_anything_starts(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        c = launcher.Launcher(1, s.getsockname()[1], "127.0.0.1", tmp_path / "run", echo=False)
        with pytest.raises(nginx_config.ClusterError, match="is not free"):
            c.check_port()


# ------------------------------------------------------------------ make serve's launcher
def test_make_serve_starts_each_process_with_the_units_command_line(tmp_path):
    """The same command line as the systemd unit's ExecStart on the instance's port (the unit's
    own test holds it to serve.command), with this machine's Python."""
    c = make(tmp_path, replicas=2)
    unit = read_unit(UNIT.read_text(encoding="utf-8"))["Service"]
    exec_start = shlex.split(values(unit, "ExecStart")[0])
    for b in c.backends:
        cmd = b.cmd[b.cmd.index(sys.executable) :]  # after setpriv --pdeathsig TERM --
        assert cmd == [sys.executable, *[str(b.port) if a == "%i" else a for a in exec_start[1:]]]


def _stand_ins(c: launcher.Launcher, deaf: Path | None = None) -> None:
    """Processes that stand in for the dashboard processes and nginx: they only sleep, and the
    launcher follows them as its own. With `deaf`, the first dashboard process's ignores SIGTERM,
    and says so by creating that file once it does."""
    deaf_code = "import pathlib, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN)"
    deaf_code += "; pathlib.Path(sys.argv[1]).touch(); time.sleep(60)"
    for child in [*c.backends, c.nginx]:
        cmd = [sys.executable, "-c", "import time; time.sleep(60)"]
        if child is c.backends[0] and deaf:
            cmd = [sys.executable, "-c", deaf_code, str(deaf)]
        child.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        child.reader = c.log.follow(child.name, child.proc.stdout)
    c.write_status()


def _killed(child: launcher.Child) -> int:
    pid = child.proc.pid
    child.proc.kill()
    child.proc.wait()
    return pid


def test_a_process_that_exits_is_named_and_the_others_go_on_serving(tmp_path):
    """make serve restarts nothing (systemd does, on a server): a process that exits is said in
    the log, its pid leaves status.json, and make serve goes on with the others until none is left."""
    c = make(tmp_path, replicas=3)
    _stand_ins(c)
    try:
        first = c.backends[0]
        pid = _killed(first)
        for _ in range(3):  # looked at again and again: said once, never started again
            assert c.still_serving()
        assert first.proc.pid == pid and first.proc.returncode is not None
        log = (tmp_path / "run" / "serve.log").read_text()
        assert log.count(f"w1 (pid {pid}, port {first.port}) exited (signal SIGKILL)") == 1, log
        assert "does not start it again (systemd does, on a server): nginx sends its viewers to w2, w3" in log
        status = json.loads((tmp_path / "run" / "status.json").read_text())
        assert [p["pid"] for p in status["processes"]] == [None, *(b.proc.pid for b in c.backends[1:])]
        assert status["nginx_pid"] == c.nginx.proc.pid
        _killed(c.backends[1])
        assert c.still_serving()
        _killed(c.backends[2])
        assert not c.still_serving()  # the last one: nothing left to serve
        assert "nothing left to serve: stopping" in (tmp_path / "run" / "serve.log").read_text()
    finally:
        c.stop(grace=1)


def test_when_nginx_exits_make_serve_stops(tmp_path):
    c = make(tmp_path)
    _stand_ins(c)
    try:
        assert c.still_serving()
        _killed(c.nginx)
        assert not c.still_serving()
        log = (tmp_path / "run" / "serve.log").read_text()
        assert "nginx exited (signal SIGKILL): nothing reaches the dashboard processes" in log
    finally:
        c.stop(grace=1)
    assert all(b.proc.returncode is not None for b in c.backends)


def test_stop_ends_every_process_even_one_deaf_to_sigterm(tmp_path):
    c = make(tmp_path)
    deaf = tmp_path / "deaf"
    _stand_ins(c, deaf=deaf)
    for _ in range(600):  # until the stand-in ignores SIGTERM (at most a minute)
        if deaf.exists():
            break
        time.sleep(0.1)
    assert deaf.exists()
    pids = [child.proc.pid for child in [c.nginx, *c.backends]]
    c.stop(grace=1)  # SIGTERM, and SIGKILL a second later
    assert c.backends[0].proc.returncode == -signal.SIGKILL
    assert c.backends[1].proc.returncode == -signal.SIGTERM and c.nginx.proc.returncode == -signal.SIGTERM
    assert not [pid for pid in pids if launched.alive(pid)]
    log = (tmp_path / "run" / "serve.log").read_text()
    assert "stopping nginx" in log and "stopping 2 dashboard processes" in log and log.rstrip().endswith("stopped")
    status = json.loads((tmp_path / "run" / "status.json").read_text())
    assert status["nginx_pid"] is None and all(p["pid"] is None for p in status["processes"])


# ------------------------------------------------------------------ the one health probe and free port
class _Health(http.server.BaseHTTPRequestHandler):
    """Answers 200 on /_stcore/health, as a Streamlit server that serves, and 404 elsewhere."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(200 if self.path == probe.HEALTH_PATH else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_probe_says_healthy_only_when_the_health_check_answers(health_server):
    assert probe.healthy(health_server) and probe.healthy(health_server + "/")
    assert probe.wait_healthy(health_server, timeout=5)
    port = probe.free_port()
    assert not probe.healthy(f"http://127.0.0.1:{port}", timeout=0.5)  # nothing listens there
    assert not probe.wait_healthy(f"http://127.0.0.1:{port}", timeout=0.5, every=0.1)  # gives up at the deadline
    asked = []
    # a process that has gone is not waited for: alive() is asked before the server is
    assert not probe.wait_healthy(health_server, timeout=60, alive=lambda: asked.append(1) and False)
    assert asked == [1]


def test_free_ports_are_different_and_can_be_bound():
    ports = probe.free_ports(5)
    assert len(set(ports)) == 5
    for port in ports:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


# ------------------------------------------------------------------ the systemd unit
UNIT = paths.ROOT / "sctdash" / "serving" / "systemd" / "sctdash@.service"
SERVER_ROOT = "/opt/sctdash"  # where docs/deploy.md puts the code, and the unit expects it


def read_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """A unit file as systemd reads it: [Section] → its (key, value) pairs in order (a key may
    come more than once, as Environment=); comments (# ;) skipped, a line ending in a
    backslash continued on the next."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current, pending = None, ""
    for raw in text.splitlines():
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"not a key=value line in a section: {line!r}"
        current.append((key.strip(), value.strip()))
    return sections


def values(section: list[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in section if k == key]


def test_the_unit_reader_reads_sections_repeated_keys_and_continued_lines():
    unit = read_unit("# c\n[Service]\nEnvironment=A=1\n; c\nEnvironment=B=2\nExecStart=/bin/x a \\\n    b\n")
    assert values(unit["Service"], "Environment") == ["A=1", "B=2"]
    assert values(unit["Service"], "ExecStart") == ["/bin/x a b"]


def test_the_unit_starts_the_command_make_serve_starts_as_a_notify_service():
    """The unit's process is make serve's (serve.command, on the instance's port), run by the
    venv of docs/deploy.md's layout, and it tells systemd when it is ready (sdnotify)."""
    service = read_unit(UNIT.read_text(encoding="utf-8"))["Service"]
    (exec_start,) = values(service, "ExecStart")
    assert shlex.split(exec_start) == serve.command("%i", python=f"{SERVER_ROOT}/.venv/bin/python")
    assert values(service, "Type") == ["notify"] and values(service, "NotifyAccess") == ["main"]
    assert values(service, "WorkingDirectory") == [SERVER_ROOT]
    env = dict(v.split("=", 1) for v in values(service, "Environment"))
    assert env["SCT_DATA_DIR"] == "/srv/sctdash/data" and env["SCT_CACHE_DIR"] == "/var/cache/sctdash"
    assert values(service, "User") == ["sctdash"] and values(service, "Group") == ["sctdash"]
    assert values(service, "MemoryMax") == ["1500M"] and values(service, "NoNewPrivileges") == ["yes"]
    assert "multi-user.target" in values(read_unit(UNIT.read_text(encoding="utf-8"))["Install"], "WantedBy")


def test_the_unit_starts_a_process_again_when_it_dies_or_hangs():
    """Restarts are systemd's (make serve has none): always, a second after the process ends;
    and a process that stops answering its health check stops feeding the watchdog, which
    sdnotify feeds three times a period, so one late answer does not kill it."""
    service = read_unit(UNIT.read_text(encoding="utf-8"))["Service"]
    assert values(service, "Restart") == ["always"]
    assert values(service, "RestartSec") == ["1"]
    (watchdog,) = values(service, "WatchdogSec")
    assert int(watchdog) == 30
    # started after the warm-up (the first start may build the DuckDB file): a long start timeout
    assert int(values(service, "TimeoutStartSec")[0]) >= 10 * int(watchdog)
    assert int(values(service, "TimeoutStopSec")[0]) > 0
    assert sdnotify.ping_every(str(int(watchdog) * 10**6)) == int(watchdog) / 3


def test_systemd_accepts_the_unit(tmp_path):
    """`systemd-analyze verify` on an instance of the unit, with the paths of docs/deploy.md's
    server pointed at this checkout (verify refuses an ExecStart that does not exist); it must
    say nothing, since it only warns, with status 0, about an unknown key."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here; the keys are read by the tests above")
    text = UNIT.read_text(encoding="utf-8").replace(f"{SERVER_ROOT}/.venv/bin/python", sys.executable)
    instance = tmp_path / "sctdash@8601.service"
    instance.write_text(text.replace(SERVER_ROOT, str(paths.ROOT)), encoding="utf-8")
    run = subprocess.run([analyze, "verify", "--man=no", str(instance)], capture_output=True, text=True)
    about_it = [line for line in (run.stdout + run.stderr).splitlines() if instance.name in line]
    assert run.returncode == 0 and about_it == [], run.stdout + run.stderr
    # and the check bites: an unknown key is named, a missing program fails
    (tmp_path / "typo").mkdir()
    typo = tmp_path / "typo" / instance.name
    typo.write_text(instance.read_text().replace("WatchdogSec=", "WatchDogSec="), encoding="utf-8")
    run = subprocess.run([analyze, "verify", "--man=no", str(typo)], capture_output=True, text=True)
    assert "Unknown key 'WatchDogSec'" in run.stderr
    missing = tmp_path / "no-such-python"
    typo.write_text(instance.read_text().replace(sys.executable, str(missing)), encoding="utf-8")
    run = subprocess.run([analyze, "verify", "--man=no", str(typo)], capture_output=True, text=True)
    assert run.returncode != 0 and f"{missing} is not executable" in run.stderr, run.stderr


# ------------------------------------------------------------------ docs/deploy.md
def test_the_deploy_guide_installs_the_files_of_the_repo_and_runs_modules_that_exist():
    """docs/deploy.md copies the unit and the site from the repo, shows no copy of its own of
    either, starts the units the site's backends name, and every `python -m` it gives exists."""
    doc = (paths.ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "install -m 644 /opt/sctdash/sctdash/serving/systemd/sctdash@.service /etc/systemd/system/" in doc
    assert "install -m 644 /opt/sctdash/sctdash/serving/nginx/sctdash.conf /etc/nginx/conf.d/sctdash.conf" in doc
    for path in re.findall(r"/opt/sctdash/(sctdash/serving/\S+)", doc):
        assert (paths.ROOT / path).exists(), path
    assert "```ini" not in doc and "```nginx" not in doc and "[Service]" not in doc
    assert not re.search(r"^\s*(upstream|server|location) [^\n]*\{", doc, re.MULTILINE)
    units = " ".join(f"sctdash@{b.port}" for b in nginx_config.SERVER_BACKENDS)
    assert f"systemctl enable --now {units}" in doc
    modules = set(re.findall(r"python -m (sctdash\.[\w.]+)", doc))
    assert {"sctdash.serving.launcher", "sctdash.serving.nginx_config"} <= modules
    assert all(importlib.util.find_spec(m) for m in modules), modules
