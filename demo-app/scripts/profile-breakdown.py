#!/usr/bin/env python3
"""Where a request's CPU goes: async-profiler collapsed stacks -> CPU samples per 1,000 requests by category.

usage: profile-breakdown.py FILE.collapsed REQUESTS [FILE2.collapsed REQUESTS2 ...]
Each sample is put in the first category whose test matches its stack (order matters: the request's
own work is taken out before the recycler's bookkeeping, which would otherwise contain it).
"""
import sys
from collections import Counter

CATEGORIES = [
    ("JIT compiler threads", lambda s, f: "CompileBroker" in s or "C2Compiler" in s or "C1Compiler" in s),
    ("GC threads", lambda s, f: f[0] in ("clone3", "start_thread", "thread_native_entry")
        and not any("java/" in x or "sun/" in x for x in f)
        and any(x in s for x in ("G1", "GCTask", "WorkerThread::run", "ConcurrentGCThread"))),
    ("other VM threads", lambda s, f: f[0] in ("clone3", "start_thread", "thread_native_entry")
        and not any("java/" in x or "sun/" in x for x in f)),
    ("submitter side (server's own threads)", lambda s, f: f[0].startswith("java/lang/Thread.run") and "ForkJoinWorkerThread" not in s),
    ("GC work on Java threads (allocation slow path, pauses)", lambda s, f: any(x in s for x in (
        "G1CollectedHeap", "SafepointSynchronize::block", "MemAllocator", "InstanceStackChunkKlass"))),
    ("freeze/thaw slow path (new chunk, barriers)", lambda s, f: any(x in s for x in (
        "freeze_slow", "thaw_slow", "StackChunkAllocator", "allocate_chunk", "requires_barriers",
        "FreezeBase::finish_freeze", "thaw_chunk_slow", "do_barriers"))),
    ("request work (the server's handler)", lambda s, f: any(x in s for x in (
        "ServerImpl$Exchange.run", "SocketProcessorBase.run", "HttpChannel", "ReservedThreadExecutor",
        "org/eclipse/jetty/server", "org/apache/coyote", "RequestWork", "DemoHandler"))),
    ("freeze/thaw of continuations", lambda s, f: any(x in s for x in ("Thaw", "Freeze", "thaw", "freeze", "doYield"))),
    ("recycler bookkeeping (worker side)", lambda s, f: "dev/vtrecycler/bootstrap/recycler" in s),
    ("fresh thread start/end", lambda s, f: any(x in s for x in (
        "VirtualThread.start", "VirtualThread.afterDone", "VirtualThread.<init>", "ThreadContainer"))),
    ("scheduler (ForkJoinPool)", lambda s, f: "ForkJoinPool" in s),
    ("other", lambda s, f: True),
]


def breakdown(path, categories=CATEGORIES):
    """(counts per category name, total) of a collapsed-stacks file; alloc-breakdown.py reuses it."""
    counts, total = Counter(), 0
    with open(path) as lines:
        for line in lines:
            stack, _, n = line.rstrip().rpartition(" ")
            n = int(n)
            frames = stack.split(";")
            total += n
            for name, test in categories:
                if test(stack, frames):
                    counts[name] += n
                    break
    return counts, total


def main(args):
    runs = [(args[i], float(args[i + 1])) for i in range(0, len(args), 2)]
    results = [(path, requests, *breakdown(path)) for path, requests in runs]
    print("CPU samples per 1,000 requests (one sample per ms of CPU in profile-server.sh)")
    print(f"{'category':42s}" + "".join(f"{path.rsplit('/', 1)[-1][:18]:>20s}" for path, *_ in results))
    for name, _ in CATEGORIES + [("total", None)]:
        row = f"{name:42s}"
        for path, requests, counts, total in results:
            value = total if name == "total" else counts[name]
            row += f"{value / requests * 1000:20.1f}"
        print(row)


if __name__ == "__main__":
    main(sys.argv[1:])
