// Models: the stored Rasa models page by page (live as trainings add them), uploading, tagging, downloading, deleting.
import { del, download, page, request, upload } from "../api.js";
import { Dialog } from "../components/dialog.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { formatBytes } from "../components/model_format.js";
import { Time } from "../format.js";
import { Pager } from "../components/pager.js";
import { html, useEffect, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { usePush } from "../push.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const MODELS_PATH = "/api/projects/default/models";
const PAGE_SIZE = 20;
const ARCHIVE_SUFFIX = ".tar.gz";
const PRODUCTION = "production";
// The tags storage accepts (storage_service/queries/models.py).
const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TAG_RULE = "1 to 100 of A–Z a–z 0–9 . _ - starting with a letter or digit";
const FILTER_DELAY_MS = 300;

const modelPath = (name) => `${MODELS_PATH}/${encodeURIComponent(name)}`;

export default function Models({ query }) {
  const { can } = useSession();
  const offset = Number(query.offset) || 0;
  const tag = query.tag || "";
  const models = useApi((signal) => page(MODELS_PATH, { limit: PAGE_SIZE, offset, tag }, { signal }), [offset, tag]);
  const [fresh, setFresh] = useState(() => new Set());
  const [tagging, setTagging] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const show = (changes) => navigate("/models", { ...query, offset: undefined, ...changes }, { replace: true });

  const markFresh = (name) => setFresh((current) => new Set(current).add(name));
  usePush(can(permissions.MODEL_JOBS_LIST) ? "models" : null, (message) => {
    // Models added before the subscription took (or while the socket reconnected) were not pushed: catch up.
    if (message.type === "subscribed") models.reload();
    if (message.type !== "model_added" || offset !== 0 || tag) return;
    const model = message.model;
    markFresh(model.model);
    models.setData((current) =>
      !current || current.items.some((item) => item.model === model.model)
        ? current
        : { items: [model, ...current.items].slice(0, PAGE_SIZE), total: current.total + 1 },
    );
  });
  const uploaded = (model) => {
    markFresh(model.model);
    if (offset === 0 && !tag) models.reload();
    else show({ tag: undefined });
  };
  const deleted = (model) => {
    setDeleting(null);
    notify(`Model ${model.model} deleted.`);
    if (models.data?.items.length === 1 && offset > 0) show({ offset: Math.max(0, offset - PAGE_SIZE) || undefined });
    else models.reload();
  };

  return html`<h1>Models</h1>
    ${can(permissions.MODELS_CREATE) && html`<${UploadForm} onUploaded=${uploaded} />`}
    <section aria-labelledby="models-heading">
      <h2 id="models-heading">Stored models</h2>
      <div class="toolbar models-toolbar">
        <${TagFilter} tag=${tag} onChange=${(next) => show({ tag: next || undefined })} />
        ${can(permissions.MODEL_JOBS_LIST) && html`<a class="button" href="#/training-jobs">Train a model…</a>`}
      </div>
      <${ModelTable} models=${models} fresh=${fresh} onTag=${setTagging} onDelete=${setDeleting} onChanged=${models.reload}
        filtered=${Boolean(tag)} />
      ${models.data && models.data.total > PAGE_SIZE &&
      html`<${Pager} offset=${offset} limit=${PAGE_SIZE} total=${models.data.total} label="Models: pages"
        onChange=${(next) => show({ offset: next || undefined })} />`}
    </section>
    <${TagDialog} model=${tagging} onClose=${() => setTagging(null)}
      onTagged=${() => (setTagging(null), models.reload())} />
    <${DeleteDialog} model=${deleting} onClose=${() => setDeleting(null)} onDeleted=${deleted} />`;
}

/** "Only the model tagged …": the API's `tag` filter, applied once the user stops typing. */
function TagFilter({ tag, onChange }) {
  const [text, setText] = useState(tag);
  useEffect(() => setText(tag), [tag]);
  useEffect(() => {
    if (text.trim() === tag) return undefined;
    const timer = setTimeout(() => onChange(text.trim()), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return html`<${Field} label="Only the model tagged">
    <input type="search" value=${text} placeholder="e.g. production" onInput=${(event) => setText(value(event))} />
  </${Field}>`;
}

/** Upload a model archive with a progress bar; the API's refusal (not a Rasa model, a name taken) is shown here. */
function UploadForm({ onUploaded }) {
  const input = useRef(null);
  const [file, setFile] = useState(null);
  const [fileError, setFileError] = useState("");
  const [progress, setProgress] = useState(null);
  const [send, { busy, error }] = useAction(async () => {
    setProgress(0);
    const form = new FormData();
    form.append("model", file);
    try {
      const model = await upload("POST", MODELS_PATH, form, setProgress);
      notify(`Model ${model.model} uploaded.`);
      input.current.value = "";
      setFile(null);
      onUploaded(model);
    } catch (caught) {
      setProgress(null);
      throw caught;
    }
  });
  const choose = (event) => {
    const chosen = event.currentTarget.files[0] || null;
    setFile(chosen);
    setProgress(null);
    const wrongKind = chosen && !chosen.name.endsWith(ARCHIVE_SUFFIX);
    setFileError(wrongKind ? `Choose a Rasa model archive: a file ending in ${ARCHIVE_SUFFIX}.` : "");
  };
  const submit = (event) => {
    event.preventDefault();
    if (!file) setFileError("Choose a model archive first.");
    else if (!fileError) send();
  };
  const percent = progress === null ? null : Math.round(progress * 100);
  return html`<form class="card upload-form" aria-labelledby="upload-heading" onSubmit=${submit}>
    <h2 id="upload-heading">Upload a model</h2>
    <div class="toolbar">
      <${Field} label="Model archive" error=${fileError}
        hint="A .tar.gz made by rasa train; its file name names the model.">
        <input type="file" ref=${input} accept=".gz,application/gzip" onChange=${choose} disabled=${busy} />
      </${Field}>
      <${Button} type="submit" kind="primary" busy=${busy}>${busy ? "Uploading…" : "Upload"}</${Button}>
    </div>
    ${percent !== null &&
    html`<div class="upload-progress">
      <progress class="progress" max="100" value=${percent} aria-label="Upload progress"></progress>
      <span aria-live="polite">${percent}%</span>
    </div>`}
    <${ErrorMessage} error=${error} title="Not uploaded" />
  </form>`;
}

function ModelTable({ models, fresh, filtered, onTag, onDelete, onChanged }) {
  if (models.error) return html`<${ErrorMessage} error=${models.error} title="The models could not be loaded" />`;
  if (!models.data) return html`<${Loading} what="Loading the models" />`;
  if (models.data.items.length === 0) {
    const why = filtered ? "No model has this tag." : "No model yet: upload one, or train one under Training.";
    return html`<${Empty}>${why}</${Empty}>`;
  }
  return html`<div class="table-wrap models-table-wrap" aria-busy=${models.loading ? "true" : undefined}>
    <table class="models-table">
      <caption class="visually-hidden">Stored models, newest upload first</caption>
      <thead>
        <tr>
          <th scope="col">Model</th><th scope="col">Tags</th><th scope="col">Trained</th><th scope="col">Uploaded</th>
          <th scope="col">Size</th><th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${models.data.items.map(
          (model) => html`<${ModelRow} key=${model.model} model=${model} fresh=${fresh.has(model.model)}
            onTag=${onTag} onDelete=${onDelete} onChanged=${onChanged} />`,
        )}
      </tbody>
    </table>
  </div>`;
}

function ModelRow({ model, fresh, onTag, onDelete, onChanged }) {
  const { can } = useSession();
  const mayTag = can(permissions.MODEL_TAGS_UPDATE);
  const [fetchArchive, downloading] = useAction(() => download(modelPath(model.model), model.path));
  const [untag, untagging] = useAction(async (tag) => {
    await request("DELETE", `${modelPath(model.model)}/tags/${encodeURIComponent(tag)}`);
    notify(`Tag ${tag} taken from ${model.model}.`);
    onChanged();
  });
  return html`<tr class=${fresh ? "fresh" : ""}>
    <th scope="row" class="model-name">
      <span class="model-title">${model.model}</span>
      ${fresh && html` <span class="badge ok">new</span>`}
      <span class="model-meta muted">
        <span>Rasa ${model.version || "?"}</span>
        ${model.model_id && html`<span>id <code title=${model.model_id}>${model.model_id.slice(0, 8)}</code></span>`}
        <span>sha256 <code title=${model.hash}>${model.hash.slice(0, 12)}</code></span>
      </span>
      ${!model.is_compatible && html`<span class="badge warn">Rasa 3 servers cannot load it</span>`}
    </th>
    <td>
      <ul class="model-tags" aria-label=${`Tags of ${model.model}`}>
        ${model.tags.map(
          (tag) => html`<li key=${tag} class="badge ${tag === PRODUCTION ? "ok" : ""}">
            ${tag}
            ${mayTag &&
            html`<button type="button" class="tag-remove" disabled=${untagging.busy} onClick=${() => untag(tag)}
              aria-label=${`Remove tag ${tag} from ${model.model}`} title="Remove this tag">✕</button>`}
          </li>`,
        )}
      </ul>
      ${model.tags.length === 0 && html`<span class="muted">none</span>`}
    </td>
    <td><${Time} seconds=${model.trained_at} /></td>
    <td><${Time} seconds=${model.uploaded_at} /></td>
    <td class="model-size">${formatBytes(model.size_bytes)}</td>
    <td>
      <div class="actions">
        ${mayTag &&
        html`<${Button} kind="small" onClick=${() => onTag(model)} aria-label=${`Tag ${model.model}`}>Tag…</${Button}>`}
        ${can(permissions.MODELS_GET) &&
        html`<${Button} kind="small" busy=${downloading.busy} onClick=${fetchArchive}
          aria-label=${`Download ${model.model}`}>Download</${Button}>`}
        ${can(permissions.MODELS_DELETE) &&
        html`<${Button} kind="small danger" onClick=${() => onDelete(model)}
          aria-label=${`Delete ${model.model}`}>Delete</${Button}>`}
      </div>
      <${ErrorMessage} error=${downloading.error} title="Not downloaded" />
      <${ErrorMessage} error=${untagging.error} title="Tag not removed" />
    </td>
  </tr>`;
}

function TagDialog({ model, onClose, onTagged }) {
  const [tag, setTag] = useState(PRODUCTION);
  const [tagError, setTagError] = useState("");
  const [save, { busy, error, clearError }] = useAction(async () => {
    await request("PUT", `${modelPath(model.model)}/tags/${encodeURIComponent(tag)}`);
    notify(`${model.model} tagged ${tag}.`);
    onTagged();
  });
  useEffect(() => {
    if (!model) return;
    setTag(PRODUCTION);
    setTagError("");
    clearError();
  }, [model]);
  const submit = (event) => {
    event.preventDefault();
    const problem = TAG_PATTERN.test(tag) ? "" : `A tag is ${TAG_RULE}.`;
    setTagError(problem);
    if (!problem) save();
  };
  return html`<${Dialog} title=${model ? `Tag ${model.model}` : "Tag a model"} open=${Boolean(model)} onClose=${onClose}>
    <form onSubmit=${submit} novalidate>
      <${Field} label="Tag" error=${tagError}
        hint="A tag is on one model at most: tagging takes it from the model that has it. Rasa servers load the
          model tagged production.">
        <input value=${tag} list="model-tag-suggestions" autocomplete="off" autofocus required maxlength="100"
          onInput=${(event) => setTag(value(event))} />
      </${Field}>
      <datalist id="model-tag-suggestions"><option value=${PRODUCTION}></option></datalist>
      <${ErrorMessage} error=${error} title="Not tagged" />
      <div class="actions">
        <${Button} type="submit" kind="primary" busy=${busy}>Tag</${Button}>
        <${Button} kind="ghost" onClick=${onClose}>Cancel</${Button}>
      </div>
    </form>
  </${Dialog}>`;
}

function DeleteDialog({ model, onClose, onDeleted }) {
  const [remove, { busy, error, clearError }] = useAction(async () => {
    await del(modelPath(model.model));
    onDeleted(model);
  });
  useEffect(() => clearError(), [model]);
  return html`<${Dialog} title="Delete a model" open=${Boolean(model)} onClose=${onClose}>
    ${model &&
    html`<p>Delete <strong>${model.model}</strong> with its archive? This cannot be undone.</p>
      ${model.tags.length > 0 &&
      html`<p class="model-notice warn">
        It is tagged <strong>${model.tags.join(", ")}</strong>: Rasa servers that pull
        ${model.tags.length > 1 ? " these tags" : " this tag"} will find no model until another is tagged.
      </p>`}
      <${ErrorMessage} error=${error} title="Not deleted" />
      <div class="actions">
        <${Button} kind="danger" busy=${busy} onClick=${remove}>Delete model</${Button}>
        <${Button} kind="ghost" onClick=${onClose} autofocus>Keep it</${Button}>
      </div>`}
  </${Dialog}>`;
}
