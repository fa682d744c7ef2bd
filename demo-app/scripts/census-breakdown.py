#!/usr/bin/env python3
"""Bytes and objects per request by class, from two `jcmd GC.class_histogram -all` listings.

usage: census-breakdown.py LABEL BEFORE AFTER REQUESTS BYTES [LABEL2 BEFORE2 AFTER2 REQUESTS2 BYTES2 ...]
BEFORE, AFTER: histograms taken around a window of load in a JVM that never collected (Epsilon), so
their difference is every object the window allocated; REQUESTS: requests served in the window;
BYTES: the process's own count of bytes allocated in it (the demo's /-/stats), printed beside the
census's total: the two agree within the histogram's own objects and the JVM's non-heap work.
The "thread itself" row sums the classes a virtual thread consists of (its object, its continuation,
its stack chunks, its thread-local map): in the column without the agent, the most any recycling can
save per request. Classes are listed by the largest bytes per request in any column; ROWS (default 30) of them.
"""
import os
import re
import sys

ROW = re.compile(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)")

# What a virtual thread is, whoever made it: what recycling can take away from a request, at most.
THREAD_CLASSES = {
    "java.lang.VirtualThread",
    "java.lang.VirtualThread$VThreadContinuation",
    "jdk.internal.vm.StackChunk",
    "java.lang.ThreadLocal$ThreadLocalMap",
    "[Ljava.lang.ThreadLocal$ThreadLocalMap$Entry;",
}


def histogram(path):
    """class -> (instances, bytes)"""
    with open(path) as f:
        return {m.group(3): (int(m.group(1)), int(m.group(2))) for m in map(ROW.match, f) if m}


def per_request(before, after, requests):
    """class -> (objects per request, bytes per request) allocated between the two listings"""
    diff = {}
    for cls, (count, size) in after.items():
        was = before.get(cls, (0, 0))
        if size > was[1]:
            diff[cls] = ((count - was[0]) / requests, (size - was[1]) / requests)
    return diff


def main(argv):
    if len(argv) < 5 or len(argv) % 5:
        sys.exit(__doc__)
    columns = []
    for i in range(0, len(argv), 5):
        label, before, after, requests, process_bytes = argv[i:i + 5]
        requests = int(requests)
        if requests <= 0:
            sys.exit(f"{label}: no request counted in the window")
        columns.append((label, per_request(histogram(before), histogram(after), requests),
                        int(process_bytes) / requests))
    classes = set().union(*(c[1] for c in columns))
    rows = sorted(classes, key=lambda k: -max(c[1].get(k, (0, 0))[1] for c in columns))
    width = 62
    print(f"{'bytes per request (objects per request)':<{width}}" + "".join(f"{c[0]:>26}" for c in columns))
    print("the process's own count".ljust(width) + "".join(f"{c[2]:>20,.0f} B     " for c in columns))
    print(f"{'the census total':<{width}}" + "".join(
        f"{sum(v[1] for v in c[1].values()):>20,.0f} B     " for c in columns))
    print(f"{'of which the thread itself (see THREAD_CLASSES)':<{width}}"
          + "".join(f"{sum(v[1] for k, v in c[1].items() if k in THREAD_CLASSES):>20,.0f} B     " for c in columns))
    for cls in rows[:int(os.environ.get("ROWS", "30"))]:
        cells = "".join(f"{c[1].get(cls, (0, 0))[1]:>16,.0f} B ({c[1].get(cls, (0, 0))[0]:5.2f})" for c in columns)
        print(f"{cls[:width - 2]:<{width}}{cells}")


if __name__ == "__main__":
    main(sys.argv[1:])
