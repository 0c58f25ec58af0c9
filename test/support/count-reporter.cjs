// Mocha's spec output plus the closing line every tier prints: "<tier>: N passed, N failed".
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const tier = process.env.PCL_TIER ?? 'unit';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats ?? {};
      console.log(`${tier}: ${s.passes ?? 0} passed, ${s.failures ?? 0} failed`);
    });
  }
}
module.exports = CountReporter;
