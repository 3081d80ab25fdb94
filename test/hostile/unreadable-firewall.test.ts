/**
 * Issue 9, item 3: when the rules could not be read (a normal user), every answer says so
 * in its data, not only on stderr: explain's notes, the audit host (JSON, text header, HTML).
 */
import { describe, expect, it } from 'vitest';
import type { FirewallSource } from '../../src/model/snapshot.js';
import { renderAuditHtml, renderAuditText } from '../../src/render/index.js';
import { validator } from '../render/load.js';
import { auditOf, explainOf, iptablesDump, snapshotOf, sock } from './hostile-helpers.js';

const denied = (kind: FirewallSource['kind'], command: string): FirewallSource => ({ kind, backend: null, command: [command], status: 'unavailable', reason: 'permission denied: run as root' });
const ALL_DENIED = [denied('nft-json', 'nft'), denied('iptables-save', 'iptables-nft-save'), denied('ip6tables-save', 'ip6tables-nft-save')];
const asUser = (firewall: FirewallSource[]) => snapshotOf([sock('tcp', '0.0.0.0', 22), sock('tcp', '::', 443)], { privileges: { uid: 1000, euid: 1000, root: false }, firewall });

describe('a firewall that could not be read', () => {
  it('explain says so in its notes, for either family', () => {
    for (const from of ['203.0.113.9', '2001:db8:99::1']) {
      const a = explainOf(asUser(ALL_DENIED), { from, to: '', port: 22, proto: 'tcp' });
      expect(a.notes.some((n) => n.startsWith('firewall not readable as this user (permission denied: run as root); the answer assumes no'))).toBe(true);
    }
  });

  it('the audit JSON carries it per family, valid against the schema; text and HTML headers say it', () => {
    const report = auditOf(asUser(ALL_DENIED));
    const host = report.hosts[0]!;
    expect(host.firewallUnreadable).toEqual({
      ipv4: 'firewall not readable as this user (permission denied: run as root)',
      ipv6: 'firewall not readable as this user (permission denied: run as root)',
    });
    const validate = validator('audit');
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
    const text = renderAuditText(report, { color: false, width: 200 });
    expect(text).toContain('IPv4 firewall not readable as this user, IPv6 firewall not readable as this user');
    expect(text).not.toContain('no rules');
    expect(renderAuditHtml(report)).toContain('IPv4: firewall not readable as this user');
  });

  it('one readable family is reported as read; only the other is flagged', () => {
    const firewall: FirewallSource[] = [
      { kind: 'iptables-save', backend: 'legacy', command: ['iptables-legacy-save'], status: 'ok', content: iptablesDump([]) },
      denied('ip6tables-save', 'ip6tables-legacy-save'),
    ];
    const host = auditOf(asUser(firewall)).hosts[0]!;
    expect(host.firewallUnreadable).toEqual({ ipv6: 'firewall not readable as this user (permission denied: run as root)' });
    expect(explainOf(asUser(firewall), { from: '203.0.113.9', to: '', port: 22, proto: 'tcp' }).notes.join()).not.toContain('not readable');
  });

  it('a readable firewall adds nothing', () => {
    const snap = snapshotOf([sock('tcp', '0.0.0.0', 22)], { firewall: [{ kind: 'iptables-save', backend: 'legacy', command: ['iptables-legacy-save'], status: 'ok', content: iptablesDump([]) }] });
    expect(auditOf(snap).hosts[0]!.firewallUnreadable).toBeUndefined();
  });
});
