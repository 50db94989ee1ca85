"""A page's publication and last-change dates, decided in one ordered pass over what it states.

Both engines gather `DateEvidence` (the HTML engine from its metadata, markup and text, the
text engine from the header of its dump) and call `decide`; every value was read by the one
parser, `extractor.dates`, which rejects dates before the web and in the future. The steps, in
order (the functions named say more; docs/extraction.md "Dates (both engines)" too):

1. `_declared`: the first declared publication date, in the engine's order of trust (HTML:
   explicit published <meta> (`article:published_time`...), JSON-LD `datePublished` /
   `dateCreated`, microdata, the markup's date elements (`<time>`, `.published`...)). A UTC
   value is replaced by the same instant written with the site's own offset when the page
   gives both (the local day is the one the page states).
2. `_permalink`: a full date in the URL (`/2017/07/12/`) when nothing is declared, and also
   when the declared date is over `REPUBLISHED_DAYS` later (a permalink keeps the day of first
   publication; a site move or re-import rewrites the metadata).
3. `_written`: the first date written in the text, in the engine's order (HTML: next to the
   headline, else after a "Published" label; the text engine: its byline and header lines).
4. A bare `<meta name="date">` (`generic`: often the page's build or last change, so late).
5. A last-change label (`updated_label`, "Last edited 2019-11-10"): a wiki's only date. (The
   declared modified date is not used so: on WCXB dev it dated 30 pages that have no date.)
6. `_shown`: the published date against the day shown next to the headline, when a modified
   date gives the page a history: the page shows the date it stands by. A published <meta>
   stands against a modified <meta> (a CMS stamps both); a re-release shows its first day.
7. `_local_day`: a UTC timestamp a day off the URL's day, or at 21:00-23:00 UTC exactly (a
   local midnight east of UTC), is moved to the local day.
8. `_visible`: a date from JSON-LD alone, or one step 7 moved, gives way to the day the page
   shows twice: its date element (`<time>`, `.published`...) and the first date written
   after the headline agree on another day (the day a reader sees; structured data alone is
   often an import's).
9. `_ordered`: the last change is never before the publication: a modified date earlier than
   the decided published date is dropped (it dates an earlier version or another object).

The modified date is the first declared one (JSON-LD `dateModified`, `<meta>`, microdata).
Each decided date carries its source (`json-ld`, `og`, `meta`, `microdata`, `dom`, `text`,
`url`), with `+shown`, `+day` or `+visible` when step 6, 7 or 8 changed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from extractor.dates import date_from_url

__all__ = ["REPUBLISHED_DAYS", "Candidate", "DateEvidence", "DecidedDates", "decide", "declared"]

REPUBLISHED_DAYS = 30
_EXPLICIT = frozenset({"og", "meta"})  # a date from <meta>: stamped by the site's CMS
_TWIN_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Candidate:
    """A date a page states, where it was read (`source`) and the text it was read from."""

    value: datetime
    source: str
    raw: str | None = None


@dataclass(slots=True)
class DateEvidence:
    """What a page states about its dates, gathered by an engine; each list in its order."""

    url: str
    published: list[Candidate] = field(default_factory=list)  # declared, most trusted first
    modified: list[Candidate] = field(default_factory=list)  # declared, most trusted first
    twins: list[Candidate] = field(default_factory=list)  # other <meta> dates (step 1)
    written: list[Candidate] = field(default_factory=list)  # step 3: labelled, then near title
    generic: Candidate | None = None
    updated_label: Candidate | None = None
    shown: list[date] = field(default_factory=list)  # after the headline, then nearest before
    element: Candidate | None = None  # the markup's first date element, declared date or not
    headline: date | None = None  # the first day written after the headline (step 8)


@dataclass(frozen=True, slots=True)
class DecidedDates:
    published: Candidate | None
    modified: Candidate | None


def decide(evidence: DateEvidence) -> DecidedDates:
    """The published and modified dates, by the steps of the module docstring."""
    modified = evidence.modified[0] if evidence.modified else None
    published = declared(evidence)
    published = published or _written(evidence)
    published = published or evidence.generic
    published = published or evidence.updated_label
    if published is not None:
        published = _shown(published, modified, evidence.shown)
        published = _local_day(published, evidence.url)
        published = _visible(published, evidence)
    return DecidedDates(published, _ordered(published, modified))


def declared(evidence: DateEvidence) -> Candidate | None:
    """Steps 1 and 2: the date the page declares, or its permalink's (what the page states
    before its text is read)."""
    return _permalink(_declared(evidence), evidence.url)


def _declared(evidence: DateEvidence) -> Candidate | None:
    """Step 1: the first declared date; a UTC one written again with a local offset (the
    same instant within a minute, `2019-10-18T22:04Z` and `Sat, 19 Oct 2019 00:04 +0200`)
    becomes the local one."""
    if not evidence.published:
        return None
    first = evidence.published[0]
    if first.value.utcoffset() != timedelta(0):
        return first
    for other in evidence.twins:
        offset = other.value.utcoffset()
        if offset and abs((other.value - first.value).total_seconds()) <= _TWIN_SECONDS:
            return replace(first, value=other.value, raw=other.raw)
    return first


def _permalink(published: Candidate | None, url: str) -> Candidate | None:
    """Step 2: the URL's date when nothing is declared, or when the declared date is over
    `REPUBLISHED_DAYS` after it."""
    found = date_from_url(url)
    if found is None:
        return published
    if published is None or (_naive(published.value) - found).days > REPUBLISHED_DAYS:
        return Candidate(found, "url")
    return published


def _written(evidence: DateEvidence) -> Candidate | None:
    """Step 3: the first date written in the text, in the engine's order."""
    return evidence.written[0] if evidence.written else None


