// Annotating a message: select words of its text, name their entity, choose the intent. Shared by the NLU inbox and
// the examples editor; what it hands to `onSubmit` is the example the API takes: {text, intent, entities}.
import { html, useRef, useState } from "../html.js";
import { ErrorMessage } from "./feedback.js";
import { Button, Field, value } from "./form.js";
import { entitiesFromApi, entitiesToApi, entityColor, textPieces, useNluNames } from "./nlu_text.js";

const NO_DRAFT = { entity: "", value: "", role: "" };
let annotators = 0;

/**
 * `initial`: {text, intent, entities} as the API gives them. `textEditable`: whether the text may change (a new
 * example) or only be selected in (an inbox message). `children`: more buttons beside the submit button.
 */
export function Annotator({ initial, textEditable = false, textLabel = "Text", submitLabel, busy, error, onSubmit, children }) {
  const [id] = useState(() => `annotator-${++annotators}`);
  const names = useNluNames();
  const [text, setText] = useState(initial.text || "");
  const [intent, setIntent] = useState(initial.intent || "");
  const [entities, setEntities] = useState(() => entitiesFromApi(initial.text || "", initial.entities));
  const [selection, setSelection] = useState({ start: 0, end: 0 });
  const [problems, setProblems] = useState({});
  const [changeNote, setChangeNote] = useState("");
  const textarea = useRef(null);

  const readSelection = () => {
    const element = textarea.current;
    return element ? { start: element.selectionStart, end: element.selectionEnd } : selection;
  };
  const selectionChanged = () => setSelection(readSelection());

  const editText = (newText) => {
    const { kept, dropped } = shiftEntities(text, newText, entities);
    setText(newText);
    setEntities(kept);
    if (dropped.length) setChangeNote(`Removed ${dropped.map((entity) => entity.entity).join(", ")}: the words changed.`);
    selectionChanged();
  };

  /** Mark the selected words as `draft`'s entity; the problem (a string) when they cannot be. */
  const addEntity = (draft) => {
    const { start, end } = trimmed(text, readSelection());
    const name = draft.entity.trim();
    if (start >= end) return "Select the entity's words in the text first.";
    if (!name) return "Name the entity.";
    const problem = overlapping(entities, start, end);
    if (problem) return problem;
    const span = text.slice(start, end);
    const extracted = draft.value.trim();
    const value = extracted && extracted !== span ? extracted : null;
    const entity = { start, end, entity: name, value, role: draft.role.trim(), group: "" };
    setEntities([...entities, entity].sort((a, b) => a.start - b.start));
    setChangeNote(`Added ${name} “${span}”.`);
    return "";
  };

  const removeEntity = (removed) => {
    setEntities(entities.filter((entity) => entity !== removed));
    setChangeNote(`Removed ${removed.entity} “${text.slice(removed.start, removed.end)}”.`);
    textarea.current?.focus();
  };

  const submit = (event) => {
    event.preventDefault();
    const found = {
      text: text.trim() ? "" : "Write the message's text.",
      intent: intent.trim() ? "" : "Choose an intent, or type a new one.",
    };
    setProblems(found);
    if (found.text || found.intent) return;
    onSubmit({ text, intent: intent.trim(), entities: entitiesToApi(text, entities) });
  };

  const apiField = error && /^(text|intent)\b/.exec(error.message)?.[1];
  const selected = trimmed(text, selection);
  return html`<form class="annotator" onSubmit=${submit}>
    <${MarkedTextarea} id=${`${id}-text`} label=${textLabel} textarea=${textarea} text=${text} entities=${entities}
      selected=${selected} editable=${textEditable} problem=${problems.text || (apiField === "text" ? error.message : "")}
      onEdit=${editText} onSelectionChange=${selectionChanged} />
    <${EntityAdder} id=${id} names=${names.entities} selectedText=${text.slice(selected.start, selected.end)} onAdd=${addEntity} />
    <${EntityList} text=${text} entities=${entities} onRemove=${removeEntity} />
    <p class="visually-hidden" role="status">${changeNote}</p>

    <${Field} label="Intent" error=${problems.intent || (apiField === "intent" ? error.message : "")}>
      <input list=${`${id}-intents`} autocomplete="off" value=${intent} onInput=${(event) => setIntent(value(event))} />
    </${Field}>
    <datalist id=${`${id}-intents`}>${names.intents.map((name) => html`<option value=${name} key=${name} />`)}</datalist>
    ${names.error && html`<p class="muted">Suggestions could not be loaded (${names.error.message}); type the names.</p>`}

    ${!apiField && html`<${ErrorMessage} error=${error} title="Not saved" />`}
    <div class="actions">
      <${Button} type="submit" kind="primary" busy=${busy}>${submitLabel}</${Button}>
      ${children}
    </div>
  </form>`;
}

/**
 * The text in a textarea laid over a copy of it in which the entities are marked; a dialog opens focused on it. Unless `editable`, edits are refused
 * rather than the textarea made `readonly`: browsers do not let the keyboard select in a read-only textarea.
 */
