"""Security headers and request-size guard, added to every response by one middleware.

Django 5.2 has no Content-Security-Policy support of its own. The policy allows only this
site's own scripts and stylesheets (htmx, Chart.js and Swagger UI are vendored and served from
/static/); no inline <script> or <style> elements, no eval. Style *attributes* are allowed
(style-src-attr) because Chart.js, Swagger UI and a few templates set them; they cannot run code.
"""

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse

DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

EVIDENCE_UPLOAD_PATH = re.compile(r"^/(api/)?claims/[0-9]+/evidence/$")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Adds CSP and Permissions-Policy; refuses request bodies larger than any upload may be."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        too_big = self._too_big(request)
        response = too_big or self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _too_big(request) -> HttpResponse | None:
        # Stops a huge body before Django streams it to a temporary file; uploads are checked
        # again, with a friendlier message, by core.files.uploads.read_limited.
        # Evidence for a claim (its own, usually larger, limit) is posted only to these paths.
        evidence = EVIDENCE_UPLOAD_PATH.match(request.path_info or "")
        largest = settings.YARDSTICK["MAX_EVIDENCE_BYTES" if evidence else "MAX_UPLOAD_BYTES"]
        limit = largest + 1024 * 1024  # room for the form fields
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= limit:
            return None
        megabytes = largest / 1_048_576
        message = f"The request is too large; files may be at most {megabytes:.1f} MB."
        if (request.path_info or "").startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)  # the API's error shape (R413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
