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


def field(path, key):
    """Prints a top-level field of a JSON file, as JSON."""
    print(json.dumps(load(path).get(key)))


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


def multi_content(outdir, prog_out, m, scale="1", show_json=None, holes=""):
    """a.out, b.out and c.out hold exactly the bytes that landed: the first N
    bytes of each record whose call returned N, and of a torn call the n
    bytes show_json (`fifuzz show --json`) says landed, each at the offset
    multi used (it advances by what calls returned, and with holes by the
    record's length after a failed call). Mirrors multi.c."""
    m, scale = int(m), int(scale)
    torn = {}
    if show_json:
        for f in show_faults(load(show_json)):
            if f.get("kind") == "torn":
                torn[(f["syscall"], os.path.basename(f["path"]), f["ordinal"])] = f["n"]
    files = {n: bytearray() for n in ("a.out", "b.out", "c.out")}
    off = dict.fromkeys(files, 0)
    for i, c in enumerate(multi_lines(prog_out)):
        name = "abc"[i % 3] + ".out"
        ln = (2 + (i * 37 + m * 11) % 120) * scale
        if c[2] != ln or c[1] != name:
            bad("multi's call %d was %s %s %d, expected len %d on %s" % (i, c[0], c[1], c[2], ln, name))
        landed = c[5] if c[4] == "returned" else torn.get((c[0], c[1], c[3]), 0)
        rec = bytes(ord("a") + (i + j) % 26 for j in range(ln - 1)) + b"\n"
        f = files[name]
        if len(f) < off[name]:
            f.extend(bytes(off[name] - len(f)))
        f[off[name]:off[name] + landed] = rec[:landed]
        if c[4] == "returned":
            off[name] += c[5]
        elif holes == "holes":
            off[name] += ln
    for name, data in files.items():
        got = open(os.path.join(outdir, name), "rb").read()
        if got != data:
            first = next((k for k in range(min(len(got), len(data))) if got[k] != data[k]), min(len(got), len(data)))
            bad("%s holds %d bytes, expected the %d bytes that landed (first difference at %d)"
                % (name, len(got), len(data), first))


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


def replay_ok(report):
    """The replay report says it reproduced the run without diverging."""
    r = load(report).get("replay")
    if not isinstance(r, dict) or r.get("reproduced") is not True or r.get("diverged") is not False:
        bad("replay report: %r, expected reproduced true and diverged false" % (r,))


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


def interrupt(sig, ready, out, err, *cmd):
    """Runs cmd (stdout to out, stderr to err), waits until the file ready exists,
    sends it signal sig (a name: INT, TERM, HUP) and prints its exit status
    as a shell would (128+N when killed by signal N). A shell cannot do this
    for SIGINT: it starts background commands with SIGINT ignored."""
    import signal
    import subprocess
    import time
    with open(out, "wb") as o, open(err, "wb") as e:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=o, stderr=e)
    deadline = time.monotonic() + 60
    while not os.path.exists(ready):
        if p.poll() is not None or time.monotonic() > deadline:
            p.kill()
            bad("%s did not appear within 60s (exit %s)" % (ready, p.wait()))
        time.sleep(0.05)
    p.send_signal(getattr(signal, "SIG" + sig))
    try:
        rc = p.wait(60)
    except subprocess.TimeoutExpired:
        p.kill()
        bad("still running 60s after SIG%s" % sig)
    print(128 - rc if rc < 0 else rc)


ODD_NAMES = ["new\nline.out", "tab\there.out", "quote\"back\\slash.out", "utf8-\u00e9.out", "esc-\x1b[31m.out"]


def odd_names(show_json, show_txt, report):
    """show --json and the report carry the odd names of names.c; show's text
    stays one line per item, without control bytes."""
    streams = [s.get("path") for s in load(show_json).get("streams", [])]
    faults = [f.get("path") for f in load(report).get("faults", [])]
    for name in ODD_NAMES:
        if name not in streams:
            bad("show --json lacks the path %r (has %r)" % (name, streams))
        if name not in faults:
            bad("the report lacks the path %r (has %r)" % (name, faults))
    text = open(show_txt, "rb").read()
    lines = text.split(b"\n")[:-1]
    items = [l for l in lines if l.startswith(b"write ")]
    if len(items) != 6 or not lines[-1].startswith(b"outcome: "):
        bad("show printed %d item lines for 6 streams (and must end with the outcome): %r" % (len(items), text))
    ctl = [c for c in set(text) if c < 0x20 and c != 0x0A or c == 0x7F]
    if ctl:
        bad("show printed control bytes %r" % sorted(ctl))


