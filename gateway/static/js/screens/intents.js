// Intents (with their example counts) and user goals: create, rename, delete. Deleting an intent that examples still
// use is refused by the API (409); the row says so and offers to delete the examples with it.
import { del, get, post, put } from "../api.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { ConfirmButton } from "../components/nlu_confirm.js";
import { DomainBadge, TableHead } from "../components/nlu_table.js";
import { PROJECT } from "../components/nlu_text.js";
import { html, useEffect, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const intentPath = (name) => `${PROJECT}/intents/${encodeURIComponent(name)}`;
const plural = (count, one, many = `${one}s`) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

export default function Intents() {
  const { can } = useSession();
  const intents = useApi(() => get(`${PROJECT}/intents`), []);
  const goals = useApi(() => (can(permissions.USER_GOALS_LIST) ? get(`${PROJECT}/userGoals`) : Promise.resolve(null)), []);
  const changed = () => {
    intents.reload();
    goals.reload();
  };
  const names = (intents.data || []).map((intent) => intent.intent);
  return html`<h1>Intents</h1>
    ${can(permissions.INTENTS_CREATE) && html`<${NewIntent} onCreated=${intents.reload} />`}
    <${ErrorMessage} error=${intents.error} title="The intents could not be loaded" />
    ${intents.loading && !intents.data && html`<${Loading} what="Loading the intents" />`}
    ${intents.data && intents.data.length === 0 && html`<${Empty}>There are no intents yet.</${Empty}>`}
    ${intents.data?.length > 0 &&
    html`<div class="table-wrap">
      <table class="nlu-table">
        <${TableHead} columns=${["Intent", "Examples", "Domain", "User goal", ""]} />
        <tbody>
          ${intents.data.map((intent) => html`<${IntentRow} key=${intent.intent} intent=${intent} onChanged=${changed} can=${can} />`)}
        </tbody>
      </table>
    </div>`}
    ${goals.data && html`<${UserGoals} goals=${goals} intents=${names} onChanged=${changed} can=${can} />`}`;
}

function NewIntent({ onCreated }) {
  const [name, setName] = useState("");
  const [create, creating] = useAction(async () => {
    const intent = await post(`${PROJECT}/intents`, { intent: name.trim() });
    notify(`Added the intent ${intent.intent}.`);
    setName("");
    onCreated();
  });
  return html`<form class="toolbar nlu-toolbar" onSubmit=${(event) => (event.preventDefault(), create())}>
    <${Field} label="New intent" error=${creating.error?.message}>
      <input value=${name} required onInput=${(event) => (setName(value(event)), creating.clearError())} />
    </${Field}>
    <${Button} type="submit" kind="primary" busy=${creating.busy}>Add intent</${Button}>
  </form>`;
}

function IntentRow({ intent, onChanged, can }) {
  const name = intent.intent;
  const [renaming, setRenaming] = useState(false);
  const [remove, removing] = useAction(async (withExamples) => {
    const answer = await del(intentPath(name), withExamples ? { query: { delete_examples: true } } : {});
    notify(answer?.examples_deleted ? `Deleted ${name} and ${plural(answer.examples_deleted, "example")}.` : `Deleted ${name}.`);
    onChanged();
  });
  const blocked = removing.error?.status === 409;
  return html`<tr>
    <td>
      ${renaming
        ? html`<${RenameIntent} name=${name} onDone=${(renamed) => (setRenaming(false), renamed && onChanged())} />`
        : html`<strong>${name}</strong>`}
      <${ErrorMessage} error=${removing.error} title="Not deleted" />
      ${blocked &&
      can(permissions.EXAMPLES_DELETE) &&
      html`<div class="actions">
        <${ConfirmButton} question=${`Delete ${name} and ${plural(intent.example_count, "example")}?`}
          confirmLabel="Yes, delete them all" onConfirm=${() => remove(true)}>
          Delete with its examples
        </${ConfirmButton}>
      </div>`}
    </td>
    <td class="nlu-nowrap" data-label="Examples">
      <a href=${href("/training/examples", { intent: name })} aria-label=${`${plural(intent.example_count, "example")} of ${name}`}>
        ${intent.example_count.toLocaleString()}
      </a>
    </td>
    <td><${DomainBadge} inDomain=${intent.in_domain} /></td>
    <td data-label="User goal">${intent.user_goal || html`<span class="muted">—</span>`}</td>
    <td>
      <div class="actions nlu-row-actions">
        ${can(permissions.INTENTS_UPDATE) &&
        !renaming &&
        html`<${Button} kind="small" onClick=${() => setRenaming(true)} aria-label=${`Rename ${name}`}>Rename</${Button}>`}
        ${can(permissions.INTENTS_DELETE) &&
        html`<${ConfirmButton} busy=${removing.busy} label=${`Delete ${name}`} question=${`Delete ${name}?`}
          onConfirm=${() => remove(false)}>Delete</${ConfirmButton}>`}
      </div>
    </td>
  </tr>`;
}

function RenameIntent({ name, onDone }) {
  const [newName, setNewName] = useState(name);
  const input = useRef(null);
  useEffect(() => input.current?.select(), []);
  const [rename, renaming] = useAction(async () => {
    const renamed = await put(intentPath(name), { intent: newName.trim() });
    notify(
      `Renamed ${name} to ${renamed.intent}: ${plural(renamed.examples_renamed, "example")} and ` +
        `${plural(renamed.stories_renamed, "story or rule", "stories or rules")} changed.`,
    );
    onDone(true);
  });
  return html`<form class="nlu-inline-form" onSubmit=${(event) => (event.preventDefault(), rename())}>
    <${Field} label=${`New name for ${name}`} error=${renaming.error?.message}>
      <input value=${newName} required ref=${input} onInput=${(event) => (setNewName(value(event)), renaming.clearError())} />
    </${Field}>
    <div class="actions">
      <${Button} type="submit" kind="small primary" busy=${renaming.busy}>Save</${Button}>
      <${Button} kind="small ghost" onClick=${() => onDone(false)}>Cancel</${Button}>
    </div>
  </form>`;
}

function UserGoals({ goals, intents, onChanged, can }) {
  const [editing, setEditing] = useState(null);
  const [remove, removing] = useAction(async (goal) => {
    await del(`${PROJECT}/userGoals/${encodeURIComponent(goal)}`);
    notify(`Deleted the user goal ${goal}.`);
    onChanged();
  });
  return html`<section aria-labelledby="user-goals-title">
    <h2 id="user-goals-title">User goals</h2>
    <p class="muted">A user goal groups intents that serve the same purpose; an intent belongs to one goal at most.</p>
    <${ErrorMessage} error=${goals.error} title="The user goals could not be loaded" />
    <${ErrorMessage} error=${removing.error} title="Not deleted" />
    ${goals.data.length === 0 && html`<${Empty}>There are no user goals.</${Empty}>`}
    ${goals.data.length > 0 &&
    html`<ul class="goal-list">
      ${goals.data.map(
        (goal) => html`<li key=${goal.name} class="card">
          <strong>${goal.name}</strong>
          <span class="goal-intents">
            ${goal.intents.map((intent) => html`<span class="badge neutral" key=${intent}>${intent}</span>`)}
            ${goal.intents.length === 0 && html`<span class="muted">no intents</span>`}
          </span>
          <div class="actions">
            ${can(permissions.USER_GOALS_UPDATE) &&
            html`<${Button} kind="small" onClick=${() => setEditing(goal)} aria-label=${`Edit the user goal ${goal.name}`}>
              Edit
            </${Button}>`}
            ${can(permissions.USER_GOALS_DELETE) &&
            html`<${ConfirmButton} label=${`Delete the user goal ${goal.name}`}
              question=${`Delete the user goal ${goal.name}? Its intents stay.`}
              onConfirm=${() => remove(goal.name)}>Delete</${ConfirmButton}>`}
          </div>
        </li>`,
      )}
    </ul>`}
    ${can(permissions.USER_GOALS_UPDATE) &&
    html`<${UserGoalForm} key=${editing?.name || "new"} goal=${editing} intents=${intents}
      onDone=${(saved) => (setEditing(null), saved && onChanged())} />`}
  </section>`;
}

function UserGoalForm({ goal, intents, onDone }) {
  const [name, setName] = useState(goal?.name || "");
  const [chosen, setChosen] = useState(() => new Set(goal?.intents || []));
  const [save, saving] = useAction(async () => {
    await post(`${PROJECT}/userGoals`, { name: name.trim(), intents: [...chosen] });
    notify(`Saved the user goal ${name.trim()}.`);
    if (!goal) {
      setName("");
      setChosen(new Set());
    }
    onDone(true);
  });
  const toggle = (intent) => {
    const next = new Set(chosen);
    if (next.has(intent)) next.delete(intent);
    else next.add(intent);
    setChosen(next);
  };
  return html`<form class="card goal-form" onSubmit=${(event) => (event.preventDefault(), save())}>
    <h3 class="nlu-card-title">${goal ? `Edit the user goal ${goal.name}` : "New user goal"}</h3>
    <${Field} label="Name">
      <input value=${name} required readonly=${!!goal} onInput=${(event) => setName(value(event))} />
    </${Field}>
    <fieldset class="goal-intents-choice">
      <legend>Its intents</legend>
      ${intents.map(
        (intent) => html`<label class="nlu-checkbox" key=${intent}>
          <input type="checkbox" checked=${chosen.has(intent)} onChange=${() => toggle(intent)} /> ${intent}
        </label>`,
      )}
    </fieldset>
    <${ErrorMessage} error=${saving.error} title="Not saved" />
    <div class="actions">
      <${Button} type="submit" kind="primary" busy=${saving.busy}>${goal ? "Save user goal" : "Add user goal"}</${Button}>
      ${goal && html`<${Button} kind="ghost" onClick=${() => onDone(false)}>Cancel</${Button}>`}
    </div>
  </form>`;
}
