"""``mock-interview bank import FILE`` and ``bank export BANK --format apkg``: Anki and CSV.

Import reads an Anki package (.apkg/.colpkg), an Anki text export or a CSV/TSV table
(:mod:`content.importers`) and writes a Markdown bank with key points; every row or note it
skips is one ``FILE:LINE: message`` line on stderr. Export writes a bank as an Anki package
(:mod:`content.deck_export`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.commands.common import CliError, open_bank


def register_decks(commands: argparse._SubParsersAction) -> None:
    from content.importers import TOPIC_SOURCES

    importing = commands.add_parser(
        "import",
        help="make a bank from an Anki package (.apkg/.colpkg), Anki text export or CSV/TSV",
    )
    importing.add_argument("file", metavar="FILE", help="the deck or table to read")
    importing.add_argument(
        "-o", "--output", metavar="BANK.md", default=None,
        help="where to write the bank (default: FILE's name with .md, in this folder)",
    )  # fmt: skip
    importing.add_argument(
        "--topic-from", choices=TOPIC_SOURCES, default=None,
        help="topics from the Anki deck, the first tag, or a column (default: deck for Anki, "
        "the topic column for tables)",
    )  # fmt: skip
    importing.add_argument("--force", action="store_true", help="overwrite BANK.md if it exists")
    importing.set_defaults(handler=import_file)

    exporting = commands.add_parser("export", help="write a bank as an Anki package (.apkg)")
    exporting.add_argument("bank", metavar="BANK", help="a built-in bank name or a bank file")
    exporting.add_argument("--format", choices=("apkg",), default="apkg", help="apkg (Anki)")
    exporting.add_argument("-o", "--output", metavar="FILE", required=True, help="the .apkg")
    exporting.set_defaults(handler=export_bank)


def import_file(args: argparse.Namespace) -> int:
    from content.importers import DeckError, import_deck, read_deck

    source = Path(args.file).expanduser()
    target = Path(args.output).expanduser() if args.output else Path(source.stem + ".md")
    if target.exists() and not args.force:
        raise CliError(f"{target} exists; choose another with -o or add --force")
    if target.resolve() == source.resolve():
        raise CliError(f"{target} is the file being imported; choose another with -o")
    try:
        read = read_deck(source, args.topic_from)
    except DeckError as error:
        raise CliError(str(error)) from None
    for problem in read.problems:
        sys.stderr.write(f"{problem}\n")
    if not read.cards:
        raise CliError(f"{source}: no question with an answer found; nothing written", 1)
    try:
        report = import_deck(read, target)
    except OSError as error:
        raise CliError(f"cannot write {target}: {error.strerror or error}") from None
    for problem in report.problems:
        sys.stderr.write(f"{problem}\n")
    if report.problems:
        raise CliError(f"{target} was written but does not validate; please report this", 1)
    skipped = f", {len(read.problems)} skipped" if read.problems else ""
    print(
        f"{target}: {_count(report.questions, 'question')} in "
        f"{_count(len(report.topics), 'topic')} from {source.name} ({read.format}){skipped}; "
        f"key points extracted for {report.extracted}"
    )
    if read.media:
        shown = ", ".join(read.media[:5]) + (" …" if len(read.media) > 5 else "")
        print(f"media skipped (text only): {len(read.media)} file(s): {shown}")
    return 0


def export_bank(args: argparse.Namespace) -> int:
    from content.deck_export import export_apkg

    bank = open_bank(getattr(args, "bank", None))
    target = Path(args.output).expanduser()
    try:
        exported = export_apkg(bank, target)
    except OSError as error:
        raise CliError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"{target}: {exported.notes} notes in {len(exported.decks)} decks (Anki package)")
    return 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
