// The conversation inbox's filters: every filter of GET /api/conversations, kept in the fragment's query as
// strings (the API's own parameter names), and the form that edits them.
import { get } from "../api.js";
import { html, useEffect, useState } from "../html.js";
import { DebouncedInput, ValuePicker } from "./conversation_inputs.js";
import { Field, value } from "./form.js";

const LIST_FILTERS = ["intent", "entity", "action", "policies", "slots", "input_channels", "tags_any"];
const PLAIN_FILTERS = [
  "text",
  "minimumUserMessages",
  "minimumConfidence",
  "maximumConfidence",
  "minimumNluConfidence",
  "maximumNluConfidence",
  "in_training_data",
  "review_status",
  "is_flagged",
  "interactive",
  "exclude_self",
  "rasa_environment",
];
/** Every filter's key in the fragment's query (`start`/`until` as local date-times, `sort` as a choice). */
export const FILTER_KEYS = [...LIST_FILTERS, ...PLAIN_FILTERS, "start", "until", "sort"];
const ALWAYS_SHOWN = ["text", "intent", "start", "until", "is_flagged", "review_status"];
const SORTS = {
  latest: { sort_by_latest_event_time: true, sort_by_confidence: false },
  confidence: { sort_by_latest_event_time: true, sort_by_confidence: true },
  sender: { sort_by_latest_event_time: false, sort_by_confidence: false },
};

/** The comma list of `query[key]` as an array. */
const listOf = (query, key) => (query[key] ? query[key].split(",").filter(Boolean) : []);

/** Only the filters of a fragment's query (no paging). */
export function filtersOf(query) {
  return Object.fromEntries(FILTER_KEYS.filter((key) => query[key]).map((key) => [key, query[key]]));
}

/** The API's query parameters for the filters in the fragment's query. */
export function apiFilters(query) {
  const filters = {};
  for (const key of [...LIST_FILTERS, ...PLAIN_FILTERS]) if (query[key]) filters[key] = query[key];
  const start = unixSeconds(query.start);
  // A date-time input names a minute; "until 10:15" means up to the end of that minute.
  const until = unixSeconds(query.until);
  if (start !== null) filters.start = start;
  if (until !== null) filters.until = until + 59.999;
  return { ...filters, ...SORTS[query.sort || "latest"] };
}

function unixSeconds(localDateTime) {
  if (!localDateTime) return null;
  const time = new Date(localDateTime).getTime();
  return Number.isNaN(time) ? null : time / 1000;
}

/** How many of the filters behind "More filters" are set. */
function hiddenFilterCount(query) {
  return FILTER_KEYS.filter((key) => query[key] && !ALWAYS_SHOWN.includes(key)).length;
}

const options = (path) => (q, signal, limit) => get(path, { q, limit }, { signal });

/** Slot suggestions: names ("city:") until a colon is typed, then that slot's values ("city:paris"). */
async function suggestSlots(q, signal, limit) {
  const [name, ...rest] = q.split(":");
  if (!rest.length) {
    const names = await get("/api/conversations/slotNames", { q: name, limit }, { signal });
    return names.map((slot) => `${slot}:`);
  }
  const values = await get("/api/conversations/slotValues", { slot: name, q: rest.join(":"), limit }, { signal });
  return values.map((slotValue) => `${name}:${slotValue}`);
}

