// docs/campaigns.schema.json and `vario check` agree on every example and fixture: both accept
// examples/shop/campaigns.json, tests/fixtures/valid/* and the complete examples in
// docs/campaigns.md, and both refuse tests/fixtures/invalid/*, except the fixtures listed below
// whose problem JSON Schema cannot express.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const sourceDir = resolve(
  process.env.VARIO_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '../..'),
);
const cli = process.env.VARIO_CLI || join(sourceDir, 'build/native/vario');
const fixtures = join(sourceDir, 'tests/fixtures');

// The invalid fixtures the schema accepts, and why: each needs more than one value at a time,
// the text before it is parsed, or a parser for another language.
const checkedOnlyByVarioCheck = new Map([
  ['syntax_error.json', 'not JSON at all: JSON.parse refuses it before any schema sees it'],
  ['repeated_key.json', 'a key twice in one object: JSON.parse keeps the last value silently'],
  ['duplicate_campaign_ids.json', 'ids unique across array elements'],
  ['duplicate_variation_ids.json', 'ids unique across array elements'],
  ['weights_not_summing_to_1.json', 'a sum over array elements'],
  ['bad_selector.json', 'CSS selector syntax'],
  ['regex_page_rule.json', 'a regular expression that does not compile'],
  ['condition_regex_invalid.json', 'regular expressions that do not compile'],
  ['condition_too_deep.json', 'a bound on recursive nesting'],
  ['saved_group_references.json', 'references to saved groups by id, and their kinds'],
  ['saved_group_cycle.json', 'cycles between saved groups'],
  ['holdout_references.json', 'references to campaigns by id, their types, unique holdout ids'],
  ['group_ranges.json', 'start < end within a pair, and overlaps between campaigns'],
  ['schedule_end_before_start.json', 'start earlier than end, as instants'],
  ['preview_key_off_curve.json', 'a point on the P-256 curve'],
  // What a value holds once HTML or CSS reads it: only a tokenizer can tell.
  ['html_script.json', 'HTML tokenizing: a <script> element'],
  ['html_event_handler.json', 'HTML tokenizing: an on* attribute'],
  ['html_script_url.json', 'HTML tokenizing and character references: &#106;avascript:'],
  ['html_form_script_action.json', 'HTML tokenizing: a javascript: URL with a tab inside'],
  ['html_loading_element.json', 'HTML tokenizing: an <iframe>'],
  ['html_inline_style.json', 'HTML tokenizing: a style attribute'],
  ['html_markup_in_textarea.json', 'HTML tokenizing: markup inside <textarea>'],
  ['set_attribute_script_url.json', 'a URL scheme, once spaces and control characters are dropped, in the value of the attribute another field names'],
  ['set_style_script_url.json', 'CSS url() arguments, CSS escapes decoded'],
  ['add_css_closing_style_tag.json', 'text inside a stylesheet, in any case'],
  ['add_css_script_import.json', 'CSS @import and url() arguments'],
  ['add_css_expression.json', 'CSS expression(), outside longer names'],
  ['move_target_is_selector.json', 'two fields of one object compared'],
  ['redirect_to_own_page.json', "page rules evaluated on another field's URL"],
  ['goal_duplicate_ids.json', 'ids unique across array elements'],
  ['goal_bad_selector.json', 'CSS selector syntax'],
  ['redirect_loop.json', 'page rules of other campaigns evaluated on redirect URLs, and cycles'],
]);

function compileSchema() {
  const warnings = [];
  const logger = { log() {}, warn: (...args) => warnings.push(args.join(' ')), error: (...args) => warnings.push(args.join(' ')) };
  // Strict about everything but `required` inside oneOf and if, which names the properties
  // declared beside it (the idiom for "one of these fields"); union types ("string or number")
  // are what the format means.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(sourceDir, 'docs/campaigns.schema.json'), 'utf8'));
  return { validate: ajv.compile(schema), warnings, schema };
}

const { validate, warnings, schema } = compileSchema();

// [ok, why]: ok is false for text that is not JSON, as an editor would flag it too.
function schemaAccepts(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [false, `not JSON: ${e.message}`];
  }
  const ok = validate(doc);
  return [ok, ok ? 'valid' : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')];
}

function varioCheck(path) {
  if (!existsSync(cli))
    throw new Error(`${cli} does not exist: build it (cmake --preset native && cmake --build --preset native) or set VARIO_CLI`);
  const run = spawnSync(cli, ['check', path], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `vario check ${path} exited ${run.status}: ${run.stderr}`);
  return [run.status === 0, (run.stdout + run.stderr).trim()];
}

const jsonFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const validFiles = [join(sourceDir, 'examples/shop/campaigns.json'), ...jsonFiles(join(fixtures, 'valid')).map((f) => join(fixtures, 'valid', f))];
const invalidNames = jsonFiles(join(fixtures, 'invalid'));

test('the schema compiles under Ajv strict mode without warnings and names itself', () => {
  assert.deepEqual(warnings, []);
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.$id, 'https://vario.dev/schema/campaigns-1.json');
});

test('every valid example is accepted by both the schema and vario check', async (t) => {
  for (const path of validFiles) {
    await t.test(path.slice(sourceDir.length + 1), () => {
      const [schemaOk, schemaWhy] = schemaAccepts(readFileSync(path, 'utf8'));
      assert.ok(schemaOk, `the schema refuses it: ${schemaWhy}`);
      const [checkOk, checkWhy] = varioCheck(path);
      assert.ok(checkOk, `vario check refuses it: ${checkWhy}`);
    });
  }
});

test('every complete example in docs/campaigns.md is accepted by the schema', () => {
  const doc = readFileSync(join(sourceDir, 'docs/campaigns.md'), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
  const complete = blocks.filter((b) => /^\{\s*("\$schema"[^\n]*\n\s*)?"version"/.test(b));
  assert.ok(complete.length >= 1, 'docs/campaigns.md has no complete ```json example');
  for (const block of complete) {
    const [ok, why] = schemaAccepts(block);
    assert.ok(ok, `${why}\n${block.slice(0, 200)}`);
  }
});

test('every invalid fixture is refused by vario check and by the schema, unless listed as beyond it', async (t) => {
  let both = 0;
  for (const name of invalidNames) {
    await t.test(name, () => {
      const path = join(fixtures, 'invalid', name);
      const [schemaOk, schemaWhy] = schemaAccepts(readFileSync(path, 'utf8'));
      if (checkedOnlyByVarioCheck.has(name) && name != 'syntax_error.json') {
        // Listed, so the schema must accept it: a schema that learns to refuse it shortens the list.
        assert.ok(schemaOk, `the schema now refuses it (${schemaWhy}): remove it from checkedOnlyByVarioCheck`);
      } else if (!checkedOnlyByVarioCheck.has(name)) {
        assert.ok(!schemaOk, 'the schema accepts it: make the schema refuse it, or list it as checked only by vario check');
        ++both;
      }
      const [checkOk, checkWhy] = varioCheck(path);
      assert.ok(!checkOk, `vario check accepts it: ${checkWhy}`);
    });
  }
  t.diagnostic(`refused by both: ${both}; by vario check only: ${checkedOnlyByVarioCheck.size} of ${invalidNames.length}`);
});

test('every fixture listed as checked only by vario check exists', () => {
  for (const name of checkedOnlyByVarioCheck.keys())
    assert.ok(invalidNames.includes(name), `${name} is not in tests/fixtures/invalid/`);
});