def one_line_each(err, nfaults):
    """fifuzz's run messages are one line each (a file name cannot split
    one or drive the terminal): nfaults fault lines among 3 others."""
    text = open(err, "rb").read()
    lines = [l for l in text.split(b"\n")[:-1]]
    if len(lines) != int(nfaults) + 3:
        bad("fifuzz printed %d lines for %s faults, expected %d: %r" % (len(lines), nfaults, int(nfaults) + 3, text))
    if b"\x1b" in text:
        bad("fifuzz printed a raw escape byte from a file name: %r" % text)


CAMP_KEYS = ("command", "seeds", "runs", "failures", "distinct_bugs", "interrupted", "corruption_oracle", "bugs")
BUG_KEYS = ("signature", "verdict", "outcome", "count", "first_seed", "faults", "minimized_faults", "dir", "sites")


def camp_report(report, outdir, minimized="yes"):
    """A campaign's report.json is whole and agrees with outdir/failures:
    one directory per bug, named by its signature, with its files
    (minimized.trace too unless minimized is "no"); the counts add up."""
    d = load(report)
    missing = [k for k in CAMP_KEYS if k not in d]
    if missing:
        bad("report.json lacks %s (has %s)" % (", ".join(missing), ", ".join(sorted(d))))
    bugs = d["bugs"]
    if d["distinct_bugs"] != len(bugs):
        bad("report.json: distinct_bugs %r but %d bugs listed" % (d["distinct_bugs"], len(bugs)))
    if d["failures"] != sum(b.get("count", 0) for b in bugs):
        bad("report.json: failures %r but the bugs' counts add up to %d"
            % (d["failures"], sum(b.get("count", 0) for b in bugs)))
    fdir = os.path.join(outdir, "failures")
    dirs = sorted(os.listdir(fdir)) if os.path.isdir(fdir) else []
    sigs = sorted(b.get("signature") for b in bugs)
    if dirs != sigs:
        bad("%s holds %r, the report's signatures are %r" % (fdir, dirs, sigs))
    files = ["trace", "stderr", "stdout", "README"] + (["minimized.trace"] if minimized != "no" else [])
    for b in bugs:
        lack = [k for k in BUG_KEYS if k not in b]
        if lack:
            bad("report.json: bug %r lacks %s" % (b.get("signature"), ", ".join(lack)))
        if os.path.realpath(b["dir"]) != os.path.realpath(os.path.join(fdir, b["signature"])):
            bad("report.json: bug %s has dir %r, expected %s" % (b["signature"], b["dir"], os.path.join(fdir, b["signature"])))
        for f in files:
            if not os.path.isfile(os.path.join(fdir, b["signature"], f)):
                bad("%s has no %s" % (os.path.join(fdir, b["signature"]), f))
        # After a power cut a bug needs no fault: the cut after the run is enough.
        least = 0 if b.get("verdict") == "crash-consistency" else 1
        if b["count"] < 1 or b["faults"] < least:
            bad("report.json: bug %s has count %r, faults %r" % (b["signature"], b["count"], b["faults"]))
        if minimized != "no" and (b["minimized_faults"] is None or not least <= b["minimized_faults"] <= b["faults"]):
            bad("report.json: bug %s has minimized_faults %r (faults %r)" % (b["signature"], b["minimized_faults"], b["faults"]))


def camp(report):
    """Prints a campaign report's "runs failures distinct_bugs interrupted
    corruption_oracle", then one "signature verdict count first_seed
    minimized_faults" line per bug, sorted."""
    d = load(report)
    print("%s %s %s %s %s" % (d.get("runs"), d.get("failures"), d.get("distinct_bugs"),
                              json.dumps(d.get("interrupted")), json.dumps(d.get("corruption_oracle"))))
    for b in sorted(d.get("bugs", []), key=lambda b: str(b.get("signature"))):
        print("%s %s %s %s %s" % (b.get("signature"), b.get("verdict"), b.get("count"), b.get("first_seed"),
                                  json.dumps(b.get("minimized_faults"))))


