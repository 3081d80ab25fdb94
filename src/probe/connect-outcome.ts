/** What one TCP connect attempt came to; 'timeout' is retried by the scanner. */
export interface ConnectOutcome {
  state: 'open' | 'closed' | 'filtered' | 'timeout';
  /** The connect succeeded only onto itself (TCP simultaneous open on a local target). */
  selfConnect?: true;
}
