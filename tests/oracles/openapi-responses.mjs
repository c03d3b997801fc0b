// Validates the keystore's OpenAPI document (against the OpenAPI 3.1 schema, with @seriousme/openapi-schema-validator)
// and real responses against it (with Ajv's JSON Schema 2020-12, the dialect of OpenAPI 3.1).
// stdin: {document, samples: [{method, route, status, contentType, body}]}
// stdout: {documentValid, documentErrors, checked, failures: [{sample, error}]}
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const { document, samples } = input;

const validator = new Validator();
const result = await validator.validate(structuredClone(document));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// OpenAPI's own formats and the ones ASP.NET Core writes for .NET types.
for (const f of ['int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'byte', 'binary']) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'https://keystore.invalid/openapi.json', components: document.components ?? {} });

const failures = [];
let checked = 0;
for (const sample of samples) {
  const operation = document.paths?.[sample.route]?.[sample.method.toLowerCase()];
  if (!operation) { failures.push({ sample: label(sample), error: 'the route is not in the document' }); continue; }
  const response = operation.responses?.[String(sample.status)] ?? operation.responses?.default;
  if (!response) { failures.push({ sample: label(sample), error: `status ${sample.status} is not documented` }); continue; }
  const media = response.content?.[sample.contentType];
  if (!media) {
    failures.push({ sample: label(sample), error: `content type ${sample.contentType} is not documented (${Object.keys(response.content ?? {})})` });
    continue;
  }
  const schema = rewriteRefs(media.schema ?? {});
  const validate = ajv.compile(schema);
  if (!validate(sample.body)) {
    failures.push({ sample: label(sample), error: ajv.errorsText(validate.errors), body: sample.body });
  }
  checked++;
}
process.stdout.write(JSON.stringify({ documentValid: result.valid, documentErrors: result.valid ? null : result.errors, checked, failures }));

function label(s) { return `${s.method} ${s.route} → ${s.status} ${s.contentType}`; }

// Local references (#/components/...) point into the document registered under one $id.
function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? 'https://keystore.invalid/openapi.json' + v : rewriteRefs(v);
    return out;
  }
  return node;
}
