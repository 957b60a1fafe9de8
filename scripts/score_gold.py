#!/usr/bin/env python3
"""Independent reference scorer for gold annotations (../shared/schema/gold.md).

Written from the scoring rules alone, without reading the Rust scorer, so that the two can be compared.
Python 3.11 standard library only.

    python3 scripts/score_gold.py --gold G1.jsonl [G2.jsonl ...] --docs DOCS... --predictions PRED.jsonl
    python3 scripts/score_gold.py --self-test

Prints one JSON object (precision, recall, f1, root_accuracy, year_accuracy, modality_accuracy, matches,
false_positives, modality_errors, neutral, counted_gold, and supporting counts) on stdout; warnings about bad
input go to stderr.

Rules, as implemented:
  * A gold sentence names the document `<doc>:<line>` when a document of that id exists, else `doc`.
    Its offset is the UTF-8 byte offset of the first occurrence of the quote in the document text.
  * The predictions of a sentence are those with doc_id == that document and span[0] <= offset < span[1],
    in prediction-file order.
  * quad from root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4. Gold root = "root" field, else the first
    two digits of "cameo"; predicted root = the first two digits of "cameo".
  * Known side: neither null nor "---". Counted gold event: both sides known. Asserted: neither negated nor
    hedged. Flagged: negated or hedged.
  * fits(pred, gold): quads equal and (gold.source, gold.target) == (pred source country, pred target
    country), or, for gold roots 03-06, also the reversed pair.
  * Each asserted prediction, in order, matches the first not-yet-matched counted asserted gold event it fits.
    An unmatched asserted prediction is a modality error if it fits a counted flagged gold event; else neutral
    if its quad equals the quad of any gold event of the sentence with an unknown side; else a false positive.
  * precision = matches / (matches + false positives + modality errors); recall = matches / counted asserted
    gold events; f1 = harmonic mean. Any ratio with a zero denominator is 0.
  * root_accuracy over matches; year_accuracy over matched gold events with a year (decade rules: gold note
    contains "decade" and pred year in [y, y+9], or pred precision "decade" and gold year in [p, p+9]);
    modality_accuracy over counted flagged gold events: right when no asserted prediction of the sentence fits
    it and some flagged prediction with the same `negated` fits it.
  * gold.md does not say what to do with a gold sentence whose document or quote cannot be found. By default
    its gold events still count (all missed); with --skip-unresolved the sentence is left out entirely. Either
    way it is listed under "unresolved" and warned about.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any, Iterable

SYMMETRIC_ROOTS = {"03", "04", "05", "06"}


def warn(msg: str) -> None:
    print(f"score_gold: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------------------------------------------
# Codes


def norm_root(value: Any) -> str | None:
    """A two-digit root string ("01".."20") or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        value = f"{value:02d}"
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) == 1 and value.isdigit():
        value = "0" + value
    if len(value) != 2 or not value.isdigit():
        return None
    return value if 1 <= int(value) <= 20 else None


def root_of_cameo(cameo: Any) -> str | None:
    if not isinstance(cameo, str):
        return None
    cameo = cameo.strip()
    if len(cameo) < 2 or not cameo[:2].isdigit():
        return None
    return norm_root(cameo[:2])


def quad_of_root(root: str | None) -> int | None:
    if root is None:
        return None
    r = int(root)
    if 1 <= r <= 5:
        return 1
    if 6 <= r <= 8:
        return 2
    if 9 <= r <= 13:
        return 3
    if 14 <= r <= 20:
        return 4
    return None


def known(side: Any) -> bool:
    return side is not None and side != "---"


