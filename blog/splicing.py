"""Long cached markup put into its page once, rather than copied at each level of the templates.

Each level of a template joins what its nodes return into a new string, and the
response encodes the result: a page that holds half a megabyte of cached
comments would have it copied a dozen times. A node with such markup, kept as
bytes, returns ``defer(markup)`` instead: a short marker, unguessable, that
``SplicingTemplateResponse`` replaces with the bytes in the single join that
makes the response's content. Outside such a response, ``defer`` returns the
markup as text.
"""

import contextvars
import secrets

from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

_pieces = contextvars.ContextVar("spliced_pieces", default=None)


def defer(markup):
    """``markup`` (UTF-8 bytes) for the page being rendered.

    Only for markup that goes straight into the response: the marker must never
    end up inside markup that is itself cached.
    """
    state = _pieces.get()
    if state is None:
        return mark_safe(markup.decode())
    token, pieces = state
    pieces.append(markup)
    return mark_safe(f"\x00{token}:{len(pieces) - 1}\x00")


class SplicingTemplateResponse(TemplateResponse):
    """A template response whose deferred pieces are put in as its content is made."""

    @property
    def rendered_content(self):
        token = secrets.token_hex(8)
        pieces = []
        state = _pieces.set((token, pieces))
        try:
            text = super().rendered_content
        finally:
            _pieces.reset(state)
        if not pieces:
            return text
        # "…\x00<token>:<n>\x00…": split at the token (a pattern would be compiled anew each time).
        first, *others = text.split(f"\x00{token}:")
        chunks = [first.encode(self.charset)]
        for other in others:
            number, _, after = other.partition("\x00")
            chunks += [pieces[int(number)], after.encode(self.charset)]
        return b"".join(chunks)
