/**
 * Snapshot in, analysis out: the one place that walks the whole pipeline (parse the
 * snapshot's dumps, lower them, run the engine). The CLI and the library API call this.
 *
 * @module
 */
export {};
