"""Ctrl-C stops a fit between two iterations with KeyboardInterrupt (the
GIL is released during the fit; a callback takes it back to check for
signals). Run in a fresh process: SIGINT is sent by a timer thread while
the main thread is inside a long fit."""

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json, os, signal, threading, time
    import numpy as np
    import fisheropt
    rng = np.random.default_rng(3)
    n, p = 100000, 30
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    y = (rng.random(n) < 1 / (1 + np.exp(-x[:, :4].sum(axis=1)))).astype(float)
    # The plain natural gradient at a small fixed rate: thousands of
    # iterations, seconds of work.
    start = time.monotonic()
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    outcome = "finished"
    try:
        fisheropt.glm(x, y, optimizer="natural-gradient", max_iterations=100000,
                      tol=0.0)
    except KeyboardInterrupt:
        outcome = "interrupted"
    elapsed = time.monotonic() - start
    # The module still works after an interrupt.
    ok = fisheropt.glm(x[:1000], y[:1000]).converged
    print(json.dumps({"outcome": outcome, "elapsed": elapsed, "ok": ok}))
""")


def test_keyboard_interrupt_stops_the_fit():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True,
                            text=True, check=True, timeout=300)
    numbers = json.loads(result.stdout)
    assert numbers["outcome"] == "interrupted", numbers
    assert numbers["ok"]


def test_gil_is_released_during_a_fit():
    # Another Python thread runs while a fit is inside the library: with the
    # GIL held it would stall for the whole fit. The longest pause between
    # two of its loop turns stays far below the fit's time.
    import threading
    import time

    import numpy as np

    import fisheropt

    rng = np.random.default_rng(4)
    n, p = 100000, 30
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    y = (rng.random(n) < 0.5).astype(float)
    done = threading.Event()
    gaps = []

    def watch():
        last, longest = time.perf_counter(), 0.0
        while not done.is_set():
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now
        gaps.append(longest)

    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.perf_counter()
    fit = fisheropt.glm(x, y, optimizer="natural-gradient", max_iterations=40,
                        tol=0.0)
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    assert fit.iterations >= 10
    assert elapsed > 0.2, elapsed  # long enough to tell
    assert gaps[0] < 0.5 * elapsed, (gaps, elapsed)
