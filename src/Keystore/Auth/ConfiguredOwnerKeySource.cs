using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.Auth;

/// <summary>Owners from configuration (<c>Keystore:Owners</c>), for offline use and tests.</summary>
public sealed class ConfiguredOwnerKeySource(IOptionsMonitor<KeystoreOptions> options) : IOwnerKeySource
{
    public Task<IReadOnlyCollection<string>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>(
            options.CurrentValue.Owners.TryGetValue(accountId, out List<string>? keys) ? keys.ToArray() : []);
}
