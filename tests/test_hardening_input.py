"""Bad input gets a clear error and loses nothing; no user text leaves its place.

One test per probe that used to end in a traceback, an invalid output or a hijacked pull-request
comment, run through the real command line where the failure was there (exit code, message,
and no "Traceback").
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
from pathlib import Path

import cmarkgfm
import pytest
import yaml
from click.testing import CliRunner
from cmarkgfm.cmark import Options

from lastmile_flows import BpmnError, InvalidModelError, LoadError, import_bpmn, load, write_bpmn
from lastmile_flows.cli import main
from lastmile_flows.datafile import read_data
from lastmile_flows.escape import markdown, markdown_block
from tests.builders import small_process_data
from tests.support import LASTMILE, PROCESSES, REPO, git, pull_request_repo

REDESIGN = str(PROCESSES / "order_entry" / "redesign.yaml")


def _cli(*args: str, cwd: Path | None = None, stdout=subprocess.PIPE, preexec=None, **env):
    done = subprocess.run(
        [str(LASTMILE), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
        env={**os.environ, **env},
        preexec_fn=preexec,
    )
    assert "Traceback" not in (done.stderr or "") + (done.stdout or "")
    return done


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- 4. never a traceback


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deeply_nested_input_is_an_error_in_every_command(tmp_path, suffix):
    depth = 5000
    text = "[" * depth + "]" * depth if suffix == ".json" else "a: " + "[" * depth + "]" * depth
    model = _write(tmp_path / f"deep{suffix}", text)
    for command in (["validate"], ["check", "--no-svgs"], ["render"], ["diff"]):
        done = _cli(*command, str(model))
        assert done.returncode == 2, (command, done.stderr)
        assert "nested more than 64 levels deep" in done.stderr, (command, done.stderr)


def test_nesting_just_over_the_bound_is_refused_by_the_reader(tmp_path):
    data = small_process_data()
    data["notes"] = json.loads("[" * 70 + "]" * 70)
    with pytest.raises(LoadError, match="nested more than 64"):
        read_data(_write(tmp_path / "deep.json", json.dumps(data)))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 5000, "integer of 5,000 digits"),
        ("1e400", "too large"),
        ("NaN", "NaN is not a number"),
        ("-Infinity", "-Infinity is not a number"),
    ],
)
def test_numbers_json_cannot_hold_are_errors(tmp_path, value, message):
    text = json.dumps(small_process_data()).replace(
        '"touch_minutes": 2', f'"touch_minutes": {value}'
    )
    model = _write(tmp_path / "model.json", text)
    done = _cli("validate", str(model))
    assert done.returncode == 2
    assert message in done.stderr


@pytest.mark.slow
def test_a_lone_surrogate_in_a_json_name_is_shown_escaped(tmp_path):
    data = small_process_data()
    data["name"] = "Orders \ud800 team"
    model = _write(tmp_path / "model.json", json.dumps(data))  # ASCII: "\ud800" escaped
    done = _cli("validate", str(model))
    assert done.returncode == 0, done.stderr
    assert "Orders \\ud800 team" in done.stdout


@pytest.mark.slow
def test_a_full_stdout_is_an_error_not_a_traceback():
    with open("/dev/full", "w") as full:
        done = _cli("diff", REDESIGN, "--fail-on", "never", stdout=full)
    assert done.returncode == 2
    assert "No space left on device" in done.stderr


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly():
    command = f"{LASTMILE} diff {REDESIGN} --format json --fail-on never | head -c 10"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=60
    )
    assert done.stdout == '{\n  "schem'
    assert "Traceback" not in done.stderr
    assert "Broken pipe" not in done.stderr


@pytest.mark.slow
def test_a_locale_that_cannot_spell_a_name_gets_escapes(tmp_path):
    data = small_process_data()
    data["name"] = "Überprüfung → 日本"
    model = _write(tmp_path / "model.yaml", yaml.safe_dump(data, allow_unicode=True))
    done = subprocess.run(
        [str(LASTMILE), "validate", str(model)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert "Überprüfung \\u2192 \\u65e5\\u672c" in done.stdout.decode("latin-1")


@pytest.mark.slow
def test_a_render_onto_a_full_disk_fails_cleanly_and_keeps_the_old_svgs(tmp_path, monkeypatch):
    from lastmile_flows.review import batch

    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["render", REDESIGN, "--out", str(out), "-j", "1"])
    assert first.exit_code == 0, first.output
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    model = tmp_path / "redesign.yaml"
    for name in ("redesign.yaml", "current.yaml", "redesigned.yaml"):
        text = (PROCESSES / "order_entry" / name).read_text("utf-8")
        _write(tmp_path / name, text.replace("Distributor", "Distributeur"))
    written: list[Path] = []
    real_write = batch.write_atomic  # type: ignore[attr-defined]

    def full_disk(path: Path, data: bytes) -> None:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        real_write(path, data)

    monkeypatch.setattr(batch, "write_atomic", full_disk)
    done = CliRunner().invoke(main, ["render", str(model), "--out", str(out), "-j", "1"])
    assert done.exit_code == 2
    assert "No space left on device (1 of 5 diagrams drawn; the others are as they were)" in (
        done.output
    )
    assert "Traceback" not in done.output
    after = {path.name: path.read_bytes() for path in out.iterdir()}
    assert after.keys() == before.keys()
    assert [name for name in after if after[name] != before[name]] == [written[0].name]


@pytest.mark.slow
def test_a_render_into_a_place_that_is_not_a_folder_fails_cleanly(tmp_path):
    blocker = _write(tmp_path / "file", "not a folder")
    done = _cli("render", REDESIGN, "--out", str(blocker / "svgs"))
    assert done.returncode == 2
    assert "error:" in done.stderr
    assert "Not a directory" in done.stderr


@pytest.mark.slow
def test_rendering_more_than_a_diagram_can_hold_is_a_message(tmp_path):
    steps = [{"id": f"s{i}", "role": "clerk"} for i in range(6000)]
    model = _write(
        tmp_path / "big.json", json.dumps({"id": "big", "roles": [{"id": "clerk"}], "steps": steps})
    )
    done = _cli("render", str(model))
    assert done.returncode == 2
    assert "'big' has 6,000 flow nodes; one diagram draws at most 5,000" in done.stderr


# ---- 6. bad values get a clear error


@pytest.mark.slow
def test_an_id_with_a_trailing_newline_is_invalid(tmp_path):
    data = small_process_data()
    data["steps"][0]["id"] = "receive\n"
    data["steps"][0]["next"] = None
    model = _write(tmp_path / "model.json", json.dumps(data))
    done = _cli("validate", str(model))
    assert done.returncode == 1
    assert "'receive\\n' is not a valid id" in done.stderr


@pytest.mark.slow
def test_a_key_given_twice_in_json_is_an_error_with_its_line(tmp_path):
    model = _write(tmp_path / "model.json", '{\n  "id": "a",\n  "id": "b"\n}\n')
    done = _cli("validate", str(model))
    assert done.returncode == 2
    assert f"{model}:3: invalid JSON: key 'id' appears twice in one object" in done.stderr


@pytest.mark.slow
def test_absurd_numbers_are_refused_with_the_limit(tmp_path):
    data = small_process_data()
    data["steps"][0]["touch_minutes"] = 1e308
    model = _write(tmp_path / "model.json", json.dumps(data))
    done = _cli("validate", str(model))
    assert done.returncode == 1
    assert "steps[receive].touch_minutes" in done.stderr
    assert "10000000" in done.stderr


@pytest.mark.parametrize("volume", ["nan", "inf", "-1", "1e400"])
def test_volume_must_be_a_finite_number(volume):
    result = CliRunner().invoke(main, ["diff", REDESIGN, "--volume", volume])
    assert result.exit_code == 2
    assert "--volume" in result.output


def test_the_json_comparison_is_always_valid_json():
    result = CliRunner().invoke(
        main, ["diff", REDESIGN, "--format", "json", "--volume", "1e9", "--fail-on", "never"]
    )
    assert result.exit_code == 0
    json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


@pytest.mark.slow
def test_a_loop_no_case_leaves_is_refused_by_validate_and_diff_alike(tmp_path):
    model = _write(
        tmp_path / "loop.yaml",
        "id: loop\nroles: [{id: clerk}]\nsteps:\n  - {id: a, role: clerk, next: g}\n"
        "  - {id: b, role: clerk}\ngateways:\n"
        "  - {id: g, branches: [{to: a, probability: 1.0}, {to: b, probability: 0.0}]}\n",
    )
    validate = _cli("validate", str(model))
    assert validate.returncode == 1
    assert "[loop-without-exit] at gateways[g]" in validate.stderr
    diff = _cli("diff", str(model), str(model))
    assert diff.returncode == 2
    assert "loop-without-exit" in diff.stderr


# ---- 7. BPMN


def _bpmn(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">\n'
        f'<process id="p">\n{body}</process>\n</definitions>\n'
    ).encode()


def test_two_bpmn_tasks_with_one_id_are_refused_naming_both_lines():
    data = _bpmn(
        '<startEvent id="s"/>\n<userTask id="t1" name="A"/>\n<userTask id="t1" name="B"/>\n'
        '<sequenceFlow id="f" sourceRef="s" targetRef="t1"/>\n'
    )
    with pytest.raises(BpmnError, match=r"id 't1' is used twice \(also by <userTask> on line 5\)"):
        import_bpmn(data)


def test_bpmn_ids_the_model_must_change_get_a_note():
    data = _bpmn('<userTask id="Tâche_1" name="A"/>\n')
    result = import_bpmn(data)
    assert [step.id for step in result.process.steps] == ["T_che_1"]
    assert any("'Tâche_1' becomes 'T_che_1'" in str(note) for note in result.notes)


def test_parallel_sequence_flows_between_two_elements_import_as_one():
    data = _bpmn(
        '<startEvent id="s"/>\n<userTask id="a"/>\n<userTask id="b"/>\n<endEvent id="e"/>\n'
        '<sequenceFlow id="f1" sourceRef="s" targetRef="a"/>\n'
        '<sequenceFlow id="f2" sourceRef="a" targetRef="b"/>\n'
        '<sequenceFlow id="f3" sourceRef="a" targetRef="b"/>\n'
        '<sequenceFlow id="f4" sourceRef="b" targetRef="e"/>\n'
    )
    result = import_bpmn(data)
    assert [step.id for step in result.process.steps] == ["a", "b"]
    assert any("second sequence flow from 'a' to 'b'" in str(note) for note in result.notes)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["process.bpmn20.xml", "process.xml"])
def test_bpmn_files_named_xml_are_read_by_every_command(tmp_path, name):
    exported = write_bpmn(load(REDESIGN), which="current")
    path = tmp_path / name
    path.write_bytes(exported)
    done = _cli("validate", str(path))
    assert done.returncode == 0, done.stderr
    assert load(path) == load(REDESIGN).current  # type: ignore[union-attr]
    check = _cli("check", "--no-svgs", str(tmp_path))
    assert "1 models in 1 files" in check.stderr


# ---- 8. references stay inside the repository


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "models").mkdir()
    return repo


@pytest.mark.slow
def test_a_redesign_cannot_name_a_file_outside_its_repository(tmp_path):
    repo = _repository(tmp_path)
    secret = _write(tmp_path / "secret.yaml", "password: hunter2\n")
    _write(
        repo / "models" / "redesign.yaml",
        f"id: r\ncurrent: ../../{secret.name}\nredesigned: ../../{secret.name}\n"
        "volume_per_month: 1\n",
    )
    done = _cli("validate", str(repo / "models" / "redesign.yaml"))
    assert done.returncode == 2
    assert "lies outside" in done.stderr
    assert "hunter2" not in done.stderr
    allowed = _cli("validate", str(repo / "models" / "redesign.yaml"), LASTMILE_ROOT=str(tmp_path))
    assert "lies outside" not in allowed.stderr


def test_a_symlink_cannot_lead_a_reference_out_of_the_repository(tmp_path):
    repo = _repository(tmp_path)
    secret = _write(tmp_path / "secret.yaml", "password: hunter2\n")
    (repo / "models" / "current.yaml").symlink_to(secret)
    _write(
        repo / "models" / "redesign.yaml",
        "id: r\ncurrent: current.yaml\nredesigned: current.yaml\nvolume_per_month: 1\n",
    )
    with pytest.raises(LoadError, match="lies outside"):
        load(repo / "models" / "redesign.yaml")


# ---- 9. limits with a message


@pytest.mark.slow
def test_thousands_of_problems_print_a_bounded_list(tmp_path):
    text = "id: many\nroles: [{id: clerk}]\nsteps:\n" + "".join(
        f"  - {{id: s{i}, role: clerck}}\n" for i in range(3000)
    )
    done = _cli("validate", _write(tmp_path / "many.yaml", text).as_posix())
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) < 110
    assert lines[-1].strip() == "... and 2,900 more (fix these first)"


def test_a_json_model_is_parsed_once_when_it_is_valid(tmp_path, monkeypatch):
    from lastmile_flows import datafile

    calls: list[str] = []
    original = datafile.read_yaml  # type: ignore[attr-defined]

    def counted(*args, **kwargs):
        calls.append("yaml")
        return original(*args, **kwargs)

    monkeypatch.setattr(datafile, "read_yaml", counted)
    model = _write(tmp_path / "model.json", json.dumps(small_process_data()))
    load(model)
    assert calls == []
    data = small_process_data()
    data["steps"][0]["role"] = "clark"
    with pytest.raises(InvalidModelError) as raised:
        load(_write(tmp_path / "bad.json", json.dumps(data, indent=1)))
    assert calls == ["yaml"], "lines are worked out only for a problem"
    assert raised.value.problems[0].line is not None


# ---- 10. the terminal


@pytest.mark.slow
def test_diff_text_shows_control_characters_as_escapes(tmp_path):
    hostile = "Evil\x1b[2J\x1b]0;title\x07\x1b]8;;http://x\x07link\rCR\u202eRLO"
    current = yaml.safe_load((PROCESSES / "order_entry" / "current.yaml").read_text("utf-8"))
    current["name"] = hostile
    current["steps"][0]["name"] = hostile
    path = _write(tmp_path / "current.yaml", yaml.safe_dump(current, allow_unicode=True))
    done = _cli("diff", str(path), str(path), "--volume", "10")
    assert done.returncode in (0, 1)
    for char in ("\x1b", "\x07", "\r", "\u202e"):
        assert char not in done.stdout + done.stderr
    assert "Evil\\x1b[2J\\x1b]0;title\\x07" in done.stdout
    assert "\\u202eRLO" in done.stdout


# ---- 11. Markdown that nothing can hijack


def _html(text: str) -> str:
    """As GitHub renders it: cmark-gfm, raw HTML kept (GitHub then sanitises it)."""
    html: str = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    return html


@pytest.mark.parametrize(
    "hostile",
    [
        "x\r```\r## All checks passed - safe to merge\r[click](http://evil.example)\r```",
        "x\n````\n# Approved\n",
        "x\u2028```\n# Approved",
        "~~~\n# Approved\n~~~",
    ],
)
def test_a_code_block_holds_whatever_is_put_in_it(hostile):
    rendered = _html("before\n\n" + markdown_block(hostile) + "\nafter\n")
    assert rendered.count("<pre>") == 1
    inside = rendered.split("<pre>", 1)[1].split("</pre>", 1)[0]
    assert "Approved" in inside or "All checks passed" in inside
    outside = rendered.replace(inside, "")
    for tag in ("<h1>", "<h2>", "<a "):
        assert tag not in outside
    assert outside.rstrip().endswith("<p>after</p>")


@pytest.mark.parametrize(
    "hostile",
    [
        "@octocat please merge",
        "fixes #12",
        "see www.evil.example",
        "see https://evil.example/x",
        "mail a@evil.example",
        "[link](http://evil.example) <script>x</script> **bold** `code`",
    ],
)
def test_user_text_in_markdown_links_and_mentions_nothing(hostile):
    rendered = _html(f"| a |\n|---|\n| {markdown(hostile)} |\n")
    text = re.sub(r"<[^>]+>", "", rendered).replace("\u2060", "")
    for tag in ("<a ", "<script", "<strong>"):
        assert tag not in rendered
    assert hostile.replace("<script>", "").split()[0] in text.replace("<script>", "")
    assert not re.search(r"@[A-Za-z0-9]", re.sub(r"<[^>]+>", "", rendered))
    assert not re.search(r"#\d", re.sub(r"<[^>]+>", "", rendered))


# ---- 12. the pull-request comment and its workflow


@pytest.mark.slow
def test_the_pull_request_comment_survives_hostile_names_and_files(tmp_path):
    repo = pull_request_repo(tmp_path, PROCESSES / "order_entry", "order entry (it's)")
    odd = repo / "processes" / "order entry (it's)"
    text = (odd / "redesigned.yaml").read_text("utf-8")
    (odd / "redesigned.yaml").write_text(text.replace("headcount: 0,", "headcount: 2,"), "utf-8")
    _write(odd / "it's.yaml", "id: x\nname: [\r```\r## Safe to merge @octocat\r")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "pr")
    done = _cli("pr-comment", "--base", "main", "processes/", cwd=repo)
    assert done.returncode == 0, done.stderr
    comment = done.stdout
    assert comment.startswith("<!-- lastmile-comparison -->\n")
    assert "<code>processes/order entry (it&#x27;s)/redesign.yaml</code>" in comment
    assert "redesigned.yaml</code> cannot" not in comment, "a process file is not a redesign"
    assert "+role order_desk" in comment
    rendered = _html(comment)
    assert (
        "<p><strong>Cannot be compared:</strong> processes/order entry (it's)/it's.yaml</p>"
        in rendered
    )
    outside = re.sub(r"<pre[^>]*>.*?</pre>", "", rendered, flags=re.S)
    assert "Safe to merge" not in outside
    assert "<h2>Safe" not in rendered


def test_the_example_workflow_is_safe_by_construction():
    text = (REPO / "examples" / "github" / "lastmile.yml").read_text("utf-8")
    workflow = yaml.safe_load(text)
    assert list(workflow[True]) == ["pull_request"], "never pull_request_target"
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["with"]["persist-credentials"] is False
    named = {step.get("name"): step for step in steps}
    post = named["Post or update the pull-request comment"]
    assert 'select(.user.login == "github-actions[bot]")' in post["run"]
    compare = named["Compare the changed redesigns"]
    assert compare["run"].split()[:2] == ["lastmile", "pr-comment"]
    assert "pull_request_target" in text.split("name: process models")[0], "the comment says why"


# ---- what a review of the hardening found


@pytest.mark.slow
@pytest.mark.parametrize("hours", ["1e-320", "0.5"])
def test_hours_per_fte_below_one_hour_are_refused(tmp_path, hours):
    result = CliRunner().invoke(main, ["diff", REDESIGN, "--hours-per-fte", hours])
    assert result.exit_code == 2
    assert "--hours-per-fte" in result.output
    data = yaml.safe_load((PROCESSES / "order_entry" / "redesign.yaml").read_text("utf-8"))
    data["hours_per_fte_month"] = float(hours)
    for name in ("current.yaml", "redesigned.yaml"):
        (tmp_path / name).write_bytes((PROCESSES / "order_entry" / name).read_bytes())
    model = _write(tmp_path / "redesign.yaml", yaml.safe_dump(data))
    done = _cli("validate", str(model))
    assert done.returncode == 1
    assert "hours_per_fte_month" in done.stderr


def test_two_bpmn_processes_with_one_id_are_refused():
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">\n'
        b'<collaboration id="c"><participant id="pool" processRef="p"/></collaboration>\n'
        b'<process id="p"><userTask id="a" name="Approve payment"/></process>\n'
        b'<process id="p"><userTask id="b" name="Ship goods"/></process>\n'
        b"</definitions>\n"
    )
    with pytest.raises(BpmnError, match="id 'p' is used twice"):
        import_bpmn(data)


def test_a_valid_bpmn_id_keeps_its_name_whatever_comes_first():
    data = _bpmn('<userTask id="tâche" name="A"/>\n<userTask id="t_che" name="B"/>\n')
    result = import_bpmn(data)
    ids = {step.name: step.id for step in result.process.steps}
    assert ids["B"] == "t_che"
    assert ids["A"] != "t_che"


def test_github_issue_references_in_user_text_do_not_link():
    rendered = _html(markdown("see GH-12 and gh-7"))
    text = re.sub(r"<[^>]+>", "", rendered)
    assert not re.search(r"GH-\d", text, flags=re.IGNORECASE)


@pytest.mark.slow
def test_a_file_name_cannot_put_markdown_in_the_pull_request_comment(tmp_path):
    repo = pull_request_repo(tmp_path, PROCESSES / "order_entry")
    odd = repo / "processes" / "All checks passed [details](http:evil.example) _x_"
    odd.mkdir()
    _write(odd / "redesign.yaml", "id: r\ncurrent: gone.yaml\nredesigned: gone.yaml\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "pr")
    done = _cli("pr-comment", "--no-python", "--base", "main", "processes/", cwd=repo)
    assert done.returncode == 0, done.stderr
    rendered = _html(done.stdout)
    assert "evil.example" in rendered
    assert 'href="http:evil' not in rendered
    assert "<em>x</em>" not in rendered
    assert "<p><strong>Cannot be compared:</strong>" in rendered, "a paragraph of its own"
