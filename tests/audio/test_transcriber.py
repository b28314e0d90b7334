"""The transcriber on the real bundled model and real audio: files, silence, live, the sink."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import jiwer
import numpy as np
import pytest

from audio.live import LiveTranscription
from audio.models import ModelUnavailable
from audio.samples import SAMPLE_RATE, AudioUnreadable, load_audio
from audio.transcriber import Transcriber, speech_chunks
from audio.transcript import DecodeOptions
from content.bank import load_bank
from simulator.speech import question_terms, transcribe_answer
from tests.audio.sound import normalise
from tests.audio.transcript_checks import assert_live_as_good_as_whole

JFK = Path(__file__).resolve().parents[1] / "data" / "jfk.flac"
JFK_TEXT = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def transcriber(tmp_path_factory: pytest.TempPathFactory) -> Transcriber:
    model = Transcriber(cache_dir=tmp_path_factory.mktemp("cache"))
    model.load()
    return model


def espeak(text: str, path: Path, voice: str = "en-us") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path)], input=text.encode(), check=True)
    return path


def room_noise(seconds: float, dbfs: float = -45.0, seed: int = 1) -> np.ndarray:
    """Brown noise plus a little 50 Hz hum, scaled to ``dbfs`` RMS."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    brown = np.cumsum(rng.standard_normal(n))
    brown -= np.convolve(brown, np.ones(1601) / 1601, mode="same")  # no DC drift
    hum = 0.3 * np.sin(2 * np.pi * 50 * np.arange(n) / SAMPLE_RATE)
    noise = brown / np.sqrt(np.mean(brown**2)) + hum
    noise *= 10 ** (dbfs / 20) / np.sqrt(np.mean(noise**2))
    return noise.astype(np.float32)


def test_jfk_word_for_word(transcriber: Transcriber) -> None:
    result = transcriber.transcribe(JFK)
    assert normalise(result.text) == normalise(JFK_TEXT)
    assert [normalise(w.text) for w in result.words] == normalise(JFK_TEXT).split()
    times = [(w.start, w.end) for w in result.words]
    assert all(a <= b for a, b in times) and times == sorted(times)
    assert 10.5 < result.duration_s < 11.5 and result.words[-1].end <= result.duration_s + 0.1
    assert result.timings["decode_s"] > 0 and "load_s" in result.timings


def test_the_scrap_after_the_last_word_is_not_decoded(tmp_path: Path) -> None:
    """faster-whisper decodes what follows the last word it wrote as one more 30 s window, even
    a fraction of a second of it (0.3 s each here, and where tiny.en invents "Thank you.");
    such scraps are skipped, and the words are the same."""
    remedies = load_bank().question(3).model_answer.split(". ")[1]  # a 25 s list of remedies
    audio = espeak(remedies, tmp_path / "remedies.wav")
    skipping = Transcriber(cache_dir=tmp_path)
    every = Transcriber(cache_dir=tmp_path, options=DecodeOptions(min_scrap_s=0.0))
    texts, windows = {}, {}
    for name, model in (("skipping", skipping), ("every", every)):
        model.load()
        before = model._model.windows_encoded
        texts[name] = model.transcribe(audio).text
        windows[name] = model._model.windows_encoded - before
    assert skipping._model.scraps_skipped >= 1 and every._model.scraps_skipped == 0
    assert windows["skipping"] < windows["every"]
    assert texts["skipping"] == texts["every"]
    assert "average out individual overfitting" in texts["skipping"]


@pytest.mark.parametrize("dbfs", [-50.0, -40.0])
def test_room_noise_gives_nothing(transcriber: Transcriber, dbfs: float) -> None:
    noise = room_noise(30.0, dbfs)
    level = 20 * np.log10(np.sqrt(np.mean(noise**2)))
    assert dbfs - 1 < level < dbfs + 1
    result = transcriber.transcribe(noise)
    assert result.text == "" and result.words == ()


