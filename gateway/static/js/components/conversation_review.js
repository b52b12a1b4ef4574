// What a reviewer does to one conversation: its review status, its tags, intent corrections of its messages.
import { del, get, post, put } from "../api.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";
import { TagLabel } from "./conversation_filters.js";
import { conversationPath, REVIEW_STATUSES } from "./conversation_format.js";
import { Dialog } from "./dialog.js";
import { ErrorMessage, notify } from "./feedback.js";
import { Button, Field, value } from "./form.js";

const TAG_COLORS = ["4a3aff", "1b7f4b", "b3261e", "8a5a00", "0b7285", "9c36b5", "5c940d", "d9480f"];

/** Unread / Saved for later / Reviewed, the current one pressed; `onChanged(status)` after the API took it. */
export function ReviewStatusControl({ senderId, status, onChanged }) {
  const { can } = useSession();
  const [setStatus, setting] = useAction(async (wanted) => {
    await put(conversationPath(senderId, "/reviewStatus"), { review_status: wanted });
    onChanged(wanted);
    notify(`Marked as ${REVIEW_STATUSES[wanted].label.toLowerCase()}.`);
  });
  if (!can(permissions.REVIEW_STATUS_UPDATE)) return null;
  return html`<section class="review-status" aria-labelledby="review-status-title">
    <h2 id="review-status-title">Review status</h2>
    <div class="segmented" role="group" aria-label="Review status">
      ${Object.entries(REVIEW_STATUSES).map(
        ([name, { label }]) => html`<button type="button" key=${name} class="segment" aria-pressed=${status === name}
          disabled=${setting.busy} aria-busy=${setting.busy ? "true" : undefined} onClick=${() => setStatus(name)}>
          ${label}
        </button>`,
      )}
    </div>
    <${ErrorMessage} error=${setting.error} title="The review status could not be set" />
  </section>`;
}

/** The conversation's tags: remove one, add an existing one or a new one (created by the API on assignment). */
export function ConversationTags({ senderId }) {
  const { can } = useSession();
  const assigned = useApi((signal) => get(conversationPath(senderId, "/tags"), undefined, { signal }), [senderId]);
  const known = useApi((signal) => get("/api/conversations/tags", undefined, { signal }), []);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState("");

  const [add, adding] = useAction(async () => {
    const wanted = name.trim();
    if (!wanted) {
      setNameError("Type a tag's name.");
      return;
    }
    setNameError("");
    const existing = (known.data || []).find((tag) => tag.value === wanted);
    const color = TAG_COLORS[Math.floor(Math.random() * TAG_COLORS.length)];
    const tags = await post(conversationPath(senderId, "/tags"), [existing ? { id: existing.id } : { value: wanted, color }]);
    assigned.setData(tags);
    if (!existing) known.reload();
    setName("");
    notify(`Tagged “${wanted}”.`);
  });
  const [remove, removing] = useAction(async (tag) => {
    await del(conversationPath(senderId, `/tags/${tag.id}`));
    assigned.setData((tags) => tags.filter((other) => other.id !== tag.id));
    notify(`Removed the tag “${tag.value}”.`);
  });

  return html`<section class="conversation-tags" aria-labelledby="conversation-tags-title">
    <h2 id="conversation-tags-title">Tags</h2>
    <${ErrorMessage} error=${assigned.error} title="The tags could not be loaded" />
    ${assigned.data &&
    (assigned.data.length
      ? html`<ul class="chips">
          ${assigned.data.map(
            (tag) => html`<li class="chip" key=${tag.id}>
              <${TagLabel} tag=${tag} />
              ${can(permissions.TAGS_DELETE) &&
              html`<button type="button" class="chip-remove" aria-label=${`Remove tag ${tag.value}`}
                disabled=${removing.busy} onClick=${() => remove(tag)}>✕</button>`}
            </li>`,
          )}
        </ul>`
      : html`<p class="muted">No tags.</p>`)}
    <${ErrorMessage} error=${removing.error} title="The tag could not be removed" />
    ${can(permissions.TAGS_CREATE) &&
    html`<div class="toolbar tag-add">
        <${Field} label="Add a tag" error=${nameError}>
          <input type="text" list="known-tags" value=${name} maxlength="255" autocomplete="off" placeholder="Existing or new"
            onInput=${(event) => setName(value(event))}
            onKeyDown=${(event) => event.key === "Enter" && (event.preventDefault(), add())} />
        </${Field}>
        <${Button} busy=${adding.busy} onClick=${add}>Add tag</${Button}>
      </div>
      <datalist id="known-tags">${(known.data || []).map((tag) => html`<option key=${tag.id} value=${tag.value} />`)}</datalist>
      <${ErrorMessage} error=${adding.error} title="The tag could not be added" />`}
  </section>`;
}

/**
 * Correct a user message's intent, choosing from the project's intents; `onCorrected(intent)` after the API took
 * it (null: the correction was removed). Shown while mounted.
 */
export function CorrectIntentDialog({ senderId, message, correction, onClose, onCorrected }) {
  const predicted = message.parse_data?.intent?.name || "";
  const [intent, setIntent] = useState(correction || predicted);
  const intents = useApi(
    (signal) => get("/api/projects/default/intents", undefined, { signal }).then((found) => found.map((item) => item.intent)),
    [],
  );
  const path = conversationPath(senderId, `/messages/${message.timestamp}/intent`);
  const [save, saving] = useAction(async (event) => {
    event.preventDefault();
    await put(path, { intent });
    onCorrected(intent);
    notify(`Corrected the intent to “${intent}”.`);
    onClose();
  });
  const [remove, removing] = useAction(async () => {
    await del(path);
    onCorrected(null);
    notify("Removed the intent correction.");
    onClose();
  });
  const choices = [...new Set([...(intents.data || []), predicted, intent].filter(Boolean))].sort();
  return html`<${Dialog} title="Correct the intent" open=${true} onClose=${onClose}>
    <form class="correct-intent" onSubmit=${save}>
      <p>Message: <q>${message.text}</q></p>
      <p class="muted">Predicted: ${predicted || "no intent"}</p>
      <${ErrorMessage} error=${intents.error} title="The intents could not be loaded" />
      <${Field} label="Correct intent">
        <select value=${intent} onChange=${(change) => setIntent(value(change))} required>
          ${choices.map((name) => html`<option key=${name} value=${name}>${name}</option>`)}
        </select>
      </${Field}>
      <${ErrorMessage} error=${saving.error || removing.error} title="The correction could not be saved" />
      <div class="actions">
        <${Button} type="submit" kind="primary" busy=${saving.busy} disabled=${!intent}>Save correction</${Button}>
        ${correction && html`<${Button} kind="danger" busy=${removing.busy} onClick=${remove}>Remove correction</${Button}>`}
        <${Button} kind="ghost" onClick=${onClose}>Cancel</${Button}>
      </div>
    </form>
  </${Dialog}>`;
}
