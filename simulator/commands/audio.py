"""``mock-interview devices | say TEXT | record OUT``: check the sound set-up by hand."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simulator.commands.common import CliError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's subcommands."""
    devices = subparsers.add_parser("devices", help="list the sound input and output devices")
    devices.add_argument("--json", action="store_true", help="print JSON")
    devices.set_defaults(handler=list_devices)

    say = subparsers.add_parser("say", help="speak a text aloud and wait until it is done")
    say.add_argument("text", metavar="TEXT", help="what to say")
    say.add_argument("--rate", type=_positive_int, default=None, help="words per minute")
    say.add_argument("--voice", default=None, help="an espeak-ng voice, e.g. en-us")
    say.set_defaults(handler=say_text)

    record = subparsers.add_parser("record", help="record from a microphone into a WAV file")
    record.add_argument("out", metavar="OUT", help="the WAV file to write")
    record.add_argument(
        "--seconds", type=_positive_float, required=True, metavar="N", help="stop after N s"
    )
    record.add_argument(
        "--device", default=None, metavar="D", help="input device index or name (default: system)"
    )
    record.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    record.set_defaults(handler=record_file)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < value <= 24 * 3600:
        raise argparse.ArgumentTypeError(f"'{text}' must be more than 0 (and at most a day)")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 20 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' must be between 20 and 1000")
    return value


def list_devices(args: argparse.Namespace) -> int:
    from audio.microphone import MicrophoneUnavailable, list_input_devices
    from audio.player import PlaybackError, list_output_devices

    try:
        inputs = list_input_devices()
        outputs = list_output_devices()
    except (MicrophoneUnavailable, PlaybackError) as error:
        raise CliError(str(error)) from None
    if args.json:
        print_json(
            {
                "inputs": [device.to_dict() for device in inputs],
                "outputs": [device.to_dict() for device in outputs],
            }
        )
        return 0
    for title, devices in (("Input devices", inputs), ("Output devices", outputs)):
        print(f"{title}:")
        if not devices:
            print("  none found (is a sound card connected, or a sound server running?)")
        for device in devices:
            mark = "*" if device.is_default else " "
            print(
                f" {mark}{device.index:>3}  {device.name:<32} {device.channels:>3} ch  "
                f"{device.default_samplerate:>7.0f} Hz"
            )
    print("(* = default; use the index or the name with --device)")
    return 0


def say_text(args: argparse.Namespace) -> int:
    from audio.engines import make_synthesizer
    from audio.synthesis import VoiceUnavailable
    from audio.voice import Voice

    if not args.text.strip():
        raise CliError("TEXT is empty; give something to say")
    try:
        voice = Voice(make_synthesizer("espeak-ng", rate=args.rate, voice=args.voice))
    except VoiceUnavailable as error:
        raise CliError(str(error)) from None
    try:
        voice.speak(args.text)
        voice.wait()
    except KeyboardInterrupt:
        voice.stop()
        raise
    finally:
        voice.close()
    if voice.last_error:
        raise CliError(f"could not speak: {voice.last_error}", exit_code=1)
    return 0


def record_file(args: argparse.Namespace) -> int:
    from audio.microphone import MicrophoneUnavailable, Recorder

    out = Path(args.out)
    if out.suffix.lower() != ".wav":
        raise CliError(f"OUT must be a .wav file, not '{out.name}'")
    if out.exists() and not args.force:
        raise CliError(f"{out} already exists; choose another name or add --force")
    recorder = Recorder(out, device=args.device, max_seconds=args.seconds)
    try:
        recorder.start()
    except MicrophoneUnavailable as error:
        raise CliError(str(error)) from None
    sys.stderr.write(f"recording {args.seconds:g} s to {out} (Ctrl-C stops)\n")
    try:
        while recorder.wait(0.1) is None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{_meter(recorder.level_dbfs)} {recorder.elapsed_s:5.1f} s")
                sys.stderr.flush()
            time.sleep(0.0)
        recording = recorder.stop()
    except KeyboardInterrupt:
        recording = recorder.stop()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"{recording.path}: {recording.duration_s:.1f} s")
    if recording.stopped_by == "device_error":
        sys.stderr.write(f"mock-interview: warning: {recording.error}; what was heard is kept\n")
        return 1
    return 0


def _meter(level_dbfs: float, width: int = 30) -> str:
    filled = int(round(max(0.0, min(1.0, (level_dbfs + 60) / 60)) * width))
    return "[" + "#" * filled + "-" * (width - filled) + f"] {level_dbfs:6.1f} dBFS"
