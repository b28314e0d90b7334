"""Speech in and out: voice, microphone, player, transcriber. No UI."""
