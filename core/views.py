"""The 404 and 403 pages (JSON under /api/, a page elsewhere), and /favicon.ico."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found: no API endpoint or object at this address."}, status=404)
    message = str(exception) if exception and str(exception) else ""
    if not message or "Resolver404" in message or message.startswith("{"):
        message = "There is no page at this address. It may have moved, or the link may be mistyped."
    return render(request, "404.html", {"message": message}, status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page says: the icon under /static/."""
    return redirect(staticfiles_storage.url("favicon.ico"), permanent=True)
