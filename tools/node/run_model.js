#!/usr/bin/env node
// Runs an exported automix-onnx classifier in onnxruntime-node and prints its outputs as JSON, so that a test
// (ExportNodeRuntimeTest) or a user can compare them with ORT Java.
//
// Usage: node run_model.js MODEL.onnx INPUT.f32 N C H W
//   INPUT.f32: N*C*H*W little-endian float32 values (the tensor fed as 'input')
// Output (stdout): {"outputs": {"logits": {"dims": [N, K], "data": [...]}, ...}}
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, inputFile, ...dimArgs] = process.argv.slice(2);
  if (!model || !inputFile || dimArgs.length !== 4) {
    console.error('usage: node run_model.js MODEL.onnx INPUT.f32 N C H W');
    process.exit(2);
  }
  const dims = dimArgs.map(Number);
  const raw = fs.readFileSync(inputFile);
  const expected = dims.reduce((a, b) => a * b, 1) * 4;
  if (raw.length !== expected) {
    console.error(`input file has ${raw.length} bytes, dims ${dims} need ${expected}`);
    process.exit(2);
  }
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const session = await ort.InferenceSession.create(model);
  const results = await session.run({ input: new ort.Tensor('float32', values, dims) });
  const outputs = {};
  for (const name of session.outputNames) {
    outputs[name] = { dims: results[name].dims, data: Array.from(results[name].data) };
  }
  process.stdout.write(JSON.stringify({ outputs }) + '\n');
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
