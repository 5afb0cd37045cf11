"""WTForms' own messages ("This field is required.", "Not a valid integer value."...) in the user's language.

WTForms asks each form for a translations object (``Meta.get_translations``) and says every
message of its fields and validators through that object's ``gettext``/``ngettext``, *then*
fills in the blanks (``message % {"max": 120}``); overriding that hook is how WTForms
documents bringing one's own translations. Flask-WTF's answer to it (``WTF_I18N_ENABLED``,
``flask_wtf.i18n``) loads only WTForms' bundled catalogs (domain ``wtforms`` in the installed
package's ``locale`` folder, a path it cannot be told to change), and there is no Vietnamese
among them, so staff read English. Rather than writing a catalog into site-packages or
monkeypatching Flask-WTF, our forms' shared base (``signage.web.forms.Form``) answers the hook
with Flask-Babel's catalog for the request (``flask_babel.get_translations()``: the session's
language, our ``messages`` domain, English outside a request). That object *is* what WTForms
wants: gettext's ``gettext``/``ngettext``, giving the template back with its blanks intact
(Flask-Babel's own ``ngettext`` function would not do: it always fills in ``%(num)d``, and
fails on WTForms' ``%(min)d``). It is looked up once per form, not once per message.

The message ids are WTForms' (and Flask-WTF's file validators') English, listed here so the
catalog extracts them; their Vietnamese is in the catalog with the rest
(``signage/translations/vi/LC_MESSAGES/messages.po``).
``tests/test_forms_language.py`` reads every message the fields and validators of our forms
can give from WTForms' source and checks each is listed and has Vietnamese, so an upgrade that
rewords one fails a test instead of showing English. (The CSRF messages of
``wtforms.csrf.session`` are not listed: Flask-WTF checks CSRF with its own class, whose
messages do not go through this hook.)
"""

from __future__ import annotations

from signage.message import N_, N_plural

#: WTForms' messages without a plural form (fields, then validators), and Flask-WTF's file checks.
MESSAGES = frozenset(
    (
        N_("Not a valid choice."),
        N_("Invalid Choice: could not coerce."),
        N_("Choices cannot be None."),
        N_("Invalid choice(s): one or more data inputs could not be coerced."),
        N_("Not a valid datetime value."),
        N_("Not a valid date value."),
        N_("Not a valid time value."),
        N_("Not a valid week value."),
        N_("Not a valid integer value."),
        N_("Not a valid decimal value."),
        N_("Not a valid float value."),
        N_("This field is required."),
        N_("Invalid input."),
        N_("Field must be between %(min)d and %(max)d characters long."),
        N_("Number must be at least %(min)s."),
        N_("Number must be at most %(max)s."),
        N_("Number must be between %(min)s and %(max)s."),
        N_("Date must be at least %(min)s."),
        N_("Date must be at most %(max)s."),
        N_("Date must be between %(min)s and %(max)s."),
        N_("Invalid field name '%s'."),
        N_("Field must be equal to %(other_name)s."),
        N_("Invalid email address."),
        N_("Invalid IP address."),
        N_("Invalid Mac address."),
        N_("Invalid URL."),
        N_("Invalid UUID."),
        N_("Invalid value, must be one of: %(values)s."),
        N_("Invalid value, can't be any of: %(values)s."),
        N_("This field cannot be edited."),
        N_("This field is disabled and cannot have a value."),
        N_("File does not have an approved extension: {extensions}"),
        N_("File does not have an approved extension."),
    )
)

#: WTForms' messages with a plural form, as (singular, plural).
PLURALS = frozenset(
    (
        N_plural(
            "Field must be at least %(min)d character long.",
            "Field must be at least %(min)d characters long.",
        ),
        N_plural(
            "Field cannot be longer than %(max)d character.",
            "Field cannot be longer than %(max)d characters.",
        ),
        N_plural(
            "Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."
        ),
        N_plural(
            "'%(value)s' is not a valid choice for this field.",
            "'%(value)s' are not valid choices for this field.",
        ),
    )
)
