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

    private static readonly Dictionary<string, string> AgentExamples = new()
    {
        ["agent"] = """{"account":"alice.near","publicKey":"ed25519:6E8s…","name":"payments-bot","createdAt":"2026-12-02T10:00:00Z","updatedAt":"2026-12-02T10:00:00Z","expiresAt":"2027-06-30T00:00:00Z","active":true,"version":3,"policy":{"kind":"agent","version":1,"rules":[]}}""",
    };

    private static readonly Dictionary<string, string> AccountPolicyExamples = new()
    {
        ["open"] = """{"account":"alice.near","frozen":false,"rules":null,"version":4,"updatedAt":"2026-12-02T10:00:00Z"}""",
    };

    private static readonly Dictionary<string, string> ApprovalExamples = new()
    {
        ["pending"] = """
            {"id":"Q2hhbmdlIG1lIHBsZWFzZQ","account":"alice.near","agent":"ed25519:6E8s…","chain":"ethereum","state":"pending","payloadHash":"ec073e04de3977b50e3eaff55190d7e6fc65100f9e238cf52fe56933dd5aa098",
             "rule":"payments","required":2,"approvers":["bob.near","carol.near","dave.near"],"approvals":[{"account":"bob.near","at":"2026-12-02T10:01:00.0000000+00:00"}],"rejections":[],
             "pendingApprovers":["carol.near","dave.near"],"createdAt":"2026-12-02T10:00:00.0000000+00:00","expiresAt":"2026-12-03T10:00:00.0000000+00:00","finishedAt":null}
            """,
    };

    /// <summary>What <c>GET …/approvals/{id}</c> and the m-th approval answer once signed: the body approved and the sign route's answer.</summary>
    private static readonly Dictionary<string, string> SignedApprovalExamples = new(ApprovalExamples)
    {
        ["signed"] = """
            {"id":"Q2hhbmdlIG1lIHBsZWFzZQ","account":"alice.near","agent":"ed25519:6E8s…","chain":"ethereum","state":"signed","payloadHash":"ec073e04de3977b50e3eaff55190d7e6fc65100f9e238cf52fe56933dd5aa098",
             "rule":"payments","required":2,"approvers":["bob.near","carol.near","dave.near"],"approvals":[{"account":"bob.near","at":"2026-12-02T10:01:00.0000000+00:00"},{"account":"carol.near","at":"2026-12-02T10:02:00.0000000+00:00"}],
             "rejections":[],"pendingApprovers":[],"createdAt":"2026-12-02T10:00:00.0000000+00:00","expiresAt":"2026-12-03T10:00:00.0000000+00:00","finishedAt":"2026-12-02T10:02:00.0000000+00:00",
             "result":{"signedTransaction":"0x02f8…","hash":"0x5c50…","from":"0x9858EfFD232B4033E47d90003D41EC34EcaEda94"},
             "request":{"transaction":{"type":2,"chainId":"0x1","nonce":"0x0","to":"0x742d35Cc6634C0532925a3b844Bc454e4438f44e","value":"0x2c68af0bb140000","gas":"0x5208","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00"}},
             "body":"eyJ0cmFuc2FjdGlvbiI6eyJ0eXBlIjoyLCJjaGFpbklkIjoiMHgxIiwibm9uY2UiOiIweDAiLCJ0byI6IjB4NzQyZDM1Q2M2NjM0QzA1MzI5MjVhM2I4NDRCYzQ1NGU0NDM4ZjQ0ZSIsInZhbHVlIjoiMHgyYzY4YWYwYmIxNDAwMDAiLCJnYXMiOiIweDUyMDgiLCJtYXhGZWVQZXJHYXMiOiIweDRhODE3YzgwMCIsIm1heFByaW9yaXR5RmVlUGVyR2FzIjoiMHgzYjlhY2EwMCJ9fQ"}
            """,
    };

    private static readonly Dictionary<string, string> ExportApprovalExamples = new()
    {
        ["pending-export"] = """
            {"id":"RXhwb3J0IG1lIHBsZWFzZQ","account":"alice.near","agent":"ed25519:6E8s…","chain":"export","state":"pending","payloadHash":"a6236ad0142547f3a3572b71768ee745233d4c85ce31a1aa4d16ba34c6d434ee",
             "rule":"account:export","required":2,"approvers":["bob.near","carol.near"],"approvals":[],"rejections":[],
             "pendingApprovers":["bob.near","carol.near"],"createdAt":"2026-12-02T10:00:00.0000000+00:00","expiresAt":"2026-12-03T10:00:00.0000000+00:00","finishedAt":null}
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
                    {"type":"object","required":["public_key","quote_hex","collateral","event_log","app_compose"],"additionalProperties":false,
                     "properties":{"public_key":{"type":"string","pattern":"^ed25519:"},"quote_hex":{"type":"string","pattern":"^[0-9a-f]+$"},
                                   "collateral":{"type":"object"},"event_log":{"type":"array"},"app_compose":{"type":"string"}}}
                    """,
                Examples: new Dictionary<string, string> { ["arguments"] = """{"public_key":"ed25519:6E8s…","quote_hex":"0400…","collateral":{},"event_log":[],"app_compose":"{\"manifest_version\": 2, …}"}""" })],
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
            }),
            new(202, "An agent's request its policy sends for m-of-n approvals: nothing is signed yet; `Location` names the request to poll.",
                Schema: ApprovalSchema, Examples: ApprovalExamples)],
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
                ["solana-offchain-message"] = """{"offchainMessage":"/3NvbGFuYSBvZmZjaGFpbgE…"}""",
                ["solana-transaction-base58"] = """{"transaction":"5Kx…","encoding":"base58"}""",
            },
            AccountAndChain: true),

        ["POST /v1/accounts/{account}/sign-batch/{chain}"] = new(
            "Sign up to 100 bodies under one owner signature",
            "Owner only (agent keys sign one request at a time, through their policy). Each item is a body of the sign route and is signed or refused on its own; " +
            "the answer lists, in item order, `{result}` (the sign route's answer) or `{problem}` (its problem members). A frozen account signs nothing.",
            RouteAuth.Required,
            [new(200, "One result or problem per item.", Schema: """
                    {"type":"object","required":["results"],"properties":{"results":{"type":"array","items":{"type":"object",
                     "oneOf":[{"required":["result"]},{"required":["problem"]}]}}}}
                    """,
                Examples: new Dictionary<string, string> { ["mixed"] = """{"results":[{"result":{"signature":"0x5f9a…1b"}},{"problem":{"type":"urn:near-tee-keystore:problem:invalid-request","title":"Invalid request","status":400,"detail":"…"}}]}""" })],
            OwnerProblems,
            RequestSchema: """{"type":"object","required":["items"],"properties":{"items":{"type":"array","minItems":1,"maxItems":100,"items":{"type":"object"}}}}""",
            RequestExamples: new Dictionary<string, string> { ["two-messages"] = """{"items":[{"message":"one"},{"message":"two","index":1}]}""" },
            AccountAndChain: true),

        ["POST /v1/accounts/{account}/agents"] = new(
            "Register an agent key",
            "Owner only. The agent's own ed25519 public key (its private key never reaches the keystore), a name, an expiry and a policy document " +
            "(`kind: agent`, validated against the published policy schema; a refusal names the bad field).",
            RouteAuth.Required,
            [new(201, "The agent.", Schema: AgentSchema, Examples: AgentExamples)],
            [400, 401, 403, 409, 413, 503],
            RequestSchema: """{"type":"object","required":["publicKey","name","expiresAt","policy"],"properties":{"publicKey":{"type":"string"},"name":{"type":"string"},"expiresAt":{"type":"string","format":"date-time"},"policy":{"type":"object"}}}""",
            RequestExamples: new Dictionary<string, string> { ["daily-half-eth"] = """{"publicKey":"ed25519:6E8s…","name":"payments-bot","expiresAt":"2027-06-30T00:00:00Z","policy":{"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{"daily":"500000000000000000"}}}]}}""" }),

        ["GET /v1/accounts/{account}/agents"] = new(
            "List an account's agent keys",
            "Owner only; signed over an empty body.",
            RouteAuth.Required,
            [new(200, "The agents.", Schema: """{"type":"object","required":["account","agents"],"properties":{"account":{"type":"string"},"agents":{"type":"array"}}}""",
                Examples: new Dictionary<string, string> { ["one"] = """{"account":"alice.near","agents":[{"publicKey":"ed25519:6E8s…","name":"payments-bot","active":true,"version":3}]}""" })],
            [400, 401, 403, 503]),

        ["GET /v1/accounts/{account}/agents/{publicKey}"] = new(
            "Read one agent key",
            "Owner only; 404 `agent-not-found` when the key is not (or no longer) an agent of the account.",
            RouteAuth.Required,
            [new(200, "The agent.", Schema: AgentSchema, Examples: AgentExamples)],
            [400, 401, 403, 404, 503]),

        ["PUT /v1/accounts/{account}/agents/{publicKey}"] = new(
            "Change an agent's name, expiry or policy",
            "Owner only; any of `name`, `expiresAt`, `policy`. The version rises, so an older copy of the agent cannot be put back in the store.",
            RouteAuth.Required,
            [new(200, "The agent, changed.", Schema: AgentSchema, Examples: AgentExamples)],
            [400, 401, 403, 404, 413, 503]),

        ["DELETE /v1/accounts/{account}/agents/{publicKey}"] = new(
            "Revoke an agent key",
            "Owner only. Refused at once on every instance sharing the store.",
            RouteAuth.Required,
            [new(200, "Revoked.", Schema: """{"type":"object","required":["revoked"],"properties":{"revoked":{"type":"boolean"}}}""",
                Examples: new Dictionary<string, string> { ["revoked"] = """{"revoked":true,"publicKey":"ed25519:6E8s…"}""" })],
            [400, 401, 403, 404, 503]),

        ["GET /v1/accounts/{account}/policy"] = new(
            "Read the account-wide policy",
            "Owner only: the freeze and the account's own rules (`kind: account`).",
            RouteAuth.Required,
            [new(200, "The account policy.", Schema: AccountPolicySchema, Examples: AccountPolicyExamples)],
            [400, 401, 403, 503]),

        ["PUT /v1/accounts/{account}/policy"] = new(
            "Freeze the account or set its rules",
            "Owner only. `frozen: true` stops every signature, the owner's too, until lifted.",
            RouteAuth.Required,
            [new(200, "The account policy.", Schema: AccountPolicySchema, Examples: AccountPolicyExamples)],
            [400, 401, 403, 413, 503],
            RequestSchema: """{"type":"object","required":["frozen"],"properties":{"frozen":{"type":"boolean"},"rules":{"type":["object","null"]}}}""",
            RequestExamples: new Dictionary<string, string> { ["freeze"] = """{"frozen":true}""" }),

        ["POST /v1/accounts/{account}/export"] = new(
            "Export the account's keys, encrypted to an age recipient",
            "Owner only (a full-access key), rate-limited per account, always audited. The mnemonic (and, on request, chain private keys in their wallets' " +
            "import formats) is encrypted to the caller's X25519 `age1…` recipient: decrypt with `age --decrypt -i key.txt`. The account policy's `export` member " +
            "may forbid it (403 `policy-denied`, rule `account:export`) or make it wait for m-of-n approvals (202, an approval request of chain `export` whose " +
            "`result`, once `exported`, only the owner reads).",
            RouteAuth.Required,
            [new(200, "The age file (armored).", Schema: """{"type":"object","required":["account","recipient","armored"],"properties":{"armored":{"type":"string","pattern":"^-----BEGIN AGE ENCRYPTED FILE-----"}}}""",
                Examples: new Dictionary<string, string> { ["mnemonic"] = """{"account":"alice.near","recipient":"age1ql3z…","contents":["mnemonic"],"format":"age","armored":"-----BEGIN AGE ENCRYPTED FILE-----\n…"}""" }),
            new(202, "The account policy makes exports wait for m-of-n approvals: nothing is derived yet; `Location` names the approval request, whose owner-only `result` holds the age file once approved.",
                Schema: ApprovalSchema, Examples: ExportApprovalExamples)],
            [400, 401, 403, 409, 413, 429, 503],
            RequestSchema: """{"type":"object","required":["recipient"],"properties":{"recipient":{"type":"string","pattern":"^age1"},"include":{"type":"array"}}}""",
            RequestExamples: new Dictionary<string, string> { ["mnemonic"] = """{"recipient":"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p","include":["mnemonic"]}""" }),

        ["GET /v1/accounts/{account}/audit"] = new(
            "An account's audit entries",
            "Owner only; paged by `after` (sequence) and `limit`, filtered by `agent`, `from`, `to`. Each entry is signed by the keystore's audit key and chained by hash.",
            RouteAuth.Required,
            [new(200, "The entries.", Schema: """{"type":"object","required":["account","entries"],"properties":{"entries":{"type":"array"}}}""",
                Examples: new Dictionary<string, string> { ["signed"] = """{"account":"alice.near","entries":[{"seq":7,"at":"2026-12-02T10:00:00.123Z","prev":"…","contentHash":"…","hash":"…","signature":"…","content":"{\"kind\":\"signed\",…}","entry":{"kind":"signed","chain":"ethereum"}}],"next":null}""" })],
            [400, 401, 403, 503]),

        ["GET /v1/accounts/{account}/approvals"] = new(
            "List the requests waiting for approvals",
            "Owner only; the open requests (pending or being signed), oldest first, paged by `limit` (1 to 100, default 50) and `cursor` (the previous page's `next`).",
            RouteAuth.Required,
            [new(200, "The open requests.", Schema: """{"type":"object","required":["account","approvals"],"properties":{"approvals":{"type":"array"},"next":{"type":["string","null"]}}}""",
                Examples: new Dictionary<string, string> { ["one"] = """{"account":"alice.near","approvals":[{"id":"Q2hhbmdlIG1lIHBsZWFzZQ","state":"pending","required":2}],"next":null}""" })],
            [400, 401, 403, 503]),

        ["GET /v1/accounts/{account}/approvals/{id}"] = new(
            "A request waiting for approvals",
            "The owner, the agent that asked, or one of the request's approvers (signing as their own NEAR account with a full-access key). " +
            "Shows its state, who approved and who is still awaited, the request the agent sent: `request` parsed, for reading, and `body`, the exact bytes it sent " +
            "(base64url): approvers hash the decoded `body` (SHA-256, hex) and compare it with `payloadHash` before voting (`request` is re-serialized, its hash can differ); once signed, the `result` " +
            "(an export's `result`, its age file, is shown to the owner only).",
            RouteAuth.Required,
            [new(200, "The request.", Schema: ApprovalSchema, Examples: SignedApprovalExamples)],
            [400, 401, 403, 404, 503]),

        ["POST /v1/accounts/{account}/approvals/{id}/approve"] = new(
            "Approve a pending request",
            "An approver named by the rule, signing as their own NEAR account with one of its full-access keys, names the SHA-256 of the exact pending body. " +
            "A second approval by the same approver counts once. At the m-th approval the policy and spending windows are checked again at that moment and the " +
            "request is signed (once, whatever instances the approvers reach): the answer then holds `result`, or `deniedRule` when the re-check refused.",
            RouteAuth.Required,
            [new(200, "The request after the vote.", Schema: ApprovalSchema, Examples: ApprovalExamples)],
            [400, 401, 403, 404, 409, 503],
            RequestSchema: VoteRequestSchema,
            RequestExamples: new Dictionary<string, string> { ["approve"] = """{"payloadHash":"ec073e04de3977b50e3eaff55190d7e6fc65100f9e238cf52fe56933dd5aa098"}""" }),

        ["POST /v1/accounts/{account}/approvals/{id}/reject"] = new(
            "Reject a pending request",
            "As approve; a rejection ends the request (`Keystore:Approvals:EndOnFirstRejection`, or only once the approvals it needs can no longer be had).",
            RouteAuth.Required,
            [new(200, "The request after the vote.", Schema: ApprovalSchema, Examples: ApprovalExamples)],
            [400, 401, 403, 404, 409, 503],
            RequestSchema: VoteRequestSchema,
            RequestExamples: new Dictionary<string, string> { ["reject"] = """{"payloadHash":"ec073e04de3977b50e3eaff55190d7e6fc65100f9e238cf52fe56933dd5aa098"}""" }),

        ["DELETE /v1/accounts/{account}/approvals/{id}"] = new(
            "Cancel a pending request",
            "Owner only; signed over an empty body. Nothing is signed for it afterwards.",
            RouteAuth.Required,
            [new(200, "The cancelled request.", Schema: ApprovalSchema, Examples: ApprovalExamples)],
            [400, 401, 403, 404, 409, 503]),

        ["GET /v1/audit/head"] = new(
            "The audit log's head",
            "Public, rate-limited: the last sequence and hash, the audit public key and the last sequence anchored on NEAR.",
            RouteAuth.None,
            [new(200, "The head.", Schema: """{"type":"object","required":["sequence","hash","auditPublicKey"]}""",
                Examples: new Dictionary<string, string> { ["head"] = """{"sequence":42,"hash":"9f2c…","auditPublicKey":"ed25519:…","anchoredSequence":40}""" })],
            [429, 503]),

        ["GET /v1/audit/chain"] = new(
            "The audit log's chain of hashes",
            "Public, rate-limited: sequence, hash, previous hash and signature of each entry, no account data. `verify-audit --log` checks a saved answer.",
            RouteAuth.None,
            [new(200, "The links.", Schema: """{"type":"object"}""",
                Examples: new Dictionary<string, string> { ["chain"] = """{"auditPublicKey":"ed25519:…","entries":[{"seq":1,"at":"2026-12-02T10:00:00.123Z","prev":"…","contentHash":"…","hash":"…","signature":"…"}]}""" })],
            [400, 429, 503]),

        ["PUT /v1/accounts/{account}/webhook"] = new(
            "Set the account's webhook",
            "Owner only. `url` must be https (≤ 2048 characters, no credentials) and resolve only to public addresses; `events` names the audit kinds to post " +
            "(`pending` = approval needed, `approved`, `rejected`, `cancelled`, `expired`, `signed`, `denied`, …). Answers the HMAC `secret` (32 bytes, base64url) " +
            "**once**: every delivery carries `X-Keystore-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>`. A new PUT replaces the webhook and its secret.",
            RouteAuth.Required,
            [new(200, "The webhook, with its secret (shown this once).", Schema: WebhookSchema.Replace("\"createdAt\"]", "\"createdAt\",\"secret\"]", StringComparison.Ordinal),
                Examples: new Dictionary<string, string> { ["approvals"] = """{"account":"alice.near","url":"https://hooks.example.com/keystore","events":["pending","signed","rejected"],"createdAt":"2026-12-02T10:00:00.0000000+00:00","secret":"q9V0cXbW1hJ0kq3r9Xb1m2Zy7p0aQ3s4TtUuVvWwXx8"}""" })],
            [400, 401, 403, 413, 503],
            RequestSchema: """{"type":"object","required":["url","events"],"properties":{"url":{"type":"string","maxLength":2048},"events":{"type":"array","minItems":1,"maxItems":32,"items":{"type":"string"}}}}""",
            RequestExamples: new Dictionary<string, string> { ["approvals"] = """{"url":"https://hooks.example.com/keystore","events":["pending","signed","rejected"]}""" }),

        ["GET /v1/accounts/{account}/webhook"] = new(
            "Read the account's webhook",
            "Owner only; the URL and events, never the secret. 404 `webhook-not-found` when none is set.",
            RouteAuth.Required,
            [new(200, "The webhook.", Schema: WebhookSchema,
                Examples: new Dictionary<string, string> { ["approvals"] = """{"account":"alice.near","url":"https://hooks.example.com/keystore","events":["pending","signed","rejected"],"createdAt":"2026-12-02T10:00:00.0000000+00:00"}""" })],
            [400, 401, 403, 404, 503]),

        ["DELETE /v1/accounts/{account}/webhook"] = new(
            "Remove the account's webhook",
            "Owner only. Deliveries already queued for it are not sent (each reads the webhook when it is sent).",
            RouteAuth.Required,
            [new(200, "Removed.", Schema: """{"type":"object","required":["account","deleted"],"properties":{"account":{"type":"string"},"deleted":{"type":"boolean"}}}""",
                Examples: new Dictionary<string, string> { ["deleted"] = """{"account":"alice.near","deleted":true}""" })],
            [400, 401, 403, 404, 503]),
    };

    private const string ApprovalSchema = """
        {"type":"object","required":["id","account","agent","chain","state","payloadHash","rule","required","approvers","approvals","rejections","pendingApprovers","createdAt","expiresAt"],
         "properties":{"id":{"type":"string","pattern":"^[A-Za-z0-9_-]{22}$"},"state":{"enum":["pending","signing","signed","exported","denied","failed","rejected","cancelled","expired"]},
                       "payloadHash":{"type":"string","pattern":"^[0-9a-f]{64}$"},"required":{"type":"integer"},"approvers":{"type":"array","items":{"type":"string"}},
                       "result":{"type":"object"},"request":{"type":"object"},"deniedRule":{"type":"string"},
                       "body":{"type":"string","pattern":"^[A-Za-z0-9_-]*$","description":"The exact request bytes the agent sent, base64url without padding (GET by id only): SHA-256 of the decoded bytes is payloadHash."}}}
        """;

    private const string VoteRequestSchema = """{"type":"object","required":["payloadHash"],"additionalProperties":false,"properties":{"payloadHash":{"type":"string","pattern":"^[0-9a-fA-F]{64}$"}}}""";

    private const string AgentSchema = """
        {"type":"object","required":["publicKey","name","expiresAt","active","version","policy"],
         "properties":{"publicKey":{"type":"string","pattern":"^ed25519:"},"name":{"type":"string"},"expiresAt":{"type":"string"},"active":{"type":"boolean"},
                       "version":{"type":"integer"},"policy":{"type":"object"}}}
        """;

    private const string WebhookSchema = """
        {"type":"object","required":["account","url","events","createdAt"],
         "properties":{"account":{"type":"string"},"url":{"type":"string"},"events":{"type":"array","items":{"type":"string"}},"createdAt":{"type":"string"},"secret":{"type":"string"}},
         "additionalProperties":false}
        """;

    private const string AccountPolicySchema = """{"type":"object","required":["account","frozen"],"properties":{"frozen":{"type":"boolean"}}}""";

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
            "message": { "type": "string", "description": "Ethereum: an EIP-191 message (UTF-8 text or 0x hex). Solana: a legacy or v0 message (base64, or base58 with encoding)." },
            "encoding": { "type": "string", "enum": ["utf8", "hex", "base64", "base58"], "description": "Ethereum message: utf8 or hex. Solana message, transaction or offchainMessage: base64 (the default) or base58; signedTransaction answers in the same encoding." },
            "typedData": { "type": "object", "required": ["types", "primaryType", "domain", "message"] },
            "psbt": { "type": "string", "contentEncoding": "base64", "description": "Bitcoin: a BIP174 v0 PSBT." },
            "offchainMessage": { "type": "string", "contentEncoding": "base64", "description": "Solana: a whole off-chain message (\\xffsolana offchain, v0 or v1)." },
            "allowedSighashTypes": { "type": "array", "items": { "type": "string" } },
            "finalize": { "type": "boolean", "description": "Bitcoin: also finalize the PSBT and return the raw transaction (every input must then be signed)." }
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
                "signedInputs": { "type": "array", "items": { "type": "integer", "minimum": 0 } },
                "rawTransaction": { "type": "string", "pattern": "^[0-9a-f]+$", "description": "With finalize: the network-ready transaction, hex." }
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
