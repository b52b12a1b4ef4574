// Users & roles: who may use Conversely and with which roles; adding, re-roling and removing users; the roles.
import { del, get, post, put } from "../api.js";
import { Dialog } from "../components/dialog.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { Pager } from "../components/pager.js";
import { ConfirmDialog } from "../components/confirm.js";
import { RolesSection } from "../components/user_roles.js";
import { html, useEffect, useMemo, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 300;
const MIN_PASSWORD_LENGTH = 8; // NEW_PASSWORD in gateway/openapi/accounts.py

/** Checkboxes for the roles a user has; `roles` is GET /api/roles. */
function RoleChoices({ roles, chosen, onChange, error }) {
  const toggle = (name, on) => onChange(on ? [...chosen, name] : chosen.filter((other) => other !== name));
  return html`<fieldset class="role-choices" aria-describedby=${error ? "role-choices-error" : undefined}>
    <legend>Roles</legend>
    ${roles.map(
      (role) => html`<label class="checkbox-line" key=${role.role}>
        <input type="checkbox" checked=${chosen.includes(role.role)} onChange=${(event) => toggle(role.role, event.currentTarget.checked)} />
        <span><strong>${role.role}</strong>${role.description && html` <span class="muted">— ${role.description}</span>`}</span>
      </label>`,
    )}
    ${error && html`<small class="field-error" id="role-choices-error">${error}</small>`}
  </fieldset>`;
}

/** Which field a refusal of POST /api/users is about: the API's message names it (gateway/accounts.py). */
function createFieldOf(error) {
  if (!error) return null;
  if (error.status === 409 || /\busername\b/.test(error.message)) return "username";
  if (/\bpassword\b/.test(error.message)) return "password";
  if (/\brole/.test(error.message)) return "roles";
  return null;
}

function CreateUserForm({ roles, onClose, onCreated }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [chosen, setChosen] = useState([]);
  const [tooShort, setTooShort] = useState(false);
  const [create, { busy, error }] = useAction(async () => {
    const created = await post("/api/users", { username: username.trim(), password, roles: chosen });
    notify(`User ${created.username} created.`);
    onCreated();
  });
  const field = createFieldOf(error);
  const passwordError = tooShort ? `The password needs at least ${MIN_PASSWORD_LENGTH} characters.` : field === "password" && error.message;

  function submit(event) {
    event.preventDefault();
    const short = password.length < MIN_PASSWORD_LENGTH;
    setTooShort(short);
    if (!short) create();
  }

  return html`<form class="dialog-form" onSubmit=${submit}>
    <${Field} label="Username" error=${field === "username" && error.message}>
      <input required maxlength="255" autocomplete="off" value=${username} onInput=${(event) => setUsername(value(event))} />
    </${Field}>
    <${Field} label="Password" hint=${`At least ${MIN_PASSWORD_LENGTH} characters; tell it to the user, who can change it under My account.`}
      error=${passwordError}>
      <input type="password" required autocomplete="new-password" value=${password}
        onInput=${(event) => (setPassword(value(event)), setTooShort(false))} />
    </${Field}>
    ${roles
      ? html`<${RoleChoices} roles=${roles} chosen=${chosen} onChange=${setChosen} error=${field === "roles" && error.message} />`
      : html`<p class="muted">The new user gets the default role.</p>`}
    ${!field && html`<${ErrorMessage} error=${error} />`}
    <div class="actions user-dialog-actions">
      <${Button} type="submit" kind="primary" busy=${busy}>Create user</${Button}>
      <${Button} onClick=${onClose}>Cancel</${Button}>
    </div>
  </form>`;
}

function ChangeRolesForm({ user, roles, onClose, onChanged }) {
  const [chosen, setChosen] = useState(user.roles);
  const [save, { busy, error }] = useAction(async () => {
    await put(`/api/users/${encodeURIComponent(user.username)}/roles`, chosen);
    notify(`Roles of ${user.username} saved.`);
    onChanged();
  });
  const submit = (event) => (event.preventDefault(), save());
  return html`<form class="dialog-form" onSubmit=${submit}>
    <${RoleChoices} roles=${roles} chosen=${chosen} onChange=${setChosen} />
    ${chosen.length === 0 && html`<p class="warning-note">With no role, ${user.username} can do nothing.</p>`}
    <${ErrorMessage} error=${error} />
    <div class="actions user-dialog-actions">
      <${Button} type="submit" kind="primary" busy=${busy}>Save roles</${Button}>
      <${Button} onClick=${onClose}>Cancel</${Button}>
    </div>
  </form>`;
}

/** The search box's text, handed on `SEARCH_DELAY_MS` after the last key so the list does not redraw per key. */
function SearchBox({ initial, onSearch }) {
  const [text, setText] = useState(initial);
  useEffect(() => {
    if (text === initial) return undefined;
    const timer = setTimeout(() => onSearch(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return html`<${Field} label="Search by name">
    <input type="search" value=${text} onInput=${(event) => setText(value(event))} />
  </${Field}>`;
}

function UsersTable({ users, me, onChangeRoles, onDelete }) {
  const { can } = useSession();
  return html`<div class="table-wrap">
    <table class="users-table">
      <thead><tr><th scope="col">Username</th><th scope="col">Roles</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${users.map(
          (user) => html`<tr key=${user.username}>
            <th scope="row">${user.username}${user.username === me && html` <span class="badge neutral">you</span>`}</th>
            <td>
              ${user.roles.map((role) => html`<span class="badge" key=${role}>${role}</span> `)}
              ${user.roles.length === 0 && html`<span class="muted">none</span>`}
            </td>
            <td class="actions">
              ${onChangeRoles && can(permissions.USERS_UPDATE) &&
              html`<button type="button" class="button small" onClick=${() => onChangeRoles(user)}>
                Change roles<span class="visually-hidden"> of ${user.username}</span>
              </button>`}
              ${can(permissions.USERS_DELETE) && user.username !== me &&
              html`<button type="button" class="button small danger" onClick=${() => onDelete(user)}>
                Delete<span class="visually-hidden"> ${user.username}</span>
              </button>`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export default function Users({ query }) {
  const { user: me, can } = useSession();
  const role = query.role || "";
  const search = query.q || "";
  const offset = Number(query.offset) || 0;
  const setQuery = (change) => navigate("/users", { ...query, offset: 0, ...change }, { replace: true });

  // The API lists every user at once (optionally those with one role): the page and the search are of that list.
  const users = useApi((signal) => get("/api/users", { role }, { signal }), [role]);
  const mayListRoles = can(permissions.ROLES_LIST);
  const roles = useApi((signal) => (mayListRoles ? get("/api/roles", undefined, { signal }) : Promise.resolve(null)), []);
  const [dialog, setDialog] = useState(null); // {kind: "create" | "roles", user?}
  const [deleting, setDeleting] = useState(null);
  const [remove, removal] = useAction(async () => {
    await del(`/api/users/${encodeURIComponent(deleting.username)}`);
    notify(`User ${deleting.username} deleted.`);
    setDeleting(null);
    users.reload();
  });

  const found = useMemo(() => {
    const wanted = search.toLowerCase();
    return (users.data || []).filter((user) => user.username.toLowerCase().includes(wanted));
  }, [users.data, search]);
  const shown = found.slice(offset, offset + PAGE_SIZE);
  const done = () => (setDialog(null), users.reload());

  return html`<h1>Users & roles</h1>
    <section aria-labelledby="users-title">
      <div class="toolbar users-section-head">
        <h2 id="users-title">Users</h2>
        ${can(permissions.USERS_CREATE) &&
        html`<button type="button" class="button primary" onClick=${() => setDialog({ kind: "create" })}>Add user</button>`}
      </div>
      <div class="toolbar">
        <${SearchBox} initial=${search} onSearch=${(text) => setQuery({ q: text })} />
        ${roles.data &&
        html`<${Field} label="Role">
          <select value=${role} onChange=${(event) => setQuery({ role: value(event) })}>
            <option value="">Any role</option>
            ${roles.data.map((option) => html`<option key=${option.role} value=${option.role}>${option.role}</option>`)}
          </select>
        </${Field}>`}
      </div>
      <${ErrorMessage} title="The users could not be loaded" error=${users.error} />
      ${users.loading && !users.data && html`<${Loading} />`}
      ${users.data && found.length === 0 && html`<${Empty}>No user matches.</${Empty}>`}
      ${shown.length > 0 &&
      html`<${UsersTable} users=${shown} me=${me.username} onDelete=${setDeleting}
        onChangeRoles=${roles.data ? (user) => setDialog({ kind: "roles", user }) : null} />
      ${found.length > PAGE_SIZE &&
      html`<${Pager} offset=${offset} limit=${PAGE_SIZE} total=${found.length} label="Pages of users"
        onChange=${(next) => setQuery({ offset: next })} />`}`}
    </section>
    ${mayListRoles && html`<${RolesSection} roles=${roles} />`}
    <${Dialog} title=${dialog?.kind === "roles" ? `Roles of ${dialog.user.username}` : "Add a user"} open=${Boolean(dialog)}
      onClose=${() => setDialog(null)}>
      ${dialog?.kind === "create" && html`<${CreateUserForm} roles=${roles.data} onClose=${() => setDialog(null)} onCreated=${done} />`}
      ${dialog?.kind === "roles" &&
      html`<${ChangeRolesForm} user=${dialog.user} roles=${roles.data} onClose=${() => setDialog(null)} onChanged=${done} />`}
    </${Dialog}>
    <${ConfirmDialog} open=${Boolean(deleting)} title=${`Delete the user ${deleting?.username ?? ""}?`} confirmLabel="Delete user"
      busy=${removal.busy} error=${removal.error} onConfirm=${remove} onClose=${() => (setDeleting(null), removal.clearError())}>
      <p>${deleting?.username} can no longer sign in, and their API token stops working. The conversations they had stay.</p>
    </${ConfirmDialog}>`;
}