def check_env(envdir, report, runs):
    """The --check script of camp_check wrote envdir/SEED.PID for each time it
    ran: every variable is set and right, the check ran in the run's
    directory, and the seeds where it failed are the report's failures."""
    seen, failed = set(), set()
    for name in sorted(os.listdir(envdir)):
        env = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(envdir, name)) if "=" in l)
        seed = name.split(".")[0]
        where = "check run %s: " % name
        if env.get("SEED") != seed:
            bad(where + "FIFUZZ_SEED=%r" % env.get("SEED"))
        if env.get("EXIT") != "0" or env.get("SIGNAL") != "0" or env.get("VERDICT") != "pass":
            bad(where + "FIFUZZ_EXIT=%r FIFUZZ_SIGNAL=%r FIFUZZ_VERDICT=%r, expected 0, 0, pass"
                % (env.get("EXIT"), env.get("SIGNAL"), env.get("VERDICT")))
        if not env.get("FAULTS", "").isdigit():
            bad(where + "FIFUZZ_FAULTS=%r" % env.get("FAULTS"))
        if env.get("OUT_HERE") != "yes":
            bad(where + "lastline.out is not in the check's working directory (%s)" % env.get("PWD"))
        if env.get("STDOUT_TEXT") != "lastline: wrote 5 lines":
            bad(where + "FIFUZZ_STDOUT=%r holds %r, expected the program's stdout"
                % (env.get("STDOUT"), env.get("STDOUT_TEXT")))
        if env.get("STDERR_SET") != "yes":
            bad(where + "FIFUZZ_STDERR=%r is not a file" % env.get("STDERR"))
        if env.get("TRACE", "") and env.get("TRACE_READABLE") != "yes":
            bad(where + "FIFUZZ_TRACE=%r: no readable trace there while the check runs" % env.get("TRACE"))
        if env.get("TRACE", ""):
            seen.add(seed)
            if env.get("CHECK") == "fail":
                failed.add(seed)
    if len(seen) != int(runs):
        bad("the check ran with FIFUZZ_TRACE set for %d seeds, the campaign made %s runs" % (len(seen), runs))
    d = load(report)
    if len(failed) != d.get("failures"):
        bad("the check failed for %d seeds, the report counts %r failures" % (len(failed), d.get("failures")))
    if not failed:
        bad("the check never failed: no lost last line in %s runs" % runs)


def faults(show_json):
    """Prints the faults of a `fifuzz show --json` object, "syscall path #ordinal kind" each."""
    for f in show_faults(load(show_json)):
        print("%s %s #%s %s" % (f.get("syscall"), f.get("path"), f.get("ordinal"), f.get("kind")))

# ---- The fault catalogue (core/syscalls.def) and the cat_files/cat_net targets.

def parse_def(path):
    """core/syscalls.def as {syscall: (fault kinds, [(errno, fd kinds or None, documented only)])},
    with the FF_E_* and FF_K_* macros expanded."""
    import re
    emac, kmac, table = {}, {}, {}
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)

    def kinds(expr):
        out = {k.lower() for k in re.findall(r"FF_K\(FF_([A-Z]+)\)", expr)}
        for m in re.findall(r"\bFF_K_[A-Z_]+\b", expr):
            out |= kmac[m]
        return out

    def errnos(expr):
        words = []
        for mac, lit in re.findall(r"(FF_E_[A-Z_]+)|\"([^\"]*)\"", expr):
            words += emac[mac].split() if mac else lit.split()
        out = []
        for w in words:
            doc = w.endswith("?")
            w = w.rstrip("?")
            name, _, fdk = w.partition("/")
            out.append((name, set(fdk) if fdk else None, doc))
        return out

    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"#define (FF_E_\w+) (.*)$", line)
        if m:
            emac[m.group(1)] = " ".join(re.findall(r"\"([^\"]*)\"", m.group(2)))
            continue
        m = re.match(r"#define (FF_K_\w+) (.*)$", line)
        if m:
            kmac[m.group(1)] = kinds(m.group(2))
            continue
        if line.startswith("FF_SYSCALL("):
            f = [x.strip() for x in line[len("FF_SYSCALL("):-1].split(",")]
            if len(f) != 9:
                bad("syscalls.def: cannot parse %r" % line)
            table[f[0]] = (kinds(f[6]), errnos(f[8]))
    if not table:
        bad("syscalls.def: no FF_SYSCALL line found in %s" % path)
    return table


def allowed_errnos(entry, fdk, profile):
    """The errnos an error may carry for a call on an fd of kind fdk (f p s t d)."""
    return {n for n, kinds, doc in entry[1]
            if profile == "all" or (not doc and (kinds is None or fdk in kinds))}