def test_digital_silence_gives_nothing(transcriber: Transcriber) -> None:
    result = transcriber.transcribe(np.zeros(30 * SAMPLE_RATE, dtype=np.float32))
    assert result.text == "" and result.segments == ()
    assert result.duration_s == 30.0


def test_speech_in_noise_still_heard(transcriber: Transcriber, tmp_path: Path) -> None:
    """The noise gate is not so eager that it drops speech over the same room noise."""
    speech = load_audio(espeak("Regularization reduces overfitting.", tmp_path / "s.wav"))
    mixed = room_noise(len(speech) / SAMPLE_RATE) + 0.5 * speech
    assert "overfitting" in normalise(transcriber.transcribe(mixed).text)


def test_live_matches_whole_file(transcriber: Transcriber, tmp_path: Path) -> None:
    bank = load_bank()
    text = " ".join(bank.question(n).model_answer for n in (1, 2))
    audio = load_audio(espeak(text, tmp_path / "answer.wav"))
    assert 45 < len(audio) / SAMPLE_RATE < 90
    terms = question_terms(bank.question(1))
    whole = transcriber.transcribe(audio, hotwords=terms)
    partials: list[str] = []
    live = transcriber.live(hotwords=terms, on_partial=partials.append)
    block = SAMPLE_RATE // 10
    for i in range(0, len(audio), block):
        live.feed(audio[i : i + block])
        if (i + block) % SAMPLE_RATE == 0:
            # a decoder that keeps up, as in real time on an idle machine: the windows then
            # depend on the audio alone, not on how busy the machine is
            assert live.wait_caught_up(30), "the live decoder never caught up"
    committed_before = live.committed_text
    result = live.finish()
    assert_live_as_good_as_whole(text, result.text, whole.text)
    assert partials, "on_partial was never called"
    assert committed_before and normalise(result.text).startswith(normalise(committed_before))
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end > 0.8 * result.duration_s
    assert result.timings["tail_s"] < len(audio) / SAMPLE_RATE


def test_live_stop_after_a_pause_needs_no_decode(transcriber: Transcriber, tmp_path: Path) -> None:
    text = "Dropout randomly deactivates neurons during training."
    speech = load_audio(espeak(text, tmp_path / "short.wav"))
    terms = "Dropout, deactivates, neurons, training."
    live = transcriber.live(hotwords=terms)
    pause = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    live.feed(np.concatenate([speech, pause]))
    assert live.wait_caught_up(30)
    decodes = live.decodes
    live.feed(np.zeros(2 * SAMPLE_RATE, dtype=np.float32))  # the speaker pauses, then stops
    assert live.wait_caught_up(30)
    assert live.decodes == decodes  # silence is not decoded again
    result = live.finish()
    assert live.reused_last_decode and result.timings["tail_s"] == 0.0
    whole = transcriber.transcribe(np.concatenate([speech, pause]), hotwords=terms)
    assert normalise(result.text) == normalise(whole.text)
    assert "neurons during training" in normalise(result.text)
    assert result.duration_s == pytest.approx(len(speech) / SAMPLE_RATE + 2.5)


