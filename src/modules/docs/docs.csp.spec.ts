import { createHash } from 'node:crypto';
import { docsCsp, inlineStyleHashes } from './docs.csp';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const PAGE = `<!DOCTYPE html><html><head><style>
  body { margin: 0 }
</style></head><body><svg style="position:absolute;width:0;height:0"></svg>
<script src="./docs/swagger-ui-bundle.js"></script><style>.x { display: none }</style></body></html>`;

describe('docs content security policy', () => {
  it('should hash every inline style element and style attribute of the page', () => {
    expect(inlineStyleHashes(PAGE)).toEqual({
      elements: [sha('\n  body { margin: 0 }\n'), sha('.x { display: none }')],
      attributes: [sha('position:absolute;width:0;height:0')],
    });
  });

  it('should allow the page its own files and hashed styles, and nothing inline or evaluated', () => {
    const csp = docsCsp(PAGE);
    expect(csp).toMatch(/^default-src 'none'; script-src 'self'; /);
    expect(csp).toContain(`style-src 'self' ${sha('\n  body { margin: 0 }\n')} `);
    expect(csp).toContain(
      `style-src-attr 'unsafe-hashes' ${sha('position:absolute;width:0;height:0')};`,
    );
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  });

  it('should give files without inline styles the same policy without hashes', () => {
    expect(docsCsp()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});
