// A plain-text YAML editor: line numbers, Tab indenting, Ctrl/Cmd+S saving, and the API's error shown at its line.
import { html, useEffect, useMemo, useRef } from "../html.js";
import { ErrorMessage } from "./feedback.js";

const INDENT = "  ";
let nextId = 0;

/** The line an API error names ("data/stories.yml line 4: ..."), or null. */
export function errorLine(error) {
  const found = /\bline (\d+)/i.exec(error?.message || "");
  return found ? Number(found[1]) : null;
}

/** Whether unsaved edits may be dropped: true when there are none or the user agrees. */
export function confirmDiscard(dirty) {
  return !dirty || window.confirm("Discard your unsaved changes?");
}

/**
 * A labelled YAML textarea. `value`/`onInput(text)` hold the text; `dirty` shows the unsaved-changes mark;
 * `onSave()` runs on Ctrl/Cmd+S; `error` (an ApiError) is shown under the editor, and the line it names is marked
 * in the gutter and gets the caret. `children` (the save and other buttons) go under it.
 */
export function YamlEditor({ label, value, onInput, onSave, dirty, error, readOnly, children, rows = 18 }) {
  const id = useMemo(() => `yaml-editor-${++nextId}`, []);
  const textarea = useRef(null);
  const gutter = useRef(null);
  const band = useRef(null);
  // After Escape the next Tab leaves the editor, so keyboard users are never trapped in it.
  const released = useRef(false);
  const lineCount = useMemo(() => value.split("\n").length, [value]);
  const markedLine = errorLine(error);
  const numbers = useMemo(() => gutterNumbers(lineCount, markedLine), [lineCount, markedLine]);

  useEffect(() => {
    if (markedLine) showLine(textarea.current, markedLine);
  }, [error]);

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const keyDown = (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (onSave && !readOnly) onSave();
      return;
    }
    if (event.key === "Escape") {
      released.current = true;
      return;
    }
    if (event.key === "Tab" && !released.current && !readOnly && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      indent(event.currentTarget, event.shiftKey);
    }
    if (event.key !== "Shift") released.current = false;
  };

  // The band behind the marked line follows the text as it scrolls.
  const placeBand = () => {
    const element = textarea.current;
    if (!band.current || !element || !markedLine) return;
    const style = getComputedStyle(element);
    const height = parseFloat(style.lineHeight);
    band.current.style.top = `${parseFloat(style.paddingTop) + (markedLine - 1) * height}px`;
    band.current.style.height = `${height}px`;
    band.current.style.transform = `translateY(${-element.scrollTop}px)`;
  };

  useEffect(placeBand, [error, lineCount]);

  const scrolled = () => {
    if (gutter.current) gutter.current.scrollTop = textarea.current.scrollTop;
    placeBand();
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return html`<div class="yaml-editor">
    <div class="yaml-editor-head">
      <label for=${id}>${label}</label>
      ${dirty && html`<span class="badge warn">Unsaved changes</span>`}
    </div>
    <div class="yaml-editor-body ${error ? "invalid" : ""}">
      <div class="yaml-gutter-frame" style=${{ width: `${String(lineCount).length + 2}ch` }}>
        <pre class="yaml-gutter" ref=${gutter} aria-hidden="true">${numbers}</pre>
      </div>
      <div class="yaml-text">
        ${markedLine && markedLine <= lineCount && html`<div class="yaml-error-band" ref=${band} aria-hidden="true"></div>`}
        <textarea
          id=${id}
          ref=${textarea}
          class="code"
          rows=${rows}
          wrap="off"
          spellcheck=${false}
          autocomplete="off"
          autocapitalize="off"
          readonly=${readOnly}
          aria-invalid=${error ? "true" : undefined}
          aria-describedby=${error ? `${errorId} ${hintId}` : hintId}
          value=${value}
          onInput=${(event) => onInput(event.currentTarget.value)}
          onKeyDown=${keyDown}
          onScroll=${scrolled}
        ></textarea>
      </div>
    </div>
    ${error && html`<div id=${errorId} class="yaml-error">
      <${ErrorMessage} error=${error} title=${markedLine ? `Not saved, line ${markedLine}` : "Not saved"} />
    </div>`}
    <small class="hint" id=${hintId}>
      ${readOnly
        ? "Read only: your role may not change this."
        : "Tab indents by two spaces (Shift+Tab outdents); press Esc, then Tab, to leave the editor. Ctrl+S (⌘S) saves."}
    </small>
    ${children && html`<div class="actions yaml-editor-actions">${children}</div>`}
  </div>`;
}

/** The gutter's text: one number a line, the marked line's number in a <mark>. */
function gutterNumbers(count, marked) {
  const range = (from, to) => Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
  if (!marked || marked > count) return range(1, count).join("\n");
  const before = range(1, marked - 1).join("\n");
  const after = range(marked + 1, count).join("\n");
  const mark = html`<mark class="gutter-error" title="The error is on this line">${marked}</mark>`;
  return html`${before}${before && "\n"}${mark}${after && "\n"}${after}`;
}

/** Put the caret at the start of `line` (1-based) and scroll it into view. */
function showLine(element, line) {
  if (!element) return;
  const lines = element.value.split("\n");
  const target = Math.min(line, lines.length);
  const start = lines.slice(0, target - 1).reduce((sum, text) => sum + text.length + 1, 0);
  element.focus({ preventScroll: true });
  element.setSelectionRange(start, start);
  const lineHeight = parseFloat(getComputedStyle(element).lineHeight);
  element.scrollTop = Math.max(0, (target - 1) * lineHeight - element.clientHeight / 3);
  element.scrollIntoView({ block: "nearest" });
}

/** Indent (or with `outdent`, unindent) the selected lines, or insert two spaces at the caret. */
function indent(element, outdent) {
  const { selectionStart: start, selectionEnd: end, value } = element;
  const multiline = value.slice(start, end).includes("\n");
  if (!outdent && !multiline) {
    replaceRange(element, start, end, INDENT);
    return;
  }
  const lineStart = value.lastIndexOf("\n", start - 1) + 1;
  const block = value.slice(lineStart, end);
  const changed = block
    .split("\n")
    .map((text) => (outdent ? text.replace(/^ {1,2}/, "") : INDENT + text))
    .join("\n");
  replaceRange(element, lineStart, end, changed);
  element.setSelectionRange(lineStart, lineStart + changed.length);
}

/** Replace a range as typing would, so the browser's undo still works; the input event updates the state. */
function replaceRange(element, start, end, text) {
  element.setSelectionRange(start, end);
  if (!document.execCommand("insertText", false, text)) {
    element.setRangeText(text, start, end, "end");
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
