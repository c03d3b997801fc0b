namespace Keystore.Client;

/// <summary>The PSBT (base64) with a BIP341 key-path signature on each input of this key, and those inputs' indexes.</summary>
public sealed record SignedPsbt(string Psbt, IReadOnlyList<int> SignedInputs);
