"""List pages make what every row repeats once (links, CSRF field, button labels); each row's
links and buttons must still act on that row, with a token the server accepts."""

from __future__ import annotations

import re

from flask import url_for

from signage.models import Slogan
from signage.web.forms import ActionForm


def test_each_slogan_row_edits_and_deletes_its_own_slogan(app, editor_client, db) -> None:  # noqa: ANN001
    slogans = [Slogan(text=f"Khẩu hiệu {i}") for i in range(3)]
    db.add_all(slogans)
    db.commit()
    page = editor_client.get("/slogans/").get_data(as_text=True)
    with app.test_request_context():
        for s in slogans:
            assert f'href="{url_for("slogans.edit", slogan_id=s.id)}"' in page
            assert f'action="{url_for("slogans.delete", slogan_id=s.id)}"' in page
    victim = slogans[1]
    row_form = rf'<form method="post" action="[^"]*/{victim.id}/delete">(.*?)</form>'
    row = re.search(row_form, page, re.S).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', row).group(1)
    assert editor_client.get(f"/slogans/{victim.id}/edit").status_code == 200
    response = editor_client.post(f"/slogans/{victim.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    kept = {slogans[0].id, slogans[2].id}
    db.expire_all()
    assert {s.id for s in db.query(Slogan)} == kept


def test_a_row_button_shows_the_version_it_holds_now(app) -> None:  # noqa: ANN001
    with app.test_request_context():
        form = ActionForm(formdata=None, base_version="v1")
        assert str(form.base_version) == str(form.base_version)
        assert 'value="v1"' in str(form.base_version)
        form.base_version.data = "v2"
        assert 'value="v2"' in str(form.base_version)
        assert 'class="x"' in form.base_version(class_="x")  # arguments still honoured
        assert form.csrf_token.current_token in str(form.csrf_token)
