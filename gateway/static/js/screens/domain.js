// The domain and config.yml as YAML to edit, what the training data and the domain disagree on, and importing and
// exporting the project's files.
import { get, request } from "../api.js";
import { ProjectExport, ProjectImport } from "../components/editor_import.js";
import { EditorTabs } from "../components/editor_tabs.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button } from "../components/form.js";
import { confirmDiscard, YamlEditor } from "../components/yaml_editor.js";
import { html, useEffect, useRef, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { href } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const PATH = "/training/domain";
const YAML = "application/x-yaml";
const SETTINGS = "/api/projects/default/settings";

export default function Domain({ query }) {
  const { can } = useSession();
  const unsaved = useRef(false);
  const tabs = [
    { key: "domain", label: "Domain" },
    can(permissions.SETTINGS_GET) && { key: "config", label: "Config" },
    { key: "warnings", label: "Warnings" },
    (can(permissions.PROJECT_IMPORT) || can(permissions.PROJECT_EXPORT)) && { key: "files", label: "Import/export" },
  ].filter(Boolean);
  const tab = tabs.find((candidate) => candidate.key === query.tab)?.key || "domain";
  const onDirty = (dirty) => (unsaved.current = dirty);

  return html`<h1>Domain & config</h1>
    <${EditorTabs}
      label="Parts of the project"
      current=${tab}
      onFollow=${() => {
        if (!confirmDiscard(unsaved.current)) return false;
        unsaved.current = false;
        return true;
      }}
      tabs=${tabs.map((one) => ({ ...one, href: href(PATH, { tab: one.key }) }))}
    />
    ${tab === "domain" && html`<${DomainEditor} onDirty=${onDirty} />`}
    ${tab === "config" && html`<${ConfigEditor} onDirty=${onDirty} />`}
    ${tab === "warnings" && html`<${Warnings} />`}
    ${tab === "files" &&
    html`<div class="files-tab">
      ${can(permissions.PROJECT_IMPORT) && html`<${ProjectImport} />`}
      ${can(permissions.PROJECT_EXPORT) && html`<${ProjectExport} />`}
    </div>`}`;
}

/** Load YAML text, edit it, save it; the saved answer (as the server stored it) becomes the text. */
function useYamlDocument(load, store, onDirty) {
  const document = useApi(load, []);
  const [saved, setSaved] = useState(null);
  const [text, setText] = useState("");
  useEffect(() => {
    if (document.data !== undefined) {
      setSaved(document.data);
      setText(document.data);
    }
  }, [document.data]);
  const dirty = saved !== null && text !== saved;
  useEffect(() => onDirty(dirty), [dirty]);
  const [save, saving] = useAction(async () => {
    const stored = await store(text);
    setSaved(stored);
    setText(stored);
    return stored;
  });
  return { document, text, setText, saved, dirty, save, saving };
}

function DomainEditor({ onDirty }) {
  const { can } = useSession();
  const [storeResponses, setStoreResponses] = useState(false);
  const editor = useYamlDocument(
    (signal) => get("/api/domain", {}, { signal }),
    (text) =>
      request("PUT", "/api/domain", { query: { store_responses: storeResponses }, body: text, contentType: YAML }),
    onDirty,
  );
  const save = async () => {
    if ((await editor.save()) !== undefined) notify("Saved the domain.");
  };
  if (editor.document.error) {
    return html`<${ErrorMessage} error=${editor.document.error} title="The domain could not be loaded" />`;
  }
  if (editor.saved === null) return html`<${Loading} what="Loading the domain" />`;
  const mayUpdate = can(permissions.DOMAIN_UPDATE);
  return html`<section class="editor-pane" aria-label="Domain">
    <p class="muted">Intents, entities, slots, forms, actions and responses, as Rasa 3's domain.yml.</p>
    <${YamlEditor}
      label="domain.yml"
      value=${editor.text}
      onInput=${editor.setText}
      onSave=${() => !editor.saving.busy && save()}
      dirty=${editor.dirty}
      error=${editor.saving.error}
      readOnly=${!mayUpdate}
      rows=${24}
    >
      ${mayUpdate &&
      html`<${Button} kind="primary" busy=${editor.saving.busy} onClick=${save}>Save the domain<//>
        <label class="check">
          <input type="checkbox" checked=${storeResponses}
            onChange=${(event) => setStoreResponses(event.currentTarget.checked)} />
          Also replace every response with this file's <code>responses:</code>
        </label>
        ${editor.dirty && html`<${Button} onClick=${() => editor.setText(editor.saved)}>Discard changes<//>`}`}
    <//>
    ${mayUpdate &&
    !storeResponses &&
    html`<p class="muted">
      Unless the box is ticked, the stored responses stay as they are (edit them on the${" "}
      <a href=${href("/training/responses")}>Responses</a> screen) and the section shows them after saving.
    </p>`}
  </section>`;
}

function ConfigEditor({ onDirty }) {
  const { can } = useSession();
  const editor = useYamlDocument(
    (signal) => get(SETTINGS, {}, { signal }).then((answer) => answer.config),
    (text) => request("PUT", SETTINGS, { body: text, contentType: YAML }).then((answer) => answer.config),
    onDirty,
  );
  const save = async () => {
    if ((await editor.save()) !== undefined) notify("Saved config.yml; the next model trained uses it.");
  };
  if (editor.document.error) {
    return html`<${ErrorMessage} error=${editor.document.error} title="config.yml could not be loaded" />`;
  }
  if (editor.saved === null) return html`<${Loading} what="Loading config.yml" />`;
  const mayUpdate = can(permissions.SETTINGS_UPDATE);
  return html`<section class="editor-pane" aria-label="Config">
    <p class="muted">The language, the NLU pipeline and the dialogue policies, as Rasa 3's config.yml.</p>
    <${YamlEditor}
      label="config.yml"
      value=${editor.text}
      onInput=${editor.setText}
      onSave=${() => !editor.saving.busy && save()}
      dirty=${editor.dirty}
      error=${editor.saving.error}
      readOnly=${!mayUpdate}
    >
      ${mayUpdate && html`<${Button} kind="primary" busy=${editor.saving.busy} onClick=${save}>Save config.yml<//>`}
      ${mayUpdate && editor.dirty && html`<${Button} onClick=${() => editor.setText(editor.saved)}>Discard changes<//>`}
    <//>
  </section>`;
}

const KIND_LABELS = { intent: "Intent", entity: "Entity", action: "Action", slot: "Slot" };

/** Rasa's domain warnings in the training-data warnings' shape, for users who may not list examples. */
function fromDomainWarnings(answer) {
  const warnings = [];
  for (const kind of Object.keys(KIND_LABELS)) {
    const sides = answer[`${kind}_warnings`] || {};
    for (const name of sides.in_training_data || []) {
      const message = `${kind} '${name}' is used in the training data but the domain does not declare it`;
      warnings.push({ type: kind, problem: "not_in_domain", name, message });
    }
    for (const name of sides.in_domain || []) {
      const message = `${kind} '${name}' is declared in the domain but no training data uses it`;
      warnings.push({ type: kind, problem: "not_in_training_data", name, message });
    }
  }
  return warnings;
}

/** Where a warning is fixed, as a link's text and address; null when no one screen fixes it. */
function fix(warning) {
  const toDomain = { label: "Declare it in the domain", href: href(PATH, { tab: "domain" }) };
  if (warning.problem === "not_in_domain") {
    if (warning.type === "action" && warning.name.startsWith("utter_")) {
      return { label: "Create the response", href: href("/training/responses", { new: warning.name }) };
    }
    return toDomain;
  }
  if (warning.type === "intent") return { label: "Add examples", href: href("/training/examples", { intent: warning.name }) };
  if (warning.type === "entity") return { label: "Annotate examples", href: href("/training/examples") };
  if (warning.type === "action") return { label: "Use it in a story", href: href("/training/stories") };
  return null;
}

function Warnings() {
  const { can } = useSession();
  const detailed = can(permissions.EXAMPLES_LIST);
  const warnings = useApi(
    (signal) =>
      detailed
        ? get("/api/projects/default/training_data_warnings", {}, { signal })
        : get("/api/domainWarnings", {}, { signal }).then(fromDomainWarnings),
    [detailed],
  );
  if (warnings.error) return html`<${ErrorMessage} error=${warnings.error} title="The warnings could not be loaded" />`;
  if (!warnings.data) return html`<${Loading} what="Checking the training data" />`;
  if (warnings.data.length === 0) return html`<${Empty}>No warnings: the domain and the training data agree.<//>`;
  return html`<section aria-label="Warnings">
    <div class="toolbar warnings-toolbar">
      <p class="muted">
        ${warnings.data.length === 1 ? "1 warning" : `${warnings.data.length} warnings`} about the stored training data.
      </p>
      <${Button} kind="small" busy=${warnings.loading} onClick=${warnings.reload}>Check again<//>
    </div>
    <div class="table-wrap">
      <table>
        <thead><tr><th>Name</th><th>Problem</th></tr></thead>
        <tbody>
          ${warnings.data.map((warning) => {
            const remedy = fix(warning);
            return html`<tr key=${`${warning.type}:${warning.problem}:${warning.name}`}>
              <td>
                <div class="warning-name">
                  <span class="badge ${warning.problem === "too_few_examples" ? "neutral" : "warn"}">
                    ${KIND_LABELS[warning.type] || warning.type}
                  </span>
                  <code>${warning.name}</code>
                </div>
              </td>
              <td>
                ${warning.message}
                ${remedy && html`<br /><a href=${remedy.href}>${remedy.label}</a>`}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}
