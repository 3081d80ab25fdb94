/**
 * Target extensions iptables ships (and the common xtables-addons ones), so that `-j NAME`
 * without a chain of that name can be told apart from a typo'd chain name.
 *
 * @module
 */

/** Targets lowered to `continue`: they note, mark or mangle the packet and let it go on. */
export const CONTINUE_TARGETS: ReadonlySet<string> = new Set([
  'LOG', 'NFLOG', 'ULOG', 'AUDIT', 'TRACE', 'MARK', 'CONNMARK', 'TCPMSS', 'CHECKSUM', 'TTL', 'HL',
  'DSCP', 'TOS', 'CLASSIFY', 'SET', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'LED', 'TEE', 'CT',
]);

export const KNOWN_TARGETS: ReadonlySet<string> = new Set([
  'ACCEPT', 'DROP', 'REJECT', 'RETURN', 'QUEUE', 'NFQUEUE', 'NOTRACK', 'DNAT', 'SNAT', 'MASQUERADE',
  'REDIRECT', 'NETMAP', 'SAME', 'CLUSTERIP', 'DNPT', 'SNPT', 'ECN', 'HMARK', 'RATEEST', 'SYNPROXY',
  'TCPOPTSTRIP', 'TPROXY', 'MIRROR', 'TARPIT', 'DELUDE', 'CHAOS', 'ACCOUNT', 'IPMARK', 'LOGMARK',
  'SYSRQ', 'DHCPMAC', 'ECHO', 'STEAL', 'RAWDNAT', 'RAWSNAT', 'IPV4OPTSSTRIP', 'FLOWOFFLOAD',
  ...CONTINUE_TARGETS,
]);
