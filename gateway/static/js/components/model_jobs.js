// Training and cross-validation jobs as the Training and Evaluation screens show them: a page of jobs kept live by
// the `models` push topic, each with its status, times, result or error, and the environment a job runs on.
import { del, get, page } from "../api.js";
import { html, useEffect, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { usePush } from "../push.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";
import { ErrorMessage, Empty, Loading, notify } from "./feedback.js";
import { Button, Field, value } from "./form.js";
import { Time } from "../format.js";
import { formatDuration } from "./model_format.js";
import { Pager } from "./pager.js";

export const JOBS_PATH = "/api/projects/default/models/jobs";
export const JOB_STATES = ["queued", "running", "succeeded", "failed", "canceled"];
const STATUS_TONE = { queued: "neutral", running: "", succeeded: "ok", failed: "danger", canceled: "warn" };
const KIND_NAMES = { training: "Training", cross_validation: "Cross-validation" };
// How far a job has got: a pushed update never takes a job back to an earlier state (answers may cross).
const STAGE = { queued: 0, running: 1, succeeded: 2, failed: 2, canceled: 2 };
const DEFAULT_ENVIRONMENT = "worker";

/** `job` put into a page `{items, total}`: replacing its older self, or first when it is new and `mayAdd`. */
function withJob(current, job, { mayAdd, limit }) {
  if (!current) return current;
  const index = current.items.findIndex((item) => item.id === job.id);
  if (index >= 0) {
    if (STAGE[job.status] < STAGE[current.items[index].status]) return current;
    const items = [...current.items];
    items[index] = job;
    return { ...current, items };
  }
  const newest = current.items[0]?.id ?? 0;
  if (!mayAdd || job.id <= newest) return current;
  return { items: [job, ...current.items].slice(0, limit), total: current.total + 1 };
}

/**
 * A page of jobs matching `filters` (`kind`, `state`), updated live: jobs change in place as they are pushed, and a
 * new job appears at the top of the first page. `onChange(job, before)` hears of every pushed job, with the version
 * of it shown until then (if any). `show(job)` puts a job the screen got otherwise (queued, canceled) in place.
 */
export function useJobPage({ filters, offset, limit, onChange }) {
  const { can } = useSession();
  const jobs = useApi(
    (signal) => page(JOBS_PATH, { ...filters, limit, offset }, { signal }),
    [filters.kind, filters.state, offset, limit],
  );
  const fits = (job) => (!filters.kind || job.kind === filters.kind) && (!filters.state || job.status === filters.state);
  const show = (job) => jobs.setData((current) => withJob(current, job, { mayAdd: offset === 0 && fits(job), limit }));
  usePush(can(permissions.MODEL_JOBS_LIST) ? "models" : null, (message) => {
    // What changed before the subscription took (or while the socket reconnected) was not pushed: catch up.
    if (message.type === "subscribed") jobs.reload();
    if (message.type !== "job") return;
    const before = jobs.data?.items.find((item) => item.id === message.job.id);
    show(message.job);
    onChange?.(message.job, before);
  });
  return { ...jobs, show };
}

function JobStatus({ status }) {
  return html`<span class="badge job-status ${STATUS_TONE[status] ?? "neutral"}">${status}</span>`;
}

/** The current time in seconds, ticking every second while `ticking`. */
function useNow(ticking) {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    if (!ticking) return undefined;
    setNow(Date.now() / 1000);
    const timer = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** How long the job has waited or run (live, while it does) or took. */
function JobDuration({ job }) {
  const running = job.status === "running" && job.started_at;
  const queued = job.status === "queued";
  const now = useNow(running || queued);
  if (running || queued) {
    const elapsed = formatDuration(now - (running ? job.started_at : job.created_at));
    return html`<span class="job-duration">
      ${running ? "running" : "waiting"} for <span class="job-elapsed">${elapsed}</span>
    </span>`;
  }
  if (job.duration_s !== null && job.duration_s !== undefined) {
    return html`<span class="job-duration">took ${formatDuration(job.duration_s)}</span>`;
  }
  return null;
}

function JobResult({ job, linkResults }) {
  if (job.status === "failed") {
    return html`<div class="job-error" role="group" aria-label=${`Why job ${job.id} failed`}>
      <strong>Error</strong>
      <pre>${job.error || "The job failed without saying why."}</pre>
    </div>`;
  }
  if (job.model) {
    return html`<p class="job-result">Model <a href="#/models"><code>${job.model}</code></a></p>`;
  }
  if (linkResults && job.kind === "cross_validation" && job.status === "succeeded") {
    return html`<p class="job-result"><a href="#/evaluation">See the newest cross-validation's results</a></p>`;
  }
  return null;
}

function JobItem({ job, mayCancel, note, onUpdate, linkResults }) {
  const [cancel, { busy, error }] = useAction(async () => {
    onUpdate(await del(`${JOBS_PATH}/${job.id}`));
    notify(`${KIND_NAMES[job.kind] ?? "Job"} #${job.id} canceled.`);
  });
  const title = `${KIND_NAMES[job.kind] ?? job.kind} #${job.id}`;
  return html`<li class="job ${job.status}">
    <div class="job-heading">
      <h3>${title}</h3>
      <${JobStatus} status=${job.status} />
      <${JobDuration} job=${job} />
      ${note && html`<span class="badge neutral">${note}</span>`}
      ${mayCancel && job.status === "queued" &&
      html`<${Button} kind="small danger" busy=${busy} onClick=${cancel} aria-label=${`Cancel ${title}`}>
        Cancel
      </${Button}>`}
    </div>
    <dl class="job-facts">
      <div><dt>Environment</dt><dd>${job.environment}</dd></div>
      ${job.folds && html`<div><dt>Folds</dt><dd>${job.folds}</dd></div>`}
      <div><dt>Requested by</dt><dd>${job.requested_by || "—"}</dd></div>
      <div><dt>Created</dt><dd><${Time} seconds=${job.created_at} /></dd></div>
      <div><dt>Started</dt><dd><${Time} seconds=${job.started_at} /></dd></div>
      <div><dt>Finished</dt><dd><${Time} seconds=${job.finished_at} /></dd></div>
    </dl>
    <${JobResult} job=${job} linkResults=${linkResults} />
    <${ErrorMessage} error=${error} title="Not canceled" />
  </li>`;
}

/**
 * A page of jobs with a pager; `noteFor(job)` adds a short remark to a job (e.g. "results shown above"), and
 * `linkResults` links succeeded cross-validations to the Evaluation screen.
 */
export function JobList({ jobs, offset, limit, onOffset, label, emptyText, noteFor, linkResults }) {
  const { can } = useSession();
  if (jobs.error) return html`<${ErrorMessage} error=${jobs.error} title="The jobs could not be loaded" />`;
  if (!jobs.data) return html`<${Loading} what="Loading the jobs" />`;
  const { items, total } = jobs.data;
  return html`<div class="jobs" aria-busy=${jobs.loading ? "true" : undefined}>
    ${items.length === 0
      ? html`<${Empty}>${emptyText}</${Empty}>`
      : html`<ol class="job-list" aria-label=${label}>
          ${items.map(
            (job) => html`<${JobItem} key=${job.id} job=${job} note=${noteFor?.(job)} onUpdate=${jobs.show}
              linkResults=${linkResults} mayCancel=${can(permissions.MODEL_JOBS_DELETE)} />`,
          )}
        </ol>`}
    ${total > limit &&
    html`<${Pager} offset=${offset} limit=${limit} total=${total} onChange=${onOffset} label=${`${label}: pages`} />`}
  </div>`;
}

/**
 * The environment a job runs on, chosen from GET /api/environments (the worker by default); without the
 * permission to list them, the gateway's default (worker) is used and nothing is shown.
 */
export function EnvironmentField({ environment, onChange }) {
  const { can } = useSession();
  const allowed = can(permissions.ENVIRONMENTS_LIST);
  const environments = useApi(async (signal) => (allowed ? get("/api/environments", {}, { signal }) : null), [allowed]);
  const names = Object.keys(environments.data?.environments ?? {});
  useEffect(() => {
    if (names.length && !names.includes(environment)) {
      onChange(names.includes(DEFAULT_ENVIRONMENT) ? DEFAULT_ENVIRONMENT : names[0]);
    }
  }, [names.join(",")]);
  if (!allowed) return null;
  if (environments.error) {
    return html`<${ErrorMessage} error=${environments.error} title="The environments could not be loaded" />`;
  }
  if (environments.data && names.length === 0) {
    return html`<p class="error" role="alert">No Rasa server is configured: set CONVERSELY_RASA_ENVIRONMENTS.</p>`;
  }
  return html`<${Field} label="Environment">
    <select value=${environment} onChange=${(event) => onChange(value(event))} disabled=${!environments.data}>
      ${names.map(
        (name) => html`<option key=${name} value=${name}>${name} (${environments.data.environments[name].url})</option>`,
      )}
    </select>
  </${Field}>`;
}
