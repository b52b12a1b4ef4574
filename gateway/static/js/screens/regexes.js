// Regex features (a page at a time; the API checks that a pattern compiles) and lookup tables (elements as lines).
import { del, get, page, post, put } from "../api.js";
import { Dialog } from "../components/dialog.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { ConfirmButton } from "../components/nlu_confirm.js";
import { useFragmentFilters } from "../components/nlu_filters.js";
import { TableHead } from "../components/nlu_table.js";
import { PROJECT } from "../components/nlu_text.js";
import { Pager } from "../components/pager.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const LIMIT = 50;
const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);

export default function Regexes({ query }) {
  const { can } = useSession();
  return html`<h1>Regexes & lookup tables</h1>
    <${RegexList} query=${query} can=${can} />
    ${can(permissions.LOOKUP_TABLES_LIST) && html`<${LookupTables} can=${can} />`}`;
}

function RegexList({ query, can }) {
  const change = useFragmentFilters("/training/regexes", query);
  const offset = Math.max(0, Number(query.offset) || 0);
  const list = useApi((signal) => page(`${PROJECT}/regexes`, { limit: LIMIT, offset }, { signal }), [offset]);
  const [editing, setEditing] = useState(null);
  const items = list.data?.items || [];
  return html`<section aria-labelledby="regexes-title">
    <h2 id="regexes-title">Regex features</h2>
    <p class="muted">Patterns (Python regular expressions) that help Rasa find entities and intents. A name may have several.</p>
    ${can(permissions.REGEXES_CREATE) &&
    html`<div class="card">
      <h3 class="nlu-card-title">New regex</h3>
      <${RegexForm} submitLabel="Add regex" onSaved=${list.reload} />
    </div>`}
    <${ErrorMessage} error=${list.error} title="The regexes could not be loaded" />
    ${list.loading && !list.data && html`<${Loading} what="Loading the regexes" />`}
    ${list.data && items.length === 0 && html`<${Empty}>There are no regex features yet.</${Empty}>`}
    ${items.length > 0 &&
    html`<div class="table-wrap">
      <table class="nlu-table">
        <${TableHead} columns=${["Name", "Pattern", ""]} />
        <tbody>
          ${items.map(
            (regex) => html`<${RegexRow} key=${regex.id} regex=${regex} onEdit=${() => setEditing(regex)} onDeleted=${list.reload}
              can=${can} />`,
          )}
        </tbody>
      </table>
    </div>`}
    ${list.data?.total > 0 && html`<${Pager} offset=${offset} limit=${LIMIT} total=${list.data.total} label="Regex pages"
      onChange=${(next) => change({ offset: String(next) })} />`}
    <${Dialog} title="Edit regex" open=${!!editing} onClose=${() => setEditing(null)}>
      ${editing &&
      html`<${RegexForm} regex=${editing} submitLabel="Save regex" onSaved=${() => (setEditing(null), list.reload())}
        onCancel=${() => setEditing(null)} />`}
    </${Dialog}>
  </section>`;
}

function RegexRow({ regex, onEdit, onDeleted, can }) {
  const [remove, removing] = useAction(async () => {
    await del(`${PROJECT}/regexes/${regex.id}`);
    notify(`Deleted the regex ${regex.name}.`);
    onDeleted();
  });
  return html`<tr>
    <td><strong>${regex.name}</strong><${ErrorMessage} error=${removing.error} title="Not deleted" /></td>
    <td><code class="nlu-pattern">${regex.pattern}</code></td>
    <td>
      <div class="actions nlu-row-actions">
        ${can(permissions.REGEXES_UPDATE) &&
        html`<${Button} kind="small" onClick=${onEdit} aria-label=${`Edit the regex ${regex.name}`}>Edit</${Button}>`}
        ${can(permissions.REGEXES_DELETE) &&
        html`<${ConfirmButton} busy=${removing.busy} label=${`Delete the regex ${regex.name}`} question=${`Delete ${regex.name}?`}
          onConfirm=${remove}>Delete</${ConfirmButton}>`}
      </div>
    </td>
  </tr>`;
}