def parse_year(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        v = value.strip()
        if len(v) >= 4 and v[:4].isdigit():
            return int(v[:4])
    return None


# --------------------------------------------------------------------------------------------------------------
# Records


@dataclass
class GoldEvent:
    source: Any
    target: Any
    root: str | None
    quad: int | None
    year: int | None
    negated: bool
    hedged: bool
    note: str
    raw: dict

    @property
    def counted(self) -> bool:
        return known(self.source) and known(self.target)

    @property
    def asserted(self) -> bool:
        return not self.negated and not self.hedged

    @property
    def flagged(self) -> bool:
        return self.negated or self.hedged

    @classmethod
    def from_json(cls, ev: dict) -> "GoldEvent":
        root = norm_root(ev.get("root"))
        if root is None:
            root = root_of_cameo(ev.get("cameo"))
        return cls(
            source=ev.get("source"),
            target=ev.get("target"),
            root=root,
            quad=quad_of_root(root),
            year=parse_year(ev.get("year")),
            negated=bool(ev.get("negated")),
            hedged=bool(ev.get("hedged")),
            note=ev.get("note") or "",
            raw=ev,
        )


@dataclass
class GoldSentence:
    file: str
    lineno: int
    doc: str
    line: Any
    quote: str
    events: list[GoldEvent]
    doc_name: str | None = None  # resolved
    offset: int | None = None  # byte offset of the quote


@dataclass
class Pred:
    index: int  # position in the predictions file (0-based, over valid records)
    doc_id: str
    start: int
    end: int
    source: Any  # country code or None
    target: Any
    root: str | None
    quad: int | None
    negated: bool
    hedged: bool
    date_value: Any
    date_precision: Any
    raw: dict = field(repr=False)

    @property
    def asserted(self) -> bool:
        return not self.negated and not self.hedged

    @property
    def flagged(self) -> bool:
        return self.negated or self.hedged

    @property
    def year(self) -> int | None:
        v = self.date_value
        if isinstance(v, str) and len(v) >= 4 and v[:4].isdigit():
            return int(v[:4])
        return None


def actor_country(actor: Any) -> Any:
    if isinstance(actor, dict):
        return actor.get("country")
    return None


def pred_from_json(obj: dict, index: int) -> Pred | None:
    doc_id = obj.get("doc_id")
    span = obj.get("span")
    if not isinstance(doc_id, str):
        return None
    if (
        not isinstance(span, list)
        or len(span) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)
    ):
        return None
    root = root_of_cameo(obj.get("cameo"))
    date = obj.get("date") if isinstance(obj.get("date"), dict) else {}
    return Pred(
        index=index,
        doc_id=doc_id,
        start=span[0],
        end=span[1],
        source=actor_country(obj.get("source")),
        target=actor_country(obj.get("target")),
        root=root,
        quad=quad_of_root(root),
        negated=obj.get("negated") is True,
        hedged=obj.get("hedged") is True,
        date_value=date.get("value"),
        date_precision=date.get("precision"),
        raw=obj,
    )


# --------------------------------------------------------------------------------------------------------------
# Reading input


def read_jsonl(path: str) -> Iterable[tuple[int, Any]]:
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            try:
                yield lineno, json.loads(text)
            except json.JSONDecodeError as e:
                warn(f"{path}:{lineno}: not JSON ({e.msg})")


def load_docs(paths: list[str]) -> dict[str, bytes]:
    """Document id -> UTF-8 bytes of its text."""
    docs: dict[str, bytes] = {}

    def add(doc_id: str, text: str, where: str) -> None:
        if doc_id in docs:
            warn(f"{where}: duplicate document id {doc_id!r}; keeping the first")
            return
        docs[doc_id] = text.encode("utf-8")

    def load_file(path: str) -> None:
        lower = path.lower()
        if lower.endswith(".jsonl") or lower.endswith(".ndjson"):
            for lineno, rec in read_jsonl(path):
                if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not isinstance(
                    rec.get("text"), str
                ):
                    warn(f"{path}:{lineno}: record lacks a string id or text")
                    continue
                add(rec["id"], rec["text"], f"{path}:{lineno}")
        else:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError as e:
                warn(f"{path}: unreadable ({e})")
                return
            if b"\x00" in data:
                warn(f"{path}: binary file skipped")
                return
            add(os.path.basename(path), data.decode("utf-8", errors="replace"), path)

    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames.sort()
                for name in sorted(filenames):
                    load_file(os.path.join(dirpath, name))
        elif os.path.isfile(p):
            load_file(p)
        else:
            warn(f"{p}: no such file or directory")
    return docs


def load_gold(paths: list[str]) -> list[GoldSentence]:
    out: list[GoldSentence] = []
    for path in paths:
        for lineno, rec in read_jsonl(path):
            if not isinstance(rec, dict) or not isinstance(rec.get("doc"), str) or not isinstance(
                rec.get("quote"), str
            ):
                warn(f"{path}:{lineno}: gold record lacks a string doc or quote")
                continue
            events = rec.get("events") or []
            out.append(
                GoldSentence(
                    file=path,
                    lineno=lineno,
                    doc=rec["doc"],
                    line=rec.get("line"),
                    quote=rec["quote"],
                    events=[GoldEvent.from_json(e) for e in events if isinstance(e, dict)],
                )
            )
    return out


