"""Each step of the one date decision (`extractor.date_decision`), on evidence built by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from extractor.date_decision import Candidate, DateEvidence, decide, declared

UNDATED_URL = "https://news.example.com/harbour-wall"
_CET = timezone(timedelta(hours=1))


def _c(text: str, source: str = "meta") -> Candidate:
    return Candidate(datetime.fromisoformat(text), source, text)


def _published(evidence: DateEvidence) -> tuple[datetime, str] | None:
    found = decide(evidence).published
    return (found.value, found.source) if found is not None else None


# step 1: declared ---------------------------------------------------------------------------


def test_the_first_declared_date_wins() -> None:
    evidence = DateEvidence(UNDATED_URL, published=[_c("2023-11-06", "og"), _c("2023-11-03")])
    assert _published(evidence) == (datetime(2023, 11, 6), "og")


def test_a_utc_date_takes_its_local_twin() -> None:
    twin = _c("2019-10-19T00:04:00+02:00")
    evidence = DateEvidence(UNDATED_URL, published=[_c("2019-10-18T22:04:00+00:00")], twins=[twin])
    found = decide(evidence).published
    assert found is not None and found.value == twin.value and found.value.day == 19


def test_a_twin_of_another_instant_is_not_taken() -> None:
    evidence = DateEvidence(
        UNDATED_URL,
        published=[_c("2019-10-18T12:04:00+00:00")],
        twins=[_c("2019-10-19T00:04:00+02:00")],
    )
    assert _published(evidence) == (datetime(2019, 10, 18, 12, 4, tzinfo=UTC), "meta")


# step 2: permalink --------------------------------------------------------------------------


def test_the_permalink_dates_an_undeclared_page() -> None:
    evidence = DateEvidence("https://x.org/2019/08/02/post", written=[_c("2020-01-01", "text")])
    assert _published(evidence) == (datetime(2019, 8, 2), "url")


def test_the_permalink_wins_over_a_much_later_declared_date() -> None:
    url = "https://blog.example.org/home/2017/7/12/montauk"
    evidence = DateEvidence(url, published=[_c("2019-06-17T18:28:00+02:00")])
    assert _published(evidence) == (datetime(2017, 7, 12), "url")
    assert declared(evidence) == Candidate(datetime(2017, 7, 12), "url")


def test_a_declared_date_days_after_the_permalink_stays() -> None:
    evidence = DateEvidence("https://x.org/2020/02/18/a.html", published=[_c("2020-02-25")])
    assert _published(evidence) == (datetime(2020, 2, 25), "meta")


# steps 3 to 5: written, generic, last change ------------------------------------------------


def test_written_dates_come_before_the_generic_meta_date() -> None:
    evidence = DateEvidence(
        UNDATED_URL, written=[_c("2021-10-13", "text")], generic=_c("2021-10-15")
    )
    assert _published(evidence) == (datetime(2021, 10, 13), "text")


def test_the_generic_meta_date_before_a_last_change_label() -> None:
    evidence = DateEvidence(
        UNDATED_URL, generic=_c("2021-10-15"), updated_label=_c("2022-01-14", "text")
    )
    assert _published(evidence) == (datetime(2021, 10, 15), "meta")
    evidence.generic = None
    assert _published(evidence) == (datetime(2022, 1, 14), "text")


def test_nothing_stated_gives_no_date() -> None:
    assert decide(DateEvidence(UNDATED_URL)) == decide(DateEvidence("https://x.org/a/b"))
    assert decide(DateEvidence(UNDATED_URL)).published is None


# step 6: the shown date against the declared history -----------------------------------------


def _history(
    shown: list[date], source: str = "json-ld", modified_source: str = "json-ld"
) -> DateEvidence:
    return DateEvidence(
        UNDATED_URL,
        published=[_c("2019-10-15T16:59:59+02:00", source)],
        modified=[_c("2020-03-12T14:42:17+02:00", modified_source)],
        shown=shown,
    )


def test_the_modified_day_shown_alone_wins() -> None:
    found = _published(_history([date(2020, 3, 12)]))
    assert found is not None and found[0].date() == date(2020, 3, 12)
    assert found[1] == "json-ld+shown"


def test_a_published_meta_stands_against_a_modified_meta() -> None:
    for source in ("og", "meta"):
        found = _published(_history([date(2020, 3, 12)], source, modified_source=source))
        assert found is not None and (found[0].date(), found[1]) == (date(2019, 10, 15), source)


def test_a_published_meta_gives_way_to_a_declared_json_ld_update_shown() -> None:
    found = _published(_history([date(2020, 3, 12)], "og", modified_source="json-ld"))
    assert found is not None and found[0].date() == date(2020, 3, 12)


def test_the_published_day_shown_keeps_published() -> None:
    found = _published(_history([date(2019, 10, 15), date(2020, 3, 12)]))
    assert found is not None and found[0].date() == date(2019, 10, 15)


def test_an_update_between_the_two_is_the_shown_day() -> None:
    found = _published(_history([date(2020, 1, 5)]))
    assert found == (datetime(2020, 1, 5), "json-ld+shown")


def test_a_shown_date_outside_the_history_dates_something_else() -> None:
    found = _published(_history([date(2021, 6, 1)]))
    assert found is not None and found[0].date() == date(2019, 10, 15)


def test_a_republished_page_takes_the_earlier_shown_day() -> None:
    for source in ("json-ld", "og"):  # a re-release, whatever declared it
        evidence = DateEvidence(
            UNDATED_URL,
            published=[_c("2022-02-01T10:00:00", source)],
            modified=[_c("2022-01-28")],
            shown=[date(2022, 1, 26)],
        )
        assert _published(evidence) == (datetime(2022, 1, 26), "text+shown")


# step 7: the local day ---------------------------------------------------------------------


def test_a_utc_time_a_day_off_the_url_takes_the_url_day() -> None:
    url = "https://blog.example.org/2019/01/01/new-year/"
    evidence = DateEvidence(url, published=[_c("2018-12-31T23:11:59+00:00", "og")])
    assert _published(evidence) == (datetime(2019, 1, 1), "og+day")


def test_the_shown_day_does_not_move_a_utc_time() -> None:
    evidence = DateEvidence(
        UNDATED_URL, published=[_c("2022-05-04T00:53:29+00:00")], shown=[date(2022, 5, 3)]
    )
    assert _published(evidence) == (datetime(2022, 5, 4, 0, 53, 29, tzinfo=UTC), "meta")


def test_a_local_offset_is_never_moved() -> None:
    value = "2020-02-19T18:37:32+01:00"
    evidence = DateEvidence("https://x.org/2020/02/18/story.html", published=[_c(value)])
    assert _published(evidence) == (datetime.fromisoformat(value), "meta")


def test_utc_local_midnight_means_the_next_day() -> None:
    evidence = DateEvidence(UNDATED_URL, published=[_c("2022-11-06T23:00:00+00:00")])
    assert _published(evidence) == (datetime(2022, 11, 7), "meta+day")
    evidence = DateEvidence(UNDATED_URL, published=[_c("2022-11-06T23:04:00+00:00")])
    assert _published(evidence) == (datetime(2022, 11, 6, 23, 4, tzinfo=UTC), "meta")


# step 8: the day shown twice ----------------------------------------------------------------


def _shown_twice(source: str, element: str, headline: date | None) -> DateEvidence:
    return DateEvidence(
        UNDATED_URL,
        published=[_c("2019-03-04T09:00:00+01:00", source)],
        element=_c(element, "dom"),
        headline=headline,
    )


def test_a_json_ld_date_gives_way_to_the_day_shown_twice() -> None:
    evidence = _shown_twice("json-ld", "2021-06-01T08:00:00", date(2021, 6, 1))
    assert _published(evidence) == (datetime(2021, 6, 1), "dom+visible")


def test_one_witness_alone_leaves_the_json_ld_date() -> None:
    for element, headline in (("2021-06-01", date(2021, 6, 2)), ("2021-06-01", None)):
        evidence = _shown_twice("json-ld", element, headline)
        assert _published(evidence) == (datetime(2019, 3, 4, 9, tzinfo=_CET), "json-ld")


def test_a_meta_or_microdata_date_stands_against_the_day_shown_twice() -> None:
    for source in ("og", "meta", "microdata"):
        evidence = _shown_twice(source, "2021-06-01", date(2021, 6, 1))
        assert _published(evidence) == (datetime(2019, 3, 4, 9, tzinfo=_CET), source)


def test_a_day_moved_by_step_7_gives_way_to_the_day_shown_twice() -> None:
    evidence = DateEvidence(
        UNDATED_URL,
        published=[_c("2022-11-06T23:00:00+00:00", "og")],
        element=_c("2022-11-06", "dom"),
        headline=date(2022, 11, 6),
    )
    assert _published(evidence) == (datetime(2022, 11, 6), "dom+visible")


# step 9: order ----------------------------------------------------------------------------


def test_a_modified_date_before_the_published_day_is_dropped() -> None:
    evidence = DateEvidence(
        UNDATED_URL, published=[_c("2021-05-03", "og")], modified=[_c("2021-04-01")]
    )
    assert decide(evidence).modified is None


def test_a_modified_date_after_publication_is_kept() -> None:
    later = _c("2021-05-09T10:00:00+02:00")
    evidence = DateEvidence(
        UNDATED_URL, published=[_c("2021-05-03T08:00:00+02:00", "og")], modified=[later]
    )
    assert decide(evidence).modified == later
    assert decide(DateEvidence(UNDATED_URL, modified=[later])).modified == later
