"""Month names (full, genitive and usual abbreviations) of the languages the date readers know.

The one month table of both engines: `month_number(name)` for a name found in a page,
`MONTH_PATTERN` to find one (with re.IGNORECASE).
"""

from __future__ import annotations

from extractor.patterns import trie

_RAW: tuple[str, ...] = (
    # en
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    # de
    "januar februar märz april mai juni juli august september oktober november dezember",
    "jänner feber märz apr mai jun jul aug sept okt nov dez",
    "jan feb mrz apr mai jun jul aug sep okt nov dez",
    "januar februar maerz april mai juni juli august september oktober november dezember",
    "jän feb mär apr mai jun jul aug sep okt nov dez",
    # fr
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "janv févr mars avr mai juin juil août sept oct nov déc",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "janv fevr mars avr mai juin juil aoû sept oct nov déc",
    # es
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "ene feb mar abr may jun jul ago setiembre oct nov dic",
    # it
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "gen feb mar apr mag giu lug ago set ott nov dic",
    # pt
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "jan fev mar abr mai jun jul ago set out nov dez",
    # nl, sv, id (those not above)
    "januari februari maart april mei juni juli augustus september oktober november december",
    "jan feb mrt apr mei jun jul aug sep okt nov dec",
    "januari februari mars april maj juni juli augusti september oktober november december",
    "januari februari maret april mei juni juli agustus september oktober november desember",
    # pl (genitive and nominative)
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
    "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik "
    "listopad grudzień",
    # ru (genitive and nominative)
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "янв фев мар апр мая июн июл авг сен окт ноя дек",
    # uk (genitive and nominative)
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "січень лютий березень квітень травень червень липень серпень вересень жовтень "
    "листопад грудень",
    # fi
    "tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu "
    "marraskuu joulukuu",
    # tr
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
)


def _build() -> dict[str, int]:
    months: dict[str, int] = {}
    for row in _RAW:
        for number, name in enumerate(row.split(), start=1):
            months.setdefault(name, number)
    return months


MONTHS: dict[str, int] = _build()
"""lower-case month name or abbreviation -> month number (1-12)."""
MONTH_PATTERN = trie(list(MONTHS))
"""Any name of `MONTHS`, longest first."""


def _fold(name: str) -> str:
    """`name` without case, the Turkish dotted and dotless i made a plain i: re.IGNORECASE
    matches "APRİL" and "MAYIS" against "april" and "mayıs", but `lower()` does not map them
    back to the table's spelling."""
    return name.casefold().replace("\u0307", "").replace("ı", "i")


_FOLDED = {_fold(name): number for name, number in MONTHS.items()}


def month_number(name: str) -> int | None:
    """The month (1-12) a name or abbreviation found in a page stands for, in any case."""
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or _FOLDED.get(_fold(key))
