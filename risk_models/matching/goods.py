"""Match product descriptions and HS codes to goods on the ILAB list (and derived products).

A description is read the way a buyer writes it: words are folded, stemmed and expanded from
ERP abbreviations, split into phrases at punctuation, and each phrase's main noun (its head)
is found. A good is a strong candidate when one of its names covers the description's words
and it explains a head noun: "cotton t-shirts" is about garments, "coffee machine" is about
a machine, so neither matches Cotton or Coffee. HS codes go through the goods' `hs` lists.

The matcher scores; it never decides. Thresholds are applied by the service.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

from lemminflect import getAllLemmas
from rapidfuzz.distance import OSA

from reference_data.models import Good, ReferenceData
from risk_models.matching.collector import collector_paused
from risk_models.matching.parallel import Helper, may_share
from risk_models.matching.result import Candidate, Feature, MatchResult
from risk_models.matching.text import (
    FRENCH_MARKERS,
    STOP_WORDS,
    STOP_WORDS_EN,
    fold,
    is_number_like,
    normalise,
    plausible_misspelling,
    stem,
    tokenise,
    word_set,
)

MAX_CANDIDATES = 5
MIN_CANDIDATE_SCORE = 30.0
IMPLIED_COVERAGE = 0.85  # a name implied by a telling word scores 72: worth a review
CACHE_LIMIT = 50_000

# --- the vocabulary of product descriptions -------------------------------------------------

# Words that carry no product information: packing units, quantities, measures.
NOISE_WORDS = word_set(
    """pcs pc pce pces pk pkt pkg pack packs package packed set sets pair pairs pr unit units ea
    each nos no qty quantity lot lots piece pieces carton cartons ctns box boxes
    kg kgs g gr gram grams mg lb lbs oz ton tons tonne tonnes mt ml l ltr litre liter cl
    mm cm m meter metre inch inches ft v w kw wh mah gsm dtex denier ply brix ph pct percent
    sku ref art model code hs hts hsn tariff heading subheading chapter nesoi nes
    approx approximately about"""
)
# Words that name no particular thing: never the main noun, and weak in a name.
GENERIC_WORDS = word_set(
    """good goods product products item items article articles material materials merchandise
    commodity commodities supplies supply stuff thing things misc miscellaneous general
    accessory part parts component components equipment produit produits article articles
    marchandise marchandises"""
)
# Words that qualify a product without changing what it is.
DESCRIPTOR_WORDS = word_set(
    """fresh frozen chilled dried dry raw whole organic natural premium grade quality standard
    bulk loose new mixed assorted various fine pure processed unprocessed roasted unroasted
    cooked uncooked peeled unpeeled shelled unshelled cut sliced diced ground powdered iqf
    export import imported local wholesale retail size small medium large xl xxl xs
    men man mens woman women womens wmns lady ladies kid kids child children childrens boy
    boys girl girls baby infant infants toddler unisex adult adults
    black white red green blue yellow brown grey gray pink purple beige khaki navy
    knit knitted woven printed dyed bleached unbleached combed spun blended blend stitched
    sewn handmade hand made style type brand design pattern used second class
    sample samples genuine authentic best certified fairtrade conventional
    sleeve sleeves sleeveless collar crew neck round casual formal basic plain
    regular slim fit stretch light heavy thick thin soft hard industrial commercial domestic
    coarse rough polished unpolished wet decorative engraved carved etched hammered
    household consumer finished semi unfinished assembled crocheted
    pique jersey fleece twill poplin chambray satin velvet terry rib ribbed interlock mesh
    flannel corduroy crepe
    monocrystalline polycrystalline multicrystalline mono bifacial fat moisture purity content
    frais fraiche fraiches surgele surgelee surgeles surgelees congele congelee congeles
    congelees seche seches sechee sechees brut brute bruts brutes biologique bio naturel
    naturelle homme hommes femme femmes enfant enfants entier entiers decortique decortiques
    cru crue crus blanc blanche blancs noir noire noirs rouge rouges vert verte verts jaune
    jaunes brun"""
)
# Substances a product is made of: they modify a product noun ("cotton t-shirt") and are
# the head only when nothing else is named ("raw cotton").
MATERIAL_WORDS = word_set(
    """cotton silk wool leather rubber latex nitrile gold silver copper steel stainless iron
    tin zinc brass aluminium aluminum metal metallic plastic polyester nylon acrylic viscose
    rayon spandex elastane lycra linen denim cashmere jute bamboo wood wooden timber teak
    glass ceramic porcelain stoneware earthenware paper cardboard clay stone granite marble hemp
    sisal mica pvc
    polyethylene polypropylene foam resin
    coton soie laine cuir caoutchouc acier fer etain argent cuivre verre bois bambou"""
)
# Forms of a raw good that keep its identity ("coffee beans", "garlic powder").
FORM_WORDS = word_set(
    """bean leaf powder paste seed kernel grain flake fillet pulp puree extract concentrate ore
    lint fibre fiber pod bar ingot bullion nugget chunk crop harvest root tuber bulb bunch
    stalk stick sheet slab block log loin steak portion slice mince granule pellet stem
    gemstone bead bangle boulder lump panel module
    quarter leg breast wing thigh drumstick carcass carcase offal tail
    belly brisket shoulder shank chop cutlet rump flank sirloin tenderloin rasher loaf loaves
    twig sprig cob floret wedge bundle"""
)
# Words saying a product only looks, tastes or smells like the good.
IMITATION_WORDS = word_set(
    """plated coated colored coloured flavored flavoured flavor flavour scented look effect
    imitation faux fake simulated substitute tone free replica alike synthetic artificial
    vegan"""
)
# Of those, the words saying the product is made without the good at all ("vegan leather",
# "synthetic rubber", "granite-effect laminate"); the others leave some of it ("gold plated",
# "cocoa flavoured").
SUBSTITUTE_WORDS = word_set(
    "imitation faux fake simulated substitute synthetic artificial vegan look effect tone"
)


def _stems(vocabulary: frozenset[str]) -> frozenset[str]:
    return vocabulary | frozenset(stem(word) for word in vocabulary)


NOISE_WORDS, GENERIC_WORDS, DESCRIPTOR_WORDS = (
    _stems(NOISE_WORDS),
    _stems(GENERIC_WORDS),
    _stems(DESCRIPTOR_WORDS),
)
MATERIAL_WORDS, FORM_WORDS, IMITATION_WORDS = (
    _stems(MATERIAL_WORDS),
    _stems(FORM_WORDS),
    _stems(IMITATION_WORDS),
)
# Nouns of common products that are not on the list and are no catalogue word either: as the
# main noun of a description they say it is about something else ("coffee machine", "rice
# cooker"). Any other unknown word in a description's tail is read as a grade, a variety or
# an origin ("peppercorns ASTA", "oranges Valencia").
FOREIGN_NOUNS = word_set(
    # kitchen, household and personal articles
    """machine machinery appliance cooker oven stove microwave kettle grinder blender mixer
    maker toaster fryer fridge refrigerator freezer heater cooler fan humidifier purifier
    iron dryer washer dishwasher spoon fork knife knives cutlery cup mug plate bowl dish
    tray pot pan skillet wok lid container holder dispenser hanger hook brush toothbrush
    comb razor mirror frame clock watch timer alarm lighter ashtray vase ornament figurine
    statue candleholder umbrella tent hammock wallet keyring keychain bottle flask thermos
    jug pitcher tumbler straw napkin tissue wipe wipes diaper nappy sponge mop bucket broom
    scrubber cloth duster shampoo conditioner lotion perfume fragrance deodorant toothpaste
    mouthwash sunscreen moisturizer moisturiser serum cleanser balm gel cleaner polish spray
    detergent softener bleach disinfectant sanitizer sanitiser insecticide repellent swab
    swabs bud buds floss pad pads tampon bandage plaster
    """
    # office, media and electronics accessories
    """pen pencil marker crayon eraser stapler stamp envelope folder binder notebook diary book
    magazine newspaper calendar poster card cards label sticker tag sign badge medal trophy
    certificate printer scanner copier toner cartridge ink screen projector keyboard mouse
    router modem server charger adapter adaptor plug socket switch sensor meter gauge scale
    thermometer controller remote antenna microphone camera lens tripod drone robot console
    game games
    """
    # hardware, tools, machines and parts
    """tool tools drill hammer screwdriver wrench spanner pliers saw chisel file grinder sander
    welder compressor generator motor engine pump valve valves pipe pipes tube tubing hose
    fitting fittings flange coupling connector connectors bearing bearings gasket grommet
    bumper mould mold bit bits bolt bolts
    screw screws washer rivet spring chain rope fence gate door window frame roof sink
    toilet shower faucet tap bathtub boiler radiator furnace turbine conveyor forklift crane
    excavator tractor harvester sprayer mower trailer vehicle bicycle bike scooter
    motorcycle boat ship aircraft helicopter part spare assembly kit fixture lamp light
    lighting led lantern torch flashlight
    """
    # packaging, plastics, chemicals, medicines
    """film foil wrap tape adhesive glue sealant sealer putty paint varnish lacquer stain
    preservative remover coating primer solvent
    thinner masterbatch fertilizer fertiliser pesticide herbicide fungicide alkali chemical
    chemicals reagent catalyst lubricant grease fuel diesel petrol gasoline kerosene lpg gas
    oxide dioxide hydroxide sulphate sulfate sulphide sulfide nitrate carbonate phosphate
    acetate silicate citrate
    propane tablet tablets capsule capsules pill pills syrup medicine medicines drug drugs
    vaccine injection syringe needle catheter implant stent dressing ointment inhaler helmet
    mask respirator goggles apron visor earplug
    """
    # food and drink that are not the goods they are made from
    """sauce vinegar syrup candy noodle noodles pasta spaghetti macaroni soup broth stock
    seasoning marinade dressing mayonnaise mustard jelly chutney dip snack snacks pie pizza
    sandwich burger starch gluten protein isolate supplement vitamin probiotic drink
    beverage soda lemonade smoothie water kombucha tonic
    """
    # services and charges
    """software app application platform service services licence license subscription freight
    shipping transport transportation logistics courier delivery postage consulting
    consultancy advisory audit repair maintenance installation cleaning rental lease hire
    insurance fee fees tax duty commission charge charges training marketing advertising
    printing hosting storage warehousing handling labour labor staffing catering security
    travel accommodation
    """
    # other articles and by-products
    """semolina bran malt husk filter filters lace laces insole strap cover holster pouch tank
    band shaker jug grill barbecue basket ash opener infuser dvd cd video movie ticket
    tickets voucher coupon poster ornament costume outfit
    """
    # French
    """cafetiere casserole tasse bol assiette couteau cuillere fourchette lampe moteur pompe
    tuyau robinet logiciel transport machine appareil outil vanne sauce boisson
    """
)
FOREIGN_NOUNS = _stems(FOREIGN_NOUNS)
# Packages: after a product they say how it is packed ("onions, 25 kg mesh bag").
PACKAGING_WORDS = _stems(
    word_set(
        """bag sack box carton case crate drum bottle jar can pouch tray bale roll reel cone
        pallet container flexitank tote bin punnet net packet sachet barrel jerrycan
        bucket pail tub spool"""
    )
)
# Abbreviations common in ERP exports and customs declarations, by folded word.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ctn": ("cotton",),
    "cttn": ("cotton",),
    "cotn": ("cotton",),
    "tshirt": ("t", "shirt"),
    "tshirts": ("t", "shirts"),
    "tshrt": ("t", "shirt"),
    "tee": ("t", "shirt"),
    "tees": ("t", "shirts"),
    "poly": ("polyester",),
    "lthr": ("leather",),
    "rbr": ("rubber",),
    "frzn": ("frozen",),
    "frz": ("frozen",),
    "org": ("organic",),
    "choc": ("chocolate",),
    "batt": ("battery",),
    "btry": ("battery",),
    "veg": ("vegetable",),
    "vegs": ("vegetables",),
    "asst": ("assorted",),
    "asstd": ("assorted",),
    "jkt": ("jacket",),
    "swtr": ("sweater",),
    "sox": ("socks",),
    "yrn": ("yarn",),
    "fab": ("fabric",),
    "wdn": ("wooden",),
    "shrt": ("shirt",),
    "trs": ("trousers",),
    "gmt": ("garment",),
    "gmts": ("garments",),
    "mod": ("module",),
    "mods": ("modules",),
    "tob": ("tobacco",),
    "chkn": ("chicken",),
    "qtr": ("quarter",),
    "qtrs": ("quarters",),
}
PARTICIPLES = frozenset(
    {"filled", "based", "flavoured", "flavored", "coated", "plated", "scented", "infused",
     "enriched", "stuffed", "topped", "dipped", "covered", "lined", "trimmed", "free"}
)  # fmt: skip
NEGATORS = frozenset(
    {"not", "non", "neither", "nor", "than", "except", "excluding", "excl", "without", "sans"}
)
CONJUNCTIONS = frozenset({"and", "or", "et", "ou", "nor", "plus", "und", "y"})
PREPOSITIONS_EN = word_set(
    """with of for including incl inc containing contg without excluding excl except whether
    in on into from by to w wo"""
)
PREPOSITIONS_FR = PREPOSITIONS_EN | word_set("de du des d en a pour avec sans aux au dans sur par")
# "CTN" after a count is a carton ("12 PCS/CTN"), not cotton.
_COUNT_WORDS = frozenset({"pcs", "pc", "per", "pk", "x"})

NAME, ALIAS, ALIAS_FR, NAME_VARIANT = "name", "alias", "alias_fr", "name_variant"
# "HS2022 8541.43": the edition of the nomenclature may be written with the prefix.
_CODE_WORDS = (
    r"(?:hs(?:19|20)\d\d(?=\s)|h\.?t\.?s\.?|h\.?s\.?n?|cn|hs\s*code|tariff(?:\s*code)?"
    r"|commodity\s*code|code)"
)
_CODE = re.compile(rf"^\s*(?:{_CODE_WORDS}\s*(?:no\.?)?\s*[:#-]?\s*)?(\d[\d.\s-]*)$", re.IGNORECASE)
# A code written before a description: "0901.11 Coffee, not roasted", "HS 6109 T-shirts".
_LEADING_CODE = re.compile(
    rf"^\s*(?:{_CODE_WORDS}\s*[:#-]?\s*(\d[\d.]*)|(\d{{4}}(?:\.\d{{2}}){{1,3}}))"
    r"\s*[-:;,–]?\s+(?=\D)(.+)$",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"\s+(?:and|or|et|ou|&)\s+", re.IGNORECASE)
# "4-drawer", "5-pocket", "2-ply": a count joined to a noun qualifies the product like a size.
_COUNTED = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)-(?=[a-z]+\b)")
# "clip-in", "tail-on", "pull-on": a word hyphenated to a particle is an adjective, no noun.
_PARTICLE = re.compile(r"\b([a-z]{2,})-(in|on|up|off|out)\b")
_CODE_PREFIX = re.compile(rf"^\s*{_CODE_WORDS}", re.IGNORECASE)

# Word classes, by how much a word says about what a product is.
NOISE, GENERIC, DESCRIPTOR, FORM, MATERIAL, IMITATION, WORD = 0, 1, 2, 3, 4, 5, 6
LIGHT_CLASSES = (NOISE, GENERIC, DESCRIPTOR)  # weigh little in a name


@dataclass(frozen=True, slots=True)
class GoodsMatchResult(MatchResult):
    """Candidates among listed goods, plus the derived product the query names, if any.

    A derived product (chocolate, tyres) is not on the list, so it never appears among the
    candidates; it is carried separately so that scoring can follow its listed inputs.
    """

    derived: Candidate | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.query, self.candidates, self.derived))


# A word's forms, class, correction, goods whose names use it, whether it is a product noun,
# whether it is another English noun (a product noun at the end of "laptop stand"), and
# whether it is a product noun only because a catalogue name ends with it ("face bricks").
_TokenInfo = tuple[tuple[str, ...], int, str, frozenset[int], bool, bool, bool]


class Slot(NamedTuple):
    """One word of a description, with the forms it may stand for."""

    position: int
    segment: int
    word: str
    forms: tuple[str, ...]
    cls: int
    corrected: str = ""  # the reference word a misspelling was read as
    # After a preposition (the preposition, or "-" after "cream-filled"): says what the
    # product is of, for or with, not what it is.
    modifier: str = ""


class Analysis(NamedTuple):
    """A description read into words, with its phrase heads."""

    slots: tuple[Slot, ...]
    heads: tuple[int, ...]  # positions of each phrase's main noun, the first phrase first
    french: bool
    forms: frozenset[str]  # every form of every word
    goods: tuple[frozenset[int], ...]  # per word, the goods whose names use one of its forms


@dataclass(frozen=True, slots=True)
class Phrase:
    """A name or alias of a good, read into stemmed words."""

    good: int
    text: str
    kind: str
    tokens: tuple[str, ...]
    weight: float
    head: str  # the phrase's main noun ("sugar" in "cane sugar", "cane" in "sugar cane")
    token_set: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Entry:
    good: Good
    in_latest: bool
    phrases: list[Phrase] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)


# --- features: one signal each; the docstring is the explanation shown to people ----------


def name_equal(query: str, good: Good) -> Feature:
    """The description is the good's name as ILAB spells it."""
    return Feature("name_equal", 100.0, f"{query!r} is the name {good.name!r}", query, good.name)


