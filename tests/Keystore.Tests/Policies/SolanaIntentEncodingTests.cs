using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Policies.Decoding;

namespace Keystore.Tests.Policies;

/// <summary>A policy judges the bytes the signer signs: a body in base58 decodes to the same intent as in base64.</summary>
public class SolanaIntentEncodingTests
{
    [Fact]
    public void Web3js_built_bodies_decode_to_what_they_encoded_when_sent_as_base58()
    {
        IReadOnlyList<JsonNode> cases = WalletBuiltRequests.Of("solana");
        Assert.True(cases.Count >= 11);
        foreach (JsonNode @case in cases)
        {
            JsonObject body = @case["body"]!.AsObject().DeepClone().AsObject();
            string member = body.ContainsKey("transaction") ? "transaction" : "message";
            body[member] = Base58.Encode(Convert.FromBase64String((string)body[member]!));
            body["encoding"] = "base58";

            SignIntent intent = SolanaIntentDecoder.Decode(JsonDocument.Parse(body.ToJsonString()).RootElement);

            WalletBuiltRequests.AssertMatches(@case, intent);
        }
    }

    [Theory]
    [InlineData("""{"message": "AQABAw==", "encoding": "base32"}""", "the payload's encoding is unknown")]
    [InlineData("""{"message": "AQABAw==", "encoding": 58}""", "the payload's encoding is unknown")]
    [InlineData("""{"message": "AQABAw==", "encoding": "base58"}""", "the payload is not base58")]
    [InlineData("""{"message": "not base64!"}""", "the payload is not base64")]
    public void An_unknown_encoding_or_text_not_in_it_is_opaque(string body, string reason)
    {
        SignIntent intent = SolanaIntentDecoder.Decode(JsonDocument.Parse(body).RootElement);
        Assert.True(intent.Opaque);
        Assert.Equal(reason, intent.OpaqueReason);
    }
}
