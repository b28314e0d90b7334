"""Nothing lost: find interviews whose process died and finish their answers from disk.

A session is *interrupted* when it was never ended, or still holds an answer ``in_progress``,
and the process that wrote it is gone (its pid is dead, or now belongs to a process that started
at another time). Recovering it keeps every recording: the real length is read from the file
with soundfile (the recorder keeps a valid file, so kill -9 loses at most the last block; a
header left short by an older recorder is repaired first, so any tool reads the file), the
audio is transcribed with the question's terms as hints and scored against the bank; a typed
answer is scored from its autosaved draft. Each such answer is marked ``recovered``; one with no
audio and no text is marked ``discarded`` (it holds nothing to keep). The session is then ended.

:func:`find_interrupted` is what the app asks at start-up, then offers resume, review or
discard (:func:`discard_session` keeps the rows and files, marked ``discarded``).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audio.wav_header import repair as repair_wav_header
from content.bank import Bank, Question
from simulator.report import session_bank
from simulator.store import AnswerRecord, Store, owner_alive

if TYPE_CHECKING:  # the app asks find_interrupted at start-up: no model, no scoring for that
    from audio.transcriber import Transcriber
    from audio.transcript import Transcript
    from simulator.scoring import Coverage


@dataclass(frozen=True)
class Interrupted:
    """A session left behind by a process that is gone."""

    session_id: int
    started_at: str
    bank_name: str
    mode: str
    finished_answers: int
    open_answers: int
    questions_answered: tuple[int, ...]
    """Question numbers with a finished answer (what a resume can skip)."""


@dataclass(frozen=True)
class RecoveredAnswer:
    answer_id: int
    question: int
    mode: str
    status: str
    """``recovered`` or ``discarded``."""
    transcript: str
    coverage: float | None
    duration_s: float
    audio: Path | None
    note: str = ""
    """Why something could not be done (unreadable audio, no model, no bank), or empty."""

    def describe(self) -> str:
        score = "unscored" if self.coverage is None else f"{self.coverage:.0%} coverage"
        source = f"{self.duration_s:.1f} s of audio" if self.audio else "typed draft"
        words = len(self.transcript.split())
        line = f"Q{self.question}: {self.status}, {source}, {words} words, {score}"
        return f"{line} ({self.note})" if self.note else line


@dataclass(frozen=True)
class Recovery:
    session_id: int
    answers: list[RecoveredAnswer] = field(default_factory=list)


def find_interrupted(store: Store) -> list[Interrupted]:
    """Sessions not ended (or with open answers) whose process is no longer running."""
    found: list[Interrupted] = []
    for session in store.open_sessions():
        if owner_alive(session.pid, session.process_started, session.host):
            continue
        finished = [a for a in session.answers if a.status not in ("in_progress", "discarded")]
        found.append(
            Interrupted(
                session_id=session.id,
                started_at=session.started_at,
                bank_name=session.bank_name,
                mode=session.mode,
                finished_answers=len(finished),
                open_answers=sum(a.status == "in_progress" for a in session.answers),
                questions_answered=tuple(dict.fromkeys(a.question for a in finished)),
            )
        )
    return found


def recover_session(
    store: Store, session_id: int, transcriber: Transcriber | None = None, bank: Bank | None = None
) -> Recovery:
    """Finish every open answer of a session from its audio or draft, then end the session.

    ``transcriber`` transcribes the audio (the shared one if None, loaded only when there is
    audio to transcribe); ``bank`` defaults to the session's own bank.
    """
    session = store.get_session(session_id)
    if session is None:
        raise KeyError(f"no session {session_id}")
    if bank is None:
        bank = session_bank(session)
    results = [
        _recover_answer(store, answer, bank, transcriber)
        for answer in session.answers
        if answer.status == "in_progress"
    ]
    store.end_session(session_id)
    return Recovery(session_id, results)


def recover_all(store: Store, transcriber: Transcriber | None = None) -> list[Recovery]:
    """Recover every interrupted session, oldest first."""
    return [
        recover_session(store, found.session_id, transcriber) for found in find_interrupted(store)
    ]


def discard_session(store: Store, session_id: int) -> int:
    """Mark a session's open answers ``discarded`` and end it; files and rows are kept.

    Returns how many answers were discarded.
    """
    session = store.get_session(session_id)
    if session is None:
        raise KeyError(f"no session {session_id}")
    open_answers = [a for a in session.answers if a.status == "in_progress"]
    for answer in open_answers:
        store.set_status(answer.id, "discarded")
    store.end_session(session_id)
    return len(open_answers)


def audio_duration(path: Path) -> float:
    """The length of a recording in seconds, as soundfile reads it (0 if unreadable)."""
    import soundfile

    try:
        info = soundfile.info(str(path))
    except (RuntimeError, OSError, soundfile.LibsndfileError):
        return 0.0
    return float(info.frames) / info.samplerate if info.samplerate else 0.0


def _parent(store: Store, answer: AnswerRecord) -> AnswerRecord | None:
    """The answer a follow-up's answer follows (None for an answer to the question)."""
    if not answer.is_follow_up or answer.parent_id is None:
        return None
    return store.get_answer(answer.parent_id)


