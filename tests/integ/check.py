"""Small checks for the integration cases (cases.sh): check.py CHECK ARGS...

Each check prints nothing and exits 0 when it holds, or prints one line
saying what was observed against what was expected and exits 1.
"""
import json
import os
import sys

WRITE_ERRNOS = {"EIO", "ENOSPC", "EDQUOT", "EFBIG", "EPERM"}


def bad(msg):
    print(msg)
    sys.exit(1)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        bad("%s: not valid JSON: %s" % (path, e))


def multi_lines(path):
    """Parses multi's output into (syscall, file, len, ordinal, result, value)."""
    out, seen = [], {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) != 5 or w[3] not in ("returned", "errno"):
                bad("unexpected line from multi: %r" % line)
            key = (w[0], w[1])
            ordinal = seen.get(key, 0)
            seen[key] = ordinal + 1
            value = int(w[4]) if w[3] == "returned" else w[4]
            out.append((w[0], w[1], int(w[2]), ordinal, w[3], value))
    return out


def show_faults(d):
    """The faults of a `fifuzz show --json` object, each with syscall and path."""
    faults = []
    for s in d.get("streams", []):
        for it in s.get("items", []):
            if it.get("kind") != "pass":
                faults.append(dict(it, syscall=s.get("syscall"), path=s.get("path")))
    return faults


def prefix(path, text="some great stuff"):
    """The file holds a strict, non-empty prefix of text."""
    data = open(path, "rb").read()
    want = text.encode()
    if not (0 < len(data) < len(want) and want.startswith(data)):
        bad("%s holds %r, expected a strict non-empty prefix of %r" % (os.path.basename(path), data, want))


def torn_only(path, text="some great stuff"):
    """The file is not empty and never got the whole text."""
    data = open(path, "rb").read()
    if not data or text.encode() in data:
        bad("%s holds %r, expected torn pieces of %r" % (os.path.basename(path), data, text))


def outcome(path):
    """Prints "KIND CODE VERDICT" of a report or show --json object."""
    d = load(path)
    o = d.get("outcome") or {}
    print("%s %s %s" % (o.get("kind"), o.get("code"), d.get("verdict")))


def short_exact(show_json, prog_out):
    """Every short fault's n is what multi saw; every call was shortened."""
    faults = show_faults(load(show_json))
    calls = {(c[0], c[1], c[3]): c for c in multi_lines(prog_out)}
    shorts = [f for f in faults if f.get("kind") == "short"]
    if not shorts:
        bad("the trace has no short fault (faults: %s)" % faults[:3])
    if len(shorts) != len(calls):
        bad("%d short faults in the trace for %d calls of multi at rate 1" % (len(shorts), len(calls)))
    vec = 0
    for f in shorts:
        key = (f["syscall"], os.path.basename(f["path"]), f["ordinal"])
        c = calls.get(key)
        if c is None:
            bad("fault %s %s #%s has no matching call in multi's output" % key)
        if c[4] != "returned" or c[5] != f["n"]:
            bad("%s %s #%s: trace says short %s, multi saw %s %s" % (key + (f["n"], c[4], c[5])))
        if c[2] != f["len"]:
            bad("%s %s #%s: trace says len %s, multi asked for %s" % (key + (f["len"], c[2])))
        if not 0 < f["n"] < f["len"]:
            bad("%s %s #%s: short n=%s is not in 1..len-1 (len %s)" % (key + (f["n"], f["len"])))
        if f["syscall"] in ("writev", "pwritev2"):
            vec += 1
    if not vec:
        bad("no writev/pwritev2 call was shortened")


