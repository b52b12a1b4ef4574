// Training: train a model on the data stored now, and follow the jobs live as the worker runs them.
import { request } from "../api.js";
import { ErrorMessage, notify } from "../components/feedback.js";
import { Button, Field, value } from "../components/form.js";
import { EnvironmentField, JOB_STATES, JOBS_PATH, JobList, useJobPage } from "../components/model_jobs.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction } from "../use_api.js";

const PAGE_SIZE = 20;
const ALL = "all";
const KIND_CHOICES = [
  ["training", "Trainings"],
  ["cross_validation", "Cross-validations"],
  [ALL, "All jobs"],
];

export default function TrainingJobs({ query }) {
  const { can } = useSession();
  const offset = Number(query.offset) || 0;
  const kind = query.kind || "training";
  const filters = { kind: kind === ALL ? "" : kind, state: query.state || "" };
  const jobs = useJobPage({ filters, offset, limit: PAGE_SIZE, onChange: announceEnd });
  const show = (changes) => navigate("/training-jobs", { ...query, offset: undefined, ...changes }, { replace: true });
  const chooseKind = (event) => show({ kind: value(event) === "training" ? undefined : value(event) });

  return html`<h1>Training</h1>
    ${can(permissions.MODEL_JOBS_CREATE) && html`<${TrainForm} onQueued=${jobs.show} />`}
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
      <div class="toolbar">
        <${Field} label="Kind">
          <select value=${kind} onChange=${chooseKind}>
            ${KIND_CHOICES.map(([choice, label]) => html`<option key=${choice} value=${choice}>${label}</option>`)}
          </select>
        </${Field}>
        <${Field} label="Status">
          <select value=${filters.state} onChange=${(event) => show({ state: value(event) })}>
            <option value="">Any status</option>
            ${JOB_STATES.map((state) => html`<option key=${state} value=${state}>${state}</option>`)}
          </select>
        </${Field}>
      </div>
      <${JobList} jobs=${jobs} offset=${offset} limit=${PAGE_SIZE} label="Jobs, newest first"
        emptyText="No jobs yet: train a model to start one." linkResults
        onOffset=${(next) => show({ offset: next || undefined })} />
    </section>`;
}

/** Tell the user when a job they are looking at ends, wherever they scrolled to. */
function announceEnd(job, before) {
  if (!before || before.status === job.status) return;
  const name = job.kind === "training" ? `Training #${job.id}` : `Cross-validation #${job.id}`;
  if (job.status === "succeeded") notify(job.model ? `${name} succeeded: model ${job.model}.` : `${name} succeeded.`);
  if (job.status === "failed") notify(`${name} failed.`, "error");
}

/** Queue a training; "Model already exists." (nothing queued) is shown with the model it means. */
function TrainForm({ onQueued }) {
  const [environment, setEnvironment] = useState("worker");
  const [force, setForce] = useState(false);
  const [unchanged, setUnchanged] = useState(null);
  const [train, { busy, error }] = useAction(async () => {
    setUnchanged(null);
    const answer = await request("POST", JOBS_PATH, { query: { environment, force: force || undefined } });
    if (answer.job) {
      onQueued(answer.job);
      const waiting = answer.info === "Training queued already.";
      notify(waiting ? `A training waits already: #${answer.job.id}.` : `Training #${answer.job.id} queued.`);
    } else {
      setUnchanged(answer);
    }
  });
  const submit = (event) => {
    event.preventDefault();
    train();
  };
  return html`<form class="card train-form" aria-labelledby="train-heading" onSubmit=${submit}>
    <h2 id="train-heading">Train a model</h2>
    <p class="muted">
      The environment's Rasa server trains on the training data stored now, one job at a time; the new model is listed
      under Models when it is done.
    </p>
    <div class="toolbar">
      <${EnvironmentField} environment=${environment} onChange=${setEnvironment} />
      <label class="job-checkbox">
        <input type="checkbox" checked=${force} onChange=${(event) => setForce(event.currentTarget.checked)} />
        Train even if the data is unchanged
      </label>
      <${Button} type="submit" kind="primary" busy=${busy}>${busy ? "Starting…" : "Train a model"}</${Button}>
    </div>
    ${unchanged &&
    html`<p class="model-notice" role="status">
      <strong>${unchanged.info}</strong> The newest model, <a href="#/models"><code>${unchanged.model}</code></a>, was
      trained on the data stored now. Tick “Train even if the data is unchanged” to train again.
    </p>`}
    <${ErrorMessage} error=${error} title="Training not started" />
  </form>`;
}
