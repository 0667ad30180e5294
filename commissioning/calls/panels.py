"""The calls app's section on the programme page (registered with grants.panels in
CallsConfig.ready): delivery against the bid the programme was created from."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import selectors


def delivery_panel(request: HttpRequest, programme) -> str:
    delivery = selectors.delivery_against_bids([programme.pk]).get(programme.pk)
    if delivery is None:
        return ""
    return render_to_string("calls/_delivery.html", {"delivery": delivery}, request=request)
