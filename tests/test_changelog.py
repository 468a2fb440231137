"""The change log: what each import and restore writes, from the command line and the data page,
and `make check-log` naming an entry edited or removed by hand. Works on data_copy (tmp_path)."""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sctdash.app import site
from sctdash.core import paths
from sctdash.editing import changelog, importer, signin
from tests.test_importer import csv_text, obs, snapshot, two_districts


def entries(data: Path) -> list[dict]:
    return [json.loads(line) for line in changelog.log_path(data).read_text(encoding="utf-8").splitlines()]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_chained(log: list[dict]) -> None:
    prev = changelog.GENESIS
    for n, e in enumerate(log, 1):
        assert (e["seq"], e["prev"], e["hash"]) == (n, prev, changelog.entry_hash(e))
        prev = e["hash"]
    assert changelog.verify(paths.data_dir()).ok


# -- what an entry holds -----------------------------------------------------------------------


def test_command_line_import_refusal_and_restore_each_write_one_entry(data_copy, tmp_path, capsys):
    data = data_copy
    good, bad = tmp_path / "so-lieu-2021.csv", tmp_path / "sai.csv"
    good.write_text(csv_text(two_districts()), encoding="utf-8")
    bad.write_text(csv_text([obs(area_code="Ba To")]), encoding="utf-8")
    original = sha(data / "observations.csv")

    assert importer.main([str(bad), "--dry-run"]) == 1
    assert not changelog.log_path(data).exists()  # a dry run logs nothing
    assert importer.main([str(bad)]) == 1
    assert importer.main([str(good)]) == 0
    assert "mục #2" in capsys.readouterr().out
    assert importer.main(["--restore", "observations"]) == 0
    log = entries(data)
    assert [(e["action"], e["result"]) for e in log] == [
        ("import", "refused"),
        ("import", "applied"),
        ("restore", "restored"),
    ]
    assert_chained(log)
    for e in log:
        assert (e["via"], e["editor"]) == ("command line", None) and e["system_user"].startswith(getpass.getuser())

    refused, imported, restored = log
    assert refused["file"] == {"name": "sai.csv", "sha256": sha(bad), "bytes": bad.stat().st_size}
    assert [(p["line"], p["column"], p["code"]) for p in refused["problems"]] == [(2, "area_code", "unknown_area")]
    assert refused["problems_total"] == 1 and refused["table"] == "observations"

    assert imported["file"] == {"name": "so-lieu-2021.csv", "sha256": sha(good), "bytes": good.stat().st_size}
    keys = [(r["key"]["area_code"], r["key"]["year_from"], r["line"]) for r in imported["rows"]["added"]]
    assert keys == [("535", "2021", 2), ("530", "2021", 3)]
    assert imported["rows"]["changed"] == [] and imported["rows"]["removed"] == []
    assert (data / "history" / imported["history"]).is_file()
    assert sha(data / "history" / imported["history"]) == imported["before_sha256"] == original

    assert restored["file"]["name"] == f"observations-{restored['version']}.csv"
    assert [r["key"]["area_code"] for r in restored["rows"]["removed"]] == ["535", "530"]
    assert restored["rows"]["added"] == [] and restored["rows"]["changed"] == []
    assert restored["before_sha256"] == imported["after_sha256"]
    assert restored["after_sha256"] == original == sha(data / "observations.csv")


def test_a_change_is_logged_with_old_and_new_values(data_copy):
    row = next(r for r in importer.preview.read_current(data_copy / "observations.csv")[1] if r[0] == "vacn_growth_avg")
    header = importer.preview.read_current(data_copy / "observations.csv")[0]
    values = dict(zip(header, row, strict=True))
    out = importer.check_bytes("sua.csv", csv_text([{**values, "value": "5,1"}], delimiter=";").encode()).apply()
    (entry,) = entries(data_copy)
    assert out.entry == entry["seq"] == 1
    (change,) = entry["rows"]["changed"]
    assert change["old"] == {"value": "5.03"} and change["new"] == {"value": "5.1"}
    assert change["key"]["indicator_id"] == "vacn_growth_avg" and change["line"] == 2


def test_an_import_whose_entry_cannot_be_written_is_undone(data_copy):
    changelog.log_path(data_copy).mkdir(parents=True)  # a folder where the log should be
    before = snapshot(data_copy)
    with pytest.raises(importer.ImportRefused) as refused:
        importer.check_bytes("x.csv", csv_text(two_districts()).encode()).apply()
    assert [p.code for p in refused.value.problems] == ["log_unavailable"]
    assert snapshot(data_copy) == before


def test_appends_from_many_threads_keep_one_chain(data_copy):
    def add(n):
        for i in range(10):
            changelog.append({"action": "import", "result": "refused", "table": f"t{n}-{i}"}, data_copy)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    log = entries(data_copy)
    assert [e["seq"] for e in log] == list(range(1, 41))
    assert_chained(log)


