"""Near-duplicate signatures: copies with small edits look alike, different texts do not."""

from __future__ import annotations

import random

import numpy as np

from shared import dedup

WIRE = (
    "Rescue teams reached the flooded villages in the north of the province on Thursday "
    "after three days of heavy rain cut the only road through the valley, officials said. "
    "About two thousand people spent the night in schools and sports halls, and the regional "
    "government promised emergency payments to families whose homes were damaged. "
    "Forecasters expect the rain to ease over the weekend, but warned that rivers downstream "
    "could keep rising until Monday as water drains from the mountains. "
    "The army sent helicopters to carry food and medicine to hamlets that can only be reached "
    "by air, and engineers began building a temporary bridge near the old mill."
)
OTHER = (
    "The city orchestra announced its new season on Wednesday with a programme built around "
    "forgotten composers of the early twentieth century and three premieres by young writers. "
    "Tickets go on sale next month, and the orchestra will again offer free seats to students "
    "under twenty five at every concert, a scheme that doubled its young audience last year. "
    "The conductor said the season would end with a festival in the park, weather permitting, "
    "and that the hall's long delayed renovation should finally begin in the spring."
)


def similarity(a: str, b: str) -> float:
    return dedup.jaccard(dedup.shingles(a), dedup.shingles(b))


def shared_bands(a: str, b: str) -> int:
    sa, sb = dedup.signature(a), dedup.signature(b)
    assert sa is not None and sb is not None
    return len(set(sa.bands) & set(sb.bands))


def test_a_copy_with_another_header_and_footer_is_a_near_duplicate() -> None:
    copy = f"By Staff Reporter | The Valley Post\n{WIRE}\nCopyright 2024 The Valley Post."
    assert similarity(WIRE, copy) >= 0.8
    assert shared_bands(WIRE, copy) >= dedup.BANDS // 2


def test_small_edits_keep_a_copy_above_the_threshold() -> None:
    edited = WIRE.replace("on Thursday", "on Thursday morning").replace("About", "Around")
    assert similarity(WIRE, edited) >= dedup.JACCARD_THRESHOLD
    assert shared_bands(WIRE, edited) > 0


def test_different_texts_share_nothing() -> None:
    assert similarity(WIRE, OTHER) < 0.05
    assert shared_bands(WIRE, OTHER) == 0


def test_case_and_punctuation_do_not_matter() -> None:
    assert similarity(WIRE, WIRE.upper().replace(",", " ;")) == 1.0


def test_short_texts_get_no_signature() -> None:
    assert dedup.signature("Some body text.") is None
    assert dedup.signature(" ".join(["word"] * (dedup.MIN_WORDS - 1))) is None
    assert dedup.signature(WIRE) is not None


def test_signatures_are_deterministic() -> None:
    first, second = dedup.signature(WIRE), dedup.signature(str(WIRE))
    assert first == second
    assert first is not None and len(first.bands) == dedup.BANDS


def test_the_lsh_bands_find_most_pairs_above_the_threshold() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(2000)]
    base = [rng.choice(vocabulary) for _ in range(400)]
    found = 0
    for _ in range(50):
        # About one word in 40 changed: Jaccard about 0.85.
        copy = [w if rng.random() > 0.025 else rng.choice(vocabulary) for w in base]
        found += shared_bands(" ".join(base), " ".join(copy)) > 0
    assert found >= 48


def test_jaccard_edge_cases() -> None:
    def arr(*values: int) -> dedup.Shingles:
        return np.array(values, dtype=np.uint64)

    assert dedup.jaccard(arr(), arr(1)) == 0.0
    assert dedup.jaccard(arr(1, 2), arr(2, 3)) == 1 / 3


def test_shingles_are_sorted_unique_and_order_sensitive() -> None:
    hashes = dedup.shingles("a b c d a b c d a b c d")
    assert hashes.dtype == np.uint64
    assert list(hashes) == sorted(set(hashes.tolist()))
    assert len(hashes) == 4  # abcd, bcda, cdab, dabc
    assert (
        dedup.jaccard(dedup.shingles("one two three four"), dedup.shingles("four three two one"))
        == 0.0
    )


def test_cluster_key_is_a_stable_u64() -> None:
    key = dedup.cluster_key("abc")
    assert key == dedup.cluster_key("abc") != dedup.cluster_key("abd")
    assert 0 <= key < 2**64


def test_long_texts_hash_like_short_ones() -> None:
    # Past the precomputed powers the hashes are computed the same way.
    long_text = (WIRE + " ") * 200  # about 150 KB
    assert len(long_text.encode()) > 1 << 16
    assert set(dedup.shingles(WIRE).tolist()) <= set(dedup.shingles(long_text).tolist())


class TestEncodedBands:
    """The band terms as an event carries them (`dedup_signature`)."""

    def test_round_trip(self) -> None:
        terms = dedup.bands(WIRE)
        assert terms is not None and len(terms) == dedup.BANDS
        text = dedup.encode(terms)
        assert text.startswith(dedup.SCHEME + ":")
        assert dedup.decode(text) == terms

    def test_terms_of_any_size_keep_16_digits(self) -> None:
        terms = (0, 1, 2**64 - 1) + (12345,) * (dedup.BANDS - 3)
        assert dedup.decode(dedup.encode(terms)) == terms

    def test_anything_else_decodes_to_none(self) -> None:
        good = dedup.encode(dedup.bands(WIRE) or ())
        digits = good.partition(":")[2]
        for value in [
            None, "", digits, "minhash-32x2-v1:" + digits, good[:-1], good + "0",
            good.upper(), good[:-2] + "_0", good[:-2] + " 0", good.replace(":", "::"),
        ]:  # fmt: skip
            assert dedup.decode(value) is None, value

    def test_a_short_text_has_no_bands(self) -> None:
        assert dedup.bands("Too short to compare.") is None
        assert not dedup.comparable("Too short to compare.")
        assert dedup.comparable(WIRE)
