#!/usr/bin/env node
'use strict';
// Entry point of the clean-room JavaScript implementation of the VDC model.
//   node main.js               speaks the driver protocol on stdin/stdout
//   node main.js --vpcd H:P    serves the holder as a vpcd virtual card (lib/card/cli.js)
const { Driver } = require('./lib/driver');
const { createOps } = require('./lib/ops');
const { TEST_ONLY } = require('./lib/pin/verifier');

function main() {
  const storeDir = process.env.VDC_IUT_STORE || null;
  const argv = process.argv.slice(2);
  if (argv.includes('--vpcd')) return require('./lib/card/cli').main(argv, { storeDir });
  const { ops, ready } = createOps({ storeDir, pinParameters: TEST_ONLY });
  const driver = new Driver({
    input: process.stdin, output: process.stdout, ops, ready, log: (m) => process.stderr.write(`${m}\n`),
  });
  return driver.run();
}

main().catch((e) => {
  process.stderr.write(`fatal: ${e && e.stack}\n`);
  process.exit(1);
});
