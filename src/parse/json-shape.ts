/**
 * Small helpers for reading the JSON that iproute2 prints: shape checks and a short
 * rendering of an offending value for diagnostics.
 *
 * @module
 */
import { excerpt } from '../model/diagnostics.js';

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as JSON, cut short for a message. */
export function showJson(v: unknown): string {
  return excerpt(JSON.stringify(v) ?? String(v));
}
