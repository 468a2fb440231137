"""Bad extracts: a clear message naming file, line and column; nothing lost; the rest serves."""

import pytest

from sctdash.store.db import Store


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(store, table, lang="vi"):
    return [p.message(lang) for p in store.problems[table]]


def line_of(path, needle):
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_wrong_type_names_file_line_column(data_copy):
    obs = data_copy / "observations.csv"
    line = line_of(obs, "households_with_power")
    edit(obs, "households_with_power,51,2020,2020,total,,99.2", "households_with_power,51,2020,2020,total,,99,2")
    s = Store(data_copy)
    msgs = messages(s, "observations")
    assert any(f"observations.csv, dòng {line}" in m for m in msgs), msgs
    en = messages(s, "observations", "en")
    assert any(f"File observations.csv, line {line}" in m for m in en), en


def test_non_number_value(data_copy):
    obs = data_copy / "observations.csv"
    line = line_of(obs, "households_with_power")
    edit(obs, "households_with_power,51,2020,2020,total,,99.2", "households_with_power,51,2020,2020,total,,nhiều")
    s = Store(data_copy)
    assert messages(s, "observations") == [
        f"Tệp observations.csv, dòng {line}, cột value: giá trị “nhiều” không phải là một số (dấu chấm thập phân, ví dụ 5.03)."
    ]


def test_unknown_district(data_copy):
    path = data_copy / "electrified_communes.csv"
    edit(path, "Ba Vì,535", "Ba Vì,999")
    s = Store(data_copy)
    (msg,) = messages(s, "electrified_communes")
    assert (
        msg == "Tệp electrified_communes.csv, dòng 2, cột district_code: “999” không có trong areas.csv (cột unit_id)."
    )


def test_missing_column(data_copy):
    path = data_copy / "power_projects.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(",".join(line.split(",")[:2] + line.split(",")[3:]) for line in text[:1]) + "\n", encoding="utf-8"
    )
    s = Store(data_copy)
    assert "Tệp power_projects.csv, dòng 1, cột kind: thiếu cột bắt buộc." in messages(s, "power_projects")


def test_duplicate_key(data_copy):
    path = data_copy / "market_facilities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    s = Store(data_copy)
    (msg,) = messages(s, "market_facilities")
    assert msg.startswith(
        f"Tệp market_facilities.csv, dòng {len(lines) + 1}, cột facility_id: khóa “vincom-plaza” trùng với dòng 2"
    )


def test_check_constraint_in_words(data_copy):
    edit(data_copy / "power_projects.csv", ",hydro,18,MW,in_operation", ",coal,18,MW,in_operation")
    s = Store(data_copy)
    (msg,) = messages(s, "power_projects")
    assert "cột kind" in msg and "“coal”" in msg and "phải là một trong hydro, solar" in msg


def test_a_unit_that_does_not_fit_the_kind_is_refused_in_words(data_copy):
    edit(data_copy / "power_projects.csv", ",hydro,18,MW,in_operation", ",hydro,18,MWp,in_operation")
    s = Store(data_copy)
    (msg,) = messages(s, "power_projects")
    assert "dòng 2, cột capacity_unit" in msg and "“MWp”" in msg
    assert "phải là “MW” khi kind là “hydro”; “MWp” khi kind là “solar”" in msg, msg


def test_every_problem_at_once(data_copy):
    obs = data_copy / "observations.csv"
    edit(obs, "households_with_power,51,", "households_with_power,5x1,")
    edit(obs, "markets,51,2020,2020,total,,146", "markets,51,2020,2020,total,,")
    s = Store(data_copy)
    msgs = messages(s, "observations")
    assert any("cột area_code" in m and "“5x1”" in m for m in msgs)
    assert any("cột value: thiếu giá trị" in m for m in msgs)