def load_predictions(path: str) -> list[Pred]:
    preds: list[Pred] = []
    for lineno, rec in read_jsonl(path):
        p = pred_from_json(rec, len(preds)) if isinstance(rec, dict) else None
        if p is None:
            warn(f"{path}:{lineno}: prediction lacks a string doc_id or an integer span [start, end]")
            continue
        preds.append(p)
    return preds


# --------------------------------------------------------------------------------------------------------------
# Scoring


def resolve(sentence: GoldSentence, docs: dict[str, bytes]) -> None:
    name = sentence.doc
    if sentence.line is not None and not isinstance(sentence.line, bool):
        candidate = f"{sentence.doc}:{sentence.line}"
        if candidate in docs:
            name = candidate
    if name not in docs:
        sentence.doc_name = None
        sentence.offset = None
        return
    sentence.doc_name = name
    off = docs[name].find(sentence.quote.encode("utf-8"))
    sentence.offset = off if off >= 0 else None


def fits(p: Pred, g: GoldEvent) -> bool:
    if p.quad is None or g.quad is None or p.quad != g.quad:
        return False
    if g.source == p.source and g.target == p.target:
        return True
    if g.root in SYMMETRIC_ROOTS and g.source == p.target and g.target == p.source:
        return True
    return False


def year_right(g: GoldEvent, p: Pred) -> bool:
    gy, py = g.year, p.year
    if gy is None or py is None:
        return False
    if gy == py:
        return True
    if "decade" in g.note and gy <= py <= gy + 9:
        return True
    if p.date_precision == "decade" and py <= gy <= py + 9:
        return True
    return False


def ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class Tally:
    sentences: int = 0
    unresolved: int = 0
    predictions_in_sentences: int = 0
    matches: int = 0
    false_positives: int = 0
    modality_errors: int = 0
    neutral: int = 0
    counted_gold: int = 0
    root_right: int = 0
    year_total: int = 0
    year_right: int = 0
    modality_total: int = 0
    modality_right: int = 0

    def add(self, other: "Tally") -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def summary(self) -> dict:
        precision = ratio(self.matches, self.matches + self.false_positives + self.modality_errors)
        recall = ratio(self.matches, self.counted_gold)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "root_accuracy": ratio(self.root_right, self.matches),
            "year_accuracy": ratio(self.year_right, self.year_total),
            "modality_accuracy": ratio(self.modality_right, self.modality_total),
            "matches": self.matches,
            "false_positives": self.false_positives,
            "modality_errors": self.modality_errors,
            "neutral": self.neutral,
            "counted_gold": self.counted_gold,
            "root_right": self.root_right,
            "year_right": self.year_right,
            "year_total": self.year_total,
            "modality_right": self.modality_right,
            "modality_total": self.modality_total,
            "sentences": self.sentences,
            "unresolved_sentences": self.unresolved,
            "predictions_in_sentences": self.predictions_in_sentences,
        }


