// The native regex host (PCRE2, native-host/regex/) answers as the browser's RegExp, the
// reference, on a corpus of patterns and subjects: `vario decide` evaluates a campaign per pattern
// ($regex, and $regexi for the "i" flag) for a visitor per subject, and every answer is compared
// with Node's RegExp (V8's, as in Chromium). The wasm asks the tag's RegExp, so there the two
// are one.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir, runCli } from './helpers/env.mjs';

const kPatterns = [
  'iPhone|iPad', 'Android [0-9]+', 'Chrome/12[0-9]', '^Mozilla/5\\.0 \\(Windows', 'Safari/[0-9.]+$',
  '@example\\.(com|org)$', '^/product', 'checkout|cart', '^\\d{3}-\\d{4}$', '\\bfoo\\b', '^a$', '^$', '.',
  '^.$', 'a.b', '[^]', '[]', '(?<=\\$)\\d+', '(?<!\\$)\\b\\d+', '(?<y>\\d{4})-\\k<y>', '(a)\\1', '(a)|\\1b',
  '\\x41\\u0042', '\\u00e9', 'é', '[à-ÿ]+', '^[^a-z]+$', '\\s', '\\w+$', '\\W', '\\d', 'x*', 'a{2}', 'a{2,}',
  'a{,2}', 'a{2', ']', '}', '\\/', 'a/b', '\\A', '\\e', '\\v', '\\0', '[\\b]', '\\cJ', '[a-z]+[0-9]',
  '^(?:ab)+$', 'caf[eé]', '[[:alpha:]]', '^\\S+@\\S+$', '(?=.*\\d)(?=.*[a-z])', 'a|', '\\$\\d',
  '[\\]]', '[\\-a]', '\\.', 'A', '^É', '\\t',
];
const kSubjects = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'ada@example.com', 'BEN@EXAMPLE.ORG', '/product.html', '/cart.html', '/checkout/payment', '123-4567', 'AB', 'ab',
  'abab', 'aa', 'a', 'A', 'b', '', 'x', 'foo', 'a foo b', 'afoob', '2024-2024', '2024-2025', 'price $42', 'a\nb',
  'a\rb', 'a\n', 'é', 'É', 'café', 'CAFÉ', 'Straße', 'ÀÉÎ', '日本語', 'a{2', ']', '}', '/', 'a/b', 'e', '\v', '\0',
  '\b', '\n', '\t', 'tab\there', 'a-b', 'pass1word', 'x1', '-', '.',
];

test('PCRE2 natively answers every $regex and $regexi of the corpus as RegExp does', (t) => {
  const campaigns = kPatterns.flatMap((pattern, i) =>
    ['$regex', '$regexi'].map((op) => ({
      id: `p${i}${op == '$regexi' ? 'i' : ''}`,
      type: 'patch',
      purpose: 'technical',
      pages: { include: [{ match: 'prefix', value: '/' }] },
      audience: { s: { [op]: pattern } },
      variations: [{ id: 'on', weight: 1, changes: [] }],
    })),
  );
  const temp = makeTempDir();
  try {
    const file = join(temp.dir, 'campaigns.json');
    writeFileSync(file, JSON.stringify({ version: 1, account: 'corpus', consent: { required: false }, campaigns }));
    const visitors = join(temp.dir, 'visitors.jsonl');
    writeFileSync(visitors, kSubjects.map((s, i) => JSON.stringify({ id: `v${i}`, url: '/', attributes: { s } })).join('\n') + '\n');
    const lines = runCli(['decide', file, '--visitors', visitors]).trim().split('\n');
    assert.equal(lines.length, kSubjects.length);
    const wrong = [];
    let matches = 0;
    lines.forEach((line, v) => {
      JSON.parse(line).decisions.forEach((d, c) => {
        const pattern = kPatterns[c >> 1];
        const flags = c & 1 ? 'i' : '';
        const expected = new RegExp(pattern, flags).test(kSubjects[v]);
        if (expected) matches++;
        if (d.applied !== expected)
          wrong.push(`/${pattern}/${flags} on ${JSON.stringify(kSubjects[v])}: RegExp ${expected}, native ${d.applied} (${d.reason})`);
      });
    });
    t.diagnostic(`${lines.length * campaigns.length} answers, ${matches} matches`);
    assert.deepEqual(wrong, []);
  } finally {
    temp.remove();
  }
});
