using Keystore.Near.Bls12381;
using Microsoft.Extensions.Options;

namespace Keystore.LocalNear.Genesis;

/// <summary>Rejects a configuration the chain could not start with, before anything is written to disk.</summary>
public sealed class LocalNearOptionsValidator : IValidateOptions<LocalNearOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalNearOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.RpcUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
            failures.Add($"LocalNear:RpcUrl must be an absolute http URL without a path (got '{options.RpcUrl}').");
        if (string.IsNullOrWhiteSpace(options.ChainId) || !options.ChainId.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            failures.Add($"LocalNear:ChainId must be lowercase letters, digits, '-' or '_' (got '{options.ChainId}').");
        if (string.IsNullOrWhiteSpace(options.DataDir))
            failures.Add("LocalNear:DataDir is required.");
        if (options.WriteCredentials && string.IsNullOrWhiteSpace(options.CredentialsDir))
            failures.Add("LocalNear:CredentialsDir is required when LocalNear:WriteCredentials is true.");
        if (options.GenesisFile is { Length: > 0 } file && !File.Exists(LocalNearOptions.ExpandPath(file)))
            failures.Add($"LocalNear:GenesisFile '{file}' does not exist.");
        if (options.BlockIntervalNanos == 0)
            failures.Add("LocalNear:BlockIntervalNanos must be positive.");
        if (options.Mpc.TimeoutFirstRequests < 0)
            failures.Add($"LocalNear:Mpc:TimeoutFirstRequests must be zero or positive (got {options.Mpc.TimeoutFirstRequests}).");
        if (!IsValidMasterKey(options.Mpc.MasterKeyHex))
            failures.Add("LocalNear:Mpc:MasterKeyHex must be 64 hex characters encoding a canonical non-zero BLS12-381 scalar.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidMasterKey(string? hex)
    {
        if (hex is null || hex.Length != 64 || !hex.All(Uri.IsHexDigit)) return false;
        return Scalar.IsCanonicalNonZero(Convert.FromHexString(hex));
    }

    /// <summary>Validates and throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(LocalNearOptions options)
    {
        var result = new LocalNearOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
            throw new OptionsValidationException(Options.DefaultName, typeof(LocalNearOptions), result.Failures);
    }
}
