"""``mock-interview sessions list|show|recover|delete``, ``export`` and ``review``.

Each command opens the history in the data folder (``--data-dir`` or ``MOCK_INTERVIEW_HOME``
choose another), and turns every bad input (unknown id, unwritable output) into a one-line
error with exit code 2; a history that cannot be read or written (damaged, full disk) is a
one-line error with exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator import locations
from simulator.commands import interview
from simulator.commands.common import CliError, print_json, use_data_dir
from simulator.report import FORMATS, render
from simulator.store import Store, StoreError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sessions``, ``export`` and ``review``."""
    sessions = subparsers.add_parser("sessions", help="list, show, recover or delete sessions")
    _data_dir(sessions)
    actions = sessions.add_subparsers(
        title="actions", metavar="ACTION", parser_class=type(sessions)
    )
    sessions.set_defaults(handler=lambda args: _usage(sessions))

    listing = actions.add_parser("list", help="past sessions, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    _data_dir(listing)
    listing.set_defaults(handler=list_sessions)

    show = actions.add_parser("show", help="one session with every answer")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    _data_dir(show)
    show.set_defaults(handler=show_session)

    recover = actions.add_parser(
        "recover", help="finish the answers of interviews that were killed or crashed"
    )
    recover.add_argument(
        "--model", default=argparse.SUPPRESS, help="Whisper model for recorded answers"
    )
    _data_dir(recover)
    recover.set_defaults(handler=recover_sessions)

    delete = actions.add_parser("delete", help="delete a session and its recordings")
    delete.add_argument("id", type=int, metavar="ID")
    _data_dir(delete)
    delete.set_defaults(handler=delete_session)

    export = subparsers.add_parser("export", help="a session as Markdown, HTML or JSON")
    export.add_argument("id", type=int, metavar="ID")
    export.add_argument("--format", "-f", choices=FORMATS, default="md")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    _data_dir(export)
    export.set_defaults(handler=export_session)

    review = subparsers.add_parser("review", help="open the app on past sessions")
    _data_dir(review)
    review.set_defaults(handler=open_review)


def _data_dir(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a value given before the command (top-level --data-dir) is not overwritten.
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="PATH", help="the history's folder"
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def open_store(args: argparse.Namespace) -> Store:
    use_data_dir(args)
    try:
        return Store.open()
    except StoreError as error:
        raise CliError(str(error), exit_code=1) from None


def list_sessions(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        rows = store.list_sessions()
    finally:
        store.close()
    if args.json:
        print_json(
            [
                {
                    "id": s.id,
                    "started_at": s.started_at,
                    "bank": s.bank_name,
                    "answers": s.answers,
                    "mean_coverage": None if s.mean_coverage is None else round(s.mean_coverage, 4),
                    "interrupted": s.interrupted,
                    "mode": s.mode,
                    "duration_s": round(s.duration_s, 2),
                }
                for s in rows
            ]
        )
        return 0
    if not rows:
        print("no sessions yet; run 'mock-interview' to start one")
        return 0
    print(f"{'ID':>5}  {'STARTED':<16}  {'BANK':<16} {'ANSWERS':>7}  {'COVERAGE':>8}  NOTE")
    for s in rows:
        coverage = "-" if s.mean_coverage is None else f"{s.mean_coverage:.0%}"
        note = "interrupted: run 'mock-interview sessions recover'" if s.interrupted else ""
        started = s.started_at[:16].replace("T", " ")
        bank = s.bank_name[:16]
        print(f"{s.id:>5}  {started:<16}  {bank:<16} {s.answers:>7}  {coverage:>8}  {note}")
    return 0


def _record(store: Store, session_id: int):
    record = store.get_session(session_id)
    if record is None:
        store.close()
        raise CliError(f"no session {session_id}; see 'mock-interview sessions list'")
    return record


def show_session(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        record = _record(store, args.id)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "id": record.id,
                "started_at": record.started_at,
                "ended_at": record.ended_at,
                "bank": record.bank_name,
                "mode": record.mode,
                "mean_coverage": None
                if record.mean_coverage is None
                else round(record.mean_coverage, 4),
                "answers": [
                    {
                        "id": a.id,
                        "question": a.question,
                        "topic": a.topic,
                        "mode": a.mode,
                        "transcript": a.transcript or a.draft,
                        "coverage": None if a.coverage is None else round(a.coverage, 4),
                        "audio": str(a.audio) if a.audio else None,
                        "duration_s": round(a.duration_s, 2),
                        "status": a.status,
                        "kind": a.kind,
                        "parent_id": a.parent_id,
                        "prompt": a.prompt,
                        "assisted": a.assisted,
                        "hinted": sorted(a.scored.hinted) if a.scored else [],
                        "from_follow_up": a.from_follow_up,
                    }
                    for a in record.answers
                ],
            }
        )
        return 0
    mean = "-" if record.mean_coverage is None else f"{record.mean_coverage:.0%}"
    print(f"session {record.id}  {record.bank_name}  {record.started_at}  mean coverage {mean}")
    for a in record.answers:
        coverage = "-" if a.coverage is None else f"{a.coverage:.0%}"
        helped = "  assisted" if a.assisted else ""
        print(
            f"  Q{a.question:<3} {a.status:<11} {a.mode:<5} {a.duration_s:6.1f} s  {coverage:>5}"
            f"{helped}"
        )
        if a.is_follow_up:
            print(f"       follow-up: {a.prompt}")
        elif a.from_follow_up:
            print(f"       in the follow-up: {', '.join(a.from_follow_up)}")
        text = " ".join((a.transcript or a.draft).split())
        if text:
            print(f"       {text[:200]}{'...' if len(text) > 200 else ''}")
        if a.audio:
            print(f"       audio: {a.audio}")
    return 0


def recover_sessions(args: argparse.Namespace) -> int:
    from simulator.recovery import find_interrupted, recover_session

    store = open_store(args)
    try:
        found = find_interrupted(store)
        if not found:
            print("nothing to recover: every session ended cleanly")
            return 0
        transcriber = None
        if getattr(args, "model", None):
            from audio.transcriber import Transcriber

            transcriber = Transcriber(args.model, cache_dir=locations.cache_dir())
        for item in found:
            recovery = recover_session(store, item.session_id, transcriber)
            print(
                f"session {item.session_id} ({item.bank_name}, started {item.started_at}): "
                f"{len(recovery.answers)} answer(s) recovered"
            )
            for answer in recovery.answers:
                print(f"  {answer.describe()}")
    except StoreError as error:
        raise CliError(str(error), exit_code=1) from None
    finally:
        store.close()
    return 0


def delete_session(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        deleted = store.delete_session(args.id)
    except StoreError as error:
        raise CliError(str(error), exit_code=1) from None
    finally:
        store.close()
    if not deleted:
        raise CliError(f"no session {args.id}; see 'mock-interview sessions list'")
    print(f"deleted session {args.id} and its recordings")
    return 0


def export_session(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        record = _record(store, args.id)
    finally:
        store.close()
    text = render(record, args.format)
    if not args.output:
        sys.stdout.write(text)
        return 0
    output = Path(args.output).expanduser()
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"wrote {output}", file=sys.stderr)
    return 0


def open_review(args: argparse.Namespace) -> interview.AppPlan:

    return interview.run(args, start_screen="review")
