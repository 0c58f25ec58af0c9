// Prompt file → cache plan: parse, load tools and context documents, compose with the
// conversation (by default one placeholder user turn), plan breakpoints and predict cold/warm cost. The CLI's `plan` and the
// extension's panel both run exactly this; only the file access differs.
import type { MessageParam, ToolDefinition } from '../../shared/anthropic';
import { composeRequest } from '../compose/compose';
import { bustPlaceText, withCacheBust, type CacheBust } from './bust';
import { PLACEHOLDER_USER_TURN } from './placeholder';

export { PLACEHOLDER_USER_TURN } from './placeholder';
import { UnknownModelError } from '../models/table';
import type { ModelInfo, ModelTable } from '../models/types';
import { parsePromptFile, type ParseResult } from '../registry/parse';
import { resolvePromptFiles, type FileAccess } from '../registry/resolve';
import type { TemplateInputs } from '../registry/template';
import { cacheLint } from './lint';
import { loadSampleFile, unknownModelDiagnostic } from './promptChecks';
import type { Diagnostic, PromptSpec } from '../registry/types';
import { planRequest } from './planner';
import { predictColdWarm, type ColdWarm } from './predict';
import { conversationShape } from './shape';
import { planOptionsFor, tierTtls, type DeclaredTtls } from './tierTtls';
import type { ComposedRequest, PlanOptions, PlanResult } from './types';



export interface PromptPlanInput {
  /** Absolute path of the prompt file. */
  path: string;
  text: string;
  files: FileAccess;
  models: ModelTable;
  /** Used when neither `model` nor the file names one. */
  defaultModel: string;
  /** Overrides the file's `model:` (the CLI's --model). */
  model?: string;
  /** The conversation to plan (a session's turns so far); default: one placeholder user turn. */
  messages?: MessageParam[];
  /** Tools the runner adds after the prompt's own (agent mode's built-in workspace tools). */
  extraTools?: ToolDefinition[];
  /**
   * What the ledger remembers of this prompt across sessions: the gaps (seconds) between request
   * starts, oldest first, ideally ending with the gap from the last use to now. The stable tiers'
   * TTL follows them (tierTtls) unless the prompt file declares one.
   */
  history?: { gapsSeconds: number[] };
  /** The same per prompt id (the ledger's view of every prompt), used when `history` is not given. */
  historyByPrompt?: Record<string, number[]>;
  /** Skip the cold/warm prediction (two simulated sends): a conversation turn has its own forecast. */
  skipColdWarm?: boolean;
  /** Template inputs replacing the file's `sample:` (Prompty, or Markdown with `template:`). */
  inputs?: TemplateInputs;
  /** A one-off cache bust: a nonce before every breakpoint, so this request reads nothing (core/plan/bust.ts). */
  bust?: CacheBust;
}

export type PromptPlanOutcome =
  | { ok: true; spec: PromptSpec; model: ModelInfo; plan: PlanResult; predicted?: ColdWarm; predictionError?: string; diagnostics: Diagnostic[] }
  | { ok: false; stage: 'parse' | 'files' | 'model'; spec?: PromptSpec; error: string; diagnostics: Diagnostic[] };

const hasErrors = (d: Diagnostic[]) => d.some((x) => x.severity === 'error');
const relativeTo = (root: string, abs: string) => {
  const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
  const a = abs.replace(/\\/g, '/');
  return a.startsWith(`${r}/`) ? a.slice(r.length + 1) : a;
};

/** TTLs from the declared ones and the history (none: the declared TTL, else 5m, and the reason says so). */
function planOptions(spec: PromptSpec, model: ModelInfo, composed: ComposedRequest, gaps: number[]): PlanOptions {
  const declared: DeclaredTtls = {
    ...(spec.ttlExplicit ? { system: spec.ttl } : {}),
    ...(spec.context?.ttlExplicit ? { context: spec.context.ttl } : {}),
  };
  const shape = conversationShape(composed, model);
  const choice = tierTtls(gaps, declared, { readRatio: model.prices.read / model.prices.input, ...(shape ? { conversation: shape } : {}) });
  // Without context documents a context TTL has nothing to apply to; keep it equal to the system's.
  return planOptionsFor(model, spec.context ? choice : { ...choice, ttl: { ...choice.ttl, context: choice.ttl.system } });
}

