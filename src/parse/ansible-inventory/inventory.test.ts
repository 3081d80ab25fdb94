import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandHostRange, inventoryFormat, inventoryTargets, parseAnsibleInventory, selectHosts } from './index.js';

const FIXTURES = new URL('../../../test/fixtures/ansible-inventory/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

function targetsOf(text: string, file: string, limit?: string) {
  const inv = parseAnsibleInventory(text, file);
  expect(inv.diagnostics).toEqual([]);
  return inventoryTargets(inv.value, file, limit);
}

describe('Ansible inventory fixtures', () => {
  const expected = JSON.parse(fixture('fleet.expected.json')) as { targets: unknown[]; warnings: string[] };
  for (const file of ['fleet.ini', 'fleet.yml']) {
    it(`${file}: targets after Ansible's variable merge, non-SSH hosts skipped with a warning`, () => {
      const r = targetsOf(fixture(file), file);
      expect(r.value).toEqual(expected.targets);
      expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(expected.warnings.map((w) => `warning: ${w}`));
    });
  }

  it('--limit: groups, children, globs, regex, intersection, exclusion', () => {
    const inv = parseAnsibleInventory(fixture('fleet.ini'), 'fleet.ini').value;
    const pick = (p: string) => selectHosts(inv, p).hosts;
    expect(pick('webservers')).toEqual(['www01.example.com', 'www02.example.com', 'www03.example.com', 'web-legacy.example.com']);
    expect(pick('southeast')).toEqual(['host1', 'host2', 'host3']);
    expect(pick('southeast:&raleigh')).toEqual(['host2', 'host3']);
    expect(pick('southeast,!atlanta')).toEqual(['host3']);
    expect(pick('db-*')).toEqual(['db-a.example.com', 'db-b.example.com', 'db-main']);
    expect(pick('db-?.example.com')).toEqual(['db-a.example.com', 'db-b.example.com']);
    expect(pick('www0[!2]*')).toEqual(['www01.example.com', 'www03.example.com']);
    expect(pick('~^host[13]$')).toEqual(['host1', 'host3']);
    expect(pick('!southeast').length).toBe(9);
    expect(pick('ungrouped')).toEqual(['mail.example.com']);
    const yml = parseAnsibleInventory(fixture('fleet.yml'), 'fleet.yml').value;
    expect(selectHosts(yml, 'ungrouped').hosts).toEqual(['mail.example.com']);
    const moved = parseAnsibleInventory('early\nboth\n[web]\nboth\n', 'h.ini').value;
    expect(selectHosts(moved, 'ungrouped').hosts).toEqual(['early']);
    const none = selectHosts(inv, 'nosuchgroup');
    expect(none.hosts).toEqual([]);
    expect(none.diagnostics[0]).toMatchObject({ severity: 'warning', message: '"nosuchgroup" matches no group or host' });
    expect(selectHosts(inv, '~(').diagnostics[0]).toMatchObject({ severity: 'error', code: 'parse.limit' });
  });

  it('detects the format by extension, then by the first line', () => {
    expect(inventoryFormat('', 'hosts.yaml')).toBe('yaml');
    expect(inventoryFormat('all:\n  hosts:\n', 'hosts')).toBe('yaml');
    expect(inventoryFormat('[web]\nweb-1\n', 'hosts')).toBe('ini');
    expect(inventoryFormat('# c\nweb-1 ansible_host=192.0.2.1\n', 'hosts')).toBe('ini');
  });
});

describe('host ranges', () => {
  it('numbers keep the start width, letters, steps, several ranges', () => {
    expect(expandHostRange('www[001:003].example.com')).toEqual({ names: ['www001.example.com', 'www002.example.com', 'www003.example.com'] });
    expect(expandHostRange('db-[99:101]-node')).toEqual({ names: ['db-99-node', 'db-100-node', 'db-101-node'] });
    expect(expandHostRange('h[1:7:3]')).toEqual({ names: ['h1', 'h4', 'h7'] });
    expect(expandHostRange('r[a:b]-[1:2]')).toEqual({ names: ['ra-1', 'ra-2', 'rb-1', 'rb-2'] });
    expect(expandHostRange('x[5:1]')).toMatchObject({ error: expect.stringContaining('backwards') });
    expect(expandHostRange('x[1:9999999]')).toMatchObject({ error: expect.stringContaining('more than') });
  });
});

describe('bad inventories: located errors', () => {
  const errorsOf = (text: string, file: string) => {
    const inv = parseAnsibleInventory(text, file);
    const all = [...inv.diagnostics, ...inventoryTargets(inv.value, file).diagnostics];
    return all.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, line: d.location?.line, message: d.message }));
  };
  it('INI', () => {
    expect(errorsOf('[web\nweb-1\n', 'h.ini')).toEqual([{ code: 'parse.inventory.ini', line: 1, message: 'not a section header' }]);
    expect(errorsOf('[web]\nweb-1 ansible_host="192.0.2.1\n', 'h.ini')).toEqual([{ code: 'parse.inventory.ini', line: 2, message: 'unbalanced quote' }]);
    expect(errorsOf('[web]\n\nweb[3:1]\n', 'h.ini')[0]).toMatchObject({ line: 3 });
    expect(errorsOf('[web:vars]\njust words\n', 'h.ini')[0]).toMatchObject({ line: 2, message: 'not a variable assignment' });
    expect(errorsOf('[web]\nweb-1 ansible_port=ssh\n', 'h.ini')[0]).toMatchObject({ code: 'parse.inventory.port', message: 'host "web-1": ansible_port is not a port' });
    expect(errorsOf('[a:children]\nb\n[b:children]\na\n', 'h.ini')[0]).toMatchObject({ code: 'parse.inventory.cycle' });
  });
  it('YAML', () => {
    expect(errorsOf('all:\n  hosts:\n    - web-1\n', 'h.yml')).toEqual([{ code: 'parse.inventory.yaml', line: 3, message: 'hosts of group "all" is not a mapping' }]);
    expect(errorsOf('all:\n  children:\n    web:\n      host:\n        web-1:\n', 'h.yml')).toEqual([{ code: 'parse.inventory.yaml', line: 4, message: '"host" is not a group key' }]);
    expect(errorsOf('all:\n  hosts:\n    a: 1\n', 'h.yml')[0]).toMatchObject({ line: 3, message: 'host "a" has no variable mapping' });
    expect(errorsOf('all: [\n', 'h.yml')[0]).toMatchObject({ code: 'parse.inventory.yaml' });
    expect(errorsOf('- a\n- b\n', 'h.yml')[0]).toMatchObject({ line: 1, message: 'the inventory is not a mapping of groups' });
  });
});

