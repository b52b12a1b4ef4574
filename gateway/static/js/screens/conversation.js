// One conversation: the chat as bubbles with actions and slots between them, loaded latest part first, live as new
// events arrive; and what a reviewer does with it (flags, intent corrections, review status, tags, story, export).
import { del, put } from "../api.js";
import { ConversationActions } from "../components/conversation_actions.js";
import { Timeline } from "../components/conversation_bubbles.js";
import { conversationPath, inboxHref, ReviewBadge } from "../components/conversation_format.js";
import { formatTime } from "../format.js";
import { eventKey, useConversationHistory } from "../components/conversation_history.js";
import { ConversationTags, CorrectIntentDialog, ReviewStatusControl } from "../components/conversation_review.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button } from "../components/form.js";
import { html, useEffect, useMemo, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { usePush } from "../push.js";
import { useSession } from "../session.js";

export default function Conversation({ params }) {
  const senderId = params.id;
  const { can } = useSession();
  const history = useConversationHistory(senderId);
  const { summary } = history;
  const [correcting, setCorrecting] = useState(null);
  const [busyMessage, setBusyMessage] = useState(null);
  const [messageError, setMessageError] = useState(null);

  usePush(`conversation:${senderId}`, (message) => {
    if (message.type === "event") history.append(message.event);
  });
  useEffect(() => {
    setCorrecting(null);
    setMessageError(null);
  }, [senderId]);

  const corrections = useMemo(
    () => new Map((summary?.corrected_messages || []).map((item) => [item.message_timestamp, item.intent])),
    [summary],
  );

  const toggleFlag = async (message) => {
    const key = eventKey(message);
    const flagged = !message.is_flagged;
    setBusyMessage(key);
    setMessageError(null);
    try {
      const path = conversationPath(senderId, `/messages/${message.timestamp}/flag`);
      await (flagged ? put(path) : del(path));
      history.setEvents((events) => events.map((event) => (eventKey(event) === key ? { ...event, is_flagged: flagged } : event)));
      notify(flagged ? "Flagged the message." : "Removed the flag.");
    } catch (error) {
      setMessageError({ key, error });
    } finally {
      setBusyMessage(null);
    }
  };
  const corrected = (message, intent) => {
    history.setSummary((current) => ({
      ...current,
      corrected_messages: [
        ...(current.corrected_messages || []).filter((item) => item.message_timestamp !== message.timestamp),
        ...(intent ? [{ message_timestamp: message.timestamp, intent }] : []),
      ],
    }));
  };

  const tools = (message) => {
    const key = eventKey(message);
    const quoted = `“${(message.text || "").slice(0, 40)}”`;
    return html`<div class="message-tools">
      ${can(permissions.MESSAGE_FLAGS_UPDATE) &&
      html`<${Button} kind="small" aria-pressed=${Boolean(message.is_flagged)} aria-label=${`Flag message ${quoted}`}
        busy=${busyMessage === key} onClick=${() => toggleFlag(message)}>⚑ ${message.is_flagged ? "Flagged" : "Flag"}</${Button}>`}
      ${can(permissions.MESSAGE_INTENTS_UPDATE) &&
      html`<${Button} kind="small" aria-label=${`Correct the intent of ${quoted}`} onClick=${() => setCorrecting(message)}>
        Correct intent
      </${Button}>`}
      ${messageError?.key === key && html`<${ErrorMessage} error=${messageError.error} title="The flag could not be changed" />`}
    </div>`;
  };

  return html`<article class="conversation">
    <p class="back-link"><a href=${inboxHref()}>← Conversations</a></p>
    <h1 class="conversation-title">Conversation with ${senderId}</h1>
    <${Facts} summary=${summary} />
    <${ErrorMessage} error=${history.error} title="The conversation could not be loaded" />
    ${!history.error &&
    html`<div class="conversation-layout">
      <aside class="conversation-side" aria-label="Review">
        <${ReviewStatusControl} senderId=${senderId} status=${summary?.review_status}
          onChanged=${(status) => history.setSummary((current) => ({ ...current, review_status: status }))} />
        ${can(permissions.TAGS_LIST) && html`<${ConversationTags} senderId=${senderId} />`}
        <${ConversationActions} senderId=${senderId} numberOfEvents=${summary?.number_of_events} />
      </aside>
      <section class="conversation-chat" aria-label="Chat">
        ${history.hasEarlier &&
        html`<div class="load-earlier">
          <${Button} busy=${history.earlier.busy} onClick=${history.loadEarlier}>Load earlier events</${Button}>
          <${ErrorMessage} error=${history.earlier.error} title="The earlier events could not be loaded" />
        </div>`}
        ${history.loading && html`<${Loading} what="Loading the conversation" />`}
        ${!history.loading && history.events.length === 0 && html`<${Empty}>No events yet.</${Empty}>`}
        <${Timeline} events=${history.events} corrections=${corrections} tools=${tools} />
      </section>
    </div>`}
    ${correcting &&
    html`<${CorrectIntentDialog} senderId=${senderId} message=${correcting} correction=${corrections.get(correcting.timestamp)}
      onClose=${() => setCorrecting(null)} onCorrected=${(intent) => corrected(correcting, intent)} />`}
  </article>`;
}

/** What the conversation's list item tells: channel, latest activity, counts, review status, who made it. */
function Facts({ summary }) {
  if (!summary?.sender_id) return null;
  return html`<dl class="facts">
    <div><dt>Review</dt><dd><${ReviewBadge} status=${summary.review_status} /></dd></div>
    <div><dt>Latest activity</dt><dd>${formatTime(summary.latest_event_time)}</dd></div>
    <div><dt>Channel</dt><dd>${summary.latest_input_channel || "—"}</dd></div>
    <div><dt>User messages</dt><dd>${summary.n_user_messages}</dd></div>
    <div><dt>Events</dt><dd>${summary.number_of_events}</dd></div>
    ${summary.interactive && html`<div><dt>Made in</dt><dd>interactive learning${summary.created_by ? ` by ${summary.created_by}` : ""}</dd></div>`}
  </dl>`;
}
