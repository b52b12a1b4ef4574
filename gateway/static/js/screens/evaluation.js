// Evaluation: cross-validate the NLU data, and read the newest results: scores, confusions and what to fix.
import { get, request } from "../api.js";
import { BarChart } from "../components/chart.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { formatPercent, formatScore } from "../components/model_format.js";
import { Time } from "../format.js";
import { EnvironmentField, JobList, useJobPage } from "../components/model_jobs.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const CROSS_VALIDATION_PATH = "/api/projects/default/evaluations/crossValidation";
const PAGE_SIZE = 10;
const MIN_FOLDS = 2;
const MAX_FOLDS = 20;
const LOW_F1 = 0.7; // below it an intent counts as recognised poorly (gateway/insights.py)
const CONFUSIONS_SHOWN = 10;
const INSIGHT_KINDS = {
  often_confused: ["Often confused", "danger"],
  low_f1: ["Low F1", "warn"],
  too_few_examples: ["Too few examples", "neutral"],
};

export default function Evaluation({ query }) {
  const { can } = useSession();
  const offset = Number(query.offset) || 0;
  const results = useApi(latestResults, []);
  const evaluations = useJobPage({
    filters: { kind: "cross_validation" },
    offset,
    limit: PAGE_SIZE,
    onChange: (job, before) => {
      if (job.status === "succeeded" && before?.status !== "succeeded") {
        notify(`Cross-validation #${job.id} succeeded.`);
        results.reload();
      }
      if (job.status === "failed" && before && before.status !== "failed") {
        notify(`Cross-validation #${job.id} failed.`, "error");
      }
    },
  });
  const shownId = results.data?.job.id;

  return html`<h1>Evaluation</h1>
    ${can(permissions.EVALUATIONS_CREATE) && html`<${CrossValidationForm} onQueued=${evaluations.show} />`}
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">Newest results</h2>
      ${results.error && html`<${ErrorMessage} error=${results.error} title="The results could not be loaded" />`}
      ${results.data === undefined && !results.error && html`<${Loading} what="Loading the results" />`}
      ${results.data === null &&
      html`<${Empty}>No cross-validation has succeeded yet: run one to see how well each intent is recognised.</${Empty}>`}
      ${results.data && html`<${Results} results=${results.data} />`}
    </section>
    ${can(permissions.MODEL_JOBS_LIST) &&
    html`<section aria-labelledby="evaluations-heading">
      <h2 id="evaluations-heading">Cross-validations</h2>
      <${JobList} jobs=${evaluations} offset=${offset} limit=${PAGE_SIZE} label="Cross-validations, newest first"
        emptyText="No cross-validation yet." noteFor=${(job) => (job.id === shownId ? "results shown above" : null)}
        onOffset=${(next) => navigate("/evaluation", { offset: next || undefined }, { replace: true })} />
    </section>`}`;
}

/** The newest succeeded cross-validation, or null when none has succeeded yet (the API's 404). */
async function latestResults(signal) {
  try {
    return await get(CROSS_VALIDATION_PATH, {}, { signal });
  } catch (error) {
    if (error.status === 404 && error.reason === "NotFound") return null;
    throw error;
  }
}

function CrossValidationForm({ onQueued }) {
  const [folds, setFolds] = useState("5");
  const [environment, setEnvironment] = useState("worker");
  const [foldsError, setFoldsError] = useState("");
  const [start, { busy, error }] = useAction(async () => {
    const answer = await request("POST", CROSS_VALIDATION_PATH, { query: { folds, environment } });
    onQueued(answer.job);
    notify(`Cross-validation #${answer.job.id} queued.`);
  });
  const submit = (event) => {
    event.preventDefault();
    const number = Number(folds);
    const valid = Number.isInteger(number) && number >= MIN_FOLDS && number <= MAX_FOLDS;
    setFoldsError(valid ? "" : `Folds must be a whole number from ${MIN_FOLDS} to ${MAX_FOLDS}.`);
    if (valid) start();
  };
  return html`<form class="card cross-validation-form" aria-labelledby="cross-validation-heading" novalidate
    onSubmit=${submit}>
    <h2 id="cross-validation-heading">Cross-validate the NLU data</h2>
    <p class="muted">
      The NLU examples stored now are split into folds; each fold is predicted by a model trained on the others.
      No model is stored.
    </p>
    <div class="toolbar">
      <${Field} label="Folds" error=${foldsError}>
        <input type="number" class="folds-input" min=${MIN_FOLDS} max=${MAX_FOLDS} step="1" required value=${folds}
          onInput=${(event) => setFolds(value(event))} />
      </${Field}>
      <${EnvironmentField} environment=${environment} onChange=${setEnvironment} />
      <${Button} type="submit" kind="primary" busy=${busy}>${busy ? "Starting…" : "Run a cross-validation"}</${Button}>
    </div>
    <${ErrorMessage} error=${error} title="Cross-validation not started" />
  </form>`;
}

