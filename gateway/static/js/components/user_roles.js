// Roles: what each grants, and creating, editing and deleting the installation's own roles.
import { del, get, post, put } from "../api.js";
import { Dialog } from "./dialog.js";
import { Empty, ErrorMessage, Loading, notify } from "./feedback.js";
import { Button, Field, value } from "./form.js";
import { ConfirmDialog } from "./confirm.js";
import { html, useMemo, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

// gateway/permissions.py BUILT_IN_ROLES: the API refuses to change or delete them.
const BUILT_IN_ROLES = new Set(["admin", "annotator", "tester", "guest"]);

/** "nlu_training_data.view.examples.list" → the category "nlu_training_data" and the rest "view.examples.list". */
function splitPermission(permission) {
  const [category, ...rest] = permission.split(".");
  return { category, action: rest.join(".") };
}

function categoryLabel(category) {
  const words = category.replace(/_/g, " ").replace(/\bnlu\b/, "NLU");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function byCategory(names) {
  const groups = new Map();
  for (const name of names) {
    const { category } = splitPermission(name);
    if (!groups.has(category)) groups.set(category, []);
    groups.get(category).push(name);
  }
  for (const names of groups.values()) names.sort();
  return [...groups].sort(([first], [second]) => first.localeCompare(second));
}

/** Checkboxes for every permission, grouped by category, with one box to grant or withdraw a whole category. */
function GrantChoices({ all, chosen, onChange }) {
  const groups = useMemo(() => byCategory(all), [all]);
  const toggle = (names, on) => {
    const next = new Set(chosen);
    for (const name of names) on ? next.add(name) : next.delete(name);
    onChange(next);
  };
  return html`<div class="grant-groups">
    ${groups.map(([category, names]) => {
      const granted = names.filter((name) => chosen.has(name)).length;
      return html`<fieldset class="grant-group" key=${category}>
        <legend>
          <label class="checkbox-line">
            <input type="checkbox" checked=${granted === names.length} indeterminate=${granted > 0 && granted < names.length}
              onChange=${(event) => toggle(names, event.currentTarget.checked)} />
            <span>${categoryLabel(category)} <span class="muted">(${granted}/${names.length})</span></span>
          </label>
        </legend>
        ${names.map(
          (name) => html`<label class="checkbox-line" key=${name}>
            <input type="checkbox" checked=${chosen.has(name)} onChange=${(event) => toggle([name], event.currentTarget.checked)} />
            <code>${splitPermission(name).action}</code>
          </label>`,
        )}
      </fieldset>`;
    })}
  </div>`;
}

function RoleEditor({ role, onClose, onSaved }) {
  const creating = !role;
  const [name, setName] = useState(role?.role || "");
  const [description, setDescription] = useState(role?.description || "");
  const [isDefault, setIsDefault] = useState(role?.is_default || false);
  const [grants, setGrants] = useState(new Set(role?.grants || []));
  const all = useApi((signal) => get("/api/permissions", undefined, { signal }), []);
  const [save, { busy, error }] = useAction(async () => {
    const body = { role: name.trim(), description, is_default: isDefault, grants: [...grants] };
    const saved = creating ? await post("/api/roles", body) : await put(`/api/roles/${encodeURIComponent(role.role)}`, body);
    notify(creating ? `Role ${saved.role} created.` : `Role ${saved.role} saved.`);
    onSaved();
  });
  const nameError = creating && error && (error.status === 409 || /^role\b/.test(error.message)) ? error.message : null;
  const submit = (event) => (event.preventDefault(), save());
  return html`<form class="dialog-form role-editor" onSubmit=${submit}>
    ${creating &&
    html`<${Field} label="Name" hint="Letters, digits, '_', '.' or '-'." error=${nameError}>
      <input required maxlength="100" pattern="[A-Za-z0-9_.\\-]+" value=${name} onInput=${(event) => setName(value(event))} />
    </${Field}>`}
    <${Field} label="Description">
      <input value=${description} onInput=${(event) => setDescription(value(event))} />
    </${Field}>
    <label class="checkbox-line">
      <input type="checkbox" checked=${isDefault} onChange=${(event) => setIsDefault(event.currentTarget.checked)} />
      Give this role to new users who are given none
    </label>
    <h3>Permissions</h3>
    <${ErrorMessage} title="The permissions could not be loaded" error=${all.error} />
    ${all.data ? html`<${GrantChoices} all=${all.data} chosen=${grants} onChange=${setGrants} />` : !all.error && html`<${Loading} />`}
    ${!nameError && html`<${ErrorMessage} error=${error} />`}
    <div class="actions user-dialog-actions">
      <${Button} type="submit" kind="primary" busy=${busy}>${creating ? "Create role" : "Save role"}</${Button}>
      <${Button} onClick=${onClose}>Cancel</${Button}>
    </div>
  </form>`;
}

function GrantList({ grants }) {
  return html`<details class="grant-list">
    <summary>${grants.length} permission${grants.length === 1 ? "" : "s"}</summary>
    ${byCategory(grants).map(
      ([category, names]) => html`<p key=${category}><strong>${categoryLabel(category)}:</strong>
        ${names.map((name) => html`<code key=${name}>${splitPermission(name).action}</code> `)}</p>`,
    )}
  </details>`;
}

/** The roles table; `roles` is useApi's answer for GET /api/roles (shared with the users' role choices). */
export function RolesSection({ roles }) {
  const { can } = useSession();
  const [editing, setEditing] = useState(null); // {role} to edit, {} to create
  const [deleting, setDeleting] = useState(null);
  const [remove, { busy, error, clearError }] = useAction(async () => {
    await del(`/api/roles/${encodeURIComponent(deleting.role)}`);
    notify(`Role ${deleting.role} deleted.`);
    setDeleting(null);
    roles.reload();
  });
  const saved = () => (setEditing(null), roles.reload());
  const mayChange = (role) => !BUILT_IN_ROLES.has(role.role);

  return html`<section aria-labelledby="roles-title">
    <div class="toolbar users-section-head">
      <h2 id="roles-title">Roles</h2>
      ${can(permissions.ROLES_CREATE) && html`<button type="button" class="button" onClick=${() => setEditing({})}>New role</button>`}
    </div>
    <${ErrorMessage} title="The roles could not be loaded" error=${roles.error} />
    ${roles.loading && !roles.data && html`<${Loading} />`}
    ${roles.data?.length === 0 && html`<${Empty}>No roles.</${Empty}>`}
    ${roles.data?.length > 0 &&
    html`<div class="table-wrap">
      <table class="roles-table">
        <thead>
          <tr><th scope="col">Role</th><th scope="col">Description</th><th scope="col">Grants</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          ${roles.data.map(
            (role) => html`<tr key=${role.role}>
              <th scope="row">${role.role}
                ${role.is_default && html` <span class="badge ok">default</span>`}
                ${!mayChange(role) && html` <span class="badge neutral">built-in</span>`}</th>
              <td>${role.description}</td>
              <td><${GrantList} grants=${role.grants} /></td>
              <td class="actions">
                ${mayChange(role) && can(permissions.ROLES_UPDATE) &&
                html`<button type="button" class="button small" onClick=${() => setEditing({ role })}>
                  Edit<span class="visually-hidden"> ${role.role}</span>
                </button>`}
                ${mayChange(role) && can(permissions.ROLES_DELETE) &&
                html`<button type="button" class="button small danger" onClick=${() => setDeleting(role)}>
                  Delete<span class="visually-hidden"> ${role.role}</span>
                </button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    <${Dialog} title=${editing?.role ? `Edit the role ${editing.role.role}` : "New role"} open=${Boolean(editing)}
      onClose=${() => setEditing(null)}>
      ${editing && html`<${RoleEditor} role=${editing.role} onClose=${() => setEditing(null)} onSaved=${saved} />`}
    </${Dialog}>
    <${ConfirmDialog} open=${Boolean(deleting)} title=${`Delete the role ${deleting?.role ?? ""}?`} confirmLabel="Delete role"
      busy=${busy} error=${error} onConfirm=${remove} onClose=${() => (setDeleting(null), clearError())}>
      <p>Every user loses this role and what it grants. Users left with no role can do nothing until given one.</p>
    </${ConfirmDialog}>
  </section>`;
}
