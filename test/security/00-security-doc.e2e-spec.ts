import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOC = join(ROOT, 'docs', 'security.md');

/**
 * Keeps docs/security.md honest (issue 6; docs/security.md 52): one filled row per check 1-52, every
 * test it cites exists, every test file of this directory is cited in its own check's row, and
 * the embedded-login exception and the lifetimes are documented.
 */
describe('00: docs/security.md accounts for every check', () => {
  const doc = readFileSync(DOC, 'utf8');
  const rows = new Map<number, string[]>();
  const table = doc.slice(
    doc.indexOf('## The table'),
    doc.indexOf('\n## ', doc.indexOf('## The table') + 1),
  );
  for (const line of table.split('\n')) {
    const m = /^\| (\d{1,2}) \|(.*)\|$/.exec(line);
    if (m)
      rows.set(
        Number(m[1]),
        m[2].split(' | ').map((c) => c.trim()),
      );
  }

  it('should have one filled row for each of the 52 checks', () => {
    expect([...rows.keys()]).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    for (const [n, cells] of rows) {
      expect({ n, cells: cells.length }).toEqual({ n, cells: 4 });
      // Check, what we do, proof, status: a dash is allowed only where there is nothing to do.
      expect({ n, check: cells[0].length > 3, status: cells[3].length > 3 }).toEqual({
        n,
        check: true,
        status: true,
      });
      if (!/^\*\*(n\/a|not done)/.test(cells[3]))
        expect({ n, proof: cells[2] }).toEqual({
          n,
          proof: expect.stringMatching(/`(test|src)\//),
        });
    }
  });

  it('should cite only tests that exist, and cite each security test in its own row', () => {
    const cited = [
      ...doc.matchAll(
        /`((?:test|src)\/[^`]+\.(?:e2e-spec|spec|browser-spec|reliability-spec)\.ts)`/g,
      ),
    ].map((m) => m[1]);
    expect(cited.length).toBeGreaterThan(60);
    expect(cited.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
    for (const file of readdirSync(__dirname).filter((f) => /^\d\d-.*\.e2e-spec\.ts$/.test(f))) {
      const n = Number(file.slice(0, 2));
      if (n === 0) continue;
      expect({ file, row: rows.get(n)?.[2]?.includes(`test/security/${file}`) }).toEqual({
        file,
        row: true,
      });
    }
  });

  it('should stand alone: no link or file reference outside the repository', () => {
    expect(doc).not.toMatch(/\]\((?:\.\.\/|\/)/);
    expect(doc).not.toMatch(/shared\/spec|bff-api\.md|oneaccess-api\.md/);
  });

  it('should document the embedded-login exception and the lifetimes', () => {
    expect(doc).toMatch(
      /## The embedded-login exception \(check 52\)[\s\S]*RFC 10017[\s\S]*Compensating controls/,
    );
    expect(doc).toMatch(
      /## Lifetimes \(check 35\)[\s\S]*session_token[\s\S]*id_token[\s\S]*refresh_token/,
    );
  });
});
