import { MODEL_ROWS, PRICE_TABLE_VERSION, type ModelRow } from './data';
import { PRICE_FIELDS, type ModelOverride } from './overrides';
import type { ModelInfo, ModelTable, PriceBand } from './types';

export const DEFAULT_MODEL_ID = 'claude-sonnet-5';

const HOW_TO_ADD =
  'To add a model or its prices (USD per million tokens), set "promptCacheLab.models" in the VS Code settings ' +
  'or pass --prices <file.json> to the CLI, e.g. ' +
  '{"my-model": {"input": 3, "write5m": 3.75, "write1h": 6, "read": 0.3, "output": 15}}.';

export class UnknownModelError extends Error {
  constructor(
    readonly requested: string,
    readonly knownIds: readonly string[],
  ) {
    const near = knownIds.find((k) => k.toLowerCase() === requested.toLowerCase());
    const hint = near ? ` Did you mean "${near}"? Ids are case-sensitive.` : '';
    super(`Unknown model "${requested}".${hint} Known models: ${knownIds.join(', ')}. ${HOW_TO_ADD}`);
    this.name = 'UnknownModelError';
  }
}

/** A known id with no published prices: costing it must fail rather than use a default. */
export class UnpricedModelError extends Error {
  constructor(readonly model: ModelInfo) {
    super(
      `No prices are known for ${model.id} (${model.displayName}): ${model.source}. ` +
        `Add them with the VS Code setting "promptCacheLab.models" or the CLI flag --prices <file.json>, e.g. ` +
        `{"${model.id}": {"input": 10, "write5m": 12.5, "write1h": 20, "read": 1, "output": 50}} ` +
        '(example numbers only: use the prices Anthropic bills you).',
    );
    this.name = 'UnpricedModelError';
  }
}

const NO_PRICES: PriceBand = { input: NaN, write5m: NaN, write1h: NaN, read: NaN, output: NaN };
/** New ids from overrides: the current generation's defaults, flagged in `source`. */
const NEW_MODEL_DEFAULTS = { tokenizer: 'claude-2026', contextWindow: 1_000_000, usGeoMultiplier: true } as const;

function fromRow(row: ModelRow): ModelInfo {
  const { prices, ...rest } = row;
  const info: ModelInfo = { ...rest, aliases: [...row.aliases], prices: prices ? { ...prices } : { ...NO_PRICES } };
  if (!prices) info.pricesUnknown = true;
  return info;
}

function fieldsOf(o: ModelOverride): string {
  const keys = [...Object.keys(o.prices), ...(['minCacheableTokens', 'contextWindow', 'tokenizer', 'aliases', 'displayName'] as const).filter((k) => o[k] !== undefined)];
  return keys.join(', ');
}

function applyOverride(base: ModelInfo | undefined, o: ModelOverride): ModelInfo {
  const allPrices = PRICE_FIELDS.every((f) => o.prices[f] !== undefined);
  const m: ModelInfo = base
    ? { ...base, prices: { ...base.prices, ...o.prices }, aliases: [...base.aliases] }
    : {
        id: o.id, aliases: [], displayName: o.id, prices: { ...NO_PRICES, ...o.prices },
        minCacheableTokens: null, minCacheableConfirmed: false, ...NEW_MODEL_DEFAULTS,
        source: `${o.sourceName} (user-defined model; tokenizer, context window and geo pricing default to the current generation unless given)`,
        sourceDate: 'user-supplied', confirmed: true,
      };
  if (base) {
    m.source = `${base.source}; overridden by ${o.sourceName} (${fieldsOf(o)})`;
    if (allPrices) m.confirmed = true;
  }
  if (allPrices) delete m.pricesUnknown;
  else if (!base) m.pricesUnknown = true; // unreachable after parseModelOverrides; kept as a guard
  if (o.minCacheableTokens !== undefined) {
    m.minCacheableTokens = o.minCacheableTokens;
    m.minCacheableConfirmed = true;
    m.minCacheableNote = `set by ${o.sourceName}`;
  }
  if (o.contextWindow !== undefined) m.contextWindow = o.contextWindow;
  if (o.tokenizer !== undefined) m.tokenizer = o.tokenizer;
  if (o.displayName !== undefined) m.displayName = o.displayName;
  for (const a of o.aliases ?? []) if (a !== m.id && !m.aliases.includes(a)) m.aliases.push(a);
  return m;
}

