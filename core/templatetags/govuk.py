"""GOV.UK Frontend markup for Django forms and statuses (docs/design-system.md).

    {% load govuk %}
    {% govuk_error_summary form %}                 the error summary, linking to each field
    {% govuk_field form.amount %}                  label, hint, error and the widget's markup
    {% govuk_field form.notes label_class="govuk-label--m" classes="govuk-input--width-10" %}
    {% govuk_field form.outcome inline=True %}     radios side by side
    {% status_tag programme.status %}              a tag coloured by status (STATUS_COLOURS)

The widget decides the markup: text-like inputs (their own type, value and attributes kept),
select, textarea, radios, checkboxes (several, or one on its own). The hint (the field's
help_text, or hint=) and the error message are linked to the control by aria-describedby.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# Status values (any model's or selector's) → GOV.UK tag colour; None is the default dark blue.
STATUS_COLOURS: dict[str, str | None] = {
    # RAG
    "green": "green",
    "amber": "yellow",
    "red": "red",
    "grey": "grey",
    # returns and their quarters
    "verified": "green",
    "submitted": "blue",
    "queried": "orange",
    "late": "red",
    "due": "yellow",
    "open": "grey",
    "owed": "yellow",
    # programmes
    "proposed": "grey",
    "active": "green",
    "suspended": "orange",
    "completed": "blue",
    "decommissioned": "grey",
    # review rounds
    "draft": "grey",
    "open for scoring": "green",
    "closed": "blue",
    # decisions
    "continue": "green",
    "conditions": "yellow",
    "recommission": "orange",
    "decommission": "red",
    # jobs (funding reviews)
    "queued": "grey",
    "running": "blue",
    "done": "green",
    "failed": "red",
    "expired": "grey",
    "revoked": "grey",  # API tokens
    # payments
    "payment": "green",
    "reversal": "orange",
}

_TEXT_INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.PasswordInput,
                forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.FileInput)  # fmt: skip
_NARROW_INPUTS = (forms.NumberInput, forms.DateInput, forms.TimeInput)


def tag_colour(status) -> str | None:
    return STATUS_COLOURS.get(str(status).strip().lower())


@register.simple_tag
def status_tag(status, label=None) -> SafeString:
    """<strong class="govuk-tag govuk-tag--COLOUR">Label</strong>; the label defaults to the
    status in sentence case. The colour is the label's if STATUS_COLOURS names it (so "Open for
    scoring" and a quarter that is "open" can differ), else the status's."""
    text = label if label not in (None, "") else str(status).replace("_", " ").capitalize()
    colour = tag_colour(text) or tag_colour(status)  # a label with its own colour wins
    classes = "govuk-tag" + (f" govuk-tag--{colour}" if colour else "")
    return format_html('<strong class="{}">{}</strong>', classes, text)


def _ids(field: BoundField) -> tuple[str, str, str]:
    base = field.auto_id or field.html_name
    return base, f"{base}-hint", f"{base}-error"


def error_target(field: BoundField) -> str:
    """The id the error summary links to: the control itself, or a group's first option."""
    base = field.auto_id or field.html_name
    if isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{base}_0"
    return base


