// One variation of a bot response: shown as the user would see it, and edited as form fields (text, buttons,
// image, channel, slot conditions) with any other Rasa keys as JSON.
import { html, useEffect, useMemo, useRef, useState } from "../html.js";
import { ErrorMessage } from "./feedback.js";
import { Button, Field, value } from "./form.js";

const FORM_KEYS = ["text", "image", "buttons", "channel", "condition"];
// Keys of the API's item that describe it rather than its content.
const ITEM_KEYS = ["id", "response_name", "annotation"];
const SHOWN_KEYS = ["text", "image", "buttons", "custom", "attachment", "elements", "quick_replies"];

/** A variation as it will be shown: its text, image, buttons, channel, conditions and other content. */
export function VariationView({ variation }) {
  const other = otherKeys(variation);
  return html`<div class="variation-view">
    ${variation.text && html`<p class="variation-text">${variation.text}</p>`}
    ${variation.image &&
    html`<p>
      <span class="muted">Image: </span>
      <a href=${variation.image} target="_blank" rel="noopener noreferrer">${variation.image}</a>
    </p>`}
    ${variation.buttons?.length > 0 &&
    html`<ul class="variation-buttons" aria-label="Buttons">
      ${variation.buttons.map(
        (button, index) => html`<li key=${index}>
          <span class="button-chip">${button.title}</span>${" "}<code>${button.payload}</code>
        </li>`,
      )}
    </ul>`}
    <p class="variation-tags">
      ${variation.channel && html`<span class="badge neutral">Channel: ${variation.channel}</span>`}
      ${(variation.condition || []).map(
        (condition, index) =>
          html`<span class="badge" key=${index}>If ${condition.name} = ${JSON.stringify(condition.value)}</span>`,
      )}
    </p>
    ${Object.keys(other).length > 0 && html`<pre class="variation-other">${JSON.stringify(other, null, 2)}</pre>`}
  </div>`;
}

/**
 * The fields of a variation. `initial` is the API's item (or {} for a new one); `onSubmit(content)` gets the content
 * keys to send; `error` is the API's answer, shown at the field it names when it names one. `before` goes first
 * (the new response's name field).
 */