@pytest.mark.parametrize(
    ("speech_end_s", "into_step_s"),
    [(0.3, 0.5), (None, 0.5), (0.3, 0.0)],
    ids=["pause-trigger", "no-pause-trigger", "speech-ends-as-a-step-decode-starts"],
)
def test_live_decodes_when_the_speaker_falls_silent(
    transcriber: Transcriber, tmp_path: Path, speech_end_s: float | None, into_step_s: float
) -> None:
    """The last full-second decode comes before the last word ends (or just as it ends, still
    hearing speech at its very end); a short pause follows (less than a step of new audio). The
    decode at the pause is what stop then reuses."""
    text = "Batch normalization keeps the activations well scaled."
    speech = load_audio(espeak(text, tmp_path / "bn.wav"))
    loud = np.flatnonzero(np.abs(speech) > 0.02)
    speech = speech[: loud[-1] + 1]  # end at the last word's last sound
    seconds = int(len(speech) / SAMPLE_RATE)
    lead = np.zeros(int((seconds + 1 + into_step_s) * SAMPLE_RATE) - len(speech), dtype=np.float32)
    audio = np.concatenate([lead, speech])  # the speech ends ``into_step_s`` into a step
    live = LiveTranscription(transcriber, hotwords="batch normalization", speech_end_s=speech_end_s)
    block = SAMPLE_RATE // 10
    for i in range(0, len(audio), block):
        live.feed(audio[i : i + block])
        if (i + block) % SAMPLE_RATE == 0:
            assert live.wait_caught_up(30)
    decodes = live.decodes
    for _ in range(4):  # 0.4 s of quiet: the speaker is done and reaches for the key
        live.feed(np.zeros(block, dtype=np.float32))
    assert live.wait_caught_up(30)
    result = live.finish()
    assert "normalization" in normalise(result.text)
    if speech_end_s is None:  # without the pause trigger, stop has the tail to decode
        assert live.decodes == decodes + 1 and not live.reused_last_decode
    else:
        assert live.decodes == decodes + 1 and live.reused_last_decode
        assert result.timings["tail_s"] == 0.0


def test_a_pause_that_comes_while_the_decoder_is_busy_is_still_decoded_as_one(
    transcriber: Transcriber, tmp_path: Path
) -> None:
    """The speaker falls silent while a step decode is still running, and a further step of
    quiet arrives before the decoder is free: the decode still waiting is the pause's (decoded
    in full, for stop to reuse), not turned into a plain step decode by the later audio."""
    holding, release = threading.Event(), threading.Event()
    fallbacks: list[bool] = []

    class HeldFirstDecode:  # the one fault injected: a decode that takes as long as we say
        def decode(
            self, samples, hotwords=None, context=None, offset=0.0, fallback=True, interrupt=None
        ):
            fallbacks.append(fallback)
            if len(fallbacks) == 1:
                holding.set()
                release.wait(30)
            return transcriber.decode(samples, hotwords, context, offset, fallback, interrupt)

        def __getattr__(self, name: str) -> object:
            return getattr(transcriber, name)

    speech = load_audio(espeak("Dropout switches off random units.", tmp_path / "d.wav"))
    live = LiveTranscription(HeldFirstDecode(), speech_end_s=0.3)  # type: ignore[arg-type]
    block = SAMPLE_RATE // 10
    quiet = np.zeros(block, dtype=np.float32)
    for i in range(0, len(speech), block):
        live.feed(speech[i : i + block])
        if i + block >= SAMPLE_RATE:
            assert holding.wait(30)  # the first step decode is running
    for _ in range(4 + 10):  # the pause, then a whole step more of quiet
        live.feed(quiet)
    release.set()
    assert live.wait_caught_up(60)
    assert len(fallbacks) >= 2 and fallbacks[1]  # the decode that waited was the pause's
    result = live.finish()
    assert "random units" in normalise(result.text)
    assert live.reused_last_decode and result.timings["tail_s"] == 0.0


def test_live_feed_returns_at_once(transcriber: Transcriber) -> None:
    live = transcriber.live()
    block = np.zeros(SAMPLE_RATE * 60, dtype=np.float32)
    live.feed(block)  # a minute at once: decoding is not done on this thread
    assert live.received_s == 60.0
    assert live.finish().text == ""


def test_question_terms_fix_the_question_words(transcriber: Transcriber, tmp_path: Path) -> None:
    question = load_bank().question(1)
    wav = espeak(question.model_answer, tmp_path / "q1.wav")
    result = transcribe_answer(wav, question)
    words = set(normalise(result.text).split())
    assert {"bias", "variance"} <= words


