"""The hunt's table, from each recipe's OUT/<recipe>/meta and campaign/report.json.

Usage: hunt-table.py --one DIR          prints one recipe's line
       hunt-table.py -o OUT DIR...      writes OUT/hunt.md and OUT/hunt.json and prints the table
"""
import json
import os
import sys

VERDICTS = ["crash", "hang", "sanitizer", "check", "crash-consistency", "corruption"]


def row(d):
    """One recipe's results as a dict, or None when it did not run."""
    try:
        with open(os.path.join(d, "meta")) as f:
            meta = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    except OSError:
        return None
    r = {
        "recipe": meta["name"],
        "version": meta["version"],
        "careful": meta["careful"] == "1",
        "power_cuts": meta.get("crash") == "1",
        "native_ms": int(meta["native_ms"]),
        "fifuzz_ms": int(meta["fifuzz_ms"]),
        "campaign_exit": int(meta["exit"]),
        "wall_s": int(meta["wall_s"]),
        "report": os.path.join(d, "campaign", "report.json"),
    }
    try:
        with open(r["report"]) as f:
            rep = json.load(f)
    except (OSError, ValueError):
        r.update(runs_by_faults=None, outcomes=None, varying_outputs=[], runs=0, runs_per_s=0, failures=0, by_verdict={}, distinct_bugs=0, bugs=[],
                 corruption_oracle=None, note="no report (campaign exit %d)" % r["campaign_exit"])
        return r
    by = {}
    for b in rep["bugs"]:
        by[b["verdict"]] = by.get(b["verdict"], 0) + b["count"]
    r.update(runs_by_faults=rep.get("runs_by_faults"), outcomes=rep.get("outcomes"), varying_outputs=rep.get("varying_outputs", []), runs=rep["runs"], runs_per_s=rep["runs_per_s"], failures=rep["failures"], by_verdict=by,
             distinct_bugs=rep["distinct_bugs"], corruption_oracle=rep["corruption_oracle"],
             bugs=[{k: b.get(k) for k in ("signature", "verdict", "count", "first_seed", "sites", "check_message")}
                   for b in rep["bugs"]],
             note="; ".join(n for n in (
                 "power cuts" if r["power_cuts"] else "",
                 "" if rep["corruption_oracle"] or r["power_cuts"] else "corruption oracle off",
                 "varying: " + ", ".join(str(v) for v in rep.get("varying_outputs", [])) if rep.get("varying_outputs") else "",
             ) if n))
    return r


def outcomes(o, cuts):
    """How the runs ended: "exit 0: 150, exit 1: 50" (signals, hangs, runs stopped by a power cut too)."""
    if not o:
        return "-"
    parts = ["exit %s: %d" % (k, v) for k, v in sorted(o["exit"].items(), key=lambda kv: int(kv[0])) if v]
    parts += ["signal %s: %d" % (k, v) for k, v in sorted(o["signal"].items(), key=lambda kv: int(kv[0])) if v]
    if o.get("hang"):
        parts.append("hang: %d" % o["hang"])
    if o.get("other"):
        parts.append("%s: %d" % ("cut" if cuts else "other", o["other"]))
    return ", ".join(parts) or "-"


def faults(f):
    """How many runs got 0, 1, 2-9, 10+ faults: "12/150/38/0"."""
    return "/".join(str(f.get(k, 0)) for k in ("0", "1", "2-9", "10+")) if f else "-"


def line(r):
    verdicts = ", ".join("%s %d" % (v, r["by_verdict"][v]) for v in VERDICTS if v in r["by_verdict"]) or "-"
    return "| %s%s | %s | %d | %.1f | %d / %d | %s | %s | %d | %s | %d | %s |" % (
        r["recipe"], " (careful)" if r["careful"] else "", r["version"], r["runs"], r["runs_per_s"],
        r["native_ms"], r["fifuzz_ms"], faults(r["runs_by_faults"]), outcomes(r["outcomes"], r["power_cuts"]), r["failures"], verdicts, r["distinct_bugs"],
        r["note"])


HEAD = ("| recipe | version | runs | runs/s | ms native / fifuzz | runs with 0/1/2-9/10+ faults | outcomes | failures"
        " | by verdict | distinct bugs | note |\n|---|---|---|---|---|---|---|---|---|---|---|")


def main(argv):
    if argv[:1] == ["--one"]:
        r = row(argv[1])
        if r:
            print("hunt: %s: %d runs, %d failing, %d distinct bugs %s" % (
                r["recipe"], r["runs"], r["failures"], r["distinct_bugs"], r["note"]))
        return 0
    out = argv[1]
    rows = [r for r in (row(d) for d in argv[2:]) if r]
    md = HEAD + "\n" + "\n".join(line(r) for r in rows) + "\n"
    with open(os.path.join(out, "hunt.md"), "w") as f:
        f.write(md)
    with open(os.path.join(out, "hunt.json"), "w") as f:
        json.dump(rows, f, indent=1)
        f.write("\n")
    print(md, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
