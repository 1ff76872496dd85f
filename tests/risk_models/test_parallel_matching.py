"""Large batches of new strings shared with a forked helper give the answers of one process."""

from __future__ import annotations

import os
import pickle
import signal

import pytest

from reference_data import load_reference_data
from risk_models.matching import parallel
from risk_models.matching.countries import CountryMatcher
from risk_models.matching.goods import GoodsMatcher
from risk_models.matching.suppliers import SupplierScreener

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")

WORDS = ["fresh", "frozen", "organic", "bulk", "premium", "raw", "dried", "mixed"]
GOODS = ["cotton t-shirts", "palm oil", "cocoa beans", "coffee machine", "shrimp", "rice"]


@pytest.fixture(scope="module")
def reference():
    return load_reference_data()


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Share batches from 40 strings on, so that the tests stay quick."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 40)


def products(count: int, start: int = 0) -> list[str]:
    """Return distinct product descriptions (with one repeat, to check the order)."""
    made = [f"{WORDS[i % 8]} {GOODS[i % 6]} lot {i}" for i in range(start, start + count)]
    return [*made, made[0]]


def test_a_large_batch_is_shared_and_answers_as_one_process_would(reference):
    assert parallel.can_fork()
    queries = products(parallel.PARALLEL_MIN + 200)
    alone, shared = GoodsMatcher.from_reference(reference), GoodsMatcher.from_reference(reference)
    try:
        expected = alone.match_many(queries)
        got = shared.match_many(queries, processes=2)
        assert shared._helper._pid  # a helper did share the work
        assert got == expected
        assert [r.query for r in got] == queries
        assert got[-1] is got[0]  # a repeated string is still answered once
    finally:
        shared.close()
    assert shared._helper._pid == 0


def test_countries_and_suppliers_share_large_batches_too(reference):
    places = [f"{i} Harbour Road, Dhaka, Bangladesh" for i in range(parallel.PARALLEL_MIN)]
    names = [(f"Hetian Taida Apparel {i}", "CHN") for i in range(parallel.PARALLEL_MIN)]
    countries, screener = CountryMatcher.from_reference(reference), SupplierScreener(reference)
    try:
        assert countries.match_many(places, processes=2) == [
            CountryMatcher.from_reference(reference).match(p) for p in places
        ]
        alone = SupplierScreener(reference)
        assert screener.screen_many(names, processes=2) == alone.screen_many(names)
        assert countries._helper._pid and screener._helper._pid
    finally:
        countries.close()
        screener.close()


def test_small_batches_and_one_process_never_fork(reference):
    matcher = GoodsMatcher.from_reference(reference)
    matcher.match_many(products(parallel.PARALLEL_MIN // 2), processes=2)
    matcher.match_many(products(parallel.PARALLEL_MIN * 2), processes=1)
    assert matcher._helper._pid == 0


def test_a_threaded_process_matches_everything_itself(reference, monkeypatch):
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    matcher = GoodsMatcher.from_reference(reference)
    queries = products(parallel.PARALLEL_MIN)
    assert matcher.match_many(queries, processes=2) == GoodsMatcher.from_reference(
        reference
    ).match_many(queries)
    assert matcher._helper._pid == 0


def test_a_helper_that_dies_leaves_the_work_to_this_process(reference):
    matcher = GoodsMatcher.from_reference(reference)
    size = parallel.PARALLEL_MIN
    try:
        matcher.match_many(products(size), processes=2)
        os.kill(matcher._helper._pid, signal.SIGKILL)
        second = products(size, start=size)
        got = matcher.match_many(second, processes=2)
        assert got == GoodsMatcher.from_reference(reference).match_many(second)
        assert matcher._helper._pid == 0  # stopped, and not started again
        matcher.match_many(products(size, start=2 * size), processes=2)
        assert matcher._helper._pid == 0
    finally:
        matcher.close()


def test_results_come_back_from_a_pickle_equal_and_of_their_own_class(reference):
    place = CountryMatcher.from_reference(reference).match("Dhaka, Bangladesh")
    assert place.candidates and pickle.loads(pickle.dumps(place)) == place
    product = GoodsMatcher.from_reference(reference).match("chocolate bars")
    back = pickle.loads(pickle.dumps(product))
    assert product.derived is not None and back == product
    assert type(back) is type(product) and back.derived == product.derived


def test_a_batch_of_known_strings_is_not_listed_for_sharing():
    known = {f"known {i}" for i in range(5_000)}
    assert not parallel.may_share(sorted(known), known)
    assert parallel.may_share([f"new {i}" for i in range(5_000)], known)
    assert not parallel.may_share(["new"] * 30, known)  # too few to share at all