def path_kind(path):
    """The fd kind letter of a trace path."""
    if path.startswith("socket:"):
        return "s"
    if path.startswith("pipe:"):
        return "p"
    if path.startswith("/dev/pts/") or path.startswith("/dev/tty"):
        return "t"
    if path.startswith("/dev/"):
        return "d"
    return "f"


def cat_lines(path):
    """cat_files/cat_net output as dicts: syscall, label, site (the trace's
    path: a label "pipe:nb" is site "pipe:"), ordinal (per syscall and site),
    result (int) and errno (name or None). Other lines are skipped."""
    import re
    out, seen = [], {}
    for line in open(path, errors="replace"):
        m = re.match(r"(\S+) (\S+) -> (-?\d+)(?: (E[A-Z0-9]+))?(?: |$)", line)
        if not m:
            continue
        label = m.group(2)
        site = label[:label.index(":") + 1] if ":" in label else label
        key = (m.group(1), site)
        out.append({"syscall": m.group(1), "label": label, "site": site, "ordinal": seen.get(key, 0),
                    "result": int(m.group(3)), "errno": m.group(4) if m.group(3) == "-1" else None,
                    "line": line.rstrip("\n")})
        seen[key] = seen.get(key, 0) + 1
    return out


def trace_items(d):
    """{(syscall, path, ordinal): item} of a show --json object, passes expanded."""
    items = {}
    for s in d.get("streams", []):
        for it in s.get("items", []):
            for k in range(it.get("count", 1) if it.get("kind") == "pass" else 1):
                items[(s.get("syscall"), s.get("path"), it["ordinal"] + k)] = it
    return items


def item_errno(it):
    return {"eintr": "EINTR", "eagain": "EAGAIN"}.get(it.get("kind"), it.get("errno"))


def cat_errnos(defpath, show_json, prog_out, profile, minerr="1"):
    """Every fault of the trace and every errno the program printed is one the
    catalogue allows for that call and fd kind under profile (realistic or
    all); a printed errno is the one the trace injected; under realistic,
    eintr only on blocking pipes and sockets, eagain only on non-blocking ones
    (labels with "nb"), no short or torn on datagram sockets."""
    table = parse_def(defpath)
    d = load(show_json)
    items = trace_items(d)
    for (sc, path, o), it in sorted(items.items()):
        kind = it.get("kind")
        if kind == "pass":
            continue
        if sc not in table:
            bad("trace: %s %s #%d: %s is not in syscalls.def" % (sc, path, o, sc))
        fk, fdk = table[sc][0], path_kind(path)
        if kind not in fk:
            bad("trace: %s %s #%d: kind %s, but syscalls.def gives %s only %s" % (sc, path, o, kind, sc, sorted(fk)))
        if kind in ("error", "torn", "fsync"):
            ok = allowed_errnos(table[sc], fdk, profile)
            if it.get("errno") not in ok:
                bad("trace: %s %s #%d: %s %s, not among the %s errnos for fd kind %s: %s"
                    % (sc, path, o, kind, it.get("errno"), profile, fdk, " ".join(sorted(ok))))
        if profile == "realistic" and kind in ("eintr", "eagain") and fdk not in "pst":
            bad("trace: %s %s #%d: %s on fd kind %s (only pipes, sockets and ttys)" % (sc, path, o, kind, fdk))
    nerr = 0
    for c in cat_lines(prog_out):
        it = items.get((c["syscall"], c["site"], c["ordinal"]))
        where = "%s %s #%d (%s)" % (c["syscall"], c["site"], c["ordinal"], c["line"])
        if c["errno"] is None:
            if it and it.get("kind") in ("error", "eintr", "eagain", "fsync", "torn"):
                bad("%s: the trace injected %s %s, the program saw success" % (where, it["kind"], item_errno(it)))
            if profile == "realistic" and it and it.get("kind") in ("short", "torn") and "dgram" in c["label"]:
                bad("%s: %s on a datagram socket under realistic" % (where, it["kind"]))
            continue
        nerr += 1
        if not it or it.get("kind") == "pass":
            bad("%s: failed with %s, but the trace injected nothing there" % (where, c["errno"]))
        if item_errno(it) != c["errno"]:
            bad("%s: the program saw %s, the trace says %s %s" % (where, c["errno"], it.get("kind"), item_errno(it)))
        if profile == "realistic" and "dgram" in c["label"] and it.get("kind") == "torn":
            bad("%s: torn on a datagram socket under realistic" % where)
        if c["errno"] == "EINTR":
            if profile == "realistic" and ("nb" in c["label"] or path_kind(c["site"]) == "f"):
                bad("%s: EINTR on a %s fd under realistic" % (where, "non-blocking" if "nb" in c["label"] else "regular-file"))
        elif c["errno"] == "EAGAIN":
            if profile == "realistic" and "nb" not in c["label"]:
                bad("%s: EAGAIN on a blocking fd under realistic" % where)
        else:
            ok = allowed_errnos(table[c["syscall"]], path_kind(c["site"]), profile)
            if c["errno"] not in ok:
                bad("%s: %s is not among the %s errnos of %s for fd kind %s: %s"
                    % (where, c["errno"], profile, c["syscall"], path_kind(c["site"]), " ".join(sorted(ok))))
    if nerr < int(minerr):
        bad("the program printed %d errnos, expected at least %s" % (nerr, minerr))


