#!/usr/bin/env python3
"""diglot against po4a, on the same inputs, on the same run.

Usage:  bench/run.py [--runs N] [--only article,book,big] [--diglot PATH]

Builds the inputs in bench/work/ (ignored by git):
  article  the example project (articles/andry-hernandez-romero.txt, 15 KB, es-ES)
  book     The Rust Programming Language (bench/book/rust-book.md, 1.2 MB of
           Markdown, MIT or Apache-2.0, see bench/book/README.md), target es-ES
  big      a synthetic 20 MB Markdown article (generated here, seeded, so every
           run gets the same bytes), target es-ES
then runs, alternately, N times each:
  diglot cold      `diglot build` with no output folder and no .diglot/ (the
                   locale files exist and are current, as in a project)
  diglot rebuild   `diglot build` again, nothing changed, right after the build
                   that recorded it (the output files are less than 2 s old, so
                   they are checked by content), and once they are settled (a build
                   3 s later records their metadata; the next one, measured,
                   checks only that: the usual case)
  po4a             `po4a-updatepo -f text -o markdown` (update the POT) then
                   `po4a-translate -f text -o markdown -k 0` (write the
                   translated Markdown), Debian package po4a
and `diglot --version` (startup). It prints medians of wall time and the peak
resident memory (one more run of each under `/usr/bin/time -v`, "Maximum
resident set size"), and the ratio po4a / diglot. Times include starting the
process (Python's subprocess.run, about 1 ms).

diglot is the release binary (target/release/diglot; build it first with
`cargo build --release -p diglot-cli`). po4a: `apt-get install po4a`.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"


MEASURE_MEMORY = False


def run(cmd, cwd):
    """Runs cmd; returns (seconds, peak RSS in KiB, or 0). Fails loudly.

    Time is measured without a wrapper. Memory, when MEASURE_MEMORY is set,
    comes from `/usr/bin/time -v` ("Maximum resident set size"): the
    child's own rusage would count the Python process it was forked from.
    """
    mem = 0
    if MEASURE_MEMORY:
        out = WORK / "time.txt"
        cmd = ["/usr/bin/time", "-v", "-o", str(out), *map(str, cmd)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace")
        sys.exit(f"{' '.join(map(str, cmd))} in {cwd} exited {proc.returncode}:\n{err}")
    if MEASURE_MEMORY:
        for line in out.read_text().splitlines():
            if "Maximum resident set size" in line:
                mem = int(line.split(":")[1])
    return elapsed, mem


def project(name, article_name, article_text, pipeline_extra=""):
    """A diglot project with one pipeline, its locale files extracted."""
    root = WORK / name
    if root.exists():
        shutil.rmtree(root)
    (root / "articles").mkdir(parents=True)
    (root / "pipelines").mkdir()
    (root / "articles" / article_name).write_bytes(article_text)
    (root / "pipelines" / f"{name}.toml").write_text(
        f'[article]\nsource = "articles/{article_name}"\nlang = "en-US"\n\n'
        f'[edition]\nlocales = ["es-ES"]\noutput = "dist"\nmin_coverage = 0\n{pipeline_extra}'
    )
    return root


def example_project():
    root = WORK / "article"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for part in ("articles", "locales", "pipelines"):
        shutil.copytree(REPO / part, root / part)
    return root


WORDS = (
    "the a of and to in is was for on that with as by at from his her their "
    "reporter city council water river school market family children morning "
    "government report week year people street night village road hospital "
    "said told found opened closed began ended asked wrote spoke visited "
    "new old small large early late public local quiet busy"
).split()


def synthetic(size):
    """Markdown: headings and paragraphs of plain sentences, `size` bytes."""
    rng = random.Random(20)
    out, n, section = [], 0, 0
    while n < size:
        if section % 12 == 0:
            line = f"## Part {section // 12 + 1}\n\n"
        else:
            sentences = []
            for _ in range(rng.randint(3, 7)):
                words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
                words.append(str(rng.randint(1, 99999)))
                sentences.append(" ".join(words).capitalize() + ".")
            line = " ".join(sentences) + "\n\n"
        section += 1
        out.append(line)
        n += len(line)
    return ("# A long synthetic article\n\n" + "".join(out)).encode()


def inputs(only):
    projects = {}
    if "article" in only:
        projects["article"] = (example_project(), "articles/andry-hernandez-romero.txt")
    if "book" in only:
        text = (HERE / "book" / "rust-book.md").read_bytes()
        projects["book"] = (project("book", "book.md", text), "articles/book.md")
    if "big" in only:
        projects["big"] = (project("big", "big.md", synthetic(20_000_000)), "articles/big.md")
    return projects


def po4a(root, article):
    """po4a's two steps on the same article; summed time, larger peak."""
    po = root / "po4a"
    shutil.rmtree(po, ignore_errors=True)
    po.mkdir()
    fmt = ["-f", "text", "-o", "markdown", "-M", "UTF-8", "-m", str(root / article)]
    t1, m1 = run(["po4a-updatepo", *fmt, "-p", str(po / "es.po")], root)
    t2, m2 = run(
        ["po4a-translate", *fmt, "-p", str(po / "es.po"), "-l", str(po / "out.md"), "-k", "0"],
        root,
    )
    return t1 + t2, max(m1, m2)


