// The shared bot's page for people outside the team: the link's chat token becomes a guest token for this page
// only, with a conversation of the guest's own. No sign-in, no frame, no way into the team's screens.
import { ApiError, setPageToken, withQuery } from "../api.js";
import { ChatView } from "../components/chat_view.js";
import { ErrorMessage, Loading } from "../components/feedback.js";
import { html, useEffect, useState } from "../html.js";

const LINK_NOT_WORKING =
  "This chat link no longer works: it was replaced or has expired. Ask whoever shared it with you for a new one.";

// Plain fetch rather than api.js: a refused guest token must not sign out a team member who uses the same browser
// (api.js forgets the stored token on any 401).
async function guestCall(path, json, accessToken) {
  const headers = { "Content-Type": "application/json" };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(json) });
  let body;
  try {
    body = await response.json();
  } catch {
    body = { message: `${response.status} ${response.statusText}` };
  }
  if (response.status === 401) throw new ApiError(401, { ...body, message: LINK_NOT_WORKING });
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function useGuestSession(chatToken) {
  const [session, setSession] = useState({ accessToken: null, conversationId: null, error: null });
  useEffect(() => {
    if (!chatToken) return undefined;
    let current = true;
    guestCall("/api/auth/jwt", { chat_token: chatToken }).then(
      (answer) => {
        if (!current) return;
        setPageToken(answer.access_token);
        setSession({ accessToken: answer.access_token, conversationId: answer.conversation_id, error: null });
      },
      (error) => current && setSession({ accessToken: null, conversationId: null, error }),
    );
    return () => {
      current = false;
      setPageToken(null);
    };
  }, [chatToken]);
  return session;
}

export default function Guest({ query }) {
  const session = useGuestSession(query.token);
  const send = (message) => guestCall(withQuery("/api/chat", { wait: true }), { message }, session.accessToken);

  let content;
  if (!query.token) {
    content = html`<p class="guest-problem" role="alert">
      This page needs the chat link you were given, with its token. Open that link again.
    </p>`;
  } else if (session.error?.status === 401) {
    content = html`<p class="guest-problem" role="alert">${LINK_NOT_WORKING}</p>`;
  } else if (session.error) {
    content = html`<${ErrorMessage} title="The chat could not start" error=${session.error} />`;
  } else if (!session.conversationId) {
    content = html`<${Loading} what="Starting the chat" />`;
  } else {
    content = html`<${ChatView} conversationId=${session.conversationId} send=${send}
      emptyText="Say hello to start the conversation." />`;
  }

  return html`<main class="guest" id="main">
    <header class="guest-header">
      <h1>Chat with our assistant</h1>
      <p class="muted">The team that shared this link may read this conversation to improve the assistant.</p>
    </header>
    ${content}
  </main>`;
}
