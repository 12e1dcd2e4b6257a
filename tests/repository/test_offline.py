"""The test suite needs no network.

pytest-socket (a test dependency) is switched on for every pytest run by the project's pytest
options: a socket may connect to this machine only (Jupyter kernels, the local web servers of
the site and browser tests), and any other connection fails at once instead of waiting for a
network that CI may not have. No test is exempt: the one test that installs something (Binder's
requirements, ``tests/test_binder.py``) installs with ``--no-index`` from packages already on
the machine.
"""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError

ROOT = Path(__file__).resolve().parents[2]


def test_the_pytest_options_block_the_network():
    pyproject = (ROOT / "pyproject.toml").read_text()
    addopts = re.search(r'^addopts = "(.*)"$', pyproject, re.MULTILINE)
    assert addopts and "--allow-hosts=127.0.0.1,::1" in addopts.group(1).split()
    assert re.search(r'^\s+"pytest-socket[>=]', pyproject, re.MULTILINE)


@pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")
@pytest.mark.parametrize("address", [("192.0.2.1", 80), ("8.8.8.8", 53)])
def test_a_connection_outside_this_machine_is_refused(address):
    # 192.0.2.1 is reserved for documentation (RFC 5737): nothing would answer anyway.
    with pytest.raises((SocketBlockedError, SocketConnectBlockedError)):
        socket.create_connection(address, timeout=1)


def test_a_connection_to_this_machine_works():
    class Hello(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        from urllib.request import urlopen

        with urlopen(f"http://127.0.0.1:{server.server_port}/", timeout=10) as response:
            assert response.read() == b"ok"
    finally:
        server.shutdown()


def test_the_binder_install_needs_no_index():
    # The only test that installs something must not need the network either.
    installers = [
        p
        for p in ROOT.glob("tests/**/test_*.py")
        if p.resolve() != Path(__file__).resolve() and '"install"' in p.read_text()
    ]
    assert installers, "expected the Binder install test"
    for path in installers:
        assert '"--no-index"' in path.read_text(), path