def _follow_up_question(question: Question, answer: AnswerRecord, first: Coverage) -> Question:
    """A follow-up's answer is scored against the points its parent did not fully cover."""
    from simulator.followup import FollowUp, scoring_question

    missing = tuple(k.label for k in first.key_points if k.credit < 1.0)
    return scoring_question(question, FollowUp(answer.prompt, answer.probed, missing, True))


def _recover_answer(
    store: Store, answer: AnswerRecord, bank: Bank | None, transcriber: Transcriber | None
) -> RecoveredAnswer:

    from simulator.assess import assess_spoken, assess_text, word_dicts
    from simulator.delivery import analyse

    question = _question(bank, answer.question)
    parent = _parent(store, answer)
    if question is not None and parent is not None and parent.scored is not None:
        question = _follow_up_question(question, answer, parent.scored)
    notes: list[str] = []
    text, duration = "", 0.0
    words: list[dict] = []
    delivery: dict | None = None
    scored: Coverage | None = None
    audio = answer.audio if answer.audio is not None and answer.audio.is_file() else None
    if answer.audio is not None and audio is None:
        notes.append(f"no audio file at {answer.audio}")
    if audio is not None:
        with suppress(OSError):
            repair_wav_header(audio)  # a header cut short by a crash: readable by any tool
        duration = audio_duration(audio)
        if duration > 0:
            try:
                transcript = _transcribe(audio, question, transcriber)
                if question is not None:
                    heard = assess_spoken(question, transcript)
                    text, words, scored = heard.transcript, heard.words, heard.coverage
                    found = heard.delivery if words else None
                else:
                    text, words = transcript.text.strip(), word_dicts(transcript.words)
                    found = analyse(transcript) if words else None
                delivery = found.to_dict() if found is not None else None
            except Exception as error:  # model missing, unreadable audio: keep the file
                notes.append(
                    f"not transcribed: {str(error).splitlines()[0] if str(error) else error}"
                )
        else:
            notes.append("the audio file holds no sound")
    if not text and answer.draft.strip():
        text = answer.draft.strip()
    if not text and audio is None:
        store.set_status(answer.id, "discarded")
        return RecoveredAnswer(
            answer.id, answer.question, answer.mode, "discarded", "", None, 0.0, None,
            "; ".join(notes + ["nothing was said or typed"]),
        )  # fmt: skip
    if question is None:
        notes.append(f"question {answer.question} is not in the bank; not scored")
    elif text and (scored is None or scored.transcript != text):  # scored from the draft
        scored = assess_text(question, text).coverage
    elif not text:
        scored = None
    store.finish_answer(
        answer.id,
        transcript=text,
        words=words,
        coverage=scored,
        delivery=delivery,
        duration_s=duration,
        status="recovered",
    )
    if parent is not None and parent.scored is not None and scored is not None:
        from simulator.followup import combine, recovered

        completed = combine(parent.scored, scored)  # the follow-up completes its answer
        helped = True if recovered(completed) else None
        store.rescore_answer(parent.id, completed, assisted=helped)
    return RecoveredAnswer(
        answer_id=answer.id,
        question=answer.question,
        mode=answer.mode,
        status="recovered",
        transcript=text,
        coverage=None if scored is None else scored.coverage,
        duration_s=duration,
        audio=audio,
        note="; ".join(notes),
    )


def _question(bank: Bank | None, number: int) -> Question | None:
    if bank is None:
        return None
    try:
        return bank.question(number)
    except KeyError:
        return None


def _transcribe(
    path: Path, question: Question | None, transcriber: Transcriber | None
) -> Transcript:
    if transcriber is None:
        from simulator.speech import shared_transcriber

        transcriber = shared_transcriber()
    hotwords = None
    if question is not None:
        from simulator.speech import question_terms

        hotwords = question_terms(question)
    return transcriber.transcribe(path, hotwords=hotwords)
