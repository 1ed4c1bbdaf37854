"""Django's model backend, reading each request's user together with their session generation.

The middleware compares the session's generation with the account's on every
request ("log out everywhere"); loading it with the user (``select_related``)
costs no query of its own. A documented extension point: a subclass of
``ModelBackend`` overriding ``get_user``.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("security").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
