"""People's decisions about matches: stored per organisation, applied on every later run.

A judgement is keyed by (kind, query_key[, candidate_id]), where kind is "good", "country" or
"supplier" and query_key is the string's normalised form (`AssessmentMatch.query_key`):

- goods: the HS code's digits when the query reads as a code ("610910"), else
  `reference_data.normalise_name` of the description;
- countries: `normalise_name` of the text;
- suppliers: `normalise_name` of the name, "|", and the ISO alpha-3 of the country it was
  screened with ("acme textile co ltd|CHN", or "acme textile co ltd|" with no country).

With no candidate_id a judgement is about the string as a whole: "accept" confirms the best
candidate, "reject" says nothing listed is meant, "replace" names the right entry (target_id:
a good id, an ISO alpha-3 code or an enforcement entity id). With a candidate_id it is about
that one candidate: "accept" makes it the match, "reject" rules it out (the next candidate is
then weighed with the usual thresholds).

Applying a judgement rewrites the match record and keeps what the engine said under
`record["engine"]`, and the judgements applied under `record["judgements"]`, so that a later
run (or a withdrawn judgement) starts again from the engine's answer.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from reference_data import ReferenceData
from risk_models.scoring import EntityHit
from supplychain.errors import InvalidInput
from supplychain.extensions import db
from supplychain.models.accounts import ApiToken, AuditEvent, User
from supplychain.models.assessments import (
    AssessmentLine,
    AssessmentMatch,
    Judgement,
    decision_bits,
    decisions_with,
)
from supplychain.services import audit, evidence, matching, screening
from supplychain.services.access import get_scoped, scoped_select

if TYPE_CHECKING:
    from supplychain.models.assessments import Assessment

KINDS = ("good", "country", "supplier")
DECISIONS = ("accept", "reject", "replace")
JUDGEMENT_DECIDED = "judgement.decided"
JUDGEMENT_WITHDRAWN = "judgement.withdrawn"
# What the engine said, kept on a judged record so the judgement can be undone or re-applied.
ENGINE_KEYS: dict[str, tuple[str, ...]] = {
    "good": ("decision", "match", "derived"),
    "country": ("decision", "match"),
    "supplier": ("hits",),
}
_MATCH_KIND = {"good": "GOODS", "country": "COUNTRIES"}
_LINE_COLUMN = {
    "good": AssessmentLine.good_match_id,
    "country": AssessmentLine.country_match_id,
    "supplier": AssessmentLine.supplier_match_id,
}


@dataclass(frozen=True, slots=True)
class Override:
    """One stored judgement, in the plain form the pipeline applies."""

    id: int
    kind: str
    query_key: str
    candidate_id: str
    decision: str
    target_id: str | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "candidate_id": self.candidate_id,
            "decision": self.decision,
            "target_id": self.target_id,
            "note": self.note,
        }


Overrides = dict[tuple[str, str], tuple[Override, ...]]


def overrides(organisation_id: int) -> Overrides:
    """Return the organisation's judgements by (kind, query_key)."""
    found: dict[tuple[str, str], list[Override]] = {}
    query = scoped_select(Judgement, organisation_id).order_by(Judgement.id)
    for row in db.session.scalars(query):
        found.setdefault((row.kind, row.query_key), []).append(
            Override(
                row.id,
                row.kind,
                row.query_key,
                row.candidate_id,
                row.decision,
                row.target_id,
                row.note,
            )
        )
    return {key: tuple(items) for key, items in found.items()}


# Deciding ------------------------------------------------------------------------------------


def _snapshot(judgement: Judgement | None) -> dict[str, Any] | None:
    if judgement is None:
        return None
    return {
        "decision": judgement.decision,
        "target_id": judgement.target_id,
        "note": judgement.note,
        "user_id": judgement.user_id,
        "token_id": judgement.token_id,
    }


def _check_target(kind: str, target_id: str, reference: ReferenceData) -> None:
    known: Mapping[str, Any]
    if kind == "good":
        known = reference.goods
    elif kind == "country":
        known = reference.countries
    else:
        known = {entity.entity_id: entity for entity in reference.entities}
    if target_id not in known:
        label = {"good": "good id", "country": "ISO alpha-3 code", "supplier": "entity id"}[kind]
        raise InvalidInput(
            f"{target_id!r} is not a {label} in reference data {reference.version}.",
            errors={"target_id": [f"Give a {label} from the reference data."]},
        )


