namespace Keystore.Export;

/// <summary>What a policy sees of an export it is asked to allow. Holds no secret.</summary>
/// <param name="Account">The NEAR account whose keys would leave the keystore.</param>
/// <param name="CallerPublicKey">The authenticated caller's key, <c>ed25519:…</c>.</param>
/// <param name="Recipient">The age recipient the export is encrypted to.</param>
/// <param name="Contents">What it would hold: <c>mnemonic</c>, <c>ethereum/0</c>, …</param>
public sealed record ExportContext(string Account, string CallerPublicKey, string Recipient, IReadOnlyList<string> Contents);