def test_a_write_cut_short_is_named_and_the_log_goes_on(data_copy):
    changelog.append({"action": "import", "result": "refused"}, data_copy)
    with changelog.log_path(data_copy).open("ab") as fh:
        fh.write(b'{"seq": 2, "at": "20')  # the machine stopped mid-line
    entry = changelog.append({"action": "import", "result": "refused"}, data_copy)
    assert entry["seq"] == 2 and entry["prev"] == entries_first_hash(data_copy)
    v = changelog.verify(data_copy)
    assert [(b.code, b.line) for b in v.breaks] == [("unreadable", 2)]


def entries_first_hash(data: Path) -> str:
    return json.loads(changelog.log_path(data).read_bytes().split(b"\n")[0])["hash"]


# -- the chain catches hand edits ----------------------------------------------------------------


def _three(data: Path) -> list[bytes]:
    for table in ("observations", "sources", "observations"):
        changelog.append({"action": "import", "result": "applied", "table": table, "editor": "lan"}, data)
    return changelog.log_path(data).read_bytes().splitlines(keepends=True)


def _rehash(line: bytes, **changes) -> bytes:
    entry = {**json.loads(line), **changes}
    entry["hash"] = changelog.entry_hash(entry)
    return changelog.canonical(entry) + b"\n"


TAMPER = {
    "edited": (lambda ls: [ls[0], ls[1].replace(b'"lan"', b'"minh"'), ls[2]], ("edited", 2)),
    "edited_and_rehashed": (lambda ls: [ls[0], _rehash(ls[1], editor="minh"), ls[2]], ("rehashed", 2)),
    "last_edited_and_rehashed": (lambda ls: [ls[0], ls[1], _rehash(ls[2], table="sources")], ("rehashed", 3)),
    "middle_removed": (lambda ls: [ls[0], ls[2]], ("missing", 3)),
    "last_removed": (lambda ls: [ls[0], ls[1]], ("missing_tail", None)),
    "moved": (lambda ls: [ls[0], ls[2], ls[1]], ("missing", 3)),
    "garbled": (lambda ls: [ls[0], b"not json\n", ls[2]], ("unreadable", None)),
}


