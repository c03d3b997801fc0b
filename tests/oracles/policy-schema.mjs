// Oracle for Keystore.Policies.Schema: validates policy documents against the published JSON Schema with ajv
// (draft 2020-12, strict mode, so a schema ajv finds ambiguous fails the run), independent of the C# validator.
// stdin: {"schema": "<schema JSON text>", "documents": ["<document JSON text>", …]} → {"valid": [bool], "errors": [string|null]}
import Ajv2020 from 'ajv/dist/2020.js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const ajv = new Ajv2020({ strict: true, allErrors: false });
const validate = ajv.compile(JSON.parse(input.schema));
const valid = [], errors = [];
for (const text of input.documents) {
  const ok = validate(JSON.parse(text));
  valid.push(ok);
  errors.push(ok ? null : ajv.errorsText(validate.errors));
}
console.log(JSON.stringify({ valid, errors }));
