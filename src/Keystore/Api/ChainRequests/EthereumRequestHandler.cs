using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Ethereum;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// <c>POST …/sign/ethereum</c>, exactly one of <c>{"transaction": {…}}</c> → <c>{signedTransaction, hash, from}</c>,
/// <c>{"message": "text" | "0x…", "encoding"?}</c> → <c>{signature}</c>, <c>{"typedData": {…}}</c> → <c>{signature}</c>.
/// </summary>
public sealed class EthereumRequestHandler(EthereumSigner signer) : IChainRequestHandler
{
    public string Chain => signer.Name;

    public JsonObject Sign(SigningKey key, JsonElement request) => signer.Sign(key, request);
}
