"""What every matcher returns: candidates with scores and the features that explain them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

Decision = Literal["accepted", "review", "none"]


# Features and candidates are named tuples: a matcher makes several for every new string,
# and forked helpers send them back (see parallel.py), so they must be cheap to create,
# pickle and unpickle (a frozen dataclass costs about three times as much of each).


class Feature(NamedTuple):
    """One signal that fired while comparing a query with a reference entry."""

    name: str
    score: float
    detail: str
    query_value: str
    reference_value: str


class Candidate(NamedTuple):
    """A reference entry the query may mean, with its score (0-100) and how it was found."""

    id: str
    name: str
    score: float
    method: str
    features: tuple[Feature, ...] = ()
    source: str = ""  # the list an enforcement entity comes from; empty for goods and countries


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The candidates for one query, best first (empty when nothing comes close)."""

    query: str
    candidates: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by the constructor: far cheaper to unpickle than a slotted state.
        return (type(self), (self.query, self.candidates))


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The two cut-offs that turn a score into a decision; applied at the edge, not in matchers."""

    accept: float
    review: float

    def __post_init__(self) -> None:
        if not 0 <= self.review <= self.accept <= 100:
            raise ValueError(f"need 0 <= review ({self.review}) <= accept ({self.accept}) <= 100")

    def decide(self, score: float | None) -> Decision:
        """Return accepted, review or none for a best score."""
        if score is None or score < self.review:
            return "none"
        return "accepted" if score >= self.accept else "review"