/** The API's 400 or 409 about a regex, shown at the field it names. */
function regexFieldErrors(error) {
  if (!error || ![400, 409].includes(error.status)) return {};
  if (/pattern/.test(error.message)) return { pattern: error.message };
  if (/^name\b/.test(error.message)) return { name: error.message };
  return {};
}

function RegexForm({ regex, submitLabel, onSaved, onCancel }) {
  const [name, setName] = useState(regex?.name || "");
  const [pattern, setPattern] = useState(regex?.pattern || "");
  const [save, saving] = useAction(async () => {
    const body = { name: name.trim(), pattern };
    const saved = regex ? await put(`${PROJECT}/regexes/${regex.id}`, body) : await post(`${PROJECT}/regexes`, body);
    notify(regex ? `Saved the regex ${saved.name}.` : `Added the regex ${saved.name}.`);
    if (!regex) {
      setName("");
      setPattern("");
    }
    onSaved();
  });
  const fields = regexFieldErrors(saving.error);
  const edited = (set) => (event) => (set(value(event)), saving.clearError());
  return html`<form class="regex-form" onSubmit=${(event) => (event.preventDefault(), save())}>
    <div class="nlu-form-row">
      <${Field} label="Name" error=${fields.name}>
        <input value=${name} required autocomplete="off" onInput=${edited(setName)} />
      </${Field}>
      <${Field} label="Pattern" error=${fields.pattern}>
        <input class="nlu-pattern" value=${pattern} required autocomplete="off" spellcheck="false" onInput=${edited(setPattern)} />
      </${Field}>
    </div>
    ${!fields.name && !fields.pattern && html`<${ErrorMessage} error=${saving.error} title="Not saved" />`}
    <div class="actions">
      <${Button} type="submit" kind="primary" busy=${saving.busy}>${submitLabel}</${Button}>
      ${onCancel && html`<${Button} kind="ghost" onClick=${onCancel}>Cancel</${Button}>`}
    </div>
  </form>`;
}

function LookupTables({ can }) {
  const tables = useApi(() => get(`${PROJECT}/lookupTables`), []);
  const [editing, setEditing] = useState(null);
  const canReplace = can(permissions.LOOKUP_TABLES_CREATE) && can(permissions.LOOKUP_TABLES_DELETE);
  return html`<section aria-labelledby="lookup-title">
    <h2 id="lookup-title">Lookup tables</h2>
    <p class="muted">Lists of values (one per line) that help Rasa find an entity.</p>
    ${can(permissions.LOOKUP_TABLES_CREATE) &&
    html`<div class="card"><h3 class="nlu-card-title">New lookup table</h3><${LookupTableForm} onSaved=${tables.reload} /></div>`}
    <${ErrorMessage} error=${tables.error} title="The lookup tables could not be loaded" />
    ${tables.loading && !tables.data && html`<${Loading} what="Loading the lookup tables" />`}
    ${tables.data?.length === 0 && html`<${Empty}>There are no lookup tables yet.</${Empty}>`}
    ${tables.data?.length > 0 &&
    html`<div class="table-wrap">
      <table class="nlu-table">
        <${TableHead} columns=${["Name", "Elements", ""]} />
        <tbody>
          ${tables.data.map(
            (table) => html`<${LookupTableRow} key=${table.id} table=${table} canReplace=${canReplace}
              canDelete=${can(permissions.LOOKUP_TABLES_DELETE)} onEdit=${() => setEditing(table)} onDeleted=${tables.reload} />`,
          )}
        </tbody>
      </table>
    </div>`}
    <${Dialog} title=${`Edit the lookup table ${editing?.name || ""}`} open=${!!editing}
      onClose=${() => (setEditing(null), tables.reload())}>
      ${editing && html`<${LookupTableEditor} table=${editing} onSaved=${() => (setEditing(null), tables.reload())} />`}
    </${Dialog}>
  </section>`;
}