/** The filter form: the common filters, then the rest behind "More filters". `onChange(patch)` sets some. */
export function ConversationFilters({ query, onChange, tags, environments }) {
  const list = (key) => listOf(query, key);
  const setList = (key) => (values) => onChange({ [key]: values.join(",") });
  const text = (key) => (typed) => onChange({ [key]: typed.trim() });
  const hidden = hiddenFilterCount(query);
  const [moreOpen, setMoreOpen] = useState(hidden > 0);
  // Filters set from elsewhere (a saved set, a link) are shown; clearing them leaves the section as the user had it.
  useEffect(() => {
    if (hidden > 0) setMoreOpen(true);
  }, [hidden > 0]);
  return html`<div class="conversation-filters">
    <div class="filter-grid">
      <${Field} label="Text of a user message">
        <${DebouncedInput} type="search" value=${query.text || ""} onCommit=${text("text")} placeholder="Any text" />
      </${Field}>
      <${ValuePicker} label="Intent" values=${list("intent")} onChange=${setList("intent")}
        suggest=${options("/api/conversationIntents")} />
      <${Field} label="Latest activity from">
        <input type="datetime-local" value=${query.start || ""} onChange=${(event) => onChange({ start: value(event) })} />
      </${Field}>
      <${Field} label="Latest activity until">
        <input type="datetime-local" value=${query.until || ""} onChange=${(event) => onChange({ until: value(event) })} />
      </${Field}>
      <label class="check">
        <input type="checkbox" checked=${query.is_flagged === "true"}
          onChange=${(event) => onChange({ is_flagged: event.currentTarget.checked ? "true" : "" })} />
        Flagged messages only
      </label>
    </div>
    <details class="more-filters" open=${moreOpen} onToggle=${(event) => setMoreOpen(event.currentTarget.open)}>
      <summary>More filters${hidden > 0 ? ` (${hidden} set)` : ""}</summary>
      <div class="filter-grid">
        <${ValuePicker} label="Entity" values=${list("entity")} onChange=${setList("entity")}
          suggest=${options("/api/conversationEntities")} />
        <${ValuePicker} label="Action" values=${list("action")} onChange=${setList("action")}
          suggest=${options("/api/conversationActions")} />
        <${ValuePicker} label="Policy" values=${list("policies")} onChange=${setList("policies")}
          suggest=${options("/api/conversationPolicies")} />
        <${ValuePicker} label="Slot" values=${list("slots")} onChange=${setList("slots")} suggest=${suggestSlots}
          placeholder="name:value" hint="The value matches any part of the slot's value."
          isComplete=${(slot) => /:./.test(slot)} />
        <${ValuePicker} label="Input channel" values=${list("input_channels")} onChange=${setList("input_channels")}
          suggest=${options("/api/conversations/inputChannels")} />
        <${TagChoice} tags=${tags} chosen=${list("tags_any")} onChange=${setList("tags_any")} />
        <${Field} label="Minimum user messages">
          <${DebouncedInput} type="number" min="0" step="1" value=${query.minimumUserMessages || ""}
            onCommit=${text("minimumUserMessages")} />
        </${Field}>
        <${Range} label="Lowest action confidence" query=${query} onChange=${onChange}
          keys=${["minimumConfidence", "maximumConfidence"]} />
        <${Range} label="Lowest NLU confidence" query=${query} onChange=${onChange}
          keys=${["minimumNluConfidence", "maximumNluConfidence"]} />
        <${Field} label="In training data">
          <select value=${query.in_training_data || ""} onChange=${(event) => onChange({ in_training_data: value(event) })}>
            <option value="">Either</option>
            <option value="true">Yes: covered by the stories</option>
            <option value="false">No: not covered yet</option>
          </select>
        </${Field}>
        <${Environment} environments=${environments} query=${query} onChange=${onChange} />
        <${Field} label="Sort" hint=${query.in_training_data === "false" ? "" : "Confidence order needs “In training data: No”."}>
          <select value=${query.sort || "latest"} onChange=${(event) => onChange({ sort: value(event) === "latest" ? "" : value(event) })}>
            <option value="latest">Latest activity first</option>
            <option value="confidence">Highest action confidence first</option>
            <option value="sender">Sender id, A to Z</option>
          </select>
        </${Field}>
        <div class="checks">
          <label class="check">
            <input type="checkbox" checked=${query.interactive !== "false"}
              onChange=${(event) => onChange({ interactive: event.currentTarget.checked ? "" : "false" })} />
            Include interactive-learning conversations
          </label>
          <label class="check">
            <input type="checkbox" checked=${query.exclude_self === "true"}
              onChange=${(event) => onChange({ exclude_self: event.currentTarget.checked ? "true" : "" })} />
            Leave out conversations I created
          </label>
        </div>
      </div>
    </details>
  </div>`;
}

/** A lower and an upper bound between 0 and 1, as two labelled number inputs. */
function Range({ label, keys: [low, high], query, onChange }) {
  return html`<fieldset class="range">
    <legend>${label}</legend>
    <${Field} label="From">
      <${DebouncedInput} type="number" min="0" max="1" step="0.01" value=${query[low] || ""}
        onCommit=${(typed) => onChange({ [low]: typed.trim() })} placeholder="0" />
    </${Field}>
    <${Field} label="To">
      <${DebouncedInput} type="number" min="0" max="1" step="0.01" value=${query[high] || ""}
        onCommit=${(typed) => onChange({ [high]: typed.trim() })} placeholder="1" />
    </${Field}>
  </fieldset>`;
}

/** Tags to filter on (any of them), one checkbox each; hidden when the user may not list tags. */
function TagChoice({ tags, chosen, onChange }) {
  if (!tags) return null;
  const toggle = (id, on) => onChange(on ? [...chosen, id] : chosen.filter((other) => other !== id));
  return html`<fieldset class="tag-choice">
    <legend>Tags (any of them)</legend>
    ${tags.length === 0 && html`<p class="muted">No tags yet.</p>`}
    ${tags.map(
      (tag) => html`<label class="check" key=${tag.id}>
        <input type="checkbox" checked=${chosen.includes(String(tag.id))}
          onChange=${(event) => toggle(String(tag.id), event.currentTarget.checked)} />
        <${TagLabel} tag=${tag} />
      </label>`,
    )}
  </fieldset>`;
}

/** A tag's name with its colour as a dot. */
export function TagLabel({ tag }) {
  const color = /^[0-9a-f]{6}$/i.test(tag.color || "") ? `#${tag.color}` : "var(--muted)";
  return html`<span class="tag"><span class="tag-dot" style=${{ background: color }} aria-hidden="true"></span>${tag.value}</span>`;
}

function Environment({ environments, query, onChange }) {
  const current = query.rasa_environment || "production";
  const change = (chosen) => onChange({ rasa_environment: chosen === "production" ? "" : chosen.trim() });
  if (!environments) {
    return html`<${Field} label="Rasa environment">
      <${DebouncedInput} type="text" value=${current} onCommit=${change} />
    </${Field}>`;
  }
  const names = environments.includes(current) ? environments : [current, ...environments];
  return html`<${Field} label="Rasa environment">
    <select value=${current} onChange=${(event) => change(value(event))}>
      ${names.map((name) => html`<option key=${name} value=${name}>${name}</option>`)}
    </select>
  </${Field}>`;
}
