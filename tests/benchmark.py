"""Benchmark: python tests/benchmark.py [--sizes 1000,10000,100000] [--json FILE]

For each size it generates a deck of N questions and measures, in the same run and each in a
fresh process, wall time and peak memory (max RSS) of:

  (a) ours-yaml    `interview-deck build` of the YAML file, end to end, as a new process;
      ours-*nix    the same with one '*nix' in one text (anchor and alias syntax is looked for);
  (b) baseline     yaml.load with CSafeLoader + plain genanki (default settings), same notes;
  (c) ours-python  write_package from Question objects already in memory (no YAML);
  (d) anki-import  the real `anki` package importing our .apkg into a fresh collection;
  (e) sync-first   `interview-deck sync` of the YAML file into a fresh collection, end to end
                   (compared with ours-yaml + anki-import: a build, then File > Import);
      sync-again   the next sync after one question was reworded (plan, backup, update, memory),
      and the size of what sync remembers in the collection's config;
  and the time of one Tab completion after `--tag` with that deck, first and again;

plus start-up figures (`--help`, `check` of the bundled deck, `build` of the bundled deck, and
four Tab completions, as new processes, against a bare `python -c pass`), and prints ratios to
(b) and file sizes. `--startup-only` measures only those.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TAGS = ["growth", "culture", "retention", "leadership", "salary", "technology"]

# Each measured job runs in its own interpreter and prints its peak memory and timings.
CHILD = r'''
import json, resource, sys, time
job, args = sys.argv[1], sys.argv[2:]
cards_for = lambda n: 3 * n + (n + 2) // 3  # ask, why, read each; reframe every third
started = time.perf_counter()
extra = {}
if job == "baseline":
    import genanki, yaml
    source, out = args
    with open(source, "rb") as stream:
        data = yaml.load(stream, Loader=yaml.CSafeLoader)
    lists = ("variations", "instead_of", "good_signs", "red_flags", "follow_ups")
    model = genanki.Model(1607392319, "Bench", fields=[{"name": n} for n in
        ("Question", "Purpose", "Setup", *lists)],
        templates=[{"name": "Ask", "qfmt": "{{Purpose}}", "afmt": "{{Question}}"},
                   {"name": "Why", "qfmt": "{{Question}}", "afmt": "{{Purpose}}"},
                   {"name": "Reframe", "qfmt": "{{instead_of}}", "afmt": "{{Question}}"},
                   {"name": "Read", "qfmt": "{{#good_signs}}{{Question}}{{/good_signs}}",
                    "afmt": "{{good_signs}}{{red_flags}}{{follow_ups}}"}])
    deck = genanki.Deck(2059400110, data["deck"])
    for q in data["questions"]:
        deck.add_note(genanki.Note(model=model, guid=genanki.guid_for(q["id"]), fields=[
            q["question"], q["purpose"], q.get("setup", ""),
            *("<br>".join(q.get(key, [])) for key in lists)], tags=q.get("tags", [])))
    genanki.Package(deck).write_to_file(out)
elif job == "python":
    from interview_deck import Deck, Question, write_package
    from interview_deck.apkg.revisions import Revisions
    import yaml
    source, out = args
    with open(source, "rb") as stream:
        data = yaml.load(stream, Loader=yaml.CSafeLoader)
    questions = [Question(**q) for q in data["questions"]]
    deck = Deck(data["deck"], questions=questions)
    del data
    started = time.perf_counter()
    write_package([deck], out, revisions=Revisions())
elif job == "empty":
    from anki.collection import Collection
    Collection(args[0]).close()
elif job == "memory":
    import sqlite3
    connection = sqlite3.connect(args[0])
    extra = {"bytes": len(connection.execute(
        "SELECT val FROM config WHERE KEY = 'interviewDeckSync'").fetchone()[0])}
elif job == "import":
    from anki.collection import Collection, ImportAnkiPackageRequest
    package, collection, expected = args
    col = Collection(collection)
    options = col._backend.get_import_anki_package_presets()
    started = time.perf_counter()
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=package,
                                                           options=options)).log
    extra = {"notes": col.note_count(), "cards": col.card_count(), "new": len(log.new)}
    assert col.note_count() == int(expected) and col.card_count() == cards_for(int(expected)), extra
    col.close()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, **extra}))
'''


def generate(path: Path, count: int) -> None:
    """A deck file of ``count`` questions of realistic length (about 560 bytes each), with
    every part: signals on each, a weak question to replace on every third."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("deck: Benchmark::Questions\ndescription: Generated questions.\nquestions:\n")
        for i in range(count):
            out.write(
                f"  - id: question-{i}\n"
                f"    question: How does team {i} decide what to work on next quarter?\n"
                f"    purpose: how priorities are set for team {i}, and who sets them\n"
                f"    variations:\n"
                f"      - Who decides the roadmap for team {i}?\n"
                f"      - What happens when two priorities of team {i} compete?\n"
                + (f"    instead_of: [What is the process of team {i}?]\n" if i % 3 == 0 else "")
                + f"    good_signs:\n"
                f"      - They name who decided for team {i} last time, and why.\n"
                f"    red_flags:\n"
                f"      - Nobody on team {i} can say who decides.\n"
                f"    follow_ups:\n"
                f"      - What did team {i} stop doing last quarter?\n"
                f"    tags: [{TAGS[i % len(TAGS)]}, bench]\n"
            )


