"""Every key of st.session_state the dashboard reads or writes, in one place.

Widgets whose value a link reproduces keep short public names: the link carries them
(?district=535&years=2016-2020&lang=en), and tests and styles address the widgets by them
(`st-key-map_pick_…`). The dashboard's own bookkeeping starts with `_sct_`, so that it can
never collide with a widget's key.
"""

from __future__ import annotations

from sctdash.editing import signin

# ---- filters and modes: widget keys, carried by links (sctdash.app.links)
DISTRICT = "district"  # the chosen district codes (the sidebar's multiselect)
YEARS = "years"  # the first and last year in view (the sidebar's slider)
LANG = "lang"  # "vi" or "en"
MEETING = "meeting"  # meeting mode on (the sidebar's toggle)
SLIDE = "meeting_slide"  # the meeting screen on show, from 0
COMPARE_FIGURE = "compare_figure"  # the overview's comparison: the figure compared
COMPARE_MODE = "compare_mode"  # … its latest value or change
TARGETS_ORDER = "targets_order"  # the overview's plans and results: in what order


def map_figure(page: str) -> str:
    """The figure a page's district map colours by."""
    return f"map_figure_{page}"


def map_mode(page: str) -> str:
    """A page's map of an indicator: its latest value or its change over the years."""
    return f"map_mode_{page}"


def map_pick(where: str) -> str:
    """The row of district buttons under a map (the keyboard's way to click a tile)."""
    return f"map_pick_{where}"


# ---- bookkeeping of a session
STORE_OF_RUN = "_sct_store_of_this_run"  # (data folder, fingerprint) pinned for this run
YEARS_READ = "_sct_years_read"  # (the pinned version, its first and last year)
YEARS_OF_DATA = "_sct_years_of_data"  # the data's years when the year slider was last drawn
FIRST_SCREEN_TAKEN = "_sct_first_screen_taken"  # this run has drawn its first chart
REACHED = "_sct_charts_reached"  # the charts this session has scrolled to
DRAW_ALL = "_sct_draw_all"  # True: every chart at once (tests under AppTest, which runs no script)
LINK_CARRY = "_sct_link_carry"  # the filters a page switch carries to the next page
MEETING_EXIT = "_sct_meeting_exit"  # meeting mode was just left: the page returns to where it was
IMPORT_PREVIEW = "_sct_import_preview"  # (file's key, the preview of the uploaded file)
IMPORT_DONE = "_sct_import_done"  # the message of the import just applied
IMPORT_ROUND = "_sct_import_round"  # a new upload widget after each import
RESTORE_COUNTS = "_sct_restore_counts"  # (version's key, rows a restore would put back)
# the signed-in editor and the time of their last run: written by sctdash.editing.signin into
# the mapping it is given (this session's state), so named there
EDITOR = signin.EDITOR_KEY
EDITOR_ACTIVE = signin.ACTIVE_KEY
