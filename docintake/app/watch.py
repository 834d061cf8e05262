"""`docintake watch`: run a batch when the inbox has been quiet for `settle` seconds after a change.

Events come from watchdog (inotify on Linux); a periodic full rescan catches whatever events missed,
and `poll` switches to watchdog's PollingObserver for network shares where inotify is silent.
Stability itself is judged by the batch (docintake.batch.not_ready), so an event only makes the next
look come sooner; a batch runs only when something is pending, so an idle inbox makes no flow runs.
"""

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from docintake.pipeline.history import History, HistoryError
from docintake.pipeline.inbox import pending


class _Changed(FileSystemEventHandler):
    def __init__(self):
        self.last = 0.0
        self.dirty = threading.Event()

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a bundle (our own check) is not a change
        self.last = time.monotonic()
        self.dirty.set()


def watch(inbox: Path, outbox: Path, history: str | None, run: Callable[[], None], settle: float = 10.0,
          rescan: float = 300.0, poll: float | None = None, stop: threading.Event | None = None,
          log: Callable[[str], None] = print) -> None:
    """Until `stop` is set (or SIGTERM/SIGINT): call `run()` (a batch) whenever bundles are pending."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    changed = _Changed()
    observer = PollingObserver(timeout=poll) if poll else Observer()
    observer.schedule(changed, str(inbox), recursive=True)
    observer.start()
    mode = f"轮询（每 {poll:g} 秒）" if poll else "文件系统事件"
    log(f"开始监视 {inbox}（{mode}，稳定等待 {settle:g} 秒，全量扫描每 {rescan:g} 秒）")
    next_scan = 0.0  # a first look at once: bundles dropped while we were down
    try:
        while not stop.is_set():
            now = time.monotonic()
            quiet = changed.dirty.is_set() and now - changed.last >= settle
            if quiet or now >= next_scan:
                changed.dirty.clear()
                next_scan = now + rescan
                try:
                    todo, waiting = _pending(inbox, outbox, history, settle)
                    if todo:
                        run()
                    if todo or waiting:  # a bundle still settling: look again once it may be stable
                        next_scan = min(next_scan, time.monotonic() + max(settle, 1.0))
                except HistoryError as exc:  # locked or broken store: nothing taken, try again later
                    log(f"错误：{exc}")
                    next_scan = min(next_scan, time.monotonic() + 30)
            stop.wait(1.0)
    finally:
        observer.stop()
        observer.join(timeout=5)
        log("已停止监视")


def _pending(inbox: Path, outbox: Path, history: str | None, settle: float):
    store = History(history)
    try:
        return pending(inbox, outbox, store, settle)
    finally:
        store.close()
