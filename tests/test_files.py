"""Writing output files: folders made when missing, contents replaced, links or copies."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ssg.files import link_or_copy, write_file


def test_a_file_in_missing_folders_is_written_with_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "2025" / "11" / "20" / "a" / "index.html"
    write_file(path, "<p>円安</p>".encode())
    assert path.read_bytes() == "<p>円安</p>".encode()


def test_writing_replaces_a_longer_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_bytes(b"x" * 100)
    write_file(str(path), b"short")
    assert path.read_bytes() == b"short"


def test_a_write_the_system_cuts_short_is_continued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: write(fd, data[:1000]))
    data = os.urandom(5555)
    write_file(tmp_path / "big.bin", data)
    assert (tmp_path / "big.bin").read_bytes() == data


def test_a_link_shares_the_source_file_and_makes_its_folders(tmp_path: Path) -> None:
    source = tmp_path / "cache" / "a.png"
    source.parent.mkdir()
    source.write_bytes(b"png")
    link_or_copy(source, tmp_path / "out" / "share" / "a.png")
    assert os.path.samefile(source, tmp_path / "out" / "share" / "a.png")


def test_where_links_cannot_be_made_the_file_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    source = tmp_path / "a.png"
    source.write_bytes(b"png")
    monkeypatch.setattr(os, "link", no_links)
    link_or_copy(source, tmp_path / "out" / "a.png")
    assert (tmp_path / "out" / "a.png").read_bytes() == b"png"
    assert not os.path.samefile(source, tmp_path / "out" / "a.png")


def test_a_missing_source_is_an_error_and_makes_no_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        link_or_copy(tmp_path / "gone.png", tmp_path / "out" / "a.png")
    assert not (tmp_path / "out").exists()
