/**
 * Plain-text layout: widths, truncation, word wrap and tables. Everything is measured on the
 * text before colour is applied, so escape codes never count as columns.
 *
 * @module
 */
import { isHighSurrogate, isLowSurrogate } from '../../model/utf16.js';

/**
 * Columns a string takes (code points: rule texts are ASCII in practice; `…` counts one).
 * Counted without building an array of code points: the text report measures every word.
 */
export function textWidth(s: string): number {
  return widthBetween(s, 0, s.length);
}

/** Cut to `width` columns, ending with "…" when cut. */
export function truncate(s: string, width: number): string {
  // No more code units than columns: it fits, and no array of code points is built per cell.
  if (s.length <= width) return s;
  const cps = [...s];
  if (cps.length <= width) return s;
  if (width <= 1) return '…'.slice(0, width);
  return cps.slice(0, width - 1).join('') + '…';
}

/** Pad on the right to `width` columns. */
export function padEnd(s: string, width: number): string {
  const w = textWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/**
 * Word-wrap to `width` columns. Words longer than a line are split hard (rule texts can be
 * one long token), so no line is ever wider than `width`.
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  return wrapSingleSpaced(text, w) ?? wrapWords(text, w);
}

/**
 * {@link wrap} of a text whose words are apart by single spaces, none leading or trailing,
 * none wider than the line (caveats, rule texts): each line is cut from the text as it is,
 * with no array of words and no line joined word by word. kube-nft-5000's text report wraps
 * 5,000 caveats, and those copies were half of what its writing allocated (issue 8). null
 * when the text is not of that kind: {@link wrapWords} then does it.
 */
function wrapSingleSpaced(text: string, w: number): string[] | null {
  const n = text.length;
  if (n === 0 || text.charCodeAt(0) === 32 || text.charCodeAt(n - 1) === 32) return null;
  const lines: string[] = [];
  let lineStart = 0;
  let lineEnd = 0;
  let lineWidth = -1;
  let wordStart = 0;
  for (;;) {
    let end = text.indexOf(' ', wordStart);
    if (end < 0) end = n;
    if (end === wordStart) return null;
    const wordWidth = widthBetween(text, wordStart, end);
    if (wordWidth > w) return null;
    if (lineWidth < 0) {
      lineStart = wordStart;
      lineWidth = wordWidth;
    } else if (lineWidth + 1 + wordWidth <= w) {
      lineWidth += 1 + wordWidth;
    } else {
      lines.push(text.slice(lineStart, lineEnd));
      lineStart = wordStart;
      lineWidth = wordWidth;
    }
    lineEnd = end;
    if (end === n) break;
    wordStart = end + 1;
  }
  lines.push(text.slice(lineStart, lineEnd));
  return lines;
}

/** {@link textWidth} of `text.slice(from, to)`, without the slice. A surrogate pair is one code point; a lone surrogate counts one, as string iteration does. */
function widthBetween(text: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to - 1; i++) {
    const c = text.charCodeAt(i);
    if (isHighSurrogate(c)) {
      const next = text.charCodeAt(i + 1);
      if (isLowSurrogate(next)) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** {@link wrap} word by word: any text. */
function wrapWords(text: string, w: number): string[] {
  const lines: string[] = [];
  let line = '';
  // The line's width is kept as words join it: measuring the line again per word made the
  // text report (tens of thousands of wrapped caveats) measure each line once per word.
  let lineWidth = 0;
  for (const word of text.split(/ +/)) {
    let rest = word;
    let restWidth = textWidth(rest);
    if (restWidth > w) {
      // Split once into code points and cut chunks: re-splitting the rest each time was
      // quadratic in the word's length (issue 9).
      if (line) {
        lines.push(line);
        line = '';
      }
      const cps = [...rest];
      let at = 0;
      for (; cps.length - at > w; at += w) lines.push(cps.slice(at, at + w).join(''));
      rest = cps.slice(at).join('');
      restWidth = cps.length - at;
    }
    if (!line) {
      line = rest;
      lineWidth = restWidth;
    } else if (lineWidth + 1 + restWidth <= w) {
      line += ' ' + rest;
      lineWidth += 1 + restWidth;
    } else {
      lines.push(line);
      line = rest;
      lineWidth = restWidth;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** A table column. */
export interface Column {
  header: string;
  /** Narrowest the column may get when the table must shrink. */
  min: number;
  /** Columns that give up width first when the table is too wide (higher gives first). */
  shrink?: number;
}

/** A table cell: plain text, measured, then styled. */
export interface Cell {
  text: string;
  /** Colour applied after layout. */
  style?: (s: string) => string;
}

/** A laid-out table: header line, row lines. */
export interface TableLines {
  head: string;
  rows: string[];
  /** Column where each column starts, indent included (to align notes under a row). */
  starts: number[];
}

/**
 * Lay out a table within `width` columns (indent included): natural widths, then the most
 * shrinkable columns give up width down to their minimum; cut cells end with "…".
 */
export function table(columns: readonly Column[], rows: readonly Cell[][], width: number, indent: string, headStyle: (s: string) => string): TableLines {
  const gap = 2;
  const widths = columns.map((col, i) => Math.max(textWidth(col.header), ...rows.map((r) => textWidth(r[i]?.text ?? ''))));
  const total = (): number => textWidth(indent) + widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
  const order = columns.map((c, i) => ({ i, shrink: c.shrink ?? 0 })).filter((c) => c.shrink > 0).sort((a, b) => b.shrink - a.shrink);
  for (const { i } of order) {
    const excess = total() - width;
    if (excess <= 0) break;
    widths[i] = Math.max(columns[i]!.min, widths[i]! - excess);
  }
  const line = (cells: Cell[]): string =>
    indent +
    cells
      .map((cell, i) => {
        const w = widths[i]!;
        const text = truncate(cell.text, w);
        const styled = cell.style ? cell.style(text) : text;
        // The last column is not padded: no trailing spaces.
        return i === cells.length - 1 ? styled : styled + ' '.repeat(w - textWidth(text));
      })
      .join(' '.repeat(gap));
  const starts: number[] = [];
  let at = textWidth(indent);
  for (const w of widths) {
    starts.push(at);
    at += w + gap;
  }
  return { head: line(columns.map((c) => ({ text: c.header, style: headStyle }))), rows: rows.map(line), starts };
}