# Calls whose short fault asks the kernel for n bytes: they return at most n,
# fewer when less is there (a real short read); writes land exactly n.
AT_MOST = {"read", "pread64", "readv", "preadv", "preadv2", "recvfrom", "copy_file_range", "sendfile"}


def cat_short(show_json, prog_out):
    """Every short write lands exactly n bytes and every short read returns
    at most n (as the program printed for the call with that syscall, site
    and ordinal); some reads and some writes were shortened; no datagram
    call was."""
    items = trace_items(load(show_json))
    calls = {(c["syscall"], c["site"], c["ordinal"]): c for c in cat_lines(prog_out)}
    reads = writes = 0
    wrong = []
    for key, it in sorted(items.items()):
        if it.get("kind") != "short":
            continue
        c = calls.get(key)
        if c is None:
            bad("short %s %s #%d (n %s) has no line in the program's output" % (key + (it.get("n"),)))
        n = it.get("n")
        res = c["result"]
        ok = (isinstance(res, int) and 0 <= res <= n) if key[0] in AT_MOST else res == n
        if not ok:
            wrong.append("%s %s #%d short %s of %s, saw %s" % (key + (it.get("n"), it.get("len"), c["result"])))
        if not 0 < it["n"] < it["len"]:
            bad("%s: short n %s is not in 1..len-1 (len %s)" % (c["line"], it["n"], it["len"]))
        if "dgram" in c["label"]:
            bad("%s: short on a datagram socket under realistic" % c["line"])
        if "read" in key[0] or "recv" in key[0]:
            reads += 1
        else:
            writes += 1
    if wrong:
        bad("%d of %d short calls broke their bound (writes = n, reads <= n): %s" % (len(wrong), reads + writes, "; ".join(wrong)))
    if not reads or not writes:
        bad("%d short reads and %d short writes in the trace, expected some of each" % (reads, writes))


def glob_only(show_json, *globs):
    """The trace has faults, and every stream's path matches a glob (fnmatch
    without FNM_PATHNAME; a glob without '/' also matches the file name)."""
    import fnmatch

    def match(p):
        return any(fnmatch.fnmatchcase(p, g) or ("/" not in g and fnmatch.fnmatchcase(os.path.basename(p), g))
                   for g in globs)

    d = load(show_json)
    if not show_faults(d):
        bad("no fault in the trace with --path %s" % " ".join(globs))
    for s in d.get("streams", []):
        if not match(s.get("path")):
            bad("trace stream %s %r does not match --path %s" % (s.get("syscall"), s.get("path"), " ".join(globs)))


