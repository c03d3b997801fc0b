using Keystore.Near.Ckd;

namespace Keystore.Near.Tests.Support;

/// <summary>How near/mpc's ckd_test_vectors.json derives its <c>s</c> field: HKDF-SHA256 with no salt and an empty info.</summary>
public static class CkdVectorKdf
{
    public static CkdKdfOptions Options { get; } = new(null, []);
}
