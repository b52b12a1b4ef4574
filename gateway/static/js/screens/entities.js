// Entities (with their example counts) and entity synonyms: each synonym's reference value and the texts mapped to it.
import { del, get, post, put } from "../api.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { ConfirmButton } from "../components/nlu_confirm.js";
import { SearchField, useFragmentFilters } from "../components/nlu_filters.js";
import { DomainBadge, TableHead } from "../components/nlu_table.js";
import { PROJECT } from "../components/nlu_text.js";
import { html, useEffect, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const synonymPath = (id) => `${PROJECT}/synonyms/${id}`;
const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);

export default function Entities({ query }) {
  const { can } = useSession();
  const change = useFragmentFilters("/training/entities", query);
  const entities = useApi(() => get(`${PROJECT}/entities`), []);
  const synonyms = useApi(
    (signal) =>
      can(permissions.SYNONYMS_LIST)
        ? get(`${PROJECT}/synonyms`, { mapped_value: query.mapped }, { signal })
        : Promise.resolve(null),
    [query.mapped],
  );
  return html`<h1>Entities & synonyms</h1>
    <h2>Entities</h2>
    <${ErrorMessage} error=${entities.error} title="The entities could not be loaded" />
    ${entities.loading && !entities.data && html`<${Loading} what="Loading the entities" />`}
    ${entities.data?.length === 0 && html`<${Empty}>No entity is in the domain or annotated in an example yet.</${Empty}>`}
    ${entities.data?.length > 0 &&
    html`<div class="table-wrap">
      <table class="nlu-table">
        <${TableHead} columns=${["Entity", "Examples", "Domain"]} />
        <tbody>
          ${entities.data.map(
            (entity) => html`<tr key=${entity.entity}>
              <td><strong>${entity.entity}</strong></td>
              <td data-label="Examples">
                <a href=${href("/training/examples", { entity: entity.entity })}>${entity.example_count.toLocaleString()}</a>
              </td>
              <td><${DomainBadge} inDomain=${entity.in_domain} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    ${can(permissions.SYNONYMS_LIST) &&
    html`<section aria-labelledby="synonyms-title">
      <h2 id="synonyms-title">Synonyms</h2>
      <p class="muted">Rasa replaces an entity's value by the synonym's reference value when the value is one of its mapped texts.</p>
      ${can(permissions.SYNONYMS_CREATE) && html`<${NewSynonym} onCreated=${synonyms.reload} />`}
      <div class="toolbar nlu-toolbar">
        <${SearchField} label="Find the synonym mapping a text" text=${query.mapped} placeholder="exact text"
          onSearch=${(mapped) => change({ mapped })} />
      </div>
      <${ErrorMessage} error=${synonyms.error} title="The synonyms could not be loaded" />
      ${synonyms.loading && !synonyms.data && html`<${Loading} what="Loading the synonyms" />`}
      ${synonyms.data?.length === 0 &&
      html`<${Empty}>${query.mapped ? "No synonym maps this text." : "There are no synonyms yet."}</${Empty}>`}
      ${synonyms.data?.length > 0 &&
      html`<ul class="synonym-list">
        ${synonyms.data.map(
          (synonym) => html`<${Synonym} key=${synonym.id} synonym=${synonym} onChanged=${synonyms.reload} can=${can} />`,
        )}
      </ul>`}
    </section>`}`;
}

function NewSynonym({ onCreated }) {
  const [reference, setReference] = useState("");
  const [mapped, setMapped] = useState("");
  const [problem, setProblem] = useState("");
  const [create, creating] = useAction(async () => {
    const synonym = await post(`${PROJECT}/synonyms`, { synonym_reference: reference.trim(), mapped_values: lines(mapped) });
    notify(`Added the synonym ${synonym.synonym_reference}.`);
    setReference("");
    setMapped("");
    onCreated();
  });
  const submit = (event) => {
    event.preventDefault();
    const missing = lines(mapped).length ? "" : "Write at least one text, one per line.";
    setProblem(missing);
    if (!missing) create();
  };
  return html`<form class="card synonym-form" onSubmit=${submit}>
    <h3 class="nlu-card-title">New synonym</h3>
    <div class="nlu-form-row">
      <${Field} label="Reference value" hint="The value Rasa extracts for each mapped text.">
        <input value=${reference} required onInput=${(event) => setReference(value(event))} />
      </${Field}>
      <${Field} label="Mapped texts" hint="One per line." error=${problem}>
        <textarea rows="3" value=${mapped} onInput=${(event) => setMapped(value(event))}></textarea>
      </${Field}>
    </div>
    <${ErrorMessage} error=${creating.error} title="Not added" />
    <${Button} type="submit" kind="primary" busy=${creating.busy}>Add synonym</${Button}>
  </form>`;
}

function Synonym({ synonym, onChanged, can }) {
  const [renaming, setRenaming] = useState(false);
  const [remove, removing] = useAction(async () => {
    await del(synonymPath(synonym.id));
    notify(`Deleted the synonym ${synonym.synonym_reference}.`);
    onChanged();
  });
  const [unmap, unmapping] = useAction(async (mapping) => {
    await del(`${synonymPath(synonym.id)}/${mapping.id}`);
    notify(`${mapping.value} no longer maps to ${synonym.synonym_reference}.`);
    onChanged();
  });
  const reference = synonym.synonym_reference;
  return html`<li class="card synonym">
    <div class="synonym-header">
      ${renaming
        ? html`<${RenameSynonym} synonym=${synonym} onDone=${(renamed) => (setRenaming(false), renamed && onChanged())} />`
        : html`<h3 class="nlu-card-title">${reference}</h3>`}
      <div class="actions">
        ${can(permissions.SYNONYMS_UPDATE) &&
        !renaming &&
        html`<${Button} kind="small" onClick=${() => setRenaming(true)} aria-label=${`Rename the synonym ${reference}`}>
          Rename
        </${Button}>`}
        ${can(permissions.SYNONYMS_DELETE) &&
        html`<${ConfirmButton} busy=${removing.busy} label=${`Delete the synonym ${reference}`}
          question=${`Delete ${reference} and its mapped texts?`} onConfirm=${remove}>Delete</${ConfirmButton}>`}
      </div>
    </div>
    <ul class="mapped-values" aria-label=${`Texts mapped to ${reference}`}>
      ${synonym.mapped_values.map(
        (mapping) => html`<li key=${mapping.id} class="mapped-value">
          <span>${mapping.value}</span>
          <small class="muted">${mapping.nlu_examples_count.toLocaleString()} examples</small>
          ${can(permissions.SYNONYMS_DELETE) &&
          html`<button type="button" class="button ghost small" disabled=${unmapping.busy}
            aria-label=${`Remove ${mapping.value} from ${reference}`} onClick=${() => unmap(mapping)}>✕</button>`}
        </li>`,
      )}
    </ul>
    <${ErrorMessage} error=${removing.error || unmapping.error} title="Not changed" />
    ${can(permissions.SYNONYMS_UPDATE) && html`<${MapText} synonym=${synonym} onMapped=${onChanged} />`}
  </li>`;
}

function RenameSynonym({ synonym, onDone }) {
  const [reference, setReference] = useState(synonym.synonym_reference);
  const input = useRef(null);
  useEffect(() => input.current?.select(), []);
  const [rename, renaming] = useAction(async () => {
    const renamed = await put(synonymPath(synonym.id), { synonym_reference: reference.trim() });
    notify(`Renamed the synonym to ${renamed.synonym_reference}.`);
    onDone(true);
  });
  return html`<form class="nlu-inline-form" onSubmit=${(event) => (event.preventDefault(), rename())}>
    <${Field} label="Reference value" error=${renaming.error?.message}>
      <input value=${reference} required ref=${input} onInput=${(event) => (setReference(value(event)), renaming.clearError())} />
    </${Field}>
    <div class="actions">
      <${Button} type="submit" kind="small primary" busy=${renaming.busy}>Save</${Button}>
      <${Button} kind="small ghost" onClick=${() => onDone(false)}>Cancel</${Button}>
    </div>
  </form>`;
}

function MapText({ synonym, onMapped }) {
  const [text, setText] = useState("");
  const [map, mapping] = useAction(async () => {
    await post(synonymPath(synonym.id), { mapped_values: [text.trim()] });
    notify(`${text.trim()} now maps to ${synonym.synonym_reference}.`);
    setText("");
    onMapped();
  });
  return html`<form class="toolbar nlu-toolbar map-text" onSubmit=${(event) => (event.preventDefault(), map())}>
    <${Field} label=${`Map another text to ${synonym.synonym_reference}`} error=${mapping.error?.message}>
      <input value=${text} required onInput=${(event) => (setText(value(event)), mapping.clearError())} />
    </${Field}>
    <${Button} type="submit" busy=${mapping.busy}>Add text</${Button}>
  </form>`;
}
