"""make bench's load: `sessions` viewers at the protocol level (sctdash.serving.viewer: Streamlit
sessions driven over their websocket, as a browser does), each changing the district
`changes` times, through nginx; what it measures is said in sctdash/serving/viewer.py.

    python -m bench.load --url http://127.0.0.1:8501 [--sessions 20] [--changes 4] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from sctdash.serving.viewer import Load, district_codes, run_load


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the dashboard, e.g. http://127.0.0.1:8501 (nginx)")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--changes", type=int, default=4, help="district changes per session")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a run or a reconnection may take")
    ap.add_argument("--codes", type=json.loads, help="district label -> code, as a run printed it (no probe)")
    ap.add_argument("--json", action="store_true", help="one JSON line, for bench.run")
    ap.add_argument("--samples", action="store_true", help="with every change's times in seconds")
    args = ap.parse_args(argv)

    async def go() -> tuple[Load, dict]:
        codes = args.codes or await district_codes(args.url, args.timeout)
        return await run_load(args.url, args.sessions, args.changes, timeout=args.timeout, codes=codes), codes

    load, codes = asyncio.run(go())
    summary = {**load.summary(), "codes": codes}
    if args.samples:
        summary.update(chart_samples_s=load.chart_s, finish_samples_s=load.finish_s)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for key, value in summary.items():
            print(f"{key:32} {value}")
    return 0 if not load.errors else 1


if __name__ == "__main__":
    sys.exit(main())
