"""`{% computed "name" var ... %}...{% endcomputed %}`: a fragment rendered once per data version
(core.computed) for the values named, so the queries and the drawing inside it are skipped until
the data changes. Everything the fragment shows besides the data must be named: the user whose
visibility applies, the query string. Never wrap a form that posts (its CSRF token is per
request) or anything that carries the request's CSP nonce."""

import hashlib

from django import template
from django.utils.safestring import mark_safe

from core import computed

register = template.Library()


class ComputedNode(template.Node):
    def __init__(self, name: template.base.FilterExpression, parts: list, nodelist: template.NodeList):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context) -> str:
        values = "\x1f".join(str(part.resolve(context)) for part in self.parts)
        digest = hashlib.blake2b(values.encode(), digest_size=16).hexdigest()  # any length, any characters
        key = f"fragment:{self.name.resolve(context)}:{digest}"
        return mark_safe(computed.cached(key, lambda: str(self.nodelist.render(context))))  # noqa: S308


@register.tag("computed")
def do_computed(parser, token) -> ComputedNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% computed %} needs a name, then the values it depends on")
    nodelist = parser.parse(("endcomputed",))
    parser.delete_first_token()
    name, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return ComputedNode(name, parts, nodelist)