function Results({ results }) {
  const { job, intents } = results;
  const examples = intents.reduce((sum, intent) => sum + intent.support, 0);
  const folds = job.folds ? `, ${job.folds} folds` : "";
  const worstFirst = [...intents].sort(
    (a, b) => (a.f1_score ?? -1) - (b.f1_score ?? -1) || a.intent.localeCompare(b.intent),
  );
  return html`<div class="card evaluation-results">
    <p class="muted">
      Cross-validation #${job.id}${folds}, finished <${Time} seconds=${job.finished_at} />.
    </p>
    <dl class="metrics">
      <div><dt>Accuracy</dt><dd>${formatPercent(results.accuracy)}</dd></div>
      <div><dt>Weighted F1</dt><dd>${formatScore(results.weighted_f1)}</dd></div>
      <div><dt>Intents</dt><dd>${intents.length.toLocaleString()}</dd></div>
      <div><dt>Examples</dt><dd>${examples.toLocaleString()}</dd></div>
    </dl>
    ${intents.length === 0
      ? html`<${Empty}>The results name no intents.</${Empty}>`
      : html`<${BarChart} title="F1 score per intent, lowest first" threshold=${LOW_F1} format=${formatScore}
            items=${worstFirst.map((intent) => ({ label: intent.intent, value: intent.f1_score }))}
            labelHeading="Intent" valueHeading="F1 score" />
          <p class="muted chart-legend">
            <span class="legend-low" aria-hidden="true"></span> Below ${LOW_F1} (dashed line): recognised poorly.
          </p>`}
    <${Insights} insights=${results.insights} />
    <${Confusions} confusions=${results.confusions} />
    ${intents.length > 0 && html`<${IntentScores} intents=${intents} />`}
  </div>`;
}

function Insights({ insights }) {
  return html`<h3>What to improve</h3>
    ${insights.length === 0
      ? html`<${Empty}>Nothing stands out: no intent is often confused, scores low or has too few examples.</${Empty}>`
      : html`<ul class="insights">
          ${insights.map((insight) => {
            const [name, tone] = INSIGHT_KINDS[insight.kind] ?? [insight.kind, "neutral"];
            return html`<li key=${`${insight.kind} ${insight.intent} ${insight.confused_with}`}>
              <span class="badge ${tone}">${name}</span>
              <code>${insight.intent}</code>${insight.confused_with && html` → <code>${insight.confused_with}</code>`}
              <p>${insight.suggestion}</p>
            </li>`;
          })}
        </ul>`}`;
}

function Confusions({ confusions }) {
  const [all, setAll] = useState(false);
  const shown = all ? confusions : confusions.slice(0, CONFUSIONS_SHOWN);
  return html`<h3>Confusions</h3>
    ${confusions.length === 0
      ? html`<${Empty}>No example was taken for another intent.</${Empty}>`
      : html`<div class="table-wrap">
            <table>
              <caption class="visually-hidden">
                Which intent the examples of an intent were predicted as, most often first
              </caption>
              <thead>
                <tr><th scope="col">Intent</th><th scope="col">Predicted as</th><th scope="col">Examples</th></tr>
              </thead>
              <tbody>
                ${shown.map(
                  (confusion) => html`<tr key=${`${confusion.intent} ${confusion.confused_with}`}>
                    <td><code>${confusion.intent}</code></td>
                    <td><code>${confusion.confused_with}</code></td>
                    <td>${confusion.count.toLocaleString()}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${confusions.length > CONFUSIONS_SHOWN &&
          html`<p><button type="button" class="button small" aria-expanded=${all} onClick=${() => setAll(!all)}>
            ${all ? `Show the first ${CONFUSIONS_SHOWN}` : `Show all ${confusions.length.toLocaleString()}`}
          </button></p>`}`}`;
}

function IntentScores({ intents }) {
  return html`<details class="intent-scores">
    <summary>Precision, recall, F1 and examples of every intent</summary>
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Intent</th><th scope="col">Precision</th><th scope="col">Recall</th><th scope="col">F1</th>
            <th scope="col">Examples</th>
          </tr>
        </thead>
        <tbody>
          ${intents.map(
            (intent) => html`<tr key=${intent.intent}>
              <th scope="row"><code>${intent.intent}</code></th>
              <td>${formatScore(intent.precision)}</td>
              <td>${formatScore(intent.recall)}</td>
              <td>${formatScore(intent.f1_score)}</td>
              <td>${intent.support.toLocaleString()}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}
