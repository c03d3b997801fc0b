using Keystore.Api;

namespace Keystore.OpenApi;

/// <summary>
/// The OpenAPI description of every route, keyed by <c>"METHOD /route/pattern"</c> exactly as the endpoint maps it.
/// Endpoints stay free of documentation code: <see cref="KeystoreDocumentTransformer"/> applies these entries to the
/// operations ASP.NET Core generates, and a route without an entry fails the OpenAPI tests
/// (<c>Every_route_has_a_summary_and_an_example</c>). To document a new route, add one entry here with the same
/// method and pattern as its <c>Map…</c> call.
/// </summary>
public static class RouteCatalog
{
    // Declared before Routes: static fields initialize in textual order.
    private static readonly Dictionary<string, string> KeyExamples = new()
    {
        ["ethereum"] = """
            {"account":"alice.near","chain":"ethereum","index":0,"path":"m/44'/60'/0'/0/0","publicKey":"secp256k1:3t5n…","address":"0x9858EfFD232B4033E47d90003D41EC34EcaEda94",
             "binding":{"state":"unchecked","registry":"chain-keys.test.near","error":null}}
            """,
    };

    private static readonly int[] PublicKeyProblems = [400, 404, 429, 503];
    private static readonly int[] OwnerProblems = [400, 401, 403, 413, 503];

    public static IReadOnlyDictionary<string, RouteDoc> Routes { get; } = new Dictionary<string, RouteDoc>(StringComparer.Ordinal)
    {
        ["GET /v1/health"] = new(
            "Liveness",
            "200 while the process runs, whatever the boot state.",
            RouteAuth.None,
            [new(200, "The process runs.", typeof(HealthResponse), Examples: new Dictionary<string, string> { ["ok"] = """{"status":"ok"}""" })],
            []),

        ["GET /v1/ready"] = new(
            "Readiness and boot steps",
            "200 once a master secret is loaded; otherwise 503 `not-ready` with the same `steps` and `tee` as extensions.",
            RouteAuth.None,
            [new(200, "Ready: every boot step and the TEE.", typeof(ReadyResponse), Examples: new Dictionary<string, string>
            {
                ["ready"] = """
                    {"ready":true,"masterSecretSource":"ckd","tee":{"provider":"simulator","simulated":true,"workerPublicKey":"ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp","registered":true},
                     "steps":[{"name":"worker-key","state":"done","detail":null,"lastError":null,"attempts":1,"updatedAt":"2026-12-02T10:00:00+00:00"},
                              {"name":"master-secret","state":"done","detail":"ckd","lastError":null,"attempts":1,"updatedAt":"2026-12-02T10:00:03+00:00"}]}
                    """,
            })],
            [503]),

        ["GET /v1/attestation"] = new(
            "This worker's TDX evidence",
            "The quote (hex) whose report data is `workerPublicKey ‖ 32 zero bytes`, the event log, TCB info and the collateral a verifier needs. " +
            "`simulated: true` means the local test PKI signed it: it proves nothing. `verify-quote --attestation FILE` verifies this JSON offline.",
            RouteAuth.None,
            [new(200, "The evidence.", typeof(AttestationResponse), Examples: new Dictionary<string, string>
            {
                ["simulated"] = """
                    {"workerPublicKey":"ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp","quote":"0400020081000000…","eventLog":[],"tcbInfo":null,
                     "rtmr3":"00…","simulated":true,"provider":"simulator","registered":true,"dao":"dao.test.near","collateral":{}}
                    """,
            })],
            [429, 503]),

        ["GET /v1/attestation/registration"] = new(
            "Arguments of tee-dao.register_worker_key",
            "Exactly the JSON arguments an operator passes to `near contract call-function as-transaction <dao> register_worker_key file-args registration.json …`.",
            RouteAuth.None,
            [new(200, "The arguments.", Schema: """
                    {"type":"object","required":["public_key","quote_hex","collateral","event_log"],"additionalProperties":false,
                     "properties":{"public_key":{"type":"string","pattern":"^ed25519:"},"quote_hex":{"type":"string","pattern":"^[0-9a-f]+$"},
                                   "collateral":{"type":"object"},"event_log":{"type":"array"}}}
                    """,
                Examples: new Dictionary<string, string> { ["arguments"] = """{"public_key":"ed25519:6E8s…","quote_hex":"0400…","collateral":{},"event_log":[]}""" })],
            [429, 503]),

        ["GET /v1/accounts/{account}/keys/{chain}"] = new(
            "An account's address on a chain",
            "Public and rate-limited. With the owner's `Authorization` header the address is also published in `chain-keys` (the binding moves to `pending`).",
            RouteAuth.Optional,
            [new(200, "The key.", typeof(KeyResponse), Examples: KeyExamples)],
            [.. PublicKeyProblems, 401, 403],
            IndexQuery: true,
            AccountAndChain: true),

        ["POST /v1/accounts/{account}/keys/{chain}/publish"] = new(
            "Publish an address in chain-keys",
            "Owner only, empty body. Queues the binding and answers like the key GET.",
            RouteAuth.Required,
            [new(200, "The key, its binding queued.", typeof(KeyResponse), Examples: KeyExamples)],
            OwnerProblems,
            IndexQuery: true,
            AccountAndChain: true),

        ["POST /v1/accounts/{account}/sign/{chain}"] = new(
            "Sign with an account's key",
            "Owner only. The body depends on `{chain}`: an Ethereum transaction, EIP-191 message or EIP-712 typed data; a Bitcoin PSBT (BIP174 v0, base64); " +
            "a Solana message or wire transaction (base64). Every signature is verified against the key before it is returned; a rejected request signs nothing.",
            RouteAuth.Required,
            [new(200, "The signature; its shape depends on the chain and the body.", Schema: SignResponseSchema, Examples: new Dictionary<string, string>
            {
                ["ethereum-transaction"] = """{"signedTransaction":"0x02f8…","hash":"0x5c50…","from":"0x9858EfFD232B4033E47d90003D41EC34EcaEda94"}""",
                ["ethereum-message"] = """{"signature":"0x5f9a…1b"}""",
                ["bitcoin-psbt"] = """{"psbt":"cHNidP8BAF4CAAAAAf…","signedInputs":[0]}""",
                ["solana-message"] = """{"signature":"4Nd1mYB…"}""",
                ["solana-transaction"] = """{"signature":"4Nd1mYB…","signedTransaction":"AQAB…"}""",
            })],
            OwnerProblems,
            RequestSchema: SignRequestSchema,
            RequestExamples: new Dictionary<string, string>
            {
                ["ethereum-eip1559"] = """{"transaction":{"type":2,"chainId":"0x1","nonce":"0x0","to":"0x000000000000000000000000000000000000dEaD","value":"0x2386f26fc10000","gas":"0x5208","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"0x3b9aca00"}}""",
                ["ethereum-message"] = """{"message":"hello"}""",
                ["ethereum-typed-data"] = """{"typedData":{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"Mail":[{"name":"contents","type":"string"}]},"primaryType":"Mail","domain":{"name":"Example"},"message":{"contents":"hi"}}}""",
                ["bitcoin-psbt"] = """{"psbt":"cHNidP8BAF4CAAAAAf…","allowedSighashTypes":["DEFAULT","ALL"]}""",
                ["solana-message"] = """{"message":"AQABA…"}""",
                ["solana-transaction"] = """{"transaction":"AQAAAA…"}""",
            },
            AccountAndChain: true),
    };

