// Share your bot: the link through which people outside the team chat with the bot as guests, and making a new one.
import { get, put } from "../api.js";
import { Dialog } from "../components/dialog.js";
import { ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { CopyField } from "../components/user_copy_field.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const DAY_S = 24 * 3600;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 3650;

export const guestLink = (chatToken) => `${location.origin}/${href("/guest", { token: chatToken })}`;

function Validity({ expires }) {
  const until = new Date(expires * 1000);
  if (until.getTime() <= Date.now()) {
    return html`<p><span class="badge danger">Expired</span> This link stopped working on ${until.toLocaleString()}: make a new one.</p>`;
  }
  return html`<p><span class="badge ok">Working</span> Until ${until.toLocaleString()}.</p>`;
}

/** The API names the field it refuses at the start of its message ("bot_name may have at most ..."). */
function fieldOf(error) {
  return ["bot_name", "description", "expires"].find((name) => error?.message?.startsWith(name));
}

function NewLinkDialog({ current, open, onClose, onMade }) {
  const [botName, setBotName] = useState(current.bot_name);
  const [description, setDescription] = useState(current.description);
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [make, { busy, error }] = useAction(async () => {
    const expires = Math.floor(Date.now() / 1000 + Number(days) * DAY_S);
    onMade(await put("/api/chatToken", { bot_name: botName.trim(), description, expires }));
  });
  const field = fieldOf(error);
  const submit = (event) => (event.preventDefault(), make());
  return html`<${Dialog} title="Make a new link" open=${open} onClose=${onClose}>
    <form class="dialog-form" onSubmit=${submit}>
      <p class="warning-note">The current link stops working at once, and so do the chats of the guests who came through it.
        Whoever should keep chatting needs the new link.</p>
      <${Field} label="Bot name" error=${field === "bot_name" ? error.message : null}>
        <input required maxlength="255" value=${botName} onInput=${(event) => setBotName(value(event))} />
      </${Field}>
      <${Field} label="Description" hint="For your team: what the link is for." error=${field === "description" ? error.message : null}>
        <textarea maxlength="10000" rows="3" value=${description} onInput=${(event) => setDescription(value(event))}></textarea>
      </${Field}>
      <${Field} label="Valid for (days)" error=${field === "expires" ? error.message : null}>
        <input type="number" required min="1" max=${MAX_DAYS} step="1" value=${days} onInput=${(event) => setDays(value(event))} />
      </${Field}>
      ${!field && html`<${ErrorMessage} error=${error} />`}
      <div class="actions user-dialog-actions">
        <${Button} type="submit" kind="danger" busy=${busy}>Make a new link</${Button}>
        <${Button} onClick=${onClose}>Cancel</${Button}>
      </div>
    </form>
  </${Dialog}>`;
}

export default function Share() {
  const { can } = useSession();
  const token = useApi((signal) => get("/api/chatToken", undefined, { signal }), []);
  const [replacing, setReplacing] = useState(false);

  function made(newToken) {
    token.setData(newToken);
    setReplacing(false);
    notify("New link made; the old one no longer works.");
  }

  return html`<h1>Share your bot</h1>
    <p class="muted share-intro">Anyone with this link can chat with your bot (the production environment) without an account.
      Each guest gets a conversation of their own, which you can review among the conversations.</p>
    <${ErrorMessage} title="The link could not be loaded" error=${token.error} />
    ${token.loading && !token.data && html`<${Loading} />`}
    ${token.data &&
    html`<section class="card share-card" aria-labelledby="share-bot-name">
      <h2 id="share-bot-name">${token.data.bot_name}</h2>
      ${token.data.description && html`<p class="muted">${token.data.description}</p>`}
      <${CopyField} label="Guest link" what="Link" value=${guestLink(token.data.chat_token)} />
      <${Validity} expires=${token.data.expires} />
      <div class="actions">
        <a class="button" href=${guestLink(token.data.chat_token)} target="_blank" rel="noopener">Open the guest page</a>
        ${can(permissions.CHAT_TOKEN_UPDATE) &&
        html`<button type="button" class="button danger" onClick=${() => setReplacing(true)}>Make a new link</button>`}
      </div>
    </section>
    <${NewLinkDialog} key=${token.data.chat_token} current=${token.data} open=${replacing}
      onClose=${() => setReplacing(false)} onMade=${made} />`}`;
}
