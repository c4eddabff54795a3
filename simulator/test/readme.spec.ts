import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES } from '../src/errors/messages';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('should document every error code and message the simulator answers', () => {
    for (const message of Object.values(MESSAGES)) {
      expect(readme).toContain(`| \`${message.code}\` | ${message.en} |`);
    }
  });
});
