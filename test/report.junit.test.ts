import { describe, expect, it } from 'vitest';
import { renderJunit } from '../src/report/junit/render-junit.js';
import { escapeXmlAttr, escapeXmlText } from '../src/report/junit/xml-escape.js';
import { findAll, parseXml } from './fixtures/report/mini-xml.js';
import { HOSTILE, certifyFixture, hostileRun, runFixture } from './fixtures/report/runs.js';

describe('junit reporter', () => {
  it('renders a run as one testcase per scenario, grouped by file (snapshot)', async () => {
    await expect(renderJunit(runFixture())).toMatchFileSnapshot('./fixtures/report/run.junit.xml');
  });

  it('renders certify as one testcase per requirement (snapshot)', async () => {
    await expect(renderJunit(certifyFixture())).toMatchFileSnapshot('./fixtures/report/certify.junit.xml');
  });

  it('parses as XML with the structure CI systems read', () => {
    const root = parseXml(renderJunit(runFixture()));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '4', failures: '1', errors: '1', skipped: '1', time: '2.105' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['scenarios/csms/boot.yaml', 'scenarios/csms/smart-charging.yaml', 'scenarios/csms/remote-start.yaml']);
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => [c.attrs.classname, c.attrs.name, c.attrs.time])).toEqual([
      ['scenarios/csms/boot.yaml', 'Boot is accepted', '0.042'],
      ['scenarios/csms/boot.yaml', 'Heartbeat interval is honoured', '0.000'],
      ['scenarios/csms/smart-charging.yaml', 'Limit 0 suspends charging', '1.830'],
      ['scenarios/csms/remote-start.yaml', 'Remote start is accepted', '0.230'],
    ]);
    expect(findAll(cases[3], 'error')[0].attrs).toEqual({
      message: 'could not reach wss://staging.example.test/ocpp/CP-003: ECONNREFUSED',
      type: 'TRANSPORT_CONNECT_FAILED',
    });
    const failure = findAll(root, 'failure')[0];
    expect(failure.attrs.type).toBe('SCENARIO_ASSERT_FAILED');
    expect(failure.attrs.message).toContain('power did not fall below 100 W');
    expect(failure.text).toContain('expected:');
    expect(failure.text).toContain('"powerW": 7250');
    expect(failure.text).toContain('← +04:00 CP-002  [2,"a1","SetChargingProfile"');
    expect(failure.text).toContain('→ +04:00 CP-002  [3,"a1",{"status":"Accepted"}]');
    expect(findAll(cases[1], 'skipped')).toHaveLength(1);
  });

  it('maps certify verdicts: fail → failure, not-applicable / needs-operator / not-tested → skipped with the reason', () => {
    const root = parseXml(renderJunit(certifyFixture()));
    expect(root.attrs).toMatchObject({ tests: '6', failures: '1', skipped: '3' });
    const byId = new Map(findAll(root, 'testcase').map((c) => [c.attrs.classname, c]));
    expect(findAll(byId.get('PLT-CORE-2')!, 'failure')[0].attrs.message).toBe('MeterValues without Power.Active.Import (n=4)');
    expect(findAll(byId.get('PLT-FW-1')!, 'skipped')[0].attrs.message).toBe('not applicable: the manufacturer manages firmware updates');
    expect(findAll(byId.get('PLT-NF-2')!, 'skipped')[0].attrs.message).toContain('needs operator: ');
    expect(findAll(byId.get('PLT-SEC-3')!, 'skipped')[0].attrs.message).toBe('not tested');
    expect(byId.get('PLT-TLS-2')!.children.map((c) => c.name)).toEqual(['system-out']);
    // time = wall time of the scenarios tagged with the requirement
    expect(byId.get('PLT-SC-3')!.attrs.time).toBe('1.830');
  });

  it('stays well-formed with hostile strings everywhere, and keeps them readable', () => {
    for (const command of ['run', 'certify'] as const) {
      const xml = renderJunit(hostileRun(command));
      expect(xml).not.toContain(']]>');
      expect(xml).not.toContain('<script');
      // eslint-disable-next-line no-control-regex -- asserting control characters are absent
      expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      const root = parseXml(xml);
      const names = findAll(root, 'testcase').map((c) => c.attrs.name);
      const visible = `<script>alert("x")</script> & 'q' ]]> \\u0000\\u0001\\u001B[31mred\\u0007 \\uD800 \\uFFFE ok\u{1F50C}`;
      if (command === 'certify') expect(names[0]).toContain(visible);
      else expect(names.some((n) => n.includes(visible))).toBe(true);
      expect(root.attrs.name).toContain(visible);
    }
  });

  it('escapes the five markup characters, forbidden controls and line breaks in attributes', () => {
    expect(escapeXmlText(`a&b<c>d"e'f`)).toBe(`a&amp;b&lt;c&gt;d"e'f`);
    expect(escapeXmlAttr(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXmlText('x]]>y')).toBe('x]]&gt;y');
    expect(escapeXmlText('nul\u0000 esc\u001b vt\u000b tab\t nl\n')).toBe('nul\\u0000 esc\\u001B vt\\u000B tab\t nl\n');
    expect(escapeXmlText('lone \uDC00 pair \u{1F50C} nonchar \uFFFF')).toBe('lone \\uDC00 pair \u{1F50C} nonchar \\uFFFF');
    expect(escapeXmlAttr('a\nb\tc\rd')).toBe('a&#10;b&#9;c&#13;d');
    expect(parseXml(`<a m="${escapeXmlAttr(HOSTILE)}"/>`).attrs.m).toContain(`<script>alert("x")</script> & 'q' ]]>`);
  });

  it('the test parser itself rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a>x ]]> y</a>')).toThrow();
    expect(() => parseXml('<a m="<"/>')).toThrow();
    expect(() => parseXml('<a>&#1;</a>')).toThrow();
    expect(() => parseXml('<a>\u001b</a>')).toThrow();
    expect(() => parseXml('<a/><b/>')).toThrow();
  });
});