def alias_equal(query: str, phrase: Phrase, score: float) -> Feature:
    """The description is a known trade name of the good."""
    language = "French " if phrase.kind == ALIAS_FR else ""
    detail = f"{query!r} is the {language}trade name {phrase.text!r}"
    return Feature("alias_equal", score, detail, query, phrase.text)


def words_equal(query: str, phrase: Phrase, score: float) -> Feature:
    """The description has the same words as one of the good's names, in another order or number."""
    detail = f"{query!r} has the words of {phrase.text!r}"
    return Feature("words_equal", score, detail, query, phrase.text)


def phrase_overlap(query: str, phrase: Phrase, coverage: float, score: float) -> Feature:
    """The description contains the good's name or one of its trade names."""
    detail = f"{coverage:.0%} of {phrase.text!r} found in the description"
    return Feature("phrase_overlap", score, detail, query, phrase.text)


def implied_name(query: str, phrase: Phrase, score: float) -> Feature:
    """A word used for this good alone implies the rest of its name ("basmati" is rice)."""
    detail = f"{query!r} is read as {phrase.text!r}"
    return Feature("implied_name", score, detail, query, phrase.text)


def kind_of_good(general: Good, specific: Candidate, bonus: float) -> Feature:
    """The description names a good and the words that make it a more specific listed good."""
    detail = f"{specific.name!r} is a kind of {general.name!r}, and the description says which"
    return Feature("kind_of_good", bonus, detail, general.name, specific.name)


def longer_name(name: str, longer: str, penalty: float) -> Feature:
    """Another good's longer name, found whole in the description, covers this one's words."""
    detail = f"the words of {name!r} are part of {longer!r}, also found in full"
    return Feature("longer_name", -penalty, detail, name, longer)


