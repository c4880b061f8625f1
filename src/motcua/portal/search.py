"""Finding a procedure the way citizens type: without accents, with small typos, in their own words.

The index covers the procedures with a version in force today: code, name, field name, case names and a
few everyday names (SYNONYMS: "hộ khẩu" for permanent residence...). Text is folded (diacritics stripped,
đ → d, lower case, punctuation to spaces) on both sides. A query word matches an indexed word exactly, as
the start of a longer word ("thuon" → "thuong"), or within a small edit distance (one edit from four
letters, two from eight; a swap of two neighbouring letters is one edit: "sihn" → "sinh"). Results are
ranked by how many query words matched, then how many matched exactly, then whether the query reads as a
phrase of the name, then how much of the name the query covers (the shortest name that says it wins).

The index is built once per process and rebuilt when the catalog changes: a save or delete of a field,
procedure, version or case in this process drops it, and a signature of the version table read on every
search (one aggregate query; it includes the date, since "in force" moves with it) catches versions
published or closed by other processes; anything else (a rename elsewhere) shows within REBUILD_SECONDS.
"""

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from motcua.catalog.models import Case, Field, Procedure, ProcedureVersion
from motcua.notify.text import without_diacritics

MAX_QUERY_LENGTH = 200
REBUILD_SECONDS = 600  # a rename made by another process shows within this time

# Weights of where a word was found.
CODE, NAME, ALIAS, CASE, FIELD = "code", "name", "alias", "case", "field"
WEIGHTS = {CODE: 4.0, NAME: 3.0, ALIAS: 2.5, CASE: 2.0, FIELD: 1.0}
EXACT, PREFIX, FUZZY = 1.0, 0.75, 0.6

# Everyday names → words of the official name. A procedure whose folded name contains the key gets the
# aliases as searchable words of its own.
SYNONYMS = {
    "khai sinh": ["giay khai sinh", "lam giay khai sinh", "dang ky cho con", "bao sinh"],
    "thuong tru": ["ho khau", "nhap ho khau", "nhap khau", "chuyen khau"],
    "tam tru": ["kt3", "dang ky o tro", "khai bao tam tru"],
    "tach ho": ["tach khau", "tach ho khau"],
    "can cuoc": ["cccd", "cmnd", "chung minh nhan dan", "can cuoc cong dan", "the can cuoc"],
    "ket hon": ["lay vo", "lay chong", "cuoi", "giay dang ky ket hon"],
    "khai tu": ["bao tu", "chung tu", "giay chung tu"],
    "chung thuc ban sao": ["sao y", "sao y ban chinh", "cong chung ban sao", "photo cong chung"],
    "chung thuc chu ky": ["cong chung chu ky", "xac nhan chu ky"],
    "ho kinh doanh": ["giay phep kinh doanh", "mo cua hang", "kinh doanh ca the"],
    "thanh lap cong ty": ["thanh lap doanh nghiep", "mo cong ty", "giay phep kinh doanh cong ty"],
    "giay phep xay dung": ["xay nha", "phep xay nha", "giay phep xay nha"],
    "giay phep lai xe": ["bang lai", "bang lai xe", "doi bang lai", "gplx"],
}

# Words people put around what they want ("thủ tục ... như thế nào", "tôi muốn ...", "... cho con"):
# dropped from a query unless nothing else is left.
FILLER = re.compile(
    r"\b(thu tuc|lam the nao|nhu the nao|o dau|toi muon|toi can|can lam gi|muon|xin|lam|cho con|cho be|cua toi)\b"
)

_SPLIT = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"^\d+(\.\d+)+$")


def fold(text: str) -> str:
    """'Đăng ký thường trú!' → 'dang ky thuong tru'."""
    return " ".join(_SPLIT.split(without_diacritics(text or "").lower())).strip()


def words(text: str) -> list[str]:
    return fold(text).split()


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, replace, swap of neighbours), or limit + 1 when
    it is larger than limit. Stops as soon as a whole row is over the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    return 2 if len(word) >= 8 else 1 if len(word) >= 4 else 0


