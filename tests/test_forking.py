"""forking: workers made with os.fork, talking pickles over plain pipes."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

import pytest

from cablelint.app import forking

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")


@contextlib.contextmanager
def running(target) -> Iterator[forking.ForkedWorker]:
    """A worker running ``target``; on leaving, its pipes are closed (an echo worker then sees
    their end and stops) and it is joined."""
    worker = forking.ForkedWorker(target)
    try:
        yield worker
    finally:
        worker.channel.close()
        worker.join(timeout=5)


def _echo(channel: forking.Channel) -> None:
    """Send back every message, until None."""
    while (message := channel.recv()) is not None:
        channel.send(message)


def test_messages_of_any_size_come_back_whole_and_in_order() -> None:
    big = "¶" * 3_000_000  # far beyond a pipe's buffer, both ways
    messages = [(1, ["a.txt"]), big, {"k": (1, 2)}, ValueError("raised in a worker")]
    with running(_echo) as worker:
        for message in messages:
            worker.channel.send(message)
            assert worker.channel.poll(10)
            back = worker.channel.recv()
            if isinstance(message, Exception):
                assert type(back) is ValueError and back.args == message.args
            else:
                assert back == message
        worker.channel.send(None)


def _fail(channel: forking.Channel) -> None:
    raise RuntimeError("in the child")


@pytest.mark.parametrize(
    "target", [lambda channel: os._exit(3), _fail], ids=["worker-that-ends", "target-that-raises"]
)
def test_a_child_that_ends_or_raises_is_seen_as_the_end_of_its_pipe(target) -> None:
    """Whether the child leaves or its target raises, the parent reads the end of the pipe
    (the child never returns into the parent's code)."""
    with running(target) as worker:
        assert forking.ready([worker.channel]) == [worker.channel]
        with pytest.raises(EOFError):
            worker.channel.recv()


def test_ready_names_only_the_workers_with_something_to_read() -> None:
    with running(_echo) as quiet, running(_echo) as talking:
        talking.channel.send("hello")
        assert forking.ready([quiet.channel, talking.channel]) == [talking.channel]
        assert talking.channel.recv() == "hello"
        assert not quiet.channel.poll(0.05)
        for worker in (quiet, talking):
            worker.channel.send(None)


def test_join_terminates_a_worker_that_does_not_end() -> None:
    worker = forking.ForkedWorker(lambda channel: time.sleep(60))
    started = time.monotonic()
    worker.join(timeout=0.2)
    worker.channel.close()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)  # reaped


def test_a_later_worker_does_not_hold_an_earlier_ones_pipe_open() -> None:
    first = forking.ForkedWorker(_echo)
    with running(_echo) as second:  # forked while the parent holds first's ends
        first.channel.close()  # the parent's ends: first must now see the end of its pipe
        started = time.monotonic()
        first.join(timeout=5)  # a held pipe would keep it reading until terminated at 5 s
        assert time.monotonic() - started < 4
        second.channel.send(None)


def test_a_closed_channel_closes_nothing_again() -> None:
    read_fd, write_fd = os.pipe()
    channel = forking.Channel(read_fd, write_fd)
    channel.close()
    again_read, again_write = os.pipe()  # may reuse the numbers just freed
    try:
        channel.close()
        os.write(again_write, b"x")  # still open
        assert os.read(again_read, 1) == b"x"
    finally:
        os.close(again_read)
        os.close(again_write)