@pytest.mark.parametrize("how", list(TAMPER))
def test_check_log_names_an_entry_edited_or_removed_by_hand(data_copy, capsys, how):
    lines = _three(data_copy)
    assert changelog.main(["--check"]) == 0
    assert "nguyên vẹn, 3 mục" in capsys.readouterr().out
    tamper, (code, seq) = TAMPER[how]
    changelog.log_path(data_copy).write_bytes(b"".join(tamper(lines)))
    v = changelog.verify(data_copy)
    assert (v.breaks[0].code, v.breaks[0].seq) == (code, seq), v.breaks
    assert changelog.main(["--check", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "the hash chain is broken" in err
    named = {"edited": "entry #2 (line 2", "rehashed": f"entry #{seq} (line {seq}", "missing": "entry #2 is missing"}
    named |= {"missing_tail": "entry #3 is missing from the end", "unreadable": "line 2 of changelog.jsonl"}
    assert named[code] in err, err


def test_a_removed_head_or_log_is_caught(data_copy):
    _three(data_copy)
    changelog.head_path(data_copy).unlink()
    assert [b.code for b in changelog.verify(data_copy).breaks] == ["head_missing"]
    _three(data_copy)  # the head comes back with the next entry
    assert changelog.verify(data_copy).ok
    changelog.log_path(data_copy).unlink()
    assert [b.code for b in changelog.verify(data_copy).breaks] == ["log_missing"]


def test_make_check_log_catches_an_edited_and_a_deleted_entry(data_copy):
    """The make target itself, as an administrator runs it: one entry edited by hand, then one removed."""
    lines = _three(data_copy)
    env = {"SCT_DATA_DIR": str(data_copy), "PATH": "/usr/bin:/bin", "HOME": str(data_copy)}

    def check_log():  # the command `make check-log` runs, without make's setup (which may install)
        command = [sys.executable, "-m", "sctdash.editing.changelog", "--check", "--lang", "vi"]
        return subprocess.run(command, cwd=paths.ROOT, env=env, capture_output=True, text=True)

    run = check_log()
    assert run.returncode == 0 and "nguyên vẹn, 3 mục" in run.stdout, run.stderr
    log = changelog.log_path(data_copy)
    log.write_bytes(lines[0] + lines[1].replace(b'"lan"', b'"lam"') + lines[2])
    run = check_log()
    assert run.returncode != 0
    assert "mục #2 (dòng 2" in run.stderr and "đã bị sửa" in run.stderr, run.stderr
    log.write_bytes(lines[0] + lines[2])
    run = check_log()
    assert run.returncode != 0 and "thiếu mục #2 (đã bị xóa)" in run.stderr, run.stderr


def test_a_file_changed_outside_the_importer_is_noted(data_copy):
    importer.check_bytes("x.csv", csv_text(two_districts()).encode()).apply()
    assert changelog.verify(data_copy).outside == []
    with (data_copy / "observations.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    v = changelog.verify(data_copy)
    assert v.ok and v.outside == [("observations", 1)]
    assert any("data/observations.csv" in line for line in changelog.summary(v, "vi"))
    assert any(str(data_copy / "observations.csv") in line for line in changelog.summary(v, "en"))  # where it is


# -- on the data page ----------------------------------------------------------------------------


def _app():
    from sctdash.app.import_ui import render_import

    render_import("vi")


def test_page_import_refusal_and_restore_each_write_one_entry_as_the_editor(data_copy):
    at = AppTest.from_function(_app, default_timeout=60)
    at.secrets["editors"] = {"lan": signin.hash_password("pw", iterations=1000)}
    signin.start_session(at.session_state, "lan")
    at.run()
    assert at.caption and not at.get("selectbox")  # nothing kept yet to restore
    bad = csv_text([obs(area_code="Ba To")]).encode()
    at.file_uploader(key="import_file_0").set_value(("sai.csv", bad, "text/csv")).run()
    at.run()  # the same upload again: logged once
    good = csv_text(two_districts()).encode()
    at.file_uploader(key="import_file_0").set_value(("so-lieu.csv", good, "text/csv")).run()
    at.button(key="import_confirm").click().run()
    assert not at.exception and "mục #2" in at.success[0].value

    assert at.selectbox(key="restore_table").value == "observations"
    assert "xóa 2 dòng" in " ".join(x.value for x in at.text)
    at.button(key="restore_confirm").click().run()
    assert not at.exception and "mục #3" in at.success[0].value

    log = entries(data_copy)
    assert [(e["action"], e["result"], e["via"], e["editor"]) for e in log] == [
        ("import", "refused", "page", "lan"),
        ("import", "applied", "page", "lan"),
        ("restore", "restored", "page", "lan"),
    ]
    assert_chained(log)
    assert log[0]["file"]["sha256"] == hashlib.sha256(bad).hexdigest()
    assert log[1]["file"]["sha256"] == hashlib.sha256(good).hexdigest()
    assert [r["key"]["area_code"] for r in log[1]["rows"]["added"]] == ["535", "530"]
    assert [r["key"]["area_code"] for r in log[2]["rows"]["removed"]] == ["535", "530"]
    assert log[2]["history"] and log[2]["version"] == log[1]["history"][len("observations-") : -4]


def frame(at, column: str):
    """The table on the page with this column (read-only tables carry no key under AppTest)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_the_history_section_filters_and_dates_the_figures(data_copy):
    importer.check_bytes("a.csv", csv_text(two_districts()).encode()).apply(changelog.page("lan"))
    importer.check_bytes("b.csv", csv_text([obs(area_code="529", quote="Số chợ Mộ Đức")]).encode()).apply()
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(site.page("data").script).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Nhật ký nguyên vẹn: 2 mục" in " ".join(s.value for s in at.success)
    table = frame(at, "Mục")
    assert list(table["Mục"]) == [2, 1]  # newest first
    assert list(table["Người cập nhật"]) == [changelog.who(changelog.verify().entries[1], "vi"), "lan"]
    assert table["Người cập nhật"][0].startswith("dòng lệnh (")
    at.selectbox(key="changelog_editor_filter").set_value("lan").run()
    assert list(frame(at, "Mục")["Mục"]) == [1]
    detail = frame(at, "Thay đổi")
    assert list(detail["Thay đổi"]) == ["thêm", "thêm"] and "535" in detail["Khóa của dòng"][0]

    at.selectbox(key="quote_indicator").set_value("markets").run()
    at.multiselect(key="district").set_value(["535"]).run()
    notes = [m.value for m in at.markdown if "mục \\#1" in m.value]
    assert len(notes) == 1 and "2021" in notes[0] and "lan" in notes[0]
    assert not [m.value for m in at.markdown if "mục \\#2" in m.value]  # 529 is not among the districts


def test_the_history_csv_has_a_row_per_change_and_neutralises_formulas(data_copy):
    from sctdash.app import changelog_ui

    importer.check_bytes("=HYPERLINK(1).csv", csv_text(two_districts()).encode()).apply(changelog.page("lan"))
    importer.log_refused(importer.check_bytes("sai.csv", csv_text([obs(area_code="Ba To")]).encode()))
    text = changelog_ui.csv_bytes(list(reversed(changelog.verify().entries)), "en").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["Entry"], r["Change"], r["Column"]) for r in rows] == [
        ("2", "problem", "area_code"),
        ("1", "added", ""),
        ("1", "added", ""),
    ]
    assert "535 (Ba Tơ)" in rows[0]["New value"]  # the problem's message, with its suggestion
    assert rows[1]["File"] == "'=HYPERLINK(1).csv" and rows[1]["Changed by"] == "lan"
    assert rows[1]["File SHA-256"] == hashlib.sha256(csv_text(two_districts()).encode()).hexdigest()


def test_the_data_page_says_when_the_log_was_edited(data_copy):
    lines = _three(data_copy)
    changelog.log_path(data_copy).write_bytes(lines[0] + lines[2])
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(site.page("data").script).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Nhật ký đã bị sửa hoặc xóa ngoài chương trình (1 chỗ):"]
    assert any("thiếu mục #2 (đã bị xóa), ngay trước mục #3" in x.value for x in at.text)
