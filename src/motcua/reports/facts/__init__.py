"""Fact maintenance (số liệu tổng hợp): the counts every report reads, kept from the dossier events.

One function, `contributions`, turns a dossier's events into signed counts per day and measure. The
incremental path (`record_event`, called by dossiers/services.py for every event it appends, in the same
transaction) writes the difference the newest event makes; `rebuild` replays every dossier's events with
the same function. The two therefore agree by construction, and a test holds them to it.

Days are local dates in Viet Nam (UTC+7 all year, no daylight saving), counted as integers from
1970-01-01 while computing, for speed.

Measures:
- stocks (changes on the days a dossier enters or leaves; the sum up to a day is the stock at its end):
  waiting (chờ tiếp nhận), not_due / overdue (đang giải quyết trong hạn / quá hạn: an open dossier moves
  from one to the other on its due day), paused_supplement / paused_verification / paused_payment,
  ready (đã có kết quả, chờ trả);
- flows (on the day they happen): submitted_online, received_1/2/3 (by channel), finished_early /
  finished_on_time / finished_late, processing_minutes, returned, refused, withdrawn, stopped, apologised,
  supplement_requests, rated_<level>;
- cohort attributes for the 766 index, counted on the day the dossier was received once the dossier has
  them: c_synced, c_fee, c_paid_online, c_full_eligible, c_full_online, c_e_result, c_digitised,
  c_reused, c_store, c_population.

Modules: counting (days, dimensions, contributions), reading, recording, replay (rebuild, snapshot);
every public name is re-exported here.
"""

from .counting import (
    EPOCH,
    FLOW_OF_ACTION,
    OFFSET_SECONDS,
    RUNNING,
    STOCK_OF_STATE,
    STOCKS,
    Dims,
    contributions,
    date_number,
    day_date,
    day_number,
)
from .reading import EVENT_FIELDS, _dims_query, _dims_rows, _events_by_dossier
from .recording import _add, record_attribute_change, record_event, record_events
from .replay import PARALLEL_FROM, UNIX_EPOCH, _replay, _replay_lines, _write_all, rebuild, snapshot

__all__ = [
    "Dims",
    "EPOCH",
    "EVENT_FIELDS",
    "FLOW_OF_ACTION",
    "OFFSET_SECONDS",
    "PARALLEL_FROM",
    "RUNNING",
    "STOCKS",
    "STOCK_OF_STATE",
    "UNIX_EPOCH",
    "_add",
    "_dims_query",
    "_dims_rows",
    "_events_by_dossier",
    "_replay",
    "_replay_lines",
    "_write_all",
    "contributions",
    "date_number",
    "day_date",
    "day_number",
    "rebuild",
    "record_attribute_change",
    "record_event",
    "record_events",
    "snapshot",
]
