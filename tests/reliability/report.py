"""`make soak`'s summary: one line per promise of RELIABILITY.md, from the counts the tests
recorded ($STORYGEN_SOAK_LOG, JSON lines) and pytest's JUnit XML (which tests passed).

    python -m tests.reliability.report SOAK_LOG [JUNIT_XML]
"""
from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

PROMISES = [  # (key, test module, title)
    ("kill", "test_kill", "1 kill at any point"),
    ("disk", "test_disk", "2 disk full / read-only"),
    ("damaged", "test_damaged", "3 damaged inputs"),
    ("concurrency", "test_concurrency", "4 concurrency"),
    ("safety", "test_safety", "5 safety at volume"),
    ("consent", "test_consent", "6 consent"),
    ("load", "test_load", "7 load"),
]


def _totals(rows: list[dict]) -> dict:
    out: dict = {}
    for row in rows:
        for k, v in row.items():
            if k == "promise":
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float, dict)):
                out.setdefault(k, []).append(v)
            elif isinstance(v, dict):
                out[k] = out.get(k, Counter()) + Counter(v)
            else:
                out[k] = out.get(k, 0) + v
    return out


def _outcomes(xml_path: str | None) -> dict[str, tuple[int, int, int]]:
    """(passed, failed, known gaps: xfail/skip) per test module."""
    if not xml_path:
        return {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for case in ET.parse(xml_path).iter("testcase"):
        module = case.get("classname", "").rsplit(".", 1)[-1]
        bad = any(child.tag in ("failure", "error") for child in case)
        skipped = any(child.tag == "skipped" for child in case)
        counts[module][1 if bad else 2 if skipped else 0] += 1
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def line(key: str, t: dict) -> str:
    g = t.get
    if key == "kill":
        stages = ", ".join(f"{s} {n}" for s, n in sorted(g("stages", {}).items()))
        return (f"kills survived: {g('kills', 0)} (make {g('make_kills', 0)}, make --force {g('force_kills', 0)},"
                f" batch {g('batch_kills', 0)}, one worker {g('worker_kills', 0)}; where: {stages});"
                f" leftovers of killed runs removed on rerun: {g('leftovers_removed', 0)};"
                f" batch rerun made {g('batch_made_on_rerun', 0)}, skipped {g('batch_skipped_on_rerun', 0)}")
    if key == "disk":
        stages = Counter(s for lst in g("tmpfs_fill_stages", []) for s in lst)
        return (f"faults injected: {g('faults', 0)} (tmpfs filled in: {', '.join(f'{s} {n}' for s, n in sorted(stages.items()))};"
                f" RLIMIT_FSIZE {g('rlimit_fsize', 0)}; read-only by {', '.join(g('read_only', ['-']))}),"
                " each one line, exit 2, earlier books byte-identical")
    if key == "damaged":
        return (f"bad inputs refused: {g('bad_inputs_refused', 0)} (model files {g('model_files_damaged', 0)},"
                f" configs {g('configs_damaged', 0)}), exit 2, one line naming the file, no traceback;"
                f" designed fallbacks that still made a whole book page: {g('designed_fallbacks', 0)}")
    if key == "concurrency":
        return (f"concurrent makes {g('concurrent_makes', 0)}, concurrent batches {g('concurrent_batches', 0)}"
                f" ({g('shared_prompts', 0)} prompts in both); books made {g('books_made', 0)},"
                f" counted twice {g('counted_twice', 0)}")
    if key == "safety":
        return (f"stories checked: {g('stories_checked', 0)} (unsafe words: {g('unsafe', 0)} by the filter and by"
                f" our own list; fallbacks {g('fallbacks', 0)}); red-team inputs refused:"
                f" {g('bad_inputs_refused', 0)}, accepted as they should be: {g('good_inputs_accepted', 0)},"
                f" unsafe candidates filtered: {g('unsafe_candidates_filtered', 0)}")
    if key == "consent":
        return (f"commands refused without consent: {g('commands_refused_without_consent', 0)},"
                f" tampered consent refused: {g('tampered_consent_refused', 0)}, books deleted on revoke:"
                f" {g('books_deleted_on_revoke', 0)} (other profile's kept: {g('other_profiles_books_kept', 0)}),"
                f" books made without consent: {g('books_made_without_consent', 0)}")
    if key == "load":
        return (f"books: {g('books', 0)} on 2 workers in {g('wall_s', 0)} s ({g('books_per_hour', 0)} books/h,"
                f" median {g('median_book_s', 0)} s); peak RSS per worker MiB: {g('peak_rss_mib', ['-'])[-1]};"
                f" median RSS first->last books MiB: {g('rss_first_last_mib', ['-'])[-1]};"
                f" bad lines summarised exactly: {g('bad_lines_summarised', 0)}/{g('bad_lines', 0)}")
    return ""


def main(argv: list[str]) -> int:
    rows = defaultdict(list)
    with open(argv[0], encoding="utf-8") as fh:
        for text in fh:
            if text.strip():
                row = json.loads(text)
                rows[row["promise"]].append(row)
    outcomes = _outcomes(argv[1] if len(argv) > 1 else None)
    all_ok = True
    for key, module, title in PROMISES:
        passed, bad, gaps = outcomes.get(module, (len(rows[key]), 0, 0))
        if passed == bad == 0:
            print(f"[not run] {title}")
            continue
        ok = bad == 0
        all_ok &= ok
        lost = "books lost: 0" if ok else "NOT HELD: see the failures above"
        print(f"[{'ok' if ok else 'FAIL'}] {title}: {line(key, _totals(rows[key]))}; {lost}"
              f" ({passed} tests passed{f', {bad} failed' if bad else ''}"
              f"{f', {gaps} known gap (xfail, RELIABILITY.md)' if gaps else ''})")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