def test_a_broken_extract_falls_back_to_the_last_good_one(data_copy):
    Store(data_copy)  # a clean load keeps a last-good copy
    edit(
        data_copy / "observations.csv",
        "households_with_power,51,2020,2020,total,,99.2",
        "households_with_power,51,2020,2020,total,,x",
    )
    s = Store(data_copy)
    assert "observations" in s.problems and "observations" in s.fallbacks
    assert (
        s.row_counts()["observations"]
        == len((data_copy / "observations.csv").read_text(encoding="utf-8").splitlines()) - 1
    )
    df = s.query("headline_facts", indicators=["households_with_power"], districts=[], year_from=2015, year_to=2020)
    assert list(df.value) == [99.2]


def test_without_a_last_good_copy_only_that_extract_is_empty(data_copy):
    edit(data_copy / "power_projects.csv", "18,MW", "eighteen,MW")
    s = Store(data_copy)
    assert s.row_counts()["power_projects"] == 0
    assert s.row_counts()["observations"] > 0
    assert s.problems.keys() == {"power_projects", "power_project_locations"}


def test_empty_and_garbage_files(data_copy):
    (data_copy / "legal_documents.csv").write_bytes(b"")
    (data_copy / "market_facilities.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    s = Store(data_copy)
    assert messages(s, "legal_documents") == ["Tệp legal_documents.csv: tệp rỗng, không có dòng tiêu đề."]
    assert "không phải mã UTF-8" in messages(s, "market_facilities")[0]


def test_missing_file(data_copy):
    (data_copy / "market_facilities.csv").unlink()
    s = Store(data_copy)
    assert messages(s, "market_facilities") == ["Tệp market_facilities.csv: không tìm thấy tệp."]


@pytest.mark.parametrize(
    "hostile",
    ["Ba Tơ'); drop table observations; --", 'Sơn "Hà" \' or 1=1 --', "<script>alert('x')</script>"],
)
def test_hostile_names_are_plain_data(data_copy, hostile):
    path = data_copy / "areas.csv"
    text = path.read_text(encoding="utf-8").replace(",Ba Tơ,", "," + '"' + hostile.replace('"', '""') + '"' + ",", 1)
    path.write_text(text, encoding="utf-8")
    s = Store(data_copy)
    assert not s.problems
    names = s.query("district_list")
    assert hostile in set(names.name_vi)
    assert s.row_counts()["observations"] > 80
    df = s.query("electrified_communes_by_district", districts=["535"])
    assert set(df.item) == {hostile}


def test_the_server_warm_up_draws_every_province_chart_and_map_before_ready(data_copy, monkeypatch, capfd):
    """sctdash.serving.serve builds what a first visitor opens into the process-wide caches:
    afterwards the first visitor of every page, the whole province in every year, with every
    chart and each of the page's maps in view, waits for no chart or map to be drawn; and the
    warm-up prints no bare-mode warnings."""
    import streamlit as st

    from sctdash.app import site, state
    from sctdash.drawing import figures, map_figures
    from sctdash.exhibits import district_map
    from sctdash.serving import serve
    from tests.test_pages import open_page

    st.cache_resource.clear()  # nothing drawn before, by this process's other tests
    st.cache_data.clear()
    capfd.readouterr()
    serve.warm_up()
    assert "WARNING" not in capfd.readouterr().err

    drawn = []

    def counted(module, name):
        real = getattr(module, name)

        def draw(*args, **kwargs):
            drawn.append(f"{module.__name__.rsplit('.', 1)[-1]}.{name}")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, draw)

    counted(figures, "figure")
    counted(map_figures, "figure")
    counted(map_figures, "compare_figure")
    seen = 0
    for entry in site.MENU:
        at = open_page(entry.name)
        seen += len(at.get("plotly_chart"))
        for map_id in district_map.maps_for(entry.name)[1:]:  # the page's other maps; the first is in view
            at.segmented_control(key=state.map_figure(entry.name)).set_value(map_id).run()
            assert not at.exception, [e.value for e in at.exception]
            seen += 1
        assert not drawn, f"{entry.name}: drawn for its first visitor: {drawn}"
    assert seen >= 20  # every page's charts and maps were in view
