"""On/off hours and brightness from each board's row and through the JSON API (issue #16.8)."""

from __future__ import annotations

import json

from signage import show
from signage.models import BrightnessStep
from tests.conftest import gate_board, post_form
from tests.test_api import token_for


def test_the_boards_page_leads_to_hours_and_back(app, db, redis, admin_client) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    gate_board(db)
    page = admin_client.get("/boards/").get_data(as_text=True)
    url = "/schedules/board/cua-khau/hours?from=boards"
    assert f'href="{url}"' in page and "Giờ bật/tắt và độ sáng" in page
    response = post_form(
        admin_client,
        url,
        {
            "timezone": "Asia/Ho_Chi_Minh",
            "on_time": "06:00",
            "off_time": "22:00",
            "brightness": "06:00 60\n18:00 100",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/boards/")
    doc = show.check(json.loads(redis.get(show.show_key("cua-khau"))))
    assert doc["hours"] == {"on": "06:00", "off": "22:00"} and len(doc["brightness"]) == 2


def test_the_api_reads_and_replaces_hours(app, db, redis) -> None:  # noqa: ANN001
    app.config["APPROVAL_REQUIRED"] = False
    gate_board(db)
    client = app.test_client()
    viewer, admin = token_for(db, "viewer"), token_for(db, "admin")
    got = client.get("/api/boards/cua-khau/hours", headers=viewer).get_json()
    assert got == {"timezone": "Asia/Ho_Chi_Minh", "on": None, "off": None, "brightness": []}
    body = {
        "timezone": "Asia/Ho_Chi_Minh",
        "on": "05:30",
        "off": "23:00",
        "brightness": [{"at": "05:30", "level": 40}, {"at": "08:00", "level": 100}],
    }
    assert client.put("/api/boards/cua-khau/hours", json=body, headers=viewer).status_code == 403
    done = client.put("/api/boards/cua-khau/hours", json=body, headers=admin)
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["on"] == "05:30" and done.get_json()["published"]
    doc = show.check(json.loads(redis.get(show.show_key("cua-khau"))))
    assert doc["hours"] == {"on": "05:30", "off": "23:00"}
    for bad, field in (
        ({**body, "off": None}, "off"),
        ({**body, "on": "25:00"}, "on"),
        ({**body, "timezone": "Mars/Olympus"}, "timezone"),
        ({**body, "brightness": [{"at": "05:30", "level": 140}]}, "brightness"),
        ({**body, "brightness": [{"at": "05:30", "level": 4}, {"at": "05:30", "level": 5}]}, "brightness"),
    ):
        refused = client.put("/api/boards/cua-khau/hours", json=bad, headers=admin)
        assert refused.status_code == 422, bad
        assert field in json.dumps(refused.get_json()["errors"]), refused.get_json()
    db.expire_all()
    assert db.query(BrightnessStep).count() == 2  # nothing half-saved
    assert client.get("/api/boards/nowhere/hours", headers=viewer).status_code == 404
