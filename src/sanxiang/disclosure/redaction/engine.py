"""``redact``: the structured layer, then the detectors, merged into non-overlapping spans."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

from . import detectors, structured
from .normalize import normalize
from .types import REPLACEMENTS, PartyFacts, Redaction, RedactionError, Span

Region = tuple[int, int]
_MARKERS = tuple(REPLACEMENTS.values())
# (start, end, type, source, replacement)
Candidate = tuple[int, int, str, str, str]


@functools.lru_cache(maxsize=4096)
def _needle(value: str) -> str:
    """A kept string as matched (the agency's hotline recurs in every document)."""
    return normalize(value).strip()


def _occurrences(norm: str, values: Sequence[str]) -> list[Region]:
    regions: list[Region] = []
    for value in values:
        needle = _needle(value)
        if not needle:
            continue
        pos = norm.find(needle)
        while pos != -1:
            regions.append((pos, pos + len(needle)))
            pos = norm.find(needle, pos + 1)
    return regions


class _Regions:
    """Sorted, merged regions with an overlap test in O(log n)."""

    def __init__(self, regions: list[Region]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(regions):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [r[0] for r in merged]
        self.ends = [r[1] for r in merged]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.ends, start + 1)
        return index < len(self.starts) and self.starts[index] < end


def _merge(candidates: list[Candidate]) -> list[Span]:
    """Overlapping candidates become one span covering them all, typed after the longest
    (a value the case knows before a detected one of the same length)."""
    spans: list[Span] = []
    candidates.sort(key=lambda c: (c[0], -c[1]))
    index = 0
    while index < len(candidates):
        cluster = [candidates[index]]
        end = candidates[index][1]
        index += 1
        while index < len(candidates) and candidates[index][0] < end:
            cluster.append(candidates[index])
            end = max(end, candidates[index][1])
            index += 1
        start = cluster[0][0]
        if len(cluster) == 1:
            best = cluster[0]
        else:
            best = max(cluster, key=lambda c: (c[1] - c[0], c[3] == "party", c[2] != "name"))
        spans.append(Span(start, end, best[2], best[3], best[4]))
    return spans


def apply_spans(text: str, spans: Sequence[Span]) -> str:
    """The text with each span replaced; the spans must be sorted, non-overlapping and within
    the text (a publisher's adjusted spans are checked, not trusted)."""
    parts: list[str] = []
    pos = 0
    for span in spans:
        if span.start < pos:
            raise RedactionError(
                f"隐去区间 [{span.start}, {span.end}) 与前一区间重叠或未按顺序排列。"
            )
        if span.end > len(text):
            raise RedactionError(f"隐去区间 [{span.start}, {span.end}) 超出正文长度 {len(text)}。")
        parts.append(text[pos : span.start])
        parts.append(span.replacement)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def redact(
    text: str,
    parties: Sequence[PartyFacts] = (),
    *,
    mask_names: bool = True,
    keep: Sequence[str] = (),
) -> Redaction:
    """Redact a decision's text for publication (000 公示办法 第十七条, 第五条).

    ``parties``: what the case knows; their personal values are removed in every format
    (whatever ``keep`` says). ``mask_names``: natural persons' names become 张某 — the
    caller takes it from the profile rule ``disclosure.natural_person_name``. ``keep``:
    exact strings that stay public (the agency's hotline and address, officers'
    certificate numbers …); detectors never remove them, nor the organisations' names,
    USCCs, registered addresses and representatives' names.
    """
    if not isinstance(text, str):
        raise RedactionError(f"待隐去的正文应为字符串，而不是 {type(text).__name__}。")
    parties = tuple(parties)
    for party in parties:
        if not isinstance(party, PartyFacts):
            raise RedactionError(f"当事人信息应为 PartyFacts，而不是 {type(party).__name__}。")
    if isinstance(keep, str):
        raise RedactionError("keep 应为字符串的列表，而不是一个字符串。")
    norm = normalize(text)
    if "已隐去]" in norm:
        # A text redacted before: its markers are neither values nor labels (“[住址已隐去]”
        # is no address, nor does “[联系电话已隐去]” label the number after it).
        for marker in _MARKERS:
            norm = norm.replace(marker, "\n" * len(marker))
    public_strings = [*keep, *(v for p in parties for v in structured.public_values(p))]
    public = _Regions(_occurrences(norm, public_strings))
    titles = _Regions(detectors.title_regions(norm))

    candidates: list[Candidate] = []
    finders = structured.finders_for(parties, mask_names=mask_names)
    skeleton = structured.Skeleton(norm) if finders else None
    for finder in finders:
        assert skeleton is not None
        for start, end in structured.find(finder, norm, skeleton):
            if finder.type == "name" and public.overlaps(start, end):
                continue  # inside an organisation's name or a kept string
            candidates.append((start, end, finder.type, "party", finder.replacement))

    organisations_only = bool(parties) and all(p.is_organisation for p in parties)
    for start, end, kind in detectors.detect(norm, organisations_only=organisations_only):
        if public.overlaps(start, end) or titles.overlaps(start, end):
            continue
        candidates.append((start, end, kind, "detector", REPLACEMENTS[kind]))

    spans = _merge(candidates)
    return Redaction(text=apply_spans(text, spans), spans=tuple(spans))
