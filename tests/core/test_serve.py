"""`pazar serve` as a user runs it: migrate, serve three sites with a worker, stop cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found.add(int(child))
            found |= children_of(int(child))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_serve_brings_up_all_sites_and_a_worker_and_stops_on_sigterm(tmp_path):
    port = free_port()
    # An embedded (SQLite) instance of its own, whatever database the suite runs on.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PAZAR_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["PAZAR_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "pazar", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                health = requests.get(f"{base}/health/", timeout=10)
                if health.json().get("worker", {}).get("alive"):
                    break
            except requests.RequestException:  # not up yet, or busy booting
                pass
            time.sleep(0.3)
        assert health is not None and health.status_code == 200
        assert health.json()["worker"]["status"] == "ok"
        for site in ["omnitron", "seller-center", "whippy-ware"]:
            assert requests.get(f"{base}/{site}/api/schema/", timeout=5).status_code == 200
        login = requests.post(f"{base}/omnitron/api/i1/auth/login/", json={}, timeout=5)
        assert login.status_code == 400
        children = children_of(process.pid)
        assert len(children) >= 4  # the web server, its 2 workers, the task worker

        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=40)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the server and everything it started
            output, _ = process.communicate(timeout=10)

    assert process.returncode == 0, output
    assert f"Omnitron:       {base}/omnitron/    docs: {base}/omnitron/api/docs/" in output
    assert f"Seller Center:  {base}/seller-center/" in output
    assert f"Whippy Ware:    {base}/whippy-ware/" in output
    assert "Serving plain HTTP because the server only listens on a loopback address." in output
    time.sleep(0.5)
    assert not [pid for pid in children if alive(pid)]


def self_signed_pair(directory: Path) -> tuple[Path, Path]:
    """The README's one command for a local certificate and key."""
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def test_serve_answers_over_https_with_a_certificate_and_key_from_the_environment(tmp_path):
    certificate, key = self_signed_pair(tmp_path)
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PAZAR_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        PAZAR_DATA_DIR=str(tmp_path),
        PAZAR_TLS_CERTIFICATE=str(certificate),
        PAZAR_TLS_KEYFILE=str(key),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "pazar", "serve", "--port", str(port), "--workers", "1",
         "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    base = f"https://127.0.0.1:{port}"
    try:
        login = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                login = requests.post(
                    f"{base}/omnitron/api/v1/auth/login/",
                    json={},
                    verify=str(certificate),
                    timeout=5,
                )
                break
            except requests.ConnectionError:  # not up yet
                time.sleep(0.3)
        assert login is not None and login.status_code == 400
        assert "username" in login.json()
        with pytest.raises(requests.ConnectionError):  # plain HTTP is not spoken on that port
            requests.get(f"http://127.0.0.1:{port}/health/", timeout=5)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=40)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate(timeout=10)
    assert f"Omnitron:       {base}/omnitron/" in output
    assert "Serving HTTPS with the given certificate." in output


def test_serve_refuses_a_certificate_without_its_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAZAR_")}
    env["PAZAR_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pazar", "serve", "--certificate", str(tmp_path / "c.pem")],
        env={k: v for k, v in env.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "--keyfile" in result.stderr
