// The NLU inbox (Rasa X's "annotate new data"): what users said that is not training data yet. Annotating a message
// saves it as a training example (POST …/training_examples), which also takes it out of the inbox.
import { del, get, page, post } from "../api.js";
import { Annotator } from "../components/annotator.js";
import { Dialog } from "../components/dialog.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { ConfirmButton } from "../components/nlu_confirm.js";
import { NameFilter, SearchField, useFragmentFilters } from "../components/nlu_filters.js";
import { entitiesFromApi, entitiesToApi, MarkedText, PROJECT } from "../components/nlu_text.js";
import { Pager, useLastPageInRange } from "../components/pager.js";
import { Time } from "../format.js";
import { html, useEffect, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const LIMIT = 20;
const ORDERS = {
  newest: { sort_by: "time", sort_order: "desc", label: "Newest first" },
  oldest: { sort_by: "time", sort_order: "asc", label: "Oldest first" },
  unsure: { sort_by: "confidence", sort_order: "asc", label: "Least confident first" },
  sure: { sort_by: "confidence", sort_order: "desc", label: "Most confident first" },
};
const CONFIRMING = { doing: "Confirming", did: "Confirmed" };
const DELETING = { doing: "Deleting", did: "Deleted" };

export default function NluInbox({ query }) {
  const { can } = useSession();
  const change = useFragmentFilters("/nlu-inbox", query);
  const offset = Math.max(0, Number(query.offset) || 0);
  const order = ORDERS[query.order] ? query.order : "newest";
  const includeTrained = query.trained === "1";
  const list = useApi(
    (signal) =>
      page(
        `${PROJECT}/logs`,
        {
          q: query.q,
          intent: query.intent,
          sort_by: ORDERS[order].sort_by,
          sort_order: ORDERS[order].sort_order,
          exclude_training_data: !includeTrained,
          limit: LIMIT,
          offset,
        },
        { signal },
      ),
    [query.q, query.intent, order, includeTrained, offset],
  );
  const [selected, setSelected] = useState(() => new Map());
  const [annotating, setAnnotating] = useState(null);
  const items = list.data?.items || [];
  const total = list.data?.total || 0;

  useLastPageInRange({ loading: list.loading, shown: items.length, offset, total, limit: LIMIT, onChange: (to) => change({ offset: String(to) }) });

  const toggle = (item) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(item.id)) next.delete(item.id);
      else next.set(item.id, item);
      return next;
    });
  const left = (item) => {
    setSelected((current) => {
      const next = new Map(current);
      next.delete(item.id);
      return next;
    });
    list.reload();
  };

  return html`<h1>NLU inbox</h1>
    <p class="muted">What users said that is not training data yet. Annotate a message to add it to the training data.</p>
    <${InboxFilters} query=${query} order=${order} includeTrained=${includeTrained} change=${change} />
    <${BulkActions} items=${items} selected=${selected} setSelected=${setSelected} onDone=${list.reload}
      canConfirm=${can(permissions.EXAMPLES_CREATE)} canDelete=${can(permissions.LOGS_DELETE)} />
    <${ErrorMessage} error=${list.error} title="The inbox could not be loaded" />
    ${list.loading && !list.data && html`<${Loading} what="Loading the inbox" />`}
    ${list.data &&
    items.length === 0 &&
    html`<${Empty}>${query.q || query.intent ? "No message matches these filters." : "The inbox is empty."}</${Empty}>`}
    ${items.length > 0 &&
    html`<ul class="inbox-list" aria-label="Inbox messages" aria-busy=${list.loading ? "true" : undefined}>
      ${items.map(
        (item) => html`<${InboxItem} key=${item.id} item=${item} checked=${selected.has(item.id)} onToggle=${() => toggle(item)}
          onAnnotate=${() => setAnnotating(item)} onDeleted=${() => left(item)} canAnnotate=${can(permissions.EXAMPLES_CREATE)}
          canDelete=${can(permissions.LOGS_DELETE)} />`,
      )}
    </ul>`}
    ${total > 0 && html`<${Pager} offset=${offset} limit=${LIMIT} total=${total} label="Inbox pages"
      onChange=${(next) => change({ offset: String(next) })} />`}
    <${Dialog} title="Annotate message" open=${!!annotating} onClose=${() => setAnnotating(null)}>
      ${annotating &&
      html`<${AnnotateMessage} item=${annotating} canDelete=${can(permissions.LOGS_DELETE)}
        onLeft=${(item) => (setAnnotating(null), left(item))} />`}
    </${Dialog}>`;
}

