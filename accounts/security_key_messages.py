"""The messages django-otp-webauthn's views send to its scripts, for our French catalogue.

The package ships no French translation. Its views' messages (below) are
listed here, unchanged, so that ``makemessages`` puts them in locale/; its
scripts' own strings are in locale/fr/LC_MESSAGES/djangojs.po, which the
package's JavaScript catalogue view merges from LOCALE_PATHS.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Error processing WebAuthn request."),
    gettext_noop("Malformed request. JSON not parsable."),
    gettext_noop("Unprocessable Entity"),
    gettext_noop("Passwordless login is disabled."),
    gettext_noop("This user account is marked as disabled."),
    gettext_noop("This Passkey has been marked as disabled."),
    gettext_noop("The Passkey you tried to use was not found. Perhaps it was removed?"),
    gettext_noop(
        "The Passkey you tried to use does not belong to the currently logged-in user. Try using a "
        "different Passkey or logout first to use this Passkey."
    ),
    gettext_noop("Authentication required."),
    gettext_noop("User is not verified."),
    gettext_noop(
        "You must verify your identity first with an existing MFA device before you can register a new "
        "passkey."
    ),
]
