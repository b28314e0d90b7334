"""``mock-interview bank list|show|validate|import|export``: look into, bring in, send out banks."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from content.bank import Question, validate_bank
from content.language import question_is_english
from simulator.commands.common import CliError, add_bank_argument, open_bank, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    bank = subparsers.add_parser(
        "bank", help="list, show, validate, import (Anki, CSV) or export (Anki) question banks"
    )
    commands = bank.add_subparsers(title="bank commands", metavar="COMMAND", required=True)

    listing = commands.add_parser("list", help="list the questions of a bank")
    add_bank_argument(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_questions)

    show = commands.add_parser("show", help="show one question with its model answer")
    show.add_argument("number", type=int, metavar="N", help="question number")
    add_bank_argument(show)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=show_question)

    validate = commands.add_parser("validate", help="check a bank file; FILE:LINE: problems")
    validate.add_argument("path", metavar="PATH", help="a Markdown bank file")
    validate.set_defaults(handler=validate_file)

    from simulator.commands.decks import register_decks

    register_decks(commands)


def question_summary(question: Question) -> dict:
    return {"number": question.number, "topic": question.topic, "question": question.text}


def question_detail(question: Question) -> dict:
    return {
        **question_summary(question),
        "model_answer": question.model_answer,
        "accepted_answers": list(question.accepted_answers),
        "key_points": [
            {
                "label": k.label,
                "phrasings": list(k.phrasings),
                "weight": k.weight,
                "follow_up": k.follow_up,
            }
            for k in question.key_points
        ],
        "key_points_extracted": question.key_points_extracted,
    }


def list_questions(args: argparse.Namespace) -> int:
    bank = open_bank(getattr(args, "bank", None))
    if args.json:
        print_json([question_summary(q) for q in bank.questions])
        return 0
    print(f"{bank.title}: {len(bank.questions)} questions in {len(bank.topics)} topics")
    for topic in bank.topics:
        print(f"\n{topic}")
        for question in bank.questions:
            if question.topic == topic:
                print(f"  {question.number:>3}. {question.text}")
    return 0


NOT_ENGLISH = (
    "Not in English, which the meaning model does not read: answers to it are judged by their "
    "words only."
)


def show_question(args: argparse.Namespace) -> int:
    bank = open_bank(getattr(args, "bank", None))
    try:
        question = bank.question(args.number)
    except KeyError as error:
        raise CliError(error.args[0]) from None
    if args.json:
        print_json(question_detail(question))
        return 0
    print(f"Q{question.number} [{question.topic}] {question.text}\n")
    print(question.model_answer)
    if question.accepted_answers:
        print("\nAlso accepted:")
        for accepted in question.accepted_answers:
            print(textwrap.fill(accepted, 96, initial_indent="  - ", subsequent_indent="    "))
    if not question_is_english(question):
        print(f"\n{NOT_ENGLISH}")
    source = "extracted from the answer" if question.key_points_extracted else "from the bank"
    print(f"\nKey points ({source}):")
    for point in question.key_points:
        weight = f" (weight {point.weight:g})" if point.weight != 1 else ""
        print(f"  - {point.label}{weight}")
        print(
            textwrap.fill(
                "; ".join(point.phrasings), 96, initial_indent="      ", subsequent_indent="      "
            )
        )
        if point.follow_up:
            print(
                textwrap.fill(
                    point.follow_up,
                    96,
                    initial_indent="      follow-up: ",
                    subsequent_indent="      ",
                )
            )
    return 0


def validate_file(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise CliError(f"no such file: {path}")
    problems = validate_bank(path)
    if problems:
        for problem in problems:
            print(problem)
        return 1
    bank = open_bank(str(path))
    extracted = sum(q.key_points_extracted for q in bank.questions)
    note = f", key points extracted for {extracted}" if extracted else ""
    follow_ups = sum(1 for q in bank.questions for k in q.key_points if k.follow_up)
    accepted = sum(len(q.accepted_answers) for q in bank.questions)
    also = f", {accepted} accepted answer{'s' if accepted != 1 else ''}" if accepted else ""
    print(
        f"{path}: OK, {len(bank.questions)} questions in {len(bank.topics)} topics, "
        f"{sum(len(q.key_points) for q in bank.questions)} key points{note}, "
        f"{follow_ups} follow-ups{also}"
    )
    return 0