def multi_content(outdir, prog_out, m):
    """a.out, b.out and c.out hold exactly the bytes multi was told landed:
    the first N bytes of each record whose call returned N, nothing of a
    record whose call failed (this mirrors multi.c's record layout)."""
    m = int(m)
    want = {"a.out": b"", "b.out": b"", "c.out": b""}
    for i, c in enumerate(multi_lines(prog_out)):
        ln = 2 + (i * 37 + m * 11) % 120
        rec = bytes(ord("a") + (i + j) % 26 for j in range(ln - 1)) + b"\n"
        if c[2] != ln or c[1] != "abc"[i % 3] + ".out":
            bad("multi's call %d was %s %s %d, expected len %d on %s.out" % (i, c[0], c[1], c[2], ln, "abc"[i % 3]))
        if c[4] == "returned":
            want[c[1]] += rec[:c[5]]
    for name, data in want.items():
        got = open(os.path.join(outdir, name), "rb").read()
        if got != data:
            bad("%s holds %d bytes, expected the %d bytes multi was told landed (first difference at %d)"
                % (name, len(got), len(data), next((k for k in range(min(len(got), len(data))) if got[k] != data[k]),
                                                   min(len(got), len(data)))))


def errnos(prog_out, count):
    """Every call multi made failed with a documented write errno."""
    calls = multi_lines(prog_out)
    if len(calls) != int(count):
        bad("multi made %d calls, expected %s" % (len(calls), count))
    for c in calls:
        if c[4] != "errno":
            bad("%s %s #%d returned %s at rate 1 with --faults error" % (c[0], c[1], c[3], c[5]))
        if c[5] not in WRITE_ERRNOS:
            bad("%s %s #%d failed with %s, not one of %s" % (c[0], c[1], c[3], c[5], " ".join(sorted(WRITE_ERRNOS))))


def only_path(report, path):
    """The report has faults, all of them on path."""
    faults = load(report).get("faults")
    if not isinstance(faults, list) or not faults:
        bad("report has no faults (expected some on %s): %r" % (path, faults))
    for f in faults:
        if f.get("path") != path:
            bad("fault on %r, expected only %r: %r" % (f.get("path"), path, f))


def report_keys(report, seed, prog_out):
    """The run report has the documented keys and agrees with multi's output."""
    d = load(report)
    missing = [k for k in ("seed", "command", "eligible", "faults", "outcome", "verdict") if k not in d]
    if missing:
        bad("report lacks %s (has %s)" % (", ".join(missing), ", ".join(sorted(d))))
    if d["seed"] != int(seed):
        bad("report seed %r, expected %s" % (d["seed"], seed))
    if not isinstance(d["command"], list) or os.path.basename(d["command"][0]) != "multi":
        bad("report command %r, expected [.../multi, ...]" % (d["command"],))
    calls = multi_lines(prog_out)
    if d["eligible"] != len(calls):
        bad("report eligible %r, multi made %d calls" % (d["eligible"], len(calls)))
    hit = [c for c in calls if not (c[4] == "returned" and c[5] == c[2])]
    if len(d["faults"]) != len(hit):
        bad("report lists %d faults, multi saw %d calls fail or come back short" % (len(d["faults"]), len(hit)))
    for f in d["faults"]:
        for k in ("syscall", "path", "ordinal", "kind", "len"):
            if k not in f:
                bad("report fault lacks %r: %r" % (k, f))
    if d["outcome"].get("kind") != "exited" or d["outcome"].get("code") != 0 or d["verdict"] != "pass":
        bad("report outcome %r verdict %r, expected exited 0, pass" % (d["outcome"], d["verdict"]))


def diverged(report):
    """The replay report says the replay diverged."""
    d = load(report)
    r = d.get("replay")
    flag = r.get("diverged") if isinstance(r, dict) else d.get("diverged")
    if flag is not True:
        bad("report diverged is %r, expected true (replay: %r)" % (flag, r))


def flips(trace, outdir):
    """Writes outdir/N.trace: trace with byte N inverted, for every N."""
    data = open(trace, "rb").read()
    for i in range(len(data)):
        b = bytearray(data)
        b[i] ^= 0xFF
        with open(os.path.join(outdir, "%d.trace" % i), "wb") as f:
            f.write(b)


def patch(trace, out, offset, hexbytes):
    """Writes out: trace with the bytes at offset replaced."""
    b = bytearray(open(trace, "rb").read())
    new = bytes.fromhex(hexbytes)
    b[int(offset):int(offset) + len(new)] = new
    with open(out, "wb") as f:
        f.write(b)


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
