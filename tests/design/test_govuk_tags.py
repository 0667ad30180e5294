"""The GOV.UK form helpers: the right markup for each widget, hints and errors linked to their
field, and an error summary whose links land on the fields."""

import re

from django import forms
from django.template import Context, Template

from core.templatetags.govuk import STATUS_COLOURS, status_tag


class ExampleForm(forms.Form):
    name = forms.CharField(help_text="As it appears on the award letter.")
    amount = forms.DecimalField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    stream = forms.ChoiceField(choices=[("", "Choose"), ("a", "Stream A"), ("b", "Stream B")])
    outcome = forms.ChoiceField(widget=forms.RadioSelect, choices=[("yes", "Yes"), ("no", "No")])
    wards = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, choices=[("1", "Peckham"), ("2", "Camberwell")], required=False
    )
    confirm = forms.BooleanField(required=False, label="I have checked the figures")
    starts = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_text_input_has_label_hint_and_described_by():
    html = render("{% govuk_field form.name %}", form=ExampleForm())
    assert '<label class="govuk-label" for="id_name">Name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As it appears on the award letter.</div>' in html
    assert re.search(r'<input[^>]+class="govuk-input"[^>]+aria-describedby="id_name-hint"', html)


def test_optional_fields_say_so_and_widgets_choose_the_markup():
    form = ExampleForm()
    assert "Amount (optional)" in render("{% govuk_field form.amount %}", form=form)
    assert 'class="govuk-textarea"' in render("{% govuk_field form.notes %}", form=form)
    assert 'class="govuk-select"' in render("{% govuk_field form.stream %}", form=form)
    radios = render("{% govuk_field form.outcome inline=True %}", form=form)
    assert '<fieldset class="govuk-fieldset"' in radios and "govuk-radios--inline" in radios
    assert radios.count('class="govuk-radios__input"') == 2 and 'for="id_outcome_1"' in radios
    boxes = render("{% govuk_field form.wards %}", form=form)
    assert boxes.count('type="checkbox"') == 2 and "govuk-checkboxes__label" in boxes
    single = render("{% govuk_field form.confirm %}", form=form)
    assert 'class="govuk-checkboxes__input"' in single and "(optional)" not in single
    date = render("{% govuk_field form.starts %}", form=form)
    assert 'type="date"' in date and "govuk-input--width-10" in date


def test_errors_are_linked_to_their_field_and_summarised_with_links():
    form = ExampleForm(data={"amount": "lots"})
    assert not form.is_valid()
    name = render("{% govuk_field form.name %}", form=form)
    assert "govuk-form-group--error" in name and "govuk-input--error" in name
    assert 'aria-describedby="id_name-hint id_name-error"' in name
    assert '<p id="id_name-error" class="govuk-error-message">' in name
    radios = render("{% govuk_field form.outcome %}", form=form)
    assert 'aria-describedby="id_outcome-error"' in radios
    summary = render("{% govuk_error_summary form %}", form=form)
    assert 'data-module="govuk-error-summary"' in summary
    assert "<li>The whole form is wrong.</li>" in summary  # the form's own error, first and unlinked
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == ["id_name", "id_amount", "id_stream", "id_outcome_0"]
    for target in links:
        assert f'id="{target}"' in render(
            "{% govuk_field form.name %}{% govuk_field form.amount %}{% govuk_field form.stream %}"
            "{% govuk_field form.outcome %}",
            form=form,
        )


def test_no_summary_for_an_unbound_or_valid_form():
    assert render("{% govuk_error_summary form %}", form=ExampleForm()).strip() == ""


def test_a_widgets_own_classes_are_merged_into_one_class_attribute():
    class Narrow(forms.Form):
        code = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))

    html = render('{% govuk_field form.code classes="govuk-input--extra" %}', form=Narrow(data={}))
    tag = re.search(r"<input[^>]+>", html).group(0)
    assert tag.count("class=") == 1
    assert 'class="govuk-input govuk-input--error govuk-input--width-5 govuk-input--extra"' in tag


def test_status_tags_take_a_colour_per_status():
    assert status_tag("late") == '<strong class="govuk-tag govuk-tag--red">Late</strong>'
    assert status_tag("verified", "Verified by Ann") == (
        '<strong class="govuk-tag govuk-tag--green">Verified by Ann</strong>'
    )
    assert status_tag("something new") == '<strong class="govuk-tag">Something new</strong>'
    assert STATUS_COLOURS["amber"] == "yellow"


class SelectForm(forms.Form):
    stream = forms.ChoiceField(choices=[("", "Choose"), ("a", "Stream A & B"), ("b", '<Stream> "B"')])
    year = forms.TypedChoiceField(
        choices=[(None, "Any year"), (2009, "2009/10"), (2010, "2010/11")], coerce=int, required=False,
        help_text="The financial year.", widget=forms.Select(attrs={"class": "ys-wide", "data-x": "1"}),
    )  # fmt: skip
    grouped = forms.ChoiceField(choices=[("North", [("n1", "Peckham")]), ("South", [("s1", "Dulwich")])])
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True, required=False)


def test_a_plain_select_is_drawn_exactly_as_djangos_widget_templates_draw_it():
    """govuk_field writes a plain select's markup itself (faster than a template per option): it
    must be the markup Django's select.html would give, for any state of the field."""
    from core.templatetags.govuk import _select

    for data in (None, {"stream": "a", "year": "2010", "grouped": "s1"}, {"stream": "zz", "year": "x"}, {}):
        form = SelectForm(data=data)
        if data is not None:
            form.is_valid()
        for name in ("stream", "year", "disabled"):
            field = form[name]
            for attrs in ({"class": "govuk-select"}, {"class": "govuk-select", "aria-describedby": "h e"}):
                assert _select(field, attrs) == field.as_widget(attrs=attrs), (data, name, attrs)
        grouped = form["grouped"]
        assert _select(grouped, {}) == grouped.as_widget(attrs={})  # optgroups: Django draws them
    html = render("{% govuk_field form.stream %}", form=SelectForm(data={"stream": "b"}))
    assert '<option value="b" selected>&lt;Stream&gt; &quot;B&quot;</option>' in html