def selection(mode, n, show_json, prog_out, native_out):
    """--only N / --after N / --max-faults N on a single-threaded program: the
    eligible calls (the printed calls of the trace's syscalls, in order) that
    were faulted are exactly the N-th (only), all after the N-th (after,
    rate 1), or the first N (max, rate 1); before the first fault the program
    saw what it sees natively."""
    d = load(show_json)
    n = int(n)
    sel = set(d.get("syscalls", []))
    items = trace_items(d)
    calls = [c for c in cat_lines(prog_out) if c["syscall"] in sel]
    nat = [c for c in cat_lines(native_out) if c["syscall"] in sel]
    if d.get("eligible") != len(calls):
        bad("trace says %s eligible calls, the program printed %d of %s" % (d.get("eligible"), len(calls), sorted(sel)))
    hit = [i for i, c in enumerate(calls)
           if items.get((c["syscall"], c["site"], c["ordinal"]), {}).get("kind", "pass") != "pass"]
    nfaults = len(show_faults(d))
    if nfaults != len(hit):
        bad("%d faults in the trace, %d of them on printed eligible calls" % (nfaults, len(hit)))
    if mode == "only":
        want = [n - 1]
    elif mode == "after":
        want = list(range(n, len(calls)))
    else:
        want = list(range(min(n, len(calls))))
    if hit != want or not hit:
        bad("%s %d: faulted eligible calls (0-based) %s, expected %s; calls: %s"
            % (mode, n, hit, want, [c["line"] for c in calls]))
    for i in range(hit[0]):
        if i >= len(nat) or calls[i]["line"] != nat[i]["line"]:
            bad("%s %d: eligible call %d before the first fault differs from a native run: %r vs %r"
                % (mode, n, i, calls[i]["line"], nat[i]["line"] if i < len(nat) else None))
    c = calls[hit[0]]
    if c["line"] == nat[hit[0]]["line"]:
        bad("%s %d: the faulted call %r shows the native result" % (mode, n, c["line"]))


def kind_seen(show_json, kind):
    """The trace has a fault of this kind."""
    if not any(f.get("kind") == kind for f in show_faults(load(show_json))):
        bad("no %s fault in the trace (faults: %s)" % (kind, sorted({f.get('kind') for f in show_faults(load(show_json))})))


def schedule(sched, show_json, prog_out, kinds, errnos):
    """Decodes the schedule file by the grammar of core/decide.h over the calls of `multi M`
    (in the order of its stdout, 3 iovecs) and checks every call's decision in the trace
    and the result the program saw."""
    b = open(sched, "rb").read()
    kinds, errnos = kinds.split(","), errnos.split(",")
    items, pos = trace_items(load(show_json)), 0

    def byte():
        nonlocal pos
        pos += 1
        return b[pos - 1] if pos <= len(b) else -1

    for sc, path, ln, o, result, value in multi_lines(prog_out):
        want, k = {"kind": "pass"}, byte()
        if k > 0 and k != ord("0"):
            want = {"kind": kinds[(k - 1) % len(kinds)]}
            if want["kind"] in ("error", "torn"):
                want["errno"] = errnos[max(byte(), 0) % len(errnos)]
            if want["kind"] in ("short", "torn"):
                c0, c1 = max(byte(), 0), max(byte(), 0)
                want["n"] = 1 + (c0 | c1 << 8) % (ln - 1)
                if sc in ("writev", "pwritev2") and want["n"] >= ln // 3:
                    # A cut past multi's first iovec (3 pieces) lands whole iovecs only
                    # (core/inject.c, ff_inject_fit).
                    want["n"] = ln // 3 * (2 if want["n"] >= 2 * (ln // 3) else 1)
        it = items.get((sc, path, o))
        if it is None:
            bad("%s %s #%d: not in the trace" % (sc, path, o))
        got = {k2: it[k2] for k2 in ("kind", "errno", "n") if k2 in it and (it["kind"] != "pass" or k2 == "kind")}
        if got != want:
            bad("%s %s #%d (%d bytes): the trace has %s, the grammar gives %s" % (sc, path, o, ln, got, want))
        res = ("errno", want["errno"]) if want["kind"] in ("error", "torn") else ("returned", want.get("n", ln))
        if (result, value) != res:
            bad("%s %s #%d: the program saw %s %s, expected %s %s" % (sc, path, o, result, value, *res))


def list_rows(defpath, list_out):
    """`fifuzz list` has one row (first word) per FF_SYSCALL line of the def file, in order."""
    table = parse_def(defpath)
    n = sum(1 for l in open(defpath) if l.startswith("FF_SYSCALL("))
    rows = [l.split()[0] for l in open(list_out) if l.split() and l.split()[0] in table]
    if len(rows) != n or rows != list(table):
        bad("fifuzz list has %d syscall rows, syscalls.def %d FF_SYSCALL lines (missing %s)"
            % (len(rows), n, sorted(set(table) - set(rows))))


def power_loss(report, *want):
    """A run report's power_loss object has these KEY=VALUE pairs; prints it."""
    pl = load(report).get("power_loss")
    if not isinstance(pl, dict):
        bad("%s has no power_loss object" % report)
    for kv in want:
        k, v = kv.split("=", 1)
        if str(pl.get(k)).lower() != v:
            bad("power_loss.%s is %r, expected %s (%s)" % (k, pl.get(k), v, json.dumps(pl)))
    print(json.dumps(pl, sort_keys=True))