export function VariationForm({ initial = {}, onSubmit, onCancel, busy, error, submitLabel, before }) {
  const [text, setText] = useState(initial.text || "");
  const [image, setImage] = useState(initial.image || "");
  const [channel, setChannel] = useState(initial.channel || "");
  const [buttons, setButtons] = useState(initial.buttons || []);
  const [conditions, setConditions] = useState(
    (initial.condition || []).map((condition) => ({ ...condition, value: conditionText(condition.value) })),
  );
  const initialOther = useMemo(() => otherKeys(initial), []);
  const [other, setOther] = useState(Object.keys(initialOther).length ? JSON.stringify(initialOther, null, 2) : "");
  const [problems, setProblems] = useState({});
  const form = useRef(null);
  const apiField = fieldOf(error);
  const fieldError = (name) => problems[name] || (apiField === name ? error.message : undefined);

  const submit = (event) => {
    event.preventDefault();
    const found = {};
    let extra = {};
    try {
      extra = other.trim() ? JSON.parse(other) : {};
      if (!extra || typeof extra !== "object" || Array.isArray(extra)) throw new Error("not an object");
    } catch {
      found.other = 'Other content must be a JSON object, e.g. {"custom": {"kind": "map"}}.';
    }
    const content = { ...extra };
    if (text.trim()) content.text = text;
    if (image.trim()) content.image = image.trim();
    if (channel.trim()) content.channel = channel.trim();
    const filledButtons = buttons.filter((button) => button.title.trim() || button.payload.trim());
    buttons.forEach((button, index) => {
      if (button.title.trim() && !button.payload.trim()) found[`button-${index}-payload`] = "A button needs a payload too.";
      if (!button.title.trim() && button.payload.trim()) found[`button-${index}-title`] = "A button needs a title too.";
    });
    if (filledButtons.length) content.buttons = filledButtons;
    const filledConditions = conditions.filter((condition) => condition.name.trim());
    if (filledConditions.length) {
      content.condition = filledConditions.map((condition) => ({
        type: "slot",
        ...condition,
        name: condition.name.trim(),
        value: conditionValue(condition.value),
      }));
    }
    if (!found.other && !SHOWN_KEYS.some((key) => content[key] !== undefined)) {
      found.text = "A variation needs a text, an image, buttons or custom content.";
    }
    setProblems(found);
    if (Object.keys(found).length === 0) onSubmit(content);
  };
  // Keyboard and screen-reader users land on the first field to fix.
  useEffect(() => {
    if (Object.keys(problems).length) form.current?.querySelector('[aria-invalid="true"]')?.focus();
  }, [problems]);

  return html`<form class="variation-form" ref=${form} onSubmit=${submit} noValidate>
    ${before}
    <${Field} label="Text" error=${fieldError("text")} hint="Slots in braces are filled in, e.g. {name}.">
      <textarea rows="3" value=${text} onInput=${(event) => setText(value(event))}></textarea>
    <//>
    <fieldset class="rows-field">
      <legend>Buttons</legend>
      ${buttons.map(
        (button, index) => html`<div class="row-fields" key=${index}>
          <${Field} label=${`Button ${index + 1} title`} error=${fieldError(`button-${index}-title`)}>
            <input value=${button.title} onInput=${(event) => setButtons(changed(buttons, index, { title: value(event) }))} />
          <//>
          <${Field} label=${`Button ${index + 1} payload`} error=${fieldError(`button-${index}-payload`)}>
            <input value=${button.payload} placeholder="/intent_name"
              onInput=${(event) => setButtons(changed(buttons, index, { payload: value(event) }))} />
          <//>
          <${Button} kind="small" aria-label=${`Remove button ${index + 1}`}
            onClick=${() => setButtons(buttons.filter((_, other) => other !== index))}>Remove<//>
        </div>`,
      )}
      ${fieldError("buttons") && html`<small class="field-error">${fieldError("buttons")}</small>`}
      <${Button} kind="small" onClick=${() => setButtons([...buttons, { title: "", payload: "" }])}>Add a button<//>
    </fieldset>
    <div class="pair-fields">
      <${Field} label="Image URL" error=${fieldError("image")}>
        <input value=${image} inputmode="url" onInput=${(event) => setImage(value(event))} />
      <//>
      <${Field} label="Channel" error=${fieldError("channel")} hint="Only on this output channel; empty: any.">
        <input value=${channel} onInput=${(event) => setChannel(value(event))} />
      <//>
    </div>
    <fieldset class="rows-field">
      <legend>Conditions</legend>
      <small class="hint">Sent only when every slot has its value. true, false, null and numbers are read as such.</small>
      ${conditions.map(
        (condition, index) => html`<div class="row-fields" key=${index}>
          <${Field} label=${`Condition ${index + 1} slot`}>
            <input value=${condition.name}
              onInput=${(event) => setConditions(changed(conditions, index, { name: value(event) }))} />
          <//>
          <${Field} label=${`Condition ${index + 1} value`}>
            <input value=${condition.value}
              onInput=${(event) => setConditions(changed(conditions, index, { value: value(event) }))} />
          <//>
          <${Button} kind="small" aria-label=${`Remove condition ${index + 1}`}
            onClick=${() => setConditions(conditions.filter((_, other) => other !== index))}>Remove<//>
        </div>`,
      )}
      ${fieldError("condition") && html`<small class="field-error">${fieldError("condition")}</small>`}
      <${Button} kind="small" onClick=${() => setConditions([...conditions, { type: "slot", name: "", value: "" }])}>
        Add a condition
      <//>
    </fieldset>
    <${Field} label="Other content (JSON)" error=${fieldError("other")}
      hint='Rasa keys without a field here: custom, attachment, elements, quick_replies, metadata.'>
      <textarea class="code variation-json" rows="3" value=${other} spellcheck=${false}
        onInput=${(event) => setOther(value(event))}></textarea>
    <//>
    ${error && !apiField && html`<${ErrorMessage} error=${error} title="Not saved" />`}
    <div class="actions">
      <${Button} kind="primary" type="submit" busy=${busy}>${submitLabel}<//>
      ${onCancel && html`<${Button} onClick=${onCancel}>Cancel<//>`}
    </div>
  </form>`;
}

/** The content keys the form has no field for, kept as they are. */
function otherKeys(variation) {
  return Object.fromEntries(
    Object.entries(variation).filter(([key]) => !FORM_KEYS.includes(key) && !ITEM_KEYS.includes(key)),
  );
}

/** The form field an API error is about ("each of buttons must be ..."), or "" when it names none. */
function fieldOf(error) {
  const message = error?.message || "";
  if (!message || error.status !== 400) return "";
  if (message.includes("at least one of")) return "text";
  const named = /\b(text|image|channel|buttons|condition|custom|attachment|elements|quick_replies|metadata)\b/.exec(message);
  if (!named) return "";
  return FORM_KEYS.includes(named[1]) ? named[1] : "other";
}

function changed(rows, index, change) {
  return rows.map((row, other) => (other === index ? { ...row, ...change } : row));
}

function conditionText(stored) {
  return typeof stored === "string" ? stored : JSON.stringify(stored ?? null);
}

function conditionValue(typed) {
  const trimmed = typed.trim();
  if (trimmed === "true" || trimmed === "false" || trimmed === "null") return JSON.parse(trimmed);
  if (trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return typed;
}
