import { strict as assert } from 'node:assert';
import { createModelTable } from '../../../src/core/models/table';
import { modelNotes } from '../../../src/core/plan/planView';

describe('planView: caveats shown with a plan', () => {
  const models = createModelTable();

  it('says nothing for a model whose prices and minimum are documented', () => {
    assert.deepEqual(modelNotes(models.resolve('claude-sonnet-5')), []);
  });

  it('flags third-party prices and an assumed minimum cacheable length', () => {
    const notes = modelNotes(models.resolve('claude-fable-5-2'));
    assert.match(notes[0] ?? '', /Prices for claude-fable-5-2 are third-party or unconfirmed/);
    assert.match(notes[1] ?? '', /^Minimum cacheable length: /);
  });

  it('says a model without published prices needs them in the setting', () => {
    assert.match(modelNotes(models.resolve('claude-mythos-5-2'))[0] ?? '', /No published prices.*promptCacheLab\.models/);
  });
});
