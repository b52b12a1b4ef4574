// How the models, training and evaluation screens write sizes, durations and scores.

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];

/** "6.2 KB", "1.4 GB" (powers of 1000, as disks and downloads count). */
export function formatBytes(bytes) {
  let size = Number(bytes) || 0;
  let unit = 0;
  while (size >= 1000 && unit < BYTE_UNITS.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? size : size.toFixed(size < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** "42 s", "3 min 5 s", "2 h 4 min" for a number of seconds. */
export function formatDuration(seconds) {
  if (seconds < 10) return `${Number(Math.max(0, seconds).toFixed(1))} s`;
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours) return `${hours} h ${minutes} min`;
  return `${minutes} min ${total % 60} s`;
}

/** A score between 0 and 1 as "0.87"; "n/a" when Rasa could not compute it. */
export function formatScore(score) {
  return score === null || score === undefined ? "n/a" : score.toFixed(2);
}

/** A share between 0 and 1 as "87.5%". */
export function formatPercent(share) {
  return share === null || share === undefined ? "n/a" : `${(share * 100).toFixed(1)}%`;
}