def _shown(published: Candidate, modified: Candidate | None, shown: list[date]) -> Candidate:
    """Step 6: the day shown next to the headline, when the declared dates disagree with it.

    An explicit published <meta> (`article:published_time`, `pubdate`...) and a modified
    <meta> are stamped together by the site's CMS, the second at every save: between those
    two the published date stands, whatever the page shows. A published date from structured
    data, or a modified date from JSON-LD (an update the page declares), gives the page a
    history the shown day decides. (Against applying it to every page: WCXB dev +18 pages,
    trafilatura-eval -2.)

    - Published and modified on different days: the article has a history, and the date it
      shows is the one it stands by ("Updated Mar 12, 2020" alone: it was re-issued). The
      first shown day from published to modified wins (a shown date outside that span dates
      something else); none shown, published stays.
    - Published after the last modification: the page was re-published (a CMS resets the
      date on re-release); a shown date before it is the first publication.
    """
    if modified is None or modified.value == published.value:
        return published
    first, last = published.value.date(), modified.value.date()
    if _naive(modified.value) < _naive(published.value):
        if shown and shown[0] < first:
            return Candidate(_midnight(shown[0]), "text+shown")
        return published
    if last == first or (published.source in _EXPLICIT and modified.source != "json-ld"):
        return published
    for day in shown:
        if day == first:
            return published
        if first < day <= last:
            source = modified.source + "+shown"
            if day != last:  # an editorial update, before the last technical save
                return Candidate(_midnight(day), source)
            return replace(modified, source=source)
    return published


def _local_day(published: Candidate, url: str) -> Candidate:
    """Step 7: the publication day as the site states it.

    - A full date in the URL (`/2019/01/01/`) is the site's own local day: a UTC timestamp a
      day off from it crossed midnight when it was converted, so the URL's day wins. (A
      timestamp with a local offset is left alone: it already states the local day, and the
      URL may carry the day the story was created.) The day shown next to the headline is no
      such witness: it is as often the day of an update or of another item.
    - A UTC timestamp at exactly 21:00, 22:00 or 23:00 is a date without a time, stored as
      local midnight in a zone east of UTC (UTC+1 to +3): the next day is meant.
    """
    value = published.value
    if value.utcoffset() != timedelta(0):
        return published
    found = date_from_url(url)
    day = found.date() if found is not None else None
    source = published.source + "+day"
    if day is not None and abs((value.date() - day).days) == 1:
        return Candidate(_midnight(day), source, published.raw)
    if value.hour in (21, 22, 23) and not (value.minute or value.second or value.microsecond):
        moved = value.replace(tzinfo=None) + timedelta(hours=24 - value.hour)
        return Candidate(moved, source, published.raw)
    return published


def _visible(published: Candidate, evidence: DateEvidence) -> Candidate:
    """Step 8: the day the page shows twice, against a date only its structured data gives.

    A JSON-LD `datePublished` that no <meta> confirms (a plugin's, often the import's or the
    draft's day), or a date step 7 moved to a local day, gives way when the page's date
    element and the first day written after the headline agree on another day. Only that
    agreement counts: either alone is as often another item's date (a date shown before the
    headline too). On a date from <meta>, microdata or the text the same agreement breaks more
    pages than it fixes (docs/extraction.md).
    """
    element = evidence.element
    if element is None or evidence.headline is None or not _overridable(published.source):
        return published
    day = element.value.date()
    if day != evidence.headline or day == published.value.date():
        return published
    return Candidate(_midnight(day), "dom+visible", element.raw)


def _overridable(source: str) -> bool:
    return source == "json-ld" or source.endswith("+day")


def _ordered(published: Candidate | None, modified: Candidate | None) -> Candidate | None:
    """Step 9: the modified date, unless it is before the published day."""
    if published is None or modified is None:
        return modified
    return None if modified.value.date() < published.value.date() else modified


def _naive(value: datetime) -> datetime:
    """The wall-clock time as written (pages mix aware and naive values of one instant)."""
    return value.replace(tzinfo=None)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
