using Keystore.Boot;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.State;

/// <summary>
/// Boot step <c>state</c>, after <c>master-secret</c> (the store is sealed with a key derived from it): opens the
/// database and migrates it. The keystore is ready only once it is open.
/// </summary>
public sealed class StateStoreStep(StateStore store, IOptions<KeystoreOptions> options) : IBootStep
{
    public string Name => "state";

    // Never the connection string: it may hold a password.
    public string Detail => options.Value.State.ParsedProvider == StateProviderKind.Postgres ? "postgres" : "sqlite";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new BootFailureException($"The state database cannot be opened: {ex.Message}", retryable: true, ex);
        }
    }
}
