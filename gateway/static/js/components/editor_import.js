// Importing a Rasa project's files (chosen one by one or as a folder) and exporting the project as a zip.
import { download, upload } from "../api.js";
import { html, useState } from "../html.js";
import { ConfirmDialog } from "./confirm.js";
import { ErrorMessage, notify } from "./feedback.js";
import { Button, Field } from "./form.js";
import { useAction } from "../use_api.js";

const IMPORT_PATH = "/api/projects/default/import";
// Rasa's own files that are no training data; the import refuses their top-level keys.
const RUNTIME_FILES = new Set(["credentials.yml", "credentials.yaml", "endpoints.yml", "endpoints.yaml"]);
const TRAINING_DATA = /^(config\.ya?ml|domain\.ya?ml|(data|tests|domain)\/.+)$/;
const SUMMARY = [
  ["examples", "NLU examples"],
  ["synonyms", "Synonyms"],
  ["regexes", "Regexes"],
  ["lookup_tables", "Lookup tables"],
  ["stories", "Stories"],
  ["rules", "Rules"],
  ["test_stories", "Test stories"],
  ["responses", "Response variations"],
];

/**
 * A chosen file's path in the project and whether it is imported. A folder's files carry the folder's own name
 * first ("my-bot/data/nlu.yml"), which the project does not.
 */
function projectFile(file) {
  const fromFolder = Boolean(file.webkitRelativePath);
  const path = fromFolder ? file.webkitRelativePath.split("/").slice(1).join("/") : file.name;
  const name = path.split("/").pop();
  let skipped = "";
  if (!/\.ya?ml$/i.test(name)) skipped = "not a YAML file";
  else if (RUNTIME_FILES.has(name)) skipped = "runtime settings, not training data";
  else if (fromFolder && !TRAINING_DATA.test(path)) skipped = "outside config, domain, data/ and tests/";
  return { file, path, skipped };
}

export function ProjectImport() {
  const [chosen, setChosen] = useState([]);
  const [mode, setMode] = useState("merge");
  const [progress, setProgress] = useState(null);
  const [result, setResult] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const wanted = chosen.filter((entry) => !entry.skipped);
  const [send, sending] = useAction(async () => {
    setConfirming(false);
    setResult(null);
    const form = new FormData();
    for (const entry of wanted) form.append("files", entry.file, entry.path);
    setProgress(0);
    try {
      const answer = await upload("POST", `${IMPORT_PATH}?mode=${mode}`, form, setProgress);
      setResult(answer);
      notify(`Imported ${wanted.length === 1 ? "1 file" : `${wanted.length} files`}.`);
    } finally {
      setProgress(null);
    }
  });
  const choose = (event) => {
    const input = event.currentTarget;
    // Files or a folder: choosing with one input empties the other, so what is listed is what is sent.
    for (const other of input.form.querySelectorAll('input[type="file"]')) if (other !== input) other.value = "";
    sending.clearError();
    setResult(null);
    setChosen([...input.files].map(projectFile));
  };
  const start = (event) => {
    event.preventDefault();
    if (mode === "replace") setConfirming(true);
    else send();
  };

  return html`<form class="card" onSubmit=${start}>
    <h2>Import project files</h2>
    <p class="muted">
      Rasa 3 files: config.yml, domain.yml, data/*.yml, tests/*.yml. All or nothing: when one file cannot be read,
      nothing is stored.
    </p>
    <div class="import-choosers">
      <${Field} label="Files" hint="Test stories need a name starting with test_.">
        <input type="file" multiple accept=".yml,.yaml" onChange=${choose} />
      <//>
      <${Field} label="Or a whole project folder" hint="Only config, domain, data/ and tests/ are sent.">
        <input type="file" webkitdirectory onChange=${choose} />
      <//>
    </div>
    ${chosen.length > 0 &&
    html`<ul class="import-files" aria-label="Chosen files">
      ${chosen.map(
        (entry) => html`<li key=${entry.path} class=${entry.skipped ? "muted" : ""}>
          <code>${entry.path}</code>${entry.skipped && html` — left out: ${entry.skipped}`}
        </li>`,
      )}
    </ul>`}
    <fieldset class="import-mode">
      <legend>How</legend>
      <label>
        <input type="radio" name="import-mode" value="merge" checked=${mode === "merge"} onChange=${() => setMode("merge")} />
        Merge: keep what the files do not mention; same-named items are replaced
      </label>
      <label>
        <input type="radio" name="import-mode" value="replace" checked=${mode === "replace"}
          onChange=${() => setMode("replace")} />
        Replace: each kind of data in the files replaces everything stored of that kind
      </label>
    </fieldset>
    ${progress !== null && html`<progress class="progress" value=${progress} max="1" aria-label="Upload progress"></progress>`}
    <${ErrorMessage} error=${sending.error} title="Nothing was imported" />
    ${result && html`<${ImportSummary} result=${result} />`}
    <div class="actions">
      <${Button} kind="primary" type="submit" busy=${sending.busy} disabled=${wanted.length === 0}>
        Import ${wanted.length === 1 ? "1 file" : `${wanted.length} files`}
      <//>
    </div>
    <${ConfirmDialog}
      title="Replace the stored data?"
      open=${confirming}
      onClose=${() => setConfirming(false)}
      onConfirm=${send}
      confirmLabel="Replace"
      busy=${sending.busy}
    >
      <p>
        Each kind of data these files hold (NLU examples, stories, rules, the domain, …) replaces everything stored
        of that kind. Export the project first to keep a copy.
      </p>
    <//>
  </form>`;
}

function ImportSummary({ result }) {
  const { summary } = result;
  return html`<div class="import-summary" role="status">
    <h3>Imported (${result.mode})</h3>
    <dl>
      ${SUMMARY.map(([key, label]) => html`<div key=${key}><dt>${label}</dt><dd>${summary[key].toLocaleString()}</dd></div>`)}
      <div><dt>Domain</dt><dd>${summary.domain ? "stored" : "not in the files"}</dd></div>
      <div><dt>Config</dt><dd>${summary.config ? "stored" : "not in the files"}</dd></div>
    </dl>
  </div>`;
}

export function ProjectExport() {
  const [exportProject, exporting] = useAction(async () => {
    await download("/api/projects/default/export", "project.zip");
    notify("Exported the project as project.zip.");
  });
  return html`<div class="card">
    <h2>Export the project</h2>
    <p class="muted">A zip of config.yml, domain.yml, data/ and tests/, as Rasa trains from them.</p>
    <${ErrorMessage} error=${exporting.error} title="The export failed" />
    <${Button} busy=${exporting.busy} onClick=${exportProject}>Download project.zip<//>
  </div>`;
}
