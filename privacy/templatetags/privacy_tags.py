from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def comment_ip_days() -> int:
    """How many days a comment's IP address is kept (the notices say it where the data is given)."""
    return settings.PRIVACY_COMMENT_IP_DAYS
