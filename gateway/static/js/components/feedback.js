// Telling the user what happened: errors (with the API's details), loading, and short announcements.
import { html, useEffect, useState } from "../html.js";

/** An error from the API, or any Error: its message, and each detail (e.g. the field or line it names). */
export function ErrorMessage({ error, title }) {
  if (!error) return null;
  const details = error.details && typeof error.details === "object" ? Object.entries(error.details) : [];
  return html`<div class="error" role="alert">
    ${title && html`<strong>${title}: </strong>`}${error.message || String(error)}
    ${details.length > 0 &&
    html`<ul class="error-details">
      ${details.map(([key, value]) => html`<li><code>${key}</code>: ${formatDetail(value)}</li>`)}
    </ul>`}
  </div>`;
}

function formatDetail(value) {
  if (Array.isArray(value)) return value.map(formatDetail).join("; ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function Loading({ what = "Loading" }) {
  return html`<p class="loading" role="status" aria-live="polite">${what}…</p>`;
}

export function Empty({ children }) {
  return html`<p class="empty">${children}</p>`;
}

const listeners = new Set();

/** Announce `message` briefly (saved, deleted, …), to sighted users and screen readers alike. */
export function notify(message, kind = "info") {
  for (const listener of listeners) listener({ message, kind, id: Math.random() });
}

/** The one place announcements appear; rendered once by the shell. */
export function Announcements() {
  const [items, setItems] = useState([]);
  useEffect(() => {
    const listener = (item) => {
      setItems((current) => [...current, item]);
      setTimeout(() => setItems((current) => current.filter((other) => other.id !== item.id)), 4000);
    };
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return html`<div class="announcements" role="status" aria-live="polite">
    ${items.map((item) => html`<p class="announcement ${item.kind}" key=${item.id}>${item.message}</p>`)}
  </div>`;
}
