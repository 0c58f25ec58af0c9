// `template:` and `sample:` front-matter keys. Prompty writes `template: jinja2|mustache` or
// `template: {format: mustache, parser: prompty}`; its default is Jinja2. A Markdown prompt is
// literal text unless it opts in with the same key, so a `{{` in ordinary Markdown breaks nothing.
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { entries, readString, replaceFixes, report, valueLine, type Ctx, type Entry } from './fields';
import type { Draft } from './schema';

const ENGINES = ['jinja2', 'mustache', 'none'] as const;

export function readTemplateKey(e: Entry, ctx: Ctx, d: Draft): void {
  let fmt: Entry | undefined = e;
  if (isMap(e.value)) fmt = entries(e.value, ctx, 'template', e.keyLine).find((s) => s.key === 'format');
  if (!fmt) return;
  const v = readString(fmt, ctx)?.toLowerCase();
  if (v === undefined) return;
  // Prompty's docs also say "jinja"; nunjucks implements the Jinja2 semantics either way.
  const engine = v === 'jinja' || v === 'nunjucks' ? 'jinja2' : v;
  if ((ENGINES as readonly string[]).includes(engine)) {
    d.template = engine as Draft['template'];
    return;
  }
  const fixes = isScalar(fmt.value) ? replaceFixes(valueLine(fmt, ctx), ['jinja2', 'mustache'], (r) => `Change to ${r}`) : [];
  report(ctx, fmt, 'error', `'${fmt.path}' must be jinja2, mustache or none, got "${v}".`, true, 'bad-template', fixes);
}

/** `sample:` is a mapping of example inputs, or the path of a JSON/YAML file holding one. */
export function readSample(e: Entry, ctx: Ctx, d: Draft): void {
  d.keyLines.sample = e.keyLine;
  if (isScalar(e.value) && typeof e.value.value === 'string') {
    d.samplePath = e.value.value.trim();
    return;
  }
  if (!isMap(e.value)) return void report(ctx, e, 'error', `'sample' must be a mapping of inputs (name: value) or the path of a JSON/YAML file.`);
  try {
    // Aliases are not expanded (the alias-bomb bound of the front matter holds here too).
    d.sample = (e.value as YAMLMap).toJS(ctx.y.doc, { maxAliasCount: 0 }) as Record<string, unknown>;
  } catch (err) {
    const why = /alias/i.test((err as Error).message) ? 'it uses YAML aliases (*name), which front matter does not expand; write the values out' : (err as Error).message;
    report(ctx, e, 'error', `'sample' could not be read: ${why}.`);
  }
}

/**
 * Prompty's `inputs:` declares each input, optionally with a `default` (or `sample`) value: those
 * fill in for inputs the `sample:` mapping does not give. Anything else in it is for other runtimes.
 */
export function readInputDefaults(e: Entry, ctx: Ctx, d: Draft): void {
  if (!isMap(e.value)) return;
  const defaults: Record<string, unknown> = {};
  for (const sub of entries(e.value, ctx, 'inputs', e.keyLine)) {
    if (!isMap(sub.value)) continue;
    const v = entries(sub.value, ctx, sub.path, sub.keyLine).find((x) => x.key === 'default' || x.key === 'sample');
    if (v && isScalar(v.value)) defaults[sub.key] = v.value.value;
  }
  if (Object.keys(defaults).length) d.inputDefaults = defaults;
}