def score_sentence(s: GoldSentence, preds: list[Pred], details: list | None) -> Tally:
    t = Tally(sentences=1)
    golds = s.events
    counted_asserted = [i for i, g in enumerate(golds) if g.counted and g.asserted]
    t.counted_gold = len(counted_asserted)
    if s.offset is None:
        t.unresolved = 1
    t.predictions_in_sentences = len(preds)
    asserted = [p for p in preds if p.asserted]
    flagged = [p for p in preds if p.flagged]

    matched_gold: dict[int, Pred] = {}
    outcome: list[tuple[Pred, str, int | None]] = []
    for p in asserted:
        hit = next((i for i in counted_asserted if i not in matched_gold and fits(p, golds[i])), None)
        if hit is not None:
            matched_gold[hit] = p
            outcome.append((p, "match", hit))
            continue
        modal = next((i for i, g in enumerate(golds) if g.counted and g.flagged and fits(p, g)), None)
        if modal is not None:
            t.modality_errors += 1
            outcome.append((p, "modality_error", modal))
        elif p.quad is not None and any(
            not g.counted and g.quad == p.quad for g in golds
        ):
            t.neutral += 1
            outcome.append((p, "neutral", None))
        else:
            t.false_positives += 1
            outcome.append((p, "false_positive", None))

    t.matches = len(matched_gold)
    for i, p in matched_gold.items():
        g = golds[i]
        if p.root is not None and p.root == g.root:
            t.root_right += 1
        if g.year is not None:
            t.year_total += 1
            if year_right(g, p):
                t.year_right += 1

    modality: list[tuple[int, bool]] = []
    for i, g in enumerate(golds):
        if not (g.counted and g.flagged):
            continue
        t.modality_total += 1
        right = not any(fits(p, g) for p in asserted) and any(
            p.negated == g.negated and fits(p, g) for p in flagged
        )
        if right:
            t.modality_right += 1
        modality.append((i, right))

    if details is not None:
        details.append(
            {
                "gold": f"{s.file}:{s.lineno}",
                "doc": s.doc_name if s.doc_name is not None else s.doc,
                "offset": s.offset,
                "quote": s.quote,
                "predictions": [
                    {"index": p.index, "outcome": kind, "gold_event": gi, "cameo": p.raw.get("cameo"),
                     "source": p.source, "target": p.target}
                    for p, kind, gi in outcome
                ],
                "missed_gold_events": [i for i in counted_asserted if i not in matched_gold],
                "modality": [{"gold_event": i, "right": r} for i, r in modality],
            }
        )
    return t


def score(
    gold: list[GoldSentence],
    docs: dict[str, bytes],
    preds: list[Pred],
    want_details: bool = False,
    skip_unresolved: bool = False,
) -> dict:
    by_doc: dict[str, list[Pred]] = {}
    for p in preds:
        by_doc.setdefault(p.doc_id, []).append(p)

    total = Tally()
    per_file: dict[str, Tally] = {}
    unresolved: list[str] = []
    details: list | None = [] if want_details else None
    for s in gold:
        resolve(s, docs)
        if s.offset is None:
            why = "no such document" if s.doc_name is None else "quote not found"
            unresolved.append(f"{s.file}:{s.lineno}: {why}")
            if skip_unresolved:
                warn(f"{s.file}:{s.lineno}: {why} (doc {s.doc!r}); sentence skipped")
                continue
            warn(f"{s.file}:{s.lineno}: {why} (doc {s.doc!r}); its gold events count as missed")
            mine: list[Pred] = []
        else:
            mine = [p for p in by_doc.get(s.doc_name, []) if p.start <= s.offset < p.end]
        t = score_sentence(s, mine, details)
        total.add(t)
        per_file.setdefault(s.file, Tally()).add(t)

    out = total.summary()
    out["predictions_total"] = len(preds)
    out["unresolved"] = unresolved
    if len(per_file) > 1:
        out["by_gold_file"] = {f: t.summary() for f, t in per_file.items()}
    if details is not None:
        out["details"] = details
    return out


# --------------------------------------------------------------------------------------------------------------
# Self-test


def _actor(country: str | None) -> dict:
    return {"text": country or "?", "span": [0, 0], "country": country, "role": None, "code": country or "---"}


def _pred(doc: str, span: list[int], src: str | None, tgt: str | None, cameo: str, *, negated=False,
          hedged=False, date: str | None = None, precision: str = "year") -> dict:
    return {
        "doc_id": doc, "span": span, "source": _actor(src) if src is not None else None,
        "target": _actor(tgt) if tgt is not None else None, "cameo": cameo, "root": cameo[:2],
        "negated": negated, "hedged": hedged,
        "date": {"value": date, "precision": precision if date else "unknown", "basis": "text"},
    }


def _gold_ev(src, tgt, cameo, *, root=None, year=None, negated=False, hedged=False, note=None) -> dict:
    ev = {"source": src, "target": tgt, "cameo": cameo, "year": year, "negated": negated, "hedged": hedged}
    if root is not None:
        ev["root"] = root
    if note is not None:
        ev["note"] = note
    return ev