@dataclass
class Entry:
    procedure_id: int
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    name_words: list[str]
    phrases: list[str]  # folded name and aliases, for the phrase test


@dataclass
class Index:
    entries: dict[int, Entry] = field(default_factory=dict)
    postings: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    by_length: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, pid: int, where: str, text_words: list[str]) -> None:
        joined = [a + b for a, b in zip(text_words, text_words[1:], strict=False)]  # "khaisinh"
        for word in text_words + joined:
            self.postings[word][pid].add(where)

    def freeze(self) -> None:
        # word → {procedure: weight of the best place it was found}
        self.postings = {w: {pid: max(WEIGHTS[x] for x in places) for pid, places in p.items()} for w, p in self.postings.items()}
        for word in self.postings:
            self.by_length[len(word)].append(word)

    def candidates(self, query_word: str) -> list[tuple[str, float]]:
        """Indexed words a query word stands for, with how good the match is."""
        found = []
        if query_word in self.postings:
            found.append((query_word, EXACT))
        if len(query_word) >= 3:
            for length in range(len(query_word) + 1, len(query_word) + 8):
                found += [(w, PREFIX) for w in self.by_length.get(length, ()) if w.startswith(query_word)]
        limit = allowed_edits(query_word)
        if limit and query_word not in self.postings:
            for length in range(len(query_word) - limit, len(query_word) + limit + 1):
                for w in self.by_length.get(length, ()):
                    if w != query_word and len(w) >= 3 and edit_distance(query_word, w, limit) <= limit:
                        found.append((w, FUZZY))
        return found


@dataclass(frozen=True)
class Hit:
    procedure_id: int
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    problem: str = ""  # why the query could not be run (too long), for the page to show


_lock = threading.Lock()
_cached: dict = {"index": None, "signature": None}


def clear_cache(**_kwargs) -> None:
    with _lock:
        _cached.update(index=None, signature=None)


for _model in (Field, Procedure, ProcedureVersion, Case):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"portal-search-{_model.__name__}-save")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"portal-search-{_model.__name__}-delete")


