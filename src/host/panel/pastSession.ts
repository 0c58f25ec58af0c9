// A past session, reopened read-only: its requests' records grouped into turns, each with the
// user's text and the answer from the transcripts where they still are. A missing or corrupt
// transcript loses only the text: the turn keeps its cost cards and says the text is unavailable.
import type { RequestRecord } from '../../core/ledger/record';
import type { Transcript } from '../../node/transcriptStore';
import type { ConversationView, TurnView } from '../../shared/panelViews';
import { cardOf, turnViewOf } from './views';

export function pastConversationOf(sessionId: string, records: readonly RequestRecord[], transcripts: readonly Transcript[]): ConversationView {
  const groups = new Map<string, RequestRecord[]>();
  for (const r of records) {
    if (r.kind === 'prewarm') continue;
    const key = `${r.conversationId}\u0000${r.turn}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const byConversation = new Map(transcripts.map((t) => [t.conversation.id, t]));
  let missing = 0;
  const turns: TurnView[] = [...groups.values()].map((group, i) => {
    const first = group[0] as RequestRecord;
    const ids = new Set(group.map((r) => r.id));
    const said = byConversation.get(first.conversationId)?.turns.find((t) => t.recordIds.some((id) => ids.has(id)));
    // Numbered in the order they happened: two conversations of one session both have a turn 1.
    if (said) return { ...turnViewOf({ ...said, recordIds: group.map((r) => r.id) }, new Map(group.map((r) => [r.id, r]))), turn: i + 1 };
    missing++;
    return { turn: i + 1, mode: first.kind === 'agent-step' ? 'agent' : 'chat', user: '', answer: '', textUnavailable: true, toolRuns: [], requests: group.map((r) => cardOf(r)) };
  });
  const startedMs = records.reduce((m, r) => Math.min(m, r.atMs), Number.POSITIVE_INFINITY);
  return { id: `past:${sessionId}`, promptId: first(records)?.prompt.id ?? '', turns, past: { sessionId, startedMs: Number.isFinite(startedMs) ? startedMs : 0, textMissing: missing } };
}

const first = (records: readonly RequestRecord[]) => records[0];
