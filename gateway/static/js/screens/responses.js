// The bot's responses: a searchable list of response names, and the chosen one's variations to add, edit or delete.
import { del, get, page, post, put } from "../api.js";
import { ConfirmDialog } from "../components/confirm.js";
import { NameList, SearchBox } from "../components/editor_list.js";
import { VariationForm, VariationView } from "../components/editor_variation.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { Pager } from "../components/pager.js";
import { html, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href, navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const PATH = "/training/responses";
const NAMES_PER_PAGE = 50;
const VARIATIONS_PER_PAGE = 20;
const NAME_RULE = /^utter_\S+$/;
const NAME_HINT = "Starts with utter_ and has no spaces, e.g. utter_greet.";

export default function Responses({ query }) {
  const { can } = useSession();
  const offset = Number(query.offset) || 0;
  // `new` holds the name the new-response form starts with (links from the domain's warnings suggest one).
  const creating = query.new !== undefined;
  const selected = creating ? "" : query.name || "";
  const groups = useApi((signal) => get("/api/responseGroups", { q: query.q }, { signal }), [query.q]);
  const go = (changes, options) => navigate(PATH, { ...query, ...changes }, options);
  // The API lists every matching name at once; only a page of them is drawn.
  const shown = (groups.data || []).slice(offset, offset + NAMES_PER_PAGE);

  return html`<h1>Responses</h1>
    <div class="editor-layout ${selected || creating ? "has-selection" : ""}">
      <section class="editor-list" aria-label="Response names">
        <div class="toolbar">
          <${SearchBox} label="Search responses" placeholder="Part of the name" value=${query.q || ""}
            onSearch=${(q) => go({ q, offset: undefined }, { replace: true })} />
          ${can(permissions.RESPONSES_CREATE) &&
          html`<a class="button primary" href=${href(PATH, { q: query.q, new: "utter_" })}>New response</a>`}
        </div>
        <${ErrorMessage} error=${groups.error} title="The responses could not be loaded" />
        ${groups.loading && !groups.data && html`<${Loading} what="Loading responses" />`}
        ${groups.data?.length === 0 &&
        html`<${Empty}>${query.q ? `No response names contain “${query.q}”.` : "No responses yet."}<//>`}
        <${NameList}
          label="Response names"
          current=${selected}
          items=${shown.map((group) => ({
            key: group.name,
            label: group.name,
            meta: group.variation_count === 1 ? "1 variation" : `${group.variation_count} variations`,
            href: href(PATH, { q: query.q, offset: query.offset, name: group.name }),
          }))}
        />
        ${groups.data?.length > NAMES_PER_PAGE &&
        html`<${Pager} offset=${offset} limit=${NAMES_PER_PAGE} total=${groups.data.length} label="Pages of response names"
          onChange=${(next) => go({ offset: next || undefined }, { replace: true })} />`}
      </section>
      <section class="editor-detail" aria-label="The response">
        ${(selected || creating) &&
        html`<a class="editor-back" href=${href(PATH, { q: query.q, offset: query.offset })}>← All responses</a>`}
        ${creating &&
        html`<${NewResponse}
          key=${query.new}
          suggested=${query.new}
          onCreated=${(name) => {
            groups.reload();
            go({ new: undefined, name });
          }}
        />`}
        ${selected &&
        html`<${ResponseVariations}
          key=${selected}
          name=${selected}
          onChanged=${groups.reload}
          onRenamed=${(name) => {
            groups.reload();
            go({ name }, { replace: true });
          }}
          onEmptied=${() => {
            groups.reload();
            go({ name: undefined }, { replace: true });
          }}
        />`}
        ${!selected && !creating && html`<${Empty}>Choose a response to see and edit its variations.<//>`}
      </section>
    </div>`;
}

/** A new response: its name and its first variation (a response exists through its variations). */
function NewResponse({ suggested, onCreated }) {
  const [name, setName] = useState(suggested || "utter_");
  const [nameError, setNameError] = useState("");
  const nameInput = useRef(null);
  const [create, creating] = useAction(async (content) => {
    const stored = await post("/api/responses", { response_name: name.trim(), ...content });
    notify(`Added the response ${stored.response_name}.`);
    onCreated(stored.response_name);
  });
  // The API's complaint about the name belongs at the name field, any other at the form's foot.
  const nameFault = creating.error?.message.includes("response_name") ? creating.error : null;
  const submit = (content) => {
    const problem = NAME_RULE.test(name.trim()) ? "" : `“${name}” is no response name: ${NAME_HINT}`;
    setNameError(problem);
    if (problem) nameInput.current?.focus();
    else create(content);
  };
  return html`<div class="editor-pane">
    <h2>New response</h2>
    <${VariationForm}
      submitLabel="Add the response"
      busy=${creating.busy}
      error=${nameFault ? null : creating.error}
      onSubmit=${submit}
      before=${html`<${Field} label="Response name" error=${nameError || nameFault?.message} hint=${NAME_HINT}>
        <input ref=${nameInput} value=${name} autocomplete="off" spellcheck=${false}
          onInput=${(event) => setName(value(event))} />
      <//>`}
    />
  </div>`;
}

/** The variations of one response, a page at a time, each editable in place; and renaming the response. */
function ResponseVariations({ name, onChanged, onRenamed, onEmptied }) {
  const { can } = useSession();
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const [renaming, setRenaming] = useState(false);
  const variations = useApi(
    (signal) => page("/api/responses", { response_name: name, limit: VARIATIONS_PER_PAGE, offset }, { signal }),
    [name, offset],
  );
  const [save, saving] = useAction(async (content) => {
    if (editing === "new") {
      await post("/api/responses", { response_name: name, ...content });
      notify(`Added a variation to ${name}.`);
    } else {
      await put(`/api/responses/${editing}`, { response_name: name, ...content });
      notify(`Saved the variation of ${name}.`);
    }
    setEditing(null);
    variations.reload();
    onChanged();
  });
  const [remove, removing] = useAction(async () => {
    await del(`/api/responses/${deleting.id}`);
    notify(`Deleted a variation of ${name}.`);
    setDeleting(null);
    if (variations.data.total === 1) onEmptied();
    else {
      variations.reload();
      onChanged();
    }
  });
  const edit = (id) => {
    saving.clearError();
    setEditing(id);
  };
  const mayUpdate = can(permissions.RESPONSES_UPDATE);
  const mayDelete = can(permissions.RESPONSES_DELETE);
  const data = variations.data;

  return html`<div class="editor-pane">
    <div class="response-heading">
      <h2>${name}</h2>
      ${mayUpdate && !renaming && html`<${Button} kind="small" onClick=${() => setRenaming(true)}>Rename<//>`}
    </div>
    ${renaming && html`<${RenameResponse} name=${name} onCancel=${() => setRenaming(false)} onRenamed=${onRenamed} />`}
    <${ErrorMessage} error=${variations.error} title="The variations could not be loaded" />
    ${variations.loading && !data && html`<${Loading} what="Loading the variations" />`}
    ${data &&
    html`<p class="muted">
        ${data.total === 1 ? "1 variation" : `${data.total} variations`}; the bot picks one of those that fit.
      </p>
      <ol class="variations">
        ${data.items.map(
          (variation, index) => html`<li class="card variation" key=${variation.id}>
            <h3 class="variation-title">Variation ${offset + index + 1}</h3>
            ${editing === variation.id
              ? html`<${VariationForm} initial=${variation} submitLabel="Save the variation" busy=${saving.busy}
                  error=${saving.error} onSubmit=${save} onCancel=${() => setEditing(null)} />`
              : html`<${VariationView} variation=${variation} />
                  <div class="actions">
                    ${mayUpdate && html`<${Button} kind="small" onClick=${() => edit(variation.id)}>Edit<//>`}
                    ${mayDelete && html`<${Button} kind="small danger" onClick=${() => setDeleting(variation)}>Delete<//>`}
                  </div>`}
          </li>`,
        )}
      </ol>
      ${data.total > VARIATIONS_PER_PAGE &&
      html`<${Pager} offset=${offset} limit=${VARIATIONS_PER_PAGE} total=${data.total} label="Pages of variations"
        onChange=${setOffset} />`}`}
    ${can(permissions.RESPONSES_CREATE) &&
    (editing === "new"
      ? html`<div class="card variation">
          <h3 class="variation-title">New variation</h3>
          <${VariationForm} submitLabel="Add the variation" busy=${saving.busy} error=${saving.error} onSubmit=${save}
            onCancel=${() => setEditing(null)} />
        </div>`
      : html`<${Button} kind="primary" onClick=${() => edit("new")}>Add a variation<//>`)}
    <${ConfirmDialog}
      title="Delete this variation?"
      open=${deleting !== null}
      onClose=${() => {
        removing.clearError();
        setDeleting(null);
      }}
      onConfirm=${remove}
      confirmLabel="Delete the variation"
      busy=${removing.busy}
      error=${removing.error}
    >
      ${deleting && html`<${VariationView} variation=${deleting} />`}
      ${data?.total === 1 && html`<p>It is the only variation: ${name} will be gone with it.</p>`}
    <//>
  </div>`;
}

/** Renaming a response everywhere: its variations, the domain, stories and rules. */
function RenameResponse({ name, onCancel, onRenamed }) {
  const [newName, setNewName] = useState(name);
  const [problem, setProblem] = useState("");
  const [rename, renaming] = useAction(async () => {
    const renamed = await put(`/api/responseGroups/${encodeURIComponent(name)}`, { name: newName.trim() });
    notify(`Renamed ${name} to ${renamed.name} in the responses, the domain, stories and rules.`);
    onRenamed(renamed.name);
  });
  const submit = (event) => {
    event.preventDefault();
    const wrong = NAME_RULE.test(newName.trim()) ? "" : NAME_HINT;
    setProblem(wrong);
    if (!wrong) rename();
  };
  return html`<form class="card rename-form" onSubmit=${submit}>
    <${Field} label="New name" error=${problem || renaming.error?.message}
      hint="Stories, rules and the domain follow the new name.">
      <input value=${newName} spellcheck=${false} onInput=${(event) => setNewName(value(event))} />
    <//>
    <div class="actions">
      <${Button} kind="primary" type="submit" busy=${renaming.busy}>Rename<//>
      <${Button} onClick=${onCancel}>Cancel<//>
    </div>
  </form>`;
}
