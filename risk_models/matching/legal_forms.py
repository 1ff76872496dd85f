"""Normalisation tables for company names: legal forms, abbreviations, transliterations, words.

Everything here works on folded tokens (lower case ASCII where the script allows, no
punctuation). The tables are plain data so that a reviewer can read and extend them; the few
functions apply them and say what they changed, so a match can be explained word by word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

# --- Legal forms -------------------------------------------------------------------------------
# Phrase (folded tokens) -> family. Families group forms that mean the same kind of company, so
# "Co., Ltd." and "Corporation" agree (Chinese names are translated either way) while "GmbH"
# and "Sdn. Bhd." do not. Dotted initials are joined before look-up ("S.A." -> "sa").
_COMPANY = "company"
LEGAL_FORMS: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): family
    for family, phrases in {
        _COMPANY: [
            "co", "cos", "company", "corp", "corporation", "inc", "incorporated",
            "ltd", "limited", "co ltd", "co limited", "company ltd", "company limited", "ltd co",
            "pvt ltd", "pvt limited", "private ltd", "private limited", "p ltd", "pvt",
            "pte ltd", "pte", "pty ltd", "pty", "plc", "public limited company", "pcl",
            "public co ltd", "public company limited", "joint stock co ltd",
            "co inc",
            "kabushiki kaisha", "kk", "yugen kaisha", "gk",
            "youxian gongsi", "youxiangongsi", "gongsi", "gufen youxian gongsi",
            "youxian zeren gongsi",
        ],
        "llc": ["llc", "limited liability company", "llp", "lp", "pllc"],
        "bhd": ["bhd", "berhad", "sdn bhd", "sendirian berhad", "sdn"],
        "gmbh": ["gmbh", "mbh", "ug", "gmbh co kg", "kg", "ohg"],
        "ag": ["ag", "kgaa", "se"],
        "sa": ["sa", "sas", "sasu", "sarl", "eurl", "sa de cv", "sapi de cv", "s de rl de cv",
               "s de rl", "srl", "spa", "sl", "slu", "sau", "ltda", "lda", "eireli",
               "sc", "scs", "snc"],
        "nordic": ["ab", "oy", "oyj", "asa", "aps"],
        "as": ["as", "a s"],
        "benelux": ["bv", "nv", "bvba", "sprl", "cvba"],
        "balkan": ["doo", "dooel", "dd", "ad", "sro", "as a", "sp z oo", "spzoo", "kft", "zrt",
                   "nyrt", "sia", "uab", "ou", "srl"],
        "jsc": ["jsc", "ojsc", "cjsc", "pjsc", "ooo", "zao", "oao", "pao", "tov", "too",
                "joint stock company", "ao"],
        "turkey": ["ltd sti", "sti", "ve tic ltd sti", "san ve tic ltd sti",
                   "san ve tic as"],
        "indonesia": ["pt", "tbk", "pt tbk", "cv", "ud"],
    }.items()
    for phrase in phrases
}  # fmt: skip
# Forms that are ordinary words or initials elsewhere: removed only at the very end of a name
# (or, for PREFIX_FORMS, at its very start), never from the middle.
_POSITIONAL = {("sa",), ("se",), ("ag",), ("as",), ("ab",), ("ad",), ("dd",), ("sc",),
               ("sl",), ("kg",), ("ug",), ("ao",), ("lp",), ("cv",), ("ud",), ("pt",),
               ("too",), ("ou",), ("sia",), ("gk",), ("kk",), ("a", "s"), ("as", "a"), ("pvt",),
               ("pte",), ("pty",), ("sdn",), ("co",), ("cos",), ("gongsi",)}  # fmt: skip
PREFIX_FORMS: dict[tuple[str, ...], str] = {
    ("pt",): "indonesia", ("cv",): "indonesia", ("ud",): "indonesia", ("ooo",): "jsc",
    ("zao",): "jsc", ("oao",): "jsc", ("pao",): "jsc", ("jsc",): "jsc", ("ojsc",): "jsc",
    ("tov",): "jsc", ("too",): "jsc", ("ao",): "jsc", ("pjsc",): "jsc", ("cjsc",): "jsc",
}  # fmt: skip
_MAX_FORM = max(len(phrase) for phrase in LEGAL_FORMS)
LEGAL_WORDS = frozenset(word for phrase in [*LEGAL_FORMS, *PREFIX_FORMS] for word in phrase)
# Short forms a legal word written in full begins with ("corporation" -> "corp",
# "incorporated" -> "inc"): the full word may stand for a name word as the short one does.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    word: tuple(sorted(s for s in LEGAL_WORDS if len(s) >= 3 and s != word and word.startswith(s)))
    for word in LEGAL_WORDS
}
# Long legal words, by first letter: a slip in one ("Corpration", "Limted") is still the form.
# Short ones are left alone: one letter off "Ltd" or "Inc" is as often a word or an initial.
_LONG_LEGAL_WORDS: dict[str, tuple[str, ...]] = {}
for _word in sorted(w for w in LEGAL_WORDS if len(w) >= 6 and w.isalpha()):
    _LONG_LEGAL_WORDS[_word[0]] = (*_LONG_LEGAL_WORDS.get(_word[0], ()), _word)

# --- Word equivalences -------------------------------------------------------------------------
# Abbreviations and synonyms folded to one spelling before comparing (values are canonical).
ABBREVIATIONS: dict[str, str] = {
    word: canonical
    for canonical, words in {
        "manufacturing": "mfg mfgs mfr mfrs manuf manufacture manufactures manufacturer "
                         "manufacturers manufactory",
        "accessory": "acc accs accy accessories",
        "international": "intl internatl intnl internacional international",
        "technology": "tech techn technol technologies technological technique techniques",
        "information": "info",
        "industry": "ind inds indus indl industrial industries industri industria industrias "
                    "industriel industrielle",
        "development": "dev devel devt",
        "group": "grp grupo groupe gruppe",
        "product": "prod prods produce productos produits",
        "electric": "elec electrical",
        "electronic": "electronics elect",
        "engineering": "eng engg engr",
        "machinery": "mach machine machines",
        "chemical": "chem chemicals",
        "pharmaceutical": "pharm pharma pharmaceuticals",
        "material": "matl matls materials",
        "service": "svc svcs serv services",
        "holding": "hldg hldgs holdings",
        "enterprise": "ent entp entpr enterprises",
        "import": "imp imports",
        "export": "exp exports",
        "national": "natl",
        "association": "assn assoc",
        "brother": "bros brothers",
        "management": "mgmt",
        "trade": "trading tradings trd",
        "agriculture": "agri agric agricultural agricola",
        "science": "sci sciences scientific",
        "biotech": "biotechnology biotechnologies",
        "center": "ctr centre",
        "distribution": "dist distr distributor distributors",
        "cooperative": "coop",
        "hitech": "hightech",
        "labor": "labour",
        # Translations of one Chinese word (服装, 厂) that lists and buyers render differently.
        "apparel": "apparels garment garments gmt gmts clothing clothes",
        "factory": "factories plant plants works mill mills fty ftys fcty facty",
        # Places and Spanish estate words, as registers and bills of lading shorten them.
        "county": "cty cnty",
        "province": "prov",
        "township": "twp",
        "finca": "fca",
        "hacienda": "hda",
        "textile": "tex textiles",
    }.items()
    for word in words.split()
}  # fmt: skip
# Two-word phrases written as one word ("Inner Mongolia" is one place, "Hi-Tech" one word).
PHRASES: dict[tuple[str, str], str] = {
    ("inner", "mongolia"): "innermongolia",
    ("nei", "mongol"): "innermongolia",
    ("nei", "menggu"): "innermongolia",
    ("hong", "kong"): "hongkong",
    ("hi", "tech"): "hitech",
    ("high", "tech"): "hitech",
    ("non", "ferrous"): "nonferrous",
    ("co", "op"): "cooperative",
    ("bio", "tech"): "biotech",
    ("new", "energy"): "newenergy",
    ("import", "export"): "importexport",
    ("imp", "exp"): "importexport",
}
# Romanisations of the same place or word seen in enforcement lists and trade data.
TRANSLITERATIONS: dict[str, str] = {
    variant: canonical
    for canonical, variants in {
        "hetian": "hotan khotan hetien hotien",
        "kashgar": "kashi kaxgar qeshqer kashkar kashghar",
        "urumqi": "wulumuqi urumchi orumqi urumtsi",
        "xinjiang": "sinkiang xingjiang xinjang",
        "yili": "ili",
        "turpan": "turfan tulufan",
        "aksu": "aqsu akesu",
        "kuqa": "kuche kucha",
        "korla": "kuerle",
        "karamay": "kelamayi",
        "artux": "atushi atush",
        "shache": "yarkand yarkant",
        "yecheng": "kargilik",
        "lop": "luopu",
        "qiqihar": "tsitsihar qiqihaer",
        "junggar": "dzungar zhungeer jungar zungar dzungaria",
        "uyghur": "uygur uighur weiwuer uigur",
        "beijing": "peking",
        "guangzhou": "canton",
        "tianjin": "tientsin",
        "xiamen": "amoy",
        "shantou": "swatow",
        "qingdao": "tsingtao",
        "nanjing": "nanking",
        "chongqing": "chungking",
        "hangzhou": "hangchow",
        "suzhou": "soochow",
        "fuzhou": "foochow",
        "guangdong": "kwangtung",
        "fujian": "fukien",
        "sichuan": "szechuan szechwan",
        "jiangsu": "kiangsu",
        "zhejiang": "chekiang",
        "shandong": "shantung",
        "hubei": "hupeh",
        "guizhou": "kweichow",
        "gansu": "kansu",
        "qinghai": "tsinghai",
        "ningxia": "ningsia",
        "xizang": "tibet",
        "mudanjiang": "mutankiang",
        # Hindi and Urdu words romanised several ways in South Asian company names.
        "bidi": "beedi biri",
    }.items()
    for variant in variants.split()
}  # fmt: skip
ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
            "sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10"}  # fmt: skip
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
# Plural endings that are not plurals.
_NOT_PLURAL = frozenset({"news", "series", "species", "means", "lens", "corps"})
STOP_WORDS = frozenset(
    ["and", "the", "of", "de", "del", "la", "le", "les", "des", "du", "et", "y", "e", "und",
     "for", "at", "by", "in", "on", "to", "with", "through"]
)  # fmt: skip
NUMBER_MARKERS = frozenset({"no", "nr", "num", "number", "n"})

# --- Word classes ------------------------------------------------------------------------------
# Business words every other company uses: sharing them says nothing about identity.
_GENERIC_RAW = """
    group holding company enterprise industry manufacturing factory plant works work mill mills
    trade business commercial commerce service international global world universal general
    development investment import export importexport supply supplier logistics resource
    technology science information new newenergy energy power material product products goods
    apparel garment clothing clothes fashion wear knitting knitwear weaving spinning dyeing
    textile fabric fiber fibre yarn cotton linen wool silk cashmere leather fur hair accessory
    footwear shoe bag home electric electronic machinery equipment tool hardware metal steel
    iron chemical plastic rubber paper packaging printing food fruit vegetable seafood fishery
    aquatic agriculture farm farming plantation livestock poultry dairy tobacco solar
    pharmaceutical medical health biotech hitech nonferrous trading venture partner partners
    associate associates association cooperative union alliance united unity consolidated
    system solution solutions network digital smart creative pacific
    asia asian oriental orient east eastern west western north northern south southern
    central middle far overseas foreign domestic local regional county city province
    provincial prefecture district region regional autonomous zone area town township
    village municipal state national branch office division department unit subsidiary
    center station base park estate building construction engineering project production
    processing process import export sales sale distribution store shop mart market
    brother brothers family son sons management consulting consultancy
    finca hacienda rancho granja empresa compania sociedad comercial comercializadora
    servicios fabrica maquiladora societe entreprise firma werk handel handels
    perusahaan syarikat kilang perniagaan sanayi ticaret san tic tekstil konfeksiyon
    ithalat ihracat insaat jituan maoyi shiye keji fangzhi fuzhuang zhipin gongye chang
    qiye nongchang zhiye kogyo shoji sangyo seisakusho
    prison jail penitentiary camp laogai laojiao reform reeducation labor detachment
    correctional detention model ciudad vessel fishing ocean marine corps
