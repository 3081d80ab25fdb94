/**
 * Why a round of `watch` ran: the first round, the interval, or a change one of the
 * monitors saw (shared by collect/, which sees the changes, and analyze/, which reports them).
 *
 * @module
 */
export type ChangeSource = 'nft-monitor' | 'ip-monitor' | 'sockets';
export type RoundTrigger = 'baseline' | 'interval' | ChangeSource;