/**
 * Unknown minimum -> the largest confirmed minimum of the same family on the same tokenizer
 * generation, else of the family, else of all models. Conservative on purpose: a predictor that
 * assumes too small a minimum promises writes the API silently skips (no error is returned);
 * too large only means a breakpoint is not counted on, which the UI flags as unconfirmed.
 */
function assumeMinimum(m: ModelInfo, all: readonly ModelInfo[]): { value: number; note: string } {
  const known = all.filter((x) => x.minCacheableConfirmed && x.minCacheableTokens !== null);
  const tiers: Array<[string, ModelInfo[]]> = [
    [`${m.family} models on the ${m.tokenizer} tokenizer`, known.filter((x) => x.family === m.family && m.family && x.tokenizer === m.tokenizer)],
    [`${m.family} models`, known.filter((x) => x.family === m.family && m.family)],
    ['all models', known],
  ];
  for (const [label, group] of tiers) {
    if (group.length === 0) continue;
    const top = group.reduce((a, b) => ((b.minCacheableTokens ?? 0) > (a.minCacheableTokens ?? 0) ? b : a));
    const value = top.minCacheableTokens ?? 0;
    return { value, note: `no source gives a minimum; assuming ${value}, the largest confirmed minimum of ${label} (${top.id})` };
  }
  return { value: 4096, note: "no source gives a minimum and no model has a confirmed one; assuming 4096" };
}

function fillAssumedMinimums(models: ModelInfo[]): void {
  for (const m of models) {
    if (m.minCacheableTokens !== null) {
      m.minCacheableAssumed = m.minCacheableTokens;
      if (!m.minCacheableConfirmed && !m.minCacheableNote) m.minCacheableNote = 'UNCONFIRMED minimum';
    } else {
      const { value, note } = assumeMinimum(m, models);
      m.minCacheableAssumed = value;
      m.minCacheableNote = note;
    }
  }
}

/** The minimum the planner/predictor should use (see `ModelInfo.minCacheableAssumed`). */
export function assumedMinCacheable(model: ModelInfo): number {
  return model.minCacheableAssumed ?? model.minCacheableTokens ?? 4096;
}

/** `price_source` text for a model: the table version plus the row's own source. */
export function priceSourceOf(model: ModelInfo): string {
  const flag = model.confirmed ? '' : ' [UNCONFIRMED]';
  return `${PRICE_TABLE_VERSION}; ${model.id}: ${model.source}, ${model.sourceDate}${flag}`;
}

export function createModelTable(overrides: readonly ModelOverride[] = []): ModelTable {
  const models = MODEL_ROWS.map(fromRow);
  const lookup = (name: string) => models.find((m) => m.id === name || m.aliases.includes(name));
  for (const o of overrides) {
    const base = lookup(o.id);
    const merged = applyOverride(base, o);
    if (base) models[models.indexOf(base)] = merged;
    else models.push(merged);
  }
  fillAssumedMinimums(models);
  const byName = new Map<string, ModelInfo>();
  for (const m of models) for (const name of [m.id, ...m.aliases]) if (!byName.has(name)) byName.set(name, m);
  const ids = models.map((m) => m.id);
  return {
    resolve(idOrAlias) {
      const m = byName.get(idOrAlias);
      if (!m) throw new UnknownModelError(idOrAlias, ids);
      return m;
    },
    tryResolve: (idOrAlias) => byName.get(idOrAlias),
    all: () => models,
  };
}