def best(repeat: int, job: Callable[[], dict[str, float]]) -> dict[str, float]:
    """The median time of ``repeat`` runs, with the largest peak memory seen."""
    runs = [job() for _ in range(repeat)]
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**middle, "peak": max(r["peak"] for r in runs)}


def fresh(path: Path) -> Path:
    """``path``, with whatever an earlier run left there removed."""
    path.unlink(missing_ok=True)
    return path


def run_child(job: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, job, *args], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def command_peak(argv: list[str], env: dict[str, str], cwd: Path) -> dict[str, float]:
    wrapper = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
               "print(json.dumps({'seconds': time.perf_counter() - t, 'peak': "
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))")
    done = subprocess.run([sys.executable, "-c", wrapper, *argv], capture_output=True,
                          text=True, check=True, env=env, cwd=cwd)
    return json.loads(done.stdout.strip().splitlines()[-1])


def startup(env: dict[str, str], cwd: Path, repeat: int = 7) -> dict[str, float]:
    script = str(Path(sys.executable).parent / "interview-deck")
    jobs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "interview-deck --help": [script, "--help"],
        "interview-deck check (bundled)": [script, "check", "--no-personal"],
        "interview-deck build (bundled)": [script, "build", "--no-personal", "-o", "b.apkg"],
        # What one Tab costs, as the shells call it (see tests/cli/test_completion.py).
        "Tab: interview-deck b<Tab>": [script],
        "Tab: ... build --tag <Tab> (first)": [script],
        "Tab: ... build --tag <Tab> (again)": [script],
        "Tab: ... add --file <Tab>": [script],
    }
    envs = {}
    for name in jobs:
        envs[name] = env
        if name.startswith("Tab: "):
            words = name.removeprefix("Tab: ").replace("...", "interview-deck")
            envs[name] = tab_env(env, words.split("<Tab>")[0])
    times: dict[str, list[float]] = {name: [] for name in jobs}
    # Round by round, every job once, so a busy moment of the machine costs all of them alike;
    # the first round only warms up (compiled modules, the file cache).
    for round_ in range(repeat + 1):
        for name, argv in jobs.items():
            if name.endswith("(first)"):  # nothing remembered from an earlier Tab
                fresh(Path(env["XDG_CACHE_HOME"]) / "interview-deck" / "completion.json")
            started = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env=envs[name], cwd=cwd)
            if round_:
                times[name].append(time.perf_counter() - started)
    figures = {name: statistics.median(values) for name, values in times.items()}
    return figures


