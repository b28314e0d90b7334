"""Sound devices as PortAudio lists them, and the one place that imports sounddevice.

sounddevice is imported lazily, on first use, so that importing any module of ``audio`` never
fails on a machine without PortAudio: the error comes when sound is needed, as the caller's own
exception type with the fix in its message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from audio._alsa import quiet_alsa

PORTAUDIO_FIX = "install PortAudio with: sudo apt-get install libportaudio2"


@dataclass(frozen=True)
class Device:
    """An input or output device as PortAudio lists it."""

    index: int
    name: str
    channels: int
    default_samplerate: float
    is_default: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_sounddevice(unavailable: type[Exception], purpose: str) -> Any:
    """The sounddevice module; a missing PortAudio raises ``unavailable`` saying the fix."""
    try:
        import sounddevice
    except OSError as error:
        raise unavailable(f"cannot {purpose} ({error}); {PORTAUDIO_FIX}") from None
    quiet_alsa()
    return sounddevice


def default_index(sd: Any, kind: Literal["input", "output"]) -> int | None:
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except Exception:
        return None


def device_from_info(
    info: dict[str, Any], kind: Literal["input", "output"], default: int | None
) -> Device:
    return Device(
        index=int(info["index"]),
        name=str(info["name"]),
        channels=int(info[f"max_{kind}_channels"]),
        default_samplerate=float(info["default_samplerate"]),
        is_default=info["index"] == default,
    )


def list_devices(sd: Any, kind: Literal["input", "output"]) -> list[Device]:
    """Every device with channels of ``kind``; empty when there is none."""
    default = default_index(sd, kind)
    return [
        device_from_info(info, kind, default)
        for info in sd.query_devices()
        if info[f"max_{kind}_channels"] > 0
    ]
