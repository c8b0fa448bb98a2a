"""Every extraction rule's own examples: what it must recognise, and what it must not."""

from __future__ import annotations

import pytest

from guizhou_cli.rules import Rule, all_rules

RULES = all_rules()


def test_rules_have_a_home_a_name_a_summary_and_examples():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names)), "rule names are unique"
    for r in RULES:
        assert r.family in {"layout", "furniture", "titles", "headings", "enumerations", "selection"}, r.name
        assert len(r.summary) > 30, r.name
        assert r.accepts and r.rejects, f"{r.name}: positive and negative examples"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_accepts_its_positive_examples(rule: Rule):
    missed = [x for x in rule.accepts if not rule.test(x)]
    assert not missed, f"{rule.name} should recognise {missed}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_rejects_its_negative_examples(rule: Rule):
    wrong = [x for x in rule.rejects if rule.test(x)]
    assert not wrong, f"{rule.name} should not recognise {wrong}"


def test_a_damaged_container_title_is_read_in_linear_time():
    # found by bench/bench_fuzz_readers.py: a <title> with a long run of
    # spaces made the site-suffix pattern backtrack for minutes; run in a
    # subprocess so that a regression fails instead of hanging the suite
    import subprocess
    import sys

    code = (
        "from guizhou_cli.rules.titles import clean_container_title as c\n"
        "t = '关于做好工作的通知' + ' ' * 50000 + '|' + ' ' * 50000 + 'x'\n"
        "assert c(t) == '关于做好工作的通知'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