function InboxFilters({ query, order, includeTrained, change }) {
  const intents = useApi(() => get(`${PROJECT}/intents`), []);
  return html`<div class="toolbar nlu-toolbar">
    <${SearchField} label="Search messages" text=${query.q} onSearch=${(q) => change({ q })} />
    <${NameFilter} label="Predicted intent" anyLabel="Any intent" chosen=${query.intent}
      names=${(intents.data || []).map((item) => item.intent)} onChoose=${(intent) => change({ intent })} />
    <${Field} label="Order">
      <select value=${order} onChange=${(event) => change({ order: value(event) })}>
        ${Object.entries(ORDERS).map(([key, { label }]) => html`<option value=${key} key=${key}>${label}</option>`)}
      </select>
    </${Field}>
    <label class="nlu-checkbox">
      <input type="checkbox" checked=${includeTrained}
        onChange=${(event) => change({ trained: event.currentTarget.checked ? "1" : "" })} />
      Include messages already in the training data
    </label>
  </div>`;
}

function InboxItem({ item, checked, onToggle, onAnnotate, onDeleted, canAnnotate, canDelete }) {
  const [remove, removing] = useAction(async () => {
    await deleteMessage(item);
    notify(`Deleted “${short(item.text)}” from the inbox.`);
    onDeleted();
  });
  return html`<li class="inbox-item ${checked ? "selected" : ""}">
    <input type="checkbox" class="inbox-check" checked=${checked} onChange=${onToggle} aria-label=${`Select “${item.text}”`} />
    <div class="inbox-body">
      <p class="inbox-text"><${MarkedText} text=${item.text} entities=${item.user_input?.entities} /></p>
      <p class="inbox-meta"><${Prediction} item=${item} /></p>
      <${ErrorMessage} error=${removing.error} title="Not deleted" />
    </div>
    <div class="actions inbox-actions">
      ${canAnnotate && html`<${Button} kind="small" onClick=${onAnnotate} aria-label=${`Annotate “${item.text}”`}>Annotate</${Button}>`}
      ${canDelete &&
      html`<${Button} kind="small danger" busy=${removing.busy} onClick=${remove} aria-label=${`Delete “${item.text}” from the inbox`}>
        Delete
      </${Button}>`}
    </div>
  </li>`;
}

/** The predicted intent and its confidence, the conversation it came from and when. */
function Prediction({ item }) {
  const confidence = item.intent && item.confidence !== null ? item.confidence : null;
  const level = confidence === null ? "neutral" : confidence < 0.5 ? "danger" : confidence < 0.8 ? "warn" : "ok";
  return html`<span class="badge neutral">${item.intent || "no intent predicted"}</span>
    ${confidence !== null && html` <span class="badge ${level}" title="Confidence">${Math.round(confidence * 100)}%</span>`}
    ${item.conversation_id &&
    html` · <a href=${href(`/conversations/${encodeURIComponent(item.conversation_id)}`)}>conversation ${item.conversation_id}</a>`}
    <span class="muted"> · <${Time} seconds=${item.time} /></span>`;
}

function AnnotateMessage({ item, canDelete, onLeft }) {
  const [save, saving] = useAction(async (example) => {
    await post(`${PROJECT}/training_examples`, example);
    notify(`Added “${short(example.text)}” to the training data as ${example.intent}.`);
    onLeft(item);
  });
  const [remove, removing] = useAction(async () => {
    await deleteMessage(item);
    notify(`Deleted “${short(item.text)}” from the inbox.`);
    onLeft(item);
  });
  return html`<p class="inbox-meta annotate-meta"><${Prediction} item=${item} /></p>
    <${Annotator} initial=${{ text: item.text, intent: item.intent || "", entities: item.user_input?.entities }}
      textLabel="Message" submitLabel="Add to training data" busy=${saving.busy} error=${saving.error} onSubmit=${save}>
      ${canDelete && html`<${Button} kind="danger" busy=${removing.busy} onClick=${remove}>Delete from inbox</${Button}>`}
    </${Annotator}>
    <${ErrorMessage} error=${removing.error} title="Not deleted" />`;
}