def _tracer(pid):
    """The TracerPid of pid, or None when it is gone or a zombie."""
    try:
        status = open("/proc/%d/status" % pid).read()
    except OSError:
        return None
    if "\nState:\tZ" in status:
        return None
    return int(status.split("\nTracerPid:")[1].split()[0])


def _lines(path):
    try:
        return open(path, "rb").read().count(b"\n")
    except OSError:
        return 0


def attach(threads, how, mdir, fifuzz, ticker, marker, *opts):
    """fifuzz --pid on a running ticker (THREADS threads, each appending a line
    to tick<i>.out every 20 ms and printing each failed or short write on
    stderr): faults reach the program; SIGINT (HOW "int") makes fifuzz exit
    130 and detach; the ticker is then alive, untraced, and ticks on without a
    single failure; every fault fifuzz recorded is one failure the ticker
    printed. HOW "kill": SIGKILL instead, and the ticker lives on all the same
    (no EXITKILL; a call faulted at that moment may fail, none after).
    Prints what it saw; exits 77 when ptrace may not attach here."""
    import signal
    import subprocess
    import time
    threads = int(threads)
    err = os.path.join(mdir, "ticker.err")
    with open(err, "wb") as e:
        tk = subprocess.Popen([ticker, marker, str(threads)], stdin=subprocess.DEVNULL, stdout=e, stderr=e)
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists("ticker.ready"):
            if tk.poll() is not None or time.monotonic() > deadline:
                bad("the ticker did not start (exit %s)" % tk.poll())
            time.sleep(0.02)
        cmd = [fifuzz, "--pid", str(tk.pid), *opts, "-o", os.path.join(mdir, "t.trace"),
               "--report", os.path.join(mdir, "r.json")]
        with open(os.path.join(mdir, "att.out"), "wb") as o, open(os.path.join(mdir, "att.err"), "wb") as e:
            ff = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=o, stderr=e)
        # Faults reach the program: it prints failures while fifuzz is attached.
        def hit():
            text = open(err, "rb").read()
            return [text.count(b"tick%d.out:" % i) for i in range(threads)]
        deadline = time.monotonic() + 60
        while min(hit()) < 5:
            if ff.poll() is not None:
                log = open(os.path.join(mdir, "att.err")).read()
                if "ptrace is restricted" in log:
                    print("skip: " + log.strip().splitlines()[-1])
                    sys.exit(77)
                bad("fifuzz exited %s before each thread of the ticker saw 5 failures (%s)" % (ff.returncode, hit()))
            if time.monotonic() > deadline:
                ff.kill()
                bad("in 60s under fifuzz the ticker's threads printed %s failures" % hit())
            time.sleep(0.02)
        tracer = _tracer(tk.pid)
        if tracer != ff.pid:
            bad("while attached the ticker's TracerPid is %s, not fifuzz's %d" % (tracer, ff.pid))
        tids = os.listdir("/proc/%d/task" % tk.pid)
        traced = [t for t in tids if _tracer(int(t)) == ff.pid]
        if len(traced) != threads:
            bad("fifuzz traces %d of the ticker's %d threads" % (len(traced), threads))
        sig, want = (signal.SIGKILL, -9) if how == "kill" else (signal.SIGINT, 130)
        ff.send_signal(sig)
        try:
            rc = ff.wait(60)
        except subprocess.TimeoutExpired:
            ff.kill()
            bad("fifuzz still running 60s after %s" % sig.name)
        if rc != want:
            bad("fifuzz exited %d after %s, expected %d" % (rc, sig.name, want))
        if how == "kill":
            time.sleep(0.1)  # the kernel detaches as fifuzz exits
        if tk.poll() is not None:
            bad("the ticker died when fifuzz detached (status %d)" % tk.returncode)
        left = [t for t in os.listdir("/proc/%d/task" % tk.pid) if _tracer(int(t)) != 0]
        if left:
            bad("after fifuzz exited, threads %s of the ticker are still traced" % left)
        failed = _lines(err)
        # It ticks on: every thread's file grows by 10 lines, and no write fails.
        files = ["tick%d.out" % i for i in range(threads)]
        before = [_lines(f) for f in files]
        deadline = time.monotonic() + 60
        while any(_lines(f) < b + 10 for f, b in zip(files, before)):
            if tk.poll() is not None or time.monotonic() > deadline:
                bad("after the detach the ticker stopped ticking (files %s -> %s, exit %s)"
                    % (before, [_lines(f) for f in files], tk.poll()))
            time.sleep(0.05)
        after = _lines(err)
        if after != failed:
            bad("after the detach %d more writes failed" % (after - failed))
        if how != "kill":
            faults = load(os.path.join(mdir, "r.json")).get("faults", [])
            if len(faults) != failed:
                bad("fifuzz recorded %d faults, the ticker printed %d failed or short writes"
                    % (len(faults), failed))
        print("attached to %d thread%s: %d faults injected and seen by the ticker; fifuzz exited %d on %s; "
              "the ticker is alive, TracerPid 0 in all threads, and wrote %s more lines with no failure"
              % (threads, "s" if threads > 1 else "", failed, rc, sig.name,
                 [_lines(f) - b for f, b in zip(files, before)]))
    finally:
        tk.kill()
        tk.wait()