def word_order(phrase: Phrase, head: str, penalty: float) -> Feature:
    """The words are the good's, but in an order that names another thing ("cane sugar")."""
    detail = f"the description is about {head!r}; {phrase.text!r} is about {phrase.head!r}"
    return Feature("word_order", -penalty, detail, head, phrase.text)


def head_noun(head: str, good: Good, penalty: float) -> Feature:
    """The description is about something else; the good only qualifies it ("coffee machine")."""
    detail = f"the description is about {head!r}, which is not {good.name!r}"
    return Feature("head_noun", -penalty, detail, head, good.name)


def input_named(head: str, inputs: str, good: Good, penalty: float) -> Feature:
    """The description is about a listed input of the good ("cow leather": cattle, leather)."""
    detail = f"{head!r} names {inputs}, which {good.name!r} is made from"
    return Feature("input_named", -penalty, detail, head, inputs)


def article_of_material(head: str, material: str, good: Good, penalty: float) -> Feature:
    """The good covers any article of a material, and the description is one ("brass vase")."""
    detail = f"{head!r} is read as an article of {material!r}, which {good.name!r} covers"
    return Feature("article_of_material", -penalty, detail, head, material)


def secondary_head(head: str, good: Good, penalty: float) -> Feature:
    """The good is named in the description, but after what it is mainly about."""
    detail = f"named after {head!r}, which comes first"
    return Feature("secondary_head", -penalty, detail, head, good.name)


def unexplained_words(found: Sequence[str], good: Good, penalty: float) -> Feature:
    """Some words of the description say nothing about this good."""
    detail = "not about " + repr(good.name) + ": " + ", ".join(found)
    return Feature("unexplained_words", -penalty, detail, " ".join(found), good.name)


def misspelling(pairs: Sequence[tuple[str, str]], penalty: float) -> Feature:
    """Words that look like misspellings of the good's words were read as those words."""
    detail = ", ".join(f"{a!r} read as {b!r}" for a, b in pairs)
    query = " ".join(a for a, _ in pairs)
    return Feature("misspelling", -penalty, detail, query, " ".join(b for _, b in pairs))


def imitation(word: str, good: Good, penalty: float) -> Feature:
    """A word like "plated", "flavoured" or "synthetic" says the product only looks or tastes
    like the good, or replaces it."""
    detail = f"{word!r}: the product is not made of {good.name!r}"
    return Feature("imitation", -penalty, detail, word, good.name)


def not_latest_edition(good: Good, edition: int | None, penalty: float) -> Feature:
    """The good is not on the latest edition of the list; a current good is preferred."""
    detail = f"{good.name!r} is not on the {edition or 'latest'} edition"
    return Feature("not_latest_edition", -penalty, detail, "", good.name)


def derived_explains_better(derived: Candidate, penalty: float) -> Feature:
    """A product made from listed goods explains the description better than this good."""
    detail = f"better read as the derived product {derived.name!r} ({derived.score:g})"
    return Feature("derived_explains_better", -penalty, detail, "", derived.name)


def hs_heading(code: str, entry: str, good: Good, score: float) -> Feature:
    """The HS code falls under a heading or subheading the good is traded under."""
    detail = f"HS {code} is under {entry}, one of the codes of {good.name!r}"
    return Feature("hs_heading", score, detail, code, entry)


def hs_shared(code: str, count: int, penalty: float) -> Feature:
    """Several goods are traded under this code, so it does not single one out."""
    detail = f"{count} goods are traded under HS {code}"
    return Feature("hs_shared", -penalty, detail, code, str(count))


def hs_broader(code: str, entries: Sequence[str], good: Good, score: float) -> Feature:
    """The HS code is broader than the codes the good is traded under."""
    detail = f"HS {code} includes {', '.join(entries)} of {good.name!r} and other products"
    return Feature("hs_broader", score, detail, code, ",".join(entries))


def hs_less_specific(code: str, entry: str, good: Good, penalty: float) -> Feature:
    """Another good is traded under a more precise part of this HS code."""
    detail = f"{good.name!r} only matches the wider heading {entry}"
    return Feature("hs_less_specific", -penalty, detail, code, entry)


def hs_wider_good(good: Good, headings: int, penalty: float) -> Feature:
    """The good spans several headings; another good under this code is traded under fewer."""
    detail = f"{good.name!r} is traded under {headings} headings, a wider kind of good"
    return Feature("hs_wider_good", -penalty, detail, str(headings), good.name)


def code_and_words_agree(name: str, bonus: float) -> Feature:
    """The HS code and the words next to it point at the same good."""
    return Feature("code_and_words_agree", bonus, f"code and words both say {name!r}", "", name)


def code_without_words(name: str, penalty: float) -> Feature:
    """The HS code points at this good, but the words next to it do not."""
    return Feature("code_without_words", -penalty, f"only the code says {name!r}", "", name)


def padded_code(raw: str, code: str) -> Feature:
    """A leading zero was restored (spreadsheets drop it: 901.11 is 0901.11)."""
    return Feature("padded_code", 0.0, f"{raw!r} read as {code}", raw, code)


# --- the matcher ---------------------------------------------------------------------------


def parse_code(query: str) -> tuple[str, bool] | None:
    """Return the digits of an HS/HTS code query and whether a leading zero was restored."""
    match = _CODE.match(query)
    if not match:
        return None
    digits = re.sub(r"[.\s-]", "", match.group(1))
    if not digits.isdigit() or not 2 <= len(digits) <= 10:
        return None
    if len(digits) % 2:
        # Spreadsheets drop a leading zero: 901.11 stands for 0901.11. A bare odd number
        # (a quantity, a year) is only read as a code when it was written like one.
        written_as_code = "." in match.group(1) or bool(_CODE_PREFIX.match(query))
        if not written_as_code and len(digits) < 5:
            return None
        return "0" + digits, True
    return digits, False


