"""The pure pseudonymisation module, on hand-worked cases."""

import hashlib
import hmac
from datetime import date

import pytest

from claims import pseudonyms as p


@pytest.mark.parametrize("raw", ["AB123456C", "ab 12 34 56 c", " AB-12-34-56-C "])
def test_ni_numbers_are_normalised_to_one_form(raw):
    assert p.normalise_ni_number(raw) == "NI:AB123456C"


@pytest.mark.parametrize("raw", ["", "AB12345C", "QQ123456C", "AO123456C", "AB123456E", "TN123456A", "GB123456A"])
def test_invalid_ni_numbers_are_refused_without_repeating_them(raw):
    with pytest.raises(p.IdentifierError) as caught:
        p.normalise_ni_number(raw)
    assert caught.value.field == "ni_number"
    assert raw.strip() == "" or raw not in str(caught.value)


def test_names_fold_case_accents_and_punctuation():
    a = p.normalise_person(p.PersonDetails(date(1990, 5, 1), "O'Brien", "Zoë"))
    b = p.normalise_person(p.PersonDetails(date(1990, 5, 1), " obrien ", "ZOE"))
    assert a == b == "PERSON:1990-05-01:obrien:zoe"


def test_a_name_needs_letters():
    with pytest.raises(p.IdentifierError) as caught:
        p.normalise_person(p.PersonDetails(date(1990, 5, 1), "--", "Ann"))
    assert caught.value.field == "surname"


def test_pseudonym_is_hmac_sha256_chained_through_the_keys():
    one = hmac.new(b"k1", b"NI:AB123456C", hashlib.sha256)
    assert p.pseudonym([b"k1"], "NI:AB123456C") == one.hexdigest()
    two = hmac.new(b"k2", one.digest(), hashlib.sha256).hexdigest()
    assert p.pseudonym([b"k1", b"k2"], "NI:AB123456C") == two


def test_rekeying_a_stored_pseudonym_equals_running_the_longer_chain():
    stored = p.pseudonym([b"k1"], "NI:AB123456C")
    assert p.rekey(stored, b"k2") == p.pseudonym([b"k1", b"k2"], "NI:AB123456C")


def test_no_key_no_pseudonym():
    with pytest.raises(ValueError, match="No participant key"):
        p.pseudonym([], "NI:AB123456C")


def test_key_chain_and_fingerprint():
    assert p.parse_key_chain(" k1 , k2 ,") == [b"k1", b"k2"]
    assert p.parse_key_chain("") == []
    assert p.fingerprint([b"k1"]) != p.fingerprint([b"k1", b"k2"])
    assert len(p.fingerprint([b"k1"])) == 16