/** Parses with the inputs given, else the file's inline sample, else its sample file (loaded here: parsing has no file access). */
async function parseWithInputs(input: PromptPlanInput): Promise<{ parsed: ParseResult; extra: Diagnostic[] }> {
  const opts = input.inputs ? { inputs: input.inputs } : {};
  const parsed = parsePromptFile(input.path, input.text, opts);
  const spec = parsed.spec ?? parsed.partial;
  if (input.inputs || spec?.template?.samplePath === undefined) return { parsed, extra: [] };
  const sample = await loadSampleFile({ ...spec, path: relativeTo(input.files.root, input.path) }, input.files);
  if (!sample.inputs) return { parsed, extra: sample.diagnostic ? [sample.diagnostic] : [] };
  return { parsed: parsePromptFile(input.path, input.text, { inputs: sample.inputs }), extra: [] };
}

/**
 * With front-matter errors the partial spec's files and model are still checked, so every
 * problem of the file shows at once (a missing context file no longer waits for a TTL fix).
 */
async function reportAll(parsed: ParseResult, extra: Diagnostic[], input: PromptPlanInput): Promise<PromptPlanOutcome> {
  const diagnostics = [...parsed.diagnostics, ...extra];
  if (parsed.partial) {
    const spec = { ...parsed.partial, path: relativeTo(input.files.root, input.path) };
    diagnostics.push(...(await resolvePromptFiles(spec, input.files)).diagnostics);
    const model = input.model ? undefined : unknownModelDiagnostic(spec, input.models);
    if (model) diagnostics.push(model);
  }
  return { ok: false, stage: 'parse', error: 'the front matter has errors', diagnostics };
}

export async function buildPromptPlan(input: PromptPlanInput): Promise<PromptPlanOutcome> {
  const { parsed, extra } = await parseWithInputs(input);
  if (!parsed.spec || hasErrors(parsed.diagnostics) || hasErrors(extra)) return reportAll(parsed, extra, input);
  const spec = { ...parsed.spec, path: relativeTo(input.files.root, input.path) };
  const files = await resolvePromptFiles(spec, input.files);
  const diagnostics = [...parsed.diagnostics, ...extra, ...files.diagnostics];
  const modelDiag = input.model ? undefined : unknownModelDiagnostic(spec, input.models);
  if (modelDiag) diagnostics.push(modelDiag);
  if (hasErrors(files.diagnostics)) {
    return { ok: false, stage: 'files', spec, error: `files named by the prompt have errors (workspace root ${input.files.root})`, diagnostics };
  }
  let model: ModelInfo;
  try {
    model = input.models.resolve(input.model ?? spec.model ?? input.defaultModel);
  } catch (err) {
    if (!(err instanceof UnknownModelError)) throw err;
    return { ok: false, stage: 'model', spec, error: err.message, diagnostics };
  }
  const plain = composeRequest({
    spec,
    model: model.id,
    tools: input.extraTools?.length ? [...(files.tools ?? []), ...input.extraTools] : files.tools,
    context: files.context,
    messages: input.messages ?? [{ role: 'user', content: PLACEHOLDER_USER_TURN }],
  });
  const busted = input.bust ? withCacheBust(plain, input.bust) : undefined;
  const composed = busted?.composed ?? plain;
  const plan = planRequest(composed, planOptions(spec, model, plain, input.history?.gapsSeconds ?? input.historyByPrompt?.[spec.id] ?? []));
  if (busted && input.bust) notePlacedFirst(plan, bustPlaceText(busted.place, input.bust.nonce));
  diagnostics.push(...cacheLint({ spec, model, plan }));
  if (input.skipColdWarm) return { ok: true, spec, model, plan, diagnostics };
  try {
    return { ok: true, spec, model, plan, predicted: predictColdWarm(plan.request, model, input.models), diagnostics };
  } catch (err) {
    // An unpriced model still gets its plan; only the dollar figures are missing, and say why.
    return { ok: true, spec, model, plan, predictionError: (err as Error).message, diagnostics };
  }
}

/** The first placed breakpoint's reason says what this one request carries before it. */
function notePlacedFirst(plan: PlanResult, note: string): void {
  const placed = plan.breakpoints.filter((b) => b.placed).sort((a, b) => (a.blockIndex ?? 0) - (b.blockIndex ?? 0))[0];
  if (placed) placed.reason = `${placed.reason}; for this request only, ${note}`;
}