/** The selection's actions, run one message at a time with progress; the ones that fail stay selected. */
function BulkActions({ items, selected, setSelected, onDone, canConfirm, canDelete }) {
  const [run, setRun] = useState(null);
  const selectAll = useRef(null);
  const onPage = items.filter((item) => selected.has(item.id)).length;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = onPage > 0 && onPage < items.length;
  }, [onPage, items.length]);

  const togglePage = (checked) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const item of items) {
        if (checked) next.set(item.id, item);
        else next.delete(item.id);
      }
      return next;
    });

  const runOnSelected = async (words, action) => {
    const chosen = [...selected.values()];
    const failures = [];
    const report = (done, running) => setRun({ ...words, done, total: chosen.length, failures: [...failures], running });
    report(0, true);
    for (const [index, item] of chosen.entries()) {
      try {
        await action(item);
      } catch (error) {
        failures.push({ item, error });
      }
      report(index + 1, true);
    }
    report(chosen.length, false);
    const failed = new Set(failures.map(({ item }) => item.id));
    const succeeded = new Set(chosen.filter((item) => !failed.has(item.id)).map((item) => item.id));
    setSelected((current) => new Map([...current].filter(([id]) => !succeeded.has(id))));
    const outcome = `${words.did} ${chosen.length - failures.length} of ${chosen.length}`;
    notify(failures.length ? `${outcome}; ${failures.length} failed.` : `${outcome}.`, failures.length ? "error" : "info");
    onDone();
  };

  const running = run?.running;
  const count = selected.size;
  return html`<section class="bulk-actions" aria-label="Selected messages">
    <div class="actions">
      <label class="nlu-checkbox">
        <input type="checkbox" ref=${selectAll} checked=${items.length > 0 && onPage === items.length}
          disabled=${items.length === 0 || running} onChange=${(event) => togglePage(event.currentTarget.checked)} />
        Select all on this page
      </label>
      <span class="muted">${count} selected</span>
      ${canConfirm &&
      html`<${Button} kind="small primary" disabled=${!count || running} onClick=${() => runOnSelected(CONFIRMING, confirmAsPredicted)}>
        Confirm selected as predicted
      </${Button}>`}
      ${canDelete &&
      html`<${ConfirmButton} disabled=${!count || running} question=${`Delete ${count} message${count === 1 ? "" : "s"} from the inbox?`}
        onConfirm=${() => runOnSelected(DELETING, deleteMessage)}>Delete selected</${ConfirmButton}>`}
      ${count > 0 && !running && html`<${Button} kind="small ghost" onClick=${() => setSelected(new Map())}>Clear selection</${Button}>`}
    </div>
    ${run && html`<${BulkProgress} run=${run} />`}
  </section>`;
}

function BulkProgress({ run }) {
  return html`<div class="bulk-progress">
    ${run.running && html`<progress class="progress" max=${run.total} value=${run.done} aria-label="Progress"></progress>`}
    <p role="status">
      ${run.running ? `${run.doing} ${run.done} of ${run.total}…` : `${run.did} ${run.total - run.failures.length} of ${run.total}.`}
    </p>
    ${!run.running &&
    run.failures.length > 0 &&
    html`<div class="error" role="alert">
      ${run.failures.length} failed and stay selected:
      <ul class="error-details">
        ${run.failures.map(({ item, error }) => html`<li key=${item.id}>“${short(item.text)}”: ${error.message}</li>`)}
      </ul>
    </div>`}
  </div>`;
}

/** Save a message as the model predicted it: its intent and the entities that have a place in the text. */
async function confirmAsPredicted(item) {
  if (!item.intent) throw new Error("no intent was predicted: annotate it instead");
  const entities = entitiesFromApi(item.text, item.user_input?.entities);
  await post(`${PROJECT}/training_examples`, {
    text: item.text,
    intent: item.intent,
    entities: entitiesToApi(item.text, entities),
  });
}

async function deleteMessage(item) {
  try {
    await del(`${PROJECT}/logs/${item.id}`);
  } catch (error) {
    if (error.status !== 404) throw error;
  }
}

function short(text) {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
