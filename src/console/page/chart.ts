// Calls per hour as plain SVG: stacked bars by how calls ended, gridlines, hour labels. The chart
// is an image with a text description; the same numbers are in a table beside it.
import { layoutChart } from '../shared/chart.ts';
import type { Stats } from '../shared/types.ts';
import { svg } from './dom.ts';

const WIDTH = 720;
const HEIGHT = 200;
const LEFT = 32;
const BOTTOM = 22;

const hourLabel = (start: number) => String(new Date(start).getHours()).padStart(2, '0');

export function callsChart(stats: Stats, description: string): SVGSVGElement {
  const { bars, ticks } = layoutChart(stats.hours, WIDTH - LEFT, HEIGHT);
  const chart = svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT + BOTTOM + 8}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    svg('title', { id: 'chart-title' }, 'Calls per hour over the last 24 hours, by how they ended'),
    svg('desc', { id: 'chart-desc' }, description),
  );
  const plot = svg('g', { transform: `translate(${LEFT} 8)` });
  for (const { value, y } of ticks) {
    plot.append(svg('line', { class: 'grid', x1: 0, x2: WIDTH - LEFT, y1: y, y2: y }), svg('text', { x: -6, y: y + 4, 'text-anchor': 'end' }, value));
  }
  bars.forEach((bar, i) => {
    for (const s of bar.segments) plot.append(svg('rect', { class: s.category, x: bar.x, y: s.y, width: bar.width, height: Math.max(s.height, 0.5) }, svg('title', {}, `${s.calls} ${s.category}`)));
    // Every third hour is labelled: 24 labels do not fit a phone.
    if (i % 3 === 0) plot.append(svg('text', { x: bar.x + bar.width / 2, y: HEIGHT + 16, 'text-anchor': 'middle' }, hourLabel(bar.start)));
  });
  chart.append(plot);
  return chart;
}