class GoodsMatcher:
    """Match descriptions and HS codes to listed goods; build once per reference version."""

    def __init__(
        self,
        goods: Iterable[Good],
        latest: Iterable[str] | None = None,
        edition: int | None = None,
    ) -> None:
        goods = list(goods)
        latest_ids = {g.id for g in goods} if latest is None else set(latest)
        self.edition = edition
        self._entries = [_Entry(g, g.id in latest_ids) for g in goods]
        self._derived_ids = frozenset(g.id for g in goods if g.kind == "derived")
        self._exact: dict[str, tuple[int, Phrase]] = {}
        self._canonical: dict[tuple[str, ...], tuple[int, Phrase] | None] = {}
        self._by_token: dict[str, list[int]] = {}
        self._vocabulary: set[str] = set()
        self._bigrams: set[tuple[str, str]] = set()
        self._phrases: list[Phrase] = []
        self._longest = 0  # the most words a name has
        self._phrase_index: dict[str, list[tuple[int, float]]] = {}
        # The same without French names spelt like English words ("filés", "or"): those are
        # found in French descriptions only.
        self._phrase_index_en: dict[str, list[tuple[int, float]]] = {}
        self._light_tokens: list[tuple[str, ...]] = []
        self._required: list[frozenset[str]] = []
        self._implying: list[bool] = []
        self._light_weights: list[float] = []
        self._hopeless: list[float] = []  # per name: found weight below this cannot score
        self._weights: dict[str, float] = {}
        self._content_cache: dict[
            tuple[bool, tuple[tuple[int, str, str, str], ...], bool, bool], list[Candidate]
        ] = {}
        self._fuzzy_pool: dict[str, list[str]] = {}
        self._codes: dict[str, list[int]] = {}
        self._cache: dict[str, GoodsMatchResult] = {}
        self._fuzzy_cache: dict[str, tuple[str, ...]] = {}
        self._tokens: dict[str, _TokenInfo] = {}
        self._joinable: dict[str, str] = {}  # two words written as one -> vocabulary word
        self._join_starts: set[str] = set()  # the first words such pairs can start with
        self._goods_by_forms: dict[tuple[str, ...], frozenset[int]] = {}
        self._helper: Helper[str, GoodsMatchResult] = Helper()
        weakref.finalize(self, self._helper.stop)
        self._build()

    @classmethod
    def from_reference(cls, reference: ReferenceData) -> GoodsMatcher:
        """Build a matcher over the catalogue, preferring goods of the latest edition."""
        edition = reference.latest_edition if reference.editions else None
        latest = {listing.good_id for listing in reference.editions.get(edition or 0, ())}
        return cls(reference.goods.values(), latest if latest else None, edition)

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        # The dictionary loads on its first look-up (about 0.15 s, once per process): here,
        # before a helper is forked to share it and before a request waits for it.
        _is_english_noun("stand")
        self._renamed = self._find_renamed()
        raw: list[tuple[int, str, str]] = []
        for index, entry in enumerate(self._entries):
            good = entry.good
            target = self._renamed.get(index, index)
            raw.append((target, good.name, NAME if target == index else ALIAS))
            raw += [(target, alias, ALIAS) for alias in good.aliases]
            raw += [(target, alias, ALIAS_FR) for alias in good.aliases_fr]
        names = {normalise(text) for _, text, kind in raw}
        for index, text, kind in list(raw):
            # "hats and caps" names hats, and caps: each item is a name of its own.
            parts = _CONJUNCTION.split(text) if kind in (ALIAS, ALIAS_FR) else [text]
            raw += [(index, part, kind) for part in parts[1:] or () if normalise(part) not in names]
            if len(parts) > 1 and normalise(parts[0]) not in names:
                raw.append((index, parts[0], kind))
        for index, entry in enumerate(self._entries):
            # "Coca (stimulant plant)" is also written "Coca", unless that says something else.
            bare = re.sub(r"\s*\([^)]*\)", "", entry.good.name).strip()
            if index in self._renamed:
                continue
            if bare != entry.good.name and normalise(bare) not in names:
                raw.append((index, bare, NAME_VARIANT))
        phrases = [self._phrase(i, text, kind) for i, text, kind in raw]
        self._name_tokens = [set[str]() for _ in self._entries]
        for phrase in phrases:
            if phrase.kind in (NAME, NAME_VARIANT):
                self._name_tokens[phrase.good].update(phrase.tokens)
        # Words that name a product: the main nouns of the catalogue's names, and others'.
        # Capitalised aliases are left out: proper and scientific names ("Glycine max") end
        # in words that are no product nouns.
        self._nouns = FOREIGN_NOUNS | {
            p.head for p in phrases if p.head and (p.kind == NAME or p.text[:1].islower())
        }
        for phrase in phrases:
            self._entries[phrase.good].vocabulary.update(phrase.tokens)
            self._bigrams.update(pairwise(phrase.tokens))
        for index, entry in enumerate(self._entries):
            for token in entry.vocabulary:
                self._by_token.setdefault(token, []).append(index)
        self._vocabulary = set(self._by_token)
        self._kinds_of = self._find_kinds(phrases)
        # The goods a word explains: those whose names use it, and their kinds ("anchovies"
        # is a word of Fish, so also of Dried Fish).
        self._explainers = {t: set(ids) for t, ids in self._by_token.items()}
        for general, kinds in self._kinds_of.items():
            for token in self._entries[general].vocabulary:
                self._explainers[token].update(specific for specific, _ in kinds)
        for token in self._vocabulary:
            if token.isalpha() and len(token) >= 5:
                for written in (token, token + "s", token + "es"):
                    if stem(written) == token:
                        self._joinable[written] = token
                        self._join_starts.update(written[:cut] for cut in range(2, len(written)))
        # A word shared by many goods (oil, fresh) says little; a rare one says a lot.
        total = len(self._entries) or 1
        self._idf = {t: math.log(1 + total / len(ids)) for t, ids in self._by_token.items()}
        english = {t for p in phrases if p.kind != ALIAS_FR for t in p.tokens}
        for phrase in phrases:
            index, text, kind, tokens = phrase.good, phrase.text, phrase.kind, phrase.tokens
            if kind == NAME_VARIANT and len(tokens) == 1 and len(self._by_token[tokens[0]]) > 1:
                continue  # "Oil (Palm)" must not turn every oil into palm oil
            weight = sum(self._weight(t) for t in tokens)
            phrase = Phrase(index, text, kind, tokens, weight, phrase.head, frozenset(tokens))
            self._entries[index].phrases.append(phrase)
            if weight:
                light = []
                english_lookalike = kind == ALIAS_FR and all(
                    t not in english and _parts_of_speech(t) for t in tokens
                )
                for token in tokens:
                    self._weights[token] = self._weight(token)
                    if _classify(token) in LIGHT_CLASSES:
                        light.append(token)
                    else:
                        posting = (len(self._phrases), self._weights[token])
                        self._phrase_index.setdefault(token, []).append(posting)
                        if not english_lookalike:
                            self._phrase_index_en.setdefault(token, []).append(posting)
                self._phrases.append(phrase)
                self._light_tokens.append(tuple(light))
                # Which words must be found for the rest (the good's name) to be implied.
                required = frozenset(tokens) - self._name_tokens[index]
                telling = [t for t in required if len(self._by_token[t]) == 1]
                self._required.append(required)
                # Only a variety implies its kind ("basmati rice"); the kind's use does not
                # ("tomato sauce": soy sauce is not tomato).
                self._implying.append(bool(telling) and phrase.head not in required)
                self._light_weights.append(sum(self._weights[t] for t in light))
                self._hopeless.append(0.54 * weight - self._light_weights[-1])
            key = normalise(text)
            if key and (key not in self._exact or kind == NAME):
                self._exact[key] = (index, phrase)
            canonical = tuple(sorted(set(tokens)))
            self._longest = max(self._longest, len(tokens))
            if canonical:
                previous = self._canonical.get(canonical, (index, phrase))
                same = previous is not None and previous[0] == index
                self._canonical[canonical] = (index, phrase) if same else None
        for token in self._vocabulary:
            if len(token) >= 5 and token.isalpha():
                self._fuzzy_pool.setdefault(token[0], []).append(token)
        for index, entry in enumerate(self._entries):
            target = self._renamed.get(index, index)
            for code in entry.good.hs:
                indexes = self._codes.setdefault(code, [])
                if target not in indexes:
                    indexes.append(target)
        self._headings = [len({code[:4] for code in e.good.hs}) for e in self._entries]
        by_id = {e.good.id: i for i, e in enumerate(self._entries)}
        self._broader = [
            frozenset(self._renamed.get(by_id[g], by_id[g]) for g in e.good.broader if g in by_id)
            for e in self._entries
        ]
        self._inputs = [
            frozenset(self._renamed.get(by_id[g], by_id[g]) for g in e.good.inputs if g in by_id)
            for e in self._entries
        ]
        # Per good, the materials of its names for any article made of one ("brass items",
        # "leather goods", "porcelain articles").
        materials: list[set[str]] = [set() for _ in self._entries]
        for p in self._phrases:
            material = _article_material(p.tokens)
            if material:
                materials[p.good].add(material)
        self._article_materials = [frozenset(found) for found in materials]
        self._skeletons = self._find_skeletons()

    def _find_skeletons(self) -> dict[str, str]:
        """Map consonant skeletons of catalogue words to the word ("shrmp", "lthr", "grlc").

        ERP exports shorten words by dropping their vowels (and doubled letters). A skeleton
        that two catalogue words share says nothing and is left out.
        """
        found: dict[str, set[str]] = {}
        for token in self._vocabulary:
            if len(token) >= 5 and token.isalpha():
                for form in (token, _undouble(token)):
                    skeleton = form[0] + "".join(c for c in form[1:] if c not in _VOWELS_Y)
                    if len(skeleton) >= 3 and skeleton not in self._vocabulary:
                        found.setdefault(skeleton, set()).add(token)
        return {skeleton: words.pop() for skeleton, words in found.items() if len(words) == 1}

    def _find_renamed(self) -> dict[int, int]:
        """Map goods of older editions to the latest good listed under a reordered name.

        ILAB renames goods between editions ("Textiles (jute)" became "Jute (textiles)"):
        same words, same good. Its names and codes then find the latest good, so that the
        good is not split between two entries that compete for the same descriptions. A good
        an edition has folded into a broader one ("Miraa" into "Khat/Miraa") is that good too.
        """

        def key(name: str) -> frozenset[str]:
            return frozenset(stem(w) for w in normalise(name).split() if w not in STOP_WORDS)

        latest: dict[frozenset[str], int] = {}
        for index, entry in enumerate(self._entries):
            if entry.in_latest and entry.good.kind == "good":
                latest.setdefault(key(entry.good.name), index)
        by_id = {e.good.id: i for i, e in enumerate(self._entries) if e.in_latest}
        renamed = {}
        for index, entry in enumerate(self._entries):
            if not entry.in_latest and entry.good.kind == "good":
                target = latest.get(key(entry.good.name))
                broader = [by_id[g] for g in entry.good.broader if g in by_id]
                if target is None and broader:
                    target = broader[0]
                if target is not None:
                    renamed[index] = target
        return renamed

    def _find_kinds(self, phrases: Sequence[Phrase]) -> dict[int, list[tuple[int, frozenset[str]]]]:
        """Map each good to the goods that are kinds of it, with the words that make them so.

        "Dried Fish" is Fish qualified by "dried", "Rubber Gloves" Gloves made of rubber: the
        name has the other's words and more, around the same main noun. A description of the
        general good that also has the qualifier ("dried salted anchovies") is the specific one.
        """
        names: dict[int, Phrase] = {p.good: p for p in phrases if p.kind == NAME}
        kinds: dict[int, list[tuple[int, frozenset[str]]]] = {}
        for general, name in names.items():
            words = self._name_tokens[general]
            for specific, other in names.items():
                qualifiers = frozenset(self._name_tokens[specific] - words)
                if (
                    specific != general
                    and qualifiers
                    and words < self._name_tokens[specific]
                    and other.head == name.head
                ):
                    kinds.setdefault(general, []).append((specific, qualifiers))
        return kinds

    def _weight(self, token: str) -> float:
        weight = self._idf.get(token, 1.0)
        return weight * 0.3 if _classify(token) in LIGHT_CLASSES else weight

    def _phrase(self, index: int, text: str, kind: str) -> Phrase:
        """Read a name or alias the way queries are read, minus spelling repairs."""
        slots = [
            Slot(i, segment, part, (token,), _classify(token), "", modifier)
            for i, (segment, part, token, modifier) in enumerate(
                _read(_tokenise(text), kind == ALIAS_FR)
            )
        ]
        heads = _heads(slots, kind == ALIAS_FR)
        head = slots[heads[0]].forms[0] if heads else ""
        tokens = tuple(dict.fromkeys(slot.forms[0] for slot in slots))
        return Phrase(index, text, kind, tokens, 0.0, head)

    # -- reading a query ---------------------------------------------------------------

    def _correct(self, token: str) -> tuple[str, ...]:
        """Return the reference words a misspelt token stands for (equally close), or ()."""
        cached = self._fuzzy_cache.get(token)
        if cached is not None:
            return cached
        best: list[str] = []
        best_distance = 3
        for candidate in sorted(self._fuzzy_pool.get(token[:1], ())):
            if abs(len(candidate) - len(token)) > 2 or not plausible_misspelling(token, candidate):
                continue
            distance = _distance(token, candidate)
            if distance < best_distance:
                best, best_distance = [candidate], distance
            elif distance == best_distance:
                best.append(candidate)
        goods = {frozenset(self._by_token[word]) for word in best}
        # As close to a word of another good: the slip settles nothing.
        result = tuple(best) if len(goods) == 1 else ()
        if len(self._fuzzy_cache) > CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[token] = result
        return result

    def analyse(self, query: str) -> Analysis:
        """Read a description into classified words and phrase heads."""
        written = _tokenise(query)
        french = _is_french(query, written)
        read = tuple(_read(written, french))
        return self._analyse(read, french, _is_counted(query), query.isupper())

    def _analyse(
        self,
        read: Sequence[tuple[int, str, str, str]],
        french: bool,
        counted: bool = True,
        capitals: bool = False,
    ) -> Analysis:
        slots: list[Slot] = []
        goods: list[frozenset[int]] = []
        nouns: list[bool] = []
        every: set[str] = set()
        known = self._tokens
        join_starts = self._join_starts
        joins = False
        compounds: list[int] = []
        attributes: list[int] = []
        for position, (segment, part, token, modifier) in enumerate(read):
            info = known.get(token) or self._token(token)
            if info[5]:
                compounds.append(position)
            if info[6] and capitals:
                attributes.append(position)
            slots.append(_slot((position, segment, part, info[0], info[1], info[2], modifier)))
            goods.append(info[3])
            nouns.append(info[4])
            every.update(info[0])
            joins = joins or part in join_starts
        if joins:
            # Two words written apart that the catalogue writes as one ("sugar cane").
            for a, b in pairwise(list(slots)):
                joined = self._joinable.get(a.word + b.word)
                if joined is not None and a.segment == b.segment:
                    for position in (a.position, b.position):
                        slots[position] = _with_form(slots[position], joined)
                        goods[position] = self._goods_of(slots[position].forms)
                        nouns[position] = nouns[position] or joined in self._nouns
                    every.add(joined)
        if capitals:
            # An order line names the product first and lists its attributes after it, in
            # words a catalogue name may end with: "BRICK FACE RED", "SOFA FABRIC GREY".
            for position in attributes:
                if _follows_product(slots, nouns, goods, position):
                    nouns[position] = False
        else:
            for position in compounds:
                if _ends_compound(slots, nouns, compounds, position):
                    nouns[position] = True  # "laptop stand": the stand is the product
        heads = _heads(slots, french, nouns, packed=counted)
        return Analysis(tuple(slots), heads, french, frozenset(every), tuple(goods))

    def _goods_of(self, forms: tuple[str, ...]) -> frozenset[int]:
        """Return the goods whose names use one of the forms of a word."""
        known = self._goods_by_forms.get(forms)
        if known is None:
            known = frozenset(i for form in forms for i in self._explainers.get(form, ()))
            if len(self._goods_by_forms) >= CACHE_LIMIT:
                self._goods_by_forms.clear()
            self._goods_by_forms[forms] = known
        return known

    def _token(self, token: str) -> _TokenInfo:
        """Return a word's forms (itself, its parts, its correction), class, correction and
        the goods whose names use one of its forms."""
        known = self._tokens.get(token)
        if known is not None:
            return known
        cls = _classify(token)
        forms = [token]
        corrected = ""
        expanded = ""
        if token not in self._vocabulary and cls not in LIGHT_CLASSES:
            split = self._split_compound(token)
            if _is_skeleton(token):
                expanded = self._skeletons.get(token, "")
            if split:
                forms += split
            elif expanded:
                forms.append(expanded)
            elif cls != IMITATION and not _parts_of_speech(token):
                # A word of the dictionary is that word, not a slip ("finish" is no "finfish").
                repairs = self._correct(token)
                if repairs:
                    corrected = repairs[0]
                    forms += repairs
        goods = self._goods_of(tuple(forms))
        # A word is a product noun by itself or its parts, not by what a slip could mean:
        # a slip of one letter still names its noun ("cofee"); a word two letters from a
        # noun is more often another word ("decorative" is not "decoration").
        own = forms[:1] if corrected and _distance(token, corrected) > 1 else forms
        # An unknown word naming a tool is a noun even when a slip of it is a catalogue word
        # ("peeler" is one letter from "peeled").
        other_product = not FOREIGN_NOUNS.isdisjoint(own) or (
            cls == WORD and not self._goods_of((token,)) and _is_agent_noun(token)
        )
        noun = other_product or not self._nouns.isdisjoint(own)
        compound = (
            cls == WORD and not noun and not goods and len(token) > 2 and _is_english_noun(token)
        )
        known = (tuple(forms), cls, corrected, goods, noun, compound, noun and not other_product)
        if len(self._tokens) >= CACHE_LIMIT:
            self._tokens.clear()
        self._tokens[token] = known
        return known

    def _split_compound(self, token: str) -> list[str]:
        """Split a word written as one that the catalogue writes as two ("tshirt", "liion")."""
        for cut in range(1, len(token) - 2):
            left, right = token[:cut], stem(token[cut:])
            if (left, right) in self._bigrams:
                return [left, right]
        return []

    # -- scoring -----------------------------------------------------------------------

    def match(self, query: str) -> GoodsMatchResult:
        """Match one description or HS code."""
        cached = self._cache.get(query)
        if cached is not None:
            return cached
        written = _tokenise(query)
        key = " ".join([token for token in written if token[0].isalnum()])
        result = self._cache.get("\0" + key)
        if result is None:
            result = self._match_uncached(query, written, key)
            self._remember("\0" + key, result)
        elif result.query != query:
            result = GoodsMatchResult(query, result.candidates, result.derived)
        self._remember(query, result)
        return result

    def match_many(self, queries: Iterable[str], processes: int = 1) -> list[GoodsMatchResult]:
        """Match many queries, each distinct string once, in input order.

        With `processes` of 2 or more, a large batch of new strings is shared with a forked
        helper process (see `parallel.py`); the answers are the same.
        """
        with collector_paused():
            queries = list(queries)
            answers: dict[str, GoodsMatchResult] = {}
            if processes > 1 and may_share(queries, self._cache):
                new = [query for query in dict.fromkeys(queries) if query not in self._cache]
                found = self._helper.map(self._match_each, new)
                for result in found:
                    self._remember(result.query, result)
                answers = {result.query: result for result in found}
            return [answers[q] if q in answers else self.match(q) for q in queries]

    def _match_each(self, queries: Sequence[str]) -> list[GoodsMatchResult]:
        return [self.match(query) for query in queries]

    def close(self) -> None:
        """Stop the helper process that `match_many` may have started."""
        self._helper.stop()

    def _remember(self, key: str, result: GoodsMatchResult) -> None:
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result

    def _match_uncached(self, query: str, written: list[str], key: str) -> GoodsMatchResult:
        code = parse_code(query)
        if code is not None:
            return self._finish(query, self._match_code(query, *code))
        if not key:
            return GoodsMatchResult(query)
        leading = _LEADING_CODE.match(query)
        if leading is not None:
            written_code = parse_code((leading.group(1) or leading.group(2)) + "")
            if written_code is not None:
                described = self.match(leading.group(3))
                coded = self._match_code(query, *written_code)
                return self._finish(query, self._combine(coded, described))
        exact = self._exact.get(key)
        if exact is not None:
            index, phrase = exact
            good = self._entries[index].good
            if phrase.kind == NAME:
                feature = name_equal(query, good)
                return self._finish(
                    query, [Candidate(good.id, good.name, 100.0, "exact", (feature,))]
                )
            score = 98.0 if phrase.kind != NAME_VARIANT else 97.0
            method = "alias" if phrase.kind != NAME_VARIANT else "exact"
            feature = alias_equal(query, phrase, score)
            return self._finish(query, [Candidate(good.id, good.name, score, method, (feature,))])
        french = _is_french(query, written)
        read = tuple(_read(written, french))
        counted = _is_counted(query)
        capitals = query.isupper()
        content = (french, read, counted, capitals)
        scored = self._content_cache.get(content)
        if scored is None:
            # Descriptions that differ only in numbers, sizes or codes read the same.
            scored = self._score_text(self._analyse(read, french, counted, capitals))
            if len(self._content_cache) >= CACHE_LIMIT:
                self._content_cache.clear()
            self._content_cache[content] = scored
        return self._finish(query, scored)

    def _combine(self, coded: list[Candidate], described: GoodsMatchResult) -> list[Candidate]:
        """Merge what a code and the words after it say ("0901.11 Coffee, not roasted")."""
        words = {c.id: c for c in described.candidates}
        if described.derived is not None:
            words[described.derived.id] = described.derived
        if not words:
            return coded
        merged = []
        for candidate in coded:
            said = words.pop(candidate.id, None)
            if said is None:
                feature = code_without_words(candidate.name, 15.0)
                merged.append(_penalise(candidate, feature))
            else:
                best = max(candidate, said, key=lambda c: c.score)
                feature = code_and_words_agree(candidate.name, 3.0)
                features = (*best.features, feature)
                score = min(100.0, best.score + 3.0)
                merged.append(Candidate(best.id, best.name, score, best.method, features))
        return merged + list(words.values())

    def _finish(self, query: str, scored: list[Candidate]) -> GoodsMatchResult:
        """Split listed goods from derived products and rank them."""
        derived_ids = self._derived_ids
        listed = [c for c in scored if c.id not in derived_ids]
        derived = [c for c in scored if c.id in derived_ids] if len(listed) < len(scored) else []
        if len(listed) > 1:
            listed.sort(key=_rank_key)
        if len(derived) > 1:
            derived.sort(key=_rank_key)
        best_derived = derived[0] if derived else None
        if best_derived is not None and listed and best_derived.score > listed[0].score:
            penalty = 35.0
            listed = [_penalise(c, derived_explains_better(best_derived, penalty)) for c in listed]
            listed.sort(key=_rank_key)
        elif best_derived is not None and listed:
            best_derived = None
        listed = [c for c in listed if c.score >= MIN_CANDIDATE_SCORE][:MAX_CANDIDATES]
        return GoodsMatchResult(query, tuple(listed), best_derived)

    def _match_code(self, query: str, code: str, padded: bool) -> list[Candidate]:
        extra = (padded_code(query, code),) if padded else ()
        found: dict[int, str] = {}  # good -> longest entry that is a prefix of the code
        for length in (4, 6):
            for index in self._codes.get(code[:length], ()) if len(code) >= length else ():
                found[index] = code[:length]
        results: list[Candidate] = []
        if found:
            longest = max(len(entry) for entry in found.values())
            specific = [i for i, entry in found.items() if len(entry) == longest]
            for index, entry in found.items():
                good = self._entries[index].good
                base = 96.0 if len(entry) == 6 else 93.0  # a subheading says more
                features = [hs_heading(code, entry, good, base), *extra]
                if len(entry) < longest:
                    features.append(hs_less_specific(code, entry, good, 30.0))
                elif len(specific) > 1:
                    features.append(hs_shared(code, len(specific), _shared_penalty(len(specific))))
                    narrowest = min(self._headings[i] for i in specific)
                    if self._headings[index] > narrowest:
                        features.append(hs_wider_good(good, self._headings[index], 3.0))
                results.append(self._candidate(index, "code", features))
            return results
        broader: dict[int, list[str]] = {}
        for entry, indexes in self._codes.items():
            if len(entry) > len(code) and entry.startswith(code):
                for index in indexes:
                    broader.setdefault(index, []).append(entry)
        # A code wider than the goods' own: a kind of another good under it is no rival of
        # that good ("HS 64" is Footwear; Footwear (sandals) is one kind of it).
        rivals = self._rivals(list(broader))
        for index, entries in broader.items():
            good = self._entries[index].good
            features = [hs_broader(code, sorted(entries), good, 78.0 if len(code) >= 4 else 70.0)]
            count = len(rivals) if index in rivals else len(broader)
            if count > 1:
                features.append(hs_shared(code, count, min(40.0, 6.0 * (count - 1))))
            results.append(self._candidate(index, "code", [*features, *extra]))
        return results

    def _rivals(self, indexes: Sequence[int]) -> frozenset[int]:
        """Return those of the goods that are no kind of another one of them."""
        under = set(indexes)
        return frozenset(i for i in indexes if self._broader[i].isdisjoint(under))

    def _candidate(self, index: int, method: str, features: list[Feature]) -> Candidate:
        entry = self._entries[index]
        if not entry.in_latest and entry.good.kind == "good":
            features.append(not_latest_edition(entry.good, self.edition, 1.0))
        score = max(0.0, min(100.0, sum([f.score for f in features])))
        return Candidate(entry.good.id, entry.good.name, round(score, 1), method, tuple(features))

    def _score_text(self, analysis: Analysis) -> list[Candidate]:
        forms = analysis.forms
        slots = analysis.slots
        same_words = None
        if len(slots) <= self._longest:
            canonical = tuple(sorted({slot.corrected or slot.forms[0] for slot in slots}))
            same_words = self._canonical.get(canonical)
        head_forms = slots[analysis.heads[0]].forms if analysis.heads else ()
        # Weight of each name's words found in the description, for names sharing a word.
        # Names are found through their telling words; light words (fresh, pack) only add.
        found: dict[int, float] = {}
        index_get = (self._phrase_index if analysis.french else self._phrase_index_en).get
        for form in forms:
            for pid, weight in index_get(form, ()):
                found[pid] = found.get(pid, 0.0) + weight
        # Per good, its best names so far: ties are all kept and scored, so that the result
        # does not depend on the order in which names were found.
        best: dict[int, tuple[tuple[float, bool, int], list[Phrase]]] = {}
        implied: set[int] = set()
        weights = self._weights
        hopeless, implying, phrases_ = self._hopeless, self._implying, self._phrases
        for pid, weight in found.items():
            # Cannot reach MIN_CANDIDATE_SCORE, light words or not (see below), unless
            # "basmati" implies basmati rice: a telling word found, the rest is the name.
            implies = implying[pid] and self._required[pid] <= forms
            if weight < hopeless[pid] and not implies:
                continue
            phrase = phrases_[pid]
            light = self._light_tokens[pid]
            if light:
                weight += sum(weights[t] for t in light if t in forms)
            coverage = weight / phrase.weight
            if coverage < IMPLIED_COVERAGE and implies:
                coverage = IMPLIED_COVERAGE
                implied.add(phrase.good)
            # Rounded: sums of the same weights in another order may differ in the last bit.
            key = (round(coverage, 9), phrase.head in head_forms, len(phrase.tokens))
            previous = best.get(phrase.good)
            if previous is None or key > previous[0]:
                best[phrase.good] = (key, [phrase])
            elif key == previous[0]:
                previous[1].append(phrase)
        kind_of: dict[int, int] = {}
        for general in sorted(best.keys() & self._kinds_of.keys()):
            key, phrases = best[general]
            for specific, qualifiers in self._kinds_of[general]:
                if qualifiers <= forms and _qualify(slots, qualifiers):
                    previous = best.get(specific)
                    if previous is None or previous[0] < key:
                        best[specific] = (key, phrases)
                        kind_of[specific] = general
        results = []
        if same_words is not None:
            words_found = " ".join(slot.word for slot in slots)
            index, phrase = same_words
            score = 97.0 if phrase.kind in (NAME, NAME_VARIANT) else 95.0
            method = "exact" if phrase.kind in (NAME, NAME_VARIANT) else "alias"
            features = [words_equal(words_found, phrase, score)]
            corrected = [(s.word, s.corrected) for s in slots if s.corrected]
            if corrected:
                penalty = sum(_misspelling_penalty(w) for w, _ in corrected)
                features.append(misspelling(corrected, penalty))
                method = "fuzzy"
            results.append(self._candidate(index, method, features))
            best.pop(index, None)
        # The name each candidate was scored on, and how fully it was found (None: a name
        # with the very words of the description), to compare the words the names cover.
        named: list[tuple[Phrase | None, float]] = [(None, 1.0)] if results else []
        for index, (key, phrases) in best.items():
            # Below this coverage the score cannot reach MIN_CANDIDATE_SCORE (100 * 0.54^2).
            if key[0] >= 0.54:
                implies = index in implied and key[0] == IMPLIED_COVERAGE
                candidate = self._score_good(index, phrases[0], key[0], analysis, implies)
                for other in phrases[1:]:
                    rival = self._score_good(index, other, key[0], analysis, implies)
                    if (rival.score, rival.features[0].reference_value) > (
                        candidate.score,
                        candidate.features[0].reference_value,
                    ):
                        candidate = rival
                if index in kind_of:
                    wider = self._entries[kind_of[index]].good
                    candidate = _penalise(candidate, kind_of_good(wider, candidate, 1.0))
                results.append(candidate)
                named.append((phrases[0], key[0]))
        if len(named) > 1:
            results = _prefer_longer_names(results, named, slots)
        return results

    def _head_reason(
        self, index: int, slots: Sequence[Slot], head: int, goods: frozenset[int]
    ) -> Feature | None:
        """Say why a main noun the good's names lack may still be about the good, if it may.

        "Cow leather": the noun names a listed input of the good. "Brass vase", "porcelain
        mug": the good is named for any article of a material ("brass items", "porcelain
        articles"), the material is there, and the noun is an article no listed good is named
        for.
        """
        slot = slots[head]
        good = self._entries[index].good
        if goods and goods <= self._inputs[index]:
            names = ", ".join(sorted(self._entries[i].good.name for i in goods))
            return input_named(slot.word, names, good, 2.0)
        materials = self._article_materials[index]
        if not materials or goods or slot.cls != WORD or slot.modifier:
            return None
        for other in slots:
            found = materials.intersection(other.forms)
            if found and not other.modifier:
                return article_of_material(slot.word, min(found), good, 2.0)
        return None

    def _score_good(
        self,
        index: int,
        best: Phrase,
        coverage: float,
        analysis: Analysis,
        implies: bool = False,
    ) -> Candidate:
        entry = self._entries[index]
        vocabulary = entry.vocabulary
        slots = analysis.slots
        heads = analysis.heads
        head_forms = slots[heads[0]].forms if heads else ()
        tokens = best.token_set
        broader = self._broader[index]
        if broader:  # a word of a good it is a kind of names its kind ("Crustaceans; shrimps")
            explained = [
                index in goods or not broader.isdisjoint(goods) for goods in analysis.goods
            ]
        else:
            explained = [index in goods for goods in analysis.goods]
        reason = None
        head_explained = False
        for head in heads:
            if explained[head]:
                head_explained = True
                break
        if heads and not head_explained:
            reason = self._head_reason(index, slots, heads[0], analysis.goods[heads[0]])
            if reason is not None:
                explained[heads[0]] = True
                if reason.name == "article_of_material":
                    coverage = 1.0  # the noun is the article the name's generic word stands for
        matched = " ".join([s.word for s in slots if not tokens.isdisjoint(s.forms)])
        if implies:
            features: list[Feature] = [implied_name(matched, best, 100.0 * coverage**2)]
        else:
            features = [phrase_overlap(matched, best, coverage, 100.0 * coverage**2)]
        if (
            len(best.tokens) > 1
            and best.head not in head_forms
            and not tokens.isdisjoint(head_forms)
        ):
            features.append(word_order(best, slots[heads[0]].word, 8.0))
        if reason is not None:
            features.append(reason)
        elif heads and not head_explained:
            features.append(head_noun(slots[heads[0]].word, entry.good, 36.0))
        elif heads and not explained[heads[0]]:
            # The first phrase says what the product is ("Maple syrup, grade A amber"),
            # unless it names the good's kind ("Nuts; hazelnuts", "Crustaceans; shrimps",
            # "Precious metals: gold").
            first = slots[heads[0]]
            general = (
                first.cls == MATERIAL
                or not analysis.goods[heads[0]].isdisjoint(self._broader[index])
                or any(len(f) >= 3 and t.endswith(f) for f in first.forms for t in tokens)
            )
            features.append(secondary_head(first.word, entry.good, 2.0 if general else 30.0))
        leftover: list[str] = []
        penalty = 0.0
        corrected: list[tuple[str, str]] = []
        for slot, ok, goods in zip(slots, explained, analysis.goods, strict=True):
            if ok:
                if slot.corrected and slot.forms[0] not in vocabulary:
                    corrected.append((slot.word, slot.corrected))
                continue
            if slot.cls == NOISE:
                continue
            if (
                slot.cls == IMITATION
                and not slot.modifier  # "gold plated with platinum" is still gold
                and _next_to_explained(slot, slots, explained)
            ):
                substitute = slot.forms[0] in SUBSTITUTE_WORDS
                features.append(imitation(slot.word, entry.good, 40.0 if substitute else 25.0))
                continue
            leftover.append(slot.word)
            penalty += _LEFTOVER_PENALTY.get(slot.cls, 4.0)
            if slot.cls == WORD and goods:
                penalty += 2.0  # a word of another good points at that good
        if leftover:
            # Long descriptions say many things: the penalty levels off, but still ranks.
            capped = penalty if penalty <= 20.0 else 20.0 + 0.1 * (penalty - 20.0)
            features.append(unexplained_words(leftover, entry.good, capped))
        if corrected:
            penalty = sum(_misspelling_penalty(w) for w, _ in corrected)
            if len(corrected) == sum(explained) and any(
                slot.cls == WORD for slot, ok in zip(slots, explained, strict=True) if not ok
            ):
                penalty += 15.0  # a lone misspelling among other words is weak evidence
            features.append(misspelling(corrected, penalty))
        return self._candidate(index, "fuzzy", features)


