using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;

namespace Keystore.Api.ChainRequests;

/// <summary><c>POST …/sign/bitcoin</c>: <c>{"psbt": base64, "allowedSighashTypes"?: […], "finalize"?: bool}</c> → the signed PSBT.</summary>
public sealed class BitcoinRequestHandler(BitcoinSigner signer) : IChainRequestHandler
{
    public string Chain => signer.Name;

    public JsonObject Sign(SigningKey key, JsonElement request) => signer.Sign(key, request);
}
