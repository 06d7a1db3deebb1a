// docs/ui/check-asyncapi.mjs — validates an AsyncAPI document with @asyncapi/parser (offline: the document has no remote $ref); make test runs it on docs/asyncapi.json
//
// Usage: node check-asyncapi.mjs FILE. Prints every diagnostic; exits 1 on
// any error or warning, so a document that drifts from the specification
// (or from good form), or an example its message's schema refuses, fails
// the build.
import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
	console.error('usage: check-asyncapi.mjs FILE');
	process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), { source: file });
const names = ['error', 'warning', 'info', 'hint'];
let bad = 0;
for (const d of diagnostics) {
	const level = names[d.severity] ?? String(d.severity);
	if (d.severity <= 1)
		bad++;
	console.log(`${file}: ${level} ${d.code}: ${d.message} at ${(d.path || []).join('/')}`);
}
if (!document)
	bad++;
console.log(`${file}: ${bad === 0 ? 'valid' : 'NOT valid'} (${diagnostics.length} diagnostics, ${bad} errors or warnings)`);
process.exit(bad === 0 ? 0 : 1);