function MarkedTextarea({ id, label, textarea, text, entities, selected, editable, problem, onEdit, onSelectionChange }) {
  const hint = `${id}-hint`;
  const edited = (event) => (editable ? onEdit(value(event)) : (event.currentTarget.value = text));
  const refuseEdits = (event) => editable || event.preventDefault();
  return html`<div class="field ${problem ? "invalid" : ""}">
    <label for=${id}>${label}</label>
    <div class="annotator-text">
      <div class="annotator-marks" aria-hidden="true">
        ${textPieces(text, withSelection(entities, selected)).map((piece) =>
          typeof piece === "string"
            ? piece
            : html`<mark class=${piece.entity.selection ? "annotator-selected" : entityColor(piece.entity.entity)}>${piece.text}</mark>`,
        )}${" "}
      </div>
      <textarea id=${id} ref=${textarea} rows="1" value=${text} autofocus aria-readonly=${editable ? undefined : "true"}
        aria-describedby=${hint} aria-invalid=${problem ? "true" : undefined} onBeforeInput=${refuseEdits} onInput=${edited}
        onSelect=${onSelectionChange} onKeyUp=${onSelectionChange} onMouseUp=${onSelectionChange}></textarea>
    </div>
    <small class=${problem ? "field-error" : "hint"} id=${hint}>
      ${problem || "Select words of the text (mouse, or Shift + arrow keys) to mark them as an entity."}
    </small>
  </div>`;
}

/** The entity to give the selected words: its name (existing ones suggested), and optionally its value and role. */
function EntityAdder({ id, names, selectedText, onAdd }) {
  const [draft, setDraft] = useState(NO_DRAFT);
  const [problem, setProblem] = useState("");
  const add = () => {
    const found = onAdd(draft);
    setProblem(found);
    if (!found) setDraft(NO_DRAFT);
  };
  const enterAdds = (event) => event.key === "Enter" && (event.preventDefault(), add());
  const edit = (field) => (event) => setDraft({ ...draft, [field]: value(event) });
  return html`<fieldset class="annotator-adder">
    <legend>Entity for the selection</legend>
    <p class="annotator-selection" aria-live="polite">
      ${selectedText ? html`Selected: <strong>“${selectedText}”</strong>` : html`<span class="muted">Nothing selected.</span>`}
    </p>
    <div class="annotator-adder-fields">
      <${Field} label="Entity" error=${problem}>
        <input list=${`${id}-entities`} autocomplete="off" value=${draft.entity} onKeyDown=${enterAdds} onInput=${edit("entity")} />
      </${Field}>
      <${Field} label="Value (optional)">
        <input value=${draft.value} placeholder="the words" onKeyDown=${enterAdds} onInput=${edit("value")} />
      </${Field}>
      <${Field} label="Role (optional)">
        <input value=${draft.role} onKeyDown=${enterAdds} onInput=${edit("role")} />
      </${Field}>
      <${Button} onClick=${add}>Add entity</${Button}>
    </div>
    <datalist id=${`${id}-entities`}>${names.map((name) => html`<option value=${name} key=${name} />`)}</datalist>
  </fieldset>`;
}

function EntityList({ text, entities, onRemove }) {
  if (!entities.length) return html`<p class="muted annotator-none">No entities marked.</p>`;
  return html`<ul class="annotator-entities" aria-label="Entities">
    ${entities.map((entity) => {
      const span = text.slice(entity.start, entity.end);
      return html`<li key=${`${entity.start}-${entity.end}`}>
        <mark class=${entityColor(entity.entity)}>${span}</mark>${" "}<strong>${entity.entity}</strong>
        ${entity.role && html` <span class="muted">role ${entity.role}</span>`}
        ${entity.value && html` <span class="muted">value ${entity.value}</span>`}
        <button type="button" class="button ghost small" aria-label=${`Remove ${entity.entity} “${span}”`}
          onClick=${() => onRemove(entity)}>✕</button>
      </li>`;
    })}
  </ul>`;
}

/** The entities and the selection, which stays visible when the text loses focus (unless it overlaps one). */
function withSelection(entities, { start, end }) {
  if (start >= end || overlapping(entities, start, end)) return entities;
  return [...entities, { start, end, selection: true }].sort((a, b) => a.start - b.start);
}

/** The selection without the spaces around it: an entity never starts or ends with one. */
function trimmed(text, { start, end }) {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

function overlapping(entities, start, end) {
  const other = entities.find((entity) => entity.start < end && start < entity.end);
  return other ? `That overlaps ${other.entity}; remove it first.` : "";
}

/**
 * The entities after the text changed from `before` to `after`: those before or after the change keep their words
 * (moved by the change's length), one the change is inside of grows or shrinks, and the others are dropped.
 */
export function shiftEntities(before, after, entities) {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  const changedEnd = before.length - suffix;
  const delta = after.length - before.length;
  const kept = [];
  const dropped = [];
  for (const entity of entities) {
    if (entity.end <= prefix) kept.push(entity);
    else if (entity.start >= changedEnd) kept.push({ ...entity, start: entity.start + delta, end: entity.end + delta });
    else if (entity.start <= prefix && changedEnd <= entity.end && entity.end + delta > entity.start) {
      kept.push({ ...entity, end: entity.end + delta });
    } else dropped.push(entity);
  }
  return { kept, dropped };
}