def _merge_classes(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        for name in (part or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect: first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


_CONTROL_CLASS = {
    "input": ("govuk-input", "govuk-input--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}


@register.simple_tag
def govuk_field(
    field: BoundField,
    label=None,
    hint=None,
    label_class: str = "",
    classes: str = "",
    inline: bool = False,
    legend_class: str = "govuk-fieldset__legend--s",
) -> SafeString:
    """A form field as a GOV.UK form group (see the module docstring)."""
    if not isinstance(field, BoundField):
        raise template.TemplateSyntaxError("govuk_field takes a bound form field, e.g. form.amount")
    if field.is_hidden:
        return SafeString(str(field))
    widget = field.field.widget
    kind = _kind(widget)
    base, hint_id, error_id = _ids(field)
    hint_text = hint if hint is not None else field.help_text
    errors = list(field.errors)
    described = " ".join(
        part for part, present in ((hint_id, bool(hint_text)), (error_id, bool(errors))) if present
    )
    context = {
        "field": field,
        "kind": kind,
        "id": base,
        "label": label if label is not None else field.label,
        "label_class": label_class,
        "legend_class": legend_class,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described": described,
        "required": field.field.required,
        "inline": inline,
    }
    if kind in ("radios", "checkboxes"):
        context["options"] = [
            {
                "id": f"{base}_{i}",
                "name": sub.data["name"],
                "value": sub.data["value"],
                "label": sub.data["label"],
                "checked": sub.data["selected"],
            }
            for i, sub in enumerate(field.subwidgets)
        ]
        return SafeString(render_to_string("includes/govuk/choices.html", context))
    base_class, error_class = _CONTROL_CLASS[kind]
    width = (
        "govuk-input--width-10"
        if kind == "input" and isinstance(widget, _NARROW_INPUTS) and not classes
        else ""
    )
    attrs = {
        "class": _merge_classes(
            base_class, error_class if errors else "", width, widget.attrs.get("class", ""), classes
        ),
    }
    if described:
        attrs["aria-describedby"] = described
    context["control"] = _select(field, attrs) if _plain_select(widget) else field.as_widget(attrs=attrs)
    template_name = "includes/govuk/checkbox.html" if kind == "checkbox" else "includes/govuk/field.html"
    return SafeString(render_to_string(template_name, context))


_SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def _plain_select(widget: forms.Widget) -> bool:
    """A single-choice select drawn by Django's own templates (not a subclass with its own)."""
    return (
        isinstance(widget, forms.Select)
        and not widget.allow_multiple_selected
        and (widget.template_name, widget.option_template_name) == _SELECT_TEMPLATES
    )


def _attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"` in order, a True value as the bare name,
    a False one left out."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


def _select(field: BoundField, attrs: dict) -> SafeString:
    """What field.as_widget(attrs=attrs) returns for a plain single-choice Select, character for
    character (Django's select.html and select_option.html), written here rather than through
    the form renderer: a template include per option was most of a filter form's rendering time
    (tests/design/test_govuk_tags.py compares the two). Grouped choices go the template's way."""
    widget = field.field.widget
    final = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        final.setdefault("id", field.auto_id)
    final = widget.build_attrs(widget.attrs, final)
    selected_values = widget.format_value(field.value())
    options = []
    has_selected = False
    for value, label in widget.choices:
        if isinstance(label, list | tuple):  # an optgroup
            return field.as_widget(attrs=attrs)
        value = "" if value is None else value
        selected = not has_selected and str(value) in selected_values
        has_selected |= selected
        chosen = " selected" if selected else ""
        options.append(format_html('\n  <option value="{}"{}>{}</option>\n', value, chosen, label))
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        field.html_name,
        SafeString(_attributes(final)),
        SafeString("".join(options)),
    )


@register.simple_tag
def govuk_error_summary(*forms_, title: str = "There is a problem") -> SafeString:
    """The error summary for one or more forms: each field's errors link to the field; errors of
    the form as a whole are listed first, unlinked. Nothing when there are no errors."""
    items: list[dict] = []
    for form in forms_:
        if form is None or not getattr(form, "is_bound", False) or not form.errors:
            continue
        items += [{"message": message, "href": ""} for message in form.non_field_errors()]
        for name in form.errors:
            if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
                continue
            bound = form[name]
            items += [{"message": message, "href": f"#{error_target(bound)}"} for message in bound.errors]
    if not items:
        return SafeString("")
    return SafeString(render_to_string("includes/govuk/error_summary.html", {"items": items, "title": title}))


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """?…&page=N: this page's query string (filters, sort) with another page number."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def elided_pages(page) -> list:
    """The page numbers to offer around the current one, with Paginator.ELLIPSIS for gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
