// A conversation's events: its latest part first, older parts on demand, so that a very long conversation still
// opens at once (Rasa X's conversation screen could not show long ones: RasaHQ/rasa#4768).
import { get } from "../api.js";
import { useCallback, useEffect, useState } from "../html.js";
import { useAction } from "../use_api.js";
import { conversationPath } from "./conversation_format.js";

const WANTED_EVENTS = 100;
// The tracker is read in time windows (`since`/`until`): an hour back from the latest event, then 8 times wider
// until the window holds enough events or reaches the conversation's start.
const FIRST_SPAN_S = 3600;
const SPAN_GROWTH = 8;

/** An event's identity; pushed events carry no Rasa X id, but a type at a timestamp is unique in a tracker. */
export const eventKey = (event) => `${event.event}@${event.timestamp}`;

/**
 * The events of a tracker window reaching back from `anchor` (ending at `until`, null: the latest event), widened
 * until `enough(events)` or it covers the whole conversation (then `reachedStart`).
 */
async function windowBack(senderId, { anchor, until = null, enough, signal }) {
  for (let span = FIRST_SPAN_S; ; span *= SPAN_GROWTH) {
    const since = anchor - span > 0 ? anchor - span : null;
    const tracker = await get(conversationPath(senderId, "/tracker"), { since, until }, { signal });
    if (since === null || enough(tracker.events)) return { events: tracker.events, reachedStart: since === null };
  }
}

async function loadLatest(senderId, signal) {
  // The conversation's list item: review status, corrections, and where its latest events are.
  const summary = await get(conversationPath(senderId), undefined, { signal });
  const wanted = Math.min(WANTED_EVENTS, summary.number_of_events);
  const { events, reachedStart } = await windowBack(senderId, {
    anchor: summary.latest_event_time ?? Date.now() / 1000,
    signal,
    enough: (found) => found.length >= wanted,
  });
  // A window can hold far more than is wanted: only the latest are drawn; "Load earlier" fetches the others again.
  const shown = events.slice(-wanted || undefined);
  const hasEarlier = shown.length < events.length || (!reachedStart && shown.length < summary.number_of_events);
  return { events: shown, summary, historyCount: shown.length, hasEarlier };
}

async function loadBefore(senderId, { events, summary, historyCount }) {
  const known = new Set(events.map(eventKey));
  const oldest = events.reduce((min, event) => Math.min(min, event.timestamp), Infinity);
  const remaining = (summary?.number_of_events ?? Infinity) - historyCount;
  const fresh = (found) => found.filter((event) => !known.has(eventKey(event)));
  const { events: found, reachedStart } = await windowBack(senderId, {
    anchor: oldest,
    until: oldest,
    enough: (window) => fresh(window).length >= Math.min(WANTED_EVENTS, remaining),
  });
  const all = fresh(found);
  const added = all.slice(-WANTED_EVENTS);
  return { added, hasEarlier: added.length < all.length || (!reachedStart && added.length < remaining) };
}

/**
 * The conversation's events as they are loaded: `{events, summary, loading, error, hasEarlier, loadEarlier,
 * earlier: {busy, error}, append(event), setEvents(update), setSummary(update), reload()}`.
 */
export function useConversationHistory(senderId) {
  const [state, setState] = useState({ events: [], summary: null, loading: true, error: null });
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ events: [], summary: null, loading: true, error: null });
    loadLatest(senderId, controller.signal).then(
      (loaded) => setState({ ...loaded, loading: false, error: null }),
      (error) => error.name !== "AbortError" && setState({ events: [], summary: null, loading: false, error }),
    );
    return () => controller.abort();
  }, [senderId, reloads]);

  const [loadEarlier, earlier] = useAction(async () => {
    const { added, hasEarlier } = await loadBefore(senderId, state);
    setState((current) => ({
      ...current,
      events: [...added, ...current.events],
      historyCount: current.historyCount + added.length,
      hasEarlier,
    }));
  });
  const append = useCallback((event) => {
    setState((current) =>
      current.events.some((other) => eventKey(other) === eventKey(event))
        ? current
        : { ...current, events: [...current.events, event] },
    );
  }, []);
  const setEvents = useCallback((update) => setState((current) => ({ ...current, events: update(current.events) })), []);
  const setSummary = useCallback(
    (update) => setState((current) => ({ ...current, summary: update(current.summary || {}) })),
    [],
  );
  const reload = useCallback(() => setReloads((count) => count + 1), []);
  return { ...state, loadEarlier, earlier, append, setEvents, setSummary, reload };
}
