using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// The HTTP face of one chain: reads the JSON body of <c>POST …/sign/{chain}</c> into the chain's typed operation,
/// has the chain library sign it, and writes the answer. The chain library itself knows no JSON.
/// </summary>
public interface IChainRequestHandler
{
    /// <summary>The chain's URL name, equal to its <see cref="IChainSigner.Name"/>.</summary>
    string Chain { get; }

    /// <summary>
    /// Signs what <paramref name="request"/> asks for with <paramref name="key"/>. Throws <see cref="ChainRequestException"/>
    /// (mapped by <see cref="ChainProblems"/>) on any bad input, before anything is signed.
    /// </summary>
    JsonObject Sign(SigningKey key, JsonElement request);
}
