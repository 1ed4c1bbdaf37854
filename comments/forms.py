"""The reader's comment form, with the checks the stock form lacks."""

import time

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.forms import XtdCommentForm
from django_comments_xtd.models import XtdComment

from . import selectors

# What each field says when it is longer than its column.
TOO_LONG = {
    "name": _("This name is too long: %(limit_value)d characters at most (it has %(show_value)d)."),
    "email": _(
        "This e-mail address is too long: %(limit_value)d characters at most (it has %(show_value)d)."
    ),
    "url": _("This website address is too long: %(limit_value)d characters at most (it has %(show_value)d)."),
    "comment": _(
        "This comment is too long: %(limit_value)d characters at most (it has %(show_value)d). "
        "Shorten it, or split it into two comments."
    ),
}


class CommentForm(XtdCommentForm):
    """django-comments-xtd's form, made safe and French-friendly.

    The stock form neither validates ``reply_to`` (a bad parent gives a 500
    after the row is inserted) nor refuses duplicates (it silently keeps the
    old comment), and its security messages are untranslated English. Every
    refusal here is a form error the reader sees.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["name"].label = _("Name")
        fields["name"].widget = forms.TextInput(attrs={"autocomplete": "name"})
        fields["email"].label = _("E-mail")
        fields["email"].help_text = _("Never shown. Used to confirm your comment.")
        fields["email"].widget = forms.EmailInput(attrs={"autocomplete": "email"})
        fields["url"].label = _("Website (optional)")
        fields["url"].assume_scheme = "https"
        fields["url"].widget = forms.URLInput(attrs={"autocomplete": "url"})
        fields["comment"].label = _("Comment")
        fields["comment"].error_messages["required"] = _("Your comment is empty.")
        fields["comment"].help_text = _(
            "Plain text. Leave a blank line between paragraphs; links become clickable."
        )
        fields["comment"].widget = forms.Textarea(attrs={"rows": 6})
        self._limit_lengths()
        fields["followup"].label = _("Notify me of new comments on this article by e-mail")
        fields["followup"].widget = forms.CheckboxInput()
        fields["followup"].label_suffix = ""
        fields["honeypot"].label = _("Leave this field empty")
        fields["honeypot"].widget = forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
        for name in ("name", "email", "comment"):
            fields[name].widget.attrs["required"] = True

    def _limit_lengths(self):
        """Each field holds what its column holds, checked here rather than at the INSERT.

        A ``max_length`` set on a field after it is built adds no validator:
        a longer value passed the form and failed in the database (PostgreSQL),
        a 500 with the comment lost.
        """
        columns = {"name": "user_name", "email": "user_email", "url": "user_url", "comment": "comment"}
        for name, column in columns.items():
            field = self.fields[name]
            limit = XtdComment._meta.get_field(column).max_length or settings.COMMENT_MAX_LENGTH
            # The stock fields' own length validators (EmailField's allows 320) give way to this one.
            field.validators = [
                validator for validator in field.validators if not isinstance(validator, MaxLengthValidator)
            ]
            field.validators.append(MaxLengthValidator(limit, message=TOO_LONG[name]))
            field.max_length = limit
            field.widget.attrs["maxlength"] = limit

    # The security fields come first in the form, so their checks run first.

    def clean_timestamp(self):
        timestamp = self.cleaned_data["timestamp"]
        age = time.time() - timestamp
        if age > getattr(settings, "COMMENTS_TIMEOUT", 2 * 60 * 60):
            raise forms.ValidationError(
                _("This form has expired. Reload the page and post your comment again."),
                code="expired",
            )
        if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
            raise forms.ValidationError(
                _("You posted too quickly. Take a few seconds to read your comment, then post it again."),
                code="too_fast",
            )
        return timestamp

    def clean_security_hash(self):
        try:
            return super().clean_security_hash()
        except forms.ValidationError:
            raise forms.ValidationError(
                _("This form is invalid. Reload the page and post your comment again."),
                code="tampered",
            )

    def clean_honeypot(self):
        if self.cleaned_data["honeypot"]:
            raise forms.ValidationError(
                _("Your comment was taken for spam and was not posted."), code="honeypot"
            )
        return ""

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please give your name."), code="required")
        return name

    def clean_reply_to(self):
        """Refuse a parent that is not a visible comment of this article, or too deep."""
        parent_id = self.cleaned_data["reply_to"] or 0
        if parent_id == 0:
            return 0
        parent = selectors.reply_parent(article=self.target_object, pk=parent_id)
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to does not exist or is no longer visible."),
                code="bad_parent",
            )
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            raise forms.ValidationError(
                _("This conversation is already nested as deep as allowed: reply higher up in the thread."),
                code="too_deep",
            )
        return parent_id

    def clean(self):
        cleaned_data = super().clean()
        email, text = cleaned_data.get("email"), cleaned_data.get("comment")
        if email and text and selectors.is_duplicate(article=self.target_object, email=email, text=text):
            raise forms.ValidationError(
                _("You have already posted this comment on this article."), code="duplicate"
            )
        return cleaned_data

    def hidden_errors(self):
        """Errors of the fields the reader cannot see, shown at the top of the form."""
        names = ("honeypot", "timestamp", "security_hash", "content_type", "object_pk", "reply_to")
        return [error for name in names for error in self.errors.get(name, [])]


def fresh_security_fields(content_type, object_pk):
    """A new ``timestamp`` and its ``security_hash`` for a comment form on ``object_pk``.

    Exactly what the form itself generates, for pages kept in the cache: their
    form must not carry the timestamp of the moment they were rendered.
    """
    timestamp = str(int(time.time()))
    form = CommentForm.__new__(CommentForm)  # the hash depends on its arguments only
    return timestamp, form.generate_security_hash(content_type, object_pk, timestamp)


class CommentEditForm(forms.Form):
    """The new text of a comment, changed by its writer: the posting form's rules on the text.

    What happens next (published again or held) is the moderation rules'
    decision, in ``services.comment_edit``.
    """

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 8, "required": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.error_messages["required"] = _("Your comment is empty.")
        field.help_text = _("Plain text. Leave a blank line between paragraphs; links become clickable.")
        limit = XtdComment._meta.get_field("comment").max_length or settings.COMMENT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(limit, message=TOO_LONG["comment"]))
        field.max_length = limit
        field.widget.attrs["maxlength"] = limit
