"""The classroom load test, small: students over Streamlit's protocol, one app process and
two behind nginx. `python -m explorer.loadtest` runs the full 30-session version."""

from explorer.loadtest import nginx_config, run_load, source_address
from tests.conftest import require_program


def test_students_have_distinct_loopback_addresses():
    addresses = [source_address(i) for i in range(600)]
    assert len(set(addresses)) == 600
    assert addresses[0] == "127.0.0.2" and all(a.startswith("127.") for a in addresses)
    assert not any(a.endswith(".0") or a.endswith(".255") for a in addresses)


def test_nginx_config_is_sticky_and_passes_websockets(tmp_path):
    conf = nginx_config(8080, [8501, 8502], tmp_path)
    assert "hash $remote_addr consistent;" in conf
    assert "server 127.0.0.1:8501;" in conf and "server 127.0.0.1:8502;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert "proxy_set_header Host $http_host;" in conf


def _check(report, sessions):
    assert report.stats.errors == []
    assert len(report.stats.clicks) >= sessions  # every student decoded something
    assert len(report.stats.pages) >= sessions  # and opened the map (some, interpolations)
    for backend in report.backends:
        assert backend.rss_peak >= backend.rss_idle > 100 * 2**20  # torch + models loaded
        assert backend.cpu_used > 0
    rows = dict((m, v) for m, v, _ in report.rows())
    assert rows["load: errors"] == "0"


def test_a_small_class_on_one_server():
    report = run_load(sessions=4, seconds=8, think=(0.2, 0.6), stagger=0.1)
    _check(report, 4)
    assert report.routes is None


def test_two_app_processes_behind_nginx_sticky_by_client():
    require_program("/usr/sbin/nginx", "nginx")
    report = run_load(sessions=10, seconds=8, backends=2, think=(0.2, 0.6), stagger=0.1)
    _check(report, 10)
    # Every student's requests (page, websocket, /media images) went to one process, and
    # the class was spread over both: an image fetched from the other one would be a 404.
    assert len(report.routes) == 10
    assert all(len(backends) == 1 for backends in report.routes.values()), report.routes
    assert len({b for backends in report.routes.values() for b in backends}) == 2
    assert all(b.cpu_used > 0 for b in report.backends)


def test_report_rows_name_every_measure():
    report = run_load(sessions=1, seconds=3, think=(0.2, 0.4))
    measures = [m for m, _, _ in report.rows()]
    assert any("click -> image, p95" in m for m in measures)
    assert any("memory" in m for m in measures) and any("CPU" in m for m in measures)
