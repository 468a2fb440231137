"""make serve's supervisor without starting the dashboard: nginx's configuration, and what it
decides about a process that hangs, dies, or keeps dying (tests/e2e/test_serve.py runs it whole)."""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import time

import pytest

from sctdash.serving import cluster, nginx_config, probe


def make(tmp_path, replicas=2) -> cluster.Cluster:
    return cluster.Cluster(replicas, 8501, "127.0.0.1", tmp_path / "run", echo=False)


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


def test_site_config_for_a_server_of_its_own(capsys):
    assert cluster.main(["site-config", "--backend", "10.0.0.11:8601", "--backend", "10.0.0.12:8601"]) == 0
    out = capsys.readouterr().out
    assert "listen 80;" in out and "/var/log/nginx/sctdash.access.log" in out
    assert "server 10.0.0.12:8601 backup;" in out.split("upstream sct_w1 {")[1].split("}")[0]
    with pytest.raises(SystemExit):
        cluster.main(["site-config", "--backend", "10.0.0.11"])  # no port


def test_the_https_site_for_a_server_is_accepted_by_nginx(tmp_path, capsys):
    """docs/deploy.md, HTTPS with several processes: a self-signed certificate made here."""
    key, crt = tmp_path / "key.pem", tmp_path / "crt.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dashboard.sct.local"]
        + ["-keyout", str(key), "-out", str(crt)],
        check=True,
        capture_output=True,
    )
    args = ["site-config", "--backend", "127.0.0.1:8601", "--backend", "127.0.0.1:8602", "--listen", "127.0.0.1:8443"]
    args += ["--server-name", "dashboard.sct.local", "--tls-cert", str(crt), "--tls-key", str(key)]
    args += ["--access-log", str(tmp_path / "access.log")]
    assert cluster.main(args) == 0
    site = capsys.readouterr().out
    assert "return 301 https://$host$request_uri;" in site and "listen 127.0.0.1:8443 ssl;" in site
    assert "SameSite=Lax; Secure" in site
    run = tmp_path / "run"
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "tmp" / sub).mkdir(parents=True)
    (run / "site.conf").write_text(site)
    (run / "nginx.conf").write_text(nginx_config.main_config(run))
    test = subprocess.run(
        [nginx_config.find_nginx(), "-t", "-q", "-e", "stderr", "-p", str(run), "-c", str(run / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr
    with pytest.raises(SystemExit):
        cluster.main(["site-config", "--backend", "127.0.0.1:8601", "--tls-cert", str(crt)])  # not all three


def test_a_busy_port_is_refused_before_anything_starts(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        c = cluster.Cluster(1, s.getsockname()[1], "127.0.0.1", tmp_path / "run", echo=False)
        with pytest.raises(nginx_config.ClusterError, match="is not free"):
            c.check_port()


def _stand_in(child: cluster.Child) -> None:
    """A process that stands in for a dashboard process: it only sleeps."""
    child.proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_process_that_stops_answering_is_stopped_and_started_again(tmp_path):
    c = make(tmp_path)
    b = c.backends[0]
    _stand_in(b)
    now = time.monotonic()
    b.started, b.up_once, b.healthy, b.last_ok = now - 100, True, False, now - cluster.HANG_S + 1
    c._check(b, now)
    assert b.proc.poll() is None and b.restart_at is None  # not silent long enough yet
    b.last_ok = now - cluster.HANG_S - 1
    c._check(b, now)
    assert b.proc.poll() is not None  # stopped
    assert b.restart_at is not None and b.restart_at - now <= 1  # and soon started again
    assert "has not answered /_stcore/health" in (tmp_path / "run" / "serve.log").read_text()


def test_a_process_that_keeps_dying_waits_longer_each_time(tmp_path):
    c = make(tmp_path)
    b = c.backends[0]
    pauses = []
    for _ in range(4):
        b.proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
        b.proc.wait()
        now = time.monotonic()
        b.started, b.restart_at = now - 1, None  # died a second after its start
        c._check(b, now)
        pauses.append(round(b.restart_at - now, 1))
    assert pauses == sorted(pauses) and pauses[0] < pauses[-1] <= cluster.MAX_PAUSE_S
    b.proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    b.proc.wait()
    now = time.monotonic()
    b.started, b.restart_at = now - cluster.QUICK_FAILURE_S - 1, None  # it had run a while: at once
    c._check(b, now)
    assert b.restart_at - now <= 1
    assert "exited (exit status 3)" in (tmp_path / "run" / "serve.log").read_text()


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