/** A small random inventory, rendered both ways. */
const inventoryArb = fc
  .record({
    groups: fc.uniqueArray(fc.constantFrom('web', 'db', 'edge', 'lb', 'cache'), { minLength: 1, maxLength: 4 }),
    hosts: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { minLength: 1, maxLength: 8 }),
    seed: fc.array(fc.record({ g: fc.nat(), user: fc.option(fc.constantFrom('root', 'admin', 'ops')), port: fc.option(fc.integer({ min: 1, max: 65535 })) }), { minLength: 8, maxLength: 8 }),
    groupUser: fc.array(fc.option(fc.constantFrom('deploy', 'svc')), { minLength: 5, maxLength: 5 }),
  })
  .filter((x) => x.hosts.every((h) => !x.groups.includes(h) && h !== 'all' && h !== 'ungrouped'));

describe('property: INI and YAML renderings of one inventory give the same targets', () => {
  it('holds for random inventories', () => {
    fc.assert(
      fc.property(inventoryArb, ({ groups, hosts, seed, groupUser }) => {
        const ini: string[] = [];
        const yaml: string[] = ['all:', '  children:'];
        groups.forEach((g, gi) => {
          const members = hosts.filter((_, i) => seed[i]!.g % groups.length === gi);
          ini.push(`[${g}]`);
          yaml.push(`    ${g}:`, '      hosts:');
          if (members.length === 0) yaml.push('        {}');
          for (const h of members) {
            const s = seed[hosts.indexOf(h)]!;
            const vars = [s.user ? `ansible_user=${s.user}` : '', s.port ? `ansible_port=${s.port}` : ''].filter(Boolean);
            ini.push([h, ...vars].join(' '));
            yaml.push(`        ${h}:${vars.length ? ` { ${vars.map((v) => v.replace('=', ': ')).join(', ')} }` : ''}`);
          }
          if (groupUser[gi]) {
            ini.push(`[${g}:vars]`, `ansible_user=${groupUser[gi]}`);
            yaml.push('      vars:', `        ansible_user: ${groupUser[gi]}`);
          }
        });
        const a = targetsOf(ini.join('\n') + '\n', 'h.ini');
        const b = targetsOf(yaml.join('\n') + '\n', 'h.yml');
        expect(b.value).toEqual(a.value);
        expect(a.value.map((t) => t.name).sort()).toEqual([...hosts].sort());
      }),
      { numRuns: 200 },
    );
  });
});

describe('fuzz: any text gives targets or located errors, never an exception', () => {
  const piece = fc.constantFrom('[web]', '[web:vars]', '[web:children]', '[all:vars]', 'all:', '  hosts:', '    h1:', '  children:', 'h[1:3]', 'x=1', 'ansible_port=22', '"', "'", '#c', ';c', ':', '- a', '{', '[', 'h:70000', '  vars:', '    ansible_host: 192.0.2.1', 'web', '\t');
  for (const file of ['f.ini', 'f.yml']) {
    it(file, () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 12 })), { maxLength: 30 }), fc.option(fc.constantFrom('web', '!web', 'h*', '~h[0-9]', 'a:&b')), (lines, limit) => {
          const text = lines.join('\n');
          const inv = parseAnsibleInventory(text, file);
          const t = inventoryTargets(inv.value, file, limit ?? undefined);
          for (const d of [...inv.diagnostics, ...t.diagnostics]) {
            expect(d.location?.file).toBeTruthy();
            if (d.location?.line !== undefined) expect(d.location.line).toBeGreaterThanOrEqual(1);
            if (d.location?.line !== undefined) expect(d.location.line).toBeLessThanOrEqual(text.split('\n').length + 1);
          }
          for (const target of t.value) if (target.port !== undefined) expect(target.port).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 500 },
      );
    });
  }
});
