// The conversations inbox: every filter of GET /api/conversations, review-status tabs with their counts, saved
// filter sets, one page of conversations at a time, and the export of everything that matches.
import { download, get, page } from "../api.js";
import { apiFilters, ConversationFilters, FILTER_KEYS, TagLabel } from "../components/conversation_filters.js";
import { conversationScreen, rememberInboxQuery, REVIEW_STATUSES, ReviewBadge } from "../components/conversation_format.js";
import { SavedFilterSets } from "../components/conversation_saved_filters.js";
import { Empty, ErrorMessage, Loading, notify } from "../components/feedback.js";
import { Button } from "../components/form.js";
import { Time } from "../format.js";
import { Pager } from "../components/pager.js";
import { html, useEffect } from "../html.js";
import * as permissions from "../permissions.js";
import { currentRoute, href, navigate } from "../router.js";
import { useSession } from "../session.js";
import { useAction, useApi } from "../use_api.js";

const PAGE_SIZE = 25;
const COUNTED_STATUSES = ["unread", "saved_for_later"];

export default function Conversations({ query }) {
  const { can } = useSession();
  const offset = Math.max(0, Number(query.offset) || 0);
  const filters = apiFilters(query);
  const allStatuses = { ...filters, review_status: undefined };
  const filtersKey = JSON.stringify(filters);
  const countsKey = JSON.stringify(allStatuses);

  const list = useApi(
    (signal) => page("/api/conversations", { ...filters, limit: PAGE_SIZE, offset }, { signal }),
    [filtersKey, offset],
  );
  const counts = useApi(
    (signal) =>
      Promise.all(
        COUNTED_STATUSES.map((status) =>
          page("/api/conversations", { ...allStatuses, review_status: status, limit: 0 }, { signal }).then(
            ({ total }) => [status, total],
          ),
        ),
      ).then(Object.fromEntries),
    [countsKey],
  );
  const tags = useApi(
    (signal) => (can(permissions.TAGS_LIST) ? get("/api/conversations/tags", undefined, { signal }) : Promise.resolve(null)),
    [],
  );
  const environments = useApi(
    (signal) =>
      can(permissions.ENVIRONMENTS_LIST)
        ? get("/api/environments", undefined, { signal }).then((answer) => Object.keys(answer.environments || {}))
        : Promise.resolve(null),
    [],
  );

  useEffect(() => {
    rememberInboxQuery(query);
  }, [JSON.stringify(query)]);

  // Read the query afresh: a debounced filter may commit after another change was made.
  const update = (patch) => navigate("/conversations", { ...currentRoute().query, ...patch, offset: "" }, { replace: true });
  const applySet = (saved) => navigate("/conversations", saved, { replace: true });
  const clearFilters = () => navigate("/conversations", {}, { replace: true });
  const hasFilters = FILTER_KEYS.some((key) => query[key]);

  const [exportAll, exporting] = useAction(async () => {
    await download("/api/conversations/export", "conversations.jsonl", filters);
    notify("Exported the matching conversations.");
  });

  return html`<section class="conversations">
    <div class="page-heading">
      <h1>Conversations</h1>
      <div class="actions">
        ${hasFilters && html`<${Button} kind="ghost" onClick=${clearFilters}>Clear filters</${Button}>`}
        ${can(permissions.CONVERSATIONS_EXPORT) &&
        html`<${Button} busy=${exporting.busy} onClick=${exportAll}>Export matching (JSON lines)</${Button}>`}
      </div>
    </div>
    <${ErrorMessage} error=${exporting.error} title="The export failed" />
    <${StatusTabs} current=${query.review_status || ""} counts=${counts.data} onChange=${(status) => update({ review_status: status })} />
    <${ErrorMessage} error=${counts.error} title="The unread counts could not be loaded" />
    <div class="card filters-card">
      <${ConversationFilters} query=${query} onChange=${update} tags=${tags.data} environments=${environments.data} />
      <${SavedFilterSets} query=${query} onApply=${applySet} />
    </div>
    <${ErrorMessage} error=${list.error} title="The conversations could not be loaded" />
    ${list.data === undefined && list.loading && html`<${Loading} what="Loading conversations" />`}
    ${list.data && !list.error &&
    html`<${ConversationTable} items=${list.data.items} total=${list.data.total} busy=${list.loading}
        tags=${tags.data} hasFilters=${hasFilters} onClear=${clearFilters} />
      ${list.data.total > 0 &&
      html`<${Pager} offset=${offset} limit=${PAGE_SIZE} total=${list.data.total} label="Conversation pages"
        onChange=${(next) => navigate("/conversations", { ...query, offset: next || "" }, { replace: true })} />`}`}
  </section>`;
}

const TABS = [["", "All"], ...Object.entries(REVIEW_STATUSES).map(([status, { label }]) => [status, label])];

/** All / Unread / Saved for later / Reviewed, with the number of unread and saved conversations. */
function StatusTabs({ current, counts, onChange }) {
  return html`<div class="segmented" role="group" aria-label="Review status">
    ${TABS.map(
      ([status, label]) => html`<button type="button" key=${status} class="segment" aria-pressed=${current === status}
        onClick=${() => onChange(status)}>
        ${label}${counts && status in counts && html` <span class="count">${counts[status].toLocaleString()}</span>`}
      </button>`,
    )}
  </div>`;
}

function ConversationTable({ items, total, busy, tags, hasFilters, onClear }) {
  if (items.length === 0) {
    return html`<${Empty}>
      ${hasFilters ? "No conversation matches these filters. " : "No conversations yet: they appear as people talk to the bot. "}
      ${hasFilters && html`<button type="button" class="button small" onClick=${onClear}>Clear filters</button>`}
    </${Empty}>`;
  }
  const tagsById = new Map((tags || []).map((tag) => [tag.id, tag]));
  return html`<p class="muted result-count" role="status">
      ${total.toLocaleString()} ${total === 1 ? "conversation matches" : "conversations match"}
    </p>
    <div class="table-wrap" aria-busy=${busy ? "true" : undefined}>
      <table class="conversation-table">
        <thead>
          <tr>
            <th scope="col">Conversation</th>
            <th scope="col">Latest activity</th>
            <th scope="col">User messages</th>
            <th scope="col">Review</th>
            <th scope="col">Tags</th>
            <th scope="col">Channel</th>
          </tr>
        </thead>
        <tbody>
          ${items.map((item) => html`<${ConversationRow} key=${item.sender_id} item=${item} tagsById=${tagsById} />`)}
        </tbody>
      </table>
    </div>`;
}

function ConversationRow({ item, tagsById }) {
  return html`<tr>
    <td>
      <a class="sender" href=${href(conversationScreen(item.sender_id))}>${item.sender_name || item.sender_id}</a>
      ${item.has_flagged_messages && html` <span class="badge danger" title="Has flagged messages">⚑ Flagged</span>`}
      ${item.interactive && html` <span class="badge neutral" title="Made in interactive learning">Interactive</span>`}
    </td>
    <td data-label="Latest activity"><${Time} seconds=${item.latest_event_time} /></td>
    <td class="number" data-label="User messages">${item.n_user_messages}</td>
    <td data-label="Review"><${ReviewBadge} status=${item.review_status} /></td>
    <td data-label="Tags">
      <span class="tag-list">
        ${item.tags.map((id) => (tagsById.has(id) ? html`<${TagLabel} key=${id} tag=${tagsById.get(id)} />` : null))}
      </span>
    </td>
    <td data-label="Channel">${item.latest_input_channel || html`<span class="muted">—</span>`}</td>
  </tr>`;
}
