// Conversations' text, kept apart from the ledger (which holds numbers and hashes only): one JSON
// file per conversation, written atomically (temp file + rename) after every turn, so a reload or
// a crash restores the conversation exactly and deleting text never loses numbers.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ConversationSnapshot } from '../core/session/runner';
import type { TurnStop } from '../core/session/stops';
import type { RunMode } from '../core/ports';

export const TRANSCRIPT_SCHEMA = 1;

export interface TranscriptTurn {
  turn: number;
  atMs: number;
  mode: RunMode;
  user: string;
  answer: string;
  stop: TurnStop;
  toolRuns: Array<{ name: string; input: unknown; output: string; isError: boolean }>;
  /** The ledger records of this turn's requests. */
  recordIds: string[];
}

export interface Transcript {
  v: typeof TRANSCRIPT_SCHEMA;
  /** Workspace-relative path of the prompt file. */
  promptPath: string;
  promptId: string;
  sessionId: string;
  createdAtMs: number;
  updatedAtMs: number;
  /** What the API is sent on the next turn. */
  conversation: ConversationSnapshot;
  /** What the user saw, turn by turn. */
  turns: TranscriptTurn[];
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

export class TranscriptStore {
  constructor(
    private readonly dir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  async save(t: Transcript): Promise<void> {
    if (!ID.test(t.conversation.id)) throw new Error(`invalid conversation id ${JSON.stringify(t.conversation.id)}`);
    await fs.mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${t.conversation.id}.json`);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(t));
    await fs.rename(tmp, file);
  }

  /** Every readable transcript, newest first; unreadable ones are reported and skipped, never deleted. */
  async list(): Promise<Transcript[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const out: Transcript[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const t = await this.read(join(this.dir, name));
      if (t) out.push(t);
    }
    return out.sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  }

  /** The most recent conversation with this prompt (workspace-relative path), if any. */
  async latestFor(promptPath: string): Promise<Transcript | undefined> {
    return (await this.list()).find((t) => t.promptPath === promptPath);
  }

  async delete(conversationId: string): Promise<void> {
    if (ID.test(conversationId)) await fs.rm(join(this.dir, `${conversationId}.json`), { force: true });
  }

  private async read(file: string): Promise<Transcript | undefined> {
    try {
      const t = JSON.parse(await fs.readFile(file, 'utf8')) as Transcript;
      if (t?.v !== TRANSCRIPT_SCHEMA || !t.conversation || !Array.isArray(t.conversation.messages) || !Array.isArray(t.turns)) {
        this.warn(`transcript ${file} is not a version-${TRANSCRIPT_SCHEMA} transcript; skipped (the file is kept)`);
        return undefined;
      }
      return t;
    } catch (err) {
      this.warn(`transcript ${file} could not be read (${(err as Error).message}); skipped (the file is kept)`);
      return undefined;
    }
  }
}
