// A conversation with the bot: the user's messages, the bot's replies as they arrive over push, buttons that answer
// for the user, a typing indicator while a message is on its way, and what to fix when the bot stays silent.
import { html, useEffect, useReducer, useRef, useState } from "../html.js";
import { usePush } from "../push.js";
import { ErrorMessage } from "./feedback.js";
import { Button, value } from "./form.js";

const START = { items: [], pending: 0, error: null };
let nextLocalKey = 0;

// Rasa events carry no id; a kind and a timestamp tell the same event apart when it comes both over push and in
// the answer of a `?wait=true` call (or in the history).
const eventKey = (event) => `${event.event}:${event.timestamp}`;

function botItem(event) {
  const data = event.data || {};
  return {
    key: eventKey(event),
    eventKey: eventKey(event),
    kind: "bot",
    text: event.text || "",
    buttons: data.buttons || data.quick_replies || [],
    // The page's security policy loads no images from elsewhere: an image or attachment is a link instead.
    links: [data.image, data.attachment].filter((link, index, all) => typeof link === "string" && all.indexOf(link) === index),
    custom: data.custom,
  };
}

function addEvent(state, event) {
  if (event.event !== "user" && event.event !== "bot") return state;
  const key = eventKey(event);
  if (state.items.some((item) => item.eventKey === key)) return state;
  if (event.event === "bot") return { ...state, items: [...state.items, botItem(event)] };
  // The user's own message is shown when sent; its event only confirms it.
  const mine = state.items.findIndex((item) => item.kind === "user" && !item.eventKey && item.sentText === event.text);
  if (mine >= 0) {
    const items = [...state.items];
    items[mine] = { ...items[mine], eventKey: key, status: "sent" };
    return { ...state, items };
  }
  return { ...state, items: [...state.items, { key, eventKey: key, kind: "user", text: event.text || "", status: "sent" }] };
}

function withStatus(items, key, status) {
  return items.map((item) => (item.key === key && item.status === "sending" ? { ...item, status } : item));
}

function reducer(state, action) {
  switch (action.type) {
    case "events":
      return action.events.reduce(addEvent, state);
    case "history": {
      // The history may answer after the first new messages: it goes before them.
      const earlier = action.events.reduce(addEvent, START).items;
      const known = new Set(earlier.map((item) => item.eventKey));
      return { ...state, items: [...earlier, ...state.items.filter((item) => !known.has(item.eventKey))] };
    }
    case "sent":
      return {
        ...state,
        pending: state.pending + 1,
        error: null,
        items: [...state.items, { key: action.key, kind: "user", text: action.label, sentText: action.text, status: "sending" }],
      };
    case "answered":
      return { ...state, pending: state.pending - 1, items: withStatus(state.items, action.key, "sent") };
    case "failed":
      return { ...state, pending: state.pending - 1, error: action.error, items: withStatus(state.items, action.key, "failed") };
    case "no_reply": {
      const last = state.items[state.items.length - 1];
      if (last?.kind === "notice" && last.text === action.message) return state;
      return { ...state, items: [...state.items, { key: `notice-${++nextLocalKey}`, kind: "notice", text: action.message }] };
    }
    case "silent":
      return { ...state, items: [...state.items, { key: `silent-${++nextLocalKey}`, kind: "silent" }] };
    default:
      return state;
  }
}

function BotMessage({ item, onButton }) {
  return html`<div class="chat-bubble">
    ${item.text && html`<p class="chat-text">${item.text}</p>`}
    ${item.links.map(
      (link) => html`<p key=${link}><a href=${link} target="_blank" rel="noopener noreferrer">Open the image or file</a></p>`,
    )}
    ${item.custom && html`<pre class="chat-custom">${JSON.stringify(item.custom, null, 2)}</pre>`}
    ${item.buttons.length > 0 &&
    html`<div class="chat-buttons">
      ${item.buttons.map(
        (button, index) => html`<button type="button" class="button small" key=${index}
          onClick=${() => onButton(button.payload ?? button.title, button.title ?? button.payload)}>
          ${button.title ?? button.payload}
        </button>`,
      )}
    </div>`}
  </div>`;
}