function LookupTableRow({ table, canReplace, canDelete, onEdit, onDeleted }) {
  const [remove, removing] = useAction(async () => {
    await del(`${PROJECT}/lookupTables/${table.id}`);
    notify(`Deleted the lookup table ${table.name}.`);
    onDeleted();
  });
  return html`<tr>
    <td><strong>${table.name}</strong><${ErrorMessage} error=${removing.error} title="Not deleted" /></td>
    <td data-label="Elements">${table.number_of_elements.toLocaleString()}</td>
    <td>
      <div class="actions nlu-row-actions">
        ${canReplace &&
        html`<${Button} kind="small" onClick=${onEdit} aria-label=${`Edit the lookup table ${table.name}`}>Edit</${Button}>`}
        ${canDelete &&
        html`<${ConfirmButton} busy=${removing.busy} label=${`Delete the lookup table ${table.name}`}
          question=${`Delete ${table.name}?`} onConfirm=${remove}>Delete</${ConfirmButton}>`}
      </div>
    </td>
  </tr>`;
}

function LookupTableEditor({ table, onSaved }) {
  const full = useApi((signal) => get(`${PROJECT}/lookupTables/${table.id}`, {}, { signal }), [table.id]);
  if (full.error) return html`<${ErrorMessage} error=${full.error} title="The lookup table could not be loaded" />`;
  if (!full.data) return html`<${Loading} what="Loading its elements" />`;
  return html`<${LookupTableForm} table=${full.data} onSaved=${onSaved} />`;
}

/**
 * A new lookup table, or an existing one's replacement: the API cannot change a table, so saving deletes it and
 * creates it again. Should the creation fail, what was typed stays and saving again creates it.
 */
function LookupTableForm({ table, onSaved }) {
  const [stored, setStored] = useState(table || null);
  const [name, setName] = useState(table?.name || "");
  const [elements, setElements] = useState(table ? table.elements.join("\n") : "");
  const [problem, setProblem] = useState("");
  const [save, saving] = useAction(async () => {
    if (stored && name.trim() !== stored.name) await checkNameIsFree(name.trim());
    if (stored) {
      await del(`${PROJECT}/lookupTables/${stored.id}`);
      setStored(null);
    }
    const saved = await post(`${PROJECT}/lookupTables`, { name: name.trim(), elements: lines(elements) });
    notify(`Saved the lookup table ${saved.name} (${saved.number_of_elements.toLocaleString()} elements).`);
    if (!table) {
      setName("");
      setElements("");
    }
    onSaved();
  });
  const submit = (event) => {
    event.preventDefault();
    const missing = lines(elements).length ? "" : "Write at least one element, one per line.";
    setProblem(missing);
    if (!missing) save();
  };
  const nameError = saving.error?.status === 409 || /^name\b/.test(saving.error?.message || "") ? saving.error.message : "";
  return html`<form class="lookup-form" onSubmit=${submit}>
    <${Field} label="Name" error=${nameError}>
      <input value=${name} required autocomplete="off" onInput=${(event) => (setName(value(event)), saving.clearError())} />
    </${Field}>
    <${Field} label="Elements" error=${problem}
      hint=${`One per line (${lines(elements).length.toLocaleString()} now).${table ? " Saving replaces the whole table." : ""}`}>
      <textarea class="code lookup-elements" value=${elements} spellcheck="false"
        onInput=${(event) => (setElements(value(event)), setProblem(""))}></textarea>
    </${Field}>
    ${!nameError && html`<${ErrorMessage} error=${saving.error} title="Not saved" />`}
    <${Button} type="submit" kind="primary" busy=${saving.busy}>${table ? "Save lookup table" : "Add lookup table"}</${Button}>
  </form>`;
}

/** Replacing a table under a taken name would delete it and then fail to create it: refuse before deleting. */
async function checkNameIsFree(name) {
  const tables = await get(`${PROJECT}/lookupTables`);
  if (tables.some((other) => other.name === name)) {
    throw Object.assign(new Error(`a lookup table named ${name} exists already`), { status: 409 });
  }
}
