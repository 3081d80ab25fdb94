/** The tool's version, written into snapshots and reports. */
export const VERSION = '0.1.0';
