"""Schedules: next fire times checked against Python's croniter on thousands of generated
expressions and start times, in several time zones, across the 2026 and 2027 daylight-saving
changes. Deliberate differences, where we follow Vixie cron:
- a fixed-time schedule whose time happens twice when the clocks go back fires once, in the
  first pass; croniter fires in both passes, so its second-pass times are dropped before
  comparing fixed-time schedules;
- a day field starting with `*/` (`*/6`) counts as `*` when deciding how the two day fields
  combine (so `0 0 */6 * 2` fires on Tuesdays that are day 1, 7, 13, ...); croniter treats
  it as a restriction and fires on either. Such expressions are checked on their own below;
- an interval schedule (minute or hour field starting with `*`) has no fire time inside a
  spring-forward gap; croniter moves some of them (`35 */13 * * *` at a midnight change) to
  the end of the gap, so croniter times whose wall clock the expression does not name are
  dropped for interval schedules;
- croniter reads a one-value range (`5-5`) as the whole field, so the generator avoids them."""
import json
import random
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import CroniterBadDateError, croniter

ZONES = ["Europe/Zurich", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Europe/London", "Pacific/Chatham", "America/Santiago"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def field(rng, low, high, names=None):
    def atom():
        r = rng.random()
        a = rng.randint(low, high - 1)
        b = rng.randint(a + 1, high)  # croniter reads a one-value range (5-5) as the whole field
        if r < 0.35:
            return str(rng.randint(low, high))
        if r < 0.55:
            if names and rng.random() < 0.5:
                return f"{names[a - low]}-{names[b - low]}"
            return f"{a}-{b}"
        if r < 0.7:
            return f"{a}-{b}/{rng.randint(1, b - a + 1)}"
        if names and r < 0.8:
            return names[rng.randint(low, high) - low]
        return str(rng.randint(low, high))
    r = rng.random()
    if r < 0.3:
        return "*"
    if r < 0.45:
        return f"*/{rng.randint(1, (high - low + 1) // 2 + 1)}"
    return ",".join(atom() for _ in range(rng.choice([1, 1, 1, 2, 3])))


def expression(rng):
    minute = field(rng, 0, 59)
    hour = field(rng, 0, 23)
    dom = field(rng, 1, 31) if rng.random() < 0.4 else "*"
    month = field(rng, 1, 12, MONTHS) if rng.random() < 0.3 else "*"
    dow = field(rng, 0, 6, DAYS) if rng.random() < 0.4 else "*"
    return f"{minute} {hour} {dom} {month} {dow}"


def start_time(rng, zone):
    """Near a daylight-saving change two times in three, else anywhere in 2026–2027."""
    z = ZoneInfo(zone)
    if rng.random() < 0.67:
        changes = []
        t = datetime(2026, 1, 1, tzinfo=z)
        while t.year < 2028:
            n = t + timedelta(hours=6)
            if n.utcoffset() != t.utcoffset():
                changes.append(n)
            t = n
        if changes:
            base = rng.choice(changes)
            return (base + timedelta(minutes=rng.randint(-2 * 1440, 2 * 1440))).astimezone(z)
    return datetime(2026, 1, 1, tzinfo=z) + timedelta(minutes=rng.randint(0, 2 * 365 * 1440))


def is_interval(expr):
    m, h = expr.split()[:2]
    return m.startswith("*") or h.startswith("*")


def second_pass(t):
    z = t.tzinfo
    naive = t.replace(tzinfo=None)
    first = naive.replace(tzinfo=z, fold=0).utcoffset()
    second = naive.replace(tzinfo=z, fold=1).utcoffset()
    return first != second and t.utcoffset() == second


def croniter_fires(expr, start, count):
    it = croniter(expr, start)
    out = []
    while len(out) < count:
        try:
            t = it.get_next(datetime)
        except CroniterBadDateError:  # never fires (again): 0 0 30 2 *
            break
        if not is_interval(expr) and second_pass(t):
            continue
        if is_interval(expr) and not croniter.match(expr, t.replace(tzinfo=None)):
            continue
        out.append(t.isoformat())
    return out


def sluice_fires(sluice_bin, cases):
    lines = "".join(json.dumps(c) + "\n" for c in cases)
    p = subprocess.run([sluice_bin, "schedule", "--batch"], input=lines, capture_output=True, text=True, check=True, timeout=600)
    return [json.loads(l) for l in p.stdout.splitlines()]


def test_next_fire_times_match_croniter(sluice_bin):
    rng = random.Random(20261121)
    cases = []
    for _ in range(3000):
        zone = rng.choice(ZONES)
        expr = expression(rng)
        cases.append({"expr": expr, "timezone": zone, "from": start_time(rng, zone).isoformat(), "next": 5})
    ours = sluice_fires(sluice_bin, cases)
    assert len(ours) == len(cases)
    mismatches = []
    for case, got in zip(cases, ours):
        assert "error" not in got, (case, got)
        dom, dow = case["expr"].split()[2], case["expr"].split()[4]
        if (dom.startswith("*/") and dow != "*") or (dow.startswith("*/") and dom != "*"):
            continue
        want = croniter_fires(case["expr"], datetime.fromisoformat(case["from"]).astimezone(ZoneInfo(case["timezone"])), 5)
        if [f["at"] for f in got["fires"]] != want:
            mismatches.append((case, [f["at"] for f in got["fires"]], want))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ; first: {mismatches[:3]}"


@pytest.mark.parametrize("expr,zone,start,want", [
    # Spring forward in Zurich (02:00 → 03:00): a fixed 02:30 fires once, at 03:00.
    ("daily at 02:30", "Europe/Zurich", "2026-03-28T12:00", ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
    # An interval schedule has no fire time inside the gap.
    ("every 30 minutes", "Europe/Zurich", "2026-03-29T01:15", ["2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00"]),
    # Fall back (03:00 → 02:00): a fixed 02:30 fires once, in the first pass.
    ("daily at 02:30", "Europe/Zurich", "2026-10-24T12:00", ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
    # An interval schedule fires in both passes.
    ("every 2 hours", "Europe/Zurich", "2026-10-25T01:30", ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T04:00:00+01:00"]),
    ("monthly on day 31 at 06:00", "Europe/Zurich", "2026-01-31T07:00", ["2026-03-31T06:00:00+02:00", "2026-05-31T06:00:00+02:00"]),
    # A day field starting with */ counts as *: both day fields must match (Vixie cron).
    ("0 0 */6 * 2", "Europe/Zurich", "2026-11-21T00:00", ["2026-12-01T00:00:00+01:00", "2027-01-19T00:00:00+01:00"]),
    ("weekly on friday at 17:45", "America/New_York", "2026-11-01T00:00", ["2026-11-06T17:45:00-05:00"]),
])
def test_daylight_saving_rules_and_friendly_forms(sluice_bin, expr, zone, start, want):
    got = sluice_fires(sluice_bin, [{"expr": expr, "timezone": zone, "from": start, "next": len(want)}])[0]
    assert [f["at"] for f in got["fires"]] == want


def test_friendly_forms_show_their_cron_and_a_summary(ws):
    p = ws.sluice("schedule", "--expr", "daily at 09:00", "--timezone", "Europe/Zurich", "--from", "2026-11-21T00:00", "--next", "1", "--french", check=True)
    assert "0 9 * * *" in p.stdout and "tous les jours à 09:00" in p.stdout and "2026-11-21T09:00:00+01:00" in p.stdout
    p = ws.sluice("schedule", "--expr", "every 90 minutes")
    assert p.returncode != 0 and "every N minutes: N must be a whole number from 1 to 60" in p.stderr


def test_a_bad_schedule_is_a_located_manifest_error(ws):
    ws.pipeline("ventes", "triggers:\n  schedule: daily at 25:00\nextract:\n  - csv: {}\n")
    p = ws.sluice("validate")
    assert p.returncode != 0 and "pipelines/ventes.yaml:2:13: error: '25:00' is not a time of day" in p.stdout


def test_schedule_lists_scheduled_pipelines_with_next_run(ws):
    ws.pipeline("rapport", "triggers:\n  schedule: weekly on monday at 08:00\ntimezone: Europe/Zurich\nextract:\n  - csv: {}\n")
    ws.pipeline("ventes", "triggers: { inbox: { settle: 0s } }\nextract:\n  - csv: {}\n")
    rows = json.loads(ws.sluice("schedule", "--json", check=True).stdout)
    assert [r["pipeline"] for r in rows] == ["rapport"]
    assert rows[0]["cron"] == "0 8 * * 1" and rows[0]["nextRun"] == "2026-11-23T08:00:00+01:00" and "lastRun" not in rows[0]


# Schedules said in words, mapped to cron by hand: each must show that cron and fire when
# croniter says that cron fires, across the Zurich changes of 2026.
PHRASES = [
    ("toutes les 5 minutes", "*/5 * * * *"), ("toutes les heures", "0 * * * *"), ("toutes les 2 heures", "0 */2 * * *"),
    ("every 5 minutes", "*/5 * * * *"), ("every hour", "0 * * * *"), ("every 2 hours", "0 */2 * * *"),
    ("tous les jours à 08:00", "0 8 * * *"), ("chaque jour à 8h", "0 8 * * *"), ("daily at 08:00", "0 8 * * *"),
    ("every day at 02:30", "30 2 * * *"), ("tous les jours à 08:00 et 17:00", "0 8,17 * * *"),
    ("du lundi au vendredi à 08:00", "0 8 * * 1-5"), ("en semaine à 08h00", "0 8 * * 1-5"), ("every weekday at 08:00", "0 8 * * 1-5"),
    ("monday to friday at 08:00", "0 8 * * 1-5"), ("chaque lundi à 09:00", "0 9 * * 1"), ("tous les lundis à 09:30", "30 9 * * 1"),
    ("le lundi à 09:00", "0 9 * * 1"), ("every monday at 09:00", "0 9 * * 1"), ("weekly on monday at 09:00", "0 9 * * 1"),
    ("lundi et jeudi à 2h30", "30 2 * * 1,4"), ("le dimanche à 02:30", "30 2 * * 0"),
    ("le 1er du mois à 06:00", "0 6 1 * *"), ("le 15 de chaque mois à 12:00", "0 12 15 * *"), ("tous les mois le 1er à 06:00", "0 6 1 * *"),
    ("on the 1st of every month at 06:00", "0 6 1 * *"), ("monthly on the 15th at 12:00", "0 12 15 * *"),
    ("le dernier jour du mois à 18:00", "0 18 L * *"), ("on the last day of the month at 02:30", "30 2 L * *"),
]


@pytest.mark.parametrize("start", ["2026-03-27T00:00", "2026-10-23T00:00", "2026-01-30T12:00"])
def test_phrases_fire_as_croniter_says_their_cron_fires(sluice_bin, start):
    cases = [{"expr": phrase, "timezone": "Europe/Zurich", "from": start, "next": 8} for phrase, _ in PHRASES]
    ours = sluice_fires(sluice_bin, cases)
    begin = datetime.fromisoformat(start).replace(tzinfo=ZoneInfo("Europe/Zurich"))
    for (phrase, cron), got in zip(PHRASES, ours):
        assert "error" not in got, (phrase, got)
        assert got["cron"] == cron, phrase
        assert [f["at"] for f in got["fires"]] == croniter_fires(cron, begin, 8), phrase


def test_last_day_of_the_month_matches_croniter(sluice_bin):
    rng = random.Random(20261203)
    cases = []
    for _ in range(300):
        zone = rng.choice(ZONES)
        dom = rng.choice(["L", "L", "1,L", "15,L", "28-30,L"])
        month = rng.choice(["*", "*", "2", "feb-apr"])
        cases.append({"expr": f"{field(rng, 0, 59)} {field(rng, 0, 23)} {dom} {month} *", "timezone": zone,
                      "from": start_time(rng, zone).isoformat(), "next": 5})
    ours = sluice_fires(sluice_bin, cases)
    mismatches = []
    for case, got in zip(cases, ours):
        assert "error" not in got, (case, got)
        want = croniter_fires(case["expr"], datetime.fromisoformat(case["from"]).astimezone(ZoneInfo(case["timezone"])), 5)
        if [f["at"] for f in got["fires"]] != want:
            mismatches.append((case, [f["at"] for f in got["fires"]], want))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ; first: {mismatches[:3]}"


@pytest.mark.parametrize("expr,english,french", [
    ("0 8 * * 1-5", "Monday to Friday at 08:00", "du lundi au vendredi à 08:00"),
    ("*/15 * * * *", "every 15 minutes", "toutes les 15 minutes"),
    ("5,35 8-18 * * *", "at minutes 5 and 35 past hours 8 to 18", "aux minutes 5 et 35 des heures 8 à 18"),
    ("0 6 1 * *", "on the 1st of every month at 06:00", "le 1er de chaque mois à 06:00"),
])
def test_cron_is_summarised_in_words(ws, expr, english, french):
    for flag, want in [(), english], [("--french",), french]:
        p = ws.sluice("schedule", "--expr", expr, "--timezone", "Europe/Zurich", "--from", "2026-11-21T00:00", "--next", "1", *flag, check=True)
        assert p.stdout.splitlines()[1].strip() == want


def test_french_schedules_in_a_manifest(ws):
    ws.pipeline("rapport", "triggers:\n  schedule: du lundi au vendredi à 8h\ntimezone: Europe/Zurich\nextract:\n  - csv: {}\n")
    assert ws.sluice("validate").returncode == 0
    rows = json.loads(ws.sluice("schedule", "--json", "--french", check=True).stdout)
    assert rows[0]["cron"] == "0 8 * * 1-5" and rows[0]["summary"] == "du lundi au vendredi à 08:00"
    assert rows[0]["nextRun"] == "2026-11-23T08:00:00+01:00"
    ws.pipeline("rapport", "triggers:\n  schedule: tous les jors à 08:00\nextract:\n  - csv: {}\n")
    p = ws.sluice("validate")
    assert p.returncode != 0 and "pipelines/rapport.yaml:2:13: error: cannot read the schedule 'tous les jors à 08:00'" in p.stdout
    assert "did you mean 'tous les jours à 08:00'?" in p.stdout and "'du lundi au vendredi à 08:00'" in p.stdout
    assert "minute field" not in p.stdout
