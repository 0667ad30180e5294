"""Domain refusals in Django views: a NotFound becomes a 404 page and a NotPermitted a 403 page,
each showing the refusal's message (core.views renders both). The API maps the same errors in
api.exceptions."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.errors import NotFound, NotPermitted


def refusals_as_pages(view):
    """Decorate a view whose permission checks and `<thing>_get_visible` selectors raise domain
    refusals; the errors a view catches itself (to show in a form, say) are untouched."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper
