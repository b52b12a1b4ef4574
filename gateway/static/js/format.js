// How times are written on every screen: local, readable, with the exact time in the title.
import { html } from "./html.js";

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const FULL_DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });

// Making a formatter is what costs (toLocaleString makes one per call): one per style, made once.
const formatters = new Map();

/** Unix seconds as a readable local date and time ("—" when there is none); `style` is Intl's timeStyle. */
export function formatTime(seconds, style = "short") {
  if (seconds === null || seconds === undefined) return "—";
  if (!formatters.has(style)) formatters.set(style, new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: style }));
  return formatters.get(style).format(new Date(seconds * 1000));
}

/** Unix seconds as a <time> element, the full date and time in its title; a dash when there is none. */
export function Time({ seconds }) {
  if (!seconds) return html`<span class="muted">—</span>`;
  const date = new Date(seconds * 1000);
  return html`<time datetime=${date.toISOString()} title=${FULL_DATE_TIME.format(date)}>${DATE_TIME.format(date)}</time>`;
}