def _signature():
    v = ProcedureVersion.objects.aggregate(
        n=Count("id"), last=Max("id"), at=Max("created_at"), ends=Count("effective_to"),
        start=Max("effective_from"), end=Max("effective_to"),
    )
    return (timezone.localdate(), *v.values(), int(time.monotonic() // REBUILD_SECONDS))


def in_force_versions(day=None):
    """The newest version in force of every procedure, as a queryset of ProcedureVersion."""
    day = day or timezone.localdate()
    newest = {}
    for pk, procedure_id in (
        ProcedureVersion.objects.in_force(day).order_by("procedure_id", "-number").values_list("id", "procedure_id")
    ):
        newest.setdefault(procedure_id, pk)
    return ProcedureVersion.objects.filter(pk__in=newest.values())


def build_index() -> Index:
    index = Index()
    versions = in_force_versions().select_related("procedure__field")
    case_names = defaultdict(list)
    for version_id, name in Case.objects.filter(version__in=versions).values_list("version_id", "name"):
        case_names[version_id].append(name)
    aliases = [(words(key), key, [fold(a) for a in values]) for key, values in SYNONYMS.items()]
    for version in versions:
        p = version.procedure
        name_words = words(p.name)
        folded_name = " ".join(name_words)
        phrases = [folded_name]
        index.add(p.pk, CODE, words(p.code))
        index.add(p.pk, NAME, name_words)
        index.add(p.pk, FIELD, words(p.field.name))
        for case_name in case_names[version.pk]:
            index.add(p.pk, CASE, words(case_name))
        for _key_words, key, values in aliases:
            if f" {key} " in f" {folded_name} ":
                for alias in values:
                    index.add(p.pk, ALIAS, alias.split())
                    phrases.append(alias)
        index.entries[p.pk] = Entry(
            procedure_id=p.pk,
            code=p.code,
            name=p.name,
            field_code=p.field.code,
            field_name=p.field.name,
            level=p.level,
            name_words=name_words,
            phrases=phrases,
        )
    index.freeze()
    return index


def get_index() -> Index:
    """The index for today's catalog: one small aggregate query per call, a rebuild when it changed."""
    current = _signature()
    with _lock:
        index, signature = _cached["index"], _cached["signature"]
    if index is None or current != signature:
        index = build_index()
        with _lock:
            _cached.update(index=index, signature=current)
    return index


def search(query: str, limit: int | None = None) -> SearchResult:
    """Procedures in force that match `query`, best first."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        return SearchResult(query[:MAX_QUERY_LENGTH], [], "too_long")
    folded = fold(query)
    query_words = list(dict.fromkeys(FILLER.sub(" ", folded).split() or folded.split()))
    if not query_words:
        return SearchResult(query, [])
    index = get_index()
    code_query = query if _CODE.match(query) else None

    # Per procedure: for each query word, the best (quality, weight, matched word).
    best: dict[int, dict[str, tuple[float, float, str]]] = defaultdict(dict)
    for qw in query_words:
        for indexed_word, quality in index.candidates(qw):
            for pid, weight in index.postings[indexed_word].items():
                known = best[pid].get(qw)
                if known is None or (quality, weight * quality) > known[:2]:
                    best[pid][qw] = (quality, weight * quality, indexed_word)

    hits = []
    for pid, matched in best.items():
        entry = index.entries[pid]
        exact = sum(1 for q, _s, _w in matched.values() if q == EXACT)
        score = sum(s for _q, s, _w in matched.values())
        # The query as the words it matched, in the query's order, for the phrase test.
        as_matched = " ".join(matched[qw][2] for qw in query_words if qw in matched)
        phrase = 0
        for i, text in enumerate(entry.phrases):
            if text == as_matched:
                phrase = max(phrase, 3 if i == 0 else 2)
            elif f" {as_matched} " in f" {text} ":
                phrase = max(phrase, 1)
        matched_words = {m[2] for m in matched.values()}
        name_hits = sum(1 for w in entry.name_words if w in matched_words)
        coverage = name_hits / max(len(entry.name_words), 1)
        rank = (
            entry.code == code_query,
            len(matched),
            exact,
            phrase,
            round(coverage, 3),
            score,
        )
        hits.append((rank, entry))
    hits.sort(key=lambda h: (tuple(-x for x in h[0]), h[1].code))
    if code_query and hits and hits[0][1].code == code_query:
        hits = hits[:1]  # a national code names one procedure
    result = [
        Hit(e.procedure_id, e.code, e.name, e.field_code, e.field_name, e.level, rank[-1]) for rank, e in hits
    ]
    return SearchResult(query, result[:limit] if limit else result)


def browse(field_code: str | None = None, level: str | None = None) -> list[Hit]:
    """Every procedure in force, optionally in one field and at one level, by field then name."""
    entries = get_index().entries.values()
    rows = [
        Hit(e.procedure_id, e.code, e.name, e.field_code, e.field_name, e.level, 0.0)
        for e in entries
        if (not field_code or e.field_code == field_code) and (not level or e.level == level)
    ]
    rows.sort(key=lambda h: (fold(h.field_name), fold(h.name), h.code))
    return rows


@dataclass(frozen=True)
class FieldCount:
    code: str
    name: str
    count: int


def fields_in_force() -> list[FieldCount]:
    """The fields that have procedures in force, with how many, by name (accents ignored)."""
    counts: dict[str, list] = {}
    for e in get_index().entries.values():
        counts.setdefault(e.field_code, [e.field_name, 0])[1] += 1
    rows = [FieldCount(code, name, n) for code, (name, n) in counts.items()]
    rows.sort(key=lambda f: fold(f.name))
    return rows


def field_name(code: str) -> str | None:
    return next((f.name for f in fields_in_force() if f.code == code), None)


def level_counts() -> dict[str, int]:
    counts = dict.fromkeys(Procedure.Level.values, 0)
    for e in get_index().entries.values():
        counts[e.level] = counts.get(e.level, 0) + 1
    return counts