"""
# Places (provinces, prefectures, big cities, countries and their adjectives) that appear in
# many company names and so cannot tell two companies apart on their own.
_PLACES_RAW = """
    china chinese prc zhongguo zhonghua hongkong hk macau macao taiwan taipei kaohsiung
    taichung tainan hsinchu beijing shanghai tianjin chongqing hebei shanxi liaoning jilin
    heilongjiang jiangsu zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong
    hainan sichuan guizhou yunnan shaanxi gansu qinghai taiwan innermongolia neimenggu mongolia
    guangxi xizang ningxia xinjiang uyghur shenzhen guangzhou dongguan foshan zhuhai zhongshan
    jiangmen huizhou shantou zhanjiang xiamen fuzhou quanzhou jinjiang putian zhangzhou
    hangzhou ningbo wenzhou shaoxing jiaxing huzhou taizhou jinhua yiwu shaoxing suzhou wuxi
    changzhou nanjing nantong yangzhou xuzhou yancheng lianyungang huaian zhenjiang qingdao
    jinan yantai weifang zibo linyi weihai rizhao dezhou liaocheng binzhou heze jining taian
    zhengzhou luoyang kaifeng wuhan changsha nanchang hefei wuhu chengdu mianyang kunming
    guiyang nanning haikou sanya xian xianyang lanzhou xining yinchuan hohhot baotou harbin
    daqing changchun shenyang dalian anshan fushun tangshan shijiazhuang baoding handan
    taiyuan datong urumqi hetian kashgar aksu yili changji turpan korla karamay shihezi
    bayingolin bortala hami kuqa artux shache yecheng lop moyu qira yutian minfeng
    kizilsu altay tacheng wujiaqu tumxuk alar manzhouli shanshan toksun kumul jimsar hutubi
    manas wusu kuytun yining bole luntai yuli hejing hoxud bohu awat wensu xinhe shaya
    baicheng wushi kalpin akto shufu shule yengisar zepu makit yopurga jiashi bachu taxkorgan
    cele karakax pishan keriya niya burqin fuyun habahe jeminay qinggil emin toli yumin shawan
    tianshan kunlun altai
    malaysia malaysian selangor klang johor penang kuala lumpur ipoh indonesia indonesian
    jakarta bandung surabaya thailand thai bangkok vietnam vietnamese hanoi saigon hochiminh
    cambodia phnom penh myanmar burma yangon laos philippines manila singapore india
    mumbai delhi chennai tirupur tiruppur bangalore bengaluru kolkata mangalore pakistan
    karachi lahore bangladesh dhaka chittagong srilanka japan tokyo osaka korea seoul busan
    usa america canada mexico tamaulipas brazil europe germany france italy spain uk britain
    england turkey istanbul serbia malawi mauritius africa
