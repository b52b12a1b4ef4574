"""UI benchmark: the web UI's conversation screens in a real browser on a large PostgreSQL database.

    .venv/bin/python -m bench.ui --conversations 100000 --keep

Creates a fresh PostgreSQL database (or reuses one loaded before with --database-url), loads it as bench/api.py
does (conversations shaped like the recorded fixture, 20 events each by default, one of 1,000 events, review states
and tags) and starts the migration service, one storage_service caching in Redis (the default deployment's cache,
TTL 300 s) and a gateway on it. Debian's Chromium, headless, driven by Playwright and signed in as the admin, then
times each action `--runs` times after one untimed warm-up, so every figure is with the browser's HTTP cache warm,
and the query cache too unless said:

- the inbox opened by a full reload of /#/conversations, until its pager shows the first page and the total;
- a filter set in the fragment (/#/conversations?intent=mood_unhappy), then cleared, until the pager shows the new
  total; and a filter on a rare intent (faq_NNN) new to the query cache in each run;
- "Next" (each page new to the query cache), until the pager and the rows show the next page;
- the long conversation (/#/conversations/bench-long, 1,000 events) opened by a full reload, and from the inbox,
  until its timeline shows its bubbles.

Each action is timed in the page, from the action (or the reload's start) to the animation frame that shows its
result, with when its first API request was sent and its last answer came in. The baseline, timed in the same run
with httpx: the API requests the browser made for the action until it was shown, one after another and all at
once (where each run asked for something new to the cache, the baseline asks for other new things alike). Also:
the page's JS heap after paging with "Next" (CDP Performance.getMetrics), the gateway's and storage_service's RSS,
and the load time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
from playwright.sync_api import Page, Request, sync_playwright

from bench.api import LONG_CONVERSATION, LONG_EVENTS, Timing, database, load, review, wait_for_migrations
from bench.ingest import rss_mib
from tests.e2e.ui.browser import DESKTOP, launch, put_token
from tests.servers import REDIS_URL, require
from tests.stack import Stack, api_client, stack_environment

INBOX = "#/conversations"
LONG = f"#/conversations/{LONG_CONVERSATION}"
# The inbox shows a page once its pager reads "1-25 of 100,000" (an en dash, U+2013) for the first item `start` and
# `total`, and its table has rows and is not busy. The pager's position follows the fragment's offset at once, before
# the page's rows arrive; so after "Next" the first row must also differ from `previousFirstRow`. With `total` null,
# any total but `otherThanTotal` will do.
INBOX_SHOWN = """([start, total, previousFirstRow, otherThanTotal]) => {
  const position = document.querySelector(".pager-position");
  const table = document.querySelector(".table-wrap");
  const firstRow = table && table.querySelector("tbody tr");
  if (!position || !firstRow || table.hasAttribute("aria-busy")) return false;
  if (previousFirstRow !== null && firstRow.textContent === previousFirstRow) return false;
  const numbers = position.textContent.split(/\\u2013|of/).map((part) => Number(part.replace(/\\D/g, "")));
  if (numbers.length !== 3 || numbers[0] !== start) return false;
  return total === null ? numbers[2] !== otherThanTotal : numbers[2] === total;
}"""
# The conversation screen shows its latest events (all of them when they fit its first time window) as one timeline.
CONVERSATION_SHOWN = """() => document.querySelector(".timeline .bubble") !== null
  && document.querySelector(".conversation-chat .loading") === null"""
FIRST_ROW = """() => document.querySelector(".table-wrap tbody tr").textContent"""
PAGER_POSITION = """() => {
  const numbers = document.querySelector(".pager-position").textContent.split(/\\u2013|of/);
  return numbers.map((part) => Number(part.replace(/\\D/g, "")));
}"""
TIMELINE_SIZE = (
    """() => [".timeline > li", ".timeline .bubble"].map((items) => document.querySelectorAll(items).length)"""
)
SET_FRAGMENT = "location.hash = target;"
CLICK_NEXT = """[...document.querySelector(".pager").querySelectorAll("button")]
  .find((button) => button.textContent.includes("Next")).click();"""
# Timed in the page: from just before `action` to the first animation frame in which `shown(wait)` holds (the frame
# that paints it), so no round trip to this process is counted; after a reload, from the navigation's start. Also
# when the first API request of the action was sent and when the last answer to arrive before it was shown came in.
TIMED_IN_PAGE = """async ([target, wait]) => {{
  const shown = {shown};
  const started = {started};
  {action}
  while (!shown(wait)) {{
    if (performance.now() - started > 60000) throw new Error("not shown after 60 s");
    await new Promise(requestAnimationFrame);
  }}
  const elapsed = performance.now() - started;
  const api = performance.getEntriesByType("resource").filter(
    (entry) => new URL(entry.name).pathname.startsWith("/api/") && entry.startTime >= started);
  const firstSent = Math.min(...api.map((entry) => entry.startTime)) - started;
  const lastAnswer = Math.max(...api.map((entry) => entry.responseEnd)) - started;
  return [elapsed, api.length ? firstSent : 0, api.length ? lastAnswer : 0];
}}"""


@dataclass
class Traffic:
    """The requests a page makes: every one since `clear()`, and those still in flight."""

    made: list[Request] = field(default_factory=list)
    in_flight: set[Request] = field(default_factory=set)

    def watch(self, page: Page) -> None:
        page.on("request", self.started)
        page.on("requestfinished", self.ended)
        page.on("requestfailed", self.ended)

    def started(self, request: Request) -> None:
        self.made.append(request)
        self.in_flight.add(request)

    def ended(self, request: Request) -> None:
        self.in_flight.discard(request)

    def clear(self) -> None:
        self.made = []

    def api_gets(self) -> list[str]:
        """The path and query of each API GET made, in order."""
        paths = []
        for request in self.made:
            url = urlsplit(request.url)
            if url.path.startswith("/api/") and request.method == "GET":
                paths.append(url.path + (f"?{url.query}" if url.query else ""))
        return paths

    def static_files(self) -> int:
        return sum(urlsplit(request.url).path.startswith("/static/") for request in self.made)


@dataclass
class Measured:
    """One UI action: its timings, and what the browser requested (the last run's) up to the action's end."""

    label: str
    ui: Timing
    first_sent: Timing
    last_answer: Timing
    api_paths: list[str]
    static_files: int
    # When each run asks for something new to the query cache: (path of `api_paths`, the baseline's run number) ->
    # the path the baseline asks for instead, new to the cache too.
    new_request: Callable[[str, int], str] | None = None
    api: Timing | None = None
    api_at_once: Timing | None = None


def settle(page: Page, traffic: Traffic, timeout_s: float = 10.0) -> None:
    """Wait until the page has no request in flight (so one run's late requests do not slow the next)."""
    deadline = time.perf_counter() + timeout_s
    while traffic.in_flight and time.perf_counter() < deadline:
        page.wait_for_timeout(20)
    page.wait_for_timeout(50)


def time_ui(
    page: Page, traffic: Traffic, label: str, runs: int, prepare: Callable[[], None], act: Callable[[], list[float]]
) -> Measured:
    """`runs` timings (after one warm-up) of `act()`, which returns TIMED_IN_PAGE's milliseconds; `prepare()` runs
    untimed before each."""
    samples = []
    for run in range(runs + 1):
        prepare()
        settle(page, traffic)
        traffic.clear()
        sample = act()
        api_paths, static_files = traffic.api_gets(), traffic.static_files()
        settle(page, traffic)
        if run:
            samples.append(sample)
    shown, first_sent, last_answer = (Timing(label, list(column)) for column in zip(*samples, strict=True))
    print(f"  {label}: {shown.line()}", flush=True)
    return Measured(label, shown, first_sent, last_answer, api_paths, static_files)


def in_page(page: Page, action: str, shown: str, target: str | None = None, wait: Any = None) -> list[float]:
    """TIMED_IN_PAGE's milliseconds from running the script `action` (given `target`) until `shown(wait)` is painted."""
    script = TIMED_IN_PAGE.format(
        shown=shown, started="performance.now()", action=f"performance.clearResourceTimings(); {action}"
    )
    return list(page.evaluate(script, [target, wait]))


def after_reload(page: Page, shown: str, wait: Any = None) -> list[float]:
    """TIMED_IN_PAGE's milliseconds from the start of a full reload of the page until `shown(wait)` is painted."""
    page.reload(wait_until="commit")
    return list(page.evaluate(TIMED_IN_PAGE.format(shown=shown, started="0", action=""), [None, wait]))


def time_api(api: httpx.Client, action: Measured, runs: int, at_once: bool) -> Timing:
    """The action's API requests with httpx, one after another or all at once (on 6 connections, as a browser):
    `runs` timings after one warm-up."""
    times = []
    first_run = runs + 1 if at_once else 0  # so that requests new to the cache are new again
    with ThreadPoolExecutor(max_workers=6) as pool:
        for run in range(first_run, first_run + runs + 1):
            paths = [action.new_request(path, run) if action.new_request else path for path in action.api_paths]
            started = time.perf_counter()
            if at_once:
                for answer in pool.map(api.get, paths):
                    answer.raise_for_status()
            else:
                for path in paths:
                    api.get(path).raise_for_status()
            if run > first_run:
                times.append((time.perf_counter() - started) * 1000)
    return Timing("api", times)


def with_parameter(path: str, name: str, value: Callable[[str], str]) -> str:
    """`path` with its query parameter `name` changed by `value` (given its old value)."""
    url = urlsplit(path)
    query = dict(parse_qsl(url.query))
    if name in query:
        query[name] = value(query[name])
    return f"{url.path}?{urlencode(query)}"


def further_page(path: str, run: int) -> str:
    """The page `run` + 1 pages after `path`'s (with the same limit)."""
    limit = int(dict(parse_qsl(urlsplit(path).query))["limit"] or 1)
    return with_parameter(path, "offset", lambda offset: str(int(offset) + (run + 1) * limit))


def rare_intent(number: int) -> str:
    return f"faq_{number % 100:03d}"


def go(page: Page, fragment: str) -> None:
    """Change the page's fragment, as the UI's own links and navigate() do (no reload)."""
    page.evaluate("(fragment) => { location.hash = fragment; }", fragment)


def inbox_shows(page: Page, start: int, total: int) -> None:
    page.wait_for_function(INBOX_SHOWN, arg=[start, total, None], polling="raf")


def list_total(page: Page, fragment: str) -> int:
    """The total the inbox shows at `fragment`, read from the X-Total-Count of the list request it makes."""

    def is_list(response: Any) -> bool:
        """The page of rows, not one of the counts (limit=0) the inbox asks for beside it."""
        url = urlsplit(response.url)
        return url.path == "/api/conversations" and parse_qs(url.query).get("limit") != ["0"]

    with page.expect_response(is_list) as answer:
        go(page, fragment)
    total = int(answer.value.headers["x-total-count"])
    inbox_shows(page, 1, total)
    return total


@dataclass
class Inbox:
    """What the timed actions wait for: the inbox's totals unfiltered and filtered, its page size; and how many
    messages the long conversation has."""

    total: int
    filtered_total: int
    page_size: int
    long_messages: int


def discover(page: Page, api: httpx.Client, intent: str) -> Inbox:
    """Open the inbox, then filtered by `intent`, and read what they show."""
    go(page, "#/account")  # away from the inbox the sign-in opened, so that opening it again loads it
    page.wait_for_function("() => document.querySelector('.pager-position') === null")
    total = list_total(page, INBOX)
    first, last, _ = page.evaluate(PAGER_POSITION)
    filtered = list_total(page, f"{INBOX}?intent={intent}")
    if filtered == total:
        raise SystemExit(f"--intent {intent} matches every conversation: pick a rarer one")
    messages = api.get(f"/api/conversations/{LONG_CONVERSATION}/messages").raise_for_status().json()["messages"]
    return Inbox(total, filtered, last - first + 1, len(messages))


def ready_at(page: Page, fragment: str, shown: Callable[[], object]) -> Callable[[], None]:
    """A `prepare` step: go to `fragment` unless the page is there, and wait until `shown()` returns."""

    def prepare() -> None:
        if page.evaluate("() => location.hash") != fragment:
            go(page, fragment)
        shown()

    return prepare


def measure_inbox(page: Page, traffic: Traffic, inbox: Inbox, intent: str, runs: int) -> list[Measured]:
    filtered = f"{INBOX}?intent={intent}"
    everything, matching = [1, inbox.total, None], [1, inbox.filtered_total, None]
    at_inbox = ready_at(page, INBOX, partial(inbox_shows, page, 1, inbox.total))
    at_filtered = ready_at(page, filtered, partial(inbox_shows, page, 1, inbox.filtered_total))
    measured = [
        time_ui(
            page, traffic, "inbox, full reload", runs, at_inbox, partial(after_reload, page, INBOX_SHOWN, everything)
        ),
        time_ui(
            page,
            traffic,
            f"set filter intent={intent}",
            runs,
            at_inbox,
            partial(in_page, page, SET_FRAGMENT, INBOX_SHOWN, filtered, matching),
        ),
        time_ui(
            page,
            traffic,
            "clear the filter",
            runs,
            at_filtered,
            partial(in_page, page, SET_FRAGMENT, INBOX_SHOWN, INBOX, everything),
        ),
    ]
    intents = (rare_intent(number) for number in range(runs + 1))

    def new_filter() -> list[float]:
        fragment = f"{INBOX}?intent={next(intents)}"
        return in_page(page, SET_FRAGMENT, INBOX_SHOWN, fragment, [1, None, None, inbox.total])

    filtering = time_ui(page, traffic, "set filter intent=faq_NNN, new to the cache", runs, at_inbox, new_filter)
    filtering.new_request = partial(other_intent, runs)
    measured.append(filtering)

    at_inbox()
    start = [1]

    def next_page() -> list[float]:
        start[0] += inbox.page_size
        return in_page(page, CLICK_NEXT, INBOX_SHOWN, wait=[start[0], inbox.total, page.evaluate(FIRST_ROW)])

    paging = time_ui(page, traffic, "Next page (each page new to the cache)", runs, lambda: None, next_page)
    paging.new_request = further_page
    measured.append(paging)
    return measured


def other_intent(runs: int, path: str, run: int) -> str:
    """`path` filtered by a rare intent the UI's runs did not ask for."""
    return with_parameter(path, "intent", lambda _: rare_intent(runs + 1 + run))  # runs + 1 ... 3 * runs + 2


def measure_conversation(page: Page, traffic: Traffic, inbox: Inbox, runs: int) -> tuple[list[Measured], list[int]]:
    """The long conversation's timings, and how many events and message bubbles its screen showed."""
    at_long = ready_at(page, LONG, lambda: page.wait_for_function(CONVERSATION_SHOWN, polling="raf"))
    at_inbox = ready_at(page, INBOX, partial(inbox_shows, page, 1, inbox.total))
    reload = partial(after_reload, page, CONVERSATION_SHOWN)
    measured = [time_ui(page, traffic, "long conversation, full reload", runs, at_long, reload)]
    timeline_size = page.evaluate(TIMELINE_SIZE)
    from_inbox = partial(in_page, page, SET_FRAGMENT, CONVERSATION_SHOWN, LONG)
    measured.append(time_ui(page, traffic, "long conversation, from the inbox", runs, at_inbox, from_inbox))
    return measured, timeline_size


def js_heap_mib(page: Page) -> tuple[float, float]:
    """The page's used JS heap (MiB) as it is, and after a forced garbage collection (what it retains)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def used() -> float:
        metrics = {metric["name"]: metric["value"] for metric in cdp.send("Performance.getMetrics")["metrics"]}
        return float(metrics["JSHeapUsedSize"]) / 2**20

    before = used()
    cdp.send("HeapProfiler.collectGarbage")
    after = used()
    cdp.detach()
    return before, after


@contextmanager
def signed_in_page(gateway_url: str, token: str) -> Iterator[tuple[Page, Traffic]]:
    """A desktop page of Debian's Chromium, headless, signed in as the admin, its requests watched."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport=DESKTOP, locale="en-US")
            context.set_default_timeout(60_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            put_token(page, gateway_url, token)
            traffic = Traffic()
            traffic.watch(page)
            yield page, traffic
            if errors:
                print(f"script errors in the page: {errors}")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=0, help="events in all (default: 20 per conversation)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per action, after one warm-up")
    parser.add_argument("--intent", default="mood_unhappy", help="the intent the filter action sets")
    parser.add_argument("--batch-events", type=int, default=20_000, help="events per append_events transaction")
    parser.add_argument("--database-url", default="", help="an already loaded database: skip creating and loading")
    parser.add_argument("--keep", action="store_true", help="keep the new database (reuse it with --database-url)")
    args = parser.parse_args()
    events = args.events or 20 * args.conversations
    require("Redis")
    with database(args) as (database_url, must_load), tempfile.TemporaryDirectory() as logs:
        log_dir = Path(logs)
        extra = {
            "CONVERSELY_DATABASE_URL": database_url,
            "CONVERSELY_REDIS_URL": REDIS_URL,
            "CONVERSELY_LOG_LEVEL": "warning",
        }
        stack = Stack(stack_environment(log_dir, extra), log_dir).start("migrate")
        try:
            wait_for_migrations(stack.address("migrate"), stack)
            load_s = 0.0
            if must_load:
                print(f"loading {args.conversations:,} conversations, {events:,} events ...", flush=True)
                load_s = load(database_url, args.conversations, events, args.batch_events)
                print(f"loaded in {load_s:.0f}s ({events / load_s:,.0f} events/s)", flush=True)
                started = time.perf_counter()
                review(database_url)
                print(f"review states, tags, VACUUM ANALYZE in {time.perf_counter() - started:.0f}s", flush=True)
            stack.start("storage", "gateway").wait_until_serving("storage", "gateway")
            with api_client(stack.gateway_url) as api:
                token = api.headers["Authorization"].removeprefix("Bearer ")
                print(f"measuring the UI ({args.runs} runs per action) ...", flush=True)
                with signed_in_page(stack.gateway_url, token) as (page, traffic):
                    inbox = discover(page, api, args.intent)
                    measured = measure_inbox(page, traffic, inbox, args.intent, args.runs)
                    heap_paged = js_heap_mib(page)
                    conversation, timeline_size = measure_conversation(page, traffic, inbox, args.runs)
                    measured += conversation
                    heap_end = js_heap_mib(page)
                print("measuring the same API requests with httpx ...", flush=True)
                for action in measured:
                    action.api = time_api(api, action, args.runs, at_once=False)
                    action.api_at_once = time_api(api, action, args.runs, at_once=True)
            memory = {
                name: (rss_mib(stack.processes[name].process.pid), rss_mib(stack.processes[name].process.pid, "VmHWM"))
                for name in ("gateway", "storage")
            }
        finally:
            stack.stop()
    report(load_s, args.conversations, events, inbox, measured)
    events_shown, bubbles_shown = timeline_size
    print(
        f"the long conversation's screen showed {events_shown:,} of its {LONG_EVENTS:,} events,"
        f" {bubbles_shown:,} of its {inbox.long_messages:,} messages as bubbles"
    )
    print(
        f"page JS heap after {args.runs + 1} x Next: {heap_paged[0]:.1f} MiB used, {heap_paged[1]:.1f} MiB after GC;"
        f" after the long conversation runs: {heap_end[0]:.1f} MiB used, {heap_end[1]:.1f} MiB after GC"
    )
    for name, (now, peak) in memory.items():
        print(f"{name} RSS: {now:.0f} MiB now, {peak:.0f} MiB peak")
    print("machine load average (1, 5, 15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def percentiles(timing: Timing) -> str:
    return " ".join(f"{timing.percentile(q):7.1f}" for q in (50, 95, 99))


def report(load_s: float, conversations: int, events: int, inbox: Inbox, measured: list[Measured]) -> None:
    print()
    if load_s:
        print(f"load: {events:,} events, {conversations:,} conversations in {load_s:.0f}s")
    print(f"inbox: {inbox.total:,} conversations (filtered: {inbox.filtered_total:,}), {inbox.page_size} a page")
    width = max(len(action.label) for action in measured) + 2
    three = f"{'p50':>7} {'p95':>7} {'p99':>7}"
    print(
        f"{'':{width}}  {'UI (Chromium), ms':^23}  {'p50 in the UI':^15}  {'API (httpx), one by one':^23}"
        f"  {'API (httpx), at once':^23}  {'UI/API p50':^13}"
    )
    print(
        f"{'action':{width}}  {three}  {'1st req':>7} {'answer':>7}  {three}  {three}"
        f"  {'1by1':>6} {'once':>6}  requests"
    )
    for action in measured:
        assert action.api is not None and action.api_at_once is not None
        ui = action.ui.percentile(50)
        ratios = f"{ui / action.api.percentile(50):5.1f}x {ui / action.api_at_once.percentile(50):5.1f}x"
        print(
            f"{action.label:{width}}  {percentiles(action.ui)}  {action.first_sent.percentile(50):7.1f}"
            f" {action.last_answer.percentile(50):7.1f}  {percentiles(action.api)}  {percentiles(action.api_at_once)}"
            f"  {ratios}  {len(action.api_paths)} API + {action.static_files} static"
        )
    print(
        "1st req, answer: when the page sent its first API request, and got the last answer before the action was"
        " shown (the rest is the page's own work)."
    )
    print()
    print("API requests each action made (the last run's, until it was shown):")
    for action in measured:
        print(f"  {action.label}: {', '.join(action.api_paths) or 'none'}")


if __name__ == "__main__":
    main()
