namespace Keystore.Near.Ckd;

/// <summary>How the verified CKD signature becomes a 32-byte secret: HKDF-SHA256 with this salt (null = none) and info.</summary>
public sealed record CkdKdfOptions(byte[]? Salt, byte[] Info)
{
    /// <summary>The convention of near/mpc's ckd-example-cli (and of the keystore's design).</summary>
    public static CkdKdfOptions StrongKeyV1 { get; } = new("near-mpc-ckd-hkdf-v1"u8.ToArray(), "near-mpc-ckd-strong-key-v1"u8.ToArray());
}
