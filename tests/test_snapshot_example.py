"""The example site's whole output, byte for byte, against tests/snapshots/example/.

Pelican's samples and Zola's snapshots: any change to what ssg writes shows up here as a
diff to review. After an intended change, rewrite the snapshot with
`.venv/bin/python -m pytest tests/test_snapshot_example.py --update-snapshots` and commit it
with the change.
"""

from __future__ import annotations

import difflib
import io
import shutil
from pathlib import Path

import pytest
from conftest import REPO, build_site, copy_example_site
from PIL import Image

SNAPSHOT = REPO / "tests" / "snapshots" / "example"
SHOWN_DIFFS = 3  # files whose diff the failure message shows
SHOWN_LINES = 60  # lines of each diff


def output_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` (dot files too), by its path relative to `root`."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` with each PNG (share images) as its pixels and palette: another zlib build
    compresses the same image to other bytes."""
    return {rel: pixels(data) if rel.endswith(".png") else data for rel, data in files.items()}


def pixels(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        header = f"{image.mode} {image.size}\n".encode()
        return header + bytes(image.getpalette() or []) + image.tobytes()


def build_example(tmp_path: Path) -> dict[str, bytes]:
    site = copy_example_site(tmp_path / "site")
    build_site(site)  # at conftest.BUILD_TIME, so dates in feeds and pages are fixed
    return output_files(site / "output")


def file_diff(rel: str, expected: bytes, actual: bytes) -> str:
    try:
        old, new = expected.decode("utf-8"), actual.decode("utf-8")
    except UnicodeDecodeError:
        return f"{rel}: binary file differs ({len(expected)} -> {len(actual)} bytes)"
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"snapshot/{rel}",
            f"output/{rel}",
        )
    )
    cut = [f"... {len(lines) - SHOWN_LINES} more lines\n"] if len(lines) > SHOWN_LINES else []
    return "".join(lines[:SHOWN_LINES] + cut)


def snapshot_report(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """What differs, readably: missing and extra files, then the first files' diffs."""
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    changed = sorted(rel for rel in expected.keys() & actual.keys() if expected[rel] != actual[rel])
    parts = [
        f"missing from the output ({len(missing)}): {missing}",
        f"not in the snapshot ({len(extra)}): {extra}",
        f"different ({len(changed)}): {changed}",
    ]
    parts += [file_diff(rel, expected[rel], actual[rel]) for rel in changed[:SHOWN_DIFFS]]
    parts.append("If the change is intended, rerun with --update-snapshots and commit.")
    return "\n".join(parts)


def write_snapshot(files: dict[str, bytes]) -> None:
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    for rel, data in files.items():
        path = SNAPSHOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_example_site_output_matches_the_snapshot(tmp_path: Path, update_snapshots: bool) -> None:
    actual = build_example(tmp_path)
    if update_snapshots:
        write_snapshot(actual)
    expected = output_files(SNAPSHOT)
    if comparable(expected) != comparable(actual):
        pytest.fail(snapshot_report(expected, actual), pytrace=False)


def test_two_builds_of_the_example_site_are_byte_identical(tmp_path: Path) -> None:
    first, second = build_example(tmp_path / "a"), build_example(tmp_path / "b")
    if first != second:
        pytest.fail(snapshot_report(first, second), pytrace=False)


def test_the_report_names_missing_extra_and_changed_files() -> None:
    report = snapshot_report(
        {"a.html": b"<p>1</p>\n", "gone.html": b"x"},
        {"a.html": b"<p>2</p>\n", "new.html": b"y"},
    )
    assert "missing from the output (1): ['gone.html']" in report
    assert "not in the snapshot (1): ['new.html']" in report
    assert "-<p>1</p>\n+<p>2</p>" in report