def decide(
    organisation_id: int,
    kind: str,
    query_key: str,
    decision: str,
    target_id: str | None = None,
    candidate_id: str = "",
    user_id: int | None = None,
    token_id: int | None = None,
    note: str = "",
    *,
    query: str = "",
    reference: ReferenceData | None = None,
) -> Judgement:
    """Record (or change) a judgement and write who decided what, with before and after.

    `query` is the text as the person saw it (the audit log shows it beside the key).
    `reference`, when given, is used to check that a replacement target exists. The
    judgement applies from the next run on; `pipeline.rescore(assessment)` applies it to an
    assessment that has run already.
    """
    if kind not in KINDS:
        raise InvalidInput(
            f"{kind!r} is not a kind of match; use one of {', '.join(KINDS)}.",
            errors={"kind": [f"One of {', '.join(KINDS)}."]},
        )
    if decision not in DECISIONS:
        raise InvalidInput(
            f"{decision!r} is not a decision; use one of {', '.join(DECISIONS)}.",
            errors={"decision": [f"One of {', '.join(DECISIONS)}."]},
        )
    query_key = query_key.strip()
    if not query_key:
        raise InvalidInput("A judgement needs the query key of the match.")
    candidate_id = (candidate_id or "").strip()
    if decision == "replace":
        if not target_id:
            raise InvalidInput(
                "Replacing a match needs the right entry (target_id).",
                errors={"target_id": ["Required when the decision is replace."]},
            )
        if reference is not None:
            _check_target(kind, target_id, reference)
    else:
        target_id = None
    existing = db.session.scalar(
        scoped_select(Judgement, organisation_id).where(
            Judgement.kind == kind,
            Judgement.query_key == query_key,
            Judgement.candidate_id == candidate_id,
        )
    )
    before = _snapshot(existing)
    judgement = existing or Judgement(
        organisation_id=organisation_id, kind=kind, query_key=query_key, candidate_id=candidate_id
    )
    judgement.decision = decision
    judgement.target_id = target_id
    judgement.note = note or ""
    judgement.user_id = user_id
    judgement.token_id = token_id
    if existing is None:
        db.session.add(judgement)
    db.session.flush()
    audit.record(
        JUDGEMENT_DECIDED,
        organisation_id=organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=judgement,
        detail={
            "kind": kind,
            "query_key": query_key,
            "query": query or query_key,
            "candidate_id": candidate_id,
            "before": before,
            "after": _snapshot(judgement),
        },
    )
    return judgement


def withdraw(
    organisation_id: int,
    judgement_id: int,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
) -> None:
    """Delete a judgement, so the engine decides that string again; audited like a decision."""
    judgement = get_scoped(Judgement, judgement_id, organisation_id)
    audit.record(
        JUDGEMENT_WITHDRAWN,
        organisation_id=organisation_id,
        user_id=user_id,
        token_id=token_id,
        target=judgement,
        detail={
            "kind": judgement.kind,
            "query_key": judgement.query_key,
            "candidate_id": judgement.candidate_id,
            "before": _snapshot(judgement),
            "after": None,
        },
    )
    db.session.delete(judgement)
    db.session.flush()


