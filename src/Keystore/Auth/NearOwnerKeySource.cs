using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Options;

namespace Keystore.Auth;

/// <summary>
/// Owners from the chain: the account's full-access keys (<c>view_access_key_list</c>), cached
/// briefly so a burst of requests costs one RPC call while a removed key stops working quickly.
/// </summary>
public sealed class NearOwnerKeySource(NearConnection near, IOptions<KeystoreOptions> options) : IOwnerKeySource
{
    public const string SourceName = "near";

    private readonly Lazy<OwnerKeyReader> _reader = new(() => new OwnerKeyReader(near.Rpc, options.Value.Auth.OwnerKeyCacheTtl));

    public async Task<IReadOnlyCollection<string>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.Value.GetFullAccessKeysAsync(accountId, cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownAccountException)
        {
            return [];
        }
        catch (Exception ex) when (NearFaults.IsTransient(ex))
        {
            // Fail closed: without the key list nobody is authenticated, and nothing is signed.
            throw new Problems.ProblemException(Problems.ProblemTypes.OwnerKeysUnavailable, $"NEAR RPC: {ex.Message}");
        }
    }
}
