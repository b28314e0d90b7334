"""``mock-interview drill``: the interview in the plain terminal, no Textual.

A second front end on the same core as the app: it prints each question and reads it aloud,
records the spoken answer until Enter (or reads a typed one with ``--typed``: lines until an
empty line or end of input; a line of just ``?`` asks for a hint, the label of the next key
point not covered yet, which then earns less), prints the coverage with the missed key
points and the delivery, and stores every answer the way the app does
(:class:`~simulator.journal.Journal`), so ``sessions list`` shows the drill and
``sessions recover`` can finish an answer a crash cut off. With follow-ups on
(``--follow-ups``, or ``--exam``) an answer that missed key points gets one follow-up, printed
and read aloud like a question; ``--exam`` prints no feedback until the end, then every
answer's.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING, TextIO

from simulator.commands.common import (
    CliError,
    add_bank_argument,
    add_exam_arguments,
    open_bank,
    use_data_dir,
)

if TYPE_CHECKING:
    from audio.transcriber import Transcriber
    from audio.voice import Voice
    from content.questions import Question
    from simulator.assess import Feedback
    from simulator.config import Config
    from simulator.journal import Journal
    from simulator.session import Attempt, Session


def register(subparsers: argparse._SubParsersAction) -> None:
    drill = subparsers.add_parser(
        "drill", help="answer questions in the plain terminal (voice, or --typed)"
    )
    add_bank_argument(drill)
    drill.add_argument(
        "--question",
        action="append",
        type=int,
        default=None,
        metavar="N",
        help="ask question N (repeatable; default: the first --count of the bank)",
    )
    drill.add_argument(
        "--topic", action="append", default=None, metavar="TOPIC", help="only these topics"
    )
    drill.add_argument("--count", type=int, default=None, help="how many questions to ask")
    drill.add_argument("--typed", action="store_true", help="type the answers (no microphone)")
    drill.add_argument("--no-voice", action="store_true", help="do not read the questions aloud")
    add_exam_arguments(drill, "exam mode: back to back with follow-ups, feedback only at the end")
    drill.add_argument(
        "--model",
        default=argparse.SUPPRESS,
        help="Whisper model: tiny.en (bundled), base, or a folder",
    )
    drill.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="keep history, audio, config and cache here (or set MOCK_INTERVIEW_HOME)",
    )
    drill.set_defaults(handler=run_drill)


def run_drill(args: argparse.Namespace) -> int:
    from simulator.config import ConfigError, follow_ups_on, load_config
    from simulator.journal import Journal
    from simulator.session import Session, SessionSettings, State, pick_questions
    from simulator.store import Store, StoreError

    use_data_dir(args)
    try:
        config = load_config()
    except ConfigError as error:
        raise CliError(str(error)) from None
    bank = open_bank(getattr(args, "bank", None) or config.interview.bank)
    try:
        chosen = [bank.question(n) for n in args.question or ()]
    except KeyError as error:
        raise CliError(str(error).strip("'\"")) from None
    topics = tuple(args.topic or ())
    count = args.count if args.count is not None else config.interview.count
    if count < 1:
        raise CliError("--count must be at least 1")
    if not chosen:
        chosen = pick_questions(bank.in_topics(list(topics)), count=count)
        if not chosen:
            raise CliError(
                f"no topic matches {', '.join(topics)}; topics: {'; '.join(bank.topics)}"
            )
    mode = "typed" if args.typed else "voice"
    exam = config.interview.exam if args.exam is None else args.exam
    follow_ups = args.follow_ups
    if follow_ups is None:
        follow_ups = follow_ups_on(config.interview.follow_ups, exam)
    settings = SessionSettings(
        bank=bank.name,
        topics=topics,
        count=len(chosen),
        order="in-order",
        mode=mode,
        time_limit_s=config.interview.time_limit_s,
        read_aloud=config.interview.read_aloud and not args.no_voice,
        allow_overtime=True,
        questions=tuple(q.number for q in chosen),
        exam=exam,
        follow_ups=follow_ups,
    )
    transcriber = (
        _load_model(getattr(args, "model", None) or config.audio.model) if mode == "voice" else None
    )
    try:
        store = Store.open()
    except StoreError as error:
        raise CliError(str(error)) from None
    journal = Journal(store)
    writer = threading.Thread(
        target=journal.run,
        kwargs={"on_error": lambda message: print(message, file=sys.stderr)},
        name="drill-journal",
    )
    writer.start()
    session = Session(chosen, settings)
    journal.start_session(session, bank)
    voice = _open_voice(config) if settings.read_aloud else None
    try:
        while session.state is not State.SUMMARY:
            question = session.question
            if session.follow_up is not None:
                _say(f"\nFollow-up: {session.follow_up.text}", session.follow_up.text, voice)
            else:
                _ask(question, session.position, voice)
            if mode == "typed":
                feedback = _typed_answer(session, journal, sys.stdin)
            else:
                assert transcriber is not None
                feedback = _voice_answer(session, journal, transcriber, config, sys.stdin)
            if feedback is None:
                print("(no answer; skipped)")
                session.skip()  # a declined follow-up leaves its answer as it was
                if session.state is State.FEEDBACK:
                    _show(session.answer, question)
                    session.next()
                continue
            attempt = session.submit(feedback.transcript, feedback.coverage, feedback.delivery)
            journal.answer_finished(attempt, feedback.words or None)
            if session.state is State.FEEDBACK:  # study mode: this question is done
                _show(session.answer, question)
                session.next()
        summary = session.summary()
        if settings.exam:
            for row in summary.rows:
                print()
                _show(row.answer, row.question)
        if summary.rows:
            print(f"\nDrill over: {len(summary.rows)} answered, mean coverage {summary.mean:.0%}")
    finally:
        if session.state is not State.SUMMARY:
            session.finish()
        journal.session_ended(session)
        journal.stop()
        writer.join()
        if voice is not None:
            voice.close()
    print(f"Saved: see `mock-interview sessions show {session.session_id}`")
    return 0


def _load_model(name: str | None) -> Transcriber:
    from audio.models import ModelUnavailable
    from audio.transcriber import Transcriber
    from simulator import locations

    print("Loading the speech model…", flush=True)
    transcriber = Transcriber(name, cache_dir=locations.cache_dir())
    try:
        transcriber.load()
    except ModelUnavailable as error:
        raise CliError(f"{error}; or answer with --typed") from None
    return transcriber


def _open_voice(config: Config) -> Voice | None:
    from audio.engines import make_synthesizer
    from audio.synthesis import VoiceUnavailable
    from audio.voice import Voice

    audio = config.audio
    try:
        return Voice(make_synthesizer(audio.voice_engine, rate=audio.voice_rate or None))
    except VoiceUnavailable as error:
        print(f"(questions are printed, not read: {error})", file=sys.stderr)
        return None


def _ask(question: Question, position: str, voice: Voice | None) -> None:
    print(f"\nQ{question.number} · {question.topic} · {position}")
    _say(question.text, question.text, voice)


def _say(shown: str, spoken: str, voice: Voice | None) -> None:
    print(shown, flush=True)
    if voice is not None:
        voice.speak(spoken)
        voice.wait(timeout=120)  # the answer is recorded after the question, not over it


HINT_LINE = "?"
"""A line of just this asks for a hint (typed answers, or while recording)."""


def _typed_answer(session: Session, journal: Journal, source: TextIO) -> Feedback | None:
    from simulator.assess import assess_text

    print(
        f"Type your answer; an empty line (or Ctrl+D) ends it, a line '{HINT_LINE}' gives a hint.",
        flush=True,
    )
    lines: list[str] = []
    hints: list[str] = []
    for line in source:
        if not line.strip():
            break
        if line.strip() == HINT_LINE:
            _hint(session, "\n".join(lines), hints)
            continue
        lines.append(line.rstrip("\n"))
    text = "\n".join(lines)
    if not text.strip():
        return None
    attempt = session.start_answer("typed")
    attempt.hints = hints
    journal.answer_started(session, attempt)
    journal.draft(attempt, text)
    session.stop_answer()
    return assess_text(session.scoring_question, text, hinted=frozenset(hints))


def _hint(session: Session, said: str, hints: list[str]) -> None:
    """Print the next key point ``said`` has not covered and add it to ``hints`` (the points
    still missing, for a follow-up's answer; none in an exam, as in a real interview)."""
    from simulator.hints import next_hint

    if session.settings.exam:
        print("No hints in an exam; answer as you would to an interviewer.", flush=True)
        return
    hint = next_hint(session.scoring_question, said, hints)
    if hint.label is not None:
        hints.append(hint.label)
    print(hint.message, flush=True)


def _voice_answer(
    session: Session, journal: Journal, transcriber: Transcriber, config: Config, source: TextIO
) -> Feedback:
    from audio.microphone import MicrophoneUnavailable, parse_device
    from simulator.answering import NotTranscribed, VoiceAnswer

    question = session.question
    tries = 1 + sum(1 for a in session.attempts if a.question is question)
    attempt = session.start_answer("voice")
    answer = VoiceAnswer(session.scoring_question)
    journal.wait_for_session()
    path = journal.audio_path(session, tries)
    try:
        answer.start_recording(path, parse_device(config.audio.input_device))
    except MicrophoneUnavailable as error:
        session.cancel_answer()
        raise CliError(f"{error}; or answer with --typed") from None
    attempt.audio_path = path
    journal.answer_started(session, attempt)
    answer.listen(transcriber)
    answer.settle()
    try:
        print(f"Recording… press Enter to stop ('{HINT_LINE}' then Enter: a hint).", flush=True)
        while source.readline().strip() == HINT_LINE:
            _hint(session, answer.heard_so_far(), attempt.hints)
    finally:
        recording = answer.stop()
    session.stop_answer()
    assert recording is not None
    print("Transcribing…", flush=True)
    try:
        return answer.finish(recording, transcriber, hinted=frozenset(attempt.hints))
    except NotTranscribed as error:
        raise CliError(str(error)) from None


def _show(attempt: Attempt | None, question: Question) -> None:
    """An answer's feedback: what was said (and its follow-up), coverage, missed, delivery."""
    from simulator.commands.score import render_table
    from simulator.followup import recovered

    if attempt is None or attempt.coverage is None:
        print(f"Q{question.number}: not scored")
        return
    said = " ".join(attempt.transcript.split())
    print(f"\nYou said: {said}" if said else "\nYou said nothing that was heard.")
    later = attempt.follow_up_attempt
    if later is not None and later.follow_up is not None:
        then = " ".join(later.transcript.split()) or "(nothing)"
        print(f"Follow-up: {later.follow_up.text}\nYou said: {then}")
    print(render_table(attempt.coverage, question.text))
    agreed = attempt.coverage.agreement
    if agreed is not None and 0 < agreed.closest <= len(question.accepted_answers):
        closest = question.accepted_answers[agreed.closest - 1]
        print(f"Closest accepted answer (the figure is read from it): {closest}")
    came = recovered(attempt.coverage)
    if came:
        print("In the follow-up: " + "; ".join(came))
    if attempt.delivery is not None:
        for reading in attempt.delivery.readings:
            print(f"  {reading}")
