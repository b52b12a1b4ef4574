// My account: who I am, my roles, my API token (for scripts) and changing my password.
import { post } from "../api.js";
import { ErrorMessage, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { ConfirmDialog } from "../components/confirm.js";
import { CopyField } from "../components/user_copy_field.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { useSession } from "../session.js";
import { useAction } from "../use_api.js";

const MIN_PASSWORD_LENGTH = 8; // NEW_PASSWORD in gateway/openapi/accounts.py
const EMPTY_PASSWORDS = { current: "", next: "", repeat: "" };

/** Which field of the form an API refusal is about, from its reason (gateway/routes/users.py). */
const FIELD_OF_REASON = { WrongPassword: "current", InvalidPassword: "next", PasswordMismatch: "repeat" };

function checked(passwords) {
  if (passwords.next.length < MIN_PASSWORD_LENGTH) {
    return { next: `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.` };
  }
  if (passwords.next !== passwords.repeat) return { repeat: "This is not the same as the new password." };
  return {};
}

function PasswordForm({ username }) {
  const [passwords, setPasswords] = useState(EMPTY_PASSWORDS);
  const [invalid, setInvalid] = useState({});
  const [change, { busy, error, clearError }] = useAction(async () => {
    await post("/api/user/password", {
      username,
      old_password: passwords.current,
      new_password: passwords.next,
      new_password_confirm: passwords.repeat,
    });
    setPasswords(EMPTY_PASSWORDS);
    notify("Your password was changed.");
  });
  const apiField = FIELD_OF_REASON[error?.reason];
  const apiProblem = error?.reason === "WrongPassword" ? "This is not your current password." : error?.message;
  const problems = { ...(apiField ? { [apiField]: apiProblem } : {}), ...invalid };
  const edit = (name) => (event) => {
    setPasswords({ ...passwords, [name]: value(event) });
    setInvalid({});
    clearError();
  };

  function submit(event) {
    event.preventDefault();
    const found = checked(passwords);
    setInvalid(found);
    if (Object.keys(found).length === 0) change();
  }

  return html`<form class="card account-password" onSubmit=${submit} noValidate>
    <h2>Change your password</h2>
    <input type="text" class="visually-hidden" autocomplete="username" value=${username} readonly tabindex="-1" aria-hidden="true" />
    <${Field} label="Current password" error=${problems.current}>
      <input type="password" autocomplete="current-password" required value=${passwords.current} onInput=${edit("current")} />
    </${Field}>
    <${Field} label="New password" hint=${`At least ${MIN_PASSWORD_LENGTH} characters.`} error=${problems.next}>
      <input type="password" autocomplete="new-password" required value=${passwords.next} onInput=${edit("next")} />
    </${Field}>
    <${Field} label="Repeat the new password" error=${problems.repeat}>
      <input type="password" autocomplete="new-password" required value=${passwords.repeat} onInput=${edit("repeat")} />
    </${Field}>
    ${!apiField && html`<${ErrorMessage} error=${error} />`}
    <${Button} type="submit" kind="primary" busy=${busy}>Change password</${Button}>
  </form>`;
}

function ApiToken({ token, mayReplace, onReplaced }) {
  const [confirming, setConfirming] = useState(false);
  const [replace, { busy, error, clearError }] = useAction(async () => {
    await post("/api/user/api_token");
    await onReplaced();
    setConfirming(false);
    notify("Your API token was replaced; the old one no longer works.");
  });
  const close = () => (setConfirming(false), clearError());
  return html`<section class="card account-token" aria-labelledby="api-token-title">
    <h2 id="api-token-title">API token</h2>
    <p class="muted">Scripts send it as <code>Authorization: Bearer …</code> to the HTTP API, with your roles' permissions.
      Keep it secret like a password.</p>
    <${CopyField} label="Your API token" what="API token" value=${token} secret=${true} />
    ${mayReplace && html`<button type="button" class="button danger" onClick=${() => setConfirming(true)}>Replace the token</button>`}
    <${ConfirmDialog} open=${confirming} title="Replace your API token?" confirmLabel="Replace the token" busy=${busy}
      error=${error} onConfirm=${replace} onClose=${close}>
      <p>Scripts that use the current token stop working until they get the new one.</p>
    </${ConfirmDialog}>
  </section>`;
}

export default function Account() {
  const { user, can, refresh } = useSession();
  return html`<h1>My account</h1>
    <section class="card account-summary" aria-label="Who you are">
      <dl class="account-facts">
        <dt>Username</dt>
        <dd>${user.username}</dd>
        <dt>Roles</dt>
        <dd class="actions">${user.roles.map((role) => html`<span class="badge" key=${role}>${role}</span>`)}</dd>
      </dl>
    </section>
    ${user.api_token && html`<${ApiToken} token=${user.api_token} mayReplace=${can(permissions.USER_UPDATE)} onReplaced=${refresh} />`}
    ${can(permissions.USER_PASSWORD_UPDATE) && html`<${PasswordForm} username=${user.username} />`}`;
}