def audit_log(
    organisation_id: int,
    *,
    actions: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Return the organisation's audit trail, newest first, as rows ready to export."""
    query = (
        sa.select(AuditEvent, User.email, ApiToken.name, ApiToken.prefix)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(ApiToken, ApiToken.id == AuditEvent.token_id)
        .where(AuditEvent.organisation_id == organisation_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if actions:
        query = query.where(AuditEvent.action.in_(list(actions)))
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [
        {
            "id": event.id,
            "created_at": event.created_at.isoformat(),
            "action": event.action,
            "user": email,
            "token": f"{token_name} ({prefix}...)" if token_name else None,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "detail": event.detail or {},
        }
        for event, email, token_name, prefix in db.session.execute(query)
    ]


# The review queue ----------------------------------------------------------------------------


def candidates_of(kind: str, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return what a person chooses between: the candidates (goods, countries) or the hits."""
    if kind != "supplier":
        return [dict(candidate) for candidate in record.get("candidates", ())]
    return [
        {
            "id": hit["entity_id"],
            "name": hit["name"],
            "score": hit["score"],
            "list": hit["list"],
            "decision": hit["decision"],
            "explanation": hit.get("explanation", []),
        }
        for hit in record.get("hits", ())
        if hit["match"] or hit.get("judged")
    ]


def _target_name(kind: str, record: Mapping[str, Any]) -> str | None:
    if kind == "supplier":
        matched = [hit for hit in record.get("hits", ()) if hit["match"]]
        return matched[0]["name"] if matched else None
    match = record.get("match")
    return match["name"] if match else None


def review_item(match: AssessmentMatch, lines: int | None = None) -> dict[str, Any]:
    """Describe one match for a person reviewing it."""
    record = match.record
    return {
        "match_id": match.id,
        "kind": match.kind,
        "query": match.query,
        "query_key": match.query_key,
        "decision": match.decision,
        "score": match.score,
        "target_id": match.target_id,
        "target_name": _target_name(match.kind, record),
        "judged": match.judged,
        "judgements": record.get("judgements", []),
        "candidates": candidates_of(match.kind, record),
        "explanation": record.get("explanation", []),
        "warnings": record.get("warnings", []),
        "lines": lines,
    }


def line_counts(assessment: Assessment, matches: Iterable[AssessmentMatch]) -> dict[int, int]:
    """Return how many lines of the assessment use each match."""
    wanted: dict[int, int] = {}  # match id -> its DECIDED_* bits, which its lines all have
    for match in matches:
        wanted[match.id] = decision_bits(match.decision, match.judged)
    if not wanted:
        return {}
    values: set[int] = set()
    for bits in set(wanted.values()):
        values.update(decisions_with(bits))
    line = AssessmentLine
    # Counted per distinct (good, country, supplier) on the decisions index, which holds the
    # match ids: only the lines with the matches' bits are read (review ones, in the queue).
    query = (
        sa.select(
            line.good_match_id, line.country_match_id, line.supplier_match_id, sa.func.count()
        )
        .where(line.assessment_id == assessment.id, line.decisions.in_(sorted(values)))
        .group_by(line.good_match_id, line.country_match_id, line.supplier_match_id)
    )
    counts: dict[int, int] = {}
    for *ids, count in db.session.execute(query):
        for match_id in ids:
            if match_id in wanted:
                counts[match_id] = counts.get(match_id, 0) + count
    return counts


def _review_select(assessment: Assessment, kind: str | None, band: str | None) -> sa.Select[Any]:
    query = sa.select(AssessmentMatch).where(
        AssessmentMatch.assessment_id == assessment.id,
        AssessmentMatch.organisation_id == assessment.organisation_id,
        AssessmentMatch.decision == "review",
    )
    if kind is not None:
        if kind not in KINDS:
            raise InvalidInput(f"{kind!r} is not a kind of match; use {', '.join(KINDS)}.")
        query = query.where(AssessmentMatch.kind == kind)
    if band is not None:
        # Lines have no band index: a band's lines are a range of the score index.
        known = ((assessment.summary or {}).get("score_range_by_band") or {}).get(band)
        scores = [AssessmentLine.score.between(known[0] - 1e-9, known[1] + 1e-9)] if known else []
        used = [
            sa.and_(
                AssessmentMatch.kind == name,
                AssessmentMatch.id.in_(
                    sa.select(column).where(
                        AssessmentLine.assessment_id == assessment.id,
                        AssessmentLine.band == band,
                        *scores,
                    )
                ),
            )
            for name, column in _LINE_COLUMN.items()
        ]
        query = query.where(sa.or_(*used))
    return query


def review_queue(
    assessment: Assessment,
    kind: str | None = None,
    band: str | None = None,
    *,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Return the matches waiting for a person, those used by the most lines first.

    `band` keeps the matches used by at least one line of that band (the higher of the two).
    """
    matches = list(db.session.scalars(_review_select(assessment, kind, band)))
    counts = line_counts(assessment, matches)
    matches.sort(key=lambda m: (-counts.get(m.id, 0), -(m.score or 0), m.kind, m.query_key))
    return [review_item(match, counts.get(match.id, 0)) for match in matches[:limit]]


def decide_bulk(
    assessment: Assessment,
    kind: str,
    min_score: float,
    max_score: float,
    decision: str,
    *,
    user_id: int | None = None,
    token_id: int | None = None,
    note: str = "",
) -> int:
    """Accept or reject every match in review of one kind scoring within [min, max].

    Returns how many were decided. Like `decide`, it records judgements only: call
    `pipeline.rescore(assessment)` afterwards to apply them to the assessment.
    """
    if decision not in ("accept", "reject"):
        raise InvalidInput("Bulk decisions accept or reject; replace one match at a time.")
    query = _review_select(assessment, kind, None).where(
        AssessmentMatch.score >= min_score, AssessmentMatch.score <= max_score
    )
    decided = 0
    for match in db.session.scalars(query).all():
        decide(
            assessment.organisation_id,
            match.kind,
            match.query_key,
            decision,
            user_id=user_id,
            token_id=token_id,
            note=note,
            query=match.query,
        )
        decided += 1
    return decided


# Applying ------------------------------------------------------------------------------------


def engine_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return the record as the engine made it, undoing any judgement applied to it."""
    if "engine" not in record:
        return dict(record)
    base = {key: value for key, value in record.items() if key not in ("engine", "judgements")}
    base.update(record["engine"])
    return base


def apply_judgements(
    kind: str,
    record: Mapping[str, Any],
    found: Sequence[Override] | None,
    reference: ReferenceData,
    config: Mapping[str, Any],
) -> dict[str, Any]:
    """Return the match record with the judgements on its string applied (or none, as made)."""
    base = engine_record(record)
    if not found:
        return base
    if kind == "supplier":
        judged = _apply_to_hits(base, found, reference)
    else:
        judged = _apply_to_match(kind, base, found, reference, config)
    judged["engine"] = {key: copy.deepcopy(base.get(key)) for key in ENGINE_KEYS[kind]}
    judged["judgements"] = [override.as_dict() for override in found]
    return judged


def _describe(
    kind: str, reference: ReferenceData, entry_id: str, score: float | None
) -> dict[str, Any] | None:
    """Return the `match` of a record for an entry a person chose, or None if unknown."""
    if kind == "good":
        good = reference.goods.get(entry_id)
        if good is None:
            return None
        return {"id": good.id, "name": good.name, "score": score, "method": "judgement"}
    country = reference.countries.get(entry_id)
    if country is None:
        return None
    return {
        "iso2": country.iso2,
        "iso3": country.iso3,
        "name": country.name_en,
        "score": score,
        "method": "judgement",
    }


def _match_id(kind: str, match: Mapping[str, Any] | None) -> str | None:
    if match is None:
        return None
    return match["id"] if kind == "good" else match["iso3"]


def _apply_to_match(
    kind: str,
    base: dict[str, Any],
    found: Sequence[Override],
    reference: ReferenceData,
    config: Mapping[str, Any],
) -> dict[str, Any]:
    out = copy.deepcopy(base)
    candidates = out.get("candidates", [])
    scores = {candidate["id"]: candidate["score"] for candidate in candidates}

    def choose(entry_id: str, decision: str) -> bool:
        match = _describe(kind, reference, entry_id, scores.get(entry_id))
        if match is None:  # an entry the current reference data no longer has
            out.setdefault("warnings", []).append(
                f"the judgement names {entry_id!r}, which reference data "
                f"{reference.version} does not have; the engine's answer stands"
            )
            return False
        out["match"], out["decision"] = match, decision
        if kind == "good":
            out["derived"] = None  # the person said what the product is
        return True

    whole = next((item for item in found if not item.candidate_id), None)
    by_candidate = {item.candidate_id: item for item in found if item.candidate_id}
    replaced = whole if whole and whole.decision == "replace" else None
    replaced = replaced or next(
        (item for item in by_candidate.values() if item.decision == "replace"), None
    )
    if replaced is not None and replaced.target_id:
        choose(replaced.target_id, "accepted")
        return out
    if whole is not None and whole.decision == "reject":
        out["match"], out["decision"] = None, "none"
        if kind == "good":
            out["derived"] = None
        return out
    accepted = [
        c for c in candidates if getattr(by_candidate.get(c["id"]), "decision", "") == "accept"
    ]
    if accepted:
        choose(accepted[0]["id"], "accepted")
        return out
    if whole is not None and whole.decision == "accept":
        current = _match_id(kind, base.get("match"))
        if current is not None:
            out["decision"] = "accepted"
        elif candidates:
            choose(candidates[0]["id"], "accepted")
        return out
    rejected = {cid for cid, item in by_candidate.items() if item.decision == "reject"}
    if _match_id(kind, base.get("match")) in rejected:
        limits = matching.thresholds(config, _MATCH_KIND[kind])
        remaining = [c for c in candidates if c["id"] not in rejected]
        decision = limits.decide(remaining[0]["score"]) if remaining else "none"
        if decision == "none" or not remaining or not choose(remaining[0]["id"], decision):
            out["match"], out["decision"] = None, "none"
            if kind == "good":
                out["derived"] = None
    return out


def _judge(hit: dict[str, Any], accepted: bool) -> None:
    hit["match"] = accepted
    hit["decision"] = "accepted" if accepted else "none"
    hit["judged"] = True


def _apply_to_hits(
    base: dict[str, Any], found: Sequence[Override], reference: ReferenceData
) -> dict[str, Any]:
    out = copy.deepcopy(base)
    hits: list[dict[str, Any]] = out.get("hits", [])
    whole = next((item for item in found if not item.candidate_id), None)
    by_candidate = {item.candidate_id: item for item in found if item.candidate_id}
    target = None
    if whole is not None and whole.decision == "replace":
        target = whole.target_id
    for item in by_candidate.values():
        if item.decision == "replace":
            target = item.target_id
    if target:
        present = False
        for hit in hits:
            if hit["entity_id"] == target:
                _judge(hit, True)
                present = True
            elif hit["match"]:
                _judge(hit, False)
        if not present:
            entity = next((e for e in reference.entities if e.entity_id == target), None)
            if entity is None:
                out.setdefault("warnings", []).append(
                    f"the judgement names entity {target!r}, which reference data "
                    f"{reference.version} does not have; the screening result stands"
                )
                out["hits"] = copy.deepcopy(base.get("hits", []))
                return out
            hits.insert(
                0,
                {
                    "list": entity.list,
                    "entity_id": entity.entity_id,
                    "name": entity.name,
                    "score": None,
                    "match": True,
                    "decision": "accepted",
                    "method": "judgement",
                    "explanation": [
                        screening.listing_sentence(entity),
                        "named as this supplier by a person reviewing the match",
                    ],
                    "judged": True,
                },
            )
        return out
    if whole is not None:
        if whole.decision == "reject":
            for hit in hits:
                if hit["match"]:
                    _judge(hit, False)
        elif whole.decision == "accept" and hits:
            matched = [hit for hit in hits if hit["match"]]
            _judge((matched or hits)[0], True)
    for hit in hits:
        chosen = by_candidate.get(hit["entity_id"])
        if chosen is not None:
            _judge(hit, chosen.decision == "accept")
    return out


def match_columns(kind: str, record: Mapping[str, Any]) -> tuple[str, str | None, float | None]:
    """Return a record's decision, chosen entry and score, as stored on AssessmentMatch."""
    if kind == "supplier":
        hits = record.get("hits", ())
        matched = [hit for hit in hits if hit["match"]]
        accepted = [hit for hit in matched if hit["decision"] == "accepted"]
        decision = "accepted" if accepted else "review" if matched else "none"
        chosen = (accepted or matched or [None])[0]
        scores = [hit["score"] for hit in hits if hit["score"] is not None]
        return decision, chosen["entity_id"] if chosen else None, max(scores, default=None)
    match = record.get("match")
    candidates = record.get("candidates", ())
    score = match.get("score") if match else None
    if score is None and candidates:
        score = candidates[0]["score"]
    return record["decision"], _match_id(kind, match), score


def supplier_hits(record: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[EntityHit, ...]:
    """Return the enforcement hits that count for a supplier record, judgements included.

    Hits a person confirmed count as accepted whatever their score; the others are read by
    `evidence.entity_hits`, the one reading every caller shares.
    """
    hits = record.get("hits", ())
    judged = tuple(
        EntityHit(hit["entity_id"], "accepted")
        for hit in hits
        if hit.get("judged") and hit["match"]
    )
    engine = evidence.entity_hits({"hits": [h for h in hits if not h.get("judged")]}, config)
    return judged + engine
