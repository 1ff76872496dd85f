"""Batches are matched with the cyclic collector paused, and it is always switched back on."""

from __future__ import annotations

import gc

import pytest

from risk_models.matching.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_back_on_after():
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested batches leave it off until the outer one ends
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_batch_still_switches_it_back_on():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("bad batch")
    assert gc.isenabled()


def test_a_caller_that_switched_it_off_keeps_it_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_matching_a_batch_runs_with_it_paused(monkeypatch):
    from reference_data import load_reference_data
    from risk_models.matching.countries import CountryMatcher

    matcher = CountryMatcher.from_reference(load_reference_data())
    seen = []
    original = matcher.match

    def watch(query):
        seen.append(gc.isenabled())
        return original(query)

    monkeypatch.setattr(matcher, "match", watch)
    assert [r.best.id for r in matcher.match_many(["France", "Viet Nam"])] == ["FRA", "VNM"]
    assert seen == [False, False] and gc.isenabled()
