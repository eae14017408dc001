// The geometry of the calls-per-hour chart: one bar per hour, stacked by how the calls ended.
// Pure numbers, so the page only draws rectangles (plain SVG) and the arithmetic is tested here.
import { endCategory, type EndCategory } from './words.ts';

export const CATEGORIES: readonly EndCategory[] = ['completed', 'failed', 'live'];

export interface Segment {
  category: EndCategory;
  calls: number;
  y: number;
  height: number;
}

export interface Bar {
  start: number;
  x: number;
  width: number;
  total: number;
  segments: Segment[];
}

export interface Chart {
  bars: Bar[];
  /** Gridlines: a value and its height. */
  ticks: { value: number; y: number }[];
}

/** Whole numbers only (calls), at most five gridlines, the top one at or above the highest bar. */
function tickStep(max: number): number {
  for (const step of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000]) if (max / step <= 4) return step;
  return Math.ceil(max / 4);
}

export function layoutChart(hours: { start: number; byReason: Record<string, number> }[], width: number, height: number): Chart {
  const counted = hours.map((h) => {
    const by = new Map<EndCategory, number>(CATEGORIES.map((c) => [c, 0]));
    for (const [reason, calls] of Object.entries(h.byReason)) {
      const category = endCategory(reason === 'live' ? null : reason);
      by.set(category, (by.get(category) ?? 0) + calls);
    }
    return { start: h.start, by, total: [...by.values()].reduce((a, b) => a + b, 0) };
  });
  const step = tickStep(Math.max(1, ...counted.map((h) => h.total)));
  const top = Math.max(step, Math.ceil(Math.max(1, ...counted.map((h) => h.total)) / step) * step);
  const scale = (calls: number) => (calls / top) * height;
  const slot = width / Math.max(1, hours.length);
  const bars = counted.map((h, i) => {
    let y = height;
    const segments: Segment[] = [];
    for (const category of CATEGORIES) {
      const calls = h.by.get(category) ?? 0;
      if (calls === 0) continue;
      const size = scale(calls);
      y -= size;
      segments.push({ category, calls, y, height: size });
    }
    return { start: h.start, x: i * slot + slot * 0.15, width: slot * 0.7, total: h.total, segments };
  });
  const ticks = [];
  for (let value = 0; value <= top; value += step) ticks.push({ value, y: height - scale(value) });
  return { bars, ticks };
}
