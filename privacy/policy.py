"""The privacy policy's page: its address and its first text, built from the settings.

Used by the data migration (with the historical models) and by
``services.ensure_privacy_page`` (seed_demo): both only create the page when
none is at its address, so an editor's changes in the admin are never
overwritten. The text is written in the site's language (LANGUAGE_CODE).
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The flatpage's address, as django.contrib.flatpages stores it.
POLICY_URL = "/confidentialite/"


def request_form_url() -> str:
    try:
        return reverse("privacy:request")
    except NoReverseMatch:
        # The form's URLs are not included yet (a migration run before they are):
        # the address they are documented to have.
        return POLICY_URL + "mes-donnees/"


def days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def policy_title() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Privacy policy")


def policy_content() -> str:
    """The page's HTML: every value from the settings is escaped, the rest is our own text."""
    with translation.override(settings.LANGUAGE_CODE):
        contact = settings.PRIVACY_CONTACT_EMAIL
        ip_days = days(settings.PRIVACY_COMMENT_IP_DAYS)
        spam_days = days(settings.COMMENTS_PURGE_SPAM_DAYS)
        form_url = request_form_url()
        sections = [
            (
                _("Who is responsible"),
                [
                    format_html(
                        _("This site is run by {controller}, responsible for the data described here."),
                        controller=settings.PRIVACY_CONTROLLER_NAME,
                    ),
                    format_html(
                        _("For any question about your data, write to {email}."),
                        email=format_html('<a href="mailto:{0}">{0}</a>', contact),
                    ),
                ],
            ),
            (
                _("What is collected, and why"),
                [
                    _(
                        "Comments: the name, e-mail address and website you give, the text, the date and "
                        "your connection's IP address. The e-mail address is never shown; it lets us "
                        "confirm your comment, tell you about replies if you ask for it, and moderate."
                    ),
                    _(
                        "Newsletter: your e-mail address and the choices you made (frequency, "
                        "categories), to send you what you asked for."
                    ),
                    _(
                        "No tracking cookie, no audience measurement by a third party, no advertising, "
                        "no content loaded from another site. Nothing is sold or passed on."
                    ),
                ],
            ),
            (
                _("How long it is kept"),
                [
                    format_html(
                        _("The IP address of a comment is erased after {days}."),
                        days=ip_days,
                    ),
                    format_html(
                        _("Comments removed by the moderators (spam, trash) are deleted after {days}."),
                        days=spam_days,
                    ),
                    _(
                        "A published comment is kept as long as the article, unless you ask for its "
                        "erasure. A newsletter subscription is kept until you unsubscribe."
                    ),
                ],
            ),
            (
                _("Your rights"),
                [
                    _(
                        "You may obtain a copy of the data held about your e-mail address, have it "
                        "corrected or erased, and object to its use."
                    ),
                    format_html(
                        _("Ask for it on {link}: a confirmation link is sent to your address."),
                        link=format_html(
                            '<a href="{}">{}</a>', form_url, _("the personal data request page")
                        ),
                    ),
                    _(
                        "If you think your rights are not respected, you may complain to the data "
                        "protection authority (in France, the CNIL)."
                    ),
                ],
            ),
        ]
        return format_html_join(
            "\n",
            "<h2>{}</h2>\n{}",
            (
                (title, format_html_join("\n", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs)))
                for title, paragraphs in sections
            ),
        )
