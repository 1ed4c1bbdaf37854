"""A mixin for views whose answer is the same for every anonymous reader."""

import functools

from .headers import share


class SharedPageMixin:
    """Marks a successful GET's response as shareable (``headers.share``).

    ``get_cache_keys`` names what the page shows, ``get_cache_max_age`` how
    long a shared cache may keep it; both are read once the view has built
    its context, so they may use ``self.object`` or the page's articles.
    """

    def get_cache_keys(self):
        return []

    def get_cache_max_age(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            share(response, keys=self.get_cache_keys(), max_age=self.get_cache_max_age())
        return response


def shared_page(*, keys=(), max_age=None):
    """The decorator form of ``SharedPageMixin``, for function views; ``max_age`` may be a callable."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                share(response, keys=keys, max_age=max_age() if callable(max_age) else max_age)
            return response

        return wrapped

    return decorator
