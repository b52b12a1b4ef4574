// How conversations' values read on screen: times, confidences, review statuses; and their API paths.
import { html } from "../html.js";
import { href } from "../router.js";

const INBOX_QUERY_KEY = "conversely.conversations.query";

export const REVIEW_STATUSES = {
  unread: { label: "Unread", badge: "warn" },
  saved_for_later: { label: "Saved for later", badge: "" },
  reviewed: { label: "Reviewed", badge: "ok" },
};

/** The API path of a conversation (`rest` like "/tracker"), its sender id percent-encoded ("/" included). */
export const conversationPath = (senderId, rest = "") => `/api/conversations/${encodeURIComponent(senderId)}${rest}`;

/** The UI's fragment path of a conversation. */
export const conversationScreen = (senderId) => `/conversations/${encodeURIComponent(senderId)}`;

/** A 0–1 confidence as a percentage ("42%"), or "" when unknown. */
export function percent(confidence) {
  return typeof confidence === "number" ? `${Math.round(confidence * 100)}%` : "";
}

export function ReviewBadge({ status }) {
  const known = REVIEW_STATUSES[status];
  if (!known) return null;
  return html`<span class="badge ${known.badge}">${known.label}</span>`;
}

/** Keep the inbox's filters and page, for the way back from a conversation. */
export function rememberInboxQuery(query) {
  sessionStorage.setItem(INBOX_QUERY_KEY, JSON.stringify(query));
}

/** The inbox's query as the user left it. */
export function inboxQuery() {
  try {
    return JSON.parse(sessionStorage.getItem(INBOX_QUERY_KEY) || "{}");
  } catch {
    return {};
  }
}

/** A link to the inbox as the user left it. */
export const inboxHref = () => href("/conversations", inboxQuery());
