/**
 * Charts as inline SVG, drawn here from the numbers: no script, no network, so the page
 * renders under `default-src 'none'` and in mail clients. Every label goes through `h`.
 *
 * @module
 */
import { h } from '../html/escape.js';

export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar (e.g. exposure). */
  tone?: string;
  title?: string;
}

const fmt = (x: number): string => x.toLocaleString('en-US');

/** Vertical bars over time (days or hours), with the first and last label under the axis. */
export function timeChart(bars: Bar[], title: string, width = 900, height = 220): string {
  if (bars.length === 0) return '';
  const pad = { l: 56, r: 8, t: 10, b: 28 };
  const max = Math.max(...bars.map((b) => b.value), 1);
  const w = (width - pad.l - pad.r) / bars.length;
  const plotH = height - pad.t - pad.b;
  const rects = bars
    .map((b, i) => {
      const bh = (b.value / max) * plotH;
      return `<rect class="bar" x="${(pad.l + i * w + w * 0.1).toFixed(1)}" y="${(pad.t + plotH - bh).toFixed(1)}" width="${Math.max(1, w * 0.8).toFixed(1)}" height="${bh.toFixed(1)}"><title>${h(b.label)}: ${fmt(b.value)}</title></rect>`;
    })
    .join('');
  const axis = `<line class="axis" x1="${pad.l}" y1="${pad.t + plotH}" x2="${width - pad.r}" y2="${pad.t + plotH}"/>`;
  const yLabels = `<text class="tick" x="${pad.l - 6}" y="${pad.t + 10}" text-anchor="end">${fmt(max)}</text><text class="tick" x="${pad.l - 6}" y="${pad.t + plotH}" text-anchor="end">0</text>`;
  const xLabels = `<text class="tick" x="${pad.l}" y="${height - 8}">${h(bars[0]!.label)}</text>` + (bars.length > 1 ? `<text class="tick" x="${width - pad.r}" y="${height - 8}" text-anchor="end">${h(bars.at(-1)!.label)}</text>` : '');
  return `<figure class="chart" data-chart="time"><figcaption>${h(title)}</figcaption><svg role="img" aria-label="${h(title)}" viewBox="0 0 ${width} ${height}" width="100%">${axis}${rects}${yLabels}${xLabels}</svg></figure>`;
}

/** Horizontal bars, one per row, labelled left and valued right. */
export function barChart(bars: Bar[], title: string, kind: string, width = 440): string {
  if (bars.length === 0) return '';
  const row = 22;
  const labelW = 170;
  const valueW = 70;
  const height = bars.length * row + 6;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const body = bars
    .map((b, i) => {
      const y = i * row + 4;
      const bw = Math.max(1, (b.value / max) * (width - labelW - valueW));
      return (
        `<text class="label" x="${labelW - 6}" y="${y + 14}" text-anchor="end">${h(b.label)}</text>` +
        `<rect class="bar ${h(b.tone ?? '')}" x="${labelW}" y="${y + 2}" width="${bw.toFixed(1)}" height="${row - 6}"><title>${h(b.title ?? b.label)}: ${fmt(b.value)}</title></rect>` +
        `<text class="value" x="${(labelW + bw + 4).toFixed(1)}" y="${y + 14}">${fmt(b.value)}</text>`
      );
    })
    .join('');
  return `<figure class="chart" data-chart="${h(kind)}"><figcaption>${h(title)}</figcaption><svg role="img" aria-label="${h(title)}" viewBox="0 0 ${width} ${height}" width="100%">${body}</svg></figure>`;
}