_LEFTOVER_PENALTY = {GENERIC: 0.5, DESCRIPTOR: 1.0, IMITATION: 1.0, FORM: 3.0, MATERIAL: 5.0}


def _tokenise(text: str) -> list[str]:
    """Fold and split a description (see `tokenise`), reading hyphenated counts and particles.

    "4-drawer" becomes the size-like "4drawer" and "clip-in" the adjective "clipin", so that
    neither is taken for the product's main noun.
    """
    folded = fold(text)
    if "-" in folded:
        folded = _PARTICLE.sub(r"\1\2", _COUNTED.sub(r"\1", folded))
    return tokenise(folded)


def _is_french(query: str, written: Sequence[str]) -> bool:
    """Say whether a description is French, which puts the main noun first.

    Besides French function words, an accented word that folds onto an English function word
    ("à", "thé") is French: folding must not turn "thé noir" into "the noir".
    """
    if not FRENCH_MARKERS.isdisjoint(written):
        return True
    return not query.isascii() and any(
        fold(word) in STOP_WORDS_EN for word in _ACCENTED_WORD.findall(query.lower())
    )


_ACCENTED_WORD = re.compile(r"\w*[^\W\d_a-z]\w*")
# French words that fold onto English stop words; in French text they are words ("thé").
_FRENCH_HOMOGRAPHS = frozenset({"the"})