def tab_env(env: dict[str, str], words: str) -> dict[str, str]:
    """The environment bash gives the command when Tab is pressed after ``words``."""
    return {**env, "_INTERVIEW_DECK_COMPLETE": "bash_complete", "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (not words.endswith(" ")))}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml

    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu, "cores": str(os.cpu_count()),
            "libyaml": str(getattr(yaml, "__with_libyaml__", False))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--startup-only", action="store_true",
                        help="only the start-up and Tab completion figures")
    options = parser.parse_args()
    sizes = [] if options.startup_only else [int(s) for s in options.sizes.split(",")]
    script = str(Path(sys.executable).parent / "interview-deck")
    results: dict[str, object] = {"machine": machine(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="interview-deck-bench-") as folder:
        work = Path(folder)
        # Compiled modules are kept, as after any pip install (without them, every new process
        # compiles each module it imports again).
        kept = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**kept, "HOME": str(work), "XDG_CONFIG_HOME": str(work / "config"),
               "XDG_STATE_HOME": str(work / "state"), "XDG_CACHE_HOME": str(work / "cache")}
        results["startup"] = startup(env, work)
        for size in sizes:
            source = work / f"deck-{size}.yaml"
            generate(source, size)
            # One '*' in one text: the file is composed from libyaml's events in Python, to see
            # anchors and aliases (before: the pure-Python parser, 3.8x slower).
            starred = work / f"deck-{size}-starred.yaml"
            starred.write_text(source.read_text(encoding="utf-8").replace(
                "purpose: ", "purpose: on *nix, ", 1), encoding="utf-8")
            ours = work / f"ours-{size}.apkg"
            base = work / f"genanki-{size}.apkg"
            py_out = work / f"python-{size}.apkg"
            repeat = 3 if size <= 20000 else 1
            cache = work / "cache" / "interview-deck" / "completion.json"
            tab_words = tab_env(env, f"interview-deck list --no-bundled --no-personal {source} "
                                     "--tag ")
            build_argv = [script, "build", "--no-bundled", "--no-personal", "--quiet",
                          str(source), "-o", str(ours)]
            figures = {
                "yaml_bytes": source.stat().st_size,
                "repeats": repeat,
                "baseline": best(repeat, lambda: run_child("baseline", str(source), str(base))),
                # A new ledger each time: every note gets its first revision, as a first build.
                "ours-yaml": best(repeat, lambda: command_peak(
                    [*build_argv, "--revisions", str(fresh(work / "ledger.json"))], env, work)),
                "ours-*nix": best(repeat, lambda: command_peak(
                    [*build_argv[:-3], str(starred), "-o", str(work / "starred.apkg"),
                     "--revisions", str(fresh(work / "ledger.json"))], env, work)),
                "ours-python": best(repeat, lambda: run_child("python", str(source),
                                                              str(py_out))),
                "anki-import": best(repeat, lambda: run_child(
                    "import", str(ours), str(fresh(work / f"c-{size}.anki2")), str(size))),
                # One Tab after --tag with this deck (the shell waits for it): the first,
                # which reads the deck, and the next ones, which remember its tags.
                "tab-first": best(repeat, lambda: (fresh(cache), command_peak(
                    [script], tab_words, work))[1]),
                "tab-again": best(repeat, lambda: command_peak([script], tab_words, work)),
            }
            collection = work / f"s-{size}.anki2"
            sync_argv = [script, "sync", "--no-bundled", "--no-personal", str(source),
                         "--collection", str(collection)]

            def first_sync() -> dict[str, float]:
                for leftover in work.glob(f"s-{size}.*"):
                    if leftover.is_dir():
                        shutil.rmtree(leftover)
                    else:
                        leftover.unlink()
                shutil.rmtree(work / "backups", ignore_errors=True)
                run_child("empty", str(collection))
                return command_peak([*sync_argv, "--revisions",
                                     str(fresh(work / "sync-ledger.json"))], env, work)

            turns = iter(range(1, 1000))

            def next_sync() -> dict[str, float]:
                turn = next(turns)
                old = "decide what to work on next quarter" if turn == 1 else (
                    f"plan quarter {turn - 1}")
                source.write_text(source.read_text(encoding="utf-8").replace(
                    old, f"plan quarter {turn}", 1), encoding="utf-8")
                return command_peak([*sync_argv, "--revisions",
                                     str(work / "sync-ledger.json")], env, work)

            figures["sync-first"] = best(repeat, first_sync)
            figures["sync-again"] = best(repeat, next_sync)
            figures["memory_bytes"] = run_child("memory", str(collection))["bytes"]
            source.write_text(source.read_text(encoding="utf-8").replace(
                f"plan quarter {repeat}", "decide what to work on next quarter", 1),
                encoding="utf-8")
            subprocess.run([*build_argv, "--revisions", str(work / "ledger.json")], check=True,
                           env=env, cwd=work)
            again = work / f"again-{size}.apkg"
            subprocess.run([script, "build", "--no-bundled", "--no-personal", "--quiet",
                            str(source), "-o", str(again), "--revisions",
                            str(work / "ledger.json")], check=True, env=env, cwd=work)
            figures["byte_identical_rebuild"] = again.read_bytes() == ours.read_bytes()
            figures["sizes"] = {"ours": ours.stat().st_size, "genanki": base.stat().st_size}
            results["sizes"][str(size)] = figures  # type: ignore[index]
            print(f"measured {size}", file=sys.stderr)
    print(report(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")


def report(results: dict) -> str:  # type: ignore[type-arg]
    lines = ["machine: " + ", ".join(f"{k} {v}" for k, v in results["machine"].items()), ""]
    bare = results["startup"]["python -c pass"]
    help_time = results["startup"]["interview-deck --help"]
    lines.append("start-up (median of 7, new process)       seconds   minus bare python   "
                 "x --help")
    for name, seconds in results["startup"].items():
        lines.append(f"  {name:<40} {seconds:7.3f}   {seconds - bare:7.3f}   "
                     f"{' ' * 14}{seconds / help_time:5.2f}")
    lines.append("")
    lines.append(f"{'size':>7}  {'job':<12} {'seconds':>8} {'x base':>7} {'peak MiB':>9} "
                 f"{'x base':>7}")
    for size, figures in results["sizes"].items():
        base = figures["baseline"]
        for job in ("baseline", "ours-yaml", "ours-*nix", "ours-python", "anki-import"):
            f = figures[job]
            lines.append(f"{size:>7}  {job:<12} {f['seconds']:8.2f} "
                         f"{f['seconds'] / base['seconds']:7.2f} {f['peak'] / 2**20:9.1f} "
                         f"{f['peak'] / base['peak']:7.2f}")
        build_import = figures["ours-yaml"]["seconds"] + figures["anki-import"]["seconds"]
        for job in ("sync-first", "sync-again"):
            f = figures[job]
            lines.append(f"{size:>7}  {job:<12} {f['seconds']:8.2f} "
                         f"{f['seconds'] / build_import:7.2f} {f['peak'] / 2**20:9.1f}   "
                         "(x build + import)")
        lines.append(f"{'':>7}  sync's memory in the collection: "
                     f"{figures['memory_bytes'] / 1024:.1f} KiB "
                     f"({figures['memory_bytes'] / int(size):.0f} bytes a question)")
        lines.append(f"{'':>7}  Tab after --tag: {figures['tab-first']['seconds']:.2f} s the "
                     f"first time, {figures['tab-again']['seconds']:.2f} s again")
        sizes = figures["sizes"]
        lines.append(f"{'':>7}  yaml {figures['yaml_bytes'] / 2**20:.1f} MiB; apkg: ours "
                     f"{sizes['ours'] / 2**20:.2f} MiB, genanki {sizes['genanki'] / 2**20:.2f} "
                     f"MiB ({sizes['ours'] / sizes['genanki']:.3f}x); rebuild byte-identical: "
                     f"{figures['byte_identical_rebuild']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
