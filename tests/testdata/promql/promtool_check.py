#!/usr/bin/env python3
"""Checks the expectations of PromQL evaluation scripts (*.test, format in
tests/unit/promql/script_runner.h) against real Prometheus via `promtool test rules`, and with
--bless rewrites them with what Prometheus returns. The GoogleTest promtool_check_test.cc does the
same check in CI; this script is the tool for writing new cases:

    tests/testdata/promql/promtool_check.py tests/testdata/promql/functions.test
    tests/testdata/promql/promtool_check.py --bless tests/testdata/promql/functions.test

Only cases evaluated with Prometheus 2 semantics whose result is an instant vector or a scalar can
be checked; a range evaluation is checked step by step as instant evaluations. Python 3 standard
library only.
"""

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

PROMTOOL = os.environ.get("PROMTOOL", "/usr/bin/promtool")
UNITS = [("y", 365 * 24 * 3600 * 1000), ("w", 7 * 24 * 3600 * 1000), ("d", 24 * 3600 * 1000),
         ("h", 3600 * 1000), ("m", 60 * 1000), ("s", 1000), ("ms", 1)]


def parse_duration(text):
    if text == "0":
        return 0
    total, pos = 0, 0
    for m in re.finditer(r"(\d+)(ms|y|w|d|h|m|s)", text):
        if m.start() != pos:
            raise ValueError("bad duration " + text)
        total += int(m.group(1)) * dict(UNITS)[m.group(2)]
        pos = m.end()
    if pos != len(text) or pos == 0:
        raise ValueError("bad duration " + text)
    return total