"""
GENERIC_WORDS: frozenset[str]
PLACE_WORDS: frozenset[str]

# --- Names a name carries ----------------------------------------------------------------------
# ERP supplier names often hold a second name: "Acme Ltd d/b/a Foo", "Foo (formerly Bar)",
# "XPCC (Xinjiang Production and Construction Corporation)". These introduce it; they are
# matched on the text as written (case aside), as regular expressions.
NAME_INTRODUCERS = (
    r"a\.?\s?k\.?\s?a\.?",  # aka, a.k.a.
    r"also\s+known\s+as",
    r"formerly(?:\s+known\s+as)?",
    r"previously\s+known\s+as",
    r"f\.?\s?/?\s?k\.?\s?/?\s?a\.?",  # fka, f/k/a, f.k.a.
    r"d\.?\s?/?\s?b\.?\s?/?\s?a\.?",  # dba, d/b/a, d.b.a.
    r"doing\s+business\s+as",
    r"trading\s+as",
    r"t\s?/\s?a",  # t/a, not "Ta", a common word in Chinese names
)
# Words a bracket adds to say which branch or site of the company is meant ("(Xinjiang
# Branch)", "(Rizhao Plant)"): with places and numbers, a qualifier rather than a name.
_QUALIFIERS_RAW = """
    branch office factory plant works mill division department subsidiary headquarters hq
    warehouse site workshop unit
