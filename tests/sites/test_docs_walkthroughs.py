"""The walk-throughs of docs/orders.md work as written: every `Try it` block, in the order the
page gives them, run by bash and curl against a live server loaded with `pazar demo`.

What the page shows a reader to expect is checked against what the server answered: the
`key: value` pairs of a `# {…}` comment under (or beside) a command, a `(409)` status after
it, and `stock N, sold_quantity_unreported M` after a stock read. Every other request of the
walk-through must answer 2xx. Identifiers (`pk`, `id`), elided values (`…`) and prose
(`detail`) are the page's illustration, not a promise, and are not compared.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "orders.md"
PASSWORD = "walk-through-password-1"
MARK = "@@pazar-walkthrough@@"
EXPECT = ": expect-"
ILLUSTRATIVE_KEYS = {"pk", "id", "detail"}
INLINE_COMMENT = re.compile(r"^(?P<code>\S.*?)\s{2,}#\s(?P<comment>.*)$")
PAIR = re.compile(r'"(?P<key>\w+)":\s*(?P<value>"[^"]*"|-?\d+(?:\.\d+)?|true|false|null)')
STATUS = re.compile(r"\((?P<status>[1-5]\d\d)\)\s*$")
STOCK = re.compile(r"^stock (?P<stock>\d+), sold_quantity_unreported (?P<unreported>\d+)$")


def walkthrough_blocks(text: str) -> list[str]:
    """The ```sh blocks under each heading that starts with "Try it", in page order."""
    blocks, heading, block = [], "", None
    for line in text.splitlines():
        if block is not None:
            if line.startswith("```"):
                blocks.append("\n".join(block)) if heading.startswith("Try it") else None
                block = None
            else:
                block.append(line)
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("```sh"):
            block = []
    return blocks


def script_and_expectations(blocks: list[str]) -> tuple[str, list[str]]:
    """One bash script, each expectation comment replaced by a marker command after its command."""
    lines, expectations = [], []
    for line in "\n".join(blocks).splitlines():
        stripped = line.strip()
        inline = INLINE_COMMENT.match(line) if not stripped.startswith("#") else None
        if stripped.startswith("# ") and lines and lines[-1].startswith(EXPECT):
            expectations[-1] += " " + stripped[2:]  # a comment continued on the next line
        elif stripped.startswith("# {") or (stripped.startswith("# ") and STATUS.search(line)):
            lines.append(f"{EXPECT}{len(expectations)}")
            expectations.append(stripped[2:])
        elif inline and not inline["code"].rstrip().endswith("\\"):
            lines += [inline["code"], f"{EXPECT}{len(expectations)}"]
            expectations.append(inline["comment"])
        else:
            lines.append(line)
    return "\n".join(lines), expectations


def contains(body, key: str, value) -> bool:
    if isinstance(body, dict):
        return (key in body and body[key] == value) or any(
            contains(v, key, value) for v in body.values()
        )
    if isinstance(body, list):
        return any(contains(item, key, value) for item in body)
    return False


def outputs_by_expectation(output: str) -> tuple[dict[int, tuple[str, list[int]]], list[tuple]]:
    """Per marker, the body and the statuses of the command just before it; every status seen."""
    segments = output.split(f"\n{MARK} ")
    found, every_status, previous = {}, [], None
    for segment in segments[1:]:
        command, _, rest = segment.partition(f"\n{MARK}-output\n")
        statuses = [int(s) for s in re.findall(rf"{MARK}-status (\d+)", rest)]
        body = re.sub(rf"\n?{MARK}-status \d+\n?", "", rest).strip()
        every_status += [(command, status) for status in statuses]
        if command.startswith(EXPECT) and previous is not None:
            found[int(command[len(EXPECT) :])] = previous
        if not command.startswith(EXPECT):
            previous = (body, statuses)
    return found, every_status


@pytest.fixture
def demo_server(transactional_db, live_server, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from pazar.sites.demo import demo_load

    settings.MEDIA_ROOT = str(tmp_path / "media")
    list(demo_load())
    get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    return live_server.url


def test_the_order_walkthroughs_of_docs_orders_md_work_as_written(demo_server):
    blocks = walkthrough_blocks(DOC.read_text())
    assert len(blocks) >= 4, "docs/orders.md lost a walk-through"
    script, expectations = script_and_expectations(blocks)
    assert "<password>" in script
    script = script.replace("http://127.0.0.1:8000", demo_server).replace("<password>", PASSWORD)
    prelude = (
        f'curl() {{ command curl -w "%{{stderr}}\\n{MARK}-status %{{http_code}}\\n" "$@"; }}\n'
        f'trap \'printf "\\n{MARK} %s\\n{MARK}-output\\n" "$BASH_COMMAND"\' DEBUG\n'
    )
    run = subprocess.run(
        ["bash", "-c", prelude + script + "\n: end"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:]
    found, every_status = outputs_by_expectation(run.stdout)
    assert sorted(found) == list(range(len(expectations))), run.stdout[-4000:]

    expected_refusals, compared = 0, 0
    for number, expectation in enumerate(expectations):
        body, statuses = found[number]
        where = f"expectation {number} ({expectation!r}) against {body[:600]!r}"
        if status := STATUS.search(expectation):
            assert statuses == [int(status["status"])], where
            expected_refusals += int(status["status"]) >= 400
        if stock := STOCK.match(expectation):
            row = json.loads(body)["results"][0]
            assert (row["stock"], row["sold_quantity_unreported"]) == (
                int(stock["stock"]), int(stock["unreported"]),
            ), where  # fmt: skip
            compared += 2
            continue
        pairs = [
            (m["key"], json.loads(m["value"]))
            for m in PAIR.finditer(expectation)
            if m["key"] not in ILLUSTRATIVE_KEYS and "…" not in m["value"]
        ]
        if pairs:
            parsed = json.loads(body)
            missing = [(key, value) for key, value in pairs if not contains(parsed, key, value)]
            assert not missing, f"{where}: missing {missing}"
            compared += len(pairs)

    refused = [(command, status) for command, status in every_status if status >= 400]
    assert len(refused) == expected_refusals, refused
    assert len(every_status) > 40
    assert compared > 30, "the walk-throughs show a reader (almost) nothing to expect"
