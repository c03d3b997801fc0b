using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keystore.Near.Encoding;
using Keystore.Problems;

namespace Keystore.Auth;

/// <summary>
/// The decoded <c>Authorization: NEAR &lt;base64url(JSON)&gt;</c> credential of a signed request.
/// </summary>
public sealed record NearAuthorization(string AccountId, byte[] PublicKey, string PublicKeyText, byte[] Nonce, long TimestampMs, byte[] Signature)
{
    public const string Scheme = "NEAR";

    /// <summary>Parses the header value; every failure is a 401 problem that says what was wrong.</summary>
    public static NearAuthorization Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            throw new ProblemException(ProblemTypes.MissingAuthorization, "Send 'Authorization: NEAR <base64url(JSON)>' signed by a full-access key of the account.");
        if (!header.StartsWith(Scheme + " ", StringComparison.Ordinal))
            throw Invalid("The Authorization scheme must be 'NEAR'.");

        byte[] json;
        try
        {
            json = System.Buffers.Text.Base64Url.DecodeFromChars(header.AsSpan(Scheme.Length + 1).Trim());
        }
        catch (FormatException)
        {
            throw Invalid("The NEAR credential is not base64url.");
        }

        if (!Json.StrictJson.TryValidate(json, out _))
            throw Invalid("The NEAR credential is not the expected JSON object (invalid text or a duplicate member).");
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(json, AuthJsonContext.Default.Wire);
        }
        catch (JsonException)
        {
            throw Invalid("The NEAR credential is not the expected JSON object.");
        }
        if (wire is null || wire.AccountId is null || wire.PublicKey is null || wire.Nonce is null || wire.Signature is null || wire.TimestampMs is null)
            throw Invalid("The NEAR credential needs accountId, publicKey, nonce, timestampMs and signature.");
        if (!Keystore.Near.Encoding.AccountId.IsValid(wire.AccountId))
            throw Invalid("accountId is not a valid NEAR account id.");
        if (!Keystore.Near.Keys.Ed25519PublicKey.TryParse(wire.PublicKey, out Keystore.Near.Keys.Ed25519PublicKey parsed))
            throw Invalid("publicKey must be 'ed25519:<base58 of 32 bytes>'.");
        byte[] publicKey = parsed.Bytes.ToArray();
        byte[] nonce = DecodeBase64(wire.Nonce, 32, "nonce");
        byte[] signature = DecodeBase64(wire.Signature, 64, "signature");
        return new NearAuthorization(wire.AccountId, publicKey, wire.PublicKey, nonce, wire.TimestampMs.Value, signature);
    }

    /// <summary>What the client signs (inside NEP-413): method, path+query, body hash, timestamp.</summary>
    public static string SignedMessage(string method, string pathAndQuery, ReadOnlySpan<byte> body, long timestampMs)
    {
        string bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        return $"{method} {pathAndQuery}\n{bodyHash}\n{timestampMs}";
    }

    private static byte[] DecodeBase64(string value, int length, string field)
    {
        byte[] bytes = new byte[length];
        if (!Convert.TryFromBase64String(value, bytes, out int written) || written != length)
            throw Invalid($"{field} must be {length} bytes in standard base64.");
        return bytes;
    }

    private static ProblemException Invalid(string detail) => new(ProblemTypes.InvalidAuthorization, detail);

    internal sealed class Wire
    {
        public string? AccountId { get; set; }
        public string? PublicKey { get; set; }
        public string? Nonce { get; set; }
        public long? TimestampMs { get; set; }
        public string? Signature { get; set; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(NearAuthorization.Wire))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
