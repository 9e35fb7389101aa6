#!/usr/bin/env python3
"""Load Eventscape's event logs with PM4Py and compare PM4Py's directly-follows graph
with the one Eventscape's miner (analysis::process) found for the same run.

    pm4py-check.py LOG.xes LOG.ocel.json [PROCESS.json]

LOG.xes and LOG.ocel.json come from `eventscape export MODEL --format xes|ocel`.
PROCESS.json is the miner's `Process` as JSON (activities, flows with counts, starts,
ends); the ignored test `eventlog::pm4py_agrees_with_the_miner` writes it for the same
run. Without it the script only loads both logs and prints PM4Py's figures.

XES: PM4Py's DFG of the `complete` events (a handled message is a start and a complete
event; the miner counts it once). OCEL: the log flattened on the `item` object type
(one case per correlation id), every event. Exit 0 when both agree with the miner
exactly (every flow, count, start and end), 1 otherwise, 2 when a log does not load.

PM4Py is AGPL: this is an external checker, never a dependency of Eventscape.
"""
import contextlib
import io
import json
import sys


def quiet(f, *args, **kwargs):
    """Run f with PM4Py's banner and progress bars out of the way (on stderr)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return f(*args, **kwargs)


def dfg_of(df):
    import pm4py
    dfg, starts, ends = quiet(pm4py.discover_dfg, df)
    return (
        {(a, b): int(n) for (a, b), n in dfg.items()},
        {a: int(n) for a, n in starts.items()},
        {a: int(n) for a, n in ends.items()},
    )


def ours(path):
    p = json.load(open(path))
    names = [a["name"] for a in p["activities"]]
    flows = {(names[f["from"]], names[f["to"]]): f["count"] for f in p["flows"]}
    starts = {names[i]: n for i, n in p["starts"]}
    ends = {names[i]: n for i, n in p["ends"]}
    return flows, starts, ends


def differences(what, theirs, mine):
    out = []
    for label, t, m in zip(("flow", "start", "end"), theirs, mine):
        for k in sorted(set(t) | set(m), key=str):
            if t.get(k, 0) != m.get(k, 0):
                out.append(f"{what} {label} {k}: PM4Py {t.get(k, 0)}, Eventscape {m.get(k, 0)}")
    return out


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__)
        return 2
    xes_path, ocel_path = argv[1], argv[2]
    try:
        import pm4py
        log = quiet(pm4py.read_xes, xes_path)
        complete = log[log["lifecycle:transition"] == "complete"]
        xes = dfg_of(complete)
        ocel = quiet(pm4py.read_ocel2_json, ocel_path)
        flat = quiet(pm4py.ocel_flattening, ocel, "item")
        oc = dfg_of(flat)
    except Exception as e:  # a log PM4Py cannot read is the finding
        print(f"FAIL: PM4Py could not load the logs: {type(e).__name__}: {e}")
        return 2
    cases = log["case:concept:name"].nunique()
    summary = (
        f"XES {cases} cases, {len(log)} events ({len(complete)} complete), "
        f"{len(xes[0])} flows; OCEL {len(ocel.events)} events, {len(ocel.objects)} objects, "
        f"{len(ocel.relations)} relations, {len(oc[0])} flows on item"
    )
    if len(argv) == 3:
        print(summary)
        return 0
    mine = ours(argv[3])
    diff = differences("XES", xes, mine) + differences("OCEL", oc, mine)
    if diff:
        print(f"FAIL: {summary}; {len(diff)} differences from the miner:")
        for d in diff[:20]:
            print("  " + d)
        return 1
    print(f"ok: {summary}; PM4Py's DFG equals the miner's ({sum(mine[0].values())} hand-offs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
