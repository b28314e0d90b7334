"""Blocks heard before the transcriber exists are kept and fed first, in order."""

from __future__ import annotations

import threading

from simulator.answering import BlockRelay


def test_backlog_is_fed_in_order_then_blocks_pass_straight_through() -> None:
    relay = BlockRelay()
    for block in (1, 2, 3):
        relay(block)
    assert relay.waiting == 3
    fed: list[int] = []
    relay.connect(fed.append)
    relay(4)
    assert fed == [1, 2, 3, 4] and relay.waiting == 0


def test_blocks_from_another_thread_during_connect_are_not_lost_or_reordered() -> None:
    relay = BlockRelay()
    fed: list[int] = []
    started = threading.Event()

    def produce() -> None:
        for block in range(5000):
            relay(block)
            if block == 100:
                started.set()

    producer = threading.Thread(target=produce)
    producer.start()
    started.wait(5)
    relay.connect(fed.append)
    producer.join(10)
    assert fed == list(range(5000))
