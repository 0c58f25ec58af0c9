// What the user picked for one prompt's conversation in the panel: a model, a TTL per tier, the
// template inputs. Kept in workspace state (per prompt file), so a reload finds them; applied to
// every plan of that conversation (forecast, plan, the request sent, hence its record).
import type * as vscode from 'vscode';
import type { PlanRequest } from '../../core/session/engineProtocol';
import type { TtlChoice, TtlTier } from '../../shared/panelViews';

export interface ConversationPicks {
  model?: string;
  ttl?: Partial<Record<TtlTier, '5m' | '1h'>>;
  /** Every input's value, typed like its sample (a JSON sample is edited as JSON). */
  inputs?: Record<string, unknown>;
}

/** What a plan request gains from the picks. */
export type PlanPicks = Pick<PlanRequest, 'model' | 'ttl' | 'inputs'>;

const KEY = 'promptCacheLab.panelOverrides';
const TIERS: readonly TtlTier[] = ['system', 'context', 'conversation'];

export class ConversationOverrides {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, ConversationPicks> {
    const v = this.state.get<unknown>(KEY);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, ConversationPicks>) : {};
  }

  /** Picks for a prompt (workspace-relative path); {} when none. */
  get(promptPath: string): ConversationPicks {
    return this.all()[promptPath] ?? {};
  }

  async update(promptPath: string, change: (p: ConversationPicks) => ConversationPicks): Promise<ConversationPicks> {
    const all = { ...this.all() };
    const next = clean(change({ ...(all[promptPath] ?? {}) }));
    if (Object.keys(next).length) all[promptPath] = next;
    else delete all[promptPath];
    await this.state.update(KEY, all);
    return next;
  }

  /** The picks as plan request fields. */
  planPicks(promptPath: string): PlanPicks {
    const p = this.get(promptPath);
    return {
      ...(p.model ? { model: p.model } : {}),
      ...(p.ttl && Object.keys(p.ttl).length ? { ttl: p.ttl } : {}),
      ...(p.inputs ? { inputs: p.inputs } : {}),
    };
  }

  ttlChoices(promptPath: string): Record<TtlTier, TtlChoice> {
    const t = this.get(promptPath).ttl ?? {};
    return { system: t.system ?? 'default', context: t.context ?? 'default', conversation: t.conversation ?? 'default' };
  }
}

function clean(p: ConversationPicks): ConversationPicks {
  const ttl = Object.fromEntries(TIERS.flatMap((t) => (p.ttl?.[t] ? [[t, p.ttl[t]]] : []))) as ConversationPicks['ttl'];
  return {
    ...(p.model ? { model: p.model } : {}),
    ...(ttl && Object.keys(ttl).length ? { ttl } : {}),
    ...(p.inputs && Object.keys(p.inputs).length ? { inputs: p.inputs } : {}),
  };
}

/** A sample that was not a string (a number, a list) is edited as JSON: typed back when it parses. */
export function typedInputs(typed: Record<string, string>, samples: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(typed)) {
    if (typeof samples[k] === 'string' || samples[k] === undefined) out[k] = v;
    else {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = v;
      }
    }
  }
  return out;
}

/** A sample value as the text its field shows. */
export const sampleText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
