// Function sizes of a wasm module with a name section (see scripts/bench-wasm-functions).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] || 25);
let pos = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
};
const skipName = () => { const n = leb(); pos += n; };
let imported = 0;
const bodies = [];
const names = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id == 2) {
    for (let n = leb(); n > 0; n--) {
      skipName(); skipName();
      const kind = bytes[pos++];
      if (kind == 0) { leb(); imported++; }
      else if (kind == 1) { pos++; if (leb() & 1) { leb(); leb(); } else leb(); }
      else if (kind == 2) { if (leb() & 1) { leb(); leb(); } else leb(); }
      else pos += 2;
    }
  } else if (id == 10) {
    for (let n = leb(); n > 0; n--) { const s = leb(); bodies.push(s); pos += s; }
  } else if (id == 0) {
    const nameLength = leb();
    const name = bytes.toString('utf8', pos, pos + nameLength);
    pos += nameLength;
    while (name == 'name' && pos < end) {
      const sub = bytes[pos++];
      const subSize = leb();
      const subEnd = pos + subSize;
      if (sub == 1) {
        for (let n = leb(); n > 0; n--) {
          const index = leb();
          const length = leb();
          names.set(index, bytes.toString('utf8', pos, pos + length));
          pos += length;
        }
      }
      pos = subEnd;
    }
  }
  pos = end;
}
const rows = bodies.map((size, i) => ({ size, name: names.get(i + imported) || '?' }));
const demangled = execFileSync('c++filt', { input: rows.map((r) => r.name).join('\n') }).toString().split('\n');
rows.forEach((r, i) => (r.name = demangled[i] || r.name));
rows.sort((a, b) => b.size - a.size);
const total = rows.reduce((sum, r) => sum + r.size, 0);
console.log(`code: ${total} bytes in ${rows.length} functions`);
for (const r of rows.slice(0, top)) console.log(String(r.size).padStart(7), r.name.slice(0, 110));
// Attribution by the engine's folders, from the namespaces and names the functions carry.
const areas = [
  ['conditions', /Evaluator|vario::js::|version|padded/],
  ['decision', /vario::decide|decisions_json|application_order|first_matching_rule|parse_visitor/],
  ['engine and ABI', /vario_|Engine::|page_attributes|parse_context/],
  ['attributes, user agent, URL', /attributes|environment|user_agent|url_|query_param|form_decode|visit_counts/],
  ['allocation', /bucket|murmur|fnv|Fnv|growthbook|namespace|choose_variation|equal_weights/],
  ['json', /json::/],
  ['consent, events, changes', /Consent|consent|Event|event|apply_changes|collector/],
  ['libc and allocator', /^(malloc|free|claim_more_memory|attempt_allocate|__|mem|operator new|operator delete|strlen)/],
  ['std templates', /std::/],
];
const byArea = new Map();
for (const r of rows) {
  const area = areas.find(([, re]) => re.test(r.name))?.[0] || 'other';
  byArea.set(area, (byArea.get(area) || 0) + r.size);
}
console.log('\nby area:');
for (const [area, size] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(String(size).padStart(7), area);
