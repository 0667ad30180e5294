"""Sections that apps above grants add to the programme page. grants imports no app above it
(the layers contract), so an app that knows more about a programme (commissioning.calls: the bid
it came from) registers a panel in its AppConfig.ready; the page renders whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

# A panel: the request and the programme in, rendered HTML out ("" when it has nothing to show).
Panel = Callable[[HttpRequest, object], str]

_PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def render(request: HttpRequest, programme) -> list[SafeString]:
    """The registered panels' HTML for this programme, in registration order, empty ones left out."""
    return [SafeString(html) for panel in _PANELS if (html := panel(request, programme))]
