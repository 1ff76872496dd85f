"""What to ask a vendor next, tied to the factors that fired."""

from __future__ import annotations

from collections.abc import Iterable

from risk_models.scoring.types import Factor

# One entry per factor kind; a question is asked once however many lines fired it.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "listed_pair_forced_labour": (
        "Name the farms, mines or factories that produce this good for you, and show how you "
        "verified that no one there works under threat, debt or confiscated documents.",
        "Do workers pay recruitment fees, and who holds their identity documents?",
    ),
    "listed_pair_child_labour": (
        "How do you verify the age of workers at each site producing this good, including "
        "seasonal and home-based workers?",
        "Which independent audits or monitoring (with dates) cover child labour at these sites?",
    ),
    "listed_pair_forced_child_labour": (
        "What remediation process applies if a child is found in forced or hazardous work, "
        "and has it ever been used?",
    ),
    "listed_pair_downstream": (
        "Trace the listed input in this product back to its country of origin: which smelter, "
        "refinery or mill, and what evidence of origin do you hold?",
    ),
    "listed_elsewhere": (
        "State the country of origin of this good and how it is documented (certificates of "
        "origin, traceability records).",
    ),
    "listed_input": (
        "Which inputs (e.g. cotton, cobalt, polysilicon, cocoa) does this product contain, and "
        "where do they come from?",
    ),
    "tip_tier": (
        "How do you recruit workers in this country, including through agencies, and do you "
        "audit the recruiters?",
    ),
    "ilab_advancement": (
        "Which child-labour policy applies at your sites in this country, and how is it enforced?",
    ),
    "complicit_forced_child_labour": (
        "Does any state-organised labour (prison labour, labour transfer or mobilisation "
        "programmes) take part in producing this good?",
    ),
    "working_children": (
        "Do you use subcontractors or home workers, and how do you monitor them for child labour?",
    ),
    "missing_ratification": (
        "Which international labour standards does your code of conduct require beyond local law?",
    ),
    "enforcement_entity": (
        "Explain your relationship to the entity named on the enforcement list and the status "
        "of the order (active, modified or revoked).",
        "Provide evidence of remediation accepted by the issuing authority, if any.",
    ),
    "enforcement_review_hit": (
        "Confirm your full legal name, registration number and addresses so that a possible "
        "enforcement-list match can be confirmed or ruled out.",
    ),
    "product_place_rule": (
        "Show that the product contains no material from the place named by the enforcement "
        "order (supply-chain map, origin certificates, isotope or other testing).",
    ),
    "insufficient_data": (
        "Provide the product description and country of origin for every item you supply.",
    ),
}


def questions_for(factors: Iterable[Factor]) -> list[dict[str, str]]:
    """Return the questions to ask, strongest factors first, each tied to its factor kind."""
    ordered: list[str] = []
    for factor in sorted(factors, key=lambda f: -f.contribution):
        if factor.kind not in ordered:
            ordered.append(factor.kind)
    return [
        {"factor": kind, "question": question}
        for kind in ordered
        for question in QUESTIONS.get(kind, ())
    ]
