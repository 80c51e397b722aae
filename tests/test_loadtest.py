"""The classroom load test, small: students over Streamlit's protocol, one app process and
two behind nginx. `python -m explorer.loadtest` runs the full 30-session version."""

import random

import pytest

from explorer.tools.loadtest import nginx_config, run_load, source_address, widget_value
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
    assert len(report.stats.pages) >= sessions  # and opened the map (some, other pages)
    for backend in report.backends:
        assert backend.rss_peak >= backend.rss_idle > 100 * 2**20  # torch + models loaded
        assert backend.cpu_used > 0
    rows = dict((m, v) for m, v, _ in report.rows())
    assert rows["load: errors"] == "0"


def test_a_small_class_on_one_server():
    report = run_load(sessions=4, seconds=8, think=(0.2, 0.6), stagger=0.1)
    _check(report, 4)
    assert report.routes is None
    # Besides clicking the map, the students used other controls, on more than one page.
    assert report.stats.actions and len(report.stats.by_page()) >= 2
    assert any(m.startswith("load: controls on /") for m, _, _ in report.rows())


def _proto(kind: str, **fields):
    from streamlit.proto.Element_pb2 import Element

    element = Element()
    proto = getattr(element, kind)
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(proto, name).extend(value)
        else:
            setattr(proto, name, value)
    return proto


@pytest.mark.parametrize(
    "kind, fields, check",
    [
        ("button", {}, lambda s: s.trigger_value),
        ("checkbox", {"value": True}, lambda s: s.HasField("bool_value") and not s.bool_value),
        ("radio", {"options": ["a", "b"]}, lambda s: s.string_value in ("a", "b")),
        ("selectbox", {"options": ["x"]}, lambda s: s.string_value == "x"),
        (
            "slider",
            {"min": 0.0, "max": 1.0, "step": 0.25, "default": [0.5]},
            lambda s: (
                len(s.double_array_value.data) == 1
                and s.double_array_value.data[0] in (0.0, 0.25, 0.5, 0.75, 1.0)
            ),
        ),
        (
            "slider",
            {"options": ["lo", "hi"], "default": [0.0, 1.0]},
            lambda s: (
                set(s.string_array_value.data) <= {"lo", "hi"}
                and len(s.string_array_value.data) == 2
            ),
        ),
        (
            "number_input",
            {"min": 0, "max": 9999, "step": 1, "has_min": True, "has_max": True, "data_type": 0},
            lambda s: s.HasField("int_value") and 0 <= s.int_value <= 9999,  # INT
        ),
        (
            "number_input",
            {"min": 0.5, "max": 2.0, "step": 0.5, "has_min": True, "has_max": True, "data_type": 1},
            lambda s: s.HasField("double_value") and s.double_value in (0.5, 1.0, 1.5, 2.0),
        ),
        (
            "multiselect",
            {"options": ["a", "b", "c"]},
            lambda s: set(s.string_array_value.data) <= {"a", "b", "c"},
        ),
    ],
)
def test_widget_values_are_what_a_browser_sends(kind, fields, check):
    proto = _proto(kind, id="w1", **fields)
    for seed in range(5):
        state = widget_value(kind, proto, random.Random(seed))
        assert state.id == "w1" and check(state)


def test_segmented_control_sends_an_option_label():
    from streamlit.proto.ButtonGroup_pb2 import ButtonGroup

    proto = _proto("button_group", id="lang")
    for label in ("English", "한국어"):
        proto.options.add().content = label
    proto.click_mode = ButtonGroup.SINGLE_SELECT
    state = widget_value("button_group", proto, random.Random(0))
    assert list(state.string_array_value.data) in (["English"], ["한국어"])


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
