"""The ordered writer of an interview's life in the store: every write on one thread, in order.

An answer's life is written as it happens: the session row, the answer started (with the path
its audio goes to), its drafts, its result, the session's end. Writes are queued and run by
:meth:`Journal.run` on one thread (the app's store worker, or a plain thread in ``drill``), so
they stay in order (an answer row exists before its draft or result is saved), never block the
caller, and a quit waits for them to land (:meth:`Journal.stop` then join the thread).
Nothing the user says is lost: the audio path is known before recording starts, and each
answer is committed the moment it exists.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from content.questions import Bank
from simulator import locations
from simulator.session import Attempt, Session
from simulator.store import Store

Job = Callable[[Store], None]
_STOP = object()


class Journal:
    """Queued, ordered writes to a :class:`Store` that may open later (or never)."""

    def __init__(self, store: Store | None = None, *, writes: bool = True) -> None:
        self.store = store
        """The store, once open; None while it opens, or for good when it could not."""
        self.writes = writes
        """False: nothing will ever be written (tests, or history switched off)."""
        self._jobs: queue.Queue[Job | object] = queue.Queue()
        self._session_ready = threading.Event()
        self._fallback_audio_dir: Path | None = None

    # -- the queue ----------------------------------------------------------------------
    def submit(self, job: Job) -> None:
        """Queue ``job(store)``; it runs after every job queued before it."""
        self._jobs.put(job)

    def barrier(self) -> threading.Event:
        """An event set once every job queued so far has run."""
        done = threading.Event()
        self._jobs.put(lambda store: done.set())
        return done

    def stop(self) -> None:
        """End :meth:`run` after the jobs queued so far."""
        self._jobs.put(_STOP)

    def run(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        on_error: Callable[[str], None] = lambda message: None,
    ) -> None:
        """Run jobs in order until :meth:`stop` (or ``cancelled()`` with the queue empty); then
        close the store. A failed job is reported through ``on_error`` and the next one runs."""
        while True:
            try:
                job = self._jobs.get(timeout=0.2)
            except queue.Empty:
                if cancelled():
                    break
                continue
            if job is _STOP:
                break
            if self.store is None or not callable(job):
                continue
            try:
                job(self.store)
            except Exception as error:
                on_error(f"could not save: {error}")
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.close()

    # -- an interview's life --------------------------------------------------------------
    def start_session(self, session: Session, bank: Bank) -> None:
        """The session's row; ``session.session_id`` is set once it is written."""
        ready = self._session_ready = threading.Event()
        if not self.writes:
            ready.set()
        settings = session.settings

        def start(store: Store) -> None:
            try:
                session.session_id = store.start_session(
                    bank.name, str(bank.path), settings.mode, settings.to_dict()
                )
            finally:
                ready.set()

        self.submit(start)

    def wait_for_session(self, timeout: float = 3.0) -> None:
        """From a worker: wait until the session has its row (or give up)."""
        self._session_ready.wait(timeout)

    def answer_started(self, session: Session, attempt: Attempt) -> None:
        """An attempt began: its row (status in_progress) with the path its audio goes to."""

        def start(store: Store) -> None:
            if session.session_id is None:
                return
            parent = attempt.parent if attempt.kind == "follow_up" else None
            asked = attempt.follow_up if parent is not None else None
            attempt.answer_id = store.start_answer(
                session.session_id,
                attempt.question.number,
                attempt.question.topic,
                attempt.mode,
                audio_path=attempt.audio_path,
                parent_id=parent.answer_id if parent is not None else None,
                prompt=asked.text if asked is not None else "",
                probed=asked.point if asked is not None else "",
            )

        self.submit(start)

    def draft(self, attempt: Attempt, text: str) -> None:
        """What has been typed so far."""

        def save(store: Store) -> None:
            if attempt.answer_id is not None:
                store.save_draft(attempt.answer_id, text)

        self.submit(save)

    def answer_finished(self, attempt: Attempt, words: list[dict] | None = None) -> None:
        """The attempt as heard and scored (an unscored attempt keeps its draft and audio).

        A follow-up's answer also stores its parent's coverage as the follow-up completed it
        (and marks the parent assisted when the follow-up added a key point)."""
        scored = attempt.coverage
        delivery = attempt.delivery
        transcript, duration_s = attempt.transcript, attempt.duration_s
        parent = attempt.parent if attempt.kind == "follow_up" else None
        combined = parent.coverage if parent is not None else None
        if parent is not None:  # the answer it follows is re-scored with what it recovered
            assisted = parent.assisted
        else:
            assisted = attempt.assisted or bool(getattr(scored, "assisted", False))

        def finish(store: Store) -> None:
            if attempt.answer_id is None or scored is None:
                return
            store.finish_answer(
                attempt.answer_id,
                transcript=transcript,
                words=words or [],
                coverage=scored,
                delivery=delivery.to_dict() if delivery is not None else None,
                duration_s=duration_s,
                status="done",
                assisted=assisted,
            )
            if parent is not None and parent.answer_id is not None and combined is not None:
                store.rescore_answer(parent.answer_id, combined, assisted=assisted)

        self.submit(finish)

    def session_ended(self, session: Session) -> None:
        def end(store: Store) -> None:
            if session.session_id is not None:
                store.end_session(session.session_id)

        self.submit(end)

    def audio_path(self, session: Session, attempt_number: int) -> Path:
        """Where the next recording goes: the session's audio folder, or one in the data dir."""
        folder: Path | None = None
        if self.store is not None and session.session_id is not None:
            try:
                folder = Path(self.store.session_audio_dir(session.session_id))
            except Exception:
                folder = None
        if folder is None:
            if self._fallback_audio_dir is None:
                stamp = time.strftime("session-%Y%m%d-%H%M%S")
                self._fallback_audio_dir = locations.audio_dir() / stamp
            folder = self._fallback_audio_dir
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"q{session.question.number:02d}-{attempt_number}.wav"