def attach_inflight(mdir, fifuzz, prog, marker):
    """fifuzz --pid shortens a write to a full pipe (pipefull), which then
    blocks in the kernel with the shortened length; SIGINT detaches while it
    is blocked. The write must get its whole length back: once the pipe is
    drained it returns 100000, not the cut. Prints what it saw."""
    import signal
    import subprocess
    import time
    out = os.path.join(mdir, "pf.out")
    with open(out, "wb") as o:
        pf = subprocess.Popen([prog, marker], stdin=subprocess.DEVNULL, stdout=o, stderr=o)
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists("pipefull.ready"):
            if pf.poll() is not None or time.monotonic() > deadline:
                bad("pipefull did not start (exit %s)" % pf.poll())
            time.sleep(0.02)
        errf = os.path.join(mdir, "att.err")
        with open(os.path.join(mdir, "att.out"), "wb") as o, open(errf, "wb") as e:
            ff = subprocess.Popen([fifuzz, "--pid", str(pf.pid), "--fd-kind", "pipe", "--faults", "short",
                                   "--rate", "1", "--seed", "1", "-o", os.path.join(mdir, "t.trace")],
                                  stdin=subprocess.DEVNULL, stdout=o, stderr=e)
        tids = os.listdir("/proc/%d/task" % pf.pid)
        while any(_tracer(int(t)) != ff.pid for t in tids):
            if ff.poll() is not None or time.monotonic() > deadline:
                log = open(errf).read()
                if "ptrace is restricted" in log:
                    print("skip: " + log.strip().splitlines()[-1])
                    sys.exit(77)
                bad("fifuzz did not attach to both threads (exit %s)" % ff.poll())
            time.sleep(0.02)
        open("go", "w").close()
        while b"short" not in open(errf, "rb").read():
            if ff.poll() is not None or time.monotonic() > deadline:
                bad("fifuzz did not shorten the write (exit %s)" % ff.poll())
            time.sleep(0.02)
        cut = [l for l in open(errf).read().splitlines() if "short" in l][0]
        time.sleep(0.2)  # the shortened write is blocked on the full pipe by now
        state = open("/proc/%d/stat" % pf.pid).read().rsplit(")", 1)[1].split()[0]
        ff.send_signal(signal.SIGINT)
        try:
            rc = ff.wait(60)
        except subprocess.TimeoutExpired:
            ff.kill()
            bad("fifuzz still running 60s after SIGINT")
        if rc != 130:
            bad("fifuzz exited %d after SIGINT, expected 130" % rc)
        left = [t for t in os.listdir("/proc/%d/task" % pf.pid) if _tracer(int(t)) != 0]
        if left:
            bad("after fifuzz exited, threads %s of pipefull are still traced" % left)
        open("drain", "w").close()
        try:
            pf.wait(60)
        except subprocess.TimeoutExpired:
            bad("pipefull did not finish within 60s of the drain")
        got = open(out).read().split("\n")
        if "write returned 100000" not in got:
            bad("after the detach the write did not get its length back: pipefull printed %r" % got)
        print("%s; pipefull was in state %s; fifuzz exited %d on SIGINT; after the detach pipefull printed %s"
              % (cut, state, rc, ", ".join(l for l in got if l)))
    finally:
        pf.kill()
        pf.wait()


if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
