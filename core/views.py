"""The 404 and 403 pages: JSON under /api/, a page elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found: no API endpoint or object at this address."}, status=404)
    message = str(exception) if exception and str(exception) else ""
    if not message or "Resolver404" in message or message.startswith("{"):
        message = "There is no page at this address. It may have moved, or the link may be mistyped."
    return render(request, "404.html", {"message": message}, status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"message": str(exception or "")}, status=403)