"""

# --- Folding -----------------------------------------------------------------------------------
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                          "ß": "ss", "ı": "i", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l",
                          "þ": "th", "ð": "d", "’": "", "'": "", "`": "", "´": "",
                          "&": " and ", "+": " and "})  # fmt: skip
_DOTTED = re.compile(r"(?<![\w])((?:[^\W\d_]\s?\.\s?){2,})")
_DOTTED_ASCII = re.compile(r"(?<![a-z0-9])((?:[a-z] ?\. ?){2,})")
_DOTS_AND_SPACES = re.compile(r"[\s.]")
_NON_WORD_ASCII = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[\W_]+")


def _join_initials(match: re.Match[str]) -> str:
    return " " + _DOTS_AND_SPACES.sub("", match.group(1)) + " "


def fold(text: str) -> str:
    """Fold case, accents, ligatures and apostrophes; join dotted initials ("S.A." -> "sa")."""
    if text.isascii():  # the common case: a few cheap replacements instead of a translation
        text = text.lower()
        if "'" in text or "`" in text:
            text = text.replace("'", "").replace("`", "")
        if "&" in text or "+" in text:
            text = text.replace("&", " and ").replace("+", " and ")
        if "." in text:
            text = _DOTTED_ASCII.sub(_join_initials, text)
        return text
    text = text.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    if "." in text:
        text = _DOTTED.sub(_join_initials, text)
    return text


def split_words(folded: str) -> list[str]:
    """Split folded text into words; runs of single letters join ("l y s z d" -> "lyszd")."""
    words = (_NON_WORD_ASCII if folded.isascii() else _NON_WORD).sub(" ", folded).split()
    if min(map(len, words), default=2) > 1:
        return words
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            joined.append("".join(run) if len(run) > 1 else run[0])
            run = []
        if word:
            joined.append(word)
    return joined


@dataclass(frozen=True, slots=True)
class LegalForms:
    """A name's words with its legal forms taken out, and what was taken."""

    words: tuple[str, ...]
    forms: tuple[str, ...]  # as written (folded), e.g. ("co ltd",)
    families: frozenset[str]
    seat: tuple[str, ...] = ()  # words after a legal form in mid-name (a registered seat)
    slips: tuple[str, ...] = ()  # misspelt legal words as written, read as the form


