using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Problems;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Keystore.OpenApi;

/// <summary>
/// Completes the document ASP.NET Core generates from the endpoints: the NEAR auth scheme, every problem type,
/// and each route's <see cref="RouteCatalog"/> entry (summary, body, query, answers, examples).
/// </summary>
public sealed class KeystoreDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeName = "NEAR";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "NEAR TEE keystore",
            Version = "v1",
            Description = Description,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "NEAR",
            Description = AuthDescription,
        };

        foreach ((string path, IOpenApiPathItem item) in document.Paths)
        {
            if (item is not OpenApiPathItem pathItem || pathItem.Operations is null) continue;
            foreach ((HttpMethod method, OpenApiOperation operation) in pathItem.Operations)
            {
                if (RouteCatalog.Routes.TryGetValue($"{method.Method} {path}", out RouteDoc? route))
                    await ApplyAsync(document, operation, route, context, cancellationToken);
            }
        }
    }

    private static async Task ApplyAsync(OpenApiDocument document, OpenApiOperation operation, RouteDoc route,
        OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        operation.Summary = route.Summary;
        operation.Description = route.Description;
        operation.Parameters ??= [];
        foreach (IOpenApiParameter parameter in operation.Parameters)
        {
            if (parameter is not OpenApiParameter p) continue;
            p.Description = p.Name switch
            {
                "account" => "A NEAR account id (2-64 characters, lowercase `a-z0-9`, separated by `.`, `-` or `_`).",
                "chain" => "`ethereum`, `bitcoin` or `solana`.",
                _ => p.Description,
            };
        }
        if (route.IndexQuery)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "index",
                In = ParameterLocation.Query,
                Required = false,
                Description = "The key index, 0 … 2^31-1 (default 0).",
                Schema = Parse("""{"type":"integer","minimum":0,"maximum":2147483647,"default":0}""", document),
            });
        }
        if (route.RequestSchema is not null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = Parse(route.RequestSchema, document), Examples = Examples(route.RequestExamples) },
                },
            };
        }

        var responses = new OpenApiResponses();
        foreach (ResponseDoc answer in route.Responses)
        {
            IOpenApiSchema schema = answer.Type is not null
                ? await context.GetOrCreateSchemaAsync(answer.Type, null, ct)
                : Parse(answer.Schema ?? "{}", document);
            responses[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = answer.Description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = schema, Examples = Examples(answer.Examples) },
                },
            };
        }
        foreach (int status in route.ProblemStatuses.Distinct().Order())
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponse(document, ProblemCatalog.WithStatus(status).ToList(), status);
        // Routing's 404/405 and anything unforeseen: the same problem shape, any type.
        responses["default"] = ProblemResponse(document, ProblemCatalog.All, null);
        operation.Responses = responses;

        operation.Security = route.Auth switch
        {
            RouteAuth.Required => [Requirement(document)],
            RouteAuth.Optional => [new OpenApiSecurityRequirement(), Requirement(document)],
            _ => [],
        };
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] };

    private static OpenApiResponse ProblemResponse(OpenApiDocument document, IReadOnlyList<ProblemType> types, int? status)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "RFC 9457 problem details; `type` is stable, clients switch on it.",
            ["required"] = new JsonArray("type", "title", "status", "detail"),
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject
                {
                    ["type"] = "string",
                    ["pattern"] = "^" + ProblemType.UriPrefix,
                },
                ["title"] = new JsonObject { ["type"] = "string" },
                // enum rather than const: Microsoft.OpenApi writes a const integer as a string.
                ["status"] = status is { } s ? new JsonObject { ["type"] = "integer", ["enum"] = new JsonArray(s) } : new JsonObject { ["type"] = "integer", ["minimum"] = 400, ["maximum"] = 599 },
                ["detail"] = new JsonObject { ["type"] = "string" },
                ["traceId"] = new JsonObject { ["type"] = "string", ["description"] = "The request's trace id, also in the logs." },
            },
        };
        if (status is not null)
            schema["properties"]!["type"]!["enum"] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t.Uri)).ToArray());
        ProblemType? first = types.FirstOrDefault();
        var examples = new Dictionary<string, IOpenApiExample>();
        if (first is not null)
        {
            examples[first.Slug] = new OpenApiExample
            {
                Value = new JsonObject
                {
                    ["type"] = first.Uri,
                    ["title"] = first.Title,
                    ["status"] = first.Status,
                    ["detail"] = "What was wrong with the request, in one sentence.",
                    ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                },
            };
        }
        return new OpenApiResponse
        {
            Description = status is null ? "A problem (any type)." : string.Join(", ", types.Select(t => $"`{t.Slug}`")),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = Parse(schema.ToJsonString(), document), Examples = examples },
            },
        };
    }

    private static Dictionary<string, IOpenApiExample>? Examples(IReadOnlyDictionary<string, string>? examples) =>
        examples?.ToDictionary(e => e.Key, e => (IOpenApiExample)new OpenApiExample { Value = JsonNode.Parse(e.Value) });

    private static OpenApiSchema Parse(string json, OpenApiDocument document)
    {
        OpenApiSchema? schema = OpenApiModelFactory.Parse<OpenApiSchema>(json, OpenApiSpecVersion.OpenApi3_1, document, out OpenApiDiagnostic? diagnostic, "json");
        if (schema is null || diagnostic?.Errors.Count > 0)
            throw new JsonException("Invalid schema in the route catalog: " + string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? []));
        return schema;
    }

    private static readonly string Description =
        "A signing service for AI agents and automation: standard Ethereum, Bitcoin Taproot and Solana keys for every NEAR account, " +
        "derived inside an Intel TDX confidential VM from a master secret NEAR's MPC network hands only to attested workers.\n\n" +
        "Errors are `application/problem+json` (RFC 9457) with a stable `type` and the request's `traceId`; a rejected request signs nothing.\n\n" +
        "## Problem types\n\n" + ProblemCatalog.MarkdownTable();

    private const string AuthDescription =
        "`Authorization: NEAR <base64url(JSON {accountId, publicKey, nonce, timestampMs, signature})>`, signed by a full-access ed25519 key of `{account}` " +
        "([NEP-413](https://github.com/near/NEPs/blob/master/neps/nep-0413.md)).\n\n" +
        "- `publicKey`: `ed25519:<base58>`; `nonce`: 32 random bytes, standard base64, accepted once; `timestampMs`: within `Keystore:Auth:MaxClockSkew` (5 min) of the keystore's clock; " +
        "`signature`: 64 bytes, standard base64.\n" +
        "- The signature is ed25519 over `sha256(borsh(u32 2147484061) ‖ borsh({message, nonce, recipient, callbackUrl: None}))` — what near-api-js's " +
        "`KeyPairSigner.signNep413Message` produces — with `recipient` = `near-tee-keystore` (`Keystore:ServiceName`) and " +
        "`message` = `\"<METHOD> <path and query>\\n<sha256 hex of the body bytes>\\n<timestampMs>\"`.\n" +
        "- The clients in `clients/dotnet` and `clients/typescript` build it from a NEAR CLI credentials file.";
}
