"""A programme's history in words (issue 12, defect 9): it printed Python data such as
`wards: [] → [{'programme': 1, 'ward': 3}]`; now field labels, values as the pages show them,
names of linked records and "added ward Faraday"."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Programme
from grants.selectors import programme_history
from outcomes.models import Ward
from tests.conftest import login
from tests.factories import FundingStreamFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def save(programme, user, **fields):
    for name, value in fields.items():
        setattr(programme, name, value)
    programme._history_user = user
    programme.save()


@pytest.fixture
def changed(commissioner):
    programme = ProgrammeFactory(award_amount=Decimal("18750"), description="")
    theme = ThemeFactory(name="Worklessness")
    faraday = Ward.objects.create(partnership=theme.partnership, name="Faraday")
    cathedrals = Ward.objects.create(partnership=theme.partnership, name="Cathedrals")
    programme._history_user = commissioner
    programme.wards.add(faraday)
    programme.wards.add(cathedrals)
    programme.wards.remove(cathedrals)
    programme.themes.add(theme)
    stream = FundingStreamFactory(name="Safer Stronger Communities Fund", financial_year="2010/11")
    save(programme, commissioner, award_amount=Decimal("20000.50"), status=Programme.Status.SUSPENDED,
         funding_stream=stream, end_date=date(2012, 3, 31), description="Mentoring through the gate")  # fmt: skip
    return programme


def test_each_change_reads_as_a_sentence(changed):
    sentences = [s for entry in programme_history(changed) for s in entry["changes"]]
    assert "Added ward Faraday" in sentences
    assert "Removed ward Cathedrals" in sentences
    assert "Added theme Worklessness" in sentences
    assert "Award amount changed from £18,750.00 to £20,000.50" in sentences
    assert "Status changed from Active to Suspended" in sentences
    assert "End date changed from 31 March 2011 to 31 March 2012" in sentences
    assert "Description set to “Mentoring through the gate”" in sentences
    stream = next(s for s in sentences if s.startswith("Funding stream changed"))
    assert stream.endswith("to Safer Stronger Communities Fund 2010/11")
    assert not [s for s in sentences if "{" in s or "[" in s or "_" in s]


def test_the_page_shows_the_sentences_not_python_data(client, commissioner, changed):
    page = login(client, commissioner).get(reverse("programme-detail", args=[changed.pk])).content.decode()
    assert "Added ward Faraday" in page and "Award amount changed from £18,750.00 to £20,000.50" in page
    assert "&#x27;programme&#x27;" not in page and "{'programme'" not in page


def test_names_are_read_in_a_fixed_number_of_queries(changed, commissioner, django_assert_max_num_queries):
    for n in range(5):
        save(changed, commissioner, funding_stream=FundingStreamFactory(financial_year=f"201{n}/1{n + 1}"))
    # The records, then per record the wards' and themes' rows (simple-history's diff), then one
    # query per linked model for the names.
    records = changed.history.count()
    with django_assert_max_num_queries(1 + 4 * records + 4):
        programme_history(changed)
