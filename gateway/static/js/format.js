// How times are written on every screen: local, readable, with the exact time in the title.
import { html } from "./html.js";

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const FULL_DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });

/** Unix seconds as a readable local date and time ("—" when there is none); `style` is Intl's timeStyle. */
export function formatTime(seconds, style = "short") {
  if (seconds === null || seconds === undefined) return "—";
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: style });
}

/** Unix seconds as a <time> element, the full date and time in its title; a dash when there is none. */
export function Time({ seconds }) {
  if (!seconds) return html`<span class="muted">—</span>`;
  const date = new Date(seconds * 1000);
  return html`<time datetime=${date.toISOString()} title=${FULL_DATE_TIME.format(date)}>${DATE_TIME.format(date)}</time>`;
}