def _prefer_longer_names(
    candidates: list[Candidate], named: list[tuple[Phrase | None, float]], slots: Sequence[Slot]
) -> list[Candidate]:
    """Lower a good whose name covers only part of another good's, found in full.

    "Pig iron" is not pigs, "bovine leather" not bovines, "RBD palm kernel oil" not RBD palm
    oil: the longer name found whole says what the shorter one's words are about. `named`
    holds, for each candidate, the name it was scored on (None: a name with the very words of
    the description) and how fully that name was found.
    """
    covered = [
        frozenset(
            s.position for s in slots if phrase is None or not phrase.token_set.isdisjoint(s.forms)
        )
        for phrase, _ in named
    ]
    out = []
    for candidate, words in zip(candidates, covered, strict=True):
        longer = [
            other
            for other, their_words, (_, coverage) in zip(candidates, covered, named, strict=True)
            if coverage >= 1.0 and words < their_words
        ]
        if longer:
            candidate = _penalise(candidate, longer_name(candidate.name, longer[0].name, 15.0))
        out.append(candidate)
    return out


def _is_counted(query: str) -> bool:
    """Say whether a description gives a number (a quantity, a size, a code)."""
    return _A_DIGIT.search(query) is not None


_A_DIGIT = re.compile(r"\d")


