/** What one TCP connect attempt came to; 'timeout' is retried by the scanner. */
export interface ConnectOutcome {
  /** busy: this host ran out of descriptors or source ports; says nothing about the target (tried again). */
  state: 'open' | 'closed' | 'filtered' | 'timeout' | 'busy';
  /** The connect succeeded only onto itself (TCP simultaneous open on a local target). */
  selfConnect?: true;
}
