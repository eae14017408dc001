// How the console writes durations and times: milliseconds under two seconds, seconds under two
// minutes, then minutes and seconds. Times are the browser's local time.

export function duration(ms: number): string {
  if (ms < 2000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `+1:05` into a call: where a line of its conversation falls. */
export function offset(at: number, start: number): string {
  const seconds = Math.max(0, Math.floor((at - start) / 1000));
  return `+${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** `2026-12-01 09:12:40`, local time. */
export function dateTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