def diglot_cold(diglot, root):
    shutil.rmtree(root / "dist", ignore_errors=True)
    shutil.rmtree(root / ".diglot", ignore_errors=True)
    return run([diglot, "build"], root)


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_mem(kib):
    return f"{kib / 1024:.1f} MB"


def main():
    global MEASURE_MEMORY
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="article,book,big")
    ap.add_argument("--diglot", default=str(REPO / "target" / "release" / "diglot"))
    args = ap.parse_args()
    diglot = args.diglot
    if not Path(diglot).exists():
        sys.exit(f"{diglot} not found: run `cargo build --release -p diglot-cli` first")
    if not shutil.which("po4a-updatepo"):
        sys.exit("po4a not found: apt-get install po4a")
    only = args.only.split(",")

    rows = []
    for name, (root, article) in inputs(only).items():
        size = (root / article).stat().st_size
        # Locale files created and current, as in a project that builds.
        run([diglot, "extract"], root)
        runs = 1 if name == "big" else args.runs
        samples = {"cold": [], "rebuild": [], "settled": [], "po4a": []}
        for _ in range(runs):
            samples["cold"].append(diglot_cold(diglot, root))
            # The first rebuild records what the next ones check.
            run([diglot, "build"], root)
            samples["rebuild"].append(run([diglot, "build"], root))
            # 3 s later the next build checks them by content once more and
            # records their metadata; the one after reads none of them.
            time.sleep(3)
            run([diglot, "build"], root)
            samples["settled"].append(run([diglot, "build"], root))
            samples["po4a"].append(po4a(root, article))
        # Peak memory: one more run of each under /usr/bin/time -v.
        MEASURE_MEMORY = True
        mem = {"cold": diglot_cold(diglot, root)[1], "po4a": po4a(root, article)[1]}
        run([diglot, "build"], root)
        mem["rebuild"] = run([diglot, "build"], root)[1]
        time.sleep(3)
        run([diglot, "build"], root)
        mem["settled"] = run([diglot, "build"], root)[1]
        MEASURE_MEMORY = False
        med = {k: (statistics.median(t for t, _ in v), mem[k]) for k, v in samples.items()}
        rows.append((name, size, runs, med))
        print(f"{name}: done", file=sys.stderr)

    version = [run([diglot, "--version"], REPO) for _ in range(21)]
    MEASURE_MEMORY = True
    version_mem = run([diglot, "--version"], REPO)[1]
    print(
        "| input | size | runs | po4a | diglot build (cold) | ratio "
        "| rebuild, at once | rebuild, settled | ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, size, runs, med in rows:
        p, c, r, t = med["po4a"], med["cold"], med["rebuild"], med["settled"]
        print(
            f"| {name} | {size / 1e6:.2f} MB | {runs} "
            f"| {fmt_time(p[0])}, {fmt_mem(p[1])} "
            f"| {fmt_time(c[0])}, {fmt_mem(c[1])} | {p[0] / c[0]:.0f}x "
            f"| {fmt_time(r[0])}, {fmt_mem(r[1])} "
            f"| {fmt_time(t[0])}, {fmt_mem(t[1])} | {p[0] / t[0]:.0f}x |"
        )
    t = statistics.median(t for t, _ in version)
    m = version_mem
    print(f"\n`diglot --version`: {fmt_time(t)}, {fmt_mem(m)} (median of 21, process start to exit)")
    # Wall times on a shared machine are only as good as its load.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n`bench/run.py {' '.join(sys.argv[1:])}`; load average at the end: {load}")


if __name__ == "__main__":
    main()