function ChatItem({ item, onButton }) {
  if (item.kind === "notice") {
    return html`<li class="chat-notice"><strong>No reply from the bot. </strong>${item.text}</li>`;
  }
  if (item.kind === "silent") return html`<li class="chat-silent muted">The bot did not answer this message.</li>`;
  if (item.kind === "bot") {
    return html`<li class="chat-item bot">
      <span class="visually-hidden">The bot: </span><${BotMessage} item=${item} onButton=${onButton} />
    </li>`;
  }
  return html`<li class="chat-item user ${item.status}">
    <span class="visually-hidden">You: </span>
    <div class="chat-bubble"><p class="chat-text">${item.text}</p></div>
    ${item.status === "failed" && html`<small class="chat-status">Not delivered</small>`}
  </li>`;
}

/**
 * The chat of conversation `conversationId`. `send(text)` delivers a message and resolves to the API's ChatAnswer
 * (with `?wait=true`: the events that arrived and any `no_reply`); `loadHistory(signal)`, when given, resolves to
 * the conversation's earlier user and bot events.
 */
export function ChatView({ conversationId, send, loadHistory, emptyText = "Say something to the bot." }) {
  const [state, dispatch] = useReducer(reducer, START);
  const [draft, setDraft] = useState("");
  const log = useRef(null);

  usePush(`conversation:${conversationId}`, (message) => {
    if (message.type === "event") dispatch({ type: "events", events: [message.event] });
    else if (message.type === "no_reply") dispatch({ type: "no_reply", message: message.message });
  });

  useEffect(() => {
    if (!loadHistory) return undefined;
    const controller = new AbortController();
    loadHistory(controller.signal).then(
      (events) => dispatch({ type: "history", events }),
      () => {}, // No history (a conversation not started yet, or not readable) leaves an empty chat.
    );
    return () => controller.abort();
  }, [conversationId]);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [state.items.length, state.pending]);

  async function say(text, label = text) {
    const key = `local-${++nextLocalKey}`;
    dispatch({ type: "sent", key, text, label });
    try {
      const answer = await send(text);
      dispatch({ type: "events", events: answer?.events || [] });
      if (answer?.no_reply) dispatch({ type: "no_reply", message: answer.no_reply.message });
      // The bot's turn ended (it listens again) without a word: said, so the user does not wait for nothing.
      else if (answer?.events && !answer.events.some((event) => event.event === "bot")) dispatch({ type: "silent" });
      dispatch({ type: "answered", key });
    } catch (error) {
      dispatch({ type: "failed", key, error });
      // What the user typed is not lost: it comes back to the input unless they are already typing anew.
      setDraft((current) => current || text);
    }
  }

  function submit(event) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft("");
    say(text);
  }

  return html`<section class="chat" aria-label="Chat with the bot">
    <ol class="chat-log" role="log" aria-live="polite" aria-label="Conversation" ref=${log} tabindex="0">
      ${state.items.length === 0 && state.pending === 0 && html`<li class="chat-empty muted">${emptyText}</li>`}
      ${state.items.map((item) => html`<${ChatItem} key=${item.key} item=${item} onButton=${say} />`)}
      ${state.pending > 0 &&
      html`<li class="chat-item bot chat-typing">
        <span class="visually-hidden">The bot is answering…</span>
        <span class="chat-dots" aria-hidden="true"><span></span><span></span><span></span></span>
      </li>`}
    </ol>
    <${ErrorMessage} title="Your message did not reach the bot" error=${state.error} />
    <form class="chat-form" onSubmit=${submit}>
      <input class="chat-input" aria-label="Message" autocomplete="off" maxlength="10000" placeholder="Type a message and press Enter"
        value=${draft} onInput=${(event) => setDraft(value(event))} />
      <${Button} type="submit" kind="primary" disabled=${!draft.trim()}>Send</${Button}>
    </form>
  </section>`;
}