def legal_word_slip(word: str) -> str:
    """Return the long legal word a word misspells ("corpration" -> "corporation"), or ""."""
    if len(word) < 6 or word in LEGAL_WORDS or not word.isalpha():
        return ""
    for legal in _LONG_LEGAL_WORDS.get(word[0], ()):
        allowed = 2 if min(len(word), len(legal)) >= 9 else 1
        if abs(len(word) - len(legal)) <= allowed and (
            OSA.distance(word, legal, score_cutoff=allowed) <= allowed
        ):
            return legal
    return ""


def _repair_legal_slips(words: list[str]) -> list[str]:
    """Correct misspelt legal words at the end of a name, where legal forms stand."""
    repaired = words
    for index in range(len(words) - 1, 0, -1):
        word = words[index]
        if word in LEGAL_WORDS:
            continue
        legal = legal_word_slip(word)
        if not legal:
            break
        if repaired is words:
            repaired = list(words)
        repaired[index] = legal
    return repaired


def strip_legal_forms(words: list[str]) -> LegalForms:
    """Remove legal forms at the end, at the start and (unambiguous ones) in the middle."""
    written = words
    if len(words) >= 2:
        words = _repair_legal_slips(words)
    if len(words) < 2 or LEGAL_WORDS.isdisjoint(words):
        return LegalForms(tuple(words), (), frozenset())
    slips = tuple(a for a, b in zip(written, words, strict=True) if a != b)
    words = list(words)
    tail_forms: list[str] = []
    head_forms: list[str] = []
    families: set[str] = set()
    seat: list[str] = []
    while len(words) > 1 and words[-1] in LEGAL_WORDS:
        for size in range(min(_MAX_FORM, len(words) - 1), 0, -1):
            phrase = tuple(words[-size:])
            family = LEGAL_FORMS.get(phrase)
            if family is not None:
                tail_forms.insert(0, " ".join(phrase))
                families.add(family)
                del words[-size:]
                break
        else:
            break
    family = PREFIX_FORMS.get((words[0],))
    if family is not None and len(words) > 1:
        head_forms.append(words.pop(0))
        families.add(family)
    # Unambiguous forms in mid-name ("Linglong International Europe D.O.O. Zrenjanin"): what
    # follows is usually the registered seat, which is a place, not part of the identity.
    index = 1
    while index < len(words) - 1:
        if words[index] not in LEGAL_WORDS:
            index += 1
            continue
        for size in range(min(_MAX_FORM, len(words) - 1 - index), 0, -1):
            phrase = tuple(words[index : index + size])
            family = LEGAL_FORMS.get(phrase)
            if family is None or phrase in _POSITIONAL:
                continue
            head_forms.append(" ".join(phrase))
            families.add(family)
            tail = words[index + size :]
            del words[index : index + size]
            # "Firemount Group Ltd, Port Louis", "Camel Group Co., Ltd. (Xiangyang)": a
            # short tail after a form that cannot be a word of the name is where it sits.
            if 0 < len(tail) <= 2 and (len(phrase) > 1 or len(phrase[0]) >= 3):
                seat.extend(tail)
            break
        else:
            index += 1
    forms = (*head_forms, *tail_forms)
    return LegalForms(tuple(words), forms, frozenset(families), tuple(seat), slips)


@lru_cache(maxsize=200_000)
def canonical_word(word: str) -> tuple[str, str]:
    """Return a word's comparison form and why it differs ("" when unchanged)."""
    if word in ORDINALS:
        return ORDINALS[word], "number"
    match = _ORDINAL_SUFFIX.match(word)
    if match:
        return match.group(1), "number"
    if word in TRANSLITERATIONS:
        return TRANSLITERATIONS[word], "transliteration"
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word], "abbreviation"
    single = singular(word)
    if single != word:
        if single in ABBREVIATIONS:
            return ABBREVIATIONS[single], "abbreviation"
        return single, "singular/plural"
    return word, ""


def singular(word: str) -> str:
    """Fold a regular English plural to its singular ("gloves" -> "glove")."""
    if len(word) < 4 or not word.isalpha() or word in _NOT_PLURAL or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


def _canonical_set(raw: str) -> frozenset[str]:
    return frozenset(canonical_word(word)[0] for word in raw.split())


GENERIC_WORDS = _canonical_set(_GENERIC_RAW)
PLACE_WORDS = _canonical_set(_PLACES_RAW) - GENERIC_WORDS
QUALIFIER_WORDS = _canonical_set(_QUALIFIERS_RAW)
