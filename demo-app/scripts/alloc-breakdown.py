#!/usr/bin/env python3
"""Where a request's bytes go: async-profiler allocation stacks -> bytes per request by category.

usage: alloc-breakdown.py FILE.collapsed REQUESTS BYTES_PER_REQUEST [FILE2.collapsed REQUESTS2 BYTES2 ...]
FILE: collapsed stacks of `event=alloc,total` (each line's number is bytes); REQUESTS: requests
served while it was recorded; BYTES_PER_REQUEST: the process's own count over the same load (the
demo's /-/stats), whose excess over the profile's total is printed as "not seen by the profiler":
HotSpot allocates a continuation's stack chunks in freeze, out of the profiler's sight.
Each stack goes to the first category whose test matches (order matters).
"""
import importlib.util
import os
import sys

# the same reading of collapsed stacks as the CPU breakdown, with this file's categories
_spec = importlib.util.spec_from_file_location(
    "profile_breakdown", os.path.join(os.path.dirname(os.path.abspath(__file__)), "profile-breakdown.py"))
PROFILE_BREAKDOWN = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(PROFILE_BREAKDOWN)


def allocation_site(frames):
    """The innermost frame that is neither the JDK's nor a generated lambda's: who asked."""
    return next((f for f in reversed(frames[:-1]) if not f.startswith(("java/", "jdk/", "sun/"))), "")


CATEGORIES = [
    ("the thread's name (builder counter)", lambda s, f: "nextThreadName" in s),
    ("sleep/park timeout task", lambda s, f: "DelayScheduler" in s or "ScheduledForkJoinTask" in f[-1]
        or "VirtualThread$$Lambda" in f[-1] or "VirtualThread-unparker" in s),
    ("Tomcat header encoding (MessageBytes.toBytes)", lambda s, f: "MessageBytes.toBytes" in s),
    ("thread locals", lambda s, f: "ThreadLocal" in s),
    ("VirtualThread and its continuation", lambda s, f: f[-1].startswith(
        ("java.lang.VirtualThread", "java.lang.ThreadBuilders", "jdk.internal.vm.Continuation"))),
    ("the agent's own", lambda s, f: allocation_site(f).startswith(("dev/vtrecycler/bootstrap", "dev/vtrecycler/agent"))),
    ("the rest (request, response, work)", lambda s, f: True),
]


def breakdown(path):
    return PROFILE_BREAKDOWN.breakdown(path, CATEGORIES)


def main(args):
    runs = [(args[i], float(args[i + 1]), float(args[i + 2])) for i in range(0, len(args), 3)]
    results = [(path, requests, measured, *breakdown(path)) for path, requests, measured in runs]
    print("bytes per request (async-profiler's estimate per category; the process's own count on top)")
    print(f"{'category':48s}" + "".join(f"{path.rsplit('/', 1)[-1][:18]:>20s}" for path, *_ in results))
    print(f"{'total (the process counts)':48s}" + "".join(f"{measured:20.0f}" for _, _, measured, _, _ in results))
    print(f"{'not seen by the profiler (stack chunks)':48s}"
          + "".join(f"{measured - total / requests:20.0f}" for _, requests, measured, _, total in results))
    for name, _ in CATEGORIES:
        print(f"{name:48s}" + "".join(f"{counts[name] / requests:20.0f}" for _, requests, _, counts, _ in results))


if __name__ == "__main__":
    main(sys.argv[1:])
