// NLU training examples: a page at a time, searched and filtered by the API; added and edited in the annotator.
import { del, page, post, put } from "../api.js";
import { Annotator } from "../components/annotator.js";
import { Dialog } from "../components/dialog.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button } from "../components/form.js";
import { ConfirmButton } from "../components/nlu_confirm.js";
import { NameFilter, SearchField, useFragmentFilters } from "../components/nlu_filters.js";
import { TableHead } from "../components/nlu_table.js";
import { MarkedText, PROJECT, useNluNames } from "../components/nlu_text.js";
import { Pager, useLastPageInRange } from "../components/pager.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const LIMIT = 50;

export default function TrainingExamples({ query }) {
  const { can } = useSession();
  const change = useFragmentFilters("/training/examples", query);
  const offset = Math.max(0, Number(query.offset) || 0);
  const names = useNluNames();
  const list = useApi(
    (signal) =>
      page(
        `${PROJECT}/training_examples`,
        { q: query.q, intent: query.intent, entity: query.entity, limit: LIMIT, offset },
        { signal },
      ),
    [query.q, query.intent, query.entity, offset],
  );
  const [editing, setEditing] = useState(null);
  const items = list.data?.items || [];
  const total = list.data?.total || 0;

  useLastPageInRange({ loading: list.loading, shown: items.length, offset, total, limit: LIMIT, onChange: (to) => change({ offset: String(to) }) });

  const saved = () => {
    setEditing(null);
    list.reload();
  };
  const filtered = query.q || query.intent || query.entity;
  return html`<h1>NLU examples</h1>
    <div class="toolbar nlu-toolbar">
      <${SearchField} label="Search examples" text=${query.q} onSearch=${(q) => change({ q })} />
      <${NameFilter} label="Intent" anyLabel="Any intent" chosen=${query.intent} names=${names.intents}
        onChoose=${(intent) => change({ intent })} />
      <${NameFilter} label="Entity" anyLabel="Any entity" chosen=${query.entity} names=${names.entities}
        onChoose=${(entity) => change({ entity })} />
      ${can(permissions.EXAMPLES_CREATE) &&
      html`<${Button} kind="primary" onClick=${() => setEditing({ text: "", intent: query.intent || "", entities: [] })}>
        Add example
      </${Button}>`}
    </div>
    <${ErrorMessage} error=${list.error} title="The examples could not be loaded" />
    ${list.loading && !list.data && html`<${Loading} what="Loading the examples" />`}
    ${list.data &&
    items.length === 0 &&
    html`<${Empty}>${filtered ? "No example matches these filters." : "There are no training examples yet."}</${Empty}>`}
    ${items.length > 0 &&
    html`<div class="table-wrap">
      <table class="nlu-table examples-table" aria-busy=${list.loading ? "true" : undefined}>
        <${TableHead} columns=${["Example", "Intent", "Annotated", ""]} />
        <tbody>
          ${items.map(
            (example) => html`<${ExampleRow} key=${example.id} example=${example} onEdit=${() => setEditing(example)}
              onDeleted=${list.reload} canEdit=${can(permissions.EXAMPLES_UPDATE)} canDelete=${can(permissions.EXAMPLES_DELETE)} />`,
          )}
        </tbody>
      </table>
    </div>`}
    ${total > 0 && html`<${Pager} offset=${offset} limit=${LIMIT} total=${total} label="Example pages"
      onChange=${(next) => change({ offset: String(next) })} />`}
    <${Dialog} title=${editing?.id ? "Edit example" : "Add example"} open=${!!editing} onClose=${() => setEditing(null)}>
      ${editing && html`<${ExampleEditor} example=${editing} onSaved=${saved} onCancel=${() => setEditing(null)} />`}
    </${Dialog}>`;
}

function ExampleRow({ example, onEdit, onDeleted, canEdit, canDelete }) {
  const [remove, removing] = useAction(async () => {
    await del(`${PROJECT}/training_examples/${example.id}`);
    notify(`Deleted “${example.text}”.`);
    onDeleted();
  });
  const { user, time } = example.annotation || {};
  return html`<tr>
    <td class="example-text">
      <${MarkedText} text=${example.text} entities=${example.entities} />
      <${ErrorMessage} error=${removing.error} title="Not deleted" />
    </td>
    <td class="example-intent"><span class="badge neutral">${example.intent}</span></td>
    <td class="muted nlu-nowrap example-annotated">
      ${user || "—"}${time && html`<br />${new Date(time * 1000).toLocaleDateString()}`}
    </td>
    <td>
      <div class="actions nlu-row-actions">
        ${canEdit && html`<${Button} kind="small" onClick=${onEdit} aria-label=${`Edit “${example.text}”`}>Edit</${Button}>`}
        ${canDelete &&
        html`<${ConfirmButton} busy=${removing.busy} label=${`Delete “${example.text}”`} question="Delete this example?"
          onConfirm=${remove}>Delete</${ConfirmButton}>`}
      </div>
    </td>
  </tr>`;
}

function ExampleEditor({ example, onSaved, onCancel }) {
  const [save, saving] = useAction(async (body) => {
    if (example.id) await put(`${PROJECT}/training_examples/${example.id}`, body);
    else await post(`${PROJECT}/training_examples`, body);
    notify(example.id ? `Saved “${body.text}”.` : `Added “${body.text}” as ${body.intent}.`);
    onSaved();
  });
  return html`<${Annotator} initial=${example} textEditable submitLabel=${example.id ? "Save example" : "Add example"}
    busy=${saving.busy} error=${saving.error} onSubmit=${save}>
    <${Button} kind="ghost" onClick=${onCancel}>Cancel</${Button}>
  </${Annotator}>
  ${!example.id && html`<p class="muted">An example with the same text is replaced by this one.</p>`}`;
}