    private const string SignRequestSchema = """
        {
          "type": "object",
          "description": "One of the chain-specific bodies; `index` (0 … 2^31-1) picks the key and defaults to 0.",
          "properties": {
            "index": { "type": "integer", "minimum": 0, "maximum": 2147483647 },
            "transaction": {
              "description": "Ethereum: the transaction fields (quantities 0x hex or decimal strings). Solana: a base64 wire transaction.",
              "oneOf": [
                { "type": "string", "contentEncoding": "base64" },
                {
                  "type": "object",
                  "properties": {
                    "type": { "type": ["integer", "string"] },
                    "chainId": { "type": ["integer", "string"] },
                    "nonce": { "type": ["integer", "string"] },
                    "to": { "type": ["string", "null"] },
                    "value": { "type": ["integer", "string"] },
                    "data": { "type": "string" },
                    "gas": { "type": ["integer", "string"] },
                    "gasPrice": { "type": ["integer", "string"] },
                    "maxFeePerGas": { "type": ["integer", "string"] },
                    "maxPriorityFeePerGas": { "type": ["integer", "string"] },
                    "accessList": { "type": "array" },
                    "from": { "type": "string" }
                  },
                  "required": ["chainId"]
                }
              ]
            },
            "message": { "type": "string", "description": "Ethereum: an EIP-191 message (UTF-8 text or 0x hex). Solana: a base64 legacy or v0 message." },
            "encoding": { "type": "string", "enum": ["utf8", "hex"] },
            "typedData": { "type": "object", "required": ["types", "primaryType", "domain", "message"] },
            "psbt": { "type": "string", "contentEncoding": "base64", "description": "Bitcoin: a BIP174 v0 PSBT." },
            "allowedSighashTypes": { "type": "array", "items": { "type": "string" } }
          }
        }
        """;

    private const string SignResponseSchema = """
        {
          "oneOf": [
            {
              "type": "object",
              "title": "Ethereum transaction",
              "required": ["signedTransaction", "hash", "from"],
              "properties": {
                "signedTransaction": { "type": "string", "pattern": "^0x[0-9a-f]+$" },
                "hash": { "type": "string", "pattern": "^0x[0-9a-f]{64}$" },
                "from": { "type": "string", "pattern": "^0x[0-9a-fA-F]{40}$" }
              },
              "additionalProperties": false
            },
            {
              "type": "object",
              "title": "Ethereum message or typed data",
              "required": ["signature"],
              "properties": { "signature": { "type": "string", "pattern": "^0x[0-9a-f]{130}$" } },
              "additionalProperties": false
            },
            {
              "type": "object",
              "title": "Bitcoin PSBT",
              "required": ["psbt", "signedInputs"],
              "properties": {
                "psbt": { "type": "string", "contentEncoding": "base64" },
                "signedInputs": { "type": "array", "items": { "type": "integer", "minimum": 0 } }
              },
              "additionalProperties": false
            },
            {
              "type": "object",
              "title": "Solana message",
              "required": ["signature"],
              "properties": { "signature": { "type": "string", "pattern": "^[1-9A-HJ-NP-Za-km-z]{64,88}$" } },
              "additionalProperties": false
            },
            {
              "type": "object",
              "title": "Solana transaction",
              "required": ["signature", "signedTransaction"],
              "properties": {
                "signature": { "type": "string", "pattern": "^[1-9A-HJ-NP-Za-km-z]{64,88}$" },
                "signedTransaction": { "type": "string", "contentEncoding": "base64" }
              },
              "additionalProperties": false
            }
          ]
        }
        """;
}
