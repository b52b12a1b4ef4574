// Stories, rules and test stories: a searchable, paged list of names, and the chosen one as YAML to edit.
import { del, get, page, request } from "../api.js";
import { ConfirmDialog } from "../components/confirm.js";
import { NameList, SearchBox } from "../components/editor_list.js";
import { EditorTabs } from "../components/editor_tabs.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button } from "../components/form.js";
import { Pager } from "../components/pager.js";
import { confirmDiscard, YamlEditor } from "../components/yaml_editor.js";
import { html, useEffect, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href, navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const PATH = "/training/stories";
const LIMIT = 25;
const YAML = "application/x-yaml";

const KINDS = [
  {
    key: "stories",
    label: "Stories",
    noun: "story",
    permissions: [permissions.STORIES_LIST, permissions.STORIES_CREATE, permissions.STORIES_UPDATE, permissions.STORIES_DELETE],
    template: "- story: A new story\n  steps:\n  - intent: greet\n  - action: utter_greet\n",
  },
  {
    key: "rules",
    label: "Rules",
    noun: "rule",
    permissions: [permissions.RULES_LIST, permissions.RULES_CREATE, permissions.RULES_UPDATE, permissions.RULES_DELETE],
    template: "- rule: A new rule\n  steps:\n  - intent: goodbye\n  - action: utter_goodbye\n",
  },
  {
    key: "test_stories",
    label: "Test stories",
    noun: "test story",
    permissions: [
      permissions.TEST_STORIES_LIST,
      permissions.TEST_STORIES_CREATE,
      permissions.TEST_STORIES_UPDATE,
      permissions.TEST_STORIES_DELETE,
    ],
    template: "- story: A new test story\n  steps:\n  - user: |\n      hello\n    intent: greet\n  - action: utter_greet\n",
  },
];

export default function Stories({ query }) {
  const { can } = useSession();
  const kinds = KINDS.filter((kind) => can(kind.permissions[0]));
  const kind = kinds.find((candidate) => candidate.key === query.kind) || kinds[0];
  const [, mayCreate] = kind.permissions.map(can);
  const plural = kind.label.toLowerCase();
  const offset = Number(query.offset) || 0;
  const selected = query.id || "";
  const unsaved = useRef(false);
  const list = useApi(
    (signal) => page(`/api/${kind.key}`, { q: query.q, limit: LIMIT, offset }, { signal }),
    [kind.key, query.q, offset],
  );
  const go = (changes, options) => navigate(PATH, { ...query, ...changes }, options);
  const leave = () => {
    if (!confirmDiscard(unsaved.current)) return false;
    unsaved.current = false;
    return true;
  };

  return html`<h1>Stories & rules</h1>
    <${EditorTabs}
      label="Kinds of story"
      current=${kind.key}
      onFollow=${leave}
      tabs=${kinds.map((other) => ({ key: other.key, label: other.label, href: href(PATH, { kind: other.key }) }))}
    />
    <div class="editor-layout ${selected ? "has-selection" : ""}">
      <section class="editor-list" aria-label=${kind.label}>
        <div class="toolbar">
          <${SearchBox} label=${`Search ${plural}`} placeholder="Name or YAML" value=${query.q || ""}
            onSearch=${(q) => go({ q, offset: undefined }, { replace: true })} />
          ${mayCreate && html`<${Button} kind="primary" onClick=${() => leave() && go({ id: "new" })}>New ${kind.noun}<//>`}
        </div>
        <${ErrorMessage} error=${list.error} title=${`The ${plural} could not be loaded`} />
        ${list.loading && !list.data && html`<${Loading} what=${`Loading ${plural}`} />`}
        ${list.data && list.data.total === 0 &&
        html`<${Empty}>${query.q ? `No ${plural} match “${query.q}”.` : `No ${plural} yet.`}<//>`}
        ${list.data &&
        html`<${NameList}
            label=${kind.label}
            current=${selected}
            onFollow=${leave}
            items=${list.data.items.map((item) => ({
              key: item.id,
              label: item.name,
              meta: item.filename,
              href: href(PATH, { ...query, id: item.id }),
            }))}
          />
          ${list.data.total > LIMIT &&
          html`<${Pager} offset=${offset} limit=${LIMIT} total=${list.data.total} label=${`Pages of ${plural}`}
            onChange=${(next) => go({ offset: next || undefined }, { replace: true })} />`}`}
      </section>
      <section class="editor-detail" aria-label=${`The ${kind.noun}`}>
        ${selected &&
        html`<a class="editor-back" href=${href(PATH, { ...query, id: undefined })}
          onClick=${(event) => leave() || event.preventDefault()}>← All ${plural}</a>`}
        ${selected
          ? html`<${StoryPane}
              key=${`${kind.key}:${selected}`}
              kind=${kind}
              id=${selected}
              onDirty=${(dirty) => (unsaved.current = dirty)}
              onSaved=${(stored) => {
                list.reload();
                if (selected === "new") go({ id: stored.id }, { replace: true });
              }}
              onDeleted=${() => {
                unsaved.current = false;
                list.reload();
                go({ id: undefined }, { replace: true });
              }}
            />`
          : html`<${Empty}>Choose a ${kind.noun} from the list${mayCreate ? `, or create a new one` : ""}.<//>`}
      </section>
    </div>`;
}

/** The selected story (or a new one from the template), loaded and handed to its editor. */
function StoryPane({ kind, id, onDirty, onSaved, onDeleted }) {
  const isNew = id === "new";
  const story = useApi(
    (signal) => (isNew ? Promise.resolve(null) : get(`/api/${kind.key}/${encodeURIComponent(id)}`, {}, { signal })),
    [kind.key, id],
  );
  if (story.error) return html`<${ErrorMessage} error=${story.error} title=${`The ${kind.noun} could not be loaded`} />`;
  if (story.loading) return html`<${Loading} what=${`Loading the ${kind.noun}`} />`;
  return html`<${StoryEditor} kind=${kind} item=${story.data} onDirty=${onDirty} onSaved=${onSaved} onDeleted=${onDeleted} />`;
}

function StoryEditor({ kind, item, onDirty, onSaved, onDeleted }) {
  const { can } = useSession();
  const [, mayCreate, mayUpdate, mayDelete] = kind.permissions.map(can);
  const [saved, setSaved] = useState(item ? item.story : kind.template);
  const [text, setText] = useState(saved);
  const [name, setName] = useState(item ? item.name : `New ${kind.noun}`);
  const [confirming, setConfirming] = useState(false);
  const dirty = text !== saved;
  useEffect(() => onDirty(dirty), [dirty]);

  const [save, saving] = useAction(async () => {
    if (item) {
      const stored = await request("PUT", `/api/${kind.key}/${item.id}`, { body: text, contentType: YAML });
      setSaved(stored.story);
      setText(stored.story);
      setName(stored.name);
      notify(`Saved the ${kind.noun} “${stored.name}”.`);
      onSaved(stored);
    } else {
      const stored = await request("POST", `/api/${kind.key}`, { body: text, contentType: YAML });
      setSaved(text);
      const names = stored.map((one) => `“${one.name}”`).join(", ");
      const plural = kind.label.toLowerCase();
      notify(stored.length === 1 ? `Added the ${kind.noun} ${names}.` : `Added ${stored.length} ${plural}: ${names}.`);
      onDirty(false);
      onSaved(stored[0]);
    }
  });
  const [remove, removing] = useAction(async () => {
    await del(`/api/${kind.key}/${item.id}`);
    notify(`Deleted the ${kind.noun} “${item.name}”.`);
    setConfirming(false);
    onDeleted();
  });
  const mayEdit = item ? mayUpdate : mayCreate;

  return html`<div class="editor-pane">
    <h2>${name}</h2>
    ${item?.filename && html`<p class="muted editor-file">From ${item.filename}</p>`}
    ${!item &&
    html`<p class="muted">
      Write one or more blocks; each is stored as its own ${kind.noun}, named by its${" "}
      <code>${kind.key === "rules" ? "rule" : "story"}:</code> line.
    </p>`}
    <${YamlEditor}
      label=${`The ${kind.noun} as Rasa YAML`}
      value=${text}
      onInput=${setText}
      onSave=${() => !saving.busy && save()}
      dirty=${dirty}
      error=${saving.error}
      readOnly=${!mayEdit}
    >
      ${mayEdit &&
      html`<${Button} kind="primary" busy=${saving.busy} onClick=${save}>${item ? "Save" : `Add ${kind.noun}`}<//>`}
      ${item && dirty && html`<${Button} onClick=${() => setText(saved)}>Discard changes<//>`}
      ${item && mayDelete && html`<${Button} kind="danger" onClick=${() => setConfirming(true)}>Delete<//>`}
    <//>
    ${item &&
    html`<${ConfirmDialog}
      title=${`Delete this ${kind.noun}?`}
      open=${confirming}
      onClose=${() => {
        removing.clearError();
        setConfirming(false);
      }}
      onConfirm=${remove}
      confirmLabel=${`Delete the ${kind.noun}`}
      busy=${removing.busy}
      error=${removing.error}
    >
      <p>“${item.name}” will be deleted. A model trained later will not learn from it.</p>
    <//>`}
  </div>`;
}