def _parts_of_speech(token: str) -> dict[str, tuple[str, ...]]:
    """Return what an English dictionary says a (stemmed) word is, empty when no word."""
    parts_of_speech: dict[str, tuple[str, ...]] = getAllLemmas(token)
    if not parts_of_speech and token.endswith("i"):
        # `stem` writes a final y as i ("batteries", "battery" -> "batteri").
        parts_of_speech = getAllLemmas(token[:-1] + "y")
    return parts_of_speech


def _is_english_noun(token: str) -> bool:
    """Say whether a (stemmed) word is an English noun and no adjective, by the dictionary."""
    parts_of_speech = _parts_of_speech(token)
    return "NOUN" in parts_of_speech and "ADJ" not in parts_of_speech


def _ends_compound(
    slots: Sequence[Slot], nouns: Sequence[bool], others: Container[int], position: int
) -> bool:
    """Say whether a word ends a phrase of nouns after a product noun: "laptop stand", "zinc
    oxide", "orange traffic cones" (`others` holds the positions of other English nouns).

    In English the last noun of such a compound is what it is about, after a material too: an
    article or a compound of it is no raw material (but see `_head_reason`: "brass buckle").
    """
    slot = slots[position]
    if slot.modifier or (position + 1 < len(slots) and slots[position + 1].segment == slot.segment):
        return False
    for before in range(position - 1, -1, -1):
        word = slots[before]
        if word.segment != slot.segment or word.modifier:
            return False
        if nouns[before]:
            return True
        if before not in others and word.cls != NOISE:  # "glove box workstation"
            return False
    return False


def _follows_product(
    slots: Sequence[Slot], nouns: Sequence[bool], goods: Sequence[frozenset[int]], position: int
) -> bool:
    """Say whether a word comes after a noun naming a good in its phrase ("BEEF CHUCK")."""
    segment = slots[position].segment
    for before in range(position - 1, -1, -1):
        slot = slots[before]
        if slot.segment != segment:
            return False
        if nouns[before] and goods[before] and slot.cls == WORD and not slot.modifier:
            return True
    return False


def _is_agent_noun(token: str) -> bool:
    """Say whether an unknown word names a device or tool: "infuser", "opener", "heater"."""
    return (
        len(token) >= 6
        and token.endswith(("er", "or"))
        and not token.endswith("ier")
        and token.isalpha()
    )


def _classify(token: str) -> int:
    """Say how much a (stemmed) word tells about what a product is."""
    if token in NOISE_WORDS:
        return NOISE
    if token in GENERIC_WORDS:
        return GENERIC
    if token in DESCRIPTOR_WORDS:
        return DESCRIPTOR
    if token in IMITATION_WORDS:
        return IMITATION
    if token in MATERIAL_WORDS:
        return MATERIAL
    if token in FORM_WORDS:
        return FORM
    return WORD