def test_unreadable_audio_is_a_clear_error(transcriber: Transcriber, tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    with pytest.raises(AudioUnreadable, match="cannot read .*notes.wav as audio"):
        transcriber.transcribe(bad)
    with pytest.raises(AudioUnreadable, match="no audio file"):
        transcriber.transcribe(tmp_path / "missing.wav")


def test_load_from_many_threads_loads_once() -> None:
    model = Transcriber()
    threads = [threading.Thread(target=model.load) for _ in range(4)]
    for thread in threads:
        thread.start()
    first = None
    for thread in threads:
        thread.join()
    first = model._model
    model.load()
    assert model.loaded and model._model is first and model.spec.name == "tiny.en"


def test_missing_model_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="does not exist"):
        Transcriber(str(tmp_path / "no-model")).load()


def test_broken_model_folder(tmp_path: Path) -> None:
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes(b"x" * 2048)
    with pytest.raises(ModelUnavailable, match="cannot load the Whisper model"):
        Transcriber(str(tmp_path)).load()


@pytest.mark.audio
def test_answer_played_through_the_sink(transcriber: Transcriber, sink, tmp_path: Path) -> None:
    """paplay into the sink; the Recorder records its monitor and feeds the live decoder."""
    from audio.microphone import Recorder

    question = load_bank().question(2)
    spoken = question.model_answer[:220].rsplit(" ", 1)[0]
    wav = espeak(spoken, tmp_path / "played.wav")
    terms = question_terms(question)
    live = transcriber.live(hotwords=terms)
    recorder = Recorder(tmp_path / "recorded.wav", on_block=live.feed)
    recorder.start()
    subprocess.run(["paplay", f"--device={sink.name}", str(wav)], check=True, timeout=60)
    threading.Event().wait(1.0)
    recording = recorder.stop()
    result = live.finish()
    whole = transcriber.transcribe(recording.path, hotwords=terms)
    expected = normalise(spoken)
    assert recording.duration_s > len(load_audio(wav)) / SAMPLE_RATE
    assert jiwer.wer(expected, normalise(whole.text)) < 0.3, whole.text
    assert jiwer.wer(expected, normalise(result.text)) < 0.3, result.text
    heard = set(normalise(result.text).split())
    assert {"training", "validation", "accuracy"} <= heard
    assert result.duration_s == pytest.approx(recording.duration_s, abs=0.5)


def test_long_answer_is_heard_to_its_end(transcriber: Transcriber, tmp_path: Path) -> None:
    """Over 30 s with the key terms as hotwords, Whisper's own windowing lost whole windows
    here (WER 91%, one segment for the first 30 s); chunks cut at pauses keep every part."""
    bank = load_bank()
    text = " ".join(bank.question(n).model_answer for n in (7, 8))
    audio = load_audio(espeak(text, tmp_path / "q7-8.wav"))
    chunks = speech_chunks(audio)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(audio)
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:], strict=False))
    assert len(chunks) >= 3 and all(b - a <= 30 * SAMPLE_RATE for a, b in chunks)
    result = transcriber.transcribe(audio, hotwords=question_terms(bank.question(7)))
    assert jiwer.wer(normalise(text), normalise(result.text)) < 0.35
    duration = len(audio) / SAMPLE_RATE
    heard = {int(w.start * 4 // duration) for w in result.words}  # which quarter of the answer
    assert heard == {0, 1, 2, 3}


def test_live_decoder_that_fell_behind_takes_its_backlog_in_chunks(
    transcriber: Transcriber, tmp_path: Path
) -> None:
    """A slow machine leaves the live decoder a minute behind; decoding that backlog as one
    window went through Whisper's own windowing, which lost whole windows of this answer."""
    bank = load_bank()
    text = " ".join(bank.question(n).model_answer for n in (7, 8))
    audio = load_audio(espeak(text, tmp_path / "q7-8.wav"))
    live = transcriber.live(hotwords=question_terms(bank.question(7)))
    live.feed(audio)  # all of it before the decoder could take any
    result = live.finish()
    assert result.timings["live_decodes"] >= 3  # a chunk at a time
    assert jiwer.wer(normalise(text), normalise(result.text)) < 0.35
    duration = len(audio) / SAMPLE_RATE
    assert {int(w.start * 4 // duration) for w in result.words} == {0, 1, 2, 3}
