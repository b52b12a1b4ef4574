// A conversation's events drawn as a chat: the user's and the bot's messages as bubbles, and between them the
// actions (with policy and confidence), slot changes and other events as small rows, sessions as separators.
import { html } from "../html.js";
import { formatTime } from "../format.js";
import { percent } from "./conversation_format.js";
import { eventKey } from "./conversation_history.js";

// Events that say nothing a reviewer needs: Rasa's listening turn and its featurization flag.
const UNSHOWN = new Set(["user_featurization"]);
const UNSHOWN_ACTIONS = new Set(["action_listen"]);

/**
 * The events in order. `corrections` maps a user message's timestamp to its corrected intent; `tools(event)` draws
 * what may be done with a user message (flag, correct).
 */
export function Timeline({ events, corrections, tools }) {
  const shown = events.filter(
    (event) => !UNSHOWN.has(event.event) && !(event.event === "action" && UNSHOWN_ACTIONS.has(event.name)),
  );
  return html`<ol class="timeline" aria-label="Conversation events">
    ${shown.map((event) => html`<${TimelineEvent} key=${eventKey(event)} event=${event}
      correction=${corrections.get(event.timestamp)} tools=${tools} />`)}
  </ol>`;
}

function TimelineEvent({ event, correction, tools }) {
  const when = formatTime(event.timestamp, "medium");
  switch (event.event) {
    case "user":
      return html`<li class="turn user" title=${when}>
        <${UserMessage} event=${event} correction=${correction} />
        ${tools(event)}
      </li>`;
    case "bot":
    case "agent":
      return html`<li class="turn bot" title=${when}><${BotMessage} event=${event} /></li>`;
    case "session_started":
      return html`<li class="session-start" title=${when}><span>Session started · ${when}</span></li>`;
    case "action":
      return html`<li class="event-row action" title=${when}>
        <span class="event-kind">Action</span> <code>${event.name}</code>
        ${event.policy && html` <span class="muted">by ${event.policy}</span>`}
        ${typeof event.confidence === "number" && html` <span class="confidence">${percent(event.confidence)}</span>`}
      </li>`;
    case "slot":
      return html`<li class="event-row slot" title=${when}>
        <span class="event-kind">Slot</span> <code>${event.name}</code> = <code>${shortJson(event.value)}</code>
      </li>`;
    default:
      return html`<li class="event-row other" title=${when}>
        <span class="event-kind">${event.event.replaceAll("_", " ")}</span>
        ${eventDetail(event) && html` <code>${eventDetail(event)}</code>`}
      </li>`;
  }
}

/** What an event of another kind carries, if anything: a name (a form, a rejected action), a policy, entities. */
function eventDetail(event) {
  const entities = Array.isArray(event.entities) ? event.entities.map((item) => `${item.entity}=${shortJson(item.value)}`) : [];
  const parts = [event.name, event.policy, typeof event.confidence === "number" ? percent(event.confidence) : null, ...entities];
  return parts.filter(Boolean).join(" · ");
}

function UserMessage({ event, correction }) {
  const parsed = event.parse_data || {};
  const text = event.text ?? parsed.text ?? "";
  const { parts, unlocated } = withEntities(text, parsed.entities || []);
  const intent = parsed.intent || {};
  return html`<div class="bubble">
    <p class="bubble-text">${parts}</p>
    <p class="bubble-meta">
      ${correction
        ? html`<s class="muted" title="Predicted">${intent.name} ${percent(intent.confidence)}</s>
            <span class="intent corrected">→ ${correction}</span> <span class="badge ok">corrected</span>`
        : html`<span class="intent">${intent.name || "no intent"}</span>
            ${typeof intent.confidence === "number" && html` <span class="confidence">${percent(intent.confidence)}</span>`}`}
      ${event.is_flagged && html` <span class="badge danger">⚑ Flagged</span>`}
    </p>
    ${unlocated.length > 0 &&
    html`<p class="bubble-meta">
      Entities: ${unlocated.map((entity, index) => html`<span class="badge neutral" key=${index}>${entity.entity}: ${shortJson(entity.value)}</span> `)}
    </p>`}
  </div>`;
}

/** The text with each located entity marked and named (and its value, when it differs from the text). */
function withEntities(text, entities) {
  const located = entities
    .filter((entity) => Number.isInteger(entity.start) && Number.isInteger(entity.end))
    .filter((entity) => entity.start >= 0 && entity.start < entity.end && entity.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const parts = [];
  const marked = [];
  let at = 0;
  for (const entity of located) {
    if (entity.start < at) continue; // overlaps one already marked
    parts.push(text.slice(at, entity.start));
    const words = text.slice(entity.start, entity.end);
    const value = shortJson(entity.value);
    const label = entity.value !== undefined && value !== words ? `${entity.entity}: ${value}` : entity.entity;
    parts.push(html`<mark class="entity" key=${entity.start}>${words}<span class="entity-label"><span class="visually-hidden"> (entity </span>${label}<span class="visually-hidden">)</span></span></mark>`);
    marked.push(entity);
    at = entity.end;
  }
  parts.push(text.slice(at));
  return { parts, unlocated: entities.filter((entity) => !marked.includes(entity)) };
}

function BotMessage({ event }) {
  const data = event.data || {};
  const choices = [...(data.buttons || []), ...(data.quick_replies || [])];
  const utterance = event.metadata?.utter_action;
  return html`<div class="bubble">
    ${event.event === "agent" && html`<p class="bubble-meta">Human agent</p>`}
    ${event.text && html`<p class="bubble-text">${event.text}</p>`}
    ${choices.length > 0 &&
    html`<ul class="bot-buttons" aria-label="Buttons offered">
      ${choices.map((choice, index) => html`<li key=${index}><span class="bot-button">${choice.title}</span>
        ${choice.payload && html`<code class="muted">${choice.payload}</code>`}</li>`)}
    </ul>`}
    ${data.image && html`<p class="bubble-text">Image: <a href=${safeUrl(data.image)} target="_blank" rel="noopener noreferrer">${data.image}</a></p>`}
    ${data.attachment && data.attachment !== data.image &&
    html`<p class="bubble-text">Attachment: ${typeof data.attachment === "string"
      ? html`<a href=${safeUrl(data.attachment)} target="_blank" rel="noopener noreferrer">${data.attachment}</a>`
      : html`<code>${shortJson(data.attachment)}</code>`}</p>`}
    ${data.custom && html`<pre class="bubble-custom">${JSON.stringify(data.custom, null, 2)}</pre>`}
    ${utterance && html`<p class="bubble-meta"><code>${utterance}</code></p>`}
  </div>`;
}

/** Only web links become links: a bot's `javascript:` URL must not run in the reviewer's session. */
function safeUrl(url) {
  return /^https?:\/\//i.test(String(url)) ? url : undefined;
}

function shortJson(value) {
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return text === undefined ? "" : text;
}