def _read(written: Sequence[str], french: bool = False) -> list[tuple[int, str, str, str]]:
    """Return (phrase number, word, stem, after a preposition) for a text's meaningful words.

    `written` is the text's `tokenise` output. Phrases end at punctuation and at "and"/"or", so that
    each item of a list has its head; words after a preposition ("with", "of", "for", "de")
    qualify the head before them.
    """
    if not NEGATORS.isdisjoint(written):
        written = _drop_negated(written)
    raw: list[tuple[int, str]] = []
    number = 0
    if CONJUNCTIONS.isdisjoint(written):
        for token in written:
            if token[0].isalnum():
                raw.append((number, token))
            elif raw and raw[-1][0] == number:
                number += 1
    else:
        conjuncts: list[list[str]] = [[]]
        for token in (*written, ","):
            if token in CONJUNCTIONS:
                conjuncts.append([])
            elif token[0].isalnum():
                conjuncts[-1].append(token)
            else:  # a phrase break: place the phrase's conjuncts
                for i, conjunct in enumerate(conjuncts):
                    raw += [(number, word) for word in conjunct]
                    # "cotton and polyester fabric": materials share the head after them.
                    shared = (
                        i + 1 < len(conjuncts)
                        and all(_classify(stem(w)) in (MATERIAL, DESCRIPTOR) for w in conjunct)
                        and any(_classify(stem(w)) in (WORD, FORM) for w in conjuncts[i + 1])
                    )
                    if not shared and conjunct:
                        number += 1
                conjuncts = [[]]
    prepositions = PREPOSITIONS_FR if french else PREPOSITIONS_EN
    read: list[tuple[int, str, str, str]] = []
    modifier_of = -1  # the phrase number in which a preposition was seen
    preposition = ""
    for i, (segment, word) in enumerate(raw):
        if word in prepositions:
            modifier_of, preposition = segment, word
            continue
        if word == "ctn" and (
            (i > 0 and (is_number_like(raw[i - 1][1]) or raw[i - 1][1] in _COUNT_WORDS))
            or (i + 1 < len(raw) and is_number_like(raw[i + 1][1]))
        ):
            continue  # a carton count
        pairs = _WORDS.get(word)
        if pairs is None:
            pairs = _read_word(word)
        if french and word in _FRENCH_HOMOGRAPHS:
            pairs = ((word, word),)
        # "cream-filled biscuits", "gold-plated connector": the word before says what the
        # product is filled, plated or flavoured with; it is not the product.
        if modifier_of == segment:
            modifier = preposition
        elif i + 1 < len(raw) and raw[i + 1][0] == segment and raw[i + 1][1] in PARTICIPLES:
            modifier = "-"
        else:
            modifier = ""
        for part, token in pairs:
            read.append((segment, part, token, modifier))
    return read


def _drop_negated(written: Sequence[str]) -> list[str]:
    """Drop the words a description says the product is not, or that decide nothing.

    "Matches, other than pyrotechnic articles": what follows "not", "other than", "except"
    or "without" is not there, to the end of the phrase. "Non" is a prefix ("non-GMO
    soybeans", "non-alloy steel") and takes only the next word. Customs write "whether or
    not" as "cooked or not", "in shell or not": the word, or the phrase from a preposition,
    before "or not" says nothing either way.
    """
    kept: list[str] = []
    negated = prefix = False
    for token in written:
        if not token[0].isalnum():
            negated = prefix = False
            kept.append(token)
        elif prefix:
            prefix = False
        elif token == "non":
            prefix = True
        elif token == "not" and kept and kept[-1] == "or":
            kept.pop()
            _drop_qualifier(kept)
            negated = True  # "whether or not cooked": the qualifier follows
        elif token in NEGATORS:
            negated = True
        elif not negated:
            kept.append(token)
    return kept


def _drop_qualifier(kept: list[str]) -> None:
    """Drop the last word of a phrase, or its last prepositional phrase ("in shell")."""
    if kept and kept[-1][0].isalnum() and kept[-1] != "whether":
        kept.pop()
    for back in range(1, 4):
        if len(kept) < back or not kept[-back][0].isalnum():
            return
        if kept[-back] in PREPOSITIONS_EN:
            del kept[-back:]
            return


_WORDS: dict[str, tuple[tuple[str, str], ...]] = {}


def _read_word(word: str) -> tuple[tuple[str, str], ...]:
    """Return the (word, stem) pairs a written word stands for: abbreviations expanded."""
    pairs = tuple(
        (part, stem(part))
        for part in ABBREVIATIONS.get(word, (word,))
        if part not in STOP_WORDS and not is_number_like(part)
    )
    if len(_WORDS) >= CACHE_LIMIT:
        _WORDS.clear()
    _WORDS[word] = pairs
    return pairs


def _heads(
    slots: Sequence[Slot], french: bool, nouns: Sequence[bool] | None = None, packed: bool = True
) -> tuple[int, ...]:
    """Find each phrase's main noun: its last product noun (its first in French).

    A product noun is a word that names some product: a main noun of the catalogue's names
    or one of FOREIGN_NOUNS (`nouns` says which words are; for the catalogue's own names,
    `nouns` is None and every word counts). Other words in the tail of a description are
    grades, varieties, origins and codes ("peppercorns ASTA", "oranges Valencia"), and a
    package after a product is no head ("onions, mesh bag"), nor anything after a
    preposition ("footwear with outer soles of rubber" is footwear; "T-shirts, of cotton").
    But a description that gives no quantity and ends with a package right after a product
    noun names the package: "glove box", "tea bags" (`packed` is False there).
    """
    rank = _NAME_RANK if nouns is None else _QUERY_RANK
    if not (packed or french or nouns is None) and len(slots) > 1:
        last, before = slots[-1], slots[-2]
        if (
            last.forms[0] in PACKAGING_WORDS
            and before.segment == last.segment
            and nouns[before.position]
            and not (last.modifier or before.modifier)
        ):
            earlier = _heads(slots[:-1], french, nouns)
            return (*(h for h in earlier if slots[h].segment != last.segment), last.position)
    heads: list[int] = []
    count, start, first_segment = len(slots), 0, True
    while start < count:
        segment, stop = slots[start].segment, start
        while stop < count and slots[stop].segment == segment:
            stop += 1
        members = slots[start:stop]
        start = stop
        with_main = any(not s.modifier for s in members)
        if not with_main and (heads or not first_segment):
            first_segment = False
            continue
        first_segment = False
        best, best_rank, package = -1, 9, -1
        for slot in members if french else reversed(members):
            if (with_main and slot.modifier) or (nouns is not None and not nouns[slot.position]):
                continue
            if slot.forms[0] in PACKAGING_WORDS:
                if package < 0 and slot.cls == WORD:
                    package = slot.position
                continue
            order = rank.get(slot.cls, 9)
            if order < best_rank:
                best, best_rank = slot.position, order
        if best < 0 and not heads:
            best = package  # "jute bags": the package is the product
        if best >= 0:
            heads.append(best)
    return tuple(heads)


_QUERY_RANK = {WORD: 0, MATERIAL: 1, FORM: 2}
_NAME_RANK = {WORD: 0, MATERIAL: 0, FORM: 1}  # a name: "refined zinc" is zinc


def _slot(fields: tuple[int, int, str, tuple[str, ...], int, str, str]) -> Slot:
    # A Slot without the named-tuple constructor's Python-level call (a hot path).
    return tuple.__new__(Slot, fields)


def _with_form(slot: Slot, form: str) -> Slot:
    return slot._replace(forms=(*slot.forms, form))


def _rank_key(candidate: Candidate) -> tuple[float, str]:
    return (-candidate.score, candidate.name)


def _penalise(candidate: Candidate, feature: Feature) -> Candidate:
    score = min(100.0, max(0.0, round(candidate.score + feature.score, 1)))
    features = (*candidate.features, feature)
    return Candidate(
        candidate.id, candidate.name, score, candidate.method, features, candidate.source
    )


def _shared_penalty(count: int) -> float:
    # Two goods under one code still deserve a look (review); many do not single one out.
    return min(45.0, 14.0 + 4.0 * (count - 2))


def _misspelling_penalty(word: str) -> float:
    # Short words are more often other real words than misspellings.
    return 20.0 if len(word) <= 5 else 12.0 if len(word) <= 7 else 8.0


# Prepositions that say what a product is made of ("gloves of rubber", "gants en nitrile").
MADE_OF = frozenset({"of", "from", "de", "d", "du", "des", "en"})


def _qualify(slots: Sequence[Slot], qualifiers: frozenset[str]) -> bool:
    """Say whether the qualifiers of a kind of good describe the product itself.

    "Gloves of vulcanised rubber" are rubber gloves; "leather gloves with rubber grips" are not:
    a qualifier after "with" or "for" is about something else.
    """
    for word in qualifiers:
        if not any(
            word in slot.forms and (not slot.modifier or slot.modifier in MADE_OF) for slot in slots
        ):
            return False
    return True


def _article_material(tokens: Sequence[str]) -> str:
    """Return the material of a name for articles made of it ("brass items"), or ""."""
    classes = [_classify(t) for t in tokens]
    materials = [t for t, c in zip(tokens, classes, strict=True) if c == MATERIAL]
    if len(materials) == 1 and GENERIC in classes and set(classes) <= {MATERIAL, GENERIC}:
        return materials[0]
    return ""


_VOWELS_Y = frozenset("aeiouy")


def _undouble(word: str) -> str:
    return "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])


def _is_skeleton(token: str) -> bool:
    """Say whether a word could be a vowel-less shortening ("shrmp"; not "dry", "pd")."""
    return len(token) >= 3 and token.isalpha() and _VOWELS_Y.isdisjoint(token[1:])


def _next_to_explained(slot: Slot, slots: Sequence[Slot], explained: Sequence[bool]) -> bool:
    """Say whether an imitation word stands beside a word of the good ("gold-plated")."""
    for position in (slot.position - 1, slot.position + 1):
        same_phrase = 0 <= position < len(slots) and slots[position].segment == slot.segment
        if same_phrase and explained[position]:
            return True
    return False


def _distance(a: str, b: str) -> int:
    return int(OSA.distance(a, b))


FEATURES = (
    name_equal,
    alias_equal,
    words_equal,
    phrase_overlap,
    implied_name,
    kind_of_good,
    word_order,
    longer_name,
    head_noun,
    input_named,
    article_of_material,
    secondary_head,
    unexplained_words,
    misspelling,
    imitation,
    not_latest_edition,
    derived_explains_better,
    hs_heading,
    hs_shared,
    hs_broader,
    hs_less_specific,
    hs_wider_good,
    padded_code,
    code_and_words_agree,
    code_without_words,
)
# What each feature means, for people: the first line of its function's docstring.
EXPLANATIONS: dict[str, str] = {f.__name__: (f.__doc__ or "").strip() for f in FEATURES}
