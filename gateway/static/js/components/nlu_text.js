// A message's text with its entities: offsets, marking, and the names the NLU screens suggest.
import { get } from "../api.js";
import { html, useEffect, useState } from "../html.js";

export const PROJECT = "/api/projects/default";

const ENTITY_COLORS = 6;

/** The same colour class for an entity name everywhere it is shown. */
export function entityColor(name) {
  let sum = 0;
  for (const char of name) sum = (sum * 31 + char.codePointAt(0)) % 9973;
  return `entity-color-${sum % ENTITY_COLORS}`;
}

// Rasa counts offsets in code points (Python's text[start:end]); the browser counts UTF-16 units. The two differ
// after any character outside the Basic Multilingual Plane (most emoji).
function utf16Index(text, codePoints) {
  let index = 0;
  for (let count = 0; count < codePoints && index < text.length; count++) {
    index += text.codePointAt(index) > 0xffff ? 2 : 1;
  }
  return index;
}

function codePointIndex(text, units) {
  return [...text.slice(0, units)].length;
}

/**
 * An API's entities (code point offsets) in browser offsets, sorted; those without a valid span, or overlapping an
 * earlier one, are left out (a model's predictions may have either). `value` is null when it is the span's text.
 */
export function entitiesFromApi(text, entities = []) {
  const found = [];
  const length = [...text].length;
  for (const entity of entities || []) {
    const { start: from, end: to } = entity;
    if (!Number.isInteger(from) || !Number.isInteger(to) || !(0 <= from && from < to && to <= length) || !entity.entity) {
      continue;
    }
    const start = utf16Index(text, from);
    const end = utf16Index(text, to);
    const span = text.slice(start, end);
    found.push({
      start,
      end,
      entity: entity.entity,
      value: entity.value && entity.value !== span ? String(entity.value) : null,
      role: entity.role || "",
      group: entity.group || "",
    });
  }
  found.sort((a, b) => a.start - b.start);
  return found.filter((entity, index) => index === 0 || entity.start >= found[index - 1].end);
}

/** Browser-offset entities as the API takes them: `{start, end, entity, value, role?, group?}` in code points. */
export function entitiesToApi(text, entities) {
  return entities.map((entity) => ({
    start: codePointIndex(text, entity.start),
    end: codePointIndex(text, entity.end),
    entity: entity.entity,
    value: entity.value || text.slice(entity.start, entity.end),
    ...(entity.role ? { role: entity.role } : {}),
    ...(entity.group ? { group: entity.group } : {}),
  }));
}

/** The text cut into plain strings and `{entity, text}` pieces, in order. */
export function textPieces(text, entities) {
  const pieces = [];
  let at = 0;
  for (const entity of entities) {
    if (entity.start > at) pieces.push(text.slice(at, entity.start));
    pieces.push({ entity, text: text.slice(entity.start, entity.end) });
    at = entity.end;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return pieces;
}

/** Text with its entities marked and named; `entities` as the API gives them. */
export function MarkedText({ text, entities }) {
  return html`<span class="marked-text">
    ${textPieces(text, entitiesFromApi(text, entities)).map((piece) =>
      typeof piece === "string"
        ? piece
        : html`<mark class="entity-mark ${entityColor(piece.entity.entity)}">
            ${piece.text}<small class="entity-name">${" "}${entityLabel(piece.entity)}</small>
          </mark>`,
    )}
  </span>`;
}

/** `city`, `city:destination` with a role, `city → New York` with a value other than the words. */
function entityLabel({ entity, role, value }) {
  return `${entity}${role ? `:${role}` : ""}${value ? ` → ${value}` : ""}`;
}

/** The intents and entities there are, for suggestions: `{intents, entities, error}` (names only). */
export function useNluNames() {
  const [names, setNames] = useState({ intents: [], entities: [], error: null });
  useEffect(() => {
    let current = true;
    Promise.all([get(`${PROJECT}/intents`), get(`${PROJECT}/entities`)]).then(
      ([intents, entities]) =>
        current &&
        setNames({ intents: intents.map((item) => item.intent), entities: entities.map((item) => item.entity), error: null }),
      (error) => current && setNames((previous) => ({ ...previous, error })),
    );
    return () => (current = false);
  }, []);
  return names;
}
