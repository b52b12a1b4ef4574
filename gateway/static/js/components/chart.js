// A horizontal bar chart drawn as SVG at the width it is given, with its numbers as a table for screen readers.
import { html, useEffect, useRef, useState } from "../html.js";

const ROW = 28;
const BAR = 16;
const AXIS = 22;
const VALUE_WIDTH = 48;
const CHAR_WIDTH = 7.4; // of the chart's 13px labels, near enough to keep long names from running into the bars
const TICKS = [0, 0.25, 0.5, 0.75, 1];

let nextChart = 0;

/** The width of the element `ref` points at, followed as it changes (a phone turned, a window resized). */
function useWidth(ref, initial) {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    setWidth(element.clientWidth || initial);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width) || initial));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return width;
}

function shortened(label, room) {
  const fits = Math.max(3, Math.floor(room / CHAR_WIDTH));
  return label.length <= fits ? label : `${label.slice(0, fits - 1)}…`;
}

/**
 * Bars of `items` (`{label, value}`, value from 0 to `max`, null when unknown), in the order given. Bars below
 * `threshold` are marked (and the threshold drawn); `format(value)` writes a value. The SVG is hidden from
 * screen readers, which read the same numbers from the table under it.
 */
export function BarChart({ title, items, max = 1, threshold, format = String, labelHeading, valueHeading }) {
  const box = useRef(null);
  const [id] = useState(() => `chart-${++nextChart}`);
  const width = useWidth(box, 640);
  const longest = Math.max(...items.map((item) => item.label.length), 4);
  const labelWidth = Math.min(longest * CHAR_WIDTH + 12, Math.floor(width * 0.4));
  const barsWidth = Math.max(width - labelWidth - VALUE_WIDTH, 40);
  const x = (value) => labelWidth + (Math.min(value, max) / max) * barsWidth;
  const height = AXIS + items.length * ROW;
  return html`<figure class="bar-chart" aria-labelledby=${`${id}-title`}>
    <figcaption id=${`${id}-title`}>${title}</figcaption>
    <div class="bar-chart-box" ref=${box}>
      <svg width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
        ${TICKS.map(
          (tick) => html`<g key=${tick} class="bar-chart-tick">
            <line x1=${x(tick * max)} x2=${x(tick * max)} y1=${AXIS - 4} y2=${height} />
            <text x=${x(tick * max)} y=${AXIS - 8} text-anchor="middle">${format(tick * max)}</text>
          </g>`,
        )}
        ${items.map((item, index) => {
          const top = AXIS + index * ROW;
          const low = threshold !== undefined && item.value !== null && item.value < threshold;
          return html`<g key=${item.label} class=${`bar-chart-row${low ? " low" : ""}`}>
            <title>${item.label}: ${item.value === null ? "n/a" : format(item.value)}</title>
            <text class="bar-chart-label" x=${labelWidth - 8} y=${top + ROW / 2 + 4} text-anchor="end">
              ${shortened(item.label, labelWidth - 12)}
            </text>
            <rect class="bar-chart-bar" x=${labelWidth} y=${top + (ROW - BAR) / 2} height=${BAR}
              width=${Math.max(x(item.value ?? 0) - labelWidth, item.value ? 2 : 0)} rx="3" />
            <text class="bar-chart-value" x=${x(item.value ?? 0) + 6} y=${top + ROW / 2 + 4}>
              ${item.value === null ? "n/a" : format(item.value)}
            </text>
          </g>`;
        })}
        ${threshold !== undefined &&
        html`<line class="bar-chart-threshold" x1=${x(threshold)} x2=${x(threshold)} y1=${AXIS - 4} y2=${height} />`}
      </svg>
    </div>
    <table class="visually-hidden">
      <caption>${title}</caption>
      <thead><tr><th scope="col">${labelHeading}</th><th scope="col">${valueHeading}</th></tr></thead>
      <tbody>
        ${items.map(
          (item) => html`<tr key=${item.label}>
            <th scope="row">${item.label}</th><td>${item.value === null ? "n/a" : format(item.value)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </figure>`;
}
