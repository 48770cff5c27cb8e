"""The bench-web report parses locust's stats CSV and divides by the trivial view (ADR 0740)."""

from __future__ import annotations

from bench.web.report import markdown, parse_stats

HEADER = (
    '"Type","Name","Request Count","Failure Count","Median Response Time",'
    '"Average Response Time","Min Response Time","Max Response Time","Average Content Size",'
    '"Requests/s","Failures/s","50%","66%","75%","80%","90%","95%","98%","99%","99.9%",'
    '"99.99%","100%"'
)
STATS = "\n".join(
    [
        HEADER,
        "GET,trivial,100,0,10,11,5,40,20,5.0,0.0,10,11,12,13,15,20,25,30,40,40,40",
        "GET,register list,50,1,80,90,40,400,30000,2.5,0.05,80,90,95,100,120,160,200,240,400,400,400",
        ",Aggregated,150,1,20,30,5,400,10000,7.5,0.05,20,30,40,50,80,120,150,200,400,400,400",
    ]
)


def test_parse_keeps_pages_and_drops_the_aggregate():
    rows = parse_stats(STATS)
    assert set(rows) == {"trivial", "register list"}
    page = rows["register list"]
    assert (page.requests, page.failures) == (50, 1)
    assert (page.p50, page.p95, page.p99, page.rps) == (80.0, 160.0, 240.0, 2.5)


def test_markdown_shows_ratios_to_the_trivial_view_at_each_level():
    table = markdown({10: parse_stats(STATS), 1: parse_stats(STATS)})
    lines = table.splitlines()
    assert lines[0].startswith("| page | users |")
    assert lines[2].startswith("| trivial | 1 |")  # levels in order, trivial first
    assert "| register list | 1 | 50 (1) | 80 (8.0×) | 160 (8.0×) | 240 (8.0×) | 2.5 |" in lines
    assert "| trivial | 10 | 100 (0) | 10 (1.0×) | 20 (1.0×) | 30 (1.0×) | 5.0 |" in lines


def test_markdown_without_a_trivial_view_shows_no_ratio():
    rows = parse_stats(STATS)
    del rows["trivial"]
    assert "| register list | 1 | 50 (1) | 80 (–) | 160 (–) | 240 (–) | 2.5 |" in markdown(
        {1: rows}
    )


def test_one_user_of_each_persona_is_a_level_of_its_own_before_ten_users():
    """At one user each persona runs alone (one locust user is one persona), each with the
    trivial view of its own run."""
    police = parse_stats(STATS)
    slower = {
        name: row.__class__(**{**row.__dict__, "p50": row.p50 * 2}) for name, row in police.items()
    }
    table = markdown({"10": parse_stats(STATS), "1 (police)": police, "1 (MASH)": slower})
    lines = table.splitlines()
    assert [line.split(" | ")[1] for line in lines[2:]] == ["1 (MASH)"] * 2 + ["1 (police)"] * 2 + [
        "10"
    ] * 2
    # Each run's page divided by that run's trivial view.
    assert (
        "| register list | 1 (MASH) | 50 (1) | 160 (8.0×) | 160 (8.0×) | 240 (8.0×) | 2.5 |"
        in lines
    )
