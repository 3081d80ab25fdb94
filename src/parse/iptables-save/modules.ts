/**
 * How match modules without a packet-space dimension are read.
 *
 * @module
 */

/** Modules whose match depends on a rate, a count or history: the rule admits only some packets. */
export const RATE_LIMIT_MODULES: ReadonlySet<string> = new Set(['limit', 'hashlimit', 'recent', 'connlimit', 'connbytes', 'quota', 'quota2']);

/**
 * Modules understood but not modelled: their condition (mark, owner, MAC, time, length, IPv6
 * extension headers, …) is no dimension of our packet space, so a rule using them only *may* match.
 */
export const UNMODELLED_MODULES: ReadonlySet<string> = new Set([
  'mark', 'connmark', 'owner', 'mac', 'physdev', 'string', 'u32', 'bpf', 'time', 'statistic', 'length',
  'ttl', 'hl', 'tos', 'dscp', 'ecn', 'policy', 'socket', 'helper', 'cgroup', 'devgroup', 'realm',
  'rpfilter', 'osf', 'ipvs', 'cluster', 'esp', 'ah', 'frag', 'rt', 'hbh', 'dst', 'ipv6header', 'mh',
  'tcpmss', 'connlabel', 'rateest', 'nfacct', 'ipcomp', 'l2tp', 'udplite', 'condition', 'geoip',
  'ipv4options', 'conntrack-extra',
]);