def format_duration(ms):
    """model.Duration's String()."""
    if ms == 0:
        return "0s"
    out = ""
    for unit, size in UNITS:
        if unit in ("y", "w") and ms % size != 0:
            continue
        if ms >= size:
            out += "%d%s" % (ms // size, unit)
            ms %= size
    return out


def format_value(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def yaml_float(text):
    v = float(text.replace("Inf", "inf"))
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    return repr(v)


class Case:
    def __init__(self, line, cmd, expr):
        self.line = line        # index of the command line
        self.cmd = cmd          # eval / eval_ordered / eval_fail
        self.expr = expr
        self.range = None       # (start, end, step) in ms
        self.t = 0
        self.expected = []      # (labels text, values text) or (None, scalar text)
        self.extra = []         # expected_fail_* lines
        self.end = line + 1     # first line after the case
        self.prom3 = False

    def times(self):
        if self.range is None:
            return [self.t]
        start, end, step = self.range
        return list(range(start, end + 1, step))


def checkable(c):
    """Whether promtool can evaluate the case: Prometheus 2 semantics, and not a range query
    using start()/end() (promtool checks range queries step by step as instant queries)."""
    return not c.prom3 and not (c.range is not None and re.search(r"@\s*(start|end)\(\)", c.expr))


def split_series(text):
    """'name{a="b"} 1 2' -> ('name{a="b"}', '1 2')."""
    depth, quote, i = 0, None, 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c in " \t" and depth == 0:
            return text[:i], text[i:].strip()
        i += 1
    return text, ""


def parse(lines):
    datasets = [{"interval": "1m", "series": [], "cases": []}]
    prom3 = False
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        words = stripped.split(None, 1)
        cmd = words[0]
        rest = words[1] if len(words) > 1 else ""
        i += 1
        if cmd == "clear":
            datasets.append({"interval": "1m", "series": [], "cases": []})
        elif cmd == "semantics":
            prom3 = rest.strip() == "prometheus3"
        elif cmd == "load":
            ds = {"interval": rest.strip(), "series": [], "cases": []}
            while i < len(lines) and lines[i][:1] in (" ", "\t"):
                body = lines[i].strip()
                if body and not body.startswith("#"):
                    ds["series"].append(split_series(body))
                i += 1
            datasets.append(ds)
        elif cmd in ("eval", "eval_ordered", "eval_fail"):
            m = re.match(r"instant\s+at\s+(\S+)\s+(.*)$", rest)
            r = re.match(r"range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)$", rest)
            c = Case(i - 1, cmd, None)
            if m:
                c.t, c.expr = parse_duration(m.group(1)), m.group(2)
            elif r:
                c.range = tuple(parse_duration(r.group(k)) for k in (1, 2, 3))
                c.expr = r.group(4)
            else:
                raise ValueError("line %d: bad eval" % i)
            c.prom3 = prom3
            while i < len(lines) and lines[i][:1] in (" ", "\t"):
                body = lines[i].strip()
                if body.startswith("expected_fail_") or body.startswith("ulps "):
                    c.extra.append(body)
                elif body and not body.startswith("#"):
                    labels, values = split_series(body)
                    if values == "":
                        c.expected.append((None, labels))
                    else:
                        c.expected.append((labels, values))
                i += 1
            c.end = i
            datasets[-1]["cases"].append(c)
        else:
            raise ValueError("line %d: unknown command %s" % (i, cmd))
    return datasets


def expand(values):
    out = []
    for item in values.split():
        m = re.match(r"^(.*)x(\d+)$", item)
        head, times = (m.group(1), int(m.group(2))) if m else (item, None)
        if head == "_":
            out.extend([None] * (1 if times is None else times))
            continue
        if head == "stale":
            out.append("stale")
            continue
        s = re.match(r"^([-+]?[^-+]+?(?:[eE][-+]?\d+)?)([-+])(.+)$", head)
        if s and times is not None:
            base, inc = float(s.group(1)), float(s.group(3)) * (-1 if s.group(2) == "-" else 1)
        else:
            base, inc = float(head.replace("Inf", "inf")), 0.0
        if times is None:
            out.append(base)
            continue
        v = base
        for _ in range(times + 1):
            out.append(v)
            v += inc
    return out


def to_yaml(ds):
    out = ["rule_files: []", "evaluation_interval: 1m", "tests:",
           "- interval: " + ds["interval"], "  input_series:"]
    if not ds["series"]:
        out += ["  - series: 'smoke_promtool_placeholder'", "    values: ''"]
    for labels, values in ds["series"]:
        out += ["  - series: " + yaml_quote(labels), "    values: " + yaml_quote(values)]
    out.append("  promql_expr_test:")
    # promtool loads samples only up to the last multiple of evaluation_interval (1m) at or
    # before the latest eval_time; a case at or after the last sample makes it load them all.
    step = parse_duration(ds["interval"])
    last = max([step * (len(expand(v)) - 1) for _, v in ds["series"]] + [0])
    out += ["  - expr: vector(0)", "    eval_time: " + format_duration((last + 59999) // 60000 * 60000),
            "    exp_samples:", "    - labels: '{}'", "      value: 0"]
    for c in ds["cases"]:
        if not checkable(c):
            continue
        for step, t in enumerate(c.times()):
            out += ["  - expr: " + yaml_quote(c.expr), "    eval_time: " + format_duration(t),
                    "    exp_samples:"]
            if c.cmd == "eval_fail":
                continue
            for labels, values in c.expected:
                if labels is None:
                    out += ["    - labels: '{}'", "      value: " + yaml_float(values)]
                    continue
                if c.range is not None:
                    vals = expand(values)
                    if step >= len(vals) or vals[step] is None:
                        continue
                    text = format_value(vals[step])
                else:
                    text = values
                lbl = labels if labels.endswith("}") else labels + "{}"
                out += ["    - labels: " + yaml_quote(lbl), "      value: " + yaml_float(text)]
    return "\n".join(out) + "\n"


def run_promtool(yaml_text):
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write(yaml_text)
        path = f.name
    try:
        p = subprocess.run([PROMTOOL, "test", "rules", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    failures = {}
    current = None
    for line in (p.stdout + p.stderr).splitlines():
        m = re.match(r'^    expr: ("(?:[^"\\]|\\.)*"), time: ([^,]+),(.*)$', line)
        if m:
            expr = bytes(m.group(1)[1:-1], "utf-8").decode("unicode_escape")
            current = {"err": None, "got": None}
            rest = m.group(3)
            if rest.startswith(" err: "):
                current["err"] = rest[6:]
            failures[(expr, m.group(2))] = current
        elif current is not None and line.startswith("        got: "):
            current["got"] = line[13:]
    return p.returncode, failures, p.stdout + p.stderr


def parse_got(text):
    """'{a="1"} 1E+00, {} NaN' -> [(labels text, float)]."""
    if text == "nil":
        return []
    out = []
    for m in re.finditer(r'(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\}) (\S+?)(?:, |$)', text):
        out.append((m.group(1), float(m.group(2).replace("Inf", "inf"))))
    return out


def label_key(text):
    """'name{a="b"}' or '{__name__="name", a="b"}' -> a canonical tuple."""
    m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)?(\{.*\})?$", text.strip())
    pairs = {}
    if m and m.group(1):
        pairs["__name__"] = m.group(1)
    if m and m.group(2):
        for k, v in re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"', m.group(2)):
            pairs[k] = v
    return tuple(sorted(pairs.items()))


def same_float(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def expected_at(c, step):
    """The case's expected samples at one step as {label key: float}."""
    out = {}
    for labels, values in c.expected:
        if labels is None:
            out[()] = float(values.replace("Inf", "inf"))
        elif c.range is None:
            out[label_key(labels)] = float(values.replace("Inf", "inf"))
        else:
            vals = expand(values)
            if step < len(vals) and vals[step] is not None and vals[step] != "stale":
                out[label_key(labels)] = vals[step]
    return out


def agrees(c, step, result):
    """Whether promtool's reported result equals the expectation, NaN equal to NaN."""
    if result is None:
        return True
    if result["err"] or result["got"] is None:
        return False
    got = {label_key(l): v for l, v in parse_got(result["got"])}
    want = expected_at(c, step)
    return got.keys() == want.keys() and all(same_float(got[k], want[k]) for k in got)


def pretty_labels(labels):
    m = re.match(r'^\{__name__="([^"]*)"(?:, )?(.*)\}$', labels)
    if m:
        return m.group(1) + ("{" + m.group(2) + "}" if m.group(2) else "")
    return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bless", action="store_true", help="rewrite expectations with promtool's")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    bad = 0
    for path in args.files:
        with open(path) as f:
            lines = f.readlines()
        edits = {}
        for ds in parse(lines):
            cases = [c for c in ds["cases"] if checkable(c)]
            if not cases:
                continue
            rc, failures, output = run_promtool(to_yaml(ds))
            if rc != 0 and not failures:
                print("%s: promtool failed:\n%s" % (path, output))
                bad += 1
                continue
            for c in cases:
                results = [failures.get((c.expr, format_duration(t))) for t in c.times()]
                if all(r is None for r in results) and c.cmd != "eval_fail":
                    continue
                errs = [r["err"] for r in results if r and r["err"]]
                if errs and "rule result is not a vector or scalar" in errs[0]:
                    continue
                if c.cmd == "eval_fail" and errs and len(errs) == len(results):
                    msgs = [x[len("expected_fail_message "):] for x in c.extra
                            if x.startswith("expected_fail_message ")]
                    regexps = [x[len("expected_fail_regexp "):] for x in c.extra
                               if x.startswith("expected_fail_regexp ")]
                    if regexps:
                        if re.search(regexps[0], errs[0]):
                            continue
                    elif not msgs or msgs[0] == errs[0]:
                        continue
                if c.cmd != "eval_fail" and all(agrees(c, k, r) for k, r in enumerate(results)):
                    continue
                print("%s:%d: %s: Prometheus says %s" % (
                    path, c.line + 1, c.expr, errs[0] if errs else
                    "; ".join("%s" % (r["got"] if r else "as expected" if c.cmd != "eval_fail"
                                      else "nil") for r in results)))
                bad += 1
                if not args.bless:
                    continue
                indent = "  "
                new = [indent + x + "\n" for x in c.extra
                       if not x.startswith("expected_fail_message ")]
                if errs:
                    new.append(indent + "expected_fail_message " + errs[0] + "\n")
                    lines[c.line] = re.sub(r"^eval(_ordered)?\b", "eval_fail", lines[c.line])
                elif c.range is None:
                    got = parse_got(results[0]["got"])
                    scalar = any(l is None for l, _ in c.expected)
                    for labels, v in got:
                        if scalar and labels == "{}":
                            new.append(indent + format_value(v) + "\n")
                        else:
                            new.append(indent + pretty_labels(labels) + " " + format_value(v) + "\n")
                else:
                    series = {}
                    order = []
                    for labels, values in c.expected:
                        vals = expand(values)
                        key = labels if labels.startswith("{") else "{__name__=\"%s\"%s" % (
                            labels.split("{")[0], (", " + labels.split("{", 1)[1]) if "{" in labels
                            and labels.split("{", 1)[1] != "}" else "}")
                        series[key] = [None] * len(results)
                        order.append(key)
                        for step in range(len(results)):
                            if results[step] is None and step < len(vals):
                                series[key][step] = vals[step]
                    for step, r in enumerate(results):
                        got = parse_got(r["got"]) if r else None
                        if got is None:
                            continue
                        for labels in order:
                            series[labels][step] = None
                        for labels, v in got:
                            if labels not in series:
                                series[labels] = [None] * len(results)
                                order.append(labels)
                            series[labels][step] = v
                    for labels in order:
                        if all(v is None for v in series[labels]):
                            continue
                        vals = " ".join("_" if v is None else format_value(v) for v in series[labels])
                        new.append(indent + pretty_labels(labels) + " " + vals + "\n")
                edits[c.line] = (c.end, new)
        if args.bless and edits:
            out = []
            i = 0
            while i < len(lines):
                if i in edits:
                    end, new = edits[i]
                    out.append(lines[i])
                    extra = [l for l in lines[i + 1:end] if l.strip().startswith("#")]
                    out.extend(extra)
                    out.extend(new)
                    i = end
                    continue
                out.append(lines[i])
                i += 1
            with open(path, "w") as f:
                f.writelines(out)
    return 1 if bad and not args.bless else 0


if __name__ == "__main__":
    sys.exit(main())
