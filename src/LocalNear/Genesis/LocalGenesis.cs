using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Mpc;
using Keystore.Near.Ckd;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNear.Genesis;

/// <summary>
/// Everything a local chain starts from: the genesis document, the accounts' keys (persisted in the data
/// directory, optionally written as NEAR CLI credentials) and the engine options with the native MPC signer.
/// </summary>
public sealed class LocalGenesis : IDisposable
{
    private LocalGenesis(GenesisDocument document, GenesisKeys keys, LocalChainOptions chainOptions, MpcSimulator? mpc, string keysDirectory, string? credentialsDirectory)
    {
        KeysDirectory = keysDirectory;
        Document = document;
        Keys = keys;
        ChainOptions = chainOptions;
        Mpc = mpc;
        CredentialsDirectory = credentialsDirectory;
    }

    public GenesisDocument Document { get; }

    public GenesisKeys Keys { get; }

    /// <summary>Where the accounts' keys are kept across restarts (<c>&lt;DataDir&gt;/keys</c>).</summary>
    public string KeysDirectory { get; }

    public LocalChainOptions ChainOptions { get; }

    public string RootAccountId => Document.RootAccountId;

    /// <summary>The account hosting the native MPC signer, if the genesis has one.</summary>
    public string? MpcAccountId => Document.MpcSigner?.AccountId;

    /// <summary>The simulated MPC network (its public key is what the signer's <c>public_key</c> view returns).</summary>
    public MpcSimulator? Mpc { get; }

    /// <summary>Where NEAR CLI credentials were written (<c>&lt;CredentialsDir&gt;/&lt;ChainId&gt;</c>), or null.</summary>
    public string? CredentialsDirectory { get; }

    public static LocalGenesis Create(LocalNearOptions options, ILogger logger)
    {
        LocalNearOptionsValidator.ThrowIfInvalid(options);
        var document = options.GenesisFile is { Length: > 0 } file
            ? GenesisDocument.Load(LocalNearOptions.ExpandPath(file))
            : GenesisDocument.Default;

        string? credentials = options.WriteCredentials
            ? Path.Combine(LocalNearOptions.ExpandPath(options.CredentialsDir), options.ChainId)
            : null;
        string dataDir = LocalNearOptions.ExpandPath(options.DataDir);
        var keys = GenesisKeys.LoadOrCreate(dataDir, document.Accounts.Select(a => a.AccountId), credentials, logger);
        try
        {
            if (credentials is not null) keys.WriteCredentials(credentials, logger);

            MpcSimulator? mpc = null;
            var natives = new Dictionary<string, INativeContract>(StringComparer.Ordinal);
            if (document.MpcSigner is { } signer)
            {
                mpc = MpcSimulator.FromHex(options.Mpc.MasterKeyHex);
                natives[signer.AccountId] = new MpcSignerContract(mpc, options.Mpc.DomainId, options.Mpc.TimeoutFirstRequests);
                if (options.Mpc.TimeoutFirstRequests > 0)
                    logger.LogWarning("Fault injection: the MPC signer {Account} fails its first {Count} request_app_private_key calls with \"{Message}\"",
                        signer.AccountId, options.Mpc.TimeoutFirstRequests, MpcSignerContract.TimeoutMessage);
            }

            var accounts = document.Accounts.Select(a => new GenesisAccount(
                a.AccountId, a.Balance, [keys[a.AccountId].PublicKey], a.CodeFile is null ? null : File.ReadAllBytes(a.CodeFile))).ToList();
            var chainOptions = new LocalChainOptions
            {
                ChainId = options.ChainId,
                GenesisTime = DateTimeOffset.UtcNow,
                GasPrice = document.GasPrice,
                BlockIntervalNanos = options.BlockIntervalNanos,
                Accounts = accounts,
                NativeContracts = natives,
            };
            return new LocalGenesis(document, keys, chainOptions, mpc, Path.Combine(dataDir, GenesisKeys.DirectoryName), credentials);
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    public void Dispose() => Keys.Dispose();
}
