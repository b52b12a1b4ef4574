// Talk to your bot: the signed-in user chats with the production bot, in their own conversation or a fresh one.
import { get, post } from "../api.js";
import { ChatView } from "../components/chat_view.js";
import { html } from "../html.js";
import * as permissions from "../permissions.js";
import { href, navigate } from "../router.js";
import { useSession } from "../session.js";

const HISTORY_S = 24 * 3600;

/** A random conversation id: 32 hex digits (crypto.randomUUID needs HTTPS off localhost). */
function newConversationId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function recentMessages(conversationId, signal) {
  const since = Date.now() / 1000 - HISTORY_S;
  const tracker = await get(`/api/conversations/${encodeURIComponent(conversationId)}/messages`, { since }, { signal });
  return tracker.messages || [];
}

export default function Chat({ query }) {
  const { user, can } = useSession();
  // Without CLIENT_EVENTS_CREATE a user may only talk in their own conversation, the one named after them.
  const mayStartNew = can(permissions.CLIENT_EVENTS_CREATE);
  const conversationId = (mayStartNew && query.conversation) || user.username;
  const send = (message) => post("/api/chat", { message, conversation_id: conversationId }, { query: { wait: true } });
  const loadHistory = can(permissions.METADATA_GET) ? (signal) => recentMessages(conversationId, signal) : null;

  return html`<h1>Talk to your bot</h1>
    <div class="toolbar chat-toolbar">
      <p class="chat-conversation">Conversation <code>${conversationId}</code></p>
      <div class="actions">
        ${can(permissions.METADATA_GET) &&
        html`<a class="button" href=${href(`/conversations/${encodeURIComponent(conversationId)}`)}>Open in review</a>`}
        ${mayStartNew &&
        html`<button type="button" class="button" onClick=${() => navigate("/chat", { conversation: newConversationId() })}>
          New conversation
        </button>`}
      </div>
    </div>
    <${ChatView} key=${conversationId} conversationId=${conversationId} send=${send} loadHistory=${loadHistory}
      emptyText="Say something to your bot: it answers here as it would your users (the production environment)." />`;
}
