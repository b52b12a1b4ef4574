// What can be made of a whole conversation: a training story (or test story), a JSON download, or nothing (deleted).
import { del, download, post, request } from "../api.js";
import { html, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href, navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";
import { conversationPath, inboxQuery } from "./conversation_format.js";
import { Dialog } from "./dialog.js";
import { ErrorMessage, Loading, notify } from "./feedback.js";
import { Button, Field, value } from "./form.js";

/** The conversation as a Rasa 3 YAML story (reviewers' corrections applied): the tracker asked for as YAML. */
function storyYaml(senderId, signal) {
  return request("GET", conversationPath(senderId, "/tracker"), { accept: "application/x-yaml", signal });
}

/** A file name made of the sender id, which may hold "/" or other characters file systems refuse. */
const fileName = (senderId, suffix) => `${senderId.replace(/[^\p{L}\p{N}._-]+/gu, "_")}${suffix}`;

/** Buttons for the story dialog, the JSON export and deletion, each shown only when the user may do it. */
export function ConversationActions({ senderId, numberOfEvents }) {
  const { can } = useSession();
  const [storyOpen, setStoryOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [exportJson, exporting] = useAction(async () => {
    await download(conversationPath(senderId, "/tracker"), fileName(senderId, "-tracker.json"));
    notify("Downloaded the conversation as JSON.");
  });
  return html`<section class="conversation-actions" aria-label="Conversation actions">
    <div class="actions">
      <${Button} onClick=${() => setStoryOpen(true)}>Save as story…</${Button}>
      <${Button} busy=${exporting.busy} onClick=${exportJson}>Export JSON</${Button}>
      ${can(permissions.METADATA_DELETE) && html`<${Button} kind="danger" onClick=${() => setDeleteOpen(true)}>Delete…</${Button}>`}
    </div>
    <${ErrorMessage} error=${exporting.error} title="The export failed" />
    ${storyOpen && html`<${StoryDialog} senderId=${senderId} onClose=${() => setStoryOpen(false)} />`}
    ${deleteOpen &&
    html`<${DeleteDialog} senderId=${senderId} numberOfEvents=${numberOfEvents} onClose=${() => setDeleteOpen(false)} />`}
  </section>`;
}

/** The story's YAML to read and copy, and the buttons that add it to the training stories or test stories. */
function StoryDialog({ senderId, onClose }) {
  const { can } = useSession();
  const story = useApi((signal) => storyYaml(senderId, signal), [senderId]);
  const [name, setName] = useState(senderId);
  const text = useRef(null);
  const [saveAs, saving] = useAction(async (kind) => {
    const saved = await post(conversationPath(senderId, `/${kind}`), { name: name.trim() || senderId });
    notify(`Added “${saved.name}” to the ${kind === "stories" ? "training stories" : "test stories"}.`);
    onClose();
  });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(story.data);
      notify("Copied the story's YAML.");
    } catch {
      text.current?.select(); // no clipboard access (a page served over plain HTTP): leave it selected to copy
      notify("Select and copy the YAML with Ctrl+C (⌘C).");
    }
  };
  return html`<${Dialog} title="Save as story" open=${true} onClose=${onClose}>
    ${story.loading && html`<${Loading} what="Writing the story" />`}
    <${ErrorMessage} error=${story.error} title="The story could not be written" />
    ${story.data !== undefined &&
    html`<${Field} label="Story (Rasa 3 YAML; intent corrections applied)">
        <textarea class="code story-yaml" readonly ref=${text} value=${story.data}></textarea>
      </${Field}>
      <${Field} label="Name of the saved story" hint="The preview is named after the sender id.">
        <input type="text" value=${name} maxlength="1000" onInput=${(event) => setName(value(event))} />
      </${Field}>
      <${ErrorMessage} error=${saving.error} title="The story could not be saved" />
      <div class="actions">
        ${can(permissions.STORIES_CREATE) &&
        html`<${Button} kind="primary" busy=${saving.busy} onClick=${() => saveAs("stories")}>Add to training stories</${Button}>`}
        ${can(permissions.TEST_STORIES_CREATE) &&
        html`<${Button} busy=${saving.busy} onClick=${() => saveAs("test_stories")}>Add as test story</${Button}>`}
        <${Button} onClick=${copy}>Copy YAML</${Button}>
        <a class="button ghost" href=${href("/training/stories")}>Open stories</a>
      </div>`}
  </${Dialog}>`;
}

function DeleteDialog({ senderId, numberOfEvents, onClose }) {
  const [remove, removing] = useAction(async () => {
    await del(conversationPath(senderId));
    notify(`Deleted the conversation with ${senderId}.`);
    navigate("/conversations", inboxQuery(), { replace: true });
  });
  return html`<${Dialog} title="Delete the conversation?" open=${true} onClose=${onClose}>
    <p>
      The conversation with <strong>${senderId}</strong>${numberOfEvents ? ` and its ${numberOfEvents.toLocaleString()} events` : ""}
      will be deleted for good, with its review status, tags, flags and corrections.
    </p>
    <${ErrorMessage} error=${removing.error} title="The conversation could not be deleted" />
    <div class="actions">
      <${Button} kind="danger" busy=${removing.busy} onClick=${remove}>Delete conversation</${Button}>
      <${Button} kind="ghost" onClick=${onClose}>Keep it</${Button}>
    </div>
  </${Dialog}>`;
}
