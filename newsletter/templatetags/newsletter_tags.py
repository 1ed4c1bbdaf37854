from django import template

from ..forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/includes/subscribe_form.html")
def newsletter_form(place="footer"):
    """The short subscription form (address and frequency): the same bytes for every reader."""
    return {"form": SubscribeForm(), "place": place}
