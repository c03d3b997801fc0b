using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

/// <summary>
/// Generated bodies, headers and paths thrown at every route over real Kestrel, with a fixed seed so a failure
/// replays: no 5xx, every error is a project problem, nothing is signed or published without a valid credential,
/// and the service still answers afterwards.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20261202;
    private const int Cases = 3000;

    private static readonly string[] Chains = ["ethereum", "bitcoin", "solana", "dogecoin", "", "ETHEREUM", "ethereum%2F..", "é"];
    private static readonly string[] Accounts = ["alice.near", "bob.near", "a", "Alice.near", "alice..near", "x.y", new string('a', 65), "al%20ice", "%ED%A0%80", "..", "alice.near%3F"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    private static readonly string[] Keys = ["transaction", "message", "psbt", "typedData", "index", "encoding", "allowedSighashTypes", "chainId", "gas", "nonce", "types", "primaryType", "domain", "to", "type", "data"];
    private static readonly string[] Strings = ["\\ud800", "\\udfff\\ud800", "0x", "0x0", "0xzz", "-1", "1e400", "", "ed25519:", "ALL", "NONE|ANYONECANPAY", "cHNidP8=", "\\u0000", "é", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "21000"];

    private static string Route(Random r)
    {
        string account = Pick(r, Accounts);
        string chain = Pick(r, Chains);
        string path = r.Next(9) switch
        {
            0 => "/v1/health",
            1 => "/v1/ready",
            2 => "/v1/attestation",
            3 => "/v1/attestation/registration",
            4 => $"/v1/accounts/{account}/keys/{chain}",
            5 => $"/v1/accounts/{account}/keys/{chain}/publish",
            6 => $"/v1/accounts/{account}/sign-batch/{chain}",
            _ => $"/v1/accounts/{account}/sign/{chain}",
        };
        if (r.Next(6) == 0) path += "/" + RandomSegment(r);
        if (r.Next(3) == 0) path += "?index=" + Pick(r, ["0", "-1", "2147483648", "0x1", "", "1&index=2", "%ED%A0%80", "99999999999999999999", "1.5"]);
        return path;
    }

    private static string RandomSegment(Random r)
    {
        var sb = new StringBuilder();
        int length = r.Next(1, 12);
        for (int i = 0; i < length; i++)
        {
            int b = r.Next(0, 256); // %00 included: Kestrel refuses it itself, and the answer must still be a problem
            sb.Append(b is >= 'a' and <= 'z' ? ((char)b).ToString() : $"%{b:X2}");
        }
        return sb.ToString();
    }

    private static string Json(Random r, int depth)
    {
        if (depth > 4 || r.Next(4) == 0)
        {
            return r.Next(6) switch
            {
                0 => "\"" + Pick(r, Strings) + "\"",
                1 => r.Next(3) == 0 ? "1" + new string('0', r.Next(1, 400)) : r.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
                2 => Pick(r, ["true", "false", "null", "-0", "1.5", "1e308"]),
                _ => "\"" + Pick(r, Strings) + "\"",
            };
        }
        if (r.Next(3) == 0)
            return "[" + string.Join(",", Enumerable.Range(0, r.Next(4)).Select(_ => Json(r, depth + 1))) + "]";
        var members = Enumerable.Range(0, r.Next(5)).Select(_ => $"\"{(r.Next(5) == 0 ? Pick(r, Strings) : Pick(r, Keys))}\":{Json(r, depth + 1)}");
        return "{" + string.Join(",", members) + "}";
    }

    private static byte[] Body(Random r)
    {
        switch (r.Next(6))
        {
            case 0: return [];
            case 1:
                byte[] bytes = new byte[r.Next(1, 300)];
                r.NextBytes(bytes);
                return bytes;
            case 2:
                string json = Json(r, 0);
                return Encoding.UTF8.GetBytes(json[..r.Next(json.Length + 1)]); // truncated
            default:
                return Encoding.UTF8.GetBytes(Json(r, 0));
        }
    }

    private static string? Authorization(Random r, string path)
    {
        switch (r.Next(6))
        {
            case 0: return null;
            case 1: return Pick(r, ["NEAR", "NEAR ", "Bearer x", "NEAR !!!", "NEAR e30", "near abc", "NEAR " + new string('A', 5000)]);
            case 2:
                byte[] garbage = new byte[r.Next(1, 200)];
                r.NextBytes(garbage);
                return "NEAR " + Convert.ToBase64String(garbage).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            default:
                // A well-formed credential that can never verify: random signature, and random fields.
                var credential = new JsonObject
                {
                    ["accountId"] = Pick(r, Accounts),
                    ["publicKey"] = Pick(r, ["ed25519:" + new string('1', 32), "ed25519:4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi", "secp256k1:abc", "11111111111111111111111111111111"]),
                    ["nonce"] = Convert.ToBase64String(new byte[r.Next(30, 34)]),
                    ["timestampMs"] = Pick(r, new long[] { DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), long.MinValue, long.MaxValue, 0, -1 }),
                    ["signature"] = Convert.ToBase64String(new byte[64]),
                    ["extra"] = r.Next(2) == 0 ? path : null,
                };
                return "NEAR " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.ToJsonString())).TrimEnd('=');
        }
    }

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    [Fact]
    public async Task Thousands_of_generated_requests_get_no_5xx_and_sign_nothing()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:RateLimit:PermitsPerSecond"] = "1000000",
            ["Keystore:RateLimit:Burst"] = "1000000",
            ["Keystore:RateLimit:MaxConcurrent"] = "64",
        });
        var failures = new List<string>();
        var r = new Random(Seed);
        var requests = Enumerable.Range(0, Cases).Select(_ =>
        {
            string path = Route(r);
            string method = r.Next(3) == 0 ? Pick(r, Methods) : path.Contains("/sign/", StringComparison.Ordinal) || path.Contains("/sign-batch/", StringComparison.Ordinal) || path.EndsWith("/publish", StringComparison.Ordinal) ? "POST" : "GET";
            return (Method: method, Path: path, Body: Body(r), Authorization: Authorization(r, path),
                ContentType: Pick(r, ["application/json", "text/plain", "application/json; charset=utf-16", "", "multipart/form-data; boundary=x"]),
                Extra: r.Next(4) == 0 ? Pick(r, ["X-Forwarded-For", "Content-Encoding", "Accept", "Expect", "If-None-Match"]) : null,
                ExtraValue: new string((char)r.Next(0x21, 0x7f), r.Next(1, 40)));
        }).ToList();

        int signedOrPublished = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
            if (c.Method is not ("GET" or "HEAD" or "OPTIONS"))
            {
                request.Content = new ByteArrayContent(c.Body);
                if (c.ContentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
            if (c.Authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", c.Authorization);
            if (c.Extra is not null) request.Headers.TryAddWithoutValidation(c.Extra, c.ExtraValue);
            using HttpResponseMessage response = await server.Client.SendAsync(request, ct);
            string raw = await response.Content.ReadAsStringAsync(ct);
            int status = (int)response.StatusCode;
            string what = $"{c.Method} {c.Path} → {status} {raw[..Math.Min(raw.Length, 200)]}";
            bool signs = c.Path.Contains("/sign/", StringComparison.Ordinal) || c.Path.Contains("/sign-batch/", StringComparison.Ordinal) || c.Path.Contains("/publish", StringComparison.Ordinal)
                || c.Authorization is not null && c.Path.Contains("/keys/", StringComparison.Ordinal);
            lock (failures)
            {
                if (status >= 500 && status != 503) failures.Add("5xx: " + what);
                if (status == 503 && !raw.Contains("urn:near-tee-keystore:problem:", StringComparison.Ordinal)) failures.Add("bare 503: " + what);
                if (status >= 400 && c.Method != "HEAD")
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add("not problem+json: " + what);
                    else if (JsonNode.Parse(raw)?["type"]?.GetValue<string>() is not { } type || !type.StartsWith("urn:near-tee-keystore:problem:", StringComparison.Ordinal))
                        failures.Add("foreign problem type: " + what);
                }
                if (signs && status is >= 200 and < 300)
                {
                    signedOrPublished++;
                    failures.Add("accepted without a valid credential: " + what);
                }
            }
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} failed:\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(0, signedOrPublished);
        using HttpResponseMessage health = await server.Client.GetAsync("/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost("/v1/accounts/alice.near/sign/ethereum", """{"message":"still up"}"""));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }
}
