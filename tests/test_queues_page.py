"""The "Hàng đợi" page: administrators read each board's queue in Vietnamese and put a failed
play back; nobody else gets in. Real private redis-server, real RQ queues and workers."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from signage.models import AuditEntry
from signage.playout import queue_name
from signage.web.queues import reason_words
from tests.conftest import client_as, gate, hidden_fields

SLUG = "cua-khau"


def failed_play(redis: Redis) -> str:
    """A job on the board's queue that a real RQ worker ran and saw fail; its id."""
    board = Queue(queue_name(SLUG), connection=redis)
    job = board.enqueue("builtins.int", "cable cut")  # ValueError: invalid literal ... 'cable cut'
    SimpleWorker([board], connection=redis).work(burst=True)
    return job.id


def test_an_admin_reads_the_queue_in_vietnamese_and_tries_a_failed_play_again(
    app: Flask, db, redis: Redis
) -> None:  # noqa: ANN001
    db.add(gate())
    db.commit()
    job_id = failed_play(redis)
    admin = client_as(app, db, "quan-tri", "admin")

    assert '<a href="/admin/queues/">Hàng đợi</a>' in admin.get("/").get_data(as_text=True)
    page = admin.get("/admin/queues/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cổng" in html or "cua-khau" in html
    assert "mất kết nối" in html  # no player runs for this board
    assert "lỗi khi phát: invalid literal" in html and "cable cut" in html
    assert "Thử lại" in html
    assert "Traceback" in html.split('<details class="raw">', 1)[1]  # the traceback is tucked away

    form = hidden_fields(admin, "/admin/queues/")
    response = admin.post(f"/admin/queues/{SLUG}/failed/{job_id}/requeue", data=form)
    assert response.status_code == 302
    queue = Queue(queue_name(SLUG), connection=redis)
    assert queue.job_ids == [job_id]
    assert FailedJobRegistry(queue=queue).count == 0
    entry = db.scalars(select(AuditEntry).where(AuditEntry.table == "board_queue")).one()
    assert (entry.actor, entry.action, entry.row_id) == ("quan-tri", "requeue", SLUG)
    after = admin.get("/admin/queues/").get_data(as_text=True)
    assert "Đã đưa lượt phát trở lại hàng đợi" in after
    assert "Thử lại" not in after
    audit = admin.get("/audit/").get_data(as_text=True)
    assert "quan-tri đưa một lượt phát lỗi trở lại hàng đợi của bảng cua-khau" in audit


def test_a_player_at_work_is_shown_waiting_or_playing(app: Flask, db, redis: Redis) -> None:  # noqa: ANN001
    db.add(gate())
    db.commit()
    queue = Queue(queue_name(SLUG), connection=redis)
    worker = SimpleWorker([queue], connection=redis, name="signage-cua-khau-test")
    worker.register_birth()
    worker.set_state("busy")
    try:
        html = client_as(app, db, "quan-tri", "admin").get("/admin/queues/").get_data(as_text=True)
        assert "đang phát" in html and "mất kết nối" not in html
    finally:
        worker.register_death()


def test_a_requeue_needs_the_csrf_token(admin_client: FlaskClient, db, redis: Redis) -> None:  # noqa: ANN001
    db.add(gate())
    db.commit()
    job_id = failed_play(redis)
    response = admin_client.post(f"/admin/queues/{SLUG}/failed/{job_id}/requeue")
    assert response.status_code == 400
    assert FailedJobRegistry(queue=Queue(queue_name(SLUG), connection=redis)).count == 1


def test_an_editor_is_refused(app: Flask, db, redis: Redis) -> None:  # noqa: ANN001
    db.add(gate())
    db.commit()
    job_id = failed_play(redis)
    editor = client_as(app, db, "bien-tap", "editor")
    assert "/admin/queues/" not in editor.get("/").get_data(as_text=True)
    assert editor.get("/admin/queues/").status_code == 403
    token = hidden_fields(editor, "/slogans/new")["csrf_token"]
    response = editor.post(f"/admin/queues/{SLUG}/failed/{job_id}/requeue", data={"csrf_token": token})
    assert response.status_code == 403
    assert FailedJobRegistry(queue=Queue(queue_name(SLUG), connection=redis)).count == 1


def test_reasons_in_words() -> None:
    cut = 'Traceback (most recent call last):\n  File "x"\nserial.serialutil.SerialException: port gone'
    assert reason_words(cut) == "the cable to the board failed: port gone"  # no request: English
    timeout = "rq.timeouts.JobTimeoutException: Task exceeded maximum timeout value (10800 seconds)"
    assert reason_words(timeout) == "it ran longer than the time allowed and was stopped"
    assert reason_words("") == "no reason was recorded"
