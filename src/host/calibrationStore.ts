// The tokenizer calibration learned from exact counts, kept in global state so estimates stay
// refined across sessions and workspaces (it describes tokenizers, not any one project).
import type * as vscode from 'vscode';
import { Calibration } from '../core/tokens/estimate';
import type { TokenizerGeneration } from '../core/models/types';

const STATE_KEY = 'promptCacheLab.calibration.v1';

export class CalibrationStore {
  readonly calibration: Calibration;

  constructor(private readonly state: vscode.Memento) {
    // Corrupt or old state is dropped by fromJSON, never thrown.
    this.calibration = Calibration.fromJSON(state.get(STATE_KEY));
  }

  /** Records an exact count (framing already removed); persists when it was usable. */
  observe(generation: TokenizerGeneration, rawO200k: number, exactTokens: number): boolean {
    const used = this.calibration.observe(generation, rawO200k, exactTokens);
    if (used) void this.state.update(STATE_KEY, this.calibration.toJSON());
    return used;
  }

  async reset(): Promise<void> {
    await this.state.update(STATE_KEY, undefined);
  }
}
