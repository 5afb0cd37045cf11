"""Forms of the Users page and of a user's own password change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from signage.models import ROLES
from signage.web.forms import Form

ROLE_LABELS = {
    "viewer": _l("viewer (reads)"),
    "editor": _l("editor (drafts content)"),
    "approver": _l("approver (publishes, urgent notices)"),
    "admin": _l("administrator (users, boards)"),
}


def _roles() -> list[tuple[str, str]]:
    return [(role, str(ROLE_LABELS[role])) for role in ROLES]


class UserAddForm(Form):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters without marks, digits, '.', '_' or '-'.")),
        ],
    )
    role = SelectField(_l("Role"), choices=_roles, default="editor")
    password = PasswordField(
        _l("Password (leave empty to generate one, shown once)"), validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField(_l("Add the user"))


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=_roles)
    confirmed = HiddenField()
    submit = SubmitField(_l("Change the role"))


class PasswordResetForm(Form):
    password = PasswordField(
        _l("New password (leave empty to generate one, shown once)"), validators=[Optional(), Length(max=200)]
    )
    confirmed = HiddenField()
    submit = SubmitField(_l("Reset the password"))


class ConfirmForm(Form):
    """A button that asks first: the first POST shows what will happen, the second does it."""

    confirmed = HiddenField()


class OwnPasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    repeat = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Change my password"))
