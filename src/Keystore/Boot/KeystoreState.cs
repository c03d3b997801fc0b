using Keystore.MasterSecrets;
using Keystore.Problems;

namespace Keystore.Boot;

/// <summary>
/// What the keystore has achieved since it started: the boot steps and, once loaded, the master
/// secret. Signing and key requests read the secret only through <see cref="RequireMasterSecret"/>,
/// so nothing can be derived before the boot sequence is done.
/// </summary>
public sealed class KeystoreState(TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<BootStep> _steps = [];
    private MasterSecret? _masterSecret;

    /// <summary>
    /// Raised with a master secret the keystore no longer holds (revoked, replaced or disposed), so whatever
    /// was derived from it (the derived-key cache) is wiped with it.
    /// </summary>
    public event Action<MasterSecret>? MasterSecretDropped;

    public bool IsReady => Volatile.Read(ref _masterSecret) is not null;

    /// <summary>
    /// Ready to serve: a master secret is loaded and every boot step after it (the state store) is done too. The
    /// revocation monitor keeps watching on <see cref="IsReady"/> alone, whatever the later steps do.
    /// </summary>
    public bool IsServing
    {
        get
        {
            if (!IsReady) return false;
            lock (_gate) return _steps.TrueForAll(s => s.State == BootStepState.Done);
        }
    }

    public string? MasterSecretSource { get; private set; }

    public IReadOnlyList<BootStep> Steps
    {
        get { lock (_gate) return _steps.ToArray(); }
    }

    public MasterSecret RequireMasterSecret() =>
        Volatile.Read(ref _masterSecret) ?? throw new ProblemException(ProblemTypes.NotReady, NotReadyReason());

    public void SetMasterSecret(MasterSecret secret, string source)
    {
        MasterSecret? old;
        lock (_gate)
        {
            old = _masterSecret;
            old?.Dispose();
            MasterSecretSource = source;
            Volatile.Write(ref _masterSecret, secret);
        }
        if (old is not null && !ReferenceEquals(old, secret)) MasterSecretDropped?.Invoke(old);
    }

    /// <summary>
    /// Drops the master secret because this instance may no longer hold it (the DAO revoked its worker).
    /// New requests see "not ready" at once; the buffer is wiped a few seconds later so that a derivation
    /// already in flight never runs on a wiped key.
    /// </summary>
    public void Revoke(string step, string reason)
    {
        MasterSecret? old;
        lock (_gate)
        {
            old = _masterSecret;
            Volatile.Write(ref _masterSecret, null);
            MasterSecretSource = null;
        }
        Report(step, BootStepState.Failed, null, reason);
        if (old is not null) MasterSecretDropped?.Invoke(old);
        if (old is not null)
            _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
    }

    public void Report(string step, BootStepState state, string? detail = null, string? error = null)
    {
        lock (_gate)
        {
            int i = _steps.FindIndex(s => s.Name == step);
            int attempts = i < 0 ? 0 : _steps[i].Attempts;
            if (state == BootStepState.Running) attempts++;
            string? lastError = error ?? (i < 0 ? null : state == BootStepState.Done ? null : _steps[i].LastError);
            var entry = new BootStep(step, state, detail, lastError, attempts, time.GetUtcNow());
            if (i < 0) _steps.Add(entry); else _steps[i] = entry;
        }
    }

    /// <summary>The first unfinished step and its last error, in one sentence.</summary>
    public string NotReadyReason()
    {
        lock (_gate)
        {
            BootStep? blocking = _steps.FirstOrDefault(s => s.State != BootStepState.Done);
            if (blocking is null)
                return "The keystore is starting: no master secret is loaded yet.";
            string reason = $"Boot step '{blocking.Name}' is {blocking.State.ToString().ToLowerInvariant()}";
            if (blocking.Detail is not null) reason += $" ({blocking.Detail})";
            if (blocking.LastError is not null) reason += $"; last error: {blocking.LastError}";
            // Errors are sentences that often end with their own period.
            return reason.EndsWith('.') ? reason : reason + ".";
        }
    }

    public void Dispose()
    {
        MasterSecret? old;
        lock (_gate)
        {
            old = _masterSecret;
            old?.Dispose();
            _masterSecret = null;
        }
        if (old is not null) MasterSecretDropped?.Invoke(old);
    }
}
