"""What each indicator of a report is compared with: its own latest earlier comparable figure.

An indicator is compared with the latest earlier report's row of the same service and ref
that shares something to compare (a rating on G > GA > RA > R, a below-target flag, or an
Improving/Worsening direction), whichever report that is, not only the service's report
just before; else, or when it is later, with the previous result its own report prints
(``previous_raw`` for ``previous_period``), judged by the report's own direction of travel
against it. Each comparison says which it is (``basis``), so a list never passes off the
reports' own direction of travel as the dataset's comparison, or the reverse.
"""

from __future__ import annotations

import polars as pl

from barnet_tui.domain.queries import TBC_REF, Frame

EARLIER_REPORT = "earlier report"
PRINTED_PREVIOUS = "previous result printed"
"""``basis``: an earlier report's row, or the previous result the report itself prints."""

RATING_STEPS = {"Green": 0, "Green Amber": 1, "Red Amber": 2, "Red": 3}
"""G > GA > RA > R: a move from Green to Red is three steps down."""
FLIPS = ("Improving", "Worsening")
JUDGED = ("Improving", "Worsening", "Same")
"""A report's direction of travel that judges its result against the previous it prints."""

READ = (
    "service",
    "ref",
    "indicator",
    "period",
    "rag",
    "below_target",
    "dot",
    "result_raw",
    "previous_raw",
    "previous_period",
    "result",
    "previous",
    "polarity",
    "source_line",
)
"""The indicator columns the comparison reads (nothing else is read from Parquet)."""
SIDES = ("indicator", "rag", "below_target", "dot", "result_raw")

PAIRS_SCHEMA = pl.Schema(
    {
        "service": pl.String(),
        "from_period": pl.String(),
        "to_period": pl.String(),
        "since": pl.String(),
    }
)
"""A service's report (``to_period``) to compare, its report before (``from_period``, null
for its first: what ``dropped`` is counted against) and how far back an earlier figure may
be (``since``; null: any)."""


def printed_period(text: pl.Expr) -> pl.Expr:
    """The period a printed previous result is of, in canonical ``2015/16 Q4`` form where it
    names one: a year (``2015/16``: its year end) or a quarter (``Q3 2015/16``); else null."""
    year = text.str.extract(r"^\s*(\d{4}/\d{2})\s*$")
    quarter = text.str.extract_groups(r"^\s*Q([1-4])\s+(\d{4}/\d{2})\s*$")
    return pl.coalesce(
        pl.when(year.is_not_null()).then(pl.concat_str(year, pl.lit(" Q4"))),
        pl.concat_str(quarter.struct.field("2"), pl.lit(" Q"), quarter.struct.field("1")),
    )


def _against_figures() -> pl.Expr:
    """Whether a row's direction of travel (Improving / Worsening) says the opposite of its
    result against the previous result it prints, by its polarity: the report disagreeing
    with itself, which a list showing both figures must say."""
    polarity = pl.col("polarity")
    bigger = polarity == "Bigger is Better"
    up = pl.col("result") > pl.col("previous")
    better = up == bigger
    judged = (
        polarity.is_in(["Bigger is Better", "Smaller is Better"])
        & (pl.col("result") != pl.col("previous"))
        & pl.col("to_dot").is_in(FLIPS)
    )
    return (judged & (better != (pl.col("to_dot") == "Improving"))).fill_null(False)


def _latest_earlier() -> list[pl.Expr]:
    """Over rows sorted by service, ref and period (one a period, numbered ``_at``): the
    number of the latest earlier row of the same ref sharing a figure with this one
    (``_best``: the latest of the latest rated, flagged and Improving/Worsening rows before
    it, of the kinds this row has too), and whether any earlier row exists (``_known``)."""
    group = ["service", "ref"]
    kinds = (
        pl.col("rag").is_in(list(RATING_STEPS)),
        pl.col("below_target").is_not_null(),
        pl.col("dot").is_in(FLIPS),
    )
    candidates = [
        pl.when(kind.fill_null(False)).then(
            pl.when(kind.fill_null(False)).then(pl.col("_at")).forward_fill().shift(1).over(group)
        )
        for kind in kinds
    ]
    return [
        pl.max_horizontal(candidates).alias("_best"),
        pl.col("_at").shift(1).over(group).is_not_null().alias("_known"),
    ]


