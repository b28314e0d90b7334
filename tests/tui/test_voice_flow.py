"""The spoken answer, for real: espeak-ng speech played into a null sink of the test sound
server, recorded by the app from its monitor, transcribed live by the bundled model, scored.
Faults that cannot be made real (no microphone, no speech engine) are injected."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from textual.widgets import Static

from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from simulator.tui.widgets.meters import LevelMeter
from tests.tui.waiting import until, until_screen

ANSWER = (
    "L1 regularization adds the absolute value of the weights to the loss. "
    "It drives some weights to exactly zero, so it gives sparse models and selects features. "
    "L2 adds the squared weights and shrinks them smoothly."
)


@pytest.fixture(scope="module")
def private_sink():
    from tests.audio.sound import Sink, SoundServerMissing, ensure_sound_server

    try:
        ensure_sound_server()
    except SoundServerMissing as error:
        pytest.fail(str(error), pytrace=False)
    saved = {key: os.environ.get(key) for key in ("PULSE_SINK", "PULSE_SOURCE")}
    sink = Sink.create(f"mi_tui_test_{os.getpid()}")
    sink.route_here()
    # a null sink suspends when idle and its monitor then sends nothing (a "stalled
    # microphone"); a stream of silence keeps it running like a real microphone
    keepalive = subprocess.Popen(
        ["pacat", f"--device={sink.name}", "--raw", "--format=s16le", "/dev/zero"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield sink
    keepalive.terminate()
    keepalive.wait(timeout=10)
    sink.remove()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def spoken_answer(tmp_path_factory) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed; run `make install-test`", pytrace=False)
    path = tmp_path_factory.mktemp("speech") / "answer.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), ANSWER], check=True)
    return path


@pytest.mark.audio
@pytest.mark.model
async def test_spoken_answer_is_recorded_transcribed_and_scored(
    make_app, private_sink, spoken_answer, home
) -> None:
    app = make_app("interview", open_store=True, mode="voice", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.model_state == "ready", "model loaded")
        screen = app.screen
        await pilot.press("space")
        await until(
            pilot,
            lambda: screen.answer is not None and screen.answer.recorder is not None,
            "recording started",
        )
        player = await asyncio.to_thread(
            subprocess.run,
            ["paplay", f"--device={private_sink.name}", str(spoken_answer)],
            check=True,
        )
        assert player.returncode == 0
        live = str(screen.query_one("#live-text", Static).render())
        await until(
            pilot,
            lambda: "weight" in str(screen.query_one("#live-text", Static).render()).lower(),
            f"the words appear while spoken (showing {live!r})",
        )
        assert screen.query_one(LevelMeter).peak > -40, "the level meter saw the speech"
        await pilot.press("space")
        await until_screen(pilot, FeedbackScreen)
        attempt = app.session.attempt
        assert "absolute" in attempt.transcript.lower()
        assert attempt.coverage.coverage > 0.3, attempt.coverage
        assert attempt.audio_path is not None and attempt.audio_path.stat().st_size > 32000
        assert attempt.audio_path.is_relative_to(home)
        assert "Coverage" in str(app.screen.query_one("#coverage").render())
        delivery = str(app.screen.query_one("#delivery", Static).render())
        assert "words per minute" in delivery or "wpm" in delivery.lower(), delivery
        await pilot.press("p")  # play my answer back
        await until(
            pilot, lambda: app.screen.player is not None and app.screen.player.is_playing, "play"
        )
        await pilot.press("p")  # pause
        await until(pilot, lambda: not app.screen.player.is_playing, "paused")
        await pilot.press("ctrl+q")
    # the answer was committed to the store with its audio
    from simulator.store import Store

    store = Store.open()
    sessions = store.list_sessions()
    record = store.get_session(sessions[0].id)
    answer = record.answers[0]
    assert answer.status == "done" and "absolute" in answer.transcript.lower()
    store.close()


@pytest.mark.model
async def test_no_microphone_says_why_once_and_carries_on_typed(make_app, monkeypatch) -> None:
    import audio.microphone as microphone
    from audio.microphone import MicrophoneUnavailable

    def no_microphone(self) -> None:
        raise MicrophoneUnavailable("no input device found; plug in a microphone")

    monkeypatch.setattr(microphone.Recorder, "start", no_microphone)
    app = make_app("interview", mode="voice", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.model_state in ("ready", "failed"), "model settled")
        await pilot.press("space")
        await until(pilot, lambda: app.screen.mode == "typed", "fell back to typed")
        assert app.session.attempts == []
        messages = [n.message for n in app._notifications]
        assert sum("plug in a microphone" in m for m in messages) == 1
        await pilot.press(*"lasso")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)


async def test_no_speech_engine_says_why_and_shows_the_question(make_app, monkeypatch) -> None:
    import audio.voice as voice
    from audio.voice import VoiceUnavailable

    def no_engine(self, *args, **kwargs) -> None:
        raise VoiceUnavailable("espeak-ng is not installed; run: apt install espeak-ng")

    monkeypatch.setattr(voice.Voice, "__init__", no_engine)
    app = make_app("interview", read_aloud=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.voice_error != "", "voice failure reported")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert sum("espeak-ng is not installed" in m for m in messages) == 1
        assert "L1 and L2" in str(app.screen.query_one("#question-text").render())
        assert app.voice is None


@pytest.mark.audio
async def test_question_is_spoken_and_typing_silences_it(make_app, private_sink, tmp_path) -> None:
    import numpy as np

    from tests.audio.sound import MonitorRecording

    app = make_app("interview", read_aloud=True, questions=(4,))
    with MonitorRecording(private_sink, tmp_path / "monitor.raw") as monitor:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.voice is not None, "speech engine up")
            await until(pilot, lambda: app.voice.is_speaking, "question being read")
            await until(pilot, lambda: monitor.path.stat().st_size > 32000 * 2, "a second heard")
            await pilot.press("x")  # the first key of a typed answer
            await until(pilot, lambda: not app.voice.is_speaking, "voice stopped", tries=200)
            assert app.screen.query_one("#typed-answer").text == "x"
    samples = monitor.samples()
    assert samples.size > 0 and float(np.abs(samples).max()) > 0.05, "the question was heard"


async def test_no_microphone_at_start_switches_to_typed_before_any_key(
    make_app, monkeypatch
) -> None:
    import audio.microphone as microphone
    from audio.microphone import MicrophoneUnavailable

    def no_input(*args, **kwargs) -> float:
        raise MicrophoneUnavailable("no input device found; plug in a microphone")

    monkeypatch.setattr(microphone, "warm_up", no_input)
    app = make_app("interview", mode="voice", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.screen.mode == "typed", "fell back to typed")
        assert app.screen.query_one("#typed-answer").display
        messages = [n.message for n in app._notifications]
        assert sum("plug in a microphone" in m for m in messages) == 1


async def test_a_missing_model_switches_the_screen_to_typed(make_app, home) -> None:
    app = make_app("interview", mode="voice", questions=(4,))
    app.model_name = str(home / "no-such-model")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.model_state == "failed", "model failed")
        await until(pilot, lambda: screen.mode == "typed", "the screen switched to typed")
        status = str(screen.query_one("#status").render())
        assert "Ctrl+S submits" in status and "Press Space" not in status, status
        messages = [n.message for n in app._notifications]
        assert sum("answers will be typed" in m for m in messages) == 1, messages
        await pilot.press(*"lasso")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)


@pytest.mark.audio
@pytest.mark.model
async def test_the_device_vanishing_mid_answer_keeps_and_scores_it_then_offers_typed(
    make_app, private_sink, spoken_answer, monkeypatch
) -> None:
    """The input stream ends mid answer, as PortAudio reports a sound server or device gone
    (injected: killing the shared test server would break every other audio test)."""
    import sounddevice

    real = sounddevice.InputStream

    class Vanishing:
        def __init__(self, *args, callback, finished_callback=None, **kwargs) -> None:
            self.seen = 0
            self.callback, self.finished = callback, finished_callback
            self.real = real(*args, callback=self.relay, **kwargs)

        def __enter__(self):
            self.real.__enter__()
            return self

        def __exit__(self, *exc):
            return self.real.__exit__(*exc)

        def stop(self) -> None:
            self.real.stop()

        def relay(self, indata, frames, time_info, status) -> None:
            self.seen += 1
            if self.seen <= 60:  # 6 s of the answer, then the device is gone
                self.callback(indata, frames, time_info, status)
            elif self.seen == 61 and self.finished is not None:
                import threading

                threading.Thread(target=self.finished).start()

        def start(self) -> None:
            self.real.start()

        def abort(self) -> None:
            self.real.abort()

        def close(self) -> None:
            self.real.close()

    monkeypatch.setattr(sounddevice, "InputStream", Vanishing)
    app = make_app("interview", mode="voice", questions=(4, 5))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.model_state == "ready", "model loaded")
        await pilot.press("space")
        await until(pilot, lambda: screen.answer is not None, "recording started")
        player = subprocess.Popen(["paplay", f"--device={private_sink.name}", str(spoken_answer)])
        try:
            await until_screen(pilot, FeedbackScreen)  # no key pressed: it stopped by itself
        finally:
            player.terminate()
            player.wait(timeout=10)
        attempt = app.session.attempt
        assert attempt.audio_path is not None and attempt.audio_path.stat().st_size > 16000
        assert attempt.coverage is not None and "absolute" in attempt.transcript.lower()
        messages = [n.message for n in app._notifications]
        assert any("stopped early" in m and "typed" in m for m in messages), messages
        await pilot.press("n")
        following = await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: following.mode == "typed", "the next question is typed")


async def speak_answer(pilot, screen, sink, path: Path) -> None:
    """Space, the speech played into the sink, Space: a spoken answer on ``screen``."""
    await pilot.press("space")
    await until(
        pilot,
        lambda: screen.answer is not None and screen.answer.recorder is not None,
        "recording started",
    )
    await asyncio.to_thread(
        subprocess.run, ["paplay", f"--device={sink.name}", str(path)], check=True
    )
    await pilot.pause(0.5)
    await pilot.press("space")


@pytest.mark.audio
@pytest.mark.model
async def test_a_spoken_follow_up_is_recorded_and_scored_against_what_was_missed(
    make_app, private_sink, spoken_answer, home, tmp_path
) -> None:
    later = tmp_path / "later.wav"
    subprocess.run(
        ["espeak-ng", "-s", "150", "-w", str(later), "Yes, elastic net combines both of them."],
        check=True,
    )
    app = make_app("interview", open_store=True, mode="voice", questions=(4,), follow_ups=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.model_state == "ready", "model loaded")
        await speak_answer(pilot, screen, private_sink, spoken_answer)
        await until(pilot, lambda: app.session.follow_up is not None, "a follow-up asked")
        asked = app.session.follow_up
        assert "Elastic Net combines both" in asked.missing
        screen = await until_screen(pilot, InterviewScreen)
        assert str(screen.query_one("#question-text", Static).render()) == asked.text
        await speak_answer(pilot, screen, private_sink, later)
        feedback = await until_screen(pilot, FeedbackScreen)
        parent = app.session.answer
        child = parent.follow_up_attempt
        assert child is not None and child.kind == "follow_up" and child.audio_path.is_file()
        assert child.audio_path != parent.audio_path
        assert [k.label for k in child.coverage.key_points] == list(asked.missing)
        assert "elastic" in child.transcript.lower(), child.transcript
        assert "Elastic Net combines both (in the follow-up)" in str(
            feedback.query_one("#points", Static).render()
        )
        assert f"Follow-up: {asked.text}" in str(feedback.query_one("#mine", Static).render())
