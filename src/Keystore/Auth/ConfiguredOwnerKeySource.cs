using System.Collections.Frozen;
using Keystore.Configuration;
using Keystore.Near.Keys;
using Microsoft.Extensions.Options;

namespace Keystore.Auth;

/// <summary>
/// Owners from configuration (<c>Keystore:Owners</c>), for offline use and tests. Keys are parsed once,
/// when the configuration is loaded, into typed keys: <c>ed25519:&lt;base58&gt;</c> and a bare base58 key
/// are the same key, and comparisons are on bytes, never on the text someone typed.
/// </summary>
public sealed class ConfiguredOwnerKeySource : IOwnerKeySource
{
    private static readonly IReadOnlySet<Ed25519PublicKey> None = FrozenSet<Ed25519PublicKey>.Empty;
    private volatile FrozenDictionary<string, FrozenSet<Ed25519PublicKey>> _owners;

    // The one reader of IOptionsMonitor: where the operator turns configuration reloading on
    // (hostBuilder:reloadConfigOnChange=true; off by default, see KeystoreApplication.ConfigurationReadOnce), taking an
    // owner's key away does not wait for a restart, and a reloaded map changes nothing else. Everything else reads its
    // options once (IOptions).
    public ConfiguredOwnerKeySource(IOptionsMonitor<KeystoreOptions> options)
    {
        _owners = Load(options.CurrentValue);
        options.OnChange(o => _owners = Load(o));
    }

    public Task<IReadOnlySet<Ed25519PublicKey>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult(_owners.TryGetValue(accountId, out FrozenSet<Ed25519PublicKey>? keys) ? keys : None);

    // The options validator refuses unparsable keys at startup; one that slips through a reload is skipped, never matched as text.
    private static FrozenDictionary<string, FrozenSet<Ed25519PublicKey>> Load(KeystoreOptions options) =>
        options.Owners.ToFrozenDictionary(
            o => o.Key,
            o => o.Value.Select(k => Ed25519PublicKey.TryParse(k, out Ed25519PublicKey key) ? key : null).OfType<Ed25519PublicKey>().ToFrozenSet(),
            StringComparer.Ordinal);
}