def self_test() -> int:
    failures: list[str] = []

    def check(name: str, got: Any, want: Any) -> None:
        if isinstance(want, float):
            ok = isinstance(got, (int, float)) and abs(got - want) < 1e-9
        else:
            ok = got == want
        if not ok:
            failures.append(f"{name}: got {got!r}, want {want!r}")

    with tempfile.TemporaryDirectory() as tmp:
        # Documents: a JSONL corpus (one doc with multi-byte text before the quote, one named "<doc>:<line>")
        # and a directory holding a plain-text file.
        t1 = "Préambule — «x». Greece met Turkey in Athens. Russia attacked Ukraine in 2022."
        t2 = "Spain did not attack France. Spain may attack France. Rebels attacked Chad in the 1990s."
        t3 = "Italy praised Malta. Malta praised Italy."
        corpus = os.path.join(tmp, "corpus.jsonl")
        with open(corpus, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": "d1", "text": t1}) + "\n")
            fh.write("not json\n")
            fh.write(json.dumps({"id": "d2:1", "text": t2}) + "\n")
        sub = os.path.join(tmp, "plain", "inner")
        os.makedirs(sub)
        with open(os.path.join(sub, "d3.txt"), "w", encoding="utf-8") as fh:
            fh.write(t3)

        b1, b2, b3 = t1.encode(), t2.encode(), t3.encode()

        def span(b: bytes, sent: str) -> list[int]:
            s = b.find(sent.encode())
            assert s >= 0, sent
            return [s, s + len(sent.encode())]

        s_meet = span(b1, "Greece met Turkey in Athens.")
        s_attack = span(b1, "Russia attacked Ukraine in 2022.")
        s_neg = span(b2, "Spain did not attack France.")
        s_hedge = span(b2, "Spain may attack France.")
        s_decade = span(b2, "Rebels attacked Chad in the 1990s.")
        s_praise1 = span(b3, "Italy praised Malta.")

        gold_lines = [
            # 1. Symmetric root 04 (meet): reversed pair matches. Also a wrong-quad prediction: false positive.
            {"doc": "d1", "line": 1, "quote": "Greece met Turkey",
             "events": [_gold_ev("GRC", "TUR", "042", root="04", year=2020)]},
            # 2. Non-symmetric root 19: reversed pair does not match; correct pair matches (year right).
            #    An unknown-side gold event with quad 4 makes a further quad-4 prediction neutral.
            {"doc": "d1", "line": 1, "quote": "Russia attacked Ukraine",
             "events": [_gold_ev("RUS", "UKR", "190", year=2022),
                        _gold_ev("---", "UKR", "190", year=2022),
                        _gold_ev("RUS", None, "173")]},
            # 3. Negated gold: a negated prediction gets modality right; doc resolved as "d2:1".
            {"doc": "d2", "line": 1, "quote": "Spain did not attack France",
             "events": [_gold_ev("ESP", "FRA", "190", negated=True)]},
            # 4. Hedged gold: an asserted prediction that fits is a modality error (and modality wrong).
            {"doc": "d2", "line": 1, "quote": "Spain may attack France",
             "events": [_gold_ev("ESP", "FRA", "190", hedged=True)]},
            # 5. Decade: gold 1990 with "decade" note, predicted 1994 -> right; second gold event predicted with
            #    precision decade 1990 while gold says 1997 -> right.
            {"doc": "d2", "line": 1, "quote": "Rebels attacked Chad",
             "events": [_gold_ev("SDN", "TCD", "190", year=1990, note="decade: 1990s"),
                        _gold_ev("LBY", "TCD", "190", year=1997)]},
            # 6. Plain-text doc named by file name; two identical predictions, one gold -> 1 match + 1 FP;
            #    root mismatch within the same quad (051 vs gold 04) -> root wrong but still a match.
            {"doc": "d3.txt", "line": 1, "quote": "Italy praised Malta",
             "events": [_gold_ev("ITA", "MLT", "041")]},
            # 7. No-event sentence with no predictions; and a sentence whose quote is missing (counts as missed).
            {"doc": "d3.txt", "line": 1, "quote": "Malta praised Italy", "events": []},
            {"doc": "d3.txt", "line": 1, "quote": "This quote is absent",
             "events": [_gold_ev("ITA", "FRA", "010")]},
        ]
        gold_path = os.path.join(tmp, "gold.jsonl")
        with open(gold_path, "w", encoding="utf-8") as fh:
            for g in gold_lines:
                fh.write(json.dumps(g, ensure_ascii=False) + "\n")

        preds = [
            _pred("d1", s_meet, "TUR", "GRC", "043", date="2020-05"),      # match (reversed, symmetric), root 04 ok
            _pred("d1", s_meet, "GRC", "TUR", "190"),                      # FP: wrong quad
            _pred("d1", s_attack, "UKR", "RUS", "190", date="2022"),       # FP? reversed non-symmetric -> check neutral:
                                                                           #   quad 4 equals unknown-side gold -> neutral
            _pred("d1", s_attack, "RUS", "UKR", "193", date="2022-02-24"), # match, root 19 ok, year ok
            _pred("d1", s_attack, "RUS", "UKR", "112"),                    # quad 3: no unknown-side gold of quad 3 -> FP
            _pred("d2:1", s_neg, "ESP", "FRA", "190", negated=True),       # flagged, right negation -> modality right
            _pred("d2:1", s_hedge, "ESP", "FRA", "190"),                   # asserted fits hedged gold -> modality error
            _pred("d2:1", s_hedge, "ESP", "FRA", "190", hedged=True),      # flagged, but asserted exists -> still wrong
            _pred("d2:1", s_decade, "SDN", "TCD", "190", date="1994"),     # match, decade note -> year right
            _pred("d2:1", s_decade, "LBY", "TCD", "183", date="1990", precision="decade"),  # match, root wrong, year right
            _pred("d3.txt", s_praise1, "ITA", "MLT", "051"),               # match, root wrong
            _pred("d3.txt", s_praise1, "ITA", "MLT", "051"),               # FP: gold already matched
            _pred("d3.txt", [s_praise1[1], len(b3)], "MLT", "ITA", "051"),  # sentence 7 (no events): FP
            _pred("dX", [0, 100], "ITA", "MLT", "051"),                    # unknown document: belongs to nothing
        ]
        pred_path = os.path.join(tmp, "pred.jsonl")
        with open(pred_path, "w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(p) + "\n")

        docs = load_docs([corpus, os.path.join(tmp, "plain")])
        check("docs loaded", sorted(docs), ["d1", "d2:1", "d3.txt"])
        res = score(load_gold([gold_path]), docs, load_predictions(pred_path))

        # matches: s1 1, s2 1, s5 2, s6 1 = 5
        check("matches", res["matches"], 5)
        # FPs: s1 wrong quad, s2 quad-3, s6 duplicate, s7 one = 4
        check("false_positives", res["false_positives"], 4)
        check("modality_errors", res["modality_errors"], 1)
        check("neutral", res["neutral"], 1)
        # counted asserted gold: s1 1, s2 1 (RUS-UKR), s5 2, s6 1, missing-quote 1 = 6
        check("counted_gold", res["counted_gold"], 6)
        check("precision", res["precision"], 5 / 10)
        check("recall", res["recall"], 5 / 6)
        check("f1", res["f1"], 2 * 0.5 * (5 / 6) / (0.5 + 5 / 6))
        # roots: s1 04==04 yes, s2 19 yes, s5 19 yes / 18 no, s6 05 vs 04 no -> 3/5
        check("root_accuracy", res["root_accuracy"], 3 / 5)
        # years: s1 2020 ok, s2 2022 ok, s5 1994 in decade 1990 ok, 1997 in pred decade 1990 ok -> 4/4
        check("year_total", res["year_total"], 4)
        check("year_accuracy", res["year_accuracy"], 1.0)
        # modality: negated gold right, hedged gold wrong -> 1/2
        check("modality_total", res["modality_total"], 2)
        check("modality_accuracy", res["modality_accuracy"], 0.5)
        check("unresolved", len(res["unresolved"]), 1)
        check("predictions_in_sentences", res["predictions_in_sentences"], 13)
        skipped = score(load_gold([gold_path]), docs, load_predictions(pred_path), skip_unresolved=True)
        check("skip-unresolved counted_gold", skipped["counted_gold"], 5)
        check("skip-unresolved recall", skipped["recall"], 1.0)
        check("skip-unresolved sentences", skipped["sentences"], 7)

        # Unit checks of the rules.
        check("quad 05", quad_of_root("05"), 1)
        check("quad 06", quad_of_root("06"), 2)
        check("quad 08", quad_of_root("08"), 2)
        check("quad 09", quad_of_root("09"), 3)
        check("quad 13", quad_of_root("13"), 3)
        check("quad 14", quad_of_root("14"), 4)
        check("quad 20", quad_of_root("20"), 4)
        g06 = GoldEvent.from_json(_gold_ev("ISR", "USA", "061"))
        g07 = GoldEvent.from_json(_gold_ev("ISR", "USA", "070"))
        g02 = GoldEvent.from_json(_gold_ev("ISR", "USA", "020"))
        rev06 = pred_from_json(_pred("d", [0, 1], "USA", "ISR", "064"), 0)
        rev07 = pred_from_json(_pred("d", [0, 1], "USA", "ISR", "070"), 0)
        rev02 = pred_from_json(_pred("d", [0, 1], "USA", "ISR", "020"), 0)
        check("root 06 symmetric", fits(rev06, g06), True)
        check("root 07 not symmetric", fits(rev07, g07), False)
        check("root 02 not symmetric", fits(rev02, g02), False)
        # Gold root field wins over its cameo; gold with root 03 via field only.
        g_field = GoldEvent.from_json(_gold_ev("ISR", "USA", "150", root="03"))
        check("root field wins", (g_field.root, g_field.quad), ("03", 1))
        check("root from cameo", GoldEvent.from_json(_gold_ev("A", "B", "1823")).root, "18")
        # Decade rules directly.
        gd = GoldEvent.from_json(_gold_ev("A", "B", "190", year=1990, note="decade"))
        check("decade upper bound", year_right(gd, pred_from_json(_pred("d", [0, 1], "A", "B", "190", date="1999"), 0)), True)
        check("decade out", year_right(gd, pred_from_json(_pred("d", [0, 1], "A", "B", "190", date="2000"), 0)), False)
        g95 = GoldEvent.from_json(_gold_ev("A", "B", "190", year=1995))
        check("no decade, different year", year_right(g95, pred_from_json(_pred("d", [0, 1], "A", "B", "190", date="1990"), 0)), False)
        check("pred decade", year_right(g95, pred_from_json(_pred("d", [0, 1], "A", "B", "190", date="1990", precision="decade"), 0)), True)
        check("null pred year", year_right(g95, pred_from_json(_pred("d", [0, 1], "A", "B", "190"), 0)), False)
        # Empty input: all ratios 0.
        empty = score([], {}, [])
        check("empty precision", empty["precision"], 0.0)
        check("empty f1", empty["f1"], 0.0)

        # Naming: "<doc>:<line>" only when it exists; byte offset past multi-byte characters.
        s = GoldSentence("g", 1, "d2", 1, "Spain may", [])
        resolve(s, docs)
        check("doc:line naming", (s.doc_name, s.offset), ("d2:1", b2.find(b"Spain may")))
        s = GoldSentence("g", 1, "d1", 1, "Greece met", [])
        resolve(s, docs)
        check("doc fallback + byte offset", (s.doc_name, s.offset), ("d1", t1.encode().find(b"Greece met")))
        check("byte offset differs from char offset", s.offset != t1.find("Greece met"), True)

    if failures:
        for f in failures:
            print(f"FAIL {f}", file=sys.stderr)
        print(f"self-test: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("self-test: ok", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score predicted events against gold annotations (schema/gold.md).")
    ap.add_argument("--gold", nargs="+", metavar="GOLD.jsonl")
    ap.add_argument("--docs", nargs="+", metavar="DOCS", help="JSONL files, plain-text files or directories")
    ap.add_argument("--predictions", metavar="PRED.jsonl")
    ap.add_argument("--details", action="store_true", help="add a per-sentence breakdown under 'details'")
    ap.add_argument("--skip-unresolved", action="store_true",
                    help="leave out gold sentences whose document or quote is not found (default: count them as missed)")
    ap.add_argument("--self-test", action="store_true", help="run the built-in checks and exit")
    args = ap.parse_args(argv)

    if args.self_test:
        return self_test()
    if not args.gold or not args.docs or not args.predictions:
        ap.error("--gold, --docs and --predictions are required (or --self-test)")

    docs = load_docs(args.docs)
    gold = load_gold(args.gold)
    preds = load_predictions(args.predictions)
    result = score(gold, docs, preds, want_details=args.details, skip_unresolved=args.skip_unresolved)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
