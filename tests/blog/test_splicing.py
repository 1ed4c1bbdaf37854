"""Long cached markup goes into its page once, as bytes, exactly where the template put it."""

from django.template import engines

from blog import splicing
from blog.splicing import SplicingTemplateResponse

TEMPLATE = "<main>{% for part in parts %}<div>{{ part }}</div>{% endfor %}</main>{{ title }}"


def render(rf, **context):
    response = SplicingTemplateResponse(rf.get("/"), engines["django"].from_string(TEMPLATE), context)
    return response.render().content


def test_deferred_pieces_take_the_place_of_their_markers(rf):
    pieces = ["<p>Premier avis, déjà lu.</p>".encode(), b"<p>Second avis.</p>"]
    content = render(rf, parts=[lambda piece=piece: splicing.defer(piece) for piece in pieces], title="é")

    assert content == (
        "<main><div><p>Premier avis, déjà lu.</p></div><div><p>Second avis.</p></div></main>é".encode()
    )


def test_text_that_looks_like_a_marker_is_left_as_it_is(rf):
    content = render(rf, parts=[lambda: splicing.defer(b"<p>avis</p>")], title="\x00deadbeefdeadbeef:0\x00")

    assert content == b"<main><div><p>avis</p></div></main>\x00deadbeefdeadbeef:0\x00"


def test_outside_such_a_response_the_markup_is_text():
    assert splicing.defer("<p>déjà</p>".encode()) == "<p>déjà</p>"
