namespace Keystore.Configuration;

/// <summary>The <c>Keystore</c> configuration section (appsettings, environment with <c>__</c>, command line).</summary>
public sealed class KeystoreOptions
{
    public const string Section = "Keystore";

    /// <summary>The NEP-413 recipient when none is configured: development and tests; a deployment names its own.</summary>
    public const string DefaultServiceName = "near-tee-keystore";

    /// <summary>The NEP-413 <c>recipient</c> every signed request must name.</summary>
    public string ServiceName { get; set; } = DefaultServiceName;

    /// <summary>Largest accepted request body; larger ones get 413 before anything is parsed.</summary>
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    public MasterSecretOptions MasterSecret { get; set; } = new();

    public BitcoinOptions Bitcoin { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public TeeOptions Tee { get; set; } = new();

    public NearOptions Near { get; set; } = new();

    public RateLimitOptions RateLimit { get; set; } = new();

    public Export.ExportOptions Export { get; set; } = new();
    public StateOptions State { get; set; } = new();

    public global::Keystore.Audit.AuditOptions Audit { get; set; } = new();

    public KeyCacheOptions KeyCache { get; set; } = new();

    public global::Keystore.Webhooks.WebhookOptions Webhooks { get; set; } = new();
    public global::Keystore.Approvals.ApprovalOptions Approvals { get; set; } = new();

    /// <summary>
    /// Offline owner map: NEAR account → its full-access public keys (<c>ed25519:&lt;base58&gt;</c>).
    /// <c>Keystore:Owners:alice.near:0 = ed25519:…</c>.
    /// </summary>
    public Dictionary<string, List<string>> Owners { get; set; } = new(StringComparer.Ordinal);
}

public sealed class MasterSecretOptions
{
    /// <summary>Which <see cref="MasterSecrets.IMasterSecretSource"/> gives the secret: <c>ckd</c> (NEAR MPC), <c>backup</c> or <c>dev</c>.</summary>
    public string Source { get; set; } = "dev";

    /// <summary>
    /// For <c>backup</c>: the 32-byte secret as 64 hex characters. Read once at boot, then replaced by
    /// <c>(consumed)</c>; a string cannot be wiped, so <see cref="BackupFile"/> is the better choice.
    /// </summary>
    public string? BackupHex { get; set; }

    /// <summary>For <c>backup</c>: a file holding the 64 hex characters (instead of <see cref="BackupHex"/>).</summary>
    public string? BackupFile { get; set; }

    /// <summary>For <c>dev</c>: where the generated development secret is kept.</summary>
    public string DevFile { get; set; } = ".keystore-dev/master-secret.hex";
}

public sealed class BitcoinOptions
{
    /// <summary><c>mainnet</c> (bc1p…), <c>testnet</c> (tb1p…) or <c>regtest</c> (bcrt1p…).</summary>
    public string Network { get; set; } = "mainnet";

    public Keystore.Chains.Bitcoin.BitcoinNetwork ParsedNetwork =>
        EnumSetting.Parse<Keystore.Chains.Bitcoin.BitcoinNetwork>(Network, "Keystore:Bitcoin:Network");
}

public sealed class AuthOptions
{
    /// <summary>How far a request's <c>timestampMs</c> may be from the keystore's clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where an account's full-access keys come from: <c>config</c> (<c>Keystore:Owners</c>, offline)
    /// or <c>near</c> (<c>view_access_key_list</c> on <c>Keystore:Near:RpcUrls</c>, cached briefly).
    /// </summary>
    public string OwnerKeySource { get; set; } = "config";

    public Auth.OwnerKeySourceKind ParsedOwnerKeySource =>
        EnumSetting.Parse<Auth.OwnerKeySourceKind>(OwnerKeySource, "Keystore:Auth:OwnerKeySource");

    /// <summary>
    /// For <c>near</c>: ask every endpoint of <c>Keystore:Near:RpcUrls</c> (at least two, on different hosts) for an
    /// account's full-access keys, and authenticate its owners only while they all answer the same list. One endpoint
    /// alone decides who owns an account (and may export its mnemonic): a hostile one lists an attacker's key. Cross-checked,
    /// it takes every endpoint lying alike; the price is that any endpoint down or behind makes owners wait
    /// (<c>owner-keys-unavailable</c>) instead of failing over.
    /// </summary>
    public bool OwnerKeyCrossCheck { get; set; }

    /// <summary>How long the <c>near</c> owner-key source trusts an answer (a list of keys, or none).</summary>
    public TimeSpan OwnerKeyCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many accounts the <c>near</c> owner-key source remembers (least recently used go first).</summary>
    public int OwnerKeyCacheCapacity { get; set; } = 10_000;

    /// <summary>
    /// How many nonces one account's owner keys together, and each of its agent keys on its own, may have inside their
    /// replay window at once (a row of about 100 bytes each in the state store). When a share is full, its signed requests
    /// get 503 <c>busy</c> until the oldest leave their window; a live nonce is never forgotten. Agents have shares of their
    /// own so that none can use up the owner's: the owner can always freeze the account or revoke the agent.
    /// </summary>
    public int NonceCapacity { get; set; } = 10_000;
}

/// <summary>
/// Per-client limits on the unauthenticated routes (everything but <c>/v1/health</c> and the owner-signed
/// routes), so that address lookups, each a PBKDF2 derivation, cannot starve signing.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a client IP may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>Requests a client IP may make in a burst.</summary>
    public int Burst { get; set; } = 40;

    /// <summary>Unauthenticated requests served at once across all clients (0: half the processors, at least 1).</summary>
    public int MaxConcurrent { get; set; }
}

