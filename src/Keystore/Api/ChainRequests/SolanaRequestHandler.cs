using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Solana;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// <c>POST …/sign/solana</c>: <c>{"message": base64}</c>, <c>{"transaction": base64}</c> or
/// <c>{"offchainMessage": base64}</c> (see <see cref="SolanaOffchainSigning"/>).
/// </summary>
public sealed class SolanaRequestHandler(SolanaSigner signer) : IChainRequestHandler
{
    public string Chain => signer.Name;

    public JsonObject Sign(SigningKey key, JsonElement request) =>
        SolanaOffchainSigning.IsRequest(request) ? SolanaOffchainSigning.Sign(key, request) : signer.Sign(key, request);
}