def _unique(frame: pl.DataFrame) -> pl.DataFrame:
    """A ref printed twice in one report is matched once, as the report first gives it."""
    return frame.sort("source_line").unique(["service", "period", "ref"], keep="first")


LOOK_BACK = 4
"""Earlier reports read whole, newest first, when one report is compared, before the rest are
searched for the indicators still without an earlier figure: most find theirs in the last
few, and a dataset of many years is then not read whole."""

_KINDS = {
    "_rated": pl.col("rag").is_in(list(RATING_STEPS)),
    "_flagged": pl.col("below_target").is_not_null(),
    "_flipped": pl.col("dot").is_in(FLIPS),
}
"""What an earlier row may share with a row to compare (``_latest_earlier``)."""


def _compared_rows(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The rows ``matched`` compares, each ref once a report: the compared services' reports
    up to the latest compared; for one report of a dataset on disk, only the rows its
    comparison can use (``_one_reports_rows``)."""
    services = pairs["service"].unique().implode()
    latest = pairs["to_period"].max()
    rows = indicators.select(READ).filter(
        pl.col("service").is_in(services)
        & (pl.col("period") <= latest)
        & (pl.col("ref") != TBC_REF)
    )
    if isinstance(rows, pl.DataFrame):
        return _unique(rows)
    if pairs["to_period"].n_unique() == 1 and pairs["since"].n_unique() == 1:
        return _one_reports_rows(rows, pairs)
    return _unique(rows.collect())


def _one_reports_rows(rows: pl.LazyFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The rows one report's comparison uses, without reading every earlier report whole:
    the report; its services' reports before (what ``dropped`` is counted against); the
    :data:`LOOK_BACK` latest earlier reports; and, for each indicator still without an
    earlier row of every kind it has (``_KINDS``), the latest earlier row of each kind,
    found by one grouped read of the rest. The latest earlier row of each kind is all
    ``_latest_earlier`` takes from the past, so its answers are those of reading it all."""
    period, since = pairs["to_period"][0], pairs["since"][0]
    earlier = rows.filter(pl.col("period") < period)
    if since is not None:
        earlier = earlier.filter(pl.col("period") >= since)
    periods = earlier.select(pl.col("period").unique()).collect(engine="streaming")["period"]
    newest = sorted(periods.drop_nulls(), reverse=True)
    before = pairs.drop_nulls("from_period").select("service", period="from_period")
    report = _unique(rows.filter(pl.col("period") == period).collect())
    held = [
        report,
        _unique(
            earlier.filter(pl.col("period").is_in(before["period"].unique().implode()))
            .join(before.lazy(), on=["service", "period"], how="semi")
            .collect()
        ),
    ]
    read: list[pl.DataFrame] = [report.clear()]  # the earlier reports read, newest first
    now = report.select("service", "ref", *(kind.alias(name) for name, kind in _KINDS.items()))
    for index, shown in enumerate(newest):
        found = pl.concat(read).select(
            "service", "ref", *(kind.alias(name) for name, kind in _KINDS.items())
        )
        seen = found.group_by("service", "ref").agg(pl.all().any(), _any=pl.lit(True))
        missing = now.join(seen, on=["service", "ref"], how="left", suffix="_seen").filter(
            pl.col("_any").is_null()
            | pl.any_horizontal(pl.col(name) & ~pl.col(f"{name}_seen") for name in _KINDS)
        )
        if missing.is_empty():
            break
        if index == LOOK_BACK:
            rest = earlier.filter(
                (pl.col("period") <= shown) & pl.col("ref").is_in(missing["ref"].implode())
            ).join(missing.select("service", "ref").lazy(), on=["service", "ref"], how="semi")
            latest = rest.group_by("service", "ref").agg(
                pl.col("period").max().alias("_any"),
                *(pl.col("period").filter(kind).max().alias(name) for name, kind in _KINDS.items()),
            )
            wanted = (
                latest.collect(engine="streaming")
                .unpivot(index=["service", "ref"], value_name="period")
                .select("service", "ref", "period")
                .drop_nulls()
                .unique()
            )
            keys = ["service", "ref", "period"]
            held.append(
                _unique(
                    rest.filter(pl.col("period").is_in(wanted["period"].unique().implode()))
                    .join(wanted.lazy(), on=keys, how="semi")
                    .collect()
                )
            )
            break
        still = missing.select("service", "ref").lazy()  # only what is still missing
        shown_rows = earlier.filter(pl.col("period") == shown)
        read.append(_unique(shown_rows.join(still, on=["service", "ref"], how="semi").collect()))
    return _unique(pl.concat([*held, *read]))


def matched(indicators: Frame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each ref of each compared report (``now``) beside what it is compared with
    (``from_*``, ``basis``, null when nothing), with ``fresh`` for a ref no earlier report
    and no previous result printed gives; then each ref of the service's report before that
    the report no longer gives (``was`` without ``now``)."""
    frame = _compared_rows(indicators, pairs)
    since = pairs.group_by("service").agg(pl.col("since").first())
    frame = (
        frame.join(since, on="service", how="left")
        .filter(pl.col("since").is_null() | (pl.col("period") >= pl.col("since")))
        .drop("since")
        .sort("service", "ref", "period")
        .with_row_index("_at")
        .with_columns(_latest_earlier())
    )  # one pass over the rows, whatever the number of reports compared
    keys = ["service", "ref", "to_period"]
    now = frame.join(pairs, left_on=["service", "period"], right_on=["service", "to_period"])
    now = now.select(
        "service", "ref", "from_period", "since", "_best", "_known",
        *(pl.col(name).alias(f"to_{name}") for name in SIDES),
        "previous_raw", "previous_period", "result", "previous", "polarity",
        to_period="period",
    )  # fmt: skip
    best = frame.select(
        "_at", *(pl.col(name).alias(f"from_{name}") for name in SIDES), compared_period="period"
    )
    joined = now.join(best, left_on="_best", right_on="_at", how="left").with_columns(
        known=pl.when(pl.col("_known")).then(pl.lit(True))
    )
    printed_at = printed_period(pl.col("previous_period"))
    printed = pl.col("previous_raw").is_not_null() & pl.col("to_dot").is_in(JUDGED)
    use_printed = printed & (
        pl.col("compared_period").is_null()
        | (printed_at.is_not_null() & (printed_at > pl.col("compared_period")))
    )
    joined = joined.with_columns(use_printed=use_printed.fill_null(False))
    report = pl.col("compared_period").is_not_null() & ~pl.col("use_printed")
    joined = joined.with_columns(
        basis=pl.when(pl.col("use_printed"))
        .then(pl.lit(PRINTED_PREVIOUS))
        .when(report)
        .then(pl.lit(EARLIER_REPORT)),
        # A printed previous is of the period it names ("2015/16"), as printed.
        from_period=pl.when(pl.col("use_printed"))
        .then(pl.coalesce("previous_period", pl.lit("before")))
        .when(report)
        .then(pl.col("compared_period"))
        .otherwise(pl.col("from_period")),
        **{
            f"from_{name}": pl.when(report).then(pl.col(f"from_{name}"))
            for name in ("rag", "below_target", "dot")
        },
        from_indicator=pl.when(report).then(pl.col("from_indicator")),
        from_result_raw=pl.when(pl.col("use_printed"))
        .then(pl.col("previous_raw"))
        .when(report)
        .then(pl.col("from_result_raw")),
        fresh=pl.col("known").is_null()
        & ~pl.col("use_printed")
        & (pl.col("previous_raw").is_null() | (pl.col("to_dot") == "New").fill_null(False)),
        now=pl.lit(True),
        was=pl.col("known").fill_null(False),
        direction_disputed=pl.col("use_printed") & _against_figures(),
    )
    current = joined.select(
        "service", "ref", "from_period", "to_period", "basis", "fresh", "was", "now",
        "direction_disputed",
        *(f"from_{name}" for name in SIDES), *(f"to_{name}" for name in SIDES),
    )  # fmt: skip
    before = frame.join(
        pairs.filter(pl.col("from_period").is_not_null()),
        left_on=["service", "period"],
        right_on=["service", "from_period"],
    )
    dropped = before.join(now.select("service", "ref", "to_period"), on=keys, how="anti").select(
        "service", "ref", "to_period",
        *(pl.col(name).alias(f"from_{name}") for name in SIDES),
        from_period="period", basis=pl.lit(None, pl.String), fresh=pl.lit(False),
        was=pl.lit(True), now=pl.lit(False),
    )  # fmt: skip
    return pl.concat([current, dropped], how="diagonal_relaxed")