public sealed class TeeOptions
{
    /// <summary>
    /// Which TEE attests this instance: <c>dstack</c> (the guest agent of a real TDX CVM),
    /// <c>simulator</c> (the local TDX simulator; refused when a real TEE is present) or <c>none</c>
    /// (no attestation; only with the <c>dev</c> or <c>backup</c> master secret).
    /// </summary>
    public string Provider { get; set; } = "simulator";

    /// <summary>
    /// For <c>dstack</c>: the guest agent's Unix socket path or http(s) URL. Unset: <c>DSTACK_SIMULATOR_ENDPOINT</c>,
    /// then dstack's standard socket paths.
    /// </summary>
    public string? DstackEndpoint { get; set; }

    /// <summary>For <c>dstack</c>: the PCCS that serves quote collateral (Intel-compatible v4 API).</summary>
    public string PccsUrl { get; set; } = "https://pccs.phala.network/";

    public SimulatorOptions Simulator { get; set; } = new();

    /// <summary>
    /// The dstack app-compose document sent to <c>tee-dao.register_worker_key</c> (its sha256 must be the measured
    /// compose hash). Unset: what the TEE reports (dstack's <c>tcb_info.app_compose</c>; the simulator's own document).
    /// For the simulator, also the document it measures.
    /// </summary>
    public string? AppComposeFile { get; set; }
}

/// <summary>
/// The simulated TD. Defaults are the local development profile that the local NEAR chain's DAO
/// approves (<c>SimulatedTdxOptions.LocalDevelopment</c>); change them on both sides together.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>Seed of the simulated PKI (hex); the same seed gives the same root CA.</summary>
    public string? SeedHex { get; set; }

    public string? MrtdHex { get; set; }
    public string? Rtmr0Hex { get; set; }
    public string? Rtmr1Hex { get; set; }
    public string? Rtmr2Hex { get; set; }

    /// <summary>The simulated CVM's instance id (hex, 20 bytes); unset: random per start, as dstack does.</summary>
    public string? InstanceIdHex { get; set; }
}

public sealed class NearOptions
{
    /// <summary>For NEAR CLI lines shown to operators: <c>mainnet</c>, <c>testnet</c> or <c>localnet</c>.</summary>
    public string NetworkId { get; set; } = "testnet";

    /// <summary>JSON-RPC endpoints, tried in order with failover.</summary>
    public List<string> RpcUrls { get; set; } = [];

    /// <summary>The <c>tee-dao</c> contract: registers this worker and forwards its CKD request to the MPC network.</summary>
    public string? DaoContractId { get; set; }

    /// <summary>
    /// For <c>ckd</c>: the MPC network's CKD public key (<c>bls12381g2:&lt;base58&gt;</c>), pinned. Unset, the key is read
    /// from the MPC contract through <see cref="RpcUrls"/>, and an RPC that lies about both the key and the CKD answer
    /// hands the worker a master secret it chose. Set (and measured in the compose), the CKD answer must verify under
    /// this key alone, and a different key read from the chain stops the boot.
    /// </summary>
    public string? MpcPublicKey { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A funded account that sends <c>register_worker_key</c> for this worker. Without it the worker
    /// waits for an operator to register it (the NEAR CLI line is on <c>/v1/ready</c>).
    /// </summary>
    public string? RegistrarAccountId { get; set; }

    /// <summary>NEAR CLI credentials file (<c>{"account_id","public_key","private_key"}</c>) of the registrar.</summary>
    public string? RegistrarCredentialsFile { get; set; }

    /// <summary>How often to look for an operator's registration while waiting.</summary>
    public TimeSpan RegistrationPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a running <c>ckd</c> worker checks that the DAO still lists it. When the council revokes its
    /// measurements the keystore drops its master secret and stops answering, instead of serving until restart.
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Register a derived address in <c>chain-keys</c> (through the DAO) when its owner asks for it.</summary>
    public bool RegisterBindings { get; set; } = true;

    /// <summary>How many binding states (account, chain, index) are remembered, each for an hour at most.</summary>
    public int BindingStatusCapacity { get; set; } = 10_000;

    /// <summary>
    /// Bindings one account may have this keystore send per hour: each costs the DAO gas and storage, and
    /// anyone owns some NEAR account.
    /// </summary>
    public int BindingPublishesPerAccountPerHour { get; set; } = 20;

    /// <summary>Bindings this keystore sends per hour for all accounts together.</summary>
    public int BindingPublishesPerHour { get; set; } = 500;
}

/// <summary>
/// The sealed state store (agents, policies, spending windows, nonces, idempotent answers): <c>sqlite</c>, a file for one
/// instance, or <c>postgres</c>, shared by a fleet.
/// </summary>
public sealed class StateOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    public State.StateProviderKind ParsedProvider => EnumSetting.Parse<State.StateProviderKind>(Provider, "Keystore:State:Provider");

    /// <summary>For <c>sqlite</c>: the database file (created with its folder).</summary>
    public string SqlitePath { get; set; } = ".keystore-state/state.db";

    /// <summary>For <c>postgres</c>: an Npgsql connection string. It may hold a password: never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Agent keys one account may register.</summary>
    public int MaxAgentsPerAccount { get; set; } = 100;
}

/// <summary>The derived-key cache: pinned, bounded, wiped on eviction (<see cref="Derivation.DerivedKeyCache"/>).</summary>
public sealed class KeyCacheOptions
{
    /// <summary>Derived keys held at most (~200 bytes each); 0 derives every key on every request.</summary>
    public int Capacity { get; set; } = 100_000;

    /// <summary>A key unused this long is wiped.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
