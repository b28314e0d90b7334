#!/usr/bin/env bash
# Start a PulseAudio server with a null sink "vsink" unless one is already running.
# The null sink is a real sound device for PortAudio (through the ALSA pulse plugin):
# what is played into vsink can be recorded from vsink.monitor.
set -uo pipefail
if ! command -v pulseaudio >/dev/null 2>&1; then
    echo "mock-interview: pulseaudio is not installed; audio tests need it (make install-test as root)" >&2
    exit 1
fi
if ! pactl info >/dev/null 2>&1; then
    pulseaudio -D --exit-idle-time=-1 --load="module-null-sink sink_name=vsink" 2>/dev/null
    for _ in $(seq 1 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
pactl list short sinks | grep -q "^[0-9]*\s*vsink\s" \
    || pactl load-module module-null-sink sink_name=vsink >/dev/null
pactl set-default-sink vsink
pactl set-default-source vsink.monitor
pactl info >/dev/null && echo "sound server: $(pactl info | grep 'Server String' | cut -d' ' -f3) (sink vsink)"
